//! What a learner sees for the language's and the ORM's everyday behaviour,
//! run through the library on the real `chat` fixture: printed output,
//! Python's errors with their location and hints, lazy queries, the N+1
//! note, and the session view.

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::{Shown, StepOutcome};
use orm_tutor::tutor::{DbTarget, Tutor};

fn run(src: &str) -> Vec<StepOutcome> {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    t.run_script(src)
}

fn last(src: &str) -> StepOutcome {
    run(src).pop().expect("at least one step")
}

fn error(src: &str) -> (String, String, Option<String>) {
    let e = last(src).error.expect("an error");
    (e.type_name, e.message, e.hint)
}

#[test]
fn name_error_points_at_the_name_and_suggests_the_model() {
    let step = last("session.query(Usr).all()");
    let e = step.error.expect("NameError");
    assert_eq!(e.type_name, "NameError");
    assert_eq!(e.message, "name 'Usr' is not defined");
    assert_eq!(e.hint.as_deref(), Some("did you mean 'User'?"));
    let loc = e.location.expect("location");
    assert_eq!((loc.line, loc.column, loc.width), (1, 14, 3));
    assert_eq!(loc.text, "session.query(Usr).all()");
}

#[test]
fn attribute_error_on_a_class_names_the_type_and_points_at_the_attribute() {
    let step = last("x = 1\nsession.query(User).filter(User.nme == 'Bob').all()");
    let e = step.error.expect("AttributeError");
    assert_eq!(e.type_name, "AttributeError");
    assert_eq!(e.message, "type object 'User' has no attribute 'nme'");
    assert_eq!(e.hint.as_deref(), Some("did you mean 'name'?"));
    let loc = e.location.expect("location");
    assert_eq!((loc.line, loc.column, loc.width), (2, 32, 3));
}

#[test]
fn attribute_error_on_an_instance() {
    let (t, m, h) = error("u = session.get(User, 1)\nu.emial");
    assert_eq!(t, "AttributeError");
    assert_eq!(m, "'User' object has no attribute 'emial'");
    assert_eq!(h.as_deref(), Some("did you mean 'email'?"));
}

#[test]
fn type_errors_for_wrong_arguments() {
    assert_eq!(
        error("User(nmae='x')").1,
        "'nmae' is an invalid keyword argument for User"
    );
    assert_eq!(error("len(1)").1, "object of type 'int' has no len()");
    assert_eq!(
        error("'a' + 1").1,
        "can only concatenate str (not \"int\") to str"
    );
    assert_eq!(
        error("1 + 'a'").1,
        "unsupported operand type(s) for +: 'int' and 'str'"
    );
    assert_eq!(error("session.get(User)").0, "TypeError");
}

#[test]
fn syntax_errors_have_a_location_and_the_next_statement_still_runs() {
    let steps = run("x = (1,\ny = 2\nprint('after')\n");
    let first = steps[0].error.as_ref().expect("SyntaxError");
    assert_eq!(first.type_name, "SyntaxError");
    assert!(first.location.is_some());
    let steps = run("x = = 1\nprint('after')\n");
    assert_eq!(
        steps[0].error.as_ref().map(|e| e.type_name.as_str()),
        Some("SyntaxError")
    );
    assert_eq!(steps[1].stdout, "after\n");
}

#[test]
fn print_uses_python_formatting() {
    let step = last("print(1, 2.5, 2.0, 'a', None, True, [1, 'b'], (1,), {'k': [None]}, 1e16)");
    assert_eq!(
        step.stdout,
        "1 2.5 2.0 a None True [1, 'b'] (1,) {'k': [None]} 1e+16\n"
    );
    let step = last("u = session.get(User, 1)\nprint(u.created_at, repr(u.created_at))");
    assert_eq!(
        step.stdout,
        "2024-01-15 09:00:00 datetime.datetime(2024, 1, 15, 9, 0)\n"
    );
    let step = last("print(f\"{'x':>3}|{2.5:.2f}|{7:03d}|{[1]!r}\")");
    assert_eq!(step.stdout, "  x|2.50|007|[1]\n");
}

