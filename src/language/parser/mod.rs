//! The parser: turns a learner's Python (a script, or one REPL entry) into
//! the statements of [`super::ast`], or a `SyntaxError` worded like
//! CPython 3.11's and pointing at the offending text.
//!
//! It works in two passes. The tokenizer (`lexer.rs`, small nom
//! parsers on `&str`) produces tokens with `NEWLINE`/`INDENT`/`DEDENT`
//! layout tokens, as CPython's does. The recursive-descent parser in the
//! modules below then reads the tokens, one method of `Parser` per
//! grammar production. It never
//! backtracks: an expression statement is parsed as an expression first,
//! and only a following `=` makes it an assignment target, which is then
//! checked. So parsing is linear in the input.
//!
//! Nothing in the input can crash the process: input over 1 MiB is
//! refused, brackets, unary operators and blocks nest at most 100 deep
//! (which bounds the recursion), and no expression tree grows deeper than
//! 300 levels (which keeps whoever walks or drops the tree within its
//! stack). Input that could nest deeper than a few levels is parsed on a
//! thread of its own, with a stack that the bounded recursion fits in even
//! unoptimised, so parsing is safe whatever the caller's stack (a test
//! thread's 2 MiB, say).
//!
//! # Grammar
//!
//! ```text
//! file_input     ::= (NEWLINE | statement)* ENDMARKER
//! statement      ::= compound_stmt | simple_stmts
//! simple_stmts   ::= simple_stmt (';' simple_stmt)* [';'] NEWLINE
//! simple_stmt    ::= 'pass' | 'break' | 'continue' | return_stmt | raise_stmt
//!                  | global_stmt | del_stmt | assert_stmt | import_name
//!                  | import_from | expr_stmt
//! expr_stmt      ::= testlist (augassign testlist | ('=' testlist)*)
//! augassign      ::= '+=' | '-=' | '*=' | '/=' | '//=' | '%=' | '**=' | '&=' | '|='
//! return_stmt    ::= 'return' [testlist]
//! raise_stmt     ::= 'raise' [test ['from' test]]
//! global_stmt    ::= 'global' NAME (',' NAME)*
//! del_stmt       ::= 'del' exprlist
//! assert_stmt    ::= 'assert' test [',' test]
//! import_name    ::= 'import' dotted_name ['as' NAME] (',' dotted_name ['as' NAME])*
//! import_from    ::= 'from' ('.'* dotted_name | '.'+) 'import'
//!                    ('*' | '(' import_names [','] ')' | import_names)
//! import_names   ::= NAME ['as' NAME] (',' NAME ['as' NAME])*
//! dotted_name    ::= NAME ('.' NAME)*
//!
//! compound_stmt  ::= if_stmt | while_stmt | for_stmt | try_stmt | with_stmt
//!                  | funcdef | classdef
//! if_stmt        ::= 'if' named_test ':' block ('elif' named_test ':' block)*
//!                    ['else' ':' block]
//! while_stmt     ::= 'while' named_test ':' block
//! for_stmt       ::= 'for' exprlist 'in' testlist ':' block
//! try_stmt       ::= 'try' ':' block (except_clause ':' block)+
//!                    ['else' ':' block] ['finally' ':' block]
//!                  | 'try' ':' block 'finally' ':' block
//! except_clause  ::= 'except' [test ['as' NAME]]
//! with_stmt      ::= 'with' with_item (',' with_item)* ':' block
//! with_item      ::= test ['as' bitor_expr]
//! funcdef        ::= 'def' NAME '(' [params] ')' ':' block
//! classdef       ::= 'class' NAME ['(' [arglist] ')'] ':' block
//! params         ::= NAME (',' NAME)* [',']
//! block          ::= simple_stmts | NEWLINE INDENT statement+ DEDENT
//!
//! named_test     ::= test                  (a following '=' is reported)
//! testlist       ::= test (',' test)* [',']
//! exprlist       ::= bitor_expr (',' bitor_expr)* [',']
//! test           ::= lambdef | or_test ['if' or_test 'else' test]
//! lambdef        ::= 'lambda' [params] ':' test
//! or_test        ::= and_test ('or' and_test)*
//! and_test       ::= not_test ('and' not_test)*
//! not_test       ::= 'not' not_test | comparison
//! comparison     ::= bitor_expr (comp_op bitor_expr)*
//! comp_op        ::= '<' | '>' | '==' | '>=' | '<=' | '!=' | 'in' | 'not' 'in'
//!                  | 'is' | 'is' 'not'
//! bitor_expr     ::= bitxor_expr ('|' bitxor_expr)*
//! bitxor_expr    ::= bitand_expr ('^' bitand_expr)*
//! bitand_expr    ::= shift_expr ('&' shift_expr)*
//! shift_expr     ::= arith_expr (('<<' | '>>') arith_expr)*
//! arith_expr     ::= term (('+' | '-') term)*
//! term           ::= factor (('*' | '/' | '//' | '%') factor)*
//! factor         ::= ('+' | '-' | '~') factor | power
//! power          ::= primary ['**' factor]
//! primary        ::= atom trailer*
//! trailer        ::= '(' [arglist] ')' | '[' subscript_list ']' | '.' NAME
//! arglist        ::= argument (',' argument)* [',']
//! argument       ::= NAME '=' test | test [comp_for]
//! subscript_list ::= subscript (',' subscript)* [',']
//! subscript      ::= test | [test] ':' [test] [':' [test]]
//! atom           ::= NAME | NUMBER | STRING+ | 'True' | 'False' | 'None'
//!                  | '(' [test (comp_for | (',' test)* [','])] ')'
//!                  | '[' [test (comp_for | (',' test)* [','])] ']'
//!                  | '{' [test ':' test (',' test ':' test)* [',']] '}'
//! comp_for       ::= 'for' exprlist 'in' or_test ('if' or_test)*
//! ```
//!
//! A generator expression (`sum(x for x in xs)`, `(x for x in xs)`) is
//! parsed as a list comprehension. An f-string's fields are parsed by a
//! nested parser over the field's own tokens.
//!
//! # Modules
//!
//! - this one: the entry points ([`parse_module`], [`is_incomplete`]), the
//!   stack and nesting limits, and the `Parser` state;
//! - `cursor`: reading tokens, spans, and the errors common to every
//!   production;
//! - `statements`: `file_input`, `statement`, the simple statements;
//! - `compound`: blocks and the compound statements, `def`'s parameters;
//! - `targets`: what can be assigned to or deleted;
//! - `expressions`: `testlist` down to `power`;
//! - `atoms`: `primary` (calls, subscripts, attributes) and `atom`
//!   (displays, comprehensions);
//! - `literals`: strings and f-strings.

