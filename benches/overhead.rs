//! Overhead of the tutor over raw SQLite (`cargo bench`): start-up, and
//! each kind of line run through the whole pipeline (parse → interpret →
//! compile → SQLite → load objects) against the same SQL run straight on a
//! rusqlite connection with a cached prepared statement.
//!
//! A plain timing harness (no timed assertions): it prints the median time
//! per iteration and the ratio to raw SQLite.

use std::time::{Duration, Instant};

use orm_tutor::fixture::Fixture;
use orm_tutor::tutor::{DbTarget, Tutor};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<F: FnMut()>(iterations: usize, mut f: F) -> Duration {
    for _ in 0..iterations.min(20) {
        f();
    }
    let mut samples = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        f();
        samples.push(t.elapsed());
    }
    median(samples)
}

fn main() {
    let startup = time(30, || {
        let t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("fixture");
        std::hint::black_box(t);
    });
    println!("start-up (fixture, schema, rows, session): {startup:?}");

    let mut tutor = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("fixture");
    let raw = rusqlite::Connection::open_in_memory().expect("sqlite");
    raw.execute_batch(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100), email VARCHAR(255), is_active BOOLEAN, role_id INTEGER, created_at DATETIME);
         CREATE TABLE messages (id INTEGER PRIMARY KEY, user_id INTEGER, content VARCHAR, created_at DATETIME);",
    )
    .expect("schema");
    for i in 1..=8 {
        raw.execute(
            "INSERT INTO users VALUES (?, ?, ?, 1, 2, '2024-01-15 09:00:00.000000')",
            rusqlite::params![i, format!("U{i}"), format!("u{i}@x.org")],
        )
        .expect("row");
        for j in 0..3 {
            raw.execute(
                "INSERT INTO messages (user_id, content, created_at) VALUES (?, ?, '2024-08-02 09:07:00.000000')",
                rusqlite::params![i, format!("m{j}")],
            )
            .expect("row");
        }
    }
    let cases: &[(&str, &str, &str)] = &[
        (
            "filter + first()",
            "session.query(User).filter(User.name == 'Bob').first()",
            "SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email, users.is_active AS users_is_active, users.role_id AS users_role_id, users.created_at AS users_created_at \nFROM users \nWHERE users.name = ?\n LIMIT ? OFFSET ?",
        ),
        (
            "all users",
            "session.query(User).all()",
            "SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email, users.is_active AS users_is_active, users.role_id AS users_role_id, users.created_at AS users_created_at \nFROM users",
        ),
        (
            "selectinload (2 statements)",
            "session.query(User).options(selectinload(User.messages)).all()",
            "SELECT messages.user_id AS messages_user_id, messages.id AS messages_id, messages.content AS messages_content, messages.created_at AS messages_created_at \nFROM messages \nWHERE messages.user_id IN (?, ?, ?, ?, ?, ?, ?, ?)",
        ),
    ];
    println!(
        "{:<30} {:>12} {:>12} {:>8}",
        "line", "tutor", "raw sqlite", "ratio"
    );
    for (name, code, sql) in cases {
        let t = time(300, || {
            let steps = tutor.run_entry(code);
            std::hint::black_box(steps);
        });
        let r = time(300, || {
            let mut stmt = raw.prepare_cached(sql).expect("prepare");
            let n = stmt.column_count();
            let binds: Vec<rusqlite::types::Value> = if sql.contains("IN (") {
                (1..=8).map(rusqlite::types::Value::Integer).collect()
            } else if sql.contains("LIMIT") {
                vec!["U2".to_string().into(), 1.into(), 0.into()]
            } else {
                Vec::new()
            };
            let mut rows = stmt
                .query(rusqlite::params_from_iter(binds))
                .expect("query");
            let mut out = Vec::new();
            while let Some(row) = rows.next().expect("row") {
                for i in 0..n {
                    out.push(row.get::<_, rusqlite::types::Value>(i).expect("value"));
                }
            }
            std::hint::black_box(out);
        });
        println!(
            "{:<30} {:>12?} {:>12?} {:>7.1}x",
            name,
            t,
            r,
            t.as_secs_f64() / r.as_secs_f64().max(1e-9)
        );
    }
}