#[test]
fn objects_without_repr_print_like_python() {
    let step = last("print(session.get(User, 1))");
    assert!(
        step.stdout.starts_with("<__main__.User object at 0x"),
        "{}",
        step.stdout
    );
}

#[test]
fn a_class_with_repr_uses_it() {
    let step = last(
        "class Tag(Base):\n    __tablename__ = 'tags'\n    id = Column(Integer, primary_key=True)\n    label = Column(String(20))\n    def __repr__(self):\n        return f\"<Tag {self.label!r}>\"\nprint(Tag(label='sql'))",
    );
    assert_eq!(step.error, None);
    assert_eq!(step.stdout, "<Tag 'sql'>\n");
}

#[test]
fn a_bare_query_is_lazy_and_shows_its_sql() {
    let step = last("session.query(User).filter(User.id == 5)");
    assert_eq!(step.statements().count(), 0);
    match step.shown {
        Some(Shown::Query { sql, params }) => {
            assert!(sql.contains("WHERE users.id = ?"), "{sql}");
            assert_eq!(params.len(), 1);
        }
        other => panic!("expected the query's SQL, got {other:?}"),
    }
}

#[test]
fn results_show_as_tables_cut_when_long() {
    let step = last("session.query(Message).all()");
    match step.shown {
        Some(Shown::Table {
            columns,
            rows,
            omitted,
            ..
        }) => {
            assert_eq!(columns, vec!["id", "user_id", "content", "created_at"]);
            assert_eq!(rows.len() + omitted, 20);
            assert_eq!(rows[0][2], "Hello!");
        }
        other => panic!("expected a table, got {other:?}"),
    }
}

#[test]
fn n_plus_one_is_detected_with_the_fix_and_not_for_eager_loads() {
    let steps = run(
        "users = session.query(User).all()\nfor user in users:\n    print(user.name, len(user.messages))\n",
    );
    let notes = &steps[1].notes;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(
        notes[0].contains("8 lazy loads of User.messages"),
        "{}",
        notes[0]
    );
    assert!(
        notes[0].contains("session.query(User).options(selectinload(User.messages)).all()"),
        "{}",
        notes[0]
    );
    let steps = run(
        "users = session.query(User).options(selectinload(User.messages)).all()\nfor user in users: print(user.name, len(user.messages))\n",
    );
    assert!(steps.iter().all(|s| s.notes.is_empty()));
}

#[test]
fn the_session_view_shows_states_and_changes() {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("fixture");
    t.run_script("a = session.get(User, 1)\na.name = 'Alicia'\nsession.add(User(name='Zoe', email='z@x.org'))");
    let view = t.session_view();
    assert!(view.contains("User(1)"), "{view}");
    assert!(view.contains("persistent"), "{view}");
    assert!(view.contains("name: 'Alice' → 'Alicia'"), "{view}");
    assert!(view.contains("session.new: [User (no key yet)]"), "{view}");
    assert!(view.contains("session.dirty: [User(1)]"), "{view}");
}

#[test]
fn deep_or_huge_input_is_an_error_not_a_crash() {
    let deep = format!("x = {}1{}", "(".repeat(5000), ")".repeat(5000));
    let step = last(&deep);
    assert_eq!(step.error.map(|e| e.type_name), Some("SyntaxError".into()));
    let step = last("def f(n):\n    return f(n + 1)\nf(0)");
    assert_eq!(
        step.error.map(|e| e.type_name),
        Some("RecursionError".into())
    );
    let step = last("i = 0\nwhile True:\n    i += 1");
    assert_eq!(step.error.map(|e| e.type_name), Some("RuntimeError".into()));
}

#[test]
fn sql_injection_in_a_string_is_just_a_value() {
    let step = last("session.query(User).filter(User.name == \"x'; DROP TABLE users; --\").all()");
    let s = step.statements().next().expect("one statement");
    assert!(!s.sql.contains("DROP"));
    let step = last("session.query(User).count()");
    assert_eq!(step.value_json, Some(serde_json::json!(8)));
}

