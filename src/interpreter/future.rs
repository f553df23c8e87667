//! `from __future__ import …`, as CPython 3.11 compiles it: the features it
//! knows are accepted (all but `annotations` change nothing in Python 3),
//! an unknown one is `SyntaxError: future feature X is not defined`, and a
//! future import after other statements is `SyntaxError: from __future__
//! imports must occur at the beginning of the file`.
//!
//! `annotations` (PEP 563) turns every annotation of the statements that
//! follow into a string, never evaluated: [`stringify_annotations`] rewrites
//! each statement's annotations as the text `ast.unparse` gives them
//! (`Mapped[List['Address']]`) before it runs, so a class body reads
//! `Mapped["..."]` strings, which SQLAlchemy's declarative resolves when the
//! class is mapped, and `help(f)` shows `f(a: 'int') -> 'str'`.

use std::rc::Rc;

use crate::language::ast::{BinOp, Expr, ExprKind, Import, Stmt, StmtKind};
use crate::python::object::PyObject;
use crate::python::{ExcType, PyErr, PyResult, Value};

/// CPython 3.11's `__future__.all_feature_names`, each with the repr of its
/// `_Feature` object.
pub const FEATURES: &[(&str, &str)] = &[
    (
        "nested_scopes",
        "_Feature((2, 1, 0, 'beta', 1), (2, 2, 0, 'alpha', 0), 16)",
    ),
    (
        "generators",
        "_Feature((2, 2, 0, 'alpha', 1), (2, 3, 0, 'final', 0), 0)",
    ),
    (
        "division",
        "_Feature((2, 2, 0, 'alpha', 2), (3, 0, 0, 'alpha', 0), 131072)",
    ),
    (
        "absolute_import",
        "_Feature((2, 5, 0, 'alpha', 1), (3, 0, 0, 'alpha', 0), 262144)",
    ),
    (
        "with_statement",
        "_Feature((2, 5, 0, 'alpha', 1), (2, 6, 0, 'alpha', 0), 524288)",
    ),
    (
        "print_function",
        "_Feature((2, 6, 0, 'alpha', 2), (3, 0, 0, 'alpha', 0), 1048576)",
    ),
    (
        "unicode_literals",
        "_Feature((2, 6, 0, 'alpha', 2), (3, 0, 0, 'alpha', 0), 2097152)",
    ),
    (
        "barry_as_FLUFL",
        "_Feature((3, 1, 0, 'alpha', 2), (4, 0, 0, 'alpha', 0), 4194304)",
    ),
    (
        "generator_stop",
        "_Feature((3, 5, 0, 'beta', 1), (3, 7, 0, 'alpha', 0), 8388608)",
    ),
    (
        "annotations",
        "_Feature((3, 7, 0, 'beta', 1), None, 16777216)",
    ),
];

/// A `__future__._Feature` object, as `from __future__ import annotations`
/// binds it.
#[derive(Debug)]
pub struct Feature(&'static str);

impl PyObject for Feature {
    fn type_name(&self) -> String {
        "_Feature".into()
    }
    fn repr(&self) -> String {
        FEATURES
            .iter()
            .find(|(n, _)| *n == self.0)
            .map_or_else(String::new, |(_, r)| (*r).to_string())
    }
    fn into_any(self: Rc<Self>) -> Rc<dyn std::any::Any> {
        self
    }
}

/// `__future__.name` (`annotations`, `all_feature_names`), when the module
/// has it.
pub fn module_value(name: &str) -> Option<Value> {
    if name == "all_feature_names" {
        return Some(Value::list(
            FEATURES.iter().map(|(n, _)| Value::str(n)).collect(),
        ));
    }
    FEATURES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(n, _)| Value::native(Feature(n)))
}

/// Whether `stmt` is a `from __future__ import …` statement.
pub fn is_future_import(stmt: &Stmt) -> bool {
    matches!(&stmt.kind, StmtKind::Import(Import { from: Some((0, m)), .. }) if m == "__future__")
}

