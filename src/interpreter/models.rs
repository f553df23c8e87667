//! Model declarations: `class X(Base):` bodies turned into mappers in the
//! declarative registry, as SQLAlchemy's declarative extension does, and
//! model constructors (`User(name="Zoe")`). The schema constructors the
//! bodies call (`Column(...)`, `relationship(...)`, …) are in
//! [`crate::sqlalchemy::schema`].

use std::cell::RefCell;
use std::rc::Rc;

use crate::language::ast::{Expr, ExprKind, Stmt, StmtKind};
use crate::orm::mapper::Registry;
use crate::orm::schema_items::MappedColumnDecl;
use crate::python::value::Builtin;
use crate::sql::schema::{Column, Index, SqlType, TableConstraint};

use super::annotations::{MappedAnnotation, mapped_annotation};
use crate::orm::attributes::{set_column_attribute, set_relationship};
use crate::orm::mapper::{Cascade, Lazy, Mapper, Relationship};
use crate::orm::schema_items::{ColumnRef, DataclassField, RelationshipDecl, SchemaItem};
use crate::orm::state::Instance;
use crate::orm::state::next_address;
use crate::sql::schema::Table;

use super::eval::{Flow, Interpreter};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request, type_error};
use crate::python::value::Value;

type Kwargs = Vec<(String, Value)>;

use super::classes::body_names;

