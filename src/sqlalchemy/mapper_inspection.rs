//! What `inspect(User)` and `User.name.property` lead to, as SQLAlchemy
//! 2.0's `sqlalchemy.orm`: the class's `Mapper` (`.relationships`,
//! `.column_attrs`, `.attrs`: `ReadOnlyProperties` keyed by attribute),
//! each attribute's `MapperProperty` (`ColumnProperty`, or the
//! `_RelationshipDeclared` a declarative `relationship()` is, with its
//! `.mapper`, `.direction`, `.uselist`, `.target`) and the
//! `RelationshipDirection` it points in.

use std::rc::Rc;

use crate::orm::expression::{SqlExpr, fresh_expr_id};
use crate::orm::mapper::{AttrKind, AttrRef, Direction, Mapper};
use crate::python::exceptions::attribute_error;
use crate::python::format::address_of;
use crate::python::{PyErr, PyObject, PyResult, Value};
use crate::sql::elements::{Expr, Selectable};

/// `inspect(User)`: the class's `Mapper`.
#[derive(Debug)]
pub struct MapperView(pub Rc<Mapper>);

/// `User.name.property` / `User.messages.property`: the attribute's
/// `ColumnProperty` or `_RelationshipDeclared`, read through the
/// attribute on its class.
#[derive(Debug)]
pub struct PropertyView(pub AttrRef);

/// Which of a mapper's properties a [`Properties`] lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// `Mapper.attrs`: every property.
    All,
    /// `Mapper.relationships`
    Relationships,
    /// `Mapper.column_attrs`
    ColumnAttrs,
}

/// `inspect(User).attrs` / `.relationships` / `.column_attrs`: SQLAlchemy's
/// `ReadOnlyProperties`, ordered and keyed by attribute name.
#[derive(Debug)]
pub struct Properties(pub Rc<Mapper>, pub Which);

/// `RelationshipDirection.ONETOMANY` and its two siblings.
#[derive(Debug)]
pub struct DirectionObj(pub Direction);

/// The public names of SQLAlchemy's `Mapper` the tutor does not model.
const MAPPER_REAL: &[&str] = &[
    "add_properties",
    "add_property",
    "all_orm_descriptors",
    "allow_partial_pks",
    "always_refresh",
    "base_mapper",
    "batch",
    "cascade_iterator",
    "class_manager",
    "column_prefix",
    "common_parent",
    "composites",
    "concrete",
    "configured",
    "confirm_deleted_rows",
    "dispatch",
    "eager_defaults",
    "entity_namespace",
    "exclude_properties",
    "get_property_by_column",
    "identity_key_from_instance",
    "identity_key_from_primary_key",
    "identity_key_from_row",
    "include_properties",
    "inherit_condition",
    "inherit_foreign_keys",
    "inherits",
    "is_sibling",
    "isa",
    "iterate_properties",
    "iterate_to_root",
    "polymorphic_identity",
    "polymorphic_map",
    "polymorphic_on",
    "primary_key_from_instance",
    "registry",
    "selectable",
    "self_and_descendants",
    "synonyms",
    "validators",
    "version_id_col",
    "with_polymorphic",
];

/// The public names of SQLAlchemy's `RelationshipProperty` the tutor does
/// not model.
const RELATIONSHIP_REAL: &[&str] = &[
    "active_history",
    "argument",
    "backref",
    "cascade",
    "collection_class",
    "comparator_factory",
    "distinct_target_key",
    "doc",
    "info",
    "innerjoin",
    "join_depth",
    "load_on_pending",
    "local_columns",
    "local_remote_pairs",
    "order_by",
    "passive_deletes",
    "passive_updates",
    "post_update",
    "primaryjoin",
    "query_class",
    "remote_side",
    "secondary_synchronize_pairs",
    "secondaryjoin",
    "single_parent",
    "strategy",
    "synchronize_pairs",
];

/// The public names of SQLAlchemy's `ColumnProperty` the tutor does not
/// model.
const COLUMN_PROPERTY_REAL: &[&str] = &[
    "active_history",
    "cascade",
    "columns_to_assign",
    "comparator_factory",
    "deferred",
    "doc",
    "expire_on_flush",
    "group",
    "info",
    "raiseload",
    "strategy",
];

