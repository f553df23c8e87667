//! Classes a learner writes (`class Repo:`, `class NotFound(Exception):`)
//! and their instances, as CPython's `type` and `object`: a namespace,
//! bases and a C3 `__mro__`, instances with a `__dict__`, bound methods,
//! and the descriptors `property`, `classmethod` and `staticmethod`.
//!
//! They are [`Value::Native`] objects like the rooms above's, so `repr`,
//! `isinstance`, `type()` and `id()` work through [`PyObject`]; the
//! interpreter calls their methods (`__init__`, `__repr__`, `__eq__`, …).
//! A class may derive from a built-in exception class: its instances are
//! then exceptions, with `args` as `BaseException` keeps them.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use super::exceptions::{PyErr, PyResult, type_error};
use super::format::address_of;
use super::value::{DictObj, Value};
use super::{ExcType, PyObject};

/// One entry of a class's `__mro__` (or a base): a learner's class, a
/// built-in exception class, or `object`.
#[derive(Debug, Clone)]
pub enum ClassRef {
    User(Rc<PyClass>),
    Exception(ExcType),
    Object,
}

impl PartialEq for ClassRef {
    fn eq(&self, other: &ClassRef) -> bool {
        match (self, other) {
            (ClassRef::User(a), ClassRef::User(b)) => Rc::ptr_eq(a, b),
            (ClassRef::Exception(a), ClassRef::Exception(b)) => a == b,
            (ClassRef::Object, ClassRef::Object) => true,
            _ => false,
        }
    }
}

impl ClassRef {
    /// The class a base expression evaluated to: a learner's class, an
    /// exception class, or `object`; `None` for anything else.
    pub fn from_value(v: &Value) -> Option<ClassRef> {
        match v {
            Value::ExceptionClass(e) => Some(ClassRef::Exception(*e)),
            Value::PyType(t) if &**t == "object" => Some(ClassRef::Object),
            other => other.downcast::<PyClass>().map(ClassRef::User),
        }
    }

    /// The class as a Python value.
    pub fn value(&self) -> Value {
        match self {
            ClassRef::User(c) => Value::Native(c.clone()),
            ClassRef::Exception(e) => Value::ExceptionClass(*e),
            ClassRef::Object => Value::PyType(Rc::from("object")),
        }
    }

    /// The class's own `__mro__`: itself first, `object` last.
    fn linearization(&self) -> Vec<ClassRef> {
        match self {
            ClassRef::User(c) => {
                let mut out = vec![self.clone()];
                out.extend(c.mro.iter().cloned());
                out
            }
            ClassRef::Exception(e) => {
                let mut out: Vec<ClassRef> =
                    e.mro().iter().map(|e| ClassRef::Exception(*e)).collect();
                out.push(ClassRef::Object);
                out
            }
            ClassRef::Object => vec![ClassRef::Object],
        }
    }

    fn name(&self) -> String {
        match self {
            ClassRef::User(c) => c.name.clone(),
            ClassRef::Exception(e) => e.name().to_string(),
            ClassRef::Object => "object".into(),
        }
    }
}

/// A class defined by a `class` statement outside the declarative
/// registry: Python's `type` instance.
#[derive(Debug)]
pub struct PyClass {
    pub name: String,
    /// `__module__`: `__main__` for the learner's code.
    pub module: String,
    /// `__bases__`, as written (`object` when none).
    pub bases: Vec<ClassRef>,
    /// `__mro__` after the class itself, by C3 linearization.
    pub mro: Vec<ClassRef>,
    /// The class namespace (`__dict__`), in definition order.
    pub namespace: RefCell<Vec<(String, Value)>>,
}

