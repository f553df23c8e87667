//! End-to-end tests of the REPL in a real pseudo-terminal (expectrl): what
//! a learner types ahead or pastes runs, in order, line by line, as in
//! Python's own REPL.

use std::process::Command;
use std::time::Duration;

use expectrl::{Expect, Session};

const BIN: &str = env!("CARGO_BIN_EXE_orm-tutor");

/// The REPL in a pseudo-terminal, with its own home (history) and no colors.
fn repl(home: &std::path::Path) -> expectrl::session::OsSession {
    let mut cmd = Command::new(BIN);
    cmd.env("ORM_TUTOR_HOME", home)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm");
    let mut p = match Session::spawn(cmd) {
        Ok(p) => p,
        Err(e) => panic!("cannot start {BIN} in a pseudo-terminal: {e}"),
    };
    p.set_expect_timeout(Some(Duration::from_secs(20)));
    if let Err(e) = p.expect("Type .help for help.") {
        panic!("no banner: {e}");
    }
    p
}

fn expect(p: &mut expectrl::session::OsSession, needle: &str) {
    if let Err(e) = p.expect(needle) {
        panic!("expected {needle:?} on the terminal: {e}");
    }
}

fn send(p: &mut expectrl::session::OsSession, keys: &str) {
    if let Err(e) = p.send(keys) {
        panic!("cannot type into the terminal: {e}");
    }
}

fn home() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("no temp dir: {e}"),
    }
}

#[test]
fn typed_ahead_lines_all_run_in_order() {
    let h = home();
    let mut p = repl(h.path());
    // three lines sent at once, before the first has run
    send(&mut p, "a = 1\rb = 2\rprint(a, b)\r");
    expect(&mut p, "1 2");
    send(&mut p, "print(a + b)\r");
    expect(&mut p, "3\r\n");
}

#[test]
fn a_plain_paste_of_a_script_with_blocks_runs_whole() {
    let h = home();
    let mut p = repl(h.path());
    // no bracketed-paste markers: the keys arrive as if typed very fast;
    // the editor's auto-indent must not stack on the pasted indentation
    let script = [
        "names = []",
        "for u in session.query(User).order_by(User.id).all():",
        "    if u.is_active:",
        "        names.append(u.name)",
        "    else:",
        "        names.append('-' + u.name)",
        "",
        "def shout(xs):",
        "    out = []",
        "    for x in xs:",
        "        out.append(x.upper())",
        "    return out",
        "",
        "total = 0",
        "for n in names:",
        "    total += len(n)",
        "",
        "print('count', len(names))",
        "print('first', shout(names)[0])",
        "print('total', total > 0)",
    ];
    assert_eq!(script.len(), 20);
    send(&mut p, &(script.join("\r") + "\r"));
    expect(&mut p, "count 8");
    expect(&mut p, "first ALICE");
    expect(&mut p, "total True");
}

#[test]
fn a_pasted_transcript_with_prompts_runs() {
    let h = home();
    let mut p = repl(h.path());
    send(
        &mut p,
        ">>> xs = [1, 2, 3]\r>>> for x in xs:\r...     print(x * 10)\r...\r>>> print('done', len(xs))\r",
    );
    match p.expect("done 3") {
        Ok(found) => {
            let before = String::from_utf8_lossy(found.before()).to_string();
            assert!(before.contains("10") && before.contains("30"), "{before}");
            assert!(!before.contains("Error"), "an error on the way: {before}");
        }
        Err(e) => panic!("expected the transcript to run: {e}"),
    }
}

