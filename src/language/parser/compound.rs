//! Compound statements and their blocks: `if`, `while`, `for`, `try`,
//! `with`, `def` (with its parameters, shared with `lambda`) and `class`.

use crate::language::ast::{ExceptHandler, Parameters, Span, Stmt, StmtKind, WithItem};
use crate::language::error::SyntaxError;
use crate::language::lexer::{self, MAX_NESTING, Tok};

use super::*;

impl<'s> Parser<'s> {
    /// `block ::= simple_stmts | NEWLINE INDENT statement+ DEDENT`, the
    /// body of the `what` whose header starts at `header_start`.
    pub(super) fn parse_block(&mut self, what: &str, header_start: usize) -> PResult<Vec<Stmt>> {
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

    pub(super) fn parse_block_body(
        &mut self,
        what: &str,
        header_start: usize,
    ) -> PResult<Vec<Stmt>> {
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
    pub(super) fn in_loop<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        self.loop_depth += 1;
        let result = f(self);
        self.loop_depth -= 1;
        result
    }

    /// A loop's `['else' ':' block]`, run when the loop ends without
    /// `break`; empty when there is none.
    pub(super) fn parse_loop_else(&mut self) -> PResult<Vec<Stmt>> {
        if !self.at_kw("else") {
            return Ok(Vec::new());
        }
        let kw = self.advance();
        self.expect_colon()?;
        self.parse_block("'else' statement", kw.span.start)
    }

    /// `if_stmt ::= 'if' named_test ':' block ('elif' named_test ':' block)*
    /// ['else' ':' block]`; each `elif` is an `If` alone in the `orelse`
    /// of the clause before it.
    pub(super) fn parse_if_stmt(&mut self) -> PResult<Stmt> {
        let saved = self.blocks;
        let result = self.parse_if_clauses();
        self.blocks = saved;
        result
    }

    pub(super) fn parse_if_clauses(&mut self) -> PResult<Stmt> {
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
    pub(super) fn parse_while_stmt(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let test = self.parse_named_test()?.expr;
        self.expect_colon()?;
        let body = self.in_loop(|p| p.parse_block("'while' statement", kw.span.start))?;
        let orelse = self.parse_loop_else()?;
        Ok(Stmt {
            kind: StmtKind::While { test, body, orelse },
            span: self.span_from(kw.span.start),
        })
    }

    /// `for_stmt ::= 'for' exprlist 'in' testlist ':' block`
    pub(super) fn parse_for_stmt(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let target = self.parse_exprlist()?.expr;
        check_target(&target, TargetCtx::Bind)?;
        if !self.eat_kw("in") {
            return Err(self.unexpected());
        }
        let iter = self.parse_testlist()?;
        let iter = self.no_lone_star(iter)?.expr;
        self.expect_colon()?;
        let body = self.in_loop(|p| p.parse_block("'for' statement", kw.span.start))?;
        let orelse = self.parse_loop_else()?;
        Ok(Stmt {
            kind: StmtKind::For {
                target,
                iter,
                body,
                orelse,
            },
            span: self.span_from(kw.span.start),
        })
    }

    /// `try_stmt ::= 'try' ':' block (except_clause ':' block)+
    /// ['else' ':' block] ['finally' ':' block] | 'try' ':' block 'finally' ':' block`
    pub(super) fn parse_try_stmt(&mut self) -> PResult<Stmt> {
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
            let clause = self.parse_except_clause()?;
            if handlers.first().is_some_and(|h| h.star != clause.star) {
                return Err(SyntaxError::new(
                    "cannot have both 'except' and 'except*' on the same 'try'",
                    clause.span,
                ));
            }
            handlers.push(clause);
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
    /// or `'except' '*' test ['as' NAME]` (Python 3.11's `except*`).
    pub(super) fn parse_except_clause(&mut self) -> PResult<ExceptHandler> {
        let kw = self.advance();
        let mut type_ = None;
        let mut name = None;
        let star = self.eat_op("*");
        if star && self.at_op(":") {
            return Err(SyntaxError::new(
                "expected one or more exception types",
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
            star,
        })
    }

    /// `with_stmt ::= 'with' with_item (',' with_item)* ':' block`
    pub(super) fn parse_with_stmt(&mut self) -> PResult<Stmt> {
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
    pub(super) fn parse_def_body(
        &mut self,
        what: &str,
        header_start: usize,
        function: bool,
    ) -> PResult<Vec<Stmt>> {
        let saved = (self.loop_depth, self.in_function, self.in_async_function);
        self.loop_depth = 0;
        self.in_function = function;
        self.in_async_function = function && std::mem::take(&mut self.next_def_async);
        let body = self.parse_block(what, header_start);
        (self.loop_depth, self.in_function, self.in_async_function) = saved;
        body
    }

    /// `funcdef ::= 'def' NAME '(' [params] ')' ':' block`
    pub(super) fn parse_funcdef(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let name = self.expect_name()?;
        if !self.eat_op("(") {
            return Err(SyntaxError::new("expected '('", self.tok().span));
        }
        let mut params = self.parse_params(")")?;
        self.expect_op(")")?;
        if self.eat_op("->") {
            // The return annotation is kept unevaluated, as under `from
            // __future__ import annotations`.
            params.returns = Some(Box::new(self.nested(false, Self::parse_test)?.expr));
        }
        self.expect_colon()?;
        let body = self.parse_def_body("function definition", kw.span.start, true)?;
        Ok(Stmt {
            kind: StmtKind::FunctionDef {
                name,
                params: Box::new(params),
                body,
            },
            span: self.span_from(kw.span.start),
        })
    }

    /// `params ::= param (',' param)* [',']` with `param ::= NAME [':'
    /// test] ['=' test] | '/' | '*' [NAME] | '**' NAME`, up to `closer`
    /// (`)` for a `def`, `:` for a `lambda`), with CPython 3.11's errors for
    /// misplaced `/`, `*` and `**`. Annotations are read and dropped.
    pub(super) fn parse_params(&mut self, closer: &str) -> PResult<Parameters> {
        let mut p = Parameters::default();
        // Where `/` and `*` stood, for CPython's errors about their order.
        let mut slash_seen = false;
        let mut star: Option<Span> = None;
        while !self.at_op(closer) {
            let t = self.tok();
            if p.kwarg.is_some() {
                return Err(SyntaxError::new(
                    "arguments cannot follow var-keyword argument",
                    t.span,
                ));
            }
            match t.tok {
                Tok::Op("/") => {
                    self.advance();
                    if slash_seen {
                        return Err(SyntaxError::new("/ may appear only once", t.span));
                    }
                    if star.is_some() {
                        return Err(SyntaxError::new("/ must be ahead of *", t.span));
                    }
                    if p.args.is_empty() {
                        return Err(SyntaxError::new(
                            "at least one argument must precede /",
                            t.span,
                        ));
                    }
                    slash_seen = true;
                    p.posonly = p.args.len();
                }
                Tok::Op("*") => {
                    self.advance();
                    if star.is_some() {
                        return Err(SyntaxError::new("* argument may appear only once", t.span));
                    }
                    star = Some(t.span);
                    if self.peek() == Tok::Name {
                        p.vararg = Some(self.param_name(&mut p, closer)?);
                    }
                }
                Tok::Op("**") => {
                    self.advance();
                    p.kwarg = Some(self.param_name(&mut p, closer)?);
                }
                Tok::Name => {
                    let name = self.param_name(&mut p, closer)?;
                    let default = if self.eat_op("=") {
                        Some(self.nested(false, Self::parse_test)?.expr)
                    } else {
                        None
                    };
                    if star.is_some() {
                        p.kwonly.push(name);
                        p.kw_defaults.push(default);
                    } else {
                        p.args.push(name);
                        match default {
                            Some(d) => p.defaults.push(d),
                            None if !p.defaults.is_empty() => {
                                return Err(SyntaxError::new(
                                    "non-default argument follows default argument",
                                    t.span,
                                ));
                            }
                            None => {}
                        }
                    }
                }
                _ => return Err(self.unexpected()),
            }
            if !self.eat_op(",") {
                break;
            }
        }
        if let Some(span) = star
            && p.vararg.is_none()
            && p.kwonly.is_empty()
        {
            return Err(SyntaxError::new("named arguments must follow bare *", span));
        }
        Ok(p)
    }

    /// A parameter's name (and its annotation in a `def`), refusing one
    /// already taken.
    fn param_name(&mut self, p: &mut Parameters, closer: &str) -> PResult<String> {
        let t = self.tok();
        if t.tok != Tok::Name {
            return Err(self.unexpected());
        }
        self.advance();
        let name = self.text(t.span).to_string();
        if p.names().any(|n| *n == name) {
            return Err(SyntaxError::new(
                format!("duplicate argument '{name}' in function definition"),
                t.span,
            ));
        }
        if closer == ")" && self.eat_op(":") {
            let annotation = self.nested(false, Self::parse_test)?.expr;
            p.annotations.push((name.clone(), annotation));
        }
        Ok(name)
    }

    /// `classdef ::= 'class' NAME ['(' [arglist] ')'] ':' block`
    pub(super) fn parse_classdef(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let name = self.expect_name()?;
        let mut bases = Vec::new();
        let mut keywords = Vec::new();
        if self.at_op("(") {
            let args = self.nested(true, Self::parse_arglist)?;
            if let Some(k) = args.kwargs.iter().find(|k| k.name.is_none()) {
                return Err(SyntaxError::unsupported(
                    "**mapping in a class definition",
                    k.span,
                ));
            }
            keywords = args.kwargs;
            bases = into_exprs(args.args);
        }
        self.expect_colon()?;
        let body = self.parse_def_body("class definition", kw.span.start, false)?;
        Ok(Stmt {
            kind: StmtKind::ClassDef {
                name,
                bases,
                keywords,
                body,
            },
            span: self.span_from(kw.span.start),
        })
    }
}

impl<'s> Parser<'s> {
    /// `decorated ::= ('@' namedexpr_test NEWLINE)+ (classdef | funcdef |
    /// async_funcdef)`: the decorators in source order, around the
    /// definition they decorate.
    pub(super) fn parse_decorated(&mut self) -> PResult<Stmt> {
        let start = self.start();
        let mut decorators = Vec::new();
        while self.eat_op("@") {
            decorators.push(self.parse_test()?.expr);
            match self.peek() {
                Tok::Newline => {
                    self.advance();
                }
                _ => return Err(self.unexpected()),
            }
        }
        let definition = match self.peek() {
            Tok::Keyword("def") => self.parse_funcdef()?,
            Tok::Keyword("class") => self.parse_classdef()?,
            Tok::Keyword("async") if self.peek_at(1) == Tok::Keyword("def") => {
                self.parse_async_stmt()?
            }
            _ => return Err(self.unexpected()),
        };
        Ok(Stmt {
            kind: StmtKind::Decorated {
                decorators,
                definition: Box::new(definition),
            },
            span: self.span_from(start),
        })
    }

    /// `async_stmt ::= 'async' (funcdef | with_stmt | for_stmt)`: `async
    /// with`/`async for` only where `await` is allowed (an `async def`, or
    /// top level as `python -m asyncio`).
    pub(super) fn parse_async_stmt(&mut self) -> PResult<Stmt> {
        let kw = self.advance();
        let inner = match self.peek() {
            Tok::Keyword("def") => {
                self.next_def_async = true;
                let r = self.parse_funcdef();
                self.next_def_async = false;
                r?
            }
            Tok::Keyword(k @ ("with" | "for")) => {
                if self.in_function && !self.in_async_function {
                    return Err(SyntaxError::new(
                        format!("'async {k}' outside async function"),
                        kw.span,
                    ));
                }
                if k == "with" {
                    self.parse_with_stmt()?
                } else {
                    self.parse_for_stmt()?
                }
            }
            _ => return Err(self.unexpected()),
        };
        Ok(Stmt {
            kind: StmtKind::Async(Box::new(inner)),
            span: self.span_from(kw.span.start),
        })
    }
}
