//! Reading tokens: the parser's cursor (`peek`, `eat_op`, `expect_name`, …),
//! spans, and the errors and limits common to every production
//! (`invalid syntax`, a missing comma, nesting and tree-depth limits).

use crate::language::ast::{Expr, ExprKind, Span};
use crate::language::error::SyntaxError;
use crate::language::lexer::{MAX_NESTING, Tok, Token};

use super::*;

impl<'s> Parser<'s> {
    pub(super) fn new(src: &'s str, toks: Vec<Token>, start: usize) -> Parser<'s> {
        Parser {
            src,
            toks,
            pos: 0,
            last_end: start,
            nesting: 0,
            blocks: 0,
            loop_depth: 0,
            in_function: false,
            in_async_function: false,
            next_def_async: false,
            sync_await: None,
        }
    }

    // ----- token helpers -----

    /// The current token (the token list always ends with `ENDMARKER`,
    /// which is never consumed).
    pub(super) fn tok(&self) -> Token {
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

    pub(super) fn peek(&self) -> Tok {
        self.tok().tok
    }

    pub(super) fn peek_at(&self, n: usize) -> Tok {
        self.toks
            .get(self.pos + n)
            .map_or(Tok::EndMarker, |t| t.tok)
    }

    /// Where the current token starts.
    pub(super) fn start(&self) -> usize {
        self.tok().span.start
    }

    /// Consumes the current token and returns it.
    pub(super) fn advance(&mut self) -> Token {
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

    pub(super) fn at_op(&self, op: &str) -> bool {
        matches!(self.peek(), Tok::Op(o) if o == op)
    }

    pub(super) fn at_kw(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Keyword(k) if k == kw)
    }

    pub(super) fn eat_op(&mut self, op: &str) -> bool {
        let found = self.at_op(op);
        if found {
            self.advance();
        }
        found
    }

    /// Reports an `await` of a plain `def` left by `parse_await_primary`.
    pub(super) fn check_sync_await(&mut self) -> PResult<()> {
        match self.sync_await.take() {
            Some(kw) => Err(SyntaxError::new("'await' outside async function", kw)),
            None => Ok(()),
        }
    }

    /// At a comprehension's `for` or `async for`.
    pub(super) fn at_comp_for(&self) -> bool {
        self.at_kw("for") || (self.at_kw("async") && self.peek_at(1) == Tok::Keyword("for"))
    }

    pub(super) fn eat_kw(&mut self, kw: &str) -> bool {
        let found = self.at_kw(kw);
        if found {
            self.advance();
        }
        found
    }

    pub(super) fn expect_op(&mut self, op: &str) -> PResult<Token> {
        if self.at_op(op) {
            Ok(self.advance())
        } else {
            Err(self.unexpected())
        }
    }

    pub(super) fn expect_colon(&mut self) -> PResult<()> {
        if self.eat_op(":") {
            Ok(())
        } else {
            Err(SyntaxError::new("expected ':'", self.tok().span))
        }
    }

    pub(super) fn expect_name(&mut self) -> PResult<String> {
        if self.peek() == Tok::Name {
            let t = self.advance();
            Ok(self.text(t.span).to_string())
        } else {
            Err(self.unexpected())
        }
    }

    /// True when only the layout tokens closing the input are left.
    pub(super) fn at_end(&self) -> bool {
        matches!(self.peek(), Tok::EndMarker | Tok::Dedent) && self.start() >= self.src.len()
    }

    /// True at the end of a simple statement.
    pub(super) fn at_simple_stmt_end(&self) -> bool {
        matches!(self.peek(), Tok::Newline | Tok::EndMarker | Tok::Op(";"))
    }

    pub(super) fn text(&self, span: Span) -> &'s str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    /// The span from `start` to the end of the last token consumed.
    pub(super) fn span_from(&self, start: usize) -> Span {
        Span::new(start, self.last_end.max(start))
    }

    /// The error for a token that cannot come here: `invalid syntax`, or a
    /// clearer message for tokens of Python the tutor does not support.
    pub(super) fn unexpected(&self) -> SyntaxError {
        let t = self.tok();
        let unsupported = match t.tok {
            Tok::Indent => return SyntaxError::new("unexpected indent", t.span),
            Tok::Op(op @ ("@" | "@=")) => {
                format!("the '{op}' operator")
            }
            Tok::Op(":=") => "the ':=' operator".to_string(),
            Tok::Op("...") => {
                let mut e = SyntaxError::unsupported("'...' (Ellipsis)", t.span);
                e.message.push_str("; use 'pass'");
                return e;
            }
            Tok::Keyword("yield") => "'yield' inside an expression".to_string(),
            _ => return SyntaxError::new("invalid syntax", t.span),
        };
        SyntaxError::unsupported(unsupported, t.span)
    }

    /// The error when, inside brackets, the element that started at
    /// `elem_start` is followed by something other than `,` or the
    /// closing bracket. Another expression there is most likely a missing
    /// comma (`print(a b)`).
    pub(super) fn missing_comma(&mut self, elem_start: usize) -> SyntaxError {
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
    pub(super) fn node(&self, kind: ExprKind, span: Span, depth: usize) -> PResult<Node> {
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
    pub(super) fn nested<T>(
        &mut self,
        bracket: bool,
        f: impl FnOnce(&mut Self) -> PResult<T>,
    ) -> PResult<T> {
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
}
