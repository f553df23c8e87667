//! Plain Python classes at run time: `class Repo:` and `class
//! NotFound(Exception):` statements, instances and their attributes
//! (properties, bound methods, `classmethod`/`staticmethod`), `super()`,
//! the special methods the operators and built-ins call (`__repr__`,
//! `__eq__`, `__lt__`, `__len__`, `__iter__`, `__getitem__`, `__call__`,
//! …), decorators (`@expr` on `def` and `class`), and the descriptors and
//! `@validates` validators of mapped classes' bodies. The object model's
//! side (classes, instances, the `__mro__`) is [`crate::python::class`].

use std::collections::HashMap;
use std::rc::{Rc, Weak};

use crate::language::ast::{CmpOp, Expr, Stmt, StmtKind};
use crate::orm::mapper::Mapper;
use crate::python::ExcType;
use crate::python::class::{
    BoundMethod, BuiltinMethod, ClassRef, Descriptor, ObjectBuiltin, PyClass, PyInstance, Super,
    SuperFound, qualname,
};
use crate::python::exceptions::{PyErr, PyResult, attribute_error, did_you_mean, type_error};
use crate::python::value::{Function, Value};

use super::eval::{Flow, Interpreter};

type Kwargs = Vec<(String, Value)>;

/// What the interpreter keeps for classes: which class each method was
/// defined in, and the methods running now, for zero-argument `super()`
/// (CPython's `__class__` cell).
#[derive(Debug, Default)]
pub struct ClassState {
    owners: HashMap<usize, (Weak<Function>, Weak<PyClass>)>,
    running: Vec<(Rc<PyClass>, Value)>,
    /// The `__qualname__` of each class whose body is running, innermost
    /// last.
    bodies: Vec<String>,
}

impl ClassState {
    /// Swaps the running methods and class bodies with `saved`: each
    /// asyncio task has its own (`event_loop`).
    pub(super) fn swap_running(&mut self, saved: &mut ClassContext) {
        std::mem::swap(&mut self.running, &mut saved.running);
        std::mem::swap(&mut self.bodies, &mut saved.bodies);
    }
}

/// The part of [`ClassState`] that belongs to one task.
#[derive(Default)]
pub(super) struct ClassContext {
    running: Vec<(Rc<PyClass>, Value)>,
    bodies: Vec<String>,
}

/// A method of a learner's class running: its class and receiver.
#[derive(Debug, Clone)]
pub struct RunningMethod {
    class: Rc<PyClass>,
    receiver: Value,
}

impl ClassState {
    /// A new step: no method or class body is running.
    pub(super) fn begin_step(&mut self) {
        self.running.clear();
        self.bodies.clear();
    }

    /// A `class` statement's body starts: `qualname` names its methods.
    pub(super) fn enter_body(&mut self, qualname: String) {
        self.bodies.push(qualname);
    }

    /// Ends what [`ClassState::enter_body`] started.
    pub(super) fn leave_body(&mut self) {
        self.bodies.pop();
    }

    /// The `__qualname__` of the class whose body is running.
    pub(super) fn body_qualname(&self) -> Option<&str> {
        self.bodies.last().map(String::as_str)
    }

    fn register(&mut self, f: &Rc<Function>, class: &Rc<PyClass>) {
        self.owners.retain(|_, (f, _)| f.strong_count() > 0);
        self.owners.insert(
            Rc::as_ptr(f) as usize,
            (Rc::downgrade(f), Rc::downgrade(class)),
        );
    }

    /// The class and receiver of the method `f` when it is the one running
    /// (a generator method being called), for its generator to keep.
    pub(super) fn running_method(&self, f: &Rc<Function>) -> Option<RunningMethod> {
        let class = self.owner(f)?;
        let (running, receiver) = self.running.last()?;
        Rc::ptr_eq(&class, running).then(|| RunningMethod {
            class: class.clone(),
            receiver: receiver.clone(),
        })
    }

    /// Notes again the method a generator resumes in; `true` when there
    /// is one, for [`Interpreter::leave_method`].
    pub(super) fn resume_method(&mut self, m: Option<&RunningMethod>) -> bool {
        match m {
            Some(m) => {
                self.running.push((m.class.clone(), m.receiver.clone()));
                true
            }
            None => false,
        }
    }

    /// The class `f` was defined in, when it is a method of a learner's class.
    fn owner(&self, f: &Rc<Function>) -> Option<Rc<PyClass>> {
        let (weak, class) = self.owners.get(&(Rc::as_ptr(f) as usize))?;
        if !std::ptr::eq(weak.as_ptr(), Rc::as_ptr(f)) {
            return None;
        }
        class.upgrade()
    }
}

/// Binds `property`, `classmethod`, `staticmethod`, `super`, `object` and
/// `hash` at start.
pub fn bind_builtins(interp: &mut Interpreter) {
    for (name, b) in ObjectBuiltin::ALL {
        interp.globals.insert(name.to_string(), Value::native(b));
    }
    interp
        .globals
        .insert("object".into(), Value::PyType(Rc::from("object")));
}

impl Interpreter {
    /// Calls `f` as [`Interpreter::call_function`] does, first noting the
    /// class and receiver of a method for `super()`.
    pub(super) fn enter_method(&mut self, f: &Rc<Function>, args: &[Value]) -> bool {
        match (self.classes.owner(f), args.first()) {
            (Some(class), Some(receiver)) => {
                self.classes.running.push((class, receiver.clone()));
                true
            }
            _ => false,
        }
    }

