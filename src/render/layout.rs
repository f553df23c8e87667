//! Putting the panels together: side by side (result left, SQL right) on a
//! wide terminal, one above the other otherwise.

use super::style::{Palette, display_width, pad};

/// Narrower terminals always get the panels one above the other.
pub const SIDE_BY_SIDE_MIN_WIDTH: usize = 110;
/// The SQL panel is not squeezed below this many columns.
pub const MIN_SQL_WIDTH: usize = 50;
/// Between the panels.
pub const SEPARATOR: &str = " │ ";

/// The widest line of a panel.
pub fn panel_width(lines: &[String]) -> usize {
    lines.iter().map(|l| display_width(l)).max().unwrap_or(0)
}

/// How wide the SQL panel may be beside a result panel `left_width` wide
/// on a terminal `width` wide, or `None` when they do not fit side by side.
pub fn side_by_side_room(width: Option<usize>, left_width: usize) -> Option<usize> {
    let width = width?;
    if width < SIDE_BY_SIDE_MIN_WIDTH {
        return None;
    }
    let room = width.checked_sub(left_width + display_width(SEPARATOR))?;
    (room >= MIN_SQL_WIDTH).then_some(room)
}

/// Two panels side by side, the left one padded to `left_width`.
pub fn side_by_side(
    left: &[String],
    right: &[String],
    left_width: usize,
    palette: Palette,
) -> Vec<String> {
    let sep = palette.dim(SEPARATOR);
    let rows = left.len().max(right.len());
    (0..rows)
        .map(|i| {
            let l = left.get(i).map(String::as_str).unwrap_or("");
            match right.get(i) {
                Some(r) => format!("{}{sep}{r}", pad(l, left_width)),
                None => format!(
                    "{}{}",
                    pad(l, left_width),
                    palette.dim(SEPARATOR.trim_end())
                ),
            }
        })
        .collect()
}

/// Two panels one above the other, with a blank line between when both
/// have something.
pub fn stacked(top: Vec<String>, bottom: Vec<String>) -> Vec<String> {
    let mut out = top;
    if !out.is_empty() && !bottom.is_empty() {
        out.push(String::new());
    }
    out.extend(bottom);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_needs_a_wide_terminal() {
        assert_eq!(side_by_side_room(None, 10), None);
        assert_eq!(side_by_side_room(Some(100), 10), None);
        assert_eq!(side_by_side_room(Some(120), 10), Some(107));
        assert_eq!(side_by_side_room(Some(120), 70), None);
    }

    #[test]
    fn side_by_side_pads_the_left_panel() {
        let left = vec!["8".to_string()];
        let right = vec!["SELECT 1".to_string(), "1 query".to_string()];
        assert_eq!(
            side_by_side(&left, &right, 3, Palette::PLAIN),
            vec!["8   │ SELECT 1", "    │ 1 query"]
        );
        let left = vec!["a".to_string(), "b".to_string()];
        let right = vec!["0 queries".to_string()];
        assert_eq!(
            side_by_side(&left, &right, 1, Palette::PLAIN),
            vec!["a │ 0 queries", "b │"]
        );
    }
}
