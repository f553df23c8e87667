//! The course and its engine, on the real lesson files: the whole course
//! checks clean, the exercises judge answers as they should, broken files
//! are reported with path and line, progress survives damage, lessons print
//! and resume.

use std::path::{Path, PathBuf};

use orm_tutor::lessons::exercise::{KNOWN_MISTAKE, Sandbox};
use orm_tutor::lessons::{self, Course, Options, ScriptedLines, Store, Style};

fn course_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

fn course() -> Course {
    let c = Course::load_dir(&course_dir());
    assert!(c.problems.is_empty(), "problems: {:?}", c.problems);
    c
}

fn text(out: Vec<u8>) -> String {
    String::from_utf8(out).unwrap()
}

/// Copies the real exercises into `dir/exercises`.
fn copy_exercises(dir: &Path) {
    let ex = dir.join("exercises");
    std::fs::create_dir_all(&ex).unwrap();
    for e in std::fs::read_dir(course_dir().join("exercises")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, ex.join(p.file_name().unwrap())).unwrap();
    }
}

#[test]
fn the_whole_course_checks_clean() {
    let c = course();
    let mut out = Vec::new();
    let code = lessons::check_course(&c, &mut out);
    let out = text(out);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("all good"), "{out}");
    for id in [
        "4.18", "4.18.1", "4.18.2", "4.18.3", "4.18.4", "4.18.5", "4.18.6", "4.18.7", "4.18.10",
    ] {
        assert!(c.lesson(id).is_some(), "lesson {id} is missing");
    }
    let ids: Vec<&str> = c.lessons.iter().map(|l| l.lesson.id.as_str()).collect();
    assert_eq!(ids[0], "4.18");
}

/// Whether the answer passes, and its reasons other than the known
/// mistake (see [`mistake`]).
fn judge(id: &str, code: &str) -> (bool, Vec<String>) {
    let (passed, reasons, _) = judge_all(id, code);
    (passed, reasons)
}

/// The known mistake a failing answer is told about.
fn mistake(id: &str, code: &str) -> Option<String> {
    judge_all(id, code).2
}

fn judge_all(id: &str, code: &str) -> (bool, Vec<String>, Option<String>) {
    let c = course();
    let ex = c.exercise(id).unwrap();
    let mut sb = Sandbox::new().unwrap();
    let (v, _) = sb.check_exercise(ex, code).unwrap();
    let reasons: Vec<String> = v
        .reasons
        .into_iter()
        .filter(|r| !r.starts_with(KNOWN_MISTAKE))
        .collect();
    (v.passed, reasons, v.mistake)
}

#[test]
fn eager_messages_passes_the_reference_and_fails_the_lazy_loop() {
    let c = course();
    let ex = c.exercise("eager-messages").unwrap();
    assert!(judge("eager-messages", &ex.solution).0);
    let (passed, reasons) = judge(
        "eager-messages",
        "for u in session.query(User).order_by(User.id): print(u.name, len(u.messages))",
    );
    assert!(!passed);
    assert_eq!(
        reasons,
        vec![
            "ran 9 queries, at most 2 allowed: 1 query of your own, and the loop (line 1) lazy-loads User.messages 8 times"
        ]
    );
    // joinedload also does it, in one query
    assert!(
        judge(
            "eager-messages",
            "users = session.query(User).options(joinedload(User.messages)).order_by(User.id).all()\nfor u in users: print(u.name, len(u.messages))"
        )
        .0
    );
    let (passed, reasons) = judge(
        "eager-messages",
        "for u in session.query(User).options(selectinload(User.messages)).order_by(User.id): print(u.name, len(u.messages) + 1)",
    );
    assert!(!passed);
    assert_eq!(
        reasons,
        vec!["printed 'Alice 5' where the reference printed 'Alice 4' (line 1 of the output)"]
    );
}

