//! The learner's progress: how far each lesson got, which exercises passed.
//! Kept in `progress.json` in the user's data folder (`ORM_TUTOR_HOME`
//! overrides it), written atomically; a damaged file is set aside with a
//! warning and the learner starts afresh.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Everything remembered about the learner.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    #[serde(default)]
    pub lessons: BTreeMap<String, LessonProgress>,
    #[serde(default)]
    pub exercises: BTreeMap<String, ExerciseProgress>,
}

/// How far a lesson got.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonProgress {
    /// The step to show next (0-based); equal to `steps` when finished.
    pub step: usize,
    /// How many steps the lesson had.
    pub steps: usize,
    #[serde(default)]
    pub finished: bool,
}

/// An exercise's record.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExerciseProgress {
    #[serde(default)]
    pub passed: bool,
    #[serde(default)]
    pub attempts: u32,
}

/// Where progress is kept, and warnings about it.
#[derive(Debug, Clone)]
pub struct Store {
    pub path: PathBuf,
}

/// The folder for the tutor's data: `ORM_TUTOR_HOME`, else the platform's
/// data folder + `orm-tutor/` (`$XDG_DATA_HOME` or `~/.local/share` on
/// Linux, `~/Library/Application Support` on macOS, `%APPDATA%` on Windows).
pub fn home_dir() -> Option<PathBuf> {
    if let Some(h) = std::env::var_os("ORM_TUTOR_HOME").filter(|h| !h.is_empty()) {
        return Some(PathBuf::from(h));
    }
    dirs::data_dir().map(|d| d.join("orm-tutor"))
}

impl Store {
    /// The store in [`home_dir`]; `None` when there is no home at all.
    pub fn default_store() -> Option<Store> {
        home_dir().map(|d| Store::in_dir(&d))
    }

    pub fn in_dir(dir: &Path) -> Store {
        Store {
            path: dir.join("progress.json"),
        }
    }

    /// Reads the progress; a missing file is a fresh start, a damaged one is
    /// renamed `progress.json.bad` and reported in the warnings.
    pub fn load(&self) -> (Progress, Vec<String>) {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return (Progress::default(), Vec::new());
            }
            Err(e) => {
                return (
                    Progress::default(),
                    vec![format!(
                        "cannot read {}: {e}; progress is not loaded",
                        self.path.display()
                    )],
                );
            }
        };
        match serde_json::from_str::<Progress>(&text) {
            Ok(p) => (p, Vec::new()),
            Err(e) => {
                let bad = self.path.with_extension("json.bad");
                let moved = std::fs::rename(&self.path, &bad);
                let warning = match moved {
                    Ok(()) => format!(
                        "{} was damaged ({e}); it was set aside as {} and progress starts afresh",
                        self.path.display(),
                        bad.display()
                    ),
                    Err(m) => format!(
                        "{} was damaged ({e}) and could not be set aside ({m}); progress starts afresh",
                        self.path.display()
                    ),
                };
                (Progress::default(), vec![warning])
            }
        }
    }

    /// Writes the progress atomically (a temporary file in the same folder,
    /// then a rename).
    pub fn save(&self, progress: &Progress) -> Result<(), String> {
        let dir = self.path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot make {}: {e}", dir.display()))?;
        let json = serde_json::to_string_pretty(progress).map_err(|e| e.to_string())?;
        let mut tmp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
        tmp.write_all(json.as_bytes())
            .and_then(|_| tmp.write_all(b"\n"))
            .and_then(|_| tmp.as_file().sync_all())
            .map_err(|e| format!("cannot write the progress: {e}"))?;
        tmp.persist(&self.path)
            .map_err(|e| format!("cannot save {}: {}", self.path.display(), e.error))?;
        Ok(())
    }

    /// Loads, changes and saves; returns the warnings of both.
    pub fn update(&self, change: impl FnOnce(&mut Progress)) -> Vec<String> {
        let (mut p, mut warnings) = self.load();
        change(&mut p);
        if let Err(e) = self.save(&p) {
            warnings.push(e);
        }
        warnings
    }
}
