//! Runtime values of the tutor's Python subset, and Python's `repr`/`str`
//! of each (`'Alice'`, `[1, 2]`, `(1, 'Alice')`, `True`, `2.5`,
//! `datetime.datetime(2024, 1, 15, 9, 0)`, `<__main__.User object at 0x…>`).

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{NaiveDate, NaiveDateTime, Timelike};

use crate::language::ast::Stmt;
pub use crate::language::repr::{
    bytes_repr, date_repr, datetime_repr, float_repr, push_str_repr, str_repr,
};

use super::exceptions::PyErr;

/// A Python list. A relationship collection (`user.messages`) is a list that
/// knows its owner, so `append`/`remove` keep the other side in step.
#[derive(Debug, Default)]
pub struct ListObj {
    pub items: RefCell<Vec<Value>>,
    /// The instance and relationship key owning this collection, if any
    /// (a mapped object, held weakly: the ORM downcasts it back).
    pub owner: Option<(std::rc::Weak<dyn super::PyObject>, String)>,
}

impl ListObj {
    pub fn new(items: Vec<Value>) -> Rc<ListObj> {
        Rc::new(ListObj {
            items: RefCell::new(items),
            owner: None,
        })
    }

    /// The items, to change in place. A collection's owner is told
    /// ([`super::PyObject::collection_changed`]: the ORM's `InstanceCell::touch`), so the Session's next dirty check compares
    /// the collection with its committed state.
    pub fn items_mut(&self) -> std::cell::RefMut<'_, Vec<Value>> {
        if let Some(owner) = self.owner.as_ref().and_then(|(w, _)| w.upgrade()) {
            owner.collection_changed();
        }
        self.items.borrow_mut()
    }
}

/// A Python dict: its `(key, value)` pairs in insertion order, read as a
/// `Vec` (it derefs to one), and an index from key hashes to positions so
/// that `d[k]` and `d[k] = v` cost O(1), as CPython's. Changing the pairs
/// through the `Vec` (`DerefMut`) drops the index, rebuilt at the next
/// look-up; [`DictObj::position`] and [`DictObj::set`] keep it.
#[derive(Debug, Default)]
pub struct DictObj {
    pairs: Vec<(Value, Value)>,
    /// A plain `dict`, or which of `collections`' dict subclasses.
    pub kind: DictKind,
    /// Positions in `pairs` by key hash; `None` when stale.
    index: RefCell<Option<super::hash_index::HashIndex>>,
}

impl DictObj {
    pub fn new(pairs: Vec<(Value, Value)>) -> DictObj {
        DictObj {
            pairs,
            kind: DictKind::Plain,
            index: RefCell::new(None),
        }
    }

    /// A shared dict value holding `pairs`.
    pub fn value(pairs: Vec<(Value, Value)>) -> Value {
        Value::Dict(Rc::new(RefCell::new(DictObj::new(pairs))))
    }

    /// The position of the pair whose key `== key`, if any.
    pub fn position(&self, key: &Value) -> Option<usize> {
        use super::hash_index::{HashIndex, HashKey};
        let mut index = self.index.borrow_mut();
        let index = index.get_or_insert_with(|| {
            let mut index = HashIndex::new();
            for (i, (k, _)) in self.pairs.iter().enumerate() {
                index.insert(HashKey::of(k), i);
            }
            index
        });
        index.find(&HashKey::of(key), |i| {
            super::ops::values_equal(&self.pairs[i].0, key)
        })
    }

    /// The value under `key`, if any.
    pub fn lookup(&self, key: &Value) -> Option<&Value> {
        self.position(key).map(|i| &self.pairs[i].1)
    }

    /// `d[key] = value`: replaces the value of an equal key (keeping the
    /// key first stored, as Python), or appends the pair.
    pub fn set(&mut self, key: Value, value: Value) {
        match self.position(&key) {
            Some(i) => self.pairs[i].1 = value,
            None => {
                if let Some(index) = self.index.get_mut() {
                    index.insert(super::hash_index::HashKey::of(&key), self.pairs.len());
                }
                self.pairs.push((key, value));
            }
        }
    }

