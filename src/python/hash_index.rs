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

/// A hasher for the interpreter's own in-process keys (object addresses,
/// attribute names, primary keys, [`HashKey`]s): the multiply-rotate hash
/// of rustc's `FxHasher`, several times cheaper than the default SipHash
/// on short keys. Not for keys an adversary picks to collide; nothing
/// here is.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    /// The state with its high half folded into the low one: the hash
    /// table picks a bucket from the low bits, and the low bits of the
    /// product of an aligned address are all zero.
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 32)
    }
}

/// [`FastHasher`] as a `HashMap`/`HashSet` hasher parameter.
pub type FastHash = std::hash::BuildHasherDefault<FastHasher>;

/// A hash of one value consistent with `values_equal` (and with `is`):
/// numbers by their `float` value (`1 == 1.0 == True`), strings by text,
/// mapped objects and native objects by identity (their `==` is `is`)
/// unless they give a [`super::PyObject::hash_key`];
/// tuples and rows by their items (a `Row` equals a `tuple`); anything else
/// (lists, dicts, dates …) shares one bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HashKey {
    None,
    /// A number with an integral value (`2`, `2.0`, `True` → 2), as an
    /// integer, so consecutive ids hash apart.
    Int(i64),
    /// Any other number, by its float bits.
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
            // equal only to a float of the same value: that float's bucket
            Value::BigInt(n) => {
                HashKey::number(num_traits::ToPrimitive::to_f64(&**n).unwrap_or(f64::INFINITY))
            }
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

    /// The hash key of a composite key (`(1, 'a')`), item by item; a key
    /// of one value hashes as that value, without allocating (a key `(1,)`
    /// then shares the bucket of a lone `1`: the caller's equality still
    /// tells them apart).
    pub fn of_key(k: &[Value]) -> HashKey {
        match k {
            [v] => HashKey::of(v),
            _ => HashKey::Tuple(k.iter().map(HashKey::of).collect()),
        }
    }

    fn number(f: f64) -> HashKey {
        // -0.0 == 0.0 (both 0); NaN equals nothing, so any bucket will do.
        if f.fract() == 0.0 && f.abs() < 9.2e18 {
            HashKey::Int(f as i64)
        } else {
            HashKey::Number(f.to_bits())
        }
    }
}

/// Positions of values by [`HashKey`], in insertion order within a bucket.
#[derive(Debug, Default)]
pub struct HashIndex {
    buckets: HashMap<HashKey, Vec<usize>, FastHash>,
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
        assert_eq!(
            HashKey::of(&Value::Float(0.5)),
            HashKey::Number(0.5f64.to_bits())
        );
        assert_eq!(HashKey::of(&Value::Float(-3.0)), HashKey::Int(-3));
        assert_eq!(
            HashKey::of_key(&[Value::Int(7)]),
            HashKey::of(&Value::Float(7.0))
        );
        assert_eq!(
            HashKey::of_key(&[Value::Int(7), Value::str("a")]),
            HashKey::Tuple(vec![HashKey::Int(7), HashKey::Str("a".into())])
        );
    }

    /// Addresses of objects (aligned to 64 bytes) and consecutive ids
    /// spread over the low bits a hash table picks its bucket from.
    #[test]
    fn aligned_addresses_and_ids_spread_over_buckets() {
        use std::hash::BuildHasher;
        let low_bits = |keys: &mut dyn Iterator<Item = u64>| {
            keys.map(|k| FastHash::default().hash_one(k as usize) & 1023)
                .collect::<std::collections::HashSet<u64>>()
                .len()
        };
        assert!(low_bits(&mut (0..1024u64).map(|i| 0x7f00_0000_0000 + i * 64)) > 600);
        assert!(low_bits(&mut (1..=1024u64)) > 600);
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
