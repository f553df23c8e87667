//! Model declarations: `Column(...)`, `ForeignKey(...)`, `relationship(...)`,
//! `Table(...)` calls, and `class X(Base):` bodies turned into mappers in the
//! declarative registry, as SQLAlchemy's declarative extension does; model
//! constructors (`User(name="Zoe")`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::language::ast::{ExprKind, Stmt, StmtKind};
use crate::orm::attributes::{set_column_attribute, set_relationship};
use crate::orm::mapper::{Cascade, Lazy, Mapper, Relationship};
use crate::orm::schema_items::{RelationshipDecl, SchemaItem};
use crate::orm::state::Instance;
use crate::orm::state::next_address;
use crate::sql::schema::{Column, ColumnDefault, ForeignKey, SqlType, Table};

use super::eval::{Flow, Interpreter};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request, type_error};
use crate::python::format::repr_plain;
use crate::python::value::{Builtin, Value};

type Kwargs = Vec<(String, Value)>;

fn kw(kwargs: &Kwargs, name: &str) -> Option<Value> {
    kwargs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
}

fn type_of(v: &Value) -> Option<SqlType> {
    match v {
        Value::Schema(s) => match &**s {
            SchemaItem::Type(t) => Some(t.clone()),
            _ => None,
        },
        Value::Builtin(Builtin::Schema(name)) => simple_type(name, None),
        _ => None,
    }
}

fn simple_type(name: &str, length: Option<u32>) -> Option<SqlType> {
    Some(match name {
        "Integer" => SqlType::Integer,
        "String" => SqlType::String(length),
        "Text" => SqlType::Text,
        "Boolean" => SqlType::Boolean,
        "DateTime" => SqlType::DateTime,
        "Date" => SqlType::Date,
        "Float" => SqlType::Float,
        "Numeric" => SqlType::Numeric,
        _ => return None,
    })
}

fn str_arg(v: &Value, what: &str) -> PyResult<String> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!("{what} must be a string, got {}", repr_plain(other)),
        )),
    }
}

fn column_default(v: &Value, ty: &SqlType) -> PyResult<ColumnDefault> {
    match v {
        Value::Method(m) if matches!(m.receiver, Value::Builtin(Builtin::DateTime)) => {
            match m.name.as_str() {
                "utcnow" => Ok(ColumnDefault::UtcNow),
                _ => Ok(ColumnDefault::Now),
            }
        }
        Value::Bool(_) | Value::Int(_) | Value::Float(_) | Value::Str(_) | Value::DateTime(_) => {
            Ok(ColumnDefault::Value(crate::orm::expression::bind_value(
                v,
                Some(ty),
            )?))
        }
        other => Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "orm-tutor supports constant defaults and datetime.utcnow/datetime.now, not {}",
                repr_plain(other)
            ),
        )),
    }
}

