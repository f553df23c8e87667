//! Core `Join` objects: `join(users, messages)` / `outerjoin(...)` from
//! `sqlalchemy` (SQLAlchemy 2.0's `sql.join()`), the ORM's
//! `sqlalchemy.orm.join()` / `outerjoin()`, and `Table.join()` /
//! `Join.join()` chains. A [`JoinObj`] keeps its two sides and its ON
//! clause, worked out from the foreign keys when not given, as
//! `Join._join_condition` does; `select(...).select_from(j)` takes it as
//! its base FROM entry and one `join()` per step ([`JoinObj::flatten`]).

use std::rc::Rc;

use crate::interpreter::Interpreter;
use crate::orm::expression::SqlExpr;
use crate::orm::mapper::{AttrKind, Mapper};
use crate::python::signature::Signature;
use crate::python::vm::Kwargs;
use crate::python::{Bound, ExcType, PyErr, PyObject, PyResult, Value};
use crate::sql::elements::{Expr, FromClause, Join, Name, Operator, Selectable};
use crate::sql::schema::{SqlType, TableRef};

use super::method::{self, Method};

/// Which `join()` was called: `sqlalchemy.join` (Core: a side that is no
/// FROM clause is an `ArgumentError`) or `sqlalchemy.orm.join` (which
/// inspects each side: `NoInspectionAvailable`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Core,
    Orm,
}

/// One side of a join: a FROM object (table, alias, subquery) with the
/// mapper of an ORM entity, or another join.
#[derive(Debug, Clone)]
pub enum Side {
    From(Selectable, Option<Rc<Mapper>>),
    Join(Rc<JoinObj>),
}

/// `left JOIN right ON onclause`, as SQLAlchemy 2.0's `Join`.
#[derive(Debug)]
pub struct JoinObj {
    pub left: Side,
    pub right: Side,
    /// The ON clause, given or derived from the foreign keys.
    pub on: Expr,
    /// The `onclause` value as given, for `j.onclause`.
    pub onclause: Option<Value>,
    pub isouter: bool,
    pub full: bool,
    /// What `j.left` / `j.right` read: the values given, an ORM entity as
    /// its table (SQLAlchemy keeps the entity's selectable).
    pub values: (Value, Value),
}

/// The leftmost FROM object of a flattened join, with its entity's mapper.
pub type Base = (Selectable, Option<Rc<Mapper>>);

/// One step of a flattened join: `JOIN right ON on`.
#[derive(Debug, Clone)]
pub struct JoinStep {
    pub right: Selectable,
    pub mapper: Option<Rc<Mapper>>,
    pub on: Expr,
    pub isouter: bool,
    pub full: bool,
}

