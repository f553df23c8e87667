//! Tracebacks: the frames an exception passed through on its way out of
//! learner-defined functions, with CPython 3.11's caret anchors
//! (`traceback._extract_caret_anchors_from_line_segment`).

use crate::fixture::LineIndex;
use crate::language::ast::{ExprKind, Span, StmtKind};
use crate::outcome::{ErrorReport, Location, TracebackFrame};
use crate::python::exceptions::PyErr;

/// The function frames of `e`, outermost first (as Python prints them),
/// each located in the source its function was defined in.
pub(super) fn frames(e: &PyErr) -> Vec<TracebackFrame> {
    e.traceback
        .iter()
        .rev()
        .map(|f| TracebackFrame {
            function: f.function.clone(),
            location: match (&f.source, f.span) {
                (Some(source), Some(span)) => {
                    let lines = LineIndex::new(&source.text);
                    Some(anchored(&lines, source.base, span))
                }
                _ => None,
            },
        })
        .collect()
}

/// The report of the exception `e` was raised from or while handling, as
/// CPython prints it above `e`: the frames it passed from where it was
/// raised to where it was caught (the catching frame first, `<module>` or
/// a function), or just its `Type: message` when the tutor does not know
/// where it came from (a class in `raise X from ValueError`).
pub(super) fn chained(e: &PyErr) -> Option<Box<(ErrorReport, String)>> {
    let (c, separator) = e.chained()?;
    Some(Box::new((caught_report(c), separator.to_string())))
}

/// The report of an exception shown above or inside another (chained, or
/// a group's member): the frames it passed, its `<module>` frame (if
/// any) as its location, and what it is chained to or groups in turn.
fn caught_report(c: &PyErr) -> ErrorReport {
    let mut traceback = frames(c);
    let location = match traceback.first() {
        Some(f) if f.function == "<module>" => traceback.remove(0).location,
        _ => None,
    };
    ErrorReport {
        type_name: c.type_name().to_string(),
        message: c.message.clone(),
        location,
        hint: None,
        traceback,
        chained: chained(c),
        group: group(c),
    }
}

/// The reports of an exception group's members, each with the frames it
/// passed (from where it was raised, e.g. a task's coroutine) and what
/// it was chained to; empty for an exception that is no group.
pub(super) fn group(e: &PyErr) -> Vec<ErrorReport> {
    let Some(g) = e.group() else {
        return Vec::new();
    };
    g.exceptions.iter().map(|c| caught_report(c)).collect()
}

/// The location of `span` (relative to `base` in `lines`) with its caret
/// anchors, when it is a binary operation or subscript on one line.
pub(super) fn anchored(lines: &LineIndex, base: usize, span: Span) -> Location {
    let mut loc = super::location(lines, base, span);
    let text = lines.text();
    let segment = text
        .get((base + span.start).min(text.len())..(base + span.end).min(text.len()))
        .unwrap_or("");
    if !segment.contains('\n') {
        loc.operator = caret_anchors(segment).map(|(s, e)| (loc.column + s, loc.column + e));
    }
    loc
}

/// CPython 3.11's caret anchors of an expression's source `segment`: the
/// character range drawn `^` (the operator of `a / b`, the `[index]` of
/// `a[index]`), or `None` for other expressions (all `^` then).
pub fn caret_anchors(segment: &str) -> Option<(usize, usize)> {
    let stmts = crate::language::parse_module(segment).ok()?;
    let [stmt] = stmts.as_slice() else {
        return None;
    };
    let StmtKind::Expr(expr) = &stmt.kind else {
        return None;
    };
    let chars = |b: usize| {
        segment
            .get(..b.min(segment.len()))
            .map(|s| s.chars().count())
    };
    match &expr.kind {
        ExprKind::BinOp { left, right, .. } => {
            let operator = segment.get(left.span.end..right.span.start)?;
            let offset = operator.len() - operator.trim_start().len();
            let left_anchor = left.span.end + offset;
            let mut right_anchor = left_anchor + 1;
            if operator
                .get(offset + 1..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(|c| !c.is_whitespace())
            {
                right_anchor += 1;
            }
            Some((chars(left_anchor)?, chars(right_anchor)?))
        }
        ExprKind::Subscript { value, index } => {
            Some((chars(value.span.end)?, chars(index.span.end + 1)?))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_as_cpython_3_11() {
        assert_eq!(caret_anchors("y / 0"), Some((2, 3)));
        assert_eq!(caret_anchors("a // b"), Some((2, 4)));
        assert_eq!(caret_anchors("x+1"), Some((1, 2)));
        assert_eq!(caret_anchors("d[\"k\"]"), Some((1, 6)));
        assert_eq!(caret_anchors("f(1)"), None);
        assert_eq!(caret_anchors("session.get(User, 1)"), None);
    }
}
