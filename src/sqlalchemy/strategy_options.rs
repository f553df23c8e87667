//! The loader option functions of `sqlalchemy.orm` (`joinedload`,
//! `selectinload`, …) and their chained forms
//! (`joinedload(Message.user).joinedload(User.role, innerjoin=True)`), with
//! the keywords SQLAlchemy 2.0 takes.

use std::rc::Rc;

use crate::orm::mapper::{AttrKind, AttrRef};
use crate::orm::strategy_options::{ColumnOption, InnerJoin, LoaderOption, Strategy};
use crate::python::{ExcType, PyErr, PyResult, Value};

/// `joinedload(attr, innerjoin=True)` and the others: builds the option
/// (chained onto `base` when called as a method of another option).
///
/// Errors: `ArgumentError` for a bad `innerjoin` value; `NotImplementedError`
/// for a keyword SQLAlchemy takes that the tutor does not support yet.
pub fn loader_option(
    strategy: Strategy,
    args: &[Value],
    kwargs: Vec<(String, Value)>,
    base: Option<&LoaderOption>,
) -> PyResult<Value> {
    let mut innerjoin = None;
    let mut strategy = strategy;
    for (k, v) in kwargs {
        match (strategy, k.as_str()) {
            (Strategy::Raise, "sql_only") => {
                if v.truthy() {
                    strategy = Strategy::RaiseOnSql;
                }
            }
            (Strategy::Joined, "innerjoin") => {
                innerjoin = Some(InnerJoin::from_python(&v).ok_or_else(|| {
                    PyErr::new(
                        ExcType::ArgumentError,
                        "innerjoin takes True, False or \"unnested\"",
                    )
                })?);
            }
            _ => {
                return Err(PyErr::unsupported(format!(
                    "the '{k}' argument of {}()",
                    strategy.function_name()
                )));
            }
        }
    }
    if let [Value::Str(s)] = args
        && &**s == "*"
    {
        // `raiseload("*")`: every relationship at this level.
        if strategy == Strategy::Default {
            return Err(PyErr::unsupported("defaultload('*')"));
        }
        let path = base.map(|b| b.path.clone()).unwrap_or_default();
        if base.is_some_and(|b| b.wildcard.is_some()) {
            return Err(PyErr::unsupported("an option chained after a '*' wildcard"));
        }
        return Ok(Value::native(LoaderOption {
            path,
            wildcard: Some(strategy),
            column: None,
            loader_criteria: None,
        }));
    }
    if base.is_some_and(|b| b.wildcard.is_some() || b.column.is_some()) {
        return Err(PyErr::unsupported(
            "an option chained after a '*' wildcard or a column option",
        ));
    }
    let option = crate::interpreter::builtins::loader_option(strategy, args, base)?;
    match (innerjoin, option) {
        (Some(ij), option) => match option.downcast::<LoaderOption>() {
            Some(o) => Ok(Value::native((*o).clone().with_innerjoin(ij))),
            None => Ok(option),
        },
        (_, option) => Ok(option),
    }
}

