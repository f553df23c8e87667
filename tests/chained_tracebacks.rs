//! End-to-end: chained exceptions (`raise X from Y`, an exception raised
//! while handling another, `raise e` of a caught one) print the traceback
//! CPython 3.11 prints for the same script (`python3 FILE`), each
//! expected text below copied from CPython's output.

mod cpython_traceback;
use cpython_traceback::assert_traceback;

#[test]
fn raise_from_shows_the_cause_above_with_cpythons_separator() {
    assert_traceback(
        "cause",
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    raise ValueError(\"bad\") from e\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/cause.py", line 2, in <module>
    1 / 0
    ~~^~~
ZeroDivisionError: division by zero

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/tmp/tb/cause.py", line 4, in <module>
    raise ValueError("bad") from e
ValueError: bad
"#,
    );
}

#[test]
fn an_exception_raised_in_an_except_body_shows_the_one_being_handled() {
    assert_traceback(
        "context",
        "def load(d, k):\n    try:\n        return d[k]\n    except KeyError:\n        raise LookupError(\"no \" + k)\nload({}, \"x\")\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/context.py", line 3, in load
    return d[k]
           ~^^^
KeyError: 'x'

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/tmp/tb/context.py", line 6, in <module>
    load({}, "x")
  File "/tmp/tb/context.py", line 5, in load
    raise LookupError("no " + k)
LookupError: no x
"#,
    );
}

#[test]
fn a_cause_given_as_a_class_shows_just_its_name() {
    assert_traceback(
        "cls",
        "raise ValueError(\"v\") from KeyError\n",
        r#"KeyError

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/tmp/tb/cls.py", line 1, in <module>
    raise ValueError("v") from KeyError
ValueError: v
"#,
    );
}

#[test]
fn raise_of_a_caught_exception_keeps_its_traceback() {
    assert_traceback(
        "reraise",
        "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    raise e\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/reraise.py", line 4, in <module>
    raise e
  File "/tmp/tb/reraise.py", line 2, in <module>
    1 / 0
    ~~^~~
ZeroDivisionError: division by zero
"#,
    );
}

#[test]
fn a_cause_caught_in_an_earlier_step_keeps_its_own_line() {
    assert_traceback(
        "saved",
        "try:\n    {}[\"k\"]\nexcept KeyError as e:\n    saved = e\nraise TypeError(\"t\") from saved\n",
        r#"Traceback (most recent call last):
  File "/tmp/tb/saved.py", line 2, in <module>
    {}["k"]
    ~~^^^^^
KeyError: 'k'

The above exception was the direct cause of the following exception:

Traceback (most recent call last):
  File "/tmp/tb/saved.py", line 5, in <module>
    raise TypeError("t") from saved
TypeError: t
"#,
    );
}
