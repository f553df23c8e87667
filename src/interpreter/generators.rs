//! Generator functions: a `def` (or `async def`) whose body contains
//! `yield` returns a generator, and its body runs lazily, a piece at each
//! `next()`/`send()`/`throw()`/`close()`, as CPython's.
//!
//! The tree-walker cannot pause in the middle of `exec`, so a generator's
//! frame keeps its locals and the path to the `yield` it stopped at: one
//! [`Level`] per compound statement on that path (which statement of a
//! block, which branch of an `if`, a `for`'s live iterator, the phase of a
//! `try` and what its `finally` must re-raise, a `with`'s context manager
//! still to exit). Resuming walks back down that path; statements that
//! contain no `yield` run through the ordinary [`Interpreter::exec`].
//! `yield` is a statement, the value of `x = yield v`, or `yield from it`;
//! deeper inside an expression it is `NotImplementedError`.

use std::collections::HashMap;
use std::rc::Rc;

use crate::language::ast::{Expr, ExprKind, Stmt, StmtKind, WithItem};
use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, TraceFrame};
use crate::python::generator::{GenState, Generator};
use crate::python::iter::PyIter;
use crate::python::scope::Scope;
use crate::python::value::{Function, FunctionBody, Value};

use super::eval::{Flow, Interpreter};

/// What a resumed generator is given: a value to `send` (`None` for
/// `next()`), or an exception to `throw` at its `yield`.
pub enum Input {
    Send(Value),
    Throw(PyErr),
}

/// Where a resumed generator stopped: at a `yield` with its value, or at
/// its end with its `return` value (`StopIteration.value`).
pub enum Resumed {
    Yielded(Value),
    Returned(Value),
}

/// A paused generator function: its namespace (shared with the closures
/// made in it) and the path to its `yield`.
pub(super) struct Frame {
    func: Rc<Function>,
    scope: Rc<Scope>,
    /// The path to the `yield`, innermost first; empty before the start.
    path: Vec<Level>,
    started: bool,
    /// The interpreter that made it ([`Interpreter::id`]): a frame dropped
    /// by another (an earlier session of the tutor) is never resumed.
    owner: u64,
    /// For a generator method of a learner's class: its class and
    /// receiver, for `super()` in its body.
    method: Option<super::classes::RunningMethod>,
}

/// A lazy iterator that is not a function's frame: `iter(list)`, a
/// generator expression.
pub(super) struct IterFrame(pub PyIter);

/// One compound statement on the path to a paused `yield`.
enum Level {
    /// The index of the running statement in its block.
    Block(usize),
    /// Which branch of an `if` runs.
    If(bool),
    While,
    For(PyIter),
    Try(TryPhase),
    /// A `with` item's context manager, still to exit.
    With(Value),
    /// The iterator of a `yield from`.
    YieldFrom(Value),
    /// A `for` or `while` loop's `else:` block.
    LoopElse,
}

/// Where in a `try` statement a generator paused.
enum TryPhase {
    Body,
    /// In `except` clause `usize`, handling the error (as raised, and as
    /// the clause caught it: the `__context__` of what its body raises);
    /// for `except*`, what is left of the group for the clauses after it.
    Handler(usize, PyErr, Rc<PyErr>, Option<Box<PyErr>>),
    Else,
    /// In `finally`, with the outcome to re-raise after it.
    Finally(Result<(), Flow>),
}

/// How a statement of a generator ends: a `yield`, or ordinary flow.
enum Step {
    Yield(Value),
    Flow(Flow),
}

impl From<Flow> for Step {
    fn from(f: Flow) -> Step {
        Step::Flow(f)
    }
}

impl From<PyErr> for Step {
    fn from(e: PyErr) -> Step {
        Step::Flow(Flow::Error(e))
    }
}

/// The path being resumed (outermost last), the path saved at a new
/// `yield` (innermost first), and the input for the resumed `yield`.
struct Ctx {
    resume: Vec<Level>,
    saved: Vec<Level>,
    input: Option<Input>,
}

impl Ctx {
    fn resuming(&self) -> bool {
        !self.resume.is_empty()
    }
}

