//! The SQL panel: every statement and transaction event of a step in
//! order, SQLAlchemy-echo style, then the query count.

use crate::outcome::{Cause, Event, SentStatement, TxEvent};
use crate::python::value::{float_repr, push_str_repr, str_repr};
use crate::sql::schema::SqlValue;

use super::highlight::highlight_sql;
use super::style::{Palette, wrap};

/// How many rows of an executemany are listed before the middle is cut.
const MAX_PARAM_SETS: usize = 10;
/// Longer string parameters are shown cut in the middle, as SQLAlchemy does.
const MAX_PARAM_CHARS: usize = 300;
/// Indent of the continuation of a wrapped line.
const WRAP_INDENT: &str = "    ";

/// One parameter as Python's `repr` shows it (`'Bob'`, `1`, `None`, `2.5`).
pub fn param_repr(v: &SqlValue) -> String {
    match v {
        SqlValue::Null => "None".into(),
        SqlValue::Numeric(d) => crate::python::types::decimal::repr(d),
        SqlValue::Bool(b) => (if *b { "True" } else { "False" }).into(),
        SqlValue::Timestamp(dt) => crate::python::value::datetime_repr(dt),
        SqlValue::Date(d) => {
            crate::python::format::repr_plain(&crate::python::value::Value::Date(*d))
        }
        SqlValue::Time(t) => crate::python::types::time::repr(t),
        SqlValue::Array(items) => format!(
            "[{}]",
            items.iter().map(param_repr).collect::<Vec<_>>().join(", ")
        ),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::BigInt(n) => n.to_string(),
        SqlValue::Real(f) => float_repr(*f),
        SqlValue::Text(s) => {
            let n = s.chars().count();
            if n > MAX_PARAM_CHARS {
                let head: String = s.chars().take(MAX_PARAM_CHARS / 2).collect();
                let tail: String = s.chars().skip(n - MAX_PARAM_CHARS / 2).collect();
                str_repr(&format!(
                    "{head} ... ({} characters truncated) ... {tail}",
                    n - MAX_PARAM_CHARS
                ))
            } else {
                str_repr(s)
            }
        }
        SqlValue::Blob(b) => {
            let mut s = String::from("b'");
            for byte in b {
                match byte {
                    b'\\' => s.push_str("\\\\"),
                    b'\'' => s.push_str("\\'"),
                    0x20..=0x7e => s.push(char::from(*byte)),
                    _ => s.push_str(&format!("\\x{byte:02x}")),
                }
            }
            s.push('\'');
            s
        }
    }
}

/// [`param_repr`] written onto the end of `out`: text, integers and `None`
/// (the usual parameters) without a string of their own.
fn push_param_repr(out: &mut String, v: &SqlValue) {
    match v {
        // no longer in bytes than the limit: no longer in characters
        SqlValue::Text(s) if s.len() <= MAX_PARAM_CHARS => push_str_repr(out, s),
        SqlValue::Integer(i) => {
            use std::fmt::Write;
            let _ = write!(out, "{i}");
        }
        SqlValue::Null => out.push_str("None"),
        other => out.push_str(&param_repr(other)),
    }
}

/// Parameters as a Python tuple: `()`, `(1,)`, `('Bob', 1, 0)`.
pub fn params_tuple(params: &[SqlValue]) -> String {
    let mut out = String::with_capacity(2 + 16 * params.len());
    push_params_tuple(&mut out, params);
    out
}

/// [`params_tuple`] written onto the end of `out`.
fn push_params_tuple(out: &mut String, params: &[SqlValue]) {
    out.push('(');
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        push_param_repr(out, &p.pysqlite());
    }
    if params.len() == 1 {
        out.push(',');
    }
    out.push(')');
}

