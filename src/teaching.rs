//! Teaching notes added to a step's outcome. The N+1 detector: when a step
//! lazy-loads the same relationship two or more times, it says which
//! relationship, how many statements that cost out of the total, and the fix
//! — the learner's own query rewritten with an eager-loading option.

use crate::language::ast::{Expr, ExprKind, Stmt, StmtKind};
use crate::outcome::{Cause, StepOutcome};

/// The source of a query the learner ran, kept to rewrite it in a fix.
#[derive(Debug, Clone, PartialEq)]
pub struct QuerySource {
    /// The mapped class the query selects (`User`).
    pub class_name: String,
    /// The whole expression (`session.query(User).all()`).
    pub code: String,
    /// Where the query constructor (`session.query(User)` or `select(User)`)
    /// ends inside `code`, so an `.options(...)` call can go right after it.
    pub insert_at: usize,
    /// `select()` style (the option goes on the statement) or legacy.
    pub select_style: bool,
}

/// Remembers the learner's recent queries and watches for N+1 patterns.
#[derive(Debug, Default)]
pub struct Detector {
    recent: Vec<QuerySource>,
}

/// How many recent queries are remembered.
const REMEMBERED: usize = 32;

impl Detector {
    /// Records the queries a statement contains (before its notes are made,
    /// so a query and its loop in one statement are matched).
    pub fn observe(&mut self, stmt: &Stmt, source: &str, base: usize) {
        let mut found = Vec::new();
        for top in top_expressions(stmt) {
            find_queries(top, top, source, base, &mut found);
        }
        for q in found {
            self.recent
                .retain(|r| r.class_name != q.class_name || r.code != q.code);
            self.recent.push(q);
        }
        if self.recent.len() > REMEMBERED {
            let extra = self.recent.len() - REMEMBERED;
            self.recent.drain(..extra);
        }
    }

    /// The notes for one step: the N+1 message for each relationship
    /// lazy-loaded two or more times. Never for eager loads or one lazy load.
    pub fn notes_for(&self, outcome: &StepOutcome) -> Vec<String> {
        let statements: Vec<_> = outcome.statements().collect();
        let total = statements.len();
        let mut lazy: Vec<(String, usize)> = Vec::new();
        for s in &statements {
            if let Cause::LazyLoad(attr) = &s.cause {
                match lazy.iter_mut().find(|(a, _)| a == attr) {
                    Some((_, n)) => *n += 1,
                    None => lazy.push((attr.clone(), 1)),
                }
            }
        }
        let mut notes = Vec::new();
        for (attr, n) in lazy.into_iter().filter(|(_, n)| *n >= 2) {
            let class = attr.split('.').next().unwrap_or("").to_string();
            let others = total - n;
            let breakdown = if others == 0 {
                format!("{n} lazy loads of {attr}")
            } else {
                format!("{others} for the rest, {n} lazy loads of {attr}",)
            };
            let mut note = format!(
                "{total} queries: {breakdown} — an N+1 pattern: one query for the {class} objects, then one more per object as the loop reads {attr}."
            );
            let many_to_one = outcome_is_many_to_one(&attr);
            let option = if many_to_one {
                "joinedload"
            } else {
                "selectinload"
            };
            match self.recent.iter().rev().find(|q| q.class_name == class) {
                Some(q) => {
                    let fixed = format!(
                        "{}.options({option}({attr})){}",
                        &q.code[..q.insert_at],
                        &q.code[q.insert_at..]
                    );
                    note.push_str(&format!(" Load {attr} up front, in one extra query: {fixed}"));
                }
                None => note.push_str(&format!(
                    " Load {attr} up front in the query that loads the {class} objects: add .options({option}({attr}))."
                )),
            }
            if many_to_one {
                note.push_str(&format!(
                    " joinedload fits a many-to-one like {attr}: the same SELECT brings it with a LEFT OUTER JOIN (selectinload({attr}) works too)."
                ));
            } else {
                note.push_str(&format!(
                    " (joinedload({attr}) also works, in a single query with a LEFT OUTER JOIN; it fits better for many-to-one or small collections.)"
                ));
            }
            notes.push(note);
        }
        notes
    }
}

/// True when `Class.attr` names a many-to-one relationship. Decided by the
/// name's shape at this level: a plural attribute is taken as a collection.
fn outcome_is_many_to_one(attr: &str) -> bool {
    let name = attr.rsplit('.').next().unwrap_or(attr);
    !name.ends_with('s')
}

