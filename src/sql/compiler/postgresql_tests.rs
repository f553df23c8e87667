//! PostgreSQL (psycopg2) rendering and SQLAlchemy's bind names. Every
//! expected string and name is SQLAlchemy 2.0's own output. The `pg_*`
//! cases come from `tests/compiler/postgresql.json` (`stmt.compile(dialect=
//! postgresql.psycopg2.dialect())` with `render_postcompile`, its
//! `compiled.params`) and, for the same statement on SQLite, from
//! `tests/compiler/sqlite.json` (its `positiontup`); regenerate both with
//! `python3 tests/sqlalchemy_checks.py --write`. The ORM's INSERT, UPDATE
//! and DELETE still copy the oracle's `expected-postgresql/*.json` traces.

use super::*;
use crate::sql::dialect::POSTGRESQL;

/// Asserts the SQL and the `(name, value)` pairs SQLAlchemy recorded for
/// the PostgreSQL case `name`.
#[track_caller]
fn assert_pg(compiled: Compiled, name: &str) {
    assert_named(
        compiled,
        POSTGRESQL_CASES.sql(name),
        &POSTGRESQL_CASES.named_params(name),
    );
}

/// The SQL SQLAlchemy recorded for the PostgreSQL case `name`.
#[track_caller]
fn pg_sql(name: &str) -> &'static str {
    POSTGRESQL_CASES.sql(name)
}

/// The SQLite `positiontup` SQLAlchemy recorded for the case `name`.
#[track_caller]
fn sqlite_names(name: &str) -> Vec<&'static str> {
    SQLITE_CASES.strings(name, "positiontup")
}

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
    assert_pg(compile_select(&q, &POSTGRESQL), "pg_simple_filter");
    // The same names on SQLite (`compiled.positiontup`).
    assert_eq!(
        compile_select(&q, &SQLITE).positiontup(),
        sqlite_names("pg_simple_filter")
    );
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
    assert_pg(compile_select(&q, &POSTGRESQL), "pg_limit_offset");
    assert_eq!(
        compile_select(&q, &SQLITE).positiontup(),
        sqlite_names("pg_limit_offset")
    );

    let mut q = core(vec![c(&users, "id")]);
    q.limit = Some(bi(1));
    assert_pg(compile_select(&q, &POSTGRESQL), "pg_limit_only");
    // SQLite adds `OFFSET 0` as `param_2`.
    let sqlite = compile_select(&q, &SQLITE);
    assert_eq!(sqlite.positiontup(), sqlite_names("pg_limit_only"));
    assert_case(sqlite, "pg_limit_only");

    let mut q = core(vec![c(&users, "id")]);
    q.offset = Some(bi(2));
    assert_pg(compile_select(&q, &POSTGRESQL), "pg_offset_only");
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
    assert_pg(compile_select(&q, &POSTGRESQL), "pg_ilike");
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![bin(c(&users, "name"), Operator::NotILike, bs("%b%"))],
    );
    assert_eq!(compile_select(&q, &POSTGRESQL).sql, pg_sql("pg_not_ilike"));
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
    assert_pg(compile_select(&q, &POSTGRESQL), "pg_booleans");
    let q = core(vec![c(&users, "id"), Expr::True, eq(active, Expr::False)]);
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        pg_sql("pg_booleans_select_list")
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
    assert_pg(compile_select(&q, &POSTGRESQL), "pg_in");
    assert_eq!(
        compile_select(&q, &SQLITE).positiontup(),
        sqlite_names("pg_in")
    );
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![in_(c(&users, "id"), vec![])],
    );
    assert_eq!(compile_select(&q, &POSTGRESQL).sql, pg_sql("pg_empty_in"));
    let q = with_where(
        core(vec![c(&users, "id")]),
        vec![not_in(c(&users, "id"), vec![])],
    );
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        pg_sql("pg_empty_not_in")
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
    assert_eq!(compile_select(&q, &POSTGRESQL).sql, pg_sql("pg_functions"));
    let q = core(vec![bin(
        c(&users, "id"),
        Operator::Div,
        c(&users, "role_id"),
    )]);
    assert_eq!(compile_select(&q, &POSTGRESQL).sql, pg_sql("pg_division"));
    let q = core(vec![
        label("user", c(&users, "id")),
        label("order", c(&users, "id")),
    ]);
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        pg_sql("pg_quoted_labels")
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
    assert_eq!(compile_select(&q, &POSTGRESQL).sql, pg_sql("pg_contains"));
    assert_eq!(
        compile_select(&q, &SQLITE).sql,
        SQLITE_CASES.sql("pg_contains")
    );
}

