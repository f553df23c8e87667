//! The scale benchmark (`cargo bench --bench workloads`): the same ORM
//! workloads on a generated chat database of N users × 10 messages (index
//! on `messages.user_id`), run three ways side by side —
//!
//! - the tutor: `orm-tutor --db FILE run SCRIPT` (the release binary, text
//!   output to /dev/null; one workload also with `--format json`),
//! - real SQLAlchemy 2.0 on Python's sqlite3, running the same script
//!   (`benches/sqlalchemy_run.py`; skipped when `python3 -c "import
//!   sqlalchemy"` fails),
//! - raw rusqlite: the statement sequence SQLAlchemy sends, on cached
//!   prepared statements, every value decoded, timed twice: inside this
//!   benchmark's own process (the statements alone, `raw`) and as a
//!   process of its own (`raw process`: this program re-executed with
//!   `ORM_TUTOR_BENCH_RAW_CHILD`, so its start — exec, dynamic loading,
//!   opening the file — is counted as the tutor's is) —
//!
//! and prints the median wall time of each with the tutor's ratios to the
//! others, the CPU time (user + system seconds) of each with the same
//! ratios, and the peak memory (maximum resident set) of the tutor's and
//! SQLAlchemy's processes. Whole processes are timed, start-up included, as a learner
//! waits for them. Wall time is what a learner feels on a quiet machine; CPU
//! time is the figure that stays comparable when other work shares the cores
//! (each program here runs on one thread).
//!
//! Sizes: `ORM_TUTOR_BENCH_USERS=1000,10000,100000` (default `1000,10000`);
//! runs per figure: `ORM_TUTOR_BENCH_RUNS` (default 3);
//! `ORM_TUTOR_BENCH_ONLY=selectin,subquery` keeps the workloads whose name
//! contains one of the words; `ORM_TUTOR_BENCH_SQLALCHEMY=0` skips
//! SQLAlchemy (tutor and raw only). The databases are
//! kept in the cargo target dir's `bench-data/`. Never run by `cargo test`: no figure here
//! is asserted.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

const TUTOR: &str = env!("CARGO_BIN_EXE_orm-tutor");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const USER_COLUMNS: &str =
    "users.id, users.name, users.email, users.is_active, users.role_id, users.created_at";
const MESSAGE_COLUMNS: &str =
    "messages.id, messages.user_id, messages.content, messages.created_at";

/// One workload: the script both ORMs run, and the raw statement sequence.
struct Workload {
    name: &'static str,
    script: &'static str,
    json: bool,
    raw: fn(&Connection, usize),
}

fn workloads() -> Vec<Workload> {
    vec![
        Workload {
            name: "start-up (empty script)",
            script: "",
            json: false,
            raw: |_, _| {},
        },
        Workload {
            name: "N+1: all users, len(u.messages)",
            script: "users = session.query(User).all()\ntotal = 0\nfor u in users:\n    total += len(u.messages)\nprint(total)\n",
            json: false,
            raw: raw_n_plus_one,
        },
        Workload {
            name: "selectinload(User.messages)",
            script: "users = session.query(User).options(selectinload(User.messages)).all()\ntotal = 0\nfor u in users:\n    total += len(u.messages)\nprint(total)\n",
            json: false,
            raw: raw_selectin,
        },
        Workload {
            name: "joinedload(User.messages)",
            script: "users = session.query(User).options(joinedload(User.messages)).all()\ntotal = 0\nfor u in users:\n    total += len(u.messages)\nprint(total)\n",
            json: false,
            raw: raw_joined,
        },
        Workload {
            name: "subqueryload(User.messages)",
            script: "users = session.query(User).options(subqueryload(User.messages)).all()\ntotal = 0\nfor u in users:\n    total += len(u.messages)\nprint(total)\n",
            json: false,
            raw: raw_subquery,
        },
        Workload {
            name: "query(Message).all()",
            script: "messages = session.query(Message).all()\nprint(len(messages))\n",
            json: false,
            raw: raw_all_messages,
        },
        Workload {
            name: "query(Message).all(), --format json",
            script: "messages = session.query(Message).all()\nprint(len(messages))\n",
            json: true,
            raw: raw_all_messages,
        },
        Workload {
            name: "add_all(N users) + commit",
            script: "session.add_all([User(name=f\"new{i}\", email=f\"new{i}@example.org\") for i in range(N)])\nsession.commit()\n",
            json: false,
            raw: raw_add_all,
        },
    ]
}