/// `load_only(*attrs, raiseload=False)`, `defer(key, raiseload=False)`,
/// `undefer(key)`, `undefer_group(name)`, `with_expression(key,
/// expression)` (`name` says which), standalone
/// or chained onto `base` (`joinedload(Message.user).load_only(User.name)`),
/// as SQLAlchemy 2.0's column loader options.
///
/// Errors: `ArgumentError` for a relationship or a non-attribute where
/// SQLAlchemy raises one; `TypeError` for missing arguments.
pub fn column_option(
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
    base: Option<&LoaderOption>,
) -> PyResult<Value> {
    use crate::python::Signature;
    let sig = match name {
        "load_only" => Signature::function("load_only", &["*attrs", "raiseload="]),
        "defer" => Signature::function("defer", &["key", "*addl_attrs", "raiseload="]),
        "undefer" => Signature::function("undefer", &["key", "*addl_attrs"]),
        "with_expression" => Signature::function("with_expression", &["key", "expression"]),
        _ => Signature::function("undefer_group", &["name"]),
    };
    let b = sig.bind(args, kwargs)?;
    let raise = b.given("raiseload").is_some_and(|v| v.truthy());
    if !b.varargs.is_empty() && name != "load_only" {
        return Err(PyErr::unsupported(format!(
            "{name}() of several attributes"
        )));
    }
    let column = match name {
        "with_expression" => {
            let key = b.required("key")?;
            let attr = match key.downcast::<AttrRef>() {
                Some(a) if matches!(a.kind, AttrKind::Expression(_)) => (*a).clone(),
                Some(_) => {
                    return Err(PyErr::unsupported(
                        "with_expression() of an attribute that is no query_expression()",
                    ));
                }
                None => return Err(column_expected(key)),
            };
            let expr = crate::orm::expression::coerce(b.required("expression")?, None)?;
            ColumnOption::WithExpression(attr, expr.expr)
        }
        "load_only" => {
            let mut attrs = Vec::new();
            for a in &b.varargs {
                match a.downcast::<AttrRef>() {
                    Some(a) if matches!(a.kind, AttrKind::Column(_) | AttrKind::Expression(_)) => {
                        attrs.push((*a).clone())
                    }
                    // SQLAlchemy accepts a relationship here until the option is used.
                    Some(_) => {}
                    None => return Err(column_expected(a)),
                }
            }
            ColumnOption::LoadOnly(attrs, raise)
        }
        "undefer_group" => match b.required("name")? {
            Value::Str(g) => ColumnOption::UndeferGroup(g.to_string()),
            other => {
                return Err(PyErr::new(
                    ExcType::TypeError,
                    format!(
                        "undefer_group() takes a group name, got {}",
                        crate::python::format::repr_plain(other)
                    ),
                ));
            }
        },
        _ => match b.required("key")? {
            Value::Str(s) if &**s == "*" && name == "undefer" => ColumnOption::UndeferAll,
            Value::Str(s) if &**s == "*" => ColumnOption::DeferAll(raise),
            // A relationship is accepted (and has no effect), as SQLAlchemy's.
            v if let Some(a) = v.downcast::<AttrRef>() => {
                if name == "defer" {
                    ColumnOption::Defer((*a).clone(), raise)
                } else {
                    ColumnOption::Undefer((*a).clone())
                }
            }
            other => return Err(column_expected(other)),
        },
    };
    if base.is_some_and(|b| b.wildcard.is_some() || b.column.is_some()) {
        return Err(PyErr::unsupported(
            "an option chained after a '*' wildcard or a column option",
        ));
    }
    Ok(Value::native(LoaderOption {
        path: base.map(|b| b.path.clone()).unwrap_or_default(),
        wildcard: None,
        column: Some(column),
        loader_criteria: None,
    }))
}

/// SQLAlchemy's `ArgumentError` for a loader option argument that is not
/// a mapped attribute (strings are refused with their own message).
fn column_expected(got: &Value) -> PyErr {
    PyErr::new(
        ExcType::ArgumentError,
        match got {
            Value::Str(_) => {
                "Strings are not accepted for attribute names in loader options; please use class-bound attributes directly."
            }
            _ => "expected ORM mapped attribute for loader strategy argument",
        },
    )
}

/// The strategy a loader option method names (`.joinedload(...)`).
pub fn strategy_named(name: &str) -> Option<Strategy> {
    Some(match name {
        "joinedload" => Strategy::Joined,
        "selectinload" => Strategy::Selectin,
        "subqueryload" => Strategy::Subquery,
        "lazyload" => Strategy::Lazy,
        "raiseload" => Strategy::Raise,
        "noload" => Strategy::Noload,
        "defaultload" => Strategy::Default,
        "contains_eager" => Strategy::ContainsEager,
        _ => return None,
    })
}

use super::method::Method;

