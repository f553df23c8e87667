//! What learners' classes do with the functions and generators of the
//! language: `@contextmanager` written as a decorator (on functions and
//! methods), generator methods and `__iter__`, iterator classes, user
//! exceptions raised `from` others, closures and every parameter kind in
//! methods, decorators whose wrapper takes `*args, **kwargs`. Each
//! expected output is CPython 3.11's (and SQLAlchemy 2.0's, through the
//! oracle) for the same script.

use std::process::Command;

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::StepOutcome;
use orm_tutor::tutor::{DbTarget, Tutor};

fn run(src: &str) -> Vec<StepOutcome> {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    t.run_script(src)
}

/// What the script printed; panics on a step that failed.
fn stdout(src: &str) -> String {
    let steps = run(src);
    if let Some(e) = steps.iter().find_map(|s| s.error.as_ref()) {
        panic!("a step failed: {}: {}", e.type_name, e.message);
    }
    steps.into_iter().map(|s| s.stdout).collect()
}

fn error(src: &str) -> (String, String) {
    let e = run(src)
        .pop()
        .and_then(|s| s.error)
        .expect("the last step fails");
    (e.type_name, e.message)
}

fn err(t: &str, m: &str) -> (String, String) {
    (t.to_string(), m.to_string())
}

#[test]
fn contextmanager_as_a_decorator_commits_and_rolls_back_a_repositorys_session() {
    let src = r#"from contextlib import contextmanager

@contextmanager
def session_scope():
    s = Session(engine)
    try:
        yield s
        s.commit()
    except Exception:
        s.rollback()
        raise
    finally:
        s.close()

class Messages:
    def __init__(self, scope):
        self.scope = scope
    def add(self, content):
        with self.scope() as s:
            s.add(Message(user_id=1, content=content))
    def count(self):
        with self.scope() as s:
            return s.scalar(select(func.count(Message.id)))

repo = Messages(session_scope)
before = repo.count()
repo.add("kept")
try:
    with session_scope() as s:
        s.add(Message(user_id=1, content="dropped"))
        s.flush()
        raise ValueError("boom")
except ValueError as e:
    print("caught", e)
print(repo.count() - before, type(session_scope).__name__, session_scope.__name__)
"#;
    assert_eq!(stdout(src), "caught boom\n1 function session_scope\n");
}

#[test]
fn contextmanager_methods_bind_to_their_instance() {
    let src = r#"from contextlib import contextmanager
class Repo:
    def __init__(self, name):
        self.name = name
    @contextmanager
    def scope(self, suffix=""):
        print("open", self.name + suffix)
        yield self
        print("close", self.name + suffix)
    @staticmethod
    @contextmanager
    def plain():
        yield "plain"
with Repo("r").scope("!") as r:
    print("in", r.name)
with Repo.plain() as p:
    print(p)
print(Repo.scope.__name__, Repo.scope.__qualname__, Repo.scope.__wrapped__.__name__)
"#;
    assert_eq!(
        stdout(src),
        "open r!\nin r\nclose r!\nplain\nscope Repo.scope scope\n"
    );
}

#[test]
fn generator_methods_and_iter_run_lazily_with_super() {
    let src = r#"class Base:
    def rows(self):
        yield "base"
class Bag(Base):
    def __init__(self, *items):
        self.items = items
    def __iter__(self):
        for x in self.items:
            print("yield", x)
            yield x
    def rows(self):
        yield "bag"
        yield from super().rows()
b = Bag(1, 2)
it = iter(b)
print(type(it).__name__, type(b.rows()).__name__)
print("first", next(it))
for x in b:
    print("loop", x)
print(list(b.rows()), sum(b), 2 in b, sorted(b, reverse=True))
"#;
    assert_eq!(
        stdout(src),
        "generator generator\nyield 1\nfirst 1\nyield 1\nloop 1\nyield 2\nloop 2\n\
         yield 1\nyield 2\nyield 1\nyield 2\nyield 1\nyield 2\n['bag', 'base'] 3 True [2, 1]\n"
    );
}

#[test]
fn iterator_classes_use_their_next() {
    let src = r#"class Counter:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n == 0:
            raise StopIteration
        self.n -= 1
        return self.n
c = Counter(2)
print(iter(c) is c, next(c), list(c), next(c, "done"))
print([x * 2 for x in Counter(3)])
"#;
    assert_eq!(stdout(src), "True 1 [0] done\n[4, 2, 0]\n");
    assert_eq!(
        error("class It:\n    def __iter__(self):\n        return [1]\nfor x in It():\n    pass\n"),
        err("TypeError", "iter() returned non-iterator of type 'list'")
    );
    assert_eq!(
        error("class P:\n    pass\nfor x in P():\n    pass\n"),
        err("TypeError", "'P' object is not iterable")
    );
}