/// The environment variable that makes this program the raw-process
/// child: `INDEX:USERS:FILE` runs workload INDEX's raw statements on FILE
/// and exits.
const RAW_CHILD: &str = "ORM_TUTOR_BENCH_RAW_CHILD";

/// The raw rusqlite child: opens the file, runs the statements, exits.
fn raw_child(spec: &str) -> ! {
    let mut parts = spec.splitn(3, ':');
    let index: usize = parts.next().and_then(|s| s.parse().ok()).expect(RAW_CHILD);
    let users: usize = parts.next().and_then(|s| s.parse().ok()).expect(RAW_CHILD);
    let file = parts.next().expect(RAW_CHILD);
    let conn = Connection::open(file).expect("open");
    (workloads()[index].raw)(&conn, users);
    drop(conn);
    std::process::exit(0)
}

fn main() {
    if let Ok(spec) = std::env::var(RAW_CHILD) {
        raw_child(&spec);
    }
    let sizes: Vec<usize> = std::env::var("ORM_TUTOR_BENCH_USERS")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let runs: usize = std::env::var("ORM_TUTOR_BENCH_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
        .max(1);
    let only: Vec<String> = std::env::var("ORM_TUTOR_BENCH_ONLY")
        .map(|s| s.split(',').map(|w| w.trim().to_string()).collect())
        .unwrap_or_default();
    let want_python = std::env::var("ORM_TUTOR_BENCH_SQLALCHEMY").map_or(true, |v| v != "0");
    let python = want_python
        && Command::new("python3")
            .args(["-c", "import sqlalchemy"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    // The cargo target dir (this program is TARGET/release/deps/workloads-…).
    let dir = std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("bench-data")))
        .unwrap_or_else(|| Path::new(ROOT).join("target/bench-data"));
    std::fs::create_dir_all(&dir).expect("target/bench-data");
    println!(
        "median wall and CPU (user + system) seconds of {runs} run(s); SQLAlchemy {}",
        if python {
            "on python3"
        } else if want_python {
            "not installed: skipped"
        } else {
            "skipped (ORM_TUTOR_BENCH_SQLALCHEMY=0)"
        }
    );
    println!(
        "raw: the statements timed inside this process; raw process: the same statements as a process of its own, its start included (as the tutor's and SQLAlchemy's)"
    );
    println!(
        "| workload | users | tutor | SQLAlchemy | raw rusqlite | raw process | tutor / SQLAlchemy | tutor / raw | tutor CPU | SQLAlchemy CPU | raw CPU | raw process CPU | CPU tutor / SQLAlchemy | CPU tutor / raw | CPU tutor / raw process | tutor MiB | SQLAlchemy MiB |"
    );
    println!(
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    let me = std::env::current_exe().expect("the benchmark's own path");
    for &users in &sizes {
        let db = database(&dir, users);
        for (index, w) in workloads().into_iter().enumerate() {
            if !only.is_empty() && !only.iter().any(|o| w.name.contains(o.as_str())) {
                continue;
            }
            let script = dir.join("workload.py");
            std::fs::write(
                &script,
                w.script.replace("range(N)", &format!("range({users})")),
            )
            .expect("script");
            let work = dir.join("work.sqlite");
            let tutor = median_run(runs, || {
                std::fs::copy(&db, &work).expect("copy");
                let mut c = Command::new(TUTOR);
                c.arg("--db").arg(&work).arg("run").arg(&script);
                if w.json {
                    c.args(["--format", "json"]);
                }
                timed(c)
            });
            let sqlalchemy = python.then(|| {
                median_run(runs, || {
                    std::fs::copy(&db, &work).expect("copy");
                    let mut c = Command::new("python3");
                    c.arg(Path::new(ROOT).join("benches/sqlalchemy_run.py"))
                        .arg(&work)
                        .arg(&script)
                        .arg(Path::new(ROOT).join("fixtures/chat/models.py"));
                    timed(c)
                })
            });
            let raw = median_run(runs, || {
                std::fs::copy(&db, &work).expect("copy");
                let cpu = thread_cpu();
                let t = Instant::now();
                let conn = Connection::open(&work).expect("open");
                (w.raw)(&conn, users);
                drop(conn);
                Run {
                    wall: t.elapsed(),
                    cpu: thread_cpu().saturating_sub(cpu),
                    peak_kib: 0,
                }
            });
            // The same statements in a process of their own, start included.
            let raw_process = median_run(runs, || {
                std::fs::copy(&db, &work).expect("copy");
                let mut c = Command::new(&me);
                c.env(RAW_CHILD, format!("{index}:{users}:{}", work.display()));
                timed(c)
            });
            let secs = |d: Duration| format!("{:.3}", d.as_secs_f64());
            let ratio = |a: Duration, b: Duration| {
                format!("{:.2}", a.as_secs_f64() / b.as_secs_f64().max(1e-6))
            };
            let mib = |r: Run| format!("{:.0}", r.peak_kib as f64 / 1024.0);
            let or_dash = |s: Option<String>| s.unwrap_or_else(|| "—".into());
            println!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                w.name,
                users,
                secs(tutor.wall),
                or_dash(sqlalchemy.map(|s| secs(s.wall))),
                secs(raw.wall),
                secs(raw_process.wall),
                or_dash(sqlalchemy.map(|s| ratio(tutor.wall, s.wall))),
                ratio(tutor.wall, raw.wall),
                secs(tutor.cpu),
                or_dash(sqlalchemy.map(|s| secs(s.cpu))),
                secs(raw.cpu),
                secs(raw_process.cpu),
                or_dash(sqlalchemy.map(|s| ratio(tutor.cpu, s.cpu))),
                ratio(tutor.cpu, raw.cpu),
                ratio(tutor.cpu, raw_process.cpu),
                mib(tutor),
                or_dash(sqlalchemy.map(mib)),
            );
        }
    }
}

fn median(runs: usize, mut f: impl FnMut() -> Duration) -> Duration {
    let mut samples: Vec<Duration> = (0..runs).map(|_| f()).collect();
    samples.sort();
    samples[samples.len() / 2]
}

/// Wall time and peak resident memory (KiB, `ru_maxrss` from `wait4`) of a
/// whole process; its output is discarded, a failure stops the benchmark.
// The child is reaped by `wait4` (for its rusage), not `Child::wait`.
#[allow(clippy::zombie_processes)]
fn timed(mut c: Command) -> Run {
    use std::io::Read;
    let t = Instant::now();
    let mut child = c
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        if let Some(mut e) = stderr {
            let _ = e.read_to_string(&mut s);
        }
        s
    });
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: `rusage` is plain data; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = t.elapsed();
    let err = reader.join().unwrap_or_default();
    assert!(
        r == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{c:?} failed: {err}"
    );
    Run {
        wall,
        cpu: cpu_of(&usage),
        peak_kib: usage.ru_maxrss.max(0) as u64,
    }
}

