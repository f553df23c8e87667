//! Reading the course: every `lessons/*.ron` and `lessons/exercises/*.ron`
//! file, checked for what can be checked without running anything (the
//! RON, exercise ids, that code parses). The course as written is built into
//! the binary ([`Course::built_in`]); an author's folder is read with
//! [`Course::load_dir`] (`--lessons DIR`). A broken file is reported with its
//! path, line and what was expected, is listed in [`Course::broken_lessons`]
//! or [`Course::broken_exercises`], and the others still load.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use ron::extensions::Extensions;

use super::model::{Answer, Check, Exercise, Lesson, Step};
use crate::fixture::line_col;

/// The course as written, built into the binary so that it runs from any
/// folder: `lessons/*.ron` and `lessons/exercises/*.ron`.
static BUILT_IN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lessons");

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
    /// The file's text, for pointing at a line of it.
    pub source: String,
    pub lesson: Lesson,
}

/// An exercise and the file it came from.
#[derive(Debug, Clone)]
pub struct LoadedExercise {
    pub path: PathBuf,
    /// The file's text, for pointing at a line of it.
    pub source: String,
    pub exercise: Exercise,
}

/// Everything that loaded, and what did not.
#[derive(Debug, Clone, Default)]
pub struct Course {
    /// The course folder (`lessons` for the built-in course).
    pub dir: PathBuf,
    /// In course order (`4.18` < `4.18.1` < `4.18.2` < … < `4.18.10`).
    pub lessons: Vec<LoadedLesson>,
    /// By id.
    pub exercises: BTreeMap<String, LoadedExercise>,
    /// Every problem found, each with its file.
    pub problems: Vec<LoadError>,
    /// Lesson files that did not load (their errors are in `problems`), in
    /// course order of their file names.
    pub broken_lessons: Vec<PathBuf>,
    /// Exercise files that did not load, sorted.
    pub broken_exercises: Vec<PathBuf>,
}

/// One course file: its path (as messages show it) and its text, or why it
/// could not be read.
type SourceFile = (PathBuf, Result<String, LoadError>);

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

    /// The problems of one file.
    pub fn problems_of<'a>(&'a self, path: &'a Path) -> impl Iterator<Item = &'a LoadError> {
        self.problems.iter().filter(move |p| p.path == path)
    }

    /// The course the tutor uses: the one in `dir` when given
    /// (`--lessons DIR`), else the built-in one.
    pub fn load(dir: Option<&Path>) -> Course {
        match dir {
            Some(d) => Course::load_dir(d),
            None => Course::built_in(),
        }
    }

    /// The course built into the binary; its paths read `lessons/…`.
    pub fn built_in() -> Course {
        let root = Path::new("lessons");
        let files = |dir: Option<&'static Dir<'static>>| -> Vec<SourceFile> {
            let mut files: Vec<SourceFile> = dir
                .into_iter()
                .flat_map(|d| d.files())
                .filter(|f| f.path().extension().is_some_and(|x| x == "ron"))
                .map(|f| {
                    let path = root.join(f.path());
                    let text = f
                        .contents_utf8()
                        .map(str::to_string)
                        .ok_or_else(|| LoadError {
                            path: path.clone(),
                            line: 0,
                            col: 0,
                            message: "cannot read the file: not UTF-8".into(),
                        });
                    (path, text)
                })
                .collect();
            files.sort_by(|a, b| a.0.cmp(&b.0));
            files
        };
        Course::from_files(
            root.to_path_buf(),
            files(BUILT_IN.get_dir("exercises")),
            files(Some(&BUILT_IN)),
        )
    }

    /// Loads every lesson and exercise file of `dir` (`exercises/` may be
    /// missing; an unreadable `dir` is a problem).
    pub fn load_dir(dir: &Path) -> Course {
        let mut problems = Vec::new();
        let exercises = read_all(ron_files(&dir.join("exercises"), true, &mut problems));
        let lessons = read_all(ron_files(dir, false, &mut problems));
        let mut course = Course::from_files(dir.to_path_buf(), exercises, lessons);
        problems.append(&mut course.problems);
        course.problems = problems;
        course
    }

    /// Parses and checks the exercise files, then the lesson files.
    fn from_files(dir: PathBuf, exercises: Vec<SourceFile>, lessons: Vec<SourceFile>) -> Course {
        let mut course = Course {
            dir,
            ..Course::default()
        };
        for (path, text) in exercises {
            if let Err(errors) = course.add_exercise(&path, text) {
                course.problems.extend(errors);
                course.broken_exercises.push(path);
            }
        }
        for (path, text) in lessons {
            if let Err(errors) = course.add_lesson(&path, text) {
                course.problems.extend(errors);
                course.broken_lessons.push(path);
            }
        }
        course
            .lessons
            .sort_by(|a, b| lesson_order(&a.lesson.id, &b.lesson.id));
        course
            .broken_lessons
            .sort_by(|a, b| lesson_order(&file_stem(a), &file_stem(b)));
        course
    }

    fn add_exercise(
        &mut self,
        path: &Path,
        text: Result<String, LoadError>,
    ) -> Result<(), Vec<LoadError>> {
        let text = text.map_err(|e| vec![e])?;
        let ex = parse_exercise(path, &text)?;
        if let Some(first) = self.exercises.get(&ex.id) {
            let (line, col) = find_line(&text, &ex.id);
            return Err(vec![LoadError {
                path: path.to_path_buf(),
                line,
                col,
                message: format!(
                    "exercise id '{}' is already used by {}",
                    ex.id,
                    first.path.display()
                ),
            }]);
        }
        self.exercises.insert(
            ex.id.clone(),
            LoadedExercise {
                path: path.to_path_buf(),
                source: text,
                exercise: ex,
            },
        );
        Ok(())
    }

    fn add_lesson(
        &mut self,
        path: &Path,
        text: Result<String, LoadError>,
    ) -> Result<(), Vec<LoadError>> {
        let text = text.map_err(|e| vec![e])?;
        let lesson = parse_lesson(path, &text, &self.exercises)?;
        if self.lessons.iter().any(|l| l.lesson.id == lesson.id) {
            let (line, col) = find_line(&text, &lesson.id);
            return Err(vec![LoadError {
                path: path.to_path_buf(),
                line,
                col,
                message: format!("lesson id '{}' is used twice", lesson.id),
            }]);
        }
        self.lessons.push(LoadedLesson {
            path: path.to_path_buf(),
            source: text,
            lesson,
        });
        Ok(())
    }
}

