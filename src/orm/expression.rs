//! SQL expressions as the learner builds them from mapped attributes
//! (`User.name == "Bob"`, `User.id.in_([1, 2])`, `func.count(User.id)`):
//! coercion of Python values into bound parameters with each column type's
//! bind processing, the operators of SQLAlchemy's `ColumnOperators`, and the
//! reverse conversion of result values into Python values.

use std::rc::Rc;
use std::sync::LazyLock;

use chrono::format::{Item, Parsed, StrftimeItems};
use chrono::{NaiveDate, NaiveDateTime};

use crate::python::exceptions::{PyErr, PyResult, attribute_error, invalid_request, type_error};
use crate::python::signature::Signature;
use crate::python::value::Value;
use crate::sql::elements::{Expr, Name, Operator, Selectable};
use crate::sql::schema::{SqlType, SqlValue};

use super::mapper::{AttrKind, AttrRef};
use crate::python::ExcType;

/// A column expression with the type SQLAlchemy infers for it.
#[derive(Debug, Clone)]
pub struct SqlExpr {
    pub expr: Expr,
    /// The expression's SQL type, when known; decides bind and result processing.
    pub ty: Option<SqlType>,
    /// The key a result row uses for this column (`name` for `User.name`, a
    /// label's name), if it has one.
    pub key: Option<String>,
    /// The Python object's identity (SQLAlchemy's `id(obj)`, which keys
    /// its anonymous labels): fresh for each new expression object, the
    /// same for every use of one object (a `Value` shares it), and for
    /// every read of one `column_property()` through one entity
    /// ([`column_property_id`]).
    pub id: u64,
}

thread_local! {
    /// The mappers named by [`ColumnAnnotations::parententity`]
    /// (`crate::sql::elements::ColumnAnnotations`), by number.
    static PARENT_ENTITIES: std::cell::RefCell<Vec<std::rc::Weak<super::mapper::Mapper>>> =
        const { std::cell::RefCell::new(Vec::new()) };
    static NEXT_EXPR_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

/// The number of `mapper` in the table of annotated entities (added once).
fn parententity_number(mapper: &Rc<super::mapper::Mapper>) -> u32 {
    PARENT_ENTITIES.with(|t| {
        let mut t = t.borrow_mut();
        if let Some(i) = t
            .iter()
            .position(|w| std::ptr::eq(w.as_ptr(), Rc::as_ptr(mapper)))
        {
            return i as u32;
        }
        t.push(Rc::downgrade(mapper));
        (t.len() - 1) as u32
    })
}

/// The mapper a column's `parententity` annotation names, while it lives.
pub fn parententity(number: u32) -> Option<Rc<super::mapper::Mapper>> {
    PARENT_ENTITIES.with(|t| {
        t.borrow()
            .get(number as usize)
            .and_then(std::rc::Weak::upgrade)
    })
}

/// The first column of `expr` (in SQLAlchemy's `_propagate_attrs` order:
/// depth first, left to right) that came from a mapped attribute, as
/// SQLAlchemy's ORM plugin finds an expression's entity.
pub fn first_annotated_column(expr: &Expr) -> Option<crate::sql::elements::ColumnRef> {
    let found = std::cell::RefCell::new(None);
    expr.map_columns(&|c| {
        let mut f = found.borrow_mut();
        if f.is_none() && c.annotations.parententity.is_some() {
            *f = Some(c.clone());
        }
        None
    });
    found.into_inner()
}

/// A new expression object's identity (see [`SqlExpr::id`]).
pub fn fresh_expr_id() -> u64 {
    NEXT_EXPR_ID.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// The identity of `column_property()` number `prop` of `mapper` read
/// through `from` (its table or an alias of it): SQLAlchemy's mapper holds
/// one labelled expression per property, and an `aliased()` class one
/// adapted copy, so each read through one entity is the same object. Kept
/// apart from [`fresh_expr_id`]'s numbers by the top bit.
pub fn column_property_id(mapper: &super::mapper::Mapper, prop: usize, from: &Selectable) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (mapper as *const super::mapper::Mapper as usize).hash(&mut h);
    prop.hash(&mut h);
    crate::sql::compiler::selectable_identity(from).hash(&mut h);
    h.finish() | (1 << 63)
}

/// A `column_property()`'s expression as its mapper holds it: labelled
/// with an anonymous label (`AS anon_1` in a SELECT list, a label reference
/// in ORDER BY when selected), named after a function as SQLAlchemy's
/// `_anon_name_label` (`length(books.title) AS length_1`).
pub fn column_property_label(expr: Expr) -> Expr {
    let base = match &expr {
        Expr::Function { name, .. } => crate::sql::compiler::function_name(name),
        _ => "anon".to_string(),
    };
    Expr::Label {
        name: Name::Anon(base),
        expr: Box::new(expr),
    }
}

impl SqlExpr {
    pub fn new(expr: Expr, ty: Option<SqlType>) -> SqlExpr {
        SqlExpr {
            expr,
            ty,
            key: None,
            id: fresh_expr_id(),
        }
    }

    /// The module of `type(x)`: `sqlalchemy.sql.functions` for a SQL
    /// function, `sqlalchemy.sql.selectable` for a scalar subquery or
    /// `exists()`, else `sqlalchemy.sql.elements`.
    pub fn python_module(&self) -> &'static str {
        match &self.expr {
            Expr::Function { .. } => "sqlalchemy.sql.functions",
            Expr::ScalarSelect(_) | Expr::Exists(_) => "sqlalchemy.sql.selectable",
            _ => "sqlalchemy.sql.elements",
        }
    }

    /// SQLAlchemy 2.0's `ClauseElement.description`, which its `repr`
    /// shows after the address (`<…count at 0x7f…; count>`): a function's
    /// name, a label's or a literal column's; `None` for the other
    /// elements, whose `repr` is Python's default.
    pub fn description(&self) -> Option<String> {
        match &self.expr {
            Expr::Function { name, .. } => Some(
                crate::sql::compiler::generic_function(name)
                    .map_or_else(|| name.clone(), str::to_string),
            ),
            Expr::Label { name, .. } => Some(match name {
                crate::sql::elements::Name::Fixed(n) => n.clone(),
                crate::sql::elements::Name::Anon(base) => {
                    format!("%({} {base})s", self.id & 0xffff_ffff_ffff)
                }
            }),
            Expr::LiteralColumn(text) => Some(text.clone()),
            _ => None,
        }
    }

    /// `type(x).__name__` as SQLAlchemy would report it.
    pub fn python_type_name(&self) -> &'static str {
        match &self.expr {
            Expr::Column(_) => "Column",
            Expr::Bind(_) | Expr::BindParam { .. } => "BindParameter",
            Expr::Null => "Null",
            Expr::True => "True_",
            Expr::False => "False_",
            Expr::Star => "ColumnClause",
            Expr::Binary { .. } | Expr::In { .. } | Expr::Between { .. } => "BinaryExpression",
            Expr::BoolList { .. } => "BooleanClauseList",
            Expr::Not(_) | Expr::Neg(_) | Expr::Distinct(_) | Expr::Asc(_) | Expr::Desc(_) => {
                "UnaryExpression"
            }
            Expr::Function { name, .. } => {
                crate::sql::compiler::generic_function(name).unwrap_or("Function")
            }
            Expr::Label { .. } => "Label",
            Expr::ScalarSelect(_) => "ScalarSelect",
            Expr::Exists(_) => "Exists",
            Expr::Grouping(_) => "Grouping",
            Expr::LikePattern { .. } | Expr::Escape { .. } => "BinaryExpression",
            Expr::Case { .. } => "Case",
            Expr::Cast { .. } => "Cast",
            Expr::TypeCoerce { .. } => "TypeCoerce",
            Expr::FunctionFilter { .. } => "FunctionFilter",
            Expr::LiteralColumn(_) => "ColumnClause",
            Expr::Nulls { .. } => "UnaryExpression",
            Expr::Over { .. } => "Over",
            Expr::WithinGroup { .. } => "WithinGroup",
            Expr::Extract { .. } => "Extract",
            Expr::JsonGetItem { .. } => "BinaryExpression",
            Expr::One => "ColumnClause",
            Expr::LabelRef(_) => "_textual_label_reference",
        }
    }
}

/// The SQL expression for a column attribute (`User.name` → `users.name`).
pub fn attribute_expr(attr: &AttrRef) -> PyResult<SqlExpr> {
    match &attr.kind {
        AttrKind::Column(index) => {
            let table = &attr.mapper.table;
            let ty = table.columns.get(*index).map(|c| c.sql_type.clone());
            let mut expr = Expr::column(&attr.parent_selectable(), *index);
            if let Expr::Column(c) = &mut expr {
                c.annotations.parententity = Some(parententity_number(&attr.mapper));
            }
            Ok(SqlExpr {
                expr,
                ty,
                key: Some(attr.key.clone()),
                id: fresh_expr_id(),
            })
        }
        AttrKind::Expression(i) => {
            let prop = attr.mapper.expressions.get(*i).ok_or_else(|| {
                PyErr::new(ExcType::InvalidRequestError, "mapper property is gone")
            })?;
            // A `query_expression()` outside `with_expression()` is SQL's
            // NULL, as SQLAlchemy's `_null()` placeholder.
            let from = attr.parent_selectable();
            let expr = match prop.expression_on(&attr.mapper.table, &from) {
                Some(e) => column_property_label(e),
                None => Expr::Null,
            };
            Ok(SqlExpr {
                expr,
                ty: prop.ty.clone(),
                key: Some(attr.key.clone()),
                id: column_property_id(&attr.mapper, *i, &from),
            })
        }
        AttrKind::Relationship(_) => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "SQL expression element expected, got relationship {}; compare its columns instead (e.g. a foreign key column)",
                attr.qualified_name()
            ),
        )),
    }
}