use super::ast::{Expr, Keyword, Span, Stmt};
use super::error::SyntaxError;
use super::lexer::{self, LexErrorKind, MAX_SOURCE_LEN, Tok, Token};

mod atoms;
mod compound;
mod cursor;
mod expressions;
mod literals;
mod statements;
mod targets;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_decorators;

use targets::{TargetCtx, check_target, describe};

/// Deepest expression tree the parser builds.
const MAX_TREE_DEPTH: usize = 300;

/// Stack of the parser's thread. The nesting limits bound the recursion:
/// the deepest input (100 levels of blocks around 100 of brackets) takes
/// about 3 MiB in an unoptimised build, where a bracket level costs some
/// 30 KiB, and a fraction of that optimised. Only the pages
/// used are ever committed.
const PARSER_STACK: usize = 32 << 20;

/// Input whose recursion is bounded by this many levels is parsed on the
/// caller's thread: at most some 400 KiB of stack unoptimised.
const INLINE_NESTING: usize = 12;

type PResult<T> = Result<T, SyntaxError>;

thread_local! {
    /// The calling thread's stack has room for the parser's deepest
    /// recursion on top of its own work ([`parse_on_this_thread`]).
    static LARGE_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Declares that the calling thread runs on a stack of `size` bytes: when
/// that is at least four times [`PARSER_STACK`] (the tutor's own 256 MiB
/// thread), every input is parsed on it, without starting a thread for
/// deeply nested input (which cost the start of every `orm-tutor run`
/// a thread for the fixture's models).
pub fn parse_on_this_thread(size: usize) {
    LARGE_STACK.with(|large| large.set(size >= 4 * PARSER_STACK));
}

/// Parses a whole module (a script, or one REPL entry) into statements.
///
/// Errors are Python's `SyntaxError`s (`invalid syntax`, `'(' was never
/// closed`, `expected ':'`, …) with the span of the offending text.
pub fn parse_module(source: &str) -> Result<Vec<Stmt>, SyntaxError> {
    match parse_source(source) {
        Ok(parsed) => Ok(parsed.stmts),
        Err(Failure::Lex(e)) => Err(e.error),
        Err(Failure::Parse { error, .. }) => Err(error),
    }
}

/// True when `source` (the REPL lines typed so far, joined with `\n`)
/// needs more lines, like Python's interactive prompt: an open bracket, an
/// unterminated triple-quoted string, a trailing `\` continuation, or a
/// block (a line ending in `:`) not yet ended by an empty last line (truly
/// empty: as in Python, a line of spaces does not end a block). Input that
/// is simply wrong is complete, so that parsing it reports the error at
/// once: `x = )`, or a block header followed by an unindented line.
pub fn is_incomplete(source: &str) -> bool {
    let ends_with_empty_line = source
        .rsplit_once('\n')
        .is_some_and(|(_, last)| last.trim_end_matches('\r').is_empty());
    match parse_source(source) {
        Err(Failure::Lex(e)) => e.kind != LexErrorKind::Other,
        Err(Failure::Parse { at_end, .. }) => at_end && !ends_with_empty_line,
        Ok(parsed) => parsed.has_block && !ends_with_empty_line,
    }
}

/// A successful parse.
struct Parsed {
    stmts: Vec<Stmt>,
    /// Some line ends in `:` (a block header).
    has_block: bool,
}

/// Why a parse failed.
enum Failure {
    /// The tokenizer's error (which tells whether more input could help).
    Lex(lexer::LexError),
    /// The parser's; `at_end` when it ran out of input where more lines
    /// could follow (a block's body, an `except` clause).
    Parse { error: SyntaxError, at_end: bool },
}

/// Tokenizes and parses `source`. Input that could nest deeply is parsed
/// on a thread of its own, so that the caller's stack size does not
/// matter (the recursion is bounded to well within [`PARSER_STACK`]);
/// shallow input, most REPL entries, and any input on a thread that
/// declared a large stack ([`parse_on_this_thread`]), on the caller's
/// thread.
fn parse_source(source: &str) -> Result<Parsed, Failure> {
    if source.len() > MAX_SOURCE_LEN {
        return Err(Failure::Parse {
            error: SyntaxError::new("input too long (over 1 MiB)", Span::new(0, 0)),
            at_end: false,
        });
    }
    let tokens = lexer::tokenize(source).map_err(Failure::Lex)?;
    if LARGE_STACK.with(std::cell::Cell::get) || recursion_bound(&tokens) <= INLINE_NESTING {
        return parse_tokens(source, tokens);
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("parser".to_string())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || parse_tokens(source, tokens));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(Failure::Parse {
                    error: SyntaxError::new("internal error in the parser", Span::new(0, 0)),
                    at_end: false,
                })
            }),
            Err(e) => Err(Failure::Parse {
                error: SyntaxError::new(format!("cannot start the parser: {e}"), Span::new(0, 0)),
                at_end: false,
            }),
        }
    })
}

