//! What an autograder reads from `orm-tutor exercise ID --answer FILE`:
//! the verdict as text (`PASS` / `FAIL` + reasons), as one JSON object, as
//! JUnit XML (one `<testsuite>`, one `<testcase>` per check), and
//! Gradescope's `results.json`.

use std::io::Write;
use std::path::{Path, PathBuf};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde::Serialize;

use super::exercise::{CheckResult, Verdict};

/// How `exercise --answer` prints its verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// `PASS`, or `FAIL` and one `  - reason` line per reason.
    #[default]
    Text,
    /// One object: `{"exercise", "passed", "queries", "mistake"?, "checks": [{"name",
    /// "passed", "message", "queries_used"?, "queries_allowed"?}]}`.
    Json,
    /// JUnit XML: one `<testsuite>`, one `<testcase>` per check, with a
    /// `<failure message=…>` on each failing one.
    Junit,
}

/// How a check is graded and where the results go.
#[derive(Debug, Clone, Default)]
pub struct Grading {
    pub format: Format,
    /// Also write Gradescope's `results.json` here.
    pub gradescope: Option<PathBuf>,
}

/// The JSON verdict (`--format json`).
#[derive(Serialize)]
struct JsonVerdict<'a> {
    exercise: &'a str,
    passed: bool,
    /// Statements the answer's own code sent.
    queries: usize,
    /// The known wrong answer this one matches (why it is wrong).
    #[serde(skip_serializing_if = "Option::is_none")]
    mistake: Option<&'a str>,
    checks: &'a [CheckResult],
}

/// Writes `v` for exercise `id` in `format`; `queries` is what the answer's
/// own code sent.
pub fn write(
    out: &mut dyn Write,
    format: Format,
    id: &str,
    v: &Verdict,
    queries: usize,
) -> std::io::Result<()> {
    match format {
        Format::Text => {
            super::practice::write_verdict(out, v, super::text::Style::plain());
            Ok(())
        }
        Format::Json => {
            let j = JsonVerdict {
                exercise: id,
                passed: v.passed,
                queries,
                mistake: v.mistake.as_deref(),
                checks: &v.checks,
            };
            serde_json::to_writer_pretty(&mut *out, &j)?;
            writeln!(out)
        }
        Format::Junit => write_junit(out, id, v),
    }
}

/// JUnit XML as CI systems read it: `<testsuite name="ID" tests failures>`
/// with `<testcase classname="orm-tutor.ID" name="CHECK">`, and a
/// `<failure message="…">` carrying the reasons on each failing check.
fn write_junit(out: &mut dyn Write, id: &str, v: &Verdict) -> std::io::Result<()> {
    let mut w = Writer::new_with_indent(&mut *out, b' ', 2);
    let failures = v.checks.iter().filter(|c| !c.passed).count();
    let tests = v.checks.len().to_string();
    let failures = failures.to_string();
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let suite = BytesStart::new("testsuite").with_attributes([
        ("name", id),
        ("tests", tests.as_str()),
        ("failures", failures.as_str()),
        ("errors", "0"),
    ]);
    w.write_event(Event::Start(suite))?;
    let classname = format!("orm-tutor.{id}");
    for c in &v.checks {
        let case = BytesStart::new("testcase")
            .with_attributes([("classname", classname.as_str()), ("name", c.name.as_str())]);
        if c.passed {
            w.write_event(Event::Empty(case))?;
        } else {
            w.write_event(Event::Start(case))?;
            let first = c.message.lines().next().unwrap_or_default();
            let failure = BytesStart::new("failure").with_attributes([("message", first)]);
            w.write_event(Event::Start(failure))?;
            w.write_event(Event::Text(BytesText::new(&c.message)))?;
            w.write_event(Event::End(BytesEnd::new("failure")))?;
            w.write_event(Event::End(BytesEnd::new("testcase")))?;
        }
    }
    w.write_event(Event::End(BytesEnd::new("testsuite")))?;
    writeln!(out)
}

/// Gradescope's `results.json`: `{"score", "max_score", "output"?, "tests":
/// [{"name", "score", "max_score", "output", "status"}]}`.
#[derive(Serialize)]
struct GradescopeResults {
    score: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    max_score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    tests: Vec<GradescopeTest>,
}

#[derive(Serialize)]
struct GradescopeTest {
    name: String,
    score: f64,
    max_score: f64,
    output: String,
    /// `passed` or `failed`.
    status: &'static str,
}

/// Writes Gradescope's `results.json` for a verdict: each check is worth one
/// point, so the score is the number of checks passed out of the checks.
pub fn write_gradescope(path: &Path, id: &str, v: &Verdict) -> Result<(), String> {
    let tests: Vec<GradescopeTest> = v
        .checks
        .iter()
        .map(|c| GradescopeTest {
            name: format!("{id}: {}", c.name),
            score: if c.passed { 1.0 } else { 0.0 },
            max_score: 1.0,
            output: if c.passed {
                "passed".into()
            } else {
                c.message.clone()
            },
            status: if c.passed { "passed" } else { "failed" },
        })
        .collect();
    let results = GradescopeResults {
        score: tests.iter().map(|t| t.score).sum(),
        max_score: Some(tests.len() as f64),
        output: Some(match &v.mistake {
            _ if v.passed => "PASS".into(),
            Some(m) => format!("FAIL: a known mistake: {m}"),
            None => "FAIL".into(),
        }),
        tests,
    };
    save_json(path, &results)
}

/// Gradescope's `results.json` when the answer could not be checked at all
/// (unknown exercise, unreadable answer): score 0, the error as the output.
pub fn write_gradescope_error(path: &Path, error: &str) -> Result<(), String> {
    let results = GradescopeResults {
        score: 0.0,
        max_score: None,
        output: Some(error.to_string()),
        tests: Vec::new(),
    };
    save_json(path, &results)
}

fn save_json(path: &Path, value: &impl Serialize) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    std::fs::write(path, text + "\n").map_err(|e| format!("cannot write {}: {e}", path.display()))
}