thread_local! {
    static NEXT_INTERPRETER: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

/// A new interpreter's id, for [`Frame::owner`].
pub fn new_interpreter_id() -> u64 {
    NEXT_INTERPRETER.with(|n| {
        let id = n.get();
        n.set(id + 1);
        id
    })
}

/// Whether calling `f` makes a generator: a `def` or `async def` whose
/// body contains `yield`.
pub fn is_generator(f: &Function) -> bool {
    match &f.body {
        FunctionBody::Block(b) | FunctionBody::AsyncBlock(b) => is_generator_body(b),
        FunctionBody::Lambda(_) => false,
    }
}

/// Whether the function body contains `yield` (outside nested `def`s and
/// lambdas): a call then returns a generator, as Python decides at compile
/// time.
pub fn is_generator_body(body: &[Stmt]) -> bool {
    body.iter().any(stmt_yields)
}

fn stmt_yields(s: &Stmt) -> bool {
    let block = |b: &[Stmt]| b.iter().any(stmt_yields);
    match &s.kind {
        StmtKind::Expr(e) | StmtKind::Return(Some(e)) => expr_yields(e),
        StmtKind::Raise { exc, cause } => {
            exc.as_ref().is_some_and(expr_yields) || cause.as_ref().is_some_and(expr_yields)
        }
        StmtKind::Assign { targets, value } => {
            expr_yields(value) || targets.iter().any(expr_yields)
        }
        StmtKind::AnnAssign { value, .. } => value.as_ref().is_some_and(expr_yields),
        StmtKind::AugAssign { target, value, .. } => expr_yields(target) || expr_yields(value),
        StmtKind::For {
            iter, body, orelse, ..
        } => expr_yields(iter) || block(body) || block(orelse),
        StmtKind::While { test, body, orelse } => expr_yields(test) || block(body) || block(orelse),
        StmtKind::If { test, body, orelse } => expr_yields(test) || block(body) || block(orelse),
        StmtKind::With { items, body } => {
            items.iter().any(|i| expr_yields(&i.context)) || block(body)
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            block(body)
                || handlers.iter().any(|h| block(&h.body))
                || block(orelse)
                || block(finalbody)
        }
        StmtKind::Assert { test, msg } => {
            expr_yields(test) || msg.as_ref().is_some_and(expr_yields)
        }
        StmtKind::Async(inner) => {
            !matches!(inner.kind, StmtKind::FunctionDef { .. }) && stmt_yields(inner)
        }
        _ => false,
    }
}

fn expr_yields(e: &Expr) -> bool {
    let any = |es: &[Expr]| es.iter().any(expr_yields);
    match &e.kind {
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => true,
        ExprKind::List(xs) | ExprKind::Tuple(xs) => any(xs),
        ExprKind::Dict(kv) => kv
            .iter()
            .any(|(k, v)| k.as_ref().is_some_and(expr_yields) || expr_yields(v)),
        ExprKind::Attribute { value, .. } | ExprKind::Await(value) | ExprKind::Starred(value) => {
            expr_yields(value)
        }
        ExprKind::UnaryOp { operand, .. } => expr_yields(operand),
        ExprKind::Subscript { value, index } => expr_yields(value) || expr_yields(index),
        ExprKind::Call { func, args, kwargs } => {
            expr_yields(func) || any(args) || kwargs.iter().any(|k| expr_yields(&k.value))
        }
        ExprKind::BinOp { left, right, .. } => expr_yields(left) || expr_yields(right),
        ExprKind::BoolOp { values, .. } => any(values),
        ExprKind::Compare { left, ops } => {
            expr_yields(left) || ops.iter().any(|(_, r)| expr_yields(r))
        }
        ExprKind::IfExp { test, body, orelse } => {
            expr_yields(test) || expr_yields(body) || expr_yields(orelse)
        }
        _ => false,
    }
}

/// The `yield` a simple statement is, when it is one the resumable
/// executor steps: `yield v`, `yield from it`, `x = yield v`.
fn yield_of(s: &Stmt) -> Option<&Expr> {
    match &s.kind {
        StmtKind::Expr(e) | StmtKind::Assign { value: e, .. } => {
            matches!(e.kind, ExprKind::Yield(_) | ExprKind::YieldFrom(_)).then_some(e)
        }
        _ => None,
    }
}

impl Interpreter {
    /// The generator a call of the generator function `f` returns (its
    /// arguments bound now, as CPython binds them at the call).
    pub(super) fn generator_of(&mut self, f: &Rc<Function>, vars: HashMap<String, Value>) -> Value {
        let is_async = matches!(f.body, FunctionBody::AsyncBlock(_));
        let scope = Scope::function(vars, f.closure.clone(), f.names.clone());
        let frame = Frame {
            func: f.clone(),
            scope: Rc::new(scope),
            path: Vec::new(),
            started: false,
            owner: self.id,
            method: self.classes.running_method(f),
        };
        let type_name = if is_async {
            "async_generator"
        } else {
            "generator"
        };
        Generator::value(type_name, f.name.clone(), Box::new(frame))
    }

    /// Resumes the generator `g` with `input`, as `gen.send(v)` /
    /// `gen.throw(e)`: CPython's `ValueError: generator already executing`
    /// when it is running; a finished one returns at once (a throw raises).
    pub fn resume_generator(&mut self, g: &Generator, input: Input) -> PyResult<Resumed> {
        let state = std::mem::replace(&mut *g.state.borrow_mut(), GenState::Running);
        let mut frame = match state {
            GenState::Suspended(f) => f,
            GenState::Running => {
                return Err(PyErr::new(
                    ExcType::ValueError,
                    format!("{} already executing", g.type_name.replace('_', " ")),
                ));
            }
            GenState::Finished => {
                *g.state.borrow_mut() = GenState::Finished;
                return match input {
                    Input::Send(_) => Ok(Resumed::Returned(Value::None)),
                    Input::Throw(e) => Err(e),
                };
            }
        };
        let result = if let Some(it) = frame.downcast_mut::<IterFrame>() {
            match input {
                Input::Throw(e) => Err(e),
                Input::Send(_) => match it.0.next_value(self) {
                    Ok(Some(v)) => Ok(Resumed::Yielded(v)),
                    Ok(None) => Ok(Resumed::Returned(Value::None)),
                    Err(e) => Err(e),
                },
            }
        } else if let Some(f) = frame.downcast_mut::<Frame>() {
            self.resume_frame(f, input)
        } else {
            Err(PyErr::new(ExcType::RuntimeError, "unknown generator frame"))
        };
        if let Ok(Resumed::Yielded(_)) = result {
            *g.state.borrow_mut() = GenState::Suspended(frame);
        } else {
            *g.state.borrow_mut() = GenState::Finished;
        }
        result
    }

    /// Runs a generator function's frame from where it stopped to its next
    /// `yield` or its end.
    fn resume_frame(&mut self, frame: &mut Frame, input: Input) -> PyResult<Resumed> {
        let input = if frame.started {
            Some(input)
        } else {
            match input {
                Input::Throw(e) => return Err(e),
                Input::Send(Value::None) => None,
                Input::Send(_) => {
                    return Err(crate::python::exceptions::type_error(
                        "can't send non-None value to a just-started generator",
                    ));
                }
            }
        };
        frame.started = true;
        let func = frame.func.clone();
        let (FunctionBody::Block(body) | FunctionBody::AsyncBlock(body)) = &func.body else {
            return Ok(Resumed::Returned(Value::None));
        };
        let mut ctx = Ctx {
            resume: std::mem::take(&mut frame.path),
            saved: Vec::new(),
            input,
        };
        if self.call_depth >= super::calls::MAX_CALL_DEPTH {
            // `def g(): yield from g()`: CPython's RecursionError, not a
            // Rust stack overflow.
            frame.path = ctx.resume;
            return Err(PyErr::new(
                ExcType::RecursionError,
                "maximum recursion depth exceeded",
            ));
        }
        self.call_depth += 1;
        self.frames.push(frame.scope.clone());
        self.function_names.push(func.qualname.clone());
        // A `def` or `lambda` run here was written in the function's source.
        let caller_source = std::mem::replace(&mut self.source, func.source.clone());
        let method = self.classes.resume_method(frame.method.as_ref());
        let r = self.gen_block(body, &mut ctx);
        self.leave_method(method);
        self.source = caller_source;
        self.function_names.pop();
        self.frames.pop();
        self.call_depth -= 1;
        let result = match r {
            Err(Step::Yield(v)) => {
                frame.path = ctx.saved;
                return Ok(Resumed::Yielded(v));
            }
            Ok(()) => Ok(Resumed::Returned(Value::None)),
            Err(Step::Flow(Flow::Return(v))) => Ok(Resumed::Returned(v)),
            Err(Step::Flow(Flow::Error(e))) if e.exc == ExcType::StopIteration => {
                // PEP 479: CPython's `RuntimeError`, at the line that raised.
                let kind = match func.body {
                    FunctionBody::AsyncBlock(_) => "async generator",
                    _ => "generator",
                };
                let mut err = PyErr::new(
                    ExcType::RuntimeError,
                    format!("{kind} raised StopIteration"),
                );
                err.span = e.traceback_span();
                Err(err)
            }
            Err(Step::Flow(Flow::Error(e))) => Err(e),
            Err(Step::Flow(_)) => Err(PyErr::new(ExcType::SyntaxError, "'break' outside loop")),
        };
        result.map_err(|mut e| {
            e.traceback.push(TraceFrame {
                function: func.name.clone(),
                source: func.source.clone(),
                span: e.traceback_span(),
            });
            e.span = None;
            e.expression = None;
            e
        })
    }

    /// Closes the generators dropped while suspended (CPython closes one
    /// when its last reference goes): `GeneratorExit` at their `yield`, so
    /// their `finally` runs; what they raise is ignored, as CPython prints
    /// it to stderr as "Exception ignored in".
    pub fn close_dropped_generators(&mut self) {
        while crate::python::generator::any_dropped() {
            for mut frame in crate::python::generator::take_dropped() {
                if let Some(f) = frame.downcast_mut::<Frame>()
                    && f.started
                    && f.owner == self.id
                {
                    let _ = self.resume_frame(f, Input::Throw(generator_exit()));
                }
            }
        }
    }

    /// A block of a generator's body, from the statement it paused in.
    fn gen_block(&mut self, body: &[Stmt], ctx: &mut Ctx) -> Result<(), Step> {
        let start = match ctx.resume.pop() {
            Some(Level::Block(i)) => i,
            Some(other) => {
                ctx.resume.push(other);
                0
            }
            None => 0,
        };
        for (i, s) in body.iter().enumerate().skip(start) {
            let r = if ctx.resuming() || ctx.input.is_some() || stmt_yields(s) {
                self.gen_stmt(s, ctx)
            } else {
                self.exec(s).map_err(Step::Flow)
            };
            if let Err(Step::Yield(v)) = r {
                ctx.saved.push(Level::Block(i));
                return Err(Step::Yield(v));
            }
            r?;
        }
        Ok(())
    }

    /// One statement that contains a `yield` (or is being resumed).
    fn gen_stmt(&mut self, s: &Stmt, ctx: &mut Ctx) -> Result<(), Step> {
        if let Some(y) = yield_of(s) {
            let v = self.gen_yield(y, ctx)?;
            if let StmtKind::Assign { targets, .. } = &s.kind {
                for t in targets {
                    self.assign(t, v.clone())?;
                }
            }
            return Ok(());
        }
        match &s.kind {
            StmtKind::If { test, body, orelse } => {
                let branch = match ctx.resume.pop() {
                    Some(Level::If(b)) => b,
                    _ => {
                        let t = self.eval(test)?;
                        self.truthy(&t).map_err(|e| e.at(test.span))?
                    }
                };
                let r = self.gen_block(if branch { body } else { orelse }, ctx);
                if let Err(Step::Yield(_)) = &r {
                    ctx.saved.push(Level::If(branch));
                }
                r
            }
            StmtKind::While { test, body, orelse } => self.gen_while(s, test, body, orelse, ctx),
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => self.gen_for(s, (target, iter), body, orelse, false, ctx),
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => self.gen_try(body, handlers, orelse, finalbody, ctx),
            StmtKind::With { items, body } => self.gen_with(items, body, 0, false, ctx),
            StmtKind::Async(inner) => match &inner.kind {
                StmtKind::With { items, body } => self.gen_with(items, body, 0, true, ctx),
                StmtKind::For {
                    target,
                    iter,
                    body,
                    orelse,
                } => self.gen_for(inner, (target, iter), body, orelse, true, ctx),
                _ => self.exec(s).map_err(Step::Flow),
            },
            _ => self.exec(s).map_err(Step::Flow),
        }
    }

    /// `yield v` / `yield from it`: pauses with a value; when resumed, the
    /// value sent in (or the exception thrown in).
    fn gen_yield(&mut self, y: &Expr, ctx: &mut Ctx) -> Result<Value, Step> {
        if let ExprKind::YieldFrom(inner) = &y.kind {
            return self.gen_yield_from(inner, ctx);
        }
        if let Some(input) = ctx.input.take() {
            return match input {
                Input::Send(v) => Ok(v),
                Input::Throw(e) => Err(Step::Flow(Flow::Error(e.at(y.span)))),
            };
        }
        let v = match &y.kind {
            ExprKind::Yield(Some(v)) => self.eval(v)?,
            _ => Value::None,
        };
        Err(Step::Yield(v))
    }

    /// `yield from it`: each item of `it` is yielded; sends and throws go to
    /// a generator `it`; the value is what `it` returned.
    fn gen_yield_from(&mut self, inner: &Expr, ctx: &mut Ctx) -> Result<Value, Step> {
        let (it, input) = match ctx.resume.pop() {
            Some(Level::YieldFrom(it)) => {
                (it, ctx.input.take().unwrap_or(Input::Send(Value::None)))
            }
            _ => {
                let v = self.eval(inner)?;
                let it = match v.downcast::<Generator>() {
                    Some(g) if !g.is_async() => v.clone(),
                    _ => {
                        let items = PyIter::new(self, &v).map_err(|e| e.at(inner.span))?;
                        Generator::value("iterator", "", Box::new(IterFrame(items)))
                    }
                };
                (it, Input::Send(Value::None))
            }
        };
        let Some(g) = it.downcast::<Generator>() else {
            return Ok(Value::None);
        };
        let closing = matches!(&input, Input::Throw(e) if e.exc == ExcType::GeneratorExit);
        match self.resume_generator(&g, input) {
            Ok(Resumed::Yielded(v)) if !closing => {
                ctx.saved.push(Level::YieldFrom(it));
                Err(Step::Yield(v))
            }
            Ok(Resumed::Yielded(_)) => {
                Err(PyErr::new(ExcType::RuntimeError, "generator ignored GeneratorExit").into())
            }
            Ok(Resumed::Returned(v)) => Ok(v),
            Err(e) => Err(e.at(inner.span).into()),
        }
    }

    fn gen_while(
        &mut self,
        s: &Stmt,
        test: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
        ctx: &mut Ctx,
    ) -> Result<(), Step> {
        if matches!(ctx.resume.last(), Some(Level::LoopElse)) {
            ctx.resume.pop();
            return self.gen_loop_else(orelse, ctx);
        }
        let mut resumed = matches!(ctx.resume.last(), Some(Level::While));
        if resumed {
            ctx.resume.pop();
        }
        loop {
            if !resumed {
                self.count_iteration(s.span)?;
                let t = self.eval(test)?;
                if !self.truthy(&t).map_err(|e| e.at(test.span))? {
                    return self.gen_loop_else(orelse, ctx);
                }
            }
            resumed = false;
            match self.gen_block(body, ctx) {
                Ok(()) | Err(Step::Flow(Flow::Continue)) => {}
                Err(Step::Flow(Flow::Break)) => return Ok(()),
                Err(Step::Yield(v)) => {
                    ctx.saved.push(Level::While);
                    return Err(Step::Yield(v));
                }
                Err(other) => return Err(other),
            }
        }
    }

    /// `for` (or `async for`) in a generator: the iterator lives in the
    /// frame while the generator is paused in the body.
    fn gen_for(
        &mut self,
        s: &Stmt,
        (target, iter): (&Expr, &Expr),
        body: &[Stmt],
        orelse: &[Stmt],
        is_async: bool,
        ctx: &mut Ctx,
    ) -> Result<(), Step> {
        let (mut items, mut resumed) = match ctx.resume.pop() {
            Some(Level::For(items)) => (items, true),
            Some(Level::LoopElse) => return self.gen_loop_else(orelse, ctx),
            Some(other) => {
                ctx.resume.push(other);
                return Err(PyErr::new(ExcType::RuntimeError, "bad generator frame").into());
            }
            None => {
                let it = self.eval(iter)?;
                let items = if is_async {
                    self.async_iter(&it).map_err(|e| e.at(iter.span))?
                } else {
                    PyIter::new(self, &it).map_err(|e| e.at(iter.span))?
                };
                (items, false)
            }
        };
        loop {
            if !resumed {
                let Some(item) = items.next_value(self).map_err(|e| e.at(iter.span))? else {
                    return self.gen_loop_else(orelse, ctx);
                };
                self.count_iteration(s.span)?;
                self.assign(target, item)?;
            }
            resumed = false;
            match self.gen_block(body, ctx) {
                Ok(()) | Err(Step::Flow(Flow::Continue)) => {}
                Err(Step::Flow(Flow::Break)) => return Ok(()),
                Err(Step::Yield(v)) => {
                    ctx.saved.push(Level::For(items));
                    return Err(Step::Yield(v));
                }
                Err(other) => return Err(other),
            }
        }
    }

    /// A loop's `else:` block, run when the loop ended without `break`.
    fn gen_loop_else(&mut self, orelse: &[Stmt], ctx: &mut Ctx) -> Result<(), Step> {
        let r = self.gen_block(orelse, ctx);
        if let Err(Step::Yield(_)) = &r {
            ctx.saved.push(Level::LoopElse);
        }
        r
    }

    /// The iterator `async for` runs over: an async generator lazily, the
    /// tutor's async results as a snapshot.
    pub(super) fn async_iter(&mut self, it: &Value) -> PyResult<PyIter> {
        if let Some(g) = it.downcast::<Generator>()
            && g.is_async()
        {
            return Ok(PyIter::Object(Rc::new(AsyncSteps(g))));
        }
        let items = crate::sqlalchemy::asyncio::async_iterate(self, it).unwrap_or_else(|| {
            Err(crate::python::exceptions::type_error(format!(
                "'async for' requires an object with __aiter__ method, got {}",
                it.type_name()
            )))
        })?;
        PyIter::new(self, &Value::list(items))
    }

    fn gen_try(
        &mut self,
        body: &[Stmt],
        handlers: &[crate::language::ast::ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
        ctx: &mut Ctx,
    ) -> Result<(), Step> {
        let mut phase = match ctx.resume.pop() {
            Some(Level::Try(p)) => p,
            Some(other) => {
                ctx.resume.push(other);
                TryPhase::Body
            }
            None => TryPhase::Body,
        };
        let outcome = loop {
            let (block, next) = match phase {
                TryPhase::Finally(pending) => break pending,
                TryPhase::Body => (body, TryPhase::Body),
                TryPhase::Else => (orelse, TryPhase::Else),
                TryPhase::Handler(i, e, caught, rest) => {
                    let Some(h) = handlers.get(i) else {
                        break Err(Flow::Error(e));
                    };
                    self.handling.push(e.clone());
                    let r = self.gen_block(&h.body, ctx);
                    self.handling.pop();
                    match r {
                        Err(Step::Yield(v)) => {
                            ctx.saved
                                .push(Level::Try(TryPhase::Handler(i, e, caught, rest)));
                            return Err(Step::Yield(v));
                        }
                        Ok(()) => match rest {
                            None => break Ok(()),
                            Some(rest) => match self.star_phase(handlers, i + 1, *rest) {
                                Ok(Ok(next)) => {
                                    phase = next;
                                    continue;
                                }
                                Ok(Err(unhandled)) => break Err(Flow::Error(unhandled)),
                                Err(f) => break Err(f),
                            },
                        },
                        Err(Step::Flow(f)) => {
                            break Err(super::raising::with_context(f, Some(&e), caught));
                        }
                    }
                }
            };
            let in_body = matches!(next, TryPhase::Body);
            match self.gen_block(block, ctx) {
                Err(Step::Yield(v)) => {
                    ctx.saved.push(Level::Try(next));
                    return Err(Step::Yield(v));
                }
                Ok(()) if in_body => phase = TryPhase::Else,
                Ok(()) => break Ok(()),
                Err(Step::Flow(Flow::Error(e)))
                    if in_body && handlers.first().is_some_and(|h| h.star) =>
                {
                    match self.star_phase(handlers, 0, e) {
                        Ok(Ok(next)) => phase = next,
                        Ok(Err(unhandled)) => break Err(Flow::Error(unhandled)),
                        Err(f) => break Err(f),
                    }
                }
                Err(Step::Flow(Flow::Error(e))) if in_body => {
                    match self.matching_handler(handlers, &e) {
                        Ok(Some(i)) => {
                            let caught = Rc::new(self.caught_here(&e));
                            if let Some(name) = &handlers[i].name {
                                self.set_name(name, crate::python::class::caught_value(&caught));
                            }
                            phase = TryPhase::Handler(i, e, caught, None);
                        }
                        Ok(None) => break Err(Flow::Error(e)),
                        Err(f) => break Err(f),
                    }
                }
                Err(Step::Flow(f)) => break Err(f),
            }
        };
        if finalbody.is_empty() {
            return outcome.map_err(Step::Flow);
        }
        match self.gen_block(finalbody, ctx) {
            Ok(()) => outcome.map_err(Step::Flow),
            Err(Step::Yield(v)) => {
                ctx.saved.push(Level::Try(TryPhase::Finally(outcome)));
                Err(Step::Yield(v))
            }
            Err(other) => Err(other),
        }
    }

    /// The `except*` clause (from `from`) that takes part of `e`, as the
    /// phase that runs it with its name bound; `Ok(Err(e))` when no
    /// clause takes what is left of `e`, which is raised again.
    fn star_phase(
        &mut self,
        handlers: &[crate::language::ast::ExceptHandler],
        from: usize,
        e: PyErr,
    ) -> Result<Result<TryPhase, PyErr>, Flow> {
        let (hit, rest) = self.next_star_handler(handlers, from, e)?;
        let Some((i, part)) = hit else {
            return Ok(match rest {
                Some(unhandled) => Err(unhandled),
                None => Ok(TryPhase::Finally(Ok(()))),
            });
        };
        let caught = Rc::new(self.caught_here(&part));
        if let Some(name) = &handlers[i].name {
            self.set_name(name, crate::python::class::caught_value(&caught));
        }
        Ok(Ok(TryPhase::Handler(i, part, caught, rest.map(Box::new))))
    }

    /// The index of the first `except` clause matching `e`.
    fn matching_handler(
        &mut self,
        handlers: &[crate::language::ast::ExceptHandler],
        e: &PyErr,
    ) -> Result<Option<usize>, Flow> {
        for (i, h) in handlers.iter().enumerate() {
            let matches = match &h.type_ {
                None => true,
                Some(t) => {
                    let cls = self.eval(t)?;
                    self.exception_matches(e, &cls)
                        .map_err(|err| err.at(t.span))?
                }
            };
            if matches {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    /// `with` / `async with` in a generator: the context manager stays
    /// entered while the generator is paused in the body.
    fn gen_with(
        &mut self,
        items: &[WithItem],
        body: &[Stmt],
        index: usize,
        is_async: bool,
        ctx: &mut Ctx,
    ) -> Result<(), Step> {
        let Some(item) = items.get(index) else {
            return self.gen_block(body, ctx);
        };
        let cm = match ctx.resume.pop() {
            Some(Level::With(cm)) => cm,
            other => {
                if let Some(o) = other {
                    ctx.resume.push(o);
                }
                let cm = self.eval(&item.context)?;
                let entered = self
                    .enter_context(&cm, is_async)
                    .map_err(|e| e.at(item.context.span))?;
                if let Some(t) = &item.target {
                    self.assign(t, entered)?;
                }
                cm
            }
        };
        let r = self.gen_with(items, body, index + 1, is_async, ctx);
        let result = match r {
            Err(Step::Yield(v)) => {
                ctx.saved.push(Level::With(cm));
                return Err(Step::Yield(v));
            }
            Ok(()) => Ok(()),
            Err(Step::Flow(f)) => Err(f),
        };
        self.exit_context(&cm, result, is_async, item.context.span)
            .map_err(Step::Flow)
    }
}

/// The tutor's own stepping of an async generator for `async for`: each
/// step runs its body to the next `yield` (what `await gen.__anext__()`
/// gives). Only ever inside a [`PyIter`]; a learner never sees it.
struct AsyncSteps(Rc<Generator>);

impl std::fmt::Debug for AsyncSteps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AsyncSteps({:?})", self.0)
    }
}

impl crate::python::PyObject for AsyncSteps {
    fn type_name(&self) -> String {
        self.0.type_name.into()
    }
    fn repr(&self) -> String {
        self.0.repr()
    }
    fn is_iterator(&self) -> bool {
        true
    }
    fn next_item(&self, vm: &mut dyn crate::python::Vm) -> PyResult<Option<Value>> {
        vm.generator_next(&self.0).map(Some)
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// A fresh `GeneratorExit`, as `gen.close()` throws.
pub fn generator_exit() -> PyErr {
    PyErr::new(ExcType::GeneratorExit, "")
}
