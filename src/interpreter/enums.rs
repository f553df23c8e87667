//! Python's `enum` module: `Enum`, `IntEnum` and `auto()`, as CPython
//! 3.11's `enum.py`.
//!
//! An enum is a learner's [`PyClass`] deriving from the `Enum` class here
//! (module `enum`, so [`PyClass::is_enum`] knows it); when its `class`
//! statement ends, each plain attribute of its body becomes a member: a
//! [`PyInstance`] of the class holding `_name_` and `_value_`, put back in
//! the class namespace in its place (an equal value makes an alias of the
//! first member). `Status("active")` finds a member by value,
//! `Status["ACTIVE"]` by name; `len()`, iteration and `in` see the
//! canonical members in definition order. Members compare and hash by
//! identity, as `Enum`'s do; `IntEnum` members compare as their int.

use std::rc::Rc;

use crate::language::ast::CmpOp;
use crate::python::class::{ClassRef, Descriptor, PyClass, PyInstance};
use crate::python::exceptions::{PyErr, PyResult, attribute_error, type_error};
use crate::python::value::Value;
use crate::python::{ExcType, PyObject};

use super::Interpreter;

type Kwargs = Vec<(String, Value)>;

thread_local! {
    static ENUM: Rc<PyClass> = base_class("Enum", Vec::new());
    static INT_ENUM: Rc<PyClass> =
        ENUM.with(|e| base_class("IntEnum", vec![ClassRef::User(e.clone())]));
}

/// One of the `enum` module's base classes, empty: what members do comes
/// from this module, not from their namespaces.
fn base_class(name: &str, bases: Vec<ClassRef>) -> Rc<PyClass> {
    let mut mro = bases.clone();
    mro.push(ClassRef::Object);
    Rc::new(PyClass {
        name: name.to_string(),
        module: "enum".into(),
        bases: if bases.is_empty() {
            vec![ClassRef::Object]
        } else {
            bases
        },
        mro,
        namespace: std::cell::RefCell::new(vec![
            ("__module__".into(), Value::str("enum")),
            ("__qualname__".into(), Value::str(name)),
        ]),
    })
}

/// `enum.auto`: called in an enum's body, it stands for the next value.
#[derive(Debug, Clone, Copy)]
pub struct Auto {
    /// False for the `auto` class, true for what calling it returned.
    called: bool,
}

