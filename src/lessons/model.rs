//! The course as it is written by hand in RON: a lesson per file under
//! `lessons/`, an exercise per file under `lessons/exercises/`.
//!
//! ```ron
//! Lesson(
//!     id: "4.18.3",
//!     title: "The N+1 problem",
//!     fixture: "chat",
//!     steps: [
//!         Text(r#"A paragraph with `code` and *emphasis*.
//!
//!         Another paragraph."#),
//!         Demo(code: r#"session.query(User).all()"#, notice: "One SELECT for every user."),
//!         Demo(fresh: true, code: r#"..."#, notice: "...", queries: 9),
//!         Predict(code: r#"..."#, question: "How many queries?", answer: Count(9), explain: "..."),
//!         Predict(code: r#"..."#, question: "What is printed?",
//!                 answer: Choice(options: ["None", "1"], correct: 2), explain: "..."),
//!         Try(prompt: "...", check: [SameOutput, MaxQueries(2)], hint: "...", solution: r#"..."#),
//!         Exercise("eager-messages"),
//!     ],
//! )
//! ```
//!
//! Optional fields may be left out, and are written without `Some(...)`.
//! Demos and predictions of one lesson share one tutor session, like the
//! cells of a notebook: what one demo leaves in the session (variables,
//! loaded objects, an open transaction) the next one sees. A step with
//! `fresh: true` starts from a new database and session first. `Try` steps
//! and exercises always run on a database of their own.

use serde::Deserialize;

/// One lesson.
#[derive(Debug, Clone, Deserialize)]
pub struct Lesson {
    /// `4.18`, `4.18.3`: also the order of the course.
    pub id: String,
    pub title: String,
    /// The fixture its code runs on (`chat`).
    #[serde(default = "default_fixture")]
    pub fixture: String,
    pub steps: Vec<Step>,
}

pub fn default_fixture() -> String {
    "chat".to_string()
}

/// One step of a lesson.
#[derive(Debug, Clone, Deserialize)]
pub enum Step {
    /// Paragraphs separated by blank lines; `code spans`, *emphasis* and
    /// fenced code blocks (shown, not run).
    Text(String),
    /// Code run live: the learner sees rows, SQL and the query count, then
    /// the `notice` line.
    Demo(Demo),
    /// The learner guesses first (a query count or a choice), then the code
    /// runs and the real count is shown beside the guess.
    Predict(Predict),
    /// The learner types code until the checks hold.
    Try(Try),
    /// A practice exercise (from `lessons/exercises/`), inline.
    Exercise(String),
}

impl Step {
    /// The step's kind, for messages (`Demo`, `Predict`, …).
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Text(_) => "Text",
            Step::Demo(_) => "Demo",
            Step::Predict(_) => "Predict",
            Step::Try(_) => "Try",
            Step::Exercise(_) => "Exercise",
        }
    }

    /// The code this step runs in the lesson's shared session, if any, and
    /// whether it starts from a fresh session.
    pub fn session_code(&self) -> Option<(&str, bool)> {
        match self {
            Step::Demo(d) => Some((&d.code, d.fresh)),
            Step::Predict(p) => Some((&p.code, p.fresh)),
            _ => None,
        }
    }
}

/// A live demonstration.
#[derive(Debug, Clone, Deserialize)]
pub struct Demo {
    /// Start from a new database and session before this demo.
    #[serde(default)]
    pub fresh: bool,
    pub code: String,
    /// What to notice, shown after the output.
    #[serde(default)]
    pub notice: String,
    /// The number of queries the text claims; `lessons --check` holds the
    /// demo to it.
    #[serde(default)]
    pub queries: Option<usize>,
    /// The exception the demo is meant to raise (`DetachedInstanceError`);
    /// any other error, or none, is a problem for `lessons --check`.
    #[serde(default)]
    pub raises: Option<String>,
}

/// A prediction.
#[derive(Debug, Clone, Deserialize)]
pub struct Predict {
    #[serde(default)]
    pub fresh: bool,
    pub code: String,
    pub question: String,
    pub answer: Answer,
    /// Why the answer is what it is, shown after the run.
    #[serde(default)]
    pub explain: String,
    /// As for [`Demo::raises`].
    #[serde(default)]
    pub raises: Option<String>,
}

/// The right answer to a prediction.
#[derive(Debug, Clone, Deserialize)]
pub enum Answer {
    /// How many queries the code sends (checked against the real run).
    Count(usize),
    /// One of `options`; `correct` counts from 1.
    Choice {
        options: Vec<String>,
        correct: usize,
    },
}

/// Code the learner writes inside a lesson.
#[derive(Debug, Clone, Deserialize)]
pub struct Try {
    pub prompt: String,
    /// Run first, on the attempt's own fresh database.
    #[serde(default)]
    pub setup: Option<String>,
    /// What must hold; the `solution` is the reference.
    pub check: Vec<Check>,
    #[serde(default)]
    pub hint: String,
    pub solution: String,
}

/// A practice exercise.
#[derive(Debug, Clone, Deserialize)]
pub struct Exercise {
    pub id: String,
    pub title: String,
    #[serde(default = "default_fixture")]
    pub fixture: String,
    pub prompt: String,
    /// Run before the learner's code on every check.
    #[serde(default)]
    pub setup: Option<String>,
    /// Whether the learner is shown the setup code (it always runs).
    #[serde(default = "yes")]
    pub show_setup: bool,
    /// The reference solution: it must pass every check.
    pub solution: String,
    #[serde(default)]
    pub hints: Vec<String>,
    pub checks: Vec<Check>,
    /// Answers that look right but must fail, and why.
    #[serde(default)]
    pub wrong: Vec<WrongAnswer>,
}

fn yes() -> bool {
    true
}

/// What an answer must do.
#[derive(Debug, Clone, Deserialize)]
pub enum Check {
    /// Print exactly what the reference solution prints.
    SameOutput,
    /// Send at most this many statements (the learner's own code; the
    /// setup's statements do not count).
    MaxQueries(usize),
    /// Raise nothing (errors in the setup do not count).
    NoError,
    /// Leave the database as the reference does: each probe runs in a fresh
    /// session on what was committed, and prints the same.
    SameState(Vec<Probe>),
    /// `session` still works after the answer: a query in it
    /// (`session.execute(text("SELECT 1"))`, as SQLAlchemy 2.0 would run
    /// `select(1)`) raises nothing, so the answer did not leave it in a
    /// failed transaction (`PendingRollbackError`).
    SessionUsable,
}

/// A look at the database after an answer.
#[derive(Debug, Clone, Deserialize)]
pub struct Probe {
    /// What it looks at, in the learner's words (`the users`).
    pub what: String,
    /// Code that prints what it finds, one row per line; it runs with a
    /// fresh `session`.
    pub code: String,
}

/// A known wrong answer.
#[derive(Debug, Clone, Deserialize)]
pub struct WrongAnswer {
    pub code: String,
    /// Why it must fail.
    pub reason: String,
    /// Text the FAIL reasons must contain (`lazy-loads User.messages`).
    #[serde(default)]
    pub expect: Vec<String>,
}