    /// Ends what [`Interpreter::enter_method`] started.
    pub(super) fn leave_method(&mut self, entered: bool) {
        if entered {
            self.classes.running.pop();
        }
    }
}

/// Names a class body binds, in the order it binds them.
pub fn body_names(body: &[Stmt]) -> Vec<String> {
    fn defined(s: &Stmt) -> Option<&String> {
        match &s.kind {
            StmtKind::FunctionDef { name, .. } | StmtKind::ClassDef { name, .. } => Some(name),
            StmtKind::Async(inner)
            | StmtKind::Decorated {
                definition: inner, ..
            } => defined(inner),
            _ => None,
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut add = |n: &String| {
        if !out.contains(n) {
            out.push(n.clone());
        }
    };
    for s in body {
        match &s.kind {
            StmtKind::AnnAssign { target, .. } => {
                if let crate::language::ast::ExprKind::Name(n) = &target.kind {
                    add(n);
                }
            }
            StmtKind::Assign { targets, .. } => {
                for t in targets {
                    if let crate::language::ast::ExprKind::Name(n) = &t.kind {
                        add(n);
                    }
                }
            }
            _ => {
                if let Some(n) = defined(s) {
                    add(n);
                }
            }
        }
    }
    out
}

/// `class Name(bases): body` for a class outside the declarative registry:
/// runs the body in its own namespace and makes a [`PyClass`].
///
/// Errors: `NotImplementedError` for a base the tutor cannot derive from
/// (a SQLAlchemy object, a built-in type other than `object` and the
/// exception classes); C3's `TypeError`s.
pub fn define_class(
    interp: &mut Interpreter,
    name: &str,
    bases: &[Value],
    body: &[Stmt],
) -> PyResult<Value> {
    let mut refs = Vec::new();
    for b in bases {
        match ClassRef::from_value(b) {
            Some(r) => refs.push(r),
            None => {
                return Err(PyErr::unsupported(format!(
                    "classes derived from {} (class {name}({}))",
                    crate::python::format::repr_plain(b),
                    b.type_name()
                )));
            }
        }
    }
    let frame = interp.exec_class_body(body)?;
    let order = body_names(body);
    let mut namespace: Vec<(String, Value)> = Vec::new();
    for key in &order {
        if let Some((_, v)) = frame.iter().find(|(k, _)| k == key) {
            namespace.push((key.clone(), v.clone()));
        }
    }
    for (k, v) in frame {
        if !namespace.iter().any(|(n, _)| *n == k) {
            namespace.push((k, v));
        }
    }
    namespace.insert(0, ("__module__".into(), Value::str(&interp.module)));
    // `SETUP_ANNOTATIONS` makes the dict before the body's first statement
    if let Some(i) = namespace.iter().position(|(k, _)| k == "__annotations__") {
        let entry = namespace.remove(i);
        namespace.insert(1, entry);
    }
    let qualname = interp.classes.body_qualname().unwrap_or(name).to_string();
    namespace.insert(1, ("__qualname__".into(), Value::str(&qualname)));
    if !namespace.iter().any(|(k, _)| k == "__doc__") {
        namespace.insert(2, ("__doc__".into(), docstring(body)));
    }
    let class = PyClass::new(name, &interp.module, refs, namespace)?;
    for (_, v) in class.namespace.borrow().iter() {
        for f in functions_in(v) {
            interp.classes.register(&f, &class);
        }
    }
    if class.is_enum() {
        super::enums::make_members(interp, &class)?;
    }
    Ok(Value::Native(class))
}

/// A body's docstring (its first statement, when a string), else `None`.
fn docstring(body: &[Stmt]) -> Value {
    match body.first().map(|s| &s.kind) {
        Some(StmtKind::Expr(Expr {
            kind: crate::language::ast::ExprKind::Str(s),
            ..
        })) => Value::str(s),
        _ => Value::None,
    }
}

/// The functions a class attribute holds (a method, or a descriptor's).
fn functions_in(v: &Value) -> Vec<Rc<Function>> {
    let values = match v.downcast::<Descriptor>().as_deref() {
        Some(Descriptor::Property { fget, fset, fdel }) => {
            [fget, fset, fdel].into_iter().flatten().cloned().collect()
        }
        Some(Descriptor::ClassMethod(f) | Descriptor::StaticMethod(f)) => vec![f.clone()],
        None => vec![v.clone()],
    };
    values
        .into_iter()
        .filter_map(|v| match v {
            Value::Function(f) => Some(f),
            _ => None,
        })
        .collect()
}

/// `Class(*args, **kwargs)`: a new instance, initialised by the class's
/// `__init__` (or `BaseException.__init__`, which keeps `args`).
///
/// Errors: `TypeError: Repo() takes no arguments` without an `__init__`;
/// `TypeError: __init__() should return None, not 'int'`.
pub fn instantiate(
    interp: &mut Interpreter,
    class: &Rc<PyClass>,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    let exception = class.exception_base().is_some();
    let inst = Value::Native(PyInstance::new(
        class.clone(),
        if exception { args.clone() } else { Vec::new() },
    ));
    match class.lookup("__init__") {
        Some((init, _)) => {
            let mut full = vec![inst.clone()];
            full.extend(args);
            let r = interp.call(&init, full, kwargs)?;
            if !matches!(r, Value::None) {
                return Err(type_error(format!(
                    "__init__() should return None, not '{}'",
                    r.type_name()
                )));
            }
        }
        None if exception && !kwargs.is_empty() => {
            return Err(type_error(format!(
                "{}() takes no keyword arguments",
                class.name
            )));
        }
        None if exception => {}
        None if !args.is_empty() || !kwargs.is_empty() => {
            return Err(type_error(format!("{}() takes no arguments", class.name)));
        }
        None => {}
    }
    Ok(inst)
}

/// `obj.name` on a learner's class, instance, bound `super()` or
/// descriptor; `None` for other values.
pub fn get_attr(interp: &mut Interpreter, obj: &Value, name: &str) -> Option<PyResult<Value>> {
    let Value::Native(_) = obj else {
        return None;
    };
    if let Some(i) = obj.downcast::<PyInstance>() {
        return Some(instance_attr(interp, obj, &i, name));
    }
    if let Some(c) = obj.downcast::<PyClass>() {
        return Some(class_attr(&c, obj, name));
    }
    if let Some(s) = obj.downcast::<Super>() {
        return Some(super_attr(interp, &s, name));
    }
    if let Some(d) = obj.downcast::<Descriptor>() {
        return Some(descriptor_attr(obj, &d, name));
    }
    if let Some(r) = super::hybrid::hybrid_attr(obj, name) {
        return Some(r);
    }
    if let Some(m) = obj.downcast::<BoundMethod>() {
        return Some(match name {
            "__self__" => Ok(m.receiver.clone()),
            "__func__" => Ok(m.function.clone()),
            "__name__" => super::methods::get_attr(interp, &m.function, "__name__"),
            _ => Err(attribute_error(format!(
                "'method' object has no attribute '{name}'"
            ))),
        });
    }
    None
}

/// `inst.name`: a data descriptor (property) of the class first, then the
/// instance's `__dict__`, then the class's attributes (methods bound).
fn instance_attr(
    interp: &mut Interpreter,
    obj: &Value,
    inst: &Rc<PyInstance>,
    name: &str,
) -> PyResult<Value> {
    let found = inst.class.lookup(name);
    if let Some((v, _)) = &found
        && let Some(Descriptor::Property { fget, .. }) = v.downcast::<Descriptor>().as_deref()
    {
        return match fget {
            Some(f) => interp.call(f, vec![obj.clone()], Vec::new()),
            None => Err(attribute_error(format!(
                "property '{name}' of '{}' object has no getter",
                inst.class.name
            ))),
        };
    }
    if inst.class.is_enum()
        && let Some(v) = super::enums::member_attr(inst, name)
    {
        return Ok(v);
    }
    if let Some(v) = inst.get(name) {
        return Ok(v);
    }
    match name {
        "__dict__" => return Ok(Value::Dict(inst.dict.clone())),
        "__class__" => return Ok(Value::Native(inst.class.clone())),
        "args" if inst.is_exception() => return Ok(inst.args_value()),
        name if let Some(v) = crate::python::class::instance_chain_attr(inst, name) => {
            return Ok(v);
        }
        _ => {}
    }
    match found {
        Some((Value::Function(f), owner)) => Ok(Value::native(BoundMethod {
            qualname: format!("{}.{}", owner.name, f.name),
            function: Value::Function(f),
            receiver: obj.clone(),
        })),
        Some((v, owner)) if let Some(f) = super::contextlib::decorated_function(&v) => {
            Ok(Value::native(BoundMethod {
                qualname: format!("{}.{}", owner.name, f.name),
                function: v,
                receiver: obj.clone(),
            }))
        }
        Some((v, owner)) => Ok(Descriptor::bind_to_class(
            &v,
            &Value::Native(inst.class.clone()),
            &owner.name,
        )),
        None => Err(no_attribute(
            format!("'{}' object has no attribute '{name}'", inst.class.name),
            name,
            inst.dict
                .borrow()
                .iter()
                .filter_map(|(k, _)| match k {
                    Value::Str(s) => Some(s.to_string()),
                    _ => None,
                })
                .chain(class_names(&inst.class))
                .collect(),
        )),
    }
}

/// The names of a class's attributes along its `__mro__`.
fn class_names(class: &Rc<PyClass>) -> Vec<String> {
    let mut out: Vec<String> = class
        .namespace
        .borrow()
        .iter()
        .map(|(k, _)| k.clone())
        .collect();
    for c in &class.mro {
        if let ClassRef::User(c) = c {
            out.extend(c.namespace.borrow().iter().map(|(k, _)| k.clone()));
        }
    }
    out
}

/// `AttributeError` with a "did you mean" hint from `names`.
fn no_attribute(message: String, name: &str, names: Vec<String>) -> PyErr {
    let err = attribute_error(message);
    match did_you_mean(name, names.iter().map(String::as_str)) {
        Some(h) => err.with_hint(format!("did you mean '{h}'?")),
        None => err,
    }
}

/// `Class.name`: the class's attributes along its `__mro__` (functions as
/// they are, classmethods bound to the class), and `__name__`, `__mro__`,
/// `__bases__`, `__dict__`.
fn class_attr(class: &Rc<PyClass>, obj: &Value, name: &str) -> PyResult<Value> {
    if let Some((v, owner)) = class.lookup(name) {
        return Ok(Descriptor::bind_to_class(&v, obj, &owner.name));
    }
    match name {
        "__name__" => Ok(Value::str(&class.name)),
        "__mro__" => Ok(class.mro_value()),
        "__bases__" => Ok(Value::tuple(
            class.bases.iter().map(ClassRef::value).collect(),
        )),
        "__base__" => Ok(class.bases.first().map_or(Value::None, ClassRef::value)),
        "__dict__" => Ok(crate::python::value::DictObj::value(
            class
                .namespace
                .borrow()
                .iter()
                .map(|(k, v)| (Value::str(k), v.clone()))
                .collect(),
        )),
        "__class__" => Ok(Value::PyType(Rc::from("type"))),
        // `EnumType.__getattr__` is gone in 3.11: the bare name
        _ if class.is_enum() => Err(attribute_error(name)),
        _ => Err(no_attribute(
            format!("type object '{}' has no attribute '{name}'", class.name),
            name,
            class_names(class),
        )),
    }
}

/// `super().name`: the next class's attribute after the running method's
/// class, bound to the receiver; a built-in class's `__init__`,
/// `__repr__`, `__str__` as a [`BuiltinMethod`].
fn super_attr(interp: &mut Interpreter, s: &Super, name: &str) -> PyResult<Value> {
    let start = match (
        s.receiver.downcast::<PyInstance>(),
        s.receiver.downcast::<PyClass>(),
    ) {
        (Some(i), _) => i.class.clone(),
        (None, Some(c)) => c,
        _ => s.this.clone(),
    };
    match PyClass::super_lookup(&start, &s.this, name) {
        SuperFound::Attr(Value::Function(f), owner) => {
            if s.receiver.downcast::<PyClass>().is_some() {
                return Ok(Value::Function(f));
            }
            Ok(Value::native(BoundMethod {
                qualname: format!("{}.{}", owner.name, f.name),
                function: Value::Function(f),
                receiver: s.receiver.clone(),
            }))
        }
        SuperFound::Attr(Value::Native(n), owner)
            if let Some(Descriptor::Property { fget: Some(f), .. }) =
                crate::python::object::downcast::<Descriptor>(&n).as_deref() =>
        {
            let _ = owner;
            interp.call(f, vec![s.receiver.clone()], Vec::new())
        }
        SuperFound::Attr(v, owner) => Ok(Descriptor::bind_to_class(
            &v,
            &Value::Native(start.clone()),
            &owner.name,
        )),
        SuperFound::Builtin(class) => match name {
            "__init__" | "__repr__" | "__str__" | "__setattr__" | "__eq__" | "__hash__" => {
                Ok(Value::native(BuiltinMethod {
                    class,
                    name: name.to_string(),
                    receiver: s.receiver.clone(),
                }))
            }
            _ => Err(attribute_error(format!(
                "'super' object has no attribute '{name}'"
            ))),
        },
    }
}

/// A property's `setter`/`getter`/`deleter`/`fget`/`fset`, a
/// classmethod's `__func__`.
fn descriptor_attr(obj: &Value, d: &Descriptor, name: &str) -> PyResult<Value> {
    match (d, name) {
        (Descriptor::Property { .. }, "setter" | "getter" | "deleter") => {
            Ok(Value::native(BuiltinMethod {
                class: ClassRef::Object,
                name: name.to_string(),
                receiver: obj.clone(),
            }))
        }
        (Descriptor::Property { fget, .. }, "fget") => Ok(fget.clone().unwrap_or(Value::None)),
        (Descriptor::Property { fset, .. }, "fset") => Ok(fset.clone().unwrap_or(Value::None)),
        (Descriptor::ClassMethod(f) | Descriptor::StaticMethod(f), "__func__") => Ok(f.clone()),
        _ => Err(attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            obj.type_name()
        ))),
    }
}

