//! Functions learners write: `def` and `lambda` with CPython's parameter
//! kinds (positional-only `/`, `*args`, keyword-only, `**kwargs`), their
//! closures over the enclosing call's namespace ([`crate::python::scope`]),
//! binding a call's arguments with CPython 3.11's `TypeError` wording
//! (`ceval.c`'s `initialize_locals`), running the body in its own frame,
//! and the caller's side: `f(*args, **kwargs)` unpacking.

use std::collections::HashMap;
use std::rc::Rc;

use crate::language::ast::{Expr, ExprKind, Keyword, Parameters, Span};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, TraceFrame, type_error};
use crate::python::scope::{Scope, ScopeNames};
use crate::python::value::{DictObj, Function, FunctionBody, Value};

use super::eval::{Flow, Interpreter};

/// How deep user function calls may nest before `RecursionError`.
pub(super) const MAX_CALL_DEPTH: usize = 200;

impl Interpreter {
    /// `def name(params): body` (also `async def`) or `lambda params: body`
    /// (`name` `<lambda>`): defaults are evaluated once, now, as Python
    /// does; a function defined while another runs closes over that call's
    /// namespace. Returns the function (a `def` also binds it).
    ///
    /// Errors: CPython's symbol-table `SyntaxError`s (`no binding for
    /// nonlocal 'x' found`, `name 'x' is parameter and global`) at `span`.
    pub(super) fn make_function(
        &mut self,
        name: &str,
        params: &Parameters,
        body: FunctionBody,
        span: Span,
    ) -> PyResult<Rc<Function>> {
        let stmts = match &body {
            FunctionBody::Block(b) | FunctionBody::AsyncBlock(b) => b.as_slice(),
            FunctionBody::Lambda(_) => &[],
        };
        let names = ScopeNames::of_function(params, stmts)
            .map_err(|(message, at)| PyErr::new(ExcType::SyntaxError, message).at(at))?;
        let defaults = self.eval_all(&params.defaults)?;
        let mut kw_defaults = Vec::with_capacity(params.kw_defaults.len());
        for d in &params.kw_defaults {
            kw_defaults.push(match d {
                Some(e) => Some(self.eval(e)?),
                None => None,
            });
        }
        // Python evaluates the annotations after the defaults.
        for (_, annotation) in &params.annotations {
            self.check_annotation_names(annotation)?;
        }
        if let Some(returns) = &params.returns {
            self.check_annotation_names(returns)?;
        }
        // A class body's namespace is not a closure: methods see the module.
        let closure = self.frames.last().filter(|f| f.names.is_some()).cloned();
        for n in &names.nonlocals {
            if !closure.as_ref().is_some_and(|c| c.has_nonlocal_binding(n)) {
                return Err(PyErr::new(
                    ExcType::SyntaxError,
                    format!("no binding for nonlocal '{n}' found"),
                )
                .at(span));
            }
        }
        let qualname = self.qualname_of(name);
        Ok(Rc::new(Function {
            name: name.to_string(),
            qualname,
            params: Rc::new(params.clone()),
            defaults,
            kw_defaults,
            body,
            names: Rc::new(names),
            closure,
            source: self.source.clone(),
        }))
    }

    /// The `__qualname__` of a `def` or `class` named `name` made now:
    /// `outer.<locals>.name` in a function's call, `Repo.name` in a class
    /// body, else `name`.
    pub(super) fn qualname_of(&self, name: &str) -> String {
        match self.frames.last() {
            Some(f) if f.names.is_none() => match self.classes.body_qualname() {
                Some(class) => format!("{class}.{name}"),
                None => name.to_string(),
            },
            Some(_) if let Some(outer) = self.function_names.last() => {
                format!("{outer}.<locals>.{name}")
            }
            _ => name.to_string(),
        }
    }

