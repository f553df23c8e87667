//! Python's exploring tools: `dir()` (the names as real Python and
//! SQLAlchemy 2.0 list them, from `sqlalchemy::dir_names`) and `help(obj)`
//! (a short, true description: a model's table, columns and relationships,
//! a SQLAlchemy object's methods, a function's signature).

use crate::orm::mapper::{Direction, Mapper};
use crate::python::exceptions::{PyErr, PyResult};
use crate::python::value::{Builtin, Function, Value};
use crate::sqlalchemy::dir_names::{INSTANCE_EXTRA, MODEL_CLASS, MODULE_SCOPE, TYPE_DIRS};
use crate::sqlalchemy::help::{self, HelpKind};
use crate::sqlalchemy::objects::as_class;

use super::Interpreter;

/// `dir()` with no argument: the names bound in the module (the tutor's
/// defaults — Python's built-ins, SQLAlchemy's names, exception classes —
/// are not listed, as Python keeps them in `builtins`), sorted.
fn dir_scope(interp: &Interpreter) -> Vec<String> {
    let mut names: Vec<String> = MODULE_SCOPE.iter().map(|s| s.to_string()).collect();
    let frame_names: Vec<String> = match interp.frames.last() {
        Some(f) => f.vars.borrow().keys().cloned().collect(),
        None => interp
            .globals
            .iter()
            .filter(|(k, v)| !is_default_binding(k, v))
            .map(|(k, _)| k.clone())
            .collect(),
    };
    if interp.frames.last().is_some() {
        // inside a function, dir() lists its locals only
        names = frame_names;
    } else {
        names.extend(frame_names);
    }
    names.sort();
    names.dedup();
    names
}

/// A function's parameters as `inspect.signature` shows them: `a, /,
/// b=1, *args, c, d=2, **kw`, annotated ones `a: int`, `b: str = 'x'`;
/// then its return annotation, ` -> list[str]`.
fn signature_text(interp: &mut Interpreter, f: &Function) -> PyResult<String> {
    let p = &*f.params;
    let mut out = Vec::new();
    let param = |interp: &mut Interpreter, prefix: &str, name: &str, default: Option<&Value>| {
        let annotation = match p.annotations.iter().find(|(n, _)| n == name) {
            Some((_, a)) => Some(interp.annotation_text(a)?),
            None => None,
        };
        PyResult::Ok(match (annotation, default) {
            (Some(a), Some(d)) => format!("{prefix}{name}: {a} = {}", interp.repr(d)?),
            (Some(a), None) => format!("{prefix}{name}: {a}"),
            (None, Some(d)) => format!("{prefix}{name}={}", interp.repr(d)?),
            (None, None) => format!("{prefix}{name}"),
        })
    };
    let first_default = p.args.len() - f.defaults.len();
    for (i, name) in p.args.iter().enumerate() {
        let default = i.checked_sub(first_default).and_then(|d| f.defaults.get(d));
        out.push(param(interp, "", name, default)?);
        if i + 1 == p.posonly {
            out.push("/".into());
        }
    }
    match &p.vararg {
        Some(v) => out.push(param(interp, "*", v, None)?),
        None if !p.kwonly.is_empty() => out.push("*".into()),
        None => {}
    }
    for (name, d) in p.kwonly.iter().zip(&f.kw_defaults) {
        out.push(param(interp, "", name, d.as_ref())?);
    }
    if let Some(k) = &p.kwarg {
        out.push(param(interp, "**", k, None)?);
    }
    let returns = match &p.returns {
        Some(r) => format!(" -> {}", interp.annotation_text(r)?),
        None => String::new(),
    };
    Ok(format!("({}){returns}", out.join(", ")))
}

