//! Revisions end to end: the REPL's `.revision`, `.upgrade`, `.downgrade`,
//! `.stamp`, `.current` and `.history` against what real Alembic sent for
//! the same three revisions and commands (`tests/revisions/alembic.json`,
//! written by `tests/revisions/record.py`): each command's statements and
//! transaction events exactly, Alembic's log lines and printed output, and
//! the error of a failing migration.

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::Event;
use orm_tutor::render::Palette;
use orm_tutor::repl::{ReplOptions, ScriptLines, Width, run_repl};
use orm_tutor::tutor::{DbTarget, Tutor};

fn start() -> Tutor {
    match Tutor::start(Fixture::chat(), DbTarget::Memory) {
        Ok(t) => t,
        Err(e) => panic!("the chat fixture should start: {e}"),
    }
}

/// Types `text` into the REPL of `tutor`; what it printed.
fn type_lines(tutor: &mut Tutor, text: &str) -> String {
    let mut source = ScriptLines::from_text(text);
    let mut out = Vec::new();
    let opts = ReplOptions {
        interactive: false,
        palette: Palette::PLAIN,
        width: Width::Fixed(None),
    };
    if let Err(e) = run_repl(tutor, &mut source, &mut out, &opts) {
        panic!("writing to a Vec failed: {e}");
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The three revisions of `record.py`, written as a learner writes them.
const REVISIONS: &str = r#"from alembic import op
import sqlalchemy as sa
def upgrade():
    op.add_column('users', sa.Column('age', sa.Integer(), nullable=True))

def downgrade():
    op.drop_column('users', 'age')

.revision -m "add age" --rev-id 1a2b3c4d5e6f
def upgrade():
    op.create_index('ix_users_age', 'users', ['age'])

def downgrade():
    op.drop_index('ix_users_age', table_name='users')

.revision -m "add index" --rev-id 2b3c4d5e6f70
def upgrade():
    op.add_column('users', sa.Column('nick', sa.String(), nullable=False))

def downgrade():
    op.drop_column('users', 'nick')

.revision -m "add nick" --rev-id 3c4d5e6f7081
"#;

/// `upgrade:+1` as the REPL command `.upgrade +1`.
fn repl_command(recorded: &str) -> String {
    match recorded.split_once(':') {
        Some((name, arg)) => format!(".{name} {arg}"),
        None => format!(".{recorded}"),
    }
}

fn events_json(events: &[Event]) -> Vec<serde_json::Value> {
    events
        .iter()
        .map(|e| match e {
            Event::Tx(t) => serde_json::json!([t.name()]),
            Event::Statement(s) => serde_json::json!(["SQL", s.sql]),
        })
        .collect()
}

/// Runs the recorded commands (`alembic.json`'s shape) on `tutor`, which
/// has [`REVISIONS`], comparing each with what Alembic did.
fn check_against(tutor: &mut Tutor, recorded_json: &str) {
    let recorded: Vec<serde_json::Value> = match serde_json::from_str(recorded_json) {
        Ok(v) => v,
        Err(e) => panic!("the recorded trace: {e}"),
    };
    let made = type_lines(tutor, REVISIONS);
    assert!(
        made.contains("Revision 3c4d5e6f7081 (add nick), revises 2b3c4d5e6f70"),
        "{made}"
    );
    for r in &recorded {
        let command = repl_command(r["command"].as_str().unwrap_or_default());
        let out = type_lines(tutor, &command);
        // Alembic's log lines and what the command printed, in order
        let mut rest = out.as_str();
        for line in r["stdout"].as_array().into_iter().flatten() {
            let line = line.as_str().unwrap_or_default().trim_end();
            match rest.find(line) {
                Some(at) => rest = &rest[at + line.len()..],
                None => panic!("{command}: no line {line:?} (in order) in\n{out}"),
            }
        }
        if command == ".history" {
            continue;
        }
        assert_eq!(
            serde_json::Value::Array(events_json(&tutor.last_events)),
            r["events"],
            "{command}:\n{out}"
        );
        match r["error"].as_array() {
            Some(e) => {
                let (kind, message) = (e[0].as_str().unwrap_or(""), e[1].as_str().unwrap_or(""));
                let first = message.lines().next().unwrap_or("");
                assert!(
                    out.contains(&format!("{kind}: {first}")),
                    "{command}: no {kind}: {first} in\n{out}"
                );
            }
            None => assert!(!out.contains("Error"), "{command}:\n{out}"),
        }
    }
}

#[test]
fn revision_commands_send_what_alembic_sends() {
    check_against(&mut start(), include_str!("revisions/alembic.json"));
}

/// The same on PostgreSQL (transactional DDL: one transaction a command),
/// on the server `ORM_TUTOR_TEST_PG` names, in a database of its own.
#[test]
fn revision_commands_send_what_alembic_sends_on_postgresql() {
    let url = match std::env::var("ORM_TUTOR_TEST_PG") {
        Ok(u) if !u.is_empty() => u,
        _ => {
            assert!(
                std::env::var("CI").is_err(),
                "ORM_TUTOR_TEST_PG is unset under CI"
            );
            eprintln!(
                "SKIPPED revision_commands_send_what_alembic_sends_on_postgresql: set ORM_TUTOR_TEST_PG=postgresql://… to run it"
            );
            return;
        }
    };
    let name = "orm_tutor_revisions";
    let mut admin = match postgres::Client::connect(&url, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => panic!("connecting to {url}: {e}"),
    };
    for sql in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        if let Err(e) = admin.batch_execute(&sql) {
            panic!("{sql}: {e}");
        }
    }
    let db_url = match url.rsplit_once('/') {
        Some((server, _)) => format!("{server}/{name}"),
        None => panic!("no database in {url}"),
    };
    let mut tutor = match Tutor::start(
        Fixture::chat(),
        DbTarget::Server {
            url: db_url.clone(),
            reset: false,
        },
    ) {
        Ok(t) => t,
        Err(e) => panic!("the chat fixture on {db_url}: {e}"),
    };
    check_against(
        &mut tutor,
        include_str!("revisions/alembic-postgresql.json"),
    );
    let out = type_lines(&mut tutor, ".autogenerate\n");
    assert!(
        out.contains("NotImplementedError: orm-tutor does not support .autogenerate on PostgreSQL"),
        "{out}"
    );
    // the version table goes with the tutor's own tables
    tutor.close();
    let mut check = match postgres::Client::connect(&db_url, postgres::NoTls) {
        Ok(c) => c,
        Err(e) => panic!("connecting to {db_url}: {e}"),
    };
    let left = check
        .query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'",
            &[],
        )
        .map(|rows| rows.len())
        .unwrap_or(usize::MAX);
    assert_eq!(left, 0);
}

