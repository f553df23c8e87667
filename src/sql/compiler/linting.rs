//! The FROM linter: SQLAlchemy 2.0's `FromLinter` (`sql/compiler.py`),
//! which an engine runs on each statement it compiles for execution
//! (`create_engine(enable_from_linting=True)`, the default) and which
//! warns when a SELECT's FROM elements are not all linked to each other by
//! join conditions or WHERE comparisons — a cartesian product.
//!
//! Each SELECT (the statement's, and each subquery's or scalar subquery's
//! own) has its own linter: its FROM elements (tables, aliases, subqueries
//! and CTEs by name, joins looked into) are the nodes; a JOIN links every
//! FROM object of its left to every one of its right, and a comparison
//! (`=`, `<`, `LIKE`, `IN`, `BETWEEN`, `IS` …) in an ON or WHERE clause
//! links the FROM objects of its two sides. A subquery's comparisons link
//! only its own linter's nodes.

use super::*;

/// The state of one SELECT's linter: `FromLinter(froms, edges)`.
#[derive(Debug, Default)]
pub(super) struct FromLinter {
    /// The FROM elements, in render order: identity and name.
    froms: Vec<(usize, String)>,
    /// Pairs of FROM object identities linked by a join or a comparison.
    edges: Vec<(usize, usize)>,
}

impl FromLinter {
    /// `FromLinter.lint`: the FROM elements not reachable from the start,
    /// in render order, with the start's name. SQLAlchemy pops its start
    /// from a set, so which element it names varies from run to run; the
    /// tutor starts deterministically from the first FROM element rendered.
    fn lint(&self) -> Option<(Vec<&str>, &str)> {
        let (start, start_name) = self.froms.first()?;
        let mut rest: Vec<&(usize, String)> = self.froms.iter().skip(1).collect();
        let mut edges = self.edges.clone();
        let mut stack = std::collections::VecDeque::from([*start]);
        while !rest.is_empty() {
            let Some(node) = stack.pop_front() else { break };
            rest.retain(|(id, _)| *id != node);
            let mut i = 0;
            while i < edges.len() {
                let (a, b) = edges[i];
                if a == node || b == node {
                    stack.push_front(if a == node { b } else { a });
                    edges.swap_remove(i);
                } else {
                    i += 1;
                }
            }
        }
        if rest.is_empty() {
            return None;
        }
        Some((rest.iter().map(|(_, n)| n.as_str()).collect(), start_name))
    }

    /// `FromLinter.warn`'s message, or `None` when every FROM element is
    /// linked.
    pub(super) fn message(&self, stmt_type: &str) -> Option<String> {
        let (rest, start) = self.lint()?;
        let froms = rest
            .iter()
            .map(|n| format!("\"{n}\""))
            .collect::<Vec<_>>()
            .join(", ");
        Some(format!(
            "{stmt_type} statement has a cartesian product between FROM element(s) {froms} \
             and FROM element \"{start}\".  Apply join condition(s) between each element to \
             resolve."
        ))
    }

    /// Links every object of `left` to every object of `right`
    /// (`itertools.product`).
    fn link(&mut self, left: &[FromObj], right: &[FromObj]) {
        for l in left {
            for r in right {
                self.edges.push((from_obj_id(l), from_obj_id(r)));
            }
        }
    }

    /// The edges of the comparisons in `e` (`visit_binary` with a
    /// `from_linter`), not looking into subqueries, which lint themselves.
    pub(super) fn comparisons(&mut self, e: &Expr) {
        match e {
            Expr::Binary {
                left, op, right, ..
            } => {
                if is_comparison(*op) {
                    self.link(&from_objects(left), &from_objects(right));
                }
                self.comparisons(left);
                self.comparisons(right);
            }
            Expr::In { left, values, .. } => {
                let mut right = Vec::new();
                for v in values {
                    expr_from_objects(v, &mut right);
                }
                self.link(&from_objects(left), &right);
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                let mut right = Vec::new();
                expr_from_objects(low, &mut right);
                expr_from_objects(high, &mut right);
                self.link(&from_objects(expr), &right);
            }
            Expr::BoolList { clauses, .. } => {
                for c in clauses {
                    self.comparisons(c);
                }
            }
            Expr::Not(x) | Expr::Grouping(x) | Expr::Label { expr: x, .. } => self.comparisons(x),
            _ => {}
        }
    }
}

/// `operators.is_comparison`.
fn is_comparison(op: Operator) -> bool {
    !matches!(
        op,
        Operator::Add
            | Operator::Sub
            | Operator::Mul
            | Operator::Div
            | Operator::Mod
            | Operator::Concat
    )
}

