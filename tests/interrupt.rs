//! Ctrl-C while SQLite runs a statement stops it with `KeyboardInterrupt`,
//! as Ctrl-C between Python statements does (issue 13: no hang that ignores
//! Ctrl-C). Its own test binary: `INTERRUPTED` is process-wide.

use std::sync::atomic::Ordering;
use std::time::Duration;

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::INTERRUPTED;
use orm_tutor::tutor::{DbTarget, Tutor};

#[test]
fn ctrl_c_stops_a_running_sql_statement_with_keyboard_interrupt() {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    let ctrl_c = std::thread::spawn(|| {
        std::thread::sleep(Duration::from_millis(300));
        INTERRUPTED.store(true, Ordering::SeqCst);
    });
    let steps = t.run_script(
        "session.execute(text(\"WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c) \
         SELECT count(*) FROM c\")).all()\n",
    );
    let _ = ctrl_c.join();
    let e = steps[0].error.as_ref().expect("interrupted");
    // not the `RuntimeError` of the step budget, which would stop it later
    assert_eq!(
        (e.type_name.as_str(), e.message.as_str()),
        ("KeyboardInterrupt", "")
    );
    let after = t.run_script("print(session.get(User, 1).name)\n");
    assert_eq!(after[0].stdout, "Alice\n", "{:?}", after[0].error);
}
