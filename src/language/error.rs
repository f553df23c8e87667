//! `SyntaxError`: what the parser reports, with the span of the offending
//! text — a real Python `SyntaxError`, or Python the tutor cannot run yet.

use super::ast::Span;

/// What a [`SyntaxError`] is: Python's own error, or a construct that is
/// valid Python but that the tutor does not support.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyntaxErrorKind {
    /// Python 3.11 would reject the code too: shown as `SyntaxError`.
    Syntax,
    /// Valid Python the tutor lacks: shown as `NotImplementedError:
    /// orm-tutor does not support … yet`, never as a Python error.
    Unsupported,
}

/// The parser's error: Python's `SyntaxError` (a message — `invalid
/// syntax`, `'(' was never closed`, `expected ':'`, … — and the byte span
/// it points at), or, with [`SyntaxErrorKind::Unsupported`], valid Python
/// the tutor cannot run yet.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub message: String,
    pub span: Span,
    pub kind: SyntaxErrorKind,
}

impl SyntaxError {
    /// Python's `SyntaxError` with this message at `span`.
    pub fn new(message: impl Into<String>, span: Span) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            span,
            kind: SyntaxErrorKind::Syntax,
        }
    }

    /// Valid Python the tutor lacks: `NotImplementedError: orm-tutor does
    /// not support {what} yet` at `span` (the same words as
    /// `PyErr::unsupported` at run time).
    pub fn unsupported(what: impl std::fmt::Display, span: Span) -> SyntaxError {
        SyntaxError {
            message: format!("orm-tutor does not support {what} yet"),
            span,
            kind: SyntaxErrorKind::Unsupported,
        }
    }

    /// The exception class shown before the message: `SyntaxError` or
    /// `NotImplementedError`.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            SyntaxErrorKind::Syntax => "SyntaxError",
            SyntaxErrorKind::Unsupported => "NotImplementedError",
        }
    }
}

impl std::fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.type_name(), self.message)
    }
}

impl std::error::Error for SyntaxError {}
