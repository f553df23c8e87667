//! Running a lesson: interactively (Enter to go on, predictions asked,
//! code typed at `Try` prompts, exercises inline; progress saved at every
//! step so that the lesson resumes where the learner left), or printed
//! whole as a handout with every demo run.

use std::io::Write;

use colored::Colorize;

use super::exercise::Sandbox;
use super::input::{Key, LineSource, read_code};
use super::load::Course;
use super::model::{Answer, Demo, Lesson, Predict, Step, Try};
use super::progress::{LessonProgress, Store};
use super::render;
use super::text::{self, Style};
use crate::fixture::Fixture;
use crate::outcome::StepOutcome;
use crate::tutor::{DbTarget, Tutor};

/// The shared session of a lesson's demos and predictions.
pub struct Notebook {
    fixture: String,
    tutor: Option<Tutor>,
}

impl Notebook {
    pub fn new(fixture: &str) -> Notebook {
        Notebook {
            fixture: fixture.to_string(),
            tutor: None,
        }
    }

    /// Runs code in the shared session (a new one first when `fresh`).
    pub fn run(&mut self, code: &str, fresh: bool) -> Result<Vec<StepOutcome>, String> {
        if fresh || self.tutor.is_none() {
            let fx = Fixture::find(&self.fixture).map_err(|e| e.to_string())?;
            // the old session ends first: on a server its tables go
            self.tutor = None;
            let target = crate::tutor::live_target();
            self.tutor = Some(Tutor::start(fx, target).map_err(|e| e.to_string())?);
        }
        match self.tutor.as_mut() {
            Some(t) => Ok(t.run_script(code)),
            None => Err("no session".into()),
        }
    }

    /// True when running `fresh` code now replaces a session the learner
    /// has already worked in (the lesson then says so on screen).
    pub fn replaces_session(&self, fresh: bool) -> bool {
        fresh && self.tutor.is_some()
    }

    /// Replays the session code of `steps` (from the last fresh one), so a
    /// resumed lesson's session is as the learner left it.
    pub fn replay(&mut self, steps: &[Step]) -> Result<(), String> {
        let start = steps
            .iter()
            .rposition(|s| s.session_code().is_some_and(|(_, fresh)| fresh))
            .unwrap_or(0);
        self.tutor = None;
        for s in &steps[start..] {
            if let Some((code, fresh)) = s.session_code() {
                self.run(code, fresh)?;
            }
        }
        Ok(())
    }
}

/// How a lesson is run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub restart: bool,
    /// Print the whole lesson, demos run, no questions asked.
    pub print: bool,
    pub style: Style,
    /// Start at this step (1-based), `--step N`.
    pub step: Option<usize>,
}

/// Runs lesson `id`; returns the exit code (2 when there is no such lesson).
pub fn run(
    course: &Course,
    id: &str,
    opts: Options,
    input: &mut dyn LineSource,
    out: &mut dyn Write,
    store: Option<&Store>,
) -> i32 {
    let Some(lesson) = course.lesson(id) else {
        let _ = writeln!(out, "{}", unknown_lesson(course, id));
        return 2;
    };
    if opts.print {
        return print(course, lesson, out);
    }
    let mut r = Runner {
        course,
        lesson,
        style: opts.style,
        input,
        out,
        store,
        notebook: Notebook::new(&lesson.fixture),
        sandbox: None,
    };
    r.interactive(opts.restart, opts.step)
}

/// The message for a lesson id that does not exist.
pub fn unknown_lesson(course: &Course, id: &str) -> String {
    let ids: Vec<&str> = course
        .lessons
        .iter()
        .map(|l| l.lesson.id.as_str())
        .collect();
    let mut m = format!("no lesson '{id}'");
    if !ids.is_empty() {
        m.push_str(&format!("; the lessons are: {}", ids.join(", ")));
    }
    for p in course.problems.iter().filter(|p| {
        p.path
            .file_stem()
            .is_some_and(|s| s.to_string_lossy() == id)
    }) {
        m.push_str(&format!("\n{p}"));
    }
    m
}