/// A small course in `dir`: a text, a demo, a Try step, an exercise and a
/// last text (lesson `9.1`), for driving the lesson screens.
fn small_course(dir: &std::path::Path) -> std::path::PathBuf {
    let course = dir.join("course");
    let exercises = course.join("exercises");
    if let Err(e) = std::fs::create_dir_all(&exercises) {
        panic!("cannot make {}: {e}", exercises.display());
    }
    let lesson = r##"Lesson(
    id: "9.1",
    title: "Keys and prompts",
    fixture: "chat",
    steps: [
        Text(r#"The first page."#),
        Demo(code: r#"print('demo ' + 'ran')"#),
        Try(
            prompt: r#"Print the name of each active user, by id."#,
            check: [NoError, SameOutput],
            hint: r#"A loop."#,
            solution: r#"for u in session.query(User).filter(User.is_active == True).order_by(User.id): print(u.name)"#,
        ),
        Exercise("rename-bob"),
        Text(r#"The last page."#),
    ],
)
"##;
    let exercise = include_str!("../lessons/exercises/rename-bob.ron");
    for (path, text) in [
        (course.join("9.1.ron"), lesson),
        (exercises.join("rename-bob.ron"), exercise),
    ] {
        if let Err(e) = std::fs::write(&path, text) {
            panic!("cannot write {}: {e}", path.display());
        }
    }
    course
}

/// `orm-tutor --lessons COURSE lesson 9.1 ARGS…` in an 80×24 pseudo-terminal.
fn lesson(home: &std::path::Path, args: &[&str]) -> expectrl::session::OsSession {
    let course = small_course(home);
    let mut cmd = Command::new(BIN);
    cmd.env("ORM_TUTOR_HOME", home)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .arg("--lessons")
        .arg(&course)
        .arg("lesson")
        .arg("9.1")
        .args(args);
    let mut p = match Session::spawn(cmd) {
        Ok(p) => p,
        Err(e) => panic!("cannot start {BIN} in a pseudo-terminal: {e}"),
    };
    p.set_expect_timeout(Some(Duration::from_secs(30)));
    if let Err(e) = p.get_process_mut().set_window_size(80, 24) {
        panic!("cannot size the terminal: {e}");
    }
    expect(&mut p, "Lesson 9.1 — Keys and prompts");
    p
}

/// Keys typed by a person: a moment after the screen showed what was
/// expected (keys sent sooner count as typed ahead, as a paste).
fn human(p: &mut expectrl::session::OsSession, keys: &str) {
    std::thread::sleep(Duration::from_millis(150));
    send(p, keys);
}

#[test]
fn a_pause_takes_one_key_back_help_and_quit() {
    let h = home();
    let mut p = lesson(h.path(), &[]);
    expect(&mut p, "9.1 · step 1/5 · Keys and prompts");
    expect(&mut p, "The first page.");
    expect(&mut p, "[Enter: go on · b: back · ?: keys · q: quit]");
    human(&mut p, "?");
    expect(&mut p, "Keys: Enter or Space: next step");
    // Space, no Enter: the next step
    human(&mut p, " ");
    expect(&mut p, "9.1 · step 2/5");
    expect(&mut p, "demo ran");
    human(&mut p, "b");
    expect(&mut p, "9.1 · step 1/5");
    expect(&mut p, "The first page.");
    human(&mut p, "q");
    expect(
        &mut p,
        "Stopped at step 1 of 5; `orm-tutor lesson 9.1` resumes here.",
    );
}

#[test]
fn tab_history_and_auto_indent_work_in_a_try_step_and_an_exercise() {
    let h = home();
    let mut p = lesson(h.path(), &["--step", "3"]);
    expect(&mut p, "9.1 · step 3/5");
    expect(&mut p, ">>> ");
    // Tab completes `session`; the block's second line comes indented
    human(&mut p, "for u in sess\t");
    expect(&mut p, "session");
    human(
        &mut p,
        ".query(User).filter(User.is_active == True).order_by(User.id):\r",
    );
    expect(&mut p, "...     ");
    human(&mut p, "print(u.name)\r\r");
    expect(&mut p, "That does it.");
    human(&mut p, "\r");
    // the exercise prompt: the same editor
    expect(&mut p, "9.1 · step 4/5");
    expect(&mut p, ">>> ");
    human(&mut p, "bob = session.get(Us\t, 2)\r");
    expect(&mut p, ">>> ");
    human(&mut p, "print('hist' + 'ory', bob.name)\r");
    expect(&mut p, "history Bob\r\n");
    // Up brings the last entry back
    human(&mut p, "\x1b[A\r");
    expect(&mut p, "history Bob\r\n");
    human(&mut p, "for i in range(2):\r");
    expect(&mut p, "...     ");
    human(&mut p, "print(i * 7)\r\r");
    expect(&mut p, "7\r\n");
    human(&mut p, ".quit\r");
    expect(
        &mut p,
        "Stopped at step 4 of 5; `orm-tutor lesson 9.1` resumes here.",
    );
}

#[test]
fn ctrl_c_in_a_lesson_drops_the_line_and_twice_leaves_with_progress_saved() {
    let h = home();
    let mut p = lesson(h.path(), &["--step", "3"]);
    expect(&mut p, ">>> ");
    human(&mut p, "x = 1");
    human(&mut p, "\x03");
    expect(&mut p, "KeyboardInterrupt (the line is dropped;");
    human(&mut p, "print('still ' + 'here')\r");
    expect(&mut p, "still here");
    expect(&mut p, "Not yet");
    expect(&mut p, ">>> ");
    human(&mut p, "\x03");
    expect(&mut p, "KeyboardInterrupt");
    expect(&mut p, ">>> ");
    human(&mut p, "\x03");
    expect(
        &mut p,
        "Stopped at step 3 of 5; `orm-tutor lesson 9.1` resumes here.",
    );
    let progress = std::fs::read_to_string(h.path().join("progress.json")).unwrap_or_default();
    assert!(progress.contains("9.1"), "{progress}");
    // Ctrl-D leaves too, on a line of its own
    let mut p = lesson(h.path(), &[]);
    expect(&mut p, "Resuming at step 3 of 5");
    expect(&mut p, ">>> ");
    human(&mut p, "\x04");
    expect(&mut p, "\r\n\r\nStopped at step 3 of 5");
}
