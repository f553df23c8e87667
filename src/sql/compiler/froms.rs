//! The FROM list of a SELECT, as `SelectState._get_froms` derives it.

use super::*;

/// A FROM-list object: a selectable or a join, compared by pointer.
#[derive(Debug, Clone)]
pub(super) enum FromObj {
    Sel(Selectable),
    Join(Rc<Join>),
}

impl FromObj {
    /// The FROM object of `f`; an `aliased()` view of a subquery
    /// ([`Subquery::adapts`]) is its base subquery.
    pub(super) fn of(f: &FromClause) -> FromObj {
        match f {
            FromClause::Selectable(Selectable::Subquery(sq))
                if let Some((base, _)) = &sq.adapts =>
            {
                FromObj::Sel(Selectable::Subquery(base.clone()))
            }
            FromClause::Selectable(s) => FromObj::Sel(s.clone()),
            FromClause::Join(j) => FromObj::Join(j.clone()),
        }
    }

    pub(super) fn same(&self, other: &FromObj) -> bool {
        match (self, other) {
            (FromObj::Sel(a), FromObj::Sel(b)) => a.same(b),
            (FromObj::Join(a), FromObj::Join(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

pub(super) fn contains(list: &[FromObj], obj: &FromObj) -> bool {
    list.iter().any(|o| o.same(obj))
}

/// `ClauseElement._from_objects` of an expression, appended to `out`.
pub(super) fn expr_from_objects(e: &Expr, out: &mut Vec<FromObj>) {
    match e {
        Expr::Column(c) => out.push(FromObj::Sel(c.from.clone())),
        Expr::Bind(_)
        | Expr::BindParam { .. }
        | Expr::Null
        | Expr::True
        | Expr::False
        | Expr::Star
        | Expr::One
        | Expr::LabelRef(_) => {}
        Expr::ScalarSelect(_) | Expr::Exists(_) => {}
        Expr::Grouping(x) => expr_from_objects(x, out),
        Expr::LikePattern { value, .. } => expr_from_objects(value, out),
        Expr::Escape { pattern, .. } => expr_from_objects(pattern, out),
        Expr::LiteralColumn(_) => {}
        Expr::Case {
            value,
            whens,
            else_,
        } => {
            for v in value.iter().chain(else_.iter()) {
                expr_from_objects(v, out);
            }
            for (w, r) in whens {
                expr_from_objects(w, out);
                expr_from_objects(r, out);
            }
        }
        Expr::Cast { expr, .. }
        | Expr::Nulls { expr, .. }
        | Expr::TypeCoerce { expr, .. }
        | Expr::Extract { expr, .. } => expr_from_objects(expr, out),
        Expr::FunctionFilter { func, criterion } => {
            expr_from_objects(func, out);
            for c in criterion {
                expr_from_objects(c, out);
            }
        }
        Expr::WithinGroup { func, order_by } => {
            expr_from_objects(func, out);
            for e in order_by {
                expr_from_objects(e, out);
            }
        }
        Expr::JsonGetItem { expr, index, .. } => {
            expr_from_objects(expr, out);
            expr_from_objects(index, out);
        }
        Expr::Over {
            func,
            partition_by,
            order_by,
        } => {
            expr_from_objects(func, out);
            for e in partition_by.iter().chain(order_by) {
                expr_from_objects(e, out);
            }
        }
        Expr::Binary { left, right, .. } => {
            expr_from_objects(left, out);
            expr_from_objects(right, out);
        }
        Expr::In { left, values, .. } => {
            expr_from_objects(left, out);
            for v in values {
                expr_from_objects(v, out);
            }
        }
        Expr::Between {
            expr, low, high, ..
        } => {
            expr_from_objects(expr, out);
            expr_from_objects(low, out);
            expr_from_objects(high, out);
        }
        Expr::BoolList { clauses, .. } => {
            for c in clauses {
                expr_from_objects(c, out);
            }
        }
        Expr::Function { args, .. } => {
            for a in args {
                expr_from_objects(a, out);
            }
        }
        Expr::Not(x) | Expr::Neg(x) | Expr::Distinct(x) | Expr::Asc(x) | Expr::Desc(x) => {
            expr_from_objects(x, out)
        }
        Expr::Label { expr, .. } => expr_from_objects(expr, out),
    }
}

/// `_from_objects` of a FROM entry: a join is itself plus everything inside.
pub(super) fn from_clause_objects(f: &FromClause, out: &mut Vec<FromObj>) {
    match f {
        FromClause::Selectable(s) => out.push(FromObj::Sel(s.clone())),
        FromClause::Join(j) => {
            out.push(FromObj::Join(j.clone()));
            from_clause_objects(&j.left, out);
            from_clause_objects(&j.right, out);
        }
    }
}

/// `_from_objects(*froms)`: the objects the given FROM list makes available
/// to a correlated subquery.
pub(super) fn expand_from_objects(froms: &[FromObj]) -> Vec<FromObj> {
    let mut out = Vec::new();
    for f in froms {
        match f {
            FromObj::Sel(s) => out.push(FromObj::Sel(s.clone())),
            FromObj::Join(j) => from_clause_objects(&FromClause::Join(j.clone()), &mut out),
        }
    }
    out
}

/// `SelectState._get_froms` + `_get_display_froms`: explicit FROMs, then
/// those of the SELECT list, then of the WHERE clause; deduplicated; minus
/// anything inside a listed join; minus the enclosing SELECT's FROMs when
/// auto-correlating (only when more than one FROM is left, and never all of
/// them: SQLAlchemy raises there, [`correlates_every_from`]), or all of them but
/// the `correlate_except()` ones, or those `correlate()` lists.
pub(super) fn display_froms(select: &Select, implicit_correlate: &[FromObj]) -> Vec<FromObj> {
    let mut froms = candidate_froms(select);
    if let Some(correlate) = &select.correlate {
        // `correlate(...)`: those listed that the enclosing SELECT has
        // correlate, however many are left; no auto-correlation.
        let correlate: Vec<FromObj> = correlate.iter().cloned().map(FromObj::Sel).collect();
        froms.retain(|f| !(contains(implicit_correlate, f) && contains(&correlate, f)));
        if select.correlate_except.is_none() {
            return froms;
        }
    }
    if let Some(except) = &select.correlate_except {
        // `correlate_except(...)`: every enclosing FROM but those listed
        // correlates, however many are left (no auto-correlation).
        let except: Vec<FromObj> = except.iter().cloned().map(FromObj::Sel).collect();
        return froms
            .into_iter()
            .filter(|f| !contains(implicit_correlate, f) || contains(&except, f))
            .collect();
    }
    if !implicit_correlate.is_empty() && froms.len() > 1 {
        let kept: Vec<FromObj> = froms
            .iter()
            .filter(|f| !contains(implicit_correlate, f))
            .cloned()
            .collect();
        if !kept.is_empty() {
            return kept;
        }
    }
    froms
}

/// True when auto-correlation would remove every FROM of `select` (more
/// than one of them, all in the enclosing SELECT's): where SQLAlchemy's
/// `_get_display_froms` raises.
pub(super) fn correlates_every_from(select: &Select, implicit_correlate: &[FromObj]) -> bool {
    if select.correlate.is_some() || select.correlate_except.is_some() {
        return false;
    }
    let froms = candidate_froms(select);
    !implicit_correlate.is_empty()
        && froms.len() > 1
        && froms.iter().all(|f| contains(implicit_correlate, f))
}

/// The FROMs of `select` before correlation: explicit FROMs, then those of
/// the SELECT list and WHERE clause, deduplicated, minus anything inside a
/// listed join.
fn candidate_froms(select: &Select) -> Vec<FromObj> {
    let mut items: Vec<FromObj> = select.froms.iter().map(FromObj::of).collect();
    for c in &select.columns {
        expr_from_objects(c, &mut items);
    }
    for w in &select.where_ {
        expr_from_objects(w, &mut items);
    }
    let mut froms: Vec<FromObj> = Vec::new();
    for item in items {
        if !contains(&froms, &item) {
            froms.push(item);
        }
    }
    let mut hidden: Vec<FromObj> = Vec::new();
    for f in &froms {
        if let FromObj::Join(j) = f {
            from_clause_objects(&j.left, &mut hidden);
            from_clause_objects(&j.right, &mut hidden);
        }
    }
    froms
        .into_iter()
        .filter(|f| !contains(&hidden, f))
        .collect()
}
