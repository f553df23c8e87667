//! Python exceptions as the interpreter raises them: `NameError`,
//! `AttributeError`, `TypeError`, and SQLAlchemy's own (`IntegrityError`,
//! `DetachedInstanceError`, …), raised as [`PyErr`] values of an [`ExcType`]
//! whose hierarchy `except` matches on.

use std::rc::Rc;

use crate::language::ast::Span;

use super::value::SourceText;

pub use super::exception_classes::ExcType;

/// A raised exception: its class, message, and where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct PyErr {
    /// The exception class, e.g. [`ExcType::NameError`].
    pub exc: ExcType,
    pub message: String,
    /// The source span to point at, when it helps.
    pub span: Option<Span>,
    /// A plain-words hint ("did you mean 'User'?").
    pub hint: Option<String>,
    /// The whole expression that raised, when `span` points at a part of it
    /// (`user.nickname` for a missing attribute whose `span` is
    /// `nickname`): what CPython 3.11's traceback underlines. Boxed to
    /// keep `PyResult`'s error small (clippy's `result_large_err`).
    pub expression: Option<Box<Span>>,
    /// The learner-defined functions the error left, innermost first — as
    /// CPython's `__traceback__` below the `<module>` frame (whose place is
    /// `span` once the error reaches the top).
    pub traceback: Vec<TraceFrame>,
    /// The exception chain, as CPython's `BaseException`: `__cause__`
    /// (`raise X from Y`), `__context__` (raised while handling another)
    /// and `__suppress_context__` (set by `from`); and the learner's
    /// exception object ([`PyErr::instance`]); an exception group's
    /// members ([`PyErr::group`]). Boxed, as `expression`.
    pub chain: Option<Box<ExceptionChain>>,
}

/// What makes an exception an exception group (Python 3.11's
/// `BaseExceptionGroup`): the message it was made with (its `message`
/// attribute; `str()` adds " (N sub-exceptions)") and its members (its
/// `exceptions`), in order.
#[derive(Debug, Clone, PartialEq)]
pub struct ExceptionGroup {
    pub message: String,
    pub exceptions: Vec<Rc<PyErr>>,
    /// The members were given as a tuple (its `repr` shows them so): a
    /// bare exception `except*` wraps, or `ExceptionGroup(m, (e,))`.
    pub as_tuple: bool,
}

/// What an exception was raised from, as CPython's `__cause__`,
/// `__context__` and `__suppress_context__`. A chained exception whose
/// source location is unknown to this step (raised in an earlier step, or
/// made from a class) has no `span`: its traceback shows just
/// `Type: message`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExceptionChain {
    pub cause: Option<std::rc::Rc<PyErr>>,
    pub context: Option<std::rc::Rc<PyErr>>,
    pub suppress_context: bool,
    /// The learner's exception object, when its class is one the learner
    /// wrote (`class NotFound(Exception)`); the error's `exc` is then the
    /// built-in class it derives from, which `except Exception:` matches.
    pub instance: Option<ExceptionInstance>,
    /// An `ExceptionGroup`'s message and members.
    pub group: Option<ExceptionGroup>,
}

/// An instance of a learner's exception class (a
/// [`super::class::PyInstance`]), compared by identity.
#[derive(Debug, Clone)]
pub struct ExceptionInstance {
    pub value: super::Value,
    /// Its class's `__name__`, which tracebacks print.
    pub class_name: String,
}

impl PartialEq for ExceptionInstance {
    fn eq(&self, other: &ExceptionInstance) -> bool {
        self.value.is(&other.value)
    }
}

/// One function frame an exception passed through: the function's name
/// (`f`, `<lambda>`, `__repr__`) and, in its source, the span of the
/// expression that was running when the error left it.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceFrame {
    pub function: String,
    pub source: Option<SourceText>,
    pub span: Option<Span>,
}

/// Result of anything that can raise.
pub type PyResult<T> = Result<T, PyErr>;

/// Unit tests' view of a result: `ok <value's Debug>` or
/// `<ExceptionName>: <message>` as a traceback's last line reads.
#[cfg(test)]
pub(crate) fn test_outcome(r: PyResult<impl std::fmt::Debug>) -> String {
    match r {
        Ok(v) => format!("ok {v:?}"),
        Err(e) => format!("{}: {}", e.type_name(), e.message),
    }
}