#[test]
fn bulk_insert_users_takes_one_statement() {
    let c = course();
    let ex = c.exercise("bulk-insert-users").unwrap();
    assert!(judge("bulk-insert-users", &ex.solution).0);
    // the legacy method sends the same executemany
    assert!(
        judge(
            "bulk-insert-users",
            "session.bulk_insert_mappings(User, new_users)\nsession.commit()"
        )
        .0
    );
    let (passed, reasons) = judge(
        "bulk-insert-users",
        "session.add_all([User(**d) for d in new_users])\nsession.commit()",
    );
    assert!(!passed);
    assert_eq!(
        reasons,
        vec!["ran 5 queries, at most 1 allowed: 5 statements sent by flush or commit"]
    );
    let m = mistake(
        "bulk-insert-users",
        "for d in new_users:\n    session.execute(insert(User).values(**d))\nsession.commit()",
    );
    assert!(m.is_some_and(|m| m.contains("one `insert().values(...)` per dict")));
}

#[test]
fn repository_by_email_returns_none_for_nobody() {
    let c = course();
    let ex = c.exercise("repository-by-email").unwrap();
    assert!(judge("repository-by-email", &ex.solution).0);
    // scalar_one_or_none() through execute() is the seed's spelling
    let seed = "class UserRepository:\n    def __init__(self, db):\n        self.db = db\n    def get_by_email(self, email):\n        stmt = select(User).where(User.email == email)\n        return self.db.execute(stmt).scalar_one_or_none()\nrepo = UserRepository(session)\nfor e in emails:\n    u = repo.get_by_email(e)\n    print(u.name if u else None)";
    assert!(judge("repository-by-email", seed).0);
    let m = mistake(
        "repository-by-email",
        &ex.solution.replace("one_or_none()", "one()"),
    );
    assert!(m.is_some_and(|m| m.contains("NoResultFound")));
}

#[test]
fn rename_bob_needs_a_commit() {
    let c = course();
    let ex = c.exercise("rename-bob").unwrap();
    assert!(judge("rename-bob", &ex.solution).0);
    let (passed, reasons) = judge(
        "rename-bob",
        "bob = session.get(User, 2)\nbob.name = \"Robert\"",
    );
    assert!(!passed);
    assert_eq!(
        reasons,
        vec![
            "the database differs: users has no row '2 Robert bob@example.com True 2', and an unexpected row '2 Bob bob@example.com True 2'"
        ]
    );
    // an update through a query also counts
    assert!(
        judge(
            "rename-bob",
            "session.query(User).filter(User.id == 2).one().name = \"Robert\"\nsession.commit()"
        )
        .0
    );
}

#[test]
fn recover_from_integrity_error_needs_a_rollback() {
    let c = course();
    let ex = c.exercise("recover-from-integrity-error").unwrap();
    assert!(judge("recover-from-integrity-error", &ex.solution).0);
    let (passed, reasons) = judge(
        "recover-from-integrity-error",
        "session.add(User(name=\"Ivan\", email=\"ivan@example.com\"))\nsession.commit()",
    );
    assert!(!passed);
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(reasons[0].starts_with(
        "line 2 raised PendingRollbackError: This Session's transaction has been rolled back"
    ));
    assert!(reasons[0].ends_with("— call session.rollback() after a failed commit"));
    assert_eq!(
        reasons[1],
        "`session` is not usable after your code: a query in it raised PendingRollbackError: This Session's transaction has been rolled back due to a previous exception during flush — call session.rollback() after a failed commit"
    );
    assert_eq!(
        reasons[2],
        "the database differs: users has no row 'Ivan ivan@example.com'"
    );
    // Ivan saved through a second session: the database is right, but
    // `session` is still broken, and the verdict says so
    let other = "with Session(engine) as other:\n    other.add(User(name=\"Ivan\", email=\"ivan@example.com\"))\n    other.commit()";
    let (passed, reasons, named) = judge_all("recover-from-integrity-error", other);
    assert!(!passed);
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].starts_with(
        "`session` is not usable after your code: a query in it raised PendingRollbackError"
    ));
    assert!(named.is_some_and(|m| m.starts_with("you saved Ivan through a second session")));
    assert!(
        mistake(
            "eager-messages",
            "for u in session.query(User).order_by(User.id): print(u.name, len(u.messages))"
        )
        .is_some_and(|m| m.starts_with("the lazy-loading loop"))
    );
}