#[test]
fn bulk_update_names_plain_values_by_column_key() {
    // update(User).where(User.name == "a").values(name=User.name + "x",
    // email="e") on SQLite: its SQL and positiontup.
    let db = chat();
    let users = t(&db.users);
    let update = crate::sql::elements::BulkUpdate {
        extra_set: Vec::new(),
        table: db.users.clone(),
        set: vec![
            (1, bin(c(&users, "name"), Operator::Concat, bs("x"))),
            (2, bs("e")),
        ],
        where_: vec![eq(c(&users, "name"), bs("a"))],
        returning: Vec::new(),
    };
    let compiled = compile_bulk_update(&update, &SQLITE);
    assert_eq!(compiled.sql, SQLITE_CASES.sql("bulk_update"));
    assert_eq!(compiled.positiontup(), sqlite_names("bulk_update"));
}

#[test]
fn a_bindparam_value_keeps_its_key() {
    // tests/golden/postgresql/expected/n10-bindparam-returning.json:
    // `insert(roles).values(name=bindparam("nm"))` with two dicts
    let db = chat();
    let mut compiled = compile_insert_many_values(
        &db.roles,
        &[1],
        &[vec![s("p")], vec![s("q")]],
        None,
        &POSTGRESQL,
    );
    compiled.rename_param("name__0", "nm__0", &POSTGRESQL);
    compiled.rename_param("name__1", "nm__1", &POSTGRESQL);
    compiled.rename_param("absent", "x", &POSTGRESQL);
    assert_named(
        compiled,
        "INSERT INTO roles (name) VALUES (%(nm__0)s), (%(nm__1)s)",
        &[("nm__0", s("p")), ("nm__1", s("q"))],
    );
    // a positional marker stays as it is
    let mut compiled = compile_insert_many_values(&db.roles, &[1], &[vec![s("p")]], None, &SQLITE);
    compiled.rename_param("name__0", "nm__0", &SQLITE);
    assert_eq!(compiled.sql, "INSERT INTO roles (name) VALUES (?)");
    assert_eq!(compiled.positiontup(), ["nm__0"]);
}

#[test]
fn a_native_enum_is_cast_to_its_own_type() {
    // tests/golden/postgresql/expected/c95-native-enum-types.json
    use crate::sql::schema::{Column, NativeEnum, Table};
    let labels = vec!["S".to_string(), "M".to_string()];
    let table = Table::new(
        "pets",
        vec![
            Column::new(
                "size",
                SqlType::Enum(labels.clone(), None, NativeEnum::Named("pet_size".into())),
            ),
            Column::new("plain", SqlType::Enum(labels, None, NativeEnum::Off)),
        ],
    );
    let compiled = compile_insert_many_values(
        &table,
        &[0, 1],
        &[vec![s("M"), s("S")], vec![s("S"), s("M")]],
        Some(0),
        &POSTGRESQL,
    );
    assert!(
        compiled
            .sql
            .contains("SELECT p0::pet_size, p1::VARCHAR FROM (VALUES"),
        "{}",
        compiled.sql
    );
}

#[test]
fn insertmanyvalues_batches_as_sqlalchemy_sends_them() {
    let db = chat();
    // expected-postgresql/24-add-all.json: new keys read back in order
    let compiled = compile_insert_many_values(
        &db.groups,
        &[1],
        &[vec![s("sql")], vec![s("orm")]],
        Some(0),
        &POSTGRESQL,
    );
    assert_named(
        compiled,
        "INSERT INTO groups (name) SELECT p0::VARCHAR FROM (VALUES (%(name__0)s, 0), \
         (%(name__1)s, 1)) AS imp_sen(p0, sen_counter) ORDER BY sen_counter \
         RETURNING groups.id, groups.id AS id__1",
        &[("name__0", s("sql")), ("name__1", s("orm"))],
    );
    // keys given: one multi-row VALUES, no RETURNING (SQLAlchemy 2.0.58 +
    // psycopg2 on `session.add_all([Group(id=50, …), Group(id=51, …)])`)
    let compiled = compile_insert_many_values(
        &db.groups,
        &[0, 1],
        &[vec![i(50), s("g50")], vec![i(51), s("g51")]],
        None,
        &POSTGRESQL,
    );
    assert_named(
        compiled,
        "INSERT INTO groups (id, name) VALUES (%(id__0)s, %(name__0)s), (%(id__1)s, %(name__1)s)",
        &[
            ("id__0", i(50)),
            ("name__0", s("g50")),
            ("id__1", i(51)),
            ("name__1", s("g51")),
        ],
    );
}