    /// Runs a function's body (an `async def`'s too) with its arguments,
    /// in a new frame whose spans count from the function's own source.
    pub(super) fn invoke_function(
        &mut self,
        f: &Rc<Function>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> PyResult<Value> {
        let vars = bind_arguments(f, args, kwargs)?;
        if super::generators::is_generator(f) {
            return Ok(self.generator_of(f, vars));
        }
        if self.call_depth >= MAX_CALL_DEPTH {
            return Err(PyErr::new(
                ExcType::RecursionError,
                "maximum recursion depth exceeded",
            ));
        }
        self.call_depth += 1;
        let scope = Scope::function(vars, f.closure.clone(), f.names.clone());
        self.frames.push(Rc::new(scope));
        self.function_names.push(f.qualname.clone());
        // A `def` or `lambda` run here was written in `f`'s source.
        let caller_source = std::mem::replace(&mut self.source, f.source.clone());
        let result = match &f.body {
            FunctionBody::Lambda(e) => self.eval(e),
            FunctionBody::Block(body) | FunctionBody::AsyncBlock(body) => {
                match self.exec_block(body) {
                    Ok(()) => Ok(Value::None),
                    Err(Flow::Return(v)) => Ok(v),
                    Err(Flow::Error(e)) => Err(e),
                    Err(Flow::Break) | Err(Flow::Continue) => {
                        Err(PyErr::new(ExcType::SyntaxError, "'break' outside loop"))
                    }
                }
            }
        };
        self.source = caller_source;
        self.function_names.pop();
        self.frames.pop();
        self.call_depth -= 1;
        // The function's body may come from an earlier entry: its spans do
        // not point into this statement, so they go into the traceback with
        // the function's own source, and the caret goes on the call.
        result.map_err(|mut e| {
            e.traceback.push(TraceFrame {
                function: f.name.clone(),
                source: f.source.clone(),
                span: e.traceback_span(),
            });
            e.span = None;
            e.expression = None;
            e
        })
    }

    /// A call's arguments, `*iterable` and `**mapping` unpacked in order;
    /// `callee` names the function in CPython's errors (`f()`).
    ///
    /// Errors: `TypeError`s as CPython 3.11: `__main__.f() argument after * must be
    /// an iterable, not int`, `f() argument after ** must be a mapping, not
    /// int`, `keywords must be strings`, `f() got multiple values for
    /// keyword argument 'a'`.
    pub(super) fn eval_call_args(
        &mut self,
        args: &[Expr],
        kwargs: &[Keyword],
        callee: &dyn Fn() -> String,
    ) -> PyResult<(Vec<Value>, crate::python::Kwargs)> {
        let mut argv = Vec::with_capacity(args.len());
        for a in args {
            match &a.kind {
                ExprKind::Starred(inner) => {
                    let v = self.eval(inner)?;
                    if !is_iterable(&v) {
                        return Err(type_error(format!(
                            "{}() argument after * must be an iterable, not {}",
                            callee(),
                            v.type_name()
                        ))
                        .at(a.span));
                    }
                    argv.extend(self.iterate(&v, inner.span)?);
                }
                _ => argv.push(self.eval(a)?),
            }
        }
        let mut kw: Vec<(String, Value)> = Vec::with_capacity(kwargs.len());
        for k in kwargs {
            let v = self.eval(&k.value)?;
            let pairs = match &k.name {
                Some(name) => vec![(name.clone(), v)],
                None => unpack_mapping(&v, callee).map_err(|e| e.at(k.span))?,
            };
            for (name, v) in pairs {
                if kw.iter().any(|(n, _)| *n == name) {
                    let e = if k.name.is_some() {
                        PyErr::new(
                            ExcType::SyntaxError,
                            format!("keyword argument repeated: {name}"),
                        )
                    } else {
                        type_error(format!(
                            "{}() got multiple values for keyword argument '{name}'",
                            callee()
                        ))
                    };
                    return Err(e.at(k.span));
                }
                kw.push((name, v));
            }
        }
        Ok((argv, kw))
    }

    /// The items of a list, tuple or set display, `*iterable` unpacked.
    pub(super) fn eval_items(&mut self, items: &[Expr]) -> PyResult<Vec<Value>> {
        let mut out = Vec::with_capacity(items.len());
        for e in items {
            match &e.kind {
                ExprKind::Starred(inner) => {
                    let v = self.eval(inner)?;
                    if !is_iterable(&v) {
                        return Err(type_error(format!(
                            "Value after * must be an iterable, not {}",
                            v.type_name()
                        ))
                        .at(e.span));
                    }
                    out.extend(self.iterate(&v, inner.span)?);
                }
                _ => out.push(self.eval(e)?),
            }
        }
        Ok(out)
    }

    /// A dict display `{k: v, **m}`: later keys win, as Python's.
    ///
    /// Errors: `TypeError: 'int' object is not a mapping` for `**` of a
    /// non-dict.
    pub(super) fn eval_dict(&mut self, pairs: &[(Option<Expr>, Expr)]) -> PyResult<Value> {
        let mut out = DictObj::new(Vec::with_capacity(pairs.len()));
        for (k, v) in pairs {
            match k {
                Some(k) => {
                    let k = self.eval(k)?;
                    let v = self.eval(v)?;
                    out.set(k, v);
                }
                None => {
                    let m = self.eval(v)?;
                    let Value::Dict(d) = &m else {
                        return Err(type_error(format!(
                            "'{}' object is not a mapping",
                            m.type_name()
                        ))
                        .at(v.span));
                    };
                    let items: Vec<(Value, Value)> = d.borrow().iter().cloned().collect();
                    for (k, v) in items {
                        out.set(k, v);
                    }
                }
            }
        }
        Ok(Value::Dict(Rc::new(std::cell::RefCell::new(out))))
    }
}

impl Interpreter {
    /// `a, *rest, z = items`: the starred target takes a list of what the
    /// others leave.
    ///
    /// Errors: `ValueError: not enough values to unpack (expected at least
    /// 2, got 1)`, as CPython.
    pub(super) fn assign_starred(
        &mut self,
        target: &Expr,
        targets: &[Expr],
        mut items: Vec<Value>,
    ) -> Result<(), Flow> {
        let star = targets
            .iter()
            .position(|t| matches!(t.kind, ExprKind::Starred(_)))
            .unwrap_or(targets.len());
        let after = targets.len().saturating_sub(star + 1);
        if items.len() < star + after {
            return Err(Flow::Error(
                PyErr::new(
                    ExcType::ValueError,
                    format!(
                        "not enough values to unpack (expected at least {}, got {})",
                        star + after,
                        items.len()
                    ),
                )
                .at(target.span),
            ));
        }
        let tail = items.split_off(items.len() - after);
        let middle = items.split_off(star);
        for (t, item) in targets[..star].iter().zip(items) {
            self.assign(t, item)?;
        }
        if let Some(Expr {
            kind: ExprKind::Starred(inner),
            ..
        }) = targets.get(star)
        {
            self.assign(inner, Value::list(middle))?;
        }
        for (t, item) in targets[star + 1..].iter().zip(tail) {
            self.assign(t, item)?;
        }
        Ok(())
    }

