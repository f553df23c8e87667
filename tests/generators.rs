//! Generators as a learner meets them (issues 9 and 11): lazy bodies driven
//! by `next()`, `for`, `send`, `throw` and `close`; generators closed when
//! dropped; `contextlib.contextmanager` / `asynccontextmanager` with their
//! errors; async generators; and the SQL timing around a `yield`. The
//! golden cases `g01`–`g04` check the same against real SQLAlchemy; these
//! pin what those do not reach. Expected texts are CPython 3.11's.

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::{Event, Shown, StepOutcome, TxEvent};
use orm_tutor::tutor::{DbTarget, Tutor};

fn run(src: &str) -> Vec<StepOutcome> {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    t.run_script(src)
}

fn last(src: &str) -> StepOutcome {
    run(src).pop().expect("at least one step")
}

fn error(src: &str) -> (String, String) {
    let e = last(src).error.expect("an error");
    (e.type_name, e.message)
}

fn repr(step: &StepOutcome) -> String {
    match &step.shown {
        Some(Shown::Repr(r)) => r.clone(),
        other => panic!("expected a repr, got {other:?}"),
    }
}

fn tx(step: &StepOutcome) -> Vec<&'static str> {
    step.events
        .iter()
        .filter_map(|e| match e {
            Event::Tx(t) => Some(t.name()),
            Event::Statement(_) => None,
        })
        .collect()
}

const COUNTER: &str = "def counter(n):\n    print('started')\n    try:\n        for i in range(n):\n            got = yield i\n            if got is not None:\n                print('got', got)\n    finally:\n        print('finally')\n    return 'done'\n";

#[test]
fn a_generator_body_runs_only_when_resumed() {
    let steps = run(&format!(
        "{COUNTER}g = counter(2)\ng\nnext(g)\ng.send('x')\nnext(g, 'end')"
    ));
    assert_eq!(steps[1].stdout, "");
    assert!(repr(&steps[2]).starts_with("<generator object counter at 0x"));
    assert_eq!(
        (steps[3].stdout.as_str(), repr(&steps[3])),
        ("started\n", "0".into())
    );
    assert_eq!(
        (steps[4].stdout.as_str(), repr(&steps[4])),
        ("got x\n", "1".into())
    );
    assert_eq!(
        (steps[5].stdout.as_str(), repr(&steps[5])),
        ("finally\n", "'end'".into())
    );
}

#[test]
fn for_runs_its_body_between_resumptions() {
    let step = last(&format!(
        "{COUNTER}for v in counter(2):\n    print('body', v)\n"
    ));
    assert_eq!(step.stdout, "started\nbody 0\nbody 1\nfinally\n");
}

#[test]
fn stop_iteration_carries_the_return_value_and_prints_bare_when_empty() {
    assert_eq!(
        error(&format!("{COUNTER}g = counter(0)\nnext(g)")),
        ("StopIteration".into(), "done".into())
    );
    let e = error("def g():\n    yield 1\nx = g()\nnext(x)\nnext(x)");
    assert_eq!(e, ("StopIteration".into(), String::new()));
}

#[test]
fn a_dropped_suspended_generator_runs_its_finally() {
    let steps = run(&format!(
        "{COUNTER}g = counter(5)\nnext(g)\ndel g\nnext(counter(3))"
    ));
    assert_eq!(steps[3].stdout, "finally\n");
    assert_eq!(steps[4].stdout, "started\nfinally\n");
}

#[test]
fn a_for_loop_broken_early_closes_its_generator() {
    let step = last(&format!(
        "{COUNTER}for v in counter(9):\n    break\nprint('after')"
    ));
    assert_eq!(step.stdout, "after\n");
    let steps = run(&format!("{COUNTER}for v in counter(9):\n    break\n"));
    assert_eq!(steps[1].stdout, "started\nfinally\n");
}

#[test]
fn close_and_throw_reach_the_paused_yield() {
    let ignore = "def ignore():\n    while True:\n        try:\n            yield 1\n        except GeneratorExit:\n            print('ignoring')\ni = ignore()\nnext(i)\ni.close()";
    let step = last(ignore);
    assert_eq!(step.stdout, "ignoring\n");
    let e = step.error.expect("RuntimeError");
    assert_eq!(
        (e.type_name.as_str(), e.message.as_str()),
        ("RuntimeError", "generator ignored GeneratorExit")
    );
    assert_eq!(
        error("def g():\n    yield 1\ng().throw(5)").1,
        "exceptions must be classes or instances deriving from BaseException, not int"
    );
    assert_eq!(
        error("def g():\n    yield 1\ng().send(1)").1,
        "can't send non-None value to a just-started generator"
    );
    assert_eq!(
        error("def g():\n    yield 1\ng().throw(ValueError('early'))"),
        ("ValueError".into(), "early".into())
    );
}

