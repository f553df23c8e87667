//! Session and loader-option behaviour at the Rust level, each expected
//! statement as SQLAlchemy 2.0.58 sent it for the same operation on the
//! `chat` fixture (recorded with `echo=True`).

use std::rc::Rc;

use crate::fixture::Fixture;
use crate::outcome::Event;
use crate::python::value::Value;
use crate::sql::compiler::compile_select;
use crate::tutor::{DbTarget, Tutor};

use super::attributes::{get_attribute, set_column_attribute};
use super::mapper::{AttrKind, AttrRef, Mapper};
use super::query::{Entity, Query, QueryStyle};
use super::session::{GetOptions, Session};
use super::state::Obj;
use super::strategy_options::{InnerJoin, LoadStep, LoaderOption, Strategy};

struct Chat {
    tutor: Tutor,
    session: Rc<Session>,
}

impl Chat {
    fn start() -> Chat {
        let tutor = Tutor::start(Fixture::chat(), DbTarget::Memory).unwrap();
        let Some(session) = tutor
            .interp
            .globals
            .get("session")
            .and_then(|v| v.downcast::<crate::orm::session::Session>())
        else {
            panic!("no session");
        };
        Chat { tutor, session }
    }

    fn mapper(&self, name: &str) -> Rc<Mapper> {
        self.tutor.interp.registry.mapper(name).unwrap()
    }

    fn attr(&self, class: &str, key: &str) -> AttrRef {
        let mapper = self.mapper(class);
        let rel = mapper.relationship(key).unwrap();
        AttrRef::new(mapper, key, AttrKind::Relationship(rel))
    }

    /// `strategy(A.x, innerjoin=…).strategy(B.y, innerjoin=…)…`
    fn option(&self, steps: &[(Strategy, &str, InnerJoin)]) -> Rc<LoaderOption> {
        let path = steps
            .iter()
            .map(|(s, name, inner)| {
                let (class, key) = name.split_once('.').unwrap();
                LoadStep {
                    innerjoin: *inner,
                    ..LoadStep::new(*s, self.attr(class, key))
                }
            })
            .collect();
        Rc::new(LoaderOption {
            path,
            wildcard: None,
            column: None,
            loader_criteria: None,
        })
    }

    /// Statements sent since the last call, whitespace folded.
    fn sql(&self) -> Vec<String> {
        self.tutor
            .interp
            .db
            .take_events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Statement(s) => Some(fold(&s.sql)),
                Event::Tx(_) => None,
            })
            .collect()
    }

    fn get(&self, class: &str, id: i64, options: GetOptions) -> Obj {
        match self
            .session
            .get_with(&self.mapper(class), vec![Value::Int(id)], options)
            .unwrap()
        {
            inst if let Some(o) = crate::orm::state::as_instance(&inst) => o,
            other => panic!("{other:?}"),
        }
    }

    fn query(&self, style: QueryStyle, class: &str, options: Vec<Rc<LoaderOption>>) -> Query {
        let mut q = Query::new(style, vec![Entity::Mapper(self.mapper(class), None, None)]);
        q.options = options;
        q
    }
}

