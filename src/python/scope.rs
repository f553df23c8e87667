//! Function scopes as CPython has them: which names a function's body
//! binds locally, declares `global` or `nonlocal` ([`ScopeNames`], found
//! once per `def` as CPython's symbol table does at compile time), and the
//! namespace of one running call ([`Scope`]), shared by reference with the
//! closures defined in it, so they see its variables late-bound: a nested
//! `def` or `lambda` reads the value a name has when it runs, and
//! `nonlocal` writes go to the enclosing call's namespace. No frame is ever
//! copied; a name resolves in O(lexical depth) hash look-ups.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::language::ast::{Expr, ExprKind, Parameters, Span, Stmt, StmtKind};

use super::value::Value;

/// What a function's body does with its names: CPython's symbol table for
/// one function scope.
#[derive(Debug, Default)]
pub struct ScopeNames {
    /// Names bound in the body (parameters, assignment and `for` targets,
    /// `def`/`class`/`import` names, `with … as`, `except … as`, `del`)
    /// and not declared `global` or `nonlocal`.
    pub locals: HashSet<String>,
    /// Names declared `global`.
    pub globals: HashSet<String>,
    /// Names declared `nonlocal`.
    pub nonlocals: HashSet<String>,
}

/// A `SyntaxError` CPython's symbol table raises (`name 'x' is parameter
/// and global`), with the span of the declaration.
pub type ScopeError = (String, Span);

impl ScopeNames {
    /// The names of a function with these parameters and this body; a
    /// `lambda`'s body is one expression with no bindings of its own.
    ///
    /// Errors: CPython 3.11's `name 'x' is parameter and global`, `… is
    /// assigned to before global declaration`, `… is nonlocal and global`.
    pub fn of_function(params: &Parameters, body: &[Stmt]) -> Result<ScopeNames, ScopeError> {
        let mut names = ScopeNames::default();
        let params: HashSet<String> = params.names().cloned().collect();
        let mut assigned = Vec::new();
        collect_block(body, &mut names, &mut assigned, &params)?;
        names.locals = params;
        for n in assigned {
            if !names.globals.contains(&n) && !names.nonlocals.contains(&n) {
                names.locals.insert(n);
            }
        }
        Ok(names)
    }
}

/// Walks a block for bindings and declarations, not into nested function
/// or class bodies (their names are their own).
fn collect_block(
    body: &[Stmt],
    names: &mut ScopeNames,
    assigned: &mut Vec<String>,
    params: &HashSet<String>,
) -> Result<(), ScopeError> {
    for s in body {
        collect_stmt(s, names, assigned, params)?;
    }
    Ok(())
}

fn collect_stmt(
    s: &Stmt,
    names: &mut ScopeNames,
    assigned: &mut Vec<String>,
    params: &HashSet<String>,
) -> Result<(), ScopeError> {
    match &s.kind {
        StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target_names(t, assigned)),
        StmtKind::AnnAssign { target, .. } | StmtKind::AugAssign { target, .. } => {
            target_names(target, assigned)
        }
        StmtKind::For {
            target,
            body,
            orelse,
            ..
        } => {
            target_names(target, assigned);
            collect_block(body, names, assigned, params)?;
            collect_block(orelse, names, assigned, params)?;
        }
        StmtKind::While { body, orelse, .. } => {
            collect_block(body, names, assigned, params)?;
            collect_block(orelse, names, assigned, params)?;
        }
        StmtKind::If { body, orelse, .. } => {
            collect_block(body, names, assigned, params)?;
            collect_block(orelse, names, assigned, params)?;
        }
        StmtKind::With { items, body } => {
            for item in items {
                if let Some(t) = &item.target {
                    target_names(t, assigned);
                }
            }
            collect_block(body, names, assigned, params)?;
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            collect_block(body, names, assigned, params)?;
            for h in handlers {
                if let Some(n) = &h.name {
                    assigned.push(n.clone());
                }
                collect_block(&h.body, names, assigned, params)?;
            }
            collect_block(orelse, names, assigned, params)?;
            collect_block(finalbody, names, assigned, params)?;
        }
        StmtKind::ClassDef { name, .. } | StmtKind::FunctionDef { name, .. } => {
            assigned.push(name.clone())
        }
        StmtKind::Delete(targets) => targets.iter().for_each(|t| target_names(t, assigned)),
        StmtKind::Import(import) => assigned.extend(import.bound_names()),
        StmtKind::Async(inner)
        | StmtKind::Decorated {
            definition: inner, ..
        } => collect_stmt(inner, names, assigned, params)?,
        StmtKind::Global(declared) => {
            for n in declared {
                if params.contains(n) {
                    return Err((format!("name '{n}' is parameter and global"), s.span));
                }
                if names.nonlocals.contains(n) {
                    return Err((format!("name '{n}' is nonlocal and global"), s.span));
                }
                if assigned.contains(n) {
                    return Err((
                        format!("name '{n}' is assigned to before global declaration"),
                        s.span,
                    ));
                }
                names.globals.insert(n.clone());
            }
        }
        StmtKind::Nonlocal(declared) => {
            for n in declared {
                if params.contains(n) {
                    return Err((format!("name '{n}' is parameter and nonlocal"), s.span));
                }
                if names.globals.contains(n) {
                    return Err((format!("name '{n}' is nonlocal and global"), s.span));
                }
                if assigned.contains(n) {
                    return Err((
                        format!("name '{n}' is assigned to before nonlocal declaration"),
                        s.span,
                    ));
                }
                names.nonlocals.insert(n.clone());
            }
        }
        StmtKind::Expr(_)
        | StmtKind::Return(_)
        | StmtKind::Raise { .. }
        | StmtKind::Assert { .. }
        | StmtKind::Pass
        | StmtKind::Break
        | StmtKind::Continue => {}
    }
    Ok(())
}

