//! How a lesson draws a step it ran: the code, the rows or value, what was
//! printed, the SQL with its parameters and causes, the query count and the
//! error. A plain text rendering of the REPL's panels, used until the
//! REPL's renderer (`src/render`) is merged.

use colored::Colorize;

use crate::outcome::{Cause, Event, Shown, StepOutcome};
use crate::sql::schema::SqlValue;

/// Draws one step as the REPL would show it.
pub fn step(outcome: &StepOutcome, color: bool) -> String {
    let mut out = String::new();
    out.push_str(&code(&outcome.code, color));
    out.push_str(&results(outcome, color));
    out
}

/// The code, with `>>> ` and `... ` prompts.
pub fn code(code: &str, color: bool) -> String {
    let mut out = String::new();
    for (i, l) in code.lines().enumerate() {
        let prompt = if i == 0 { ">>> " } else { "... " };
        if color {
            out.push_str(&format!("{}{}\n", prompt.dimmed(), l.bold()));
        } else {
            out.push_str(&format!("{prompt}{l}\n"));
        }
    }
    out
}

/// Everything below the code: value, output, SQL, count, error, notes.
pub fn results(o: &StepOutcome, color: bool) -> String {
    let mut out = String::new();
    if let Some(shown) = &o.shown {
        out.push_str(&shown_text(shown));
    }
    out.push_str(&o.stdout);
    if !o.stdout.is_empty() && !o.stdout.ends_with('\n') {
        out.push('\n');
    }
    let sql = sql_panel(o, color);
    if !sql.is_empty() {
        out.push('\n');
        out.push_str(&sql);
    }
    let n = o.statements().count();
    if n > 0 || o.events.iter().any(|e| matches!(e, Event::Tx(_))) {
        let line = count_line(o);
        if color {
            out.push_str(&format!("{}\n", line.yellow()));
        } else {
            out.push_str(&line);
            out.push('\n');
        }
    }
    if let Some(e) = &o.error {
        let mut text = String::new();
        if let Some(loc) = &e.location {
            text.push_str(&format!("  line {}: {}\n", loc.line, loc.text));
            text.push_str(&format!(
                "  {}{}{}\n",
                " ".repeat(format!("line {}: ", loc.line).len()),
                " ".repeat(loc.column),
                "^".repeat(loc.width.max(1))
            ));
        }
        let head = format!("{}: {}", e.type_name, e.message);
        if color {
            out.push_str(&format!("{}\n{text}", head.red()));
        } else {
            out.push_str(&format!("{head}\n{text}"));
        }
        if let Some(h) = &e.hint {
            out.push_str(&format!("  hint: {h}\n"));
        }
    }
    for n in &o.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

/// `3 queries (1 query, 2 lazy loads of User.messages)`.
pub fn count_line(o: &StepOutcome) -> String {
    let n = o.statements().count();
    let mut groups: Vec<(String, usize)> = Vec::new();
    for s in o.statements() {
        let label = match &s.cause {
            Cause::Query => "query".to_string(),
            Cause::Flush => "flush".to_string(),
            Cause::Autoflush => "autoflush".to_string(),
            Cause::LazyLoad(a) => format!("lazy load of {a}"),
            Cause::EagerLoad(a) => format!("eager load of {a}"),
            Cause::ExpiredReload(a) => format!("reload of expired {a}"),
        };
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some(g) => g.1 += 1,
            None => groups.push((label, 1)),
        }
    }
    let head = format!("{n} {}", if n == 1 { "query" } else { "queries" });
    if groups.len() <= 1 && groups.first().is_none_or(|(l, _)| l == "query") {
        return head;
    }
    let parts: Vec<String> = groups
        .iter()
        .map(|(l, k)| {
            if *k == 1 {
                format!("1 {l}")
            } else if let Some(rest) = l.strip_prefix("lazy load") {
                format!("{k} lazy loads{rest}")
            } else if let Some(rest) = l.strip_prefix("eager load") {
                format!("{k} eager loads{rest}")
            } else if let Some(rest) = l.strip_prefix("reload") {
                format!("{k} reloads{rest}")
            } else if l == "query" {
                format!("{k} queries")
            } else {
                format!("{k} {l}es")
            }
        })
        .collect();
    format!("{head} ({})", parts.join(", "))
}