/// Parameters as the Python dict a named-paramstyle driver (psycopg2) is
/// sent: `{}`, `{'name_1': 'Bob', 'param_1': 1}` (a repeated name once).
pub fn params_dict(names: &[String], params: &[SqlValue]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut items = Vec::new();
    for (name, value) in names.iter().zip(params) {
        if !seen.contains(&name.as_str()) {
            seen.push(name);
            items.push(format!("'{name}': {}", param_repr(value)));
        }
    }
    format!("{{{}}}", items.join(", "))
}

/// The parameters of a statement: a tuple (a dict for a named paramstyle),
/// or for an executemany the list of them (its middle cut when long, as
/// SQLAlchemy's echo does).
pub fn params_text(stmt: &SentStatement) -> String {
    let mut out = String::new();
    push_params_text(&mut out, stmt);
    out
}

/// [`params_text`] written onto the end of `out`.
fn push_params_text(out: &mut String, stmt: &SentStatement) {
    if stmt.names.is_none() && stmt.many.is_none() {
        push_params_tuple(out, &stmt.params);
        return;
    }
    let params_tuple = |params: &[SqlValue]| match &stmt.names {
        Some(names) => params_dict(names, params),
        None => params_tuple(params),
    };
    let text = match &stmt.many {
        None => params_tuple(&stmt.params),
        Some(rows) if rows.len() > MAX_PARAM_SETS => {
            let head: Vec<String> = rows[..MAX_PARAM_SETS - 2]
                .iter()
                .map(|r| params_tuple(r))
                .collect();
            let tail: Vec<String> = rows[rows.len() - 2..]
                .iter()
                .map(|r| params_tuple(r))
                .collect();
            format!(
                "[{}  ... displaying {MAX_PARAM_SETS} of {} total bound parameter sets ...  {}]",
                head.join(", "),
                rows.len(),
                tail.join(", ")
            )
        }
        Some(rows) => format!(
            "[{}]",
            rows.iter()
                .map(|r| params_tuple(r))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    out.push_str(&text);
}

/// The label of a cause in the count line, singular and plural.
fn cause_label(cause: &Cause, n: usize) -> String {
    let one = n == 1;
    match cause {
        Cause::Query => (if one { "query" } else { "queries" }).to_string(),
        Cause::LazyLoad(a) => format!("lazy load{} of {a}", if one { "" } else { "s" }),
        Cause::EagerLoad(a) => format!("eager load{} of {a}", if one { "" } else { "s" }),
        Cause::Flush => format!("flush statement{}", if one { "" } else { "s" }),
        Cause::Autoflush => format!("autoflush statement{}", if one { "" } else { "s" }),
        Cause::ExpiredReload(a) => format!("reload{} of expired {a}", if one { "" } else { "s" }),
        Cause::DeferredLoad(a) => format!("load{} of deferred {a}", if one { "" } else { "s" }),
    }
}

/// `0 queries`, `1 query`, `3 queries`; when the statements had different
/// causes (or all had one that is not the learner's own query or flush),
/// grouped in order of first appearance:
/// `9 queries: 1 query, 8 lazy loads of User.messages`.
pub fn count_line<'a>(statements: impl IntoIterator<Item = &'a SentStatement>) -> String {
    let mut groups: Vec<(&Cause, usize)> = Vec::new();
    let mut total = 0;
    for s in statements {
        total += 1;
        match groups.iter_mut().find(|(c, _)| *c == &s.cause) {
            Some((_, n)) => *n += 1,
            None => groups.push((&s.cause, 1)),
        }
    }
    let head = format!("{total} {}", if total == 1 { "query" } else { "queries" });
    let plain = match groups.as_slice() {
        [] => true,
        [(c, _)] => matches!(c, Cause::Query | Cause::Flush),
        _ => false,
    };
    if plain {
        return head;
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(c, n)| format!("{n} {}", cause_label(c, *n)))
        .collect();
    format!("{head}: {}", parts.join(", "))
}

/// A transaction event as the panel shows it.
pub fn tx_text(tx: TxEvent) -> &'static str {
    match tx {
        TxEvent::Begin => "BEGIN (implicit)",
        TxEvent::Commit => "COMMIT",
        TxEvent::Rollback => "ROLLBACK",
    }
}

