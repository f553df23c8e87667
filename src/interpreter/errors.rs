//! Python exceptions as the interpreter raises them: `NameError`,
//! `AttributeError`, `TypeError`, and SQLAlchemy's own (`IntegrityError`,
//! `DetachedInstanceError`, …), with the class hierarchy `except` matches on.

use crate::language::ast::Span;

/// A raised exception: its class name, message, and where it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct PyErr {
    /// Exception class name, e.g. `NameError`.
    pub type_name: String,
    pub message: String,
    /// The source span to point at, when it helps.
    pub span: Option<Span>,
    /// A plain-words hint ("did you mean 'User'?").
    pub hint: Option<String>,
}

/// Result of anything that can raise.
pub type PyResult<T> = Result<T, PyErr>;

impl PyErr {
    pub fn new(type_name: &str, message: impl Into<String>) -> PyErr {
        PyErr {
            type_name: type_name.to_string(),
            message: message.into(),
            span: None,
            hint: None,
        }
    }

    /// Attaches a span if the error has none yet (the innermost span wins).
    pub fn at(mut self, span: Span) -> PyErr {
        if self.span.is_none() {
            self.span = Some(span);
        }
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> PyErr {
        self.hint = Some(hint.into());
        self
    }

    /// True when this exception is an instance of the class `class` (its own
    /// class or an ancestor), as `except class:` tests.
    pub fn is_instance_of(&self, class: &str) -> bool {
        is_subclass(&self.type_name, class)
    }
}

pub fn type_error(message: impl Into<String>) -> PyErr {
    PyErr::new("TypeError", message)
}

pub fn value_error(message: impl Into<String>) -> PyErr {
    PyErr::new("ValueError", message)
}

pub fn attribute_error(message: impl Into<String>) -> PyErr {
    PyErr::new("AttributeError", message)
}

pub fn invalid_request(message: impl Into<String>) -> PyErr {
    PyErr::new("InvalidRequestError", message)
}

/// Every exception class the language knows, with its base class: Python's
/// built-ins and SQLAlchemy's (`sqlalchemy.exc`, `sqlalchemy.orm.exc`).
pub const EXCEPTION_CLASSES: &[(&str, &str)] = &[
    ("BaseException", ""),
    ("Exception", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("ArithmeticError", "Exception"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("RuntimeError", "Exception"),
    ("RecursionError", "RuntimeError"),
    ("NotImplementedError", "RuntimeError"),
    ("StopIteration", "Exception"),
    ("SyntaxError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("SQLAlchemyError", "Exception"),
    ("ArgumentError", "SQLAlchemyError"),
    ("NoSuchColumnError", "InvalidRequestError"),
    ("InvalidRequestError", "SQLAlchemyError"),
    ("NoResultFound", "InvalidRequestError"),
    ("MultipleResultsFound", "InvalidRequestError"),
    ("PendingRollbackError", "InvalidRequestError"),
    ("ObjectDeletedError", "InvalidRequestError"),
    ("UnmappedInstanceError", "InvalidRequestError"),
    ("DetachedInstanceError", "SQLAlchemyError"),
    ("StatementError", "SQLAlchemyError"),
    ("DBAPIError", "StatementError"),
    ("DatabaseError", "DBAPIError"),
    ("IntegrityError", "DatabaseError"),
    ("OperationalError", "DatabaseError"),
    ("ProgrammingError", "DatabaseError"),
    ("CompileError", "SQLAlchemyError"),
    ("StaleDataError", "SQLAlchemyError"),
    ("FlushError", "SQLAlchemyError"),
];

/// True when `name` is a known exception class.
pub fn is_exception_class(name: &str) -> bool {
    EXCEPTION_CLASSES.iter().any(|(n, _)| *n == name)
}

/// True when `class` is `ancestor` or derives from it.
pub fn is_subclass(class: &str, ancestor: &str) -> bool {
    let mut current = class;
    for _ in 0..EXCEPTION_CLASSES.len() + 1 {
        if current == ancestor {
            return true;
        }
        match EXCEPTION_CLASSES.iter().find(|(n, _)| *n == current) {
            Some((_, parent)) if !parent.is_empty() => current = parent,
            _ => return false,
        }
    }
    false
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
        assert!(is_subclass("IntegrityError", "DBAPIError"));
        assert!(is_subclass("IntegrityError", "SQLAlchemyError"));
        assert!(is_subclass("IntegrityError", "Exception"));
        assert!(is_subclass("NoResultFound", "InvalidRequestError"));
        assert!(is_subclass("KeyError", "LookupError"));
        assert!(!is_subclass("NameError", "SQLAlchemyError"));
        assert!(!is_subclass("Unknown", "Exception"));
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