#[test]
fn keyed_bind_parameters_take_sqlalchemys_names() {
    let db = chat();
    let users = Selectable::Table(db.users.clone());
    let mut select = Select::new(
        vec![Expr::column(&users, 0)],
        crate::sql::elements::LabelStyle::DisambiguateOnly,
    );
    select.where_.push(Expr::binary(
        Expr::column(&users, 0),
        Operator::Eq,
        Expr::BindParam {
            key: "pk_1".into(),
            value: i(1),
            unique: false,
        },
    ));
    select.where_.push(Expr::binary(
        Expr::BindParam {
            key: "param".into(),
            value: i(2),
            unique: true,
        },
        Operator::Eq,
        Expr::column(&users, 4),
    ));
    select.where_.push(Expr::In {
        left: Box::new(Expr::column(&users, 0)),
        values: (1..=2)
            .map(|n| Expr::BindParam {
                key: "primary_keys".into(),
                value: i(n),
                unique: false,
            })
            .collect(),
        negated: false,
    });
    let compiled = compile_select(&select, &POSTGRESQL);
    assert!(
        compiled.sql.ends_with(
            "WHERE users.id = %(pk_1)s AND %(param_1)s = users.role_id AND users.id IN \
             (%(primary_keys_1)s, %(primary_keys_2)s)"
        ),
        "{}",
        compiled.sql
    );
    assert_eq!(
        compiled.positiontup(),
        ["pk_1", "param_1", "primary_keys_1", "primary_keys_2"]
    );
}

#[test]
fn create_table_on_postgresql_uses_serial_and_timestamp() {
    let db = chat();
    // `str(CreateTable(users).compile(dialect=postgresql.dialect()))`
    assert_eq!(
        create_table(&db.users, &POSTGRESQL),
        "\nCREATE TABLE users (\n\tid SERIAL NOT NULL, \n\tname VARCHAR(100) NOT NULL, \n\t\
         email VARCHAR(255) NOT NULL, \n\tis_active BOOLEAN, \n\trole_id INTEGER, \n\t\
         created_at TIMESTAMP WITHOUT TIME ZONE, \n\tPRIMARY KEY (id), \n\tUNIQUE (email), \n\t\
         FOREIGN KEY(role_id) REFERENCES roles (id)\n)\n\n"
    );
    assert_eq!(
        create_table(&db.user_groups, &POSTGRESQL),
        "\nCREATE TABLE user_groups (\n\tuser_id INTEGER NOT NULL, \n\tgroup_id INTEGER NOT NULL, \
         \n\tPRIMARY KEY (user_id, group_id), \n\tFOREIGN KEY(user_id) REFERENCES users (id), \
         \n\tFOREIGN KEY(group_id) REFERENCES groups (id)\n)\n\n"
    );
    assert_eq!(serial_column(&db.users), Some(0));
    assert_eq!(serial_column(&db.user_groups), None);
}

#[test]
fn the_modulo_operator_doubles_its_percent_for_psycopg2() {
    let db = chat();
    let users = Selectable::Table(db.users.clone());
    let mut select = Select::new(
        vec![Expr::column(&users, 0)],
        crate::sql::elements::LabelStyle::DisambiguateOnly,
    );
    select.where_.push(Expr::binary(
        Expr::binary(
            Expr::column(&users, 0),
            Operator::Mod,
            Expr::Bind(i(2).into()),
        ),
        Operator::Eq,
        Expr::Bind(i(0).into()),
    ));
    // golden c42-expr-misc on PostgreSQL
    assert!(
        compile_select(&select, &POSTGRESQL)
            .sql
            .ends_with("WHERE users.id %% %(id_1)s = %(param_1)s")
    );
    assert!(
        compile_select(&select, &SQLITE)
            .sql
            .ends_with("WHERE users.id % ? = ?")
    );
}

