//! The tree-walking evaluator's statements: names and scopes, assignment
//! targets, `for`/`while`/`with`/`try`/`raise`, imports, function calls and
//! frames, `repr`/`str` through a class's own methods. Expressions are in
//! [`super::expr`].

use std::collections::HashMap;
use std::rc::Rc;

use crate::engine::Database;
use crate::language::ast::{BinOp, Expr, ExprKind, Span, Stmt, StmtKind};

use crate::orm::mapper::Registry;

use crate::python::ExcType;
use crate::python::exceptions::{PyErr, PyResult, did_you_mean, type_error};
use crate::python::format;
use crate::python::iter::PyIter;
use crate::python::ops;
use crate::python::scope::{Lookup, Scope};
use crate::python::value::{Function, FunctionBody, ListObj, SourceText, Value};

/// Non-local control flow out of a statement.
#[derive(Debug)]
pub enum Flow {
    Error(PyErr),
    Return(Value),
    Break,
    Continue,
}

impl From<PyErr> for Flow {
    fn from(e: PyErr) -> Flow {
        Flow::Error(e)
    }
}

pub use crate::outcome::INTERRUPTED;

/// Raises `KeyboardInterrupt` if Ctrl-C was pressed.
pub(super) fn check_interrupt() -> PyResult<()> {
    if INTERRUPTED.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return Err(PyErr::new(ExcType::KeyboardInterrupt, ""));
    }
    Ok(())
}

/// How many loop iterations one step may run before it is stopped.
const MAX_LOOP_ITERATIONS: u64 = 10_000_000;

/// The interpreter's state: the global namespace and what a step printed.
pub struct Interpreter {
    pub globals: HashMap<String, Value>,
    /// The namespaces of the running function calls and class bodies,
    /// innermost last ([`Scope`]: shared with the closures made in them).
    pub(super) frames: Vec<Rc<Scope>>,
    /// The `__qualname__` of each running function, innermost last, for
    /// the functions defined in it (`outer.<locals>.inner`).
    pub(super) function_names: Vec<String>,
    /// What `print()` wrote during the current step.
    pub stdout: String,
    /// The last top-level expression statement failed after a top-level
    /// `await`: Python compiled it as a coroutine, which is its value when
    /// running it raised (as the oracle records it).
    pub failed_awaiting: bool,
    pub registry: Rc<Registry>,
    pub db: Rc<Database>,
    /// Every engine's database, by engine number: the fixture's first,
    /// then each `create_engine(...)`'s.
    pub engines: Vec<Rc<Database>>,
    /// The `sqlalchemy.event` listeners registered (`event.listen(...)`).
    pub events: crate::sqlalchemy::event::Registry,
    /// The fixture's `Engine` object (the first registered).
    first_engine: Option<Value>,
    next_session_id: u32,
    pub(super) call_depth: usize,
    loop_iterations: u64,
    /// The exception being handled, for a bare `raise`.
    pub(super) handling: Vec<PyErr>,
    /// This interpreter's number, told apart from earlier sessions'
    /// (`generators::new_interpreter_id`).
    pub(super) id: u64,
    /// The module classes are defined in: the fixture's name while its
    /// models load, then `__main__`.
    pub module: String,
    /// Modules imported so far (Python's `sys.modules`), so `sa.orm` works
    /// only once `sqlalchemy.orm` has been imported.
    pub imported: std::collections::HashSet<&'static str>,
    /// The source of the statement being run (set by the tutor), which a
    /// `def` or `lambda` keeps for its traceback lines.
    pub source: Option<SourceText>,
    /// Methods' classes and the methods running, for `super()`.
    pub(super) classes: super::classes::ClassState,
    /// `from __future__ import annotations` has run: annotations are
    /// strings from then on ([`super::future`]).
    pub future_annotations: bool,
    /// A top-level statement other than a future import or the module's
    /// docstring has run: a future import is now a `SyntaxError`.
    pub(super) statements_run: bool,
    /// How many top-level statements of `__main__` have run.
    top_statements: usize,
    /// Alembic's `op`, once `from alembic import op` has run.
    pub alembic_op: Option<Value>,
    /// The session's Alembic revisions, oldest first (`.autogenerate`,
    /// `.revision`; `sqlalchemy::alembic::revision`).
    pub revisions: Vec<crate::sqlalchemy::alembic::revision::Revision>,
}

impl Interpreter {
    /// A fresh interpreter over `db` with an empty registry; names are bound
    /// by [`super::builtins::bind_defaults`].
    pub fn new(db: Rc<Database>, registry: Rc<Registry>) -> Interpreter {
        super::coroutines::reset_task_names();
        let mut interp = Interpreter {
            globals: HashMap::new(),
            frames: Vec::new(),
            function_names: Vec::new(),
            stdout: String::new(),
            failed_awaiting: false,
            registry,
            db,
            engines: Vec::new(),
            events: Default::default(),
            first_engine: None,
            next_session_id: 1,
            call_depth: 0,
            loop_iterations: 0,
            handling: Vec::new(),
            id: super::generators::new_interpreter_id(),
            module: "__main__".into(),
            alembic_op: None,
            revisions: Vec::new(),
            imported: Default::default(),
            source: None,
            classes: Default::default(),
            future_annotations: false,
            statements_run: false,
            top_statements: 0,
        };
        super::builtins::bind_defaults(&mut interp);
        super::event_loop::install();
        super::event_loop::forget_all();
        crate::orm::concurrency::pool_reset_all();
        interp
    }