/// `.autogenerate` makes the head revision, which `.upgrade` runs and
/// `.downgrade` undoes; a second `.autogenerate` before upgrading fails as
/// Alembic's (`Target database is not up to date.`); `.revision --edit`
/// replaces the head's functions until it has run.
#[test]
fn autogenerated_revisions_run_and_can_be_edited() {
    let mut tutor = start();
    let out = type_lines(
        &mut tutor,
        r#"class Tag(Base):
    __tablename__ = 'tags'
    id = Column(Integer, primary_key=True)
    label = Column(String(30), nullable=False)

.autogenerate -m "add tags" --rev-id aaaa00000001
.autogenerate -m again
.history
"#,
    );
    assert!(
        out.contains("Revision ID: aaaa00000001\nRevises: \n"),
        "{out}"
    );
    assert!(out.contains("# Added as revision aaaa00000001"), "{out}");
    assert!(
        out.contains("FAILED: Target database is not up to date."),
        "{out}"
    );
    assert!(
        out.contains("<base> -> aaaa00000001 (head), add tags"),
        "{out}"
    );
    // the learner's names are untouched by the generated file
    let out = type_lines(&mut tutor, "upgrade\n");
    assert!(
        out.contains("NameError: name 'upgrade' is not defined"),
        "{out}"
    );

    let out = type_lines(&mut tutor, ".upgrade\n");
    assert!(
        out.contains("Running upgrade  -> aaaa00000001, add tags"),
        "{out}"
    );
    assert!(
        out.contains("CREATE TABLE tags (\n\tid INTEGER NOT NULL,"),
        "{out}"
    );
    assert!(
        out.contains("INSERT INTO alembic_version (version_num) VALUES ('aaaa00000001') RETURNING version_num"),
        "{out}"
    );
    let out = type_lines(
        &mut tutor,
        ".autogenerate -m nothing --rev-id bbbb00000002\n",
    );
    assert!(out.contains("Revises: aaaa00000001\n"), "{out}");
    assert!(
        out.contains("down_revision: Union[str, Sequence[str], None] = 'aaaa00000001'"),
        "{out}"
    );
    assert!(out.contains("# No changes detected"), "{out}");

    // editing: refused once run, accepted before
    let out = type_lines(
        &mut tutor,
        r#"from alembic import op
def upgrade():
    op.execute("UPDATE users SET name = upper(name)")

def downgrade():
    op.execute("UPDATE users SET name = lower(name)")

.revision --edit
.upgrade
.revision --edit
.downgrade
.revision --edit
"#,
    );
    assert!(
        out.contains(
            "Revision bbbb00000002 (nothing) now runs upgrade() and downgrade() as defined now."
        ),
        "{out}"
    );
    assert!(out.contains("UPDATE users SET name = upper(name)"), "{out}");
    assert!(
        out.contains("ValueError: revision bbbb00000002 has run on this database already"),
        "{out}"
    );
    assert!(out.contains("UPDATE users SET name = lower(name)"), "{out}");
    let out = type_lines(&mut tutor, ".downgrade base\n.current\n");
    assert!(out.contains("DROP TABLE tags"), "{out}");
    assert!(
        out.contains(
            "DELETE FROM alembic_version WHERE alembic_version.version_num = 'aaaa00000001'"
        ),
        "{out}"
    );
}

