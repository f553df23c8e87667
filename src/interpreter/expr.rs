//! Expressions: literals, names, attribute and item access, calls and
//! their arguments, comprehensions, lambdas, and Python's operators, which
//! build SQL expressions when an operand is a column or clause, as
//! SQLAlchemy's operator overloading does.

use std::rc::Rc;

use crate::language::ast::{
    BinOp, BoolOp, CmpOp, Expr, ExprKind, FStringPart, Keyword, Span, UnaryOp,
};
use crate::orm::expression::{self, Comparison, is_sql};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, type_error};
use crate::python::iter::PyIter;
use crate::python::ops;
use crate::python::value::{Function, FunctionBody, Value};
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
            ExprKind::Float(f) => Ok(Value::Float(*f)),
            ExprKind::Str(s) => Ok(Value::str(s)),
            ExprKind::FString(parts) => self.eval_fstring(parts),
            ExprKind::Name(n) => self.lookup(n, e.span),
            ExprKind::List(items) => Ok(Value::list(self.eval_all(items)?)),
            ExprKind::Tuple(items) => Ok(Value::tuple(self.eval_all(items)?)),
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
                target,
                iter,
                conds,
            } => self.eval_list_comp(e, elt, target, iter, conds),
            ExprKind::Await(value) => {
                let v = self.eval(value)?;
                self.await_value(&v).map_err(|err| err.at(e.span))
            }
            ExprKind::Lambda {
                params,
                defaults,
                body,
            } => {
                let values = self.eval_all(defaults)?;
                Ok(Value::Function(Rc::new(Function {
                    name: "<lambda>".into(),
                    params: params.clone(),
                    defaults: values,
                    body: FunctionBody::Lambda((**body).clone()),
                    source: self.source.clone(),
                })))
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
                } => {
                    let v = self.eval(expr)?;
                    let text = match conversion {
                        Some('r') | Some('a') => self.repr(&v)?,
                        _ => match format_spec {
                            Some(spec) if !spec.is_empty() => {
                                super::builtins::format_spec(self, &v, spec)
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
    fn eval_dict(&mut self, pairs: &[(Expr, Expr)]) -> PyResult<Value> {
        let mut out: Vec<(Value, Value)> = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let k = self.eval(k)?;
            let v = self.eval(v)?;
            if let Some(slot) = out.iter_mut().find(|(ek, _)| ops::values_equal(ek, &k)) {
                slot.1 = v;
            } else {
                out.push((k, v));
            }
        }
        Ok(crate::python::value::DictObj::value(out))
    }

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

    /// `[elt for target in iter if cond …]`.
    fn eval_list_comp(
        &mut self,
        e: &Expr,
        elt: &Expr,
        target: &Expr,
        iter: &Expr,
        conds: &[Expr],
    ) -> PyResult<Value> {
        let it = self.eval(iter)?;
        let mut items = PyIter::new(self, &it).map_err(|err| err.at(iter.span))?;
        // A comprehension has its own scope in Python 3: its loop variables
        // do not outlive it (`[n for n in xs]` leaves `n` as it was).
        let mut names = Vec::new();
        target_names(target, &mut names);
        let saved: Vec<(String, Option<Value>)> = names
            .into_iter()
            .map(|n| {
                let old = self.current_binding(&n);
                (n, old)
            })
            .collect();
        let result = self.list_comp_items(e, elt, target, iter, conds, &mut items);
        for (n, old) in saved {
            self.restore_binding(&n, old);
        }
        result
    }

    fn list_comp_items(
        &mut self,
        e: &Expr,
        elt: &Expr,
        target: &Expr,
        iter: &Expr,
        conds: &[Expr],
        items: &mut PyIter,
    ) -> PyResult<Value> {
        let mut out = Vec::new();
        'items: while let Some(item) = items.next_value().map_err(|err| err.at(iter.span))? {
            self.count_iteration(e.span)?;
            self.assign(target, item).map_err(flow_to_err)?;
            for c in conds {
                let v = self.eval(c)?;
                if !self.truthy(&v).map_err(|err| err.at(c.span))? {
                    continue 'items;
                }
            }
            out.push(self.eval(elt)?);
        }
        Ok(Value::list(out))
    }

    /// The value `name` has in the innermost scope (a function's frame, or
    /// the module), if bound there.
    pub(super) fn current_binding(&self, name: &str) -> Option<Value> {
        match self.frames.last() {
            Some(f) => f.get(name).cloned(),
            None => self.globals.get(name).cloned(),
        }
    }

    /// Puts back what [`Self::current_binding`] saw: the old value, or no
    /// binding at all.
    pub(super) fn restore_binding(&mut self, name: &str, old: Option<Value>) {
        match old {
            Some(v) => self.set_name(name, v),
            None => {
                match self.frames.last_mut() {
                    Some(f) => f.remove(name),
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
            let (argv, kw) = self.eval_args(args, kwargs)?;
            return super::methods::call_method(self, &receiver, attr, argv, kw).map_err(|err| {
                if err.exc == ExcType::AttributeError && err.span.is_none() {
                    err.at(*attr_span)
                } else {
                    err.at(call.span)
                }
            });
        }
        let f = self.eval(func)?;
        let (argv, kw) = self.eval_args(args, kwargs)?;
        self.call(&f, argv, kw).map_err(|err| err.at(call.span))
    }

    fn eval_args(
        &mut self,
        args: &[Expr],
        kwargs: &[Keyword],
    ) -> PyResult<(Vec<Value>, crate::python::Kwargs)> {
        let mut argv = Vec::with_capacity(args.len());
        for a in args {
            argv.push(self.eval(a)?);
        }
        let mut kw = Vec::with_capacity(kwargs.len());
        for k in kwargs {
            if kw.iter().any(|(n, _): &(String, Value)| n == &k.name) {
                return Err(PyErr::new(
                    ExcType::SyntaxError,
                    format!("keyword argument repeated: {}", k.name),
                )
                .at(k.span));
            }
            let v = self.eval(&k.value)?;
            kw.push((k.name.clone(), v));
        }
        Ok((argv, kw))
    }

    // ----- operators -----------------------------------------------------

    pub(super) fn binary(&mut self, op: BinOp, l: &Value, r: &Value) -> PyResult<Value> {
        if is_sql(l) || is_sql(r) {
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
            };
        }
        ops::binary_op(op, l, r)
    }

    fn unary(&mut self, op: UnaryOp, v: &Value) -> PyResult<Value> {
        match op {
            UnaryOp::Not => Ok(Value::Bool(!self.truthy(v)?)),
            UnaryOp::Neg => match v {
                Value::Int(i) => i
                    .checked_neg()
                    .map(Value::Int)
                    .ok_or_else(|| PyErr::new(ExcType::OverflowError, "integer overflow")),
                Value::Bool(b) => Ok(Value::Int(-(*b as i64))),
                Value::Float(f) => Ok(Value::Float(-f)),
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
                Value::Int(_) | Value::Float(_) => Ok(v.clone()),
                Value::Bool(b) => Ok(Value::Int(*b as i64)),
                other => Err(type_error(format!(
                    "bad operand type for unary +: '{}'",
                    other.type_name()
                ))),
            },
            UnaryOp::Invert => match v {
                Value::Int(i) => Ok(Value::Int(!i)),
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
            if is_sql(r) {
                return expression::compare(r, c.reflected(), l);
            }
        }
        Ok(Value::Bool(match op {
            CmpOp::Eq => self.equal(l, r)?,
            CmpOp::NotEq => !self.equal(l, r)?,
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

/// The names a `for` target binds (`x`, `(k, v)`, `[a, (b, c)]`).
fn target_names(target: &Expr, out: &mut Vec<String>) {
    match &target.kind {
        ExprKind::Name(n) => out.push(n.clone()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            for i in items {
                target_names(i, out);
            }
        }
        _ => {}
    }
}