#[test]
fn user_exceptions_raised_from_others_keep_their_chain() {
    let src = r#"class AppError(Exception):
    def __init__(self, message, *, code=500):
        super().__init__(message)
        self.code = code
class NotFound(AppError):
    pass
def find(key):
    try:
        return {}[key]
    except KeyError as e:
        raise NotFound(f"no {key}", code=404) from e
try:
    find("x")
except AppError as e:
    print(type(e).__name__, e, e.code, e.args)
    print(type(e.__cause__).__name__, e.__context__ is e.__cause__, e.__suppress_context__)
    caught = e
try:
    raise RuntimeError("wrapped") from caught
except RuntimeError as r:
    print(r.__cause__ is caught, r.__cause__.code)
try:
    raise caught
except NotFound as again:
    print(again is caught, type(again.__cause__).__name__)
try:
    try:
        find("y")
    except NotFound:
        raise AppError("during")
except AppError as d:
    print(type(d.__context__).__name__, d.__cause__, d.__suppress_context__)
"#;
    assert_eq!(
        stdout(src),
        "NotFound no x 404 ('no x',)\nKeyError True True\nTrue 404\nTrue KeyError\nNotFound None False\n"
    );
    assert_eq!(
        error("class P:\n    pass\nraise ValueError('x') from P()\n"),
        err(
            "TypeError",
            "exception causes must derive from BaseException"
        )
    );
}

#[test]
fn methods_close_over_their_call_and_take_every_parameter_kind() {
    let src = r#"class Tally:
    def __init__(self, start=0, *, step=1, **labels):
        self.total = start
        self.step = step
        self.labels = labels
    def counter(self):
        count = 0
        def bump(by=None):
            nonlocal count
            count += by if by is not None else self.step
            self.total += 1
            return count
        return bump
    def add(self, *values, scale=1, **extra):
        return sum(values) * scale, sorted(extra.items())
t = Tally(10, step=5, kind="x")
bump = t.counter()
print(bump(), bump(2), t.total, t.labels, bump.__qualname__)
print(t.add(1, 2, 3, scale=2, b=1, a=2), t.add(*[4, 5], **{"scale": 3}))
"#;
    assert_eq!(
        stdout(src),
        "5 7 12 {'kind': 'x'} Tally.counter.<locals>.bump\n(12, [('a', 2), ('b', 1)]) (27, [])\n"
    );
    assert_eq!(
        error("class Repo:\n    def get(self, k, *, strict):\n        pass\nRepo().get(1)\n"),
        err(
            "TypeError",
            "Repo.get() missing 1 required keyword-only argument: 'strict'"
        )
    );
    assert_eq!(
        error("class Repo:\n    def __init__(self, session):\n        pass\nRepo()\n"),
        err(
            "TypeError",
            "Repo.__init__() missing 1 required positional argument: 'session'"
        )
    );
}

#[test]
fn decorators_with_star_args_wrappers_wrap_functions_and_methods() {
    let src = r#"def trace(func):
    def wrapper(*args, **kwargs):
        print("call", func.__name__, args[1:] if args and isinstance(args[0], Repo) else args, kwargs)
        return func(*args, **kwargs)
    return wrapper
class Repo:
    @trace
    def get(self, key, *, default=None):
        return {"a": 1}.get(key, default)
    @staticmethod
    @trace
    def make(*names):
        return list(names)
@trace
def add(a, b=2):
    return a + b
print(add(1), add(1, b=5), Repo().get("a"), Repo().get("z", default=0), Repo.make("x", "y"))
print(add.__name__, add.__qualname__)
"#;
    assert_eq!(
        stdout(src),
        "call add (1,) {}\ncall add (1,) {'b': 5}\ncall get ('a',) {}\n\
         call get ('z',) {'default': 0}\ncall make ('x', 'y') {}\n3 6 1 0 ['x', 'y']\n\
         wrapper trace.<locals>.wrapper\n"
    );
    // functools.wraps copies the wrapped function's name (CPython 3.11's
    // output for the same script).
    assert_eq!(
        stdout(
            "from functools import wraps\ndef trace(f):\n    @wraps(f)\n    def wrapper(*a, **k):\n        return f(*a, **k)\n    return wrapper\n\
@trace\ndef add(a, b=2):\n    return a + b\nprint(add.__name__, add(1))\n"
        ),
        "add 3\n"
    );
}

/// A user exception raised `from` a KeyError in a method, leaving a
/// `@contextmanager` block that rolls back and re-raises: CPython 3.11's
/// chained traceback, written for `/tmp/tb/userchain.py`.
#[test]
fn a_chained_user_exception_through_a_contextmanager_prints_cpythons_traceback() {
    let script = r#"from contextlib import contextmanager
@contextmanager
def scope():
    try:
        yield "db"
    except Exception:
        print("rollback")
        raise
class NotFound(LookupError):
    pass
class Repo:
    def get(self, key):
        try:
            return {}[key]
        except KeyError as e:
            raise NotFound(f"no {key}") from e
with scope() as db:
    Repo().get("x")
"#;
    let cpython = r#"rollback
Traceback (most recent call last):
  File "/tmp/tb/userchain.py", line 14, in get
    return {}[key]
           ~~^^^^^
KeyError: 'x'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/tmp/tb/userchain.py", line 18, in <module>
    Repo().get("x")
  File "/tmp/tb/userchain.py", line 16, in get
    raise NotFound(f"no {key}") from e
NotFound: no x
"#;
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("userchain.py");
    std::fs::write(&path, script).expect("the script is written");
    let out = Command::new(env!("CARGO_BIN_EXE_orm-tutor"))
        .args(["run", &path.display().to_string()])
        .env("NO_COLOR", "1")
        .env("ORM_TUTOR_HOME", dir.path())
        .output()
        .expect("orm-tutor runs");
    let out = String::from_utf8_lossy(&out.stdout);
    let expected = cpython.replace("/tmp/tb/userchain.py", &path.display().to_string());
    assert!(
        out.contains(&expected),
        "expected CPython's traceback\n{expected}\nin\n{out}"
    );
}