impl PyObject for JoinObj {
    fn type_name(&self) -> String {
        "Join".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.sql.selectable.Join at {}; {}>",
            crate::python::format::address_of(self as *const Self),
            self.description()
        )
    }
    fn str(&self) -> String {
        crate::sql::compiler::str_from_clause(&self.to_from_clause())
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl Side {
    /// The SQL FROM clause of this side.
    fn to_from_clause(&self) -> FromClause {
        match self {
            Side::From(s, _) => FromClause::Selectable(s.clone()),
            Side::Join(j) => j.to_from_clause(),
        }
    }

    /// Every FROM object inside, left to right.
    fn selectables(&self, out: &mut Vec<Selectable>) {
        match self {
            Side::From(s, _) => out.push(s.clone()),
            Side::Join(j) => {
                j.left.selectables(out);
                j.right.selectables(out);
            }
        }
    }

    /// The description of a join's right side: a join there is grouped
    /// (`Join.self_group()`), a `FromGrouping` with no name of its own.
    fn grouped_description(&self) -> String {
        match self {
            Side::Join(_) => "FromGrouping object".to_string(),
            Side::From(..) => self.description(),
        }
    }

    /// SQLAlchemy's `FromClause.description`, as its errors name a side.
    fn description(&self) -> String {
        match self {
            Side::From(s, _) => selectable_description(s),
            Side::Join(j) => j.description(),
        }
    }
}

fn selectable_description(s: &Selectable) -> String {
    match s {
        Selectable::Table(t) => t.name.clone(),
        Selectable::Alias(a) => match &a.name {
            Name::Fixed(n) => n.clone(),
            Name::Anon(_) => format!("Anonymous alias of {}", a.table.name),
        },
        Selectable::Subquery(sq) => match &sq.name {
            Name::Fixed(n) => n.clone(),
            Name::Anon(n) => format!("{n}_1"),
        },
    }
}

impl JoinObj {
    /// The join as a SQL FROM clause.
    pub fn to_from_clause(&self) -> FromClause {
        FromClause::Join(Rc::new(Join {
            left: self.left.to_from_clause(),
            right: self.right.to_from_clause(),
            on: self.on.clone(),
            outer: self.isouter,
            full: self.full,
        }))
    }

    /// `Join.description`: `Join object on users(…) and messages(…)`.
    fn description(&self) -> String {
        format!(
            "Join object on {}({}) and {}({})",
            self.left.description(),
            side_id(&self.left),
            self.right.description(),
            side_id(&self.right)
        )
    }

    /// Every FROM object the join joins, left to right.
    pub fn froms(&self) -> Vec<Selectable> {
        let mut out = Vec::new();
        self.left.selectables(&mut out);
        self.right.selectables(&mut out);
        out
    }

    /// The join as its leftmost FROM object and one step per `JOIN`, left
    /// to right (`a JOIN b ON … JOIN c ON …`).
    ///
    /// Errors: `NotImplementedError` for a join whose right side is itself
    /// a join (`a JOIN (b JOIN c)`).
    pub fn flatten(&self) -> PyResult<(Base, Vec<JoinStep>)> {
        let (base, mut steps) = match &self.left {
            Side::From(s, m) => ((s.clone(), m.clone()), Vec::new()),
            Side::Join(j) => j.flatten()?,
        };
        let Side::From(right, mapper) = &self.right else {
            return Err(PyErr::unsupported(
                "select_from() of a join whose right side is a join",
            ));
        };
        steps.push(JoinStep {
            right: right.clone(),
            mapper: mapper.clone(),
            on: self.on.clone(),
            isouter: self.isouter,
            full: self.full,
        });
        Ok((base, steps))
    }
}

/// A number standing for an object's identity in a `description`.
fn side_id(s: &Side) -> usize {
    match s {
        Side::From(sel, _) => crate::sql::compiler::selectable_identity(sel),
        Side::Join(j) => Rc::as_ptr(j) as usize,
    }
}

/// The side `v` of a join.
///
/// Errors: Core: `ArgumentError` "FROM expression, such as a Table or
/// alias() object expected, got …" (a string: "Textual SQL expression
/// 'x' should be explicitly declared as text('x')"); ORM:
/// `NoInspectionAvailable`.
fn side(v: &Value, flavour: Flavour) -> PyResult<Side> {
    match v {
        v if let Some(j) = v.downcast::<JoinObj>() => Ok(Side::Join(j)),
        v if let Some(m) = super::objects::as_class(v) => {
            Ok(Side::From(Selectable::Table(m.table.clone()), Some(m)))
        }
        v if let Some(t) = super::objects::as_table(v) => {
            Ok(Side::From(Selectable::Table(t), None))
        }
        v if let Some((sel, m)) = super::aliased::as_alias(v) => Ok(Side::From(sel, m)),
        v if let Some(sq) = v.downcast::<super::subquery::SubqueryObj>() => {
            Ok(Side::From(sq.selectable(), None))
        }
        v if flavour == Flavour::Core && super::query::as_query(v).is_some() => Err(
            PyErr::unsupported("join() to a select() without .subquery()"),
        ),
        other if flavour == Flavour::Orm => Err(PyErr::new(
            ExcType::NoInspectionAvailable,
            format!(
                "No inspection system is available for object of type <class '{}'>",
                other.type_name()
            ),
        )),
        Value::Str(s) => Err(PyErr::new(
            ExcType::ArgumentError,
            format!("Textual SQL expression '{s}' should be explicitly declared as text('{s}')"),
        )),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "FROM expression, such as a Table or alias() object expected, got {}.",
                crate::python::format::repr_plain(other)
            ),
        )),
    }
}

/// A column of a FROM object: the object and the column's position.
type ColRef = (Selectable, usize);

/// The table column a FROM object's column `i` stands for.
fn column_origin(s: &Selectable, i: usize) -> Option<(TableRef, usize)> {
    match s {
        Selectable::Table(t) => Some((t.clone(), i)),
        Selectable::Alias(a) => Some((a.table.clone(), i)),
        Selectable::Subquery(sq) => match sq.select.columns.get(i)? {
            Expr::Column(c) => column_origin(&c.from, c.index),
            _ => None,
        },
    }
}

fn column_count(s: &Selectable) -> usize {
    match s {
        Selectable::Table(t) => t.columns.len(),
        Selectable::Alias(a) => a.table.columns.len(),
        Selectable::Subquery(sq) => sq.select.columns.len(),
    }
}