impl PyObject for Auto {
    fn type_name(&self) -> String {
        if self.called { "auto" } else { "type" }.into()
    }
    fn repr(&self) -> String {
        if self.called {
            // CPython 3.11's `auto.__repr__`, before the class assigns it
            "auto(_auto_null)".into()
        } else {
            "<class 'enum.auto'>".into()
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// The tutor's value for `enum.NAME` (`Enum`, `IntEnum`, `auto`); `None`
/// for the names it lacks (`Flag`, `StrEnum`, …).
pub fn module_value(name: &str) -> Option<Value> {
    match name {
        "Enum" => Some(Value::Native(ENUM.with(Rc::clone))),
        "IntEnum" => Some(Value::Native(INT_ENUM.with(Rc::clone))),
        "auto" => Some(Value::native(Auto { called: false })),
        _ => None,
    }
}

/// `auto()`: the marker the class statement replaces by the next value;
/// `None` when `f` is not `auto`.
pub fn call_auto(f: &Value, args: &[Value], kwargs: &Kwargs) -> Option<PyResult<Value>> {
    let a = f.downcast::<Auto>()?;
    if a.called {
        return Some(Err(type_error("'auto' object is not callable")));
    }
    if !args.is_empty() || !kwargs.is_empty() {
        return Some(Err(PyErr::unsupported("arguments to enum.auto()")));
    }
    Some(Ok(Value::native(Auto { called: true })))
}

/// Whether a body attribute becomes a member: not a `__dunder__` or
/// `_sunder_` name, not a function, descriptor or class (CPython's
/// `_is_descriptor`/`_is_dunder`/`_is_sunder`).
fn is_member(key: &str, v: &Value) -> bool {
    let sunder = key.len() > 2 && key.starts_with('_') && key.ends_with('_');
    !sunder
        && !matches!(v, Value::Function(_) | Value::Builtin(_))
        && v.downcast::<Descriptor>().is_none()
        && v.downcast::<PyClass>().is_none()
        && super::contextlib::decorated_function(v).is_none()
}

/// Turns a new enum class's plain attributes into its members, in
/// definition order (`auto()` as the last int value plus one, from 1; an
/// equal value gives an alias of the first member; a class `__init__` is
/// called with the value, unpacked when a tuple).
///
/// Errors: `TypeError: <enum 'T'> cannot extend <enum 'S'>` for a base
/// enum that has members; `ValueError` for an `IntEnum` value that is not
/// an int, as `int()` says it.
pub fn make_members(interp: &mut Interpreter, class: &Rc<PyClass>) -> PyResult<()> {
    for b in &class.bases {
        if let ClassRef::User(b) = b
            && !b.enum_entries().is_empty()
        {
            return Err(type_error(format!(
                "<enum '{}'> cannot extend <enum '{}'>",
                class.name, b.name
            )));
        }
    }
    let entries = class.namespace.borrow().clone();
    let int = class.is_int_enum();
    let own_init = class
        .lookup("__init__")
        .filter(|(_, owner)| owner.module != "enum")
        .map(|(f, _)| f);
    let mut made: Vec<(Value, Value)> = Vec::new();
    let mut last_int: Option<i64> = None;
    for (i, (key, v)) in entries.iter().enumerate() {
        if !is_member(key, v) {
            continue;
        }
        let value = match v.downcast::<Auto>() {
            Some(a) if a.called => Value::Int(last_int.map_or(1, |n| n + 1)),
            _ => v.clone(),
        };
        let value = match (int, value) {
            (false, value) => value,
            (true, Value::Bool(b)) => Value::Int(b as i64),
            (true, Value::Int(n)) => Value::Int(n),
            (true, Value::Str(s)) if let Ok(n) = s.trim().parse::<i64>() => Value::Int(n),
            (true, Value::Str(s)) => {
                return Err(PyErr::new(
                    ExcType::ValueError,
                    format!(
                        "invalid literal for int() with base 10: {}",
                        interp.repr(&Value::Str(s))?
                    ),
                ));
            }
            (true, other) => {
                return Err(type_error(format!(
                    "int() argument must be a string, a bytes-like object or a real number, not '{}'",
                    other.type_name()
                )));
            }
        };
        if let Value::Int(n) = value {
            last_int = Some(n);
        }
        let mut alias = None;
        for (val, member) in &made {
            if crate::python::ops::equal(val, &value)? {
                alias = Some(member.clone());
                break;
            }
        }
        let member = match alias {
            Some(m) => m,
            None => {
                let inst = PyInstance::new(class.clone(), Vec::new());
                inst.set("_value_", value.clone());
                inst.set("_name_", Value::str(key));
                let member = Value::Native(inst);
                if let Some(init) = &own_init {
                    let mut args = vec![member.clone()];
                    match &value {
                        Value::Tuple(items) => args.extend(items.iter().cloned()),
                        other => args.push(other.clone()),
                    }
                    interp.call(init, args, Vec::new())?;
                }
                made.push((value, member.clone()));
                member
            }
        };
        if let Some(slot) = class.namespace.borrow_mut().get_mut(i) {
            slot.1 = member;
        }
    }
    Ok(())
}

/// An enum member's own `name` and `value` (CPython's `Enum.name` and
/// `Enum.value` properties); `None` for other attributes.
pub fn member_attr(inst: &PyInstance, name: &str) -> Option<Value> {
    match name {
        "name" => inst.get("_name_"),
        "value" => inst.get("_value_"),
        _ => None,
    }
}

/// The enum member `v` is, when it is one.
fn as_member(v: &Value) -> Option<Rc<PyInstance>> {
    v.downcast::<PyInstance>().filter(|i| i.class.is_enum())
}

/// `repr(member)`: `<Status.ACTIVE: 'active'>`; `None` for other values.
pub fn member_repr(interp: &mut Interpreter, v: &Value) -> PyResult<Option<String>> {
    let Some(m) = as_member(v) else {
        return Ok(None);
    };
    let name = m.get("_name_").map(|n| interp.to_str(&n)).transpose()?;
    let value = m.get("_value_").map(|n| interp.repr(&n)).transpose()?;
    Ok(Some(format!(
        "<{}.{}: {}>",
        m.class.name,
        name.unwrap_or_default(),
        value.unwrap_or_default()
    )))
}

/// `str(member)`: `Status.ACTIVE`; an `IntEnum` member's int as text;
/// `None` for other values.
pub fn member_str(interp: &mut Interpreter, v: &Value) -> PyResult<Option<String>> {
    let Some(m) = as_member(v) else {
        return Ok(None);
    };
    if m.class.is_int_enum()
        && let Some(value) = m.get("_value_")
    {
        return interp.to_str(&value).map(Some);
    }
    let name = m.get("_name_").map(|n| interp.to_str(&n)).transpose()?;
    Ok(Some(format!(
        "{}.{}",
        m.class.name,
        name.unwrap_or_default()
    )))
}

/// `l op r` when a side is an `IntEnum` member: compared as its int;
/// `None` otherwise (other members compare by identity).
pub fn int_compare(
    interp: &mut Interpreter,
    op: CmpOp,
    l: &Value,
    r: &Value,
) -> PyResult<Option<Value>> {
    let int_value = |v: &Value| {
        as_member(v)
            .filter(|m| m.class.is_int_enum())
            .and_then(|m| m.get("_value_"))
    };
    let (li, ri) = (int_value(l), int_value(r));
    if li.is_none() && ri.is_none() {
        return Ok(None);
    }
    let l = li.unwrap_or_else(|| l.clone());
    let r = ri.unwrap_or_else(|| r.clone());
    interp.compare(op, &l, &r).map(Some)
}

/// `Status(value)`: the member whose value equals `value` (or `value`
/// itself when it is a member).
///
/// Errors: `ValueError: 'x' is not a valid Status`; `TypeError:
/// EnumType.__call__() missing 1 required positional argument: 'value'`.
pub fn call_class(
    interp: &mut Interpreter,
    class: &Rc<PyClass>,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let entries = class.enum_entries();
    if entries.is_empty() {
        return Err(PyErr::unsupported(format!(
            "{}(...) on an enum without members (the functional API)",
            class.name
        )));
    }
    if !kwargs.is_empty() {
        return Err(PyErr::unsupported(format!(
            "keyword arguments to {}(...)",
            class.name
        )));
    }
    let value = match args.as_slice() {
        [v] => v.clone(),
        [] => {
            return Err(type_error(
                "EnumType.__call__() missing 1 required positional argument: 'value'",
            ));
        }
        _ => {
            return Err(PyErr::unsupported(format!(
                "{}(...) with several values",
                class.name
            )));
        }
    };
    if let Some(m) = value.downcast::<PyInstance>()
        && Rc::ptr_eq(&m.class, class)
    {
        return Ok(value);
    }
    for (_, m, canonical) in &entries {
        if !canonical {
            continue;
        }
        if let Some(v) = m.get("_value_")
            && crate::python::ops::equal(&v, &value)?
        {
            return Ok(Value::Native(m.clone()));
        }
    }
    Err(PyErr::new(
        ExcType::ValueError,
        format!("{} is not a valid {}", interp.repr(&value)?, class.name),
    ))
}

/// `Status["ACTIVE"]`: the member by name.
///
/// Errors: `KeyError: 'x'`.
pub fn class_item(interp: &mut Interpreter, class: &Rc<PyClass>, key: &Value) -> PyResult<Value> {
    if let Value::Str(s) = key
        && let Some(m) = class.enum_member(s)
    {
        return Ok(m);
    }
    Err(PyErr::new(ExcType::KeyError, interp.repr(key)?))
}

/// The canonical members, in definition order (`list(Status)`, `for s
/// in Status`, `len(Status)`).
pub fn members(class: &Rc<PyClass>) -> Vec<Value> {
    class
        .enum_entries()
        .into_iter()
        .filter(|(_, _, canonical)| *canonical)
        .map(|(_, m, _)| Value::Native(m))
        .collect()
}

/// `Status.ACTIVE = …`, `member.value = …`: what CPython refuses; `None`
/// when the assignment is allowed.
pub fn set_refused(obj: &Value, name: &str) -> Option<PyErr> {
    if let Some(c) = obj.downcast::<PyClass>()
        && c.is_enum()
        && c.enum_member(name).is_some()
    {
        return Some(attribute_error(format!("cannot reassign member '{name}'")));
    }
    if as_member(obj).is_some() && matches!(name, "name" | "value") {
        return Some(attribute_error(format!(
            "<enum 'Enum'> cannot set attribute '{name}'"
        )));
    }
    None
}

/// `member in Status`.
///
/// Errors: `TypeError: unsupported operand type(s) for 'in': 'str' and
/// 'EnumType'` for a value that is no enum member (CPython 3.11).
pub fn contains(class: &Rc<PyClass>, item: &Value) -> PyResult<bool> {
    if as_member(item).is_none() {
        return Err(type_error(format!(
            "unsupported operand type(s) for 'in': '{}' and 'EnumType'",
            item.type_name()
        )));
    }
    Ok(members(class).iter().any(|m| m.is(item)))
}