fn from_objects(e: &Expr) -> Vec<FromObj> {
    let mut out = Vec::new();
    expr_from_objects(e, &mut out);
    out
}

fn from_obj_id(f: &FromObj) -> usize {
    match f {
        FromObj::Sel(s) => selectable_ptr(s),
        FromObj::Join(j) => Rc::as_ptr(j) as usize,
    }
}

impl SqlCompiler<'_> {
    /// Registers a FROM entry with `linter` as SQLAlchemy's `visit_table`,
    /// `visit_alias`, `visit_subquery`, `visit_cte` and `visit_join` do
    /// when given a `from_linter`: each selectable by its (resolved) name,
    /// a join's sides and its ON clause's comparisons.
    pub(super) fn lint_from(&mut self, linter: &mut FromLinter, f: &FromObj) {
        match f {
            FromObj::Sel(s) => {
                let id = selectable_ptr(s);
                let name = self.resolve(&from_name(s));
                if !linter.froms.iter().any(|(i, _)| *i == id) {
                    linter.froms.push((id, name));
                }
            }
            FromObj::Join(j) => {
                let mut left = Vec::new();
                from_clause_objects(&j.left, &mut left);
                let mut right = Vec::new();
                from_clause_objects(&j.right, &mut right);
                linter.link(&left, &right);
                self.lint_from(linter, &FromObj::of(&j.left));
                self.lint_from(linter, &FromObj::of(&j.right));
                linter.comparisons(&j.on);
            }
        }
    }

    /// Lints an UPDATE or DELETE with extra FROMs once rendered, as
    /// SQLAlchemy's `visit_update`/`visit_delete` with a `from_linter`: the
    /// statement's table first, then its extra FROMs, linked by the WHERE
    /// criteria's comparisons; `stmt_type` names it in the warning.
    pub(super) fn lint_dml(
        &mut self,
        stmt_type: &str,
        table: &TableRef,
        extra: &[FromObj],
        where_: &[Expr],
    ) {
        if !self.linting {
            return;
        }
        let mut linter = FromLinter::default();
        self.lint_from(&mut linter, &FromObj::Sel(Selectable::Table(table.clone())));
        for f in extra {
            self.lint_from(&mut linter, f);
        }
        for w in where_ {
            linter.comparisons(w);
        }
        if let Some(message) = linter.message(stmt_type) {
            self.lint_warnings.push(message);
        }
    }

    /// Lints one SELECT once its FROM and WHERE clauses are rendered (so
    /// anonymous names are numbered), keeping the warning if any.
    pub(super) fn lint_select(&mut self, select: &Select, froms: &[FromObj]) {
        if !self.linting {
            return;
        }
        let mut linter = FromLinter::default();
        for f in froms {
            self.lint_from(&mut linter, f);
        }
        for w in &select.where_ {
            linter.comparisons(w);
        }
        if let Some(message) = linter.message("SELECT") {
            self.lint_warnings.push(message);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linter(froms: &[&str], edges: &[(usize, usize)]) -> FromLinter {
        FromLinter {
            froms: froms
                .iter()
                .enumerate()
                .map(|(i, n)| (i, n.to_string()))
                .collect(),
            edges: edges.to_vec(),
        }
    }

    #[test]
    fn two_unlinked_froms_warn_from_the_first() {
        assert_eq!(
            linter(&["users", "messages"], &[])
                .message("SELECT")
                .as_deref(),
            Some(
                "SELECT statement has a cartesian product between FROM element(s) \"messages\" \
                 and FROM element \"users\".  Apply join condition(s) between each element to \
                 resolve."
            )
        );
    }

    #[test]
    fn linked_froms_do_not_warn_even_through_another_node() {
        assert_eq!(linter(&["a", "b"], &[(1, 0)]).message("SELECT"), None);
        // a–j and j–b: `j` (a join) is no FROM element but links them.
        assert_eq!(
            linter(&["a", "b"], &[(0, 9), (9, 1)]).message("SELECT"),
            None
        );
        assert_eq!(linter(&["a"], &[]).message("SELECT"), None);
    }

    #[test]
    fn every_unreachable_from_is_listed_in_render_order() {
        let m = linter(&["a", "b", "c", "d"], &[(0, 2)])
            .message("SELECT")
            .unwrap_or_default();
        assert!(
            m.contains("FROM element(s) \"b\", \"d\" and FROM element \"a\""),
            "{m}"
        );
    }
}