/// True when `v` takes part in SQL expressions (so `==` builds SQL rather
/// than comparing values).
pub fn is_sql(v: &Value) -> bool {
    v.downcast::<AttrRef>().is_some() || v.downcast::<SqlExpr>().is_some()
}

/// A value as a SQL expression: attributes become columns, expressions stay,
/// Python values become bound parameters processed for `ty`.
pub fn coerce(v: &Value, ty: Option<&SqlType>) -> PyResult<SqlExpr> {
    match v {
        v if let Some(a) = v.downcast::<AttrRef>() => attribute_expr(&a),
        v if let Some(e) = v.downcast::<SqlExpr>() => Ok((*e).clone()),
        Value::None => Ok(SqlExpr::new(Expr::Null, None)),
        v if let Some(t) = v.downcast::<crate::sql::elements::TextClause>() => {
            if t.text.contains(':') {
                return Err(PyErr::new(
                    ExcType::NotImplementedError,
                    "orm-tutor does not support text() with ':' or bound parameters inside a statement yet",
                ));
            }
            Ok(SqlExpr::new(Expr::LiteralColumn(t.text.clone()), None))
        }
        v if let Some(q) = v.downcast::<super::query::Query>() => Ok(SqlExpr::new(
            Expr::ScalarSelect(Box::new(q.scalar_subquery()?)),
            None,
        )),
        // A class body's own column (`column_property(func.length(title))`).
        v if let Some(e) = declared_column_expr(v) => Ok(e),
        other => {
            let inferred;
            let ty = match ty {
                Some(t) => Some(t),
                None => {
                    inferred = infer_type(other);
                    inferred.as_ref()
                }
            };
            Ok(SqlExpr::new(
                Expr::Bind(bind_value(other, ty)?.into()),
                ty.cloned(),
            ))
        }
    }
}

/// The SQL type SQLAlchemy infers for a plain Python value.
pub fn infer_type(v: &Value) -> Option<SqlType> {
    match v {
        Value::Bool(_) => Some(SqlType::Boolean),
        Value::Int(_) => Some(SqlType::Integer),
        Value::Float(_) => Some(SqlType::Float),
        Value::Decimal(_) => Some(SqlType::Numeric(None, None)),
        Value::Str(_) => Some(SqlType::String(None)),
        Value::Bytes(_) => Some(SqlType::LargeBinary),
        Value::DateTime(_) => Some(SqlType::DateTime),
        Value::Date(_) => Some(SqlType::Date),
        Value::Time(_) => Some(SqlType::Time),
        _ => None,
    }
}

/// SQLite's storage text for a datetime: `2024-01-15 09:00:00.000000`
/// (SQLAlchemy's `sqlite.DATETIME` storage format).
pub fn datetime_storage(dt: &NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    let (year, nanos) = (dt.year(), dt.nanosecond());
    // Python's years (1–9999) and no leap second: written digit by digit,
    // without chrono's format machinery (one value per row of a flush)
    if !(0..=9999).contains(&year) || nanos >= 1_000_000_000 {
        return dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string();
    }
    let mut out = String::with_capacity(26);
    let mut digits = |v: u32, width: usize, after: Option<char>| {
        let mut buf = [b'0'; 6];
        let mut v = v;
        for b in buf[..width].iter_mut().rev() {
            *b = b'0' + (v % 10) as u8;
            v /= 10;
        }
        out.extend(buf[..width].iter().map(|&b| b as char));
        if let Some(c) = after {
            out.push(c);
        }
    };
    digits(year as u32, 4, Some('-'));
    digits(dt.month(), 2, Some('-'));
    digits(dt.day(), 2, Some(' '));
    digits(dt.hour(), 2, Some(':'));
    digits(dt.minute(), 2, Some(':'));
    digits(dt.second(), 2, Some('.'));
    digits(nanos / 1000, 6, None);
    out
}

/// A Python value as the driver receives it for a column of type `ty`
/// (SQLAlchemy's bind processors on SQLite: booleans as 1/0, datetimes as
/// storage text).
///
/// Errors: `TypeError` for a str bound to a `DateTime` column, as SQLAlchemy's
/// `SQLite DateTime type only accepts Python datetime and date objects as input.`;
/// `ArgumentError` for values that cannot be bound (objects, lists).
pub fn bind_value(v: &Value, ty: Option<&SqlType>) -> PyResult<SqlValue> {
    if let (false, Some(SqlType::Json)) = (matches!(v, Value::None), ty) {
        return Ok(SqlValue::Text(super::json::dumps(v)?));
    }
    if let Some(SqlType::Enum(_, Some(_), _)) = ty
        && let Some(name) = enum_member_name(v)
    {
        return Ok(SqlValue::Text(name));
    }
    Ok(match (v, ty) {
        (Value::None, _) => SqlValue::Null,
        (Value::Bool(b), _) => SqlValue::Integer(*b as i64),
        (Value::Int(i), Some(SqlType::Boolean)) => SqlValue::Integer((*i != 0) as i64),
        // `Numeric` and `Float` bind through `to_float` on SQLite (no native
        // decimal), as SQLAlchemy's `Numeric.bind_processor`.
        (Value::Int(i), Some(SqlType::Numeric(..) | SqlType::Decimal(..) | SqlType::Float)) => {
            SqlValue::Real(*i as f64)
        }
        (Value::Int(i), _) => SqlValue::Integer(*i),
        (Value::Float(f), _) => SqlValue::Real(*f),
        (Value::Decimal(d), _) => SqlValue::Numeric(*d),
        (Value::Str(_), Some(SqlType::DateTime | SqlType::Timestamp(_) | SqlType::Date)) => {
            return Err(type_error(format!(
                "SQLite {} type only accepts Python {} objects as input.",
                if matches!(ty, Some(SqlType::Date)) {
                    "Date"
                } else {
                    "DateTime"
                },
                if matches!(ty, Some(SqlType::Date)) {
                    "date"
                } else {
                    "datetime and date"
                }
            )));
        }
        (Value::Str(s), _) => SqlValue::Text(String::from(&**s)),
        (Value::Bytes(b), _) => SqlValue::Blob(b.to_vec()),
        (Value::DateTime(dt), Some(SqlType::Date)) => {
            SqlValue::Text(dt.format("%Y-%m-%d").to_string())
        }
        (Value::DateTime(dt), _) => SqlValue::Text(datetime_storage(dt)),
        (Value::Date(d), Some(SqlType::DateTime | SqlType::Timestamp(_))) => {
            SqlValue::Text(format!("{} 00:00:00.000000", d.format("%Y-%m-%d")))
        }
        (Value::Date(d), _) => SqlValue::Text(d.format("%Y-%m-%d").to_string()),
        (Value::Time(t), _) => SqlValue::Time(*t),
        // sqlite3 raises `OverflowError: Python int too large to convert to
        // SQLite INTEGER` when it binds it, psycopg2 sends a numeric literal
        (Value::BigInt(n), _) => SqlValue::BigInt(Box::new((**n).clone())),
        // SQLAlchemy binds it through the `Interval` type, which the tutor
        // does not model yet.
        (Value::TimeDelta(_), _) => {
            return Err(PyErr::unsupported(
                "a datetime.timedelta as a bound parameter (the Interval type)",
            ));
        }
        (other, _) => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "SQL expression element or literal value expected, got {} of type {}",
                    crate::python::format::repr_plain(other),
                    other.type_name()
                ),
            ));
        }
    })
}

/// The name of the Python enum member `v` is (`Status.ACTIVE` →
/// `"ACTIVE"`), what SQLAlchemy's `Enum(Status)` binds for it.
fn enum_member_name(v: &Value) -> Option<String> {
    let m = v.downcast::<crate::python::class::PyInstance>()?;
    if !m.class.is_enum() {
        return None;
    }
    match m.get("_name_")? {
        Value::Str(s) => Some(s.to_string()),
        _ => None,
    }
}

/// The member of the Python enum class `cls` named `name`, as SQLAlchemy's
/// `Enum(Status)` loads a row's text.
fn enum_member_named(cls: &crate::sql::schema::OpaqueCallable, name: &str) -> Option<Value> {
    let c = cls
        .0
        .clone()
        .downcast::<crate::python::class::PyClass>()
        .ok()?;
    c.enum_member(name)
}

/// The rows a `RETURNING` clause sent back, as a result's keys (the
/// returned columns' names) and its values typed by each column
/// ([`result_value`]). `returning` holds column positions in `table`; rows
/// hold one value per returned column.
pub fn returned_columns(
    table: &crate::sql::schema::Table,
    returning: &[usize],
    returned: &[Vec<SqlValue>],
) -> (Vec<String>, Vec<Vec<Value>>) {
    let cols: Vec<_> = returning
        .iter()
        .filter_map(|&i| table.columns.get(i))
        .collect();
    let keys = cols.iter().map(|c| c.name.clone()).collect();
    let rows = returned
        .iter()
        .map(|row| {
            row.iter()
                .zip(&cols)
                .map(|(v, c)| result_value(v, Some(&c.sql_type)))
                .collect()
        })
        .collect();
    (keys, rows)
}