/// The foreign keys of a side's columns, in column order: (the column,
/// the referenced table and column names).
fn foreign_keys(side: &[Selectable]) -> Vec<(ColRef, String, String)> {
    let mut out = Vec::new();
    for s in side {
        for i in 0..column_count(s) {
            if let Some((t, c)) = column_origin(s, i)
                && let Some(fk) = &t.columns[c].foreign_key
            {
                out.push(((s.clone(), i), fk.table.clone(), fk.column.clone()));
            }
        }
    }
    out
}

/// `ForeignKey.get_referent(side)`: the side's column standing for
/// `table.column`.
fn referent(side: &[Selectable], table: &str, column: &str) -> Option<ColRef> {
    for s in side {
        for i in 0..column_count(s) {
            if let Some((t, c)) = column_origin(s, i)
                && t.name == table
                && t.columns[c].name == column
            {
                return Some((s.clone(), i));
            }
        }
    }
    None
}

/// The (referenced, foreign key) column pairs linking `a` and `b`, as
/// SQLAlchemy's `_joincond_scan_left_right`: `a_subset` (the right side of
/// a left join) first, then all of `a`. Each foreign key is a constraint of
/// its own.
fn scan_left_right(
    a: &[Selectable],
    a_subset: Option<&[Selectable]>,
    b: &[Selectable],
) -> Vec<(ColRef, ColRef)> {
    let mut constraints = Vec::new();
    for left in a_subset.into_iter().chain(Some(a)) {
        for (parent, table, column) in foreign_keys(b) {
            if let Some(col) = referent(left, &table, &column) {
                constraints.push((col, parent));
            }
        }
        let same = left.len() == 1 && b.len() == 1 && left[0].same(&b[0]);
        if !same {
            for (parent, table, column) in foreign_keys(left) {
                if let Some(col) = referent(b, &table, &column) {
                    constraints.push((col, parent));
                }
            }
        }
        if !constraints.is_empty() {
            break;
        }
    }
    constraints
}

/// The ON clause SQLAlchemy's `Join._join_condition` derives from the
/// foreign keys between `left` and `right`.
///
/// Errors: `NoForeignKeysError` when none links them,
/// `AmbiguousForeignKeysError` when more than one does.
fn join_condition(left: &Side, right: &Side) -> PyResult<Expr> {
    let mut a = Vec::new();
    left.selectables(&mut a);
    let mut b = Vec::new();
    right.selectables(&mut b);
    let subset = match left {
        Side::Join(j) => {
            let mut s = Vec::new();
            j.right.selectables(&mut s);
            Some(s)
        }
        Side::From(..) => None,
    };
    let mut constraints = scan_left_right(&a, subset.as_deref(), &b);
    // Several constraints that all say the same are one.
    constraints.dedup_by(|x, y| {
        x.0.0.same(&y.0.0) && x.0.1 == y.0.1 && x.1.0.same(&y.1.0) && x.1.1 == y.1.1
    });
    match constraints.as_slice() {
        [] => Err(PyErr::new(
            ExcType::NoForeignKeysError,
            format!(
                "Can't find any foreign key relationships between '{}' and '{}'.",
                left.description(),
                right.grouped_description()
            ),
        )),
        [((ls, li), (rs, ri))] => Ok(Expr::binary(
            Expr::column(ls, *li),
            Operator::Eq,
            Expr::column(rs, *ri),
        )),
        _ => Err(PyErr::new(
            ExcType::AmbiguousForeignKeysError,
            format!(
                "Can't determine join between '{}' and '{}'; tables have more than one foreign key constraint relationship between them. Please specify the 'onclause' of this join explicitly.",
                left.description(),
                right.grouped_description()
            ),
        )),
    }
}

