//! `MappedAsDataclass` classes: Python's `dataclasses` as SQLAlchemy 2.0's
//! declarative extension applies them to a mapped class (`decl_base.py`
//! `_apply_dataclasses_to_any_class`): the fields' checks when the class is
//! made, the generated `__init__`, `__repr__` and `__eq__` (CPython 3.11's
//! `dataclasses._init_fn`, `_repr_fn`, `_cmp_fn`), and `__hash__ = None`.
//! A method the class body defines itself takes the generated one's place,
//! as `dataclasses._set_new_attribute` leaves it.

use std::rc::Rc;

use crate::language::ast::{Expr, ExprKind, Parameters, Span};
use crate::orm::mapper::Mapper;
use crate::orm::schema_items::DataclassField;
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult};
use crate::python::value::{Function, FunctionBody, Value};

use super::eval::Interpreter;

/// The checks `dataclasses.dataclass()` makes of a class's fields, in its
/// order: no mutable `default=` (a `list`, `dict` or `set`), and no field
/// without a default after one with a default among the positional
/// `__init__` parameters (checked only when the class makes its own
/// `__init__`), after `order=True` with `eq=False` (`ValueError('eq must
/// be true if order is true')`).
///
/// Errors: `InvalidRequestError`, as SQLAlchemy wraps the `ValueError` or
/// `TypeError` of `dataclasses`: `Python dataclasses error encountered
/// when creating dataclass for 'A': TypeError("non-default argument 'name'
/// follows default argument"). Please refer to Python dataclasses
/// documentation for additional information.`
pub fn check_fields(
    class: &str,
    fields: &[DataclassField],
    arguments: &crate::orm::schema_items::DataclassArguments,
) -> PyResult<()> {
    let wrapped = |ex: String| {
        PyErr::new(
            ExcType::InvalidRequestError,
            format!(
                "Python dataclasses error encountered when creating dataclass for '{class}': {ex}. Please refer to Python dataclasses documentation for additional information."
            ),
        )
    };
    if arguments.order == Some(true) && arguments.eq == Some(false) {
        return Err(wrapped(
            "ValueError('eq must be true if order is true')".into(),
        ));
    }
    let init = arguments.init != Some(false);
    for f in fields {
        let mutable = match &f.default {
            Some(Value::List(_)) => Some("list"),
            Some(Value::Dict(_)) => Some("dict"),
            Some(Value::Set(..)) => Some("set"),
            _ => None,
        };
        if let Some(ty) = mutable {
            return Err(wrapped(format!(
                "ValueError(\"mutable default <class '{ty}'> for field {} is not allowed: use default_factory\")",
                f.key
            )));
        }
    }
    let mut seen_default = false;
    for f in fields.iter().filter(|f| init && f.init && !f.kw_only) {
        if f.has_default() {
            seen_default = true;
        } else if seen_default {
            return Err(wrapped(format!(
                "TypeError(\"non-default argument '{}' follows default argument\")",
                f.key
            )));
        }
    }
    Ok(())
}

