//! The tutor's language: a Python subset, parsed with nom into the syntax
//! tree of [`ast`]. Errors are Python's `SyntaxError`, with line and caret.

pub mod ast;
pub mod error;
pub mod highlight;
mod lexer;
pub mod parser;
mod prompts;
pub mod repr;
mod strings;
mod top_level;

pub use error::SyntaxError;
pub(crate) use lexer::line_of;
pub use parser::{is_incomplete, parse_module};
pub use prompts::strip_repl_prompts;
pub use top_level::split_top_level;