/// The ON clause given as `onclause`: a SQL expression, or (for the ORM's
/// `join()`) a relationship from `left` to `right`.
fn on_clause(v: &Value, right: &Side, flavour: Flavour) -> PyResult<On> {
    if let Some(a) = v.downcast::<crate::orm::mapper::AttrRef>()
        && let AttrKind::Relationship(rel) = &a.kind
    {
        if flavour == Flavour::Core {
            return Err(crate::python::exceptions::attribute_error(format!(
                "Neither 'InstrumentedAttribute' object nor 'Comparator' object associated with {} has an attribute 'self_group'",
                a.qualified_name()
            )));
        }
        let res = rel.resolve()?;
        let Side::From(target, _) = right else {
            return Err(PyErr::unsupported(
                "sqlalchemy.orm.join() along a relationship to a join",
            ));
        };
        let parent = a.parent_selectable();
        if let Some((sec, _)) = &res.secondary {
            // `users JOIN user_groups AS user_groups_1 ON … JOIN groups ON …`
            let sec_sel = Selectable::Alias(Rc::new(crate::sql::elements::Alias {
                table: sec.clone(),
                name: Name::Anon(sec.name.clone()),
            }));
            let (on1, on2) = res
                .secondary_clauses(&|c| Expr::column(&parent, c), &sec_sel, target)
                .ok_or_else(|| {
                    PyErr::unsupported("sqlalchemy.orm.join() along this relationship")
                })?;
            return Ok(On::Secondary(sec_sel, on1, on2));
        }
        let on = crate::orm::query::relationship_join_condition(&res, &parent, target);
        return Ok(On::Expr(
            match res.extra_clause(&a.mapper.table, &|c| Ok(Expr::column(&parent, c)), &|c| {
                Ok(Expr::column(target, c))
            })? {
                Some(extra) => Expr::and(vec![on, extra]),
                None => on,
            },
        ));
    }
    match v {
        Value::Str(_) | Value::Int(_) | Value::Float(_) => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "ON clause, typically a SQL expression or ORM relationship attribute expected, got {}.",
                crate::python::format::repr_plain(v)
            ),
        )),
        v => crate::orm::expression::where_clause(v).map(On::Expr),
    }
}

/// An ON clause given: an expression, or a many-to-many relationship's
/// two (through its secondary table's alias).
enum On {
    Expr(Expr),
    Secondary(Selectable, Expr, Expr),
}

/// `left JOIN right [ON onclause]`: the join value.
///
/// Errors: those of [`side`], [`on_clause`] and [`join_condition`].
pub fn make_join(
    left: &Value,
    right: &Value,
    onclause: Option<&Value>,
    isouter: bool,
    full: bool,
    flavour: Flavour,
) -> PyResult<Value> {
    let values = (side_value(left), side_value(right));
    let left = side(left, flavour)?;
    let right = side(right, flavour)?;
    let on = match onclause {
        Some(v) => on_clause(v, &right, flavour)?,
        None => On::Expr(join_condition(&left, &right)?),
    };
    let on = match on {
        On::Expr(on) => on,
        On::Secondary(sec, on1, on2) => {
            let inner = JoinObj {
                values: (values.0.clone(), sec_value(&sec)),
                left,
                right: Side::From(sec, None),
                on: on1,
                onclause: None,
                isouter,
                full,
            };
            let inner = Rc::new(inner);
            return Ok(Value::native(JoinObj {
                values: (Value::Native(inner.clone()), values.1),
                left: Side::Join(inner),
                right,
                on: on2,
                onclause: onclause.cloned(),
                isouter,
                full,
            }));
        }
    };
    Ok(Value::native(JoinObj {
        left,
        right,
        on,
        onclause: onclause.cloned(),
        isouter,
        full,
        values,
    }))
}

/// The value of a secondary table's alias.
fn sec_value(sec: &Selectable) -> Value {
    match sec {
        Selectable::Alias(a) => Value::native(super::aliased::TableAlias(a.clone())),
        Selectable::Table(t) => Value::Native(t.clone()),
        Selectable::Subquery(_) => Value::None,
    }
}

/// What `j.left` / `j.right` gives back for the side given as `v`.
fn side_value(v: &Value) -> Value {
    match v {
        v if let Some(m) = super::objects::as_class(v) => Value::Native(m.table.clone()),
        v if let Some((Selectable::Alias(a), Some(_))) = super::aliased::as_alias(v) => {
            Value::native(super::aliased::TableAlias(a))
        }
        v => v.clone(),
    }
}

/// The names this module serves through [`join_call`].
pub const JOIN_NAMES: &[&str] = &["join", "outerjoin", "orm.join", "orm.outerjoin"];

/// `join(left, right, onclause=None, isouter=False, full=False)` /
/// `outerjoin(left, right, onclause=None, full=False)`, `sqlalchemy`'s
/// (`name` `join`) or `sqlalchemy.orm`'s (`orm.join`).
///
/// Errors: Python's `TypeError` for arguments that do not fit; those of
/// [`make_join`].
pub fn join_call(name: &str, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let (flavour, base) = match name.strip_prefix("orm.") {
        Some(b) => (Flavour::Orm, b),
        None => (Flavour::Core, name),
    };
    let outer = base == "outerjoin";
    let params: &[&str] = if outer {
        &["left", "right", "onclause=", "full="]
    } else {
        &["left", "right", "onclause=", "isouter=", "full="]
    };
    let fname = if outer { "outerjoin" } else { "join" };
    let b = Signature::function(fname, params).bind(args, kwargs)?;
    make_join(
        b.required("left")?,
        b.required("right")?,
        b.given("onclause"),
        outer || b.flag("isouter", false),
        b.flag("full", false),
        flavour,
    )
}