/// `class Name(Base): …`: runs the body, then maps the class to its table.
///
/// `keywords` are the class statement's (`class A(Base, kw_only=True)`):
/// a `MappedAsDataclass` class's dataclass arguments.
///
/// Errors: `InvalidRequestError` without `__tablename__` or for a table
/// defined twice; `ArgumentError` without a primary key; `NotImplementedError`
/// for classes not derived from `Base`; `TypeError` for class keywords no
/// base takes, as `object.__init_subclass__`.
pub fn define_class(
    interp: &mut Interpreter,
    name: &str,
    bases: &[Value],
    keywords: &[(String, Value)],
    body: &[Stmt],
) -> PyResult<Value> {
    use crate::orm::schema_items::{DataclassArguments, no_class_keywords};
    let as_dataclass = bases
        .iter()
        .any(|b| matches!(b, Value::Builtin(Builtin::Schema("MappedAsDataclass"))));
    if bases
        .iter()
        .any(|b| matches!(b, Value::Builtin(Builtin::Schema("DeclarativeBase"))))
    {
        // `class Base(DeclarativeBase)`: a new registry with its own MetaData.
        let arguments = match as_dataclass {
            true => DataclassArguments::from_keywords(name, keywords)?,
            false if keywords.is_empty() => DataclassArguments::default(),
            false => return Err(no_class_keywords(name)),
        };
        let namespace = interp.exec_class_body(body)?;
        let type_annotation_map = match namespace.iter().find(|(k, _)| k == "type_annotation_map") {
            Some((_, v)) => type_annotation_map(name, v)?,
            None => Vec::new(),
        };
        let registry = Registry {
            class_name: Some(name.to_string()),
            type_annotation_map: RefCell::new(type_annotation_map),
            ..Registry::default()
        };
        *registry.declared_attrs.borrow_mut() = namespace
            .into_iter()
            .filter(|(_, v)| v.downcast::<super::declared_attr::DeclaredAttr>().is_some())
            .collect();
        registry
            .async_attrs
            .set(bases.iter().any(crate::sqlalchemy::asyncio::is_async_attrs));
        registry.dataclass.set(as_dataclass);
        *registry.dataclass_arguments.borrow_mut() = arguments;
        return Ok(Value::Native(Rc::new(registry)));
    }
    // A subclass of a mapped class: SQLAlchemy maps it with single or
    // joined table inheritance, which the tutor does not model.
    if let Some(parent) = bases.iter().find_map(crate::sqlalchemy::objects::as_class) {
        return Err(PyErr::unsupported(format!(
            "mapper inheritance (class {name}({}), a subclass of a mapped class)",
            parent.class_name
        )));
    }
    let chain = mixin_chain(bases)?;
    let registry = bases.iter().find_map(|b| match b {
        Value::Native(n) => crate::python::object::downcast::<crate::orm::mapper::Registry>(n)
            .or_else(|| {
                crate::python::object::downcast::<DeclarativeMixin>(n)
                    .and_then(|m| m.registry.clone())
            }),
        _ => None,
    });
    let as_dataclass = as_dataclass
        || registry.as_ref().is_some_and(|r| r.dataclass.get())
        || chain.iter().any(|m| m.dataclass);
    // The dataclass arguments inherited: the first base in the MRO that
    // has some (`hasattr(cls, "_sa_apply_dc_transforms")`).
    let inherited = chain
        .iter()
        .find(|m| m.dataclass)
        .map(|m| m.arguments.clone())
        .or_else(|| {
            registry
                .as_ref()
                .map(|r| r.dataclass_arguments.borrow().clone())
        })
        .unwrap_or_default();
    let Some(registry) = registry else {
        // `class Mix(MappedAsDataclass)`, a class with mapped attributes,
        // or one derived from such: a mixin whose attributes each mapped
        // subclass copies.
        if as_dataclass || !chain.is_empty() || declares_mapped(body) {
            let arguments = match as_dataclass {
                true => DataclassArguments::from_keywords(name, keywords)?.merged(&inherited),
                false if keywords.is_empty() => DataclassArguments::default(),
                false => return Err(no_class_keywords(name)),
            };
            interp.exec_class_body(body)?;
            return Ok(Value::native(DeclarativeMixin {
                name: name.to_string(),
                bases: bases.to_vec(),
                body: body.to_vec(),
                registry: None,
                dataclass: as_dataclass,
                arguments,
            }));
        }
        if !keywords.is_empty() {
            return Err(no_class_keywords(name));
        }
        return super::classes::define_class(interp, name, bases, body);
    };
    // A keyword no base takes fails in `object.__init_subclass__`, after
    // the class is mapped (its table stays in the MetaData).
    let (known, unknown): (Vec<_>, Vec<_>) = keywords
        .iter()
        .cloned()
        .partition(|(k, _)| as_dataclass && DataclassArguments::KEYWORDS.contains(&k.as_str()));
    let dataclass_arguments = DataclassArguments::from_keywords(name, &known)?.merged(&inherited);
    let class_kw_only = dataclass_arguments.kw_only == Some(true);
    let mut namespace = interp.exec_class_body(body)?;
    if namespace
        .iter()
        .any(|(k, v)| k == "__abstract__" && v.truthy())
    {
        // `__abstract__ = True`: not mapped; its subclasses copy its
        // attributes.
        if !unknown.is_empty() {
            return Err(no_class_keywords(name));
        }
        return Ok(Value::native(DeclarativeMixin {
            name: name.to_string(),
            bases: bases.to_vec(),
            body: body.to_vec(),
            registry: Some(registry),
            dataclass: as_dataclass,
            arguments: dataclass_arguments,
        }));
    }
    let mut order = body_names(body);
    let mut annotations = body_annotations(body);
    // Each mixin's attributes (its body run again, as SQLAlchemy copies a
    // mixin's columns), after the class's own, in MRO order; `origin` is
    // the position in `chain` plus one (0: the class itself).
    let mut origin: Vec<(String, usize)> = Vec::new();
    for (i, mixin) in chain.iter().enumerate() {
        let mixin_namespace = interp.exec_class_body(&mixin.body)?;
        let mixin_annotations = body_annotations(&mixin.body);
        for key in body_names(&mixin.body) {
            if key == "__abstract__" || order.contains(&key) {
                continue;
            }
            if let Some(a) = mixin_annotations.iter().find(|(k, _)| *k == key) {
                annotations.push(a.clone());
            }
            if let Some(v) = mixin_namespace.iter().find(|(k, _)| *k == key) {
                namespace.push(v.clone());
            }
            origin.push((key.clone(), i + 1));
            order.push(key);
        }
    }
    // The base's `@declared_attr`s after the mixins', then every
    // `declared_attr` called with the class.
    for (key, v) in registry.declared_attrs.borrow().iter() {
        if !order.contains(key) {
            namespace.push((key.clone(), v.clone()));
            order.push(key.clone());
        }
    }
    super::declared_attr::warn_cascading(name, &order, &body_names(body), &namespace);
    let declared = super::declared_attr::resolve(interp, name, &order, &mut namespace)?;
    annotations.extend(declared.annotations.iter().map(|(k, e)| (k.clone(), e)));
    let origin_of = |key: &str| origin.iter().find(|(k, _)| k == key).map_or(0, |(_, o)| *o);
    let kw_only_of = |key: &str| match origin_of(key) {
        0 => class_kw_only,
        o => chain
            .get(o - 1)
            .is_some_and(|m| m.arguments.kw_only == Some(true)),
    };
    let get = |k: &str| {
        namespace
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    let tablename = match get("__tablename__") {
        Some(Value::Str(s)) => s.to_string(),
        _ => {
            return Err(invalid_request(format!(
                "Class <class '__main__.{name}'> does not have a __table__ or __tablename__ specified and does not inherit from an existing table-mapped class."
            )));
        }
    };
    if registry.table(&tablename).is_some() {
        return Err(invalid_request(format!(
            "Table '{tablename}' is already defined for this MetaData instance.  Specify 'extend_existing=True' to redefine options and columns on an existing Table object."
        )));
    }
    if order.iter().any(|k| k == "metadata") {
        return Err(invalid_request(
            "Attribute name 'metadata' is reserved when using the Declarative API.",
        ));
    }
    let mut columns = Vec::new();
    let mut attr_columns = Vec::new();
    let mut relationships = Vec::new();
    let mut expressions = Vec::new();
    let mut methods = Vec::new();
    let mut class_attrs = Vec::new();
    let mut args = TableArgs::default();
    let mut fields = Vec::new();
    for key in &order {
        let annotation = annotations
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, a)| mapped_annotation(a));
        // The base's `type_annotation_map` entry for the annotated type (an
        // `Annotated` alias first, then the type inside it).
        let mut map_type = match &annotation {
            Some(MappedAnnotation::Scalar { name, .. }) => {
                mapped_type_from_map(interp, &registry, name)
            }
            _ => None,
        };
        // `Mapped[intpk]` for `intpk = Annotated[int, mapped_column(...)]`:
        // the alias's type, and its `mapped_column()` under the attribute's.
        let (annotation, alias_column) = match &annotation {
            Some(MappedAnnotation::Scalar { name, optional })
                if let Some(alias) = interp
                    .globals
                    .get(name.as_str())
                    .and_then(|v| v.downcast::<super::annotations::AnnotatedAlias>()) =>
            {
                (Some(alias.mapped(*optional)), alias.mapped_column())
            }
            _ => {
                // `Mapped[Annotated[int, mapped_column(...)]]` written inline
                let inline = match annotations
                    .iter()
                    .find(|(k, _)| k == key)
                    .and_then(|(_, a)| super::annotations::inline_annotated(a))
                {
                    Some(e) => interp.eval(e)?,
                    None => Value::None,
                };
                let column = inline
                    .downcast::<super::annotations::AnnotatedAlias>()
                    .and_then(|alias| alias.mapped_column());
                (annotation, column)
            }
        };
        if map_type.is_none()
            && let Some(MappedAnnotation::Scalar { name, .. }) = &annotation
        {
            map_type = mapped_type_from_map(interp, &registry, name);
        }
        let Some(v) = get(key).or_else(|| {
            // `name: Mapped[str]` alone is `mapped_column()` (or the
            // `Annotated` alias's).
            annotation.as_ref().map(|_| {
                Value::native(SchemaItem::MappedColumn(
                    alias_column.clone().unwrap_or_else(implied_mapped_column),
                ))
            })
        }) else {
            continue;
        };
        let v = match (&alias_column, v.downcast::<SchemaItem>().as_deref()) {
            (Some(from_alias), Some(SchemaItem::MappedColumn(own))) => Value::native(
                SchemaItem::MappedColumn(merge_mapped_columns(own, from_alias)),
            ),
            _ => v,
        };
        match &v {
            Value::Native(n) if let Some(s) = crate::python::object::downcast::<SchemaItem>(n) => {
                match &*s {
                    SchemaItem::Column(c, n) => {
                        let mut c = c.clone();
                        c.name = n.clone().unwrap_or_else(|| key.clone());
                        attr_columns.push((key.clone(), columns.len()));
                        columns.push(c);
                    }
                    SchemaItem::MappedColumn(d) => {
                        if annotation.is_some() {
                            fields.push(DataclassField::new(key, &d.options, kw_only_of(key)));
                        }
                        let enum_type = annotation.as_ref().and_then(|a| enum_type(interp, a));
                        if !d.typed
                            && d.column.foreign_key.is_none()
                            && enum_type.is_none()
                            && map_type.is_none()
                            && let Some(a) = &annotation
                            && a.sql_type().is_none()
                            && let Some((_, raw)) = annotations.iter().find(|(k, _)| k == key)
                        {
                            unresolved_annotation(interp, raw, a)?;
                        }
                        let c = annotated_column(
                            name,
                            key,
                            d,
                            annotation.as_ref(),
                            map_type.clone().or(enum_type),
                        )?;
                        attr_columns.push((key.clone(), columns.len()));
                        columns.push(c);
                    }
                    SchemaItem::Relationship(r) => {
                        if annotation.is_some() {
                            fields.push(DataclassField::new(key, &r.options, kw_only_of(key)));
                        }
                        let implied = annotations
                            .iter()
                            .find(|(k, _)| k == key)
                            .and_then(|(_, a)| super::annotations::collection_lazy(a));
                        let mut r = annotated_relationship(name, key, r, annotation.as_ref())?;
                        match implied {
                            Some("dynamic") => r.lazy = Lazy::Dynamic,
                            Some(_) => r.lazy = Lazy::WriteOnly,
                            None => {}
                        }
                        declared_column_refs(name, &namespace, &mut r);
                        relationships.push((key.clone(), r));
                    }
                    SchemaItem::ColumnProperty { expr, deferred } => {
                        let ty = expr
                            .as_ref()
                            .and_then(|e| e.ty.clone())
                            .or_else(|| annotation.as_ref().and_then(|a| a.sql_type()));
                        expressions.push((
                            key.clone(),
                            expr.as_ref().map(|e| e.expr.clone()),
                            ty,
                            *deferred,
                        ));
                    }
                    _ => class_attrs.push((key.clone(), v.clone())),
                }
            }
            Value::Function(f) => methods.push((key.clone(), f.clone())),
            _ if key == "__tablename__" => {}
            _ if key == "__table_args__" => args = table_args(&v)?,
            // `size: Mapped[int] = 5` on a `MappedAsDataclass` class: a
            // dataclass field with that default, which SQLAlchemy does not
            // map (no column); the class attribute holds the default, which
            // an object loaded from the database reads.
            _ if as_dataclass && annotation.is_some() => {
                let options = crate::orm::schema_items::AttributeOptions {
                    default: Some(v.clone()),
                    ..Default::default()
                };
                fields.push(DataclassField::new(key, &options, kw_only_of(key)));
                class_attrs.push((key.clone(), v.clone()));
            }
            _ => class_attrs.push((key.clone(), v.clone())),
        }
    }
    // the class body's own `__annotations__` dict
    if let Some((k, v)) = namespace.iter().find(|(k, _)| k == "__annotations__") {
        class_attrs.push((k.clone(), v.clone()));
    }
    // `dataclasses`' field order: the dataclass bases' fields in reverse
    // MRO order, then those of other mixins in MRO order (each mixin with
    // SQLAlchemy's deprecation warning), then the class's own.
    let mut ordered = Vec::new();
    for o in (1..=chain.len()).rev() {
        if chain.get(o - 1).is_some_and(|m| m.dataclass) {
            ordered.extend(fields.iter().filter(|f| origin_of(&f.key) == o).cloned());
        }
    }
    for (i, mixin) in chain.iter().enumerate() {
        if mixin.dataclass {
            continue;
        }
        let own: Vec<DataclassField> = fields
            .iter()
            .filter(|f| origin_of(&f.key) == i + 1)
            .cloned()
            .collect();
        if as_dataclass && !own.is_empty() {
            let keys: Vec<String> = own.iter().map(|f| format!("'{}'", f.key)).collect();
            crate::python::warnings::warn(
                "SADeprecationWarning",
                format!(
                    "When transforming <class '__main__.{name}'> to a dataclass, attribute(s) {} originates from superclass <class '__main__.{}'>, which is not a dataclass.  This usage is deprecated and will raise an error in SQLAlchemy 2.1.  When declaring SQLAlchemy Declarative Dataclasses, ensure that all mixin classes and other superclasses which include attributes are also a subclass of MappedAsDataclass.",
                    keys.join(", "),
                    mixin.name
                ),
            );
        }
        ordered.extend(own);
    }
    ordered.extend(
        fields
            .iter()
            .filter(|f| !ordered.iter().any(|g: &DataclassField| g.key == f.key))
            .cloned()
            .collect::<Vec<_>>(),
    );
    let fields = ordered;
    let dataclass_fields = if as_dataclass {
        super::dataclasses::check_fields(name, &fields, &dataclass_arguments)?;
        Some(fields)
    } else {
        None
    };
    // `PrimaryKeyConstraint("player", "game")`: those columns are the key
    // (`NOT NULL`), as the constraint's `_set_parent`.
    if let Some(keys) = &args.primary_key {
        for key in keys {
            let Some(c) = columns.iter_mut().find(|c| &c.name == key) else {
                // SQLAlchemy's `ConstraintColumnNotFoundError`, which the
                // tutor's exceptions lack.
                return Err(PyErr::unsupported(format!(
                    "PrimaryKeyConstraint on table '{tablename}' naming '{key}', which is not one of its columns"
                )));
            };
            c.primary_key = true;
            c.nullable = false;
        }
    }
    if !columns.iter().any(|c| c.primary_key) {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "Mapper Mapper[{name}({tablename})] could not assemble any primary key columns for mapped table '{tablename}'"
            ),
        ));
    }
    let table = Rc::new(Table {
        name: tablename,
        columns,
        constraints: args.constraints,
        indexes: args.indexes,
        options: args.options,
    });
    for (_, decl) in &mut relationships {
        declared_join_columns(&namespace, &attr_columns, &table, decl);
    }
    let expressions: Vec<crate::orm::mapper::ColumnProperty> = expressions
        .into_iter()
        .map(
            |(key, expr, ty, deferred)| crate::orm::mapper::ColumnProperty {
                key,
                expr: expr.map(|e| declared_columns_mapped(&namespace, &attr_columns, &table, &e)),
                ty,
                deferred,
            },
        )
        .collect();
    let column_keys: Vec<Rc<str>> = attr_columns
        .iter()
        .map(|(k, _)| crate::orm::state::intern(k))
        .collect();
    let column_order = {
        let mut order: Vec<usize> = (0..attr_columns.len()).collect();
        order.sort_by(|a, b| attr_columns[*a].0.cmp(&attr_columns[*b].0));
        order
    };
    let mapper = Rc::new_cyclic(|weak: &std::rc::Weak<Mapper>| Mapper {
        class_name: name.to_string(),
        module: interp.module.clone(),
        table: table.clone(),
        column_names: crate::orm::state::AttrNames::of_sorted(
            column_order.iter().map(|&i| &column_keys[i]),
        ),
        column_keys,
        column_order,
        columns: attr_columns,
        relationships: RefCell::new(
            relationships
                .into_iter()
                .map(|(k, d)| Rc::new(Relationship::new(k, weak.clone(), d)))
                .collect(),
        ),
        expressions,
        methods: RefCell::new(methods),
        class_attrs: RefCell::new(class_attrs.into_iter().chain(declared.directives).collect()),
        registry: Rc::downgrade(&registry),
        dataclass_fields,
        dataclass_arguments,
    });
    registry.tables.borrow_mut().push(table);
    registry
        .mappers
        .borrow_mut()
        .retain(|m| m.class_name != name);
    registry.mappers.borrow_mut().push(mapper.clone());
    registry.configured.set(false);
    crate::orm::mapper::note_mapped(&registry);
    add_backrefs(&registry);
    if !unknown.is_empty() {
        return Err(no_class_keywords(name));
    }
    Ok(Value::Native(mapper))
}

