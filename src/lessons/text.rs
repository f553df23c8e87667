//! Lesson prose in the terminal: paragraphs wrapped to the width,
//! `code spans` and *emphasis* styled (or left readable without colors),
//! `- ` bullets, and fenced code blocks shown as they are.

use colored::Colorize;

/// How prose is drawn.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Columns prose wraps at.
    pub width: usize,
    /// Rows of the terminal a step is paged to (`None`: not a terminal,
    /// nothing is paged).
    pub height: Option<usize>,
}

impl Style {
    pub fn plain() -> Style {
        Style {
            color: false,
            width: 78,
            height: None,
        }
    }

    /// Colors as the `colored` crate decides (NO_COLOR, a terminal or not,
    /// the CLI's `--no-color`), width from `COLUMNS` or the terminal's
    /// (less 2, between 40 and 100; 78 for a pipe), height from `LINES` or
    /// the terminal's rows when stdout is a terminal (at least 8).
    pub fn terminal() -> Style {
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<usize>().ok())
            .or_else(crate::repl::terminal_width)
            .map(|w| w.saturating_sub(2).clamp(40, 100))
            .unwrap_or(78);
        let height = terminal_size::terminal_size().map(|(_, h)| usize::from(h.0));
        let height = std::env::var("LINES")
            .ok()
            .and_then(|l| l.parse::<usize>().ok())
            .filter(|_| height.is_some())
            .or(height)
            .map(|h| h.max(8));
        Style {
            color: colored::control::SHOULD_COLORIZE.should_colorize(),
            width,
            height,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Plain,
    Code,
    Emph,
}

/// Renders a `Text` step: paragraphs separated by blank lines.
pub fn render(src: &str, style: Style) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = src.lines().collect();
    let mut i = 0;
    let mut para: Vec<&str> = Vec::new();
    let flush = |para: &mut Vec<&str>, out: &mut String| {
        if para.is_empty() {
            return;
        }
        // bullets: each `- ` line starts an item
        let mut items: Vec<String> = Vec::new();
        for l in para.iter() {
            let t = l.trim();
            if t.starts_with("- ") || items.is_empty() {
                items.push(t.to_string());
            } else if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(t);
            }
        }
        for item in items {
            if let Some(rest) = item.strip_prefix("- ") {
                out.push_str(&wrap_styled(rest, style, "  • ", "    "));
            } else {
                out.push_str(&wrap_styled(&item, style, "", ""));
            }
        }
        out.push('\n');
        para.clear();
    };
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.starts_with("```") {
            flush(&mut para, &mut out);
            let mut block = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim().starts_with("```") {
                block.push(lines[i]);
                i += 1;
            }
            i += 1;
            out.push_str(&code_block(&block.join("\n"), style));
            out.push('\n');
            continue;
        }
        if t.is_empty() {
            flush(&mut para, &mut out);
        } else {
            para.push(line);
        }
        i += 1;
    }
    flush(&mut para, &mut out);
    out
}

/// Code shown, not run: indented by four spaces, dedented first.
pub fn code_block(code: &str, style: Style) -> String {
    let code = dedent(code);
    let mut out = String::new();
    for l in code.lines() {
        let l = format!("    {l}");
        if style.color {
            out.push_str(&format!("{}\n", l.cyan()));
        } else {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// Removes the indentation common to every non-blank line, and blank lines
/// at both ends.
pub fn dedent(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let min = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body: Vec<&str> = lines
        .iter()
        .map(|l| l.get(min..).unwrap_or_else(|| l.trim_start()))
        .collect();
    let start = body
        .iter()
        .position(|l| !l.trim().is_empty())
        .unwrap_or(body.len());
    let end = body
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map(|p| p + 1)
        .unwrap_or(start);
    body[start..end].join("\n")
}

/// Splits inline markup into styled words.
fn words(src: &str) -> Vec<(String, Kind, bool)> {
    // (word, kind, glued to the previous word)
    let mut out: Vec<(String, Kind, bool)> = Vec::new();
    let mut kind = Kind::Plain;
    let mut cur = String::new();
    let mut glued = false;
    let mut pending_space = false;
    let push = |out: &mut Vec<(String, Kind, bool)>, cur: &mut String, kind: Kind, glued: bool| {
        if !cur.is_empty() {
            out.push((std::mem::take(cur), kind, glued));
        }
    };
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = if i > 0 { chars[i - 1] } else { ' ' };
        let next = chars.get(i + 1).copied().unwrap_or(' ');
        let opens_emph =
            c == '*' && kind == Kind::Plain && !next.is_whitespace() && !prev.is_alphanumeric();
        let closes_emph = c == '*' && kind == Kind::Emph && !prev.is_whitespace();
        if c == '`' && kind != Kind::Emph {
            if !cur.is_empty() {
                push(&mut out, &mut cur, kind, glued);
                pending_space = false;
            }
            kind = if kind == Kind::Code {
                Kind::Plain
            } else {
                Kind::Code
            };
        } else if opens_emph || closes_emph {
            if !cur.is_empty() {
                push(&mut out, &mut cur, kind, glued);
                pending_space = false;
            }
            kind = if closes_emph { Kind::Plain } else { Kind::Emph };
        } else if c.is_whitespace() && kind != Kind::Code {
            if !cur.is_empty() {
                push(&mut out, &mut cur, kind, glued);
            }
            glued = false;
            pending_space = true;
        } else {
            if cur.is_empty() {
                glued = !pending_space && !out.is_empty();
                pending_space = false;
            }
            cur.push(c);
        }
        i += 1;
    }
    push(&mut out, &mut cur, kind, glued);
    out
}

fn paint(word: &str, kind: Kind, style: Style) -> String {
    match (kind, style.color) {
        (Kind::Plain, _) => word.to_string(),
        (Kind::Code, true) => word.cyan().to_string(),
        (Kind::Emph, true) => word.bold().to_string(),
        (Kind::Code, false) => word.to_string(),
        (Kind::Emph, false) => word.to_string(),
    }
}

/// Wraps one paragraph; `first`/`rest` prefix the first and later lines.
fn wrap_styled(src: &str, style: Style, first: &str, rest: &str) -> String {
    let ws = words(src);
    // join glued words into units that do not break
    let mut units: Vec<(usize, String)> = Vec::new(); // (visible width, painted)
    for (w, kind, glued) in ws {
        let (open, close) = if style.color || kind != Kind::Code {
            ("", "")
        } else {
            ("`", "`")
        };
        let painted = format!("{open}{}{close}", paint(&w, kind, style));
        let width = w.chars().count() + open.len() + close.len();
        match units.last_mut() {
            Some(last) if glued => {
                last.0 += width;
                last.1.push_str(&painted);
            }
            _ => units.push((width, painted)),
        }
    }
    let mut out = String::new();
    let mut line = String::from(first);
    let mut line_w = first.chars().count();
    let mut empty = true;
    for (w, p) in units {
        if !empty && line_w + 1 + w > style.width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            line_w = rest.chars().count();
            empty = true;
        }
        if !empty {
            line.push(' ');
            line_w += 1;
        }
        line.push_str(&p);
        line_w += w;
        empty = false;
    }
    if !empty || !line.trim().is_empty() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
