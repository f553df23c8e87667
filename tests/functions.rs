//! Python functions as learners write them around SQLAlchemy: closures,
//! `*args`/`**kwargs` and keyword-only parameters, unpacking in calls and
//! displays, loop `else`, the built-ins of issue 9; and valid Python the
//! tutor lacks, reported as `NotImplementedError` at its line.

use orm_tutor::fixture::Fixture;
use orm_tutor::outcome::StepOutcome;
use orm_tutor::tutor::{DbTarget, Tutor};

fn run(src: &str) -> Vec<StepOutcome> {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    t.run_script(src)
}

/// The whole script's printed output, failing on any error.
fn stdout(src: &str) -> String {
    let steps = run(src);
    let mut out = String::new();
    for s in &steps {
        if let Some(e) = &s.error {
            panic!("{src}\nline {}: {}: {}", s.line, e.type_name, e.message);
        }
        out.push_str(&s.stdout);
    }
    out
}

/// The last step's error: its class and message.
fn error(src: &str) -> (String, String) {
    let e = run(src).pop().and_then(|s| s.error).expect("an error");
    (e.type_name, e.message)
}

#[test]
fn unsupported_python_is_not_implemented_error_at_its_line_not_a_syntax_error() {
    let steps = run("x = 1\ny = b'abc'\nprint('after')\n");
    let e = steps[1].error.as_ref().expect("NotImplementedError");
    assert_eq!(e.type_name, "NotImplementedError");
    assert_eq!(e.message, "orm-tutor does not support bytes literals yet");
    let loc = e.location.as_ref().expect("location");
    assert_eq!((loc.line, loc.column, loc.width), (2, 4, 2));
    assert_eq!(steps[2].stdout, "after\n");
}