/// A value read from SQLite as Python sees it for a column of type `ty`
/// (SQLAlchemy's result processors: `Boolean` → bool, `DateTime` → datetime).
pub fn result_value(v: &SqlValue, ty: Option<&SqlType>) -> Value {
    match (v, ty) {
        (SqlValue::Null, _) => Value::None,
        (SqlValue::Text(s), Some(SqlType::Enum(_, Some(cls), _)))
            if let Some(m) = enum_member_named(cls, s) =>
        {
            m
        }
        // psycopg2's typed values; SQLAlchemy's `Float` makes a numeric a float
        (SqlValue::Numeric(d), Some(SqlType::Float)) => {
            Value::Float(d.to_string().parse().unwrap_or(f64::NAN))
        }
        (SqlValue::Numeric(d), _) => Value::Decimal(*d),
        (SqlValue::Bool(b), _) => Value::Bool(*b),
        (SqlValue::Timestamp(dt), _) => Value::DateTime(*dt),
        (SqlValue::Date(d), _) => Value::Date(*d),
        (SqlValue::Time(t), _) => Value::Time(*t),
        (SqlValue::BigInt(n), _) => Value::BigInt(std::rc::Rc::new((**n).clone())),
        (SqlValue::Array(items), _) => {
            Value::list(items.iter().map(|v| result_value(v, None)).collect())
        }
        // SQLAlchemy's `Numeric` on a driver without decimals: the float
        // formatted to the type's scale (10 when it has none), then read as a
        // Decimal (`_to_decimal_processor_factory`)
        (SqlValue::Integer(i), Some(SqlType::Numeric(_, s) | SqlType::Decimal(_, s))) => {
            float_to_decimal(*i as f64, *s).unwrap_or(Value::Int(*i))
        }
        (SqlValue::Real(f), Some(SqlType::Numeric(_, s) | SqlType::Decimal(_, s))) => {
            float_to_decimal(*f, *s).unwrap_or(Value::Float(*f))
        }
        (SqlValue::Integer(i), Some(SqlType::Boolean)) => Value::Bool(*i != 0),
        (SqlValue::Integer(i), Some(SqlType::Float)) => Value::Float(*i as f64),
        (SqlValue::Integer(i), _) => Value::Int(*i),
        (SqlValue::Real(f), Some(SqlType::Integer)) if f.fract() == 0.0 => Value::Int(*f as i64),
        (SqlValue::Real(f), _) => Value::Float(*f),
        (SqlValue::Text(s), Some(SqlType::Json)) => super::json::loads(s),
        (SqlValue::Text(s), Some(SqlType::DateTime | SqlType::Timestamp(_))) => parse_datetime(s)
            .map(Value::DateTime)
            .unwrap_or_else(|| Value::str(s)),
        (SqlValue::Text(s), Some(SqlType::Date)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Value::Date)
            .unwrap_or_else(|_| Value::str(s)),
        (SqlValue::Text(s), Some(SqlType::Time)) => crate::python::types::time::fromisoformat(s)
            .map(Value::Time)
            .unwrap_or_else(|| Value::str(s)),
        (SqlValue::Text(s), _) => Value::str(s),
        // SQLAlchemy's `LargeBinary` result processor: `bytes`
        (SqlValue::Blob(b), _) => Value::Bytes(std::rc::Rc::from(b.as_slice())),
    }
}

/// `Decimal("%.{scale}f" % f)`: SQLAlchemy's conversion of a float read
/// for a `Numeric(scale=…)` column (scale 10 when none is given). `None`
/// when the value is out of the Decimal's range.
fn float_to_decimal(f: f64, scale: Option<u32>) -> Option<Value> {
    let scale = scale.unwrap_or(10).min(28) as usize;
    if !f.is_finite() {
        return None;
    }
    crate::python::types::decimal::parse(&format!("{f:.scale$}")).map(Value::Decimal)
}

/// Parses SQLite datetime text (`2024-01-15 09:00:00[.ffffff]`, or with a `T`).
pub fn parse_datetime(s: &str) -> Option<NaiveDateTime> {
    if let Some(dt) = parse_canonical_datetime(s) {
        return Some(dt);
    }
    // The formats, parsed once: chrono's `parse_from_str` would re-read the
    // format string for every value of every row.
    static FORMATS: LazyLock<Vec<Vec<Item<'static>>>> = LazyLock::new(|| {
        [
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
        ]
        .iter()
        .filter_map(|f| StrftimeItems::new(f).parse().ok())
        .collect()
    });
    for items in FORMATS.iter() {
        let mut parsed = Parsed::new();
        if chrono::format::parse(&mut parsed, s, items.iter()).is_ok()
            && let Ok(dt) = parsed.to_naive_datetime_with_offset(0)
        {
            return Some(dt);
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// The shape SQLAlchemy's SQLite `DateTime` stores
/// (`2024-01-15 09:00:00.000000`, or without the fraction), read without
/// chrono's general parser: the one every loaded row has. Anything else
/// (another shape, an out-of-range field, a leap second) is `None`, for
/// [`parse_datetime`]'s general formats to decide.
fn parse_canonical_datetime(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    if !(b.len() == 19 || b.len() == 26 && b[19] == b'.') {
        return None;
    }
    // the digits of `range`, summed without a fold's closure per digit
    // (seven fields in each value of each loaded row)
    #[inline(always)]
    fn digits(b: &[u8], range: std::ops::Range<usize>) -> Option<u32> {
        let mut n = 0u32;
        for &c in &b[range] {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            n = n * 10 + u32::from(d);
        }
        Some(n)
    }
    let num = |range: std::ops::Range<usize>| digits(b, range);
    if b[4] != b'-' || b[7] != b'-' || b[10] != b' ' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let micro = if b.len() == 26 { num(20..26)? } else { 0 };
    // The date of the value read last, by its text: rows written on one
    // day share it, and chrono's calendar checks then run once.
    thread_local! {
        static LAST_DATE: std::cell::Cell<Option<([u8; 10], NaiveDate)>> =
            const { std::cell::Cell::new(None) };
    }
    let mut text = [0u8; 10];
    text.copy_from_slice(&b[..10]);
    let date = match LAST_DATE.with(std::cell::Cell::get) {
        Some((last, date)) if last == text => date,
        _ => {
            let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)?;
            LAST_DATE.with(|d| d.set(Some((text, date))));
            date
        }
    };
    date.and_hms_micro_opt(num(11..13)?, num(14..16)?, num(17..19)?, micro)
}

/// The comparison operators Python code applies to SQL expressions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Comparison {
    /// The operator with its operands swapped (`3 < User.id` is `User.id > 3`).
    pub fn reflected(self) -> Comparison {
        match self {
            Comparison::Lt => Comparison::Gt,
            Comparison::Gt => Comparison::Lt,
            Comparison::Le => Comparison::Ge,
            Comparison::Ge => Comparison::Le,
            other => other,
        }
    }
}

/// The name part of the stand-in table of a class-body column (see
/// [`declared_column_expr`]).
pub const DECLARED_TABLE: &str = "\u{0}declared column ";

/// A column of a class body that is not mapped yet (`id` in
/// `primaryjoin=id == follows.c.follower_id`, as SQLAlchemy's docs write
/// a self-referential many-to-many), as a SQL expression: a column of a
/// stand-in table named after the column object's identity, which the
/// class statement replaces with the mapped table's column once the
/// table exists (`interpreter::models`). `None` for other values.
pub fn declared_column_expr(v: &Value) -> Option<SqlExpr> {
    use super::schema_items::SchemaItem;
    let Value::Native(n) = v else { return None };
    let item = crate::python::object::downcast::<SchemaItem>(n)?;
    // A `mapped_column()` typed by its annotation only is still `NullType`
    // while the class body runs.
    let (column, typed) = match &*item {
        SchemaItem::Column(c, _) => (c.clone(), true),
        SchemaItem::MappedColumn(d) => (d.column.clone(), d.typed),
        _ => return None,
    };
    let ty = typed.then(|| column.sql_type.clone());
    let table = std::rc::Rc::new(crate::sql::schema::Table::new(
        format!("{DECLARED_TABLE}{}", declared_identity(v)),
        vec![column],
    ));
    Some(SqlExpr::new(Expr::column(&Selectable::Table(table), 0), ty))
}

/// The identity of a class-body column object, as [`declared_column_expr`]
/// names its stand-in table.
pub fn declared_identity(v: &Value) -> usize {
    match v {
        Value::Native(n) => std::rc::Rc::as_ptr(n) as *const () as usize,
        _ => 0,
    }
}

/// `left <op> right` with `left` a SQL expression, as `ColumnOperators`
/// builds it: `== None` becomes `IS NULL`, `== True` the literal `1`, other
/// values bound parameters typed after `left`.
pub fn compare(left: &Value, op: Comparison, right: &Value) -> PyResult<Value> {
    if let Some(a) = left.downcast::<AttrRef>()
        && let AttrKind::Relationship(rel) = &a.kind
    {
        // `Comparator.__eq__`/`__ne__`: a collection compares only to None
        if matches!(op, Comparison::Eq | Comparison::Ne)
            && !matches!(right, Value::None)
            && rel.resolve()?.uselist
        {
            return Err(invalid_request(
                "Can't compare a collection to an object or collection; use contains() to test for membership.",
            ));
        }
        return relationship_compare(&a, rel, op, right);
    }
    let l = match declared_column_expr(left) {
        Some(e) => e,
        None => coerce(left, None)?,
    };
    let sql_op = match op {
        Comparison::Eq => Operator::Eq,
        Comparison::Ne => Operator::Ne,
        Comparison::Lt => Operator::Lt,
        Comparison::Le => Operator::Le,
        Comparison::Gt => Operator::Gt,
        Comparison::Ge => Operator::Ge,
    };
    let r = match (right, op) {
        (Value::None, Comparison::Eq) => {
            return Ok(sql(
                Expr::binary(l.expr, Operator::Is, Expr::Null),
                Some(SqlType::Boolean),
            ));
        }
        (Value::None, Comparison::Ne) => {
            return Ok(sql(
                Expr::binary(l.expr, Operator::IsNot, Expr::Null),
                Some(SqlType::Boolean),
            ));
        }
        (Value::Bool(true), Comparison::Eq | Comparison::Ne) => Expr::True,
        (Value::Bool(false), Comparison::Eq | Comparison::Ne) => Expr::False,
        (other, _) => match declared_column_expr(other) {
            Some(e) => e.expr,
            None => coerce(other, l.ty.as_ref())?.expr,
        },
    };
    Ok(sql(Expr::binary(l.expr, sql_op, r), Some(SqlType::Boolean)))
}

