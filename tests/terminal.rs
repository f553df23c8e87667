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