/// `obj.name = v` on a learner's instance (a property's setter, else its
/// `__dict__`) or class; `None` for other values.
pub fn set_attr(
    interp: &mut Interpreter,
    obj: &Value,
    name: &str,
    v: Value,
) -> Option<PyResult<()>> {
    if let Some(e) = super::enums::set_refused(obj, name) {
        return Some(Err(e));
    }
    if let Some(inst) = obj.downcast::<PyInstance>() {
        if let Some((d, _)) = inst.class.lookup(name)
            && let Some(Descriptor::Property { fset, .. }) = d.downcast::<Descriptor>().as_deref()
        {
            return Some(match fset {
                Some(f) => interp.call(f, vec![obj.clone(), v], Vec::new()).map(|_| ()),
                None => Err(attribute_error(format!(
                    "property '{name}' of '{}' object has no setter",
                    inst.class.name
                ))),
            });
        }
        if name == "args" && inst.is_exception() {
            return Some(super::methods::iterate(interp, &v).map(|items| {
                *inst.args.borrow_mut() = items;
            }));
        }
        inst.set(name, v);
        return Some(Ok(()));
    }
    if let Some(class) = obj.downcast::<PyClass>() {
        let mut ns = class.namespace.borrow_mut();
        match ns.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = v,
            None => ns.push((name.to_string(), v)),
        }
        return Some(Ok(()));
    }
    None
}

