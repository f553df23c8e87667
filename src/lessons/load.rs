//! Reading the course: every `lessons/*.ron` and `lessons/exercises/*.ron`
//! file, checked for what can be checked without running anything (the
//! RON, exercise ids, that code parses). A broken file is reported with its
//! path, line and what was expected, and the others still load.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ron::extensions::Extensions;

use super::model::{Answer, Check, Exercise, Lesson, Step};
use crate::fixture::line_col;

/// A problem in one course file.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    pub path: PathBuf,
    /// 1-based line and column in the file, when known.
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path.display(),
            self.line,
            self.col,
            self.message
        )
    }
}

/// A lesson and the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedLesson {
    pub path: PathBuf,
    pub lesson: Lesson,
}

/// An exercise and the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedExercise {
    pub path: PathBuf,
    pub exercise: Exercise,
}

/// Everything that loaded, and what did not.
#[derive(Debug, Clone, Default)]
pub struct Course {
    /// The course folder.
    pub dir: PathBuf,
    /// In course order (`4.18` < `4.18.1` < `4.18.2` < … < `4.18.10`).
    pub lessons: Vec<LoadedLesson>,
    /// By id.
    pub exercises: BTreeMap<String, LoadedExercise>,
    pub problems: Vec<LoadError>,
}

impl Course {
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons
            .iter()
            .find(|l| l.lesson.id == id)
            .map(|l| &l.lesson)
    }

    pub fn exercise(&self, id: &str) -> Option<&Exercise> {
        self.exercises.get(id).map(|e| &e.exercise)
    }

    /// Loads the course the tutor uses: the folder named by
    /// `ORM_TUTOR_LESSONS`, else `./lessons` when it holds lessons, else the
    /// one beside the crate's sources.
    pub fn load_default() -> Course {
        Course::load_dir(&course_dir())
    }

    /// Loads every lesson and exercise file of `dir`.
    pub fn load_dir(dir: &Path) -> Course {
        let mut course = Course {
            dir: dir.to_path_buf(),
            ..Course::default()
        };
        let exercise_files = ron_files(&dir.join("exercises"), &mut course.problems);
        for path in exercise_files {
            let Some(text) = read(&path, &mut course.problems) else {
                continue;
            };
            match parse_exercise(&path, &text) {
                Ok(ex) => {
                    if let Some(first) = course.exercises.get(&ex.id) {
                        let (line, col) = find_line(&text, &ex.id);
                        course.problems.push(LoadError {
                            path: path.clone(),
                            line,
                            col,
                            message: format!(
                                "exercise id '{}' is already used by {}",
                                ex.id,
                                first.path.display()
                            ),
                        });
                        continue;
                    }
                    course.exercises.insert(
                        ex.id.clone(),
                        LoadedExercise {
                            path: path.clone(),
                            exercise: ex,
                        },
                    );
                }
                Err(e) => course.problems.extend(e),
            }
        }
        for path in ron_files(dir, &mut course.problems) {
            let Some(text) = read(&path, &mut course.problems) else {
                continue;
            };
            match parse_lesson(&path, &text, &course.exercises) {
                Ok(lesson) => {
                    if course.lessons.iter().any(|l| l.lesson.id == lesson.id) {
                        let (line, col) = find_line(&text, &lesson.id);
                        course.problems.push(LoadError {
                            path: path.clone(),
                            line,
                            col,
                            message: format!("lesson id '{}' is used twice", lesson.id),
                        });
                        continue;
                    }
                    course.lessons.push(LoadedLesson { path, lesson });
                }
                Err(e) => course.problems.extend(e),
            }
        }
        course
            .lessons
            .sort_by(|a, b| lesson_order(&a.lesson.id, &b.lesson.id));
        course
    }
}

