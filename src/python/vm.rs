//! What Python-level code needs from the running interpreter, as a trait:
//! built-in types' methods (`sorted(key=...)`, `list.sort`), SQLAlchemy's
//! Python face and the ORM's hooks call back through it without importing the
//! interpreter.

use super::exceptions::PyResult;
use super::value::Value;

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
}