/// The whole lesson as a handout, without colors.
pub fn print(course: &Course, lesson: &Lesson, out: &mut dyn Write) -> i32 {
    let style = Style::plain();
    let mut nb = Notebook::new(&lesson.fixture);
    let _ = writeln!(out, "Lesson {} — {}\n", lesson.id, lesson.title);
    let mut code = 0;
    for (i, step) in lesson.steps.iter().enumerate() {
        match step {
            Step::Text(t) => {
                let _ = write!(out, "{}", text::render(t, style));
            }
            Step::Demo(d) => {
                if let Err(e) = show_demo(&mut nb, d, out, style) {
                    let _ = writeln!(out, "(step {} could not run: {e})", i + 1);
                    code = 1;
                }
            }
            Step::Predict(p) => {
                if nb.replaces_session(p.fresh) {
                    let _ = writeln!(out, "{}", fresh_notice(style));
                }
                let _ = write!(out, "{}", render::code(&p.code, false));
                let _ = write!(
                    out,
                    "\n{}",
                    text::render(&format!("Predict: {}", p.question), style).trim_end()
                );
                let _ = writeln!(out);
                if let Answer::Choice { options, .. } = &p.answer {
                    for (k, o) in options.iter().enumerate() {
                        let _ = writeln!(out, "  {}. {o}", k + 1);
                    }
                }
                match nb.run(&p.code, p.fresh) {
                    Ok(steps) => {
                        write_run(&steps, out, style);
                        let real: usize = steps.iter().map(|s| s.statements().count()).sum();
                        let _ = writeln!(out, "Answer: {}", answer_text(&p.answer, real));
                        if !p.explain.is_empty() {
                            let _ = write!(out, "{}", text::render(&p.explain, style));
                        }
                        let _ = writeln!(out);
                    }
                    Err(e) => {
                        let _ = writeln!(out, "(step {} could not run: {e})", i + 1);
                        code = 1;
                    }
                }
            }
            Step::Try(t) => {
                let _ = writeln!(out, "Your turn:");
                let _ = write!(out, "{}", text::render(&t.prompt, style));
                if let Some(s) = &t.setup {
                    let _ = writeln!(out, "Set-up (runs first):\n{}", text::code_block(s, style));
                }
                let _ = writeln!(out, "One answer:\n{}", text::code_block(&t.solution, style));
            }
            Step::Exercise(id) => match course.exercise(id) {
                Some(ex) => {
                    super::practice::write_statement(ex, out, style);
                    let _ = writeln!(
                        out,
                        "Check an answer with: orm-tutor exercise {} --answer FILE\n",
                        ex.id
                    );
                }
                None => {
                    let _ = writeln!(out, "(exercise {id} is missing)\n");
                    code = 1;
                }
            },
        }
    }
    code
}

fn answer_text(a: &Answer, real: usize) -> String {
    match a {
        Answer::Count(_) => format!("{real} {}", if real == 1 { "query" } else { "queries" }),
        Answer::Choice { options, correct } => {
            format!(
                "{}. {}",
                correct,
                options
                    .get(correct.saturating_sub(1))
                    .map(String::as_str)
                    .unwrap_or("?")
            )
        }
    }
}

fn write_results(steps: &[StepOutcome], out: &mut dyn Write, style: Style) {
    for s in steps {
        let _ = write!(out, "{}", render::results(s, style.color));
    }
}

/// Each step with its code; a blank line after those that showed something.
fn write_steps(steps: &[StepOutcome], out: &mut dyn Write, style: Style) {
    for s in steps {
        let results = render::results(s, style.color);
        let _ = write!(out, "{}{results}", render::code(&s.code, style.color));
        if !results.is_empty() {
            let _ = writeln!(out);
        }
    }
    if steps
        .last()
        .is_some_and(|s| render::results(s, false).is_empty())
    {
        let _ = writeln!(out);
    }
}

/// The run of a prediction: the results alone for one statement (its code
/// was just shown), each statement with its code for several.
fn write_run(steps: &[StepOutcome], out: &mut dyn Write, style: Style) {
    if steps.len() == 1 {
        let _ = writeln!(out);
        write_results(steps, out, style);
    } else {
        let _ = writeln!(out, "\nRunning it:");
        write_steps(steps, out, style);
    }
}

fn show_demo(nb: &mut Notebook, d: &Demo, out: &mut dyn Write, style: Style) -> Result<(), String> {
    if nb.replaces_session(d.fresh) {
        let _ = writeln!(out, "{}", fresh_notice(style));
    }
    let steps = nb.run(&d.code, d.fresh)?;
    write_steps(&steps, out, style);
    if !d.notice.is_empty() {
        let notice = text::render(&format!("Notice: {}", d.notice), style);
        let _ = write!(out, "{notice}");
    }
    Ok(())
}