/// The course folder: `ORM_TUTOR_LESSONS`, `./lessons` when it holds
/// `.ron` files, else the crate's own `lessons/`.
pub fn course_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ORM_TUTOR_LESSONS") {
        return PathBuf::from(d);
    }
    let local = PathBuf::from("lessons");
    let has_ron = std::fs::read_dir(&local)
        .map(|rd| {
            rd.flatten()
                .any(|e| e.path().extension().is_some_and(|x| x == "ron"))
        })
        .unwrap_or(false);
    if has_ron {
        return local;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons")
}

/// `4.18.2` before `4.18.10`: numeric parts compare as numbers.
pub fn lesson_order(a: &str, b: &str) -> std::cmp::Ordering {
    let key = |s: &str| -> Vec<(u64, String)> {
        s.split('.')
            .map(|p| (p.parse::<u64>().unwrap_or(u64::MAX), p.to_string()))
            .collect()
    };
    key(a).cmp(&key(b))
}

fn ron_files(dir: &Path, problems: &mut Vec<LoadError>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(LoadError {
                path: dir.to_path_buf(),
                line: 0,
                col: 0,
                message: format!("cannot read the folder: {e}"),
            });
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path, problems: &mut Vec<LoadError>) -> Option<String> {
    match std::fs::read_to_string(path) {
        Ok(t) => Some(t),
        Err(e) => {
            problems.push(LoadError {
                path: path.to_path_buf(),
                line: 0,
                col: 0,
                message: format!("cannot read the file: {e}"),
            });
            None
        }
    }
}

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(Extensions::IMPLICIT_SOME | Extensions::UNWRAP_VARIANT_NEWTYPES)
}

fn ron_error(path: &Path, e: &ron::error::SpannedError) -> LoadError {
    LoadError {
        path: path.to_path_buf(),
        line: e.span.start.line,
        col: e.span.start.col,
        message: format!("not a valid course file: {}", e.code),
    }
}