#[test]
fn one_bind_object_twice_is_one_parameter() {
    // golden q45-bind-identity: `c = User.id == 4; or_(c, c, User.id == 4)`.
    let db = chat();
    let users = Selectable::Table(db.users.clone());
    let mut select = Select::new(
        vec![Expr::column(&users, 1)],
        crate::sql::elements::LabelStyle::DisambiguateOnly,
    );
    let c = Expr::binary(
        Expr::column(&users, 0),
        Operator::Eq,
        Expr::Bind(i(4).into()),
    );
    let other = Expr::binary(
        Expr::column(&users, 0),
        Operator::Eq,
        Expr::Bind(i(4).into()),
    );
    select.where_.push(Expr::or(vec![c.clone(), c, other]));
    let compiled = compile_select(&select, &POSTGRESQL);
    assert!(
        compiled
            .sql
            .ends_with("WHERE users.id = %(id_1)s OR users.id = %(id_1)s OR users.id = %(id_2)s")
    );
    // `literal(3)` is keyed `param`, whatever it is compared with.
    let mut lit = crate::sql::elements::BindValue::new(i(3));
    lit.key = Some("param");
    let mut select = Select::new(
        vec![Expr::column(&users, 0)],
        crate::sql::elements::LabelStyle::DisambiguateOnly,
    );
    select.where_.push(Expr::binary(
        Expr::column(&users, 0),
        Operator::Gt,
        Expr::Bind(lit.clone()),
    ));
    select.where_.push(Expr::binary(
        Expr::column(&users, 0),
        Operator::Ne,
        Expr::Bind(lit),
    ));
    assert!(
        compile_select(&select, &POSTGRESQL)
            .sql
            .ends_with("WHERE users.id > %(param_1)s AND users.id != %(param_1)s")
    );
}

/// `with_for_update()`: PostgreSQL's lock clause after LIMIT, nothing on
/// SQLite, a bare ` FOR UPDATE` in the `str()` form (SQLAlchemy 2.0's
/// output for the same statements).
#[test]
fn postgresql_for_update_clause() {
    let db = chat();
    let users = t(&db.users);
    let mut q = core(vec![c(&users, "id")]);
    q.for_update = Some(ForUpdate {
        nowait: true,
        skip_locked: true,
        of: vec![users.clone(), t(&db.messages)],
        ..ForUpdate::default()
    });
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id \nFROM users FOR UPDATE OF users, messages NOWAIT SKIP LOCKED"
    );
    assert_eq!(
        compile_select(&q, &SQLITE).sql,
        "SELECT users.id \nFROM users"
    );
    assert_eq!(
        compile_select(&q, &crate::sql::dialect::STR).sql,
        "SELECT users.id \nFROM users FOR UPDATE"
    );
    let mut q = core(vec![c(&users, "id")]);
    q.limit = Some(bi(5));
    q.for_update = Some(ForUpdate {
        read: true,
        key_share: true,
        ..ForUpdate::default()
    });
    assert_eq!(
        compile_select(&q, &POSTGRESQL).sql,
        "SELECT users.id \nFROM users \n LIMIT %(param_1)s FOR KEY SHARE"
    );
}

#[test]
fn bulk_update_and_delete_render_returning() {
    // tests/golden/*/expected/p45-orm-update-delete-returning.json:
    // update(User).where(User.name == "a").values(name="e").returning(User.id,
    // User.name), and delete(User).where(…).returning(User.id)
    let db = chat();
    let users = t(&db.users);
    let update = crate::sql::elements::BulkUpdate {
        extra_set: Vec::new(),
        table: db.users.clone(),
        set: vec![(1, bs("e"))],
        where_: vec![eq(c(&users, "name"), bs("a"))],
        returning: vec![0, 1],
    };
    assert_eq!(
        compile_bulk_update(&update, &SQLITE).sql,
        "UPDATE users SET name=? WHERE users.name = ? RETURNING id, name"
    );
    assert_named(
        compile_bulk_update(&update, &POSTGRESQL),
        "UPDATE users SET name=%(name)s WHERE users.name = %(name_1)s RETURNING users.id, users.name",
        &[
            ("name", SqlValue::Text("e".into())),
            ("name_1", SqlValue::Text("a".into())),
        ],
    );
    let delete = crate::sql::elements::BulkDelete {
        table: db.users.clone(),
        where_: vec![eq(c(&users, "name"), bs("a"))],
        returning: vec![0],
    };
    assert_eq!(
        compile_bulk_delete(&delete, &SQLITE).sql,
        "DELETE FROM users WHERE users.name = ? RETURNING id"
    );
    assert_eq!(
        compile_bulk_delete(&delete, &POSTGRESQL).sql,
        "DELETE FROM users WHERE users.name = %(name_1)s RETURNING users.id"
    );
}

