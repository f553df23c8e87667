//! Finding Python-equal values in constant time: a hash of a value that
//! agrees with `==` ([`super::ops::values_equal`]), and an index from such
//! hashes to positions in a caller's vector. Equal values always share a
//! bucket; a bucket may also hold unequal ones, so the caller confirms each
//! candidate with its own equality — the result is exactly that of a linear
//! scan, at the cost of one bucket (as CPython's dict probes by hash, then
//! `==`). Used where the ORM matches keys (eager loads, `unique()`).

use std::collections::HashMap;
use std::rc::Rc;

use super::value::Value;

/// A hash of one value consistent with `values_equal` (and with `is`):
/// numbers by their `float` value (`1 == 1.0 == True`), strings by text,
/// mapped objects and native objects by identity (their `==` is `is`)
/// unless they give a [`super::PyObject::hash_key`];
/// tuples and rows by their items (a `Row` equals a `tuple`); anything else
/// (lists, dicts, dates …) shares one bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HashKey {
    None,
    Number(u64),
    Str(Rc<str>),
    Ptr(usize),
    Tuple(Vec<HashKey>),
    Other,
}

impl HashKey {
    /// The hash key of `v`.
    pub fn of(v: &Value) -> HashKey {
        match v {
            Value::None => HashKey::None,
            Value::Bool(b) => HashKey::number(*b as i64 as f64),
            Value::Int(i) => HashKey::number(*i as f64),
            Value::Float(f) => HashKey::number(*f),
            // equal to an int or float of the same value: the same bucket
            Value::Decimal(d) => HashKey::number(super::types::decimal::to_float(d)),
            Value::Str(s) => HashKey::Str(s.clone()),
            Value::Tuple(items) => HashKey::Tuple(items.iter().map(HashKey::of).collect()),
            Value::Row(r) => HashKey::Tuple(r.values.iter().map(HashKey::of).collect()),
            // a value type (`range`) by what it hashes as
            Value::Native(o) if let Some(k) = o.hash_key() => HashKey::of(&k),
            Value::Native(o) => HashKey::Ptr(Rc::as_ptr(o) as *const u8 as usize),
            _ => HashKey::Other,
        }
    }

    /// The hash key of a composite key (`(1, 'a')`), item by item.
    pub fn of_key(k: &[Value]) -> HashKey {
        HashKey::Tuple(k.iter().map(HashKey::of).collect())
    }

    fn number(f: f64) -> HashKey {
        // -0.0 == 0.0; NaN equals nothing, so any bucket will do.
        HashKey::Number(if f == 0.0 { 0 } else { f.to_bits() })
    }
}

/// Positions of values by [`HashKey`], in insertion order within a bucket.
#[derive(Debug, Default)]
pub struct HashIndex {
    buckets: HashMap<HashKey, Vec<usize>>,
}

impl HashIndex {
    pub fn new() -> HashIndex {
        HashIndex::default()
    }

    /// Records that position `at` holds a value with hash key `key`.
    pub fn insert(&mut self, key: HashKey, at: usize) {
        self.buckets.entry(key).or_default().push(at);
    }

    /// The positions that may hold a value equal to one with hash key
    /// `key`, in insertion order; the caller confirms each.
    pub fn candidates(&self, key: &HashKey) -> &[usize] {
        self.buckets.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first position whose value `is_equal` confirms.
    pub fn find(&self, key: &HashKey, mut is_equal: impl FnMut(usize) -> bool) -> Option<usize> {
        self.candidates(key).iter().copied().find(|&i| is_equal(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_numbers_share_a_bucket() {
        assert_eq!(HashKey::of(&Value::Int(1)), HashKey::of(&Value::Float(1.0)));
        assert_eq!(HashKey::of(&Value::Bool(true)), HashKey::of(&Value::Int(1)));
        assert_eq!(
            HashKey::of(&Value::Float(-0.0)),
            HashKey::of(&Value::Int(0))
        );
        assert_ne!(HashKey::of(&Value::Int(1)), HashKey::of(&Value::str("1")));
    }

    #[test]
    fn find_confirms_candidates_in_order() {
        let keys = [Value::Int(2), Value::Float(2.0), Value::Int(3)];
        let mut index = HashIndex::new();
        for (i, k) in keys.iter().enumerate() {
            index.insert(HashKey::of(k), i);
        }
        assert_eq!(index.candidates(&HashKey::of(&Value::Int(2))), &[0, 1]);
        let found = index.find(&HashKey::of(&Value::Int(3)), |i| {
            crate::python::ops::values_equal(&keys[i], &Value::Int(3))
        });
        assert_eq!(found, Some(2));
    }
}
