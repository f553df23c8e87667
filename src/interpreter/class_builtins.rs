//! The object model's built-ins, called: `property(...)`,
//! `classmethod(f)`, `staticmethod(f)`, `super()`, `hash(x)`, and the methods of built-in
//! classes reached through `super()` (`Exception.__init__`,
//! `object.__init__`, `object.__repr__`) or a property (`.setter`), with
//! CPython 3.11's messages.

use crate::python::class::{BuiltinMethod, ClassRef, Descriptor, ObjectBuiltin, PyInstance};
use crate::python::exceptions::{PyResult, type_error};
use crate::python::value::Value;

use super::eval::Interpreter;

type Kwargs = Vec<(String, Value)>;

/// `property(...)`, `classmethod(f)`, `staticmethod(f)`, `super()`,
/// `hash(x)`.
///
/// Errors: CPython's `TypeError`s for the wrong number of arguments;
/// `NotImplementedError` for `super(cls, obj)` with arguments.
pub fn call_object_builtin(
    interp: &mut Interpreter,
    b: ObjectBuiltin,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match b {
        ObjectBuiltin::Property => property(args, kwargs),
        ObjectBuiltin::ClassMethod | ObjectBuiltin::StaticMethod => {
            let name = if b == ObjectBuiltin::ClassMethod {
                "classmethod"
            } else {
                "staticmethod"
            };
            if !kwargs.is_empty() {
                return Err(type_error(format!("{name}() takes no keyword arguments")));
            }
            let [f] = <[Value; 1]>::try_from(args)
                .map_err(|a| type_error(format!("{name} expected 1 argument, got {}", a.len())))?;
            Ok(Value::native(if b == ObjectBuiltin::ClassMethod {
                Descriptor::ClassMethod(f)
            } else {
                Descriptor::StaticMethod(f)
            }))
        }
        ObjectBuiltin::Super => {
            if !args.is_empty() || !kwargs.is_empty() {
                return Err(crate::python::PyErr::unsupported(
                    "super() with arguments (write super() in a method)",
                ));
            }
            super::classes::zero_arg_super(interp)
        }
        ObjectBuiltin::Hash => match <[Value; 1]>::try_from(args) {
            Ok([v]) if kwargs.is_empty() => hash(interp, &v).map(Value::Int),
            Ok(_) => Err(type_error("hash() takes no keyword arguments")),
            Err(a) => Err(type_error(format!(
                "hash() takes exactly one argument ({} given)",
                a.len()
            ))),
        },
    }
}

/// `hash(v)`: a learner's instance by its class's `__hash__` (`TypeError:
/// unhashable type: 'P'` when it defined `__eq__` without one), anything
/// else as [`crate::python::hash::hash_value`].
pub fn hash(interp: &mut Interpreter, v: &Value) -> PyResult<i64> {
    crate::python::hash::hash_value(v, &mut |item| {
        if let Some(class) = super::dataclasses::unhashable(item) {
            return Err(type_error(format!("unhashable type: '{class}'")));
        }
        if let Some(h) = super::dataclasses::unsafe_hash(interp, item)? {
            return Ok(Some(h));
        }
        let Some(inst) = item.downcast::<PyInstance>() else {
            return Ok(None);
        };
        match inst.class.lookup("__hash__") {
            Some((Value::None, _)) => Err(type_error(format!(
                "unhashable type: '{}'",
                inst.class.name
            ))),
            Some((Value::Function(_), _)) => {
                match super::classes::call_dunder(interp, item, "__hash__", vec![], vec![])? {
                    Some(r) => crate::python::hash::hash_result(&r).map(Some),
                    None => Ok(None),
                }
            }
            _ => Ok(None),
        }
    })
}