impl super::Interpreter {
    /// Runs `from __future__ import …` (`stmt`): checks its place and its
    /// features as CPython's compiler does, turns on PEP 563 for
    /// `annotations` and binds each feature's `_Feature` object.
    ///
    /// Errors: `SyntaxError` after other statements (the whole statement
    /// underlined), for an unknown feature, and `not a chance` for `braces`
    /// (a caret at the statement's start); `barry_as_FLUFL`, which changes
    /// `!=`'s spelling, is the tutor's `NotImplementedError`.
    pub(super) fn future_import(&mut self, stmt: &Stmt, import: &Import) -> PyResult<()> {
        if self.statements_run {
            return Err(PyErr::new(
                ExcType::SyntaxError,
                "from __future__ imports must occur at the beginning of the file",
            )
            .at(stmt.span));
        }
        let start = crate::language::ast::Span {
            start: stmt.span.start,
            end: stmt.span.start + 1,
        };
        for alias in &import.names {
            match alias.name.as_str() {
                "braces" => {
                    return Err(PyErr::new(ExcType::SyntaxError, "not a chance").at(start));
                }
                "barry_as_FLUFL" => {
                    return Err(PyErr::unsupported("from __future__ import barry_as_FLUFL"));
                }
                n if FEATURES.iter().any(|(f, _)| *f == n) => {}
                n => {
                    return Err(PyErr::new(
                        ExcType::SyntaxError,
                        format!("future feature {n} is not defined"),
                    )
                    .at(start));
                }
            }
        }
        for alias in &import.names {
            if alias.name == "annotations" {
                self.future_annotations = true;
            }
            if let Some(v) = module_value(&alias.name) {
                self.set_name(alias.asname.as_ref().unwrap_or(&alias.name), v);
            }
        }
        Ok(())
    }
}

/// A `from __future__ import …` inside `stmt`'s bodies (a `def`'s, an
/// `if`'s): CPython's compiler rejects the whole statement for it.
pub fn nested_future_import(stmt: &Stmt) -> Option<crate::language::ast::Span> {
    let find = |b: &[Stmt]| {
        b.iter().find_map(|s| {
            if is_future_import(s) {
                Some(s.span)
            } else {
                nested_future_import(s)
            }
        })
    };
    match &stmt.kind {
        StmtKind::FunctionDef { body, .. }
        | StmtKind::ClassDef { body, .. }
        | StmtKind::With { body, .. } => find(body),
        StmtKind::For { body, orelse, .. }
        | StmtKind::While { body, orelse, .. }
        | StmtKind::If { body, orelse, .. } => find(body).or_else(|| find(orelse)),
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => find(body)
            .or_else(|| handlers.iter().find_map(|h| find(&h.body)))
            .or_else(|| find(orelse))
            .or_else(|| find(finalbody)),
        StmtKind::Decorated { definition, .. } => nested_future_import(definition),
        StmtKind::Async(inner) => nested_future_import(inner),
        _ => None,
    }
}

/// `stmt` with every annotation in it (variables', parameters', returns',
/// in nested bodies too) replaced by its text as a string, as PEP 563
/// compiles it; `None` when it has no annotation.
pub fn stringify_annotations(stmt: &Stmt) -> Option<Stmt> {
    if !has_annotation(stmt) {
        return None;
    }
    let mut s = stmt.clone();
    rewrite(&mut s);
    Some(s)
}

fn has_annotation(stmt: &Stmt) -> bool {
    let any = |b: &[Stmt]| b.iter().any(has_annotation);
    match &stmt.kind {
        StmtKind::AnnAssign { .. } => true,
        StmtKind::FunctionDef { params, body, .. } => {
            !params.annotations.is_empty() || params.returns.is_some() || any(body)
        }
        StmtKind::ClassDef { body, .. } | StmtKind::With { body, .. } => any(body),
        StmtKind::For { body, orelse, .. }
        | StmtKind::While { body, orelse, .. }
        | StmtKind::If { body, orelse, .. } => any(body) || any(orelse),
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => any(body) || handlers.iter().any(|h| any(&h.body)) || any(orelse) || any(finalbody),
        StmtKind::Decorated { definition, .. } => has_annotation(definition),
        StmtKind::Async(inner) => has_annotation(inner),
        _ => false,
    }
}

