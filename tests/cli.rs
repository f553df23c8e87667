//! End-to-end tests of the `orm-tutor` binary: `run` in both formats, the
//! fixture option, colors, and the stubbed commands.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_orm-tutor");

/// Runs the binary with `args`, `stdin` piped in, in a clean environment
/// for colors and with its home in `home`.
fn run_with(args: &[&str], stdin: &str, envs: &[(&str, &str)], home: &Path) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("ORM_TUTOR_HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => panic!("cannot start {BIN}: {e}"),
    };
    if let Some(mut input) = child.stdin.take() {
        // the child may exit without reading everything
        let _ = input.write_all(stdin.as_bytes());
    }
    match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => panic!("waiting for {BIN}: {e}"),
    }
}

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot make a temporary folder: {e}"),
    }
}

fn write_script(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    if let Err(e) = std::fs::write(&path, text) {
        panic!("cannot write {}: {e}", path.display());
    }
    path.display().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const SCRIPT: &str = "\
users = session.query(User).all()
len(users)
for u in users[:2]:
    print(u.name)

session.query(User).filter(User.name == 'Bob').first()
";

#[test]
fn run_json_is_a_trace_with_a_step_per_statement() {
    let dir = tempdir();
    let file = write_script(dir.path(), "script.py", SCRIPT);
    let o = run_with(&["run", "--format", "json", &file], "", &[], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = match serde_json::from_slice(&o.stdout) {
        Ok(j) => j,
        Err(e) => panic!("not JSON ({e}):\n{}", stdout(&o)),
    };
    assert_eq!(json["fixture"], "chat");
    let steps = json["steps"].as_array().cloned().unwrap_or_default();
    assert_eq!(steps.len(), 4, "{json:#}");
    assert_eq!(steps[0]["code"], "users = session.query(User).all()");
    assert_eq!(steps[0]["tx"], serde_json::json!(["BEGIN"]));
    assert_eq!(steps[0]["sql"].as_array().map(Vec::len), Some(1));
    assert_eq!(steps[1]["value"], 8);
    assert_eq!(steps[2]["stdout"], "Alice\nBob\n");
    assert_eq!(steps[3]["line"], 6);
    assert_eq!(
        steps[3]["sql"][0]["params"],
        serde_json::json!(["Bob", 1, 0])
    );
}

#[test]
fn run_text_shows_the_table_the_sql_and_the_count() {
    let dir = tempdir();
    let file = write_script(
        dir.path(),
        "script.py",
        "session.query(User).filter(User.id < 3).all()\n",
    );
    let o = run_with(&["run", &file], "", &[], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(">>> session.query(User).filter(User.id < 3).all()\n2 × User\n"),
        "{out}"
    );
    assert!(out.contains("│ 1  ┆ Alice ┆ alice@example.com"), "{out}");
    assert!(out.contains("│ 2  ┆ Bob   ┆ bob@example.com"), "{out}");
    assert!(
        out.contains("BEGIN (implicit)\nSELECT users.id AS users_id"),
        "{out}"
    );
    assert!(
        out.contains("\nWHERE users.id < ?\n[parameters: (3,)]\n1 query\n"),
        "{out}"
    );
    assert!(!out.contains('\u{1b}'), "{out}");
}

#[test]
fn run_text_echoes_blocks_and_names_the_file_in_errors() {
    let dir = tempdir();
    let file = write_script(
        dir.path(),
        "lazy.py",
        "for u in session.query(User).limit(2).all():\n    print(u.name, len(u.messages))\n\nsession.query(Usr).all()\n",
    );
    let o = run_with(&["run", "--format", "text", &file], "", &[], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(">>> for u in session.query(User).limit(2).all():\n...     print(u.name, len(u.messages))\nAlice 4\nBob 3\n"),
        "{out}"
    );
    assert!(
        out.contains("[parameters: (1,)]  -- lazy load of User.messages"),
        "{out}"
    );
    assert!(
        out.contains("3 queries: 1 query, 2 lazy loads of User.messages"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "  File \"{file}\", line 4\n    session.query(Usr).all()\n                  ^^^\nNameError: name 'Usr' is not defined. Did you mean: 'User'?\n"
        )),
        "{out}"
    );
}

#[test]
fn run_shows_warnings_as_python_writes_them_and_records_them_in_the_trace() {
    let dir = tempdir();
    let file = write_script(
        dir.path(),
        "warn.py",
        "from sqlalchemy.ext.declarative import declarative_base\nBase = declarative_base()\n\
         from sqlalchemy.ext.asyncio import AsyncSession\ns = AsyncSession(async_engine)\n\
         c = s.get(User, 1)\nc = None\n",
    );
    let o = run_with(&["run", "--format", "text", &file], "", &[], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains(&format!(
            ">>> Base = declarative_base()\n{file}:2: MovedIn20Warning: The ``declarative_base()`` \
             function is now available as sqlalchemy.orm.declarative_base(). (deprecated since: 2.0) \
             (Background on SQLAlchemy 2.0 at: https://sqlalche.me/e/b8d9)\n"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            ">>> c = None\n{file}:6: RuntimeWarning: coroutine 'AsyncSession.get' was never awaited\n"
        )),
        "{out}"
    );
    let o = run_with(&["run", "--format", "json", &file], "", &[], dir.path());
    let trace: serde_json::Value = match serde_json::from_slice(&o.stdout) {
        Ok(t) => t,
        Err(e) => panic!("not JSON: {e}: {}", stdout(&o)),
    };
    let warned: Vec<(u64, String)> = trace["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let w = s["warnings"].as_array()?;
            Some((s["line"].as_u64()?, w[0]["category"].as_str()?.to_string()))
        })
        .collect();
    assert_eq!(
        warned,
        vec![
            (2, "MovedIn20Warning".to_string()),
            (6, "RuntimeWarning".to_string())
        ]
    );
}