/// A function's docstring as pydoc shows it under the signature
/// (`inspect.cleandoc`, each line indented four spaces), or nothing.
fn docstring_text(f: &Function) -> String {
    use crate::language::ast::{ExprKind, StmtKind};
    let body = match &f.body {
        crate::python::value::FunctionBody::Block(b)
        | crate::python::value::FunctionBody::AsyncBlock(b) => b,
        crate::python::value::FunctionBody::Lambda(_) => return String::new(),
    };
    let Some(StmtKind::Expr(e)) = body.first().map(|s| &s.kind) else {
        return String::new();
    };
    let ExprKind::Str(doc) = &e.kind else {
        return String::new();
    };
    let lines: Vec<&str> = doc.split('\n').collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut cleaned: Vec<String> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.trim_start().to_string()
            } else {
                l.get(indent..).unwrap_or("").trim_end().to_string()
            }
        })
        .collect();
    while cleaned.first().is_some_and(|l| l.is_empty()) {
        cleaned.remove(0);
    }
    while cleaned.last().is_some_and(|l| l.is_empty()) {
        cleaned.pop();
    }
    if cleaned.is_empty() {
        return String::new();
    }
    let indented: Vec<String> = cleaned.iter().map(|l| format!("    {l}")).collect();
    format!("{}\n", indented.join("\n").trim_end())
}

/// True when `name` still holds what the tutor bound at start.
fn is_default_binding(name: &str, v: &Value) -> bool {
    match v {
        Value::Builtin(b) => super::builtins::BUILTIN_NAMES
            .iter()
            .chain(crate::sqlalchemy::modules::SQLALCHEMY_NAMES.iter())
            .any(|(n, d)| *n == name && d == b),
        Value::ExceptionClass(e) => e.name() == name,
        _ => false,
    }
}

/// `dir(Model)` / `dir(obj)` of a mapped class or object: what
/// `declarative_base()` gives every model, and the model's own attributes.
fn dir_model(m: &Mapper, instance: bool) -> Vec<String> {
    let mut names: Vec<String> = MODEL_CLASS.iter().map(|s| s.to_string()).collect();
    names.extend(m.attribute_names());
    names.extend(m.methods.borrow().iter().map(|(n, _)| n.clone()));
    names.extend(m.class_attrs.borrow().iter().map(|(n, _)| n.clone()));
    if instance {
        names.extend(INSTANCE_EXTRA.iter().map(|s| s.to_string()));
    }
    names.sort();
    names.dedup();
    names
}

/// Python's `dir([object])`, as a sorted list of names.
pub fn dir(interp: &mut Interpreter, args: &[Value]) -> PyResult<Value> {
    let names = match args {
        [] => dir_scope(interp),
        [v] => dir_of(v)?,
        _ => {
            return Err(crate::python::exceptions::type_error(format!(
                "dir expected at most 1 argument, got {}",
                args.len()
            )));
        }
    };
    Ok(Value::list(names.iter().map(|n| Value::str(n)).collect()))
}

/// Whether `name` is a public attribute of the real `type_name` (as
/// `dir()` lists it in Python with SQLAlchemy, [`TYPE_DIRS`]): one the
/// tutor lacks is then a feature it does not support yet, not an
/// `AttributeError`.
pub fn is_real_attribute(type_name: &str, name: &str) -> bool {
    !name.starts_with('_')
        && TYPE_DIRS
            .iter()
            .find(|(t, _)| *t == type_name)
            .is_some_and(|(_, names)| names.contains(&name))
}

/// `dir(object)` in CPython 3.11.
const OBJECT_DIR: &[&str] = &[
    "__class__",
    "__delattr__",
    "__dir__",
    "__doc__",
    "__eq__",
    "__format__",
    "__ge__",
    "__getattribute__",
    "__getstate__",
    "__gt__",
    "__hash__",
    "__init__",
    "__init_subclass__",
    "__le__",
    "__lt__",
    "__ne__",
    "__new__",
    "__reduce__",
    "__reduce_ex__",
    "__repr__",
    "__setattr__",
    "__sizeof__",
    "__str__",
    "__subclasshook__",
];

