//! Model declarations: `class X(Base):` bodies turned into mappers in the
//! declarative registry, as SQLAlchemy's declarative extension does, and
//! model constructors (`User(name="Zoe")`). The schema constructors the
//! bodies call (`Column(...)`, `relationship(...)`, …) are in
//! [`crate::sqlalchemy::schema`].

use std::cell::RefCell;
use std::rc::Rc;

use crate::language::ast::{ExprKind, Stmt, StmtKind};
use crate::orm::attributes::{set_column_attribute, set_relationship};
use crate::orm::mapper::{Cascade, Lazy, Mapper, Relationship};
use crate::orm::schema_items::{RelationshipDecl, SchemaItem};
use crate::orm::state::Instance;
use crate::orm::state::next_address;
use crate::sql::schema::Table;

use super::eval::{Flow, Interpreter};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, invalid_request, type_error};
use crate::python::value::Value;

type Kwargs = Vec<(String, Value)>;

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
        Value::Native(n) => crate::python::object::downcast::<crate::orm::mapper::Registry>(n),
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
            Value::Native(n) if let Some(s) = crate::python::object::downcast::<SchemaItem>(n) => {
                match &*s {
                    SchemaItem::Column(c, n) => {
                        let mut c = c.clone();
                        c.name = n.clone().unwrap_or_else(|| key.clone());
                        attr_columns.push((key.clone(), columns.len()));
                        columns.push(c);
                    }
                    SchemaItem::Relationship(r) => relationships.push((key.clone(), r.clone())),
                    _ => class_attrs.push((key.clone(), v.clone())),
                }
            }
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
    Ok(Value::Native(mapper))
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
    let obj = crate::orm::state::InstanceCell::new(Instance::new(mapper.clone(), next_address()));
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