#[test]
fn async_eager_roles_passes_eager_loads_and_fails_the_lazy_loop() {
    let c = course();
    let ex = c.exercise("async-eager-roles").unwrap();
    assert!(judge("async-eager-roles", &ex.solution).0);
    // joinedload works as well (tests/golden/cases/l187-async-practice.py)
    assert!(
        judge(
            "async-eager-roles",
            "result = await db.execute(select(User).options(joinedload(User.role)).order_by(User.id))\n\
             for u in result.scalars().all(): print(u.name, u.role.name if u.role else None)"
        )
        .0
    );
    let (passed, reasons) = judge(
        "async-eager-roles",
        "result = await db.execute(select(User).order_by(User.id))\n\
         for u in result.scalars().all(): print(u.name, u.role.name if u.role else None)",
    );
    assert!(!passed);
    assert!(
        reasons[0].starts_with("line 2 raised MissingGreenlet: greenlet_spawn has not been called"),
        "{reasons:?}"
    );
    assert_eq!(
        reasons[1],
        "printed nothing where the reference printed 8 lines (first: 'Alice admin')"
    );
}

#[test]
fn async_new_message_id_needs_a_reload_after_the_commit() {
    let c = course();
    let ex = c.exercise("async-new-message-id").unwrap();
    assert!(judge("async-new-message-id", &ex.solution).0);
    // reading the id after a flush, before the commit, works as well
    // (tests/golden/cases/l187-async-new-message-id.py)
    assert!(
        judge(
            "async-new-message-id",
            "m = Message(user_id=1, content=\"hello async\")\n\
             db.add(m)\n\
             await db.flush()\n\
             print(m.id)\n\
             await db.commit()"
        )
        .0
    );
    let (passed, reasons) = judge(
        "async-new-message-id",
        "m = Message(user_id=1, content=\"hello async\")\n\
         db.add(m)\n\
         await db.commit()\n\
         print(m.id)",
    );
    assert!(!passed);
    assert!(
        reasons[0].starts_with("line 4 raised MissingGreenlet"),
        "{reasons:?}"
    );
    assert!(
        mistake(
            "async-new-message-id",
            "m = Message(user_id=1, content=\"hello async\")\ndb.add(m)\ndb.commit()\nprint(m.id)"
        )
        .is_some_and(|m| m.starts_with("without await, db.commit()"))
    );
}

#[test]
fn detached_messages_fails_the_detached_loop() {
    let c = course();
    let ex = c.exercise("detached-messages").unwrap();
    assert!(judge("detached-messages", &ex.solution).0);
    // merging the user back also works
    assert!(
        judge(
            "detached-messages",
            "user = session.merge(user)\nfor m in user.messages: print(m.content)"
        )
        .0
    );
    let (passed, reasons) = judge(
        "detached-messages",
        "for m in user.messages: print(m.content)",
    );
    assert!(!passed);
    assert!(
        reasons[0].starts_with(
            "line 1 raised DetachedInstanceError: Parent instance <User> is not bound"
        )
    );
    assert_eq!(
        reasons[1],
        "printed nothing where the reference printed 3 lines (first: 'New here.')"
    );
}

#[test]
fn check_answer_reports_pass_fail_and_bad_input() {
    let c = course();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::in_dir(dir.path());
    let good = dir.path().join("good.py");
    std::fs::write(&good, c.exercise("rename-bob").unwrap().solution.clone()).unwrap();
    let bad = dir.path().join("bad.py");
    std::fs::write(&bad, "bob = session.get(User, 2)\nbob.name = 'Robert'\n").unwrap();

    let mut out = Vec::new();
    assert_eq!(
        lessons::check_answer_with(
            &c,
            "rename-bob",
            &bad,
            Some(&store),
            &mut out,
            &mut Vec::new()
        ),
        1
    );
    let s = text(out);
    assert!(
        s.starts_with("FAIL\n  - a known mistake: a flush sends the UPDATE inside the transaction, but\n    without a commit it is rolled back when the session ends\n  - the database differs"),
        "{s}"
    );

    let mut out = Vec::new();
    assert_eq!(
        lessons::check_answer_with(
            &c,
            "rename-bob",
            &good,
            Some(&store),
            &mut out,
            &mut Vec::new()
        ),
        0
    );
    assert_eq!(text(out), "PASS\n");

    let (p, _) = store.load();
    let rec = &p.exercises["rename-bob"];
    assert!(rec.passed);
    assert_eq!(rec.attempts, 2);

    let mut out = Vec::new();
    let mut err = Vec::new();
    assert_eq!(
        lessons::check_answer_with(&c, "rename-bobb", &good, None, &mut out, &mut err),
        2
    );
    // errors go to stderr, so a grader reading stdout sees only verdicts
    assert!(text(out).is_empty());
    assert!(text(err).contains("did you mean 'rename-bob'?"));
    let mut out = Vec::new();
    let mut err = Vec::new();
    assert_eq!(
        lessons::check_answer_with(
            &c,
            "rename-bob",
            &dir.path().join("missing.py"),
            None,
            &mut out,
            &mut err
        ),
        2
    );
    assert!(text(out).is_empty());
    assert!(text(err).starts_with("cannot read "), "errors on stderr");
}