/// An upper bound on how deep the parser can recurse on `tokens`: it
/// enters each level at a token of its own (a bracket, a unary operator,
/// `**`, `not`, `lambda`, a conditional's `else`, an indented block), or
/// at a byte of an f-string (whose fields it parses).
fn recursion_bound(tokens: &[Token]) -> usize {
    tokens
        .iter()
        .map(|t| match t.tok {
            Tok::Op("(" | "[" | "{" | "-" | "+" | "~" | "**")
            | Tok::Keyword("not" | "lambda" | "else")
            | Tok::Indent => 1,
            Tok::Str(s) if s.fstring => s.body_end.saturating_sub(s.body_start),
            _ => 0,
        })
        .sum::<usize>()
        + 1
}

fn parse_tokens(source: &str, tokens: Vec<Token>) -> Result<Parsed, Failure> {
    let has_block = tokens
        .windows(2)
        .any(|pair| matches!(pair, [a, b] if a.tok == Tok::Op(":") && b.tok == Tok::Newline));
    let mut parser = Parser::new(source, tokens, 0);
    match parser.parse_file_input() {
        Ok(stmts) => Ok(Parsed { stmts, has_block }),
        Err(error) => Err(Failure::Parse {
            error,
            at_end: parser.at_end(),
        }),
    }
}

/// An expression being built, with the depth of its tree.
struct Node {
    expr: Expr,
    depth: usize,
}

/// A call's arguments, and the depth of the deepest.
struct Arguments {
    args: Vec<Node>,
    kwargs: Vec<Keyword>,
    depth: usize,
}

struct Parser<'s> {
    src: &'s str,
    toks: Vec<Token>,
    pos: usize,
    /// End of the last token consumed, layout tokens aside.
    last_end: usize,
    /// Brackets, unary operators and the like now open (bounds recursion).
    nesting: usize,
    /// Blocks now open (bounds the depth of the statement tree).
    blocks: usize,
    /// Loops around the current statement, inside the current function.
    loop_depth: usize,
    in_function: bool,
    /// Inside an `async def` body (where `await`, `async with` and `async
    /// for` are allowed; also at top level, as `python -m asyncio`).
    in_async_function: bool,
    /// The `def` being parsed follows `async`.
    next_def_async: bool,
    /// An `await` in a plain `def` not reported yet: inside a comprehension
    /// it is CPython's "asynchronous comprehension outside of an
    /// asynchronous function", else "'await' outside async function" at the
    /// end of its statement (or lambda).
    sync_await: Option<Span>,
}

fn max_depth(nodes: &[Node]) -> usize {
    nodes.iter().map(|n| n.depth).max().unwrap_or(0)
}

fn into_exprs(nodes: Vec<Node>) -> Vec<Expr> {
    nodes.into_iter().map(|n| n.expr).collect()
}

/// True when `tok` can begin an expression.
fn starts_expr(tok: Tok) -> bool {
    match tok {
        Tok::Name | Tok::Int(_) | Tok::BigInt(_) | Tok::Float(_) | Tok::Str(_) => true,
        Tok::Keyword(k) => {
            matches!(k, "True" | "False" | "None" | "not" | "lambda" | "await")
        }
        Tok::Op(op) => matches!(op, "(" | "[" | "{" | "-" | "+" | "~" | "*" | "..."),
        _ => false,
    }
}