/// A chained loader option's methods (`joinedload(A.b).selectinload(B.c)`),
/// as SQLAlchemy 2.0 `sqlalchemy.orm.Load`.
pub static LOAD: &[Method<Rc<LoaderOption>>] = &[
    Method {
        name: "joinedload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Joined, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "selectinload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Selectin, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "subqueryload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Subquery, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "lazyload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Lazy, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "raiseload",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::Raise, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "load_only",
        params: &["*attrs", "raiseload="],
        call: |_, o, b| column_option_method("load_only", o, b),
    },
    Method {
        name: "defer",
        params: &["key", "*addl_attrs", "raiseload="],
        call: |_, o, b| column_option_method("defer", o, b),
    },
    Method {
        name: "undefer",
        params: &["key", "*addl_attrs"],
        call: |_, o, b| column_option_method("undefer", o, b),
    },
    Method {
        name: "undefer_group",
        params: &["name"],
        call: |_, o, b| column_option_method("undefer_group", o, b),
    },
    Method {
        name: "contains_eager",
        params: &["*attrs", "**kw"],
        call: |_, o, b| loader_option(Strategy::ContainsEager, &b.varargs, b.varkw, Some(o)),
    },
    Method {
        name: "defaultload",
        params: &["*attrs"],
        call: |_, o, b| loader_option(Strategy::Default, &b.varargs, Vec::new(), Some(o)),
    },
    Method {
        name: "noload",
        params: &["*attrs"],
        call: |_, o, b| loader_option(Strategy::Noload, &b.varargs, Vec::new(), Some(o)),
    },
    Method {
        name: "options",
        params: &["*opts"],
        call: |_, o, b| sub_options(o, &b.varargs),
    },
];

/// `joinedload(User.messages).options(joinedload(Message.user), …)` and
/// `Load(User).options(…)`: the option with each of `opts` along its path,
/// as SQLAlchemy 2.0's `Load.options()` — a [`LoadGroup`] of the option
/// itself (unless its path is empty) and each sub-option with the option's
/// path before its own.
///
/// Errors: `ArgumentError` for an argument that is no loader option;
/// `NotImplementedError` for a sub-option that does not start at the
/// option's end entity, or for `with_loader_criteria()`.
fn sub_options(parent: &Rc<LoaderOption>, opts: &[Value]) -> PyResult<Value> {
    let end = match parent.path.last() {
        None => None,
        Some(step) => match &step.attr.kind {
            crate::orm::mapper::AttrKind::Relationship(rel) => Some(rel.resolve()?.target.clone()),
            _ => {
                return Err(PyErr::unsupported("options() on a column loader option"));
            }
        },
    };
    let mut out: Vec<Rc<LoaderOption>> = Vec::new();
    if !parent.path.is_empty() {
        out.push(parent.clone());
    }
    let mut subs: Vec<Rc<LoaderOption>> = Vec::new();
    for o in opts {
        if let Some(one) = o.downcast::<LoaderOption>() {
            subs.push(one);
        } else if let Some(g) = o.downcast::<LoadGroup>() {
            subs.extend(g.options.iter().cloned());
        } else {
            return Err(PyErr::new(
                ExcType::ArgumentError,
                format!(
                    "options() takes loader options such as selectinload(User.messages), got {}",
                    o.type_name()
                ),
            ));
        }
    }
    for sub in subs {
        if sub.loader_criteria.is_some() {
            return Err(PyErr::unsupported(
                "Load.options() of with_loader_criteria()",
            ));
        }
        // the entity the sub-option starts at: its first step's, or its
        // column option's attributes'
        let starts = match (sub.path.first(), &sub.column) {
            (Some(first), _) => vec![first.attr.mapper.class_name.clone()],
            (None, Some(ColumnOption::LoadOnly(attrs, _))) => {
                attrs.iter().map(|a| a.mapper.class_name.clone()).collect()
            }
            (
                None,
                Some(
                    ColumnOption::Defer(a, _)
                    | ColumnOption::Undefer(a)
                    | ColumnOption::WithExpression(a, _),
                ),
            ) => vec![a.mapper.class_name.clone()],
            _ => Vec::new(),
        };
        if let Some(end) = &end
            && starts.iter().any(|c| *c != end.class_name)
        {
            return Err(PyErr::unsupported(
                "Load.options() of an option that does not start at the option's entity",
            ));
        }
        let mut path = parent.path.clone();
        path.extend(sub.path.iter().cloned());
        out.push(Rc::new(LoaderOption {
            path,
            wildcard: sub.wildcard,
            column: sub.column.clone(),
            loader_criteria: None,
        }));
    }
    Ok(Value::native(LoadGroup { options: out }))
}