/// `left + right` and the other arithmetic operators on SQL expressions.
/// `reflected` when the SQL expression is on the right (`1 + User.id`).
///
/// A class body's own column object (`firstname + " " + lastname` in a
/// `column_property()`) takes part through its stand-in
/// ([`declared_column_expr`]); a value bound against it is named `param`,
/// as SQLAlchemy's `Column` has no key yet when the body runs.
pub fn arithmetic(left: &Value, op: Operator, right: &Value) -> PyResult<Value> {
    let operand = |v: &Value, ty: Option<&SqlType>| match declared_column_expr(v) {
        Some(e) => Ok((e, true)),
        None => coerce(v, ty).map(|e| (e, false)),
    };
    let ((mut l, l_declared), (mut r, r_declared)) = if is_sql(left) || is_declared(left) {
        let l = operand(left, None)?;
        let r = operand(right, l.0.ty.as_ref())?;
        (l, r)
    } else {
        let r = operand(right, None)?;
        let l = operand(left, r.0.ty.as_ref())?;
        (l, r)
    };
    if r_declared {
        l.expr = unkeyed_bind(l.expr);
    }
    if l_declared {
        r.expr = unkeyed_bind(r.expr);
    }
    // The left type's `_adapt_expression`; `NullType` (an untyped class-body
    // column) defers a commutative operator to the right side's type.
    let op = match (op, &l.ty, &r.ty) {
        (Operator::Add, Some(SqlType::String(_) | SqlType::Text), _)
        | (Operator::Add, None, Some(SqlType::String(_) | SqlType::Text)) => Operator::Concat,
        (op, _, _) => op,
    };
    let ty = l.ty.clone().or(r.ty.clone());
    Ok(sql(Expr::binary(l.expr, op, r.expr), ty))
}

/// True for a class body's own `Column`/`mapped_column()` object.
pub fn is_declared(v: &Value) -> bool {
    use super::schema_items::SchemaItem;
    v.downcast::<SchemaItem>()
        .is_some_and(|s| matches!(&*s, SchemaItem::Column(..) | SchemaItem::MappedColumn(_)))
}

/// A bound value as an anonymous `:param_1` parameter.
fn unkeyed_bind(e: Expr) -> Expr {
    match e {
        Expr::Bind(value) => Expr::BindParam {
            key: "param".into(),
            value: value.value,
            unique: true,
        },
        other => other,
    }
}

/// Wraps an expression as a value.
pub fn sql(expr: Expr, ty: Option<SqlType>) -> Value {
    Value::native(SqlExpr::new(expr, ty))
}

/// `and_(...)` / `&`: every argument must be a SQL expression or a bool.
pub fn and_or(args: &[Value], or: bool) -> PyResult<Value> {
    let mut clauses = Vec::new();
    for a in args {
        clauses.push(where_clause(a)?);
    }
    if clauses.is_empty() {
        return Ok(sql(
            if or { Expr::False } else { Expr::True },
            Some(SqlType::Boolean),
        ));
    }
    Ok(sql(
        if or {
            Expr::or(clauses)
        } else {
            Expr::and(clauses)
        },
        Some(SqlType::Boolean),
    ))
}

/// A value used as a WHERE criterion: a SQL expression, or `True`/`False`.
pub fn where_clause(v: &Value) -> PyResult<Expr> {
    match v {
        Value::Bool(true) => Ok(Expr::True),
        Value::Bool(false) => Ok(Expr::False),
        v if is_sql(v) || v.downcast::<crate::sql::elements::TextClause>().is_some() => {
            Ok(coerce(v, None)?.expr)
        }
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "SQL expression for WHERE/HAVING role expected, got {}.",
                crate::python::format::repr_plain(other)
            ),
        )),
    }
}

/// `not_(x)` / `~x`.
pub fn negate(v: &Value) -> PyResult<Value> {
    let e = coerce(v, None)?;
    Ok(sql(e.expr.negate(), Some(SqlType::Boolean)))
}

/// The methods of `ColumnOperators` that take no SQL knowledge beyond the
/// expression: `like`, `in_`, `between`, `desc`, `label`, … Returns `None`
/// when `name` is not such a method.
///
/// Keyword arguments: `escape=` for the LIKE family, plus `autoescape=` for
/// `startswith` / `endswith` / `contains` (SQLAlchemy's `_escaped_like_impl`);
/// other methods' keyword arguments raise `NotImplementedError`.
pub fn column_method(
    receiver: &Value,
    name: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Option<PyResult<Value>> {
    let on_relationship = receiver
        .downcast::<AttrRef>()
        .is_some_and(|a| matches!(a.kind, AttrKind::Relationship(_)));
    if LIKE_METHODS.contains(&name) && !on_relationship {
        return Some(like_method(receiver, name, args, kwargs));
    }
    if let Some((k, _)) = kwargs.first()
        && (COLUMN_METHODS.contains(&name) || (on_relationship && matches!(name, "any" | "has")))
    {
        return Some(Err(PyErr::new(
            ExcType::NotImplementedError,
            format!("orm-tutor does not support the keyword argument '{k}' of {name}() yet"),
        )));
    }
    if let Some(a) = receiver.downcast::<AttrRef>() {
        match &a.kind {
            AttrKind::Relationship(rel) => return relationship_method(&a, rel, name, args),
            _ if name == "any" || name == "has" => {
                return Some(Err(attribute_error(format!(
                    "Neither 'AnnotatedColumn' object nor 'Comparator' object has an attribute '{name}'"
                ))));
            }
            _ => {}
        }
    }
    let left = match coerce(receiver, None) {
        Ok(l) => l,
        Err(e) => return Some(Err(e)),
    };
    let ty = left.ty.clone();
    let arity = |n: usize| -> PyResult<()> {
        if args.len() != n {
            Err(type_error(format!(
                "{name}() takes {} positional argument{} but {} were given",
                n + 1,
                if n == 0 { "" } else { "s" },
                args.len() + 1
            )))
        } else {
            Ok(())
        }
    };
    let result = (|| -> PyResult<Value> {
        Ok(match name {
            "in_" | "notin_" | "not_in" => {
                arity(1)?;
                in_method(&left.expr, ty.as_ref(), name != "in_", &args[0])?
            }
            "between" => {
                arity(2)?;
                let low = coerce(&args[0], ty.as_ref())?;
                let high = coerce(&args[1], ty.as_ref())?;
                sql(
                    Expr::Between {
                        expr: Box::new(left.expr.clone()),
                        low: Box::new(low.expr),
                        high: Box::new(high.expr),
                        negated: false,
                    },
                    Some(SqlType::Boolean),
                )
            }
            "is_" | "isnot" | "is_not" => {
                arity(1)?;
                let op = if name == "is_" {
                    Operator::Is
                } else {
                    Operator::IsNot
                };
                let r = match &args[0] {
                    Value::None => Expr::Null,
                    Value::Bool(true) => Expr::True,
                    Value::Bool(false) => Expr::False,
                    other => coerce(other, ty.as_ref())?.expr,
                };
                sql(
                    Expr::binary(left.expr.clone(), op, r),
                    Some(SqlType::Boolean),
                )
            }
            "desc" => {
                arity(0)?;
                sql(Expr::Desc(Box::new(left.expr.clone())), ty.clone())
            }
            "asc" => {
                arity(0)?;
                sql(Expr::Asc(Box::new(left.expr.clone())), ty.clone())
            }
            "distinct" => {
                arity(0)?;
                sql(Expr::Distinct(Box::new(left.expr.clone())), ty.clone())
            }
            "label" => {
                arity(1)?;
                label_method(&left.expr, ty.clone(), &args[0])?
            }
            _ => return Err(attribute_error(String::new())),
        })
    })();
    match result {
        Err(e) if e.exc == ExcType::AttributeError && e.message.is_empty() => None,
        other => Some(other),
    }
}

/// The LIKE family of `ColumnOperators`: `like` / `ilike` / `not_like` /
/// `not_ilike` (`other, escape=None`) and `startswith` / `endswith` /
/// `contains` (`other, escape=None, autoescape=False`). `escape` renders
/// `ESCAPE '<c>'` after the comparison; `autoescape=True` escapes `%`, `_`
/// and the escape character (`/` by default) in the value, as SQLAlchemy's
/// `_escaped_like_impl`.
fn like_method(
    receiver: &Value,
    name: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> PyResult<Value> {
    let pattern_method = matches!(name, "startswith" | "endswith" | "contains");
    let sig = Signature::method(
        LIKE_SIGNATURE_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map_or("ColumnOperators.like", |(_, q)| q),
        if pattern_method {
            &["other", "escape=", "autoescape="]
        } else {
            &["other", "escape="]
        },
    );
    let bound = sig.bind(args.to_vec(), kwargs.to_vec())?;
    let left = coerce(receiver, None)?;
    let ty = left.ty.clone();
    let mut other = bound.required("other")?.clone();
    let mut escape = match bound.given("escape") {
        Some(Value::Str(e)) => Some(e.to_string()),
        Some(v) => {
            return Err(PyErr::new(
                ExcType::NotImplementedError,
                format!(
                    "orm-tutor does not support a non-string escape= ({}) yet",
                    v.type_name()
                ),
            ));
        }
        None => None,
    };
    if pattern_method && bound.flag("autoescape", false) {
        let esc = escape.get_or_insert_with(|| "/".to_string()).clone();
        let Value::Str(text) = &other else {
            return Err(type_error("String value expected when autoescape=True"));
        };
        let mut text = text.to_string();
        if esc != "%" && esc != "_" {
            text = text.replace(&esc, &format!("{esc}{esc}"));
        }
        text = text
            .replace('%', &format!("{esc}%"))
            .replace('_', &format!("{esc}_"));
        other = Value::str(&text);
    }
    let v = coerce(&other, ty.as_ref())?.expr;
    let (op, right) = if pattern_method {
        let pattern = Expr::LikePattern {
            value: Box::new(v),
            leading: name != "startswith",
            trailing: name != "endswith",
        };
        (Operator::Like, pattern)
    } else {
        let op = match name {
            "like" => Operator::Like,
            "ilike" => Operator::ILike,
            "notlike" | "not_like" => Operator::NotLike,
            _ => Operator::NotILike,
        };
        (op, v)
    };
    let right = match escape {
        Some(escape) => Expr::Escape {
            pattern: Box::new(right),
            escape,
        },
        None => right,
    };
    let binary = Expr::binary(left.expr, op, right);
    let e = if pattern_method {
        Expr::Grouping(Box::new(binary))
    } else {
        binary
    };
    Ok(sql(e, Some(SqlType::Boolean)))
}

/// The LIKE methods [`like_method`] builds.
const LIKE_METHODS: &[&str] = &[
    "like",
    "ilike",
    "notlike",
    "not_like",
    "notilike",
    "not_ilike",
    "startswith",
    "endswith",
    "contains",
];

/// Each LIKE method's qualified name in `TypeError` messages.
const LIKE_SIGNATURE_NAMES: &[(&str, &str)] = &[
    ("like", "ColumnOperators.like"),
    ("ilike", "ColumnOperators.ilike"),
    ("notlike", "ColumnOperators.notlike"),
    ("not_like", "ColumnOperators.not_like"),
    ("notilike", "ColumnOperators.notilike"),
    ("not_ilike", "ColumnOperators.not_ilike"),
    ("startswith", "ColumnOperators.startswith"),
    ("endswith", "ColumnOperators.endswith"),
    ("contains", "ColumnOperators.contains"),
];

/// A column method called on a relationship (`User.messages.any()`,
/// `Message.user.desc()`): `any()`, `has()` and `contains()` build their
/// clauses; the column operators raise SQLAlchemy 2.0's errors
/// (`NotImplementedError` for an operator its relationship comparator
/// lacks, `InvalidRequestError` for `contains()` on a scalar one);
/// `None` for a name that is no column method.
fn relationship_method(
    a: &AttrRef,
    rel: &Rc<super::mapper::Relationship>,
    name: &str,
    args: &[Value],
) -> Option<PyResult<Value>> {
    let not_supported =
        |message: String| Some(Err(PyErr::new(ExcType::NotImplementedError, message)));
    match name {
        "any" | "has" => Some(exists_clause(a, rel, name, args)),
        "of_type" => Some(of_type(a, rel, args)),
        "and_" => Some(and_criteria(a, args)),
        "contains" => Some(match rel.resolve() {
            Ok(res) if !res.uselist => Err(PyErr::new(
                ExcType::InvalidRequestError,
                "'contains' not implemented for scalar attributes.  Use ==",
            )),
            Ok(_) => match args {
                [v] => relationship_compare(a, rel, Comparison::Eq, v),
                _ => Err(type_error("contains() takes exactly one object")),
            },
            Err(e) => Err(e),
        }),
        "in_" => not_supported(
            "in_() not yet supported for relationships.  For a simple many-to-one, use in_() against the set of foreign key values.".into(),
        ),
        "label" => not_supported(format!(
            "orm-tutor does not support label() on relationship {} yet",
            a.qualified_name()
        )),
        n if COLUMN_METHODS.contains(&n) => Some(Err(PyErr::new(
            ExcType::NotImplementedError,
            format!("Operator '{n}' is not supported on this expression"),
        )
        .with_hint(format!(
            "{} is a relationship; use one of its columns, or .any()/.has() to filter by it",
            a.qualified_name()
        )))),
        _ => None,
    }
}

/// `User.messages.and_(Message.id > 3, …)`: the relationship with extra
/// criteria on its target, ANDed to those it already has, as SQLAlchemy's
/// `PropComparator.and_()`.
///
/// Errors: SQLAlchemy's `ArgumentError` for an argument that is no SQL
/// expression.
fn and_criteria(a: &AttrRef, args: &[Value]) -> PyResult<Value> {
    let mut clauses: Vec<Expr> = a.criteria.iter().map(|c| (**c).clone()).collect();
    for v in args {
        clauses.push(where_clause(v)?);
    }
    let mut out = a.clone();
    out.criteria = (!clauses.is_empty()).then(|| Rc::new(Expr::and(clauses)));
    Ok(Value::native(out))
}

/// `User.messages.of_type(m1)`: the relationship with an aliased target
/// (`aliased(Message)`), for `join(User.messages.of_type(m1))`, as
/// SQLAlchemy's `PropComparator.of_type()`. `of_type(Message)` is the
/// relationship itself.
///
/// Errors: `TypeError` without exactly one argument; `ArgumentError` for a
/// class or alias that is not the relationship's target.
fn of_type(a: &AttrRef, rel: &Rc<super::mapper::Relationship>, args: &[Value]) -> PyResult<Value> {
    let [arg] = args else {
        return Err(type_error(format!(
            "of_type() takes 2 positional arguments but {} were given",
            args.len() + 1
        )));
    };
    let target = rel.resolve()?.target.clone();
    let (mapper, alias) = match arg {
        v if let Some(ac) = v.downcast::<super::util::AliasedClass>() => {
            (ac.mapper.clone(), Some(ac.alias.clone()))
        }
        v if let Some(m) = v.downcast::<super::mapper::Mapper>() => (m, None),
        other => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "of_type() takes a mapped class or an aliased() class, got {}",
                    other.type_name()
                ),
            ));
        }
    };
    if !Rc::ptr_eq(&mapper, &target) {
        return Err(PyErr::unsupported(format!(
            "of_type() with a class other than the relationship's target {}",
            target.class_name
        )));
    }
    let mut out = a.clone();
    out.of_type = alias;
    Ok(Value::native(out))
}