    /// The pairs, taken out (the dict is left empty).
    pub fn into_pairs(self) -> Vec<(Value, Value)> {
        self.pairs
    }
}

impl Clone for DictObj {
    fn clone(&self) -> DictObj {
        let mut d = DictObj::new(self.pairs.clone());
        d.kind = self.kind.clone();
        d
    }
}

/// What a dict is beside its pairs: a plain `dict`, or one of
/// `collections`' dict subclasses (`python::collections`).
#[derive(Debug, Clone, Default)]
pub enum DictKind {
    #[default]
    Plain,
    Counter,
    OrderedDict,
    /// `defaultdict(default_factory)`
    DefaultDict(Value),
}

impl FromIterator<(Value, Value)> for DictObj {
    fn from_iter<I: IntoIterator<Item = (Value, Value)>>(iter: I) -> DictObj {
        DictObj::new(iter.into_iter().collect())
    }
}

impl std::ops::Deref for DictObj {
    type Target = Vec<(Value, Value)>;
    fn deref(&self) -> &Vec<(Value, Value)> {
        &self.pairs
    }
}

impl std::ops::DerefMut for DictObj {
    fn deref_mut(&mut self) -> &mut Vec<(Value, Value)> {
        *self.index.get_mut() = None;
        &mut self.pairs
    }
}

/// Which kind of set a [`Value::Set`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetKind {
    /// Python's `set`: `{'a', 'b'}` or `set()`.
    Plain,
    /// SQLAlchemy's `IdentitySet`: `IdentitySet([...])`.
    Identity,
    /// Python's `frozenset`: immutable, hashable, `frozenset({1, 2})`.
    Frozen,
}

/// A result row (SQLAlchemy's `Row`): a named tuple.
#[derive(Debug)]
pub struct Row {
    pub keys: Rc<[String]>,
    pub values: Vec<Value>,
}

impl Row {
    /// The key of a column that has none (a `text()` fragment selected
    /// beside ORM entities, `select(text("'tag'"), User.name)`): its value
    /// is in the row, but SQLAlchemy's `_fields`, `_mapping`, `_asdict()`
    /// and `Result.keys()` leave it out.
    pub const NO_KEY: &'static str = "\u{0}";

    /// The row without its keyless columns ([`Row::NO_KEY`]), for its
    /// mapping views.
    pub fn keyed(&self) -> Row {
        let (keys, values): (Vec<String>, Vec<Value>) = self
            .keys
            .iter()
            .zip(&self.values)
            .filter(|(k, _)| k.as_str() != Row::NO_KEY)
            .map(|(k, v)| (k.clone(), v.clone()))
            .unzip();
        Row {
            keys: keys.into(),
            values,
        }
    }

    /// The row's keys, without the keyless columns' ([`Row::NO_KEY`]).
    pub fn visible_keys(keys: &[String]) -> Vec<String> {
        keys.iter()
            .filter(|k| k.as_str() != Row::NO_KEY)
            .cloned()
            .collect()
    }
}

/// A `def` or `lambda`.
#[derive(Debug)]
pub struct Function {
    pub name: String,
    /// `__qualname__`: `outer.<locals>.inner` for a function defined in
    /// another, as CPython names it in errors and `repr`.
    pub qualname: String,
    pub params: Rc<crate::language::ast::Parameters>,
    /// Values of the last `defaults.len()` positional parameters when not
    /// passed, evaluated once at definition, as Python does.
    pub defaults: Vec<Value>,
    /// One per keyword-only parameter: its default value, if any.
    pub kw_defaults: Vec<Option<Value>>,
    pub body: FunctionBody,
    /// What the body binds, declares `global` or `nonlocal`.
    pub names: Rc<super::scope::ScopeNames>,
    /// The namespace of the call it was defined in (its closure), `None`
    /// at module level.
    pub closure: Option<Rc<super::scope::Scope>>,
    /// The source it was written in, for its traceback lines; `None` for
    /// functions the tutor defines itself.
    pub source: Option<SourceText>,
}