#[test]
fn a_broken_lesson_is_reported_with_path_and_line_and_the_others_load() {
    let dir = tempfile::tempdir().unwrap();
    copy_exercises(dir.path());
    std::fs::copy(
        course_dir().join("4.18.3.ron"),
        dir.path().join("4.18.3.ron"),
    )
    .unwrap();
    // bad RON: a missing comma on line 4
    std::fs::write(
        dir.path().join("9.1.ron"),
        "Lesson(\n    id: \"9.1\",\n    title: \"Broken\"\n    steps: [],\n)\n",
    )
    .unwrap();
    // an unknown exercise id on line 5
    std::fs::write(
        dir.path().join("9.2.ron"),
        "Lesson(\n    id: \"9.2\",\n    title: \"Unknown exercise\",\n    steps: [\n        Exercise(\"eager-mesages\"),\n    ],\n)\n",
    )
    .unwrap();
    // code that does not parse, on line 6 (the second line of the demo)
    std::fs::write(
        dir.path().join("9.3.ron"),
        "Lesson(\n    id: \"9.3\",\n    title: \"Bad code\",\n    steps: [\n        Demo(code: r#\"users = session.query(User).all()\nfor u in users print(u)\"#),\n    ],\n)\n",
    )
    .unwrap();
    let c = Course::load_dir(dir.path());
    let ids: Vec<&str> = c.lessons.iter().map(|l| l.lesson.id.as_str()).collect();
    assert_eq!(ids, vec!["4.18.3"]);
    assert_eq!(c.problems.len(), 3, "{:?}", c.problems);
    let shown: Vec<String> = c.problems.iter().map(|p| p.to_string()).collect();
    let find = |file: &str| shown.iter().find(|s| s.contains(file)).cloned().unwrap();
    let p1 = find("9.1.ron");
    assert!(p1.contains("9.1.ron:4:"), "{p1}");
    assert!(p1.contains("Expected"), "{p1}");
    let p2 = find("9.2.ron");
    assert!(p2.contains("9.2.ron:5:"), "{p2}");
    assert!(
        p2.contains("unknown exercise id 'eager-mesages' (did you mean 'eager-messages'?)"),
        "{p2}"
    );
    let p3 = find("9.3.ron");
    assert!(p3.contains("9.3.ron:6:"), "{p3}");
    assert!(
        p3.contains("step 1 (Demo): the code does not parse: SyntaxError"),
        "{p3}"
    );
    // the check reports them and fails
    let mut out = Vec::new();
    assert_eq!(lessons::check_course(&c, &mut out), 1);
    assert!(text(out).contains("9.2.ron:5:"));
}

#[test]
fn a_damaged_progress_file_is_set_aside() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::in_dir(dir.path());
    std::fs::write(&store.path, "{ this is not json").unwrap();
    let (p, warnings) = store.load();
    assert_eq!(p, lessons::Progress::default());
    assert_eq!(warnings.len(), 1);
    assert!(warnings[0].contains("damaged"), "{warnings:?}");
    assert!(dir.path().join("progress.json.bad").is_file());
    assert!(!store.path.exists());
    // and progress goes on
    let w = store.update(|p| {
        p.exercises.entry("rename-bob".into()).or_default().passed = true;
    });
    assert!(w.is_empty());
    let (p, w) = store.load();
    assert!(w.is_empty());
    assert!(p.exercises["rename-bob"].passed);
    // no temporary files are left behind
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

fn opts(restart: bool, print: bool) -> Options {
    Options {
        restart,
        print,
        style: Style::plain(),
        step: None,
    }
}