#[test]
fn try_except_catches_sqlalchemy_errors_by_class() {
    let step = last(
        "try:\n    session.query(User).filter(User.id > 0).one()\nexcept MultipleResultsFound as e:\n    print('many:', e)\n",
    );
    assert_eq!(
        step.stdout,
        "many: Multiple rows were found when exactly one was required\n"
    );
    let step = last(
        "try:\n    session.query(User).filter(User.id > 99).one()\nexcept InvalidRequestError:\n    print('caught by base class')\n",
    );
    assert_eq!(step.stdout, "caught by base class\n");
}

#[test]
fn two_tutors_in_one_thread_keep_their_own_sessions() {
    let mut a = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("fixture");
    a.run_script("users = session.query(User).all()");
    let mut b = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("fixture");
    let steps = b.run_script(
        "for u in session.query(User).order_by(User.id): print(u.name, len(u.messages))",
    );
    assert_eq!(steps[0].statements().count(), 9);
}

#[test]
fn functions_take_default_parameter_values() {
    let step = last(
        "def f(a, b=2, c=None):\n    return (a + b, c)\nprint(f(1), f(1, 5), f(1, c='x'), (lambda x, y=3: x * y)(2))",
    );
    assert_eq!(step.stdout, "(3, None) (6, None) (3, 'x') 6\n");
    let (t, m, _) = error("def g(a=1, b): pass");
    assert_eq!(
        (t.as_str(), m.as_str()),
        (
            "SyntaxError",
            "non-default argument follows default argument"
        )
    );
}

#[test]
fn an_error_inside_a_function_points_at_the_call() {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("fixture");
    t.run_script("def f(n):\n    return 1 / n");
    let step = t.run_entry("x = 5\ny = f(0)").pop().expect("step");
    let e = step.error.expect("ZeroDivisionError");
    assert_eq!(e.type_name, "ZeroDivisionError");
    let loc = e.location.expect("location");
    assert_eq!(
        (loc.line, loc.text.as_str(), loc.column, loc.width),
        (2, "y = f(0)", 4, 4)
    );
}

#[test]
fn a_for_loop_reads_a_list_live_as_python_does() {
    let step = last("xs = [1, 2, 3, 4]\nfor x in xs:\n    xs.remove(x)\nprint(xs)");
    assert_eq!(step.stdout, "[2, 4]\n");
    let step = last("xs = [1]\nfor x in xs:\n    if x < 3:\n        xs.append(x + 1)\nprint(xs)");
    assert_eq!(step.stdout, "[1, 2, 3]\n");
    let step = last("xs = [1, 2, 3, 4]\nys = [xs.pop() for x in xs]\nprint(ys, xs)");
    assert_eq!(step.stdout, "[4, 3] [1, 2]\n");
    // list(), sorted() and friends take a snapshot.
    let step = last("xs = [3, 1]\nfor x in sorted(xs):\n    xs.append(x)\nprint(xs)");
    assert_eq!(step.stdout, "[3, 1, 1, 3]\n");
    let (t, m, _) = error("d = {1: 1}\nfor k in d:\n    d[k + 1] = 1");
    assert_eq!(
        (t.as_str(), m.as_str()),
        ("RuntimeError", "dictionary changed size during iteration")
    );
}

#[test]
fn removing_from_a_relationship_collection_in_a_loop_skips_as_sqlalchemy_does() {
    let step = last(
        "u = session.get(User, 1)\nn = len(u.messages)\nfor m in u.messages:\n    u.messages.remove(m)\nprint(n, len(u.messages))",
    );
    let counts: Vec<usize> = step
        .stdout
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    assert!(counts[0] >= 2, "{}", step.stdout);
    assert_eq!(counts[1], counts[0] / 2, "{}", step.stdout);
}