/// The generated `__init__(self, <fields>, *, <kw_only fields>)`: binds the
/// arguments as CPython binds them, then sets each `init` field (its
/// argument, its `default=`, or what its `default_factory=` returns) and
/// each `init=False` field with a `default_factory=`, in field order, as
/// `self.key = value` does; then calls the class's `__post_init__`, if any.
///
/// Errors: CPython's `TypeError`s named `__init__()` (`__init__() missing
/// 1 required positional argument: 'name'`, `__init__() got an unexpected
/// keyword argument 'id'`, …); what a factory, a validator or
/// `__post_init__` raises.
pub fn init(
    interp: &mut Interpreter,
    mapper: &Rc<Mapper>,
    fields: &[DataclassField],
    obj: &Value,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<()> {
    // `dataclasses._HAS_DEFAULT_FACTORY`: the default of a parameter whose
    // field has a factory, found again by identity.
    let factory_marker = Value::list(Vec::new());
    let default_of = |f: &DataclassField| match (&f.default_factory, &f.default) {
        (Some(_), _) => Some(factory_marker.clone()),
        (None, Some(d)) => Some(d.clone()),
        (None, None) => None,
    };
    let positional: Vec<&DataclassField> = fields.iter().filter(|f| f.init && !f.kw_only).collect();
    let keyword_only: Vec<&DataclassField> =
        fields.iter().filter(|f| f.init && f.kw_only).collect();
    let defaults: Vec<Value> = positional.iter().filter_map(|f| default_of(f)).collect();
    let placeholder = Expr {
        kind: ExprKind::None,
        span: Span::new(0, 0),
    };
    let params = Parameters {
        args: std::iter::once("self".to_string())
            .chain(positional.iter().map(|f| f.key.clone()))
            .collect(),
        defaults: vec![placeholder.clone(); defaults.len()],
        kwonly: keyword_only.iter().map(|f| f.key.clone()).collect(),
        kw_defaults: keyword_only
            .iter()
            .map(|f| default_of(f).map(|_| placeholder.clone()))
            .collect(),
        ..Parameters::default()
    };
    let signature = Function {
        name: "__init__".into(),
        qualname: "__init__".into(),
        params: Rc::new(params),
        defaults,
        kw_defaults: keyword_only.iter().map(|f| default_of(f)).collect(),
        body: FunctionBody::Block(Vec::new()),
        names: Rc::default(),
        closure: None,
        source: None,
    };
    let mut full = vec![obj.clone()];
    full.extend(args);
    let mut vars = super::calls::bind_arguments(&signature, full, kwargs)?;
    for f in fields {
        let value = match vars.remove(&f.key) {
            Some(v) if !v.is(&factory_marker) => v,
            _ => match (&f.default_factory, &f.default) {
                (Some(factory), _) => interp.call(factory, Vec::new(), Vec::new())?,
                // an `init=False` field with a `default=` is left to the
                // class attribute (SQLAlchemy's column default)
                _ => continue,
            },
        };
        super::methods::set_attr(interp, obj, &f.key, value)?;
    }
    if let Some(post_init) = mapper.method("__post_init__") {
        interp.call_function(&post_init, vec![obj.clone()], Vec::new())?;
    }
    Ok(())
}

/// The generated `__repr__`: `Member(id=None, name='sam')`, each `repr`
/// field read as `getattr` reads it (an expired attribute is loaded, a
/// lazy relationship too), `...` for an object already being printed
/// (`reprlib.recursive_repr`).
///
/// Errors: what reading an attribute raises.
pub fn repr(interp: &mut Interpreter, obj: &Value, mapper: &Rc<Mapper>) -> PyResult<String> {
    let Some(fields) = &mapper.dataclass_fields else {
        return Ok(String::new());
    };
    let address = crate::orm::state::as_instance(obj).map_or(0, |o| o.borrow().address as usize);
    let Some(_entered) = crate::python::recursion::repr_enter(address) else {
        return Ok("...".into());
    };
    let mut parts = Vec::new();
    // `repr=False`: the base's generated `__repr__`, of no fields
    let own_repr = mapper.dataclass_arguments.repr != Some(false);
    for f in fields.iter().filter(|f| f.repr && own_repr) {
        let v = super::methods::get_attr(interp, obj, &f.key)?;
        parts.push(format!("{}={}", f.key, interp.repr(&v)?));
    }
    Ok(format!("{}({})", mapper.class_name, parts.join(", ")))
}

/// The generated `__eq__` of `l == r` when `l` is an object of a
/// `MappedAsDataclass` class without an `__eq__` of its own: the tuples of
/// both objects' `compare` fields compared, when `r` is of the same class;
/// `None` (`NotImplemented`) otherwise.
///
/// Errors: what reading an attribute or comparing values raises.
pub fn eq(interp: &mut Interpreter, l: &Value, r: &Value) -> PyResult<Option<bool>> {
    let Some(mapper) = same_dataclass(l, r, "__eq__") else {
        return Ok(None);
    };
    if mapper.dataclass_arguments.eq == Some(false) {
        // the base's generated `__eq__`: `() == ()` for the same class
        return Ok(Some(true));
    }
    compare_fields(interp, crate::language::ast::CmpOp::Eq, l, r, &mapper).map(Some)
}

/// The mapper of `l` and `r` when both are objects of one
/// `MappedAsDataclass` class whose body does not define `method` itself.
fn same_dataclass(l: &Value, r: &Value, method: &str) -> Option<Rc<Mapper>> {
    let a = crate::orm::state::as_instance(l)?;
    let b = crate::orm::state::as_instance(r)?;
    let mapper = a.borrow().mapper.clone();
    (mapper.dataclass_fields.is_some()
        && Rc::ptr_eq(&mapper, &b.borrow().mapper)
        && mapper.method(method).is_none())
    .then_some(mapper)
}

/// `op` between the tuples of `l`'s and `r`'s `compare` fields, as
/// CPython 3.11's generated comparison methods compare them.
///
/// Errors: what reading an attribute or comparing values raises.
fn compare_fields(
    interp: &mut Interpreter,
    op: crate::language::ast::CmpOp,
    l: &Value,
    r: &Value,
    mapper: &Mapper,
) -> PyResult<bool> {
    let mut left = Vec::new();
    let mut right = Vec::new();
    for f in mapper
        .dataclass_fields
        .iter()
        .flatten()
        .filter(|f| f.compare)
    {
        left.push(super::methods::get_attr(interp, l, &f.key)?);
        right.push(super::methods::get_attr(interp, r, &f.key)?);
    }
    let v = interp.compare(op, &Value::tuple(left), &Value::tuple(right))?;
    interp.truthy(&v)
}

/// The generated `__lt__`/`__le__`/`__gt__`/`__ge__` of a class with
/// `order=True` (CPython 3.11's `_cmp_fn`): for `l` and `r` of the same
/// class, the tuples of their `compare` fields compared with `op`; `None`
/// (`NotImplemented`) otherwise, or when the class body defines that
/// method itself.
///
/// Errors: what reading an attribute or comparing values raises.
pub fn order(
    interp: &mut Interpreter,
    op: crate::language::ast::CmpOp,
    l: &Value,
    r: &Value,
) -> PyResult<Option<bool>> {
    use crate::language::ast::CmpOp;
    let method = match op {
        CmpOp::Lt => "__lt__",
        CmpOp::LtE => "__le__",
        CmpOp::Gt => "__gt__",
        CmpOp::GtE => "__ge__",
        _ => return Ok(None),
    };
    match same_dataclass(l, r, method) {
        Some(mapper) if mapper.dataclass_arguments.order == Some(true) => {
            compare_fields(interp, op, l, r, &mapper).map(Some)
        }
        _ => Ok(None),
    }
}

/// Whether `v` is an object of a `MappedAsDataclass` class, which
/// `dataclasses` makes unhashable (`__hash__ = None` with a generated
/// `__eq__`), unless the class body defines `__hash__` or `__eq__` or the
/// class says `unsafe_hash=True`.
pub fn unhashable(v: &Value) -> Option<String> {
    let o = crate::orm::state::as_instance(v)?;
    let mapper = o.borrow().mapper.clone();
    (mapper.dataclass_fields.is_some()
        && mapper.dataclass_arguments.unsafe_hash != Some(true)
        && mapper.method("__hash__").is_none()
        && mapper.method("__eq__").is_none())
    .then(|| mapper.class_name.clone())
}

/// The generated `__hash__` of a class with `unsafe_hash=True`: the hash
/// of the tuple of its `compare` fields (`dataclasses._hash_fn`); `None`
/// for other objects.
///
/// Errors: what reading an attribute or hashing a value raises.
pub fn unsafe_hash(interp: &mut Interpreter, v: &Value) -> PyResult<Option<i64>> {
    let Some(o) = crate::orm::state::as_instance(v) else {
        return Ok(None);
    };
    let mapper = o.borrow().mapper.clone();
    let Some(fields) = &mapper.dataclass_fields else {
        return Ok(None);
    };
    if mapper.dataclass_arguments.unsafe_hash != Some(true) || mapper.method("__hash__").is_some() {
        return Ok(None);
    }
    let mut values = Vec::new();
    for f in fields.iter().filter(|f| f.compare) {
        values.push(super::methods::get_attr(interp, v, &f.key)?);
    }
    super::class_builtins::hash(interp, &Value::tuple(values)).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(key: &str, default: Option<Value>) -> DataclassField {
        DataclassField {
            key: key.into(),
            init: true,
            repr: true,
            compare: true,
            kw_only: false,
            default,
            default_factory: None,
        }
    }

    #[test]
    fn a_field_without_default_after_one_with_is_refused() {
        let fields = [field("id", Some(Value::None)), field("name", None)];
        let err = check_fields("A", &fields, &Default::default()).unwrap_err();
        assert_eq!(err.exc, ExcType::InvalidRequestError);
        assert_eq!(
            err.message,
            "Python dataclasses error encountered when creating dataclass for 'A': TypeError(\"non-default argument 'name' follows default argument\"). Please refer to Python dataclasses documentation for additional information."
        );
    }

    #[test]
    fn keyword_only_and_init_false_fields_may_follow_defaults() {
        let mut kw = field("a", None);
        kw.kw_only = true;
        let mut no_init = field("b", None);
        no_init.init = false;
        let fields = [field("id", Some(Value::Int(1))), kw, no_init];
        assert!(check_fields("K", &fields, &Default::default()).is_ok());
    }

    #[test]
    fn a_mutable_default_is_refused() {
        let fields = [field("xs", Some(Value::list(Vec::new())))];
        let err = check_fields("B", &fields, &Default::default()).unwrap_err();
        assert_eq!(
            err.message,
            "Python dataclasses error encountered when creating dataclass for 'B': ValueError(\"mutable default <class 'list'> for field xs is not allowed: use default_factory\"). Please refer to Python dataclasses documentation for additional information."
        );
    }

    #[test]
    fn without_its_own_init_a_class_may_order_fields_freely() {
        let fields = [field("id", Some(Value::None)), field("name", None)];
        let no_init = crate::orm::schema_items::DataclassArguments {
            init: Some(false),
            ..Default::default()
        };
        assert!(check_fields("E", &fields, &no_init).is_ok());
    }

    #[test]
    fn order_without_eq_is_refused_first() {
        let arguments = crate::orm::schema_items::DataclassArguments {
            order: Some(true),
            eq: Some(false),
            ..Default::default()
        };
        let fields = [field("xs", Some(Value::list(Vec::new())))];
        let err = check_fields("N", &fields, &arguments).unwrap_err();
        assert_eq!(
            err.message,
            "Python dataclasses error encountered when creating dataclass for 'N': ValueError('eq must be true if order is true'). Please refer to Python dataclasses documentation for additional information."
        );
    }

    #[test]
    fn class_keywords_override_the_base_s_and_others_are_refused() {
        use crate::orm::schema_items::DataclassArguments;
        let base =
            DataclassArguments::from_keywords("Base", &[("kw_only".into(), Value::Bool(true))])
                .unwrap_or_default();
        let own = DataclassArguments::from_keywords(
            "A",
            &[
                ("repr".into(), Value::Bool(false)),
                ("kw_only".into(), Value::Bool(false)),
            ],
        )
        .unwrap_or_default()
        .merged(&base);
        assert_eq!(
            (own.kw_only, own.repr, own.init),
            (Some(false), Some(false), None)
        );
        let err = DataclassArguments::from_keywords("K", &[("bogus".into(), Value::Bool(true))])
            .unwrap_err();
        assert_eq!(err.exc, ExcType::TypeError);
        assert_eq!(
            err.message,
            "K.__init_subclass__() takes no keyword arguments"
        );
    }
}