/// `col.in_([...])`, `col.not_in(...)`: a list, tuple or scalar subquery.
fn in_method(left: &Expr, ty: Option<&SqlType>, negated: bool, arg: &Value) -> PyResult<Value> {
    let items = match arg {
        Value::List(l) => l.items.borrow().clone(),
        Value::Tuple(t) => t.to_vec(),
        // a `range` (any sequence object read as a list)
        Value::Native(o) if let Some(Value::List(l)) = o.as_builtin() => l.items.borrow().clone(),
        v if let Some(q) = v.downcast::<super::query::Query>() => {
            let sub = q.scalar_subquery()?;
            return Ok(sql(
                Expr::In {
                    left: Box::new(left.clone()),
                    values: vec![Expr::ScalarSelect(Box::new(sub))],
                    negated,
                },
                Some(SqlType::Boolean),
            ));
        }
        other => {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "IN expression list, SELECT construct, or bound parameter object expected, got {}.",
                    crate::python::format::repr_plain(other)
                ),
            ));
        }
    };
    let mut values = Vec::new();
    for item in &items {
        values.push(coerce(item, ty)?.expr);
    }
    Ok(sql(
        Expr::In {
            left: Box::new(left.clone()),
            values,
            negated,
        },
        Some(SqlType::Boolean),
    ))
}

/// `col.label("name")` (`None`: an anonymous label).
fn label_method(left: &Expr, ty: Option<SqlType>, arg: &Value) -> PyResult<Value> {
    let label = match arg {
        Value::Str(s) => s.to_string(),
        Value::None => {
            // `Label.__init__`: the anonymous name's body is the element's
            // `.name` (`count_1`, `id_1`), else `anon`.
            let base = match left {
                Expr::Function { name, .. } => crate::sql::compiler::function_name(name),
                Expr::Column(c) => crate::sql::compiler::column_key(c),
                Expr::Label {
                    name: Name::Fixed(n),
                    ..
                } => n.clone(),
                _ => "anon".to_string(),
            };
            return Ok(sql(
                Expr::Label {
                    name: Name::Anon(base),
                    expr: Box::new(left.clone()),
                },
                ty.clone(),
            ));
        }
        other => {
            return Err(type_error(format!(
                "label() argument must be a str, not {}",
                other.type_name()
            )));
        }
    };
    Ok(Value::native(SqlExpr {
        expr: Expr::Label {
            name: Name::Fixed(label.clone()),
            expr: Box::new(left.clone()),
        },
        ty: ty.clone(),
        key: Some(label),
        id: fresh_expr_id(),
    }))
}

/// Names of the column methods above, for completion.
pub const COLUMN_METHODS: &[&str] = &[
    "asc",
    "between",
    "contains",
    "desc",
    "endswith",
    "startswith",
    "distinct",
    "ilike",
    "in_",
    "is_",
    "is_not",
    "isnot",
    "label",
    "like",
    "not_ilike",
    "not_in",
    "not_like",
    "notilike",
    "notin_",
    "notlike",
];

