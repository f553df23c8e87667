//! Core connections (`engine.connect()`, `Session(conn)`, Core DML with
//! `bindparam()` and `returning()`): what the golden traces n01–n10 do not
//! cover — the parts the tutor does not support yet say so at the line.

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::StepOutcome;
use orm_tutor::tutor::{DbTarget, Tutor};

fn run(src: &str) -> Vec<StepOutcome> {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    t.run_script(src)
}

/// The error type and message of the script's last step.
fn error(src: &str) -> (String, String) {
    let e = run(src).pop().expect("a step").error.expect("an error");
    (e.type_name, e.message)
}

const ROLES: &str = "roles = Base.metadata.tables['roles']\nconn = engine.connect()\n";

#[test]
fn update_and_delete_returning_give_the_rows_and_refuse_executemany() {
    // golden p44: UPDATE/DELETE … RETURNING through conn.execute; a list of
    // dicts is SQLAlchemy's StatementError (no *_executemany_returning)
    let steps = run(&format!(
        "{ROLES}conn.execute(insert(roles).values(name='tmp'))\n\
         conn.execute(update(roles).where(roles.c.name == 'tmp').values(name='x').returning(roles.c.name)).all()\n\
         conn.execute(delete(roles).where(roles.c.name == 'x').returning(roles.c.name)).scalars().all()\n\
         conn.execute(update(roles).where(roles.c.id == bindparam('b')).values(name='y').returning(roles.c.id), [{{'b': 1}}, {{'b': 2}}])"
    ));
    let n = steps.len();
    assert!(n >= 3, "{steps:?}");
    assert_eq!(steps[n - 3].value_json, Some(serde_json::json!([["x"]])));
    assert_eq!(steps[n - 2].value_json, Some(serde_json::json!(["x"])));
    let e = steps[n - 1].error.as_ref().expect("an error");
    assert_eq!(e.type_name, "StatementError");
}

#[test]
fn insert_returning_with_executemany_returns_each_rows_values() {
    // insertmanyvalues with RETURNING (golden p41): the new keys in order
    let steps = run(&format!(
        "{ROLES}conn.execute(insert(roles).returning(roles.c.name), [{{'name': 'a'}}, {{'name': 'b'}}]).scalars().all()"
    ));
    let last = steps.last().expect("a step");
    assert!(last.error.is_none(), "{:?}", last.error);
    assert_eq!(last.value_json, Some(serde_json::json!(["a", "b"])));
}

#[test]
fn returning_in_session_execute_gives_the_rows_with_or_without_parameters() {
    // as SQLAlchemy 2.0: `INSERT … RETURNING roles.id` through the session
    let steps = run(
        "r = session.execute(insert(Role).values(name='x').returning(Role.id))\nprint(r.all())",
    );
    assert!(steps.iter().all(|s| s.error.is_none()));
    assert_eq!(steps[1].stdout, "[(4,)]\n");
    // with a parameter dict it is an ORM bulk INSERT (golden n12), which returns the row
    let steps = run("session.execute(insert(Role).returning(Role.id), {'name': 'x'}).all()");
    assert!(steps[0].error.is_none());
}

#[test]
fn sessionmaker_bound_to_a_connection_is_not_supported_yet() {
    let (t, m) = error("sessionmaker(bind=engine.connect())");
    assert_eq!(t, "NotImplementedError");
    assert_eq!(
        m,
        "orm-tutor does not support sessionmaker(bind=<Connection>) yet"
    );
}

#[test]
fn a_missing_bindparam_names_the_parameter() {
    let (t, m) = error(&format!(
        "{ROLES}conn.execute(delete(roles).where(roles.c.id == bindparam('rid')))"
    ));
    assert_eq!(t, "StatementError");
    assert!(
        m.starts_with(
            "(sqlalchemy.exc.InvalidRequestError) A value is required for bind parameter 'rid'\n[SQL: DELETE FROM roles WHERE roles.id = ?]"
        ),
        "{m}"
    );
}

#[test]
fn bindparam_with_a_value_needs_no_parameter() {
    let steps = run(&format!(
        "{ROLES}conn.execute(delete(roles).where(roles.c.id == bindparam('rid', 3))).rowcount"
    ));
    let last = steps.last().expect("a step");
    assert!(last.error.is_none(), "{:?}", last.error);
    assert_eq!(last.value_json, Some(serde_json::json!(1)));
}

#[test]
fn a_session_on_a_closed_connection_fails_at_its_first_sql() {
    let (t, m) = error("conn = engine.connect()\nconn.close()\ns = Session(conn)\ns.get(User, 1)");
    assert_eq!(
        (t.as_str(), m.as_str()),
        ("ResourceClosedError", "This Connection is closed")
    );
}