    /// `del name`: unbinds it where it is bound (a `global` or `nonlocal`
    /// name in its own scope).
    ///
    /// Errors: `UnboundLocalError` for a function's local with no value,
    /// `NameError: name 'x' is not defined` in the module.
    pub(super) fn delete_name(&mut self, name: &str, span: Span) -> PyResult<()> {
        let removed = match self.frames.last().and_then(|f| f.binding_scope(name)) {
            Some(scope) => {
                if scope.vars.borrow_mut().remove(name).is_some() {
                    return Ok(());
                }
                scope.names.is_some()
            }
            None => {
                if self.globals.remove(name).is_some() {
                    return Ok(());
                }
                false
            }
        };
        Err(if removed {
            PyErr::new(
                ExcType::UnboundLocalError,
                format!(
                    "cannot access local variable '{name}' where it is not associated with a value"
                ),
            )
        } else {
            PyErr::new(ExcType::NameError, format!("name '{name}' is not defined"))
        }
        .at(span))
    }

    /// Python's `callable(v)`: whatever [`Interpreter::call`] can call.
    pub(super) fn is_callable(&self, v: &Value) -> bool {
        match v {
            Value::Function(_)
            | Value::Builtin(_)
            | Value::Method(_)
            | Value::ExceptionClass(_)
            | Value::PyType(_) => true,
            v if crate::sqlalchemy::objects::as_class(v).is_some() => true,
            v if v
                .downcast::<crate::sqlalchemy::session::SessionMaker>()
                .is_some() =>
            {
                true
            }
            v if v.downcast::<super::coroutines::AsyncioFunction>().is_some() => true,
            v if v.downcast::<super::functools::Functools>().is_some() => true,
            v if v.downcast::<super::operator::Operator>().is_some() => true,
            v if crate::python::collections::is_callable(v) => true,
            v if v.downcast::<super::contextlib::Callable>().is_some() => true,
            v if v
                .downcast::<crate::sqlalchemy::session::SessionFunction>()
                .is_some() =>
            {
                true
            }
            v if v
                .downcast::<crate::sqlalchemy::result::FrozenResult>()
                .is_some() =>
            {
                true
            }
            v => crate::sqlalchemy::asyncio::is_callable(v),
        }
    }

