//! The parser: turns a learner's Python (a script, or one REPL entry) into
//! the statements of [`super::ast`], or a `SyntaxError` worded like
//! CPython 3.11's and pointing at the offending text.
//!
//! It works in two passes. The tokenizer (`lexer.rs`, small nom
//! parsers on `&str`) produces tokens with `NEWLINE`/`INDENT`/`DEDENT`
//! layout tokens, as CPython's does. The recursive-descent parser below
//! then reads the tokens, one function per grammar production. It never
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
//! bitor_expr     ::= bitand_expr ('|' bitand_expr)*
//! bitand_expr    ::= arith_expr ('&' arith_expr)*
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

use super::ast::{
    BinOp, BoolOp, CmpOp, ExceptHandler, Expr, ExprKind, FStringPart, Import, ImportAlias, Keyword,
    Span, Stmt, StmtKind, UnaryOp, WithItem,
};
use super::error::SyntaxError;
use super::lexer::{self, LexErrorKind, MAX_NESTING, MAX_SOURCE_LEN, Tok, Token};
use super::strings::{self, FPiece};

#[cfg(test)]
mod tests;

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
/// shallow input, most REPL entries, on the caller's thread.
fn parse_source(source: &str) -> Result<Parsed, Failure> {
    if source.len() > MAX_SOURCE_LEN {
        return Err(Failure::Parse {
            error: SyntaxError::new("input too long (over 1 MiB)", Span::new(0, 0)),
            at_end: false,
        });
    }
    let tokens = lexer::tokenize(source).map_err(Failure::Lex)?;
    if recursion_bound(&tokens) <= INLINE_NESTING {
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

/// Where an expression is being assigned to, for the error's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TargetCtx {
    /// `target = value`
    Assign,
    /// `for target in …`, `with … as target`
    Bind,
    /// `del target`
    Del,
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
        Tok::Name | Tok::Int(_) | Tok::Float(_) | Tok::Str(_) => true,
        Tok::Keyword(k) => matches!(k, "True" | "False" | "None" | "not" | "lambda"),
        Tok::Op(op) => matches!(op, "(" | "[" | "{" | "-" | "+" | "~" | "*" | "..."),
        _ => false,
    }
}

/// The binary operator of an augmented assignment (`+=` → `Add`).
fn augassign_op(op: &str) -> Option<BinOp> {
    Some(match op {
        "+=" => BinOp::Add,
        "-=" => BinOp::Sub,
        "*=" => BinOp::Mul,
        "/=" => BinOp::Div,
        "//=" => BinOp::FloorDiv,
        "%=" => BinOp::Mod,
        "**=" => BinOp::Pow,
        "&=" => BinOp::BitAnd,
        "|=" => BinOp::BitOr,
        _ => return None,
    })
}

/// What CPython calls an expression in "cannot assign to …".
fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::None => "None",
        ExprKind::Bool(true) => "True",
        ExprKind::Bool(false) => "False",
        ExprKind::Int(_) | ExprKind::Float(_) | ExprKind::Str(_) => "literal",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Name(_) => "name",
        ExprKind::List(_) => "list",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::Slice { .. } => "slice",
        ExprKind::Call { .. } => "function call",
        ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } | ExprKind::BoolOp { .. } => "expression",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::Lambda { .. } => "lambda",
    }
}

/// Checks that `e` can be assigned to (or deleted): a name, attribute,
/// subscript, or a tuple or list of those.
fn check_target(e: &Expr, ctx: TargetCtx) -> PResult<()> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().try_for_each(|item| check_target(item, ctx))
        }
        kind => {
            let what = describe(e);
            let message = match (ctx, kind) {
                (TargetCtx::Del, _) => format!("cannot delete {what}"),
                (_, ExprKind::Bool(_) | ExprKind::None) | (TargetCtx::Bind, _) => {
                    format!("cannot assign to {what}")
                }
                (TargetCtx::Assign, _) => {
                    format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?")
                }
            };
            Err(SyntaxError::new(message, e.span))
        }
    }
}

/// Appends literal text to f-string parts, merging adjacent literals.
fn push_literal(parts: &mut Vec<FStringPart>, text: String) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(FStringPart::Literal(last)) => last.push_str(&text),
        _ => parts.push(FStringPart::Literal(text)),
    }
}

/// Prefixes an error inside an f-string field with `f-string: `.
fn in_fstring(mut e: SyntaxError) -> SyntaxError {
    if !e.message.starts_with("f-string") {
        e.message = format!("f-string: {}", e.message);
    }
    e
}