/// User + system time in a `rusage`.
fn cpu_of(usage: &libc::rusage) -> Duration {
    let tv = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
    };
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// User + system time of the calling thread so far
/// (`CLOCK_THREAD_CPUTIME_ID`). Not `getrusage(RUSAGE_THREAD)`: for the
/// running thread that gives the scheduler's total as of its last tick or
/// switch (a 2 ms spin read as 0.1–2.3 ms), so raw rusqlite's 1k figures
/// came out as nothing or as whole ticks.
fn thread_cpu() -> Duration {
    // SAFETY: `timespec` is plain data; clock_gettime fills it.
    let mut t: libc::timespec = unsafe { std::mem::zeroed() };
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_nanos(t.tv_nsec.max(0) as u64)
}

/// One measured run: wall time, CPU time (user + system) and peak memory
/// (KiB; 0 where not measured).
#[derive(Debug, Clone, Copy)]
struct Run {
    wall: Duration,
    cpu: Duration,
    peak_kib: u64,
}

/// The median wall time and the median CPU time of `runs` runs, and the
/// largest peak memory.
fn median_run(runs: usize, mut f: impl FnMut() -> Run) -> Run {
    let samples: Vec<Run> = (0..runs).map(|_| f()).collect();
    let pick = |field: fn(&Run) -> Duration| {
        let mut it = samples.iter();
        median(runs, move || it.next().map_or(Duration::ZERO, field))
    };
    Run {
        wall: pick(|r| r.wall),
        cpu: pick(|r| r.cpu),
        peak_kib: samples.iter().map(|r| r.peak_kib).max().unwrap_or(0),
    }
}

