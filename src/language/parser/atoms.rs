//! `primary` and `atom`: calls and their argument lists, subscripts and
//! slices, attribute access, names and numbers, parenthesized expressions,
//! tuple, list and dict displays, and comprehensions (`comp_for`).

use crate::language::ast::{Comprehension, ExprKind, Keyword, Span};
use crate::language::error::SyntaxError;
use crate::language::lexer::Tok;

use super::*;

impl<'s> Parser<'s> {
    /// `primary ::= atom trailer*` with
    /// `trailer ::= '(' [arglist] ')' | '[' subscript_list ']' | '.' NAME`
    pub(super) fn parse_primary(&mut self) -> PResult<Node> {
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
    pub(super) fn parse_arglist(&mut self) -> PResult<Arguments> {
        self.advance();
        let mut out = Arguments {
            args: Vec::new(),
            kwargs: Vec::new(),
            depth: 0,
        };
        while !self.at_op(")") {
            let arg_start = self.start();
            match self.peek() {
                Tok::Op("*") => {
                    if out.kwargs.iter().any(|k| k.name.is_none()) {
                        return Err(SyntaxError::new(
                            "iterable argument unpacking follows keyword argument unpacking",
                            self.tok().span,
                        ));
                    }
                    self.advance();
                    let value = self.parse_test()?;
                    out.depth = out.depth.max(value.depth + 1);
                    let kind = ExprKind::Starred(Box::new(value.expr));
                    let arg = self.node(kind, self.span_from(arg_start), 1)?;
                    out.args.push(arg);
                }
                Tok::Op("**") => {
                    self.advance();
                    let value = self.parse_test()?;
                    out.depth = out.depth.max(value.depth);
                    out.kwargs.push(Keyword {
                        name: None,
                        value: value.expr,
                        span: self.span_from(arg_start),
                    });
                }
                Tok::Name if self.peek_at(1) == Tok::Op("=") => {
                    let name_tok = self.advance();
                    self.advance();
                    let name = self.text(name_tok.span).to_string();
                    let value = self.parse_test()?;
                    if out.kwargs.iter().any(|k| k.name.as_ref() == Some(&name)) {
                        return Err(SyntaxError::new(
                            format!("keyword argument repeated: {name}"),
                            name_tok.span,
                        ));
                    }
                    out.depth = out.depth.max(value.depth);
                    out.kwargs.push(Keyword {
                        name: Some(name),
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
                    if self.at_comp_for() {
                        arg = self.parse_comp_for(arg, arg_start)?;
                        set_generator(&mut arg.expr);
                        if !out.args.is_empty() || !out.kwargs.is_empty() || !self.at_op(")") {
                            return Err(SyntaxError::new(
                                "Generator expression must be parenthesized",
                                arg.expr.span,
                            ));
                        }
                    }
                    if !out.kwargs.is_empty() {
                        let message = if out.kwargs.iter().any(|k| k.name.is_none()) {
                            "positional argument follows keyword argument unpacking"
                        } else {
                            "positional argument follows keyword argument"
                        };
                        return Err(SyntaxError::new(message, arg.expr.span));
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
    pub(super) fn parse_subscript_list(&mut self) -> PResult<Node> {
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
    pub(super) fn parse_subscript(&mut self) -> PResult<Node> {
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
    pub(super) fn parse_atom(&mut self) -> PResult<Node> {
        let t = self.tok();
        let kind = match t.tok {
            Tok::Name => ExprKind::Name(self.text(t.span).to_string()),
            Tok::Int(n) => ExprKind::Int(n),
            Tok::BigInt(radix) => {
                let text: String = self.text(t.span).chars().filter(|&c| c != '_').collect();
                let digits = if radix == 10 {
                    &text[..]
                } else {
                    text.get(2..).unwrap_or("")
                };
                match num_bigint::BigInt::parse_bytes(digits.as_bytes(), radix) {
                    Some(n) => ExprKind::BigInt(Box::new(n)),
                    None => return Err(self.unexpected()),
                }
            }
            Tok::Float(x) => ExprKind::Float(x),
            Tok::Keyword("True") => ExprKind::Bool(true),
            Tok::Keyword("False") => ExprKind::Bool(false),
            Tok::Keyword("None") => ExprKind::None,
            // `...`: the `Ellipsis` constant, bound at start
            Tok::Op("...") => ExprKind::Name("Ellipsis".to_string()),
            Tok::Str(_) => return self.parse_strings(),
            Tok::Op("(") => return self.nested(true, Self::parse_paren_atom),
            Tok::Op("[") => return self.nested(true, Self::parse_list_atom),
            Tok::Op("{") => return self.nested(true, Self::parse_dict_atom),
            _ => return Err(self.unexpected()),
        };
        self.advance();
        self.node(kind, t.span, 1)
    }

    /// `'(' [test (comp_for | (',' test)* [','])] ')'`: a parenthesized
    /// expression, a tuple, or a generator expression (as a `ListComp`).
    pub(super) fn parse_paren_atom(&mut self) -> PResult<Node> {
        let start = self.start();
        self.advance();
        if self.eat_op(")") {
            return self.node(ExprKind::Tuple(Vec::new()), self.span_from(start), 1);
        }
        if self.at_kw("yield") {
            let mut node = self.parse_yield_node()?;
            self.expect_op(")")?;
            node.expr.span = self.span_from(start);
            return Ok(node);
        }
        let first_start = self.start();
        let first = self.parse_star_test()?;
        if self.at_comp_for() {
            let mut comp = self.parse_comp_for(first, first_start)?;
            set_generator(&mut comp.expr);
            self.expect_op(")")?;
            comp.expr.span = self.span_from(start);
            return Ok(comp);
        }
        if self.eat_op(")") {
            if matches!(first.expr.kind, ExprKind::Starred(_)) {
                return Err(SyntaxError::new(
                    "cannot use starred expression here",
                    first.expr.span,
                ));
            }
            return Ok(first);
        }
        let items = self.parse_sequence_tail(first, first_start, ")")?;
        self.expect_op(")")?;
        self.sequence(items, ExprKind::Tuple, start)
    }

    /// `'[' [test (comp_for | (',' test)* [','])] ']'`
    pub(super) fn parse_list_atom(&mut self) -> PResult<Node> {
        let start = self.start();
        self.advance();
        if self.eat_op("]") {
            return self.node(ExprKind::List(Vec::new()), self.span_from(start), 1);
        }
        let first_start = self.start();
        let first = self.parse_star_test()?;
        if self.at_comp_for() {
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
    pub(super) fn parse_sequence_tail(
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
            items.push(self.parse_star_test()?);
            if self.at_comp_for() {
                return Err(SyntaxError::new(
                    "did you forget parentheses around the comprehension target?",
                    Span::new(first_start, self.last_end),
                ));
            }
        }
    }

    /// `'{' [test ':' test (',' test ':' test)* [',']] '}'`
    pub(super) fn parse_dict_atom(&mut self) -> PResult<Node> {
        let start = self.start();
        self.advance();
        let mut pairs: Vec<(Option<Node>, Node)> = Vec::new();
        while !self.at_op("}") {
            let key_start = self.start();
            if self.eat_op("**") {
                let value = self.parse_bitor_expr()?;
                if self.at_comp_for() {
                    return Err(SyntaxError::new(
                        "dict unpacking cannot be used in dict comprehension",
                        self.span_from(key_start),
                    ));
                }
                pairs.push((None, value));
                if !self.eat_op(",") && !self.at_op("}") {
                    return Err(self.missing_comma(key_start));
                }
                continue;
            }
            let key = self.parse_star_test()?;
            if matches!(key.expr.kind, ExprKind::Starred(_)) && pairs.is_empty() {
                return self.parse_set_items(key, start);
            }
            if !self.at_op(":") {
                if pairs.is_empty() && self.at_comp_for() {
                    let comp = self.parse_comp_for(key, key_start)?;
                    self.expect_op("}")?;
                    return self.builtin_call("set", comp, start);
                }
                if pairs.is_empty() && (self.at_op(",") || self.at_op("}")) {
                    return self.parse_set_items(key, start);
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
            if pairs.is_empty() && self.at_comp_for() {
                let span = Span::new(key_start, self.last_end);
                let depth = 1 + key.depth.max(value.depth);
                let pair = self.node(ExprKind::Tuple(vec![key.expr, value.expr]), span, depth)?;
                let comp = self.parse_comp_for(pair, key_start)?;
                self.expect_op("}")?;
                return self.builtin_call("dict", comp, start);
            }
            if self.at_comp_for() {
                return Err(SyntaxError::unsupported(
                    "dict comprehensions",
                    self.tok().span,
                ));
            }
            pairs.push((Some(key), value));
            if !self.eat_op(",") && !self.at_op("}") {
                return Err(self.missing_comma(value_start));
            }
        }
        self.expect_op("}")?;
        let depth = 1 + pairs
            .iter()
            .map(|(k, v)| k.as_ref().map_or(0, |k| k.depth).max(v.depth))
            .max()
            .unwrap_or(0);
        let pairs = pairs
            .into_iter()
            .map(|(k, v)| (k.map(|k| k.expr), v.expr))
            .collect();
        self.node(ExprKind::Dict(pairs), self.span_from(start), depth)
    }

    /// The rest of a set display `{a, b, …}` after its first item `first`:
    /// `set([a, b, …])`, which builds the same set.
    fn parse_set_items(&mut self, first: Node, start: usize) -> PResult<Node> {
        let mut items = vec![first];
        while self.eat_op(",") {
            if self.at_op("}") {
                break;
            }
            items.push(self.parse_star_test()?);
        }
        self.expect_op("}")?;
        let depth = 1 + max_depth(&items);
        let list = self.node(
            ExprKind::List(into_exprs(items)),
            self.span_from(start),
            depth,
        )?;
        self.builtin_call("set", list, start)
    }

    /// `name(arg)` spanning from `start`: a set or dict display, or a set or
    /// dict comprehension, built as Python's `set(...)`/`dict(...)` of a list.
    fn builtin_call(&mut self, name: &str, arg: Node, start: usize) -> PResult<Node> {
        let span = self.span_from(start);
        let func = Expr {
            kind: ExprKind::Name(name.to_string()),
            span,
        };
        let depth = arg.depth + 1;
        self.node(
            ExprKind::Call {
                func: Box::new(func),
                args: vec![arg.expr],
                kwargs: Vec::new(),
            },
            span,
            depth,
        )
    }

    /// `comp_for ::= ('for' exprlist 'in' or_test ('if' or_test)*)+` after
    /// the element `elt` that started at `start`.
    pub(super) fn parse_comp_for(&mut self, elt: Node, start: usize) -> PResult<Node> {
        if matches!(elt.expr.kind, ExprKind::Starred(_)) {
            return Err(SyntaxError::new(
                "iterable unpacking cannot be used in comprehension",
                elt.expr.span,
            ));
        }
        let mut depth = elt.depth;
        let mut generators = Vec::new();
        while self.at_comp_for() {
            let is_async = self.at_kw("async");
            if is_async {
                if self.in_function && !self.in_async_function {
                    return Err(SyntaxError::new(
                        "asynchronous comprehension outside of an asynchronous function",
                        self.tok().span,
                    ));
                }
                self.advance();
            }
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
            depth = depth
                .max(target.depth)
                .max(iter.depth)
                .max(max_depth(&conds));
            generators.push(Comprehension {
                target: target.expr,
                iter: iter.expr,
                conds: into_exprs(conds),
                is_async,
            });
        }
        // `[await f(x) for x in xs]` in a plain `def`.
        if let Some(kw) = self.sync_await
            && kw.start >= start
        {
            return Err(SyntaxError::new(
                "asynchronous comprehension outside of an asynchronous function",
                kw,
            ));
        }
        let kind = ExprKind::ListComp {
            elt: Box::new(elt.expr),
            generators,
            generator: false,
        };
        self.node(kind, self.span_from(start), depth + 1)
    }
}

/// Marks a comprehension parsed in parentheses (or as a lone call
/// argument) as a generator expression.
fn set_generator(e: &mut Expr) {
    if let ExprKind::ListComp { generator, .. } = &mut e.kind {
        *generator = true;
    }
}