fn fold(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text(v: Value) -> String {
    match v {
        Value::Str(s) => s.to_string(),
        other => panic!("{other:?}"),
    }
}

const USERS_LABELLED: &str = "SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email, users.is_active AS users_is_active, users.role_id AS users_role_id, users.created_at AS users_created_at FROM users";
const GET_USER: &str = "SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email, users.is_active AS users_is_active, users.role_id AS users_role_id, users.created_at AS users_created_at FROM users WHERE users.id = ?";
const SELECTIN_MESSAGES: &str = "SELECT messages.user_id AS messages_user_id, messages.id AS messages_id, messages.content AS messages_content, messages.created_at AS messages_created_at FROM messages WHERE messages.user_id IN (?)";

#[test]
fn commit_without_expire_on_commit_keeps_loaded_attributes() {
    let c = Chat::start();
    c.session.set_expire_on_commit(false);
    let u = c.get("User", 1, GetOptions::default());
    set_column_attribute(&u, "name", Value::str("New")).unwrap();
    c.session.commit().unwrap();
    assert_eq!(
        c.sql(),
        [GET_USER, "UPDATE users SET name=? WHERE users.id = ?"]
    );
    assert_eq!(text(get_attribute(&u, "name").unwrap()), "New");
    assert_eq!(
        text(get_attribute(&u, "email").unwrap()),
        "alice@example.com"
    );
    assert!(c.sql().is_empty(), "no SELECT after commit");
}

#[test]
fn commit_expires_by_default() {
    let c = Chat::start();
    let u = c.get("User", 1, GetOptions::default());
    c.session.commit().unwrap();
    c.sql();
    get_attribute(&u, "name").unwrap();
    assert_eq!(c.sql(), [GET_USER]);
}

#[test]
fn get_with_selectinload_loads_inside_get() {
    let c = Chat::start();
    let opts = GetOptions {
        options: vec![c.option(&[(Strategy::Selectin, "User.messages", InnerJoin::Outer)])],
        populate_existing: false,
    };
    let u = c.get("User", 1, opts.clone());
    assert_eq!(c.sql(), [GET_USER, SELECTIN_MESSAGES]);
    get_attribute(&u, "messages").unwrap();
    assert!(c.sql().is_empty(), "no lazy load afterwards");
    // Already in the identity map: no SQL, options or not (as SQLAlchemy).
    c.get("User", 1, opts);
    assert!(c.sql().is_empty());
}

#[test]
fn get_with_joinedload_innerjoin_joins() {
    let c = Chat::start();
    let opts = GetOptions {
        options: vec![c.option(&[(Strategy::Joined, "User.role", InnerJoin::Nested)])],
        populate_existing: false,
    };
    let u = c.get("User", 2, opts);
    assert_eq!(
        c.sql(),
        [
            "SELECT users.id AS users_id, users.name AS users_name, users.email AS users_email, users.is_active AS users_is_active, users.role_id AS users_role_id, users.created_at AS users_created_at, roles_1.id AS roles_1_id, roles_1.name AS roles_1_name FROM users JOIN roles AS roles_1 ON roles_1.id = users.role_id WHERE users.id = ?"
        ]
    );
    // the role came from the same row
    assert!(crate::orm::state::as_instance(&get_attribute(&u, "role").unwrap()).is_some());
    assert!(c.sql().is_empty());
}

#[test]
fn populate_existing_overwrites_pending_changes() {
    let c = Chat::start();
    let u = c.get("User", 1, GetOptions::default());
    get_attribute(&u, "messages").unwrap();
    c.sql();
    // as `with session.no_autoflush:` in SQLAlchemy
    c.session
        .autoflush_paused
        .set(c.session.autoflush_paused.get() + 1);
    set_column_attribute(&u, "name", Value::str("Pending")).unwrap();
    let again = c.get(
        "User",
        1,
        GetOptions {
            options: Vec::new(),
            populate_existing: true,
        },
    );
    assert!(Rc::ptr_eq(&u, &again));
    assert_eq!(c.sql(), [GET_USER]);
    assert_eq!(text(get_attribute(&u, "name").unwrap()), "Alice");
    assert!(c.session.dirty_objects().is_empty());
    // relationships are reset and load again
    get_attribute(&u, "messages").unwrap();
    assert_eq!(
        c.sql(),
        [
            "SELECT messages.id AS messages_id, messages.user_id AS messages_user_id, messages.content AS messages_content, messages.created_at AS messages_created_at FROM messages WHERE ? = messages.user_id"
        ]
    );
}

#[test]
fn query_populate_existing_overwrites() {
    let c = Chat::start();
    let u = c.get("User", 1, GetOptions::default());
    c.session
        .autoflush_paused
        .set(c.session.autoflush_paused.get() + 1);
    set_column_attribute(&u, "name", Value::str("Pending")).unwrap();
    c.sql();
    let q = c
        .query(QueryStyle::Legacy(c.session.clone()), "User", Vec::new())
        .with_populate_existing();
    c.session.execute_query(&q, None).unwrap();
    assert_eq!(c.sql(), [USERS_LABELLED]);
    assert_eq!(text(get_attribute(&u, "name").unwrap()), "Alice");
    // without the option, the pending change stays
    set_column_attribute(&u, "name", Value::str("Pending")).unwrap();
    let q = c.query(QueryStyle::Legacy(c.session.clone()), "User", Vec::new());
    c.session.execute_query(&q, None).unwrap();
    assert_eq!(text(get_attribute(&u, "name").unwrap()), "Pending");
}

#[test]
fn execution_option_autoflush_false_skips_the_flush() {
    let c = Chat::start();
    let u = c.get("User", 1, GetOptions::default());
    set_column_attribute(&u, "name", Value::str("Pending")).unwrap();
    c.sql();
    let q = c.query(QueryStyle::Legacy(c.session.clone()), "User", Vec::new());
    let off = q
        .with_execution_option("autoflush", &Value::Bool(false))
        .unwrap();
    c.session.execute_query(&off, None).unwrap();
    assert_eq!(c.sql(), [USERS_LABELLED]);
    c.session.execute_query(&q, None).unwrap();
    assert!(c.sql()[0].starts_with("UPDATE users SET name=?"));
}

#[test]
fn execution_options_yield_per_and_unsupported() {
    let c = Chat::start();
    let q = c.query(QueryStyle::Legacy(c.session.clone()), "User", Vec::new());
    let q2 = q
        .with_execution_option("yield_per", &Value::Int(3))
        .unwrap();
    assert_eq!(q2.yield_per, Some(3));
    assert!(
        q.with_execution_option("stream_results", &Value::Bool(true))
            .is_ok()
    );
    for (name, value) in [
        ("yield_per", Value::str("many")),
        ("yield_per", Value::Int(0)),
        ("identity_token", Value::str("a")),
    ] {
        let e = q.with_execution_option(name, &value).unwrap_err();
        assert_eq!(e.exc, crate::python::ExcType::NotImplementedError);
    }
}

/// A chained loader option: (strategy, `Class.attr`, innerjoin) per step.
type Steps<'a> = Vec<(Strategy, &'a str, InnerJoin)>;

