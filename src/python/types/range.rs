//! `range`, as CPython's: an immutable sequence of integers computed on
//! demand. A `for` loop over `range(10**7)` draws one integer at a time
//! ([`crate::python::iter::PyIter::Range`]); `len()`, `in`, indexing and
//! `list()` read it as the list it stands for (at most 1,000,000 items in
//! the tutor). Printed as `range(0, 10)` or `range(0, 10, 2)`.

use std::any::Any;
use std::rc::Rc;

use crate::python::exceptions::{ExcType, PyErr, PyResult};
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

/// An integer-valued `x` as an `i64`: ints, bools and integral floats, as
/// CPython's `range.__contains__`/`index` compare them.
fn as_integer(x: &Value) -> Option<i64> {
    match x {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(*b as i64),
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
        _ => None,
    }
}

impl Range {
    /// The position of `x`, as CPython's `range.index`.
    fn position(&self, x: &Value) -> Option<i64> {
        let x = as_integer(x)? as i128;
        let (start, step) = (self.start as i128, self.step as i128);
        let offset = x - start;
        if offset % step != 0 {
            return None;
        }
        let i = offset / step;
        (i >= 0 && i < self.len() as i128).then_some(i as i64)
    }

    /// `r.start`, `r.stop`, `r.step`; `None` for other names.
    pub fn attribute(&self, name: &str) -> Option<Value> {
        match name {
            "start" => Some(Value::Int(self.start)),
            "stop" => Some(Value::Int(self.stop)),
            "step" => Some(Value::Int(self.step)),
            _ => None,
        }
    }

    /// The names [`Self::attribute`] and [`Self::call`] answer, for "did
    /// you mean" hints.
    pub const NAMES: &[&str] = &["count", "index", "start", "step", "stop"];

    /// `r.index(x)` and `r.count(x)`, as CPython's; `None` for other
    /// names.
    ///
    /// Errors: `TypeError: range.index() takes exactly one argument (0
    /// given)`; `ValueError: 7 is not in range`.
    pub fn call(&self, name: &str, args: &[Value]) -> Option<PyResult<Value>> {
        if !matches!(name, "index" | "count") {
            return None;
        }
        let [x] = args else {
            return Some(Err(PyErr::new(
                ExcType::TypeError,
                format!(
                    "range.{name}() takes exactly one argument ({} given)",
                    args.len()
                ),
            )));
        };
        let found = self.position(x);
        Some(match (name, found) {
            ("count", found) => Ok(Value::Int(found.is_some() as i64)),
            (_, Some(i)) => Ok(Value::Int(i)),
            (_, None) => Err(PyErr::new(
                ExcType::ValueError,
                format!("{} is not in range", crate::python::format::repr_plain(x)),
            )),
        })
    }