/// `dir()` of a learner's plain class (`instance`: of one of its objects,
/// with its `__dict__`'s names), as CPython's `type.__dir__`: `object`'s
/// names, `__dict__`/`__module__`/`__weakref__` every plain class has, and
/// each class's namespace along the `__mro__`, sorted. `None` for a class
/// deriving from a built-in class other than `object`.
fn dir_plain_class(
    class: &std::rc::Rc<crate::python::class::PyClass>,
    instance: Option<&crate::python::class::PyInstance>,
) -> Option<Vec<String>> {
    use crate::python::class::ClassRef;
    let mut classes = vec![class.clone()];
    for c in &class.mro {
        match c {
            ClassRef::User(c) => classes.push(c.clone()),
            ClassRef::Object => {}
            ClassRef::Exception(_) => return None,
        }
    }
    if classes.iter().any(|c| c.is_enum()) {
        return None;
    }
    let mut names: std::collections::BTreeSet<String> =
        OBJECT_DIR.iter().map(|s| s.to_string()).collect();
    for n in ["__dict__", "__module__", "__weakref__"] {
        names.insert(n.to_string());
    }
    for c in &classes {
        for (k, _) in c.namespace.borrow().iter() {
            if k != "__qualname__" {
                names.insert(k.clone());
            }
        }
    }
    if let Some(i) = instance {
        for (k, _) in i.dict.borrow().iter() {
            if let Value::Str(s) = k {
                names.insert(s.to_string());
            }
        }
    }
    Some(names.into_iter().collect())
}

fn dir_of(v: &Value) -> PyResult<Vec<String>> {
    if let Some(c) = v.downcast::<crate::python::class::PyClass>()
        && let Some(names) = dir_plain_class(&c, None)
    {
        return Ok(names);
    }
    if let Some(i) = v.downcast::<crate::python::class::PyInstance>()
        && let Some(names) = dir_plain_class(&i.class, Some(&i))
    {
        return Ok(names);
    }
    if let Some(o) = crate::orm::state::as_instance(v) {
        return Ok(dir_model(&o.borrow().mapper, true));
    }
    if let Some(m) = as_class(v) {
        return Ok(dir_model(&m, false));
    }
    let type_name = v.type_name();
    match TYPE_DIRS.iter().find(|(t, _)| *t == type_name) {
        Some((_, names)) => Ok(names.iter().map(|s| s.to_string()).collect()),
        None => Err(PyErr::unsupported(format!(
            "dir() of a '{type_name}' object"
        ))),
    }
}

/// Python's `help(object)`, shortened to what a learner needs: written to
/// the step's output; returns `None`.
pub fn help(interp: &mut Interpreter, args: &[Value]) -> PyResult<Value> {
    let text = match args {
        [v] => help_text(interp, v)?,
        _ => {
            return Err(PyErr::unsupported(
                "help() without an argument (type .help for the tutor's help)",
            ));
        }
    };
    interp.write(&text);
    Ok(Value::None)
}

fn help_text(interp: &mut Interpreter, v: &Value) -> PyResult<String> {
    if let Some(m) = as_class(v) {
        return Ok(model_help(&m));
    }
    if let Some(o) = crate::orm::state::as_instance(v) {
        let m = o.borrow().mapper.clone();
        return Ok(format!(
            "{} object of the mapped class below.\n{}",
            interp.repr(v)?,
            model_help(&m)
        ));
    }
    if let Some(text) = sqlalchemy_help(v) {
        return Ok(text);
    }
    let methods = |names: Vec<&'static str>| names.join(", ");
    Ok(match v {
        Value::Function(f) => format!(
            "Help on function {} in module __main__:\n\n{}{}\n{}\n",
            f.name,
            f.name,
            signature_text(interp, f)?,
            docstring_text(f)
        ),
        Value::Builtin(b) => match crate::python::builtins::signature(b) {
            Some(sig) => format!(
                "Help on built-in function {} in module builtins:\n\n{}{}\n",
                sig.name,
                sig.name,
                sig.display()
            ),
            None => format!("Help on {}:\n\n{}\n", v.type_name(), interp.repr(v)?),
        },
        v if let Some(q) = crate::sqlalchemy::query::as_query(v) => {
            let legacy = q.is_legacy();
            if legacy {
                format!(
                    "Help on Query (sqlalchemy.orm.Query): a legacy ORM query; nothing is sent until it is iterated or a method such as all(), first() or one() runs.\n\nMethods: {}\n",
                    methods(crate::sqlalchemy::query::query_names(true))
                )
            } else {
                format!(
                    "Help on Select (sqlalchemy.sql.expression.Select): a SELECT statement; run it with session.execute() or session.scalars().\n\nMethods: {}\n",
                    methods(crate::sqlalchemy::query::query_names(false))
                )
            }
        }
        v if crate::sqlalchemy::result::as_result(v).is_some() => format!(
            "Help on {} (sqlalchemy.engine.Result): the rows a statement returned, read once.\n\nMethods: {}\n",
            v.type_name(),
            methods(crate::sqlalchemy::result::result_names())
        ),
        other => format!(
            "Help on {} object:\n\n{}\n",
            other.type_name(),
            interp.repr(other)?
        ),
    })
}