#[test]
fn builtin_methods_raise_cpythons_type_errors() {
    assert_eq!(
        error("[].append()").1,
        "list.append() takes exactly one argument (0 given)"
    );
    assert_eq!(
        error("[].insert(1)").1,
        "insert expected 2 arguments, got 1"
    );
    assert_eq!(
        error("len()").1,
        "len() takes exactly one argument (0 given)"
    );
    assert_eq!(
        error("print(foo=1)").1,
        "'foo' is an invalid keyword argument for print()"
    );
    let (t, m, h) = error("[].apend(1)");
    assert_eq!(
        (t.as_str(), m.as_str()),
        ("AttributeError", "'list' object has no attribute 'apend'")
    );
    assert_eq!(h.as_deref(), Some("did you mean 'append'?"));
}

#[test]
fn a_select_asked_for_a_query_method_says_how_to_run_it() {
    let (ty, message, hint) = error("select(User).first()");
    assert_eq!(ty, "AttributeError");
    assert_eq!(message, "'Select' object has no attribute 'first'");
    assert_eq!(
        hint.as_deref(),
        Some("a select() runs through a session: session.execute(stmt).scalars().first()")
    );
}

#[test]
fn a_name_sqlalchemys_star_import_binds_but_the_tutor_lacks_says_so() {
    // The oracle's namespace starts with `from sqlalchemy import *`, which
    // binds Computed: not a NameError, the tutor's own word.
    let (ty, message, _) = error("c = Computed(\"1\")");
    assert_eq!(ty, "NotImplementedError");
    assert_eq!(
        message,
        "orm-tutor does not support 'Computed' from 'sqlalchemy' yet"
    );
    let (ty, _, _) = error("Computedx");
    assert_eq!(ty, "NameError");
}

#[test]
fn a_keyword_sqlalchemy_takes_but_the_tutor_lacks_says_so() {
    let (ty, message, _) = error("session.get(User, 1, with_for_update=True)");
    assert_eq!(ty, "NotImplementedError");
    assert_eq!(
        message,
        "orm-tutor does not support the 'with_for_update' argument of Session.get() yet"
    );
}

#[test]
fn session_methods_complete_and_hint_from_their_table() {
    let (ty, message, hint) = error("session.comit()");
    assert_eq!(ty, "AttributeError");
    assert_eq!(message, "'Session' object has no attribute 'comit'");
    assert_eq!(hint.as_deref(), Some("did you mean 'commit'?"));
}

#[test]
fn sessionmaker_keeps_its_keywords_for_the_sessions_it_makes() {
    let steps = run(
        "Local = sessionmaker(bind=engine, expire_on_commit=False)\n\
         s = Local()\n\
         u = s.get(User, 1)\n\
         s.commit()\n\
         u.name",
    );
    let last = steps.last().expect("steps");
    assert!(last.error.is_none(), "{:?}", last.error);
    assert_eq!(last.statements().count(), 0, "no reload after commit");
}

#[test]
fn a_script_pasted_from_a_python_session_runs_without_its_prompts() {
    let steps = run(
        ">>> names = [u.name for u in session.query(User).all()]\n>>> for n in names[:2]:\n...     print(n)\n",
    );
    assert_eq!(steps.len(), 2);
    assert!(steps.iter().all(|s| s.error.is_none()));
    assert_eq!(steps[1].stdout, "Alice\nBob\n");
    assert_eq!(steps[1].line, 2);
}