/// The FROM clause of a query's SELECT.
fn from_of(q: &Query) -> String {
    let (select, _) = q.to_select().unwrap();
    let sql = fold(&compile_select(&select, &crate::sql::dialect::SQLITE).sql);
    sql.split_once(" FROM ").unwrap().1.to_string()
}

#[test]
fn joinedload_innerjoin_uses_join() {
    use InnerJoin::*;
    use Strategy::Joined;
    let c = Chat::start();
    let q = c.query(
        QueryStyle::Select,
        "User",
        vec![c.option(&[(Joined, "User.messages", Nested)])],
    );
    let (select, _) = q.to_select().unwrap();
    assert_eq!(
        fold(&compile_select(&select, &crate::sql::dialect::SQLITE).sql),
        "SELECT users.id, users.name, users.email, users.is_active, users.role_id, users.created_at, messages_1.id AS id_1, messages_1.user_id, messages_1.content, messages_1.created_at AS created_at_1 FROM users JOIN messages AS messages_1 ON users.id = messages_1.user_id"
    );
    let legacy = QueryStyle::Legacy(c.session.clone());
    let cases: Vec<(&str, Vec<Steps>, &str)> = vec![
        (
            "Message",
            vec![vec![
                (Joined, "Message.user", Nested),
                (Joined, "User.role", Nested),
            ]],
            "messages JOIN users AS users_1 ON users_1.id = messages.user_id JOIN roles AS roles_1 ON roles_1.id = users_1.role_id",
        ),
        (
            "Message",
            vec![vec![
                (Joined, "Message.user", Outer),
                (Joined, "User.role", Nested),
            ]],
            "messages LEFT OUTER JOIN (users AS users_1 JOIN roles AS roles_1 ON roles_1.id = users_1.role_id) ON users_1.id = messages.user_id",
        ),
        (
            "Message",
            vec![vec![
                (Joined, "Message.user", Nested),
                (Joined, "User.role", Outer),
            ]],
            "messages JOIN users AS users_1 ON users_1.id = messages.user_id LEFT OUTER JOIN roles AS roles_1 ON roles_1.id = users_1.role_id",
        ),
        (
            "Message",
            vec![vec![
                (Joined, "Message.user", Outer),
                (Joined, "User.role", Unnested),
            ]],
            "messages LEFT OUTER JOIN users AS users_1 ON users_1.id = messages.user_id LEFT OUTER JOIN roles AS roles_1 ON roles_1.id = users_1.role_id",
        ),
        (
            "User",
            vec![vec![(Joined, "User.groups", Nested)]],
            "users JOIN user_groups AS user_groups_1 ON users.id = user_groups_1.user_id JOIN groups AS groups_1 ON groups_1.id = user_groups_1.group_id",
        ),
        (
            "Role",
            vec![vec![
                (Joined, "Role.users", Outer),
                (Joined, "User.groups", Nested),
            ]],
            "roles LEFT OUTER JOIN (users AS users_1 JOIN user_groups AS user_groups_1 ON users_1.id = user_groups_1.user_id JOIN groups AS groups_1 ON groups_1.id = user_groups_1.group_id) ON roles.id = users_1.role_id",
        ),
        (
            "Role",
            vec![
                vec![
                    (Joined, "Role.users", Outer),
                    (Joined, "User.messages", Nested),
                ],
                vec![
                    (Joined, "Role.users", Outer),
                    (Joined, "User.profile", Nested),
                ],
            ],
            "roles LEFT OUTER JOIN (users AS users_1 JOIN messages AS messages_1 ON users_1.id = messages_1.user_id JOIN profiles AS profiles_1 ON users_1.id = profiles_1.user_id) ON roles.id = users_1.role_id",
        ),
        (
            "Role",
            vec![vec![
                (Joined, "Role.users", Outer),
                (Joined, "User.messages", Nested),
                (Joined, "Message.user", Nested),
            ]],
            "roles LEFT OUTER JOIN (users AS users_2 JOIN messages AS messages_1 ON users_2.id = messages_1.user_id JOIN users AS users_1 ON users_1.id = messages_1.user_id) ON roles.id = users_2.role_id",
        ),
        (
            "Role",
            vec![vec![
                (Joined, "Role.users", Nested),
                (Joined, "User.messages", Outer),
                (Joined, "Message.user", Nested),
            ]],
            "roles JOIN users AS users_2 ON roles.id = users_2.role_id LEFT OUTER JOIN (messages AS messages_1 JOIN users AS users_1 ON users_1.id = messages_1.user_id) ON users_2.id = messages_1.user_id",
        ),
        (
            "User",
            vec![vec![
                (Joined, "User.groups", Outer),
                (Joined, "Group.users", Nested),
            ]],
            "users LEFT OUTER JOIN (user_groups AS user_groups_1 JOIN groups AS groups_1 ON groups_1.id = user_groups_1.group_id JOIN user_groups AS user_groups_2 ON groups_1.id = user_groups_2.group_id JOIN users AS users_1 ON users_1.id = user_groups_2.user_id) ON users.id = user_groups_1.user_id",
        ),
        (
            "User",
            vec![
                vec![(Joined, "User.messages", Outer)],
                vec![(Joined, "User.role", Nested)],
            ],
            "users JOIN roles AS roles_1 ON roles_1.id = users.role_id LEFT OUTER JOIN messages AS messages_1 ON users.id = messages_1.user_id",
        ),
    ];
    for (class, options, expected) in cases {
        let options = options.iter().map(|o| c.option(o)).collect();
        let q = c.query(legacy.clone(), class, options);
        assert_eq!(from_of(&q), expected, "{class}");
    }
}