/// The names an assignment target binds: `a`, `a, *b`, `[a, (b, c)]`.
pub fn target_names(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Name(n) => out.push(n.clone()),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            items.iter().for_each(|i| target_names(i, out))
        }
        ExprKind::Starred(inner) => target_names(inner, out),
        _ => {}
    }
}

/// The namespace of one running function call (or class body): its
/// variables, the scope of the call it was defined in (for its free
/// variables), and its [`ScopeNames`] (`None` for a class body, whose
/// names are all plain locals and which no closure captures).
#[derive(Debug)]
pub struct Scope {
    pub vars: RefCell<HashMap<String, Value>>,
    pub enclosing: Option<Rc<Scope>>,
    pub names: Option<Rc<ScopeNames>>,
}

/// Where a name is read from, as CPython's `LOAD_FAST`/`LOAD_DEREF`/
/// `LOAD_GLOBAL` decide.
#[derive(Debug)]
pub enum Lookup {
    Found(Value),
    /// A local of this function with no value yet: `UnboundLocalError`.
    UnboundLocal,
    /// A local of an enclosing function with no value yet: CPython's
    /// `NameError: cannot access free variable …`.
    UnboundFree,
    /// Not a local of any enclosing function: look in the module.
    Global,
}

impl Scope {
    /// A call's namespace with its bound arguments.
    pub fn function(
        vars: HashMap<String, Value>,
        enclosing: Option<Rc<Scope>>,
        names: Rc<ScopeNames>,
    ) -> Scope {
        Scope {
            vars: RefCell::new(vars),
            enclosing,
            names: Some(names),
        }
    }

    /// A class body's namespace.
    pub fn class_body() -> Scope {
        Scope {
            vars: RefCell::new(HashMap::new()),
            enclosing: None,
            names: None,
        }
    }

    /// Resolves `name` read in this scope.
    pub fn lookup(&self, name: &str) -> Lookup {
        if let Some(v) = self.vars.borrow().get(name) {
            return Lookup::Found(v.clone());
        }
        let Some(names) = &self.names else {
            return Lookup::Global;
        };
        if names.globals.contains(name) {
            return Lookup::Global;
        }
        if names.locals.contains(name) {
            return Lookup::UnboundLocal;
        }
        let mut scope = self.enclosing.as_ref();
        while let Some(s) = scope {
            if let Some(v) = s.vars.borrow().get(name) {
                return Lookup::Found(v.clone());
            }
            if let Some(n) = &s.names {
                if n.globals.contains(name) {
                    return Lookup::Global;
                }
                if n.locals.contains(name) {
                    return Lookup::UnboundFree;
                }
            }
            scope = s.enclosing.as_ref();
        }
        Lookup::Global
    }

    /// The scope a write of `name` goes to: this one, the enclosing one
    /// holding a `nonlocal` name, or `None` for a `global` name.
    pub fn binding_scope(self: &Rc<Scope>, name: &str) -> Option<Rc<Scope>> {
        let Some(names) = &self.names else {
            return Some(self.clone());
        };
        if names.globals.contains(name) {
            return None;
        }
        if !names.nonlocals.contains(name) {
            return Some(self.clone());
        }
        let mut scope = self.enclosing.clone();
        while let Some(s) = scope {
            let holds = match &s.names {
                Some(n) => n.locals.contains(name),
                None => false,
            };
            if holds || s.vars.borrow().contains_key(name) {
                return Some(s);
            }
            scope = s.enclosing.clone();
        }
        None
    }

    /// Whether an enclosing function binds `name`, so `nonlocal name` in
    /// a function defined here has a binding to refer to.
    pub fn has_nonlocal_binding(self: &Rc<Scope>, name: &str) -> bool {
        let mut scope = Some(self.clone());
        while let Some(s) = scope {
            if let Some(n) = &s.names {
                if n.globals.contains(name) {
                    return false;
                }
                if n.locals.contains(name) || n.nonlocals.contains(name) {
                    return true;
                }
            }
            scope = s.enclosing.clone();
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(src: &str) -> Result<ScopeNames, String> {
        let stmts = crate::language::parse_module(src).map_err(|e| e.message)?;
        match &stmts[0].kind {
            StmtKind::FunctionDef { params, body, .. } => {
                ScopeNames::of_function(params, body).map_err(|e| e.0)
            }
            _ => Err("not a def".into()),
        }
    }

    #[test]
    fn locals_are_what_the_body_binds_and_declarations_are_apart() {
        let n = names_of(
            "def f(a, *args, k, **kw):\n    b = 1\n    c, *d = a\n    for e in a: pass\n    global g\n    g = 2\n    def h(): pass\n    import os\n",
        )
        .unwrap();
        let mut locals: Vec<&str> = n.locals.iter().map(String::as_str).collect();
        locals.sort();
        assert_eq!(
            locals,
            ["a", "args", "b", "c", "d", "e", "h", "k", "kw", "os"]
        );
        assert!(n.globals.contains("g"));
    }

    #[test]
    fn declarations_that_contradict_are_cpythons_syntax_errors() {
        // Messages from CPython 3.11's symtable.c.
        assert_eq!(
            names_of("def f(a):\n    global a\n").err().as_deref(),
            Some("name 'a' is parameter and global")
        );
        assert_eq!(
            names_of("def f():\n    x = 1\n    global x\n")
                .err()
                .as_deref(),
            Some("name 'x' is assigned to before global declaration")
        );
    }
}