/// `from.join(right, onclause=None, isouter=False, full=False)` /
/// `from.outerjoin(right, onclause=None, full=False)` on a table or join
/// (`FromClause.join()`).
pub fn from_join(left: &Value, b: &Bound, outer: bool) -> PyResult<Value> {
    make_join(
        left,
        b.required("right")?,
        b.given("onclause"),
        outer || b.flag("isouter", false),
        b.flag("full", false),
        Flavour::Core,
    )
}

/// `FromClause.join()`'s parameters after `self`.
pub const JOIN_PARAMS: &[&str] = &["right", "onclause=", "isouter=", "full="];
/// `FromClause.outerjoin()`'s parameters after `self`.
pub const OUTERJOIN_PARAMS: &[&str] = &["right", "onclause=", "full="];

/// `Join`'s methods, as SQLAlchemy 2.0's.
pub static JOIN: &[Method<Rc<JoinObj>>] = &[
    Method {
        name: "join",
        params: JOIN_PARAMS,
        call: |_, j, b| from_join(&Value::Native(j.clone()), &b, false),
    },
    Method {
        name: "outerjoin",
        params: OUTERJOIN_PARAMS,
        call: |_, j, b| from_join(&Value::Native(j.clone()), &b, true),
    },
];

/// The public attributes of SQLAlchemy 2.0's `Join` the tutor lacks (from
/// `dir(sqlalchemy.sql.selectable.Join)`).
const UNSUPPORTED: &[&str] = &[
    "alias",
    "allows_lambda",
    "c",
    "columns",
    "compare",
    "compile",
    "corresponding_column",
    "description",
    "entity_namespace",
    "exported_columns",
    "foreign_keys",
    "get_children",
    "inherit_cache",
    "is_clause_element",
    "is_derived_from",
    "is_dml",
    "is_selectable",
    "lateral",
    "memoized_attribute",
    "memoized_instancemethod",
    "named_with_column",
    "params",
    "primary_key",
    "replace_selectable",
    "schema",
    "select",
    "selectable",
    "self_group",
    "stringify_dialect",
    "supports_execution",
    "tablesample",
    "unique_params",
    "uses_inspection",
];

/// The attributes `j.<name>` reads.
const ATTRS: &[&str] = &["left", "right", "onclause", "isouter", "full"];

/// `j.<name>`: `left`, `right`, `onclause`, `isouter`, `full`; a method
/// of [`JOIN`] is `method()` (the bound method).
///
/// Errors: `NotImplementedError` for SQLAlchemy's other `Join` attributes,
/// `AttributeError` for names it has not.
pub fn get_attr(j: &Rc<JoinObj>, name: &str, method: impl FnOnce() -> Value) -> PyResult<Value> {
    match name {
        "left" => Ok(j.values.0.clone()),
        "right" => Ok(j.values.1.clone()),
        "isouter" => Ok(Value::Bool(j.isouter)),
        "full" => Ok(Value::Bool(j.full)),
        "onclause" => Ok(match &j.onclause {
            Some(v) if v.downcast::<SqlExpr>().is_some() => v.clone(),
            _ => Value::native(SqlExpr::new(j.on.clone(), Some(SqlType::Boolean))),
        }),
        n if method::has(JOIN, n) => Ok(method()),
        n if UNSUPPORTED.contains(&n) => Err(PyErr::unsupported(format!("Join.{n}"))),
        n => {
            let err = crate::python::exceptions::attribute_error(format!(
                "'Join' object has no attribute '{n}'"
            ));
            let names = ATTRS.iter().chain(["join", "outerjoin"].iter()).copied();
            Err(match crate::python::exceptions::did_you_mean(n, names) {
                Some(h) => err.with_hint(format!("did you mean '{h}'?")),
                None => err,
            })
        }
    }
}

/// `j.name(*args, **kwargs)` for a method of [`JOIN`].
///
/// Errors: `None` when `name` is no method of [`JOIN`].
pub fn call_method(
    interp: &mut Interpreter,
    j: &Rc<JoinObj>,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> Option<PyResult<Value>> {
    method::dispatch(JOIN, "FromClause", interp, j, name, args, kwargs)
}
