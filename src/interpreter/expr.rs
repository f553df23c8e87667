//! Expressions: literals, names, attribute and item access, calls and
//! their arguments, comprehensions, lambdas, and Python's operators, which
//! build SQL expressions when an operand is a column or clause, as
//! SQLAlchemy's operator overloading does.

use crate::language::ast::{
    BinOp, BoolOp, CmpOp, Comprehension, Expr, ExprKind, FStringPart, Keyword, Span, UnaryOp,
};
use crate::orm::expression::{self, Comparison, is_sql};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, type_error};
use crate::python::iter::PyIter;
use crate::python::ops;
use crate::python::scope::target_names;
use crate::python::value::{FunctionBody, Value};
use crate::sql::elements::Operator;

use super::eval::{Flow, Interpreter};

impl Interpreter {
    // ----- expressions ---------------------------------------------------

    /// Evaluates an expression; errors carry the innermost useful span.
    pub fn eval(&mut self, e: &Expr) -> PyResult<Value> {
        match &e.kind {
            ExprKind::None => Ok(Value::None),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Int(i) => Ok(Value::Int(*i)),
            ExprKind::BigInt(n) => Ok(Value::BigInt(std::rc::Rc::new((**n).clone()))),
            ExprKind::Float(f) => Ok(Value::Float(*f)),
            ExprKind::Str(s) => Ok(Value::str(s)),
            ExprKind::Bytes(b) => Ok(Value::Bytes(std::rc::Rc::from(b.as_slice()))),
            ExprKind::FString(parts) => self.eval_fstring(parts),
            ExprKind::Name(n) => self.lookup(n, e.span),
            ExprKind::List(items) => Ok(Value::list(self.eval_items(items)?)),
            ExprKind::Tuple(items) => Ok(Value::tuple(self.eval_items(items)?)),
            ExprKind::Starred(_) => Err(PyErr::new(
                ExcType::SyntaxError,
                "can't use starred expression here",
            )
            .at(e.span)),
            ExprKind::Dict(pairs) => self.eval_dict(pairs),
            ExprKind::Attribute {
                value,
                attr,
                attr_span,
            } => {
                let obj = self.eval(value)?;
                super::methods::get_attr(self, &obj, attr)
                    .map_err(|err| err.at_part(*attr_span, e.span))
            }
            ExprKind::Subscript { value, index } => self.eval_subscript(e, value, index),
            ExprKind::Slice { .. } => {
                Err(PyErr::new(ExcType::SyntaxError, "invalid syntax").at(e.span))
            }
            ExprKind::Call { func, args, kwargs } => self.eval_call(e, func, args, kwargs),
            ExprKind::BinOp { left, op, right } => {
                let l = self.eval(left)?;
                let r = self.eval(right)?;
                self.binary(*op, &l, &r).map_err(|err| err.at(e.span))
            }
            ExprKind::UnaryOp { op, operand } => {
                let v = self.eval(operand)?;
                self.unary(*op, &v).map_err(|err| err.at(e.span))
            }
            ExprKind::BoolOp { op, values } => self.eval_bool_op(*op, values),
            ExprKind::Compare { left, ops: cmp_ops } => self.eval_compare(e, left, cmp_ops),
            ExprKind::IfExp { test, body, orelse } => {
                let t = self.eval(test)?;
                if self.truthy(&t).map_err(|err| err.at(test.span))? {
                    self.eval(body)
                } else {
                    self.eval(orelse)
                }
            }
            ExprKind::ListComp {
                elt,
                generators,
                generator,
            } => {
                let items = self.eval_list_comp(e, elt, generators)?;
                if *generator {
                    // `(x async for …)` and `(await f(x) for …)` are async generators.
                    let is_async = generators.iter().any(|g| g.is_async)
                        || matches!(elt.kind, ExprKind::Await(_));
                    super::contextlib::generator_expression(self, items, is_async)
                } else {
                    Ok(items)
                }
            }
            ExprKind::Yield(_) | ExprKind::YieldFrom(_) => {
                Err(PyErr::unsupported("'yield' inside an expression").at(e.span))
            }
            ExprKind::Await(value) => {
                let v = self.eval(value)?;
                self.await_value(&v).map_err(|err| err.at(e.span))
            }
            ExprKind::Lambda { params, body } => {
                let body = FunctionBody::Lambda((**body).clone());
                let f = self.make_function("<lambda>", params, body, e.span)?;
                Ok(Value::Function(f))
            }
        }
    }

