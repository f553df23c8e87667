//! SQLAlchemy's `@declared_attr` and `@declared_attr.directive`: a
//! function of a mixin, of a `__abstract__` base or of the declarative
//! base itself, called with each mapped class as it is mapped; what it
//! returns (a `mapped_column()`, a `relationship()`, a `__tablename__`)
//! is that class's own. A function's `-> Mapped[...]` return annotation
//! is the attribute's annotation, as SQLAlchemy's declarative scan reads it.

use std::cell::RefCell;
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
    /// `@declared_attr.cascading`: called for each mapped class, as a
    /// mixin's `declared_attr` already is (the tutor maps no subclass of a
    /// mapped class); SQLAlchemy warns where it ignores the flag.
    pub cascading: bool,
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
/// mapped: its name and the attributes its body, mixins and base gave,
/// each `declared_attr` replaced by what it returned once called (as
/// SQLAlchemy's scan memoizes them: `cls.__tablename__` read inside
/// another calls that one first, and only once).
#[derive(Debug)]
pub struct DeclaringClass {
    pub name: String,
    namespace: RefCell<Vec<(String, Value)>>,
    /// The `-> Mapped[...]` annotations of the functions called, by key.
    annotations: RefCell<Vec<(String, Expr)>>,
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

/// `declared_attr(fn)` / `declared_attr.directive(fn)` /
/// `declared_attr.cascading(fn)`, as a decorator (`name` is which).
///
/// Errors: `TypeError` without exactly one callable argument.
pub fn decorate(name: &str, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let directive = name == "declared_attr.directive";
    let cascading = name == "declared_attr.cascading";
    if !kwargs.is_empty() {
        return Err(PyErr::unsupported(format!(
            "{name}() with keyword arguments"
        )));
    }
    match <[Value; 1]>::try_from(args) {
        Ok([func @ Value::Function(_)]) => Ok(Value::native(DeclaredAttr {
            func,
            directive,
            cascading,
        })),
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

/// `declared_attr.directive` and `declared_attr.cascading`.
pub fn attr(name: &str) -> PyResult<Value> {
    match name {
        "directive" => Ok(Value::Builtin(crate::python::value::Builtin::Schema(
            "declared_attr.directive",
        ))),
        "cascading" => Ok(Value::Builtin(crate::python::value::Builtin::Schema(
            "declared_attr.cascading",
        ))),
        _ => Err(attribute_error(format!(
            "type object 'declared_attr' has no attribute '{name}'"
        ))),
    }
}

/// `cls.name` inside a `declared_attr` function (`cls` is `obj`).
///
/// Errors: `AttributeError` for a name the class has not; what another
/// `declared_attr` read raised (`RecursionError` for one that reads
/// itself).
pub fn class_attr(
    interp: &mut Interpreter,
    obj: &Value,
    c: &DeclaringClass,
    name: &str,
) -> PyResult<Value> {
    match name {
        "__name__" | "__qualname__" => return Ok(Value::str(&c.name)),
        "__module__" => return Ok(Value::str("__main__")),
        _ => {}
    }
    evaluate(interp, obj, c, name)?.ok_or_else(|| {
        attribute_error(format!(
            "type object '{}' has no attribute '{name}'",
            c.name
        ))
    })
}

/// The class's attribute `key`, its `declared_attr` called first if it
/// has not been; `None` when the class has no such attribute.
fn evaluate(
    interp: &mut Interpreter,
    obj: &Value,
    c: &DeclaringClass,
    key: &str,
) -> PyResult<Option<Value>> {
    let found = c.namespace.borrow().iter().position(|(k, _)| k == key);
    let Some(pos) = found else {
        return Ok(None);
    };
    let value = c.namespace.borrow()[pos].1.clone();
    let Some(d) = value.downcast::<DeclaredAttr>() else {
        return Ok(Some(value));
    };
    // A function that reads its own attribute calls itself again, as
    // SQLAlchemy's `declared_attr.__get__` does until `RecursionError`.
    let result = interp.call(&d.func, vec![obj.clone()], Vec::new())?;
    c.namespace.borrow_mut()[pos].1 = result.clone();
    if let Value::Function(f) = &d.func
        && let Some(r) = &f.params.returns
    {
        c.annotations
            .borrow_mut()
            .push((key.to_string(), (**r).clone()));
    }
    Ok(Some(result))
}

/// SQLAlchemy's `SAWarning`s for a `@declared_attr.cascading` whose flag
/// it ignores: on `__tablename__`, `__table_args__` or `__mapper_args__`
/// (of the class or a mixin, in MRO order), then on the mapped class's own
/// attributes (`own`, the names its body binds).
pub fn warn_cascading(
    class: &str,
    order: &[String],
    own: &[String],
    namespace: &[(String, Value)],
) {
    let cascading = |key: &str| {
        namespace
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.downcast::<DeclaredAttr>())
            .is_some_and(|d| d.cascading)
    };
    const DUNDERS: [&str; 4] = [
        "__tablename__",
        "__table__",
        "__table_args__",
        "__mapper_args__",
    ];
    for key in order {
        if DUNDERS.contains(&key.as_str()) && cascading(key) {
            crate::python::warnings::warn(
                "SAWarning",
                format!(
                    "@declared_attr.cascading is not supported on the {key} attribute on class <class '__main__.{class}'>.  This attribute invokes for subclasses in any case."
                ),
            );
        }
    }
    for key in own.iter().filter(|k| !DUNDERS.contains(&k.as_str())) {
        if cascading(key) {
            crate::python::warnings::warn(
                "SAWarning",
                format!(
                    "Use of @declared_attr.cascading only applies to Declarative 'mixin' and 'abstract' classes.  Currently, this flag is ignored on mapped class <class '__main__.{class}'>"
                ),
            );
        }
    }
}

/// What [`resolve`] gives: the `-> Mapped[...]` annotations of the
/// functions called, and the `declared_attr` directives
/// (`__tablename__`, `__table_args__`, `__mapper_args__`), which the mapped
/// class calls again at each read, as SQLAlchemy's `declared_attr.__get__`.
pub struct Resolved {
    pub annotations: Vec<(String, Expr)>,
    pub directives: Vec<(String, Value)>,
}

/// Calls each `declared_attr` of `namespace` (in `order`, the class's own
/// attributes first, then its mixins' and its bases') with the class
/// `name` being mapped, putting what it returns in its place.
///
/// Errors: what a function raised.
pub fn resolve(
    interp: &mut Interpreter,
    name: &str,
    order: &[String],
    namespace: &mut Vec<(String, Value)>,
) -> PyResult<Resolved> {
    let mut directives = Vec::new();
    for key in ["__tablename__", "__table_args__", "__mapper_args__"] {
        if let Some((_, v)) = namespace.iter().find(|(k, _)| k == key)
            && v.downcast::<DeclaredAttr>().is_some()
        {
            directives.push((key.to_string(), v.clone()));
        }
    }
    let cls = Rc::new(DeclaringClass {
        name: name.to_string(),
        namespace: RefCell::new(std::mem::take(namespace)),
        annotations: RefCell::new(Vec::new()),
    });
    let obj = Value::Native(cls.clone());
    let mut result = Ok(());
    for key in order {
        if let Err(e) = evaluate(interp, &obj, &cls, key) {
            result = Err(e);
            break;
        }
    }
    *namespace = cls.namespace.take();
    result?;
    Ok(Resolved {
        annotations: cls.annotations.take(),
        directives,
    })
}

/// `User.__tablename__` on a mapped class whose `__tablename__` (or
/// `__table_args__`, `__mapper_args__`) is a `declared_attr`: its function
/// called again with the class; `None` for other attributes.
///
/// Errors: what the function raised.
pub fn mapped_class_directive(
    interp: &mut Interpreter,
    class: &Value,
    mapper: &crate::orm::mapper::Mapper,
    name: &str,
) -> Option<PyResult<Value>> {
    let func = mapper.class_attrs.borrow().iter().find_map(|(k, v)| {
        (k == name)
            .then(|| v.downcast::<DeclaredAttr>())
            .flatten()
            .map(|d| d.func.clone())
    })?;
    Some(interp.call(&func, vec![class.clone()], Vec::new()))
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