/// A `type_annotation_map = {str: String(50), ...}` of a declarative base:
/// its Python types and column types, in order.
///
/// Errors: `NotImplementedError` for a map that is not a dict, or a value
/// that is not a column type the tutor models.
fn type_annotation_map(
    class: &str,
    v: &Value,
) -> PyResult<Vec<(Value, crate::sql::schema::SqlType)>> {
    let Value::Dict(d) = v else {
        return Err(PyErr::unsupported(format!(
            "type_annotation_map on {class} given as {}",
            v.type_name()
        )));
    };
    let mut out = Vec::new();
    for (k, t) in d.borrow().iter() {
        let Some(ty) = crate::sqlalchemy::schema::type_of(t) else {
            return Err(PyErr::unsupported(format!(
                "the type_annotation_map entry {} of {class}",
                crate::python::format::repr_plain(t)
            )));
        };
        out.push((k.clone(), ty));
    }
    Ok(out)
}

/// The column type the base's `type_annotation_map` gives `Mapped[name]`
/// (`name` looked up where the class is defined): the entry whose key is
/// the object `name` names.
fn mapped_type_from_map(
    interp: &Interpreter,
    registry: &Registry,
    name: &str,
) -> Option<crate::sql::schema::SqlType> {
    let map = registry.type_annotation_map.borrow();
    if map.is_empty() || name.is_empty() || name.contains(['.', '[', ' ', '\'', '"']) {
        return None;
    }
    let v = interp
        .lookup(name, crate::language::ast::Span::new(0, 0))
        .ok()?;
    map.iter().find(|(k, _)| k.is(&v)).map(|(_, t)| t.clone())
}

/// A class that is not mapped but whose attributes its mapped subclasses
/// copy: `class Mix(MappedAsDataclass)`, a plain mixin with `Mapped[...]`
/// annotations or `mapped_column()`/`Column()` attributes, or a subclass of
/// `Base` with `__abstract__ = True` (SQLAlchemy's declarative mixins and
/// abstract bases). Its body runs again for each mapped subclass, so each
/// gets columns of its own.
#[derive(Debug)]
pub struct DeclarativeMixin {
    pub name: String,
    pub bases: Vec<Value>,
    pub body: Vec<Stmt>,
    /// The declarative base of an `__abstract__` class.
    pub registry: Option<Rc<Registry>>,
    /// A `MappedAsDataclass` class: its fields come first in its mapped
    /// subclasses' dataclass fields.
    pub dataclass: bool,
    /// Its dataclass arguments (class keywords, merged with its base's).
    pub arguments: crate::orm::schema_items::DataclassArguments,
}