/// The SQL as SQLAlchemy's echo shows it, transaction events included.
pub fn sql_panel(o: &StepOutcome, color: bool) -> String {
    let mut out = String::new();
    for e in &o.events {
        match e {
            Event::Tx(t) => {
                let name = match t {
                    crate::outcome::TxEvent::Begin => "BEGIN (implicit)",
                    other => other.name(),
                };
                if color {
                    out.push_str(&format!("{}\n", name.dimmed()));
                } else {
                    out.push_str(name);
                    out.push('\n');
                }
            }
            Event::Statement(s) => {
                if let Some(note) = s.cause.note() {
                    let note = format!("-- {note}");
                    if color {
                        out.push_str(&format!("{}\n", note.magenta()));
                    } else {
                        out.push_str(&note);
                        out.push('\n');
                    }
                }
                let sql = wrap_sql(s.sql.trim_end(), 78);
                if color {
                    out.push_str(&format!("{}\n", sql.blue()));
                } else {
                    out.push_str(&sql);
                    out.push('\n');
                }
                let params = match &s.many {
                    Some(rows) => format!(
                        "[{}]",
                        rows.iter().map(|r| tuple(r)).collect::<Vec<_>>().join(", ")
                    ),
                    None => tuple(&s.params),
                };
                if s.params.is_empty() && s.many.is_none() {
                    continue;
                }
                let line = format!("[parameters: {params}]");
                if color {
                    out.push_str(&format!("{}\n", line.dimmed()));
                } else {
                    out.push_str(&line);
                    out.push('\n');
                }
            }
        }
    }
    out
}

fn tuple(values: &[SqlValue]) -> String {
    let items: Vec<String> = values.iter().map(param).collect();
    if items.len() == 1 {
        format!("({},)", items[0])
    } else {
        format!("({})", items.join(", "))
    }
}

fn param(v: &SqlValue) -> String {
    match v {
        SqlValue::Null => "None".into(),
        SqlValue::Integer(i) => i.to_string(),
        SqlValue::Real(f) => format!("{f:?}"),
        SqlValue::Text(s) => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
        SqlValue::Blob(b) => format!("b'{}'", String::from_utf8_lossy(b)),
    }
}

/// A value: a table of rows, an unrun query's SQL, or a repr.
pub fn shown_text(shown: &Shown) -> String {
    match shown {
        Shown::Repr(r) => format!("{r}\n"),
        Shown::Query { sql, params } => {
            format!("{}\n[parameters: {}]\n", sql.trim_end(), tuple(params))
        }
        Shown::Table {
            title,
            columns,
            rows,
            omitted,
        } => {
            let mut widths: Vec<usize> = columns.iter().map(|c| c.chars().count()).collect();
            for r in rows {
                for (i, c) in r.iter().enumerate() {
                    if let Some(w) = widths.get_mut(i) {
                        *w = (*w).max(c.chars().count());
                    }
                }
            }
            let line = |cells: &[String]| -> String {
                let parts: Vec<String> = cells
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let w = widths.get(i).copied().unwrap_or(0);
                        format!("{c:<w$}")
                    })
                    .collect();
                format!(" {}", parts.join(" | ")).trim_end().to_string()
            };
            let mut out = format!(" {title}\n");
            out.push_str(&line(columns));
            out.push('\n');
            for r in rows {
                out.push_str(&line(r));
                out.push('\n');
            }
            if *omitted > 0 {
                out.push_str(&format!(" … {omitted} more\n"));
            }
            out
        }
    }
}

/// Long SQL lines broken after commas, continuation lines indented under
/// the first item (`SELECT a, b,\n       c`), as the REPL shows them.
pub fn wrap_sql(sql: &str, width: usize) -> String {
    let mut out = Vec::new();
    for line in sql.lines() {
        let line = line.trim_end();
        let select = line.starts_with("SELECT ") || line.starts_with("FROM (SELECT ");
        if line.chars().count() <= width || !select {
            out.push(line.to_string());
            continue;
        }
        let indent = line.find("SELECT ").map(|p| p + 7).unwrap_or(7);
        let mut cur = String::new();
        for (i, part) in line.split(", ").enumerate() {
            let piece = if i == 0 {
                part.to_string()
            } else {
                format!(", {part}")
            };
            if !cur.is_empty() && cur.chars().count() + piece.chars().count() > width {
                cur.push(',');
                out.push(cur);
                cur = format!("{}{}", " ".repeat(indent), piece.trim_start_matches(", "));
            } else {
                cur.push_str(&piece);
            }
        }
        out.push(cur);
    }
    out.join("\n")
}