/// A file's name without `.ron`: a broken lesson's id as far as is known.
pub fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
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

/// The `.ron` files of `dir`, sorted; a missing folder is no problem when
/// `optional`.
fn ron_files(dir: &Path, optional: bool, problems: &mut Vec<LoadError>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if optional && e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
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

/// Each file with its text, or the error reading it.
fn read_all(paths: Vec<PathBuf>) -> Vec<SourceFile> {
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|e| LoadError {
                path: path.clone(),
                line: 0,
                col: 0,
                message: format!("cannot read the file: {e}"),
            });
            (path, text)
        })
        .collect()
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
            message: format!("{what}: the code does not parse: {message}"),
        });
    }
}

/// The first syntax error of `code`: its byte offset and the error as
/// shown (`SyntaxError: …`, or `NotImplementedError: …` for Python the
/// tutor lacks).
pub fn syntax_error(code: &str) -> Option<(usize, String)> {
    for (start, end) in crate::language::split_top_level(code) {
        let chunk = code.get(start..end)?;
        if let Err(e) = crate::language::parse_module(chunk) {
            return Some((start + e.span.start, e.to_string()));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_course_is_the_lessons_folder() {
        let built = Course::built_in();
        assert!(built.problems.is_empty(), "{:?}", built.problems);
        let disk = Course::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons"));
        let ids =
            |c: &Course| -> Vec<String> { c.lessons.iter().map(|l| l.lesson.id.clone()).collect() };
        assert_eq!(ids(&built), ids(&disk));
        assert!(ids(&built).contains(&"4.18.6".to_string()));
        assert_eq!(
            built.exercises.keys().collect::<Vec<_>>(),
            disk.exercises.keys().collect::<Vec<_>>()
        );
        assert!(built.lessons[0].path.starts_with("lessons"));
        assert!(!built.lessons[0].source.is_empty());
    }

    #[test]
    fn broken_files_are_listed_with_their_errors() {
        let Ok(dir) = tempfile::tempdir() else {
            return;
        };
        let ex = dir.path().join("exercises");
        assert!(std::fs::create_dir_all(&ex).is_ok());
        assert!(std::fs::write(ex.join("bad.ron"), "Exercise(").is_ok());
        assert!(std::fs::write(dir.path().join("3.ron"), "nope").is_ok());
        assert!(std::fs::write(dir.path().join("10.ron"), "nope").is_ok());
        let c = Course::load_dir(dir.path());
        assert!(c.lessons.is_empty() && c.exercises.is_empty());
        let names: Vec<String> = c.broken_lessons.iter().map(|p| file_stem(p)).collect();
        assert_eq!(names, ["3", "10"]);
        assert_eq!(c.broken_exercises, [ex.join("bad.ron")]);
        assert_eq!(c.problems_of(&ex.join("bad.ron")).count(), 1);
        assert_eq!(c.problems.len(), 3, "{:?}", c.problems);
    }

    #[test]
    fn a_missing_exercises_folder_is_no_problem() {
        let Ok(dir) = tempfile::tempdir() else {
            return;
        };
        let c = Course::load_dir(dir.path());
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        let c = Course::load_dir(&dir.path().join("missing"));
        assert_eq!(c.problems.len(), 1, "{:?}", c.problems);
    }
}