    /// Registers an engine over `db` made from `url` (with `echo`, what
    /// `create_engine(echo=...)` was given) and returns the `Engine` object.
    pub fn add_engine(&mut self, url: String, db: Rc<Database>, echo: Option<bool>) -> Value {
        let id = self.engines.len();
        self.engines.push(db.clone());
        let engine = Value::native(crate::sqlalchemy::objects::Engine(
            crate::orm::session::EngineRef { id, url, echo },
            db,
        ));
        if id == 0 {
            self.first_engine = Some(engine.clone());
        }
        engine
    }

    /// The fixture's `Engine` (the first registered), as `AsyncEngine.sync_engine`
    /// gives it; `None` before the fixture's engine exists.
    pub fn fixture_engine(&self) -> Option<Value> {
        self.first_engine.clone()
    }

    /// A new session id (`Session(engine)` numbers them 1, 2, …).
    pub fn new_session_id(&mut self) -> u32 {
        let id = self.next_session_id;
        self.next_session_id += 1;
        id
    }

    /// Resets per-step counters before a top-level statement.
    pub fn begin_step(&mut self) {
        INTERRUPTED.store(false, std::sync::atomic::Ordering::SeqCst);
        self.stdout.clear();
        self.db.take_echo();
        self.loop_iterations = 0;
        self.frames.clear();
        self.function_names.clear();
        self.classes.begin_step();
        self.call_depth = 0;
        // Tasks a panicking step left behind are never resumed; those an
        // awaiting step left pending wait for the next top-level `await`.
        super::event_loop::begin_step(self);
        crate::sqlalchemy::event::enter(self);
    }

    /// Ends a top-level step that did not panic: a step that awaited at
    /// top level stops the event loop one iteration after its end
    /// (`event_loop::end_step`).
    pub fn end_step(&mut self) {
        super::event_loop::end_step();
    }

    // ----- statements --------------------------------------------------

    /// Runs a top-level statement; returns the value of an expression
    /// statement.
    pub fn exec_top(&mut self, stmt: &Stmt) -> PyResult<Option<Value>> {
        self.failed_awaiting = false;
        let rewritten;
        let stmt = if self.future_annotations
            && let Some(s) = super::future::stringify_annotations(stmt)
        {
            rewritten = s;
            &rewritten
        } else {
            stmt
        };
        if self.module == "__main__" {
            // Only the module's docstring and other future imports may
            // stand before a future import.
            let docstring = self.top_statements == 0
                && matches!(&stmt.kind, StmtKind::Expr(e) if matches!(e.kind, ExprKind::Str(_)));
            if !docstring && !super::future::is_future_import(stmt) {
                self.statements_run = true;
            }
            self.top_statements += 1;
        }
        if let Some(span) = super::future::nested_future_import(stmt) {
            self.end_step();
            return Err(PyErr::new(
                ExcType::SyntaxError,
                "from __future__ imports must occur at the beginning of the file",
            )
            .at(span));
        }
        if let StmtKind::Expr(e) = &stmt.kind {
            let v = self.eval(e).map(Some);
            self.failed_awaiting = v.is_err() && super::event_loop::step_awaited();
            self.end_step();
            self.close_dropped_generators();
            return v;
        }
        let r = self.exec(stmt);
        self.end_step();
        self.close_dropped_generators();
        match r {
            Ok(()) => Ok(None),
            Err(Flow::Error(e)) => Err(e),
            Err(Flow::Return(_)) => {
                Err(PyErr::new(ExcType::SyntaxError, "'return' outside function").at(stmt.span))
            }
            Err(Flow::Break) => {
                Err(PyErr::new(ExcType::SyntaxError, "'break' outside loop").at(stmt.span))
            }
            Err(Flow::Continue) => Err(PyErr::new(
                ExcType::SyntaxError,
                "'continue' not properly in loop",
            )
            .at(stmt.span)),
        }
    }

    pub fn exec_block(&mut self, body: &[Stmt]) -> Result<(), Flow> {
        for s in body {
            self.exec(s)?;
            self.close_dropped_generators();
        }
        Ok(())
    }

    pub(super) fn count_iteration(&mut self, span: Span) -> PyResult<()> {
        check_interrupt().map_err(|e| e.at(span))?;
        self.loop_iterations += 1;
        if self.loop_iterations > MAX_LOOP_ITERATIONS {
            return Err(PyErr::new(
                ExcType::RuntimeError,
                "this statement ran more than 10,000,000 loop iterations and was stopped",
            )
            .at(span));
        }
        Ok(())
    }