#[test]
fn printing_the_first_lesson_runs_its_demos() {
    let c = course();
    let mut out = Vec::new();
    let code = lessons::run_lesson_with(
        &c,
        "4.18",
        opts(false, true),
        &mut ScriptedLines::default(),
        &mut out,
        None,
    );
    let s = text(out);
    assert_eq!(code, 0);
    assert!(s.starts_with("Lesson 4.18 — "));
    // SQL of the demos, the N+1 lazy loads and the eager load's IN query
    assert!(
        s.contains("WHERE users.is_active = 1 ORDER BY users.name"),
        "{s}"
    );
    assert!(s.contains("-- lazy load of User.messages"));
    assert!(s.contains("WHERE messages.user_id IN (?, ?, ?, ?, ?, ?, ?, ?)"));
    assert!(s.contains("INSERT INTO users (name, email, is_active, role_id, created_at)"));
    assert!(s.contains("DetachedInstanceError"));
    assert!(
        s.contains("8 queries: 8 lazy loads of User.messages"),
        "{s}"
    );
    assert!(s.contains("Exercise eager-messages:"));
    // a step that starts over says so, once per such step after the first
    let fresh_steps = s
        .matches("(This step starts on a fresh database and session")
        .count();
    assert!(fresh_steps >= 1, "{s}");
    // no colors in a handout
    assert!(!s.contains('\u{1b}'));
}

#[test]
fn a_lesson_resumes_where_the_learner_left_and_restarts_on_request() {
    let c = course();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::in_dir(dir.path());
    // 4.18.3: Text, Predict, Text, Predict, ...; go through two steps, quit
    let mut input = ScriptedLines::new(["", "9", "", "q"]);
    let mut out = Vec::new();
    assert_eq!(
        lessons::run_lesson_with(
            &c,
            "4.18.3",
            opts(false, false),
            &mut input,
            &mut out,
            Some(&store)
        ),
        0
    );
    let s = text(out);
    assert!(s.contains("You said 9; it ran 9 queries."), "{s}");
    assert!(s.contains("Stopped at step 3 of"), "{s}");
    let (p, _) = store.load();
    assert_eq!(p.lessons["4.18.3"].step, 2);

    // resuming starts at step 3, with the session rebuilt behind it
    let mut input = ScriptedLines::new(["", "8", "q"]);
    let mut out = Vec::new();
    lessons::run_lesson_with(
        &c,
        "4.18.3",
        opts(false, false),
        &mut input,
        &mut out,
        Some(&store),
    );
    let s = text(out);
    assert!(s.contains("Resuming at step 3 of"), "{s}");
    assert!(!s.contains("Eight users. How many queries?"));
    assert!(s.contains("You said 8; it ran 8 queries."), "{s}");

    // --restart goes back to the beginning
    let mut input = ScriptedLines::new(["q"]);
    let mut out = Vec::new();
    lessons::run_lesson_with(
        &c,
        "4.18.3",
        opts(true, false),
        &mut input,
        &mut out,
        Some(&store),
    );
    let s = text(out);
    assert!(!s.contains("Resuming"));
    assert!(s.contains("Stopped at step 1 of"), "{s}");

    // an unknown lesson
    let mut out = Vec::new();
    assert_eq!(
        lessons::run_lesson_with(
            &c,
            "4.99",
            opts(false, false),
            &mut ScriptedLines::default(),
            &mut out,
            None
        ),
        2
    );
}

#[test]
fn a_wrong_prediction_is_shown_beside_the_real_count() {
    let c = course();
    let mut input = ScriptedLines::new(["", "2", "q"]);
    let mut out = Vec::new();
    lessons::run_lesson_with(&c, "4.18.3", opts(true, false), &mut input, &mut out, None);
    let s = text(out);
    assert!(s.contains("✗ You said 2; it ran 9 queries."), "{s}");
}

