//! `range`, as CPython's: an immutable sequence of integers computed on
//! demand. A `for` loop over `range(10**7)` draws one integer at a time
//! ([`crate::python::iter::PyIter::Range`]); `len()`, `in`, indexing and
//! `list()` read it as the list it stands for (at most 1,000,000 items in
//! the tutor). Printed as `range(0, 10)` or `range(0, 10, 2)`.

use std::any::Any;
use std::rc::Rc;

use crate::python::exceptions::PyResult;
use crate::python::object::PyObject;
use crate::python::value::Value;

/// The most items a range gives as a list (`len()`, `list()`, `in`).
pub const MAX_LISTED: i64 = 1_000_000;

/// `range(start, stop, step)`; `step` is never 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}

impl Range {
    /// How many integers it holds, as CPython's `len(range(...))`.
    pub fn len(&self) -> i64 {
        let (lo, hi, step) = if self.step > 0 {
            (self.start as i128, self.stop as i128, self.step as i128)
        } else {
            (self.stop as i128, self.start as i128, -(self.step as i128))
        };
        if lo >= hi {
            0
        } else {
            i64::try_from((hi - lo - 1) / step + 1).unwrap_or(i64::MAX)
        }
    }

    /// True when it holds no integer.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `i`th integer (0-based), if there is one.
    pub fn get(&self, i: i64) -> Option<i64> {
        if i < 0 || i >= self.len() {
            return None;
        }
        let v = self.start as i128 + i as i128 * self.step as i128;
        i64::try_from(v).ok()
    }

    /// The integers as a list, or `None` past [`MAX_LISTED`].
    pub fn to_list(&self) -> Option<Value> {
        let n = self.len();
        if n > MAX_LISTED {
            return None;
        }
        Some(Value::list(
            (0..n).filter_map(|i| self.get(i)).map(Value::Int).collect(),
        ))
    }
}

impl PyObject for Range {
    fn type_name(&self) -> String {
        "range".into()
    }

    fn repr(&self) -> String {
        if self.step == 1 {
            format!("range({}, {})", self.start, self.stop)
        } else {
            format!("range({}, {}, {})", self.start, self.stop, self.step)
        }
    }

    fn truthy(&self) -> bool {
        !self.is_empty()
    }

    fn as_builtin(&self) -> Option<Value> {
        self.to_list()
    }

    /// `r[i]`, negative from the end; `IndexError: range object index out
    /// of range` as CPython.
    fn get_item(&self, key: &Value) -> Option<PyResult<Value>> {
        let Value::Int(i) = key else { return None };
        let i = if *i < 0 { i + self.len() } else { *i };
        Some(match self.get(i) {
            Some(v) => Ok(Value::Int(v)),
            None => Err(crate::python::exceptions::PyErr::new(
                crate::python::ExcType::IndexError,
                "range object index out of range",
            )),
        })
    }

    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(start: i64, stop: i64, step: i64) -> Range {
        Range { start, stop, step }
    }

    // lengths and items as CPython's range
    #[test]
    fn lengths_and_items_as_python() {
        assert_eq!(r(0, 10, 1).len(), 10);
        assert_eq!(r(0, 10, 3).len(), 4);
        assert_eq!(r(10, 0, -3).len(), 4);
        assert_eq!(r(5, 5, 1).len(), 0);
        assert_eq!(r(5, 0, 1).len(), 0);
        assert_eq!(r(i64::MIN, i64::MAX, 1).len(), i64::MAX);
        assert_eq!(r(10, 0, -3).get(3), Some(1));
        assert_eq!(r(10, 0, -3).get(4), None);
        assert_eq!(r(0, 3, 1).repr(), "range(0, 3)");
        assert_eq!(r(0, 10, 2).repr(), "range(0, 10, 2)");
        assert!(r(0, 10_000_000, 1).to_list().is_none());
    }
}
