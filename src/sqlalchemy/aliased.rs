//! `aliased()` and `Table.alias()`: the Python faces of SQLAlchemy 2.0's
//! `AliasedClass` (`aliased(User, name="u2")`, whose attributes `u2.name`
//! render as `u2.name`) and of a Core `Alias` (`user_groups.alias("ugt")`,
//! `aliased(user_groups)`, with its column collection `.c`).

use std::rc::Rc;

use crate::interpreter::methods::class_attr;
use crate::orm::expression::SqlExpr;
use crate::orm::mapper::AttrRef;
use crate::orm::util::{AliasedClass, table_alias};
use crate::python::exceptions::{attribute_error, did_you_mean};
use crate::python::format::address_of;
use crate::python::{ExcType, PyErr, PyObject, PyResult, Signature, Value};
use crate::sql::elements::{Alias, Expr, Name, Selectable};

use super::objects::{as_class, as_table};

/// A Core table alias (`user_groups.alias("ugt")`, `aliased(user_groups)`),
/// SQLAlchemy's `Alias`: selected from and joined to like its table, its
/// columns under `.c`.
#[derive(Debug)]
pub struct TableAlias(pub Rc<Alias>);

/// `alias.c`: the alias's columns by name (`ReadOnlyColumnCollection`).
#[derive(Debug)]
pub struct AliasColumns(pub Rc<Alias>);