impl crate::python::object::PyObject for DeclarativeMixin {
    fn type_name(&self) -> String {
        "type".into()
    }
    fn repr(&self) -> String {
        format!("<class '__main__.{}'>", self.name)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The declarative mixins among `bases` and their own bases, in the order
/// of Python's C3 method resolution order (`__mro__` without the class
/// itself and its other bases): `class C(A, B)` with `A(M)` and `B(M)`
/// gives `A, B, M`.
///
/// Errors: `TypeError` when the bases admit no such order, as CPython's
/// `Cannot create a consistent method resolution order (MRO) for bases …`.
fn mixin_chain(bases: &[Value]) -> PyResult<Vec<Rc<DeclarativeMixin>>> {
    let direct: Vec<Rc<DeclarativeMixin>> = bases
        .iter()
        .filter_map(|b| match b {
            Value::Native(n) => crate::python::object::downcast::<DeclarativeMixin>(n),
            _ => None,
        })
        .collect();
    let mut lists = Vec::new();
    for m in &direct {
        let mut l = vec![m.clone()];
        l.extend(mixin_chain(&m.bases)?);
        lists.push(l);
    }
    lists.push(direct.clone());
    c3_merge(lists).ok_or_else(|| {
        let names: Vec<String> = bases.iter().map(base_name).collect();
        PyErr::new(
            ExcType::TypeError,
            format!(
                "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                names.join(", ")
            ),
        )
    })
}

/// A base class's `__name__`, for CPython's MRO error.
fn base_name(v: &Value) -> String {
    if let Value::Native(n) = v {
        if let Some(m) = crate::python::object::downcast::<DeclarativeMixin>(n) {
            return m.name.clone();
        }
        if let Some(r) = crate::python::object::downcast::<Registry>(n)
            && let Some(name) = &r.class_name
        {
            return name.clone();
        }
    }
    let repr = crate::python::format::repr_plain(v);
    repr.strip_prefix("<class '")
        .and_then(|r| r.strip_suffix("'>"))
        .map_or(repr.clone(), |r| {
            r.rsplit('.').next().unwrap_or(r).to_string()
        })
}

/// C3's merge: repeatedly the first head of `lists` that is in no list's
/// tail; `None` when none is.
fn c3_merge(mut lists: Vec<Vec<Rc<DeclarativeMixin>>>) -> Option<Vec<Rc<DeclarativeMixin>>> {
    let mut out = Vec::new();
    loop {
        lists.retain(|l| !l.is_empty());
        if lists.is_empty() {
            return Some(out);
        }
        let head = lists.iter().map(|l| l[0].clone()).find(|h| {
            !lists
                .iter()
                .any(|l| l[1..].iter().any(|t| Rc::ptr_eq(t, h)))
        })?;
        for l in &mut lists {
            if Rc::ptr_eq(&l[0], &head) {
                l.remove(0);
            }
        }
        out.push(head);
    }
}

/// Whether a plain class body declares mapped attributes: a `Mapped[...]`
/// annotation, or `mapped_column(...)`, `Column(...)` or `relationship(...)`
/// assigned.
fn declares_mapped(body: &[Stmt]) -> bool {
    body.iter().any(|s| match &s.kind {
        StmtKind::Decorated { decorators, .. } => decorators
            .iter()
            .any(super::declared_attr::is_declared_attr),
        StmtKind::AnnAssign { annotation, .. } => mapped_annotation(annotation).is_some(),
        StmtKind::Assign { value, .. } => matches!(
            &value.kind,
            ExprKind::Call { func, .. } if matches!(&func.kind, ExprKind::Name(n) if matches!(n.as_str(), "mapped_column" | "Column" | "relationship"))
        ),
        _ => false,
    })
}

/// `name: annotation` statements of a class body, by name, in order.
fn body_annotations(body: &[Stmt]) -> Vec<(String, &Expr)> {
    body.iter()
        .filter_map(|s| match &s.kind {
            StmtKind::AnnAssign {
                target, annotation, ..
            } => match &target.kind {
                ExprKind::Name(n) => Some((n.clone(), annotation)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// An attribute's own `mapped_column(...)` completed by the one of its
/// `Annotated` alias, as SQLAlchemy's `MappedColumn._merge`: what the
/// attribute's call left out (type, `nullable`, `primary_key`, defaults,
/// foreign key, `index`/`unique`, dataclass options) comes from the alias.
fn merge_mapped_columns(own: &MappedColumnDecl, alias: &MappedColumnDecl) -> MappedColumnDecl {
    let mut d = own.clone();
    let from = &alias.column;
    if !d.typed && alias.typed {
        d.typed = true;
        d.column.sql_type = from.sql_type.clone();
    }
    if !d.nullable_given && alias.nullable_given {
        d.nullable_given = true;
        d.column.nullable = from.nullable;
    }
    let c = &mut d.column;
    c.primary_key |= from.primary_key;
    c.index |= from.index;
    c.unique |= from.unique;
    if c.server_default.is_none() {
        c.server_default = from.server_default.clone();
    }
    if c.default.is_none() {
        c.default = from.default.clone();
    }
    if c.foreign_key.is_none() {
        c.foreign_key = from.foreign_key.clone();
    }
    let (o, a) = (&mut d.options, &alias.options);
    o.init = o.init.or(a.init);
    o.repr = o.repr.or(a.repr);
    o.compare = o.compare.or(a.compare);
    o.kw_only = o.kw_only.or(a.kw_only);
    if o.default.is_none() {
        o.default = a.default.clone();
    }
    if o.default_factory.is_none() {
        o.default_factory = a.default_factory.clone();
    }
    d
}

/// `mapped_column()` with no arguments.
fn implied_mapped_column() -> MappedColumnDecl {
    MappedColumnDecl {
        column: Column::new("", SqlType::String(None)),
        name: None,
        typed: false,
        nullable_given: false,
        options: Default::default(),
    }
}

/// SQLAlchemy's `MappedAnnotationError` for a column annotation naming a
/// type the module does not define: a string annotation (`"Mapped[Nope]"`,
/// as `from __future__ import annotations` makes every one) or a string
/// inside `Mapped[...]` (`Mapped["Nope"]`) is evaluated in the module's
/// namespace when the class is mapped.
fn unresolved_annotation(interp: &Interpreter, raw: &Expr, a: &MappedAnnotation) -> PyResult<()> {
    let MappedAnnotation::Scalar { name, .. } = a else {
        return Ok(());
    };
    if name.is_empty()
        || name.contains(['.', '[', ' '])
        || interp.globals.contains_key(name.as_str())
    {
        return Ok(());
    }
    let shown = match &raw.kind {
        ExprKind::Str(s) => s.clone(),
        ExprKind::Subscript { index, .. } if matches!(&index.kind, ExprKind::Str(s) if s == name) =>
        {
            format!("sqlalchemy.orm.base.Mapped[ForwardRef('{name}')]")
        }
        _ => return Ok(()),
    };
    Err(PyErr::new(
        ExcType::MappedAnnotationError,
        format!(
            "Could not resolve all types within mapped annotation: \"{shown}\".  Ensure all types are written correctly and are imported within the module in use."
        ),
    ))
}

/// A `mapped_column(...)` completed from its `Mapped[...]` annotation, as
/// SQLAlchemy 2.0's `MappedColumn.declarative_scan`: the type from the
/// annotation when the call gave none, `NOT NULL` unless the annotation is
/// `Optional` (or `nullable=` says otherwise; primary keys never are).
///
/// Errors: `ArgumentError` with SQLAlchemy's message when neither the call
/// nor the annotation gives a type.
fn annotated_column(
    class: &str,
    key: &str,
    d: &MappedColumnDecl,
    annotation: Option<&MappedAnnotation>,
    enum_type: Option<SqlType>,
) -> PyResult<Column> {
    let mut c = d.column.clone();
    c.name = d.name.clone().unwrap_or_else(|| key.to_string());
    if !d.typed && c.foreign_key.is_none() {
        c.sql_type = match annotation {
            None => {
                return Err(PyErr::new(
                    ExcType::ArgumentError,
                    format!(
                        "Python typing annotation is required for attribute '{class}.{key}' when primary argument(s) for \"MappedColumn\" construct are None or not present"
                    ),
                ));
            }
            // the base's `type_annotation_map` (or an enum class's `Enum`)
            // before the default map
            Some(a) => enum_type.or_else(|| a.sql_type()).ok_or_else(|| {
                PyErr::new(
                    ExcType::ArgumentError,
                    format!(
                        "Could not locate SQLAlchemy Core type for Python type {} inside the '{key}' attribute Mapped annotation",
                        a.target()
                    ),
                )
            })?,
        };
    }
    if !d.nullable_given && !c.primary_key {
        c.nullable = annotation.is_none_or(|a| a.optional());
    }
    Ok(c)
}

/// `Mapped[Status]` for a Python enum class `Status` of the module's
/// namespace: `Enum(Status)`, as SQLAlchemy 2.0's `type_annotation_map`
/// resolves an `enum.Enum` subclass (the member names, `VARCHAR` as long
/// as the longest).
fn enum_type(interp: &Interpreter, a: &MappedAnnotation) -> Option<SqlType> {
    let MappedAnnotation::Scalar { name, .. } = a else {
        return None;
    };
    let Some(Value::Native(n)) = interp.globals.get(name) else {
        return None;
    };
    let c = crate::python::object::downcast::<crate::python::class::PyClass>(n)?;
    if !c.is_enum() {
        return None;
    }
    let names = crate::interpreter::enums::members(&c)
        .iter()
        .filter_map(|m| {
            match m
                .downcast::<crate::python::class::PyInstance>()?
                .get("_name_")?
            {
                Value::Str(s) => Some(s.to_string()),
                _ => None,
            }
        })
        .collect();
    // the type's name is the class's, lowercased, as SQLAlchemy's `Enum`
    let native = crate::sql::schema::NativeEnum::Named(c.name.to_lowercase());
    Some(SqlType::Enum(
        names,
        Some(crate::sql::schema::OpaqueCallable(c)),
        native,
    ))
}

/// A `relationship(...)` completed from its `Mapped[...]` annotation: the
/// target class when the call named none, and `uselist` from whether the
/// annotation is a collection (`Mapped[List["Address"]]`).
fn annotated_relationship(
    class: &str,
    key: &str,
    r: &RelationshipDecl,
    annotation: Option<&MappedAnnotation>,
) -> PyResult<RelationshipDecl> {
    let mut r = r.clone();
    if let Some(a) = annotation {
        if r.target.is_empty() {
            r.target = a.target().to_string();
        }
        if r.uselist.is_none() {
            r.uselist = Some(matches!(a, MappedAnnotation::Collection { .. }));
        }
    }
    if r.target.is_empty() {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "relationship() on '{class}.{key}' needs its target class: relationship(\"Address\") or a Mapped[...] annotation"
            ),
        ));
    }
    Ok(r)
}

/// `foreign_keys=[sender_id]` / `remote_side=[id]` given the class body's
/// own column objects: each becomes `Class.key`, the key the body bound it
/// to (found by identity, as SQLAlchemy finds the `Column`).
fn declared_column_refs(class: &str, namespace: &[(String, Value)], r: &mut RelationshipDecl) {
    let named = |c: &mut ColumnRef| {
        if let ColumnRef::Declared(v) = c
            && let Some((key, _)) = namespace.iter().find(|(_, nv)| nv.is(v))
        {
            *c = ColumnRef::Named {
                class: class.to_string(),
                key: key.clone(),
            };
        }
    };
    r.foreign_keys.iter_mut().for_each(named);
    r.remote_side.iter_mut().for_each(named);
    if let Some(b) = r.backref_args.as_mut() {
        b.foreign_keys.iter_mut().for_each(named);
        b.remote_side.iter_mut().for_each(named);
    }
}

/// `primaryjoin=id == follows.c.follower_id` given the class body's own
/// column objects: each stand-in column
/// ([`crate::orm::expression::declared_column_expr`]) becomes the column of
/// the class's table that the body bound to that object, as SQLAlchemy's
/// `Column` is the table's once the class is mapped.
fn declared_join_columns(
    namespace: &[(String, Value)],
    attr_columns: &[(String, usize)],
    table: &crate::sql::schema::TableRef,
    decl: &mut RelationshipDecl,
) {
    use crate::orm::expression::SqlExpr;
    let adapt = |raw: &mut Option<Value>| {
        let Some(e) = raw.as_ref().and_then(|v| v.downcast::<SqlExpr>()) else {
            return;
        };
        let mut new = (*e).clone();
        new.expr = declared_columns_mapped(namespace, attr_columns, table, &e.expr);
        *raw = Some(Value::native(new));
    };
    adapt(&mut decl.primaryjoin);
    adapt(&mut decl.secondaryjoin);
}

/// `e` with each stand-in of a class-body column object
/// ([`crate::orm::expression::declared_column_expr`]) replaced by the
/// column of `table` that the body bound to that object, also inside
/// scalar subqueries (a `column_property()`'s correlated count).
fn declared_columns_mapped(
    namespace: &[(String, Value)],
    attr_columns: &[(String, usize)],
    table: &crate::sql::schema::TableRef,
    e: &crate::sql::elements::Expr,
) -> crate::sql::elements::Expr {
    use crate::orm::expression::{DECLARED_TABLE, declared_identity};
    use crate::sql::elements::Selectable;
    e.map_columns_deep(&|c| {
        let Selectable::Table(t) = &c.from else {
            return None;
        };
        let id: usize = t.name.strip_prefix(DECLARED_TABLE)?.parse().ok()?;
        let (key, _) = namespace.iter().find(|(_, v)| declared_identity(v) == id)?;
        let (_, index) = attr_columns.iter().find(|(k, _)| k == key)?;
        Some(crate::sql::elements::Expr::column(
            &Selectable::Table(table.clone()),
            *index,
        ))
    })
}

/// What a class's `__table_args__` gives its table.
#[derive(Default)]
struct TableArgs {
    indexes: Vec<Index>,
    constraints: Vec<TableConstraint>,
    options: crate::sql::schema::TableOptions,
    /// `PrimaryKeyConstraint("a", "b")`: the primary key's columns by name.
    primary_key: Option<Vec<String>>,
}

/// `__table_args__`: a tuple of `Index(...)`, `UniqueConstraint(...)`,
/// `CheckConstraint(...)` and `PrimaryKeyConstraint(...)` (and a trailing
/// dict of options), or a dict of options: `comment`,
/// `sqlite_autoincrement` and `info` (which has no effect the tutor shows).
///
/// Errors: `NotImplementedError` for other options and items.
fn table_args(v: &Value) -> PyResult<TableArgs> {
    let items = match v {
        Value::Tuple(t) => t.to_vec(),
        Value::Dict(_) => vec![v.clone()],
        other => vec![other.clone()],
    };
    let mut out = TableArgs::default();
    for item in &items {
        if let Value::Dict(d) = item {
            for (k, v) in d.borrow().iter() {
                match (k, v) {
                    (Value::Str(k), _) if &**k == "info" => {}
                    (Value::Str(k), Value::Str(c)) if &**k == "comment" => {
                        out.options.comment = Some(c.to_string());
                    }
                    (Value::Str(k), Value::None) if &**k == "comment" => {}
                    (Value::Str(k), v) if &**k == "sqlite_autoincrement" => {
                        out.options.sqlite_autoincrement = v.truthy();
                    }
                    _ => {
                        return Err(PyErr::unsupported(format!(
                            "the __table_args__ option {}",
                            crate::python::format::repr_plain(k)
                        )));
                    }
                }
            }
        }
    }
    for item in items {
        let schema_item = match &item {
            Value::Native(n) => crate::python::object::downcast::<SchemaItem>(n),
            _ => None,
        };
        let pk = item
            .downcast::<crate::sqlalchemy::alembic::constructs::Constraint>()
            .and_then(|c| match &c.0 {
                crate::sqlalchemy::alembic::ddl::ConstraintSpec::PrimaryKey { name, columns } => {
                    Some((name.clone(), columns.clone()))
                }
                _ => None,
            });
        match (&item, schema_item.as_deref()) {
            (Value::Dict(_), _) => {}
            (_, Some(SchemaItem::Index(i))) => out.indexes.push(i.clone()),
            (_, Some(SchemaItem::Constraint(c))) => out.constraints.push(c.clone()),
            _ if let Some((name, columns)) = pk => {
                out.options.primary_key_name = name;
                out.primary_key = Some(columns);
            }
            (other, _) => {
                return Err(PyErr::unsupported(format!(
                    "{} in __table_args__",
                    other.type_name()
                )));
            }
        }
    }
    Ok(out)
}

/// `User.addresses = relationship(...)` after the class statement:
/// declarative's `_add_attribute` → `Mapper.add_property`, the relationship
/// added to the mapper (and its `backref=` to the target's) and configured
/// at the next use.
///
/// Errors: `NotImplementedError` for a key already mapped (SQLAlchemy
/// replaces the property); `ArgumentError` for a relationship without a
/// target class.
pub fn add_relationship(mapper: &Rc<Mapper>, key: &str, r: &RelationshipDecl) -> PyResult<()> {
    if mapper.column(key).is_some()
        || mapper.expression(key).is_some()
        || mapper.relationship(key).is_some()
    {
        return Err(PyErr::unsupported(format!(
            "replacing the mapped attribute '{key}' of {} after its class statement",
            mapper.class_name
        )));
    }
    let decl = annotated_relationship(&mapper.class_name, key, r, None)?;
    let registry = mapper.registry()?;
    mapper
        .relationships
        .borrow_mut()
        .push(Rc::new(Relationship::new(
            key.to_string(),
            Rc::downgrade(mapper),
            decl,
        )));
    mapper.class_attrs.borrow_mut().retain(|(k, _)| k != key);
    registry.configured.set(false);
    add_backrefs(&registry);
    Ok(())
}

/// Creates the relationships that `backref=` asks for on classes now mapped.
fn add_backrefs(registry: &Rc<crate::orm::mapper::Registry>) {
    let mappers = registry.mappers.borrow().clone();
    for m in &mappers {
        let rels = m.relationships.borrow().clone();
        for rel in rels {
            let Some(back) = &rel.decl.backref else {
                continue;
            };
            let Some(target) = registry.mapper(&rel.decl.target) else {
                continue;
            };
            if target.relationship(back).is_some() {
                continue;
            }
            // `backref("parent", remote_side=[id], ...)`: its own
            // arguments; the target, `back_populates` and (unless given) the
            // joins and `foreign_keys=` come from the forward relationship,
            // as SQLAlchemy's `_generate_backref`.
            let decl = match &rel.decl.backref_args {
                Some(args) => {
                    let mut d = (**args).clone();
                    d.target = m.class_name.clone();
                    d.back_populates = Some(rel.key.clone());
                    d.backref = None;
                    d.backref_args = None;
                    if d.secondary.is_none() {
                        d.secondary = rel.decl.secondary.clone();
                    }
                    if d.primaryjoin.is_none() {
                        d.primaryjoin = rel.decl.secondaryjoin.clone();
                    }
                    if d.secondaryjoin.is_none() {
                        d.secondaryjoin = rel.decl.primaryjoin.clone();
                    }
                    if d.foreign_keys.is_empty() {
                        d.foreign_keys = rel.decl.foreign_keys.clone();
                    }
                    d
                }
                None => RelationshipDecl {
                    target: m.class_name.clone(),
                    secondary: rel.decl.secondary.clone(),
                    back_populates: Some(rel.key.clone()),
                    backref: None,
                    backref_args: None,
                    uselist: None,
                    lazy: Lazy::Select,
                    order_by: None,
                    cascade: Cascade::default(),
                    viewonly: false,
                    passive_deletes: Default::default(),
                    foreign_keys: rel.decl.foreign_keys.clone(),
                    remote_side: Vec::new(),
                    // SQLAlchemy's `backref()` of a many-to-many with explicit
                    // joins swaps them.
                    primaryjoin: rel.decl.secondaryjoin.clone(),
                    secondaryjoin: rel.decl.primaryjoin.clone(),
                    options: Default::default(),
                },
            };
            target
                .relationships
                .borrow_mut()
                .push(Rc::new(Relationship::new(
                    back.clone(),
                    Rc::downgrade(&target),
                    decl,
                )));
        }
    }
}

/// Configures the registry of `mapper` (its relationships' string
/// arguments evaluated, every relationship resolved), as SQLAlchemy's
/// `_check_configure()` before a mapper is used.
///
/// Errors: what resolving a relationship raised.
pub fn configure(interp: &mut Interpreter, mapper: &Rc<Mapper>) -> PyResult<()> {
    let registry = mapper.registry()?;
    configure_registry(interp, &registry)
}

fn configure_registry(interp: &mut Interpreter, registry: &Rc<Registry>) -> PyResult<()> {
    if !registry.configured.get() {
        resolve_relationship_arguments(interp, registry);
    }
    registry.configure()
}

/// `configure_mappers()`: every registry with a mapped class configured.
///
/// Errors: what resolving a relationship raised.
pub fn configure_mappers(interp: &mut Interpreter) -> PyResult<()> {
    for registry in crate::orm::mapper::mapped_registries() {
        configure_registry(interp, &registry)?;
    }
    Ok(())
}

/// `User(name="Zoe", ...)`: a transient object with the given attributes.
///
/// Errors: `TypeError` for positional arguments or unknown keywords, as
/// SQLAlchemy's default constructor raises.
pub fn construct(
    interp: &mut Interpreter,
    mapper: &Rc<Mapper>,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    configure(interp, mapper)?;
    let obj = crate::orm::state::InstanceCell::new(Instance::new(mapper.clone(), next_address()));
    if let Some(init) = mapper.method("__init__") {
        let mut full = vec![crate::orm::state::instance_value(obj.clone())];
        full.extend(args);
        interp.call_function(&init, full, kwargs)?;
        prefetch_callable_defaults(interp, mapper, &obj)?;
        return Ok(crate::orm::state::instance_value(obj));
    }
    // `init=False`: the base's `__init__`, SQLAlchemy's declarative
    // constructor (a `MappedAsDataclass` base keeps it)
    if let Some(fields) = &mapper.dataclass_fields
        && mapper.dataclass_arguments.init != Some(false)
    {
        let obj_value = crate::orm::state::instance_value(obj.clone());
        super::dataclasses::init(interp, mapper, fields, &obj_value, args, kwargs)?;
        prefetch_callable_defaults(interp, mapper, &obj)?;
        return Ok(obj_value);
    }
    if !args.is_empty() {
        return Err(type_error(format!(
            "__init__() takes 1 positional argument but {} were given (use keywords: {}(name=...))",
            args.len() + 1,
            mapper.class_name
        )));
    }
    let obj_value = crate::orm::state::instance_value(obj.clone());
    for (k, v) in kwargs {
        let v = if mapper.column(&k).is_some() || mapper.relationship(&k).is_some() {
            super::classes::validate_mapped(interp, &obj_value, mapper, &k, v)?
        } else {
            v
        };
        if mapper.column(&k).is_some() {
            set_column_attribute(&obj, &k, v)?;
        } else if let Some(rel) = mapper.relationship(&k) {
            set_relationship(&obj, &rel, v)?;
        } else {
            let names = mapper.attribute_names();
            let err = type_error(format!(
                "'{k}' is an invalid keyword argument for {}",
                mapper.class_name
            ));
            return Err(
                match crate::python::exceptions::did_you_mean(&k, names.iter().map(String::as_str))
                {
                    Some(h) => err.with_hint(format!("did you mean '{h}'?")),
                    None => err,
                },
            );
        }
    }
    prefetch_callable_defaults(interp, mapper, &obj)?;
    Ok(crate::orm::state::instance_value(obj))
}

/// Calls each Python function given as a column's `default=` whose
/// attribute the new object leaves unset, and keeps what it returns for the
/// INSERT (`Instance::prefetched`). SQLAlchemy calls it at the flush: the
/// tutor's ORM cannot call Python there, so it is called once the object
/// is made, and again for a function that reads the execution context each
/// time a column attribute of the pending object is set; the value sent is
/// the same unless the function depends on when it runs (only printed
/// output can then come earlier).
fn prefetch_callable_defaults(
    interp: &mut Interpreter,
    mapper: &Rc<Mapper>,
    obj: &crate::orm::state::Obj,
) -> PyResult<()> {
    prefetch_defaults(interp, mapper, obj, false)
}

/// `prefetch_callable_defaults`, or with `context_only` only the functions
/// that take the execution context (what a later attribute change can
/// alter).
fn prefetch_defaults(
    interp: &mut Interpreter,
    mapper: &Rc<Mapper>,
    obj: &crate::orm::state::Obj,
    context_only: bool,
) -> PyResult<()> {
    for (key, i) in &mapper.columns {
        let Some(crate::sql::schema::ColumnDefault::Callable(f)) =
            &mapper.table.columns[*i].default
        else {
            continue;
        };
        if !matches!(obj.borrow().dict.get(key), None | Some(Value::None)) {
            if let Some(rare) = obj.borrow_mut().rare.as_deref_mut() {
                rare.prefetched.remove(key);
                rare.prefetch_errors.remove(key);
            }
            continue;
        }
        let Some(f) = f.0.downcast_ref::<Value>() else {
            continue;
        };
        if context_only && !takes_context(f) {
            continue;
        }
        let v = call_column_default(interp, f, mapper, obj, true);
        keep_prefetched(obj, key.clone(), v, |b| &mut b.prefetched);
    }
    Ok(())
}

/// After a learner sets a column attribute of a mapped object: on a
/// persistent object, calls each Python function given as a column's
/// `onupdate=` and keeps what it returns for the next UPDATE
/// (`Instance::prefetched_onupdate`; SQLAlchemy calls it at the flush); on
/// a pending one, calls again the `default=` functions that read the
/// execution context, whose parameters have changed.
///
/// Errors: what the functions raise.
pub fn column_defaults_after_set(
    interp: &mut Interpreter,
    mapper: &Rc<Mapper>,
    obj: &crate::orm::state::Obj,
) -> PyResult<()> {
    use crate::sql::schema::ColumnDefault;
    let has_callable = |d: &Option<ColumnDefault>| matches!(d, Some(ColumnDefault::Callable(_)));
    if !mapper
        .table
        .columns
        .iter()
        .any(|c| has_callable(&c.default) || has_callable(&c.onupdate))
    {
        return Ok(());
    }
    if obj.borrow().key.is_none() {
        return prefetch_defaults(interp, mapper, obj, true);
    }
    for (key, i) in &mapper.columns {
        let Some(ColumnDefault::Callable(f)) = &mapper.table.columns[*i].onupdate else {
            continue;
        };
        let Some(f) = f.0.downcast_ref::<Value>() else {
            continue;
        };
        let v = call_column_default(interp, f, mapper, obj, false);
        keep_prefetched(obj, format!("onupdate:{key}"), v, |b| {
            &mut b.prefetched_onupdate
        });
    }
    Ok(())
}

/// Keeps what a column default function returned for the flush, in the
/// map `which` picks (by attribute key), or what it raised, for the flush
/// to raise (`Instance::prefetch_errors`, under `error_key`).
fn keep_prefetched(
    obj: &crate::orm::state::Obj,
    error_key: String,
    result: PyResult<Value>,
    which: impl Fn(&mut crate::orm::state::Rare) -> &mut std::collections::BTreeMap<String, Value>,
) {
    let key = error_key
        .strip_prefix("onupdate:")
        .unwrap_or(&error_key)
        .to_string();
    let mut b = obj.borrow_mut();
    let rare = b.rare_mut();
    match result {
        Ok(v) => {
            rare.prefetch_errors.remove(&error_key);
            which(rare).insert(key, v);
        }
        Err(e) => {
            which(rare).remove(&key);
            rare.prefetch_errors.insert(error_key, e);
        }
    }
}

/// Whether a column default function is called with the execution context:
/// a Python function with one positional parameter without a default
/// (SQLAlchemy's `ColumnDefault._maybe_wrap_callable`).
fn takes_context(f: &Value) -> bool {
    matches!(f, Value::Function(func) if func.params.args.len() > func.defaults.len())
}

/// Calls a column's `default=`/`onupdate=` function `f` for `obj`: with no
/// argument, or with a `DefaultExecutionContext` whose parameters are the
/// row's, by column name: the values set, the constant defaults and
/// (`insert`) the other functions' values already made, `None` for the
/// rest.
fn call_column_default(
    interp: &mut Interpreter,
    f: &Value,
    mapper: &Rc<Mapper>,
    obj: &crate::orm::state::Obj,
    insert: bool,
) -> PyResult<Value> {
    use crate::sql::schema::ColumnDefault;
    let mut args = Vec::new();
    if takes_context(f) {
        let mut pairs = Vec::new();
        {
            let b = obj.borrow();
            for (i, col) in mapper.table.columns.iter().enumerate() {
                let key = mapper.column_key(i).unwrap_or(&col.name);
                let set = b.dict.get(key).filter(|v| !matches!(v, Value::None));
                let v = match (set, if insert { &col.default } else { &col.onupdate }) {
                    (Some(v), _) => v.clone(),
                    (None, Some(ColumnDefault::Value(v))) => {
                        crate::orm::expression::result_value(v, Some(&col.sql_type))
                    }
                    (None, Some(ColumnDefault::Callable(_))) if insert => {
                        match b.rare().and_then(|r| r.prefetched.get(key)) {
                            Some(v) => v.clone(),
                            None => continue,
                        }
                    }
                    (None, Some(_)) => continue,
                    (None, None) if col.primary_key && insert => continue,
                    (None, None) => Value::None,
                };
                pairs.push((Value::str(&col.name), v));
            }
        }
        args.push(Value::native(
            crate::sqlalchemy::engine::DefaultExecutionContext {
                parameters: crate::python::value::DictObj::value(pairs),
            },
        ));
    }
    crate::python::vm::Vm::call_value(interp, f, args, Vec::new())
}

/// `metadata.create_all(engine)`: in its own transaction on the engine's
/// database (or in a connection's, `create_all(conn)`), checks each of the metadata's tables with
/// `PRAGMA main.table_info("t")` (and `temp.` for the missing ones; on
/// PostgreSQL the dialect's `pg_class` query), then
/// creates the missing tables in dependency order, each followed by its
/// `CREATE INDEX`es, every statement logged as SQLAlchemy's echo shows it.
///
/// Errors: `TypeError` without an engine; the database's error.
pub fn create_all(
    registry: &crate::orm::mapper::Registry,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<()> {
    run_ddl(registry, args, kwargs, "create_all")
}

/// `metadata.drop_all(engine)`, as SQLAlchemy 2.0's `SchemaDropper` on
/// SQLite: `PRAGMA main.table_info("t")` for each table in `MetaData`
/// order (and `temp.` for those missing), then `DROP TABLE` for the
/// existing ones in reverse dependency order (the reverse of
/// `create_all()`'s).
///
/// Errors: as [`create_all`].
pub fn drop_all(
    registry: &crate::orm::mapper::Registry,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<()> {
    run_ddl(registry, args, kwargs, "drop_all")
}

/// `create_all(bind, tables=None, checkfirst=True)` / `drop_all(...)`'s
/// arguments: the bind, the tables to act on (`None`: all) and
/// `checkfirst`.
///
/// Errors: `TypeError` for an unknown keyword, as Python's;
/// `AttributeError` for `tables=` items that are not tables, as SQLAlchemy's.
#[allow(clippy::type_complexity)]
fn ddl_arguments(
    args: Vec<Value>,
    kwargs: Kwargs,
    which: &str,
) -> PyResult<(
    Option<Value>,
    Option<Vec<crate::sql::schema::TableRef>>,
    bool,
)> {
    let mut args = args.into_iter();
    let mut bind = args.next();
    let mut tables = args.next();
    let mut checkfirst = args.next();
    for (k, v) in kwargs {
        match k.as_str() {
            "bind" => bind = Some(v),
            "tables" => tables = Some(v),
            "checkfirst" => checkfirst = Some(v),
            _ => {
                return Err(type_error(format!(
                    "MetaData.{which}() got an unexpected keyword argument '{k}'"
                )));
            }
        }
    }
    let only = match tables {
        None | Some(Value::None) => None,
        Some(v) => {
            let items = match &v {
                Value::List(l) => l.items.borrow().clone(),
                Value::Tuple(t) => t.to_vec(),
                other => vec![other.clone()],
            };
            let mut out = Vec::new();
            for item in items {
                match crate::sqlalchemy::objects::as_table(&item) {
                    Some(t) => out.push(t),
                    // What SQLAlchemy's table sort raises for a non-table.
                    None => {
                        return Err(PyErr::new(
                            ExcType::AttributeError,
                            format!("'{}' object has no attribute 'name'", item.type_name()),
                        ));
                    }
                }
            }
            Some(out)
        }
    };
    Ok((bind, only, checkfirst.is_none_or(|v| v.truthy())))
}

/// `create_all` / `drop_all` (`which`) on the bind given as the first
/// argument or `bind=`.
fn run_ddl(
    registry: &crate::orm::mapper::Registry,
    args: Vec<Value>,
    kwargs: Kwargs,
    which: &str,
) -> PyResult<()> {
    use crate::outcome::{Cause, TxEvent};
    let (bind, only, checkfirst) = ddl_arguments(args, kwargs, which)?;
    // On a Connection (`create_all(conn)`), in its transaction (autobegun).
    let conn = bind
        .as_ref()
        .and_then(crate::sqlalchemy::connection::as_connection);
    let db = match &bind {
        Some(Value::Native(n))
            if let Some(e) =
                crate::python::object::downcast::<crate::sqlalchemy::objects::Engine>(n) =>
        {
            e.1.clone()
        }
        Some(_) if let Some(c) = &conn => {
            c.autobegin()?;
            c.executor.db.clone()
        }
        Some(other) => {
            return Err(PyErr::new(
                ExcType::AttributeError,
                format!(
                    "'{}' object has no attribute '_run_ddl_visitor'",
                    other.type_name()
                ),
            ));
        }
        None => {
            return Err(type_error(format!(
                "MetaData.{which}() missing 1 required positional argument: 'bind'"
            )));
        }
    };
    let err = |e| crate::orm::session::db_error(e, None);
    if conn.is_none() {
        db.log_tx(TxEvent::Begin);
    }
    let creating = which == "create_all";
    let chosen = |t: &crate::sql::schema::TableRef| {
        only.as_ref()
            .is_none_or(|o| o.iter().any(|x| Rc::ptr_eq(x, t)))
    };
    let tables: Vec<_> = registry
        .tables
        .borrow()
        .iter()
        .filter(|t| chosen(t))
        .cloned()
        .collect();
    let mut missing = Vec::new();
    for t in &tables {
        if !checkfirst {
            // Without checks, create_all creates all and drop_all drops all.
            if creating {
                missing.push(t.name.clone());
            }
            continue;
        }
        if db.dialect().name == "postgresql" {
            let check = if db.dialect().driver == "asyncpg" {
                crate::sql::dialect::postgresql::asyncpg::has_table_query(&t.name)
            } else {
                crate::sql::dialect::postgresql::has_table_query(&t.name)
            };
            if db.query(&check, Cause::Query).map_err(err)?.is_empty() {
                missing.push(t.name.clone());
            }
            continue;
        }
        let check = |schema: &str| {
            crate::sql::compiler::Compiled::text(format!(
                "PRAGMA {schema}.table_info({})",
                crate::python::value::str_repr(&t.name).replace('\'', "\"")
            ))
        };
        let rows = db.query(&check("main"), Cause::Query).map_err(err)?;
        if rows.is_empty() {
            db.query(&check("temp"), Cause::Query).map_err(err)?;
            missing.push(t.name.clone());
        }
    }
    // The metadata's sequences (dialects with sequences, `optional=True`
    // ones left to SERIAL): `create_all` checks the standalone ones now and
    // creates them before the tables, a column's just before its table;
    // `drop_all` checks them all now and drops them after the tables
    // (SQLAlchemy's `SchemaGenerator`/`SchemaDropper.visit_metadata`).
    let sequences: Vec<_> = if db.dialect().supports_sequences {
        registry
            .all_sequences()
            .into_iter()
            .filter(|(s, standalone)| !s.optional && (*standalone || !creating))
            .collect()
    } else {
        Vec::new()
    };
    let mut sequences_to_do = Vec::new();
    for (s, standalone) in sequences {
        if !checkfirst || sequence_exists(&db, &s)? != creating {
            sequences_to_do.push((s, standalone));
        }
    }
    // PostgreSQL's native `Enum` types: created before the tables, dropped
    // after them (the metadata's `before_create`/`after_drop` events).
    let enum_types = if db.dialect().name == "postgresql" {
        crate::sql::ddl::native_enum_types(&registry.tables.borrow())
    } else {
        Vec::new()
    };
    if creating && let Err(e) = enum_type_ddl(&db, &enum_types, checkfirst, true) {
        if conn.is_none() {
            db.rollback().map_err(err)?;
            db.log_tx(TxEvent::Rollback);
        }
        return Err(e);
    }
    if creating {
        for (s, _) in &sequences_to_do {
            let sql = crate::sql::ddl::create_sequence(s, db.dialect());
            db.execute_ddl(&sql, Cause::Query).map_err(err)?;
        }
    }
    let mut order = registry.tables_in_dependency_order();
    order.retain(|t| chosen(t));
    if !creating {
        order.reverse();
    }
    for t in order {
        if missing.contains(&t.name) != creating {
            continue;
        }
        if !creating {
            let sql = format!("\nDROP TABLE {}", db.dialect().quote(&t.name));
            db.execute_ddl(&sql, Cause::Query).map_err(err)?;
            continue;
        }
        // `SchemaGenerator.visit_table`: each column's sequence first.
        if db.dialect().supports_sequences {
            for s in t.columns.iter().filter_map(|c| c.sequence.as_ref()) {
                if s.optional || (checkfirst && sequence_exists(&db, s)?) {
                    continue;
                }
                let sql = crate::sql::ddl::create_sequence(s, db.dialect());
                db.execute_ddl(&sql, Cause::Query).map_err(err)?;
            }
        }
        if db.dialect().name == "sqlite"
            && let Some(message) = crate::sql::ddl::sqlite_autoincrement_error(&t)
        {
            if conn.is_none() {
                db.rollback().map_err(err)?;
                db.log_tx(TxEvent::Rollback);
            }
            return Err(PyErr::new(ExcType::CompileError, message));
        }
        db.execute_ddl(
            &crate::sql::compiler::create_table(&t, db.dialect()),
            Cause::Query,
        )
        .map_err(err)?;
        for index in t.all_indexes() {
            db.execute_ddl(
                &crate::sql::compiler::create_index(&t, &index, db.dialect()),
                Cause::Query,
            )
            .map_err(err)?;
        }
        // `visit_table`: a dialect with comments but none inline (PostgreSQL)
        // sets each column's `comment=` after the indexes.
        if db.dialect().name == "postgresql" {
            if let Some(comment) = &t.options.comment {
                let sql = format!(
                    "COMMENT ON TABLE {} IS '{}'",
                    db.dialect().quote(&t.name),
                    comment.replace('\'', "''")
                );
                db.execute_ddl(&sql, Cause::Query).map_err(err)?;
            }
            for c in &t.columns {
                if let Some(comment) = &c.face.comment {
                    let sql = format!(
                        "COMMENT ON COLUMN {}.{} IS '{}'",
                        db.dialect().quote(&t.name),
                        db.dialect().quote(&c.name),
                        comment.replace('\'', "''")
                    );
                    db.execute_ddl(&sql, Cause::Query).map_err(err)?;
                }
            }
        }
    }
    if !creating {
        // A column's sequence is checked again (`drop_ok` only for a
        // standalone one).
        for (s, standalone) in &sequences_to_do {
            if checkfirst && !standalone && !sequence_exists(&db, s)? {
                continue;
            }
            let sql = crate::sql::ddl::drop_sequence(s, db.dialect());
            db.execute_ddl(&sql, Cause::Query).map_err(err)?;
        }
        enum_type_ddl(&db, &enum_types, checkfirst, false)?;
    }
    if conn.is_none() {
        db.commit().map_err(err)?;
        db.log_tx(TxEvent::Commit);
    }
    Ok(())
}

/// Whether the sequence exists (in its `schema=` if given):
/// `PGDialect.has_sequence`'s query.
///
/// Errors: the database's.
fn sequence_exists(
    db: &crate::engine::Database,
    s: &crate::sql::schema::Sequence,
) -> PyResult<bool> {
    let (name, schema) = (s.name.as_str(), s.schema.as_deref());
    let check = if db.dialect().driver == "asyncpg" {
        crate::sql::dialect::postgresql::asyncpg::has_sequence_query(name, schema)
    } else {
        crate::sql::dialect::postgresql::has_sequence_query(name, schema)
    };
    let rows = db
        .query(&check, crate::outcome::Cause::Query)
        .map_err(|e| crate::orm::session::db_error(e, None))?;
    Ok(!rows.is_empty())
}

/// `CREATE TYPE … AS ENUM (…)` (`create`) or `DROP TYPE …` for each native
/// `Enum` type, each after `PGDialect.has_type`'s query when `checkfirst`
/// (created only when missing, dropped only when there), as SQLAlchemy's
/// `EnumGenerator`/`EnumDropper`.
///
/// Errors: `CompileError` for an `Enum` with no name, as SQLAlchemy's
/// after its `typname IS NULL` query; the database's.
fn enum_type_ddl(
    db: &crate::engine::Database,
    types: &[(Option<String>, Vec<String>)],
    checkfirst: bool,
    create: bool,
) -> PyResult<()> {
    use crate::outcome::Cause;
    let err = |e| crate::orm::session::db_error(e, None);
    let dialect = db.dialect();
    for (name, labels) in types {
        if checkfirst {
            let check = if dialect.driver == "asyncpg" {
                crate::sql::dialect::postgresql::asyncpg::has_type_query(name.as_deref())
            } else {
                crate::sql::dialect::postgresql::has_type_query(name.as_deref())
            };
            let exists = !db.query(&check, Cause::Query).map_err(err)?.is_empty();
            if exists == create {
                continue;
            }
        }
        let Some(name) = name else {
            return Err(PyErr::new(
                ExcType::CompileError,
                "PostgreSQL ENUM type requires a name.",
            ));
        };
        let sql = if create {
            crate::sql::ddl::create_enum_type(name, labels, dialect)
        } else {
            crate::sql::ddl::drop_enum_type(name, dialect)
        };
        db.execute_ddl(&sql, Cause::Query).map_err(err)?;
    }
    Ok(())
}

impl Interpreter {
    /// Runs a class body in its own namespace and returns the names it bound.
    pub fn exec_class_body(&mut self, body: &[Stmt]) -> PyResult<Vec<(String, Value)>> {
        self.push_frame();
        let result = self.exec_block(body);
        let frame = self.pop_frame();
        match result {
            Ok(()) => Ok(frame),
            Err(Flow::Error(e)) => Err(e),
            Err(_) => Err(PyErr::new(
                ExcType::SyntaxError,
                "'return' outside function",
            )),
        }
    }
}

/// Evaluates the relationship arguments of `registry`'s classes that
/// SQLAlchemy evaluates at configure time and the tutor's ORM cannot:
/// `primaryjoin=` given as a string (a Python expression among the
/// script's names, as SQLAlchemy's `_class_resolver` evaluates it in the
/// class registry) or a lambda, and `order_by=lambda: ...`. Run after each
/// class statement and before the first object is made; an argument naming
/// a class not defined yet waits for the next run, and what it raised is
/// raised when the relationship is first used.
pub fn resolve_relationship_arguments(interp: &mut Interpreter, registry: &Rc<Registry>) {
    let mappers = registry.mappers.borrow().clone();
    for m in mappers {
        let rels = m.relationships.borrow().clone();
        for rel in rels {
            for (raw, cell) in [
                (&rel.decl.primaryjoin, &rel.primaryjoin),
                (&rel.decl.secondaryjoin, &rel.secondaryjoin),
            ] {
                let Some(raw) = raw else { continue };
                if matches!(&*cell.borrow(), Some(Ok(_))) {
                    continue;
                }
                let value = match raw {
                    Value::Str(s) => eval_argument(interp, registry, s),
                    Value::Function(_) => {
                        crate::python::vm::Vm::call_value(interp, raw, Vec::new(), Vec::new())
                    }
                    _ => continue,
                };
                let expr = value
                    .and_then(|v| crate::orm::expression::coerce(&v, None).map(|e| e.expr))
                    .map_err(|e| {
                        if e.exc == ExcType::NameError {
                            crate::python::exceptions::invalid_request(format!(
                                "When initializing mapper Mapper[{}({})], expression {} failed to locate a name ({}). If this is a class name, consider adding this relationship() to the <class '__main__.{}'> class after both dependent classes have been defined.",
                                m.class_name,
                                m.table.name,
                                crate::python::format::repr_plain(raw),
                                e.message
                                    .strip_prefix("name ")
                                    .and_then(|n| n.strip_suffix(" is not defined"))
                                    .unwrap_or(&e.message),
                                m.class_name
                            ))
                        } else {
                            e
                        }
                    });
                *cell.borrow_mut() = Some(expr);
            }
            if let Some(f @ Value::Function(_)) = &rel.decl.order_by
                && rel.order_by_evaluated.borrow().is_none()
                && let Ok(v) = crate::python::vm::Vm::call_value(interp, f, Vec::new(), Vec::new())
            {
                *rel.order_by_evaluated.borrow_mut() = Some(v);
            }
        }
    }
}

/// A string argument of `relationship()` evaluated as one Python
/// expression; as SQLAlchemy's `_class_resolver`, the names of the
/// registry's tables (`"Node.id == node_to_node.c.left_node_id"`) are
/// found too, after its classes.
fn eval_argument(interp: &mut Interpreter, registry: &Registry, source: &str) -> PyResult<Value> {
    let stmts = crate::language::parse_module(source.trim())
        .map_err(|e| PyErr::new(ExcType::SyntaxError, e.message))?;
    match stmts.as_slice() {
        [stmt] if let crate::language::ast::StmtKind::Expr(e) = &stmt.kind => {
            interp.push_frame();
            if let Some(frame) = interp.frames.last() {
                let mut vars = frame.vars.borrow_mut();
                for t in registry.tables.borrow().iter() {
                    if registry.mapper(&t.name).is_none() {
                        vars.insert(t.name.clone(), Value::Native(t.clone()));
                    }
                }
                for m in registry.mappers.borrow().iter() {
                    vars.remove(&m.class_name);
                }
            }
            let v = interp.eval(e);
            interp.pop_frame();
            v
        }
        _ => Err(PyErr::new(
            ExcType::ArgumentError,
            format!("expected a SQL expression, got {source:?}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mixin(name: &str, bases: &[&Rc<DeclarativeMixin>]) -> Rc<DeclarativeMixin> {
        Rc::new(DeclarativeMixin {
            name: name.into(),
            bases: bases.iter().map(|b| Value::Native((*b).clone())).collect(),
            body: Vec::new(),
            registry: None,
            dataclass: false,
            arguments: Default::default(),
        })
    }

    fn names(chain: &[Rc<DeclarativeMixin>]) -> Vec<&str> {
        chain.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn a_diamond_of_mixins_is_in_c3_order() {
        let stamp = mixin("Stamp", &[]);
        let named = mixin("Named", &[&stamp]);
        let tagged = mixin("Tagged", &[&stamp]);
        let bases = [Value::Native(named.clone()), Value::Native(tagged.clone())];
        let chain = mixin_chain(&bases).unwrap_or_default();
        assert_eq!(names(&chain), ["Named", "Tagged", "Stamp"]);
    }

    #[test]
    fn an_inconsistent_order_is_cpython_s_type_error() {
        let stamp = mixin("Stamp", &[]);
        let named = mixin("Named", &[&stamp]);
        let bases = [Value::Native(stamp.clone()), Value::Native(named.clone())];
        let err = mixin_chain(&bases).err().map(|e| (e.exc, e.message));
        assert_eq!(
            err,
            Some((
                ExcType::TypeError,
                "Cannot create a consistent method resolution\norder (MRO) for bases Stamp, Named"
                    .to_string()
            ))
        );
    }
}
