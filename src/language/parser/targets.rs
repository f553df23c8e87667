//! Assignment targets: what can be assigned to or deleted, and CPython's
//! wording when it cannot (`cannot assign to literal here. Maybe you meant
//! '==' instead of '='?`).

use crate::language::ast::{Expr, ExprKind};
use crate::language::error::SyntaxError;

use super::*;

/// Where an expression is being assigned to, for the error's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TargetCtx {
    /// `target = value`
    Assign,
    /// `for target in …`, `with … as target`
    Bind,
    /// `del target`
    Del,
}

/// What CPython calls an expression in "cannot assign to …".
pub(super) fn describe(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::None => "None",
        ExprKind::Bool(true) => "True",
        ExprKind::Bool(false) => "False",
        ExprKind::Int(_)
        | ExprKind::BigInt(_)
        | ExprKind::Float(_)
        | ExprKind::Str(_)
        | ExprKind::Bytes(_) => "literal",
        ExprKind::FString(_) => "f-string expression",
        ExprKind::Name(_) => "name",
        ExprKind::List(_) => "list",
        ExprKind::Tuple(_) => "tuple",
        ExprKind::Dict(_) => "dict literal",
        ExprKind::Attribute { .. } => "attribute",
        ExprKind::Subscript { .. } => "subscript",
        ExprKind::Slice { .. } => "slice",
        ExprKind::Call { .. } => "function call",
        ExprKind::BinOp { .. } | ExprKind::UnaryOp { .. } | ExprKind::BoolOp { .. } => "expression",
        ExprKind::Compare { .. } => "comparison",
        ExprKind::IfExp { .. } => "conditional expression",
        ExprKind::ListComp {
            generator: true, ..
        } => "generator expression",
        ExprKind::ListComp { .. } => "list comprehension",
        ExprKind::Lambda { .. } => "lambda",
        ExprKind::Await(_) => "await expression",
        ExprKind::Yield(_) | ExprKind::YieldFrom(_) => "yield expression",
        ExprKind::Starred(_) => "starred",
    }
}

/// Checks that `e` can be assigned to (or deleted): a name, attribute,
/// subscript, or a tuple or list of those.
/// One `*name` may stand among a tuple's or list's items (not for `del`).
pub(super) fn check_target(e: &Expr, ctx: TargetCtx) -> PResult<()> {
    match &e.kind {
        ExprKind::Name(_) | ExprKind::Attribute { .. } | ExprKind::Subscript { .. } => Ok(()),
        ExprKind::Starred(_) if ctx != TargetCtx::Del => Err(SyntaxError::new(
            "starred assignment target must be in a list or tuple",
            e.span,
        )),
        ExprKind::Tuple(items) | ExprKind::List(items) => {
            let starred = items
                .iter()
                .filter(|i| matches!(i.kind, ExprKind::Starred(_)))
                .count();
            if starred > 1 && ctx != TargetCtx::Del {
                return Err(SyntaxError::new(
                    "multiple starred expressions in assignment",
                    e.span,
                ));
            }
            items.iter().try_for_each(|item| match &item.kind {
                ExprKind::Starred(inner) if ctx != TargetCtx::Del => check_target(inner, ctx),
                _ => check_target(item, ctx),
            })
        }
        kind => {
            let what = describe(e);
            let message = match (ctx, kind) {
                (TargetCtx::Del, _) => format!("cannot delete {what}"),
                (_, ExprKind::Bool(_) | ExprKind::None) | (TargetCtx::Bind, _) => {
                    format!("cannot assign to {what}")
                }
                (TargetCtx::Assign, _) => {
                    format!("cannot assign to {what} here. Maybe you meant '==' instead of '='?")
                }
            };
            Err(SyntaxError::new(message, e.span))
        }
    }
}