/// Parses and checks one lesson file; `exercises` are the known exercises.
pub fn parse_lesson(
    path: &Path,
    text: &str,
    exercises: &BTreeMap<String, LoadedExercise>,
) -> Result<Lesson, Vec<LoadError>> {
    let lesson: Lesson = ron_options()
        .from_str(text)
        .map_err(|e| vec![ron_error(path, &e)])?;
    let mut errors = Vec::new();
    let mut err_at = |needle: &str, message: String| {
        let (line, col) = find_line(text, needle);
        errors.push(LoadError {
            path: path.to_path_buf(),
            line,
            col,
            message,
        });
    };
    if lesson.id.trim().is_empty() {
        err_at("id", "the lesson's id is empty".into());
    }
    if let Err(e) = crate::fixture::Fixture::find(&lesson.fixture) {
        err_at(&lesson.fixture, format!("unknown fixture: {e}"));
    }
    for (i, step) in lesson.steps.iter().enumerate() {
        let n = i + 1;
        match step {
            Step::Text(_) => {}
            Step::Demo(d) => check_code(
                text,
                &d.code,
                &format!("step {n} (Demo)"),
                &mut errors,
                path,
            ),
            Step::Predict(p) => {
                check_code(
                    text,
                    &p.code,
                    &format!("step {n} (Predict)"),
                    &mut errors,
                    path,
                );
                if let Answer::Choice { options, correct } = &p.answer
                    && (*correct == 0 || *correct > options.len())
                {
                    {
                        let (line, col) = find_line(text, &p.question);
                        errors.push(LoadError {
                            path: path.to_path_buf(),
                            line,
                            col,
                            message: format!(
                                "step {n} (Predict): correct: {correct} but there are {} options (counted from 1)",
                                options.len()
                            ),
                        });
                    }
                }
            }
            Step::Try(t) => {
                let what = format!("step {n} (Try)");
                check_code(
                    text,
                    &t.solution,
                    &format!("{what} solution"),
                    &mut errors,
                    path,
                );
                if let Some(s) = &t.setup {
                    check_code(text, s, &format!("{what} setup"), &mut errors, path);
                }
                check_checks(text, &t.check, &what, &mut errors, path);
            }
            Step::Exercise(id) => {
                if !exercises.contains_key(id) {
                    let (line, col) = find_line(text, &format!("\"{id}\""));
                    let known: Vec<&str> = exercises.keys().map(String::as_str).collect();
                    let mut message = format!("step {n}: unknown exercise id '{id}'");
                    if let Some(best) = known
                        .iter()
                        .copied()
                        .max_by(|a, b| strsim::jaro(id, a).total_cmp(&strsim::jaro(id, b)))
                        .filter(|b| strsim::jaro(id, b) > 0.8)
                    {
                        message.push_str(&format!(" (did you mean '{best}'?)"));
                    } else if !known.is_empty() {
                        message.push_str(&format!("; expected one of: {}", known.join(", ")));
                    }
                    errors.push(LoadError {
                        path: path.to_path_buf(),
                        line,
                        col,
                        message,
                    });
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(lesson)
    } else {
        Err(errors)
    }
}

/// Parses and checks one exercise file.
pub fn parse_exercise(path: &Path, text: &str) -> Result<Exercise, Vec<LoadError>> {
    let ex: Exercise = ron_options()
        .from_str(text)
        .map_err(|e| vec![ron_error(path, &e)])?;
    let mut errors = Vec::new();
    if ex.id.trim().is_empty() || ex.id.contains(char::is_whitespace) {
        let (line, col) = find_line(text, "id");
        errors.push(LoadError {
            path: path.to_path_buf(),
            line,
            col,
            message: format!("exercise id '{}' must be one word", ex.id),
        });
    }
    if let Err(e) = crate::fixture::Fixture::find(&ex.fixture) {
        let (line, col) = find_line(text, &ex.fixture);
        errors.push(LoadError {
            path: path.to_path_buf(),
            line,
            col,
            message: format!("unknown fixture: {e}"),
        });
    }
    check_code(text, &ex.solution, "the solution", &mut errors, path);
    if let Some(s) = &ex.setup {
        check_code(text, s, "the setup", &mut errors, path);
    }
    for (i, w) in ex.wrong.iter().enumerate() {
        check_code(
            text,
            &w.code,
            &format!("wrong answer {}", i + 1),
            &mut errors,
            path,
        );
    }
    check_checks(text, &ex.checks, "checks", &mut errors, path);
    if errors.is_empty() {
        Ok(ex)
    } else {
        Err(errors)
    }
}

fn check_checks(
    text: &str,
    checks: &[Check],
    what: &str,
    errors: &mut Vec<LoadError>,
    path: &Path,
) {
    for c in checks {
        if let Check::SameState(probes) = c {
            for p in probes {
                check_code(
                    text,
                    &p.code,
                    &format!("{what}: probe '{}'", p.what),
                    errors,
                    path,
                );
            }
        }
    }
}

/// Reports code that does not parse, at its line in the course file.
fn check_code(text: &str, code: &str, what: &str, errors: &mut Vec<LoadError>, path: &Path) {
    if let Some((offset, message)) = syntax_error(code) {
        let (line, col) = match text.find(code) {
            Some(start) => line_col(text, start + offset),
            None => find_line(text, code.lines().next().unwrap_or("")),
        };
        errors.push(LoadError {
            path: path.to_path_buf(),
            line,
            col,
            message: format!("{what}: the code does not parse: SyntaxError: {message}"),
        });
    }
}

/// The first syntax error of `code`: its byte offset and message.
pub fn syntax_error(code: &str) -> Option<(usize, String)> {
    for (start, end) in crate::language::split_top_level(code) {
        let chunk = code.get(start..end)?;
        if let Err(e) = crate::language::parse_module(chunk) {
            return Some((start + e.span.start, e.message));
        }
    }
    None
}

/// The line and column of the first occurrence of `needle` (1, 1 when absent).
fn find_line(text: &str, needle: &str) -> (usize, usize) {
    if needle.is_empty() {
        return (1, 1);
    }
    text.find(needle)
        .map(|p| line_col(text, p))
        .unwrap_or((1, 1))
}