/// `target/bench-data/chat-N.sqlite`: the tutor's chat schema (made by
/// the tutor itself, so it recognises the file), N users, 10 messages each,
/// an index on `messages.user_id`. Made once.
fn database(dir: &Path, users: usize) -> PathBuf {
    let path = dir.join(format!("chat-{users}.sqlite"));
    if path.exists() {
        return path;
    }
    let tmp = dir.join("making.sqlite");
    let _ = std::fs::remove_file(&tmp);
    let status = Command::new(TUTOR)
        .arg("--db")
        .arg(&tmp)
        .args(["run", "-"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("orm-tutor");
    assert!(
        status.success(),
        "orm-tutor could not make {}",
        tmp.display()
    );
    let mut conn = Connection::open(&tmp).expect("open");
    let tx = conn.transaction().expect("begin");
    tx.execute_batch(
        "DELETE FROM user_groups; DELETE FROM profiles; DELETE FROM messages; DELETE FROM users;",
    )
    .expect("clear");
    {
        let mut u = tx
            .prepare("INSERT INTO users (id, name, email, is_active, role_id, created_at) VALUES (?, ?, ?, 1, 2, '2024-01-15 09:00:00.000000')")
            .expect("prepare");
        let mut m = tx
            .prepare("INSERT INTO messages (id, user_id, content, created_at) VALUES (?, ?, ?, '2024-08-02 09:07:00.000000')")
            .expect("prepare");
        for i in 1..=users as i64 {
            u.execute(params![
                i,
                format!("user{i}"),
                format!("user{i}@example.com")
            ])
            .expect("user");
            for j in 0..10 {
                m.execute(params![
                    (i - 1) * 10 + j + 1,
                    i,
                    format!("message {j} of user {i}")
                ])
                .expect("message");
            }
        }
    }
    tx.execute_batch("CREATE INDEX ix_messages_user_id ON messages (user_id)")
        .expect("index");
    tx.commit().expect("commit");
    drop(conn);
    std::fs::rename(&tmp, &path).expect("rename");
    path
}

/// Runs a cached statement and decodes every value of every row.
fn query(conn: &Connection, sql: &str, binds: &[rusqlite::types::Value]) -> usize {
    let mut stmt = conn.prepare_cached(sql).expect("prepare");
    let n = stmt.column_count();
    let mut rows = stmt
        .query(rusqlite::params_from_iter(binds))
        .expect("query");
    let mut count = 0;
    while let Some(row) = rows.next().expect("row") {
        for i in 0..n {
            std::hint::black_box(row.get::<_, rusqlite::types::Value>(i).expect("value"));
        }
        count += 1;
    }
    count
}

fn user_ids(conn: &Connection) -> Vec<i64> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {USER_COLUMNS} FROM users"))
        .expect("prepare");

    stmt.query_map([], |r| {
        for i in 1..6 {
            std::hint::black_box(r.get::<_, rusqlite::types::Value>(i)?);
        }
        r.get(0)
    })
    .expect("query")
    .collect::<Result<Vec<i64>, _>>()
    .expect("rows")
}

fn raw_n_plus_one(conn: &Connection, _: usize) {
    let sql = format!("SELECT {MESSAGE_COLUMNS} FROM messages WHERE ? = messages.user_id");
    for id in user_ids(conn) {
        query(conn, &sql, &[id.into()]);
    }
}

fn raw_selectin(conn: &Connection, _: usize) {
    for chunk in user_ids(conn).chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "SELECT messages.user_id, {MESSAGE_COLUMNS} FROM messages WHERE messages.user_id IN ({marks})"
        );
        let binds: Vec<rusqlite::types::Value> = chunk.iter().map(|&i| i.into()).collect();
        query(conn, &sql, &binds);
    }
}

fn raw_joined(conn: &Connection, _: usize) {
    query(
        conn,
        &format!(
            "SELECT {USER_COLUMNS}, {MESSAGE_COLUMNS} FROM users LEFT OUTER JOIN messages ON users.id = messages.user_id"
        ),
        &[],
    );
}

fn raw_subquery(conn: &Connection, _: usize) {
    user_ids(conn);
    query(
        conn,
        &format!(
            "SELECT {MESSAGE_COLUMNS}, anon_1.users_id FROM (SELECT users.id AS users_id FROM users) AS anon_1 JOIN messages ON anon_1.users_id = messages.user_id"
        ),
        &[],
    );
}

fn raw_all_messages(conn: &Connection, _: usize) {
    query(
        conn,
        &format!("SELECT {MESSAGE_COLUMNS} FROM messages"),
        &[],
    );
}

fn raw_add_all(conn: &Connection, users: usize) {
    conn.execute_batch("BEGIN").expect("begin");
    {
        let mut stmt = conn
            .prepare_cached("INSERT INTO users (name, email, is_active, role_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id")
            .expect("prepare");
        for i in 0..users {
            let id: i64 = stmt
                .query_row(
                    params![
                        format!("new{i}"),
                        format!("new{i}@example.org"),
                        1,
                        None::<i64>,
                        "2024-01-01 00:00:00.000000"
                    ],
                    |r| r.get(0),
                )
                .expect("insert");
            std::hint::black_box(id);
        }
    }
    conn.execute_batch("COMMIT").expect("commit");
}