    /// `def`/`async def`: makes the function and binds its name.
    pub(super) fn define_function(
        &mut self,
        name: &str,
        params: &Parameters,
        body: FunctionBody,
        span: Span,
    ) -> Result<(), Flow> {
        let f = self.make_function(name, params, body, span)?;
        self.set_name(name, Value::Function(f));
        Ok(())
    }
}

/// Whether `v` can be iterated (for CPython's "must be an iterable").
fn is_iterable(v: &Value) -> bool {
    !matches!(
        v,
        Value::None
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Float(_)
            | Value::Function(_)
            | Value::Builtin(_)
            | Value::Method(_)
            | Value::ExceptionClass(_)
            | Value::Exception(_)
    )
}

/// The `name=value` pairs of `**mapping` in a call.
fn unpack_mapping(v: &Value, callee: &dyn Fn() -> String) -> PyResult<Vec<(String, Value)>> {
    let Value::Dict(d) = v else {
        return Err(type_error(format!(
            "{}() argument after ** must be a mapping, not {}",
            callee(),
            v.type_name()
        )));
    };
    let d = d.borrow();
    let mut out = Vec::with_capacity(d.len());
    for (k, v) in d.iter() {
        match k {
            Value::Str(s) => out.push((s.to_string(), v.clone())),
            _ => return Err(type_error("keywords must be strings")),
        }
    }
    Ok(out)
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`: CPython's list of missing
/// argument names.
fn name_list(names: &[&String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `f() missing 2 required positional arguments: 'a' and 'b'`.
fn missing(f: &Function, kind: &str, names: &[&String]) -> PyErr {
    type_error(format!(
        "{}() missing {} required {kind} argument{}: {}",
        f.qualname,
        names.len(),
        plural(names.len()),
        name_list(names)
    ))
}

/// Binds a call's arguments to `f`'s parameters, as CPython 3.11's
/// `initialize_locals`: positional ones first (extras into `*args`), then
/// keywords (unknown ones into `**kwargs`), then defaults.
///
/// Errors: CPython's `TypeError`s, named by `__qualname__`: `f() takes 2
/// positional arguments but 3 were given`, `f() got multiple values for
/// argument 'a'`, `f() got an unexpected keyword argument 'z'`, `f() got
/// some positional-only arguments passed as keyword arguments: 'a'`, `f()
/// missing 1 required positional argument: 'a'`, `f() missing 1 required
/// keyword-only argument: 'c'`.
pub(super) fn bind_arguments(
    f: &Function,
    args: Vec<Value>,
    kwargs: Vec<(String, Value)>,
) -> PyResult<HashMap<String, Value>> {
    let p = &*f.params;
    let given = args.len();
    let mut vars: HashMap<String, Value> = HashMap::with_capacity(p.args.len() + 2);
    let mut extra = Vec::new();
    for (i, a) in args.into_iter().enumerate() {
        match p.args.get(i) {
            Some(name) => {
                vars.insert(name.clone(), a);
            }
            None => extra.push(a),
        }
    }
    if let Some(name) = &p.vararg {
        vars.insert(name.clone(), Value::tuple(extra));
    }
    let mut rest: Vec<(Value, Value)> = Vec::new();
    for (k, v) in &kwargs {
        let index = p.args.iter().position(|a| a == k);
        let is_param = index.is_some_and(|i| i >= p.posonly) || p.kwonly.contains(k);
        if is_param {
            if vars.contains_key(k) {
                return Err(type_error(format!(
                    "{}() got multiple values for argument '{k}'",
                    f.qualname
                )));
            }
            vars.insert(k.clone(), v.clone());
        } else if p.kwarg.is_some() {
            rest.push((Value::str(k), v.clone()));
        } else {
            let posonly: Vec<&str> = kwargs
                .iter()
                .map(|(n, _)| n.as_str())
                .filter(|n| p.args[..p.posonly].iter().any(|a| a == n))
                .collect();
            if !posonly.is_empty() {
                return Err(type_error(format!(
                    "{}() got some positional-only arguments passed as keyword arguments: '{}'",
                    f.qualname,
                    posonly.join(", ")
                )));
            }
            return Err(type_error(format!(
                "{}() got an unexpected keyword argument '{k}'",
                f.qualname
            )));
        }
    }
    if given > p.args.len() && p.vararg.is_none() {
        return Err(too_many_positional(f, given, &vars));
    }
    let required = p.args.len() - p.defaults.len();
    let missing_pos: Vec<&String> = p.args[..required]
        .iter()
        .filter(|a| !vars.contains_key(*a))
        .collect();
    if !missing_pos.is_empty() {
        return Err(missing(f, "positional", &missing_pos));
    }
    for (name, d) in p.args[required..].iter().zip(&f.defaults) {
        if !vars.contains_key(name) {
            vars.insert(name.clone(), d.clone());
        }
    }
    let mut missing_kw = Vec::new();
    for (name, d) in p.kwonly.iter().zip(&f.kw_defaults) {
        if !vars.contains_key(name) {
            match d {
                Some(d) => {
                    vars.insert(name.clone(), d.clone());
                }
                None => missing_kw.push(name),
            }
        }
    }
    if !missing_kw.is_empty() {
        return Err(missing(f, "keyword-only", &missing_kw));
    }
    if let Some(name) = &p.kwarg {
        vars.insert(name.clone(), DictObj::value(rest));
    }
    Ok(vars)
}

/// CPython's `too_many_positional`: `f() takes from 1 to 2 positional
/// arguments but 3 positional arguments (and 1 keyword-only argument) were
/// given`.
fn too_many_positional(f: &Function, given: usize, vars: &HashMap<String, Value>) -> PyErr {
    let p = &*f.params;
    let n = p.args.len();
    let (sig, plural_sig) = if p.defaults.is_empty() {
        (n.to_string(), n != 1)
    } else {
        (format!("from {} to {n}", n - p.defaults.len()), true)
    };
    let kwonly_given = p.kwonly.iter().filter(|k| vars.contains_key(*k)).count();
    let kwonly_sig = if kwonly_given > 0 {
        format!(
            " positional argument{} (and {kwonly_given} keyword-only argument{})",
            plural(given),
            plural(kwonly_given)
        )
    } else {
        String::new()
    };
    type_error(format!(
        "{}() takes {sig} positional argument{} but {given}{kwonly_sig} {} given",
        f.qualname,
        if plural_sig { "s" } else { "" },
        if given == 1 && kwonly_given == 0 {
            "was"
        } else {
            "were"
        }
    ))
}