impl<'s> Parser<'s> {
    fn new(src: &'s str, toks: Vec<Token>, start: usize) -> Parser<'s> {
        Parser {
            src,
            toks,
            pos: 0,
            last_end: start,
            nesting: 0,
            blocks: 0,
            loop_depth: 0,
            in_function: false,
        }
    }

    // ----- token helpers -----

    /// The current token (the token list always ends with `ENDMARKER`,
    /// which is never consumed).
    fn tok(&self) -> Token {
        let end = Span::new(self.src.len(), self.src.len());
        self.toks
            .get(self.pos)
            .or(self.toks.last())
            .copied()
            .unwrap_or(Token {
                tok: Tok::EndMarker,
                span: end,
            })
    }

    fn peek(&self) -> Tok {
        self.tok().tok
    }

    fn peek_at(&self, n: usize) -> Tok {
        self.toks
            .get(self.pos + n)
            .map_or(Tok::EndMarker, |t| t.tok)
    }

    /// Where the current token starts.
    fn start(&self) -> usize {
        self.tok().span.start
    }

    /// Consumes the current token and returns it.
    fn advance(&mut self) -> Token {
        let t = self.tok();
        if t.tok != Tok::EndMarker {
            self.pos += 1;
        }
        if !matches!(
            t.tok,
            Tok::Newline | Tok::Indent | Tok::Dedent | Tok::EndMarker
        ) {
            self.last_end = t.span.end;
        }
        t
    }

    fn at_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if o == op)
    }

    fn at_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Keyword(k) if k == kw)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let found = self.at_op(op);
        if found {
            self.advance();
        }
        found
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let found = self.at_kw(kw);
        if found {
            self.advance();
        }
        found
    }

    fn expect_op(&mut self, op: &str) -> PResult<Token> {
        if self.at_op(op) {
            Ok(self.advance())
        } else {
            Err(self.unexpected())
        }
    }

    fn expect_colon(&mut self) -> PResult<()> {
        if self.eat_op(":") {
            Ok(())
        } else {
            Err(SyntaxError::new("expected ':'", self.tok().span))
        }
    }

    fn expect_name(&mut self) -> PResult<String> {
        if self.peek() == Tok::Name {
            let t = self.advance();
            Ok(self.text(t.span).to_string())
        } else {
            Err(self.unexpected())
        }
    }

    /// True when only the layout tokens closing the input are left.
    fn at_end(&self) -> bool {
        matches!(self.peek(), Tok::EndMarker | Tok::Dedent) && self.start() >= self.src.len()
    }

    /// True at the end of a simple statement.
    fn at_simple_stmt_end(&self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::EndMarker | Tok::Op(";"))
    }

    fn text(&self, span: Span) -> &'s str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// The span from `start` to the end of the last token consumed.
    fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.last_end.max(start))
    }

    /// The error for a token that cannot come here: `invalid syntax`, or a
    /// clearer message for tokens of Python the tutor does not support.
    fn unexpected(&self) -> SyntaxError {
        let t = self.tok();
        let message = match t.tok {
            Tok::Indent => "unexpected indent".to_string(),
            Tok::Op(op @ ("^" | "<<" | ">>" | "@" | "^=" | "<<=" | ">>=" | "@=")) => {
                format!("the '{op}' operator is not supported by the tutor")
            }
            Tok::Op(":=") => "the ':=' operator is not supported by the tutor".to_string(),
            Tok::Op("...") => {
                "'...' (Ellipsis) is not supported by the tutor; use 'pass'".to_string()
            }
            Tok::Keyword(k @ ("yield" | "async" | "await" | "nonlocal")) => {
                format!("'{k}' is not supported by the tutor")
            }
            _ => "invalid syntax".to_string(),
        };
        SyntaxError::new(message, t.span)
    }

    /// The error when, inside brackets, the element that started at
    /// `elem_start` is followed by something other than `,` or the
    /// closing bracket. Another expression there is most likely a missing
    /// comma (`print(a b)`).
    fn missing_comma(&mut self, elem_start: usize) -> SyntaxError {
        if !starts_expr(self.peek()) || self.at_op("*") || self.at_op("...") {
            return self.unexpected();
        }
        let next = self.tok();
        let end = match self.parse_test() {
            Ok(_) => self.last_end,
            Err(_) => next.span.end,
        };
        SyntaxError::new(
            "invalid syntax. Perhaps you forgot a comma?",
            Span::new(elem_start, end),
        )
    }

    /// Makes an expression node, refusing trees deeper than
    /// [`MAX_TREE_DEPTH`].
    fn node(&self, kind: ExprKind, span: Span, depth: usize) -> PResult<Node> {
        if depth > MAX_TREE_DEPTH {
            return Err(SyntaxError::new(
                format!("expression too complex (nested more than {MAX_TREE_DEPTH} levels deep)"),
                span,
            ));
        }
        Ok(Node {
            expr: Expr { kind, span },
            depth,
        })
    }

    /// Runs `f` one nesting level deeper (a bracket when `bracket`, else
    /// an operator), refusing more than [`MAX_NESTING`] levels.
    fn nested<T>(&mut self, bracket: bool, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.nesting >= MAX_NESTING {
            let message = if bracket {
                "too many nested parentheses"
            } else {
                "too many nested operators (over 100)"
            };
            return Err(SyntaxError::new(message, self.tok().span));
        }
        self.nesting += 1;
        let result = f(self);
        self.nesting -= 1;
        result
    }

    // ----- statements -----

    /// `file_input ::= (NEWLINE | statement)* ENDMARKER`
    fn parse_file_input(&mut self) -> PResult<Vec<Stmt>> {
        let mut body = Vec::new();
        loop {
            match self.peek() {
                Tok::EndMarker => return Ok(body),
                Tok::Newline | Tok::Dedent => {
                    self.advance();
                }
                _ => body.extend(self.parse_statement()?),
            }
        }
    }

    /// `statement ::= compound_stmt | simple_stmts`
    fn parse_statement(&mut self) -> PResult<Vec<Stmt>> {
        let stmt = match self.peek() {
            Tok::Indent => return Err(self.unexpected()),
            Tok::Keyword("if") => self.parse_if_stmt()?,
            Tok::Keyword("while") => self.parse_while_stmt()?,
            Tok::Keyword("for") => self.parse_for_stmt()?,
            Tok::Keyword("try") => self.parse_try_stmt()?,
            Tok::Keyword("with") => self.parse_with_stmt()?,
            Tok::Keyword("def") => self.parse_funcdef()?,
            Tok::Keyword("class") => self.parse_classdef()?,
            Tok::Op("@") => {
                return Err(SyntaxError::new(
                    "decorators are not supported by the tutor",
                    self.tok().span,
                ));
            }
            _ => return self.parse_simple_stmts(),
        };
        Ok(vec![stmt])
    }

    /// `simple_stmts ::= simple_stmt (';' simple_stmt)* [';'] NEWLINE`
    fn parse_simple_stmts(&mut self) -> PResult<Vec<Stmt>> {
        let mut stmts = vec![self.parse_simple_stmt()?];
        while self.eat_op(";") {
            if matches!(self.peek(), Tok::Newline | Tok::EndMarker) {
                break;
            }
            stmts.push(self.parse_simple_stmt()?);
        }
        match self.peek() {
            Tok::Newline => {
                self.advance();
                Ok(stmts)
            }
            Tok::EndMarker => Ok(stmts),
            _ => Err(self.unexpected()),
        }
    }

    /// `simple_stmt`: one statement on a line.
    fn parse_simple_stmt(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let kind = match self.peek() {
            Tok::Keyword("pass") => {
                self.advance();
                StmtKind::Pass
            }
            Tok::Keyword("break") => {
                let kw = self.advance();
                if self.loop_depth == 0 {
                    return Err(SyntaxError::new("'break' outside loop", kw.span));
                }
                StmtKind::Break
            }
            Tok::Keyword("continue") => {
                let kw = self.advance();
                if self.loop_depth == 0 {
                    return Err(SyntaxError::new("'continue' not properly in loop", kw.span));
                }
                StmtKind::Continue
            }
            Tok::Keyword("return") => self.parse_return_stmt()?,
            Tok::Keyword("raise") => self.parse_raise_stmt()?,
            Tok::Keyword("global") => self.parse_global_stmt()?,
            Tok::Keyword("del") => self.parse_del_stmt()?,
            Tok::Keyword("assert") => self.parse_assert_stmt()?,
            Tok::Keyword("import") => self.parse_import_name()?,
            Tok::Keyword("from") => self.parse_import_from()?,
            Tok::Keyword("nonlocal" | "yield" | "await" | "async") => {
                return Err(self.unexpected());
            }
            _ => self.parse_expr_stmt()?,
        };
        Ok(Stmt {
            kind,
            span: self.span_from(start),
        })
    }

    /// `expr_stmt ::= testlist (augassign testlist | ('=' testlist)*)`
    fn parse_expr_stmt(&mut self) -> PResult<StmtKind> {
        let first = self.parse_testlist()?;
        if self.at_op("=") {
            let mut targets = vec![first];
            let value = loop {
                self.advance();
                let rhs = self.parse_testlist()?;
                if !self.at_op("=") {
                    break rhs;
                }
                targets.push(rhs);
            };
            for target in &targets {
                check_target(&target.expr, TargetCtx::Assign)?;
            }
            return Ok(StmtKind::Assign {
                targets: into_exprs(targets),
                value: value.expr,
            });
        }
        if let Tok::Op(op) = self.peek()
            && let Some(op) = augassign_op(op)
        {
            let target = first.expr;
            if !matches!(
                target.kind,
                ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. }
            ) {
                return Err(SyntaxError::new(
                    format!(
                        "'{}' is an illegal expression for augmented assignment",
                        describe(&target)
                    ),
                    target.span,
                ));
            }
            self.advance();
            let value = self.parse_testlist()?.expr;
            return Ok(StmtKind::AugAssign { target, op, value });
        }
        if self.at_op(":") {
            return Err(SyntaxError::new(
                "variable annotations are not supported by the tutor",
                self.tok().span,
            ));
        }
        if let ExprKind::Name(name) = &first.expr.kind
            && (name == "print" || name == "exec")
            && starts_expr(self.peek())
        {
            return Err(SyntaxError::new(
                format!("Missing parentheses in call to '{name}'. Did you mean {name}(...)?"),
                Span::new(first.expr.span.start, self.tok().span.end),
            ));
        }
        Ok(StmtKind::Expr(first.expr))
    }

    /// `return_stmt ::= 'return' [testlist]`
    fn parse_return_stmt(&mut self) -> PResult<StmtKind> {
        let kw = self.advance();
        if !self.in_function {
            return Err(SyntaxError::new("'return' outside function", kw.span));
        }
        let value = if self.at_simple_stmt_end() {
            None
        } else {
            Some(self.parse_testlist()?.expr)
        };
        Ok(StmtKind::Return(value))
    }

    /// `raise_stmt ::= 'raise' [test ['from' test]]` (the cause after
    /// `from` is parsed and dropped).
    fn parse_raise_stmt(&mut self) -> PResult<StmtKind> {
        self.advance();
        if self.at_simple_stmt_end() {
            return Ok(StmtKind::Raise(None));
        }
        let exc = self.parse_test()?.expr;
        if self.eat_kw("from") {
            self.parse_test()?;
        }
        Ok(StmtKind::Raise(Some(exc)))
    }

    /// `global_stmt ::= 'global' NAME (',' NAME)*`
    fn parse_global_stmt(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut names = vec![self.expect_name()?];
        while self.eat_op(",") {
            names.push(self.expect_name()?);
        }
        Ok(StmtKind::Global(names))
    }

    /// `del_stmt ::= 'del' exprlist`
    fn parse_del_stmt(&mut self) -> PResult<StmtKind> {
        self.advance();
        let (targets, _) = self.parse_exprlist_items()?;
        for target in &targets {
            check_target(&target.expr, TargetCtx::Del)?;
        }
        Ok(StmtKind::Delete(into_exprs(targets)))
    }

    /// `assert_stmt ::= 'assert' test [',' test]`
    fn parse_assert_stmt(&mut self) -> PResult<StmtKind> {
        self.advance();
        let test = self.parse_test()?.expr;
        let msg = if self.eat_op(",") {
            Some(self.parse_test()?.expr)
        } else {
            None
        };
        Ok(StmtKind::Assert { test, msg })
    }

    /// `dotted_name ::= NAME ('.' NAME)*`
    fn parse_dotted_name(&mut self) -> PResult<Vec<String>> {
        let mut parts = vec![self.expect_name()?];
        while self.eat_op(".") {
            parts.push(self.expect_name()?);
        }
        Ok(parts)
    }

    /// `import_name ::= 'import' dotted_name ['as' NAME] (',' …)*`: binds
    /// the alias, or the first part of the dotted name.
    fn parse_import_name(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut names = Vec::new();
        loop {
            let name = self.parse_dotted_name()?.join(".");
            let asname = if self.eat_kw("as") {
                Some(self.expect_name()?)
            } else {
                None
            };
            names.push(ImportAlias { name, asname });
            if !self.eat_op(",") {
                return Ok(StmtKind::Import(Import { from: None, names }));
            }
        }
    }

    /// `import_from ::= 'from' module 'import' ('*' | names | '(' names ')')`:
    /// binds each imported name or its alias (`*` for a star import).
    fn parse_import_from(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut dots = 0;
        while self.eat_op(".") || self.eat_op("...") {
            dots += 1;
        }
        let mut module = String::new();
        if dots == 0 || self.peek() == Tok::Name {
            module = self.parse_dotted_name()?.join(".");
        }
        if !self.eat_kw("import") {
            return Err(self.unexpected());
        }
        let from = Some((dots, module));
        if self.eat_op("*") {
            let names = vec![ImportAlias {
                name: "*".to_string(),
                asname: None,
            }];
            return Ok(StmtKind::Import(Import { from, names }));
        }
        let parens = self.eat_op("(");
        let mut names = Vec::new();
        loop {
            let name = self.expect_name()?;
            let asname = if self.eat_kw("as") {
                Some(self.expect_name()?)
            } else {
                None
            };
            names.push(ImportAlias { name, asname });
            if !self.at_op(",") {
                break;
            }
            let comma = self.advance();
            if parens && self.at_op(")") {
                break;
            }
            if !parens && self.at_simple_stmt_end() {
                return Err(SyntaxError::new(
                    "trailing comma not allowed without surrounding parentheses",
                    comma.span,
                ));
            }
        }
        if parens {
            self.expect_op(")")?;
        }
        Ok(StmtKind::Import(Import { from, names }))
    }

    /// `block ::= simple_stmts | NEWLINE INDENT statement+ DEDENT`, the
    /// body of the `what` whose header starts at `header_start`.
    fn parse_block(&mut self, what: &str, header_start: usize) -> PResult<Vec<Stmt>> {
        if self.blocks >= MAX_NESTING {
            return Err(SyntaxError::new(
                "too many nested blocks (over 100)",
                self.tok().span,
            ));
        }
        self.blocks += 1;
        let result = self.parse_block_body(what, header_start);
        self.blocks -= 1;
        result
    }

    fn parse_block_body(&mut self, what: &str, header_start: usize) -> PResult<Vec<Stmt>> {
        if self.peek() != Tok::Newline {
            return self.parse_simple_stmts();
        }
        self.advance();
        if self.peek() != Tok::Indent {
            let line = lexer::line_of(self.src, header_start);
            return Err(SyntaxError::new(
                format!("expected an indented block after {what} on line {line}"),
                self.tok().span,
            ));
        }
        self.advance();
        let mut body = Vec::new();
        while !matches!(self.peek(), Tok::Dedent | Tok::EndMarker) {
            body.extend(self.parse_statement()?);
        }
        if self.peek() == Tok::Dedent {
            self.advance();
        }
        Ok(body)
    }

    /// Runs `f` (a loop's body) with one more loop open.
    fn in_loop<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.loop_depth += 1;
        let result = f(self);
        self.loop_depth -= 1;
        result
    }

    /// Refuses `else` after a loop's body.
    fn no_loop_else(&self) -> PResult<()> {
        if self.at_kw("else") {
            return Err(SyntaxError::new(
                "'else' after a loop is not supported by the tutor",
                self.tok().span,
            ));
        }
        Ok(())
    }

    /// `if_stmt ::= 'if' named_test ':' block ('elif' named_test ':' block)*
    /// ['else' ':' block]`; each `elif` is an `If` alone in the `orelse`
    /// of the clause before it.
    fn parse_if_stmt(&mut self) -> PResult<Stmt> {
        let saved = self.blocks;
        let result = self.parse_if_clauses();
        self.blocks = saved;
        result
    }

    fn parse_if_clauses(&mut self) -> PResult<Stmt> {
        let mut clauses = Vec::new();
        let mut word = "if";
        loop {
            let kw = self.advance();
            let test = self.parse_named_test()?.expr;
            self.expect_colon()?;
            let body = self.parse_block(&format!("'{word}' statement"), kw.span.start)?;
            clauses.push((kw.span.start, test, body));
            if !self.at_kw("elif") {
                break;
            }
            word = "elif";
            // Each `elif` nests one level deeper in the tree.
            if self.blocks >= MAX_NESTING {
                return Err(SyntaxError::new(
                    "too many nested blocks (over 100)",
                    self.tok().span,
                ));
            }
            self.blocks += 1;
        }
        let mut orelse = Vec::new();
        if self.at_kw("else") {
            let kw = self.advance();
            self.expect_colon()?;
            orelse = self.parse_block("'else' statement", kw.span.start)?;
        }
        let end = self.last_end;
        let mut stmt = None;
        for (start, test, body) in clauses.into_iter().rev() {
            let orelse = match stmt.take() {
                Some(inner) => vec![inner],
                None => std::mem::take(&mut orelse),
            };
            stmt = Some(Stmt {
                kind: StmtKind::If { test, body, orelse },
                span: Span::new(start, end),
            });
        }
        stmt.ok_or_else(|| SyntaxError::new("invalid syntax", Span::new(end, end)))
    }

    /// `while_stmt ::= 'while' named_test ':' block`
    fn parse_while_stmt(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let test = self.parse_named_test()?.expr;
        self.expect_colon()?;
        let body = self.in_loop(|p| p.parse_block("'while' statement", kw.span.start))?;
        self.no_loop_else()?;
        Ok(Stmt {
            kind: StmtKind::While { test, body },
            span: self.span_from(kw.span.start),
        })
    }

    /// `for_stmt ::= 'for' exprlist 'in' testlist ':' block`
    fn parse_for_stmt(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let target = self.parse_exprlist()?.expr;
        check_target(&target, TargetCtx::Bind)?;
        if !self.eat_kw("in") {
            return Err(self.unexpected());
        }
        let iter = self.parse_testlist()?.expr;
        self.expect_colon()?;
        let body = self.in_loop(|p| p.parse_block("'for' statement", kw.span.start))?;
        self.no_loop_else()?;
        Ok(Stmt {
            kind: StmtKind::For { target, iter, body },
            span: self.span_from(kw.span.start),
        })
    }

    /// `try_stmt ::= 'try' ':' block (except_clause ':' block)+
    /// ['else' ':' block] ['finally' ':' block] | 'try' ':' block 'finally' ':' block`
    fn parse_try_stmt(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        self.expect_colon()?;
        let body = self.parse_block("'try' statement", kw.span.start)?;
        let mut handlers: Vec<ExceptHandler> = Vec::new();
        while self.at_kw("except") {
            if let Some(bare) = handlers.last().filter(|h| h.type_.is_none()) {
                return Err(SyntaxError::new(
                    "default 'except:' must be last",
                    bare.span,
                ));
            }
            handlers.push(self.parse_except_clause()?);
        }
        let mut orelse = Vec::new();
        if !handlers.is_empty() && self.at_kw("else") {
            let else_kw = self.advance();
            self.expect_colon()?;
            orelse = self.parse_block("'else' statement", else_kw.span.start)?;
        }
        let mut finalbody = Vec::new();
        let mut has_finally = false;
        if self.at_kw("finally") {
            let finally_kw = self.advance();
            self.expect_colon()?;
            finalbody = self.parse_block("'finally' statement", finally_kw.span.start)?;
            has_finally = true;
        }
        if handlers.is_empty() && !has_finally {
            return Err(SyntaxError::new(
                "expected 'except' or 'finally' block",
                self.tok().span,
            ));
        }
        Ok(Stmt {
            kind: StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            },
            span: self.span_from(kw.span.start),
        })
    }

    /// `except_clause ':' block` with `except_clause ::= 'except' [test ['as' NAME]]`
    fn parse_except_clause(&mut self) -> PResult<ExceptHandler> {
        let kw = self.advance();
        let mut type_ = None;
        let mut name = None;
        if self.at_op("*") {
            return Err(SyntaxError::new(
                "'except*' is not supported by the tutor",
                self.tok().span,
            ));
        }
        if !self.at_op(":") {
            let start = self.start();
            let exc = self.parse_test()?;
            if self.at_op(",") {
                while self.eat_op(",") && starts_expr(self.peek()) {
                    self.parse_test()?;
                }
                return Err(SyntaxError::new(
                    "multiple exception types must be parenthesized",
                    self.span_from(start),
                ));
            }
            type_ = Some(exc.expr);
            if self.eat_kw("as") {
                name = Some(self.expect_name()?);
            }
        }
        self.expect_colon()?;
        let body = self.parse_block("'except' statement", kw.span.start)?;
        Ok(ExceptHandler {
            type_,
            name,
            body,
            span: self.span_from(kw.span.start),
        })
    }

    /// `with_stmt ::= 'with' with_item (',' with_item)* ':' block`
    fn parse_with_stmt(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let mut items = Vec::new();
        loop {
            let context = self.parse_test()?.expr;
            let target = if self.eat_kw("as") {
                let target = self.parse_bitor_expr()?.expr;
                check_target(&target, TargetCtx::Bind)?;
                Some(target)
            } else {
                None
            };
            items.push(WithItem { context, target });
            if !self.eat_op(",") {
                break;
            }
        }
        self.expect_colon()?;
        let body = self.parse_block("'with' statement", kw.span.start)?;
        Ok(Stmt {
            kind: StmtKind::With { items, body },
            span: self.span_from(kw.span.start),
        })
    }

    /// Parses a class or function body: loops outside it do not count,
    /// and `return` is allowed only in a function.
    fn parse_def_body(
        &mut self,
        what: &str,
        header_start: usize,
        function: bool,
    ) -> PResult<Vec<Stmt>> {
        let saved = (self.loop_depth, self.in_function);
        self.loop_depth = 0;
        self.in_function = function;
        let body = self.parse_block(what, header_start);
        (self.loop_depth, self.in_function) = saved;
        body
    }

    /// `funcdef ::= 'def' NAME '(' [params] ')' ':' block`
    fn parse_funcdef(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let name = self.expect_name()?;
        if !self.eat_op("(") {
            return Err(SyntaxError::new("expected '('", self.tok().span));
        }
        let (params, defaults) = self.parse_params(")")?;
        self.expect_op(")")?;
        if self.at_op("->") {
            return Err(SyntaxError::new(
                "return annotations are not supported by the tutor",
                self.tok().span,
            ));
        }
        self.expect_colon()?;
        let body = self.parse_def_body("function definition", kw.span.start, true)?;
        Ok(Stmt {
            kind: StmtKind::FunctionDef {
                name,
                params,
                defaults,
                body,
            },
            span: self.span_from(kw.span.start),
        })
    }

    /// `params ::= NAME ['=' test] (',' NAME ['=' test])* [',']`, up to
    /// `closer` (`)` for a `def`, `:` for a `lambda`); returns the names and
    /// the defaults of the last ones.
    fn parse_params(&mut self, closer: &str) -> PResult<(Vec<String>, Vec<Expr>)> {
        let mut params: Vec<String> = Vec::new();
        let mut defaults: Vec<Expr> = Vec::new();
        while !self.at_op(closer) {
            let t = self.tok();
            match t.tok {
                Tok::Name => {
                    self.advance();
                    let name = self.text(t.span).to_string();
                    if params.contains(&name) {
                        return Err(SyntaxError::new(
                            format!("duplicate argument '{name}' in function definition"),
                            t.span,
                        ));
                    }
                    params.push(name);
                }
                Tok::Op("*" | "**" | "/") => {
                    return Err(SyntaxError::new(
                        "'*args', '**kwargs' and '/' parameters are not supported by the tutor",
                        t.span,
                    ));
                }
                _ => return Err(self.unexpected()),
            }
            if self.eat_op("=") {
                let value = self.nested(false, Self::parse_test)?;
                defaults.push(value.expr);
            } else if !defaults.is_empty() {
                let span = self.tok().span;
                return Err(SyntaxError::new(
                    "non-default argument follows default argument",
                    span,
                ));
            }
            if closer == ")" && self.at_op(":") {
                return Err(SyntaxError::new(
                    "parameter annotations are not supported by the tutor",
                    self.tok().span,
                ));
            }
            if !self.eat_op(",") {
                break;
            }
        }
        Ok((params, defaults))
    }

    /// `classdef ::= 'class' NAME ['(' [arglist] ')'] ':' block`
    fn parse_classdef(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let name = self.expect_name()?;
        let mut bases = Vec::new();
        if self.at_op("(") {
            let args = self.nested(true, Self::parse_arglist)?;
            if let Some(k) = args.kwargs.first() {
                return Err(SyntaxError::new(
                    "keyword arguments in a class definition are not supported by the tutor",
                    k.span,
                ));
            }
            bases = into_exprs(args.args);
        }
        self.expect_colon()?;
        let body = self.parse_def_body("class definition", kw.span.start, false)?;
        Ok(Stmt {
            kind: StmtKind::ClassDef { name, bases, body },
            span: self.span_from(kw.span.start),
        })
    }

    // ----- expressions -----

    /// `testlist ::= test (',' test)* [',']`: a bare tuple when there is
    /// a comma.
    fn parse_testlist(&mut self) -> PResult<Node> {
        let start = self.start();
        let first = self.parse_test()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if !starts_expr(self.peek()) {
                break;
            }
            items.push(self.parse_test()?);
        }
        self.sequence(items, ExprKind::Tuple, start)
    }

    /// `exprlist ::= bitor_expr (',' bitor_expr)* [',']`, as its items and
    /// whether a comma was seen.
    fn parse_exprlist_items(&mut self) -> PResult<(Vec<Node>, bool)> {
        let mut items = vec![self.parse_bitor_expr()?];
        let mut comma = false;
        while self.eat_op(",") {
            comma = true;
            if !starts_expr(self.peek()) {
                break;
            }
            items.push(self.parse_bitor_expr()?);
        }
        Ok((items, comma))
    }

    /// `exprlist`, as one expression (a tuple when there is a comma).
    fn parse_exprlist(&mut self) -> PResult<Node> {
        let start = self.start();
        let (mut items, comma) = self.parse_exprlist_items()?;
        if !comma
            && items.len() == 1
            && let Some(only) = items.pop()
        {
            return Ok(only);
        }
        self.sequence(items, ExprKind::Tuple, start)
    }

    /// A tuple or list node of `items`, spanning from `start`.
    fn sequence(
        &self,
        items: Vec<Node>,
        make: fn(Vec<Expr>) -> ExprKind,
        start: usize,
    ) -> PResult<Node> {
        let depth = 1 + max_depth(&items);
        self.node(make(into_exprs(items)), self.span_from(start), depth)
    }

    /// `named_test ::= test`, for `if`/`while` conditions, where a `=`
    /// after the test is a likely slip for `==`.
    fn parse_named_test(&mut self) -> PResult<Node> {
        let start = self.start();
        let test = self.parse_test()?;
        if self.at_op("=") {
            self.advance();
            let _ = self.parse_test();
            return Err(SyntaxError::new(
                "invalid syntax. Maybe you meant '==' or ':=' instead of '='?",
                self.span_from(start),
            ));
        }
        Ok(test)
    }

    /// `test ::= lambdef | or_test ['if' or_test 'else' test]`
    fn parse_test(&mut self) -> PResult<Node> {
        if self.at_kw("lambda") {
            return self.parse_lambdef();
        }
        let start = self.start();
        let body = self.parse_or_test()?;
        if !self.eat_kw("if") {
            return Ok(body);
        }
        let test = self.parse_or_test()?;
        if !self.eat_kw("else") {
            return Err(SyntaxError::new(
                "expected 'else' after 'if' expression",
                self.span_from(start),
            ));
        }
        let orelse = self.nested(false, Self::parse_test)?;
        let depth = 1 + body.depth.max(test.depth).max(orelse.depth);
        let kind = ExprKind::IfExp {
            test: Box::new(test.expr),
            body: Box::new(body.expr),
            orelse: Box::new(orelse.expr),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// `lambdef ::= 'lambda' [params] ':' test`
    fn parse_lambdef(&mut self) -> PResult<Node> {
        let start = self.start();
        self.advance();
        let (params, defaults) = self.parse_params(":")?;
        self.expect_colon()?;
        let body = self.nested(false, Self::parse_test)?;
        let depth = 1 + body.depth;
        let kind = ExprKind::Lambda {
            params,
            defaults,
            body: Box::new(body.expr),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// `or_test ::= and_test ('or' and_test)*`
    fn parse_or_test(&mut self) -> PResult<Node> {
        self.parse_bool_op("or", BoolOp::Or, Self::parse_and_test)
    }

    /// `and_test ::= not_test ('and' not_test)*`
    fn parse_and_test(&mut self) -> PResult<Node> {
        self.parse_bool_op("and", BoolOp::And, Self::parse_not_test)
    }

    /// `operand (keyword operand)*` as one `BoolOp` node.
    fn parse_bool_op(
        &mut self,
        keyword: &str,
        op: BoolOp,
        operand: fn(&mut Self) -> PResult<Node>,
    ) -> PResult<Node> {
        let start = self.start();
        let first = operand(self)?;
        if !self.at_kw(keyword) {
            return Ok(first);
        }
        let mut values = vec![first];
        while self.eat_kw(keyword) {
            values.push(operand(self)?);
        }
        let depth = 1 + max_depth(&values);
        let kind = ExprKind::BoolOp {
            op,
            values: into_exprs(values),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// `not_test ::= 'not' not_test | comparison`
    fn parse_not_test(&mut self) -> PResult<Node> {
        if !self.at_kw("not") {
            return self.parse_comparison();
        }
        let start = self.start();
        let operand = self.nested(false, |p| {
            p.advance();
            p.parse_not_test()
        })?;
        let depth = 1 + operand.depth;
        let kind = ExprKind::UnaryOp {
            op: UnaryOp::Not,
            operand: Box::new(operand.expr),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// The comparison operator at the current token, and how many tokens
    /// it takes (`not in`, `is not`: two).
    fn comp_op(&self) -> Option<(CmpOp, usize)> {
        Some(match self.peek() {
            Tok::Op("==") => (CmpOp::Eq, 1),
            Tok::Op("!=") => (CmpOp::NotEq, 1),
            Tok::Op("<") => (CmpOp::Lt, 1),
            Tok::Op("<=") => (CmpOp::LtE, 1),
            Tok::Op(">") => (CmpOp::Gt, 1),
            Tok::Op(">=") => (CmpOp::GtE, 1),
            Tok::Keyword("in") => (CmpOp::In, 1),
            Tok::Keyword("not") if self.peek_at(1) == Tok::Keyword("in") => (CmpOp::NotIn, 2),
            Tok::Keyword("is") if self.peek_at(1) == Tok::Keyword("not") => (CmpOp::IsNot, 2),
            Tok::Keyword("is") => (CmpOp::Is, 1),
            _ => return None,
        })
    }

    /// `comparison ::= bitor_expr (comp_op bitor_expr)*`, chained as one
    /// `Compare` node.
    fn parse_comparison(&mut self) -> PResult<Node> {
        let start = self.start();
        let left = self.parse_bitor_expr()?;
        let mut ops = Vec::new();
        let mut depth = left.depth;
        while let Some((op, width)) = self.comp_op() {
            for _ in 0..width {
                self.advance();
            }
            let right = self.parse_bitor_expr()?;
            depth = depth.max(right.depth);
            ops.push((op, right.expr));
        }
        if ops.is_empty() {
            return Ok(left);
        }
        let kind = ExprKind::Compare {
            left: Box::new(left.expr),
            ops,
        };
        self.node(kind, self.span_from(start), depth + 1)
    }

    /// A left-associative chain `operand (op operand)*`, where `op_of`
    /// tells which tokens are its operators.
    fn parse_binary(
        &mut self,
        op_of: fn(Tok) -> Option<BinOp>,
        operand: fn(&mut Self) -> PResult<Node>,
    ) -> PResult<Node> {
        let start = self.start();
        let mut left = operand(self)?;
        while let Some(op) = op_of(self.peek()) {
            self.advance();
            let right = operand(self)?;
            let depth = 1 + left.depth.max(right.depth);
            let kind = ExprKind::BinOp {
                left: Box::new(left.expr),
                op,
                right: Box::new(right.expr),
            };
            left = self.node(kind, self.span_from(start), depth)?;
        }
        Ok(left)
    }

    /// `bitor_expr ::= bitand_expr ('|' bitand_expr)*`
    fn parse_bitor_expr(&mut self) -> PResult<Node> {
        self.parse_binary(
            |t| (t == Tok::Op("|")).then_some(BinOp::BitOr),
            Self::parse_bitand_expr,
        )
    }

    /// `bitand_expr ::= arith_expr ('&' arith_expr)*`
    fn parse_bitand_expr(&mut self) -> PResult<Node> {
        self.parse_binary(
            |t| (t == Tok::Op("&")).then_some(BinOp::BitAnd),
            Self::parse_arith_expr,
        )
    }

    /// `arith_expr ::= term (('+' | '-') term)*`
    fn parse_arith_expr(&mut self) -> PResult<Node> {
        self.parse_binary(
            |t| match t {
                Tok::Op("+") => Some(BinOp::Add),
                Tok::Op("-") => Some(BinOp::Sub),
                _ => None,
            },
            Self::parse_term,
        )
    }

    /// `term ::= factor (('*' | '/' | '//' | '%') factor)*`
    fn parse_term(&mut self) -> PResult<Node> {
        self.parse_binary(
            |t| match t {
                Tok::Op("*") => Some(BinOp::Mul),
                Tok::Op("/") => Some(BinOp::Div),
                Tok::Op("//") => Some(BinOp::FloorDiv),
                Tok::Op("%") => Some(BinOp::Mod),
                _ => None,
            },
            Self::parse_factor,
        )
    }

    /// `factor ::= ('+' | '-' | '~') factor | power`
    fn parse_factor(&mut self) -> PResult<Node> {
        let op = match self.peek() {
            Tok::Op("-") => UnaryOp::Neg,
            Tok::Op("+") => UnaryOp::Pos,
            Tok::Op("~") => UnaryOp::Invert,
            _ => return self.parse_power(),
        };
        let start = self.start();
        let operand = self.nested(false, |p| {
            p.advance();
            p.parse_factor()
        })?;
        let depth = 1 + operand.depth;
        let kind = ExprKind::UnaryOp {
            op,
            operand: Box::new(operand.expr),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// `power ::= primary ['**' factor]`
    fn parse_power(&mut self) -> PResult<Node> {
        let start = self.start();
        let base = self.parse_primary()?;
        if !self.at_op("**") {
            return Ok(base);
        }
        let exponent = self.nested(false, |p| {
            p.advance();
            p.parse_factor()
        })?;
        let depth = 1 + base.depth.max(exponent.depth);
        let kind = ExprKind::BinOp {
            left: Box::new(base.expr),
            op: BinOp::Pow,
            right: Box::new(exponent.expr),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// `primary ::= atom trailer*` with
    /// `trailer ::= '(' [arglist] ')' | '[' subscript_list ']' | '.' NAME`
    fn parse_primary(&mut self) -> PResult<Node> {
        let start = self.start();
        let mut value = self.parse_atom()?;
        loop {
            value = match self.peek() {
                Tok::Op(".") => {
                    self.advance();
                    let name = self.tok();
                    if name.tok != Tok::Name {
                        return Err(self.unexpected());
                    }
                    self.advance();
                    let kind = ExprKind::Attribute {
                        value: Box::new(value.expr),
                        attr: self.text(name.span).to_string(),
                        attr_span: name.span,
                    };
                    self.node(kind, self.span_from(start), value.depth + 1)?
                }
                Tok::Op("(") => {
                    let args = self.nested(true, Self::parse_arglist)?;
                    let depth = 1 + value.depth.max(args.depth);
                    let kind = ExprKind::Call {
                        func: Box::new(value.expr),
                        args: into_exprs(args.args),
                        kwargs: args.kwargs,
                    };
                    self.node(kind, self.span_from(start), depth)?
                }
                Tok::Op("[") => {
                    let index = self.nested(true, Self::parse_subscript_list)?;
                    let depth = 1 + value.depth.max(index.depth);
                    let kind = ExprKind::Subscript {
                        value: Box::new(value.expr),
                        index: Box::new(index.expr),
                    };
                    self.node(kind, self.span_from(start), depth)?
                }
                _ => return Ok(value),
            };
        }
    }

    /// `'(' [arglist] ')'` with `arglist ::= argument (',' argument)* [',']`
    /// and `argument ::= NAME '=' test | test [comp_for]`
    fn parse_arglist(&mut self) -> PResult<Arguments> {
        self.advance();
        let mut out = Arguments {
            args: Vec::new(),
            kwargs: Vec::new(),
            depth: 0,
        };
        while !self.at_op(")") {
            let arg_start = self.start();
            match self.peek() {
                Tok::Op("*" | "**") => {
                    return Err(SyntaxError::new(
                        "argument unpacking with '*' or '**' is not supported by the tutor",
                        self.tok().span,
                    ));
                }
                Tok::Name if self.peek_at(1) == Tok::Op("=") => {
                    let name_tok = self.advance();
                    self.advance();
                    let name = self.text(name_tok.span).to_string();
                    let value = self.parse_test()?;
                    if out.kwargs.iter().any(|k| k.name == name) {
                        return Err(SyntaxError::new(
                            format!("keyword argument repeated: {name}"),
                            name_tok.span,
                        ));
                    }
                    out.depth = out.depth.max(value.depth);
                    out.kwargs.push(Keyword {
                        name,
                        value: value.expr,
                        span: self.span_from(arg_start),
                    });
                }
                _ => {
                    let mut arg = self.parse_test()?;
                    if self.at_op("=") {
                        self.advance();
                        let _ = self.parse_test();
                        return Err(SyntaxError::new(
                            "expression cannot contain assignment, perhaps you meant \"==\"?",
                            self.span_from(arg_start),
                        ));
                    }
                    if self.at_kw("for") {
                        arg = self.parse_comp_for(arg, arg_start)?;
                        if !out.args.is_empty() || !out.kwargs.is_empty() || !self.at_op(")") {
                            return Err(SyntaxError::new(
                                "Generator expression must be parenthesized",
                                arg.expr.span,
                            ));
                        }
                    }
                    if !out.kwargs.is_empty() {
                        return Err(SyntaxError::new(
                            "positional argument follows keyword argument",
                            arg.expr.span,
                        ));
                    }
                    out.depth = out.depth.max(arg.depth);
                    out.args.push(arg);
                }
            }
            if !self.eat_op(",") && !self.at_op(")") {
                return Err(self.missing_comma(arg_start));
            }
        }
        self.expect_op(")")?;
        Ok(out)
    }

    /// `'[' subscript_list ']'` with
    /// `subscript_list ::= subscript (',' subscript)* [',']`
    fn parse_subscript_list(&mut self) -> PResult<Node> {
        self.advance();
        let start = self.start();
        let mut items = Vec::new();
        let mut comma = false;
        loop {
            let item_start = self.start();
            items.push(self.parse_subscript()?);
            if self.eat_op(",") {
                comma = true;
                if self.at_op("]") {
                    break;
                }
            } else if self.at_op("]") {
                break;
            } else {
                return Err(self.missing_comma(item_start));
            }
        }
        let index = if !comma && items.len() == 1 {
            items.pop()
        } else {
            None
        };
        let index = match index {
            Some(only) => only,
            None => self.sequence(items, ExprKind::Tuple, start)?,
        };
        self.expect_op("]")?;
        Ok(index)
    }

    /// `subscript ::= test | [test] ':' [test] [':' [test]]`
    fn parse_subscript(&mut self) -> PResult<Node> {
        let start = self.start();
        let lower = if self.at_op(":") {
            None
        } else {
            let lower = self.parse_test()?;
            if !self.at_op(":") {
                return Ok(lower);
            }
            Some(lower)
        };
        self.advance();
        let bound_ends = |p: &Self| matches!(p.peek(), Tok::Op(":" | "]" | ","));
        let upper = if bound_ends(self) {
            None
        } else {
            Some(self.parse_test()?)
        };
        let step = if self.eat_op(":") && !bound_ends(self) {
            Some(self.parse_test()?)
        } else {
            None
        };
        let depth = 1 + [&lower, &upper, &step]
            .iter()
            .filter_map(|n| n.as_ref().map(|n| n.depth))
            .max()
            .unwrap_or(0);
        let boxed = |n: Option<Node>| n.map(|n| Box::new(n.expr));
        let kind = ExprKind::Slice {
            lower: boxed(lower),
            upper: boxed(upper),
            step: boxed(step),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// `atom ::= NAME | NUMBER | STRING+ | 'True' | 'False' | 'None'
    /// | '(' … ')' | '[' … ']' | '{' … '}'`
    fn parse_atom(&mut self) -> PResult<Node> {
        let t = self.tok();
        let kind = match t.tok {
            Tok::Name => ExprKind::Name(self.text(t.span).to_string()),
            Tok::Int(n) => ExprKind::Int(n),
            Tok::Float(x) => ExprKind::Float(x),
            Tok::Keyword("True") => ExprKind::Bool(true),
            Tok::Keyword("False") => ExprKind::Bool(false),
            Tok::Keyword("None") => ExprKind::None,
            Tok::Str(_) => return self.parse_strings(),
            Tok::Op("(") => return self.nested(true, Self::parse_paren_atom),
            Tok::Op("[") => return self.nested(true, Self::parse_list_atom),
            Tok::Op("{") => return self.nested(true, Self::parse_dict_atom),
            Tok::Op("*") => {
                return Err(SyntaxError::new(
                    "starred expressions (*x) are not supported by the tutor",
                    t.span,
                ));
            }
            _ => return Err(self.unexpected()),
        };
        self.advance();
        self.node(kind, t.span, 1)
    }

    /// `'(' [test (comp_for | (',' test)* [','])] ')'`: a parenthesized
    /// expression, a tuple, or a generator expression (as a `ListComp`).
    fn parse_paren_atom(&mut self) -> PResult<Node> {
        let start = self.start();
        self.advance();
        if self.eat_op(")") {
            return self.node(ExprKind::Tuple(Vec::new()), self.span_from(start), 1);
        }
        let first_start = self.start();
        let first = self.parse_test()?;
        if self.at_kw("for") {
            let mut comp = self.parse_comp_for(first, first_start)?;
            self.expect_op(")")?;
            comp.expr.span = self.span_from(start);
            return Ok(comp);
        }
        if self.eat_op(")") {
            return Ok(first);
        }
        let items = self.parse_sequence_tail(first, first_start, ")")?;
        self.expect_op(")")?;
        self.sequence(items, ExprKind::Tuple, start)
    }

    /// `'[' [test (comp_for | (',' test)* [','])] ']'`
    fn parse_list_atom(&mut self) -> PResult<Node> {
        let start = self.start();
        self.advance();
        if self.eat_op("]") {
            return self.node(ExprKind::List(Vec::new()), self.span_from(start), 1);
        }
        let first_start = self.start();
        let first = self.parse_test()?;
        if self.at_kw("for") {
            let mut comp = self.parse_comp_for(first, first_start)?;
            self.expect_op("]")?;
            comp.expr.span = self.span_from(start);
            return Ok(comp);
        }
        let items = self.parse_sequence_tail(first, first_start, "]")?;
        self.expect_op("]")?;
        self.sequence(items, ExprKind::List, start)
    }

    /// The items of a tuple or list display after its first, up to (not
    /// including) `closer`.
    fn parse_sequence_tail(
        &mut self,
        first: Node,
        first_start: usize,
        closer: &str,
    ) -> PResult<Vec<Node>> {
        let mut items = vec![first];
        let mut item_start = first_start;
        loop {
            if self.at_op(closer) {
                return Ok(items);
            }
            if !self.eat_op(",") {
                return Err(self.missing_comma(item_start));
            }
            if self.at_op(closer) {
                return Ok(items);
            }
            item_start = self.start();
            items.push(self.parse_test()?);
            if self.at_kw("for") {
                return Err(SyntaxError::new(
                    "did you forget parentheses around the comprehension target?",
                    Span::new(first_start, self.last_end),
                ));
            }
        }
    }

    /// `'{' [test ':' test (',' test ':' test)* [',']] '}'`
    fn parse_dict_atom(&mut self) -> PResult<Node> {
        let start = self.start();
        self.advance();
        let mut pairs: Vec<(Node, Node)> = Vec::new();
        while !self.at_op("}") {
            let key_start = self.start();
            if self.at_op("**") {
                return Err(SyntaxError::new(
                    "dict unpacking (**d) is not supported by the tutor",
                    self.tok().span,
                ));
            }
            let key = self.parse_test()?;
            if !self.at_op(":") {
                if pairs.is_empty() && self.at_kw("for") {
                    return Err(SyntaxError::new(
                        "set comprehensions are not supported by the tutor",
                        self.span_from(start),
                    ));
                }
                if pairs.is_empty() && (self.at_op(",") || self.at_op("}")) {
                    return Err(SyntaxError::new(
                        "set literals are not supported by the tutor (use a list)",
                        self.span_from(start),
                    ));
                }
                if starts_expr(self.peek()) {
                    return Err(self.missing_comma(key_start));
                }
                return Err(SyntaxError::new(
                    "':' expected after dictionary key",
                    self.tok().span,
                ));
            }
            self.advance();
            let value_start = self.start();
            let value = self.parse_test()?;
            if self.at_kw("for") {
                return Err(SyntaxError::new(
                    "dict comprehensions are not supported by the tutor",
                    self.tok().span,
                ));
            }
            pairs.push((key, value));
            if !self.eat_op(",") && !self.at_op("}") {
                return Err(self.missing_comma(value_start));
            }
        }
        self.expect_op("}")?;
        let depth = 1 + pairs
            .iter()
            .map(|(k, v)| k.depth.max(v.depth))
            .max()
            .unwrap_or(0);
        let pairs = pairs.into_iter().map(|(k, v)| (k.expr, v.expr)).collect();
        self.node(ExprKind::Dict(pairs), self.span_from(start), depth)
    }

    /// `comp_for ::= 'for' exprlist 'in' or_test ('if' or_test)*` after the
    /// element `elt` that started at `start`.
    fn parse_comp_for(&mut self, elt: Node, start: usize) -> PResult<Node> {
        self.advance();
        let target = self.parse_exprlist()?;
        check_target(&target.expr, TargetCtx::Bind)?;
        if !self.eat_kw("in") {
            return Err(self.unexpected());
        }
        let iter = self.parse_or_test()?;
        let mut conds = Vec::new();
        while self.eat_kw("if") {
            conds.push(self.parse_or_test()?);
        }
        if self.at_kw("for") {
            return Err(SyntaxError::new(
                "comprehensions with more than one 'for' are not supported by the tutor",
                self.tok().span,
            ));
        }
        let depth = 1 + elt
            .depth
            .max(target.depth)
            .max(iter.depth)
            .max(max_depth(&conds));
        let kind = ExprKind::ListComp {
            elt: Box::new(elt.expr),
            target: Box::new(target.expr),
            iter: Box::new(iter.expr),
            conds: into_exprs(conds),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// `STRING+`: adjacent literals concatenate; any f-string among them
    /// makes the whole an `FString`.
    fn parse_strings(&mut self) -> PResult<Node> {
        let start = self.start();
        let mut parts = Vec::new();
        let mut is_fstring = false;
        let mut depth = 1;
        while let Tok::Str(s) = self.peek() {
            self.advance();
            if !s.fstring {
                let text = self.text(Span::new(s.body_start, s.body_end));
                push_literal(
                    &mut parts,
                    strings::decode_escapes(text, s.raw, s.body_start)?,
                );
                continue;
            }
            is_fstring = true;
            for piece in strings::split_fstring(self.src, s.body_start, s.body_end, s.raw)? {
                match piece {
                    FPiece::Literal(text) => push_literal(&mut parts, text),
                    FPiece::Field {
                        expr_start,
                        expr_end,
                        debug_text,
                        conversion,
                        format_spec,
                        ..
                    } => {
                        let expr = self.parse_fstring_field(expr_start, expr_end)?;
                        depth = depth.max(expr.depth + 1);
                        // `{x=}` shows `x=` and then the value's repr,
                        // unless a conversion or format spec is given.
                        let conversion = match (&debug_text, conversion, &format_spec) {
                            (Some(_), None, None) => Some('r'),
                            _ => conversion,
                        };
                        if let Some(text) = debug_text {
                            push_literal(&mut parts, text);
                        }
                        parts.push(FStringPart::Field {
                            expr: expr.expr,
                            conversion,
                            format_spec,
                        });
                    }
                }
            }
        }
        let kind = if is_fstring {
            ExprKind::FString(parts)
        } else {
            match parts.pop() {
                Some(FStringPart::Literal(text)) => ExprKind::Str(text),
                _ => ExprKind::Str(String::new()),
            }
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// Parses the expression of an f-string field, `src[start..end]`.
    fn parse_fstring_field(&mut self, start: usize, end: usize) -> PResult<Node> {
        let tokens =
            lexer::tokenize_fragment(self.src, start, end).map_err(|e| in_fstring(e.error))?;
        let mut sub = Parser::new(self.src, tokens, start);
        sub.nesting = self.nesting;
        sub.nested(true, |p| {
            let node = p.parse_testlist()?;
            if p.peek() != Tok::EndMarker {
                return Err(p.missing_comma(start));
            }
            Ok(node)
        })
        .map_err(in_fstring)
    }
}
