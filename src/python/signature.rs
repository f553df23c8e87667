//! One argument binder for every callable the tutor defines in Rust: a
//! [`Signature`] written as Python writes it (`["entity", "ident", "*",
//! "options=", "populate_existing="]`) binds a call's positional and keyword
//! arguments and raises Python's exact `TypeError` when they do not fit:
//!
//! - `Session.commit() got an unexpected keyword argument 'now'`
//! - `Query.all() takes 1 positional argument but 2 were given`
//! - `Session.get() missing 1 required positional argument: 'ident'`
//! - `Session.get() got multiple values for argument 'ident'`
//!
//! Methods count `self` in those numbers, as CPython does. C built-ins
//! word theirs by calling convention ([`ArgStyle`]): `list.append() takes
//! exactly one argument (0 given)`, `insert expected 2 arguments, got 1`,
//! `'foo' is an invalid keyword argument for print()`. A parameter
//! written with a trailing `!` (`"with_for_update=!"`) is one SQLAlchemy
//! accepts but the tutor does not support yet: passing it raises
//! `NotImplementedError` naming it, so no argument is ever dropped silently.

use super::exceptions::{PyErr, PyResult, type_error};
use super::value::Value;

/// A callable's parameters, in Python's notation: `"name"` (required,
/// positional or keyword), `"name="` (optional), `"name=!"` (optional,
/// unsupported by the tutor), `"*"` (the rest are keyword-only), `"/"` (the
/// ones before are positional-only), `"*args"`, `"**kwargs"`.
#[derive(Debug, Clone, Copy)]
pub struct Signature {
    /// The qualified name in messages: `Session.get`, `select`.
    pub name: &'static str,
    pub params: &'static [&'static str],
    /// True for a method: `self` is counted in "takes N positional arguments".
    pub is_method: bool,
    /// How `TypeError` messages are worded: Python's `def`, or one of
    /// CPython's C conventions.
    pub style: ArgStyle,
}

/// The wording of a callable's argument errors. Functions written in Python
/// (and SQLAlchemy's methods) say "takes 1 positional argument but 2 were
/// given"; CPython's built-ins word them by their C calling convention. In
/// every built-in style an unknown keyword raises `{name}() takes no keyword
/// arguments` when no parameter takes keywords, else `'foo' is an invalid
/// keyword argument for {short}()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgStyle {
    /// `def f(...)`: CPython's messages for Python functions.
    Python,
    /// `METH_NOARGS` / `METH_O`: `list.append() takes exactly one argument
    /// (0 given)`, `str.upper() takes no arguments (1 given)`.
    Exact,
    /// Argument Clinic's positional check: `insert expected 2 arguments, got
    /// 1`, `get expected at most 2 arguments, got 3`.
    Expected,
    /// `PyArg_ParseTuple[AndKeywords]`: `split() takes at most 2 arguments (3
    /// given)`, `sort() takes no positional arguments`, `round() missing
    /// required argument 'number' (pos 1)`.
    Takes,
}

/// One parameter, parsed from its notation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Param {
    name: &'static str,
    required: bool,
    unsupported: bool,
    keyword_only: bool,
    positional_only: bool,
}

/// The arguments of one call, bound to a [`Signature`]'s parameters.
#[derive(Debug, Default)]
pub struct Bound {
    names: Vec<&'static str>,
    values: Vec<Option<Value>>,
    /// What `*args` collected.
    pub varargs: Vec<Value>,
    /// What `**kwargs` collected, in call order.
    pub varkw: Vec<(String, Value)>,
}

impl Bound {
    /// The argument bound to `name`, if it was passed.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.names
            .iter()
            .position(|n| *n == name)
            .and_then(|i| self.values[i].as_ref())
    }

    /// The argument bound to `name`, or `None` when it was not passed.
    pub fn value(&self, name: &str) -> Value {
        self.get(name).cloned().unwrap_or(Value::None)
    }

    /// The argument bound to `name` unless it was left out or passed as `None`.
    pub fn given(&self, name: &str) -> Option<&Value> {
        self.get(name).filter(|v| !matches!(v, Value::None))
    }

    /// A required argument (the binder has made sure it is there).
    pub fn required(&self, name: &str) -> PyResult<&Value> {
        self.get(name)
            .ok_or_else(|| type_error(format!("missing required argument: '{name}'")))
    }

    /// Python's truth of the argument, `default` when not passed.
    pub fn flag(&self, name: &str, default: bool) -> bool {
        self.get(name).map_or(default, Value::truthy)
    }
}