/// `property(fget=None, fset=None, fdel=None, doc=None)`.
fn property(args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    if args.len() > 4 {
        return Err(type_error(format!(
            "property() takes at most 4 arguments ({} given)",
            args.len()
        )));
    }
    let mut slots: [Option<Value>; 4] = Default::default();
    for (i, a) in args.into_iter().enumerate() {
        slots[i] = Some(a);
    }
    for (k, v) in kwargs {
        let i = match k.as_str() {
            "fget" => 0,
            "fset" => 1,
            "fdel" => 2,
            "doc" => 3,
            _ => {
                return Err(type_error(format!(
                    "property() got an unexpected keyword argument '{k}'"
                )));
            }
        };
        slots[i] = Some(v);
    }
    let some = |v: Option<Value>| v.filter(|v| !matches!(v, Value::None));
    let [fget, fset, fdel, _doc] = slots;
    Ok(Value::native(Descriptor::Property {
        fget: some(fget),
        fset: some(fset),
        fdel: some(fdel),
    }))
}

/// A built-in class's method bound to a learner's object:
/// `BaseException.__init__(*args)` sets `args`; `object.__init__()` takes
/// no arguments; `__repr__`/`__str__` are the defaults; a property's
/// `setter(f)`/`getter(f)`/`deleter(f)` copy it with `f`.
pub fn call_builtin_method(
    interp: &mut Interpreter,
    m: &BuiltinMethod,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    if let Some(d) = m.receiver.downcast::<Descriptor>() {
        return property_copy(&d, &m.name, args);
    }
    let inst = m.receiver.downcast::<PyInstance>();
    match (m.name.as_str(), &m.class) {
        ("__init__", ClassRef::Exception(_)) => {
            if !kwargs.is_empty() {
                return Err(type_error(format!(
                    "{}() takes no keyword arguments",
                    m.receiver.type_name()
                )));
            }
            if let Some(i) = inst {
                *i.args.borrow_mut() = args;
            }
            Ok(Value::None)
        }
        ("__init__", _) => {
            if !args.is_empty() || !kwargs.is_empty() {
                return Err(type_error(
                    "object.__init__() takes exactly one argument (the instance to initialize)",
                ));
            }
            Ok(Value::None)
        }
        ("__repr__", _) => {
            let r = match &inst {
                Some(i) => crate::python::PyObject::repr(&**i),
                None => interp.repr(&m.receiver)?,
            };
            Ok(Value::str(&r))
        }
        ("__str__", _) => {
            let r = match &inst {
                Some(i) if i.is_exception() => crate::python::PyObject::str(&**i),
                _ => interp.repr(&m.receiver)?,
            };
            Ok(Value::str(&r))
        }
        ("__setattr__", _) => match (args.as_slice(), &inst) {
            ([Value::Str(name), v], Some(i)) => {
                i.set(name, v.clone());
                Ok(Value::None)
            }
            _ => Err(type_error("expected 2 arguments: name and value")),
        },
        ("__eq__", _) => match args.as_slice() {
            [other] if other.is(&m.receiver) => Ok(Value::Bool(true)),
            [_] => Ok(Value::PyType(std::rc::Rc::from("NotImplementedType"))),
            _ => Err(type_error("expected 1 argument")),
        },
        ("__hash__", _) => Ok(Value::Int(
            (std::rc::Rc::as_ptr(&match &m.receiver {
                Value::Native(n) => n.clone(),
                _ => return Ok(Value::Int(0)),
            }) as *const u8 as i64)
                >> 4,
        )),
        _ => Err(type_error(format!(
            "'{}' of built-in class is not supported",
            m.name
        ))),
    }
}

/// `prop.setter(f)`: a new property with `f` as its setter (and so for
/// `getter` and `deleter`).
fn property_copy(d: &Descriptor, which: &str, args: Vec<Value>) -> PyResult<Value> {
    let Descriptor::Property { fget, fset, fdel } = d.clone() else {
        return Err(type_error(format!("'{which}' needs a property")));
    };
    let [f] = <[Value; 1]>::try_from(args).map_err(|a| {
        type_error(format!(
            "{which}() takes exactly one argument ({} given)",
            a.len()
        ))
    })?;
    let f = Some(f);
    Ok(Value::native(match which {
        "setter" => Descriptor::Property {
            fget,
            fset: f,
            fdel,
        },
        "getter" => Descriptor::Property {
            fget: f,
            fset,
            fdel,
        },
        _ => Descriptor::Property {
            fget,
            fset,
            fdel: f,
        },
    }))
}