impl PyClass {
    /// A new class; its `__mro__` by C3 as CPython's `mro_internal`.
    ///
    /// Errors: `TypeError: duplicate base class A`, and `TypeError: Cannot
    /// create a consistent method resolution order (MRO) for bases A, B`.
    pub fn new(
        name: &str,
        module: &str,
        bases: Vec<ClassRef>,
        namespace: Vec<(String, Value)>,
    ) -> PyResult<Rc<PyClass>> {
        let bases = if bases.is_empty() {
            vec![ClassRef::Object]
        } else {
            bases
        };
        for (i, b) in bases.iter().enumerate() {
            if bases[..i].contains(b) {
                return Err(type_error(format!("duplicate base class {}", b.name())));
            }
        }
        let mro = c3_merge(&bases)?;
        let mut namespace = namespace;
        // A class that defines `__eq__` and not `__hash__` gets
        // `__hash__ = None`, as `type.__new__` does.
        if namespace.iter().any(|(k, _)| k == "__eq__")
            && !namespace.iter().any(|(k, _)| k == "__hash__")
        {
            namespace.push(("__hash__".into(), Value::None));
        }
        Ok(Rc::new(PyClass {
            name: name.to_string(),
            module: module.to_string(),
            bases,
            mro,
            namespace: RefCell::new(namespace),
        }))
    }

    /// `name` in this class's namespace only.
    pub fn own(&self, name: &str) -> Option<Value> {
        self.namespace
            .borrow()
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// `name` looked up along the `__mro__` (the learner's classes only),
    /// with the class that defines it.
    pub fn lookup(self: &Rc<Self>, name: &str) -> Option<(Value, Rc<PyClass>)> {
        if let Some(v) = self.own(name) {
            return Some((v, self.clone()));
        }
        self.lookup_after(name, 0)
    }

    /// `name` along `__mro__[skip + 1..]` (what `super()` searches).
    fn lookup_after(&self, name: &str, skip: usize) -> Option<(Value, Rc<PyClass>)> {
        self.mro.iter().skip(skip).find_map(|c| match c {
            ClassRef::User(c) => c.own(name).map(|v| (v, c.clone())),
            _ => None,
        })
    }

    /// The built-in exception class this class derives from, if any (the
    /// first in its `__mro__`).
    pub fn exception_base(&self) -> Option<ExcType> {
        self.mro.iter().find_map(|c| match c {
            ClassRef::Exception(e) => Some(*e),
            _ => None,
        })
    }

    /// `issubclass(self, other)`.
    pub fn is_subclass_of(self: &Rc<Self>, other: &ClassRef) -> bool {
        match other {
            ClassRef::User(o) if Rc::ptr_eq(self, o) => true,
            other => self.mro.contains(other),
        }
    }

    /// `__mro__` as a tuple of classes.
    pub fn mro_value(self: &Rc<Self>) -> Value {
        let mut out = vec![Value::Native(self.clone())];
        out.extend(self.mro.iter().map(ClassRef::value));
        Value::tuple(out)
    }

    /// `repr(cls)`: `<class '__main__.Repo'>`; an enum's `<enum 'Status'>`.
    pub fn class_repr(&self) -> String {
        if self.is_enum() {
            return format!("<enum '{}'>", self.name);
        }
        format!("<class '{}.{}'>", self.module, self.name)
    }

    /// True for `enum.Enum`, `enum.IntEnum` and the classes derived from
    /// them (those whose `type()` is `EnumType`). The `enum` module's
    /// classes are the only ones of module `enum`.
    pub fn is_enum(&self) -> bool {
        self.module == "enum"
            || self
                .mro
                .iter()
                .any(|c| matches!(c, ClassRef::User(c) if c.module == "enum"))
    }

    /// True for `enum.IntEnum` and its subclasses: members are ints.
    pub fn is_int_enum(&self) -> bool {
        let int = |c: &PyClass| c.module == "enum" && c.name == "IntEnum";
        int(self)
            || self
                .mro
                .iter()
                .any(|c| matches!(c, ClassRef::User(c) if int(c)))
    }

    /// An enum's members in definition order, with the names that reach
    /// them: `(name, member, canonical)`, `canonical` false for an alias
    /// (`C = "a"` after `A = "a"`), which iteration skips as CPython's
    /// `EnumType.__iter__`. Empty for other classes.
    pub fn enum_entries(self: &Rc<Self>) -> Vec<(String, Rc<PyInstance>, bool)> {
        if !self.is_enum() {
            return Vec::new();
        }
        self.namespace
            .borrow()
            .iter()
            .filter_map(|(k, v)| {
                let m = v.downcast::<PyInstance>()?;
                if !Rc::ptr_eq(&m.class, self) {
                    return None;
                }
                let canonical = matches!(m.get("_name_"), Some(Value::Str(n)) if *n == **k);
                Some((k.clone(), m, canonical))
            })
            .collect()
    }

    /// The enum's member called `name` (an alias's name too), as
    /// `Status["ACTIVE"]` finds it.
    pub fn enum_member(self: &Rc<Self>, name: &str) -> Option<Value> {
        self.enum_entries()
            .into_iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, m, _)| Value::Native(m))
    }

    /// What `super(cls, obj).name` finds: the first class after `self`
    /// in the `__mro__` of `obj`'s class (`start`) that has `name`, or the
    /// built-in class that ends the search (an exception class or `object`).
    pub fn super_lookup(start: &Rc<PyClass>, after: &Rc<PyClass>, name: &str) -> SuperFound {
        let mut full = vec![ClassRef::User(start.clone())];
        full.extend(start.mro.iter().cloned());
        let pos = full
            .iter()
            .position(|c| matches!(c, ClassRef::User(c) if Rc::ptr_eq(c, after)))
            .unwrap_or(full.len());
        for c in full.iter().skip(pos + 1) {
            match c {
                ClassRef::User(c) => {
                    if let Some(v) = c.own(name) {
                        return SuperFound::Attr(v, c.clone());
                    }
                }
                ClassRef::Exception(e) => return SuperFound::Builtin(ClassRef::Exception(*e)),
                ClassRef::Object => return SuperFound::Builtin(ClassRef::Object),
            }
        }
        SuperFound::Builtin(ClassRef::Object)
    }
}