#[test]
fn try_steps_and_inline_exercises_take_typed_code() {
    let dir = tempfile::tempdir().unwrap();
    copy_exercises(dir.path());
    std::fs::write(
        dir.path().join("1.ron"),
        r##"Lesson(
    id: "1",
    title: "Tiny",
    steps: [
        Try(
            prompt: "Print Bob's email.",
            check: [NoError, SameOutput, MaxQueries(1)],
            hint: "session.get(User, 2)",
            solution: r#"print(session.get(User, 2).email)"#,
        ),
        Exercise("rename-bob"),
        Text("The end."),
    ],
)"##,
    )
    .unwrap();
    let c = Course::load_dir(dir.path());
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    let store = Store::in_dir(dir.path());
    let mut input = ScriptedLines::new([
        // the Try step
        "hint",
        "u = session.get(User, 2)",
        "print(u.name)",
        ".tables",
        ".current",
        "undo",
        "undo",
        "print(session.get(User, 2).email)",
        "",
        // the exercise
        ".hint",
        "bob = session.get(User, 2)",
        "bob.name = \"Robert\"",
        ".session",
        ".nope",
        ".check",
        "session.commit()",
        ".check",
        "",
        "",
    ]);
    let mut out = Vec::new();
    assert_eq!(
        lessons::run_lesson_with(
            &c,
            "1",
            opts(false, false),
            &mut input,
            &mut out,
            Some(&store)
        ),
        0
    );
    let s = text(out);
    assert!(s.contains("Hint: session.get(User, 2)"), "{s}");
    assert!(s.contains("Not yet: printed 'Bob'"), "{s}");
    assert!(s.contains("✓ That does it."), "{s}");
    assert!(s.contains("Hint 1/3:"), "{s}");
    // the REPL's meta commands work at both prompts; unknown ones are named
    assert!(
        s.contains("roles  groups  users  user_groups  profiles  messages"),
        "{s}"
    );
    assert!(
        s.contains("PRAGMA main.table_info(\"alembic_version\")"),
        "{s}"
    );
    assert!(s.contains("dirty"), "{s}");
    assert!(s.contains("unknown command .nope; .help lists them"), "{s}");
    assert!(
        s.contains("FAIL\n  - a known mistake: a flush sends the UPDATE"),
        "{s}"
    );
    assert!(s.contains("\n  - the database differs"), "{s}");
    assert!(s.contains("PASS"), "{s}");
    assert!(s.contains("End of lesson 1."), "{s}");
    let (p, _) = store.load();
    assert!(p.exercises["rename-bob"].passed);
    assert!(p.lessons["1"].finished);
}

#[test]
fn the_exercise_prompt_checks_hints_and_quits() {
    let c = course();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::in_dir(dir.path());
    let mut input = ScriptedLines::new([
        "for u in session.query(User).order_by(User.id): print(u.name, len(u.messages))",
        "",
        ".check",
        ".hint",
        ".solution",
        ".reset",
        "for u in session.query(User).options(selectinload(User.messages)).order_by(User.id):",
        "    print(u.name, len(u.messages))",
        "",
        ".check",
    ]);
    let mut out = Vec::new();
    let code = lessons::open_exercise_with(
        &c,
        "eager-messages",
        &mut input,
        &mut out,
        Some(&store),
        Style::plain(),
    );
    let s = text(out);
    assert_eq!(code, 0);
    assert!(s.contains("Alice 4"), "{s}");
    assert!(
        s.contains("FAIL\n  - a known mistake: the lazy-loading loop: 1 query for the users, then 1 per\n    user (9 in all)\n  - ran 9 queries, at most 2 allowed"),
        "{s}"
    );
    assert!(s.contains("Hint 1/3:"), "{s}");
    assert!(s.contains("A solution:"), "{s}");
    assert!(s.contains("PASS"), "{s}");
    let (p, _) = store.load();
    assert!(p.exercises["eager-messages"].passed);
    assert_eq!(p.exercises["eager-messages"].attempts, 2);

    let mut out = Vec::new();
    let code = lessons::open_exercise_with(
        &c,
        "no-such-thing",
        &mut ScriptedLines::default(),
        &mut out,
        None,
        Style::plain(),
    );
    assert_eq!(code, 2);
}

#[test]
fn lists_show_progress() {
    let c = course();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::in_dir(dir.path());
    store.update(|p| {
        p.exercises.entry("rename-bob".into()).or_default().passed = true;
    });
    let mut out = Vec::new();
    orm_tutor::lessons::practice::list(&c, Some(&store), &mut out, Style::plain());
    let s = text(out);
    assert!(s.contains("passed   rename-bob"), "{s}");
    assert!(s.contains("new      eager-messages"), "{s}");
    assert!(s.contains("1 of "), "{s}");
    let mut out = Vec::new();
    lessons::list_lessons_with(&c, Some(&store), &mut out);
    assert!(text(out).contains("4.18.6"));
}