/// `Message.user == some_user` (and `!=`, `== None`), or
/// `User.messages.contains(m)`: the relationship's lazy clause with the
/// object's key bound (`? = messages.user_id`), as SQLAlchemy's comparator
/// builds it.
fn relationship_compare(
    attr: &AttrRef,
    rel: &std::rc::Rc<super::mapper::Relationship>,
    op: Comparison,
    right: &Value,
) -> PyResult<Value> {
    use super::mapper::Direction;
    let res = rel.resolve()?;
    let parent = Selectable::Table(attr.mapper.table.clone());
    if !matches!(op, Comparison::Eq | Comparison::Ne) {
        return Err(type_error(format!(
            "'<' and friends are not supported on relationship {}",
            attr.qualified_name()
        )));
    }
    if res.direction == Direction::ManyToMany {
        return many_to_many_compare(attr, rel, &res, op, right);
    }
    if res.extra.is_some() {
        return extra_criteria_compare(attr, rel, &res, op, right);
    }
    match (res.direction, right) {
        (Direction::ManyToOne, Value::None) => {
            let clauses = res
                .pairs
                .iter()
                .map(|(fk, _)| {
                    Expr::binary(
                        Expr::column(&parent, *fk),
                        if op == Comparison::Eq {
                            Operator::Is
                        } else {
                            Operator::IsNot
                        },
                        Expr::Null,
                    )
                })
                .collect();
            Ok(sql(Expr::and(clauses), Some(SqlType::Boolean)))
        }
        (Direction::ManyToOne, v)
            if op == Comparison::Eq
                && let Some(o) = &super::state::as_instance(v) =>
        {
            // an anonymous `param_1`, as the comparator's
            // `bindparam(None, …, callable_=…)` (not named after the
            // column), read when the statement runs
            let pairs = res.pairs.iter().copied();
            let clauses = object_pair_binds(attr, &res, o, pairs, Some("param"))?
                .into_iter()
                .map(|(column, bind)| Expr::binary(bind, Operator::Eq, column))
                .collect();
            Ok(sql(Expr::and(clauses), Some(SqlType::Boolean)))
        }
        (Direction::ManyToOne, v)
            if op == Comparison::Ne
                && let Some(o) = &super::state::as_instance(v) =>
        {
            // `__negated_contains_or_equals` with `_use_get`: per column
            // pair `posts.author_id != :author_id_1 OR posts.author_id IS
            // NULL`, the bind named after the local column and read when
            // the statement runs.
            let mut target_cols: Vec<usize> = res.pairs.iter().map(|(_, t)| *t).collect();
            target_cols.sort_unstable();
            if target_cols != res.target.primary_key() {
                return Err(PyErr::unsupported(format!(
                    "{} != an object where the relationship's columns are not the target's primary key",
                    attr.qualified_name()
                )));
            }
            let pairs = res.pairs.iter().copied();
            let clauses = object_pair_binds(attr, &res, o, pairs, None)?
                .into_iter()
                .map(|(column, bind)| {
                    Expr::or(vec![
                        Expr::binary(column.clone(), Operator::Ne, bind),
                        Expr::binary(column, Operator::Is, Expr::Null),
                    ])
                })
                .collect();
            Ok(sql(Expr::and(clauses), Some(SqlType::Boolean)))
        }
        (Direction::OneToMany, v)
            if op == Comparison::Eq
                && let Some(o) = &super::state::as_instance(v) =>
        {
            // User.messages.contains(m): users.id = ? with m's foreign key.
            let pairs = res.pairs.iter().copied();
            let clauses = object_pair_binds(attr, &res, o, pairs, Some("param"))?
                .into_iter()
                .map(|(column, bind)| Expr::binary(column, Operator::Eq, bind))
                .collect();
            Ok(sql(Expr::and(clauses), Some(SqlType::Boolean)))
        }
        _ => Err(PyErr::new(
            ExcType::NotImplementedError,
            format!(
                "orm-tutor compares {} only with == to an object or None; use .any()/.has() or compare its columns",
                attr.qualified_name()
            ),
        )),
    }
}

/// The per-pair set-up of a relationship compared with the object `o`:
/// for each (parent column, target column) of `pairs`, the parent table's
/// column and a bind of `o`'s value of the target column (read when the
/// statement runs, typed as the parent's column; `name` as for
/// [`object_attribute_bind`]).
fn object_pair_binds(
    attr: &AttrRef,
    res: &super::mapper::Resolved,
    o: &super::state::Obj,
    pairs: impl Iterator<Item = (usize, usize)>,
    name: Option<&'static str>,
) -> PyResult<Vec<(Expr, Expr)>> {
    let parent = Selectable::Table(attr.mapper.table.clone());
    pairs
        .map(|(local, remote)| {
            let key = res.target.column_key(remote).unwrap_or("");
            let ty = attr.mapper.table.columns.get(local).map(|c| &c.sql_type);
            let bind =
                object_attribute_bind(o, key, column_name(&res.target.table, remote), ty, name)?;
            Ok((Expr::column(&parent, local), bind))
        })
        .collect()
}

/// `e` with each value compared with a table column bound under the
/// column's name (`:name_1`), as SQLAlchemy names it when the comparison
/// is made, whatever replaces the column afterwards (a relationship's
/// primaryjoin whose columns become the object's values or an alias's).
pub fn name_binds(e: &Expr) -> Expr {
    let named = |col: &Expr, v: &Expr| match (col, v) {
        (Expr::Column(c), Expr::Bind(value)) => match &c.from {
            Selectable::Table(t) => t.columns.get(c.index).map(|col| Expr::BindParam {
                key: col.name.clone(),
                value: value.value.clone(),
                unique: true,
            }),
            _ => None,
        },
        _ => None,
    };
    match e {
        Expr::BoolList { op, clauses } => Expr::BoolList {
            op: *op,
            clauses: clauses.iter().map(name_binds).collect(),
        },
        Expr::Grouping(inner) => Expr::Grouping(Box::new(name_binds(inner))),
        Expr::Binary { left, op, right } => Expr::Binary {
            left: Box::new(named(right, left).unwrap_or_else(|| (**left).clone())),
            op: *op,
            right: Box::new(named(left, right).unwrap_or_else(|| (**right).clone())),
        },
        other => other.clone(),
    }
}

/// [`relationship_compare`] on a relationship whose `primaryjoin=` has
/// criteria besides its foreign keys, as SQLAlchemy 2.0's comparator builds
/// it from the whole primaryjoin: `== obj` and `contains(obj)` are the
/// primaryjoin with the target's columns bound to the object's values
/// (`:param_1 = addresses.person_id AND :param_2 LIKE :name_1`,
/// `_optimized_compare`); a many-to-one `== None` turns each comparison
/// with a target column into `other IS NULL` (`_lazy_none_clause`), `!=
/// None` negates it; a many-to-one `!= obj` is `NOT (EXISTS (… AND
/// people.id = :id_1))`; a collection `== None` is `NOT (EXISTS …)`, `!=
/// None` `EXISTS …`.
///
/// Errors: `InvalidRequestError` comparing a collection to an object with
/// `!=`, as SQLAlchemy's; `NotImplementedError` for a self-referential
/// relationship without `remote()` marks or `remote_side=`, and for a
/// many-to-many one; what reading the object's attributes raises.
fn extra_criteria_compare(
    attr: &AttrRef,
    rel: &std::rc::Rc<super::mapper::Relationship>,
    res: &super::mapper::Resolved,
    op: Comparison,
    right: &Value,
) -> PyResult<Value> {
    use super::mapper::Direction;
    let target_table = res.target.table.clone();
    // A self-referential primaryjoin's target columns are those marked
    // `remote()`; elsewhere those of the target's table.
    let self_referential = std::rc::Rc::ptr_eq(&attr.mapper.table, &target_table);
    let join = match (&res.remote_join, &*rel.primaryjoin.borrow()) {
        (Some(marked), _) => Some(marked.clone()),
        (None, Some(Ok(e))) if !self_referential => Some(e.clone()),
        _ => None,
    };
    let Some(join) = join.filter(|_| res.secondary.is_none()) else {
        return Err(PyErr::unsupported(
            "a comparison such as == or contains() on a self-referential relationship without remote() marks, or a many-to-many one, whose primaryjoin= has criteria besides its foreign keys",
        ));
    };
    let remote_marked = res.remote_join.is_some();
    let join = name_binds(&join);
    let is_target = |e: &Expr| matches!(e, Expr::Column(c) if matches!(&c.from, Selectable::Table(t) if std::rc::Rc::ptr_eq(t, &target_table)) && (!remote_marked || c.annotations.remote));
    let negated = |e: Expr| sql(Expr::Not(Box::new(e)), Some(SqlType::Boolean));
    match (right, res.direction) {
        (Value::None, Direction::ManyToOne) => {
            fn to_null(e: &Expr, is_target: &dyn Fn(&Expr) -> bool) -> Expr {
                match e {
                    Expr::BoolList { op, clauses } => Expr::BoolList {
                        op: *op,
                        clauses: clauses.iter().map(|c| to_null(c, is_target)).collect(),
                    },
                    Expr::Binary { left, right, .. } if is_target(left) => {
                        Expr::binary((**right).clone(), Operator::Is, Expr::Null)
                    }
                    Expr::Binary { left, right, .. } if is_target(right) => {
                        Expr::binary((**left).clone(), Operator::Is, Expr::Null)
                    }
                    other => other.clone(),
                }
            }
            let clause = to_null(&join, &is_target);
            Ok(match op {
                Comparison::Eq => sql(clause, Some(SqlType::Boolean)),
                _ => negated(clause),
            })
        }
        (Value::None, _) => {
            let exists = exists_clause(attr, rel, "any", &[])?;
            match op {
                Comparison::Eq => Ok(negated(where_clause(&exists)?)),
                _ => Ok(exists),
            }
        }
        (v, direction) if let Some(o) = &super::state::as_instance(v) => {
            if op == Comparison::Ne && res.uselist {
                return Err(invalid_request(
                    "Can't compare a collection to an object or collection; use contains() to test for membership.",
                ));
            }
            if op == Comparison::Ne && direction == Direction::ManyToOne {
                let target = Selectable::Table(target_table.clone());
                let mut clauses = Vec::new();
                for i in res.target.primary_key() {
                    let key = res.target.column_key(i).unwrap_or("").to_string();
                    let v = super::attributes::get_attribute(o, &key)?;
                    let ty = target_table.columns.get(i).map(|c| c.sql_type.clone());
                    clauses.push(Expr::binary(
                        Expr::column(&target, i),
                        Operator::Eq,
                        Expr::Bind(bind_value(&v, ty.as_ref())?.into()),
                    ));
                }
                let criterion = sql(Expr::and(clauses), Some(SqlType::Boolean));
                let exists = exists_clause(attr, rel, "has", &[criterion])?;
                return Ok(negated(where_clause(&exists)?));
            }
            let failed = std::cell::RefCell::new(None);
            let bound = join.map_columns(&|c| {
                let Selectable::Table(t) = &c.from else {
                    return None;
                };
                if !std::rc::Rc::ptr_eq(t, &target_table)
                    || (remote_marked && !c.annotations.remote)
                {
                    return None;
                }
                let key = res.target.column_key(c.index).unwrap_or("").to_string();
                let ty = t.columns.get(c.index).map(|col| col.sql_type.clone());
                let value = object_attribute_bind(
                    o,
                    &key,
                    column_name(t, c.index),
                    ty.as_ref(),
                    Some("param"),
                );
                match value {
                    Ok(value) => Some(value),
                    Err(e) => {
                        failed.borrow_mut().get_or_insert(e);
                        None
                    }
                }
            });
            match failed.into_inner() {
                Some(e) => Err(e),
                None => Ok(sql(bound, Some(SqlType::Boolean))),
            }
        }
        _ => Err(PyErr::new(
            ExcType::NotImplementedError,
            format!(
                "orm-tutor compares {} only with == to an object or None; use .any()/.has() or compare its columns",
                attr.qualified_name()
            ),
        )),
    }
}