#[test]
fn run_reads_stdin_for_a_dash() {
    let dir = tempdir();
    let o = run_with(
        &["run", "-"],
        "session.query(User).count()\n",
        &[],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(">>> session.query(User).count()\n8\n"),
        "{out}"
    );
    assert!(out.contains("SELECT count(*) AS count_1"), "{out}");
}

/// `run` parses on the tutor's own thread (no parser thread): the deepest
/// nesting the parser accepts still runs, and deeper input is Python's
/// `SyntaxError`, not a crash.
#[test]
fn run_parses_the_deepest_input_on_the_tutor_s_thread() {
    let dir = tempdir();
    let mut deep = String::new();
    for level in 0..99 {
        deep.push_str(&" ".repeat(level));
        deep.push_str("if True:\n");
    }
    deep.push_str(&" ".repeat(99));
    deep.push_str(&format!("x = {}-1{}\n", "(".repeat(98), ")".repeat(98)));
    deep.push_str("print(x)\n");
    let script = write_script(dir.path(), "deep.py", &deep);
    let o = run_with(&["run", &script], "", &[], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains(">>> print(x)\n-1\n"), "{}", stdout(&o));

    let too_deep = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    let script = write_script(dir.path(), "too_deep.py", &too_deep);
    let o = run_with(&["run", &script], "", &[], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("SyntaxError: too many nested parentheses"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn unknown_fixture_lists_the_fixtures_and_exits_2() {
    let dir = tempdir();
    let o = run_with(&["--fixture", "nope"], "", &[], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("nope"), "{err}");
    for built_in in ["authors", "blog", "chat", "movies"] {
        assert!(err.contains(built_in), "{err}");
    }
    let file = write_script(dir.path(), "s.py", "1\n");
    let o = run_with(&["run", "--fixture", "nope", &file], "", &[], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("chat"));
}

#[test]
fn a_missing_script_is_an_error() {
    let dir = tempdir();
    let missing = dir.path().join("missing.py").display().to_string();
    let o = run_with(&["run", &missing], "", &[], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.py"), "{}", stderr(&o));
}

#[test]
fn colors_follow_no_color_and_the_flag() {
    let dir = tempdir();
    let file = write_script(dir.path(), "s.py", "session.query(User).count()\n");
    let forced = run_with(&["run", &file], "", &[("CLICOLOR_FORCE", "1")], dir.path());
    assert!(
        stdout(&forced).contains('\u{1b}'),
        "CLICOLOR_FORCE should color"
    );
    let no_color = run_with(
        &["run", &file],
        "",
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")],
        dir.path(),
    );
    assert!(no_color.status.success());
    assert!(
        !stdout(&no_color).contains('\u{1b}'),
        "{}",
        stdout(&no_color)
    );
    let flag = run_with(
        &["--no-color", "run", &file],
        "",
        &[("CLICOLOR_FORCE", "1")],
        dir.path(),
    );
    assert!(!stdout(&flag).contains('\u{1b}'));
    let repl = run_with(
        &[],
        "session.query(User).count()\n",
        &[("NO_COLOR", "1")],
        dir.path(),
    );
    assert!(repl.status.success());
    assert!(stdout(&repl).contains("1 query"));
    assert!(!stdout(&repl).contains('\u{1b}'));
    // the same text with and without colors
    let plain = run_with(&["run", &file], "", &[], dir.path());
    let stripped = strip_ansi(&stdout(&forced));
    assert_eq!(stripped, stdout(&plain));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) && c != '[' {
                    break;
                }
            }
            continue;
        }
        out.push(c);
    }
    out
}