#[test]
fn python_errors_of_the_generator_protocol() {
    assert_eq!(
        error("def r():\n    yield next(me)\nme = r()\nnext(me)"),
        ("ValueError".into(), "generator already executing".into())
    );
    assert_eq!(
        error("def s():\n    raise StopIteration\n    yield\nnext(s())"),
        (
            "RuntimeError".into(),
            "generator raised StopIteration".into()
        )
    );
    assert_eq!(
        error("def g():\n    yield from g()\nnext(g())"),
        (
            "RecursionError".into(),
            "maximum recursion depth exceeded".into()
        )
    );
    assert_eq!(error("next(3)").1, "'int' object is not an iterator");
    assert_eq!(
        error("next()").1,
        "next expected at least 1 argument, got 0"
    );
    assert_eq!(
        error("next(iter([]), 1, 2)").1,
        "next expected at most 2 arguments, got 3"
    );
    assert_eq!(
        error("async def a():\n    yield 1\nlist(a())").1,
        "'async_generator' object is not iterable"
    );
}

#[test]
fn yield_outside_a_statement_or_function_is_refused() {
    let (t, m) = error("def f():\n    print((yield 1))\nlist(f())");
    assert_eq!(t, "NotImplementedError");
    assert_eq!(
        m,
        "orm-tutor does not support 'yield' inside an expression yet"
    );
    assert_eq!(
        error("yield 1"),
        ("SyntaxError".into(), "'yield' outside function".into())
    );
}

#[test]
fn iterators_and_generator_expressions() {
    let steps = run(
        "it = iter([1, 2, 3])\nnext(it)\nlist(it)\ntype(it).__name__\ng = (x * 2 for x in [1, 2])\ng\nlist(g)\nlist(g)\niter(g) is g",
    );
    assert_eq!(repr(&steps[1]), "1");
    assert_eq!(repr(&steps[2]), "[2, 3]");
    assert_eq!(repr(&steps[3]), "'list_iterator'");
    assert!(repr(&steps[5]).starts_with("<generator object <genexpr> at 0x"));
    assert_eq!(repr(&steps[6]), "[2, 4]");
    assert_eq!(repr(&steps[7]), "[]");
    assert_eq!(repr(&steps[8]), "True");
    assert_eq!(repr(&last("sum(x for x in range(4))")), "6");
}

#[test]
fn yield_from_delegates_and_returns_the_inner_value() {
    let step = last(
        "def inner():\n    yield 1\n    return 5\ndef outer():\n    x = yield from inner()\n    print('x', x)\n    yield from 'ab'\nlist(outer())",
    );
    assert_eq!(step.stdout, "x 5\n");
    assert_eq!(repr(&step), "[1, 'a', 'b']");
}

#[test]
fn contextmanager_errors_are_contextlibs() {
    let pre = "from contextlib import contextmanager, asynccontextmanager\n";
    assert_eq!(
        error(&format!(
            "{pre}def n():\n    if False:\n        yield\nwith contextmanager(n)():\n    pass"
        )),
        ("RuntimeError".into(), "generator didn't yield".into())
    );
    assert_eq!(
        error(&format!(
            "{pre}def t():\n    yield 1\n    yield 2\nwith contextmanager(t)():\n    pass"
        ))
        .1,
        "generator didn't stop"
    );
    assert_eq!(
        error(&format!("{pre}def t():\n    try:\n        yield 1\n    except ValueError:\n        yield 2\nwith contextmanager(t)():\n    raise ValueError('x')")).1,
        "generator didn't stop after throw()"
    );
    assert_eq!(
        error(&format!("{pre}async def t():\n    yield 1\n    yield 2\nasync with asynccontextmanager(t)():\n    pass")).1,
        "generator didn't stop"
    );
    assert_eq!(
        repr(&last(&format!("{pre}type(contextmanager).__name__"))),
        "'function'"
    );
}

