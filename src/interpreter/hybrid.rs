//! `sqlalchemy.ext.hybrid.hybrid_property` in mapped classes' bodies, as
//! SQLAlchemy 2.0's `ext/hybrid.py`: on an instance it is its getter's
//! value; on the class it is the getter's (or `.expression`'s) SQL
//! expression, labelled with the attribute's name; `.setter` and
//! `.expression` decorate copies.

use std::rc::Rc;

use crate::orm::mapper::Mapper;
use crate::python::PyObject;
use crate::python::exceptions::{PyErr, PyResult, attribute_error, type_error};
use crate::python::format::address_of;
use crate::python::value::Value;
use crate::sql::elements::Expr;

use super::eval::Interpreter;

type Kwargs = Vec<(String, Value)>;

/// A `hybrid_property`: its getter, setter and class-level expression.
#[derive(Debug, Clone)]
pub struct HybridProperty {
    pub fget: Value,
    pub fset: Option<Value>,
    pub expr: Option<Value>,
}

impl PyObject for HybridProperty {
    fn type_name(&self) -> String {
        "hybrid_property".into()
    }
    fn repr(&self) -> String {
        format!(
            "<sqlalchemy.ext.hybrid.hybrid_property object at {}>",
            address_of(self as *const HybridProperty)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `prop.setter` / `prop.expression` / `prop.getter`, waiting for the
/// function it decorates.
#[derive(Debug)]
pub struct HybridModifier {
    prop: HybridProperty,
    which: &'static str,
}

impl PyObject for HybridModifier {
    fn type_name(&self) -> String {
        "method".into()
    }
    fn repr(&self) -> String {
        format!(
            "<bound method hybrid_property.{} of {}>",
            self.which,
            self.prop.repr()
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `hybrid_property(fget, fset=None, fdel=None, expr=None)`.
///
/// Errors: `TypeError` without a getter; `NotImplementedError` for `fdel`,
/// `custom_comparator` and `update_expr`.
pub fn hybrid_property(args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let mut slots: [Option<Value>; 3] = [None, None, None];
    if args.len() > 3 {
        return Err(PyErr::unsupported("hybrid_property() with fdel"));
    }
    for (i, a) in args.into_iter().enumerate() {
        slots[i] = Some(a);
    }
    for (k, v) in kwargs {
        match k.as_str() {
            "fget" => slots[0] = Some(v),
            "fset" => slots[1] = Some(v),
            "expr" => slots[2] = Some(v),
            other => return Err(PyErr::unsupported(format!("hybrid_property({other}=…)"))),
        }
    }
    let [fget, fset, expr] = slots;
    let fget = fget.ok_or_else(|| {
        type_error("hybrid_property.__init__() missing 1 required positional argument: 'fget'")
    })?;
    Ok(Value::native(HybridProperty { fget, fset, expr }))
}

/// `prop.name` on the hybrid object itself: `setter`, `expression`,
/// `getter`; `None` when `obj` is no hybrid.
pub fn hybrid_attr(obj: &Value, name: &str) -> Option<PyResult<Value>> {
    let h = obj.downcast::<HybridProperty>()?;
    let which = match name {
        "setter" => "setter",
        "expression" => "expression",
        "getter" => "getter",
        "fget" => return Some(Ok(h.fget.clone())),
        "fset" => return Some(Ok(h.fset.clone().unwrap_or(Value::None))),
        _ => {
            return Some(Err(attribute_error(format!(
                "'hybrid_property' object has no attribute '{name}'"
            ))));
        }
    };
    Some(Ok(Value::native(HybridModifier {
        prop: (*h).clone(),
        which,
    })))
}

/// Calls `prop.setter(f)` and the like: a copy of the hybrid with `f`;
/// `None` when `f` is no such modifier.
pub fn call_modifier(f: &Value, args: &[Value]) -> Option<PyResult<Value>> {
    let m = f.downcast::<HybridModifier>()?;
    let [func] = args else {
        return Some(Err(type_error(format!(
            "hybrid_property.{}() takes 2 positional arguments but {} were given",
            m.which,
            args.len() + 1
        ))));
    };
    let mut h = m.prop.clone();
    match m.which {
        "setter" => h.fset = Some(func.clone()),
        "expression" => h.expr = Some(func.clone()),
        _ => h.fget = func.clone(),
    }
    Some(Ok(Value::native(h)))
}

/// The hybrid named `name` in a mapped class's body, if any.
fn find(mapper: &Mapper, name: &str) -> Option<Rc<HybridProperty>> {
    mapper
        .class_attrs
        .borrow()
        .iter()
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.downcast::<HybridProperty>())
}

/// `obj.name` for a hybrid of a mapped instance: its getter called.
pub fn instance_get(
    interp: &mut Interpreter,
    obj: &Value,
    mapper: &Mapper,
    name: &str,
) -> Option<PyResult<Value>> {
    let h = find(mapper, name)?;
    Some(interp.call(&h.fget, vec![obj.clone()], Vec::new()))
}

/// `obj.name = v` for a hybrid: its setter called, else SQLAlchemy's
/// `AttributeError: can't set attribute`.
pub fn instance_set(
    interp: &mut Interpreter,
    obj: &Value,
    mapper: &Mapper,
    name: &str,
    v: &Value,
) -> Option<PyResult<()>> {
    let h = find(mapper, name)?;
    Some(match &h.fset {
        Some(f) => interp
            .call(f, vec![obj.clone(), v.clone()], Vec::new())
            .map(|_| ()),
        None => Err(attribute_error("can't set attribute")),
    })
}

/// `User.name` for a hybrid: the expression (`.expression`'s, else the
/// getter's) called with the class; one with no name of its own (`a || b`)
/// labelled `name`, as the `proxy_key` SQLAlchemy's `ExprComparator`
/// annotates names it in a `select()`.
pub fn class_get(
    interp: &mut Interpreter,
    class: &Value,
    mapper: &Mapper,
    name: &str,
) -> Option<PyResult<Value>> {
    let h = find(mapper, name)?;
    let f = h.expr.as_ref().unwrap_or(&h.fget);
    Some((|| {
        let expr = interp.call(f, vec![class.clone()], Vec::new())?;
        // An expression with a name of its own (a column, a function, a
        // label) keeps it: `ColumnElement._expression_label`.
        let unnamed = expr
            .downcast::<crate::orm::expression::SqlExpr>()
            .is_some_and(|e| {
                !matches!(
                    e.expr,
                    Expr::Column(_)
                        | Expr::Function { .. }
                        | Expr::Label { .. }
                        | Expr::LiteralColumn(_)
                )
            });
        if !unnamed {
            return Ok(expr);
        }
        let label = super::methods::get_attr(interp, &expr, "label")?;
        interp.call(&label, vec![Value::str(name)], Vec::new())
    })())
}