fn parse(spec: &'static str, keyword_only: bool, positional_only: bool) -> Param {
    let (name, rest) = match spec.find('=') {
        Some(i) => (&spec[..i], Some(&spec[i + 1..])),
        None => (spec, None),
    };
    Param {
        name,
        required: rest.is_none(),
        unsupported: rest == Some("!"),
        keyword_only,
        positional_only,
    }
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'` — CPython's list of missing names.
fn name_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        2 => format!("{} and {}", quoted[0], quoted[1]),
        n => format!("{}, and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl Signature {
    /// A method's signature (`self` implied).
    pub const fn method(name: &'static str, params: &'static [&'static str]) -> Signature {
        Signature {
            name,
            params,
            is_method: true,
            style: ArgStyle::Python,
        }
    }

    /// A plain function's signature.
    pub const fn function(name: &'static str, params: &'static [&'static str]) -> Signature {
        Signature {
            name,
            params,
            is_method: false,
            style: ArgStyle::Python,
        }
    }

    /// A C built-in's signature (`"list.append"`, `"len"`): its messages
    /// follow `style`; `self` is never counted.
    pub const fn builtin(
        name: &'static str,
        params: &'static [&'static str],
        style: ArgStyle,
    ) -> Signature {
        Signature {
            name,
            params,
            is_method: false,
            style,
        }
    }

    /// The name after the type's: `insert` for `list.insert`.
    fn short_name(&self) -> &'static str {
        self.name.rsplit('.').next().unwrap_or(self.name)
    }

    fn parsed(&self) -> (Vec<Param>, bool, bool) {
        let mut out = Vec::new();
        let mut keyword_only = false;
        let mut varargs = false;
        let mut varkw = false;
        let slash = self.params.iter().position(|p| *p == "/");
        for (i, p) in self.params.iter().enumerate() {
            match *p {
                "/" => {}
                "*" => keyword_only = true,
                p if p.starts_with("**") => varkw = true,
                p if p.starts_with('*') => {
                    varargs = true;
                    keyword_only = true;
                }
                p => out.push(parse(p, keyword_only, slash.is_some_and(|s| i < s))),
            }
        }
        (out, varargs, varkw)
    }

    /// The parameter names, for completion and `help()`.
    pub fn parameter_names(&self) -> Vec<&'static str> {
        self.parsed().0.iter().map(|p| p.name).collect()
    }

    /// Python's rendering of the signature: `(entity, ident, *, options=None)`.
    pub fn display(&self) -> String {
        let parts: Vec<String> = self
            .params
            .iter()
            .map(
                |p| match p.strip_suffix("=!").or_else(|| p.strip_suffix('=')) {
                    Some(n) => format!("{n}=None"),
                    None => p.to_string(),
                },
            )
            .collect();
        format!("({})", parts.join(", "))
    }

    /// Binds `args` and `kwargs` as Python would, or raises its `TypeError`
    /// (or `NotImplementedError` for an argument marked unsupported).
    pub fn bind(&self, args: Vec<Value>, kwargs: Vec<(String, Value)>) -> PyResult<Bound> {
        self.bind_as(self.name, args, kwargs)
    }

    /// As [`Signature::bind`], naming the callable `qualname` in messages
    /// (one method table can serve `Query.filter` and `Select.filter`).
    pub fn bind_as(
        &self,
        qualname: &str,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> PyResult<Bound> {
        let (params, has_varargs, has_varkw) = self.parsed();
        if self.style != ArgStyle::Python {
            self.check_builtin(&params, has_varargs, has_varkw, args.len(), &kwargs)?;
        }
        let offset = usize::from(self.is_method);
        let positional: Vec<&Param> = params.iter().filter(|p| !p.keyword_only).collect();
        let mut bound = Bound {
            names: params.iter().map(|p| p.name).collect(),
            values: vec![None; params.len()],
            ..Bound::default()
        };
        let given = args.len();
        for (i, a) in args.into_iter().enumerate() {
            match positional.get(i) {
                Some(_) => bound.values[i] = Some(a),
                None if has_varargs => bound.varargs.push(a),
                None => return Err(too_many(qualname, &positional, given, offset)),
            }
        }
        for (k, v) in kwargs {
            match params
                .iter()
                .position(|p| p.name == k && !p.positional_only)
            {
                Some(i) if bound.values[i].is_some() => {
                    return Err(type_error(format!(
                        "{}() got multiple values for argument '{k}'",
                        qualname
                    )));
                }
                Some(i) => bound.values[i] = Some(v),
                None if has_varkw => bound.varkw.push((k, v)),
                None => {
                    return Err(type_error(format!(
                        "{}() got an unexpected keyword argument '{k}'",
                        qualname
                    )));
                }
            }
        }
        let missing: Vec<&str> = params
            .iter()
            .zip(&bound.values)
            .filter(|(p, v)| p.required && !p.keyword_only && v.is_none())
            .map(|(p, _)| p.name)
            .collect();
        if let (Some(first), false) = (missing.first(), self.style == ArgStyle::Python) {
            let pos = params.iter().position(|p| p.name == *first).unwrap_or(0) + 1;
            return Err(type_error(format!(
                "{}() missing required argument '{first}' (pos {pos})",
                self.short_name()
            )));
        }
        if !missing.is_empty() {
            return Err(type_error(format!(
                "{}() missing {} required positional argument{}: {}",
                qualname,
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                name_list(&missing)
            )));
        }
        let missing_kw: Vec<&str> = params
            .iter()
            .zip(&bound.values)
            .filter(|(p, v)| p.required && p.keyword_only && v.is_none())
            .map(|(p, _)| p.name)
            .collect();
        if !missing_kw.is_empty() {
            return Err(type_error(format!(
                "{}() missing {} required keyword-only argument{}: {}",
                qualname,
                missing_kw.len(),
                if missing_kw.len() == 1 { "" } else { "s" },
                name_list(&missing_kw)
            )));
        }
        if let Some((p, _)) = params
            .iter()
            .zip(&bound.values)
            .find(|(p, v)| p.unsupported && v.is_some())
        {
            return Err(PyErr::unsupported(format!(
                "the '{}' argument of {}()",
                p.name, qualname
            )));
        }
        Ok(bound)
    }

    /// A C built-in's own checks of keyword names and the positional count,
    /// worded by its [`ArgStyle`].
    fn check_builtin(
        &self,
        params: &[Param],
        varargs: bool,
        varkw: bool,
        given: usize,
        kwargs: &[(String, Value)],
    ) -> PyResult<()> {
        let takes_keywords = varkw || params.iter().any(|p| !p.positional_only);
        for (k, _) in kwargs {
            if !varkw && !params.iter().any(|p| p.name == k && !p.positional_only) {
                return Err(type_error(if takes_keywords {
                    format!(
                        "'{k}' is an invalid keyword argument for {}()",
                        self.short_name()
                    )
                } else {
                    format!("{}() takes no keyword arguments", self.name)
                }));
            }
        }
        let positional: Vec<&Param> = params.iter().filter(|p| !p.keyword_only).collect();
        let max = if varargs {
            usize::MAX
        } else {
            positional.len()
        };
        let min = positional
            .iter()
            .filter(|p| p.required && p.positional_only)
            .count();
        if (min..=max).contains(&given) {
            return Ok(());
        }
        let (n, at) = match (given < min, min == max) {
            (_, true) => (min, ""),
            (true, false) => (min, "at least "),
            (false, false) => (max, "at most "),
        };
        let s = if n == 1 { "" } else { "s" };
        let short = self.short_name();
        Err(type_error(match self.style {
            ArgStyle::Exact if max == 0 => {
                format!("{}() takes no arguments ({given} given)", self.name)
            }
            ArgStyle::Exact => {
                format!("{}() takes exactly one argument ({given} given)", self.name)
            }
            ArgStyle::Expected => format!("{short} expected {at}{n} argument{s}, got {given}"),
            ArgStyle::Takes if max == 0 => format!("{short}() takes no positional arguments"),
            ArgStyle::Takes | ArgStyle::Python => {
                let at = if at.is_empty() { "exactly " } else { at };
                format!("{short}() takes {at}{n} argument{s} ({given} given)")
            }
        }))
    }
}

fn too_many(qualname: &str, positional: &[&Param], given: usize, offset: usize) -> PyErr {
    let max = positional.len() + offset;
    let min = positional.iter().filter(|p| p.required).count() + offset;
    let takes = if min == max {
        plural(max, "positional argument")
    } else {
        format!("from {min} to {max} positional arguments")
    };
    let given = given + offset;
    type_error(format!(
        "{}() takes {takes} but {given} {} given",
        qualname,
        if given == 1 { "was" } else { "were" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMIT: Signature = Signature::method("Session.commit", &[]);
    const GET: Signature = Signature::method(
        "Session.get",
        &[
            "entity",
            "ident",
            "options=",
            "populate_existing=",
            "with_for_update=!",
        ],
    );
    const ADD: Signature = Signature::method("Session.add", &["instance", "_warn="]);

    fn err(r: PyResult<Bound>) -> String {
        match r {
            Ok(_) => "ok".into(),
            Err(e) => format!("{}: {}", e.type_name(), e.message),
        }
    }

    fn kw(k: &str) -> Vec<(String, Value)> {
        vec![(k.to_string(), Value::Bool(true))]
    }

    #[test]
    fn messages_are_cpythons() {
        // Each expected text is what Python 3.11 + SQLAlchemy 2.0 printed.
        assert_eq!(
            err(COMMIT.bind(vec![], kw("now"))),
            "TypeError: Session.commit() got an unexpected keyword argument 'now'"
        );
        assert_eq!(
            err(COMMIT.bind(vec![Value::Int(1)], vec![])),
            "TypeError: Session.commit() takes 1 positional argument but 2 were given"
        );
        assert_eq!(
            err(GET.bind(vec![Value::Int(1)], vec![])),
            "TypeError: Session.get() missing 1 required positional argument: 'ident'"
        );
        assert_eq!(
            err(GET.bind(vec![], vec![])),
            "TypeError: Session.get() missing 2 required positional arguments: 'entity' and 'ident'"
        );
        assert_eq!(
            err(ADD.bind(vec![Value::Int(1); 3], vec![])),
            "TypeError: Session.add() takes from 2 to 3 positional arguments but 4 were given"
        );
        assert_eq!(
            err(GET.bind(vec![Value::Int(1), Value::Int(2)], kw("ident"))),
            "TypeError: Session.get() got multiple values for argument 'ident'"
        );
    }

    #[test]
    fn builtin_styles_word_errors_as_cpython() {
        // Each expected text is what Python 3.11 printed.
        const APPEND: Signature =
            Signature::builtin("list.append", &["object", "/"], ArgStyle::Exact);
        const UPPER: Signature = Signature::builtin("str.upper", &[], ArgStyle::Exact);
        const INSERT: Signature =
            Signature::builtin("list.insert", &["index", "object", "/"], ArgStyle::Expected);
        const SPLIT: Signature =
            Signature::builtin("str.split", &["sep=", "maxsplit="], ArgStyle::Takes);
        const ROUND: Signature =
            Signature::builtin("round", &["number", "ndigits="], ArgStyle::Takes);
        assert_eq!(
            err(APPEND.bind(vec![], vec![])),
            "TypeError: list.append() takes exactly one argument (0 given)"
        );
        assert_eq!(
            err(APPEND.bind(vec![], kw("object"))),
            "TypeError: list.append() takes no keyword arguments"
        );
        assert_eq!(
            err(UPPER.bind(vec![Value::Int(1)], vec![])),
            "TypeError: str.upper() takes no arguments (1 given)"
        );
        assert_eq!(
            err(INSERT.bind(vec![Value::Int(1)], vec![])),
            "TypeError: insert expected 2 arguments, got 1"
        );
        assert_eq!(
            err(SPLIT.bind(vec![Value::Int(1); 3], vec![])),
            "TypeError: split() takes at most 2 arguments (3 given)"
        );
        assert_eq!(
            err(SPLIT.bind(vec![], kw("foo"))),
            "TypeError: 'foo' is an invalid keyword argument for split()"
        );
        assert_eq!(
            err(ROUND.bind(vec![], vec![])),
            "TypeError: round() missing required argument 'number' (pos 1)"
        );
    }

    #[test]
    fn binds_positional_and_keyword_arguments() {
        let b = GET
            .bind(vec![Value::Int(1)], vec![("ident".into(), Value::Int(7))])
            .unwrap();
        assert!(matches!(b.get("ident"), Some(Value::Int(7))));
        assert!(b.get("options").is_none());
        assert!(!b.flag("populate_existing", false));
    }

    #[test]
    fn an_unsupported_argument_says_so() {
        assert_eq!(
            err(GET.bind(vec![Value::Int(1), Value::Int(2)], kw("with_for_update"))),
            "NotImplementedError: orm-tutor does not support the 'with_for_update' argument of Session.get() yet"
        );
    }

    #[test]
    fn varargs_keyword_only_and_display() {
        const SELECT: Signature = Signature::function("select", &["*entities", "**kw"]);
        let b = SELECT
            .bind(vec![Value::Int(1), Value::Int(2)], kw("x"))
            .unwrap();
        assert_eq!(b.varargs.len(), 2);
        assert_eq!(b.varkw.len(), 1);
        const KW: Signature = Signature::function("f", &["a", "*", "b"]);
        assert_eq!(
            err(KW.bind(vec![Value::Int(1)], vec![])),
            "TypeError: f() missing 1 required keyword-only argument: 'b'"
        );
        assert_eq!(
            err(KW.bind(vec![Value::Int(1), Value::Int(2)], vec![])),
            "TypeError: f() takes 1 positional argument but 2 were given"
        );
        assert_eq!(
            GET.display(),
            "(entity, ident, options=None, populate_existing=None, with_for_update=None)"
        );
    }
}