    pub fn exec(&mut self, stmt: &Stmt) -> Result<(), Flow> {
        check_interrupt().map_err(|e| e.at(stmt.span))?;
        match &stmt.kind {
            StmtKind::Expr(e) => {
                self.eval(e)?;
            }
            StmtKind::Assign { targets, value } => {
                let v = self.eval(value)?;
                for t in targets {
                    self.assign(t, v.clone())?;
                }
            }
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } => {
                if let Some(value) = value {
                    let v = self.eval(value)?;
                    self.assign(target, v)?;
                }
                // A class body's or the module's annotation is evaluated
                // after the assignment (a function's never is).
                if self.frames.last().is_none_or(|f| f.names.is_none()) {
                    self.check_annotation_names(annotation)?;
                    // a simple name's annotation, evaluated, in the
                    // namespace's `__annotations__` dict
                    if let crate::language::ast::ExprKind::Name(name) = &target.kind {
                        let v = self.annotation_value(annotation)?;
                        self.record_annotation(name, v);
                    }
                }
            }
            StmtKind::AugAssign { target, op, value } => {
                self.exec_aug_assign(stmt, target, *op, value)?
            }
            StmtKind::For {
                target,
                iter,
                body,
                orelse,
            } => self.exec_for(stmt, target, iter, body, orelse)?,
            StmtKind::While { test, body, orelse } => self.exec_while(stmt, test, body, orelse)?,
            StmtKind::If { test, body, orelse } => {
                let t = self.eval(test)?;
                if self.truthy(&t).map_err(|e| e.at(test.span))? {
                    self.exec_block(body)?;
                } else {
                    self.exec_block(orelse)?;
                }
            }
            StmtKind::With { items, body } => self.exec_with(items, body, 0)?,
            StmtKind::Try {
                body,
                handlers,
                orelse,
                finalbody,
            } => self.exec_try(body, handlers, orelse, finalbody)?,
            StmtKind::ClassDef {
                name,
                bases,
                keywords,
                body,
            } => self.exec_class_def(stmt, name, bases, keywords, body, None)?,
            StmtKind::FunctionDef { name, params, body } => {
                self.define_function(name, params, FunctionBody::Block(body.clone()), stmt.span)?
            }
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::None,
                };
                return Err(Flow::Return(v));
            }
            StmtKind::Raise { exc, cause } => {
                return Err(Flow::Error(self.raised(
                    stmt,
                    exc.as_ref(),
                    cause.as_ref(),
                )?));
            }
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete_target(t)?;
                }
            }
            StmtKind::Assert { test, msg } => self.exec_assert(stmt, test, msg.as_ref())?,
            StmtKind::Import(import) if super::future::is_future_import(stmt) => {
                if self.frames.is_empty() {
                    self.future_import(stmt, import)?
                } else {
                    return Err(PyErr::new(
                        ExcType::SyntaxError,
                        "from __future__ imports must occur at the beginning of the file",
                    )
                    .at(stmt.span)
                    .into());
                }
            }
            StmtKind::Import(import) => self.exec_import(import).map_err(|e| e.at(stmt.span))?,
            StmtKind::Pass | StmtKind::Global(_) | StmtKind::Nonlocal(_) => {}
            StmtKind::Break => return Err(Flow::Break),
            StmtKind::Continue => return Err(Flow::Continue),
            StmtKind::Async(inner) => self.exec_async(inner)?,
            StmtKind::Decorated {
                decorators,
                definition,
            } => super::classes::exec_decorated(self, decorators, definition)?,
        }
        Ok(())
    }

    /// `target op= value`; `list += iterable` extends the list in place,
    /// as Python's `list.__iadd__`.
    fn exec_aug_assign(
        &mut self,
        stmt: &Stmt,
        target: &Expr,
        op: BinOp,
        value: &Expr,
    ) -> Result<(), Flow> {
        let current = self.eval(target)?;
        let rhs = self.eval(value)?;
        let result = match (&current, op) {
            (Value::List(l), BinOp::Add) => {
                let items = self.iterate(&rhs, value.span)?;
                l.items_mut().extend(items);
                current.clone()
            }
            // `d |= other` and `s |= t`, `s &= t`, `s -= t` change the
            // object in place, as CPython's in-place operators
            (Value::Dict(d), BinOp::BitOr) => {
                let pairs = crate::python::types::dict::pairs_of(self, &rhs)
                    .map_err(|e| e.at(stmt.span))?;
                for (k, v) in pairs {
                    crate::python::types::dict::set_item(d, k, v);
                }
                current.clone()
            }
            (Value::Set(s, _), BinOp::BitOr | BinOp::BitAnd | BinOp::Sub)
                if matches!(rhs, Value::Set(..)) =>
            {
                let new = self
                    .binary(op, &current, &rhs)
                    .map_err(|e| e.at(stmt.span))?;
                if let Value::Set(n, _) = new {
                    let items = n.items.borrow().clone();
                    *s.items_mut() = items;
                }
                current.clone()
            }
            _ => self
                .binary(op, &current, &rhs)
                .map_err(|e| e.at(stmt.span))?,
        };
        self.assign(target, result)
    }

    /// `for target in iter: body else: orelse` (`orelse` runs unless a
    /// `break` ended the loop).
    fn exec_for(
        &mut self,
        stmt: &Stmt,
        target: &Expr,
        iter: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> Result<(), Flow> {
        let it = self.eval(iter)?;
        // Python's iterator protocol: a list is read live, as
        // CPython's listiterator; query results are a snapshot.
        let mut items = PyIter::new(self, &it).map_err(|e| e.at(iter.span))?;
        while let Some(item) = items.next_value(self).map_err(|e| e.at(iter.span))? {
            if !self.for_iteration(stmt, target, item, body)? {
                return Ok(());
            }
        }
        self.exec_block(orelse)
    }

    /// One pass of a `for` loop (also `async for`): binds `item` to
    /// `target` and runs `body`; `false` after a `break`.
    pub(super) fn for_iteration(
        &mut self,
        stmt: &Stmt,
        target: &Expr,
        item: Value,
        body: &[Stmt],
    ) -> Result<bool, Flow> {
        self.count_iteration(stmt.span)?;
        self.assign(target, item)?;
        match self.exec_block(body) {
            Ok(()) | Err(Flow::Continue) => Ok(true),
            Err(Flow::Break) => Ok(false),
            Err(other) => Err(other),
        }
    }

    /// `while test: body else: orelse` (`orelse` runs when `test` turns
    /// false, not after a `break`).
    fn exec_while(
        &mut self,
        stmt: &Stmt,
        test: &Expr,
        body: &[Stmt],
        orelse: &[Stmt],
    ) -> Result<(), Flow> {
        loop {
            self.count_iteration(stmt.span)?;
            let t = self.eval(test)?;
            if !self.truthy(&t).map_err(|e| e.at(test.span))? {
                break;
            }
            match self.exec_block(body) {
                Ok(()) | Err(Flow::Continue) => {}
                Err(Flow::Break) => return Ok(()),
                Err(other) => return Err(other),
            }
        }
        self.exec_block(orelse)
    }

    /// `try: … except T as e: … else: … finally: …`: the first handler
    /// whose class matches runs, with the exception bound for a bare
    /// `raise`; `finally` runs whatever happened.
    fn exec_try(
        &mut self,
        body: &[Stmt],
        handlers: &[crate::language::ast::ExceptHandler],
        orelse: &[Stmt],
        finalbody: &[Stmt],
    ) -> Result<(), Flow> {
        let result = match self.exec_block(body) {
            Err(Flow::Error(e)) if handlers.first().is_some_and(|h| h.star) => {
                self.exec_star_handlers(handlers, e)
            }
            Err(Flow::Error(e)) => {
                let mut handled = None;
                for h in handlers {
                    let matches = match &h.type_ {
                        None => true,
                        Some(t) => {
                            let cls = self.eval(t)?;
                            self.exception_matches(&e, &cls)
                                .map_err(|err| err.at(t.span))?
                        }
                    };
                    if matches {
                        handled = Some(h);
                        break;
                    }
                }
                match handled {
                    Some(h) => self.exec_handler(h, e),
                    None => Err(Flow::Error(e)),
                }
            }
            Ok(()) => self.exec_block(orelse),
            other => other,
        };
        if !finalbody.is_empty() {
            self.exec_block(finalbody)?;
        }
        result
    }

    /// `except*` clauses (Python 3.11): each clause in turn takes the part
    /// of the group that matches its class and runs; what no clause takes
    /// is raised again after them. An error a clause raises propagates.
    fn exec_star_handlers(
        &mut self,
        handlers: &[crate::language::ast::ExceptHandler],
        e: PyErr,
    ) -> Result<(), Flow> {
        let mut rest = Some(e);
        let mut from = 0;
        while let Some(e) = rest.take() {
            let (hit, left) = self.next_star_handler(handlers, from, e)?;
            rest = left;
            let Some((i, part)) = hit else { break };
            self.exec_handler(&handlers[i], part)?;
            from = i + 1;
        }
        match rest {
            Some(e) => Err(Flow::Error(e)),
            None => Ok(()),
        }
    }

    /// `class Name(bases): body`, through the declarative registry
    /// ([`super::models::define_class`]).
    /// `class name(bases): body`; `extra_base` is a declarative base the
    /// class maps into besides (`@registry.mapped`).
    pub(super) fn exec_class_def(
        &mut self,
        stmt: &Stmt,
        name: &str,
        bases: &[Expr],
        keywords: &[crate::language::ast::Keyword],
        body: &[Stmt],
        extra_base: Option<Value>,
    ) -> Result<(), Flow> {
        let mut base_values = Vec::new();
        for b in bases {
            base_values.push(self.eval(b)?);
        }
        base_values.extend(extra_base);
        let mut keyword_values = Vec::new();
        for k in keywords {
            let value = self.eval(&k.value)?;
            keyword_values.push((k.name.clone().unwrap_or_default(), value));
        }
        let qualname = self.qualname_of(name);
        self.classes.enter_body(qualname);
        let class = super::models::define_class(self, name, &base_values, &keyword_values, body);
        self.classes.leave_body();
        let class = class.map_err(|e| e.at(stmt.span))?;
        if let Some(mapper) = crate::sqlalchemy::objects::as_class(&class)
            && let Ok(registry) = mapper.registry()
        {
            self.set_name(name, class);
            super::models::resolve_relationship_arguments(self, &registry);
            return Ok(());
        }
        self.set_name(name, class);
        Ok(())
    }

    /// `import a.b as c` / `from a.b import c as d`, resolved against the
    /// real modules' names ([`crate::sqlalchemy::modules`]).
    fn exec_import(&mut self, import: &crate::language::ast::Import) -> PyResult<()> {
        use crate::sqlalchemy::modules;
        let Some((level, module)) = &import.from else {
            for alias in &import.names {
                let full = modules::import_module(&alias.name)?;
                let parts: Vec<&str> = alias.name.split('.').collect();
                for i in 1..=parts.len() {
                    if let Ok(m) = modules::import_module(&parts[..i].join(".")) {
                        self.imported.insert(m);
                    }
                }
                let top = modules::import_module(parts[0])?;
                match &alias.asname {
                    Some(n) => self.set_name(n, Value::Module(full)),
                    None => self.set_name(parts[0], Value::Module(top)),
                }
            }
            return Ok(());
        };
        if *level > 0 {
            return Err(PyErr::new(
                ExcType::ImportError,
                "attempted relative import with no known parent package",
            ));
        }
        if crate::sqlalchemy::alembic::is_alembic_module(module) {
            for alias in &import.names {
                let v = crate::sqlalchemy::alembic::import_from(self, module, &alias.name)?;
                self.set_name(alias.asname.as_ref().unwrap_or(&alias.name), v);
            }
            return Ok(());
        }
        let module = modules::import_module(module)?;
        self.imported.insert(module);
        for alias in &import.names {
            if alias.name == "*" {
                for (name, v) in modules::star_names(module) {
                    self.set_name(name, v);
                }
                continue;
            }
            let v = modules::import_from(module, &alias.name)?;
            if let Value::Module(m) = &v {
                self.imported.insert(m);
            }
            self.set_name(alias.asname.as_ref().unwrap_or(&alias.name), v);
        }
        Ok(())
    }

    fn exec_with(
        &mut self,
        items: &[crate::language::ast::WithItem],
        body: &[Stmt],
        index: usize,
    ) -> Result<(), Flow> {
        let Some(item) = items.get(index) else {
            return self.exec_block(body);
        };
        let ctx = self.eval(&item.context)?;
        let entered = (self.enter_context(&ctx, false)).map_err(|e| e.at(item.context.span))?;
        if let Some(t) = &item.target {
            self.assign(t, entered)?;
        }
        let result = self.exec_with(items, body, index + 1);
        self.exit_context(&ctx, result, false, item.context.span)
    }

    pub(super) fn exception_matches(&mut self, e: &PyErr, cls: &Value) -> PyResult<bool> {
        match cls {
            Value::ExceptionClass(c) => Ok(e.is_instance_of(*c)),
            v @ Value::Native(_) if let Some(r) = super::classes::exception_matches(e, v) => r,
            Value::Tuple(items) => {
                for i in items.iter() {
                    if self.exception_matches(e, i)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            other => Err(type_error(format!(
                "catching classes that do not inherit from BaseException is not allowed (got {})",
                other.type_name()
            ))),
        }
    }

    // ----- names and assignment ------------------------------------------

    /// Starts a new local namespace (a class body).
    pub fn push_frame(&mut self) {
        self.frames.push(Rc::new(Scope::class_body()));
    }

    /// Ends the innermost local namespace, returning what it bound.
    pub fn pop_frame(&mut self) -> Vec<(String, Value)> {
        self.frames
            .pop()
            .map(|f| f.vars.take().into_iter().collect())
            .unwrap_or_default()
    }

    /// Binds `name` where Python would: the running function's frame (or
    /// the enclosing one for a `nonlocal` name), else the module.
    pub fn set_name(&mut self, name: &str, v: Value) {
        match self.frames.last().and_then(|f| f.binding_scope(name)) {
            Some(scope) => {
                scope.vars.borrow_mut().insert(name.to_string(), v);
            }
            None => {
                self.globals.insert(name.to_string(), v);
            }
        }
    }

    /// Every name in scope, for completion and "did you mean".
    pub fn names_in_scope(&self) -> Vec<String> {
        let mut names: Vec<String> = self.globals.keys().cloned().collect();
        let mut scope = self.frames.last();
        while let Some(f) = scope {
            names.extend(f.vars.borrow().keys().cloned());
            scope = f.enclosing.as_ref();
        }
        names.sort();
        names.dedup();
        names
    }

    /// Reads `name` as CPython would: the running function's locals, the
    /// enclosing functions' (late-bound), then the module.
    ///
    /// Errors: `UnboundLocalError: cannot access local variable 'x' where
    /// it is not associated with a value`, `NameError: cannot access free
    /// variable 'x' …`, `NameError: name 'x' is not defined`.
    pub(super) fn lookup(&self, name: &str, span: Span) -> PyResult<Value> {
        if let Some(f) = self.frames.last() {
            match f.lookup(name) {
                Lookup::Found(v) => return Ok(v),
                Lookup::UnboundLocal => {
                    return Err(PyErr::new(
                        ExcType::UnboundLocalError,
                        format!(
                            "cannot access local variable '{name}' where it is not associated with a value"
                        ),
                    )
                    .at(span));
                }
                Lookup::UnboundFree => {
                    return Err(PyErr::new(
                        ExcType::NameError,
                        format!(
                            "cannot access free variable '{name}' where it is not associated with a value in enclosing scope"
                        ),
                    )
                    .at(span));
                }
                Lookup::Global => {}
            }
        }
        if let Some(v) = self.globals.get(name) {
            return Ok(v.clone());
        }
        if let Some(v) = crate::sqlalchemy::modules::star_bound_value(name) {
            return Ok(v);
        }
        if let Some(module) = crate::sqlalchemy::modules::star_bound_unsupported(name) {
            return Err(PyErr::unsupported(format!("'{name}' from '{module}'")).at(span));
        }
        if crate::python::builtins::UNMODELLED_BUILTINS.contains(&name) {
            return Err(PyErr::unsupported(format!("the builtin '{name}'")).at(span));
        }
        let names = self.names_in_scope();
        let err = PyErr::new(ExcType::NameError, format!("name '{name}' is not defined")).at(span);
        Err(match did_you_mean(name, names.iter().map(String::as_str)) {
            Some(h) => err.with_hint(format!("did you mean '{h}'?")),
            None => err,
        })
    }

    pub(super) fn assign(&mut self, target: &Expr, v: Value) -> Result<(), Flow> {
        match &target.kind {
            ExprKind::Name(n) => {
                self.set_name(n, v);
                Ok(())
            }
            ExprKind::Attribute {
                value,
                attr,
                attr_span,
            } => {
                let obj = self.eval(value)?;
                super::methods::set_attr(self, &obj, attr, v)
                    .map_err(|e| Flow::Error(e.at(*attr_span)))
            }
            ExprKind::Subscript { value, index } => {
                let container = self.eval(value)?;
                let key = self.eval(index)?;
                self.set_item(&container, key, v)
                    .map_err(|e| Flow::Error(e.at(target.span)))
            }
            ExprKind::Tuple(targets) | ExprKind::List(targets)
                if targets
                    .iter()
                    .any(|t| matches!(t.kind, ExprKind::Starred(_))) =>
            {
                let items = self.iterate(&v, target.span)?;
                self.assign_starred(target, targets, items)
            }
            ExprKind::Tuple(targets) | ExprKind::List(targets) => {
                let items = self.iterate(&v, target.span)?;
                if items.len() != targets.len() {
                    let msg = if items.len() > targets.len() {
                        format!("too many values to unpack (expected {})", targets.len())
                    } else {
                        format!(
                            "not enough values to unpack (expected {}, got {})",
                            targets.len(),
                            items.len()
                        )
                    };
                    return Err(Flow::Error(
                        PyErr::new(ExcType::ValueError, msg).at(target.span),
                    ));
                }
                for (t, item) in targets.iter().zip(items) {
                    self.assign(t, item)?;
                }
                Ok(())
            }
            _ => Err(Flow::Error(
                PyErr::new(ExcType::SyntaxError, "cannot assign to expression").at(target.span),
            )),
        }
    }

    fn delete_target(&mut self, target: &Expr) -> Result<(), Flow> {
        match &target.kind {
            ExprKind::Name(n) => self.delete_name(n, target.span).map_err(Flow::Error),
            ExprKind::Subscript { value, index } => {
                let container = self.eval(value)?;
                let key = self.eval(index)?;
                match &container {
                    Value::List(l) => {
                        let len = l.items.borrow().len();
                        let i = list_index(&key, len).map_err(|e| e.at(target.span))?;
                        let removed = l.items_mut().remove(i);
                        // An ORM collection hears of it, as SQLAlchemy's
                        // instrumented `__delitem__` fires a remove event.
                        if l.owner.is_some() {
                            crate::python::vm::Vm::collection_remove(self, l, &removed)
                                .map_err(|e| Flow::Error(e.at(target.span)))?;
                        }
                        Ok(())
                    }
                    Value::Dict(d) => {
                        let mut d = d.borrow_mut();
                        let before = d.len();
                        d.retain(|(k, _)| !ops::values_equal(k, &key));
                        if d.len() == before {
                            return Err(Flow::Error(
                                PyErr::new(ExcType::KeyError, format::repr_plain(&key))
                                    .at(target.span),
                            ));
                        }
                        Ok(())
                    }
                    other => Err(Flow::Error(
                        type_error(format!(
                            "'{}' object does not support item deletion",
                            other.type_name()
                        ))
                        .at(target.span),
                    )),
                }
            }
            ExprKind::Attribute {
                value,
                attr,
                attr_span,
            } => {
                let obj = self.eval(value)?;
                // A learner's object's own `AttributeError` marks the
                // attribute under the whole target, as CPython's.
                let in_class = obj.downcast::<crate::python::class::PyInstance>().is_some();
                delete_attr(&obj, attr).map_err(|e| {
                    Flow::Error(if in_class {
                        e.at_part(*attr_span, target.span)
                    } else {
                        e.at(*attr_span)
                    })
                })
            }
            _ => Err(Flow::Error(
                PyErr::new(ExcType::SyntaxError, "cannot delete expression").at(target.span),
            )),
        }
    }

    fn set_item(&mut self, container: &Value, key: Value, v: Value) -> PyResult<()> {
        match container {
            Value::List(l) => {
                let len = l.items.borrow().len();
                let i = list_index(&key, len)?;
                if l.owner.is_some() {
                    // SQLAlchemy's instrumented `__setitem__`: a remove event
                    // for the old item, then an append event for the new.
                    let old = l.items.borrow()[i].clone();
                    crate::python::vm::Vm::collection_remove(self, l, &old)?;
                    crate::python::vm::Vm::collection_append(self, l, &v)?;
                }
                l.items_mut()[i] = v;
                Ok(())
            }
            Value::Dict(d) => {
                d.borrow_mut().set(key, v);
                Ok(())
            }
            other => match super::classes::set_item(self, other, key, v)? {
                Some(()) => Ok(()),
                None => Err(type_error(format!(
                    "'{}' object does not support item assignment",
                    other.type_name()
                ))),
            },
        }
    }

    /// Calls any callable value.
    pub fn call(
        &mut self,
        f: &Value,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> PyResult<Value> {
        match f {
            Value::Builtin(b) => super::builtins::call_builtin(self, b, args, kwargs),
            Value::Method(m) => {
                let receiver = m.receiver.clone();
                let name = m.name.clone();
                super::methods::call_method(self, &receiver, &name, args, kwargs)
            }
            Value::Function(func) => self.call_function(func, args, kwargs),
            v if let Some(m) = crate::sqlalchemy::objects::as_class(v) => {
                super::models::construct(self, &m, args, kwargs)
            }
            v if let Some(factory) = v.downcast::<crate::sqlalchemy::session::SessionMaker>() => {
                let made = crate::sqlalchemy::session::construct(
                    self,
                    factory.0.clone(),
                    factory.1.clone(),
                    args,
                    kwargs,
                )?;
                // the factory's event listeners are the session's too
                if let Some(s) = crate::sqlalchemy::session::as_session(&made) {
                    s.factory.set(Rc::as_ptr(&factory) as *const u8 as usize);
                }
                Ok(made)
            }
            v if let Some(d) = v.downcast::<crate::sqlalchemy::event::ListensFor>() => {
                crate::sqlalchemy::event::decorate(self, &d, args, kwargs)
            }
            v if let Some(c) = v.downcast::<super::contextlib::Callable>() => {
                super::contextlib::call(self, &c, args, kwargs)
            }
            v if let Some(f) = v.downcast::<super::functools::Functools>() => {
                super::functools::call(self, &f, args, kwargs)
            }
            v if let Some(op) = v.downcast::<super::operator::Operator>() => {
                super::operator::call(self, &op, args, kwargs)
            }
            v if crate::python::collections::is_callable(v) => {
                crate::python::collections::call(self, v, args, kwargs)
                    .unwrap_or_else(|| Err(type_error("not callable")))
            }
            v if let Some(f) = v.downcast::<super::pprint::PprintFunction>() => {
                super::pprint::call(self, *f, args, kwargs)
            }
            v if let Some(f) = v.downcast::<crate::sqlalchemy::session::SessionFunction>() => {
                let (receiver, args) = crate::sqlalchemy::session::unbound_receiver(&f, args)?;
                super::methods::call_method(self, &receiver, &f.name, args, kwargs)
            }
            v if let Some(f) = v.downcast::<super::coroutines::AsyncioFunction>() => {
                super::coroutines::call_asyncio(self, &f, args, kwargs)
            }
            v if crate::sqlalchemy::asyncio::is_callable(v) => {
                crate::sqlalchemy::asyncio::call(self, v, args, kwargs)
            }
            v if let Some(f) = v.downcast::<crate::sqlalchemy::result::FrozenResult>() => {
                f.call(&args, &kwargs)
            }
            v if crate::sqlalchemy::alembic::is_callable(v) => {
                crate::sqlalchemy::alembic::call(args, kwargs)
            }
            Value::ExceptionClass(
                class @ (ExcType::ExceptionGroup | ExcType::BaseExceptionGroup),
            ) => Ok(Value::Exception(Rc::new(
                self.new_exception_group(*class, &args)?,
            ))),
            Value::ExceptionClass(name) => {
                let message = match args.first() {
                    // CPython's `KeyError.__str__` of one argument: its repr.
                    Some(v) if name.is_subclass_of(ExcType::KeyError) && args.len() == 1 => {
                        self.repr(v)?
                    }
                    Some(v) => self.to_str(v)?,
                    None => String::new(),
                };
                Ok(Value::Exception(Rc::new(PyErr::new(*name, message))))
            }
            Value::Native(_) => super::classes::call(self, f, args, kwargs),
            other => Err(type_error(format!(
                "'{}' object is not callable",
                other.type_name()
            ))),
        }
    }

    /// Calls a `def` or `lambda` with positional and keyword arguments; an
    /// `async def` gives a coroutine that runs the body when awaited.
    pub fn call_function(
        &mut self,
        f: &Rc<Function>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> PyResult<Value> {
        if matches!(f.body, FunctionBody::AsyncBlock(_)) && !super::generators::is_generator(f) {
            return Ok(super::coroutines::coroutine_of(f, args, kwargs));
        }
        let method = self.enter_method(f, &args);
        let result = self.invoke_function(f, args, kwargs);
        self.leave_method(method);
        result
    }

    // ----- formatting ----------------------------------------------------

    /// Calls a mapped object's own `__repr__`, if its class has one.
    fn custom_repr(&mut self, v: &Value) -> PyResult<Option<String>> {
        let Some(o) = crate::orm::state::as_instance(v) else {
            return super::classes::custom_repr(self, v);
        };
        let f = o.borrow().mapper.method("__repr__");
        match f {
            Some(f) => {
                let v = self.call_function(
                    &f,
                    vec![crate::orm::state::instance_value(o.clone())],
                    Vec::new(),
                )?;
                match v {
                    Value::Str(s) => Ok(Some(s.to_string())),
                    other => Err(type_error(format!(
                        "__repr__ returned non-string (type {})",
                        other.type_name()
                    ))),
                }
            }
            None if o.borrow().mapper.dataclass_fields.is_some() => {
                let mapper = o.borrow().mapper.clone();
                super::dataclasses::repr(self, v, &mapper).map(Some)
            }
            None => Ok(None),
        }
    }

    /// `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        format::repr_with(v, &mut |o| self.custom_repr(o))
    }

    /// `str(v)`: a class's `__str__`, else its `__repr__`.
    pub fn to_str(&mut self, v: &Value) -> PyResult<String> {
        // `RelationshipProperty.__str__` reads `self.parent`, which a
        // `relationship()` outside a class does not have yet.
        if let Some(crate::orm::schema_items::SchemaItem::Relationship(_)) = v
            .downcast::<crate::orm::schema_items::SchemaItem>()
            .as_deref()
        {
            return Err(crate::python::exceptions::attribute_error("parent"));
        }
        if let Some(s) = super::classes::custom_str(self, v)? {
            return Ok(s);
        }
        // `str(update(t).values(nope=1))` compiles it: SQLAlchemy's
        // `CompileError` for the keys that name no column.
        if let Some(d) = v.downcast::<crate::orm::bulk::DmlStatement>()
            && let Some(e) = d.multi_table_error()
        {
            return Err(e);
        }
        if let Some(d) = v.downcast::<crate::orm::bulk::DmlStatement>()
            && !d.unconsumed.is_empty()
        {
            return Err(crate::python::PyErr::new(
                crate::python::ExcType::CompileError,
                format!("Unconsumed column names: {}", d.unconsumed.join(", ")),
            ));
        }
        // `str(select(...))` compiles it: its compile errors are raised, and
        // SQLAlchemy's `InvalidRequestError` when auto-correlation leaves a
        // scalar subquery no FROM.
        if let Some(q) = crate::sqlalchemy::query::as_query(v) {
            let (select, _) = q.to_select()?;
            if !q.is_legacy()
                && let Some(message) = crate::sql::compiler::auto_correlation_error(&select)
            {
                return Err(crate::python::PyErr::new(
                    crate::python::ExcType::InvalidRequestError,
                    message,
                ));
            }
        }
        if let Some(o) = crate::orm::state::as_instance(v) {
            let f = o.borrow().mapper.method("__str__");
            if let Some(f) = f {
                let r = self.call_function(&f, vec![v.clone()], Vec::new())?;
                return match r {
                    Value::Str(s) => Ok(s.to_string()),
                    other => Err(type_error(format!(
                        "__str__ returned non-string (type {})",
                        other.type_name()
                    ))),
                };
            }
        }
        format::str_with(v, &mut |o| self.custom_repr(o))
    }

    /// Appends to the step's printed output.
    pub fn write(&mut self, s: &str) {
        self.flush_echo();
        self.stdout.push_str(s);
    }

    /// Moves the engines' log lines (`create_engine(echo=True)`) written so
    /// far into the step's printed output, where Python's `StreamHandler(sys.stdout)`
    /// puts them: before whatever is printed next.
    pub fn flush_echo(&mut self) {
        let lines = self.db.take_echo();
        self.stdout.push_str(&lines);
    }

    /// A new, owned list value (helper for methods).
    pub fn new_list(items: Vec<Value>) -> Value {
        Value::List(ListObj::new(items))
    }
}

/// `del obj.attr` and `delattr(obj, attr)`: a mapped object's attribute
/// is removed from its `__dict__`, a learner's object's too.
///
/// Errors: `AttributeError: 'P' object has no attribute 'x'` for a
/// learner's object without it; `AttributeError: can't delete attribute
/// 'x'` for other objects.
pub fn delete_attr(obj: &Value, attr: &str) -> PyResult<()> {
    if let Some(r) = super::classes::del_attr(obj, attr) {
        return r;
    }
    match obj {
        inst if let Some(o) = crate::orm::state::as_instance(inst) => {
            o.borrow_mut().dict.remove(attr);
            Ok(())
        }
        _ => Err(crate::python::exceptions::attribute_error(format!(
            "can't delete attribute '{attr}'"
        ))),
    }
}

/// A list index with Python's negative indexing; `IndexError` when out of range.
pub fn list_index(key: &Value, len: usize) -> PyResult<usize> {
    let i = match key {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        other => {
            return Err(type_error(format!(
                "list indices must be integers or slices, not {}",
                other.type_name()
            )));
        }
    };
    let idx = if i < 0 { i + len as i64 } else { i };
    if idx < 0 || idx >= len as i64 {
        return Err(PyErr::new(ExcType::IndexError, "list index out of range"));
    }
    Ok(idx as usize)
}

impl crate::python::Vm for Interpreter {
    fn call_value(
        &mut self,
        f: &Value,
        args: Vec<Value>,
        kwargs: crate::python::Kwargs,
    ) -> PyResult<Value> {
        self.call(f, args, kwargs)
    }

    fn iterate_value(&mut self, v: &Value) -> PyResult<Vec<Value>> {
        super::methods::iterate(self, v)
    }

    fn count_step(&mut self) -> PyResult<()> {
        check_interrupt()?;
        self.loop_iterations += 1;
        if self.loop_iterations > MAX_LOOP_ITERATIONS {
            return Err(PyErr::new(
                ExcType::RuntimeError,
                "this statement ran more than 10,000,000 loop iterations and was stopped",
            ));
        }
        Ok(())
    }

    fn repr_value(&mut self, v: &Value) -> PyResult<String> {
        self.repr(v)
    }

    fn str_value(&mut self, v: &Value) -> PyResult<String> {
        self.to_str(v)
    }

    fn write_stdout(&mut self, s: &str) {
        self.write(s)
    }

    fn truthy(&mut self, v: &Value) -> PyResult<bool> {
        Interpreter::truthy(self, v)
    }

    fn get_attr(&mut self, obj: &Value, name: &str) -> PyResult<Value> {
        super::methods::get_attr(self, obj, name)
    }

    fn await_value(&mut self, v: &Value) -> PyResult<Value> {
        Interpreter::await_value(self, v)
    }

    fn call_dunder(&mut self, v: &Value, name: &str, args: Vec<Value>) -> PyResult<Option<Value>> {
        super::classes::call_dunder(self, v, name, args, Vec::new())
    }

    fn less_than(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        let r = self.compare(crate::language::ast::CmpOp::Lt, a, b)?;
        Interpreter::truthy(self, &r)
    }

    fn greater_than(&mut self, a: &Value, b: &Value) -> PyResult<bool> {
        let r = self.compare(crate::language::ast::CmpOp::Gt, a, b)?;
        Interpreter::truthy(self, &r)
    }

    fn generator_next(&mut self, g: &crate::python::generator::Generator) -> PyResult<Value> {
        super::contextlib::generator_next(self, g)
    }

    fn collection_append(
        &mut self,
        list: &crate::python::value::ListObj,
        item: &Value,
    ) -> PyResult<()> {
        match collection_owner(list) {
            Some((o, key)) => crate::orm::collections::collection_append(&o, key, item),
            None => Ok(()),
        }
    }

    fn collection_remove(
        &mut self,
        list: &crate::python::value::ListObj,
        item: &Value,
    ) -> PyResult<()> {
        match collection_owner(list) {
            Some((o, key)) => crate::orm::collections::collection_remove(&o, key, item),
            None => Ok(()),
        }
    }
}

/// The instance and relationship key owning a collection (`user.messages`),
/// while the instance lives.
fn collection_owner(
    list: &crate::python::value::ListObj,
) -> Option<(crate::orm::state::Obj, &String)> {
    let (w, key) = list.owner.as_ref()?;
    let owner = crate::python::object::downcast::<crate::orm::state::InstanceCell>(&w.upgrade()?)?;
    Some((owner, key))
}
