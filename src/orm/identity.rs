//! Identity keys and the identity map (SQLAlchemy's `orm/identity.py`):
//! one object per primary key per session, held weakly.

use std::collections::HashMap;
use std::rc::{Rc, Weak};

use crate::python::format::repr_plain;
use crate::python::value::Value;

use super::mapper::Mapper;
use super::state::Obj;

type Cell = super::state::InstanceCell;

/// One class's objects in the identity map, by row key. The integer keys
/// of a dense range (the usual autoincrement ids, loaded in order) are
/// held in a vector indexed by `id - base`: 8 bytes an object, found
/// without hashing, grown by doubling without rehashing; any other key
/// (a composite or text key, an id far from the rest) in a hash map. A
/// key is in one of the two at most.
#[derive(Debug, Default)]
struct Rows {
    /// The integer key of `dense[0]`.
    base: i64,
    /// Objects by `id - base`; `Weak::new()` where there is none.
    dense: Vec<Weak<Cell>>,
    /// How many slots of `dense` were filled: the vector grows to an id
    /// only while it stays at least about half full.
    filled: usize,
    sparse: HashMap<RowKey, Weak<Cell>, RowKeyHash>,
}

impl Rows {
    /// Ids past the end that `dense` may grow to cover, beyond twice the
    /// slots filled.
    const SLACK: usize = 1024;

    /// Where integer key `i` sits in `dense`, if there; with `grow`, the
    /// vector is extended to hold it when that keeps it dense (the first
    /// key sets `base`: 0 for a small id).
    fn dense_index(&mut self, i: i64, grow: bool) -> Option<usize> {
        if self.dense.is_empty() {
            if !grow {
                return None;
            }
            self.base = if (0..Rows::SLACK as i64).contains(&i) {
                0
            } else {
                i
            };
        }
        let at = usize::try_from(i.checked_sub(self.base)?).ok()?;
        if at < self.dense.len() {
            return Some(at);
        }
        if !grow || at >= 2 * self.filled + Rows::SLACK {
            return None;
        }
        self.dense.resize_with(at + 1, Weak::new);
        Some(at)
    }

    /// The slot of integer key `i` in `dense`, without growing it.
    fn dense_slot(&self, row: &RowKey) -> Option<&Weak<Cell>> {
        let RowKey::Int(i) = row else {
            return None;
        };
        let at = usize::try_from(i.checked_sub(self.base)?).ok()?;
        self.dense.get(at)
    }

    /// [`Rows::dense_slot`], to change it.
    fn dense_slot_mut(&mut self, row: &RowKey) -> Option<&mut Weak<Cell>> {
        let RowKey::Int(i) = row else {
            return None;
        };
        let at = usize::try_from(i.checked_sub(self.base)?).ok()?;
        self.dense.get_mut(at)
    }

    /// Drops the entry under `row`.
    fn remove(&mut self, row: &RowKey) {
        if let RowKey::Int(i) = row
            && let Some(at) = self.dense_index(*i, false)
        {
            self.dense[at] = Weak::new();
        }
        if !self.sparse.is_empty() {
            self.sparse.remove(row);
        }
    }

    /// Puts `obj` under `row`.
    fn insert(&mut self, row: RowKey, obj: Weak<Cell>) {
        if let RowKey::Int(i) = row
            && let Some(at) = self.dense_index(i, true)
        {
            if !self.sparse.is_empty() {
                self.sparse.remove(&row);
            }
            self.dense[at] = obj;
            self.filled += 1;
            return;
        }
        self.sparse.insert(row, obj);
    }
}

/// Hashes [`RowKey`]s for the identity map. A lone integer key mixes all
/// but its low six bits into a run of 64 buckets, and its low six bits
/// pick its place in the run (rotated by the mix), so the runs of
/// consecutive ids a query loads fill neighbouring buckets, 64 at a time
/// (a million rows then miss the cache once per few rows, not once per
/// row), while ids of any stride still spread over the table; the runs
/// of a range of consecutive ids never land in the same block of 64
/// buckets, so an insert finds its bucket free without probing; any other
/// key is hashed as [`super::state::FastHasher`] does.
#[derive(Debug, Default, Clone, Copy)]
pub struct RowKeyHasher {
    /// The one integer written (`writes` 1 and `raw`), or else the
    /// multiply-rotate state of [`super::state::FastHasher`].
    h: u64,
    writes: u8,
    raw: bool,
}

