//! PostgreSQL (psycopg2) rendering and SQLAlchemy's bind names. Every
//! expected string and name is SQLAlchemy 2.0.58's own output:
//! `stmt.compile(dialect=postgresql.psycopg2.dialect())` (with
//! `render_postcompile` for `IN`), its `compiled.params`, and the SQLite
//! dialect's `compiled.positiontup`; the ORM's statements are those of the
//! oracle's `expected-postgresql/*.json` traces.

use super::*;
use crate::sql::dialect::POSTGRESQL;

/// Asserts the exact SQL and the `(name, value)` pairs in order.
#[track_caller]
fn assert_named(compiled: Compiled, sql: &str, params: &[(&str, SqlValue)]) {
    assert_eq!(compiled.sql, sql);
    let got: Vec<(&str, SqlValue)> = compiled
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.value.clone()))
        .collect();
    assert_eq!(got, params);
}

#[test]
fn postgresql_simple_filter() {
    let db = chat();
    let users = t(&db.users);
    let q = with_where(
        core(vec![c(&users, "id"), c(&users, "name")]),
        vec![eq(c(&users, "name"), bs("Bob"))],
    );
    assert_named(
        compile_select(&q, &POSTGRESQL),
        "SELECT users.id, users.name \nFROM users \nWHERE users.name = %(name_1)s",
        &[("name_1", s("Bob"))],
    );
    // The same names on SQLite (`compiled.positiontup`).
    assert_eq!(compile_select(&q, &SQLITE).positiontup(), vec!["name_1"]);
}

#[test]
fn postgresql_limit_and_offset() {
    let db = chat();
    let users = t(&db.users);
    let mut q = with_where(
        core(vec![c(&users, "id")]),
        vec![bin(c(&users, "id"), Operator::Gt, bi(3))],
    );
    q.limit = Some(bi(5));
    q.offset = Some(bi(10));
    assert_named(
        compile_select(&q, &POSTGRESQL),
        "SELECT users.id \nFROM users \nWHERE users.id > %(id_1)s \n LIMIT %(param_1)s OFFSET %(param_2)s",
        &[("id_1", i(3)), ("param_1", i(5)), ("param_2", i(10))],
    );
    assert_eq!(
        compile_select(&q, &SQLITE).positiontup(),
        vec!["id_1", "param_1", "param_2"]
    );

    let mut q = core(vec![c(&users, "id")]);
    q.limit = Some(bi(1));
    assert_named(
        compile_select(&q, &POSTGRESQL),
        "SELECT users.id \nFROM users \n LIMIT %(param_1)s",
        &[("param_1", i(1))],
    );
    // SQLite adds `OFFSET 0` as `param_2`.
    assert_named(
        compile_select(&q, &SQLITE),
        "SELECT users.id \nFROM users\n LIMIT ? OFFSET ?",
        &[("param_1", i(1)), ("param_2", i(0))],
    );

    let mut q = core(vec![c(&users, "id")]);
    q.offset = Some(bi(2));
    assert_named(
        compile_select(&q, &POSTGRESQL),
        "SELECT users.id \nFROM users\n LIMIT ALL OFFSET %(param_1)s",
        &[("param_1", i(2))],
    );
}

#[test]
fn postgresql_orm_insert_update_delete() {
    let db = chat();
    let insert = Insert {
        table: db.users.clone(),
        values: vec![
            (1, s("Zoe")),
            (2, s("zoe@example.com")),
            (3, SqlValue::Integer(1)),
        ],
        returning: vec![0],
    };
    assert_named(
        compile_insert(&insert, &POSTGRESQL),
        "INSERT INTO users (name, email, is_active) VALUES (%(name)s, %(email)s, %(is_active)s) RETURNING users.id",
        &[
            ("name", s("Zoe")),
            ("email", s("zoe@example.com")),
            ("is_active", i(1)),
        ],
    );
    assert_eq!(
        compile_insert(&insert, &SQLITE).sql,
        "INSERT INTO users (name, email, is_active) VALUES (?, ?, ?) RETURNING id"
    );

    // expected-postgresql/13-update.json
    let update = Update {
        table: db.users.clone(),
        set: vec![(1, s("Robert")), (2, s("robert@example.com"))],
        key: vec![(0, i(2))],
    };
    assert_named(
        compile_update(&update, &POSTGRESQL),
        "UPDATE users SET name=%(name)s, email=%(email)s WHERE users.id = %(users_id)s",
        &[
            ("name", s("Robert")),
            ("email", s("robert@example.com")),
            ("users_id", i(2)),
        ],
    );

    // expected-postgresql/14-delete.json
    let delete = Delete {
        table: db.messages.clone(),
        key: vec![(0, i(20))],
    };
    assert_named(
        compile_delete(&delete, &POSTGRESQL),
        "DELETE FROM messages WHERE messages.id = %(id)s",
        &[("id", i(20))],
    );
}

