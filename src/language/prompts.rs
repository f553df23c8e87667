//! Python's interactive prompts in pasted code: a session copied from a
//! Python REPL or a doctest (`>>> x = 1`, `... pass`) is stripped of its
//! `>>> ` and `... ` prompts before parsing, as IPython does with its
//! classic-prompt stripper (`IPython.core.inputtransformer2`): the first
//! line must carry the `>>>` prompt, and every other line a prompt too.

use std::borrow::Cow;

/// The primary prompt, `sys.ps1`.
const PS1: &str = ">>>";
/// The continuation prompt, `sys.ps2`.
const PS2: &str = "...";

/// `chunk` without Python's REPL prompts, when it is a pasted REPL session:
/// its first non-blank line starts with `>>> ` (or is `>>>` alone) and
/// every other non-blank line starts with `>>> ` or `... ` (or is `>>>` or
/// `...` alone). Each prompt and the one space after it are removed; blank
/// lines and line endings (`\n`, `\r\n`) are kept, so line numbers do not
/// change, though columns shift by four.
///
/// Any other chunk comes back unchanged (borrowed): ordinary code, a
/// session with an output line in it (`>>> 1 + 1` then `2`), or code whose
/// first line is `... ` (`...` is Python's Ellipsis, not only a prompt).
///
/// ```text
/// ">>> for u in users:\n...     print(u)\n"  →  "for u in users:\n    print(u)\n"
/// ```
pub fn strip_repl_prompts(chunk: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(chunk.len());
    let mut seen_first = false;
    for line in chunk.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let ending = &line[content.len()..];
        if content.trim().is_empty() {
            out.push_str(line);
            continue;
        }
        let prompts: &[&str] = if seen_first { &[PS1, PS2] } else { &[PS1] };
        let Some(code) = prompts.iter().find_map(|p| without_prompt(content, p)) else {
            return Cow::Borrowed(chunk);
        };
        seen_first = true;
        out.push_str(code);
        out.push_str(ending);
    }
    if seen_first {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(chunk)
    }
}

/// `line` after `prompt` and one space, or `""` when the line is the
/// prompt alone; `None` when the line does not start with the prompt.
fn without_prompt<'a>(line: &'a str, prompt: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(prompt)?;
    if rest.is_empty() {
        Some(rest)
    } else {
        rest.strip_prefix(' ')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_the_prompts_of_a_pasted_session() {
        let pasted = ">>> for u in users:\n...     print(u)\n...\n>>> x = 1\n";
        assert_eq!(
            strip_repl_prompts(pasted),
            "for u in users:\n    print(u)\n\nx = 1\n"
        );
        assert_eq!(strip_repl_prompts(">>> x"), "x");
        assert_eq!(strip_repl_prompts(">>>"), "");
        assert_eq!(strip_repl_prompts("... "), "... ");
    }

    #[test]
    fn keeps_blank_lines_and_line_endings() {
        let pasted = "\n>>> a = 1\r\n\n   \n... b = 2\r\n";
        assert_eq!(strip_repl_prompts(pasted), "\na = 1\r\n\n   \nb = 2\r\n");
    }

    #[test]
    fn leaves_other_code_unchanged() {
        for code in [
            "x = 1\n",
            "",
            "\n  \n",
            // an output line
            ">>> 1 + 1\n2\n",
            // not a prompt: no space after it
            ">>>x = 1",
            "....x",
            // the first line must carry the primary prompt
            "...\n",
            "... x = 1\n>>> y = 2\n",
            // a prompt later on is code (a string, say)
            "x = 1\n>>> y\n",
        ] {
            assert!(
                matches!(strip_repl_prompts(code), Cow::Borrowed(c) if c == code),
                "{code:?}"
            );
        }
    }

    #[test]
    fn stripped_sessions_parse() {
        let pasted = ">>> class A:\n...     x = 1\n... \n>>> if A.x:\n...     y = [\n...         1,\n...     ]\n";
        let code = strip_repl_prompts(pasted);
        let stmts = crate::language::parse_module(&code);
        assert!(stmts.is_ok_and(|s| s.len() == 2), "{code}");
    }
}