/// What a `super()` look-up found.
pub enum SuperFound {
    /// A value in a learner's class namespace, and that class.
    Attr(Value, Rc<PyClass>),
    /// The search reached a built-in class (whose own methods apply).
    Builtin(ClassRef),
}

/// C3: the merge of the bases' linearizations and the bases themselves.
fn c3_merge(bases: &[ClassRef]) -> PyResult<Vec<ClassRef>> {
    let mut seqs: Vec<Vec<ClassRef>> = bases.iter().map(ClassRef::linearization).collect();
    seqs.push(bases.to_vec());
    let mut out = Vec::new();
    loop {
        seqs.retain(|s| !s.is_empty());
        if seqs.is_empty() {
            return Ok(out);
        }
        let candidate = seqs
            .iter()
            .map(|s| &s[0])
            .find(|c| !seqs.iter().any(|s| s[1..].contains(c)))
            .cloned();
        let Some(c) = candidate else {
            let names: Vec<String> = bases.iter().map(ClassRef::name).collect();
            return Err(type_error(format!(
                "Cannot create a consistent method resolution\norder (MRO) for bases {}",
                names.join(", ")
            )));
        };
        for s in seqs.iter_mut() {
            if s[0] == c {
                s.remove(0);
            }
        }
        out.push(c);
    }
}

