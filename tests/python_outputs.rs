//! The tutor's Python against CPython 3.11: each `tests/python/cases/NAME.py`
//! runs through the tutor and its printed output must equal
//! `tests/python/expected/NAME.out`, what CPython printed for the same file
//! (`python3 tests/python/record.py [NAME]` records it; this test never runs
//! python3).

use std::path::Path;

use orm_tutor::fixture::Fixture;
use orm_tutor::tutor::{DbTarget, Tutor};

fn output_of(src: &str) -> String {
    let mut t = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture loads");
    let mut out = String::new();
    for step in t.run_script(src) {
        out.push_str(&step.stdout);
        if let Some(e) = &step.error {
            out.push_str(&format!(
                "[uncaught at line {}] {}: {}\n",
                step.line, e.type_name, e.message
            ));
        }
    }
    out
}

#[test]
fn python_cases_print_what_cpython_prints() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python");
    let mut cases: Vec<_> = std::fs::read_dir(dir.join("cases"))
        .expect("tests/python/cases")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_stem().and_then(|s| s.to_str()).unwrap_or("?");
        let src = std::fs::read_to_string(case).expect("case readable");
        let want = std::fs::read_to_string(dir.join("expected").join(format!("{name}.out")))
            .unwrap_or_else(|_| panic!("no expected/{name}.out: run tests/python/record.py"));
        let got = output_of(&src);
        if got != want {
            let diff: Vec<String> = want
                .lines()
                .zip(got.lines().chain(std::iter::repeat("<missing>")))
                .filter(|(w, g)| w != g)
                .map(|(w, g)| format!("  CPython: {w}\n  tutor:   {g}"))
                .collect();
            failures.push(format!("{name}:\n{}", diff.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