#[test]
fn lesson_and_exercise_commands_run_through_the_binary() {
    let dir = tempdir();
    let o = run_with(&["lessons"], "", &[], dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("4.18"), "{}", stdout(&o));
    let o = run_with(&["lesson", "9.99"], "", &[], dir.path());
    assert_eq!(o.status.code(), Some(2));
    let good = dir.path().join("good.py");
    std::fs::write(
        &good,
        "for u in session.query(User).options(selectinload(User.messages)).order_by(User.id): print(u.name, len(u.messages))\n",
    )
    .unwrap();
    let o = run_with(
        &[
            "exercise",
            "eager-messages",
            "--answer",
            good.to_str().unwrap(),
        ],
        "",
        &[],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("PASS"), "{}", stdout(&o));
    let bad = dir.path().join("bad.py");
    std::fs::write(
        &bad,
        "for u in session.query(User).order_by(User.id): print(u.name, len(u.messages))\n",
    )
    .unwrap();
    let o = run_with(
        &[
            "exercise",
            "eager-messages",
            "--answer",
            bad.to_str().unwrap(),
        ],
        "",
        &[],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("FAIL"), "{}", stdout(&o));
    assert!(stdout(&o).contains("User.messages"), "{}", stdout(&o));
    let o = run_with(
        &[
            "exercise",
            "no-such-exercise",
            "--answer",
            bad.to_str().unwrap(),
        ],
        "",
        &[],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn help_and_version() {
    let dir = tempdir();
    let o = run_with(&["--help"], "", &[], dir.path());
    assert!(o.status.success());
    let out = stdout(&o);
    for word in [
        "run",
        "--fixture",
        "--fixtures",
        "--lessons",
        "--db",
        "--no-color",
    ] {
        assert!(out.contains(word), "{out}");
    }
    let o = run_with(&["--version"], "", &[], dir.path());
    assert!(stdout(&o).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn a_database_file_keeps_commits() {
    let dir = tempdir();
    let db = dir.path().join("chat.db").display().to_string();
    let o = run_with(
        &["--db", &db],
        "session.add(User(name='Zed', email='zed@example.com'))\nsession.commit()\n",
        &[],
        dir.path(),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("INSERT INTO users"), "{}", stdout(&o));
    let o = run_with(
        &["--db", &db],
        "session.query(User).count()\n",
        &[],
        dir.path(),
    );
    assert!(stdout(&o).starts_with("9\n"), "{}", stdout(&o));
}

#[test]
fn run_text_shows_the_n_plus_one_note_for_case_06_and_not_for_case_08() {
    let dir = tempdir();
    let cases = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cases");
    let o = run_with(
        &[
            "--no-color",
            "run",
            cases.join("06-n-plus-one.py").to_str().unwrap(),
        ],
        "",
        &[],
        dir.path(),
    );
    let out = stdout(&o);
    assert!(out.contains("N+1"), "{out}");
    assert!(out.contains("8 lazy loads of User.messages"), "{out}");
    assert!(
        out.contains("session.query(User).options(selectinload(User.messages)).all()"),
        "{out}"
    );
    let o = run_with(
        &[
            "--no-color",
            "run",
            cases.join("08-selectinload.py").to_str().unwrap(),
        ],
        "",
        &[],
        dir.path(),
    );
    assert!(!stdout(&o).contains("N+1"), "{}", stdout(&o));
}

/// A copy of the binary in a folder of its own, far from the sources.
fn copied_binary(dir: &Path) -> std::path::PathBuf {
    let bin = dir.join("orm-tutor");
    if let Err(e) = std::fs::copy(BIN, &bin) {
        panic!("cannot copy {BIN}: {e}");
    }
    bin
}

/// Runs `bin` with `args` in `cwd`, its home in `home`.
fn run_in(bin: &Path, args: &[&str], cwd: &Path, home: &Path) -> Output {
    let mut attempts = 0;
    loop {
        let out = Command::new(bin)
            .args(args)
            .current_dir(cwd)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env("ORM_TUTOR_HOME", home)
            .stdin(Stdio::null())
            .output();
        match out {
            Ok(o) => return o,
            // the fresh copy is still open for writing in a child another
            // test is forking at this moment ("Text file busy"): try again
            Err(e) if e.raw_os_error() == Some(26) && attempts < 50 => {
                attempts += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            Err(e) => panic!("cannot run {}: {e}", bin.display()),
        }
    }
}

/// A folder with a `lessons/` and a `fixtures/` holding junk, which must be
/// ignored: only `--lessons` and `--fixtures` name course folders.
fn cwd_with_junk() -> tempfile::TempDir {
    let cwd = tempdir();
    std::fs::create_dir_all(cwd.path().join("lessons/exercises")).unwrap();
    std::fs::write(cwd.path().join("lessons/1.ron"), "junk(").unwrap();
    std::fs::write(cwd.path().join("lessons/exercises/x.ron"), "junk(").unwrap();
    std::fs::create_dir_all(cwd.path().join("fixtures/chat")).unwrap();
    std::fs::write(cwd.path().join("fixtures/chat/models.py"), "junk(").unwrap();
    cwd
}

const ONE_LESSON: &str = r##"Lesson(
    id: "7.1",
    title: "An author's own lesson",
    steps: [
        Text("Hello."),
        Demo(code: r#"session.query(User).count()"#, queries: 1),
    ],
)
"##;

#[test]
fn a_copied_binary_has_the_course_and_fixtures_built_in() {
    let bin_dir = tempdir();
    let bin = copied_binary(bin_dir.path());
    let cwd = cwd_with_junk();
    let o = run_in(&bin, &["lessons"], cwd.path(), cwd.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    for id in ["4.18 ", "4.18.1", "4.18.3", "4.18.6"] {
        assert!(out.contains(id), "{id} missing: {out}");
    }
    assert!(!out.contains("broken") && !out.contains("warning"), "{out}");
    let o = run_in(&bin, &["exercises"], cwd.path(), cwd.path());
    assert!(stdout(&o).contains("eager-messages"), "{}", stdout(&o));
    let script = write_script(cwd.path(), "s.py", "session.query(User).count()\n");
    let o = run_in(
        &bin,
        &["--fixture", "chat", "run", &script],
        cwd.path(),
        cwd.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 query"), "{}", stdout(&o));
}

#[test]
fn lessons_dir_replaces_the_course_and_reports_broken_files() {
    let bin_dir = tempdir();
    let bin = copied_binary(bin_dir.path());
    let cwd = cwd_with_junk();
    let mine = tempdir();
    let dir = mine.path().display().to_string();
    write_script(mine.path(), "7.1.ron", ONE_LESSON);
    let o = run_in(
        &bin,
        &["lessons", "--lessons", &dir],
        cwd.path(),
        cwd.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("7.1") && out.contains("An author's own lesson"),
        "{out}"
    );
    assert!(!out.contains("4.18"), "{out}");
    let o = run_in(
        &bin,
        &["--lessons", &dir, "lessons", "--check"],
        cwd.path(),
        cwd.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    // a missing comma on line 4
    write_script(
        mine.path(),
        "7.2.ron",
        "Lesson(\n    id: \"7.2\",\n    title: \"Broken\"\n    steps: [],\n)\n",
    );
    let o = run_in(
        &bin,
        &["lessons", "--lessons", &dir],
        cwd.path(),
        cwd.path(),
    );
    let out = stdout(&o);
    let broken = out.lines().find(|l| l.starts_with("broken")).unwrap_or("");
    assert!(broken.contains("7.2.ron:4:"), "{out}");
    assert!(broken.contains("Expected comma"), "{out}");
    assert!(out.contains("An author's own lesson"), "{out}");
    let o = run_in(
        &bin,
        &["lessons", "--check", "--lessons", &dir],
        cwd.path(),
        cwd.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("7.2.ron:4:"), "{}", stdout(&o));
    let missing = mine.path().join("missing").display().to_string();
    let o = run_in(
        &bin,
        &["lessons", "--lessons", &missing],
        cwd.path(),
        cwd.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no such folder"), "{}", stderr(&o));
}

#[test]
fn fixtures_dir_adds_a_fixture() {
    let bin_dir = tempdir();
    let bin = copied_binary(bin_dir.path());
    let cwd = cwd_with_junk();
    let extra = tempdir();
    let shop = extra.path().join("shop");
    std::fs::create_dir_all(&shop).unwrap();
    write_script(
        &shop,
        "models.py",
        "from sqlalchemy import Column, Integer, String\nfrom sqlalchemy.orm import declarative_base\n\nBase = declarative_base()\n\n\nclass Item(Base):\n    __tablename__ = \"items\"\n\n    id = Column(Integer, primary_key=True)\n    name = Column(String(50))\n",
    );
    write_script(
        &shop,
        "data.ron",
        "(tables: [(name: \"items\", rows: [{\"id\": 1, \"name\": \"pen\"}, {\"id\": 2, \"name\": \"cup\"}])])\n",
    );
    let script = write_script(
        cwd.path(),
        "s.py",
        "for i in session.query(Item).order_by(Item.id): print(i.name)\n",
    );
    let dir = extra.path().display().to_string();
    let o = run_in(
        &bin,
        &["run", "--fixtures", &dir, "--fixture", "shop", &script],
        cwd.path(),
        cwd.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("pen\ncup"), "{out}");
    // without the option the fixture is unknown; the built-in ones remain
    let o = run_in(
        &bin,
        &["run", "--fixture", "shop", &script],
        cwd.path(),
        cwd.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("chat"), "{}", stderr(&o));
    let o = run_in(
        &bin,
        &["--fixtures", &dir, "run", "--fixture", "chat", &script],
        cwd.path(),
        cwd.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// Lines that once killed the process (a stack overflow, or a panic with
/// Rust's text on stderr and exit status 101).
const ONCE_FATAL: &str = "\
user_groups.insert().values(user_id=1, group_id=3)
Message.user.desc()
User.name.any()
x = [1]
x.append(x)
print(x)
s = \"\"\"café
naïve\"\"\"
print(s)
datetime(2024, 1, 1).strftime(\"%\")
print('still here')
";

#[test]
fn once_fatal_lines_end_cleanly_in_run_and_in_a_piped_repl() {
    let home = tempdir();
    let dir = tempdir();
    let script = write_script(dir.path(), "fatal.py", ONCE_FATAL);
    let envs = [("RUST_BACKTRACE", "1")];
    for o in [
        run_with(&["--no-color", "run", &script], "", &envs, home.path()),
        run_with(&["--no-color"], ONCE_FATAL, &envs, home.path()),
    ] {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(stderr(&o), "");
        let out = stdout(&o);
        for shown in [
            "NotImplementedError: Operator 'desc' is not supported",
            "AttributeError: Neither 'AnnotatedColumn' object",
            "[1, [...]]",
            "café\nnaïve",
            "'%'",
            "still here",
        ] {
            assert!(out.contains(shown), "{shown:?} not in {out}");
        }
    }
}

#[test]
fn a_lesson_with_non_ascii_text_in_triple_quoted_strings_loads_and_checks() {
    let home = tempdir();
    let mine = tempdir();
    let dir = mine.path().display().to_string();
    write_script(
        mine.path(),
        "7.1.ron",
        r##"Lesson(
    id: "7.1",
    title: "Unicode — café",
    steps: [
        Text(r#"Text with é, “quotes” and 日本語."#),
        Demo(code: r#"s = """café
naïve"""
print(s)"#, notice: "ünïcode"),
        Predict(code: r#"print(len("""日本語"""))"#, question: "What prints?",
                answer: Choice(options: ["3", "9"], correct: 1), explain: "Three characters."),
    ],
)
"##,
    );
    let o = run_with(
        &["--lessons", &dir, "lessons", "--check"],
        "",
        &[],
        home.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("all good"), "{}", stdout(&o));
    let o = run_with(
        &["--no-color", "--lessons", &dir, "lesson", "7.1"],
        "\n\n1\n\n\n",
        &[],
        home.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("café\nnaïve"), "{}", stdout(&o));
}

/// An autograder pipes the answer in (`--answer -`), reads only the verdict
/// on stdout, and leaves the learner's progress alone with `--no-progress`
/// or `CI=true`.
#[test]
fn exercise_answers_from_stdin_without_touching_progress() {
    let home = tempdir();
    let answer = "bob = session.get(User, 2)\nbob.name = \"Robert\"\nsession.commit()\n";
    let out = run_with(
        &["exercise", "rename-bob", "--answer", "-", "--no-progress"],
        answer,
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "PASS\n");
    assert!(!home.path().join("progress.json").exists());

    let out = run_with(
        &["exercise", "rename-bob", "--answer", "-"],
        "bob = session.get(User, 2)\n",
        &[("CI", "true")],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("FAIL"));
    assert!(!home.path().join("progress.json").exists());

    // without either, the check counts for the learner
    let out = run_with(
        &["exercise", "rename-bob", "--answer", "-"],
        answer,
        &[("CI", "")],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(home.path().join("progress.json").exists());

    // an unreadable answer: exit 2, the reason on stderr, nothing on stdout
    let out = run_with(
        &["exercise", "rename-bob", "--answer", "/nonexistent/a.py"],
        "",
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read /nonexistent/a.py"));
}

#[test]
fn an_unreachable_postgresql_server_is_sqlalchemys_operational_error() {
    let home = tempdir();
    let out = run_with(
        &["--db", "postgresql://nobody@127.0.0.1:1/x"],
        "",
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    // byte for byte the last line of Python's traceback under SQLAlchemy
    // 2.0.58 + psycopg2, after the program's name
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "orm-tutor: sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection \
         to server at \"127.0.0.1\", port 1 failed: Connection refused\n\tIs the server \
         running on that host and accepting TCP/IP connections?\n\n(Background on this \
         error at: https://sqlalche.me/e/20/e3q8)\n"
    );
}

/// `--format json`: one object with the exercise, the verdict, the queries
/// sent, and one entry per check; stdout holds nothing else.
#[test]
fn exercise_verdict_as_json_has_one_entry_per_check() {
    let home = tempdir();
    let bad = "for u in session.query(User).order_by(User.id): print(u.name, len(u.messages))\n";
    let out = run_with(
        &[
            "exercise",
            "eager-messages",
            "--answer",
            "-",
            "--format",
            "json",
            "--no-progress",
        ],
        bad,
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let v: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", stdout(&out)),
    };
    assert_eq!(v["exercise"], "eager-messages");
    assert_eq!(v["passed"], false);
    let checks = v["checks"].as_array().expect("checks is a list");
    assert!(checks.len() >= 2, "{v}");
    for c in checks {
        assert!(c["name"].is_string() && c["passed"].is_boolean() && c["message"].is_string());
    }
    let limit = checks
        .iter()
        .find(|c| c["queries_allowed"].is_u64())
        .expect("a query-limit check");
    assert_eq!(limit["passed"], false, "{limit}");
    assert!(limit["queries_used"].as_u64() > limit["queries_allowed"].as_u64());
    assert_eq!(v["queries"], limit["queries_used"]);
    assert!(limit["message"].as_str().unwrap().contains("User.messages"));
    let passed: Vec<_> = checks.iter().filter(|c| c["passed"] == true).collect();
    assert!(passed.iter().all(|c| c["message"] == ""), "{v}");

    let good = "for u in session.query(User).options(selectinload(User.messages)).order_by(User.id): print(u.name, len(u.messages))\n";
    let out = run_with(
        &[
            "exercise",
            "eager-messages",
            "--answer",
            "-",
            "--format",
            "json",
        ],
        good,
        &[("CI", "true")],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["passed"], true);
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["passed"] == true)
    );
}

/// `--format junit`: JUnit XML that parses back, one `<testcase>` per
/// check and a `<failure message=…>` on each failing one.
#[test]
fn exercise_verdict_as_junit_xml_parses_back() {
    use quick_xml::events::Event;
    let home = tempdir();
    let out = run_with(
        &[
            "exercise",
            "rename-bob",
            "--answer",
            "-",
            "--format",
            "junit",
            "--no-progress",
        ],
        "bob = session.get(User, 2)\n",
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let xml = stdout(&out);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures) = (0, Vec::new(), Vec::new());
    let mut declared_failures = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let attr = |name: &str| {
                    e.try_get_attribute(name)
                        .ok()
                        .flatten()
                        .and_then(|a| a.normalized_value(quick_xml::XmlVersion::Implicit1_0).ok())
                        .map(|v| v.into_owned())
                };
                match e.name().into_inner() {
                    "testsuite" => {
                        suites += 1;
                        assert_eq!(attr("name").as_deref(), Some("rename-bob"));
                        declared_failures = attr("failures").unwrap_or_default();
                    }
                    "testcase" => cases.push(attr("name").unwrap_or_default()),
                    "failure" => failures.push(attr("message").unwrap_or_default()),
                    _ => {}
                }
            }
            Ok(_) => {}
            Err(e) => panic!("bad XML at {}: {e}\n{xml}", reader.error_position()),
        }
    }
    assert_eq!(suites, 1, "{xml}");
    assert!(cases.contains(&"no error".to_string()), "{xml}");
    assert!(cases.iter().any(|c| c.starts_with("same state")), "{xml}");
    assert_eq!(failures.len(), 1, "{xml}");
    assert_eq!(declared_failures, "1");
    assert!(failures[0].contains("Robert"), "{xml}");
}

/// `--gradescope PATH` writes Gradescope's `results.json`: score and
/// max_score, and one test per check with name, score, max_score, output
/// and status; an answer that cannot be checked still gets a results.json
/// (score 0, the error as its output) and exit 2.
#[test]
fn exercise_writes_gradescope_results() {
    let home = tempdir();
    let results = home.path().join("results.json");
    let results_arg = results.display().to_string();
    let out = run_with(
        &[
            "exercise",
            "rename-bob",
            "--answer",
            "-",
            "--no-progress",
            "--gradescope",
            &results_arg,
        ],
        "bob = session.get(User, 2)\n",
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("FAIL"), "{}", stdout(&out));
    let text = std::fs::read_to_string(&results).expect("results.json written");
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let tests = v["tests"].as_array().expect("tests is a list");
    assert!(tests.len() >= 2, "{v}");
    let mut sum = 0.0;
    for t in tests {
        let keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
        for k in ["name", "score", "max_score", "output", "status"] {
            assert!(keys.contains(&k), "{t}");
        }
        assert!(["passed", "failed"].contains(&t["status"].as_str().unwrap()));
        assert_eq!(t["status"] == "passed", t["score"] == t["max_score"], "{t}");
        sum += t["score"].as_f64().unwrap();
    }
    assert_eq!(v["score"].as_f64(), Some(sum));
    assert_eq!(v["max_score"].as_f64(), Some(tests.len() as f64));
    assert!(sum < tests.len() as f64);
    let failed = tests.iter().find(|t| t["status"] == "failed").unwrap();
    assert!(
        failed["output"].as_str().unwrap().contains("Robert"),
        "{failed}"
    );

    let out = run_with(
        &[
            "exercise",
            "no-such-exercise",
            "--answer",
            "-",
            "--gradescope",
            &results_arg,
        ],
        "",
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();
    assert_eq!(v["score"].as_f64(), Some(0.0));
    assert!(
        v["output"].as_str().unwrap().contains("no-such-exercise"),
        "{v}"
    );
    assert_eq!(v["tests"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_blog_movies_and_authors_fixtures_are_built_in() {
    let dir = tempdir();
    let blog = write_script(
        dir.path(),
        "b.py",
        "session.query(Post).count()\nsession.get(User, 1).posts[0].tags[0].name\n",
    );
    let o = run_with(
        &["run", "--fixture", "blog", "--format", "json", &blog],
        "",
        &[],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(json["fixture"], "blog");
    assert_eq!(json["steps"][0]["value"], 8);
    assert_eq!(json["steps"][1]["value"], "python");
    let movies = write_script(
        dir.path(),
        "m.py",
        "session.get(Movie, 1).title\nlen(session.get(Movie, 4).reviews)\n",
    );
    let o = run_with(
        &["run", "--fixture", "movies", "--format", "json", &movies],
        "",
        &[],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(json["steps"][0]["value"], "Spirited Away");
    assert_eq!(json["steps"][1]["value"], 4);
    // the blog of lesson 4.18's practice
    let authors = write_script(
        dir.path(),
        "a.py",
        "session.get(Author, 2).name\nlen(session.get(Post, 3).comments)\n",
    );
    let o = run_with(
        &["run", "--fixture", "authors", "--format", "json", &authors],
        "",
        &[],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    assert_eq!(json["steps"][0]["value"], "Alan Turing");
    assert_eq!(json["steps"][1]["value"], 3);
}

/// A course of two exercises from the built-in one, in a folder for `--lessons`.
fn small_course(ids: &[&str]) -> tempfile::TempDir {
    let dir = tempdir();
    let exercises = dir.path().join("exercises");
    if let Err(e) = std::fs::create_dir(&exercises) {
        panic!("cannot make {}: {e}", exercises.display());
    }
    for id in ids {
        let from =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("lessons/exercises/{id}.ron"));
        if let Err(e) = std::fs::copy(&from, exercises.join(format!("{id}.ron"))) {
            panic!("cannot copy {}: {e}", from.display());
        }
    }
    dir
}

const RENAME_BOB: &str = "bob = session.get(User, 2)\nbob.name = \"Robert\"\nsession.commit()\n";
const RENAME_BOB_FLUSH: &str =
    "bob = session.get(User, 2)\nbob.name = \"Robert\"\nsession.flush()\n";

/// `exercises --check-all DIR` grades DIR/ID.py for every exercise: a line
/// each (PASS, FAIL with the known mistake, missing), files naming no
/// exercise warned about, exit 0 only when every exercise passes; and the
/// same as one JSON object.
#[test]
fn check_all_grades_a_folder_of_answers() {
    let home = tempdir();
    let course = small_course(&[
        "rename-bob",
        "recover-from-integrity-error",
        "eager-messages",
    ]);
    let course_dir = course.path().display().to_string();
    let answers = tempdir();
    write_script(answers.path(), "rename-bob.py", RENAME_BOB);
    write_script(
        answers.path(),
        "recover-from-integrity-error.py",
        "with Session(engine) as other:\n    other.add(User(name=\"Ivan\", email=\"ivan@example.com\"))\n    other.commit()\n",
    );
    write_script(answers.path(), "nope.py", "print(1)\n");
    let dir = answers.path().display().to_string();
    let args = [
        "--lessons",
        &course_dir,
        "exercises",
        "--check-all",
        &dir,
        "--no-progress",
    ];
    let out = run_with(&args, "", &[], home.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("PASS") && l.contains("rename-bob")),
        "{text}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("FAIL")
            && l.contains("recover-from-integrity-error")
            && l.contains("a known mistake: you saved Ivan through a second session")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("missing") && l.contains("eager-messages")),
        "{text}"
    );
    assert!(text.contains("1 of 3 exercises pass"), "{text}");
    assert!(
        stderr(&out).contains("nope.py is not graded"),
        "{}",
        stderr(&out)
    );
    assert!(!home.path().join("progress.json").exists());

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let out = run_with(&json_args, "", &[], home.path());
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = match serde_json::from_slice(&out.stdout) {
        Ok(v) => v,
        Err(e) => panic!("not JSON ({e}): {}", stdout(&out)),
    };
    assert_eq!(v["passed"], false);
    assert_eq!(v["total"], 3);
    assert_eq!(v["passed_count"], 1);
    let status = |id: &str| {
        v["exercises"]
            .as_array()
            .and_then(|a| a.iter().find(|e| e["exercise"] == id))
            .map(|e| e["status"].clone())
    };
    assert_eq!(status("rename-bob"), Some("pass".into()));
    assert_eq!(status("recover-from-integrity-error"), Some("fail".into()));
    assert_eq!(status("eager-messages"), Some("missing".into()));
    let failed = v["exercises"]
        .as_array()
        .and_then(|a| a.iter().find(|e| e["status"] == "fail"))
        .cloned()
        .unwrap_or_default();
    assert!(
        failed["mistake"]
            .as_str()
            .is_some_and(|m| m.contains("second session"))
    );
    assert!(
        failed["checks"].as_array().is_some_and(|c| c
            .iter()
            .any(|c| c["name"] == "session usable afterwards" && c["passed"] == false)),
        "{failed}"
    );

    // every answer right: exit 0
    let one = small_course(&["rename-bob"]);
    let one_dir = one.path().display().to_string();
    let out = run_with(
        &[
            "--lessons",
            &one_dir,
            "exercises",
            "--check-all",
            &dir,
            "--no-progress",
        ],
        "",
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    // a folder that is not there: exit 2
    let out = run_with(
        &[
            "exercises",
            "--check-all",
            "/nonexistent/answers",
            "--no-progress",
        ],
        "",
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read /nonexistent/answers"));
}

/// A failing answer that matches a known wrong answer says which mistake it
/// is, in the text verdict and in the JSON one.
#[test]
fn a_known_mistake_is_named_in_the_verdict() {
    let home = tempdir();
    let out = run_with(
        &["exercise", "rename-bob", "--answer", "-", "--no-progress"],
        RENAME_BOB_FLUSH,
        &[],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "FAIL\n  - a known mistake: a flush sends the UPDATE inside the transaction"
        ),
        "{text}"
    );
    let out = run_with(
        &[
            "exercise",
            "rename-bob",
            "--answer",
            "-",
            "--no-progress",
            "--format",
            "json",
        ],
        RENAME_BOB_FLUSH,
        &[],
        home.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert!(
        v["mistake"]
            .as_str()
            .is_some_and(|m| m.starts_with("a flush sends the UPDATE")),
        "{v}"
    );
}

/// `watch ID FILE` checks the file each time it is saved and prints a
/// verdict each time, until it is stopped.
#[test]
fn watch_checks_the_answer_on_every_save() {
    use std::io::BufRead;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};
    let home = tempdir();
    let dir = tempdir();
    let file = dir.path().join("answer.py");
    let mut child = match Command::new(BIN)
        .args([
            "watch",
            "rename-bob",
            &file.display().to_string(),
            "--no-progress",
        ])
        .env("ORM_TUTOR_HOME", home.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("cannot start {BIN}: {e}"),
    };
    let (tx, rx) = mpsc::channel::<String>();
    if let Some(out) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    // waits for a line starting with one of `heads`; all lines seen so far on failure
    let mut seen: Vec<String> = Vec::new();
    let wait_for = |heads: &[&str], seen: &mut Vec<String>| -> Option<String> {
        let deadline = Instant::now() + Duration::from_secs(120);
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(line) => {
                    seen.push(line.clone());
                    if heads.iter().any(|h| line.starts_with(h)) {
                        return Some(line);
                    }
                }
                Err(_) => return None,
            }
        }
        None
    };
    let ready = wait_for(&["(no "], &mut seen);
    let mut verdicts = Vec::new();
    if ready.is_some() {
        std::thread::sleep(Duration::from_millis(300));
        write_script(dir.path(), "answer.py", RENAME_BOB_FLUSH);
        verdicts.extend(wait_for(&["PASS", "FAIL"], &mut seen));
        std::thread::sleep(Duration::from_millis(300));
        write_script(dir.path(), "answer.py", RENAME_BOB);
        verdicts.extend(wait_for(&["PASS", "FAIL"], &mut seen));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        verdicts,
        ["FAIL", "PASS"],
        "the output: {}",
        seen.join("\n")
    );
    assert!(
        seen.iter()
            .any(|l| l.contains("a known mistake: a flush sends the UPDATE"))
    );
}

/// `run --format text` prints each step as it finishes: the first step's
/// output arrives while a later step (a 30 s `time.sleep`) still runs.
#[test]
fn run_text_streams_each_step_as_it_finishes() {
    use std::io::{BufRead, BufReader};
    let dir = tempdir();
    let script = write_script(
        dir.path(),
        "slow.py",
        "print(\"first step done\")\nimport time\ntime.sleep(30)\nprint(\"never seen\")\n",
    );
    let mut child = match Command::new(BIN)
        .args(["run", &script])
        .env("ORM_TUTOR_HOME", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => panic!("cannot start {BIN}: {e}"),
    };
    let Some(out) = child.stdout.take() else {
        panic!("no stdout")
    };
    let mut seen = false;
    for line in BufReader::new(out).lines() {
        let Ok(line) = line else { break };
        if line == "first step done" {
            seen = true;
            break;
        }
    }
    let still_running = matches!(child.try_wait(), Ok(None));
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "the first step's output never came");
    assert!(
        still_running,
        "the first step's output came only after the script ended"
    );
}
