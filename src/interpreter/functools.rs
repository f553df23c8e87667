//! Python's `functools` as learners use it around SQLAlchemy code:
//! `reduce`, `partial`, `wraps` (the wrapper takes the wrapped function's
//! `__name__`/`__qualname__`) and `lru_cache`/`cache`, which remember each
//! call's result by its arguments as CPython's `_lru_cache_wrapper` does
//! (without a size bound: `maxsize` is accepted, never reached by the
//! tutor's scripts).

use std::cell::RefCell;
use std::rc::Rc;

use super::eval::Interpreter;
use crate::python::exceptions::{PyResult, type_error};
use crate::python::format::address_of;
use crate::python::object::PyObject;
use crate::python::value::{DictObj, Function, Value};

type Kwargs = Vec<(String, Value)>;

/// A callable of `functools`, or what one made.
#[derive(Debug)]
pub enum Functools {
    Reduce,
    /// the `functools.partial` class
    Partial,
    Wraps,
    LruCache,
    Cache,
    /// `partial(func, *args, **kwargs)`
    PartialObject {
        func: Value,
        args: Vec<Value>,
        kwargs: Kwargs,
    },
    /// `wraps(wrapped)`: the decorator that names its argument after
    /// `wrapped`.
    Wrapper(Value),
    /// `lru_cache(maxsize=…)`: the decorator.
    CacheDecorator,
    /// A function under `@lru_cache`/`@cache`, with the results so far.
    Cached {
        func: Value,
        memo: RefCell<DictObj>,
    },
}