#[test]
fn joinedload_innerjoin_with_limit_joins_the_subquery() {
    let c = Chat::start();
    let mut q = c.query(
        QueryStyle::Legacy(c.session.clone()),
        "User",
        vec![c.option(&[(Strategy::Joined, "User.messages", InnerJoin::Nested)])],
    );
    q.limit = Some(2);
    assert!(from_of(&q).ends_with(
        "LIMIT ? OFFSET ?) AS anon_1 JOIN messages AS messages_1 ON anon_1.users_id = messages_1.user_id"
    ));
}

#[test]
fn innerjoin_code_and_python_value() {
    let c = Chat::start();
    let o = c.option(&[(Strategy::Joined, "User.messages", InnerJoin::Outer)]);
    let o = (*o)
        .clone()
        .with_innerjoin(InnerJoin::from_python(&Value::Bool(true)).unwrap());
    assert_eq!(o.code(), "joinedload(User.messages, innerjoin=True)");
    assert_eq!(
        InnerJoin::from_python(&Value::str("unnested")),
        Some(InnerJoin::Unnested)
    );
    assert_eq!(InnerJoin::from_python(&Value::Int(3)), None);
}

/// The identity map is a hash map by primary key, yet lists its objects
/// in class-then-key order whatever order they loaded in (what
/// `session.identity_map.values()` and an expire-all walk see).
#[test]
fn identity_map_lists_objects_in_key_order() {
    let c = Chat::start();
    let held: Vec<Obj> = [3, 1, 2]
        .into_iter()
        .map(|id| c.get("User", id, GetOptions::default()))
        .collect();
    assert_eq!(held.len(), 3);
    let objs = c.session.identity_objects();
    let keys: Vec<String> = objs
        .iter()
        .map(|o| {
            let b = o.borrow();
            format!("{} {:?}", b.mapper.class_name, b.key.as_deref())
        })
        .collect();
    assert_eq!(
        keys,
        [
            "User Some([Int(1)])",
            "User Some([Int(2)])",
            "User Some([Int(3)])"
        ]
    );
}