#[test]
fn lines_that_used_to_kill_the_tutor_give_results_or_python_errors() {
    // each once overflowed the stack or panicked (exit 101)
    let cases: &[(&str, Option<&str>)] = &[
        ("user_groups.insert().values(user_id=1, group_id=3)", None),
        ("user_groups.select()", None),
        ("user_groups.update()", None),
        ("user_groups.delete()", None),
        ("Message.user.desc()", Some("NotImplementedError")),
        ("User.messages.is_(None)", Some("NotImplementedError")),
        ("User.messages.label('x')", Some("NotImplementedError")),
        ("User.name.any()", Some("AttributeError")),
        ("User.name.has()", Some("AttributeError")),
        ("x = [1]\nx.append(x)\nx", None),
        (
            "x = [1]\nx.append(x)\ny = [1]\ny.append(y)\nx == y",
            Some("RecursionError"),
        ),
        ("x = \"\"\"café\"\"\"", None),
        ("datetime(2024, 1, 1).strftime('%')", None),
    ];
    for (src, expected) in cases {
        let step = last(src);
        assert_eq!(
            step.error.as_ref().map(|e| e.type_name.as_str()),
            *expected,
            "{src}: {:?}",
            step.error
        );
    }
    let step = last("x = [1]\nx.append(x)\nx");
    assert_eq!(step.value_json, Some(serde_json::json!([1, "[...]"])));
}

/// A `sessionmaker` is an object of its own type with SQLAlchemy 2.0's repr
/// (copied from real SQLAlchemy 2.0.58), and calling it makes a `Session`.
#[test]
fn sessionmaker_factories_print_and_make_sessions() {
    let step = last(
        "Maker = sessionmaker(bind=engine, expire_on_commit=False)\n\
         s = Maker()\n\
         print(repr(Maker), type(Maker).__name__, type(s).__name__)\n",
    );
    assert_eq!(
        step.stdout,
        "sessionmaker(class_='Session', bind=Engine(sqlite://), autoflush=True, \
         expire_on_commit=False) sessionmaker Session\n"
    );
}

/// Mapped instances keep Python's identity and type through the object model.
#[test]
fn mapped_instances_keep_type_identity_and_id() {
    let step = last(
        "u = session.get(User, 1)\n\
         print(type(u) is User, u is session.get(User, 1), id(u) == id(u), type(u.messages).__name__)\n",
    );
    assert_eq!(step.stdout, "True True True InstrumentedList\n");
}

/// `help()` of SQLAlchemy's functions, classes and `Session`'s methods
/// (on the class and bound) gives pydoc's header, SQLAlchemy 2.0's
/// signature and a one-line summary; `Session.execute` read on the class
/// is a function that runs with a session first.
#[test]
fn help_gives_sqlalchemy_signatures_and_summaries() {
    let step = last("help(select)\n");
    assert_eq!(
        step.stdout,
        "Help on function select in module sqlalchemy.sql._selectable_constructors:\n\n\
         select(*entities: '_ColumnsClauseArgument[Any]', **__kw: 'Any') -> 'Select[Any]'\n    \
         Makes a SELECT statement of entities, columns or expressions; run it with session.execute() or session.scalars().\n"
    );
    let step = last("import sqlalchemy as sa\nhelp(sa.create_engine)\n");
    assert!(
        step.stdout.starts_with(
            "Help on function create_engine in module sqlalchemy.engine.create:\n\n\
             create_engine(url: 'Union[str, _url.URL]', **kwargs: 'Any') -> 'Engine'\n    Makes an Engine"
        ),
        "{}",
        step.stdout
    );
    let step = last("help(Session.commit)\n");
    assert_eq!(
        step.stdout,
        "Help on function commit in module sqlalchemy.orm.session:\n\n\
         commit(self) -> 'None'\n    Flushes pending changes and commits the current transaction.\n"
    );
    let step = last("help(session.execute)\n");
    assert!(
        step.stdout.starts_with(
            "Help on method execute in module sqlalchemy.orm.session:\n\nexecute(statement: 'Executable', params:"
        ) && step
            .stdout
            .contains("-> 'Result[Any]' method of sqlalchemy.orm.session.Session instance\n    Runs a statement"),
        "{}",
        step.stdout
    );
    let step = last("help(Integer)\n");
    assert_eq!(
        step.stdout,
        "Help on class Integer in module sqlalchemy.sql.sqltypes:\n\nclass Integer\n |  Integer()\n |  \n |  The integer type (INTEGER).\n"
    );
    let step = last("print(Session.get(session, User, 1).name, callable(Session.add))\n");
    assert_eq!(step.stdout, "Alice True\n");
    let (t, m, _) = error("Session.commit()\n");
    assert_eq!(t, "TypeError");
    assert_eq!(
        m,
        "Session.commit() missing 1 required positional argument: 'self'"
    );
}

