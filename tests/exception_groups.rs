//! End-to-end: Python 3.11's exception groups — `ExceptionGroup(...)`,
//! `except*`, and the boxed `Exception Group Traceback` of an uncaught
//! group — printed as CPython 3.11 prints the same script (`python3
//! FILE`), each expected text copied from CPython's output.

mod cpython_traceback;
use cpython_traceback::{assert_traceback, run};

#[test]
fn an_uncaught_group_is_boxed_with_its_members_numbered() {
    assert_traceback(
        "plain",
        "raise ExceptionGroup(\"many\", [KeyError(\"k\"), TypeError(\"t\")])\n",
        r#"  + Exception Group Traceback (most recent call last):
  |   File "/tmp/tb/plain.py", line 1, in <module>
  |     raise ExceptionGroup("many", [KeyError("k"), TypeError("t")])
  | ExceptionGroup: many (2 sub-exceptions)
  +-+---------------- 1 ----------------
    | KeyError: 'k'
    +---------------- 2 ----------------
    | TypeError: t
    +------------------------------------
"#,
    );
}

#[test]
fn a_member_keeps_its_traceback_and_a_nested_group_closes_its_own_box() {
    assert_traceback(
        "nested",
        "def f():\n    raise ValueError(\"inner\")\ntry:\n    f()\nexcept ValueError as e:\n    err = e\nraise ExceptionGroup(\"outer\", [err, ExceptionGroup(\"nested\", [KeyError(\"k\")])])\n",
        r#"  + Exception Group Traceback (most recent call last):
  |   File "/tmp/tb/nested.py", line 7, in <module>
  |     raise ExceptionGroup("outer", [err, ExceptionGroup("nested", [KeyError("k")])])
  | ExceptionGroup: outer (2 sub-exceptions)
  +-+---------------- 1 ----------------
    | Traceback (most recent call last):
    |   File "/tmp/tb/nested.py", line 4, in <module>
    |     f()
    |   File "/tmp/tb/nested.py", line 2, in f
    |     raise ValueError("inner")
    | ValueError: inner
    +---------------- 2 ----------------
    | ExceptionGroup: nested (1 sub-exception)
    +-+---------------- 1 ----------------
      | KeyError: 'k'
      +------------------------------------
"#,
    );
}

#[test]
fn except_star_clauses_each_take_their_part_and_the_rest_is_raised_again() {
    let script = "try:\n    raise ExceptionGroup(\"many\", [KeyError(\"k\"), TypeError(\"t\"), ValueError(\"v\")])\nexcept* KeyError as e:\n    print(\"keys\", repr(e))\nexcept* (TypeError, ValueError) as e:\n    print(\"rest\", repr(e), e.message, len(e.exceptions))\ntry:\n    raise ValueError(\"naked\")\nexcept* ValueError as e:\n    print(\"naked\", repr(e))\ntry:\n    raise KeyError(\"x\")\nexcept* ValueError:\n    print(\"no\")\n";
    let (out, _) = run("star", script);
    for line in [
        "keys ExceptionGroup('many', [KeyError('k')])",
        "rest ExceptionGroup('many', [TypeError('t'), ValueError('v')]) many 2",
        "naked ExceptionGroup('', (ValueError('naked'),))",
        "KeyError: 'x'",
    ] {
        assert!(out.contains(line), "expected {line:?} in\n{out}");
    }
    assert!(!out.contains("no\n"), "{out}");
}

#[test]
fn except_and_except_star_cannot_share_a_try() {
    let (out, _) = run(
        "mixed",
        "try:\n    pass\nexcept ValueError:\n    pass\nexcept* KeyError:\n    pass\n",
    );
    assert!(
        out.contains("SyntaxError: cannot have both 'except' and 'except*' on the same 'try'"),
        "{out}"
    );
}