/// A flush looks at the new, dirty and deleted objects only (SQLAlchemy's
/// `_new`, `_modified`, `_deleted`), never at the whole identity map: a
/// session holding many loaded objects flushes a change as fast as an
/// empty one. The one-to-one replaced without its old value loaded
/// (`u.profile = None`) and a backref append to an unloaded collection are
/// both still found and flushed.
#[test]
fn a_flush_never_walks_the_identity_map() {
    let mut chat = Chat::start();
    let before = chat.session.identity_map_walks();
    let steps = chat.tutor.run_script(
        "users = session.query(User).all()\nmessages = session.query(Message).all()\n\
         for u in users[:3]:\n    u.name = u.name + '!'\n    session.flush()\n\
         m = Message(content='hi')\nm.user = users[5]\nsession.add(m)\nsession.flush()\n\
         session.delete(messages[0])\nsession.flush()\n\
         u = session.get(User, 2)\nu.profile = None\n",
    );
    assert!(steps.iter().all(|s| s.error.is_none()), "{steps:?}");
    assert_eq!(chat.session.identity_map_walks(), before);
    // This flush loads Bob's old profile and NULLs its `user_id`, which
    // the schema refuses, as it refuses SQLAlchemy's; the rollback that
    // follows expires every object, so it may walk the map.
    let last = chat.tutor.run_script("session.flush()\n");
    assert_eq!(
        last[0].error.as_ref().map(|e| e.type_name.as_str()),
        Some("IntegrityError")
    );
    let steps: Vec<_> = steps.into_iter().chain(last).collect();
    let sql: Vec<String> = steps
        .iter()
        .flat_map(|s| s.statements().map(|e| e.sql.clone()).collect::<Vec<_>>())
        .collect();
    assert_eq!(
        sql.iter().filter(|s| s.starts_with("UPDATE users")).count(),
        3
    );
    assert!(sql.iter().any(|s| s.starts_with("INSERT INTO messages")));
    assert!(
        sql.iter()
            .any(|s| s.starts_with("UPDATE profiles SET user_id")),
        "{sql:#?}"
    );
    assert!(sql.iter().any(|s| s.starts_with("DELETE FROM messages")));
}