/// `help(Model)` describes the table, columns and relationships truly;
/// `help(f)` and `help(len)` give the signature as pydoc's first lines.
#[test]
fn help_describes_models_functions_and_builtins() {
    let step = last("help(User)\n");
    assert!(
        step.stdout
            .starts_with("class User — mapped to table users\n"),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout
            .contains("    email: VARCHAR(255), NOT NULL, unique\n"),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout
            .contains("    role_id: INTEGER, foreign key to roles.id\n"),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout
            .contains("    messages: list of Message (one-to-many)\n"),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout.contains("    role: Role (many-to-one)\n"),
        "{}",
        step.stdout
    );
    assert!(
        step.stdout
            .contains("    groups: list of Group (many-to-many)\n"),
        "{}",
        step.stdout
    );
    assert!(step.shown.is_none(), "help() returns None");
    let step = last("def f(x, y=2):\n    return x\n\nhelp(f)\n");
    assert_eq!(
        step.stdout,
        "Help on function f in module __main__:\n\nf(x, y=2)\n\n"
    );
    let step = last("help(len)\n");
    assert_eq!(
        step.stdout,
        "Help on built-in function len in module builtins:\n\nlen(obj, /)\n"
    );
    let step = last("help(session)\n");
    assert!(
        step.stdout
            .starts_with("Help on Session in module sqlalchemy.orm.session object:\n\nclass Session\n |  Session(bind: 'Optional[_SessionBind]' = None, *, autoflush: 'bool' = True,"),
        "{}",
        step.stdout
    );
    assert!(step.stdout.contains("add_all"), "{}", step.stdout);
    let (t, m, _) = error("help()\n");
    assert_eq!(t, "NotImplementedError");
    assert!(
        m.starts_with("orm-tutor does not support help() without an argument"),
        "{m}"
    );
}

#[test]
fn compound_selects_the_tutor_lacks_say_so() {
    for (script, message) in [
        (
            "session.execute(union(select(User), select(User)))",
            "orm-tutor does not support union() / union_all() of selects of whole entities such as select(User), except through .subquery() yet",
        ),
        (
            "union(select(User.id).order_by(User.id), select(User.id))",
            "orm-tutor does not support union() / union_all() of a select that has its own ORDER BY, LIMIT or OFFSET yet",
        ),
        (
            "union(union(select(User.id), select(User.id)), select(User.id))",
            "orm-tutor does not support a union() / union_all() nested in another one yet",
        ),
        (
            "session.query(User.id).union(session.query(User.id))",
            "orm-tutor does not support Query.union() (use select(...).union(...) with session.execute()) yet",
        ),
        (
            "union()",
            "orm-tutor does not support union() with no selects yet",
        ),
    ] {
        let (ty, m, _) = error(script);
        assert_eq!(
            (ty.as_str(), m.as_str()),
            ("NotImplementedError", message),
            "{script}"
        );
    }
}

#[test]
fn a_deferred_column_loads_with_its_own_select_noted_as_such() {
    let step = last(
        "u = session.scalars(select(User).options(load_only(User.name)).where(User.id == 1)).one()\nu.email\n",
    );
    let notes: Vec<Option<String>> = step.statements().map(|s| s.cause.note()).collect();
    assert_eq!(notes, vec![Some("load of deferred User.email".to_string())]);
    let (t, m, _) = error(
        "u = session.scalars(select(User).options(defer(User.email, raiseload=True)).where(User.id == 1)).one()\nu.email\n",
    );
    assert_eq!(t, "InvalidRequestError");
    assert_eq!(m, "'User.email' is not available due to raiseload=True");
}