#[test]
fn prose_keeps_code_spans_whole_and_wraps() {
    use orm_tutor::lessons::text;
    let style = Style {
        color: false,
        width: 30,
        height: None,
    };
    let out = text::render(
        "Call `session.rollback()` after a *failed* commit, then go on.\n\n- one item\n- two",
        style,
    );
    assert_eq!(
        out,
        "Call `session.rollback()`\nafter a failed commit, then go\non.\n\n  • one item\n  • two\n\n"
    );
    let code = text::render(
        "Before:\n\n```\n    x = 1\n    y = 2\n```\nAfter.",
        Style::plain(),
    );
    assert_eq!(code, "Before:\n\n    x = 1\n    y = 2\n\nAfter.\n\n");
}

#[test]
fn every_lesson_can_be_walked_through_in_color() {
    use orm_tutor::lessons::model::Step;
    let c = course();
    for l in &c.lessons {
        let mut lines: Vec<&str> = Vec::new();
        for s in &l.lesson.steps {
            match s {
                Step::Text(_) | Step::Demo(_) => lines.push(""),
                Step::Predict(_) => lines.extend(["", ""]),
                Step::Try(_) => lines.extend(["skip", ""]),
                Step::Exercise(_) => lines.push(".skip"),
            }
        }
        let mut input = ScriptedLines::new(lines);
        let mut out = Vec::new();
        let style = Style {
            color: true,
            width: 80,
            height: None,
        };
        let opts = Options {
            restart: true,
            print: false,
            style,
            step: None,
        };
        let code = lessons::run_lesson_with(&c, &l.lesson.id, opts, &mut input, &mut out, None);
        let s = text(out);
        assert_eq!(code, 0);
        assert!(
            s.contains(&format!("End of lesson {}.", l.lesson.id)),
            "{s}"
        );
        assert!(input.lines.is_empty());
    }
}

/// An answer that prints what it copied from the fixture passes on the
/// fixture's rows, and fails on its second dataset (`data.perturbed.ron`)
/// with a reason that says so.
#[test]
fn copied_output_fails_on_the_second_dataset() {
    let copied = r#"session.add(User(name="Zoe", email="zoe@example.com"))
print(9)
session.rollback()"#;
    let (passed, reasons) = judge("count-without-saving", copied);
    assert!(!passed);
    assert_eq!(
        reasons,
        vec![
            "with other rows in the database (the same task on a second dataset): printed '9' where the reference printed '11' (line 1 of the output)"
        ]
    );
    // the real answer passes on both datasets, and so does a wrong answer's
    // first-dataset failure stay the only reason (no second run)
    let c = course();
    let ex = c.exercise("count-without-saving").unwrap();
    assert!(judge("count-without-saving", &ex.solution).0);
    let (passed, reasons) = judge("count-without-saving", "print(8)");
    assert!(!passed);
    assert!(
        reasons.iter().all(|r| !r.starts_with("with other rows")),
        "{reasons:?}"
    );
    // the blog fixture has one too: deleting comments by id is caught
    let (passed, reasons) = judge(
        "delete-post-with-comments",
        "session.execute(delete(Comment).where(Comment.id.in_([7, 8])))\nsession.execute(delete(Post).where(Post.id == 5))\nsession.commit()",
    );
    assert!(!passed);
    assert!(
        reasons[0].starts_with("with other rows in the database"),
        "{reasons:?}"
    );
}