/// The pages `text` takes on a terminal of `height` rows and `columns`
/// columns, as `(first line, end line)` ranges of its lines: the first page
/// leaves `above` rows for the step's header and each page one for its prompt; a
/// line wider than the terminal takes the rows it wraps to. One page when
/// it all fits.
fn pages(text: &str, height: usize, columns: usize, above: usize) -> Vec<(usize, usize)> {
    let columns = columns.max(1);
    let rows = |l: &str| {
        crate::render::style::display_width(l)
            .div_ceil(columns)
            .max(1)
    };
    let mut pages = Vec::new();
    let (mut start, mut used) = (0, 0);
    // the first page shares the screen with the header
    let mut budget = height.saturating_sub(1 + above).max(3);
    for (i, l) in text.lines().enumerate() {
        let r = rows(l);
        if used + r > budget && i > start {
            pages.push((start, i));
            start = i;
            used = 0;
            budget = height.saturating_sub(1).max(3);
        }
        used += r;
    }
    pages.push((start, text.lines().count()));
    pages
}

/// The line that says a step starts over: what the learner changed in the
/// steps before is gone.
fn fresh_notice(style: Style) -> String {
    let text = "(This step starts on a fresh database and session: the fixture's rows as at the start; earlier changes are gone.)";
    text::render(text, style).trim_end().to_string()
}

struct Runner<'a> {
    course: &'a Course,
    lesson: &'a Lesson,
    style: Style,
    input: &'a mut dyn LineSource,
    out: &'a mut dyn Write,
    store: Option<&'a Store>,
    notebook: Notebook,
    sandbox: Option<Sandbox>,
}

/// What the learner chose at a pause.
enum Go {
    On,
    Back,
    /// The same step again, from the session as it was before it.
    Replay,
    Quit,
}

/// What `?` shows at a pause.
const KEYS_HELP: &str = "Keys: Enter or Space: next step (or page) · b: the step (or page) before ·\nr: run the demo again · q: leave (the lesson resumes here) · ?: these keys.\nAt a `>>>` prompt: Tab completes, Up/Down browse the history, Ctrl-C drops\nthe line (twice: leave), Ctrl-L clears.";

