//! Expressions from `testlist` down to `power`: tuples and `exprlist`,
//! conditional expressions, `lambda`, `or`/`and`/`not`, comparisons, and
//! the binary and unary operators in Python's precedence.

use crate::language::ast::{BinOp, BoolOp, CmpOp, Expr, ExprKind, UnaryOp};
use crate::language::error::SyntaxError;
use crate::language::lexer::Tok;

use super::*;

impl<'s> Parser<'s> {
    /// `testlist ::= test (',' test)* [',']`: a bare tuple when there is
    /// a comma.
    /// Items may be starred (`*a, *b`); a lone `*a` comes back as it is,
    /// for the caller to refuse ([`Self::no_lone_star`]) or check as a target.
    pub(super) fn parse_testlist(&mut self) -> PResult<Node> {
        let start = self.start();
        let first = self.parse_star_test()?;
        if !self.at_op(",") {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.eat_op(",") {
            if !starts_expr(self.peek()) {
                break;
            }
            items.push(self.parse_star_test()?);
        }
        self.sequence(items, ExprKind::Tuple, start)
    }

    /// `star_test ::= '*' bitor_expr | test`: an item of a display, a
    /// `testlist` or a call's arguments.
    pub(super) fn parse_star_test(&mut self) -> PResult<Node> {
        if !self.at_op("*") {
            return self.parse_test();
        }
        let start = self.start();
        self.advance();
        let value = self.parse_bitor_expr()?;
        let depth = 1 + value.depth;
        self.node(
            ExprKind::Starred(Box::new(value.expr)),
            self.span_from(start),
            depth,
        )
    }

    /// Refuses a lone `*a` where a value is needed (`x = *a`, `return *a`):
    /// CPython's "can't use starred expression here".
    pub(super) fn no_lone_star(&self, node: Node) -> PResult<Node> {
        if matches!(node.expr.kind, ExprKind::Starred(_)) {
            return Err(SyntaxError::new(
                "can't use starred expression here",
                node.expr.span,
            ));
        }
        Ok(node)
    }

    /// `exprlist ::= bitor_expr (',' bitor_expr)* [',']`, as its items and
    /// whether a comma was seen.
    /// Items may be starred (`for a, *rest in rows`).
    pub(super) fn parse_exprlist_items(&mut self) -> PResult<(Vec<Node>, bool)> {
        let mut items = vec![self.parse_star_bitor()?];
        let mut comma = false;
        while self.eat_op(",") {
            comma = true;
            if !starts_expr(self.peek()) {
                break;
            }
            items.push(self.parse_star_bitor()?);
        }
        Ok((items, comma))
    }

    /// `['*'] bitor_expr`: an `exprlist` item.
    fn parse_star_bitor(&mut self) -> PResult<Node> {
        if self.at_op("*") {
            return self.parse_star_test();
        }
        self.parse_bitor_expr()
    }

    /// `exprlist`, as one expression (a tuple when there is a comma).
    pub(super) fn parse_exprlist(&mut self) -> PResult<Node> {
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
    pub(super) fn sequence(
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
    pub(super) fn parse_named_test(&mut self) -> PResult<Node> {
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
    pub(super) fn parse_test(&mut self) -> PResult<Node> {
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
    pub(super) fn parse_lambdef(&mut self) -> PResult<Node> {
        let start = self.start();
        self.advance();
        let params = self.parse_params(":")?;
        self.expect_colon()?;
        // A lambda is a function of its own: `await` is not allowed in it.
        let saved = (self.in_function, self.in_async_function);
        (self.in_function, self.in_async_function) = (true, false);
        let body = self.nested(false, Self::parse_test);
        (self.in_function, self.in_async_function) = saved;
        let body = body?;
        self.check_sync_await()?;
        let depth = 1 + body.depth;
        let kind = ExprKind::Lambda {
            params: Box::new(params),
            body: Box::new(body.expr),
        };
        self.node(kind, self.span_from(start), depth)
    }

    /// `or_test ::= and_test ('or' and_test)*`
    pub(super) fn parse_or_test(&mut self) -> PResult<Node> {
        self.parse_bool_op("or", BoolOp::Or, Self::parse_and_test)
    }

    /// `and_test ::= not_test ('and' not_test)*`
    pub(super) fn parse_and_test(&mut self) -> PResult<Node> {
        self.parse_bool_op("and", BoolOp::And, Self::parse_not_test)
    }

    /// `operand (keyword operand)*` as one `BoolOp` node.
    pub(super) fn parse_bool_op(
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
    pub(super) fn parse_not_test(&mut self) -> PResult<Node> {
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
    pub(super) fn comp_op(&self) -> Option<(CmpOp, usize)> {
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
    pub(super) fn parse_comparison(&mut self) -> PResult<Node> {
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
    pub(super) fn parse_binary(
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

    /// `bitor_expr ::= bitxor_expr ('|' bitxor_expr)*`
    pub(super) fn parse_bitor_expr(&mut self) -> PResult<Node> {
        self.parse_binary(
            |t| (t == Tok::Op("|")).then_some(BinOp::BitOr),
            Self::parse_bitxor_expr,
        )
    }

    /// `bitxor_expr ::= bitand_expr ('^' bitand_expr)*`
    pub(super) fn parse_bitxor_expr(&mut self) -> PResult<Node> {
        self.parse_binary(
            |t| (t == Tok::Op("^")).then_some(BinOp::BitXor),
            Self::parse_bitand_expr,
        )
    }

    /// `bitand_expr ::= shift_expr ('&' shift_expr)*`
    pub(super) fn parse_bitand_expr(&mut self) -> PResult<Node> {
        self.parse_binary(
            |t| (t == Tok::Op("&")).then_some(BinOp::BitAnd),
            Self::parse_shift_expr,
        )
    }

    /// `shift_expr ::= arith_expr (('<<' | '>>') arith_expr)*`
    pub(super) fn parse_shift_expr(&mut self) -> PResult<Node> {
        self.parse_binary(
            |t| match t {
                Tok::Op("<<") => Some(BinOp::LShift),
                Tok::Op(">>") => Some(BinOp::RShift),
                _ => None,
            },
            Self::parse_arith_expr,
        )
    }

    /// `arith_expr ::= term (('+' | '-') term)*`
    pub(super) fn parse_arith_expr(&mut self) -> PResult<Node> {
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
    pub(super) fn parse_term(&mut self) -> PResult<Node> {
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
    pub(super) fn parse_factor(&mut self) -> PResult<Node> {
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

    /// `power ::= await_primary ['**' factor]`
    pub(super) fn parse_power(&mut self) -> PResult<Node> {
        let start = self.start();
        let base = self.parse_await_primary()?;
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
}

impl<'s> Parser<'s> {
    /// `await_primary ::= 'await' primary | primary`; `await` outside an
    /// `async def` body is Python's `SyntaxError` (top level allows it, as
    /// `python -m asyncio`).
    pub(super) fn parse_await_primary(&mut self) -> PResult<Node> {
        if !self.at_kw("await") {
            return self.parse_primary();
        }
        let start = self.start();
        let kw = self.tok().span;
        if self.in_function && !self.in_async_function && self.sync_await.is_none() {
            // Reported once the statement ends, or by the comprehension
            // around it (`check_sync_await`, `parse_comp_for`).
            self.sync_await = Some(kw);
        }
        let value = self.nested(false, |p| {
            p.advance();
            p.parse_primary()
        })?;
        let depth = 1 + value.depth;
        self.node(
            ExprKind::Await(Box::new(value.expr)),
            self.span_from(start),
            depth,
        )
    }
}