/// `del obj.name` on a learner's instance; `None` for other values.
pub fn del_attr(obj: &Value, name: &str) -> Option<PyResult<()>> {
    let inst = obj.downcast::<PyInstance>()?;
    Some(if inst.remove(name) {
        Ok(())
    } else {
        Err(attribute_error(format!(
            "'{}' object has no attribute '{name}'",
            inst.class.name
        )))
    })
}

/// Calls a learner's class (a new instance), an instance with `__call__`,
/// a bound method, `property(...)` and the other object built-ins, or a
/// `@validates` decorator; `TypeError: 'X' object is not callable` for
/// other natives.
pub fn call(
    interp: &mut Interpreter,
    f: &Value,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Value> {
    if let Some(c) = f.downcast::<PyClass>() {
        if c.is_enum() {
            return super::enums::call_class(interp, &c, args, kwargs);
        }
        return instantiate(interp, &c, args, kwargs);
    }
    if let Some(r) = super::enums::call_auto(f, &args, &kwargs) {
        return r;
    }
    if let Some(m) = f.downcast::<BoundMethod>() {
        let mut full = vec![m.receiver.clone()];
        full.extend(args);
        return interp.call(&m.function, full, kwargs);
    }
    if let Some(b) = f.downcast::<ObjectBuiltin>() {
        return super::class_builtins::call_object_builtin(interp, *b, args, kwargs);
    }
    if let Some(m) = f.downcast::<BuiltinMethod>() {
        return super::class_builtins::call_builtin_method(interp, &m, args, kwargs);
    }
    if let Some(v) = f.downcast::<Validates>() {
        return validates_decorate(&v, args);
    }
    if let Some(r) = super::hybrid::call_modifier(f, &args) {
        return r;
    }
    if f.downcast::<PyInstance>().is_some()
        && let Some(r) = call_dunder(interp, f, "__call__", args, kwargs)?
    {
        return Ok(r);
    }
    Err(type_error(format!(
        "'{}' object is not callable",
        f.type_name()
    )))
}

/// `v.name(*args)` when `v` is a learner's instance whose class defines
/// `name`; `None` otherwise (and for a `__hash__ = None`).
pub fn call_dunder(
    interp: &mut Interpreter,
    v: &Value,
    name: &str,
    args: Vec<Value>,
    kwargs: Kwargs,
) -> PyResult<Option<Value>> {
    if name == "__len__"
        && let Some(c) = v.downcast::<PyClass>()
        && c.is_enum()
    {
        return Ok(Some(Value::Int(super::enums::members(&c).len() as i64)));
    }
    let Some(inst) = v.downcast::<PyInstance>() else {
        return Ok(None);
    };
    match inst.class.lookup(name) {
        Some((Value::None, _)) | None => Ok(None),
        Some((f, _)) => {
            let f = match f {
                Value::Function(_) => f,
                other => Descriptor::bind_to_class(&other, &Value::Native(inst.class.clone()), ""),
            };
            let mut full = vec![v.clone()];
            full.extend(args);
            interp.call(&f, full, kwargs).map(Some)
        }
    }
}

/// `repr(v)` of a learner's instance (its `__repr__`, an exception's
/// `Name(args)`) or of a bound method; `None` for other values.
pub fn custom_repr(interp: &mut Interpreter, v: &Value) -> PyResult<Option<String>> {
    if let Some(m) = v.downcast::<BoundMethod>() {
        let receiver = interp.repr(&m.receiver)?;
        return Ok(Some(format!("<bound method {} of {receiver}>", m.qualname)));
    }
    let Some(inst) = v.downcast::<PyInstance>() else {
        return Ok(None);
    };
    if let Some(r) = call_dunder(interp, v, "__repr__", Vec::new(), Vec::new())? {
        return string_result(r, "__repr__").map(Some);
    }
    if let Some(r) = super::enums::member_repr(interp, v)? {
        return Ok(Some(r));
    }
    if inst.is_exception() {
        let args = inst.args.borrow().clone();
        let mut parts = Vec::with_capacity(args.len());
        for a in &args {
            parts.push(interp.repr(a)?);
        }
        return Ok(Some(format!("{}({})", inst.class.name, parts.join(", "))));
    }
    Ok(None)
}

/// `str(v)` of a learner's instance: its `__str__`, an exception's
/// message, else its `repr`; `None` for other values.
pub fn custom_str(interp: &mut Interpreter, v: &Value) -> PyResult<Option<String>> {
    let Some(inst) = v.downcast::<PyInstance>() else {
        return Ok(None);
    };
    if let Some(r) = call_dunder(interp, v, "__str__", Vec::new(), Vec::new())? {
        return string_result(r, "__str__").map(Some);
    }
    if let Some(r) = super::enums::member_str(interp, v)? {
        return Ok(Some(r));
    }
    if inst.is_exception() {
        let args = inst.args.borrow().clone();
        return Ok(Some(match args.as_slice() {
            [] => String::new(),
            [one] => interp.to_str(one)?,
            _ => interp.repr(&Value::tuple(args))?,
        }));
    }
    interp.repr(v).map(Some)
}

fn string_result(r: Value, method: &str) -> PyResult<String> {
    match r {
        Value::Str(s) => Ok(s.to_string()),
        other => Err(type_error(format!(
            "{method} returned non-string (type {})",
            other.type_name()
        ))),
    }
}

/// `l op r` when either side is a learner's instance: its `__eq__`,
/// `__lt__`, … (the reflected method of the right side next), else
/// identity for `==`/`!=` and `TypeError` for orderings; `None` when
/// neither side is one.
pub fn rich_compare(
    interp: &mut Interpreter,
    op: CmpOp,
    l: &Value,
    r: &Value,
) -> PyResult<Option<Value>> {
    let is_inst = |v: &Value| v.downcast::<PyInstance>().is_some();
    if !is_inst(l) && !is_inst(r) {
        return Ok(None);
    }
    // a column's `__eq__` builds SQL (`Acct.status == Status.BANNED`); so
    // does its reflected one when the instance's class defines no such method
    let sql = crate::orm::expression::is_sql;
    if sql(l)
        || (sql(r)
            && l.downcast::<PyInstance>()
                .is_some_and(|i| i.class.is_enum()))
    {
        return Ok(None);
    }
    if let Some(v) = super::enums::int_compare(interp, op, l, r)? {
        return Ok(Some(v));
    }
    let (name, reflected, symbol) = match op {
        CmpOp::Eq => ("__eq__", "__eq__", "=="),
        CmpOp::NotEq => ("__ne__", "__ne__", "!="),
        CmpOp::Lt => ("__lt__", "__gt__", "<"),
        CmpOp::LtE => ("__le__", "__ge__", "<="),
        CmpOp::Gt => ("__gt__", "__lt__", ">"),
        CmpOp::GtE => ("__ge__", "__le__", ">="),
        _ => return Ok(None),
    };
    for (a, b, method) in [(l, r, name), (r, l, reflected)] {
        if let Some(v) = call_dunder(interp, a, method, vec![b.clone()], Vec::new())?
            && !is_not_implemented(&v)
        {
            return Ok(Some(v));
        }
    }
    if op == CmpOp::NotEq
        && let Some(v) = call_dunder(interp, l, "__eq__", vec![r.clone()], Vec::new())?
        && !is_not_implemented(&v)
    {
        return Ok(Some(Value::Bool(!interp.truthy(&v)?)));
    }
    match op {
        CmpOp::Eq => Ok(Some(Value::Bool(l.is(r)))),
        CmpOp::NotEq => Ok(Some(Value::Bool(!l.is(r)))),
        _ => Err(type_error(format!(
            "'{symbol}' not supported between instances of '{}' and '{}'",
            l.type_name(),
            r.type_name()
        ))),
    }
}

fn is_not_implemented(v: &Value) -> bool {
    matches!(v, Value::PyType(t) if &**t == "NotImplementedType")
}

/// `bool(v)` of a learner's instance: `__bool__`, else `__len__() != 0`,
/// else true; `None` for other values.
pub fn truthy(interp: &mut Interpreter, v: &Value) -> PyResult<Option<bool>> {
    if v.downcast::<PyInstance>().is_none() {
        return Ok(None);
    }
    if let Some(r) = call_dunder(interp, v, "__bool__", Vec::new(), Vec::new())? {
        return match r {
            Value::Bool(b) => Ok(Some(b)),
            other => Err(type_error(format!(
                "__bool__ should return bool, returned {}",
                other.type_name()
            ))),
        };
    }
    if let Some(n) = call_dunder(interp, v, "__len__", Vec::new(), Vec::new())? {
        return Ok(Some(crate::python::class::len_result(n)?.truthy()));
    }
    Ok(Some(true))
}

/// The items of a learner's instance: what its `__iter__` returns,
/// iterated to the end; `None` for other values.
///
/// Errors: `TypeError: 'C' object is not iterable` without `__iter__`;
/// `iter() returned non-iterator of type 'list'`.
pub fn iterate(interp: &mut Interpreter, v: &Value) -> PyResult<Option<Vec<Value>>> {
    if let Some(c) = v.downcast::<PyClass>()
        && c.is_enum()
    {
        return Ok(Some(super::enums::members(&c)));
    }
    if v.downcast::<PyInstance>().is_none() {
        return Ok(None);
    }
    let Some(it) = crate::python::iter::user_iter(interp, v)? else {
        return Err(type_error(format!(
            "'{}' object is not iterable",
            v.type_name()
        )));
    };
    crate::python::iterators::drain(interp, &it).map(Some)
}

/// `item in container` for a learner's instance: `__contains__`, else
/// its items; `None` for other values.
pub fn contains(
    interp: &mut Interpreter,
    container: &Value,
    item: &Value,
) -> PyResult<Option<bool>> {
    if let Some(c) = container.downcast::<PyClass>()
        && c.is_enum()
    {
        return super::enums::contains(&c, item).map(Some);
    }
    if container.downcast::<PyInstance>().is_none() {
        return Ok(None);
    }
    if let Some(r) = call_dunder(
        interp,
        container,
        "__contains__",
        vec![item.clone()],
        Vec::new(),
    )? {
        return interp.truthy(&r).map(Some);
    }
    let has_iter = container
        .downcast::<PyInstance>()
        .is_some_and(|i| i.class.lookup("__iter__").is_some());
    if !has_iter {
        return Err(type_error(format!(
            "argument of type '{}' is not iterable",
            container.type_name()
        )));
    }
    for x in iterate(interp, container)?.unwrap_or_default() {
        if let Some(Value::Bool(true)) = rich_compare(interp, CmpOp::Eq, &x, item)? {
            return Ok(Some(true));
        }
        if crate::python::ops::equal(&x, item)? {
            return Ok(Some(true));
        }
    }
    Ok(Some(false))
}

/// `container[key]` for a learner's instance (`__getitem__`); `None` for
/// other values.
pub fn get_item(
    interp: &mut Interpreter,
    container: &Value,
    key: &Value,
) -> PyResult<Option<Value>> {
    if let Some(c) = container.downcast::<PyClass>()
        && c.is_enum()
    {
        return super::enums::class_item(interp, &c, key).map(Some);
    }
    if container.downcast::<PyInstance>().is_none() {
        return Ok(None);
    }
    match call_dunder(
        interp,
        container,
        "__getitem__",
        vec![key.clone()],
        Vec::new(),
    )? {
        Some(v) => Ok(Some(v)),
        None => Err(type_error(format!(
            "'{}' object is not subscriptable",
            container.type_name()
        ))),
    }
}

/// `container[key] = v` for a learner's instance (`__setitem__`); `None`
/// for other values.
pub fn set_item(
    interp: &mut Interpreter,
    container: &Value,
    key: Value,
    v: Value,
) -> PyResult<Option<()>> {
    if container.downcast::<PyInstance>().is_none() {
        return Ok(None);
    }
    match call_dunder(interp, container, "__setitem__", vec![key, v], Vec::new())? {
        Some(_) => Ok(Some(())),
        None => Err(type_error(format!(
            "'{}' object does not support item assignment",
            container.type_name()
        ))),
    }
}

/// The exception `raise v` raises for a learner's exception class or
/// instance (a class is called with no arguments first).
///
/// Errors: `TypeError: exceptions must derive from BaseException`.
pub fn raised(interp: &mut Interpreter, v: &Value) -> PyResult<PyErr> {
    let inst = match v.downcast::<PyClass>() {
        Some(c) if c.exception_base().is_some() => instantiate(interp, &c, Vec::new(), Vec::new())?,
        _ => v.clone(),
    };
    let is_exception = inst
        .downcast::<PyInstance>()
        .is_some_and(|i| i.is_exception());
    if !is_exception {
        return Err(type_error("exceptions must derive from BaseException"));
    }
    let message = interp.to_str(&inst)?;
    crate::python::class::raised_instance(&inst, message)
        .ok_or_else(|| type_error("exceptions must derive from BaseException"))
}

/// `except cls:` for a learner's class: the raised exception is an
/// instance of it; `None` when `cls` is not such a class.
pub fn exception_matches(e: &PyErr, cls: &Value) -> Option<PyResult<bool>> {
    let c = cls.downcast::<PyClass>()?;
    if c.exception_base().is_none() {
        return Some(Err(type_error(
            "catching classes that do not inherit from BaseException is not allowed",
        )));
    }
    Some(Ok(match e.instance() {
        Some(i) => i
            .value
            .downcast::<PyInstance>()
            .is_some_and(|i| i.class.is_subclass_of(&ClassRef::User(c.clone()))),
        None => false,
    }))
}

/// `@d1 @d2 def f` / `class C`: evaluates the decorators top-down, runs
/// the definition, then binds `d1(d2(f))` (bottom-up), as Python does;
/// the name is not bound if a decorator raises.
pub fn exec_decorated(
    interp: &mut Interpreter,
    decorators: &[Expr],
    definition: &Stmt,
) -> Result<(), Flow> {
    let mut decs = Vec::with_capacity(decorators.len());
    for d in decorators {
        decs.push(interp.eval(d)?);
    }
    let name = match &definition.kind {
        StmtKind::FunctionDef { name, .. } | StmtKind::ClassDef { name, .. } => name.clone(),
        StmtKind::Async(inner) => match &inner.kind {
            StmtKind::FunctionDef { name, .. } => name.clone(),
            _ => return interp.exec(definition),
        },
        _ => return interp.exec(definition),
    };
    let old = interp.current_binding(&name);
    // `@reg.mapped` right above `class X:` maps the class in `reg`, and
    // gives the class back.
    let mapped_in = decs.last().and_then(|d| match d {
        Value::Native(n) => {
            crate::python::object::downcast::<crate::sqlalchemy::schema::MappedDecorator>(n)
        }
        _ => None,
    });
    if let Some(m) = &mapped_in
        && let StmtKind::ClassDef {
            name,
            bases,
            keywords,
            body,
        } = &definition.kind
    {
        decs.pop();
        interp.exec_class_def(
            definition,
            name,
            bases,
            keywords,
            body,
            Some(Value::Native(m.0.clone())),
        )?;
    } else {
        interp.exec(definition)?;
    }
    let mut v = interp.current_binding(&name).unwrap_or(Value::None);
    interp.restore_binding(&name, old);
    if let Some(d) = decs.iter().find(|d| {
        matches!(d, Value::Native(n)
            if crate::python::object::downcast::<crate::sqlalchemy::schema::MappedDecorator>(n).is_some())
    }) {
        let _ = d;
        return Err(Flow::Error(PyErr::unsupported(
            "@registry.mapped under another decorator (put it right above the class)",
        )));
    }
    for (d, expr) in decs.iter().zip(decorators).rev() {
        v = interp
            .call(d, vec![v], Vec::new())
            .map_err(|e| e.at(expr.span))?;
    }
    interp.set_name(&name, v);
    Ok(())
}

/// The object `super()` gives in the method running now.
///
/// Errors: `RuntimeError: super(): no arguments` outside a method.
pub fn zero_arg_super(interp: &mut Interpreter) -> PyResult<Value> {
    match interp.classes.running.last() {
        Some((class, receiver)) => Ok(Value::native(Super {
            this: class.clone(),
            receiver: receiver.clone(),
        })),
        None => Err(PyErr::new(ExcType::RuntimeError, "super(): no arguments")),
    }
}

// ----- mapped classes ---------------------------------------------------

/// `@validates("email", ...)` before it decorates: SQLAlchemy's
/// `sqlalchemy.orm.validates`.
#[derive(Debug)]
pub struct Validates {
    pub keys: Vec<String>,
}

impl crate::python::PyObject for Validates {
    fn type_name(&self) -> String {
        "function".into()
    }
    fn repr(&self) -> String {
        "<function validates.<locals>.wrap>".into()
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// A mapped class's validator: SQLAlchemy calls `function(self, key,
/// value)` when one of `keys` is set (constructor keywords included) and
/// stores what it returns.
#[derive(Debug)]
pub struct Validator {
    pub keys: Vec<String>,
    pub function: Value,
}

impl crate::python::PyObject for Validator {
    fn type_name(&self) -> String {
        "function".into()
    }
    fn repr(&self) -> String {
        crate::python::format::repr_plain(&self.function)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `validates("email", include_removes=False, include_backrefs=True)`.
///
/// Errors: `NotImplementedError` for `include_removes=True`.
pub fn validates(args: Vec<Value>, kwargs: Kwargs) -> PyResult<Value> {
    let mut keys = Vec::new();
    for a in args {
        match a {
            Value::Str(s) => keys.push(s.to_string()),
            other => {
                return Err(type_error(format!(
                    "validates() names attributes by string, not {}",
                    other.type_name()
                )));
            }
        }
    }
    for (k, v) in &kwargs {
        if k == "include_removes" && v.truthy() {
            return Err(PyErr::unsupported("validates(include_removes=True)"));
        }
    }
    Ok(Value::native(Validates { keys }))
}

fn validates_decorate(v: &Validates, args: Vec<Value>) -> PyResult<Value> {
    match args.as_slice() {
        [f] => Ok(Value::native(Validator {
            keys: v.keys.clone(),
            function: f.clone(),
        })),
        _ => Err(type_error(format!(
            "wrap() takes 1 positional argument but {} were given",
            args.len()
        ))),
    }
}

/// The value a mapped attribute `key` gets when set to `v`: passed through
/// the class's `@validates` validators for `key`, as SQLAlchemy does.
pub fn validate_mapped(
    interp: &mut Interpreter,
    obj: &Value,
    mapper: &Mapper,
    key: &str,
    v: Value,
) -> PyResult<Value> {
    let validators: Vec<Value> = mapper
        .class_attrs
        .borrow()
        .iter()
        .filter_map(|(_, a)| a.downcast::<Validator>())
        .filter(|val| val.keys.iter().any(|k| k == key))
        .map(|val| val.function.clone())
        .collect();
    let mut v = v;
    for f in validators {
        v = interp.call(&f, vec![obj.clone(), Value::str(key), v], Vec::new())?;
    }
    Ok(v)
}

/// `obj.name` for a mapped instance whose class body defined `name` as a
/// property, classmethod, staticmethod or validator; `None` otherwise.
pub fn mapped_instance_attr(
    interp: &mut Interpreter,
    obj: &Value,
    mapper: &Rc<Mapper>,
    name: &str,
) -> Option<PyResult<Value>> {
    let attr = mapper
        .class_attrs
        .borrow()
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())?;
    if let Some(val) = attr.downcast::<Validator>() {
        return Some(Ok(Value::native(BoundMethod {
            qualname: qualname(&mapper.class_name, &val.function),
            function: val.function.clone(),
            receiver: obj.clone(),
        })));
    }
    let d = attr.downcast::<Descriptor>()?;
    Some(match &*d {
        Descriptor::Property { fget: Some(f), .. } => interp.call(f, vec![obj.clone()], Vec::new()),
        Descriptor::Property { fget: None, .. } => Err(attribute_error(format!(
            "property '{name}' of '{}' object has no getter",
            mapper.class_name
        ))),
        _ => Ok(Descriptor::bind_to_class(
            &attr,
            &Value::Native(mapper.clone()),
            &mapper.class_name,
        )),
    })
}

/// `obj.name = v` for a mapped instance whose class has a property
/// `name`: its setter; `None` otherwise.
pub fn mapped_set_property(
    interp: &mut Interpreter,
    obj: &Value,
    mapper: &Mapper,
    name: &str,
    v: &Value,
) -> Option<PyResult<()>> {
    let attr = mapper
        .class_attrs
        .borrow()
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())?;
    let d = attr.downcast::<Descriptor>()?;
    let Descriptor::Property { fset, .. } = &*d else {
        return None;
    };
    Some(match fset {
        Some(f) => interp
            .call(f, vec![obj.clone(), v.clone()], Vec::new())
            .map(|_| ()),
        None => Err(attribute_error(format!(
            "property '{name}' of '{}' object has no setter",
            mapper.class_name
        ))),
    })
}

/// `User.name` for a class-body descriptor of a mapped class: a
/// classmethod bound to the class, a staticmethod's or validator's
/// function, a property object as it is.
pub fn mapped_class_attr(mapper: &Rc<Mapper>, v: &Value) -> Value {
    if let Some(val) = v.downcast::<Validator>() {
        return val.function.clone();
    }
    Descriptor::bind_to_class(v, &Value::Native(mapper.clone()), &mapper.class_name)
}
