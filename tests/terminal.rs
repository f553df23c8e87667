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

/// Backspace in the auto-indent removes a whole level, as IPython's: the
/// line after a nested loop's body goes back to the enclosing block.
#[test]
fn backspace_at_an_indent_removes_one_level() {
    let h = home();
    let mut p = repl(h.path());
    human(&mut p, "if True:\r");
    human(&mut p, "for i in range(2):\r");
    human(&mut p, "x = i\r");
    // the editor starts the line with 8 spaces; one Backspace leaves 4
    human(&mut p, "\x7f");
    human(&mut p, "print('done', x)\r");
    human(&mut p, "\r");
    expect(&mut p, "done 1\r\n");
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
    // Ctrl-C at a pause: a note, and the lesson goes on
    human(&mut p, "\x03");
    expect(&mut p, "KeyboardInterrupt — Ctrl-C again");
    expect(&mut p, "[Enter: go on");
    human(&mut p, "?");
    expect(&mut p, "Keys: Enter or Space: next step");
    // Space, no Enter: the next step
    human(&mut p, " ");
    expect(&mut p, "9.1 · step 2/5");
    expect(&mut p, "demo ran");
    // r: the demo runs again, from the session as it was before it
    expect(&mut p, "r: replay");
    human(&mut p, "r");
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
    expect(
        &mut p,
        "KeyboardInterrupt — Ctrl-C again or .quit leaves the lesson (it resumes here)",
    );
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

/// The lines a terminal shows for `raw` output: escape sequences and bells
/// dropped, each line as left after its last carriage return.
fn screen_lines(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => {
                if chars.peek() == Some(&'[') {
                    chars.next();
                    for d in chars.by_ref() {
                        if ('@'..='~').contains(&d) {
                            break;
                        }
                    }
                }
            }
            '\u{7}' => {}
            _ => plain.push(c),
        }
    }
    plain
        .split('\n')
        .map(|l| {
            l.trim_end_matches('\r')
                .rsplit('\r')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect()
}

/// Fails with the lines wider than 80 columns.
fn assert_fits_80(view: &str, lines: &[String]) {
    let wide: Vec<&String> = lines.iter().filter(|l| l.chars().count() > 80).collect();
    assert!(
        wide.is_empty(),
        "{view}: lines wider than 80 columns: {wide:#?}"
    );
}

/// `orm-tutor ARGS…` in an 80×24 pseudo-terminal, its own home.
fn spawn_80(home: &std::path::Path, args: &[&str]) -> expectrl::session::OsSession {
    let mut cmd = Command::new(BIN);
    cmd.env("ORM_TUTOR_HOME", home)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("COLUMNS")
        .env_remove("LINES")
        .args(args);
    let mut p = match Session::spawn(cmd) {
        Ok(p) => p,
        Err(e) => panic!("cannot start {BIN} in a pseudo-terminal: {e}"),
    };
    p.set_expect_timeout(Some(Duration::from_secs(30)));
    if let Err(e) = p.get_process_mut().set_window_size(80, 24) {
        panic!("cannot size the terminal: {e}");
    }
    p
}

/// Everything the terminal showed up to and including `needle`.
fn capture(p: &mut expectrl::session::OsSession, needle: &str) -> Vec<String> {
    match p.expect(needle) {
        Ok(found) => {
            let mut raw = found.before().to_vec();
            raw.extend_from_slice(needle.as_bytes());
            screen_lines(&raw)
        }
        Err(e) => panic!("expected {needle:?} on the terminal: {e}"),
    }
}

#[test]
fn every_view_fits_80_columns() {
    let h = home();
    // the banner, .help, .session, an error with its [SQL: …] line
    let mut p = spawn_80(h.path(), &[]);
    let banner = capture(&mut p, "Type .help for help.");
    assert!(
        banner.iter().any(|l| l.contains("on SQLite (in memory)")),
        "{banner:#?}"
    );
    assert!(
        banner
            .iter()
            .any(|l| l.contains("`orm-tutor lesson 4.18`") && l.contains("`orm-tutor exercises`")),
        "{banner:#?}"
    );
    assert_fits_80("the banner", &banner);
    for (keys, view) in [
        (".help\r", ".help"),
        (
            "u = session.get(User, 1)\ru.name = 'Alice Liddell, of Wonderland'\rsession.add(User(name='Newcomer with a long name', email='n@example.com'))\r.session\r",
            ".session",
        ),
        (
            "q = text('INSERT INTO users (id, name, email, is_active, created_at) VALUES (1, 2, 3, 1, 4)')\rsession.execute(q)\r",
            "an IntegrityError",
        ),
        (
            "x = 'a very long string that goes on and on and on and on and on past eighty columns' + 1\r",
            "a long line's carets",
        ),
    ] {
        human(&mut p, keys);
        human(&mut p, "print('end of ' + 'view')\r");
        let lines = capture(&mut p, "end of view");
        // the learner's own long input lines are echoed by the editor
        let lines: Vec<String> = lines
            .into_iter()
            .filter(|l| !l.starts_with(">>> "))
            .collect();
        assert_fits_80(view, &lines);
        if view == ".session" {
            assert!(lines.iter().any(|l| l.starts_with('└')), "{lines:#?}");
        }
        if view == "a long line's carets" {
            // the code is cut in pieces, each with the carets under it
            let at = lines.iter().position(|l| l.starts_with("    x = 'a very"));
            let next = at.and_then(|i| lines.get(i + 1));
            assert!(
                next.is_some_and(|l| l.starts_with("        ^^^^")),
                "{lines:#?}"
            );
            assert!(
                lines.iter().any(|l| l.ends_with("columns' + 1")),
                "{lines:#?}"
            );
        }
        if view == "an IntegrityError" {
            assert!(
                lines
                    .iter()
                    .any(|l| l.starts_with("[SQL: INSERT INTO users")),
                "{lines:#?}"
            );
        }
    }

    // the list of exercises
    let mut p = spawn_80(h.path(), &["exercises"]);
    let lines = capture(&mut p, "Open one with: orm-tutor exercise ID");
    assert_fits_80("orm-tutor exercises", &lines);

    // an exercise's statement, hints and FAIL reasons
    let mut p = spawn_80(h.path(), &["exercise", "rename-bob"]);
    expect(&mut p, ">>> ");
    human(&mut p, ".hint\r");
    human(&mut p, ".hint\r");
    human(&mut p, ".hint\r");
    human(
        &mut p,
        "session.add(User(name='Robert', email='robert@example.com', role_id=2))\r",
    );
    human(&mut p, ".check\r");
    let lines = capture(&mut p, "FAIL");
    human(&mut p, "print('end of ' + 'view')\r");
    let mut more = capture(&mut p, "end of view");
    more.retain(|l| !l.starts_with(">>> "));
    let mut lines: Vec<String> = lines
        .into_iter()
        .filter(|l| !l.starts_with(">>> "))
        .collect();
    lines.extend(more);
    assert!(
        lines.iter().any(|l| l.starts_with("Hint 3/3")),
        "{lines:#?}"
    );
    assert!(lines.iter().any(|l| l.starts_with("  - ")), "{lines:#?}");
    assert_fits_80("an exercise", &lines);

    // a lesson's Try step: the result and SQL panels at the terminal's width
    let mut p = lesson(h.path(), &["--step", "3"]);
    expect(&mut p, ">>> ");
    human(
        &mut p,
        "for u in session.query(User).filter(User.is_active == True).order_by(User.id): print(u.name)\r",
    );
    human(&mut p, "\r");
    let lines = capture(&mut p, "That does it.");
    let lines: Vec<String> = lines
        .into_iter()
        .filter(|l| !l.starts_with(">>> "))
        .collect();
    assert!(
        lines.iter().any(|l| l.starts_with("SELECT users.id")),
        "{lines:#?}"
    );
    assert_fits_80("a Try step", &lines);
}

/// The rows `lines` take on an 80-column terminal (a wider line wraps).
fn rows_at_80(lines: &[String]) -> usize {
    lines
        .iter()
        .map(|l| l.chars().count().div_ceil(80).max(1))
        .sum()
}

#[test]
fn every_step_of_lesson_4_18_fits_80x24_with_its_code_on_screen() {
    let h = home();
    let mut p = spawn_80(h.path(), &["lesson", "4.18"]);
    // every prompt a step can end at: a pause, a page, a prediction, an
    // exercise's `>>>` (after its list of commands), a Try step's `>>>`
    // (after the line of its commands), the end
    let prompt = r"\[Enter: go on[^\]]*\] |-- page \d+/\d+[^-]*-- |How many queries\? |Your choice \(1-\d\): |\(\.help\)\r?\n\r?\n[^>]*>>> |commands work here\)\r?\n[^>]*>>> |End of lesson 4\.18\.";
    let mut steps_seen = 0;
    let mut demos = 0;
    for _ in 0..200 {
        let found = match p.expect(expectrl::Regex(prompt)) {
            Ok(f) => f,
            Err(e) => panic!("no prompt on the terminal after step {steps_seen}: {e}"),
        };
        let said = String::from_utf8_lossy(found.get(0).unwrap_or_default()).to_string();
        let mut raw = found.before().to_vec();
        raw.extend_from_slice(said.as_bytes());
        let lines = screen_lines(&raw);
        // a demo's code is shown as it is written, as a learner would type it
        let prose: Vec<String> = lines
            .iter()
            .filter(|l| !l.starts_with(">>> ") && !l.starts_with("... "))
            .cloned()
            .collect();
        assert_fits_80("lesson 4.18", &prose);
        if let Some(h) = lines.iter().position(|l| l.starts_with("4.18 · step ")) {
            // the screen from the step's header to its first prompt
            let screen = &lines[h..];
            steps_seen += 1;
            assert!(
                rows_at_80(screen) <= 24,
                "{}: {} rows at 80x24:\n{}",
                lines[h],
                rows_at_80(screen),
                screen.join("\n")
            );
            if screen.iter().any(|l| l.starts_with(">>> ")) {
                demos += 1;
            }
        }
        if said.starts_with("End of lesson") {
            break;
        }
        let answer = if said.starts_with("How many") || said.starts_with("Your choice") {
            "\r"
        } else if said.ends_with(">>> ") {
            ".skip\r"
        } else {
            " "
        };
        human(&mut p, answer);
    }
    assert_eq!(steps_seen, 46, "every step of lesson 4.18 was shown");
    assert!(demos >= 11, "the demos' code was on screen: {demos}");
}

#[test]
fn a_step_taller_than_the_terminal_is_paged() {
    let h = home();
    // step 3 of lesson 4.18 takes 33 rows at 80 columns
    let mut p = spawn_80(h.path(), &["lesson", "4.18", "--step", "3"]);
    expect(&mut p, "4.18 · step 3/46");
    expect(&mut p, "-- page 1/2 · Enter: more · b: back · q: quit --");
    human(&mut p, " ");
    expect(&mut p, "[Enter: go on");
    // the last page's pause: b is the step before
    human(&mut p, "b");
    expect(&mut p, "4.18 · step 2/46");
    human(&mut p, " ");
    expect(&mut p, "-- page 1/2");
    human(&mut p, " ");
    expect(&mut p, "[Enter: go on");
    human(&mut p, "q");
    expect(&mut p, "Stopped at step 3 of 46");
    // ? at a page lists the keys, q leaves from there
    let mut p = spawn_80(h.path(), &["lesson", "4.18", "--step", "3"]);
    expect(&mut p, "-- page 1/2");
    human(&mut p, "?");
    expect(&mut p, "Keys: Enter or Space: next step (or page)");
    human(&mut p, "q");
    expect(&mut p, "Stopped at step 3 of 46");
}
