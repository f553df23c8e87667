//! Shared by tests/traceback.rs and tests/chained_tracebacks.rs: runs a
//! script through `orm-tutor run` and checks that it printed CPython 3.11's
//! traceback for the same file.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_orm-tutor");

/// The text `orm-tutor run` prints for `script` saved as `NAME.py`, and
/// the path it was given.
pub fn run(name: &str, script: &str) -> (String, String) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot make a temporary folder: {e}"),
    };
    let path = dir.path().join(format!("{name}.py"));
    if let Err(e) = std::fs::write(&path, script) {
        panic!("cannot write {}: {e}", path.display());
    }
    let path = path.display().to_string();
    let out = match Command::new(BIN)
        .args(["run", &path])
        .env("NO_COLOR", "1")
        .env("ORM_TUTOR_HOME", dir.path())
        .output()
    {
        Ok(o) => o,
        Err(e) => panic!("cannot run {BIN}: {e}"),
    };
    (String::from_utf8_lossy(&out.stdout).into_owned(), path)
}

/// Asserts the tutor printed CPython's traceback, written for `/tmp/tb/NAME.py`.
pub fn assert_traceback(name: &str, script: &str, cpython: &str) {
    let (out, path) = run(name, script);
    let expected = cpython.replace(&format!("/tmp/tb/{name}.py"), &path);
    assert!(
        out.contains(&expected),
        "expected CPython's traceback\n{expected}\nin\n{out}"
    );
}
