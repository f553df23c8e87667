//! Plain Python classes, user exception classes and decorators, run
//! through the library on the `chat` fixture: what a learner sees, with
//! CPython 3.11's messages (each checked with python3).

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::StepOutcome;
use orm_tutor::tutor::{DbTarget, Tutor};

fn run(src: &str) -> Vec<StepOutcome> {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    t.run_script(src)
}

fn stdout(src: &str) -> String {
    run(src).into_iter().map(|s| s.stdout).collect()
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
fn decorators_are_evaluated_top_down_and_applied_bottom_up() {
    let src = "order = []\n\
def d1(f):\n    order.append('d1')\n    return f\n\
def d2(f):\n    order.append('d2')\n    return f\n\
def mk(n):\n    order.append('mk' + n)\n    return d1 if n == '1' else d2\n\
@mk('1')\n@mk('2')\ndef g():\n    return 5\n\
print(order, g())\n";
    assert_eq!(stdout(src), "['mk1', 'mk2', 'd2', 'd1'] 5\n");
}

#[test]
fn a_class_instance_with_call_decorates_a_function() {
    let src = "class W:\n    def __init__(self, f):\n        self.f = f\n    def __call__(self, x):\n        return self.f(x) + 1\n\
@W\ndef inc(x):\n    return x\n\
print(inc(1), type(inc).__name__)\n";
    assert_eq!(stdout(src), "2 W\n");
}

#[test]
fn a_failing_decorator_leaves_the_name_unbound() {
    let src = "def bad(f):\n    raise ValueError('no')\n@bad\ndef h():\n    pass\nh";
    let steps = run(src);
    let e = steps[1].error.as_ref().expect("ValueError");
    assert_eq!(
        (e.type_name.as_str(), e.message.as_str()),
        ("ValueError", "no")
    );
    assert_eq!(error(src), err("NameError", "name 'h' is not defined"));
}

#[test]
fn decorated_steps_are_on_their_definition_line() {
    let steps = run("def d(f):\n    return f\n@d\ndef g():\n    pass\n");
    assert_eq!(steps[1].line, 4);
    assert!(steps[1].code.starts_with("@d\n"));
}

#[test]
fn super_outside_a_method_is_a_runtime_error() {
    assert_eq!(
        error("def f():\n    return super()\nf()"),
        err("RuntimeError", "super(): no arguments")
    );
}

#[test]
fn inconsistent_bases_have_no_mro() {
    assert_eq!(
        error("class A:\n    pass\nclass B(A):\n    pass\nclass C(A, B):\n    pass"),
        err(
            "TypeError",
            "Cannot create a consistent method resolution\norder (MRO) for bases A, B"
        )
    );
}

#[test]
fn classes_without_init_take_no_arguments() {
    assert_eq!(
        error("class A:\n    pass\nA(1)"),
        err("TypeError", "A() takes no arguments")
    );
    assert_eq!(
        error("class D:\n    def __init__(self):\n        return 1\nD()"),
        err("TypeError", "__init__() should return None, not 'int'")
    );
}

#[test]
fn property_without_setter_refuses_assignment() {
    let src = "class C:\n    @property\n    def x(self):\n        return 1\nc = C()\nc.x = 2";
    assert_eq!(
        error(src),
        err("AttributeError", "property 'x' of 'C' object has no setter")
    );
    assert_eq!(
        error("class C:\n    pass\nC.y"),
        err("AttributeError", "type object 'C' has no attribute 'y'")
    );
}

#[test]
fn len_checks_what_len_returns() {
    let neg = "class A:\n    def __len__(self):\n        return -1\nlen(A())";
    assert_eq!(
        error(neg),
        err("ValueError", "__len__() should return >= 0")
    );
    let s = "class B:\n    def __len__(self):\n        return 'x'\nlen(B())";
    assert_eq!(
        error(s),
        err(
            "TypeError",
            "'str' object cannot be interpreted as an integer"
        )
    );
}

#[test]
fn plain_instances_refuse_what_their_class_does_not_define() {
    let c = "class C:\n    pass\n";
    assert_eq!(
        error(&format!("{c}C() < C()")),
        err(
            "TypeError",
            "'<' not supported between instances of 'C' and 'C'"
        )
    );
    assert_eq!(
        error(&format!("{c}C()()")),
        err("TypeError", "'C' object is not callable")
    );
    assert_eq!(
        error(&format!("{c}C()[0]")),
        err("TypeError", "'C' object is not subscriptable")
    );
    assert_eq!(
        error(&format!("{c}1 in C()")),
        err("TypeError", "argument of type 'C' is not iterable")
    );
    assert_eq!(
        error(&format!("{c}del C().zz")),
        err("AttributeError", "'C' object has no attribute 'zz'")
    );
}

#[test]
fn exception_classes_keep_their_args_and_match_their_bases() {
    let src = "class E(Exception):\n    pass\n\
try:\n    raise E\nexcept E as e:\n    print(repr(e), e.args)\n\
class X(LookupError):\n    pass\n\
try:\n    try:\n        raise X('a')\n    except KeyError:\n        print('no')\nexcept LookupError as e:\n    print('outer', e, isinstance(e, X))\n";
    assert_eq!(stdout(src), "E() ()\nouter a True\n");
    assert_eq!(
        error("class E(Exception):\n    pass\nE(x=1)"),
        err("TypeError", "E() takes no keyword arguments")
    );
    assert_eq!(
        error("class N:\n    pass\ntry:\n    pass\nexcept N:\n    pass\nraise N()"),
        err("TypeError", "exceptions must derive from BaseException")
    );
}

#[test]
fn staticmethods_and_classmethods_bind_as_python() {
    let src = "class R:\n    n = 2\n    @staticmethod\n    def s():\n        return 1\n    @classmethod\n    def c(cls):\n        return cls.n\n\
print(R.s(), R().s(), R.c(), R().c(), R.__name__, R.__bases__)\n";
    assert_eq!(stdout(src), "1 1 2 2 R (<class 'object'>,)\n");
}

#[test]
fn unsupported_bases_are_not_implemented() {
    let (t, m) = error("class D(dict):\n    pass");
    assert_eq!(t, "NotImplementedError");
    assert!(
        m.starts_with("orm-tutor does not support classes derived from"),
        "{m}"
    );
}

#[test]
fn validators_run_on_mapped_attributes() {
    let src = "class Account(Base):\n    __tablename__ = 'accounts'\n    id = Column(Integer, primary_key=True)\n    email = Column(String)\n    @validates('email')\n    def check(self, key, value):\n        return value.lower()\n\
a = Account(email='A@B.C')\na.email = 'X@Y.Z'\nprint(a.email)\n";
    assert_eq!(stdout(src), "x@y.z\n");
}

#[test]
fn hash_follows_dunder_hash_and_eq() {
    // python3: `hash(P())` with `__eq__` only; `__hash__` returning 2**62, -1, 'x'.
    let classes = "class P:\n    def __eq__(self, o):\n        return True\n\
class H:\n    def __init__(self, h):\n        self.h = h\n    def __hash__(self):\n        return self.h\n";
    assert_eq!(
        error(&format!("{classes}hash(P())")),
        err("TypeError", "unhashable type: 'P'")
    );
    assert_eq!(
        stdout(&format!(
            "{classes}print(hash(H(2**62)), hash(H(-1)), hash((1, 2)), hash(1.5), hash(True))"
        )),
        "4611686018427387904 -2 -3550055125485641917 1152921504606846977 1\n"
    );
    assert_eq!(
        error(&format!("{classes}hash(H('x'))")),
        err("TypeError", "__hash__ method should return an integer")
    );
    assert_eq!(
        error("hash([1])"),
        err("TypeError", "unhashable type: 'list'")
    );
    assert_eq!(
        stdout("class O:\n    pass\no = O()\nprint(hash(o) == hash(o), hash)"),
        "True <built-in function hash>\n"
    );
}

#[test]
fn issubclass_takes_a_tuple_with_builtin_types() {
    let src = "class X:\n    pass\nclass Y(X):\n    pass\n\
print(issubclass(Y, (int, X)), issubclass(Y, (str, dict)), issubclass(X, User))";
    assert_eq!(stdout(src), "True False False\n");
}

#[test]
fn a_mapped_instance_has_its_class() {
    let src =
        "u = User(name='x')\nprint(u.__class__.__name__, u.__class__ is User, type(u) is User)";
    assert_eq!(stdout(src), "User True True\n");
}

#[test]
fn hybrid_properties_need_their_import_and_a_setter() {
    assert_eq!(
        error("hybrid_property"),
        err("NameError", "name 'hybrid_property' is not defined")
    );
    let src = "from sqlalchemy.ext.hybrid import hybrid_property\n\
class Box(Base):\n    __tablename__ = 'boxes'\n    id = Column(Integer, primary_key=True)\n    w = Column(Integer)\n    h = Column(Integer)\n    @hybrid_property\n    def area(self):\n        return self.w * self.h\n\
b = Box(w=2, h=3)\nprint(b.area)\nprint(select(Box.area))\nb.area = 1\n";
    assert_eq!(
        stdout(src),
        "6\nSELECT boxes.w * boxes.h AS area \nFROM boxes\n"
    );
    assert_eq!(error(src), err("AttributeError", "can't set attribute"));
}