/// The text a `def` or `lambda` was written in: the whole script or REPL
/// entry, and the byte offset its top-level statement's spans count from
/// (the statement's start in `text`).
#[derive(Debug, Clone, PartialEq)]
pub struct SourceText {
    pub text: Rc<str>,
    pub base: usize,
}

#[derive(Debug, Clone)]
pub enum FunctionBody {
    Block(Vec<Stmt>),
    /// An `async def` body: a call returns a coroutine that runs it.
    AsyncBlock(Vec<Stmt>),
    Lambda(crate::language::ast::Expr),
}

/// A built-in function or namespace bound at start.
#[derive(Debug, Clone, PartialEq)]
pub enum Builtin {
    Print,
    Len,
    Repr,
    Str,
    /// `bytes(...)`, the class.
    Bytes,
    Int,
    Float,
    Bool,
    ListType,
    TupleType,
    DictType,
    SetType,
    /// `frozenset`
    FrozenSetType,
    Range,
    Sorted,
    Sum,
    Min,
    Max,
    Abs,
    Round,
    Enumerate,
    Zip,
    IsInstance,
    IsSubclass,
    Type,
    Any,
    All,
    Id,
    Reversed,
    Hasattr,
    Setattr,
    Delattr,
    Callable,
    /// `vars([object])`
    Vars,
    Divmod,
    Iter,
    Next,
    Map,
    Filter,
    /// `dir([object])`
    Dir,
    /// `help(object)`
    Help,
    Getattr,
    Ord,
    Chr,
    Bin,
    Hex,
    Oct,
    Pow,
    /// `format(value[, format_spec])`
    Format,
    /// `datetime` (the class, as after `from datetime import datetime`).
    DateTime,
    /// `date`
    Date,
    /// `datetime.time` (the class; `Builtin::Time` is the `time` module).
    TimeOfDay,
    /// `datetime.timedelta` (the class).
    TimeDelta,
    /// `decimal.Decimal` (the class).
    Decimal,
    /// `select()`
    Select,
    /// `func`: `func.count` etc.
    Func,
    /// `func.<name>`
    SqlFunction(String),
    And,
    Or,
    Not,
    Desc,
    Asc,
    Distinct,
    Literal,
    True_,
    False_,
    Null,
    Joinedload,
    Selectinload,
    Subqueryload,
    Lazyload,
    Raiseload,
    Noload,
    Inspect,
    /// The `Session` class.
    SessionClass,
    /// `sessionmaker`
    Sessionmaker,
    CreateEngine,
    DeclarativeBase,
    /// `sqlalchemy.ext.declarative.declarative_base`: as `DeclarativeBase`,
    /// after SQLAlchemy 2.0's `MovedIn20Warning`.
    DeclarativeBaseMoved,
    Aliased,
    /// `update()`, `delete()`, `insert()` of a mapped class.
    Update,
    Delete,
    Insert,
    /// `Column`, `ForeignKey`, `relationship`, `Table`, `backref` and the
    /// types: schema constructors, by name.
    Schema(&'static str),
    /// SQLAlchemy Core's expression constructors (`case`, `cast`,
    /// `literal_column`, …), by name: `sqlalchemy::core`.
    Core(&'static str),
    /// The `time` module's `sleep`, `time`, `perf_counter` and `monotonic`,
    /// by name: `python::builtins`.
    Time(&'static str),
    /// A function of the `math` module (`python::math`).
    Math(&'static str),
    /// A function of the `json` module (`python::json`).
    Json(&'static str),
    /// A function of the `random` module (`python::random`).
    Random(&'static str),
    /// A class of the `itertools` module (`python::itertools`), or
    /// `"chain.from_iterable"`.
    Itertools(&'static str),
}

impl Builtin {
    /// The class a built-in type's name is bound to (`int` → `"int"`), as
    /// `type(x).__name__` names it; `None` for functions.
    pub fn class_name(&self) -> Option<&'static str> {
        Some(match self {
            Builtin::Int => "int",
            Builtin::Float => "float",
            Builtin::Str => "str",
            Builtin::Bytes => "bytes",
            Builtin::Bool => "bool",
            Builtin::ListType => "list",
            Builtin::TupleType => "tuple",
            Builtin::DictType => "dict",
            Builtin::SetType => "set",
            Builtin::FrozenSetType => "frozenset",
            Builtin::Range => "range",
            _ => return None,
        })
    }
}

/// A method bound to its receiver (`session.add`, `names.append`).
#[derive(Debug)]
pub struct Method {
    pub receiver: Value,
    pub name: String,
}

/// A value of the language.
#[derive(Debug, Clone)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    /// An `int` that does not fit an `i64` (never one that does:
    /// `python::bigint::int_value` demotes), boxed so `Value` stays small.
    BigInt(Rc<num_bigint::BigInt>),
    Float(f64),
    Str(Rc<str>),
    /// Python's `bytes` (`b"\x00ab"`; `python::types::bytes`).
    Bytes(Rc<[u8]>),
    List(Rc<ListObj>),
    Tuple(Rc<[Value]>),
    Dict(Rc<RefCell<DictObj>>),
    /// A Python `set`, or SQLAlchemy's `IdentitySet` (`session.new`,
    /// `session.dirty`, `session.deleted`), which holds objects by identity.
    Set(Rc<ListObj>, SetKind),
    DateTime(NaiveDateTime),
    Date(NaiveDate),
    /// Python's `datetime.time` (`python::types::time`).
    Time(chrono::NaiveTime),
    /// Python's `datetime.timedelta` (`python::types::timedelta`).
    TimeDelta(super::types::timedelta::TimeDelta),
    /// Python's `decimal.Decimal` (`python::types::decimal`).
    Decimal(rust_decimal::Decimal),
    Row(Rc<Row>),
    Builtin(Builtin),
    Method(Rc<Method>),
    Function(Rc<Function>),
    /// An exception class (`IntegrityError`), for `except` and `raise`.
    ExceptionClass(super::ExcType),
    /// A caught exception (`except IntegrityError as e`).
    Exception(Rc<PyErr>),
    /// A Python type from `type(x)` (`int`, `Row`, `InstrumentedList`).
    PyType(Rc<str>),
    /// A module (`import sqlalchemy as sa`): its dotted name.
    Module(&'static str),
    /// An object of a type defined above `python/` (the ORM's,
    /// SQLAlchemy's), through [`super::PyObject`].
    Native(Rc<dyn super::PyObject>),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::Str(Rc::from(s))
    }

    pub fn list(items: Vec<Value>) -> Value {
        Value::List(ListObj::new(items))
    }

    pub fn tuple(items: Vec<Value>) -> Value {
        Value::Tuple(Rc::from(items))
    }

    /// Python's type name (`int`, `str`, `User`, `Query`), as `type(x).__name__`.
    pub fn type_name(&self) -> String {
        match self {
            Value::None => "NoneType".into(),
            Value::Bool(_) => "bool".into(),
            Value::Int(_) | Value::BigInt(_) => "int".into(),
            Value::Float(_) => "float".into(),
            Value::Str(_) => "str".into(),
            Value::Bytes(_) => "bytes".into(),
            Value::List(l) if l.owner.is_some() => "InstrumentedList".into(),
            Value::List(_) => "list".into(),
            Value::Tuple(_) => "tuple".into(),
            Value::Dict(d) => super::collections::kind_name(&d.borrow().kind).into(),
            Value::Set(_, SetKind::Plain) => "set".into(),
            Value::Set(_, SetKind::Identity) => "IdentitySet".into(),
            Value::Set(_, SetKind::Frozen) => "frozenset".into(),
            Value::DateTime(_) => "datetime".into(),
            Value::Date(_) => "date".into(),
            Value::Time(_) => "time".into(),
            Value::TimeDelta(_) => "timedelta".into(),
            Value::Decimal(_) => "Decimal".into(),
            Value::Row(_) => "Row".into(),
            Value::Builtin(
                Builtin::SessionClass
                | Builtin::DateTime
                | Builtin::Date
                | Builtin::TimeOfDay
                | Builtin::TimeDelta
                | Builtin::Decimal,
            ) => "type".into(),
            Value::Builtin(Builtin::Func | Builtin::SqlFunction(_)) => "_FunctionGenerator".into(),
            Value::Builtin(Builtin::Core(
                "close_all_sessions" | "make_url" | "configure_mappers" | "join" | "outerjoin"
                | "orm.join" | "orm.outerjoin",
            )) => "function".into(),
            Value::Builtin(_) => "builtin_function_or_method".into(),
            Value::Method(_) => "method".into(),
            Value::Function(_) => "function".into(),
            Value::ExceptionClass(_) => "type".into(),
            Value::Exception(e) => e.type_name().to_string(),
            Value::PyType(_) => "type".into(),
            Value::Module(_) => "module".into(),
            Value::Native(o) => o.type_name(),
        }
    }

    /// A value of a type defined above `python/`.
    pub fn native<T: super::PyObject>(obj: T) -> Value {
        Value::Native(Rc::new(obj))
    }

    /// This value as the concrete `T` (a [`Value::Native`] of that type).
    pub fn downcast<T: super::PyObject>(&self) -> Option<Rc<T>> {
        match self {
            Value::Native(o) => super::object::downcast::<T>(o),
            _ => None,
        }
    }

    /// Python truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::BigInt(_) => true,
            Value::Float(f) => *f != 0.0,
            Value::Decimal(d) => !d.is_zero(),
            Value::TimeDelta(t) => t.total_micros() != 0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.items.borrow().is_empty(),
            Value::Tuple(t) => !t.is_empty(),
            Value::Dict(d) => !d.borrow().is_empty(),
            Value::Set(s, _) => !s.items.borrow().is_empty(),
            Value::Row(r) => !r.values.is_empty(),
            Value::Native(o) => o.truthy(),
            _ => true,
        }
    }

    /// Python's `is`: identity for objects, value for immutable singletons.
    pub fn is(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b && (-5..=256).contains(a),
            (Value::BigInt(a), Value::BigInt(b)) => Rc::ptr_eq(a, b),
            (Value::Str(a), Value::Str(b)) => Rc::ptr_eq(a, b) || (a.len() <= 1 && a == b),
            (Value::Bytes(a), Value::Bytes(b)) => Rc::ptr_eq(a, b) || (a.len() <= 1 && a == b),
            (Value::List(a), Value::List(b)) => Rc::ptr_eq(a, b),
            (Value::Tuple(a), Value::Tuple(b)) => Rc::ptr_eq(a, b),
            (Value::Dict(a), Value::Dict(b)) => Rc::ptr_eq(a, b),
            (Value::Set(a, _), Value::Set(b, _)) => Rc::ptr_eq(a, b),
            (Value::Native(a), Value::Native(b)) => std::ptr::addr_eq(Rc::as_ptr(a), Rc::as_ptr(b)),
            (Value::Row(a), Value::Row(b)) => Rc::ptr_eq(a, b),
            (Value::Exception(a), Value::Exception(b)) => Rc::ptr_eq(a, b),
            (Value::ExceptionClass(a), Value::ExceptionClass(b)) => a == b,
            (Value::Builtin(a), Value::Builtin(b)) => a == b,
            (Value::PyType(a), Value::PyType(b)) => a == b,
            // `type(1) is int`: the class `type()` answers is the builtin
            (Value::PyType(a), Value::Builtin(b)) | (Value::Builtin(b), Value::PyType(a)) => {
                b.class_name() == Some(&**a)
            }
            _ => false,
        }
    }
}

/// `str(datetime)`: `2024-01-15 09:00:00`, microseconds only when set.
pub fn datetime_str(dt: &NaiveDateTime) -> String {
    let base = dt.format("%Y-%m-%d %H:%M:%S").to_string();
    let micros = dt.nanosecond() / 1000;
    if micros == 0 {
        base
    } else {
        format!("{base}.{micros:06}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_formats_match_python() {
        let dt = NaiveDate::from_ymd_opt(2024, 1, 15)
            .and_then(|d| d.and_hms_opt(9, 0, 0))
            .unwrap();
        assert_eq!(datetime_str(&dt), "2024-01-15 09:00:00");
    }
}