/// `Column(...)`, `relationship(...)`, `ForeignKey(...)`, `Table(...)`,
/// `backref(...)` and the type constructors (`String(100)`).
pub fn schema_call(
    interp: &mut Interpreter,
    kind: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let item = match kind {
        "Column" => {
            let mut name = None;
            let mut ty = None;
            let mut fk = None;
            for a in &args {
                match a {
                    Value::Str(s) if name.is_none() && ty.is_none() => name = Some(s.to_string()),
                    Value::Schema(s) if matches!(&**s, SchemaItem::ForeignKey(_)) => {
                        if let SchemaItem::ForeignKey(f) = &**s {
                            fk = Some(f.clone());
                        }
                    }
                    other => match type_of(other) {
                        Some(t) => ty = Some(t),
                        None => {
                            return Err(PyErr::new(
                                ExcType::ArgumentError,
                                format!(
                                    "Column() got an unexpected argument {}",
                                    repr_plain(other)
                                ),
                            ));
                        }
                    },
                }
            }
            let sql_type = match (ty, &fk) {
                (Some(t), _) => t,
                (None, Some(_)) => SqlType::Integer,
                (None, None) => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        "Column() needs a type such as Integer or String(100)",
                    ));
                }
            };
            let primary_key = kw(&kwargs, "primary_key").is_some_and(|v| v.truthy());
            let nullable = match kw(&kwargs, "nullable") {
                Some(v) => v.truthy(),
                None => !primary_key,
            };
            let default = match kw(&kwargs, "default") {
                Some(Value::None) | None => None,
                Some(v) => Some(column_default(&v, &sql_type)?),
            };
            for (k, _) in &kwargs {
                if !matches!(
                    k.as_str(),
                    "primary_key"
                        | "nullable"
                        | "unique"
                        | "default"
                        | "index"
                        | "autoincrement"
                        | "server_default"
                        | "doc"
                        | "comment"
                ) {
                    return Err(type_error(format!(
                        "Column() got an unexpected keyword argument '{k}'"
                    )));
                }
            }
            SchemaItem::Column(
                Column {
                    name: name.clone().unwrap_or_default(),
                    sql_type,
                    primary_key,
                    nullable,
                    unique: kw(&kwargs, "unique").is_some_and(|v| v.truthy()),
                    foreign_key: fk,
                    default,
                },
                name,
            )
        }
        "ForeignKey" => {
            let target = str_arg(args.first().unwrap_or(&Value::None), "ForeignKey target")?;
            let (table, column) = target.split_once('.').ok_or_else(|| {
                PyErr::new(
                    ExcType::ArgumentError,
                    format!("ForeignKey target must look like 'table.column', got '{target}'"),
                )
            })?;
            SchemaItem::ForeignKey(ForeignKey {
                table: table.to_string(),
                column: column.to_string(),
            })
        }
        "backref" => SchemaItem::Backref(str_arg(
            args.first().unwrap_or(&Value::None),
            "backref name",
        )?),
        "relationship" => {
            let target = match args.first() {
                Some(Value::Str(s)) => s.to_string(),
                Some(Value::Class(m)) => m.class_name.clone(),
                Some(other) => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        format!(
                            "relationship() expects a class name such as \"Message\", got {}",
                            repr_plain(other)
                        ),
                    ));
                }
                None => {
                    return Err(type_error(
                        "relationship() missing 1 required positional argument: 'argument'",
                    ));
                }
            };
            let lazy = match kw(&kwargs, "lazy") {
                None => Lazy::Select,
                Some(Value::Str(s)) => Lazy::parse(&s).ok_or_else(|| {
                    PyErr::new(
                        ExcType::ArgumentError,
                        format!("Unknown lazy strategy '{s}'"),
                    )
                })?,
                Some(Value::Bool(true)) => Lazy::Select,
                Some(Value::Bool(false)) => Lazy::Joined,
                Some(other) => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        format!("lazy= takes a string, got {}", repr_plain(&other)),
                    ));
                }
            };
            if lazy == Lazy::Dynamic {
                return Err(PyErr::new(
                    ExcType::NotImplementedError,
                    "lazy=\"dynamic\" and \"write_only\" relationships are not supported by orm-tutor",
                ));
            }
            let cascade = match kw(&kwargs, "cascade") {
                Some(Value::Str(s)) => {
                    Cascade::parse(&s).map_err(|m| PyErr::new(ExcType::ArgumentError, m))?
                }
                Some(_) => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        "cascade= takes a string such as \"all, delete-orphan\"",
                    ));
                }
                None => Cascade::default(),
            };
            let secondary = match kw(&kwargs, "secondary") {
                Some(Value::Table(t)) => Some(t.name.clone()),
                Some(Value::Str(s)) => Some(s.to_string()),
                Some(Value::None) | None => None,
                Some(other) => {
                    return Err(PyErr::new(
                        ExcType::ArgumentError,
                        format!("secondary= takes a Table, got {}", repr_plain(&other)),
                    ));
                }
            };
            let backref = match kw(&kwargs, "backref") {
                Some(Value::Str(s)) => Some(s.to_string()),
                Some(Value::Schema(s)) => match &*s {
                    SchemaItem::Backref(n) => Some(n.clone()),
                    _ => None,
                },
                _ => None,
            };
            let back_populates = match kw(&kwargs, "back_populates") {
                Some(Value::Str(s)) => Some(s.to_string()),
                _ => None,
            };
            let uselist = kw(&kwargs, "uselist").map(|v| v.truthy());
            for (k, _) in &kwargs {
                if !matches!(
                    k.as_str(),
                    "lazy"
                        | "cascade"
                        | "secondary"
                        | "backref"
                        | "back_populates"
                        | "uselist"
                        | "order_by"
                        | "viewonly"
                        | "passive_deletes"
                ) {
                    return Err(type_error(format!(
                        "relationship() got an unexpected keyword argument '{k}'"
                    )));
                }
            }
            SchemaItem::Relationship(RelationshipDecl {
                target,
                secondary,
                back_populates,
                backref,
                uselist,
                lazy,
                order_by: kw(&kwargs, "order_by"),
                cascade,
                viewonly: kw(&kwargs, "viewonly").is_some_and(|v| v.truthy()),
            })
        }
        "Table" => {
            let name = str_arg(args.first().unwrap_or(&Value::None), "Table name")?;
            let mut columns = Vec::new();
            for a in args.iter().skip(1) {
                match a {
                    Value::Schema(s) => match &**s {
                        SchemaItem::Metadata(_) => {}
                        SchemaItem::Column(c, n) => {
                            let Some(n) = n else {
                                return Err(PyErr::new(
                                    ExcType::ArgumentError,
                                    "Columns of a Table(...) need a name: Column(\"user_id\", ...)",
                                ));
                            };
                            let mut c = c.clone();
                            c.name = n.clone();
                            columns.push(c);
                        }
                        _ => {}
                    },
                    other => {
                        return Err(PyErr::new(
                            ExcType::ArgumentError,
                            format!("Table() got an unexpected argument {}", repr_plain(other)),
                        ));
                    }
                }
            }
            if interp.registry.table(&name).is_some() {
                return Err(invalid_request(format!(
                    "Table '{name}' is already defined for this MetaData instance.  Specify 'extend_existing=True' to redefine options and columns on an existing Table object."
                )));
            }
            let table = Rc::new(Table { name, columns });
            interp.registry.tables.borrow_mut().push(table.clone());
            return Ok(Value::Table(table));
        }
        ty => {
            let length = match args.first() {
                Some(Value::Int(n)) if *n >= 0 && *n <= u32::MAX as i64 => Some(*n as u32),
                _ => None,
            };
            match simple_type(ty, length) {
                Some(t) => SchemaItem::Type(t),
                None => return Err(type_error(format!("{ty}() is not callable here"))),
            }
        }
    };
    Ok(Value::Schema(Rc::new(item)))
}

