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
use crate::python::exceptions::{PyErr, PyResult, TraceFrame, did_you_mean, type_error};
use crate::python::format;
use crate::python::iter::PyIter;
use crate::python::ops;
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

/// Set by Ctrl-C while a step runs: the next statement or loop iteration
/// raises `KeyboardInterrupt`, as Python does.
pub static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Raises `KeyboardInterrupt` if Ctrl-C was pressed.
fn check_interrupt() -> PyResult<()> {
    if INTERRUPTED.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return Err(PyErr::new(ExcType::KeyboardInterrupt, ""));
    }
    Ok(())
}

/// How deep user function calls may nest before `RecursionError`.
const MAX_CALL_DEPTH: usize = 200;
/// How many loop iterations one step may run before it is stopped.
const MAX_LOOP_ITERATIONS: u64 = 10_000_000;

/// The interpreter's state: the global namespace and what a step printed.
pub struct Interpreter {
    pub globals: HashMap<String, Value>,
    pub(super) frames: Vec<HashMap<String, Value>>,
    /// What `print()` wrote during the current step.
    pub stdout: String,
    pub registry: Rc<Registry>,
    pub db: Rc<Database>,
    /// Every engine's database, by engine number: the fixture's first,
    /// then each `create_engine(...)`'s.
    pub engines: Vec<Rc<Database>>,
    /// The fixture's `Engine` object (the first registered).
    first_engine: Option<Value>,
    next_session_id: u32,
    call_depth: usize,
    loop_iterations: u64,
    /// The exception being handled, for a bare `raise`.
    handling: Vec<PyErr>,
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
}

impl Interpreter {
    /// A fresh interpreter over `db` with an empty registry; names are bound
    /// by [`super::builtins::bind_defaults`].
    pub fn new(db: Rc<Database>, registry: Rc<Registry>) -> Interpreter {
        let mut interp = Interpreter {
            globals: HashMap::new(),
            frames: Vec::new(),
            stdout: String::new(),
            registry,
            db,
            engines: Vec::new(),
            first_engine: None,
            next_session_id: 1,
            call_depth: 0,
            loop_iterations: 0,
            handling: Vec::new(),
            module: "__main__".into(),
            imported: Default::default(),
            source: None,
            classes: Default::default(),
        };
        super::builtins::bind_defaults(&mut interp);
        interp
    }