    /// `r[lower:upper:step]`: another range, as CPython's `compute_slice`
    /// (`range(0, 10)[2:8:2]` is `range(2, 8, 2)`).
    ///
    /// Errors: `ValueError: slice step cannot be zero`; `TypeError` for
    /// indices that are not integers or None.
    pub fn slice(
        &self,
        lower: Option<Value>,
        upper: Option<Value>,
        step: Option<Value>,
    ) -> PyResult<Value> {
        let index = |v: Option<Value>| -> PyResult<Option<i128>> {
            match v {
                None | Some(Value::None) => Ok(None),
                Some(Value::Int(i)) => Ok(Some(i as i128)),
                Some(Value::Bool(b)) => Ok(Some(b as i128)),
                Some(other) => Err(PyErr::new(
                    ExcType::TypeError,
                    format!(
                        "slice indices must be integers or None or have an __index__ method, not {}",
                        other.type_name()
                    ),
                )),
            }
        };
        let k = index(step)?.unwrap_or(1);
        if k == 0 {
            return Err(PyErr::new(ExcType::ValueError, "slice step cannot be zero"));
        }
        let n = self.len() as i128;
        // PySlice_AdjustIndices
        let adjust = |i: i128| -> i128 {
            if i < 0 {
                let i = i + n;
                if i < 0 { if k < 0 { -1 } else { 0 } } else { i }
            } else if i >= n {
                if k < 0 { n - 1 } else { n }
            } else {
                i
            }
        };
        let lo = index(lower)?
            .map(adjust)
            .unwrap_or(if k < 0 { n - 1 } else { 0 });
        let hi = index(upper)?
            .map(adjust)
            .unwrap_or(if k < 0 { -1 } else { n });
        let (start, step) = (self.start as i128, self.step as i128);
        let bound = |v: i128| {
            i64::try_from(v).map_err(|_| {
                PyErr::new(
                    ExcType::OverflowError,
                    "Python int too large to convert to C ssize_t",
                )
            })
        };
        Ok(Value::Native(Rc::new(Range {
            start: bound(start + lo * step)?,
            stop: bound(start + hi * step)?,
            step: bound(step * k)?,
        })))
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

    /// As CPython's `range_richcompare`: equal to a range of the same
    /// integers (`range(0) == range(5, 2)`), never to a list.
    fn equals(&self, other: &Value) -> Option<bool> {
        let Value::Native(o) = other else {
            return Some(false);
        };
        let Some(o) = o.clone().into_any().downcast::<Range>().ok() else {
            return Some(false);
        };
        let n = self.len();
        Some(n == o.len() && (n == 0 || (self.start == o.start && (n == 1 || self.step == o.step))))
    }

    /// As CPython's `range_hash`: `hash((len, start, step))`, with `None`
    /// for what equality ignores.
    fn hash_key(&self) -> Option<Value> {
        let n = self.len();
        Some(Value::tuple(match n {
            0 => vec![Value::Int(0), Value::None, Value::None],
            1 => vec![Value::Int(1), Value::Int(self.start), Value::None],
            _ => vec![Value::Int(n), Value::Int(self.start), Value::Int(self.step)],
        }))
    }

    /// `r[i]`, negative from the end; `IndexError: range object index out
    /// of range` as CPython.
    fn get_item(&self, key: &Value) -> Option<PyResult<Value>> {
        let Value::Int(i) = key else { return None };
        let i = if *i < 0 { i + self.len() } else { *i };
        Some(match self.get(i) {
            Some(v) => Ok(Value::Int(v)),
            None => Err(PyErr::new(
                ExcType::IndexError,
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

    // equality and slicing as CPython's range_richcompare / compute_slice
    #[test]
    fn equality_slices_and_index_as_python() {
        let eq = |a: Range, b: Range| a.equals(&Value::Native(Rc::new(b))) == Some(true);
        assert!(eq(r(0, 0, 1), r(5, 2, 1)));
        assert!(eq(r(3, 4, 1), r(3, 9, 7)));
        assert!(!eq(r(0, 3, 1), r(0, 3, 2)));
        assert_eq!(r(0, 3, 1).equals(&Value::list(vec![])), Some(false));
        let sliced = |a: Range, lo, hi, k| {
            let v = a
                .slice(lo, hi, k)
                .map(|v| crate::python::format::repr_plain(&v));
            v.unwrap_or_default()
        };
        let i = |n| Some(Value::Int(n));
        assert_eq!(sliced(r(1, 10, 2), i(1), i(3), None), "range(3, 7, 2)");
        assert_eq!(sliced(r(0, 10, 1), None, None, i(-1)), "range(9, -1, -1)");
        assert_eq!(sliced(r(0, 10, 1), i(-3), i(100), None), "range(7, 10)");
        assert!(r(0, 3, 1).slice(None, None, i(0)).is_err());
        assert!(matches!(
            r(1, 10, 2).call("index", &[Value::Int(5)]),
            Some(Ok(Value::Int(2)))
        ));
        assert!(matches!(
            r(1, 10, 2).call("count", &[Value::Int(6)]),
            Some(Ok(Value::Int(0)))
        ));
        assert!(matches!(
            r(1, 10, 2).call("index", &[Value::Int(6)]),
            Some(Err(_))
        ));
        assert!(r(1, 10, 2).call("append", &[]).is_none());
    }
}