#[test]
fn postgresql_ilike_is_native() {
    let db = chat();
    let users = t(&db.users);
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![bin(c(&users, "name"), Operator::ILike, bs("%b%"))],
    );
    assert_named(
        compile_select(&q, &POSTGRESQL),
        "SELECT users.id \nFROM users \nWHERE users.name ILIKE %(name_1)s",
        &[("name_1", s("%b%"))],
    );
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![bin(c(&users, "name"), Operator::NotILike, bs("%b%"))],
    );
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id \nFROM users \nWHERE users.name NOT ILIKE %(name_1)s"
    );
}

#[test]
fn postgresql_booleans_are_native() {
    let db = chat();
    let users = t(&db.users);
    let active = c(&users, "is_active");
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![
            active.clone(),
            active.clone().negate(),
            eq(active.clone(), Expr::True),
        ],
    );
    assert_named(
        compile_select(&q, &POSTGRESQL),
        "SELECT users.id \nFROM users \nWHERE users.is_active AND NOT users.is_active AND users.is_active = true",
        &[],
    );
    let q = core(vec![c(&users, "id"), Expr::True, eq(active, Expr::False)]);
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id, true AS anon_1, users.is_active = false AS anon_2 \nFROM users"
    );
}

#[test]
fn postgresql_in_lists_expand_with_numbered_names() {
    let db = chat();
    let users = t(&db.users);
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![in_(c(&users, "id"), vec![bi(1), bi(2)])],
    );
    assert_named(
        compile_select(&q, &POSTGRESQL),
        "SELECT users.id \nFROM users \nWHERE users.id IN (%(id_1_1)s, %(id_1_2)s)",
        &[("id_1_1", i(1)), ("id_1_2", i(2))],
    );
    assert_eq!(
        compile_select(&q, &SQLITE).positiontup(),
        vec!["id_1_1", "id_1_2"]
    );
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![in_(c(&users, "id"), vec![])],
    );
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id \nFROM users \nWHERE users.id IN (NULL) AND (1 != 1)"
    );
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![not_in(c(&users, "id"), vec![])],
    );
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id \nFROM users \nWHERE (users.id NOT IN (NULL) OR (1 = 1))"
    );
}

#[test]
fn postgresql_functions_division_and_quoting() {
    let db = chat();
    let users = t(&db.users);
    let q = core(vec![
        func("now", vec![]),
        func("localtimestamp", vec![]),
        func("char_length", vec![c(&users, "name")]),
    ]);
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT now() AS now_1, LOCALTIMESTAMP AS localtimestamp_1, char_length(users.name) AS char_length_1 \nFROM users"
    );
    let q = core(vec![bin(
        c(&users, "id"),
        Operator::Div,
        c(&users, "role_id"),
    )]);
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id / CAST(users.role_id AS NUMERIC) AS anon_1 \nFROM users"
    );
    let q = core(vec![
        label("user", c(&users, "id")),
        label("order", c(&users, "id")),
    ]);
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id AS \"user\", users.id AS \"order\" \nFROM users"
    );
}

#[test]
fn postgresql_like_patterns_double_the_percent() {
    let db = chat();
    let users = t(&db.users);
    let pattern = Expr::LikePattern {
        value: Box::new(bs("b")),
        leading: true,
        trailing: true,
    };
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![Expr::Grouping(Box::new(bin(
            c(&users, "name"),
            Operator::Like,
            pattern,
        )))],
    );
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id \nFROM users \nWHERE (users.name LIKE '%%' || %(name_1)s || '%%')"
    );
    assert_eq!(
        compile_select(&q, &SQLITE).sql,
        "SELECT users.id \nFROM users \nWHERE (users.name LIKE '%' || ? || '%')"
    );
}

#[test]
fn bulk_update_names_plain_values_by_column_key() {
    // update(User).where(User.name == "a").values(name=User.name + "x",
    // email="e") on SQLite: positiontup ['name_1', 'email', 'name_2'].
    let db = chat();
    let users = t(&db.users);
    let update = crate::sql::elements::BulkUpdate {
        table: db.users.clone(),
        set: vec![
            (1, bin(c(&users, "name"), Operator::Concat, bs("x"))),
            (2, bs("e")),
        ],
        where_: vec![eq(c(&users, "name"), bs("a"))],
    };
    let compiled = compile_bulk_update(&update, &SQLITE);
    assert_eq!(
        compiled.sql,
        "UPDATE users SET name=(users.name || ?), email=? WHERE users.name = ?"
    );
    assert_eq!(compiled.positiontup(), vec!["name_1", "email", "name_2"]);
}