/// [`relationship_compare`] on a many-to-many relationship, as SQLAlchemy
/// 2.0's comparator builds it: `== None` is `NOT (EXISTS (SELECT 1 FROM
/// target, secondary WHERE primaryjoin AND secondaryjoin))`, `!= None` the
/// `EXISTS`; `contains(obj)` is the primaryjoin AND the secondaryjoin
/// against an anonymous alias of the secondary table, each target column
/// equated with a secondary column bound to the object's value
/// (`posts.id = links_1.post_id AND posts.title != :title_1 AND :param_1 =
/// links_1.tag_id`; the lazy clause of `_optimized_compare`); the
/// secondaryjoin's other target columns stay columns.
///
/// Errors: `InvalidRequestError` for `!=` an object, as SQLAlchemy's;
/// what reading the object's attributes raises.
fn many_to_many_compare(
    attr: &AttrRef,
    rel: &std::rc::Rc<super::mapper::Relationship>,
    res: &super::mapper::Resolved,
    op: Comparison,
    right: &Value,
) -> PyResult<Value> {
    let negated = |e: Expr| sql(Expr::Not(Box::new(e)), Some(SqlType::Boolean));
    if let Value::None = right {
        let exists = exists_clause(attr, rel, "any", &[])?;
        return match op {
            Comparison::Eq => Ok(negated(where_clause(&exists)?)),
            _ => Ok(exists),
        };
    }
    let Some(o) = super::state::as_instance(right) else {
        return Err(PyErr::new(
            ExcType::NotImplementedError,
            format!(
                "orm-tutor compares {} only with contains() of an object or == None; use .any() or compare its columns",
                attr.qualified_name()
            ),
        ));
    };
    if op == Comparison::Ne {
        return Err(invalid_request(
            "Can't compare a collection to an object or collection; use contains() to test for membership.",
        ));
    }
    let Some((sec_table, _)) = &res.secondary else {
        return Err(PyErr::unsupported("contains() of this relationship"));
    };
    let parent = Selectable::Table(attr.mapper.table.clone());
    let target_table = res.target.table.clone();
    let target = Selectable::Table(target_table.clone());
    let sec = Selectable::Alias(super::util::table_alias(sec_table, None));
    let Some((primary, secondary)) =
        res.secondary_clauses(&|c| Expr::column(&parent, c), &sec, &target)
    else {
        return Err(PyErr::unsupported("contains() of this relationship"));
    };
    let target_index = |e: &Expr| match e {
        Expr::Column(c) if matches!(&c.from, Selectable::Table(t) if std::rc::Rc::ptr_eq(t, &target_table)) => {
            Some(c.index)
        }
        _ => None,
    };
    let is_sec = |e: &Expr| matches!(e, Expr::Column(c) if c.from == sec);
    let bind = |index: usize| -> PyResult<Expr> {
        let key = res.target.column_key(index).unwrap_or("").to_string();
        let ty = target_table.columns.get(index).map(|c| c.sql_type.clone());
        object_attribute_bind(
            &o,
            &key,
            column_name(&target_table, index),
            ty.as_ref(),
            Some("param"),
        )
    };
    // the target's columns equated with the secondary's take the object's values
    fn bind_equated(
        e: &Expr,
        target_index: &dyn Fn(&Expr) -> Option<usize>,
        is_sec: &dyn Fn(&Expr) -> bool,
        bind: &dyn Fn(usize) -> PyResult<Expr>,
    ) -> PyResult<Expr> {
        Ok(match e {
            Expr::BoolList { op, clauses } => Expr::BoolList {
                op: *op,
                clauses: clauses
                    .iter()
                    .map(|c| bind_equated(c, target_index, is_sec, bind))
                    .collect::<PyResult<_>>()?,
            },
            Expr::Binary {
                left,
                op: Operator::Eq,
                right,
            } if is_sec(right)
                && let Some(i) = target_index(left) =>
            {
                Expr::binary(bind(i)?, Operator::Eq, (**right).clone())
            }
            Expr::Binary {
                left,
                op: Operator::Eq,
                right,
            } if is_sec(left)
                && let Some(i) = target_index(right) =>
            {
                Expr::binary((**left).clone(), Operator::Eq, bind(i)?)
            }
            other => other.clone(),
        })
    }
    let secondary = bind_equated(&secondary, &target_index, &is_sec, &bind)?;
    Ok(sql(
        Expr::and(vec![primary, secondary]),
        Some(SqlType::Boolean),
    ))
}

/// `User.messages.any(cond)` / `Message.user.has(cond)`: `EXISTS (SELECT 1
/// FROM target WHERE join AND cond)`, correlated to the enclosing query.
fn exists_clause(
    attr: &AttrRef,
    rel: &std::rc::Rc<super::mapper::Relationship>,
    name: &str,
    args: &[Value],
) -> PyResult<Value> {
    use super::mapper::Direction;
    let res = rel.resolve()?;
    if name == "any" && !res.uselist {
        return Err(invalid_request(
            "'any()' not implemented for scalar attributes. Use has().",
        ));
    }
    if name == "has" && res.uselist {
        return Err(invalid_request(
            "'has()' not implemented for collections. Use any().",
        ));
    }
    let parent = Selectable::Table(attr.mapper.table.clone());
    // A self-referential many-to-many aliases the target and the
    // secondary table (`FROM accounts AS accounts_1, follows AS
    // follows_1`), the criteria adapted to the target's alias, as
    // SQLAlchemy's comparator does.
    // A self-referential one aliases the target too (`_create_joins`).
    let self_ref = std::rc::Rc::ptr_eq(&attr.mapper.table, &res.target.table);
    let target = if self_ref {
        Selectable::Alias(super::util::table_alias(&res.target.table, None))
    } else {
        Selectable::Table(res.target.table.clone())
    };
    let sec_from = res.secondary.as_ref().map(|(sec, _)| {
        if self_ref {
            Selectable::Alias(super::util::table_alias(sec, None))
        } else {
            Selectable::Table(sec.clone())
        }
    });
    let mut where_ = Vec::new();
    match (&sec_from, res.direction) {
        // A primaryjoin with `remote()` marks, as written: its remote
        // columns on the target's alias (its other criteria follow below).
        (None, _) if res.remote_join.is_some() => {
            for (a, b) in res.remote_pairs() {
                let side = |(i, remote): (usize, bool)| {
                    Expr::column(if remote { &target } else { &parent }, i)
                };
                where_.push(Expr::binary(side(a), Operator::Eq, side(b)));
            }
        }
        (Some(sec_sel), _) => {
            let sec_sel = sec_sel.clone();
            if let Some((p, s)) =
                res.secondary_clauses(&|c| Expr::column(&parent, c), &sec_sel, &target)
            {
                where_.push(p);
                where_.push(s);
            }
        }
        (None, Direction::ManyToOne) => {
            for (fk, t) in &res.pairs {
                where_.push(Expr::binary(
                    Expr::column(&target, *t),
                    Operator::Eq,
                    Expr::column(&parent, *fk),
                ));
            }
        }
        (None, _) => {
            for (p, t) in &res.pairs {
                where_.push(Expr::binary(
                    Expr::column(&parent, *p),
                    Operator::Eq,
                    Expr::column(&target, *t),
                ));
            }
        }
    }
    // A `primaryjoin=`'s other criteria, before the given ones.
    where_.extend(res.extra_clause(
        &attr.mapper.table,
        &|c| Ok(Expr::column(&parent, c)),
        &|c| Ok(Expr::column(&target, c)),
    )?);
    for a in args {
        let crit = where_clause(a)?;
        where_.push(if self_ref {
            let table = res.target.table.clone();
            crit.map_columns(&|c| match &c.from {
                Selectable::Table(t) if std::rc::Rc::ptr_eq(t, &table) => {
                    Some(Expr::column(&target, c.index))
                }
                _ => None,
            })
        } else {
            crit
        });
    }
    let mut select = crate::sql::elements::Select::new(
        vec![Expr::One],
        crate::sql::elements::LabelStyle::DisambiguateOnly,
    );
    select.where_ = vec![Expr::and(where_)];
    // `_criterion_exists`: `exists(1).where(crit).select_from(dest,
    // secondary)`, so a many-to-many lists `FROM groups, user_groups`.
    use crate::sql::elements::FromClause;
    select.froms.push(FromClause::Selectable(target.clone()));
    if let Some(sec) = sec_from {
        select.froms.push(FromClause::Selectable(sec));
    }
    Ok(sql(Expr::Exists(Box::new(select)), Some(SqlType::Boolean)))
}

/// The `callable_` of a relationship comparison's bound parameter: the
/// object's attribute `key` read when the statement runs, as SQLAlchemy
/// 2.0's `RelationshipProperty._get_attr_w_warn_on_none` — so a
/// statement built against an expired object refreshes it just before it
/// runs, one built against a pending object binds the key its autoflush
/// gave it, and a rerun binds the current value.
pub struct ObjectAttributeBind {
    obj: super::state::Obj,
    key: String,
    /// The column, as SQLAlchemy names it in its messages (`users.id`).
    column: String,
    ty: Option<SqlType>,
    /// The value last read (`InstanceState._last_known_values`): what a
    /// detached object whose value was expired binds.
    last_known: std::cell::RefCell<Option<Value>>,
}