/// Lazy loads reuse the statement compiled for their relationship
/// (`Relationship::lazy_sql`): every load of an N+1 loop shows the same SQL
/// with its own parameter, a many-to-one by primary key keeps `pk_1`, and
/// a load with loader options (another column list) gets its own SQL
/// rather than the cached one.
#[test]
fn lazy_loads_reuse_compiled_sql_with_their_own_parameters() {
    let mut chat = Chat::start();
    let steps = chat.tutor.run_script(
        "users = session.query(User).all()\nfor u in users[:3]:\n    n = len(u.messages)\n\
         session.expunge_all()\n\
         ms = session.query(Message).options(lazyload(Message.user).load_only(User.name)).filter(Message.id < 3).all()\n\
         x = ms[0].user\n\
         session.expunge_all()\nms = session.query(Message).filter(Message.id < 3).all()\nx = ms[0].user\n",
    );
    assert!(steps.iter().all(|s| s.error.is_none()), "{steps:?}");
    let sent: Vec<_> = steps
        .iter()
        .flat_map(|s| s.statements().cloned().collect::<Vec<_>>())
        .collect();
    let lazy: Vec<_> = sent
        .iter()
        .filter(|s| s.sql.starts_with("SELECT messages.id"))
        .collect();
    let first = &lazy[0].sql;
    assert!(first.ends_with("WHERE ? = messages.user_id"), "{first}");
    let params: Vec<_> = lazy[0..3].iter().map(|s| s.params.clone()).collect();
    assert!(lazy[0..3].iter().all(|s| &s.sql == first));
    assert_eq!(
        params,
        [1, 2, 3].map(|i| vec![crate::sql::schema::SqlValue::Integer(i)])
    );
    let users: Vec<_> = sent
        .iter()
        .filter(|s| s.sql.starts_with("SELECT users."))
        .collect();
    let narrow = &users[1].sql;
    let full = &users[2].sql;
    assert!(
        narrow.starts_with("SELECT users.id AS users_id, users.name AS users_name \nFROM users"),
        "{narrow}"
    );
    assert!(
        full.starts_with("SELECT users.id AS users_id, users.name AS users_name, users.email"),
        "{full}"
    );
    assert!(full.ends_with("WHERE users.id = ?"), "{full}");
}

/// An `ObjSet` keeps each object once in first-seen order, small or
/// large, whether the object comes again at once or later.
#[test]
fn obj_set_keeps_each_object_once_in_order() {
    use super::state::{Instance, InstanceCell, ObjSet};
    let chat = Chat::start();
    let mapper = chat.mapper("User");
    let objs: Vec<Obj> = (0..40)
        .map(|i| InstanceCell::new(Instance::new(mapper.clone(), i)))
        .collect();
    for expected in [0, 100] {
        let mut set = ObjSet::with_expected(expected);
        for round in 0..2 {
            for (i, o) in objs.iter().enumerate() {
                assert_eq!(set.insert(o), round == 0, "{i}");
                assert!(!set.insert(o));
                if i > 0 {
                    assert!(!set.insert(&objs[i - 1]));
                }
            }
        }
        let order: Vec<u64> = set.into_vec().iter().map(|o| o.borrow().address).collect();
        assert_eq!(order, (0..40).collect::<Vec<_>>());
    }
}

/// Objects pushed as new (no search, no hash set) are still found by a
/// later `insert`, whether pushed before or after the set grew large.
#[test]
fn obj_set_finds_objects_pushed_as_new() {
    use super::state::{Instance, InstanceCell, ObjSet};
    let chat = Chat::start();
    let mapper = chat.mapper("User");
    let objs: Vec<Obj> = (0..40)
        .map(|i| InstanceCell::new(Instance::new(mapper.clone(), i)))
        .collect();
    let mut set = ObjSet::default();
    for o in &objs[..20] {
        set.push_new(o);
    }
    for (i, o) in objs.iter().enumerate() {
        assert_eq!(set.insert(o), i >= 20, "{i}");
    }
    for o in &objs[..30] {
        assert!(!set.insert(o));
    }
    let order: Vec<u64> = set.into_vec().iter().map(|o| o.borrow().address).collect();
    assert_eq!(order, (0..40).collect::<Vec<_>>());
}

/// `get_row_or_insert` finds a live object, makes and keeps one when there
/// is none, and replaces an entry whose object is gone.
#[test]
fn identity_map_gets_or_inserts_in_one_look_up() {
    use super::identity::{IdentityMap, RowKey};
    use super::state::{Instance, InstanceCell};
    let chat = Chat::start();
    let mapper = chat.mapper("User");
    let make = |address| InstanceCell::new_clean(Instance::new(mapper.clone(), address));
    let mut map = IdentityMap::default();
    let Err(first) = map.get_row_or_insert("User", RowKey::Int(1), |_| true, || make(1)) else {
        panic!("found in an empty map");
    };
    let Ok(again) = map.get_row_or_insert("User", RowKey::Int(1), |_| true, || make(2)) else {
        panic!("not found");
    };
    assert!(Rc::ptr_eq(&first, &again));
    drop((first, again));
    let Err(fresh) = map.get_row_or_insert("User", RowKey::Int(1), |_| true, || make(3)) else {
        panic!("a dead entry was found");
    };
    assert_eq!(fresh.borrow().address, 3);
    // An object made from a row is clean: off the touched list until it
    // changes.
    assert!(!fresh.is_touched());
    fresh
        .borrow_mut()
        .dict
        .insert("name", crate::python::value::Value::None);
    assert!(fresh.is_touched());
    assert!(
        map.get_row("User", &RowKey::Int(1))
            .is_some_and(|o| Rc::ptr_eq(&o, &fresh))
    );
}