/// The Try steps of 4.18 whose prompt names `what` (the blog's models).
fn blog_try(what: &str) -> (String, lessons::model::Try) {
    let c = course();
    let l = c.lesson("4.18").unwrap();
    let t = l
        .steps
        .iter()
        .find_map(|s| match s {
            lessons::model::Step::Try(t) if t.prompt.contains(what) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no Try step about {what}"));
    (l.fixture.clone(), t)
}

/// 4.18's practice: the learner's blog models are read back from the
/// database (columns, unique constraints, foreign keys, saved rows), and a
/// relationship whose other side is missing fails as in SQLAlchemy.
#[test]
fn the_blog_model_try_steps_check_columns_keys_and_relationships() {
    let mut sb = Sandbox::new().unwrap();
    let (fx, author) = blog_try("Define `Author`");
    let (v, _) = sb.check_try(&fx, &author, &author.solution).unwrap();
    assert!(v.passed, "{:?}", v.reasons);
    // email not unique
    let loose = author.solution.replace("unique=True, ", "");
    let (v, _) = sb.check_try(&fx, &author, &loose).unwrap();
    assert!(!v.passed);
    assert!(
        v.reasons.iter().any(|r| r.contains("unique ['email']")),
        "{:?}",
        v.reasons
    );
    // name may be NULL
    let nullable = author
        .solution
        .replace("String(100), nullable=False", "String(100)");
    let (v, _) = sb.check_try(&fx, &author, &nullable).unwrap();
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("'name VARCHAR(100) NOT NULL'")),
        "{:?}",
        v.reasons
    );

    let (fx, post) = blog_try("Define `Post`");
    let (v, _) = sb.check_try(&fx, &post, &post.solution).unwrap();
    assert!(v.passed, "{:?}", v.reasons);
    // no `author` side for Author.posts' back_populates
    let one_sided = post.solution.replace(
        "    author = relationship(\"Author\", back_populates=\"posts\")\n",
        "",
    );
    assert_ne!(one_sided, post.solution);
    let (v, _) = sb.check_try(&fx, &post, &one_sided).unwrap();
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("InvalidRequestError") && r.contains("has no property 'author'")),
        "{:?}",
        v.reasons
    );
    // no foreign key: the relationship cannot find its join either
    let no_fk = post.solution.replace(
        "Column(Integer, ForeignKey(\"authors.id\"), nullable=False)",
        "Column(Integer, nullable=False)",
    );
    assert_ne!(no_fk, post.solution);
    let (v, _) = sb.check_try(&fx, &post, &no_fk).unwrap();
    assert!(!v.passed);
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("author_id references authors.id")),
        "{:?}",
        v.reasons
    );

    let (fx, comment) = blog_try("Define `Comment`");
    let (v, _) = sb.check_try(&fx, &comment, &comment.solution).unwrap();
    assert!(v.passed, "{:?}", v.reasons);
    let to_authors = comment
        .solution
        .replace("ForeignKey(\"posts.id\")", "ForeignKey(\"authors.id\")");
    let (v, _) = sb.check_try(&fx, &comment, &to_authors).unwrap();
    assert!(!v.passed);
    assert!(
        v.reasons
            .iter()
            .any(|r| r.contains("post_id references posts.id")),
        "{:?}",
        v.reasons
    );
}

/// The four blog functions of 4.18's practice run on the `authors`
/// fixture: each reference passes on both datasets, and a copied answer
/// fails on the second.
#[test]
fn the_blog_function_exercises_are_in_lesson_4_18_and_check_both_datasets() {
    let c = course();
    let l = c.lesson("4.18").unwrap();
    let ids: Vec<&str> = l
        .steps
        .iter()
        .filter_map(|s| match s {
            lessons::model::Step::Exercise(id) => Some(id.as_str()),
            _ => None,
        })
        .filter(|id| id.starts_with("blog-"))
        .collect();
    assert_eq!(
        ids,
        [
            "blog-create-author",
            "blog-posts-by-author",
            "blog-post-with-comments",
            "blog-comment-counts"
        ]
    );
    for id in ids {
        let ex = c.exercise(id).unwrap();
        assert_eq!(ex.fixture, "authors");
        assert!(judge(id, &ex.solution).0, "{id}");
    }
    let (passed, reasons) = judge(
        "blog-posts-by-author",
        "print(3, \"Can machines think?\")\nprint(4, \"On computable numbers, simply\")\nprint(5, \"Draft: morphogenesis\")",
    );
    assert!(!passed);
    assert!(
        reasons[0].starts_with("with other rows in the database")
            && reasons[0].contains("where the reference printed '2 On computable numbers, simply'"),
        "{reasons:?}"
    );
    assert_eq!(
        mistake(
            "blog-post-with-comments",
            "def post_with_comments(session, post_id):\n    return session.get(Post, post_id)\n\nwith Session(engine) as s:\n    post = post_with_comments(s, 3)\nprint(post.title)\nfor c in post.comments:\n    print(c.author_name + \":\", c.content)"
        )
        .as_deref()
        .map(|m| m.starts_with("`session.get()` loads the post but not its comments")),
        Some(true)
    );
}