impl PyErr {
    pub fn new(exc: ExcType, message: impl Into<String>) -> PyErr {
        PyErr {
            exc,
            message: message.into(),
            span: None,
            hint: None,
            expression: None,
            traceback: Vec::new(),
            chain: None,
        }
    }

    /// `__cause__`: the exception of `raise … from cause`.
    pub fn cause(&self) -> Option<&std::rc::Rc<PyErr>> {
        self.chain.as_ref()?.cause.as_ref()
    }

    /// `__context__`: the exception being handled when this one was raised.
    pub fn context(&self) -> Option<&std::rc::Rc<PyErr>> {
        self.chain.as_ref()?.context.as_ref()
    }

    /// The exception a traceback shows above this one, with CPython's
    /// separator line: the cause ("The above exception was the direct
    /// cause of the following exception:"), else the context unless
    /// suppressed ("During handling of the above exception, another
    /// exception occurred:").
    pub fn chained(&self) -> Option<(&PyErr, &'static str)> {
        let chain = self.chain.as_ref()?;
        if let Some(c) = &chain.cause {
            return Some((
                c,
                "The above exception was the direct cause of the following exception:",
            ));
        }
        match &chain.context {
            Some(c) if !chain.suppress_context => Some((
                c,
                "During handling of the above exception, another exception occurred:",
            )),
            _ => None,
        }
    }

    /// `NotImplementedError: orm-tutor does not support {what} yet`: the
    /// tutor's word for a feature SQLAlchemy or Python has and it lacks.
    pub fn unsupported(what: impl std::fmt::Display) -> PyErr {
        PyErr::new(
            ExcType::NotImplementedError,
            format!("orm-tutor does not support {what} yet"),
        )
    }

    /// The class's name, as Python prints it before the message (a
    /// learner's exception class by its own name).
    pub fn type_name(&self) -> &str {
        match self.instance() {
            Some(i) => &i.class_name,
            None => self.exc.name(),
        }
    }

    /// The learner's exception object this error raises, if its class is
    /// a learner's (`class NotFound(Exception)`).
    pub fn instance(&self) -> Option<&ExceptionInstance> {
        self.chain.as_ref()?.instance.as_ref()
    }

    /// Sets (or, with `None`, clears) [`PyErr::instance`].
    pub fn set_instance(&mut self, instance: Option<ExceptionInstance>) {
        if instance.is_none() && self.chain.is_none() {
            return;
        }
        self.chain.get_or_insert_with(Default::default).instance = instance;
    }

    /// `ExceptionGroup(message, exceptions)` as Python 3.11's
    /// `BaseExceptionGroup.__new__` makes it: an `ExceptionGroup` when
    /// every member is an `Exception`, else a `BaseExceptionGroup`; its
    /// `str()` is `message (N sub-exception[s])`. `exceptions` must not
    /// be empty (the caller checks: CPython's ValueError).
    pub fn exception_group(message: &str, exceptions: Vec<Rc<PyErr>>) -> PyErr {
        let all_exceptions = exceptions
            .iter()
            .all(|e| e.is_instance_of(ExcType::Exception));
        let n = exceptions.len();
        let mut e = PyErr::new(
            if all_exceptions {
                ExcType::ExceptionGroup
            } else {
                ExcType::BaseExceptionGroup
            },
            format!(
                "{message} ({n} sub-exception{})",
                if n == 1 { "" } else { "s" }
            ),
        );
        e.chain = Some(Box::new(ExceptionChain {
            group: Some(ExceptionGroup {
                message: message.to_string(),
                exceptions,
                as_tuple: false,
            }),
            ..Default::default()
        }));
        e
    }

    /// Marks an exception group's members as given in a tuple (for its
    /// `repr`); no effect on another exception.
    pub fn with_tuple_members(mut self) -> PyErr {
        if let Some(g) = self.chain.as_mut().and_then(|c| c.group.as_mut()) {
            g.as_tuple = true;
        }
        self
    }

    /// The members and message of an exception group, `None` for any
    /// other exception.
    pub fn group(&self) -> Option<&ExceptionGroup> {
        self.chain.as_ref()?.group.as_ref()
    }

    /// Attaches a span if the error has none yet (the innermost span wins).
    pub fn at(mut self, span: Span) -> PyErr {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }

    /// As [`PyErr::at`], pointing at `part` of the `expression` that raised
    /// (an attribute's name in `value.attr`).
    pub fn at_part(mut self, part: Span, expression: Span) -> PyErr {
        if self.span.is_none() {
            self.span = Some(part);
            self.expression = Some(Box::new(expression));
        }
        self
    }

    /// The span a traceback underlines: the whole expression that raised.
    pub fn traceback_span(&self) -> Option<Span> {
        self.expression.as_deref().copied().or(self.span)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> PyErr {
        self.hint = Some(hint.into());
        self
    }

    /// True when this exception is an instance of `class` (its own class or
    /// an ancestor), as `except class:` tests.
    pub fn is_instance_of(&self, class: ExcType) -> bool {
        self.exc.is_subclass_of(class)
    }
}

impl ExcType {
    /// `issubclass(self, other)`: `other` stands in this class's `__mro__`.
    pub fn is_subclass_of(self, other: ExcType) -> bool {
        self.mro().contains(&other)
    }

    /// The class named `name` (`"IntegrityError"`), if the tutor knows it.
    pub fn from_name(name: &str) -> Option<ExcType> {
        ExcType::ALL.iter().copied().find(|t| t.name() == name)
    }

    /// True for classes that can be raised and caught (not the mixins and
    /// warnings that only stand in a `__mro__`).
    pub fn is_exception(self) -> bool {
        self.is_subclass_of(ExcType::BaseException) && !self.is_subclass_of(ExcType::Warning)
    }

    /// Python's `repr` of the class: `<class 'sqlalchemy.exc.NoResultFound'>`,
    /// `<class 'KeyError'>`.
    pub fn class_repr(self) -> String {
        match self.module() {
            "builtins" => format!("<class '{}'>", self.name()),
            m => format!("<class '{m}.{}'>", self.name()),
        }
    }
}

impl std::fmt::Display for ExcType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub fn type_error(message: impl Into<String>) -> PyErr {
    PyErr::new(ExcType::TypeError, message)
}

pub fn value_error(message: impl Into<String>) -> PyErr {
    PyErr::new(ExcType::ValueError, message)
}

pub fn attribute_error(message: impl Into<String>) -> PyErr {
    PyErr::new(ExcType::AttributeError, message)
}

pub fn invalid_request(message: impl Into<String>) -> PyErr {
    PyErr::new(ExcType::InvalidRequestError, message)
}

/// The closest of `candidates` to `name` (edit distance at most 2, or a
/// case-insensitive match), for "did you mean" hints.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = if c.eq_ignore_ascii_case(name) {
            0
        } else {
            strsim::damerau_levenshtein(name, c)
        };
        let limit = if name.len() <= 3 { 1 } else { 2 };
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_matches_python_and_sqlalchemy() {
        use ExcType::*;
        assert!(IntegrityError.is_subclass_of(DBAPIError));
        assert!(IntegrityError.is_subclass_of(SQLAlchemyError));
        assert!(IntegrityError.is_subclass_of(Exception));
        assert!(NoResultFound.is_subclass_of(InvalidRequestError));
        assert!(ResourceClosedError.is_subclass_of(InvalidRequestError));
        assert!(MemoryError.is_subclass_of(Exception));
        assert!(KeyError.is_subclass_of(LookupError));
        assert!(NoSuchColumnError.is_subclass_of(KeyError));
        assert!(!NameError.is_subclass_of(SQLAlchemyError));
        assert!(!KeyboardInterrupt.is_subclass_of(Exception));
        assert_eq!(
            ExcType::from_name("DetachedInstanceError"),
            Some(DetachedInstanceError)
        );
        assert_eq!(
            DetachedInstanceError.class_repr(),
            "<class 'sqlalchemy.orm.exc.DetachedInstanceError'>"
        );
        assert_eq!(ExcType::from_name("Nonsense"), None);
        assert!(!HasDescriptionCode.is_exception());
    }

    #[test]
    fn suggests_close_names_only() {
        let names = ["User", "Message", "session", "select"];
        assert_eq!(did_you_mean("Usr", names), Some("User".into()));
        assert_eq!(did_you_mean("user", names), Some("User".into()));
        assert_eq!(did_you_mean("sesion", names), Some("session".into()));
        assert_eq!(did_you_mean("xyz", names), None);
    }
}
