//! The REPL driven without a terminal: through the library with a list of
//! lines, and through the binary with lines piped on stdin.

use std::io::Write;
use std::process::{Command, Stdio};

use orm_tutor::fixture::Fixture;
use orm_tutor::render::Palette;
use orm_tutor::repl::{ReplOptions, ScriptLines, Width, run_repl};
use orm_tutor::tutor::{DbTarget, Tutor};

/// What the REPL writes for `lines`, `width` columns wide.
fn repl(lines: &[&str], width: Option<usize>) -> String {
    let mut tutor = match Tutor::start(Fixture::chat(), DbTarget::Memory) {
        Ok(t) => t,
        Err(e) => panic!("the chat fixture should start: {e}"),
    };
    let mut source = ScriptLines::new(lines.iter().map(|l| l.to_string()));
    let mut out = Vec::new();
    let opts = ReplOptions {
        interactive: false,
        palette: Palette::PLAIN,
        width: Width::Fixed(width),
    };
    if let Err(e) = run_repl(&mut tutor, &mut source, &mut out, &opts) {
        panic!("{e}");
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn an_expression_shows_its_value_sql_and_count() {
    let out = repl(&["session.query(User).count()"], None);
    assert!(
        out.starts_with("8\n\nBEGIN (implicit)\nSELECT count(*) AS count_1"),
        "{out}"
    );
    assert!(out.ends_with("[parameters: ()]\n1 query\n\n"), "{out}");
}

#[test]
fn blocks_run_after_their_blank_line() {
    let out = repl(
        &[
            "for u in session.query(User).order_by(User.id).limit(3):",
            "    print(u.name)",
            "",
            "len(session.query(User).all())",
        ],
        None,
    );
    assert!(
        out.starts_with("Alice\nBob\nCarol\n\nBEGIN (implicit)\n"),
        "{out}"
    );
    assert!(out.contains("\n8\n\nSELECT users.id"), "{out}");
}

#[test]
fn a_new_statement_ends_a_block_without_a_blank_line() {
    let out = repl(
        &["for i in range(2):", "    print(i)", "print('done')"],
        None,
    );
    assert_eq!(out, "0\n1\n\n0 queries\n\ndone\n\n0 queries\n\n");
}

#[test]
fn open_brackets_continue_the_entry() {
    let out = repl(
        &[
            "session.query(User).filter(",
            "    User.name == 'Bob'",
            ").one().email",
        ],
        None,
    );
    assert!(out.starts_with("'bob@example.com'\n"), "{out}");
    assert!(out.contains("[parameters: ('Bob',)]\n1 query\n"), "{out}");
}

#[test]
fn errors_point_at_the_culprit() {
    let out = repl(&["session.query(Usr).all()"], None);
    assert_eq!(
        out,
        "  File \"<stdin>\", line 1\n    session.query(Usr).all()\n                  ^^^\nNameError: name 'Usr' is not defined. Did you mean: 'User'?\n\n0 queries\n\n"
    );
}

#[test]
fn syntax_errors_are_reported_and_the_repl_goes_on() {
    let out = repl(&["session.query(User", ")).all()", "1 + 1"], None);
    assert!(out.contains("SyntaxError"), "{out}");
    assert!(out.ends_with("2\n\n0 queries\n\n"), "{out}");
}

#[test]
fn lazy_loads_are_counted_by_cause() {
    let out = repl(
        &[
            "users = session.query(User).all()",
            "for u in users:",
            "    n = len(u.messages)",
            "",
        ],
        None,
    );
    assert!(!out.contains("9 queries"), "{out}");
    assert!(
        out.contains("8 queries: 8 lazy loads of User.messages"),
        "{out}"
    );
}

#[test]
fn meta_commands_work_between_code() {
    let out = repl(
        &[
            "x = 41", ".schema", "x + 1", ".reset", "x", ".nope", ".quit", "x",
        ],
        None,
    );
    assert!(out.contains("CREATE TABLE users ("), "{out}");
    assert!(out.contains("\n42\n"), "{out}");
    assert!(out.contains("fresh database"), "{out}");
    assert!(out.contains("NameError: name 'x' is not defined"), "{out}");
    assert!(out.contains("Unknown command '.nope'"), "{out}");
    // nothing runs after .quit
    assert_eq!(out.matches("NameError").count(), 1, "{out}");
}

#[test]
fn python_exit_leaves() {
    let out = repl(&["exit()", "1"], None);
    assert!(out.is_empty(), "{out}");
}

#[test]
fn wide_output_is_side_by_side() {
    let out = repl(
        &["session.query(User).filter(User.id < 3).all()"],
        Some(160),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("2 × User"), "{out}");
    assert!(lines[0].ends_with("│ BEGIN (implicit)"), "{out}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("┆ Alice ┆") && l.contains('│')),
        "{out}"
    );
    assert!(out.lines().all(|l| l.chars().count() <= 160), "{out}");
    let narrow = repl(&["session.query(User).filter(User.id < 3).all()"], Some(80));
    assert!(narrow.contains("╯\n\nBEGIN (implicit)\n"), "{narrow}");
    assert!(narrow.lines().all(|l| l.chars().count() <= 80), "{narrow}");
}

#[test]
fn piped_stdin_runs_like_the_repl() {
    let home = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let mut child = match Command::new(env!("CARGO_BIN_EXE_orm-tutor"))
        .env_remove("CLICOLOR_FORCE")
        .env("ORM_TUTOR_HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"session.query(User).count()\nfor u in session.query(User).limit(1):\n    print(u.name)\n\n.models\n");
    }
    let output = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert!(output.status.success());
    let out = String::from_utf8_lossy(&output.stdout);
    // no banner, no prompts
    assert!(out.starts_with("8\n\nBEGIN (implicit)\n"), "{out}");
    assert!(!out.contains(">>>"), "{out}");
    assert!(out.contains("\nAlice\n"), "{out}");
    assert!(out.contains("class User(Base):"), "{out}");
    assert!(String::from_utf8_lossy(&output.stderr).is_empty());
}

#[test]
fn deep_recursion_in_the_binary_is_a_python_error() {
    let home = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let mut child = match Command::new(env!("CARGO_BIN_EXE_orm-tutor"))
        .env("ORM_TUTOR_HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    if let Some(mut stdin) = child.stdin.take() {
        let _ = stdin.write_all(b"def f(n):\n    return f(n + 1)\n\nf(0)\n1 + 1\n");
    }
    let output = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains("RecursionError: maximum recursion depth exceeded"),
        "{out}"
    );
    assert!(out.contains("\n2\n"), "{out}");
}

#[test]
fn top_level_await_and_async_blocks_run_in_the_repl() {
    // As `python -m asyncio`: `await` at the prompt, `async def`/`async
    // with` blocks ended by a blank line.
    let out = repl(
        &[
            "from sqlalchemy.ext.asyncio import AsyncSession",
            "async def name_of(db, user_id):",
            "    user = await db.get(User, user_id)",
            "    return user.name",
            "",
            "async with AsyncSession(async_engine) as db:",
            "    print(await name_of(db, 2))",
            "",
            "s = AsyncSession(async_engine)",
            "u = await s.get(User, 1)",
            "u.role",
        ],
        None,
    );
    assert!(out.contains("Bob\n"), "{out}");
    assert!(
        out.contains(
            "MissingGreenlet: greenlet_spawn has not been called; can't call await_only() here."
        ),
        "{out}"
    );
    // The statement the lazy load would have sent is shown and counted,
    // with the fix named.
    assert!(out.contains("selectinload(User.role)"), "{out}");
    assert!(out.contains("1 query: 1 lazy load of User.role"), "{out}");
}