/// Integer keys of a dense range sit in the identity map's vector, any
/// other key (an id far past the others, below the first, negative,
/// composite) in its hash map: each is found, replaced when its object is
/// gone, removed, held, and listed in key order wherever it sits.
#[test]
fn identity_map_holds_dense_and_sparse_keys() {
    use super::identity::{IdentityMap, RowKey};
    use super::state::{Instance, InstanceCell};
    use crate::python::value::Value;
    let chat = Chat::start();
    let mapper = chat.mapper("User");
    let make = |address| InstanceCell::new_clean(Instance::new(mapper.clone(), address));
    let mut map = IdentityMap::default();
    let ids: Vec<i64> = (5000..7000)
        .chain([1_000_000, 4999, -3, 7000, 1_000_001])
        .collect();
    let mut held = Vec::new();
    for &id in &ids {
        let Err(o) = map.get_row_or_insert("User", RowKey::Int(id), |_| true, || make(id as u64))
        else {
            panic!("{id} found in the map");
        };
        held.push(o);
    }
    let pair = RowKey::of(&[Value::Int(1), Value::Int(2)]);
    let Err(composite) = map.get_row_or_insert("User", pair.clone(), |_| true, || make(7)) else {
        panic!("composite found");
    };
    for (&id, o) in ids.iter().zip(&held) {
        let Ok(again) = map.get_row_or_insert("User", RowKey::Int(id), |_| true, || make(0)) else {
            panic!("{id} not found");
        };
        assert!(Rc::ptr_eq(&again, o), "{id}");
        let key = ("User".to_string(), vec![super::identity::KeyPart::Int(id)]);
        assert!(map.holds(&key, o), "{id}");
    }
    assert!(
        map.get_row("User", &pair)
            .is_some_and(|o| Rc::ptr_eq(&o, &composite))
    );
    assert!(map.get_row("User", &RowKey::Int(4998)).is_none());
    assert!(map.get_row("User", &RowKey::Int(7001)).is_none());
    // Listed in key order, wherever held.
    let listed: Vec<u64> = map.values().iter().map(|o| o.borrow().address).collect();
    let mut expected: Vec<(RowKey, u64)> =
        ids.iter().map(|&i| (RowKey::Int(i), i as u64)).collect();
    expected.push((pair, 7));
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        listed,
        expected.into_iter().map(|(_, a)| a).collect::<Vec<_>>()
    );
    // A gone object is replaced; a removed key is not found.
    let at = ids.iter().position(|&i| i == 1_000_000).unwrap_or_default();
    held.remove(at);
    held.remove(0);
    for id in [1_000_000i64, 5000] {
        assert!(map.get_row("User", &RowKey::Int(id)).is_none(), "{id}");
        let Err(fresh) = map.get_row_or_insert("User", RowKey::Int(id), |_| true, || make(1))
        else {
            panic!("a dead entry of {id} was found");
        };
        assert_eq!(fresh.borrow().address, 1);
    }
    map.remove(&(
        "User".to_string(),
        vec![super::identity::KeyPart::Int(6000)],
    ));
    map.remove(&("User".to_string(), vec![super::identity::KeyPart::Int(-3)]));
    assert!(map.get_row("User", &RowKey::Int(6000)).is_none());
    assert!(map.get_row("User", &RowKey::Int(-3)).is_none());
    assert_eq!(map.values().len(), ids.len() - 2 + 1 - 2);
    // A key first held in the hash map is still found once the vector
    // grows past it, and is not held twice.
    let mut map = IdentityMap::default();
    let Err(first) = map.get_row_or_insert("User", RowKey::Int(5), |_| true, || make(5)) else {
        panic!("found");
    };
    let Err(far) = map.get_row_or_insert("User", RowKey::Int(3000), |_| true, || make(3000)) else {
        panic!("found");
    };
    let near: Vec<_> = (0..3100)
        .filter(|&id| id != 5 && id != 3000)
        .map(|id| map.get_row_or_insert("User", RowKey::Int(id), |_| true, || make(id as u64)))
        .collect();
    assert!(near.iter().all(|r| r.is_err()));
    let Ok(again) = map.get_row_or_insert("User", RowKey::Int(3000), |_| true, || make(0)) else {
        panic!("3000 lost");
    };
    assert!(Rc::ptr_eq(&again, &far));
    assert!(
        map.get_row("User", &RowKey::Int(3000))
            .is_some_and(|o| Rc::ptr_eq(&o, &far))
    );
    let key = (
        "User".to_string(),
        vec![super::identity::KeyPart::Int(3000)],
    );
    assert!(map.holds(&key, &far));
    assert_eq!(map.values().len(), 3100);
    drop((first, near));
}