/// What `Load.options()` gives: SQLAlchemy's `Load` holding several
/// loader options, which `Select.options()` takes each of.
#[derive(Debug)]
pub struct LoadGroup {
    /// The options, each with its whole path.
    pub options: Vec<Rc<LoaderOption>>,
}

impl crate::python::PyObject for LoadGroup {
    fn type_name(&self) -> String {
        "Load".into()
    }
    fn repr(&self) -> String {
        match self.options.first() {
            Some(o) => crate::python::PyObject::repr(&**o),
            None => "Load()".into(),
        }
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `option.load_only(...)` and the other column options chained onto a
/// loader option: the bound arguments passed back as keywords.
fn column_option_method(
    name: &str,
    o: &Rc<LoaderOption>,
    b: crate::python::Bound,
) -> PyResult<Value> {
    let mut args = Vec::new();
    let mut kwargs = Vec::new();
    for key in ["key", "name"] {
        if let Some(v) = b.given(key) {
            args.push(v.clone());
        }
    }
    args.extend(b.varargs.iter().cloned());
    if let Some(v) = b.given("raiseload") {
        kwargs.push(("raiseload".to_string(), v.clone()));
    }
    column_option(name, args, kwargs, Some(o))
}

/// `Load(User)`: SQLAlchemy 2.0's `sqlalchemy.orm.Load` on an entity before
/// any attribute is named; its methods (`Load(User).joinedload(User.messages)`,
/// `.load_only(User.name)`, …) give the same options as the functions, after
/// checking that the attribute belongs to the entity.
#[derive(Debug)]
pub struct LoadRoot {
    pub mapper: Rc<crate::orm::mapper::Mapper>,
    /// The option with an empty path the methods chain onto.
    empty: Rc<LoaderOption>,
}

impl crate::python::PyObject for LoadRoot {
    fn type_name(&self) -> String {
        "Load".into()
    }
    fn repr(&self) -> String {
        format!(
            "Load(Mapper[{}({})])",
            self.mapper.class_name, self.mapper.table.name
        )
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `Load(entity)`.
///
/// Errors: `NoInspectionAvailable` for a value that is not a mapped class,
/// as SQLAlchemy's `inspect()`; `NotImplementedError` for an `aliased()`
/// entity.
pub fn load(args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Value> {
    let b = crate::python::Signature::function("Load", &["entity"]).bind(args, kwargs)?;
    let entity = b.required("entity")?;
    if let Some(m) = super::objects::as_class(entity) {
        return Ok(Value::native(LoadRoot {
            mapper: m.clone(),
            empty: Rc::new(LoaderOption {
                path: Vec::new(),
                wildcard: None,
                column: None,
                loader_criteria: None,
            }),
        }));
    }
    if super::aliased::as_alias(entity).is_some() {
        return Err(PyErr::unsupported("Load() of an aliased() entity"));
    }
    Err(PyErr::new(
        ExcType::NoInspectionAvailable,
        format!(
            "No inspection system is available for object of type <class '{}'>",
            entity.type_name()
        ),
    ))
}

/// `Load(User).<method>(…)`: the method of [`LOAD`] on an empty path.
///
/// Errors: `ArgumentError` as SQLAlchemy 2.0's when an attribute argument
/// is not of the entity (`ORM mapped attribute "Message.user" does not
/// link mapped class "Mapper[User(users)]"`); those of the method.
pub fn load_root_method(
    interp: &mut crate::interpreter::Interpreter,
    root: &LoadRoot,
    name: &str,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> Option<PyResult<Value>> {
    if name == "options" {
        // each sub-option starts at the entity
        for o in &args {
            if let Some(sub) = o.downcast::<LoaderOption>()
                && let Some(first) = sub.path.first()
                && first.attr.mapper.class_name != root.mapper.class_name
            {
                return Some(Err(PyErr::unsupported(
                    "Load(...).options() of an option along another entity",
                )));
            }
        }
    }
    if let Some(a) = args.first().and_then(|a| a.downcast::<AttrRef>())
        && a.mapper.class_name != root.mapper.class_name
        && super::method::has(LOAD, name)
    {
        return Some(Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "ORM mapped attribute \"{}.{}\" does not link mapped class \"Mapper[{}({})]\"",
                a.mapper.class_name, a.key, root.mapper.class_name, root.mapper.table.name
            ),
        )));
    }
    super::method::dispatch(LOAD, "Load", interp, &root.empty, name, args, kwargs)
}

/// `with_loader_criteria(entity_or_base, where_criteria, loader_only=False,
/// include_aliases=False, propagate_to_loaders=True,
/// track_closure_variables=True)`, as SQLAlchemy 2.0
/// `sqlalchemy.orm.with_loader_criteria()`: a `LoaderCriteriaOption` (see
/// [`crate::orm::strategy_options::LoaderCriteria`]). `where_criteria` is a
/// SQL expression or a callable taking the class (`lambda cls: cls.id >
/// 3`), called once here.
///
/// Errors: `NotImplementedError` for an entity that is not a mapped class,
/// `loader_only=True` or `propagate_to_loaders=False`; the callable's own
/// errors; `ArgumentError` when the criteria are not a SQL expression.
pub fn with_loader_criteria(
    vm: &mut dyn crate::python::Vm,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<Value> {
    let b = crate::python::Signature::function(
        "with_loader_criteria",
        &[
            "entity_or_base",
            "where_criteria",
            "loader_only=",
            "include_aliases=",
            "propagate_to_loaders=",
            "track_closure_variables=",
        ],
    )
    .bind(args, kwargs)?;
    let entity = b.required("entity_or_base")?;
    let Some(mapper) = super::objects::as_class(entity) else {
        return Err(PyErr::unsupported(
            "with_loader_criteria() of anything but a mapped class",
        ));
    };
    if b.given("loader_only").is_some_and(Value::truthy) {
        return Err(PyErr::unsupported(
            "with_loader_criteria(..., loader_only=True)",
        ));
    }
    if b.given("propagate_to_loaders").is_some_and(|v| !v.truthy()) {
        return Err(PyErr::unsupported(
            "with_loader_criteria(..., propagate_to_loaders=False)",
        ));
    }
    let include_aliases = b.given("include_aliases").is_some_and(Value::truthy);
    let given = b.required("where_criteria")?;
    let criteria = if crate::orm::expression::is_sql(given) {
        given.clone()
    } else if matches!(given, Value::Function(_)) {
        vm.call_value(given, vec![entity.clone()], Vec::new())?
    } else {
        given.clone()
    };
    if !crate::orm::expression::is_sql(&criteria) {
        return Err(PyErr::new(
            ExcType::ArgumentError,
            format!(
                "SQL expression for WHERE/HAVING role expected, got {}.",
                crate::python::format::repr_plain(&criteria)
            ),
        ));
    }
    let criteria = crate::orm::expression::coerce(&criteria, None)?.expr;
    Ok(Value::native(LoaderOption {
        path: Vec::new(),
        wildcard: None,
        column: None,
        loader_criteria: Some(Rc::new(crate::orm::strategy_options::LoaderCriteria {
            mapper,
            criteria,
            include_aliases,
        })),
    }))
}
