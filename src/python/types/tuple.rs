//! Python's `tuple` methods.

use super::{BuiltinMethod, index_arg};
use crate::python::exceptions::value_error;
use crate::python::ops;
use crate::python::signature::{ArgStyle, Signature};
use crate::python::value::Value;

/// The methods of `tuple`.
pub static TUPLE_METHODS: &[BuiltinMethod<[Value]>] = &[
    BuiltinMethod {
        name: "count",
        sig: Signature::builtin("tuple.count", &["value", "/"], ArgStyle::Exact),
        call: |_, t, b| {
            let x = b.value("value");
            Ok(Value::Int(
                t.iter().filter(|v| ops::values_equal(v, &x)).count() as i64,
            ))
        },
    },
    BuiltinMethod {
        name: "index",
        sig: Signature::builtin(
            "tuple.index",
            &["value", "start=", "stop=", "/"],
            ArgStyle::Expected,
        ),
        call: |_, t, b| {
            let x = b.value("value");
            let n = t.len() as i64;
            let clamp = |v: Option<&Value>, d: i64| -> Result<usize, _> {
                let i = v.map(index_arg).transpose()?.unwrap_or(d);
                Ok::<usize, crate::python::PyErr>(
                    (if i < 0 { (i + n).max(0) } else { i.min(n) }) as usize,
                )
            };
            let (start, stop) = (clamp(b.get("start"), 0)?, clamp(b.get("stop"), n)?);
            t[start..stop.max(start)]
                .iter()
                .position(|v| ops::values_equal(v, &x))
                .map(|i| Value::Int((start + i) as i64))
                .ok_or_else(|| value_error("tuple.index(x): x not in tuple"))
        },
    },
];

#[cfg(test)]
mod tests {
    use super::super::testing::{FakeVm, call};
    use crate::python::value::Value;

    #[test]
    fn methods_and_errors_are_pythons() {
        let vm = &mut FakeVm::default();
        let t = Value::tuple(vec![Value::Int(1), Value::Int(2), Value::Int(1)]);
        assert_eq!(call(vm, &t, "count", vec![Value::Int(1)], vec![]), "2");
        assert_eq!(
            call(vm, &t, "index", vec![Value::Int(1), Value::Int(1)], vec![]),
            "2"
        );
        assert_eq!(
            call(vm, &t, "index", vec![Value::Int(5)], vec![]),
            "ValueError: tuple.index(x): x not in tuple"
        );
        assert_eq!(
            call(vm, &t, "count", vec![], vec![]),
            "TypeError: tuple.count() takes exactly one argument (0 given)"
        );
        assert_eq!(
            call(vm, &t, "index", vec![], vec![]),
            "TypeError: index expected at least 1 argument, got 0"
        );
    }
}