    /// Registers an engine over `db` made from `url` and returns the
    /// `Engine` object.
    pub fn add_engine(&mut self, url: String, db: Rc<Database>) -> Value {
        let id = self.engines.len();
        self.engines.push(db.clone());
        let engine = Value::native(crate::sqlalchemy::objects::Engine(
            crate::orm::session::EngineRef { id, url },
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

    /// `def name(params=defaults): body` (or `async def`): the defaults are
    /// evaluated once, now, as Python does, and `name` is bound.
    pub(super) fn define_function(
        &mut self,
        name: &str,
        params: &[String],
        defaults: &[crate::language::ast::Expr],
        body: FunctionBody,
    ) -> PyResult<()> {
        let values = self.eval_all(defaults)?;
        let f = Function {
            name: name.to_string(),
            params: params.to_vec(),
            defaults: values,
            body,
            source: self.source.clone(),
        };
        self.set_name(name, Value::Function(Rc::new(f)));
        Ok(())
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
        self.loop_iterations = 0;
        self.frames.clear();
        self.call_depth = 0;
    }

    // ----- statements --------------------------------------------------

    /// Runs a top-level statement; returns the value of an expression
    /// statement.
    pub fn exec_top(&mut self, stmt: &Stmt) -> PyResult<Option<Value>> {
        if let StmtKind::Expr(e) = &stmt.kind {
            return self.eval(e).map(Some);
        }
        match self.exec(stmt) {
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
                value: Some(value),
                ..
            } => {
                let v = self.eval(value)?;
                self.assign(target, v)?;
            }
            StmtKind::AnnAssign { value: None, .. } => {}
            StmtKind::AugAssign { target, op, value } => {
                self.exec_aug_assign(stmt, target, *op, value)?
            }
            StmtKind::For { target, iter, body } => self.exec_for(stmt, target, iter, body)?,
            StmtKind::While { test, body } => self.exec_while(stmt, test, body)?,
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
            StmtKind::ClassDef { name, bases, body } => {
                self.exec_class_def(stmt, name, bases, body)?
            }
            StmtKind::FunctionDef {
                name,
                params,
                defaults,
                body,
            } => self.define_function(name, params, defaults, FunctionBody::Block(body.clone()))?,
            StmtKind::Return(e) => {
                let v = match e {
                    Some(e) => self.eval(e)?,
                    None => Value::None,
                };
                return Err(Flow::Return(v));
            }
            StmtKind::Raise(e) => return Err(Flow::Error(self.raised(stmt, e.as_ref())?)),
            StmtKind::Delete(targets) => {
                for t in targets {
                    self.delete_target(t)?;
                }
            }
            StmtKind::Assert { test, msg } => self.exec_assert(stmt, test, msg.as_ref())?,
            StmtKind::Import(import) => self.exec_import(import).map_err(|e| e.at(stmt.span))?,
            StmtKind::Pass | StmtKind::Global(_) => {}
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
            _ => self
                .binary(op, &current, &rhs)
                .map_err(|e| e.at(stmt.span))?,
        };
        self.assign(target, result)
    }

    /// `for target in iter: body`.
    fn exec_for(
        &mut self,
        stmt: &Stmt,
        target: &Expr,
        iter: &Expr,
        body: &[Stmt],
    ) -> Result<(), Flow> {
        let it = self.eval(iter)?;
        // Python's iterator protocol: a list is read live, as
        // CPython's listiterator; query results are a snapshot.
        let mut items = PyIter::new(self, &it).map_err(|e| e.at(iter.span))?;
        while let Some(item) = items.next_value().map_err(|e| e.at(iter.span))? {
            if !self.for_iteration(stmt, target, item, body)? {
                break;
            }
        }
        Ok(())
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

    /// `while test: body`.
    fn exec_while(&mut self, stmt: &Stmt, test: &Expr, body: &[Stmt]) -> Result<(), Flow> {
        loop {
            self.count_iteration(stmt.span)?;
            let t = self.eval(test)?;
            if !self.truthy(&t).map_err(|e| e.at(test.span))? {
                break;
            }
            match self.exec_block(body) {
                Ok(()) | Err(Flow::Continue) => {}
                Err(Flow::Break) => break,
                Err(other) => return Err(other),
            }
        }
        Ok(())
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
                    Some(h) => {
                        if let Some(name) = &h.name {
                            self.set_name(name, crate::python::class::caught_value(&e));
                        }
                        self.handling.push(e);
                        let r = self.exec_block(&h.body);
                        self.handling.pop();
                        r
                    }
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

    /// `class Name(bases): body`, through the declarative registry
    /// ([`super::models::define_class`]).
    fn exec_class_def(
        &mut self,
        stmt: &Stmt,
        name: &str,
        bases: &[Expr],
        body: &[Stmt],
    ) -> Result<(), Flow> {
        let mut base_values = Vec::new();
        for b in bases {
            base_values.push(self.eval(b)?);
        }
        let class = super::models::define_class(self, name, &base_values, body)
            .map_err(|e| e.at(stmt.span))?;
        self.set_name(name, class);
        Ok(())
    }

    /// The exception `raise [e]` raises: a bare `raise` re-raises the one
    /// being handled.
    fn raised(&mut self, stmt: &Stmt, e: Option<&Expr>) -> Result<PyErr, Flow> {
        let err = match e {
            None => match self.handling.last() {
                Some(e) => e.clone(),
                None => PyErr::new(ExcType::RuntimeError, "No active exception to reraise"),
            },
            Some(e) => {
                let v = self.eval(e)?;
                match v {
                    Value::Exception(ex) => (*ex).clone(),
                    Value::ExceptionClass(c) => PyErr::new(c, ""),
                    v @ Value::Native(_) => super::classes::raised(self, &v).unwrap_or_else(|e| e),
                    other => type_error(format!(
                        "exceptions must derive from BaseException, not {}",
                        other.type_name()
                    )),
                }
                .at(e.span)
            }
        };
        Ok(err.at(stmt.span))
    }

    /// `assert test, msg`.
    fn exec_assert(&mut self, stmt: &Stmt, test: &Expr, msg: Option<&Expr>) -> Result<(), Flow> {
        let t = self.eval(test)?;
        if !self.truthy(&t)? {
            let message = match msg {
                Some(m) => {
                    let v = self.eval(m)?;
                    self.to_str(&v)?
                }
                None => String::new(),
            };
            return Err(Flow::Error(
                PyErr::new(ExcType::AssertionError, message).at(stmt.span),
            ));
        }
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
        let entered =
            super::methods::context_enter(self, &ctx).map_err(|e| e.at(item.context.span))?;
        if let Some(t) = &item.target {
            self.assign(t, entered)?;
        }
        let result = self.exec_with(items, body, index + 1);
        let failed = matches!(result, Err(Flow::Error(_)));
        super::methods::context_exit(self, &ctx, failed).map_err(|e| e.at(item.context.span))?;
        result
    }

    fn exception_matches(&mut self, e: &PyErr, cls: &Value) -> PyResult<bool> {
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
        self.frames.push(HashMap::new());
    }

    /// Ends the innermost local namespace, returning what it bound.
    pub fn pop_frame(&mut self) -> Vec<(String, Value)> {
        self.frames
            .pop()
            .map(|f| f.into_iter().collect())
            .unwrap_or_default()
    }

    pub fn set_name(&mut self, name: &str, v: Value) {
        match self.frames.last_mut() {
            Some(f) => {
                f.insert(name.to_string(), v);
            }
            None => {
                self.globals.insert(name.to_string(), v);
            }
        }
    }

    /// Every name in scope, for completion and "did you mean".
    pub fn names_in_scope(&self) -> Vec<String> {
        let mut names: Vec<String> = self.globals.keys().cloned().collect();
        if let Some(f) = self.frames.last() {
            names.extend(f.keys().cloned());
        }
        names.sort();
        names.dedup();
        names
    }

    pub(super) fn lookup(&self, name: &str, span: Span) -> PyResult<Value> {
        if let Some(f) = self.frames.last()
            && let Some(v) = f.get(name)
        {
            return Ok(v.clone());
        }
        if let Some(v) = self.globals.get(name) {
            return Ok(v.clone());
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
            ExprKind::Name(n) => {
                let removed = match self.frames.last_mut() {
                    Some(f) => f.remove(n).is_some(),
                    None => self.globals.remove(n).is_some(),
                };
                if !removed {
                    return Err(Flow::Error(
                        PyErr::new(ExcType::NameError, format!("name '{n}' is not defined"))
                            .at(target.span),
                    ));
                }
                Ok(())
            }
            ExprKind::Subscript { value, index } => {
                let container = self.eval(value)?;
                let key = self.eval(index)?;
                match &container {
                    Value::List(l) => {
                        let len = l.items.borrow().len();
                        let i = list_index(&key, len).map_err(|e| e.at(target.span))?;
                        l.items_mut().remove(i);
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
                match &obj {
                    inst if let Some(o) = crate::orm::state::as_instance(inst) => {
                        o.borrow_mut().dict.remove(attr);
                        Ok(())
                    }
                    v if let Some(r) = super::classes::del_attr(v, attr) => {
                        r.map_err(|e| Flow::Error(e.at_part(*attr_span, target.span)))
                    }
                    _ => Err(Flow::Error(
                        crate::python::exceptions::attribute_error(format!(
                            "can't delete attribute '{attr}'"
                        ))
                        .at(*attr_span),
                    )),
                }
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
                crate::sqlalchemy::session::construct(self, factory.0.clone(), args, kwargs)
            }
            v if let Some(f) = v.downcast::<super::coroutines::AsyncioFunction>() => {
                super::coroutines::call_asyncio(self, &f, args, kwargs)
            }
            v if crate::sqlalchemy::asyncio::is_callable(v) => {
                crate::sqlalchemy::asyncio::call(self, v, args, kwargs)
            }
            Value::ExceptionClass(name) => {
                let message = match args.first() {
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
        if matches!(f.body, FunctionBody::AsyncBlock(_)) {
            return Ok(super::coroutines::coroutine_of(f, args, kwargs));
        }
        let method = self.enter_method(f, &args);
        let result = self.invoke_function(f, args, kwargs);
        self.leave_method(method);
        result
    }

    /// Runs a function's body (an `async def`'s too) with its arguments.
    pub(super) fn invoke_function(
        &mut self,
        f: &Rc<Function>,
        args: Vec<Value>,
        kwargs: Vec<(String, Value)>,
    ) -> PyResult<Value> {
        if args.len() > f.params.len() {
            return Err(type_error(format!(
                "{}() takes {} positional argument{} but {} {} given",
                f.name,
                f.params.len(),
                if f.params.len() == 1 { "" } else { "s" },
                args.len(),
                if args.len() == 1 { "was" } else { "were" }
            )));
        }
        let mut frame: HashMap<String, Value> = HashMap::new();
        for (p, a) in f.params.iter().zip(args) {
            frame.insert(p.clone(), a);
        }
        for (k, v) in kwargs {
            if !f.params.contains(&k) {
                return Err(type_error(format!(
                    "{}() got an unexpected keyword argument '{k}'",
                    f.name
                )));
            }
            frame.insert(k, v);
        }
        let first_default = f.params.len().saturating_sub(f.defaults.len());
        for (i, p) in f.params.iter().enumerate().skip(first_default) {
            if !frame.contains_key(p)
                && let Some(d) = f.defaults.get(i - first_default)
            {
                frame.insert(p.clone(), d.clone());
            }
        }
        let missing: Vec<&String> = f
            .params
            .iter()
            .filter(|p| !frame.contains_key(*p))
            .collect();
        if !missing.is_empty() {
            return Err(type_error(format!(
                "{}() missing {} required positional argument{}: {}",
                f.name,
                missing.len(),
                if missing.len() == 1 { "" } else { "s" },
                missing
                    .iter()
                    .map(|m| format!("'{m}'"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )));
        }
        if self.call_depth >= MAX_CALL_DEPTH {
            return Err(PyErr::new(
                ExcType::RecursionError,
                "maximum recursion depth exceeded",
            ));
        }
        self.call_depth += 1;
        self.frames.push(frame);
        let result = match &f.body {
            FunctionBody::Lambda(e) => self.eval(e),
            FunctionBody::Block(body) | FunctionBody::AsyncBlock(body) => {
                match self.exec_block(body) {
                    Ok(()) => Ok(Value::None),
                    Err(Flow::Return(v)) => Ok(v),
                    Err(Flow::Error(e)) => Err(e),
                    Err(Flow::Break) | Err(Flow::Continue) => {
                        Err(PyErr::new(ExcType::SyntaxError, "'break' outside loop"))
                    }
                }
            }
        };
        self.frames.pop();
        self.call_depth -= 1;
        // The function's body may come from an earlier entry: its spans do
        // not point into this statement, so they go into the traceback with
        // the function's own source, and the caret goes on the call.
        result.map_err(|mut e| {
            e.traceback.push(TraceFrame {
                function: f.name.clone(),
                source: f.source.clone(),
                span: e.traceback_span(),
            });
            e.span = None;
            e.expression = None;
            e
        })
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
            None => Ok(None),
        }
    }

    /// `repr(v)`.
    pub fn repr(&mut self, v: &Value) -> PyResult<String> {
        format::repr_with(v, &mut |o| self.custom_repr(o))
    }

    /// `str(v)`: a class's `__str__`, else its `__repr__`.
    pub fn to_str(&mut self, v: &Value) -> PyResult<String> {
        if let Some(s) = super::classes::custom_str(self, v)? {
            return Ok(s);
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
        self.stdout.push_str(s);
    }

    /// A new, owned list value (helper for methods).
    pub fn new_list(items: Vec<Value>) -> Value {
        Value::List(ListObj::new(items))
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