/// Expiry is kept by attribute index: a commit expires every attribute of
/// an object without allocating its `Rare` parts, names read back in name
/// order, loading or setting one unexpires only it, and a name the mapper
/// does not map is still remembered.
#[test]
fn expiry_is_a_bitset_by_attribute_index() {
    use super::state::{Instance, InstanceCell};
    let chat = Chat::start();
    let u = chat.get("User", 1, GetOptions::default());
    chat.session.commit().unwrap();
    {
        let b = u.borrow();
        assert!(b.rare.is_none(), "commit allocated the Rare parts");
        assert!(b.has_expired() && b.has_expired_columns());
        assert!(b.is_expired("name") && b.is_expired("messages"));
        let names = b.expired_attributes();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(names.contains(&"email".to_string()));
        assert_eq!(names.len(), b.mapper.attribute_count());
    }
    get_attribute(&u, "name").unwrap();
    assert!(
        !u.borrow().has_expired_columns(),
        "the reload fills every column"
    );
    assert!(u.borrow().is_expired("messages"));

    let mapper = chat.mapper("User");
    let o = InstanceCell::new(Instance::new(mapper.clone(), 1));
    let mut b = o.borrow_mut();
    assert!(!b.has_expired() && !b.is_expired("name"));
    b.expire_attribute("messages");
    assert!(b.is_expired("messages") && !b.has_expired_columns());
    b.expire_attribute("not_mapped");
    assert!(b.is_expired("not_mapped"));
    assert_eq!(b.expired_attributes(), ["messages", "not_mapped"]);
    b.unexpire("not_mapped");
    b.unexpire("messages");
    assert!(!b.has_expired());
    b.expire_every_attribute();
    for i in 0..mapper.attribute_count() {
        let name = mapper.attribute_name(i).unwrap();
        assert_eq!(mapper.attribute_index(&name), Some(i));
        assert!(b.is_expired(&name), "{name}");
    }
    b.clear_expired();
    assert!(!b.has_expired());
}

/// A joined eager load of a collection reads each parent once from the
/// first of its rows (`loading::repeated_entity_columns`): the rows after
/// it give the same object without a look-up, and the driver may leave
/// its columns undecoded. Each user still gets exactly their messages;
/// an object already loaded stays the same object; one with an
/// expired attribute gets it from its first row; and a subquery load's
/// children join the right parents whether their rows come grouped or not.
#[test]
fn joined_rows_of_one_parent_read_it_once() {
    let mut chat = Chat::start();
    let steps = chat.tutor.run_script(
        "lazy = {u.id: sorted(m.id for m in u.messages) for u in session.query(User).all()}\n\
         first = session.get(User, 1)\nsession.expire(first, ['name'])\n\
         users = session.query(User).options(joinedload(User.messages)).all()\n\
         joined = {u.id: sorted(m.id for m in u.messages) for u in users}\n\
         again = [u for u in users if u.id == 1][0]\n\
         print(joined == lazy, len(users) == len(lazy), again is first, first.name)\n\
         session.expunge_all()\n\
         subq = session.query(User).options(subqueryload(User.messages)).order_by(User.id.desc()).all()\n\
         print({u.id: sorted(m.id for m in u.messages) for u in subq} == lazy)\n",
    );
    assert!(steps.iter().all(|s| s.error.is_none()), "{steps:?}");
    let printed: String = steps.iter().map(|s| s.stdout.as_str()).collect();
    assert_eq!(printed, "True True True Alice\nTrue\n");
}
