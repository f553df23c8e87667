//! Lessons as pages, driven with scripted input: the step header, `b` back
//! a step, `?` for the keys, `--step N`, and code prompts that read like
//! the REPL's (auto-indent, pasted `>>> ` prompts, Ctrl-C dropping the
//! entry).

use std::path::Path;

use orm_tutor::lessons::input::{Key, LineSource, ReadLine, read_code};
use orm_tutor::lessons::{self, Course, Options, ScriptedLines, Store, Style};

/// A course of one lesson, `9.1`: text, demo, text.
fn course(dir: &Path) -> Course {
    let lesson = r##"Lesson(
    id: "9.1",
    title: "Pages",
    fixture: "chat",
    steps: [
        Text(r#"The first page."#),
        Demo(code: r#"n = session.query(User).count()
print('users:', n)"#),
        Text(r#"The last page."#),
    ],
)
"##;
    if let Err(e) = std::fs::write(dir.join("9.1.ron"), lesson) {
        panic!("cannot write the lesson: {e}");
    }
    Course::load(Some(dir))
}

fn run(dir: &Path, step: Option<usize>, keys: &[&str]) -> (String, ScriptedLines) {
    let c = course(dir);
    let store = Store::in_dir(dir);
    let mut input = ScriptedLines::new(keys.iter().copied());
    let mut out = Vec::new();
    let opts = Options {
        restart: false,
        print: false,
        style: Style::plain(),
        step,
    };
    let code = lessons::run_lesson_with(&c, "9.1", opts, &mut input, &mut out, Some(&store));
    assert_eq!(code, 0);
    (String::from_utf8_lossy(&out).into_owned(), input)
}

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temp dir: {e}"),
    }
}

#[test]
fn each_step_has_a_header_and_b_goes_back() {
    let d = tempdir();
    let (out, input) = run(d.path(), None, &["", "b", "", "", ""]);
    assert!(
        out.contains("9.1 · step 1/3 · Pages\nThe first page."),
        "{out}"
    );
    // the demo shown twice (going back reruns it on the session as it was
    // before it), the count the same both times
    assert_eq!(out.matches("9.1 · step 2/3 · Pages").count(), 2, "{out}");
    assert_eq!(out.matches("users: 8").count(), 2, "{out}");
    assert_eq!(out.matches("9.1 · step 1/3").count(), 2, "{out}");
    assert!(out.contains("End of lesson 9.1."), "{out}");
    assert_eq!(
        input.prompts[0],
        "[Enter: go on · b: back · ?: keys · q: quit] "
    );
}

#[test]
fn question_mark_lists_the_keys_and_b_on_the_first_step_stays() {
    let d = tempdir();
    let (out, _) = run(d.path(), None, &["?", "b", "q"]);
    assert!(out.contains("Keys: Enter or Space: next step"), "{out}");
    assert!(out.contains("(this is the first step)"), "{out}");
    assert!(
        out.contains("Stopped at step 1 of 3; `orm-tutor lesson 9.1` resumes here."),
        "{out}"
    );
}

#[test]
fn step_n_jumps_there_with_the_session_rebuilt() {
    let d = tempdir();
    let (out, _) = run(d.path(), Some(3), &["q"]);
    assert!(out.contains("9.1 · step 3/3"), "{out}");
    assert!(!out.contains("The first page."), "{out}");
    assert!(out.contains("Stopped at step 3 of 3"), "{out}");
    // past the end: the last step
    let (out, _) = run(d.path(), Some(99), &["q"]);
    assert!(out.contains("9.1 · step 3/3"), "{out}");
    // progress was saved at the step the learner stopped at
    let (progress, _) = Store::in_dir(d.path()).load();
    assert_eq!(progress.lessons["9.1"].step, 2);
}

#[test]
fn keys_typed_as_lines() {
    assert_eq!(Key::of_line(""), Key::Next);
    assert_eq!(Key::of_line(" "), Key::Next);
    assert_eq!(Key::of_line("b"), Key::Back);
    assert_eq!(Key::of_line("?"), Key::Keys);
    assert_eq!(Key::of_line("q"), Key::Quit);
    assert_eq!(Key::of_line(".quit"), Key::Quit);
}

/// A person at an editor: each line starts at the indent offered; `^C` is
/// Ctrl-C.
struct Typist {
    keys: Vec<&'static str>,
    offered: Vec<String>,
    history: Vec<String>,
}

impl LineSource for Typist {
    fn read_line(&mut self, _prompt: &str) -> Option<String> {
        None
    }

    fn read_code_line(&mut self, prompt: &str, indent: &str) -> ReadLine {
        if self.keys.is_empty() {
            return ReadLine::Eof;
        }
        self.offered.push(format!("{prompt}{indent}"));
        match self.keys.remove(0) {
            "^C" => ReadLine::Interrupted,
            typed => ReadLine::Line(format!("{indent}{typed}")),
        }
    }

    fn auto_indent(&self) -> bool {
        true
    }

    fn add_history(&mut self, entry: &str) {
        self.history.push(entry.to_string());
    }
}

#[test]
fn code_prompts_auto_indent_strip_pasted_prompts_and_drop_on_ctrl_c() {
    let mut t = Typist {
        keys: vec![
            "for x in y:",
            "^C",
            "for u in users:",
            "if u:",
            "print(u)",
            "",
            ">>> x = 1",
        ],
        offered: Vec::new(),
        history: Vec::new(),
    };
    assert_eq!(
        read_code(&mut t, ">>> ").as_deref(),
        Some("for u in users:\n    if u:\n        print(u)")
    );
    assert_eq!(
        t.offered,
        vec![
            ">>> ",
            "...     ",
            ">>> ",
            "...     ",
            "...         ",
            "...         ",
        ]
    );
    assert_eq!(read_code(&mut t, ">>> ").as_deref(), Some("x = 1"));
    assert_eq!(
        t.history,
        vec!["for u in users:\n    if u:\n        print(u)", "x = 1"]
    );
    assert_eq!(read_code(&mut t, ">>> "), None);
}

#[test]
fn a_lessons_sql_panel_collapses_repeated_lazy_loads() {
    let d = tempdir();
    let lesson = r##"Lesson(
    id: "9.2",
    title: "N+1",
    fixture: "chat",
    steps: [
        Demo(code: r#"for u in session.query(User).all(): n = len(u.messages)"#),
    ],
)
"##;
    if let Err(e) = std::fs::write(d.path().join("9.2.ron"), lesson) {
        panic!("cannot write the lesson: {e}");
    }
    let c = Course::load(Some(d.path()));
    let mut out = Vec::new();
    let opts = Options {
        restart: false,
        print: true,
        style: Style::plain(),
        step: None,
    };
    lessons::run_lesson_with(
        &c,
        "9.2",
        opts,
        &mut ScriptedLines::default(),
        &mut out,
        None,
    );
    let out = String::from_utf8_lossy(&out);
    assert_eq!(out.matches("FROM messages").count(), 1, "{out}");
    assert!(
        out.contains("[parameters: (1,)]  -- lazy load of User.messages\n… 7 more lazy loads of User.messages like the one above, with other parameters\n"),
        "{out}"
    );
    assert!(
        out.contains("9 queries: 1 query, 8 lazy loads of User.messages"),
        "{out}"
    );
}