impl PyObject for PyClass {
    fn type_name(&self) -> String {
        if self.is_enum() {
            return "EnumType".into();
        }
        "type".into()
    }
    fn repr(&self) -> String {
        self.class_repr()
    }
    fn instancecheck(&self, v: &Value) -> bool {
        match v.downcast::<PyInstance>() {
            Some(i) => {
                std::ptr::eq(Rc::as_ptr(&i.class), self)
                    || i.class.mro.iter().any(
                        |c| matches!(c, ClassRef::User(c) if std::ptr::eq(Rc::as_ptr(c), self)),
                    )
            }
            None => false,
        }
    }
    fn subclasscheck(&self, cls: &Value) -> bool {
        match cls.downcast::<PyClass>() {
            Some(c) => {
                std::ptr::eq(Rc::as_ptr(&c), self)
                    || c.mro.iter().any(
                        |m| matches!(m, ClassRef::User(m) if std::ptr::eq(Rc::as_ptr(m), self)),
                    )
            }
            None => false,
        }
    }
    fn id(&self) -> Option<u64> {
        Some(self as *const PyClass as u64)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

/// An instance of a [`PyClass`]: its `__dict__`, and `args` when its
/// class derives from an exception class (as `BaseException.args`).
#[derive(Debug)]
pub struct PyInstance {
    pub class: Rc<PyClass>,
    /// `__dict__` (shared: `vars(x)` is the live dict).
    pub dict: Rc<RefCell<DictObj>>,
    /// `BaseException.args`: the constructor's arguments, until
    /// `BaseException.__init__` sets them again.
    pub args: RefCell<Vec<Value>>,
    /// An exception object's `__traceback__` and `__cause__`/`__context__`
    /// as last caught (`except NotFound as e:`), kept without the object
    /// itself so that `raise e` and `raise X from e` carry them on.
    pub raised: RefCell<Option<PyErr>>,
    /// The instance itself, for `next()` to call its `__next__` with.
    this: std::rc::Weak<PyInstance>,
}

impl PyInstance {
    /// A new, empty instance of `class`.
    pub fn new(class: Rc<PyClass>, args: Vec<Value>) -> Rc<PyInstance> {
        Rc::new_cyclic(|this| PyInstance {
            this: this.clone(),
            class,
            dict: Rc::new(RefCell::new(DictObj::default())),
            args: RefCell::new(args),
            raised: RefCell::new(None),
        })
    }

    /// The instance attribute `name`, from `__dict__`.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.dict.borrow().lookup(&Value::str(name)).cloned()
    }

    /// Sets the instance attribute `name` in `__dict__`.
    pub fn set(&self, name: &str, v: Value) {
        self.dict.borrow_mut().set(Value::str(name), v);
    }

    /// Removes `name` from `__dict__`; `false` when it was not there.
    pub fn remove(&self, name: &str) -> bool {
        let mut d = self.dict.borrow_mut();
        match d.position(&Value::str(name)) {
            Some(i) => {
                d.remove(i);
                true
            }
            None => false,
        }
    }

    /// True when the class derives from an exception class.
    pub fn is_exception(&self) -> bool {
        self.class.exception_base().is_some()
    }

    /// `BaseException.args` as a tuple.
    pub fn args_value(&self) -> Value {
        Value::tuple(self.args.borrow().clone())
    }
}

impl PyObject for PyInstance {
    fn type_name(&self) -> String {
        self.class.name.clone()
    }
    /// `object.__repr__`: `<__main__.Repo object at 0x…>`; an exception's
    /// `BaseException.__repr__`: `NotFound('gone')` (plain reprs of args).
    fn repr(&self) -> String {
        if self.is_exception() {
            let args: Vec<String> = self
                .args
                .borrow()
                .iter()
                .map(super::format::repr_plain)
                .collect();
            return format!("{}({})", self.class.name, args.join(", "));
        }
        format!(
            "<{}.{} object at {}>",
            self.class.module,
            self.class.name,
            address_of(self as *const PyInstance)
        )
    }
    /// `BaseException.__str__` for exceptions, else the `repr`.
    fn str(&self) -> String {
        if self.is_exception() {
            let args = self.args.borrow();
            return match args.as_slice() {
                [] => String::new(),
                [one] => super::format::str_plain(one),
                _ => super::format::repr_plain(&Value::tuple(args.clone())),
            };
        }
        self.repr()
    }
    fn class_of(&self) -> Option<Value> {
        Some(Value::Native(self.class.clone()))
    }
    fn id(&self) -> Option<u64> {
        Some(self as *const PyInstance as u64)
    }
    /// An instance whose class defines `__next__` is an iterator.
    fn is_iterator(&self) -> bool {
        self.class.lookup("__next__").is_some()
    }
    /// `next(obj)`: its class's `__next__`; its `StopIteration` ends the
    /// iteration, as CPython's.
    fn next_item(&self, vm: &mut dyn super::vm::Vm) -> PyResult<Option<Value>> {
        let Some(this) = self.this.upgrade() else {
            return Ok(None);
        };
        vm.call_dunder(&Value::Native(this), "__next__", Vec::new())
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

/// A function bound to its receiver: `r.get` is `<bound method Repo.get
/// of <__main__.Repo object at 0x…>>`; a `classmethod` binds the class.
#[derive(Debug)]
pub struct BoundMethod {
    pub function: Value,
    pub receiver: Value,
    /// `Repo.get`, as the function's `__qualname__`.
    pub qualname: String,
}

impl PyObject for BoundMethod {
    fn type_name(&self) -> String {
        "method".into()
    }
    fn repr(&self) -> String {
        format!(
            "<bound method {} of {}>",
            self.qualname,
            super::format::repr_plain(&self.receiver)
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

/// `property`, `classmethod` and `staticmethod` objects in a class body.
#[derive(Debug, Clone)]
pub enum Descriptor {
    /// `property(fget, fset, fdel)`; `@x.setter` makes a copy with `fset`.
    Property {
        fget: Option<Value>,
        fset: Option<Value>,
        fdel: Option<Value>,
    },
    ClassMethod(Value),
    StaticMethod(Value),
}

impl PyObject for Descriptor {
    fn type_name(&self) -> String {
        match self {
            Descriptor::Property { .. } => "property",
            Descriptor::ClassMethod(_) => "classmethod",
            Descriptor::StaticMethod(_) => "staticmethod",
        }
        .into()
    }
    fn repr(&self) -> String {
        match self {
            Descriptor::Property { .. } => format!(
                "<property object at {}>",
                address_of(self as *const Descriptor)
            ),
            Descriptor::ClassMethod(f) => {
                format!("<classmethod({})>", super::format::repr_plain(f))
            }
            Descriptor::StaticMethod(f) => {
                format!("<staticmethod({})>", super::format::repr_plain(f))
            }
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

impl Descriptor {
    /// A class attribute as `Class.name` gives it: a `classmethod` bound to
    /// `class` (named `class_name`), a `staticmethod`'s function, anything
    /// else as it is.
    pub fn bind_to_class(v: &Value, class: &Value, class_name: &str) -> Value {
        match v.downcast::<Descriptor>().as_deref() {
            Some(Descriptor::ClassMethod(f)) => Value::native(BoundMethod {
                function: f.clone(),
                receiver: class.clone(),
                qualname: qualname(class_name, f),
            }),
            Some(Descriptor::StaticMethod(f)) => f.clone(),
            _ => v.clone(),
        }
    }
}

/// `Class.function` as `__qualname__` shows it.
pub fn qualname(class_name: &str, f: &Value) -> String {
    match f {
        Value::Function(f) => format!("{class_name}.{}", f.name),
        other => format!("{class_name}.{}", other.type_name()),
    }
}

/// The built-in classes and functions of Python's object model the
/// interpreter calls: `property`, `classmethod`, `staticmethod`,
/// `super`, `hash` (`vars`, `setattr`, `delattr` are
/// [`super::value::Builtin`]s that know learners' objects).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectBuiltin {
    Property,
    ClassMethod,
    StaticMethod,
    Super,
    Hash,
}

impl ObjectBuiltin {
    /// Each with the name it is bound to at start.
    pub const ALL: [(&'static str, ObjectBuiltin); 5] = [
        ("property", ObjectBuiltin::Property),
        ("classmethod", ObjectBuiltin::ClassMethod),
        ("staticmethod", ObjectBuiltin::StaticMethod),
        ("super", ObjectBuiltin::Super),
        ("hash", ObjectBuiltin::Hash),
    ];

    fn name(self) -> &'static str {
        ObjectBuiltin::ALL
            .iter()
            .find(|(_, b)| *b == self)
            .map_or("?", |(n, _)| n)
    }

    fn is_class(self) -> bool {
        matches!(
            self,
            ObjectBuiltin::Property
                | ObjectBuiltin::ClassMethod
                | ObjectBuiltin::StaticMethod
                | ObjectBuiltin::Super
        )
    }
}

impl PyObject for ObjectBuiltin {
    fn type_name(&self) -> String {
        if self.is_class() {
            "type".into()
        } else {
            "builtin_function_or_method".into()
        }
    }
    fn repr(&self) -> String {
        if self.is_class() {
            format!("<class '{}'>", self.name())
        } else {
            format!("<built-in function {}>", self.name())
        }
    }
    fn instancecheck(&self, v: &Value) -> bool {
        matches!(
            (self, v.downcast::<Descriptor>().as_deref()),
            (ObjectBuiltin::Property, Some(Descriptor::Property { .. }))
                | (ObjectBuiltin::ClassMethod, Some(Descriptor::ClassMethod(_)))
                | (
                    ObjectBuiltin::StaticMethod,
                    Some(Descriptor::StaticMethod(_))
                )
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

/// `super()` bound: the class whose method is running and the receiver
/// (an instance, or a class in a `classmethod`).
#[derive(Debug)]
pub struct Super {
    pub this: Rc<PyClass>,
    pub receiver: Value,
}

impl PyObject for Super {
    fn type_name(&self) -> String {
        "super".into()
    }
    fn repr(&self) -> String {
        format!(
            "<super: <class '{}'>, <{} object>>",
            self.this.name,
            self.receiver.type_name()
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

/// A method of a built-in class reached through `super()` or a class
/// (`Exception.__init__`, `object.__init__`, `object.__repr__`), bound
/// to `receiver`.
#[derive(Debug)]
pub struct BuiltinMethod {
    pub class: ClassRef,
    pub name: String,
    pub receiver: Value,
}

impl PyObject for BuiltinMethod {
    fn type_name(&self) -> String {
        "method-wrapper".into()
    }
    fn repr(&self) -> String {
        format!(
            "<method-wrapper '{}' of {} object at 0x7f0000000000>",
            self.name,
            self.receiver.type_name()
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn Any> {
        self
    }
}

/// `len(x)` from what `__len__` returned: `TypeError` for a non-int,
/// `ValueError` for a negative one, as CPython's `slot_sq_length`.
pub fn len_result(n: Value) -> PyResult<Value> {
    match n {
        Value::Int(i) if i < 0 => Err(super::exceptions::value_error(
            "__len__() should return >= 0",
        )),
        Value::Int(_) => Ok(n),
        Value::Bool(b) => Ok(Value::Int(b as i64)),
        other => Err(type_error(format!(
            "'{}' object cannot be interpreted as an integer",
            other.type_name()
        ))),
    }
}

/// `isinstance(v, exc)` for an instance of a learner's exception class.
pub fn exception_instance_of(v: &Value, exc: ExcType) -> bool {
    v.downcast::<PyInstance>()
        .and_then(|i| i.class.exception_base())
        .is_some_and(|b| b.is_subclass_of(exc))
}

/// `issubclass(cls, of)` for a learner's class `cls`.
pub fn class_is_subclass(cls: &Value, of: &Value) -> Option<bool> {
    let c = cls.downcast::<PyClass>()?;
    match ClassRef::from_value(of) {
        Some(of) => Some(c.is_subclass_of(&of)),
        // `int`, `str`, a mapped class: never a base of a learner's class.
        None if matches!(of, Value::Builtin(_) | Value::PyType(_) | Value::Native(_)) => {
            Some(false)
        }
        None => None,
    }
}

/// The exception an instance of a learner's exception class raises:
/// `message` is its `str()`; `None` when `inst` is no exception.
pub fn raised_instance(inst: &Value, message: String) -> Option<PyErr> {
    let i = inst.downcast::<PyInstance>()?;
    let base = i.class.exception_base()?;
    let mut e = match &*i.raised.borrow() {
        Some(caught) => {
            let mut e = caught.clone();
            e.exc = base;
            e.message = message;
            e
        }
        None => PyErr::new(base, message),
    };
    e.set_instance(Some(super::exceptions::ExceptionInstance {
        value: inst.clone(),
        class_name: i.class.name.clone(),
    }));
    Some(e)
}

/// The value `except … as e` binds to the exception `e` caught: the
/// learner's exception object (which keeps `e`'s traceback and chain for
/// a later `raise`), or the built-in exception.
pub fn caught_value(e: &Rc<PyErr>) -> Value {
    if let Some(i) = e.instance()
        && let Some(inst) = i.value.downcast::<PyInstance>()
    {
        let mut kept = (**e).clone();
        kept.set_instance(None);
        *inst.raised.borrow_mut() = Some(kept);
    }
    exception_value(e)
}

/// The Python object of a raised exception, as `__cause__` and
/// `__context__` give it: the learner's exception object, or the built-in
/// exception.
pub fn exception_value(e: &Rc<PyErr>) -> Value {
    match e.instance() {
        Some(i) => i.value.clone(),
        None => Value::Exception(e.clone()),
    }
}

/// `__cause__`, `__context__`, `__suppress_context__` of a learner's
/// exception object: what it was last caught with (`None`, `False`
/// before).
pub fn instance_chain_attr(inst: &PyInstance, name: &str) -> Option<Value> {
    if !inst.is_exception() {
        return None;
    }
    let raised = inst.raised.borrow();
    let chain = raised.as_ref().and_then(|e| e.chain.as_deref());
    let exception = |c: Option<&Rc<PyErr>>| c.map_or(Value::None, exception_value);
    Some(match name {
        "__cause__" => exception(chain.and_then(|c| c.cause.as_ref())),
        "__context__" => exception(chain.and_then(|c| c.context.as_ref())),
        "__suppress_context__" => Value::Bool(chain.is_some_and(|c| c.suppress_context)),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(name: &str, bases: Vec<ClassRef>) -> Rc<PyClass> {
        PyClass::new(name, "__main__", bases, Vec::new()).unwrap()
    }

    fn names(c: &Rc<PyClass>) -> Vec<String> {
        c.mro.iter().map(ClassRef::name).collect()
    }

    #[test]
    fn mro_is_c3_as_python() {
        let a = class("A", vec![]);
        let b = class("B", vec![ClassRef::User(a.clone())]);
        let c = class("C", vec![ClassRef::User(a.clone())]);
        let d = class(
            "D",
            vec![ClassRef::User(b.clone()), ClassRef::User(c.clone())],
        );
        assert_eq!(names(&d), ["B", "C", "A", "object"]);
        let e = PyClass::new(
            "E",
            "__main__",
            vec![ClassRef::User(a.clone()), ClassRef::User(b.clone())],
            Vec::new(),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "Cannot create a consistent method resolution\norder (MRO) for bases A, B"
        );
        let dup = PyClass::new(
            "F",
            "__main__",
            vec![ClassRef::User(a.clone()), ClassRef::User(a)],
            Vec::new(),
        )
        .unwrap_err();
        assert_eq!(dup.message, "duplicate base class A");
    }

    #[test]
    fn exception_subclasses_keep_the_builtin_chain() {
        let nf = class("NotFound", vec![ClassRef::Exception(ExcType::LookupError)]);
        assert_eq!(
            names(&nf),
            ["LookupError", "Exception", "BaseException", "object"]
        );
        assert_eq!(nf.exception_base(), Some(ExcType::LookupError));
        let inst = Value::Native(PyInstance::new(nf.clone(), vec![Value::str("gone")]));
        assert!(exception_instance_of(&inst, ExcType::Exception));
        assert!(!exception_instance_of(&inst, ExcType::KeyError));
        assert_eq!(inst.type_name(), "NotFound");
        let Value::Native(o) = &inst else { panic!() };
        assert_eq!(o.repr(), "NotFound('gone')");
        assert_eq!(o.str(), "gone");
        let e = raised_instance(&inst, "gone".into()).unwrap();
        assert_eq!(e.type_name(), "NotFound");
        assert!(e.is_instance_of(ExcType::Exception));
    }

    #[test]
    fn eq_without_hash_makes_instances_unhashable() {
        let c = PyClass::new(
            "P",
            "__main__",
            vec![],
            vec![("__eq__".into(), Value::None)],
        )
        .unwrap();
        assert!(matches!(c.own("__hash__"), Some(Value::None)));
        assert_eq!(c.class_repr(), "<class '__main__.P'>");
    }
}
