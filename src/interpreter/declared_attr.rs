//! SQLAlchemy's `@declared_attr` and `@declared_attr.directive`: a
//! function of a mixin, of a `__abstract__` base or of the declarative
//! base itself, called with each mapped class as it is mapped; what it
//! returns (a `mapped_column()`, a `relationship()`, a `__tablename__`)
//! is that class's own. A function's `-> Mapped[...]` return annotation
//! is the attribute's annotation, as SQLAlchemy's declarative scan reads it.

use std::rc::Rc;

use crate::language::ast::Expr;
use crate::python::exceptions::{PyErr, PyResult, attribute_error, type_error};
use crate::python::format::address_of;
use crate::python::vm::Kwargs;
use crate::python::{PyObject, Value};

use super::eval::Interpreter;

/// A function decorated with `@declared_attr` (`directive: false`) or
/// `@declared_attr.directive` (`__tablename__`, `__table_args__`,
/// `__mapper_args__`).
#[derive(Debug)]
pub struct DeclaredAttr {
    pub func: Value,
    pub directive: bool,
}

impl PyObject for DeclaredAttr {
    fn type_name(&self) -> String {
        match self.directive {
            true => "_declared_directive".into(),
            false => "declared_attr".into(),
        }
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.orm.decl_api.{} object at {}>",
            self.type_name(),
            address_of(self as *const Self)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The class a `declared_attr` function is called with while it is being
/// mapped: its name and the attributes its body and mixins gave so far.
#[derive(Debug)]
pub struct DeclaringClass {
    pub name: String,
    pub namespace: Vec<(String, Value)>,
}

impl PyObject for DeclaringClass {
    fn type_name(&self) -> String {
        "DeclarativeAttributeIntercept".into()
    }
    fn repr(&self) -> String {
        format!("<class '__main__.{}'>", self.name)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `declared_attr(fn)` / `declared_attr.directive(fn)`, as a decorator.
///
/// Errors: `TypeError` without exactly one callable argument.
pub fn decorate(directive: bool, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let name = match directive {
        true => "declared_attr.directive",
        false => "declared_attr",
    };
    if !kwargs.is_empty() {
        return Err(PyErr::unsupported(format!(
            "{name}() with keyword arguments"
        )));
    }
    match <[Value; 1]>::try_from(args) {
        Ok([func @ Value::Function(_)]) => Ok(Value::native(DeclaredAttr { func, directive })),
        Ok([other]) => Err(PyErr::unsupported(format!(
            "{name}() of a {}",
            other.type_name()
        ))),
        Err(args) => Err(type_error(format!(
            "{name}() takes 1 positional argument but {} were given",
            args.len()
        ))),
    }
}

/// `declared_attr.directive`; `declared_attr.cascading` is not modelled.
pub fn attr(name: &str) -> PyResult<Value> {
    match name {
        "directive" => Ok(Value::Builtin(crate::python::value::Builtin::Schema(
            "declared_attr.directive",
        ))),
        "cascading" => Err(PyErr::unsupported("declared_attr.cascading")),
        _ => Err(attribute_error(format!(
            "type object 'declared_attr' has no attribute '{name}'"
        ))),
    }
}

/// `cls.name` inside a `declared_attr` function.
///
/// Errors: `AttributeError` for a name the class has not (yet);
/// `NotImplementedError` for another `declared_attr` not called yet.
pub fn class_attr(c: &DeclaringClass, name: &str) -> PyResult<Value> {
    match name {
        "__name__" | "__qualname__" => return Ok(Value::str(&c.name)),
        "__module__" => return Ok(Value::str("__main__")),
        _ => {}
    }
    match c.namespace.iter().find(|(k, _)| k == name) {
        Some((_, v)) if v.downcast::<DeclaredAttr>().is_some() => Err(PyErr::unsupported(format!(
            "reading the declared_attr {name} of {} inside another",
            c.name
        ))),
        Some((_, v)) => Ok(v.clone()),
        None => Err(attribute_error(format!(
            "type object '{}' has no attribute '{name}'",
            c.name
        ))),
    }
}

/// Calls each `declared_attr` of `namespace` (in `order`, the class's own
/// attributes first, then its mixins' and its bases') with the class
/// `name` being mapped, putting what it returns in its place; the
/// `-> Mapped[...]` annotations of those functions, by attribute.
///
/// Errors: what a function raised.
pub fn resolve(
    interp: &mut Interpreter,
    name: &str,
    order: &[String],
    namespace: &mut [(String, Value)],
) -> PyResult<Vec<(String, Expr)>> {
    let mut annotations = Vec::new();
    for key in order {
        let Some(pos) = namespace.iter().position(|(k, _)| k == key) else {
            continue;
        };
        let Some(d) = namespace[pos].1.downcast::<DeclaredAttr>() else {
            continue;
        };
        let cls = Value::native(DeclaringClass {
            name: name.to_string(),
            namespace: namespace.to_vec(),
        });
        let value = interp.call(&d.func, vec![cls], Vec::new())?;
        namespace[pos].1 = value;
        if let Value::Function(f) = &d.func
            && let Some(r) = &f.params.returns
        {
            annotations.push((key.clone(), (**r).clone()));
        }
    }
    Ok(annotations)
}

/// Whether a decorator expression is `declared_attr` or
/// `declared_attr.directive`.
pub fn is_declared_attr(decorator: &Expr) -> bool {
    use crate::language::ast::ExprKind;
    match &decorator.kind {
        ExprKind::Name(n) => n == "declared_attr",
        ExprKind::Attribute { value, .. } => {
            matches!(&value.kind, ExprKind::Name(n) if n == "declared_attr")
        }
        _ => false,
    }
}
