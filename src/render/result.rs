//! The result panel: what `print()` wrote, then the value (a table of rows,
//! a repr, or the SQL of a query not run yet), or the error.

use comfy_table::{Attribute, Cell, ContentArrangement, Table, presets};

use crate::outcome::{Shown, StepOutcome};

use super::error::{error_lines, fit_code_and_carets, is_caret_line};
use super::sql_panel::{params_tuple, sql_lines};
use super::style::Palette;

/// A table of rows: a title line (`8 × User`), the rows, and how many were
/// left out. With a `width`, long cells wrap so the table fits in it.
pub fn table_lines(
    title: &str,
    columns: &[String],
    rows: &[Vec<String>],
    omitted: usize,
    palette: Palette,
    width: Option<usize>,
) -> Vec<String> {
    let mut table = Table::new();
    table.load_style(presets::UTF8_FULL_CONDENSED.with_rounded_corners());
    if palette.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    match width {
        Some(w) => {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            table.set_width(u16::try_from(w).unwrap_or(u16::MAX));
        }
        None => {
            table.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    let header: Vec<Cell> = columns
        .iter()
        .map(|c| {
            let cell = Cell::new(c);
            if palette.color {
                cell.add_attribute(Attribute::Bold)
            } else {
                cell
            }
        })
        .collect();
    if !header.is_empty() {
        table.set_header(header);
    }
    for r in rows {
        table.add_row(r.iter().map(|c| Cell::new(c.replace('\t', "    "))));
    }
    let mut out = vec![palette.bold(title)];
    if !rows.is_empty() || !columns.is_empty() {
        out.extend(table.lines());
    }
    if omitted > 0 {
        out.push(palette.dim(&format!(
            "… {omitted} more row{} not shown",
            if omitted == 1 { "" } else { "s" }
        )));
    }
    out
}

/// The value of a step as the panel shows it.
pub fn shown_lines(shown: &Shown, palette: Palette, width: Option<usize>) -> Vec<String> {
    match shown {
        Shown::Repr(r) => r.lines().map(str::to_string).collect(),
        Shown::Table {
            title,
            columns,
            rows,
            omitted,
        } => table_lines(title, columns, rows, *omitted, palette, width),
        Shown::Query { sql, params } => {
            let mut out = vec![palette.dim("Query (not run yet) — it would send:")];
            out.extend(sql_lines(sql, palette, width));
            out.push(palette.dim(&format!("[parameters: {}]", params_tuple(params))));
            out
        }
    }
}

/// Printed output, then the value or the error.
pub fn result_panel(
    step: &StepOutcome,
    palette: Palette,
    width: Option<usize>,
    file_name: &str,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // As Python's `warnings.showwarning` writes them to stderr:
    // `<stdin>:1: MovedIn20Warning: The ``declarative_base()`` …`.
    for w in &step.warnings {
        out.push(format!(
            "{file_name}:{}: {}: {}",
            step.line,
            palette.note(&w.category),
            w.message
        ));
    }
    if !step.stdout.is_empty() {
        let text = step.stdout.strip_suffix('\n').unwrap_or(&step.stdout);
        out.extend(
            text.split('\n')
                .map(|l| l.trim_end_matches('\r').to_string()),
        );
    }
    if let Some(shown) = &step.shown {
        out.extend(shown_lines(shown, palette, width));
    }
    if let Some(err) = &step.error {
        let lines = error_lines(err, file_name, palette);
        let mut i = 0;
        while let Some(line) = lines.get(i) {
            i += 1;
            match width {
                // the message, `[SQL: …]`, `[parameters: …]`: wrapped on
                // word boundaries
                Some(w) if !line.starts_with(' ') => {
                    out.extend(super::style::wrap(line, w, "    "));
                }
                // a code line too wide, with the carets under it: cut in
                // pieces that keep each caret under its code
                Some(w) if line.starts_with("    ") && !is_caret_line(line) => {
                    let carets = lines.get(i).filter(|c| is_caret_line(c));
                    let wide = |l: &String| super::style::display_width(l) > w;
                    if wide(line) || carets.is_some_and(wide) {
                        i += usize::from(carets.is_some());
                        out.extend(fit_code_and_carets(
                            line,
                            carets.map(String::as_str),
                            w,
                            palette,
                        ));
                    } else {
                        out.push(line.clone());
                    }
                }
                _ => out.push(line.clone()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn users_table(omitted: usize) -> Shown {
        Shown::Table {
            title: "2 × User".into(),
            columns: vec!["id".into(), "name".into()],
            rows: vec![
                vec!["1".into(), "Alice".into()],
                vec!["2".into(), "Bob".into()],
            ],
            omitted,
        }
    }

    #[test]
    fn table_has_title_header_and_rows() {
        let lines = shown_lines(&users_table(0), Palette::PLAIN, None);
        assert_eq!(
            lines,
            vec![
                "2 × User",
                "╭────┬───────╮",
                "│ id ┆ name  │",
                "╞════╪═══════╡",
                "│ 1  ┆ Alice │",
                "│ 2  ┆ Bob   │",
                "╰────┴───────╯",
            ]
        );
    }

    #[test]
    fn table_says_how_many_rows_were_cut() {
        let lines = shown_lines(&users_table(3), Palette::PLAIN, None);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("… 3 more rows not shown")
        );
        let lines = shown_lines(&users_table(1), Palette::PLAIN, None);
        assert_eq!(
            lines.last().map(String::as_str),
            Some("… 1 more row not shown")
        );
    }

    #[test]
    fn narrow_tables_wrap_cells() {
        let shown = Shown::Table {
            title: "Message".into(),
            columns: vec!["id".into(), "content".into()],
            rows: vec![vec![
                "1".into(),
                "a fairly long message that will not fit in thirty columns".into(),
            ]],
            omitted: 0,
        };
        let lines = shown_lines(&shown, Palette::PLAIN, Some(30));
        assert!(lines.iter().all(|l| l.chars().count() <= 30), "{lines:#?}");
    }

    #[test]
    fn unrun_query_shows_its_sql() {
        let shown = Shown::Query {
            sql: "SELECT users.id \nFROM users \nWHERE users.name = ?".into(),
            params: vec![crate::sql::schema::SqlValue::Text("Bob".into())],
        };
        assert_eq!(
            shown_lines(&shown, Palette::PLAIN, None),
            vec![
                "Query (not run yet) — it would send:",
                "SELECT users.id",
                "FROM users",
                "WHERE users.name = ?",
                "[parameters: ('Bob',)]",
            ]
        );
    }

    #[test]
    fn printed_output_comes_before_the_value() {
        let step = StepOutcome {
            line: 1,
            code: "f()".into(),
            events: vec![],
            stdout: "hello\nworld\n".into(),
            value_json: None,
            shown: Some(Shown::Repr("42".into())),
            error: None,
            notes: vec![],
            warnings: vec![],
        };
        assert_eq!(
            result_panel(&step, Palette::PLAIN, None, "<stdin>"),
            vec!["hello", "world", "42"]
        );
    }
}