/// How `help()` reached a name of [`help::HELP`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reached {
    /// the name itself: `help(select)`, `help(Session)`, `help(Session.execute)`
    Name,
    /// a method bound to an object: `help(session.execute)`
    BoundMethod,
    /// an instance of the class: `help(session)`
    Instance,
}

/// `help(x)` for SQLAlchemy's names and `Session`'s methods, from the one
/// table [`help::HELP`]; `None` for anything else.
fn sqlalchemy_help(v: &Value) -> Option<String> {
    let (name, reached) = match v {
        Value::Builtin(b) => {
            let (name, _) = crate::sqlalchemy::modules::SQLALCHEMY_NAMES
                .iter()
                .find(|(_, d)| d == b)?;
            (name.to_string(), Reached::Name)
        }
        Value::Method(m) if crate::sqlalchemy::session::as_session(&m.receiver).is_some() => {
            (format!("Session.{}", m.name), Reached::BoundMethod)
        }
        v if let Some(f) = v.downcast::<crate::sqlalchemy::session::SessionFunction>() => {
            (format!("Session.{}", f.name), Reached::Name)
        }
        v if crate::sqlalchemy::session::as_session(v).is_some() => {
            ("Session".to_string(), Reached::Instance)
        }
        _ => return None,
    };
    let entry = help::lookup(&name)?;
    let mut text = help_entry_text(entry, reached);
    if entry.name == "Session" {
        text.push_str(&format!(
            " |  \n |  Methods: {}\n",
            crate::sqlalchemy::session::session_names().join(", ")
        ));
    }
    Some(text)
}

/// pydoc's layout of one entry: the `Help on … in module …:` header, the
/// signature (a class's under ` |  `; a function read on its class with
/// `self`; a bound method with `method of … instance`), the summary
/// indented below it.
fn help_entry_text(e: &help::HelpEntry, reached: Reached) -> String {
    let short = e.name.rsplit('.').next().unwrap_or(e.name);
    let (module, summary) = (e.module, e.summary);
    let class = |header: String| {
        format!(
            "{header}\n\nclass {short}\n |  {short}{sig}\n |  \n |  {summary}\n",
            sig = e.signature
        )
    };
    let function = |sig: &str| {
        format!("Help on function {short} in module {module}:\n\n{short}{sig}\n    {summary}\n")
    };
    match (e.kind, reached) {
        (HelpKind::Class, Reached::Instance) => {
            class(format!("Help on {short} in module {module} object:"))
        }
        (HelpKind::Class, _) => class(format!("Help on class {short} in module {module}:")),
        (HelpKind::Method, Reached::BoundMethod) => {
            let class = e.name.split('.').next().unwrap_or(e.name);
            format!(
                "Help on method {short} in module {module}:\n\n{short}{sig} method of {module}.{class} instance\n    {summary}\n",
                sig = e.signature
            )
        }
        (HelpKind::Method, _) => function(&match e.signature.strip_prefix("()") {
            Some(rest) => format!("(self){rest}"),
            None => e.signature.replacen('(', "(self, ", 1),
        }),
        (HelpKind::Function, _) => function(e.signature),
    }
}

