//! PostgreSQL as the asyncpg dialect renders it (`numeric_dollar`,
//! `render_bind_cast`). Every expected string is SQLAlchemy 2.0.58's own:
//! the statement on a table of the same column types, as a
//! `postgresql+asyncpg` engine's `before_cursor_execute` saw it, or
//! `compile(dialect=postgresql.asyncpg.dialect())`. The ORM's statements are
//! checked end to end by the async cases of `tests/golden/postgresql/`.

use super::*;
use crate::sql::dialect::POSTGRESQL_ASYNCPG;

#[test]
fn asyncpg_numbers_expanding_in_values_after_the_others() {
    let db = chat();
    let users = t(&db.users);
    let mut q = with_where(
        core(vec![c(&users, "id")]),
        vec![
            in_(c(&users, "id"), vec![bi(1), bi(2)]),
            eq(c(&users, "name"), bs("x")),
            eq(c(&users, "id"), c(&users, "id")),
        ],
    );
    q.limit = Some(bi(3));
    q.offset = Some(bi(2));
    assert_folded(
        compile_select(&q, &POSTGRESQL_ASYNCPG),
        "SELECT users.id FROM users WHERE users.id IN ($4::INTEGER, $5::INTEGER) AND users.name = $1::VARCHAR AND users.id = users.id LIMIT $2::INTEGER OFFSET $3::INTEGER",
        vec![s("x"), i(3), i(2), i(1), i(2)],
    );
}

#[test]
fn asyncpg_gives_a_reused_bindparam_one_number() {
    let db = chat();
    let users = t(&db.users);
    let a = || Expr::BindParam {
        key: "a".into(),
        value: s("q"),
        unique: false,
    };
    let q = with_where(
        core(vec![c(&users, "id"), c(&users, "name")]),
        vec![
            eq(c(&users, "name"), a()),
            bin(c(&users, "id"), Operator::Gt, bi(0)),
            bin(c(&users, "name"), Operator::Ne, a()),
        ],
    );
    assert_folded(
        compile_select(&q, &POSTGRESQL_ASYNCPG),
        "SELECT users.id, users.name FROM users WHERE users.name = $1::VARCHAR AND users.id > $2::INTEGER AND users.name != $1::VARCHAR",
        vec![s("q"), i(0)],
    );
}

#[test]
fn asyncpg_casts_a_bind_as_its_column_else_as_its_value() {
    let db = chat();
    let users = t(&db.users);
    // `users.created_at > '2024-01-01 …'`: the column's type, not str's
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![
            bin(
                c(&users, "created_at"),
                Operator::Gt,
                bs("2024-01-01 00:00:00.000000"),
            ),
            between(c(&users, "id"), bi(1), bi(5)),
        ],
    );
    assert_folded(
        compile_select(&q, &POSTGRESQL_ASYNCPG),
        "SELECT users.id FROM users WHERE users.created_at > $1::TIMESTAMP WITHOUT TIME ZONE AND users.id BETWEEN $2::INTEGER AND $3::INTEGER",
        vec![s("2024-01-01 00:00:00.000000"), i(1), i(5)],
    );
    // `select(literal(1.5), literal(None))`: `$1::FLOAT`, `$2` (NullType)
    let q = core(vec![
        Expr::Bind(SqlValue::Real(1.5).into()),
        Expr::Bind(SqlValue::Null.into()),
    ]);
    let compiled = compile_select(&q, &POSTGRESQL_ASYNCPG);
    assert!(
        compiled
            .sql
            .starts_with("SELECT $1::FLOAT AS anon_1, $2 AS anon_2"),
        "{}",
        compiled.sql
    );
}

#[test]
fn asyncpg_leaves_text_parameters_uncast() {
    // `text()`'s binds are NullType: `$1`, numbered in order of first use
    let (c, missing) = compile_text(
        "SELECT * FROM users WHERE id = :x OR name = :y OR id = :x",
        &[("x".into(), i(1)), ("y".into(), s("Bob"))],
        &POSTGRESQL_ASYNCPG,
    );
    assert_eq!(missing, None);
    assert_eq!(
        c.sql,
        "SELECT * FROM users WHERE id = $1 OR name = $2 OR id = $1"
    );
    assert_eq!(c.positional_values(), vec![i(1), s("Bob")]);
}