/// Lines of SQL (newlines kept), wrapped at `width` when given, then
/// highlighted.
pub fn sql_lines(sql: &str, palette: Palette, width: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    for line in sql.trim_end().split('\n') {
        let line = line.trim_end();
        let pieces = match width {
            Some(w) => wrap(line, w, WRAP_INDENT),
            None => vec![line.to_string()],
        };
        out.extend(pieces.iter().map(|p| highlight_sql(p, palette)));
    }
    out
}

/// The `[parameters: …]` line of a statement, and its cause's note.
pub fn params_lines(stmt: &SentStatement, palette: Palette, width: Option<usize>) -> Vec<String> {
    let mut plain = String::with_capacity(64);
    plain.push_str("[parameters: ");
    push_params_text(&mut plain, stmt);
    plain.push(']');
    let note = stmt.cause.note();
    if let Some(n) = &note {
        plain.push_str("  -- ");
        plain.push_str(n);
    }
    let pieces = match width {
        Some(w) => wrap(&plain, w, WRAP_INDENT),
        None => vec![plain],
    };
    if !palette.color {
        return pieces;
    }
    // color the note part, wherever the wrapping put it
    let mut in_note = false;
    pieces
        .iter()
        .map(|p| match p.find("  -- ") {
            Some(i) if note.is_some() => {
                in_note = true;
                format!("{}{}", palette.dim(&p[..i]), palette.cause(&p[i..]))
            }
            _ if in_note => palette.cause(p),
            _ => palette.dim(p),
        })
        .collect()
}

/// The whole panel: events in order, then the count line.
pub fn sql_panel(events: &[Event], palette: Palette, width: Option<usize>) -> Vec<String> {
    sql_panel_with(events, palette, width, None)
}

/// The line that stands for `n` statements like the one above it (the same
/// SQL, sent for the same reason): `… 7 more lazy loads of User.messages
/// like the one above, with other parameters` (`same_params`: `with the
/// same parameters`), then `hint` (where to see them all).
pub fn repeated_line(cause: &Cause, n: usize, same_params: bool, hint: &str) -> String {
    let params = if same_params { "the same" } else { "other" };
    format!(
        "… {n} more {} like the one above, with {params} parameters{hint}",
        cause_label(cause, n)
    )
}

