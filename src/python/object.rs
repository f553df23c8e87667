//! Objects of the rooms above `python/` (the ORM's, SQLAlchemy's) as Python
//! values: [`PyObject`] is what the object model needs of them — a type
//! name, a `repr`, truth — so `python/` can hold, print and compare them
//! without knowing their Rust types. The room that defines a type downcasts
//! it back with [`crate::python::Value::downcast`].

use std::any::Any;
use std::fmt::Debug;
use std::rc::Rc;

/// A Python object whose type is defined above `python/`.
pub trait PyObject: Any + Debug {
    /// Python's `type(obj).__name__`: `Engine`, `SessionTransaction`.
    fn type_name(&self) -> String;

    /// Python's `repr(obj)`.
    fn repr(&self) -> String;

    /// Python's `str(obj)`; its `repr` unless the type says otherwise.
    fn str(&self) -> String {
        self.repr()
    }

    /// Python's truth of the object (`bool(obj)`); objects are true unless
    /// their type says otherwise.
    fn truthy(&self) -> bool {
        true
    }

    /// `isinstance(v, self)` when this object is a class (SQLAlchemy's
    /// declarative base); `false` for objects that are not classes.
    fn instancecheck(&self, _v: &super::Value) -> bool {
        false
    }

    /// `issubclass(cls, self)` when this object is a class.
    fn subclasscheck(&self, _cls: &super::Value) -> bool {
        false
    }

    /// Python's `type(obj)` when the type is itself an object of the rooms
    /// above (a mapped instance's class); `None` for `PyType(type_name)`.
    fn class_of(&self) -> Option<super::Value> {
        None
    }

    /// Python's `id(obj)`, when the type keeps a stable fake address (mapped
    /// instances print it in their default `repr`).
    fn id(&self) -> Option<u64> {
        None
    }

    /// Whether the object is an iterator (`map(...)`, `iter(xs)`, a
    /// generator): `next()` advances it and `for` reads it lazily.
    fn is_iterator(&self) -> bool {
        false
    }

    /// `next(obj)` for an iterator: the next item, `None` once exhausted
    /// (`StopIteration`). An iterator may also end by raising
    /// `StopIteration` itself (a generator's, carrying its `return`
    /// value); `for`, `list()` and `next(it, default)` take that as the
    /// end, as CPython does. Called only when [`Self::is_iterator`].
    fn next_item(&self, _vm: &mut dyn super::vm::Vm) -> super::PyResult<Option<super::Value>> {
        Ok(None)
    }

    /// A collection this object owns (a relationship list) changed in
    /// place; the ORM marks the object for its Session's next dirty check.
    fn collection_changed(&self) {}

    /// The built-in value the object reads as for Python's protocols —
    /// iteration, `len()`, `in`, `==`, `dict()` — when it is a read-only
    /// view (SQLAlchemy's `RowMapping` reads as a dict, `RMKeyView` as a
    /// list); `None` for other objects.
    fn as_builtin(&self) -> Option<super::Value> {
        None
    }

    /// `obj == other` when the type decides it itself (a `range` equals
    /// only a `range` of the same integers, never the list it reads as);
    /// `None` to compare through [`Self::as_builtin`] or by identity.
    fn equals(&self, _other: &super::Value) -> Option<bool> {
        None
    }

    /// The value `hash(obj)` hashes in its place, for a hashable value type
    /// (a `range` hashes as `(len, start, step)`, as CPython's
    /// `range_hash`); `None` to hash by identity.
    fn hash_key(&self) -> Option<super::Value> {
        None
    }

    /// `obj[key]`, for an object that supports it; `None` when it does not.
    fn get_item(&self, _key: &super::Value) -> Option<super::PyResult<super::Value>> {
        None
    }

    /// `self` as `Any`, to downcast an `Rc<dyn PyObject>` back to its type.
    fn into_any(self: Rc<Self>) -> Rc<dyn Any>;
}

/// `Rc<dyn PyObject>` as the concrete `T`, when it is one.
pub fn downcast<T: PyObject>(obj: &Rc<dyn PyObject>) -> Option<Rc<T>> {
    obj.clone().into_any().downcast::<T>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Thing(u8);

    impl PyObject for Thing {
        fn type_name(&self) -> String {
            "Thing".into()
        }
        fn repr(&self) -> String {
            format!("<Thing {}>", self.0)
        }
        fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
            self
        }
    }

    #[derive(Debug)]
    struct Other;

    impl PyObject for Other {
        fn type_name(&self) -> String {
            "Other".into()
        }
        fn repr(&self) -> String {
            "<Other>".into()
        }
        fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
            self
        }
    }

    #[test]
    fn downcasts_to_its_own_type_only() {
        let obj: Rc<dyn PyObject> = Rc::new(Thing(7));
        assert_eq!(downcast::<Thing>(&obj).map(|t| t.0), Some(7));
        assert!(downcast::<Other>(&obj).is_none());
        assert_eq!(obj.repr(), "<Thing 7>");
    }
}