/// A mapped class: its table, columns (with their SQLite DDL types) and
/// relationships.
fn model_help(m: &Mapper) -> String {
    let mut s = format!(
        "class {} — mapped to table {}\n\nColumns:\n",
        m.class_name, m.table.name
    );
    for (key, idx) in &m.columns {
        let Some(c) = m.table.columns.get(*idx) else {
            continue;
        };
        let mut notes = vec![c.sql_type.ddl()];
        if c.primary_key {
            notes.push("primary key".into());
        } else if !c.nullable {
            notes.push("NOT NULL".into());
        }
        if c.unique {
            notes.push("unique".into());
        }
        if let Some(fk) = &c.foreign_key {
            notes.push(format!("foreign key to {}.{}", fk.table, fk.column));
        }
        s.push_str(&format!("    {key}: {}\n", notes.join(", ")));
    }
    let rels = m.relationships.borrow();
    if !rels.is_empty() {
        s.push_str("\nRelationships:\n");
        for r in rels.iter() {
            let what = match r.resolve() {
                Ok(res) => match res.direction {
                    Direction::OneToMany if r.decl.uselist == Some(false) => {
                        format!("{} (one-to-one)", res.target.class_name)
                    }
                    Direction::OneToMany => {
                        format!("list of {} (one-to-many)", res.target.class_name)
                    }
                    Direction::ManyToOne => format!("{} (many-to-one)", res.target.class_name),
                    Direction::ManyToMany => {
                        format!("list of {} (many-to-many)", res.target.class_name)
                    }
                },
                Err(_) => r.decl.target.clone(),
            };
            s.push_str(&format!("    {}: {what}\n", r.key));
        }
    }
    let methods = m.methods.borrow();
    if !methods.is_empty() {
        let names: Vec<&str> = methods.iter().map(|(n, _)| n.as_str()).collect();
        s.push_str(&format!("\nMethods: {}\n", names.join(", ")));
    }
    s
}

/// `dir()` and `help()` take no keyword arguments (CPython's message).
pub fn no_kwargs(b: &Builtin, kwargs: &[(String, Value)]) -> PyResult<()> {
    match kwargs.first() {
        Some(_) => Err(crate::python::exceptions::type_error(format!(
            "{}() takes no keyword arguments",
            if matches!(b, Builtin::Dir) {
                "dir"
            } else {
                "help"
            }
        ))),
        None => Ok(()),
    }
}

/// True for the built-ins this module implements.
pub fn is_introspection(b: &Builtin) -> bool {
    matches!(b, Builtin::Dir | Builtin::Help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sqlalchemy_builtin_with_help_is_found_by_its_value() {
        for (name, b) in crate::sqlalchemy::modules::SQLALCHEMY_NAMES {
            let Some(entry) = help::lookup(name) else {
                continue;
            };
            let text = sqlalchemy_help(&Value::Builtin(b.clone())).unwrap_or_default();
            assert!(text.contains(entry.summary), "{name}: {text}");
        }
    }

    #[test]
    fn layouts_follow_pydoc() {
        let select = help::lookup("select").expect("select has help");
        assert!(help_entry_text(select, Reached::Name).starts_with(
            "Help on function select in module sqlalchemy.sql._selectable_constructors:\n\nselect(*entities"
        ));
        let add = help::lookup("Session.add").expect("Session.add has help");
        assert!(help_entry_text(add, Reached::Name).contains("\nadd(self, instance: 'object'"));
        assert!(
            help_entry_text(add, Reached::BoundMethod)
                .contains("\nadd(instance: 'object', _warn: 'bool' = True) -> 'None' method of sqlalchemy.orm.session.Session instance\n")
        );
        let session = help::lookup("Session").expect("Session has help");
        assert!(help_entry_text(session, Reached::Instance).starts_with(
            "Help on Session in module sqlalchemy.orm.session object:\n\nclass Session\n |  Session(bind"
        ));
    }

    #[test]
    fn non_sqlalchemy_values_have_no_table_help() {
        assert_eq!(sqlalchemy_help(&Value::Int(1)), None);
        assert_eq!(sqlalchemy_help(&Value::Builtin(Builtin::Len)), None);
    }
}