/// Criteria on other tables make an UPDATE's `FROM` and a DELETE's `USING`
/// (tests/golden/postgresql/expected/q81-dml-from-linter-executemany-expr.json),
/// and the FROM linter warns when they are not linked to the table.
#[test]
fn update_from_and_delete_using_extra_froms_with_the_linter() {
    let db = chat();
    let users = t(&db.users);
    let messages = t(&db.messages);
    let update = crate::sql::elements::BulkUpdate {
        extra_set: Vec::new(),
        table: db.users.clone(),
        set: vec![(1, bs("x"))],
        where_: vec![eq(c(&users, "id"), c(&messages, "user_id"))],
        returning: vec![],
    };
    let (compiled, warnings) = compile_bulk_update_linted(&update, &POSTGRESQL);
    assert_eq!(
        compiled.sql,
        "UPDATE users SET name=%(name)s FROM messages WHERE users.id = messages.user_id"
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let delete = crate::sql::elements::BulkDelete {
        table: db.messages.clone(),
        where_: vec![eq(c(&users, "name"), bs("a"))],
        returning: vec![],
    };
    let (compiled, warnings) = compile_bulk_delete_linted(&delete, &POSTGRESQL);
    assert_eq!(
        compiled.sql,
        "DELETE FROM messages USING users WHERE users.name = %(name_1)s"
    );
    assert_eq!(
        warnings,
        [
            "DELETE statement has a cartesian product between FROM element(s) \"users\" and \
          FROM element \"messages\".  Apply join condition(s) between each element to resolve."
        ]
    );
    assert_eq!(
        delete_extra_froms_error(&delete, &SQLITE),
        Some("This backend does not support multiple-table criteria within DELETE")
    );
    assert_eq!(delete_extra_froms_error(&delete, &POSTGRESQL), None);
}

/// A `Sequence` column not given renders `nextval('s')` in an INSERT, its
/// insertmanyvalues rows and the ORM's sentinel batch, as SQLAlchemy 2.0.58
/// sent them (tests/golden/postgresql/expected/p46-sequence-identity.json,
/// p48-orm-sequence-key.json); nothing on SQLite.
#[test]
fn sequence_columns_render_nextval_in_inserts() {
    use crate::sql::schema::{Column, Sequence, SqlType, Table};
    let mut id = Column::new("id", SqlType::Integer);
    id.primary_key = true;
    id.nullable = false;
    id.sequence = Some(Rc::new(Sequence::named("ticket_seq")));
    let table = Table {
        name: "tickets".into(),
        columns: vec![id, Column::new("title", SqlType::String(Some(30)))],
        constraints: Vec::new(),
        indexes: Vec::new(),
        options: Default::default(),
    };
    let rows = vec![
        vec![SqlValue::Text("a".into())],
        vec![SqlValue::Text("b".into())],
    ];
    assert_eq!(
        compile_insert_many_values(&table, &[1], &rows, None, &POSTGRESQL).sql,
        "INSERT INTO tickets (id, title) VALUES (nextval('ticket_seq'), %(title__0)s), \
         (nextval('ticket_seq'), %(title__1)s)"
    );
    assert_eq!(
        compile_insert_many_values(&table, &[1], &rows, Some(0), &POSTGRESQL).sql,
        "INSERT INTO tickets (id, title) SELECT nextval('ticket_seq'), p1::VARCHAR FROM \
         (VALUES (%(title__0)s, 0), (%(title__1)s, 1)) AS imp_sen(p1, sen_counter) ORDER BY \
         sen_counter RETURNING tickets.id, tickets.id AS id__1"
    );
    assert_eq!(sequence_defaults(&table, &[1], &POSTGRESQL).len(), 1);
    assert!(sequence_defaults(&table, &[1], &SQLITE).is_empty());
    assert!(sequence_defaults(&table, &[0, 1], &POSTGRESQL).is_empty());
}

#[test]
fn multi_row_values_and_on_conflict_as_sqlalchemy_renders_them() {
    use crate::sql::elements::{ConflictTarget, ConflictUpdate, OnConflict, RowValue};
    let db = chat();
    let excluded = Selectable::Alias(Rc::new(Alias {
        table: db.roles.clone(),
        name: Name::Fixed("excluded".into()),
    }));
    let on_conflict = OnConflict {
        target: Some(vec![ConflictTarget::Expr(Expr::column(
            &Selectable::Table(db.roles.clone()),
            0,
        ))]),
        index_where: None,
        constraint: None,
        update: Some(ConflictUpdate {
            set: vec![("name".into(), Expr::column(&excluded, 1))],
            where_: None,
        }),
    };
    let rows = [
        vec![
            RowValue::Bind(i(2), "id_m0".into()),
            RowValue::Bind(s("member2"), "name_m0".into()),
        ],
        vec![
            RowValue::Bind(i(20), "id_m1".into()),
            RowValue::Bind(s("twenty"), "name_m1".into()),
        ],
    ];
    // q84-upserts.json: `insert(Role).values([...]).on_conflict_do_update(
    // index_elements=[Role.id], set_=dict(name=stmt.excluded.name))
    // .returning(Role)`
    let compiled = compile_insert_rows(
        &db.roles,
        &[0, 1],
        &rows,
        Some(&on_conflict),
        &[0, 1],
        &POSTGRESQL,
    );
    assert_named(
        compiled,
        "INSERT INTO roles (id, name) VALUES (%(id_m0)s, %(name_m0)s), (%(id_m1)s, %(name_m1)s) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name RETURNING roles.id, roles.name",
        &[
            ("id_m0", i(2)),
            ("name_m0", s("member2")),
            ("id_m1", i(20)),
            ("name_m1", s("twenty")),
        ],
    );
    let compiled = compile_insert_rows(
        &db.roles,
        &[0, 1],
        &rows,
        Some(&on_conflict),
        &[0, 1],
        &SQLITE,
    );
    assert_eq!(
        compiled.sql,
        "INSERT INTO roles (id, name) VALUES (?, ?), (?, ?) ON CONFLICT (id) DO UPDATE SET \
         name = excluded.name RETURNING id, name"
    );
    // `on_conflict_do_nothing(constraint="groups_pkey")`: PostgreSQL's
    // target; SQLite's compiler has none
    let nothing = OnConflict {
        target: None,
        index_where: None,
        constraint: Some("groups_pkey".into()),
        update: None,
    };
    let one = [vec![
        RowValue::Bind(i(1), "id".into()),
        RowValue::Bind(s("x"), "name".into()),
    ]];
    let compiled = compile_insert_rows(&db.groups, &[0, 1], &one, Some(&nothing), &[], &POSTGRESQL);
    assert_eq!(
        compiled.sql,
        "INSERT INTO groups (id, name) VALUES (%(id)s, %(name)s) ON CONFLICT ON CONSTRAINT groups_pkey DO NOTHING"
    );
    let compiled = compile_insert_rows(&db.groups, &[0, 1], &one, Some(&nothing), &[], &SQLITE);
    assert_eq!(
        compiled.sql,
        "INSERT INTO groups (id, name) VALUES (?, ?) ON CONFLICT DO NOTHING"
    );
}

#[test]
fn sorted_executemany_returning_adds_the_sentinel_after_the_columns() {
    let db = chat();
    // q86-returning-sort-by-parameter-order.json (PostgreSQL)
    let compiled = compile_insert_many_values_returning(
        &db.roles,
        &[1],
        &[vec![s("c1")], vec![s("c2")]],
        Some(0),
        &[0, 1],
        &POSTGRESQL,
    );
    assert_eq!(
        compiled.sql,
        "INSERT INTO roles (name) SELECT p0::VARCHAR FROM (VALUES (%(name__0)s, 0), \
         (%(name__1)s, 1)) AS imp_sen(p0, sen_counter) ORDER BY sen_counter \
         RETURNING roles.id, roles.name, roles.id AS id__1"
    );
    let compiled = compile_insert_many_values_returning(
        &db.roles,
        &[0, 1],
        &[vec![i(30), s("d1")], vec![i(31), s("d2")]],
        None,
        &[1, 0],
        &POSTGRESQL,
    );
    assert_eq!(
        compiled.sql,
        "INSERT INTO roles (id, name) VALUES (%(id__0)s, %(name__0)s), (%(id__1)s, %(name__1)s) \
         RETURNING roles.name, roles.id"
    );
}
