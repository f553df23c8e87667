//! What Python-level code needs from the running interpreter, as a trait:
//! built-in types' methods (`sorted(key=...)`, `list.sort`), SQLAlchemy's
//! Python face and the ORM's hooks call back through it without importing the
//! interpreter.

use super::exceptions::PyResult;
use super::value::{ListObj, Value};

/// Keyword arguments of a call, in call order.
pub type Kwargs = Vec<(String, Value)>;

/// The running interpreter, as the object model sees it.
pub trait Vm {
    /// `f(*args, **kwargs)` for any callable value.
    fn call_value(&mut self, f: &Value, args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value>;
    /// The items of an iterable (queries and results run, as Python's `iter`).
    fn iterate_value(&mut self, v: &Value) -> PyResult<Vec<Value>>;
    /// `repr(v)`, calling a class's own `__repr__`.
    fn repr_value(&mut self, v: &Value) -> PyResult<String>;
    /// `str(v)`, calling a class's own `__str__`/`__repr__`.
    fn str_value(&mut self, v: &Value) -> PyResult<String>;
    /// Appends to what `print()` has written in this step.
    fn write_stdout(&mut self, s: &str);
    /// `bool(v)`: raises `TypeError` for a SQL clause, as SQLAlchemy does.
    fn truthy(&mut self, v: &Value) -> PyResult<bool>;
    /// `await v`: runs a coroutine to its end (`TypeError` when `v` is not
    /// awaitable).
    fn await_value(&mut self, v: &Value) -> PyResult<Value> {
        Err(super::exceptions::type_error(format!(
            "object {} can't be used in 'await' expression",
            v.type_name()
        )))
    }
    /// `v.name(*args)` when `v` is an object of a learner's class whose
    /// class defines `name` (`__len__`, `__lt__`); `None` otherwise.
    fn call_dunder(&mut self, v: &Value, name: &str, args: Vec<Value>) -> PyResult<Option<Value>> {
        let _ = (v, name, args);
        Ok(None)
    }
    /// `a < b`, calling a learner's class's `__lt__`/`__gt__` (what
    /// `sorted` and `list.sort` compare with).
    fn less_than(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        Ok(super::ops::compare_values(a, b, "<")?.is_lt())
    }
    /// `a > b`, calling a learner's class's `__gt__`/`__lt__` or a
    /// dataclass's generated ones (what `max` compares with).
    fn greater_than(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        Ok(super::ops::compare_values(a, b, ">")?.is_gt())
    }
    /// `g.__next__()` for a generator object: runs its body to the next
    /// `yield` and gives the value yielded; at its end, `StopIteration`
    /// carrying its `return` value (CPython's `StopIteration: value`).
    /// Errors: what the body raises; `ValueError: generator already
    /// executing`.
    fn generator_next(&mut self, g: &super::generator::Generator) -> PyResult<Value> {
        let _ = g;
        Err(super::exceptions::PyErr::unsupported(
            "running a generator here",
        ))
    }
    /// One pass of a loop run inside a built-in (`itertools.dropwhile`
    /// skipping items): `KeyboardInterrupt` at Ctrl-C, and counted against
    /// the step's loop budget.
    fn count_step(&mut self) -> PyResult<()> {
        Ok(())
    }
    /// `getattr(obj, name)`, raising `AttributeError` when it has none.
    fn get_attr(&mut self, obj: &Value, name: &str) -> PyResult<Value>;
    /// `item` was added to the ORM collection `list` (a list with an
    /// `owner`): SQLAlchemy's append event (backref, save-update cascade).
    fn collection_append(&mut self, list: &ListObj, item: &Value) -> PyResult<()>;
    /// `item` was removed from the ORM collection `list`: SQLAlchemy's
    /// remove event (backref, delete-orphan).
    fn collection_remove(&mut self, list: &ListObj, item: &Value) -> PyResult<()>;
}