/// What a learner gets wrong is said plainly, never a panic.
#[test]
fn mistakes_are_explained() {
    let mut tutor = start();
    let out = type_lines(
        &mut tutor,
        ".revision -m x\n.history\n.upgrade\n.downgrade\n.revision --edit\n",
    );
    assert!(
        out.contains(
            "NameError: name 'upgrade' is not defined: a revision is your `def upgrade(): …`"
        ),
        "{out}"
    );
    assert!(out.contains("No revisions yet"), "{out}");
    assert!(
        out.contains("FAILED: Relative revision -1 didn't produce 1 migrations"),
        "{out}"
    );
    let out = type_lines(
        &mut tutor,
        "upgrade = 1\ndef downgrade(): pass\n\n.revision -m x\ndef upgrade(): op.add_column('users', sa.Column('n', sa.Integer()))\n\n.revision -m x --rev-id \"a'b\"\n.revision -m x --rev-id r1\n.revision -m y --rev-id r1\n.upgrade\n.current\n",
    );
    assert!(
        out.contains("TypeError: upgrade is a int, not a function"),
        "{out}"
    );
    assert!(out.contains("ValueError: revision id 'a'b'"), "{out}");
    assert!(
        out.contains("ValueError: Revision r1 is present more than once"),
        "{out}"
    );
    // `op` was never imported: the revision's own NameError, with its traceback
    assert!(out.contains("NameError: name 'op' is not defined"), "{out}");
    assert!(out.contains("in upgrade"), "{out}");
    assert!(out.contains("ROLLBACK"), "{out}");
}

/// With `--db FILE` the revisions are files in `FILE.alembic/versions/`
/// (Alembic's `{id}_{slug}.py`), so the next session on the file has them
/// and can run them back down.
#[test]
fn revisions_persist_with_the_database_file() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("a temporary folder: {e}"),
    };
    let file = dir.path().join("chat.db");
    let open = || match Tutor::start(Fixture::chat(), DbTarget::File(file.clone())) {
        Ok(t) => t,
        Err(e) => panic!("the chat fixture on {}: {e}", file.display()),
    };
    {
        let mut tutor = open();
        let out = type_lines(&mut tutor, REVISIONS);
        assert!(!out.contains("note:"), "{out}");
        let out = type_lines(&mut tutor, ".upgrade 2b3c\n");
        assert!(
            out.contains("Running upgrade 1a2b3c4d5e6f -> 2b3c4d5e6f70, add index"),
            "{out}"
        );
    }
    let versions = dir.path().join("chat.db.alembic").join("versions");
    let saved = std::fs::read_to_string(versions.join("2b3c4d5e6f70_add_index.py"))
        .unwrap_or_else(|e| panic!("the revision file: {e}"));
    assert!(
        saved.starts_with("\"\"\"add index\n\nRevision ID: 2b3c4d5e6f70\nRevises: 1a2b3c4d5e6f\n"),
        "{saved}"
    );
    assert!(
        saved.contains("revision = '2b3c4d5e6f70'\ndown_revision = '1a2b3c4d5e6f'\n"),
        "{saved}"
    );
    assert!(
        saved.contains(
            "\n\ndef upgrade():\n    op.create_index('ix_users_age', 'users', ['age'])\n"
        ),
        "{saved}"
    );

    let mut tutor = open();
    let out = type_lines(&mut tutor, ".history\n.current\n.downgrade base\n");
    assert!(
        out.contains("2b3c4d5e6f70 -> 3c4d5e6f7081 (head), add nick\n1a2b3c4d5e6f -> 2b3c4d5e6f70, add index\n<base> -> 1a2b3c4d5e6f, add age\n"),
        "{out}"
    );
    assert!(out.contains("\n2b3c4d5e6f70\n"), "{out}");
    assert!(out.contains("DROP INDEX ix_users_age"), "{out}");
    assert!(out.contains("ALTER TABLE users DROP COLUMN age"), "{out}");
    assert!(!out.contains("Error"), "{out}");
}

/// The tutor's engines share one driver connection, where Alembic would
/// have its own: a transaction the learner left open is neither committed
/// nor rolled back by a revision command. `.current` leaves it alone;
/// `.upgrade` says what real Alembic would wait for.
#[test]
fn an_open_transaction_of_the_learner_is_left_alone() {
    let mut tutor = start();
    let out = type_lines(
        &mut tutor,
        "u = session.get(User, 1)\nu.name = 'Zed'\nsession.flush()\n.current\n.upgrade\n",
    );
    assert!(
        out.contains("OperationalError: (sqlite3.OperationalError) database is locked"),
        "{out}"
    );
    assert!(
        out.contains("session.commit() or session.rollback() first"),
        "{out}"
    );
    let out = type_lines(
        &mut tutor,
        "session.commit()\nprint(session.execute(text('SELECT name FROM users WHERE id = 1')).scalar())\n",
    );
    assert!(out.contains("Zed\n"), "{out}");
    assert!(!out.contains("Alice"), "{out}");
}