/// Names a class body binds, in the order it binds them.
fn body_names(body: &[Stmt]) -> Vec<String> {
    let mut out = Vec::new();
    for s in body {
        match &s.kind {
            StmtKind::Assign { targets, .. } => {
                for t in targets {
                    if let ExprKind::Name(n) = &t.kind
                        && !out.contains(n)
                    {
                        out.push(n.clone());
                    }
                }
            }
            StmtKind::FunctionDef { name, .. } if !out.contains(name) => {
                out.push(name.clone());
            }
            _ => {}
        }
    }
    out
}

/// `class Name(Base): …`: runs the body, then maps the class to its table.
///
/// Errors: `InvalidRequestError` without `__tablename__` or for a table
/// defined twice; `ArgumentError` without a primary key; `NotImplementedError`
/// for classes not derived from `Base`.
pub fn define_class(
    interp: &mut Interpreter,
    name: &str,
    bases: &[Value],
    body: &[Stmt],
) -> PyResult<Value> {
    let registry = bases.iter().find_map(|b| match b {
        Value::Base(r) => Some(r.clone()),
        _ => None,
    });
    let Some(registry) = registry else {
        return Err(PyErr::new(
            ExcType::NotImplementedError,
            format!(
                "orm-tutor runs mapped classes only: write class {name}(Base): with a __tablename__ and columns"
            ),
        ));
    };
    let namespace = interp.exec_class_body(body)?;
    let order = body_names(body);
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
    let mut columns = Vec::new();
    let mut attr_columns = Vec::new();
    let mut relationships = Vec::new();
    let mut methods = Vec::new();
    let mut class_attrs = Vec::new();
    for key in &order {
        let Some(v) = get(key) else { continue };
        match &v {
            Value::Schema(s) => match &**s {
                SchemaItem::Column(c, n) => {
                    let mut c = c.clone();
                    c.name = n.clone().unwrap_or_else(|| key.clone());
                    attr_columns.push((key.clone(), columns.len()));
                    columns.push(c);
                }
                SchemaItem::Relationship(r) => relationships.push((key.clone(), r.clone())),
                _ => class_attrs.push((key.clone(), v.clone())),
            },
            Value::Function(f) => methods.push((key.clone(), f.clone())),
            _ if key == "__tablename__" => {}
            _ => class_attrs.push((key.clone(), v.clone())),
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
    });
    let mapper = Rc::new_cyclic(|weak: &std::rc::Weak<Mapper>| Mapper {
        class_name: name.to_string(),
        module: interp.module.clone(),
        table: table.clone(),
        columns: attr_columns,
        relationships: RefCell::new(
            relationships
                .into_iter()
                .map(|(k, d)| Rc::new(Relationship::new(k, weak.clone(), d)))
                .collect(),
        ),
        methods: RefCell::new(methods),
        class_attrs: RefCell::new(class_attrs),
        registry: Rc::downgrade(&registry),
    });
    registry.tables.borrow_mut().push(table);
    registry
        .mappers
        .borrow_mut()
        .retain(|m| m.class_name != name);
    registry.mappers.borrow_mut().push(mapper.clone());
    add_backrefs(&registry);
    Ok(Value::Class(mapper))
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
            let decl = RelationshipDecl {
                target: m.class_name.clone(),
                secondary: rel.decl.secondary.clone(),
                back_populates: Some(rel.key.clone()),
                backref: None,
                uselist: None,
                lazy: Lazy::Select,
                order_by: None,
                cascade: Cascade::default(),
                viewonly: false,
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
    let obj = Rc::new(RefCell::new(Instance::new(mapper.clone(), next_address())));
    if let Some(init) = mapper.method("__init__") {
        let mut full = vec![Value::Object(obj.clone())];
        full.extend(args);
        interp.call_function(&init, full, kwargs)?;
        return Ok(Value::Object(obj));
    }
    if !args.is_empty() {
        return Err(type_error(format!(
            "__init__() takes 1 positional argument but {} were given (use keywords: {}(name=...))",
            args.len() + 1,
            mapper.class_name
        )));
    }
    for (k, v) in kwargs {
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
    Ok(Value::Object(obj))
}

/// `Base.metadata.create_all(engine)`: in its own transaction on the
/// engine, checks every table with `PRAGMA main.table_info("t")` (and
/// `temp.` for the missing ones), then creates the missing tables, each
/// statement logged as SQLAlchemy's echo shows it.
pub fn create_all(interp: &mut Interpreter) -> PyResult<()> {
    use crate::outcome::{Cause, TxEvent};
    let db = interp.db.clone();
    let err = |e: crate::engine::DbError| {
        PyErr::new(
            ExcType::from_name(e.kind).unwrap_or(ExcType::DatabaseError),
            e.to_string(),
        )
    };
    db.log_tx(TxEvent::Begin);
    let tables = interp.registry.tables.borrow().clone();
    let mut missing = Vec::new();
    for t in &tables {
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
    for t in interp.registry.tables_in_dependency_order() {
        if missing.contains(&t.name) {
            db.execute_ddl(&crate::sql::compiler::create_table(&t), Cause::Query)
                .map_err(err)?;
        }
    }
    db.commit().map_err(err)?;
    db.log_tx(TxEvent::Commit);
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