    /// `f"…{expr!r:spec}…"`: each field converted (`!r`/`!a` → `repr`),
    /// then formatted as Python's `format()`.
    fn eval_fstring(&mut self, parts: &[FStringPart]) -> PyResult<Value> {
        let mut out = String::new();
        for p in parts {
            match p {
                FStringPart::Literal(s) => out.push_str(s),
                FStringPart::Field {
                    expr,
                    conversion,
                    format_spec,
                    nested_spec,
                } => {
                    let v = self.eval(expr)?;
                    // `{x:{width}}`: the spec's own fields first, as Python
                    let built;
                    let format_spec = if nested_spec.is_empty() {
                        format_spec
                    } else {
                        built = Some(crate::python::format::str_plain(
                            &self.eval_fstring(nested_spec)?,
                        ));
                        &built
                    };
                    let text = match conversion {
                        Some('r') | Some('a') => self.repr(&v)?,
                        _ => match format_spec {
                            Some(spec) if !spec.is_empty() => {
                                super::builtins::format_spec(self, &v, spec)
                                    .map_err(|err| err.at(expr.span))?
                            }
                            // `format(obj, "")`: a learner's `__format__`
                            _ if conversion.is_none() && matches!(v, Value::Native(_)) => {
                                super::builtins::format_spec(self, &v, "")
                                    .map_err(|err| err.at(expr.span))?
                            }
                            _ => self.to_str(&v)?,
                        },
                    };
                    let text = match (conversion, format_spec) {
                        (Some(_), Some(spec)) if !spec.is_empty() => {
                            super::builtins::format_spec(self, &Value::str(&text), spec)?
                        }
                        _ => text,
                    };
                    out.push_str(&text);
                }
            }
        }
        Ok(Value::str(&out))
    }

    /// `{k: v, …}`: a repeated key keeps its first position, last value.
    /// `value[index]` and `value[lower:upper:step]`.
    fn eval_subscript(&mut self, e: &Expr, value: &Expr, index: &Expr) -> PyResult<Value> {
        let container = self.eval(value)?;
        if let ExprKind::Slice { lower, upper, step } = &index.kind {
            let lower = match lower {
                Some(x) => Some(self.eval(x)?),
                None => None,
            };
            let upper = match upper {
                Some(x) => Some(self.eval(x)?),
                None => None,
            };
            let step = match step {
                Some(x) => Some(self.eval(x)?),
                None => None,
            };
            return super::methods::slice(self, &container, lower, upper, step)
                .map_err(|err| err.at(e.span));
        }
        if matches!(
            container,
            Value::Builtin(crate::python::value::Builtin::Schema("Annotated"))
        ) {
            return self.annotated_alias(index).map_err(|err| err.at(e.span));
        }
        let key = self.eval(index)?;
        super::methods::get_item(self, &container, &key).map_err(|err| err.at(e.span))
    }

    /// `a and b`, `a or b`: short-circuits, giving the deciding operand.
    fn eval_bool_op(&mut self, op: BoolOp, values: &[Expr]) -> PyResult<Value> {
        let mut last = Value::None;
        for (i, v) in values.iter().enumerate() {
            last = self.eval(v)?;
            if i + 1 == values.len() {
                break;
            }
            let t = self.truthy(&last).map_err(|err| err.at(v.span))?;
            match op {
                BoolOp::And if !t => return Ok(last),
                BoolOp::Or if t => return Ok(last),
                _ => {}
            }
        }
        Ok(last)
    }

    /// `a < b <= c`: chained, each operand evaluated once.
    fn eval_compare(
        &mut self,
        e: &Expr,
        left: &Expr,
        cmp_ops: &[(CmpOp, Expr)],
    ) -> PyResult<Value> {
        let mut l = self.eval(left)?;
        let mut result = Value::Bool(true);
        for (i, (op, right)) in cmp_ops.iter().enumerate() {
            let r = self.eval(right)?;
            result = self.compare(*op, &l, &r).map_err(|err| err.at(e.span))?;
            if i + 1 < cmp_ops.len() && !self.truthy(&result).map_err(|err| err.at(e.span))? {
                return Ok(result);
            }
            l = r;
        }
        Ok(result)
    }

