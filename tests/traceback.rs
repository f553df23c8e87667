//! End-to-end: an error inside learner-defined functions prints the
//! traceback CPython 3.11 prints for the same script (`python3 FILE`; the
//! SQLAlchemy scripts run on the `chat` models with a user 1), the path
//! being the one given on the command line.

mod cpython_traceback;
use cpython_traceback::{assert_traceback, run};

#[test]
fn nested_functions_and_a_binary_operator() {
    assert_traceback(
        "tb",
        "def f(x):\n    y = x + 1\n    return y / 0\n\ndef g():\n    return f(1)\n\ng()\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/tb.py", line 8, in <module>
    g()
  File "/tmp/tb/tb.py", line 6, in g
    return f(1)
           ^^^^
  File "/tmp/tb/tb.py", line 3, in f
    return y / 0
           ~~^~~
ZeroDivisionError: division by zero
"#,
    );
}

#[test]
fn subscripts_and_a_call_inside_an_assignment() {
    assert_traceback(
        "t2",
        "def h(d):\n    return d[\"k\"]\ndef k(d):\n    x = h(d)\n    return x\nk({})\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/t2.py", line 6, in <module>
    k({})
  File "/tmp/tb/t2.py", line 4, in k
    x = h(d)
        ^^^^
  File "/tmp/tb/t2.py", line 2, in h
    return d["k"]
           ~^^^^^
KeyError: 'k'
"#,
    );
}

#[test]
fn a_whole_line_operator_keeps_its_carets_and_a_call_inside_a_list() {
    assert_traceback(
        "t3",
        "def f():\n    1 / 0\nf()\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/t3.py", line 3, in <module>
    f()
  File "/tmp/tb/t3.py", line 2, in f
    1 / 0
    ~~^~~
ZeroDivisionError: division by zero
"#,
    );
    assert_traceback(
        "t4",
        "def f():\n    return undefined_name + 1\nx = [f()]\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/t4.py", line 3, in <module>
    x = [f()]
         ^^^
  File "/tmp/tb/t4.py", line 2, in f
    return undefined_name + 1
           ^^^^^^^^^^^^^^
NameError: name 'undefined_name' is not defined
"#,
    );
}

#[test]
fn a_missing_attribute_of_an_object_from_session_get() {
    assert_traceback(
        "sa",
        "def display_name(user_id):\n    user = session.get(User, user_id)\n    return user.nickname\n\nprint(display_name(1))\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/sa.py", line 5, in <module>
    print(display_name(1))
          ^^^^^^^^^^^^^^^
  File "/tmp/tb/sa.py", line 3, in display_name
    return user.nickname
           ^^^^^^^^^^^^^
AttributeError: 'User' object has no attribute 'nickname'
"#,
    );
}

#[test]
fn a_missing_class_attribute_in_a_select() {
    assert_traceback(
        "sa2",
        "def newest(n):\n    stmt = select(User).where(User.nickname == n)\n    return session.scalars(stmt).all()\n\nnewest(\"ada\")\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/sa2.py", line 5, in <module>
    newest("ada")
  File "/tmp/tb/sa2.py", line 2, in newest
    stmt = select(User).where(User.nickname == n)
                              ^^^^^^^^^^^^^
AttributeError: type object 'User' has no attribute 'nickname'
"#,
    );
}

#[test]
fn an_error_at_top_level_keeps_the_compact_form() {
    let (out, path) = run("top", "x = 1 / 0\n");
    assert!(
        out.contains(&format!(
            "  File \"{path}\", line 1\n    x = 1 / 0\n        ^^^^^\nZeroDivisionError: division by zero\n"
        )),
        "{out}"
    );
    assert!(!out.contains("Traceback"), "{out}");
}

#[test]
fn a_sqlalchemy_signature_error_inside_a_function() {
    assert_traceback(
        "sa3",
        "def lookup():\n    return session.get(User)\n\nlookup()\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/sa3.py", line 4, in <module>
    lookup()
  File "/tmp/tb/sa3.py", line 2, in lookup
    return session.get(User)
           ^^^^^^^^^^^^^^^^^
TypeError: Session.get() missing 1 required positional argument: 'ident'
"#,
    );
}

#[test]
fn recursion_repeats_are_cut_after_three_frames() {
    let (out, _) = run("rec", "def r(n):\n    return r(n + 1)\nr(0)\n");
    let frame = "    return r(n + 1)\n           ^^^^^^^^\n";
    assert_eq!(out.matches(frame).count(), 3, "{out}");
    assert!(
        out.contains("  [Previous line repeated 197 more times]\nRecursionError: maximum recursion depth exceeded\n"),
        "{out}"
    );
}

/// In the REPL, a function defined in an earlier entry is located in that
/// entry's text, its lines counted from the entry's first line (as
/// CPython's `<stdin>` does).
#[test]
fn a_function_from_an_earlier_repl_entry_keeps_its_own_lines() {
    use orm_tutor::fixture::Fixture;
    use orm_tutor::tutor::{DbTarget, Tutor};
    let mut t = match Tutor::start(Fixture::chat(), DbTarget::Memory) {
        Ok(t) => t,
        Err(e) => panic!("chat fixture loads: {e:?}"),
    };
    t.run_entry("x = 1\ndef half(n):\n    return n / 0\n");
    let steps = t.run_entry("half(3)\n");
    let Some(err) = steps.last().and_then(|s| s.error.clone()) else {
        panic!("half(3) raises");
    };
    assert_eq!(err.type_name, "ZeroDivisionError");
    assert_eq!(err.location.map(|l| l.line), Some(1));
    let [frame] = err.traceback.as_slice() else {
        panic!("one frame: {:?}", err.traceback);
    };
    assert_eq!(frame.function, "half");
    let Some(loc) = &frame.location else {
        panic!("the frame has its line");
    };
    assert_eq!((loc.line, loc.text.as_str()), (3, "    return n / 0"));
    assert_eq!(
        (loc.column, loc.width, loc.operator),
        (11, 5, Some((13, 14)))
    );
}