/// The expressions a statement evaluates at its top (assigned values, loop
/// iterables, expression statements), recursing into blocks.
fn top_expressions(stmt: &Stmt) -> Vec<&Expr> {
    let mut out = Vec::new();
    match &stmt.kind {
        StmtKind::Expr(e) => out.push(e),
        StmtKind::Assign { value, .. } => out.push(value),
        StmtKind::AugAssign { value, .. } => out.push(value),
        StmtKind::AnnAssign {
            value: Some(value), ..
        } => out.push(value),
        StmtKind::For { iter, body, .. } => {
            out.push(iter);
            for s in body {
                out.extend(top_expressions(s));
            }
        }
        StmtKind::Async(inner) => out.extend(top_expressions(inner)),
        StmtKind::While { body, .. } | StmtKind::With { body, .. } => {
            for s in body {
                out.extend(top_expressions(s));
            }
        }
        StmtKind::If { body, orelse, .. } => {
            for s in body.iter().chain(orelse) {
                out.extend(top_expressions(s));
            }
        }
        StmtKind::Try {
            body,
            handlers,
            orelse,
            finalbody,
        } => {
            for s in body.iter().chain(orelse).chain(finalbody) {
                out.extend(top_expressions(s));
            }
            for h in handlers {
                for s in &h.body {
                    out.extend(top_expressions(s));
                }
            }
        }
        _ => {}
    }
    out
}

/// Finds `x.query(Class, …)` and `select(Class, …)` calls inside `e`,
/// recording them with the text of the top expression `top` they sit in.
fn find_queries(e: &Expr, top: &Expr, source: &str, base: usize, out: &mut Vec<QuerySource>) {
    if let ExprKind::Call { func, args, kwargs } = &e.kind {
        let kind = match &func.kind {
            ExprKind::Attribute { attr, .. } if attr == "query" => Some(false),
            ExprKind::Name(n) if n == "select" => Some(true),
            _ => None,
        };
        if let (Some(select_style), Some(first)) = (kind, args.first())
            && let ExprKind::Name(class) = &first.kind
        {
            let start = base + top.span.start;
            let end = base + top.span.end;
            let call_end = base + e.span.end;
            if let Some(code) = source.get(start..end)
                && call_end >= start
                && call_end <= end
            {
                out.push(QuerySource {
                    class_name: class.clone(),
                    code: code.to_string(),
                    insert_at: call_end - start,
                    select_style,
                });
            }
        }
        find_queries(func, top, source, base, out);
        for a in args {
            find_queries(a, top, source, base, out);
        }
        for k in kwargs {
            find_queries(&k.value, top, source, base, out);
        }
        return;
    }
    match &e.kind {
        ExprKind::Attribute { value, .. } => find_queries(value, top, source, base, out),
        ExprKind::Subscript { value, index } => {
            find_queries(value, top, source, base, out);
            find_queries(index, top, source, base, out);
        }
        ExprKind::ListComp {
            generators, elt, ..
        } => {
            for g in generators {
                find_queries(&g.iter, &g.iter, source, base, out);
            }
            find_queries(elt, top, source, base, out);
        }
        ExprKind::List(items) | ExprKind::Tuple(items) => {
            for i in items {
                find_queries(i, top, source, base, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::{Event, SentStatement};

    fn outcome(causes: Vec<Cause>) -> StepOutcome {
        StepOutcome {
            line: 1,
            code: String::new(),
            events: causes
                .into_iter()
                .map(|cause| {
                    Event::Statement(SentStatement {
                        sql: "SELECT 1".into(),
                        params: Vec::new(),
                        many: None,
                        names: None,
                        server: None,
                        cause,
                        elapsed: Default::default(),
                    })
                })
                .collect(),
            stdout: String::new(),
            value_json: None,
            shown: None,
            error: None,
            notes: Vec::new(),
            warnings: vec![],
        }
    }

    fn detector_with(code: &str) -> Detector {
        let mut d = Detector::default();
        let stmts = crate::language::parse_module(code).unwrap();
        d.observe(&stmts[0], code, 0);
        d
    }

    #[test]
    fn names_the_relationship_and_rewrites_the_query() {
        let d = detector_with("users = session.query(User).all()");
        let mut causes = vec![Cause::Query];
        causes.extend((0..8).map(|_| Cause::LazyLoad("User.messages".into())));
        let notes = d.notes_for(&outcome(causes));
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("9 queries"), "{}", notes[0]);
        assert!(
            notes[0].contains("8 lazy loads of User.messages"),
            "{}",
            notes[0]
        );
        assert!(
            notes[0].contains("session.query(User).options(selectinload(User.messages)).all()"),
            "{}",
            notes[0]
        );
    }

    #[test]
    fn rewrites_select_style_queries_too() {
        let d =
            detector_with("msgs = session.scalars(select(Message).where(Message.id < 9)).all()");
        let causes = vec![
            Cause::LazyLoad("Message.user".into()),
            Cause::LazyLoad("Message.user".into()),
        ];
        let notes = d.notes_for(&outcome(causes));
        assert!(
            notes[0].contains(
                "select(Message).options(joinedload(Message.user)).where(Message.id < 9)"
            ),
            "{}",
            notes[0]
        );
    }

    #[test]
    fn silent_for_one_lazy_load_and_for_eager_loads() {
        let d = Detector::default();
        assert!(
            d.notes_for(&outcome(vec![
                Cause::Query,
                Cause::LazyLoad("User.messages".into())
            ]))
            .is_empty()
        );
        assert!(
            d.notes_for(&outcome(vec![
                Cause::Query,
                Cause::EagerLoad("User.messages".into()),
                Cause::EagerLoad("User.messages".into())
            ]))
            .is_empty()
        );
    }
}