impl RowKeyHasher {
    fn add(&mut self, word: u64) {
        self.h = (self.h.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        self.writes = 2;
        self.raw = false;
    }
}

impl std::hash::Hasher for RowKeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
    }

    fn write_u64(&mut self, n: u64) {
        if self.writes == 0 {
            self.h = n;
            self.writes = 1;
            self.raw = true;
        } else {
            self.add(n);
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn finish(&self) -> u64 {
        if !self.raw {
            return self.h ^ (self.h >> 32);
        }
        let n = self.h;
        // The run's place: its number folded by shifted copies of itself
        // (so that large power-of-two strides still change the low bits)
        // times an odd constant. Both steps map any 2^b consecutive runs
        // to 2^b different low-bit patterns, so on a table of any size
        // the runs of consecutive ids never share a block of 64 buckets
        // (sharing one made every id of the second run probe past it).
        let run = n >> 6;
        let folded = run ^ (run >> 4) ^ (run >> 12) ^ (run >> 24) ^ (run >> 36);
        let high = folded.wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        // The run's 64 buckets, entered at a point of its own, so
        // ids of a stride of 64 or more do not share one bucket.
        let low = n.wrapping_add(high >> 50) & 63;
        ((high << 6) | low) ^ ((n & 63) << 58)
    }
}

/// The identity map's [`std::hash::BuildHasher`].
pub type RowKeyHash = std::hash::BuildHasherDefault<RowKeyHasher>;

/// A hashable form of a primary-key value, for the identity map.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum KeyPart {
    Null,
    Int(i64),
    Text(String),
    Float(u64),
}

impl KeyPart {
    pub fn of(v: &Value) -> KeyPart {
        match v {
            Value::None => KeyPart::Null,
            Value::Bool(b) => KeyPart::Int(*b as i64),
            Value::Int(i) => KeyPart::Int(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9e15 => KeyPart::Int(*f as i64),
            Value::Float(f) => KeyPart::Float(f.to_bits()),
            Value::Str(s) => KeyPart::Text(s.to_string()),
            other => KeyPart::Text(repr_plain(other)),
        }
    }
}

/// Identity map key: class name and primary-key values.
pub type IdentityKey = (String, Vec<KeyPart>);

/// The primary-key half of an identity key as the identity map stores it:
/// a lone integer (the usual `id`) inline, without an allocation, anything
/// else as its parts. Ordered exactly as the `[KeyPart]` it stands for, so
/// the map iterates in [`IdentityKey`] order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowKey {
    Int(i64),
    /// Boxed twice, so a row key takes 16 bytes (a map entry 24).
    Parts(Box<KeyParts>),
}

/// The parts of a [`RowKey`] that is not one integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyParts(Box<[KeyPart]>);

impl std::hash::Hash for RowKey {
    /// A lone integer as one `u64` write ([`RowKeyHasher`] keeps its low
    /// bits); parts after a marker byte.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        match self {
            RowKey::Int(i) => state.write_u64(*i as u64),
            RowKey::Parts(p) => {
                state.write_u8(1);
                p.0.hash(state);
            }
        }
    }
}

impl RowKey {
    /// The row key of primary-key values (as [`identity_key`]'s parts).
    pub fn of(key: &[Value]) -> RowKey {
        match key {
            [v] if let KeyPart::Int(i) = KeyPart::of(v) => RowKey::Int(i),
            _ => RowKey::Parts(Box::new(KeyParts(key.iter().map(KeyPart::of).collect()))),
        }
    }

    /// The row key of an [`IdentityKey`]'s parts.
    pub fn from_parts(parts: &[KeyPart]) -> RowKey {
        match parts {
            [KeyPart::Int(i)] => RowKey::Int(*i),
            _ => RowKey::Parts(Box::new(KeyParts(parts.into()))),
        }
    }

