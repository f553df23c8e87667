//! SQLAlchemy's `Row` methods (`row._asdict()`, `row._tuple()`), and
//! `count`/`index` from `collections.abc.Sequence`. These are written in
//! Python, so their argument errors are worded as a `def`'s.

use std::cell::RefCell;
use std::rc::Rc;

use super::BuiltinMethod;
use crate::python::exceptions::value_error;
use crate::python::ops;
use crate::python::signature::Signature;
use crate::python::value::{Row, Value};

/// The methods of `Row`.
pub static ROW_METHODS: &[BuiltinMethod<Row>] = &[
    BuiltinMethod {
        name: "_asdict",
        sig: Signature::method("Row._asdict", &[]),
        call: |_, r, _| Ok(row_dict(r)),
    },
    BuiltinMethod {
        name: "_tuple",
        sig: Signature::method("Row._tuple", &[]),
        call: |_, r, _| Ok(Value::tuple(r.values.clone())),
    },
    BuiltinMethod {
        name: "count",
        sig: Signature::method("Sequence.count", &["value"]),
        call: |_, r, b| {
            let x = b.value("value");
            Ok(Value::Int(
                r.values.iter().filter(|v| ops::values_equal(v, &x)).count() as i64,
            ))
        },
    },
    BuiltinMethod {
        name: "index",
        sig: Signature::method("Sequence.index", &["value", "start=", "stop="]),
        call: |_, r, b| {
            let x = b.value("value");
            r.values
                .iter()
                .position(|v| ops::values_equal(v, &x))
                .map(|i| Value::Int(i as i64))
                .ok_or_else(|| value_error(""))
        },
    },
];

/// `row._mapping` / `row._asdict()`: a dict of the row's keys to values.
pub fn row_dict(r: &Row) -> Value {
    Value::Dict(Rc::new(RefCell::new(
        r.keys
            .iter()
            .zip(r.values.iter())
            .filter(|(k, _)| k.as_str() != Row::NO_KEY)
            .map(|(k, v)| (Value::str(k), v.clone()))
            .collect(),
    )))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{FakeVm, call};
    use super::*;

    #[test]
    fn methods_and_errors_are_sqlalchemys() {
        // Each text is what SQLAlchemy 2.0 on Python 3.11 printed.
        let vm = &mut FakeVm::default();
        let r = Value::Row(Rc::new(Row {
            keys: Rc::from(vec!["a".to_string(), "b".to_string()]),
            values: vec![Value::Int(1), Value::Int(2)],
        }));
        assert_eq!(call(vm, &r, "_asdict", vec![], vec![]), "{'a': 1, 'b': 2}");
        assert_eq!(call(vm, &r, "_tuple", vec![], vec![]), "(1, 2)");
        assert_eq!(
            call(vm, &r, "_asdict", vec![Value::Int(1)], vec![]),
            "TypeError: Row._asdict() takes 1 positional argument but 2 were given"
        );
        assert_eq!(
            call(vm, &r, "count", vec![], vec![]),
            "TypeError: Sequence.count() missing 1 required positional argument: 'value'"
        );
        assert_eq!(
            call(vm, &r, "count", vec![Value::Int(1); 2], vec![]),
            "TypeError: Sequence.count() takes 2 positional arguments but 3 were given"
        );
    }

    #[test]
    fn a_keyless_column_is_in_the_tuple_not_the_mapping() {
        // `select(text("'tag'"), User.name)` in the ORM: ('tag', 'Alice'),
        // `_asdict()` {'name': 'Alice'}, as SQLAlchemy 2.0.
        let vm = &mut FakeVm::default();
        let row = Row {
            keys: Rc::from(vec![Row::NO_KEY.to_string(), "name".to_string()]),
            values: vec![Value::str("tag"), Value::str("Alice")],
        };
        assert_eq!(Row::visible_keys(&row.keys), vec!["name".to_string()]);
        assert_eq!(row.keyed().values.len(), 1);
        let r = Value::Row(Rc::new(row));
        assert_eq!(call(vm, &r, "_asdict", vec![], vec![]), "{'name': 'Alice'}");
        assert_eq!(call(vm, &r, "_tuple", vec![], vec![]), "('tag', 'Alice')");
    }
}
