//! `orm-tutor --db FILE`: what was committed is in the file after the tutor
//! exits, killed or not, and what was not committed is not. The test kills
//! the real binary in the middle of a transaction and reopens the file.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_orm-tutor");

fn names_in(path: &std::path::Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("reopen the file");
    let mut stmt = conn
        .prepare("SELECT name FROM users WHERE id > 8 ORDER BY id")
        .expect("query");
    let rows = stmt.query_map([], |r| r.get::<_, String>(0)).expect("rows");
    rows.map(|r| r.expect("name")).collect()
}

#[test]
fn committed_work_survives_a_kill_and_uncommitted_work_does_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("chat.db");
    let mut child = Command::new(BIN)
        .args(["--no-color", "--db"])
        .arg(&db)
        .env("ORM_TUTOR_HOME", dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start orm-tutor");
    let mut stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("flushed") {
                let _ = tx.send(());
            }
        }
    });
    writeln!(
        stdin,
        "session.add(User(name=\"Kept\", email=\"kept@x.org\"))\nsession.commit()\n\
         session.add(User(name=\"Lost\", email=\"lost@x.org\"))\nsession.flush()\nprint(\"flushed\")"
    )
    .expect("write lines");
    stdin.flush().expect("flush");
    rx.recv_timeout(Duration::from_secs(30))
        .expect("the tutor ran the lines");
    // Killed mid-transaction: the INSERT of Lost was sent but not committed.
    child.kill().expect("kill");
    let _ = child.wait();
    drop(stdin);
    assert_eq!(names_in(&db), vec!["Kept".to_string()]);

    // Reopening keeps the file as it is (no reseeding).
    let out = Command::new(BIN)
        .args(["--no-color", "--db"])
        .arg(&db)
        .args(["run", "--format", "json", "-"])
        .env("ORM_TUTOR_HOME", dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .expect("stdin")
                .write_all(b"session.query(User).count()\nsession.query(User).filter_by(name='Lost').count()\n")?;
            c.wait_with_output()
        })
        .expect("run on the file");
    let trace: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json trace");
    assert_eq!(trace["steps"][0]["value"], 9);
    assert_eq!(trace["steps"][1]["value"], 0);
}

/// `orm-tutor run` ends without taking its loaded objects apart one by one
/// (`Tutor::end_at_exit`), yet still rolls back what was flushed and not
/// committed, leaving no hot journal next to the file; committed work stays.
#[test]
fn run_rolls_back_uncommitted_work_at_exit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("chat.db");
    let script = dir.path().join("script.py");
    std::fs::write(
        &script,
        "users = session.query(User).all()\n\
         session.add(User(name=\"Kept\", email=\"kept@x.org\"))\nsession.commit()\n\
         session.add(User(name=\"Lost\", email=\"lost@x.org\"))\nsession.flush()\n\
         users[0].name = 'Changed'\nsession.flush()\nprint(len(users))\n",
    )
    .expect("script");
    let out = Command::new(BIN)
        .args(["--no-color", "--db"])
        .arg(&db)
        .arg("run")
        .arg(&script)
        .env("ORM_TUTOR_HOME", dir.path())
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("\n8\n"));
    assert!(!dir.path().join("chat.db-journal").exists());
    assert_eq!(names_in(&db), vec!["Kept".to_string()]);
    let conn = rusqlite::Connection::open(&db).expect("reopen");
    let first: String = conn
        .query_row("SELECT name FROM users WHERE id = 1", [], |r| r.get(0))
        .expect("user 1");
    assert_ne!(first, "Changed");
}