impl PyObject for Functools {
    fn type_name(&self) -> String {
        match self {
            Functools::Reduce => "builtin_function_or_method",
            Functools::Partial => "type",
            Functools::PartialObject { .. } => "partial",
            Functools::Cached { .. } => "_lru_cache_wrapper",
            _ => "function",
        }
        .into()
    }
    fn repr(&self) -> String {
        let at = address_of(self as *const Functools);
        match self {
            Functools::Reduce => "<built-in function reduce>".into(),
            Functools::Partial => "<class 'functools.partial'>".into(),
            Functools::Wraps => format!("<function wraps at {at}>"),
            Functools::LruCache => format!("<function lru_cache at {at}>"),
            Functools::Cache => format!("<function cache at {at}>"),
            Functools::Wrapper(_) => format!("<function update_wrapper at {at}>"),
            Functools::CacheDecorator => {
                format!("<function lru_cache.<locals>.decorating_function at {at}>")
            }
            Functools::PartialObject { func, args, kwargs } => {
                let mut parts = vec![crate::python::format::repr_plain(func)];
                parts.extend(args.iter().map(crate::python::format::repr_plain));
                parts.extend(
                    kwargs
                        .iter()
                        .map(|(k, v)| format!("{k}={}", crate::python::format::repr_plain(v))),
                );
                format!("functools.partial({})", parts.join(", "))
            }
            Functools::Cached { func, .. } => crate::python::format::repr_plain(func),
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `functools.NAME`, when the tutor has it.
pub fn module_value(name: &str) -> Option<Value> {
    Some(Value::native(match name {
        "reduce" => Functools::Reduce,
        "partial" => Functools::Partial,
        "wraps" => Functools::Wraps,
        "lru_cache" => Functools::LruCache,
        "cache" => Functools::Cache,
        _ => return None,
    }))
}

fn cached(func: Value) -> Value {
    Value::native(Functools::Cached {
        func,
        memo: RefCell::new(DictObj::default()),
    })
}

/// `wrapper` renamed after `wrapped` (`functools.update_wrapper`); a
/// wrapper that is not a learner's function comes back as it is.
fn renamed(wrapper: Value, wrapped: &Value) -> Value {
    match (&wrapper, wrapped) {
        (Value::Function(w), Value::Function(f)) => Value::Function(Rc::new(Function {
            name: f.name.clone(),
            qualname: f.qualname.clone(),
            params: w.params.clone(),
            defaults: w.defaults.clone(),
            kw_defaults: w.kw_defaults.clone(),
            body: w.body.clone(),
            names: w.names.clone(),
            closure: w.closure.clone(),
            source: w.source.clone(),
        })),
        _ => wrapper,
    }
}

fn one_arg(name: &str, args: &[Value], kwargs: &Kwargs) -> PyResult<Value> {
    if !kwargs.is_empty() || args.len() != 1 {
        return Err(type_error(format!(
            "{name}() takes 1 positional argument but {} were given",
            args.len()
        )));
    }
    Ok(args[0].clone())
}

/// Calls one of [`Functools`], as Python 3.11.
pub fn call(
    interp: &mut Interpreter,
    f: &Functools,
    mut args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    match f {
        Functools::Reduce => {
            if !kwargs.is_empty() {
                return Err(type_error("reduce() takes no keyword arguments"));
            }
            if args.len() < 2 || args.len() > 3 {
                return Err(type_error(format!(
                    "reduce expected at least 2 arguments, got {}",
                    args.len()
                )));
            }
            let func = args[0].clone();
            let items = super::methods::iterate(interp, &args[1])?;
            let mut items = items.into_iter();
            let mut acc = match args.get(2) {
                Some(initial) => initial.clone(),
                None => items.next().ok_or_else(|| {
                    type_error("reduce() of empty iterable with no initial value")
                })?,
            };
            for x in items {
                acc = interp.call(&func, vec![acc, x], Vec::new())?;
            }
            Ok(acc)
        }
        Functools::Partial => {
            if args.is_empty() {
                return Err(type_error("type 'partial' takes at least one argument"));
            }
            let func = args.remove(0);
            if !interp.is_callable(&func) {
                return Err(type_error("the first argument must be callable"));
            }
            Ok(Value::native(Functools::PartialObject {
                func,
                args,
                kwargs,
            }))
        }
        Functools::PartialObject {
            func,
            args: bound,
            kwargs: bound_kw,
        } => {
            let mut all = bound.clone();
            all.extend(args);
            let mut kw = bound_kw.clone();
            for (k, v) in kwargs {
                match kw.iter_mut().find(|(n, _)| *n == k) {
                    Some(slot) => slot.1 = v,
                    None => kw.push((k, v)),
                }
            }
            interp.call(func, all, kw)
        }
        Functools::Wraps => {
            let wrapped = one_arg("wraps", &args, &kwargs)?;
            Ok(Value::native(Functools::Wrapper(wrapped)))
        }
        Functools::Wrapper(wrapped) => {
            Ok(renamed(one_arg("update_wrapper", &args, &kwargs)?, wrapped))
        }
        Functools::Cache => Ok(cached(one_arg("cache", &args, &kwargs)?)),
        Functools::LruCache => {
            // `@lru_cache` (the function itself) or `@lru_cache(maxsize=…)`
            match (args.as_slice(), kwargs.as_slice()) {
                ([f], []) if interp.is_callable(f) => Ok(cached(f.clone())),
                ([] | [Value::Int(_) | Value::None], _) => {
                    Ok(Value::native(Functools::CacheDecorator))
                }
                _ => Err(type_error(
                    "Expected first argument to be an integer, a callable, or None",
                )),
            }
        }
        Functools::CacheDecorator => Ok(cached(one_arg("decorating_function", &args, &kwargs)?)),
        Functools::Cached { func, memo } => {
            let mut key = args.clone();
            if !kwargs.is_empty() {
                // CPython's `_kwd_mark` between the positional and keyword parts
                key.push(Value::str("<kwd_mark>"));
                for (k, v) in &kwargs {
                    key.push(Value::str(k));
                    key.push(v.clone());
                }
            }
            let key = Value::tuple(key);
            super::class_builtins::hash(interp, &key)?;
            if let Some(v) = memo.borrow().lookup(&key) {
                return Ok(v.clone());
            }
            let v = interp.call(func, args, kwargs)?;
            memo.borrow_mut().set(key, v.clone());
            Ok(v)
        }
    }
}