impl Runner<'_> {
    fn say(&mut self, s: &str) {
        let _ = write!(self.out, "{s}");
    }

    fn save(&mut self, step: usize) {
        let Some(store) = self.store else { return };
        let n = self.lesson.steps.len();
        let id = self.lesson.id.clone();
        for w in store.update(|p| {
            let e = p.lessons.entry(id).or_insert_with(LessonProgress::default);
            e.step = step.min(n);
            e.steps = n;
            e.finished |= step >= n;
        }) {
            let _ = writeln!(self.out, "warning: {w}");
        }
    }

    /// The prompt of a pause or a page: its keys, dimmed when colored.
    fn key_prompt(&self, keys: &str) -> String {
        if self.style.color {
            format!("{} ", keys.dimmed())
        } else {
            format!("{keys} ")
        }
    }

    /// Waits at the end of a step for the learner's key: Enter (Space, any
    /// other key) goes on, `b` back, `r` (after a demo) runs it again, `?`
    /// lists the keys, `q` leaves.
    fn pause(&mut self, replay: bool) -> Go {
        let keys = if replay {
            "[Enter: go on · b: back · r: replay · ?: keys · q: quit]"
        } else {
            "[Enter: go on · b: back · ?: keys · q: quit]"
        };
        let prompt = self.key_prompt(keys);
        loop {
            match self.input.read_key(&prompt) {
                None | Some(Key::Quit) => return Go::Quit,
                Some(Key::Next) => return Go::On,
                Some(Key::Back) => return Go::Back,
                Some(Key::Replay) if replay => return Go::Replay,
                Some(Key::Replay) => {}
                Some(Key::Keys) => {
                    let _ = writeln!(self.out, "{KEYS_HELP}");
                }
            }
        }
    }

    /// Shows a step's `text` a screen at a time when it is taller than the
    /// terminal (the first page under the step's header, so the code that
    /// ran stays on screen with the start of its result; a line wider than
    /// the terminal counts the rows it wraps to): Enter or Space shows the
    /// next page, `b` the page before (on the first page: the step before),
    /// `r` runs the step again, `q` leaves. `above`: the rows already on
    /// the first page's screen (the header's). `Err` carries that choice;
    /// `Ok` when the whole text has been shown.
    fn paged(&mut self, text: &str, replay: bool, above: usize) -> Result<(), Go> {
        let Some(height) = self.style.height else {
            self.say(text);
            return Ok(());
        };
        let pages = pages(text, height, self.style.width + 2, above);
        if pages.len() < 2 {
            self.say(text);
            return Ok(());
        }
        let lines: Vec<&str> = text.lines().collect();
        let mut k = 0;
        loop {
            let (start, end) = pages[k];
            for l in &lines[start..end] {
                let _ = writeln!(self.out, "{l}");
            }
            if k + 1 == pages.len() {
                return Ok(());
            }
            let keys = format!(
                "-- page {}/{} · Enter: more · b: back{} · q: quit --",
                k + 1,
                pages.len(),
                if replay { " · r: replay" } else { "" }
            );
            let prompt = self.key_prompt(&keys);
            loop {
                match self.input.read_key(&prompt) {
                    None | Some(Key::Quit) => return Err(Go::Quit),
                    Some(Key::Next) => k += 1,
                    Some(Key::Back) if k == 0 => return Err(Go::Back),
                    Some(Key::Back) => {
                        // the page before, on a cleared screen
                        k -= 1;
                        let _ = write!(self.out, "\x1b[2J\x1b[H");
                    }
                    Some(Key::Replay) if replay => return Err(Go::Replay),
                    Some(Key::Replay) => continue,
                    Some(Key::Keys) => {
                        let _ = writeln!(self.out, "{KEYS_HELP}");
                        continue;
                    }
                }
                break;
            }
        }
    }

    /// The header of step `i`: `4.18 · step 12/31 · The N+1 problem`.
    fn header(&mut self, i: usize) {
        let n = self.lesson.steps.len();
        let line = format!(
            "{} · step {}/{n} · {}",
            self.lesson.id,
            i + 1,
            self.lesson.title
        );
        let line = crate::render::style::wrap(&line, self.style.width, "  ").join("\n");
        let line = if self.style.color {
            line.bold().to_string()
        } else {
            line
        };
        let _ = writeln!(self.out, "{line}");
    }

    /// Where the lesson starts: `--step N`, else where the learner left it
    /// (unless `restart`), else the first step.
    fn first_step(&mut self, restart: bool, step: Option<usize>) -> usize {
        let n = self.lesson.steps.len();
        let (progress, warnings) = self.store.map(Store::load).unwrap_or_default();
        for w in warnings {
            let _ = writeln!(self.out, "warning: {w}");
        }
        if let Some(k) = step {
            return k.clamp(1, n.max(1)) - 1;
        }
        progress
            .lessons
            .get(&self.lesson.id)
            .filter(|l| !l.finished && !restart)
            .map(|l| l.step.min(n))
            .unwrap_or(0)
    }

    /// Runs step `i` and returns the learner's choice after it.
    fn run_step(&mut self, i: usize) -> Go {
        let step = self.lesson.steps[i].clone();
        match &step {
            Step::Text(t) => {
                let t = text::render(t, self.style);
                match self.paged(&t, false, 1) {
                    Ok(()) => self.pause(false),
                    Err(go) => go,
                }
            }
            Step::Demo(d) => {
                let mut shown = Vec::new();
                if let Err(e) = show_demo(&mut self.notebook, d, &mut shown, self.style) {
                    let _ = writeln!(shown, "(this demo could not run: {e})");
                }
                match self.paged(&String::from_utf8_lossy(&shown), true, 1) {
                    Ok(()) => self.pause(true),
                    Err(go) => go,
                }
            }
            Step::Predict(p) => self.predict(p),
            Step::Try(_) | Step::Exercise(_) => {
                // the ORM keeps live sessions per thread: the shared
                // session steps aside while the learner's own runs,
                // and is rebuilt after
                self.notebook.tutor = None;
                let go = match &step {
                    Step::Try(t) => self.try_step(t),
                    Step::Exercise(id) => self.exercise(id),
                    _ => Go::On,
                };
                self.rebuild(i);
                go
            }
        }
    }

    /// The shared session as it is before step `i`.
    fn rebuild(&mut self, i: usize) {
        if let Err(e) = self.notebook.replay(&self.lesson.steps[..i]) {
            let _ = writeln!(self.out, "cannot rebuild the session: {e}");
        }
    }

    fn interactive(&mut self, restart: bool, step: Option<usize>) -> i32 {
        let n = self.lesson.steps.len();
        let start = self.first_step(restart, step);
        let title = format!("Lesson {} — {}", self.lesson.id, self.lesson.title);
        let title = if self.style.color {
            title.bold().to_string()
        } else {
            title
        };
        let _ = writeln!(self.out, "{title}\n");
        if start > 0 {
            if step.is_none() {
                let _ = writeln!(
                    self.out,
                    "Resuming at step {} of {n} (orm-tutor lesson {} --restart starts over).\n",
                    start + 1,
                    self.lesson.id
                );
            }
            self.rebuild(start);
        }
        let mut i = start;
        while i < n {
            self.save(i);
            self.header(i);
            match self.run_step(i) {
                Go::On => i += 1,
                Go::Back if i == 0 => {
                    let _ = writeln!(self.out, "(this is the first step)\n");
                }
                Go::Back => {
                    i -= 1;
                    self.rebuild(i);
                    let _ = writeln!(self.out);
                }
                Go::Replay => {
                    self.rebuild(i);
                    let _ = writeln!(self.out);
                }
                Go::Quit => {
                    self.save(i);
                    let _ = writeln!(
                        self.out,
                        "\nStopped at step {} of {n}; `orm-tutor lesson {}` resumes here.",
                        i + 1,
                        self.lesson.id
                    );
                    return 0;
                }
            }
        }
        self.save(n);
        let _ = writeln!(self.out, "\nEnd of lesson {}.", self.lesson.id);
        let next = self
            .course
            .lessons
            .iter()
            .position(|l| l.lesson.id == self.lesson.id)
            .and_then(|p| self.course.lessons.get(p + 1));
        if let Some(next) = next {
            let _ = writeln!(
                self.out,
                "Next: orm-tutor lesson {}  ({})",
                next.lesson.id, next.lesson.title
            );
        }
        0
    }

    fn predict(&mut self, p: &Predict) -> Go {
        if self.notebook.replaces_session(p.fresh) {
            let _ = writeln!(self.out, "{}", fresh_notice(self.style));
        }
        let code = render::code(&p.code, self.style.color);
        self.say(&code);
        let q = text::render(&format!("*Predict:* {}", p.question), self.style);
        let _ = writeln!(self.out, "\n{}", q.trim_end());
        let guess: Option<usize> = match &p.answer {
            Answer::Count(_) => loop {
                match self.input.read_line("How many queries? ") {
                    None => return Go::Quit,
                    Some(l) => {
                        let l = l.trim();
                        if l == "q" || l == "quit" {
                            return Go::Quit;
                        }
                        if l.is_empty() || l == "skip" {
                            break None;
                        }
                        match l.parse::<usize>() {
                            Ok(n) => break Some(n),
                            Err(_) => {
                                let _ = writeln!(
                                    self.out,
                                    "A number, please (or Enter to just watch)."
                                );
                            }
                        }
                    }
                }
            },
            Answer::Choice { options, .. } => {
                for (k, o) in options.iter().enumerate() {
                    let _ = writeln!(self.out, "  {}. {o}", k + 1);
                }
                loop {
                    match self
                        .input
                        .read_line(&format!("Your choice (1-{}): ", options.len()))
                    {
                        None => return Go::Quit,
                        Some(l) => {
                            let l = l.trim();
                            if l == "q" || l == "quit" {
                                return Go::Quit;
                            }
                            if l.is_empty() || l == "skip" {
                                break None;
                            }
                            match l.parse::<usize>() {
                                Ok(n) if (1..=options.len()).contains(&n) => break Some(n),
                                _ => {
                                    let _ = writeln!(
                                        self.out,
                                        "A number from 1 to {}, please.",
                                        options.len()
                                    );
                                }
                            }
                        }
                    }
                }
            }
        };
        let steps = match self.notebook.run(&p.code, p.fresh) {
            Ok(s) => s,
            Err(e) => {
                let _ = writeln!(self.out, "(this step could not run: {e})");
                return self.pause(false);
            }
        };
        let mut shown = Vec::new();
        write_run(&steps, &mut shown, self.style);
        if let Err(go) = self.paged(&String::from_utf8_lossy(&shown), false, 0) {
            return go;
        }
        let real: usize = steps.iter().map(|s| s.statements().count()).sum();
        let verdict = match (&p.answer, guess) {
            (Answer::Count(_), Some(g)) => {
                let right = g == real;
                let line = format!(
                    "You said {g}; it ran {real} {}.",
                    if real == 1 { "query" } else { "queries" }
                );
                Some((right, line))
            }
            (Answer::Count(_), None) => Some((
                true,
                format!(
                    "It ran {real} {}.",
                    if real == 1 { "query" } else { "queries" }
                ),
            )),
            (Answer::Choice { options, correct }, g) => {
                let right_text = options
                    .get(correct.saturating_sub(1))
                    .cloned()
                    .unwrap_or_default();
                match g {
                    Some(g) if g == *correct => Some((true, format!("Right: {right_text}"))),
                    Some(g) => Some((
                        false,
                        format!("You chose {g}; the answer is {correct}. {right_text}",),
                    )),
                    None => Some((true, format!("The answer is {correct}. {right_text}"))),
                }
            }
        };
        if let Some((right, line)) = verdict {
            let mark = if guess.is_none() {
                String::new()
            } else if right {
                "✓ ".to_string()
            } else {
                "✗ ".to_string()
            };
            let line = format!("{mark}{line}");
            let line = match (self.style.color, guess.is_some(), right) {
                (true, true, true) => line.green().to_string(),
                (true, true, false) => line.red().to_string(),
                _ => line,
            };
            let _ = writeln!(self.out, "{line}");
        }
        if !p.explain.is_empty() {
            let t = text::render(&p.explain, self.style);
            self.say(&t);
        }
        self.pause(false)
    }

    fn sandbox(&mut self) -> Option<&mut Sandbox> {
        if self.sandbox.is_none() {
            match Sandbox::new() {
                Ok(s) => self.sandbox = Some(s),
                Err(e) => {
                    let _ = writeln!(self.out, "{e}");
                }
            }
        }
        self.sandbox.as_mut()
    }

    fn try_step(&mut self, t: &Try) -> Go {
        let head = if self.style.color {
            "Your turn".bold().to_string()
        } else {
            "Your turn".into()
        };
        let _ = writeln!(self.out, "{head}");
        let p = text::render(&t.prompt, self.style);
        self.say(&p);
        let _ = writeln!(
            self.out,
            "(type code; `hint`, `solution`, `skip`, or `undo` to forget the last entry;\n .sql, .session, .schema and the REPL's other commands work here)"
        );
        let fixture = self.lesson.fixture.clone();
        let start_live = |out: &mut dyn Write, style: Style| -> Option<Tutor> {
            let fx = Fixture::find(&fixture).ok()?;
            let mut tutor = Tutor::start(fx, DbTarget::Memory).ok()?;
            if let Some(s) = &t.setup {
                for step in tutor.run_script(s) {
                    let _ = write!(out, "{}", render::step(&step, style.color));
                }
            }
            Some(tutor)
        };
        let mut live = start_live(self.out, self.style);
        let mut lines: Vec<String> = Vec::new();
        loop {
            if let Some(t) = &live {
                self.input.update(t);
            }
            let Some(entry) = read_code(self.input, ">>> ") else {
                return Go::Quit;
            };
            match entry.trim() {
                "" => continue,
                "q" | "quit" | ".quit" => return Go::Quit,
                "skip" | ".skip" => {
                    let _ = writeln!(
                        self.out,
                        "Skipped. One answer:\n{}",
                        text::code_block(&t.solution, self.style)
                    );
                    return self.pause(false);
                }
                "hint" | ".hint" => {
                    let h = if t.hint.is_empty() {
                        "No hint here: type `solution` to see one answer.\n".to_string()
                    } else {
                        text::render(&format!("Hint: {}", t.hint), self.style)
                    };
                    self.say(&h);
                    continue;
                }
                "solution" | ".solution" => {
                    let _ = writeln!(
                        self.out,
                        "One answer:\n{}",
                        text::code_block(&t.solution, self.style)
                    );
                    continue;
                }
                "undo" | ".undo" => {
                    match lines.pop() {
                        Some(l) => {
                            let _ =
                                writeln!(self.out, "Forgot: {}", l.lines().next().unwrap_or(""));
                        }
                        None => {
                            let _ = writeln!(self.out, "(nothing to forget)");
                        }
                    }
                    continue;
                }
                "reset" | ".reset" => {
                    lines.clear();
                    live = start_live(self.out, self.style);
                    let _ = writeln!(self.out, "Fresh database; no lines kept.");
                    continue;
                }
                c => {
                    let palette = crate::render::Palette {
                        color: self.style.color,
                    };
                    let width = Some(self.style.width);
                    let out = &mut *self.out;
                    if live
                        .as_mut()
                        .and_then(|t| crate::repl::run_shared_meta(c, t, out, palette, width))
                        .is_some()
                    {
                        continue;
                    }
                }
            }
            let steps = live
                .as_mut()
                .map(|t| t.run_entry(&entry))
                .unwrap_or_default();
            write_results(&steps, self.out, self.style);
            if let Some(e) = steps.iter().find_map(|s| s.error.as_ref()) {
                if e.type_name == "SyntaxError" {
                    let _ = writeln!(self.out, "(not kept: fix the syntax and type it again)");
                    continue;
                }
                let _ = writeln!(self.out, "(that raised an error; `undo` forgets it)");
            }
            lines.push(entry);
            let code = lines.join("\n");
            let fixture = self.lesson.fixture.clone();
            let style = self.style;
            let Some(sb) = self.sandbox() else { continue };
            match sb.check_try(&fixture, t, &code) {
                Ok((v, _)) if v.passed => {
                    let ok = "✓ That does it.";
                    let _ = writeln!(
                        self.out,
                        "{}",
                        if style.color {
                            ok.green().to_string()
                        } else {
                            ok.into()
                        }
                    );
                    return self.pause(false);
                }
                Ok((v, _)) => {
                    if let Some(r) = v.reasons.first() {
                        let line = format!("Not yet: {r}");
                        let _ = writeln!(
                            self.out,
                            "{}",
                            if style.color {
                                line.yellow().to_string()
                            } else {
                                line
                            }
                        );
                    }
                }
                Err(e) => {
                    let _ = writeln!(self.out, "cannot check: {e}");
                }
            }
        }
    }

    fn exercise(&mut self, id: &str) -> Go {
        let Some(ex) = self.course.exercise(id).cloned() else {
            let _ = writeln!(self.out, "(exercise {id} is missing)");
            return self.pause(false);
        };
        let style = self.style;
        let store = self.store;
        let _ = writeln!(self.out, "Practice (.skip leaves it for later).");
        let Some(mut sandbox) = self.sandbox.take().or_else(|| Sandbox::new().ok()) else {
            let _ = writeln!(self.out, "(cannot make a scratch folder for checking)");
            return Go::On;
        };
        let ended = super::practice::prompt(&ex, self.input, self.out, style, store, &mut sandbox);
        self.sandbox = Some(sandbox);
        match ended {
            super::practice::Ended::Passed => self.pause(false),
            super::practice::Ended::Left => Go::On,
            super::practice::Ended::Stopped => Go::Quit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pages;

    #[test]
    fn a_text_that_fits_is_one_page() {
        let text = "a\n".repeat(22);
        assert_eq!(pages(&text, 24, 80, 1), vec![(0, 22)]);
    }

    #[test]
    fn a_tall_text_pages_under_the_header_then_a_screen_at_a_time() {
        let text = "a\n".repeat(60);
        // 22 rows under the header, then 23 a page, each above its prompt
        assert_eq!(pages(&text, 24, 80, 1), vec![(0, 22), (22, 45), (45, 60)]);
    }

    #[test]
    fn a_wide_line_counts_the_rows_it_wraps_to() {
        let wide = "x".repeat(170); // three rows at 80 columns
        let text = format!("{wide}\n{}", "a\n".repeat(20));
        assert_eq!(pages(&text, 24, 80, 1), vec![(0, 20), (20, 21)]);
        // colors take no columns
        let colored = format!("\u{1b}[1m{}\u{1b}[0m\n", "x".repeat(80));
        assert_eq!(pages(&colored.repeat(22), 24, 80, 1), vec![(0, 22)]);
    }
}