impl ObjectAttributeBind {
    /// The value to bind now: a persistent object's attribute, refreshed if
    /// expired; another's as it holds it, else the last value read.
    ///
    /// Errors: `InvalidRequestError` for a value never set or expired on a
    /// detached object with no value read before, as SQLAlchemy's; the
    /// refresh's errors. Warns (`SAWarning`) for `None`, as SQLAlchemy.
    fn evaluate(&self) -> PyResult<SqlValue> {
        use super::state::ObjectState;
        let state = self.obj.borrow().state();
        let current = match state {
            ObjectState::Persistent | ObjectState::Deleted => {
                Some(super::attributes::get_attribute(&self.obj, &self.key)?)
            }
            _ => self.obj.borrow().dict.get(&self.key).cloned(),
        };
        let value = match current {
            Some(v) => {
                *self.last_known.borrow_mut() = Some(v.clone());
                v
            }
            None => match self.last_known.borrow().clone() {
                Some(v) => v,
                None => {
                    let why = if state == ObjectState::Detached {
                        "the object is detached and the value was expired"
                    } else {
                        "no value has been set for this column"
                    };
                    return Err(invalid_request(format!(
                        "Can't resolve value for column {} on object {}; {why}",
                        self.column,
                        super::state::state_str(&self.obj)
                    )));
                }
            },
        };
        if matches!(value, Value::None) {
            crate::python::warnings::warn(
                "SAWarning",
                format!(
                    "Got None for value of column {}; this is unsupported for a relationship comparison and will not currently produce an IS comparison (but may in a future release)",
                    self.column
                ),
            );
        }
        bind_value(&value, self.ty.as_ref())
    }
}

/// A bound parameter holding `obj`'s attribute `key` (of the column named
/// `column`), read when the statement runs ([`ObjectAttributeBind`]); its
/// value until then is what the object holds now, without loading. `key`
/// names it (`Some("param")`: `:param_1`), else the other side's column.
///
/// Errors: `ArgumentError` for a value that cannot be bound.
pub fn object_attribute_bind(
    obj: &super::state::Obj,
    key: &str,
    column: String,
    ty: Option<&SqlType>,
    name: Option<&'static str>,
) -> PyResult<Expr> {
    let held = obj.borrow().dict.get(key).cloned();
    let value = match &held {
        Some(v) => bind_value(v, ty)?,
        None => SqlValue::Null,
    };
    let mut bind = crate::sql::elements::BindValue::new(value);
    bind.key = name;
    bind.callable_ = Some(crate::sql::elements::BindCallable(Rc::new(
        ObjectAttributeBind {
            obj: obj.clone(),
            key: key.to_string(),
            column,
            ty: ty.cloned(),
            last_known: std::cell::RefCell::new(held),
        },
    )));
    Ok(Expr::Bind(bind))
}

/// The values of `compiled`'s parameters made by
/// [`object_attribute_bind`], read now, as SQLAlchemy's
/// `construct_params()` calls each `BindParameter.callable`.
///
/// Errors: `StatementError` wrapping a value's `InvalidRequestError`, as
/// SQLAlchemy's; the refresh's errors.
pub fn resolve_bind_callables(compiled: &mut crate::sql::compiler::Compiled) -> PyResult<()> {
    for i in 0..compiled.params.len() {
        let Some(callable) = compiled.params[i].callable_.clone() else {
            continue;
        };
        let Some(bind) = callable.0.downcast_ref::<ObjectAttributeBind>() else {
            continue;
        };
        compiled.params[i].value = bind.evaluate().map_err(|e| {
            if e.exc != ExcType::InvalidRequestError {
                return e;
            }
            PyErr::new(
                ExcType::StatementError,
                format!(
                    "(sqlalchemy.exc.InvalidRequestError) {}\n[SQL: {}]",
                    e.message, compiled.sql
                ),
            )
        })?;
    }
    Ok(())
}

/// `table.column`, as SQLAlchemy's `str()` of a table's column.
pub fn column_name(table: &crate::sql::schema::TableRef, index: usize) -> String {
    match table.columns.get(index) {
        Some(c) => format!("{}.{}", table.name, c.name),
        None => table.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::python::format::repr_plain;

    /// The storage text written digit by digit is chrono's
    /// `%Y-%m-%d %H:%M:%S%.6f` (microseconds truncated), and years or leap
    /// seconds outside the fast path still format as chrono does.
    #[test]
    fn datetime_storage_is_sqlalchemy_s_text() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        for (y, m, d, h, mi, s, n) in [
            (2024, 1, 15, 9, 0, 0, 0),
            (1, 12, 31, 23, 59, 59, 999_999_999),
            (9999, 2, 3, 4, 5, 6, 7_000),
            (2026, 12, 6, 15, 57, 59, 309_498_123),
            (2016, 12, 31, 23, 59, 59, 1_500_000_000),
            (12345, 1, 1, 0, 0, 0, 0),
        ] {
            let Some(dt) = date(y, m, d).and_hms_nano_opt(h, mi, s, n) else {
                panic!("{y}-{m}-{d} {h}:{mi}:{s}.{n}");
            };
            assert_eq!(
                datetime_storage(&dt),
                dt.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
            );
        }
        let dt = date(2024, 1, 15)
            .and_hms_micro_opt(9, 0, 0, 120)
            .unwrap_or_default();
        assert_eq!(datetime_storage(&dt), "2024-01-15 09:00:00.000120");
    }

    fn dec(s: &str) -> SqlValue {
        SqlValue::Numeric(s.parse().unwrap_or_default())
    }

    // Expected reprs are SQLAlchemy 2.0's on the same values.
    #[test]
    fn numeric_columns_read_back_as_sqlalchemy_gives_them() {
        let scaled = |v: SqlValue, s: Option<u32>| {
            repr_plain(&result_value(&v, Some(&SqlType::Numeric(None, s))))
        };
        // SQLite: the float formatted to the scale, 10 digits without one
        assert_eq!(scaled(SqlValue::Real(1.5), Some(2)), "Decimal('1.50')");
        assert_eq!(scaled(SqlValue::Real(1.1), None), "Decimal('1.1000000000')");
        assert_eq!(scaled(SqlValue::Integer(3), Some(3)), "Decimal('3.000')");
        // PostgreSQL: psycopg2's Decimal as the server wrote it
        assert_eq!(
            scaled(dec("2.0000000000000000"), None),
            "Decimal('2.0000000000000000')"
        );
        assert_eq!(
            repr_plain(&result_value(&dec("1.75"), None)),
            "Decimal('1.75')"
        );
        assert_eq!(
            repr_plain(&result_value(&dec("1.75"), Some(&SqlType::Float))),
            "1.75"
        );
    }

    #[test]
    fn postgresql_typed_values_read_back_as_psycopg2_gives_them() {
        assert_eq!(
            repr_plain(&result_value(&SqlValue::Bool(true), None)),
            "True"
        );
        let dt = parse_datetime("2024-01-15 09:00:00").unwrap_or_default();
        assert_eq!(
            repr_plain(&result_value(&SqlValue::Timestamp(dt), None)),
            "datetime.datetime(2024, 1, 15, 9, 0)"
        );
    }

    #[test]
    fn a_decimal_binds_as_numeric_and_reaches_pysqlite_as_a_float() {
        let v = bind_value(&Value::Decimal("1.50".parse().unwrap_or_default()), None);
        assert!(matches!(&v, Ok(SqlValue::Numeric(_))));
        let Ok(v) = v else { return };
        assert_eq!(*v.pysqlite(), SqlValue::Real(1.5));
    }

    /// The fast path reads the canonical shape as chrono's formats do, and
    /// leaves every other text to them.
    #[test]
    fn canonical_datetimes_parse_as_the_general_formats() {
        let general = |s: &str| {
            let mut p = Parsed::new();
            let items: Vec<Item> = StrftimeItems::new("%Y-%m-%d %H:%M:%S%.f").collect();
            chrono::format::parse(&mut p, s, items.iter())
                .ok()
                .and_then(|_| p.to_naive_datetime_with_offset(0).ok())
        };
        for s in [
            "2024-01-15 09:00:00.000000",
            "2024-01-15 09:00:00",
            "1999-12-31 23:59:59.999999",
            "2024-02-29 12:30:45.123456",
            "0001-01-01 00:00:00.000001",
        ] {
            assert_eq!(parse_canonical_datetime(s), general(s), "{s}");
            assert!(parse_canonical_datetime(s).is_some(), "{s}");
        }
        for s in [
            "2023-02-29 12:30:45.123456",
            "2024-01-15 24:00:00",
            "2024-01-15 09:00:60",
            "2024-01-15T09:00:00",
            "2024-01-15 09:00:00.123",
            "2024-1-15 09:00:00.000000",
            "2024-01-15 09:00",
            "+024-01-15 09:00:00",
            "2024-01-15 09:00:00.00000x",
        ] {
            assert_eq!(parse_canonical_datetime(s), None, "{s}");
        }
        assert_eq!(
            parse_datetime("2024-01-15T09:00:00"),
            parse_datetime("2024-01-15 09:00:00")
        );
        assert!(parse_datetime("2024-01-15 09:00:00.123").is_some());
        // Values of one day in a row (the date read once), then a bad time
        // on that day, then another day.
        for s in [
            "2024-03-10 01:00:00.000000",
            "2024-03-10 23:59:59.999999",
            "2024-03-10 07:08:09",
            "2024-03-11 00:00:00",
        ] {
            assert_eq!(parse_canonical_datetime(s), general(s), "{s}");
        }
        assert_eq!(parse_canonical_datetime("2024-03-11 25:00:00"), None);
        assert_eq!(parse_canonical_datetime("2024-03-1x 01:00:00"), None);
    }
}