/// A method real SQLAlchemy has and the tutor lacks says so at the line,
/// never as an `AttributeError` SQLAlchemy would not raise; a name neither
/// has stays an `AttributeError`.
#[test]
fn a_real_method_the_tutor_lacks_is_not_implemented() {
    let (ty, msg, _) = error("session.bind_table(None, None)");
    assert_eq!(ty, "NotImplementedError");
    assert_eq!(msg, "orm-tutor does not support Session.bind_table yet");
    let (ty, msg, _) = error("session.no_such_thing");
    assert_eq!(ty, "AttributeError");
    assert_eq!(msg, "'Session' object has no attribute 'no_such_thing'");
}

/// A `range` is a value of its own, as CPython's: equal only to a range of
/// the same integers (never to the list it reads as), hashable, sliced into
/// a range, with `start`/`stop`/`step`, `index` and `count`, and an
/// `isinstance` check. Expected output is CPython 3.11's for the same
/// script.
#[test]
fn range_compares_hashes_and_slices_as_in_python() {
    let steps = run(concat!(
        "r = range(1, 10, 2)\n",
        "print(range(3) == [0, 1, 2], range(3) == range(0, 3), range(0) == range(5, 2))\n",
        "print(isinstance(r, range), isinstance([1], range), hash(range(3)) == hash(range(0, 3)))\n",
        "print(r[1:3], r[::-1], r.start, r.stop, r.step, r.index(5), r.count(6))\n",
        "print({range(3): 1}[range(0, 3)])\n",
        "r.index(6)\n",
    ));
    let out: String = steps.iter().map(|s| s.stdout.as_str()).collect();
    assert_eq!(
        out,
        "False True True\nTrue False True\nrange(3, 7, 2) range(9, -1, -2) 1 10 2 2 0\n1\n"
    );
    let e = steps
        .last()
        .and_then(|s| s.error.clone())
        .expect("ValueError");
    assert_eq!(
        (e.type_name.as_str(), e.message.as_str()),
        ("ValueError", "6 is not in range")
    );
}

/// `iter(range)` and `reversed(range)` are CPython's `range_iterator`,
/// and a reversed huge range is as lazy as the range.
#[test]
fn range_iterators_are_named_and_lazy_as_in_python() {
    let steps = run(concat!(
        "print(type(iter(range(2))).__name__, type(reversed(range(2))).__name__)\n",
        "print(next(reversed(range(10**12))), list(reversed(range(1, 10, 3))))\n",
    ));
    let out: String = steps.iter().map(|s| s.stdout.as_str()).collect();
    assert_eq!(
        out,
        "range_iterator range_iterator\n999999999999 [7, 4, 1]\n"
    );
}

/// `range` is lazy, as CPython's: a loop over a huge one runs (and can
/// stop early), and it prints as `range(0, 3)`. Expected output is
/// CPython 3.11's for the same script.
#[test]
fn range_is_a_lazy_sequence_as_in_python() {
    let steps = run(concat!(
        "print(range(3), range(0, 10, 2))\n",
        "print(list(range(5)), len(range(0, 10, 3)), sum(range(101)))\n",
        "print(3 in range(5), range(10)[-1], [i * i for i in range(4)])\n",
        "for i in range(10**8):\n    if i == 3:\n        break\n",
        "print(i)\n",
        "r = range(2, 20, 5)\n",
        "print(list(r), list(r), bool(range(0)), sorted(range(3), reverse=True))\n",
    ));
    let out: String = steps.iter().map(|s| s.stdout.as_str()).collect();
    assert_eq!(
        out,
        "range(0, 3) range(0, 10, 2)\n[0, 1, 2, 3, 4] 4 5050\nTrue 9 [0, 1, 4, 9]\n3\n[2, 7, 12, 17] [2, 7, 12, 17] False [2, 1, 0]\n"
    );
    assert!(steps.iter().all(|s| s.error.is_none()));
    assert_eq!(
        error("range(5)[10]"),
        (
            "IndexError".into(),
            "range object index out of range".into(),
            None
        )
    );
}