#[test]
fn contextmanager_commits_after_the_block_and_rolls_back_on_error() {
    let src = "from contextlib import contextmanager\ndef scope_gen():\n    s = Session(engine)\n    try:\n        yield s\n        s.commit()\n    except Exception:\n        s.rollback()\n        raise\n    finally:\n        s.close()\nscope = contextmanager(scope_gen)\nwith scope() as s:\n    s.add(Message(user_id=1, content='hi'))\n    s.flush()\n    print('end of block')\n";
    let step = last(src);
    assert_eq!(step.stdout, "end of block\n");
    assert_eq!(tx(&step), vec!["BEGIN", "COMMIT"]);
    let failing = format!(
        "{src}with scope() as s:\n    s.add(Message(user_id=1, content='x'))\n    s.flush()\n    1 / 0\n"
    );
    let step = last(&failing);
    assert_eq!(tx(&step), vec!["BEGIN", "ROLLBACK"]);
    assert_eq!(
        step.error.expect("ZeroDivisionError").type_name,
        "ZeroDivisionError"
    );
}

#[test]
fn async_generators_run_lazily_under_async_for() {
    let src = "async def agen():\n    for i in range(2):\n        print('producing', i)\n        yield i\nasync for v in agen():\n    print('consumed', v)\n";
    assert_eq!(
        last(src).stdout,
        "producing 0\nconsumed 0\nproducing 1\nconsumed 1\n"
    );
    let steps = run(&format!(
        "{src}a = agen()\na\nawait a.__anext__()\nawait a.aclose()\nawait a.__anext__()"
    ));
    assert!(repr(&steps[3]).starts_with("<async_generator object agen at 0x"));
    assert_eq!(repr(&steps[4]), "0");
    assert_eq!(
        steps[6].error.as_ref().map(|e| e.type_name.as_str()),
        Some("StopAsyncIteration")
    );
}

#[test]
fn a_get_db_generator_closes_its_session_when_resumed_not_before() {
    let src = "def get_db():\n    db = Session(engine)\n    try:\n        yield db\n    finally:\n        db.close()\ngen = get_db()\ndb = next(gen)\ndb.get(User, 1).name\nnext(gen, None)";
    let steps = run(src);
    assert_eq!(tx(&steps[3]), vec!["BEGIN"]);
    assert_eq!(tx(&steps[4]), vec!["ROLLBACK"]);
    assert!(matches!(
        steps[4].events.last(),
        Some(Event::Tx(TxEvent::Rollback))
    ));
}

/// Generators with what the `functions` branch brought: closures made in a
/// generator see its later bindings, the iterator built-ins drive it
/// lazily, `for`/`while` `else:` blocks may yield, and an exception raised
/// in an `except` body after a `yield` keeps its `__context__`. Expected
/// texts are CPython 3.11's.
#[test]
fn generators_plug_into_closures_iterator_builtins_and_loop_else() {
    let step = last(concat!(
        "def gen():\n    x = 10\n    def add(y):\n        return x + y\n    yield add\n    x = 20\n    yield add\n",
        "def counter(n):\n    for i in range(n):\n        yield i\n    return 'done'\n",
        "def h():\n    for i in range(2):\n        yield i\n    else:\n        yield 'else'\n",
        "    n = 0\n    while n < 1:\n        n += 1\n        yield 'w'\n    else:\n        yield 'welse'\n",
        "    for i in range(3):\n        if i == 1:\n            break\n        yield i\n    else:\n        yield 'never'\n",
        "def ctx():\n    try:\n        yield 1\n        raise KeyError('k')\n    except KeyError:\n        yield 2\n        raise ValueError('v')\n",
        "if True:\n",
        "    g = gen()\n    f = next(g)\n    print(f(1))\n    next(g)\n    print(f(1))\n",
        "    print(list(map(lambda v: v * 2, counter(3))), list(filter(None, counter(3))))\n",
        "    c = counter(0)\n    print(next(c, 'd'), iter(c) is c)\n",
        "    print(*counter(3))\n    a, *rest = counter(4)\n    print(a, rest)\n",
        "    print(list(h()))\n",
        "    try:\n        list(ctx())\n    except ValueError as e:\n        print(repr(e), type(e.__context__).__name__)\n",
    ));
    assert_eq!(step.error.map(|e| e.message), None);
    assert_eq!(
        step.stdout,
        "11\n21\n[0, 2, 4] [1, 2]\nd True\n0 1 2\n0 [1, 2, 3]\n[0, 1, 'else', 'w', 'welse', 0]\nValueError('v') KeyError\n"
    );
}