impl PyObject for AliasedClass {
    fn type_name(&self) -> String {
        "AliasedClass".into()
    }
    /// `<AliasedClass at 0x7f…; User>`, as SQLAlchemy's `AliasedClass.__repr__`.
    fn repr(&self) -> String {
        format!(
            "<AliasedClass at {}; {}>",
            address_of(self as *const Self),
            self.mapper.class_name
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for TableAlias {
    fn type_name(&self) -> String {
        "Alias".into()
    }
    /// `<sqlalchemy.sql.selectable.Alias at 0x7f…; ugt>` (a named alias;
    /// `Anonymous alias of t` for an anonymous one, as SQLAlchemy 2.0's
    /// `FromClauseAlias.description`).
    fn repr(&self) -> String {
        let name = match &self.0.name {
            Name::Fixed(n) => n.clone(),
            // `FromClauseAlias.description`
            Name::Anon(_) => format!("Anonymous alias of {}", self.0.table.name),
        };
        format!(
            "<sqlalchemy.sql.selectable.Alias at {}; {name}>",
            address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PyObject for AliasColumns {
    fn type_name(&self) -> String {
        "ReadOnlyColumnCollection".into()
    }
    fn repr(&self) -> String {
        let keys: Vec<String> = self
            .0
            .table
            .columns
            .iter()
            .map(|c| format!("'{}'", c.name))
            .collect();
        format!(
            "<sqlalchemy.sql.base.ReadOnlyColumnCollection object>[{}]",
            keys.join(", ")
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `aliased(element, alias=None, name=None, flat=False, adapt_on_names=False)`,
/// as SQLAlchemy 2.0
/// `sqlalchemy.orm.aliased`: a mapped class (or an alias of one) gives an
/// [`AliasedClass`], a `Table` a [`TableAlias`].
///
/// Errors: `NoInspectionAvailable` for anything else, as SQLAlchemy's;
/// `NotImplementedError` for an `alias=` it cannot model and for
/// `adapt_on_names=True`.
pub fn aliased(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    const SIGNATURE: Signature = Signature {
        name: "aliased",
        params: &["element", "alias=", "name=", "flat=", "adapt_on_names="],
        is_method: false,
        style: crate::python::signature::ArgStyle::Python,
    };
    let b = SIGNATURE.bind(args, kwargs)?;
    let adapt_on_names = b.given("adapt_on_names").is_some_and(Value::truthy);
    let name = match b.given("name") {
        None | Some(Value::None) => None,
        Some(Value::Str(s)) => Some(s.to_string()),
        Some(other) => {
            return Err(PyErr::new(
                ExcType::TypeError,
                format!("aliased() name must be a string, got {}", other.type_name()),
            ));
        }
    };
    let alias = b.given("alias").filter(|v| !matches!(v, Value::None));
    match b.required("element")? {
        v if let Some(m) = as_class(v)
            && let Some(sel) = alias =>
        {
            Ok(Value::native(AliasedClass {
                alias: entity_selectable(&m, sel, adapt_on_names)?,
                mapper: m,
                name: name.map(Rc::from),
            }))
        }
        v if let Some(m) = as_class(v) => Ok(Value::native(AliasedClass::new(m, name))),
        v if let Some(a) = v.downcast::<AliasedClass>() => {
            Ok(Value::native(AliasedClass::new(a.mapper.clone(), name)))
        }
        v if let Some(t) = as_table(v) => Ok(Value::native(TableAlias(table_alias(&t, name)))),
        other => Err(PyErr::new(
            ExcType::NoInspectionAvailable,
            format!(
                "No inspection system is available for object of type <class '{}'>",
                other.type_name()
            ),
        )),
    }
}

/// The selectable of `aliased(User, alias)`: a subquery of `select(User)`
/// (its columns the table's, in order), an alias of the class's table, or
/// a view ([`Subquery::adapts`]) of a subquery with other columns: each
/// table column matched to the subquery column that selects it (as
/// SQLAlchemy's `corresponding_column`), or with `adapt_on_names=True` to
/// the one of its name.
///
/// Errors: `NotImplementedError` for other selectables (a subquery with
/// none of the table's columns, a text or a compound of other shapes).
fn entity_selectable(
    m: &crate::orm::mapper::Mapper,
    sel: &Value,
    adapt_on_names: bool,
) -> PyResult<Selectable> {
    let names: Vec<Option<String>> = m
        .table
        .columns
        .iter()
        .map(|c| Some(c.name.clone()))
        .collect();
    if let Some(sq) = sel.downcast::<super::subquery::SubqueryObj>()
        && sq.keys == names
    {
        return Ok(sq.selectable());
    }
    if let Some(sq) = sel.downcast::<super::subquery::SubqueryObj>()
        && sq.subquery.adapts.is_none()
        && sq.subquery.table_function.is_none()
        && sq.subquery.select.compound.is_none()
    {
        let map = adapted_columns(m, &sq, adapt_on_names);
        if map.iter().any(Option::is_some) {
            return Ok(Selectable::Subquery(Rc::new(
                crate::sql::elements::Subquery::adapted(&sq.subquery, map),
            )));
        }
    }
    if let Some(t) = sel.downcast::<TableAlias>()
        && Rc::ptr_eq(&t.0.table, &m.table)
    {
        return Ok(Selectable::Alias(t.0.clone()));
    }
    Err(PyErr::unsupported(format!(
        "aliased({}, <{}>) of a selectable without {}'s columns",
        m.class_name,
        sel.type_name(),
        m.class_name
    )))
}

/// Per table column of `m`, the column of `sq` that stands for it: with
/// `adapt_on_names` the one keyed by the column's name, else the one that
/// selects the table column itself (through a label).
fn adapted_columns(
    m: &crate::orm::mapper::Mapper,
    sq: &super::subquery::SubqueryObj,
    adapt_on_names: bool,
) -> Vec<Option<usize>> {
    let table = &m.table;
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if adapt_on_names {
                return sq.keys.iter().position(|k| k.as_deref() == Some(&c.name));
            }
            sq.subquery.select.columns.iter().position(|e| {
                let mut e = e;
                while let Expr::Label { expr, .. } = e {
                    e = expr;
                }
                matches!(e, Expr::Column(r) if r.index == i
                    && matches!(&r.from, Selectable::Table(t) if Rc::ptr_eq(t, table)))
            })
        })
        .collect()
}

/// `table.alias(name=None)`, as SQLAlchemy's `FromClause.alias()`.
pub fn table_alias_value(t: &crate::sql::schema::TableRef, name: Option<String>) -> Value {
    Value::native(TableAlias(table_alias(t, name)))
}

/// `obj.name` for the objects of this module: an aliased class's mapped
/// attributes (`u2.name`, `u2.messages`), a table alias's `.c` and `.name`,
/// and `alias.c.<column>`. `None` when `obj` is none of them.
pub fn get_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    if let Some(a) = obj.downcast::<AliasedClass>() {
        return Some(aliased_class_attr(&a, name));
    }
    if let Some(t) = obj.downcast::<TableAlias>() {
        return Some(match name {
            "c" | "columns" => Ok(Value::native(AliasColumns(t.0.clone()))),
            "name" => Ok(match &t.0.name {
                Name::Fixed(n) => Value::str(n),
                Name::Anon(base) => {
                    Value::str(&format!("%({} {base})s", Rc::as_ptr(&t.0) as usize))
                }
            }),
            _ => Err(attribute_error(format!(
                "'Alias' object has no attribute '{name}'"
            ))),
        });
    }
    if let Some(c) = obj.downcast::<AliasColumns>() {
        return Some(alias_column(&c.0, name));
    }
    if let Some(b) = obj.downcast::<crate::orm::util::Bundle>() {
        return Some(match name {
            "c" | "columns" => Ok(Value::native(BundleColumns(b))),
            "name" => Ok(Value::str(&b.name)),
            "single_entity" => Ok(Value::Bool(b.single_entity)),
            _ => Err(attribute_error(format!(
                "'Bundle' object has no attribute '{name}'"
            ))),
        });
    }
    if let Some(c) = obj.downcast::<BundleColumns>() {
        return Some(match name {
            "keys" => Ok(Value::Method(Rc::new(crate::python::value::Method {
                receiver: obj.clone(),
                name: name.to_string(),
            }))),
            _ => c.column(name),
        });
    }
    if name == "of_type"
        && let Some(a) = obj.downcast::<AttrRef>()
        && matches!(a.kind, crate::orm::mapper::AttrKind::Relationship(_))
    {
        return Some(Ok(Value::Method(Rc::new(crate::python::value::Method {
            receiver: obj.clone(),
            name: name.to_string(),
        }))));
    }
    None
}

/// What `select(...)` selects for an alias: an `aliased()` class as one
/// entity over its alias, a table alias as its columns. `None` for other
/// values.
pub fn entities(v: &Value) -> Option<Vec<crate::orm::query::Entity>> {
    use crate::orm::query::Entity;
    if let Some(a) = v.downcast::<AliasedClass>() {
        return Some(vec![Entity::Mapper(
            a.mapper.clone(),
            Some(a.alias.clone()),
            a.name.clone(),
        )]);
    }
    let t = v.downcast::<TableAlias>()?;
    let from = Selectable::Alias(t.0.clone());
    Some(
        t.0.table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                Entity::Column(SqlExpr {
                    expr: Expr::column(&from, i),
                    ty: Some(c.sql_type.clone()),
                    key: Some(c.name.clone()),
                    id: crate::orm::expression::fresh_expr_id(),
                })
            })
            .collect(),
    )
}

/// `u2.<name>`: the class's attribute read through the alias.
fn aliased_class_attr(a: &AliasedClass, name: &str) -> PyResult<Value> {
    let v = class_attr(&a.mapper, name)?;
    match v.downcast::<AttrRef>() {
        Some(attr) => {
            let mut attr = (*attr).clone();
            attr.alias = Some(a.alias.clone());
            Ok(Value::native(attr))
        }
        None if name == "__name__" => Ok(Value::str(&format!("aliased({})", a.mapper.class_name))),
        None => Ok(v),
    }
}

/// `alias.c.<name>`: the column of the alias as a SQL expression.
///
/// Errors: `AttributeError` for a name that is not a column.
pub fn alias_column(a: &Rc<Alias>, name: &str) -> PyResult<Value> {
    match a.table.column_index(name) {
        Some(i) => Ok(Value::native(SqlExpr {
            expr: Expr::column(&Selectable::Alias(a.clone()), i),
            ty: Some(a.table.columns[i].sql_type.clone()),
            key: Some(name.to_string()),
            id: crate::orm::expression::fresh_expr_id(),
        })),
        None => {
            let names: Vec<&str> = a.table.columns.iter().map(|c| c.name.as_str()).collect();
            let err = attribute_error(name.to_string());
            Err(match did_you_mean(name, names.iter().copied()) {
                Some(h) => err.with_hint(format!("did you mean '{h}'?")),
                None => err,
            })
        }
    }
}

/// `v` as an alias to select from or join to: the alias (a table alias,
/// or the subquery of `aliased(User, subq)`) and, for an `aliased()`
/// class, its mapper.
pub fn as_alias(v: &Value) -> Option<(Selectable, Option<Rc<crate::orm::mapper::Mapper>>)> {
    if let Some(a) = v.downcast::<AliasedClass>() {
        return Some((a.alias.clone(), Some(a.mapper.clone())));
    }
    v.downcast::<TableAlias>()
        .map(|t| (Selectable::Alias(t.0.clone()), None))
}

/// `Bundle.c` / `Bundle.columns`, as SQLAlchemy 2.0's
/// `ReadOnlyColumnCollection` of the bundle's expressions: `b.c.name` is
/// the column, `b.c.keys()` their keys.
#[derive(Debug)]
pub struct BundleColumns(pub Rc<crate::orm::util::Bundle>);

impl PyObject for BundleColumns {
    fn type_name(&self) -> String {
        "ReadOnlyColumnCollection".into()
    }
    fn repr(&self) -> String {
        let keys: Vec<String> = self.0.keys().iter().map(|k| format!("'{k}'")).collect();
        format!(
            "<sqlalchemy.sql.base.ReadOnlyColumnCollection object>[{}]",
            keys.join(", ")
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl BundleColumns {
    /// `b.c.<key>`: the bundle's column of that key.
    ///
    /// Errors: `AttributeError` for a key the bundle lacks.
    pub fn column(&self, key: &str) -> PyResult<Value> {
        let keys = self.0.keys();
        match keys.iter().position(|k| k == key) {
            Some(i) => Ok(Value::native(self.0.exprs[i].clone())),
            None => Err(attribute_error(key.to_string())),
        }
    }

    /// `b.c.keys()`.
    pub fn keys_value(&self) -> Value {
        Value::list(self.0.keys().iter().map(|k| Value::str(k)).collect())
    }
}

impl PyObject for crate::orm::util::Bundle {
    fn type_name(&self) -> String {
        "Bundle".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.util.Bundle object at {}>",
            address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `Bundle(name, *exprs, single_entity=False)`, as SQLAlchemy 2.0's
/// `sqlalchemy.orm.Bundle`: each expression a column expression (a mapped
/// column, a labelled or Core expression).
///
/// Errors: Python's `TypeError` for arguments that do not fit; SQLAlchemy's
/// `ArgumentError` for an expression that is not a column expression.
pub fn bundle(args: Vec<Value>, kwargs: crate::python::vm::Kwargs) -> PyResult<Value> {
    let b =
        Signature::function("Bundle", &["name", "*exprs", "single_entity="]).bind(args, kwargs)?;
    let name = match b.required("name")? {
        Value::Str(s) => s.to_string(),
        other => {
            return Err(crate::python::exceptions::type_error(format!(
                "Bundle() name must be a string, not {}",
                other.type_name()
            )));
        }
    };
    let mut exprs = Vec::with_capacity(b.varargs.len());
    for e in &b.varargs {
        if !crate::orm::expression::is_sql(e) {
            return Err(PyErr::new(
                crate::python::ExcType::ArgumentError,
                format!(
                    "Column expression, FROM clause, or other columns clause element expected, got {}.",
                    crate::python::format::repr_plain(e)
                ),
            ));
        }
        exprs.push(crate::orm::expression::coerce(e, None)?);
    }
    Ok(Value::native(crate::orm::util::Bundle {
        name,
        exprs,
        single_entity: b.flag("single_entity", false),
    }))
}
