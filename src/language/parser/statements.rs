//! `file_input`, `statement` and the simple statements: `expr_stmt`
//! (assignment, augmented assignment, expression), `return`, `raise`,
//! `global`, `del`, `assert`, `import` and `from … import`.

use crate::language::ast::{BinOp, Expr, ExprKind, Import, ImportAlias, Span, Stmt, StmtKind};
use crate::language::error::SyntaxError;
use crate::language::lexer::Tok;

use super::*;

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
        "^=" => BinOp::BitXor,
        "<<=" => BinOp::LShift,
        ">>=" => BinOp::RShift,
        _ => return None,
    })
}

impl<'s> Parser<'s> {
    /// `file_input ::= (NEWLINE | statement)* ENDMARKER`
    pub(super) fn parse_file_input(&mut self) -> PResult<Vec<Stmt>> {
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
    pub(super) fn parse_statement(&mut self) -> PResult<Vec<Stmt>> {
        let stmt = match self.peek() {
            Tok::Indent => return Err(self.unexpected()),
            Tok::Keyword("if") => self.parse_if_stmt()?,
            Tok::Keyword("while") => self.parse_while_stmt()?,
            Tok::Keyword("for") => self.parse_for_stmt()?,
            Tok::Keyword("try") => self.parse_try_stmt()?,
            Tok::Keyword("with") => self.parse_with_stmt()?,
            Tok::Keyword("def") => self.parse_funcdef()?,
            Tok::Keyword("async") => self.parse_async_stmt()?,
            Tok::Keyword("class") => self.parse_classdef()?,
            Tok::Op("@") => self.parse_decorated()?,
            _ => {
                let stmts = self.parse_simple_stmts()?;
                self.check_sync_await()?;
                return Ok(stmts);
            }
        };
        self.check_sync_await()?;
        Ok(vec![stmt])
    }

    /// `simple_stmts ::= simple_stmt (';' simple_stmt)* [';'] NEWLINE`
    pub(super) fn parse_simple_stmts(&mut self) -> PResult<Vec<Stmt>> {
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
    pub(super) fn parse_simple_stmt(&mut self) -> PResult<Stmt> {
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
            Tok::Keyword("nonlocal") => self.parse_nonlocal_stmt()?,
            Tok::Keyword("del") => self.parse_del_stmt()?,
            Tok::Keyword("assert") => self.parse_assert_stmt()?,
            Tok::Keyword("import") => self.parse_import_name()?,
            Tok::Keyword("from") => self.parse_import_from()?,
            Tok::Keyword("yield") => StmtKind::Expr(self.parse_yield_expr()?),
            Tok::Keyword("async") => {
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
    pub(super) fn parse_expr_stmt(&mut self) -> PResult<StmtKind> {
        let first = self.parse_testlist()?;
        if self.at_op("=") {
            let mut targets = vec![first];
            let value = loop {
                self.advance();
                if self.at_kw("yield") {
                    break self.parse_yield_node()?;
                }
                let rhs = self.parse_testlist()?;
                if !self.at_op("=") {
                    break self.no_lone_star(rhs)?;
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
            let value = self.parse_testlist()?;
            let value = self.no_lone_star(value)?.expr;
            return Ok(StmtKind::AugAssign { target, op, value });
        }
        if self.at_op(":") {
            return self.parse_annassign(first.expr);
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
        let first = self.no_lone_star(first)?;
        Ok(StmtKind::Expr(first.expr))
    }

    /// `annassign ::= target ':' test ['=' testlist]`, after the target:
    /// one name, attribute or subscript, as CPython's grammar allows.
    fn parse_annassign(&mut self, target: Expr) -> PResult<StmtKind> {
        let what = match &target.kind {
            ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => None,
            ExprKind::Tuple(_) => Some("only single target (not tuple) can be annotated"),
            ExprKind::List(_) => Some("only single target (not list) can be annotated"),
            _ => Some("illegal target for annotation"),
        };
        if let Some(message) = what {
            return Err(SyntaxError::new(message, target.span));
        }
        self.advance();
        let annotation = self.parse_test()?.expr;
        let value = if self.eat_op("=") {
            let value = self.parse_testlist()?;
            Some(self.no_lone_star(value)?.expr)
        } else {
            None
        };
        Ok(StmtKind::AnnAssign {
            target,
            annotation,
            value,
        })
    }

    /// `yield_expr ::= 'yield' ['from' test | testlist]`; `'yield'
    /// outside function` as CPython when not in a `def`.
    pub(super) fn parse_yield_expr(&mut self) -> PResult<Expr> {
        Ok(self.parse_yield_node()?.expr)
    }

    /// [`Parser::parse_yield_expr`] as a node.
    pub(super) fn parse_yield_node(&mut self) -> PResult<Node> {
        let start = self.start();
        let kw = self.advance();
        if !self.in_function {
            return Err(SyntaxError::new("'yield' outside function", kw.span));
        }
        let kind = if self.at_kw("from") {
            self.advance();
            ExprKind::YieldFrom(Box::new(self.parse_test()?.expr))
        } else if starts_expr(self.peek()) {
            ExprKind::Yield(Some(Box::new(self.parse_testlist()?.expr)))
        } else {
            ExprKind::Yield(None)
        };
        self.node(kind, self.span_from(start), 1)
    }

    /// `return_stmt ::= 'return' [testlist]`
    pub(super) fn parse_return_stmt(&mut self) -> PResult<StmtKind> {
        let kw = self.advance();
        if !self.in_function {
            return Err(SyntaxError::new("'return' outside function", kw.span));
        }
        let value = if self.at_simple_stmt_end() {
            None
        } else {
            let value = self.parse_testlist()?;
            Some(self.no_lone_star(value)?.expr)
        };
        Ok(StmtKind::Return(value))
    }

    /// `raise_stmt ::= 'raise' [test ['from' test]]`
    pub(super) fn parse_raise_stmt(&mut self) -> PResult<StmtKind> {
        self.advance();
        if self.at_simple_stmt_end() {
            return Ok(StmtKind::Raise {
                exc: None,
                cause: None,
            });
        }
        let exc = self.parse_test()?.expr;
        let cause = if self.eat_kw("from") {
            Some(self.parse_test()?.expr)
        } else {
            None
        };
        Ok(StmtKind::Raise {
            exc: Some(exc),
            cause,
        })
    }

    /// `global_stmt ::= 'global' NAME (',' NAME)*`
    pub(super) fn parse_global_stmt(&mut self) -> PResult<StmtKind> {
        self.advance();
        let mut names = vec![self.expect_name()?];
        while self.eat_op(",") {
            names.push(self.expect_name()?);
        }
        Ok(StmtKind::Global(names))
    }

    /// `nonlocal_stmt ::= 'nonlocal' NAME (',' NAME)*`, only inside a
    /// function.
    pub(super) fn parse_nonlocal_stmt(&mut self) -> PResult<StmtKind> {
        let kw = self.advance();
        let mut names = vec![self.expect_name()?];
        while self.eat_op(",") {
            names.push(self.expect_name()?);
        }
        if !self.in_function {
            return Err(SyntaxError::new(
                "nonlocal declaration not allowed at module level",
                self.span_from(kw.span.start),
            ));
        }
        Ok(StmtKind::Nonlocal(names))
    }

    /// `del_stmt ::= 'del' exprlist`
    pub(super) fn parse_del_stmt(&mut self) -> PResult<StmtKind> {
        self.advance();
        let (targets, _) = self.parse_exprlist_items()?;
        for target in &targets {
            check_target(&target.expr, TargetCtx::Del)?;
        }
        Ok(StmtKind::Delete(into_exprs(targets)))
    }

    /// `assert_stmt ::= 'assert' test [',' test]`
    pub(super) fn parse_assert_stmt(&mut self) -> PResult<StmtKind> {
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
    pub(super) fn parse_dotted_name(&mut self) -> PResult<Vec<String>> {
        let mut parts = vec![self.expect_name()?];
        while self.eat_op(".") {
            parts.push(self.expect_name()?);
        }
        Ok(parts)
    }

    /// `import_name ::= 'import' dotted_name ['as' NAME] (',' …)*`: binds
    /// the alias, or the first part of the dotted name.
    pub(super) fn parse_import_name(&mut self) -> PResult<StmtKind> {
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
    pub(super) fn parse_import_from(&mut self) -> PResult<StmtKind> {
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
}