/// [`sql_panel`], with runs of consecutive statements that have the same
/// SQL and cause (an N+1 loop's lazy loads) collapsed to the first and one
/// [`repeated_line`] when `collapse` gives that line's hint (`Some("")`:
/// none); `None` lists every statement. The count line counts them all.
pub fn sql_panel_with(
    events: &[Event],
    palette: Palette,
    width: Option<usize>,
    collapse: Option<&str>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        match &events[i] {
            Event::Tx(tx) => out.push(palette.dim(tx_text(*tx))),
            Event::Statement(s) => {
                out.extend(sql_lines(&s.sql, palette, width));
                out.extend(params_lines(s, palette, width));
                if let Some(hint) = collapse {
                    let same = events[i + 1..]
                        .iter()
                        .take_while(|e| {
                            matches!(e, Event::Statement(t) if t.sql == s.sql && t.cause == s.cause)
                        })
                        .count();
                    if same > 0 {
                        let same_params = events[i + 1..=i + same].iter().all(|e| {
                            matches!(e, Event::Statement(t) if t.params == s.params && t.many == s.many)
                        });
                        let line = repeated_line(&s.cause, same, same_params, hint);
                        let pieces = match width {
                            Some(w) => wrap(&line, w, WRAP_INDENT),
                            None => vec![line],
                        };
                        out.extend(pieces.iter().map(|p| palette.cause(p)));
                        i += same;
                    }
                }
            }
        }
        i += 1;
    }
    let stmts = events.iter().filter_map(|e| match e {
        Event::Statement(s) => Some(s),
        Event::Tx(_) => None,
    });
    let server = stmts.clone().find_map(|s| s.server);
    let mut count = count_line(stmts);
    if let Some(server) = server {
        // `2 queries on PostgreSQL`: the line ran on a server
        count.push_str(&format!(" on {server}"));
    }
    out.push(palette.bold(&count));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psycopg2_parameters_show_as_a_dict_and_the_count_names_the_server() {
        let names = vec!["name_1".to_string(), "param_1".to_string()];
        let values = [SqlValue::Text("Bob".into()), SqlValue::Integer(1)];
        assert_eq!(
            params_dict(&names, &values),
            "{'name_1': 'Bob', 'param_1': 1}"
        );
        assert_eq!(params_dict(&[], &[]), "{}");
        let s = SentStatement {
            sql: "SELECT 1".into(),
            params: values.to_vec(),
            many: None,
            names: Some(names),
            server: Some("PostgreSQL"),
            cause: Cause::Query,
            elapsed: Default::default(),
        };
        assert_eq!(params_text(&s), "{'name_1': 'Bob', 'param_1': 1}");
        let panel = sql_panel(&[Event::Statement(s)], Palette { color: false }, None);
        assert_eq!(
            panel.last().map(String::as_str),
            Some("1 query on PostgreSQL")
        );
    }

    fn stmt(sql: &str, params: Vec<SqlValue>, cause: Cause) -> SentStatement {
        SentStatement {
            sql: sql.into(),
            params,
            many: None,
            names: None,
            server: None,
            cause,
            elapsed: Default::default(),
        }
    }

    #[test]
    fn params_look_like_python_tuples() {
        assert_eq!(params_tuple(&[]), "()");
        assert_eq!(params_tuple(&[SqlValue::Integer(1)]), "(1,)");
        assert_eq!(
            params_tuple(&[
                SqlValue::Text("Bob".into()),
                SqlValue::Integer(1),
                SqlValue::Integer(0)
            ]),
            "('Bob', 1, 0)"
        );
        assert_eq!(
            params_tuple(&[
                SqlValue::Null,
                SqlValue::Real(2.0),
                SqlValue::Text("it's".into())
            ]),
            "(None, 2.0, \"it's\")"
        );
        assert_eq!(param_repr(&SqlValue::Blob(vec![b'a', 0])), "b'a\\x00'");
    }

    #[test]
    fn executemany_shows_a_list_of_tuples() {
        let mut s = stmt("INSERT INTO t (a) VALUES (?)", vec![], Cause::Flush);
        s.many = Some(vec![vec![SqlValue::Integer(1)], vec![SqlValue::Integer(2)]]);
        assert_eq!(params_text(&s), "[(1,), (2,)]");
        s.many = Some((0..12).map(|i| vec![SqlValue::Integer(i)]).collect());
        let t = params_text(&s);
        assert!(t.starts_with("[(0,), (1,),"), "{t}");
        assert!(
            t.contains("displaying 10 of 12 total bound parameter sets"),
            "{t}"
        );
        assert!(t.ends_with("(10,), (11,)]"), "{t}");
    }

    #[test]
    fn counts_group_causes() {
        let q = stmt("SELECT 1", vec![], Cause::Query);
        let lazy = stmt("SELECT 2", vec![], Cause::LazyLoad("User.messages".into()));
        assert_eq!(count_line([]), "0 queries");
        assert_eq!(count_line([&q]), "1 query");
        assert_eq!(count_line([&q, &q, &q]), "3 queries");
        assert_eq!(
            count_line([&lazy, &lazy]),
            "2 queries: 2 lazy loads of User.messages"
        );
        let mut all = vec![&q];
        all.extend(std::iter::repeat_n(&lazy, 8));
        assert_eq!(
            count_line(all),
            "9 queries: 1 query, 8 lazy loads of User.messages"
        );
        let auto = stmt("INSERT", vec![], Cause::Autoflush);
        assert_eq!(
            count_line([&auto, &q]),
            "2 queries: 1 autoflush statement, 1 query"
        );
    }

    #[test]
    fn panel_lists_events_params_and_causes() {
        let events = vec![
            Event::Tx(TxEvent::Begin),
            Event::Statement(stmt(
                "SELECT users.id AS users_id \nFROM users \nWHERE users.name = ?\n LIMIT ? OFFSET ?",
                vec![
                    SqlValue::Text("Bob".into()),
                    SqlValue::Integer(1),
                    SqlValue::Integer(0),
                ],
                Cause::Query,
            )),
            Event::Statement(stmt(
                "SELECT messages.id \nFROM messages \nWHERE ? = messages.user_id",
                vec![SqlValue::Integer(2)],
                Cause::LazyLoad("User.messages".into()),
            )),
            Event::Tx(TxEvent::Commit),
        ];
        let lines = sql_panel(&events, Palette::PLAIN, None);
        assert_eq!(
            lines,
            vec![
                "BEGIN (implicit)",
                "SELECT users.id AS users_id",
                "FROM users",
                "WHERE users.name = ?",
                " LIMIT ? OFFSET ?",
                "[parameters: ('Bob', 1, 0)]",
                "SELECT messages.id",
                "FROM messages",
                "WHERE ? = messages.user_id",
                "[parameters: (2,)]  -- lazy load of User.messages",
                "COMMIT",
                "2 queries: 1 query, 1 lazy load of User.messages",
            ]
        );
    }

    #[test]
    fn repeated_statements_collapse_to_the_first() {
        let q = stmt("SELECT users.id \nFROM users", vec![], Cause::Query);
        let lazy = |id| {
            stmt(
                "SELECT messages.id \nFROM messages \nWHERE ? = messages.user_id",
                vec![SqlValue::Integer(id)],
                Cause::LazyLoad("User.messages".into()),
            )
        };
        let mut events = vec![Event::Tx(TxEvent::Begin), Event::Statement(q.clone())];
        events.extend((1..=8).map(|id| Event::Statement(lazy(id))));
        events.push(Event::Statement(q.clone()));
        events.push(Event::Statement(q));
        let lines = sql_panel_with(&events, Palette::PLAIN, None, Some("; .sql lists them all"));
        assert_eq!(
            lines,
            vec![
                "BEGIN (implicit)",
                "SELECT users.id",
                "FROM users",
                "[parameters: ()]",
                "SELECT messages.id",
                "FROM messages",
                "WHERE ? = messages.user_id",
                "[parameters: (1,)]  -- lazy load of User.messages",
                "… 7 more lazy loads of User.messages like the one above, with other parameters; .sql lists them all",
                "SELECT users.id",
                "FROM users",
                "[parameters: ()]",
                "… 1 more query like the one above, with the same parameters; .sql lists them all",
                "11 queries: 3 queries, 8 lazy loads of User.messages",
            ]
        );
        // uncollapsed, every statement
        let full = sql_panel(&events, Palette::PLAIN, None);
        assert_eq!(
            full.iter()
                .filter(|l| l.starts_with("FROM messages"))
                .count(),
            8
        );
        // a different cause or SQL is not a repeat
        let events = vec![
            Event::Statement(lazy(1)),
            Event::Statement(stmt(
                "SELECT 1",
                vec![],
                Cause::LazyLoad("User.messages".into()),
            )),
        ];
        let lines = sql_panel_with(&events, Palette::PLAIN, None, Some(""));
        assert!(!lines.iter().any(|l| l.starts_with('…')), "{lines:?}");
    }

    #[test]
    fn panel_wraps_long_lines() {
        let long = "SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email \nFROM users";
        let events = vec![Event::Statement(stmt(long, vec![], Cause::Query))];
        let lines = sql_panel(&events, Palette::PLAIN, Some(40));
        assert!(lines.iter().all(|l| l.chars().count() <= 40), "{lines:#?}");
        assert_eq!(lines[0], "SELECT users.id AS users_id, users.name");
        assert_eq!(lines[1], "    AS users_name, users.email AS");
    }
}