thread_local! {
    /// The `Mapper` objects alive, by mapper: one object per mapper while
    /// any is held, so `inspect(User) is inspect(User)`.
    static VIEWS: std::cell::RefCell<Vec<(*const Mapper, std::rc::Weak<dyn PyObject>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// `inspect(User)`: the class's `Mapper` object, the same one while it
/// is held.
pub fn mapper_view(m: &Rc<Mapper>) -> Value {
    VIEWS.with(|views| {
        let mut views = views.borrow_mut();
        views.retain(|(_, w)| w.strong_count() > 0);
        if let Some(v) = views
            .iter()
            .find(|(p, _)| std::ptr::eq(*p, Rc::as_ptr(m)))
            .and_then(|(_, w)| w.upgrade())
        {
            return Value::Native(v);
        }
        let v: Rc<dyn PyObject> = Rc::new(MapperView(m.clone()));
        views.push((Rc::as_ptr(m), Rc::downgrade(&v)));
        Value::Native(v)
    })
}

impl PyObject for MapperView {
    fn type_name(&self) -> String {
        "Mapper".into()
    }
    /// `<Mapper at 0x…; User>`, as SQLAlchemy's `Mapper.__repr__`.
    fn repr(&self) -> String {
        format!(
            "<Mapper at {}; {}>",
            address_of(Rc::as_ptr(&self.0)),
            self.0.class_name
        )
    }
    /// `Mapper[User(users)]`
    fn str(&self) -> String {
        format!("Mapper[{}({})]", self.0.class_name, self.0.table.name)
    }
    /// One mapper however often it is inspected: `is` and `==` hold.
    fn equals(&self, other: &Value) -> Option<bool> {
        Some(
            other
                .downcast::<MapperView>()
                .is_some_and(|m| Rc::ptr_eq(&m.0, &self.0)),
        )
    }
    fn id(&self) -> Option<u64> {
        Some(Rc::as_ptr(&self.0) as *const u8 as u64)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl PropertyView {
    fn is_relationship(&self) -> bool {
        matches!(self.0.kind, AttrKind::Relationship(_))
    }
}

impl PyObject for PropertyView {
    /// `_RelationshipDeclared` (what a declarative `relationship()` is)
    /// or `ColumnProperty`.
    fn type_name(&self) -> String {
        match self.is_relationship() {
            true => "_RelationshipDeclared".into(),
            false => "ColumnProperty".into(),
        }
    }
    /// `<ColumnProperty at 0x…; name>`, as `MapperProperty.__repr__`.
    fn repr(&self) -> String {
        format!(
            "<{} at {}; {}>",
            self.type_name(),
            address_of(self as *const Self),
            self.0.key
        )
    }
    /// `User.name`
    fn str(&self) -> String {
        format!("{}.{}", self.0.mapper.class_name, self.0.key)
    }
    fn equals(&self, other: &Value) -> Option<bool> {
        Some(
            other
                .downcast::<PropertyView>()
                .is_some_and(|p| Rc::ptr_eq(&p.0.mapper, &self.0.mapper) && p.0.key == self.0.key),
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl Properties {
    /// The (key, property) pairs listed, in SQLAlchemy's order: the
    /// mapper's explicit properties (relationships, `column_property()`s)
    /// before the table's columns.
    pub fn items(&self) -> Vec<(String, Value)> {
        let m = &self.0;
        let prop = |key: &str, kind: AttrKind| {
            Value::native(PropertyView(AttrRef::new(m.clone(), key, kind)))
        };
        let mut out = Vec::new();
        if self.1 != Which::ColumnAttrs {
            for r in m.relationships.borrow().iter() {
                out.push((
                    r.key.clone(),
                    prop(&r.key, AttrKind::Relationship(r.clone())),
                ));
            }
        }
        if self.1 != Which::Relationships {
            for (i, p) in m.expressions.iter().enumerate() {
                out.push((p.key.clone(), prop(&p.key, AttrKind::Expression(i))));
            }
            for (key, col) in &m.columns {
                out.push((key.clone(), prop(key, AttrKind::Column(*col))));
            }
        }
        out
    }

    fn values(&self) -> Value {
        Value::list(self.items().into_iter().map(|(_, v)| v).collect())
    }
}

impl PyObject for Properties {
    fn type_name(&self) -> String {
        "ReadOnlyProperties".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.util._collections.ReadOnlyProperties object at {}>",
            address_of(self as *const Self)
        )
    }
    /// Its properties, for iteration and `len()`.
    fn as_builtin(&self) -> Option<Value> {
        Some(self.values())
    }
    /// `inspect(User).attrs["name"]`
    fn get_item(&self, key: &Value) -> Option<PyResult<Value>> {
        let found = match key {
            Value::Str(k) => self.items().into_iter().find(|(n, _)| **n == **k),
            _ => None,
        };
        Some(found.map(|(_, v)| v).ok_or_else(|| {
            PyErr::new(
                crate::python::ExcType::KeyError,
                crate::python::format::repr_plain(key),
            )
        }))
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

impl DirectionObj {
    fn name(&self) -> &'static str {
        match self.0 {
            Direction::OneToMany => "ONETOMANY",
            Direction::ManyToOne => "MANYTOONE",
            Direction::ManyToMany => "MANYTOMANY",
        }
    }
    fn number(&self) -> u8 {
        match self.0 {
            Direction::OneToMany => 1,
            Direction::ManyToOne => 2,
            Direction::ManyToMany => 3,
        }
    }
}

impl PyObject for DirectionObj {
    fn type_name(&self) -> String {
        "RelationshipDirection".into()
    }
    /// `<RelationshipDirection.ONETOMANY: 1>`
    fn repr(&self) -> String {
        format!("<RelationshipDirection.{}: {}>", self.name(), self.number())
    }
    /// `RelationshipDirection.ONETOMANY`
    fn str(&self) -> String {
        format!("RelationshipDirection.{}", self.name())
    }
    fn equals(&self, other: &Value) -> Option<bool> {
        Some(
            other
                .downcast::<DirectionObj>()
                .is_some_and(|d| d.0 == self.0),
        )
    }
    fn hash_key(&self) -> Option<Value> {
        Some(Value::Int(i64::from(self.number())))
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// Table column `index` of `mapper`'s table, as the `Column` object.
fn table_column(mapper: &Mapper, index: usize) -> Value {
    let t = &mapper.table;
    Value::native(SqlExpr {
        expr: Expr::column(&Selectable::Table(t.clone()), index),
        ty: Some(t.columns[index].sql_type.clone()),
        key: Some(t.columns[index].name.clone()),
        id: fresh_expr_id(),
    })
}

/// `receiver.name` as a bound method value.
fn method(receiver: &Value, name: &str) -> Value {
    Value::Method(Rc::new(crate::python::value::Method {
        receiver: receiver.clone(),
        name: name.to_string(),
    }))
}

/// The error for a name the object lacks: `NotImplementedError` when
/// SQLAlchemy's type has it (`real`), else Python's `AttributeError` (a
/// `MapperProperty`'s, from its `__getattr__`, says only the name).
fn missing(type_name: &str, name: &str, real: &[&str]) -> PyErr {
    if real.contains(&name) {
        PyErr::unsupported(format!("{type_name}.{name}"))
    } else if type_name == "Mapper" {
        attribute_error(format!("'{type_name}' object has no attribute '{name}'"))
    } else {
        attribute_error(name.to_string())
    }
}

/// `obj.name` for the objects of this module; `None` when `obj` is none
/// of them. A relationship's `.mapper`, `.direction` and the like need
/// the mappers configured: the caller configures them first
/// ([`needs_configure`]).
pub fn get_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    if let Some(m) = obj.downcast::<MapperView>() {
        return Some(mapper_attr(obj, &m.0, name));
    }
    if let Some(p) = obj.downcast::<PropertyView>() {
        return Some(property_attr(&p, name));
    }
    if let Some(p) = obj.downcast::<Properties>() {
        return Some(match name {
            "keys" | "values" | "items" | "get" => Ok(method(obj, name)),
            _ => p
                .items()
                .into_iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
                .ok_or_else(|| attribute_error(name.to_string())),
        });
    }
    if let Some(d) = obj.downcast::<DirectionObj>() {
        return Some(match name {
            "name" => Ok(Value::str(d.name())),
            "value" => Ok(Value::Int(i64::from(d.number()))),
            _ => Err(attribute_error(format!(
                "'RelationshipDirection' object has no attribute '{name}'"
            ))),
        });
    }
    None
}

/// Whether reading `obj.name` needs the mappers configured (a
/// relationship's target and direction), as SQLAlchemy's
/// `_check_configure()`: the mapper to configure, if so.
pub fn needs_configure(obj: &Value, name: &str) -> Option<Rc<Mapper>> {
    if let Some(m) = obj.downcast::<MapperView>() {
        return matches!(name, "attrs" | "relationships" | "get_property").then(|| m.0.clone());
    }
    let p = obj.downcast::<PropertyView>()?;
    (p.is_relationship()
        && matches!(
            name,
            "mapper" | "entity" | "target" | "direction" | "uselist" | "secondary"
        ))
    .then(|| p.0.mapper.clone())
}

fn mapper_attr(obj: &Value, m: &Rc<Mapper>, name: &str) -> PyResult<Value> {
    Ok(match name {
        "class_" | "entity" => Value::Native(m.clone()),
        "mapper" => obj.clone(),
        "attrs" => Value::native(Properties(m.clone(), Which::All)),
        "relationships" => Value::native(Properties(m.clone(), Which::Relationships)),
        "column_attrs" => Value::native(Properties(m.clone(), Which::ColumnAttrs)),
        "local_table" | "persist_selectable" | "mapped_table" => Value::Native(m.table.clone()),
        "tables" => Value::list(vec![Value::Native(m.table.clone())]),
        "columns" | "c" => Value::native(crate::sqlalchemy::table::TableColumns(
            m.table.clone(),
            None,
        )),
        "primary_key" => Value::tuple(
            (0..m.table.columns.len())
                .filter(|&i| m.table.columns[i].primary_key)
                .map(|i| table_column(m, i))
                .collect(),
        ),
        "is_mapper" => Value::Bool(true),
        "non_primary" | "single" => Value::Bool(false),
        "get_property" | "has_property" => method(obj, name),
        _ => return Err(missing("Mapper", name, MAPPER_REAL)),
    })
}

fn property_attr(p: &PropertyView, name: &str) -> PyResult<Value> {
    let a = &p.0;
    match name {
        "key" => return Ok(Value::str(&a.key)),
        "parent" => return Ok(mapper_view(&a.mapper)),
        "class_attribute" => return Ok(Value::native(a.clone())),
        "is_property" => return Ok(Value::Bool(true)),
        "is_mapper" => return Ok(Value::Bool(false)),
        _ => {}
    }
    match &a.kind {
        AttrKind::Relationship(rel) => {
            let simple = match name {
                "back_populates" => Some(rel.decl.back_populates.clone()),
                "viewonly" => return Ok(Value::Bool(rel.decl.viewonly)),
                _ => None,
            };
            if let Some(v) = simple {
                return Ok(v.map(|s| Value::str(&s)).unwrap_or(Value::None));
            }
            if !matches!(
                name,
                "mapper" | "entity" | "target" | "direction" | "uselist" | "secondary"
            ) {
                return Err(missing("_RelationshipDeclared", name, RELATIONSHIP_REAL));
            }
            let r = rel.resolve()?;
            Ok(match name {
                "mapper" | "entity" => mapper_view(&r.target),
                "target" => Value::Native(r.target.table.clone()),
                "direction" => Value::native(DirectionObj(r.direction)),
                "uselist" => Value::Bool(r.uselist),
                _ => match &r.secondary {
                    Some((t, _)) => Value::Native(t.clone()),
                    None => Value::None,
                },
            })
        }
        AttrKind::Column(i) => match name {
            "columns" => Ok(Value::list(vec![table_column(&a.mapper, *i)])),
            "expression" => Ok(table_column(&a.mapper, *i)),
            _ => Err(missing("ColumnProperty", name, COLUMN_PROPERTY_REAL)),
        },
        AttrKind::Expression(_) => match name {
            "columns" => Ok(Value::list(vec![Value::native(
                crate::orm::expression::attribute_expr(a)?,
            )])),
            "expression" => Ok(Value::native(crate::orm::expression::attribute_expr(a)?)),
            _ => Err(missing("ColumnProperty", name, COLUMN_PROPERTY_REAL)),
        },
    }
}

/// `mapper.get_property(key)`, `mapper.has_property(key)`,
/// `props.keys()`, `.values()`, `.items()`, `.get(key, default)`; `None`
/// for other receivers.
pub fn call_method(receiver: &Value, name: &str, args: &[Value]) -> Option<PyResult<Value>> {
    if let Some(m) = receiver.downcast::<MapperView>() {
        let key = match args {
            [Value::Str(k)] => k.to_string(),
            _ => {
                return Some(Err(crate::python::exceptions::type_error(format!(
                    "Mapper.{name}() takes one attribute name"
                ))));
            }
        };
        let found = Properties(m.0.clone(), Which::All)
            .items()
            .into_iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v);
        return Some(match (name, found) {
            ("has_property", f) => Ok(Value::Bool(f.is_some())),
            (_, Some(v)) => Ok(v),
            (_, None) => Err(crate::python::exceptions::invalid_request(format!(
                "Mapper 'Mapper[{}({})]' has no property '{key}'.  If this property was indicated from other mappers or configure events, ensure registry.configure() has been called.",
                m.0.class_name, m.0.table.name
            ))),
        });
    }
    let p = receiver.downcast::<Properties>()?;
    let items = p.items();
    Some(match (name, args) {
        ("keys", []) => Ok(Value::list(
            items.into_iter().map(|(k, _)| Value::str(&k)).collect(),
        )),
        ("values", []) => Ok(p.values()),
        ("items", []) => Ok(Value::list(
            items
                .into_iter()
                .map(|(k, v)| Value::tuple(vec![Value::str(&k), v]))
                .collect(),
        )),
        ("get", [Value::Str(k)] | [Value::Str(k), _]) => Ok(items
            .into_iter()
            .find(|(n, _)| **n == **k)
            .map(|(_, v)| v)
            .unwrap_or_else(|| args.get(1).cloned().unwrap_or(Value::None))),
        _ => Err(crate::python::exceptions::type_error(format!(
            "ReadOnlyProperties.{name}() got the wrong arguments"
        ))),
    })
}