    fn with_parts<R>(&self, f: impl FnOnce(&[KeyPart]) -> R) -> R {
        match self {
            RowKey::Int(i) => f(&[KeyPart::Int(*i)]),
            RowKey::Parts(p) => f(&p.0),
        }
    }
}

impl Ord for RowKey {
    fn cmp(&self, other: &RowKey) -> std::cmp::Ordering {
        match (self, other) {
            (RowKey::Int(a), RowKey::Int(b)) => a.cmp(b),
            _ => self.with_parts(|a| other.with_parts(|b| a.cmp(b))),
        }
    }
}

impl PartialOrd for RowKey {
    fn partial_cmp(&self, other: &RowKey) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The identity map: one object per row, held weakly (SQLAlchemy's
/// `WeakInstanceDict`), so an object nothing refers to any more leaves it and
/// the next `get()` sends SQL again, as in Python. Keyed by class name, then
/// by primary-key values in a hash map, so a look-up costs the same with a
/// million objects loaded as with ten; [`IdentityMap::values`] sorts them
/// into [`IdentityKey`] order.
#[derive(Debug, Default)]
pub struct IdentityMap {
    /// Each class's rows, sorted by class name (a session maps a few
    /// classes: a binary search of them is one look-up per row).
    map: Vec<(String, Rows)>,
    /// How many times [`IdentityMap::values`] walked the whole map.
    walks: usize,
}

impl IdentityMap {
    /// Where class `class`'s rows are in `map` (`Err`: where they would go).
    fn class_index(&self, class: &str) -> Result<usize, usize> {
        self.map
            .binary_search_by(|(name, _)| name.as_str().cmp(class))
    }

    /// Class `class`'s rows, made empty at its first object: the class
    /// name is copied only then, not at every look-up.
    fn class_rows(&mut self, class: &str) -> &mut Rows {
        let i = match self.class_index(class) {
            Ok(i) => i,
            Err(i) => {
                self.map.insert(i, (class.to_string(), Rows::default()));
                i
            }
        };
        &mut self.map[i].1
    }

    /// Class `class`'s rows, if it has any.
    fn class_rows_if_any(&mut self, class: &str) -> Option<&mut Rows> {
        let i = self.class_index(class).ok()?;
        Some(&mut self.map[i].1)
    }

    /// The live object under `key`; a dead entry is dropped.
    pub fn get(&mut self, key: &IdentityKey) -> Option<Obj> {
        self.get_row(&key.0, &RowKey::from_parts(&key.1))
    }

    /// The live object of class `class` with row key `row` (the two
    /// halves of an [`IdentityKey`]); a dead entry is dropped.
    pub fn get_row(&mut self, class: &str, row: &RowKey) -> Option<Obj> {
        let rows = self.class_rows_if_any(class)?;
        if let Some(w) = rows.dense_slot_mut(row) {
            if let Some(found) = w.upgrade() {
                return Some(found);
            }
            *w = Weak::new();
        }
        if rows.sparse.is_empty() {
            return None;
        }
        let found = rows.sparse.get(row).map(Weak::upgrade)?;
        if found.is_none() {
            rows.sparse.remove(row);
        }
        found
    }

    /// The live object of class `class` with row key `row`, found
    /// (`Ok`), or else the one `make` gives, put there (`Err`): one
    /// look-up where [`IdentityMap::get_row`] then
    /// [`IdentityMap::insert_row`] take two. `make` runs while the map is
    /// borrowed, so it must not reach the map. A live object `current`
    /// rejects (one of an earlier class of the same name, redefined since:
    /// another class to SQLAlchemy) is replaced.
    pub fn get_row_or_insert(
        &mut self,
        class: &str,
        row: RowKey,
        current: impl FnOnce(&Obj) -> bool,
        make: impl FnOnce() -> Obj,
    ) -> Result<Obj, Obj> {
        let rows = self.class_rows(class);
        // An integer key of the dense range: its slot, without hashing.
        if let RowKey::Int(i) = row
            && let Some(at) = rows.dense_index(i, true)
        {
            let found = match rows.dense[at].upgrade() {
                Some(found) => Some(found),
                None if !rows.sparse.is_empty() => rows.sparse.get(&row).and_then(Weak::upgrade),
                None => None,
            };
            if let Some(found) = found
                && current(&found)
            {
                return Ok(found);
            }
            if !rows.sparse.is_empty() {
                rows.sparse.remove(&row);
            }
            let obj = make();
            rows.dense[at] = Rc::downgrade(&obj);
            rows.filled += 1;
            return Err(obj);
        }
        let slot = match rows.sparse.entry(row) {
            std::collections::hash_map::Entry::Occupied(e) => {
                if let Some(found) = e.get().upgrade()
                    && current(&found)
                {
                    return Ok(found);
                }
                e.into_mut()
            }
            std::collections::hash_map::Entry::Vacant(e) => e.insert(Weak::new()),
        };
        // An object made from a row is clean: it is not touched.
        let obj = make();
        *slot = Rc::downgrade(&obj);
        Err(obj)
    }

    /// Puts `obj` under `key`; the object is touched, so the next dirty
    /// check looks at it.
    pub fn insert(&mut self, key: IdentityKey, obj: Obj) {
        self.insert_row(&key.0, RowKey::from_parts(&key.1), obj);
    }

    /// [`IdentityMap::insert`] from the halves of the key.
    pub fn insert_row(&mut self, class: &str, row: RowKey, obj: Obj) {
        obj.touch();
        self.class_rows(class).insert(row, Rc::downgrade(&obj));
    }

    pub fn remove(&mut self, key: &IdentityKey) {
        if let Some(rows) = self.class_rows_if_any(&key.0) {
            rows.remove(&RowKey::from_parts(&key.1));
        }
    }

    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// The live object under `key` if it is `obj` itself.
    pub fn holds(&self, key: &IdentityKey, obj: &Obj) -> bool {
        let Ok(i) = self.class_index(&key.0) else {
            return false;
        };
        let (rows, row) = (&self.map[i].1, RowKey::from_parts(&key.1));
        let is_obj = |w: &Weak<Cell>| std::ptr::eq(w.as_ptr(), Rc::as_ptr(obj));
        rows.dense_slot(&row).is_some_and(is_obj) || rows.sparse.get(&row).is_some_and(is_obj)
    }

    /// How many times the whole map has been walked ([`IdentityMap::values`]):
    /// what work proportional to the session's size costs. A flush never
    /// walks it (the scale tests check this).
    pub fn walks(&self) -> usize {
        self.walks
    }

    /// Every live object, in key order.
    pub fn values(&mut self) -> Vec<Obj> {
        self.walks += 1;
        let mut out = Vec::new();
        for (_, rows) in &mut self.map {
            rows.sparse.retain(|_, w| w.strong_count() > 0);
            let mut live: Vec<(RowKey, Obj)> = Vec::new();
            for (at, w) in rows.dense.iter_mut().enumerate() {
                match w.upgrade() {
                    Some(o) => live.push((RowKey::Int(rows.base + at as i64), o)),
                    None => *w = Weak::new(),
                }
            }
            live.extend(
                rows.sparse
                    .iter()
                    .filter_map(|(k, w)| Some((k.clone(), w.upgrade()?))),
            );
            live.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            out.extend(live.into_iter().map(|(_, o)| o));
        }
        out
    }
}

/// `(User, (1,), None)`-style identity key text for messages.
pub fn identity_key_repr(mapper: &Mapper, key: &[Value]) -> String {
    let parts: Vec<String> = key.iter().map(repr_plain).collect();
    let tuple = if parts.len() == 1 {
        format!("({},)", parts[0])
    } else {
        format!("({})", parts.join(", "))
    };
    format!(
        "(<class '__main__.{}'>, {}, None)",
        mapper.class_name, tuple
    )
}

/// The identity key of a row of `mapper` with primary key `key`
/// (SQLAlchemy's `Mapper.identity_key_from_primary_key`).
pub fn identity_key(mapper: &Mapper, key: &[Value]) -> IdentityKey {
    (
        mapper.class_name.clone(),
        key.iter().map(KeyPart::of).collect(),
    )
}

/// The identity key of an object that has one (persistent, detached or
/// deleted; an empty key otherwise), as SQLAlchemy's `InstanceState.key`.
pub fn instance_key(obj: &Obj) -> IdentityKey {
    let b = obj.borrow();
    identity_key(&b.mapper, b.key.as_deref().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row key orders as the parts it stands for, whichever form it takes.
    #[test]
    fn row_keys_order_as_their_parts() {
        let keys: Vec<Vec<KeyPart>> = vec![
            vec![KeyPart::Null],
            vec![KeyPart::Int(-5)],
            vec![KeyPart::Int(2)],
            vec![KeyPart::Int(2), KeyPart::Int(1)],
            vec![KeyPart::Int(10)],
            vec![KeyPart::Text("a".into())],
            vec![KeyPart::Float(7)],
        ];
        for a in &keys {
            for b in &keys {
                assert_eq!(
                    RowKey::from_parts(a).cmp(&RowKey::from_parts(b)),
                    a.cmp(b),
                    "{a:?} {b:?}"
                );
            }
        }
        assert_eq!(RowKey::of(&[Value::Int(3)]), RowKey::Int(3));
        assert_eq!(RowKey::of(&[Value::Bool(true)]), RowKey::Int(1));
        assert_eq!(
            RowKey::of(&[Value::Int(3), Value::Int(4)]),
            RowKey::from_parts(&[KeyPart::Int(3), KeyPart::Int(4)])
        );
    }
}

#[cfg(test)]
mod row_key_hash_tests {
    use super::*;
    use std::hash::BuildHasher;

    /// Consecutive integer ids hash to consecutive buckets, 64 at a time,
    /// with different tags; ids of a stride still land in different
    /// buckets; other keys hash in full. A row key takes 16 bytes.
    #[test]
    fn row_keys_of_consecutive_ids_hash_to_neighbouring_buckets() {
        let hash = |k: &RowKey| RowKeyHash::default().hash_one(k);
        let base = hash(&RowKey::Int(64 * 1000));
        for i in 0..64u64 {
            let h = hash(&RowKey::Int(64 * 1000 + i as i64));
            assert_eq!(h & 0xffc0, base & 0xffc0);
            assert_eq!(h & 63, (base + i) & 63);
            assert_eq!((h >> 58) ^ (base >> 58), i);
        }
        for stride in [1i64, 3, 8, 64, 100, 1024, 4096, 1 << 16, 1 << 20, 1 << 30] {
            let buckets: std::collections::HashSet<u64> = (1..=1000)
                .map(|i| hash(&RowKey::Int(i * stride)) & 0xffff)
                .collect();
            assert!(buckets.len() > 900, "{stride}: {}", buckets.len());
        }
        // The runs of consecutive ids fill whole blocks of 64 buckets, no
        // two runs in one block, on tables of any size and from any start.
        for (count, bits) in [(10_000i64, 14), (100_000, 17)] {
            for start in [1i64, 77_777, 1_000_000_000] {
                let mut per_block = std::collections::HashMap::new();
                for id in start..start + count {
                    let block = (hash(&RowKey::Int(id)) & ((1 << bits) - 1)) >> 6;
                    *per_block.entry(block).or_insert(0) += 1;
                }
                assert!(per_block.values().all(|&n| n <= 64), "{count} from {start}");
            }
        }
        let parts = RowKey::of(&[Value::Int(1), Value::Int(2)]);
        assert_ne!(
            hash(&parts),
            hash(&RowKey::of(&[Value::Int(2), Value::Int(1)]))
        );
        assert_eq!(
            hash(&parts),
            hash(&RowKey::of(&[Value::Int(1), Value::Int(2)]))
        );
        assert_eq!(std::mem::size_of::<RowKey>(), 16);
    }
}