fn rewrite(stmt: &mut Stmt) {
    let all = |b: &mut Vec<Stmt>| b.iter_mut().for_each(rewrite);
    match &mut stmt.kind {
        StmtKind::AnnAssign { annotation, .. } => stringify(annotation),
        StmtKind::FunctionDef { params, body, .. } => {
            for (_, a) in &mut params.annotations {
                stringify(a);
            }
            if let Some(r) = &mut params.returns {
                stringify(r);
            }
            all(body);
        }
        StmtKind::ClassDef { body, .. } | StmtKind::With { body, .. } => all(body),
        StmtKind::For { body, orelse, .. }
        | StmtKind::While { body, orelse, .. }
        | StmtKind::If { body, orelse, .. } => {
            all(body);
            all(orelse);
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            all(body);
            for h in handlers {
                all(&mut h.body);
            }
            all(orelse);
            all(finalbody);
        }
        StmtKind::Decorated { definition, .. } => rewrite(definition),
        StmtKind::Async(inner) => rewrite(inner),
        _ => {}
    }
}

/// An annotation made the string of its text; one the tutor cannot write
/// back as `ast.unparse` does stays as it is (unevaluated all the same).
fn stringify(e: &mut Expr) {
    if let Some(text) = unparse(e) {
        e.kind = ExprKind::Str(text);
    }
}

/// The text `ast.unparse` gives an annotation's expression (names, dotted
/// names, subscripts, strings in single quotes, `X | None`, literals,
/// calls); `None` for other expressions.
pub fn unparse(e: &Expr) -> Option<String> {
    Some(match &e.kind {
        ExprKind::Name(n) => n.clone(),
        ExprKind::None => "None".into(),
        ExprKind::Bool(b) => if *b { "True" } else { "False" }.into(),
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(f) => crate::language::repr::float_repr(*f),
        ExprKind::Str(s) => crate::python::value::str_repr(s),
        ExprKind::Attribute { value, attr, .. } => format!("{}.{attr}", unparse(value)?),
        ExprKind::Subscript { value, index } => {
            let inner = match &index.kind {
                ExprKind::Tuple(items) if !items.is_empty() => join(items)?,
                _ => unparse(index)?,
            };
            format!("{}[{inner}]", unparse(value)?)
        }
        ExprKind::Tuple(items) if items.len() == 1 => format!("({},)", unparse(&items[0])?),
        ExprKind::Tuple(items) => format!("({})", join(items)?),
        ExprKind::List(items) => format!("[{}]", join(items)?),
        ExprKind::BinOp {
            left,
            op: BinOp::BitOr,
            right,
        } => format!("{} | {}", unparse(left)?, unparse(right)?),
        ExprKind::Call { func, args, kwargs } => {
            let mut parts: Vec<String> = Vec::new();
            for a in args {
                parts.push(unparse(a)?);
            }
            for k in kwargs {
                parts.push(match &k.name {
                    Some(n) => format!("{n}={}", unparse(&k.value)?),
                    None => format!("**{}", unparse(&k.value)?),
                });
            }
            format!("{}({})", unparse(func)?, parts.join(", "))
        }
        _ => return None,
    })
}

fn join(items: &[Expr]) -> Option<String> {
    let parts: Option<Vec<String>> = items.iter().map(unparse).collect();
    Some(parts?.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(src: &str) -> Option<String> {
        let stmts = crate::language::parse_module(src).ok()?;
        match &stmts.first()?.kind {
            StmtKind::Expr(e) => unparse(e),
            _ => None,
        }
    }

    #[test]
    fn annotations_unparse_as_ast_unparse_does() {
        // `ast.unparse(ast.parse(src).body[0].value)` in Python 3.11
        assert_eq!(
            text("Mapped[List[\"Address\"]]").as_deref(),
            Some("Mapped[List['Address']]")
        );
        assert_eq!(
            text("Mapped[ Optional[str] ]").as_deref(),
            Some("Mapped[Optional[str]]")
        );
        assert_eq!(text("Dict[str,int]").as_deref(), Some("Dict[str, int]"));
        assert_eq!(text("str|None").as_deref(), Some("str | None"));
        assert_eq!(
            text("datetime.datetime").as_deref(),
            Some("datetime.datetime")
        );
        assert_eq!(
            text("Annotated[int, mapped_column(primary_key=True)]").as_deref(),
            Some("Annotated[int, mapped_column(primary_key=True)]")
        );
        assert_eq!(text("Mapped[x + 1]"), None);
    }
}