    /// `[elt for target in iter if cond … for …]`: the `for` clauses
    /// nest, outermost first.
    fn eval_list_comp(
        &mut self,
        e: &Expr,
        elt: &Expr,
        generators: &[Comprehension],
    ) -> PyResult<Value> {
        // A comprehension has its own scope in Python 3: its loop variables
        // do not outlive it (`[n for n in xs]` leaves `n` as it was).
        let mut names = Vec::new();
        for g in generators {
            target_names(&g.target, &mut names);
        }
        let saved: Vec<(String, Option<Value>)> = names
            .into_iter()
            .map(|n| {
                let old = self.current_binding(&n);
                (n, old)
            })
            .collect();
        let mut out = Vec::new();
        let result = self.comprehension_level(e, elt, generators, &mut out);
        for (n, old) in saved {
            self.restore_binding(&n, old);
        }
        result.map(|()| Value::list(out))
    }

    /// Runs the first of `generators` (and, per item, the rest), pushing
    /// each `elt` the innermost reaches onto `out`.
    fn comprehension_level(
        &mut self,
        e: &Expr,
        elt: &Expr,
        generators: &[Comprehension],
        out: &mut Vec<Value>,
    ) -> PyResult<()> {
        let Some((g, rest)) = generators.split_first() else {
            out.push(self.eval(elt)?);
            return Ok(());
        };
        let it = self.eval(&g.iter)?;
        let mut items = if g.is_async {
            self.async_iter(&it)
        } else {
            PyIter::new(self, &it)
        }
        .map_err(|err| err.at(g.iter.span))?;
        'items: while let Some(item) = items.next_value(self).map_err(|err| err.at(g.iter.span))? {
            self.count_iteration(e.span)?;
            self.assign(&g.target, item).map_err(flow_to_err)?;
            for c in &g.conds {
                let v = self.eval(c)?;
                if !self.truthy(&v).map_err(|err| err.at(c.span))? {
                    continue 'items;
                }
            }
            self.comprehension_level(e, elt, rest, out)?;
        }
        Ok(())
    }

    /// The value `name` has in the innermost scope (a function's frame, or
    /// the module), if bound there.
    pub(super) fn current_binding(&self, name: &str) -> Option<Value> {
        match self.frames.last() {
            Some(f) => f.vars.borrow().get(name).cloned(),
            None => self.globals.get(name).cloned(),
        }
    }

    /// Puts back what [`Self::current_binding`] saw: the old value, or no
    /// binding at all.
    pub(super) fn restore_binding(&mut self, name: &str, old: Option<Value>) {
        match old {
            Some(v) => self.set_name(name, v),
            None => {
                match self.frames.last() {
                    Some(f) => f.vars.borrow_mut().remove(name),
                    None => self.globals.remove(name),
                };
            }
        }
    }

    /// Evaluates expressions left to right (default values, list items).
    pub(super) fn eval_all(&mut self, exprs: &[Expr]) -> PyResult<Vec<Value>> {
        let mut out = Vec::with_capacity(exprs.len());
        for e in exprs {
            out.push(self.eval(e)?);
        }
        Ok(out)
    }

    fn eval_call(
        &mut self,
        call: &Expr,
        func: &Expr,
        args: &[Expr],
        kwargs: &[Keyword],
    ) -> PyResult<Value> {
        // Method calls evaluate the receiver once and dispatch by name.
        if let ExprKind::Attribute {
            value,
            attr,
            attr_span,
        } = &func.kind
        {
            let receiver = self.eval(value)?;
            let callee = || format!("{}.{attr}", receiver.type_name());
            let (argv, kw) = self.eval_call_args(args, kwargs, &callee)?;
            return super::methods::call_method(self, &receiver, attr, argv, kw).map_err(|err| {
                if err.exc == ExcType::AttributeError && err.span.is_none() {
                    err.at(*attr_span)
                } else {
                    err.at(call.span)
                }
            });
        }
        let f = self.eval(func)?;
        // CPython's `_PyObject_FunctionStr`: a def's module and qualified
        // name (`__main__.g`), a built-in's bare name.
        let callee = || match &f {
            Value::Function(f) => format!("__main__.{}", f.qualname),
            Value::Builtin(b) => crate::python::format::builtin_name(b).to_string(),
            other => other.type_name(),
        };
        let (argv, kw) = self.eval_call_args(args, kwargs, &callee)?;
        self.call(&f, argv, kw).map_err(|err| err.at(call.span))
    }

    // ----- operators -----------------------------------------------------

    pub(super) fn binary(&mut self, op: BinOp, l: &Value, r: &Value) -> PyResult<Value> {
        if is_sql(l) || is_sql(r) || expression::is_declared(l) || expression::is_declared(r) {
            return match op {
                BinOp::BitAnd => expression::and_or(&[l.clone(), r.clone()], false),
                BinOp::BitOr => expression::and_or(&[l.clone(), r.clone()], true),
                BinOp::Add => expression::arithmetic(l, Operator::Add, r),
                BinOp::Sub => expression::arithmetic(l, Operator::Sub, r),
                BinOp::Mul => expression::arithmetic(l, Operator::Mul, r),
                BinOp::Div | BinOp::FloorDiv => expression::arithmetic(l, Operator::Div, r),
                BinOp::Mod => expression::arithmetic(l, Operator::Mod, r),
                BinOp::Pow => Err(type_error(
                    "unsupported operand type(s) for ** on a SQL expression",
                )),
                BinOp::BitXor => Err(PyErr::unsupported("the '^' operator on SQL expressions")),
                BinOp::LShift | BinOp::RShift => Err(PyErr::unsupported(
                    "the '<<' and '>>' operators on SQL expressions",
                )),
            };
        }
        if op == BinOp::Mod
            && let Value::Str(fmt) = l
        {
            // `%s`/`%r` of a learner's object call its `__str__`/`__repr__`
            return crate::python::printf::percent_format_with(fmt, r, &mut |v, repr| {
                if repr { self.repr(v) } else { self.to_str(v) }
            });
        }
        ops::binary_op(op, l, r)
    }

    pub(super) fn unary(&mut self, op: UnaryOp, v: &Value) -> PyResult<Value> {
        match op {
            UnaryOp::Not => Ok(Value::Bool(!self.truthy(v)?)),
            UnaryOp::Neg => match v {
                Value::Int(i) => Ok(i.checked_neg().map_or_else(
                    || crate::python::bigint::int_value(-num_bigint::BigInt::from(*i)),
                    Value::Int,
                )),
                Value::BigInt(n) => Ok(crate::python::bigint::negate(n)),
                Value::Bool(b) => Ok(Value::Int(-(*b as i64))),
                Value::Float(f) => Ok(Value::Float(-f)),
                Value::Decimal(d) => Ok(Value::Decimal(-*d)),
                Value::TimeDelta(t) => crate::python::types::timedelta::neg(t),
                v if is_sql(v) => {
                    let e = expression::coerce(v, None)?;
                    Ok(expression::sql(
                        crate::sql::elements::Expr::Neg(Box::new(e.expr)),
                        e.ty,
                    ))
                }
                other => Err(type_error(format!(
                    "bad operand type for unary -: '{}'",
                    other.type_name()
                ))),
            },
            UnaryOp::Pos => match v {
                Value::Int(_)
                | Value::BigInt(_)
                | Value::Float(_)
                | Value::Decimal(_)
                | Value::TimeDelta(_) => Ok(v.clone()),
                Value::Bool(b) => Ok(Value::Int(*b as i64)),
                other => Err(type_error(format!(
                    "bad operand type for unary +: '{}'",
                    other.type_name()
                ))),
            },
            UnaryOp::Invert => match v {
                Value::Int(i) => Ok(Value::Int(!i)),
                Value::BigInt(n) => Ok(crate::python::bigint::invert(n)),
                Value::Bool(b) => Ok(Value::Int(!(*b as i64))),
                v if is_sql(v) => expression::negate(v),
                other => Err(type_error(format!(
                    "bad operand type for unary ~: '{}'",
                    other.type_name()
                ))),
            },
        }
    }

    pub(super) fn compare(&mut self, op: CmpOp, l: &Value, r: &Value) -> PyResult<Value> {
        if matches!(op, CmpOp::Eq | CmpOp::NotEq) {
            // a `MappedAsDataclass` object's generated `__eq__`, then the
            // right side's reflected one
            let found = match super::dataclasses::eq(self, l, r)? {
                Some(b) => Some(b),
                None => super::dataclasses::eq(self, r, l)?,
            };
            if let Some(b) = found {
                return Ok(Value::Bool(b == (op == CmpOp::Eq)));
            }
        }
        if matches!(op, CmpOp::Lt | CmpOp::LtE | CmpOp::Gt | CmpOp::GtE) {
            // `order=True`'s generated methods, then the right side's reflected one
            let found = match super::dataclasses::order(self, op, l, r)? {
                Some(b) => Some(b),
                None => super::dataclasses::order(self, reflected(op), r, l)?,
            };
            if let Some(b) = found {
                return Ok(Value::Bool(b));
            }
        }
        if let Some(v) = super::classes::rich_compare(self, op, l, r)? {
            return Ok(v);
        }
        let sql_cmp = |op: CmpOp| match op {
            CmpOp::Eq => Some(Comparison::Eq),
            CmpOp::NotEq => Some(Comparison::Ne),
            CmpOp::Lt => Some(Comparison::Lt),
            CmpOp::LtE => Some(Comparison::Le),
            CmpOp::Gt => Some(Comparison::Gt),
            CmpOp::GtE => Some(Comparison::Ge),
            _ => None,
        };
        if let Some(c) = sql_cmp(op) {
            if is_sql(l) {
                return expression::compare(l, c, r);
            }
            // `id == follows.c.follower_id` in a class body
            // (`primaryjoin=`): a column not mapped yet.
            if expression::declared_column_expr(l).is_some()
                && (expression::declared_column_expr(r).is_some() || is_sql(r))
            {
                return expression::compare(l, c, r);
            }
            if is_sql(r) {
                return expression::compare(r, c.reflected(), l);
            }
        }
        Ok(Value::Bool(match op {
            CmpOp::Eq => self.equal(l, r)?,
            CmpOp::NotEq => !self.equal(l, r)?,
            CmpOp::Lt if let Some(b) = ops::set_compare(l, r, "<") => b,
            CmpOp::LtE if let Some(b) = ops::set_compare(l, r, "<=") => b,
            CmpOp::Gt if let Some(b) = ops::set_compare(l, r, ">") => b,
            CmpOp::GtE if let Some(b) = ops::set_compare(l, r, ">=") => b,
            CmpOp::Lt => ops::compare_values(l, r, "<")?.is_lt(),
            CmpOp::LtE => ops::compare_values(l, r, "<=")?.is_le(),
            CmpOp::Gt => ops::compare_values(l, r, ">")?.is_gt(),
            CmpOp::GtE => ops::compare_values(l, r, ">=")?.is_ge(),
            CmpOp::Is => l.is(r),
            CmpOp::IsNot => !l.is(r),
            CmpOp::In => self.contains(r, l)?,
            CmpOp::NotIn => !self.contains(r, l)?,
        }))
    }

    fn equal(&mut self, l: &Value, r: &Value) -> PyResult<bool> {
        ops::equal(l, r)
    }

    fn contains(&mut self, container: &Value, item: &Value) -> PyResult<bool> {
        match container {
            v if let Some(a) = v.downcast::<crate::sqlalchemy::asyncio::AsyncSession>() => {
                // `obj in async_session`: proxied to its sync session.
                Ok(crate::orm::state::as_instance(item).is_some_and(|o| a.sync.contains(&o)))
            }
            v if let Some(s) = crate::sqlalchemy::session::as_session(v) => match item {
                inst if let Some(o) = crate::orm::state::as_instance(inst) => Ok(s.contains(&o)),
                _ => Ok(false),
            },
            v if let Some(r) = super::classes::contains(self, v, item)? => Ok(r),
            _ => {
                if is_sql(item) {
                    return Err(type_error("Boolean value of this clause is not defined"));
                }
                ops::contains(container, item)
            }
        }
    }

    /// Python truthiness; a SQL clause has none (`TypeError`), as in SQLAlchemy.
    pub fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        match v {
            v if expression::is_sql(v) => Err(type_error(
                "Boolean value of this clause is not defined",
            )
            .with_hint("combine SQL conditions with and_()/or_() or & and |, not 'and'/'or'")),
            v @ Value::Native(_) if let Some(b) = super::classes::truthy(self, v)? => Ok(b),
            other => Ok(other.truthy()),
        }
    }

    /// Items of an iterable value, running queries and results as Python
    /// iteration would.
    pub fn iterate(&mut self, v: &Value, span: Span) -> PyResult<Vec<Value>> {
        super::methods::iterate(self, v).map_err(|e| e.at(span))
    }
}

fn flow_to_err(f: Flow) -> PyErr {
    match f {
        Flow::Error(e) => e,
        _ => PyErr::new(ExcType::SyntaxError, "invalid control flow"),
    }
}

/// The comparison Python tries on the right operand when the left one's
/// returns `NotImplemented`: `a < b` → `b > a`.
fn reflected(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::LtE => CmpOp::GtE,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::GtE => CmpOp::LtE,
        other => other,
    }
}
