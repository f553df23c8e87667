//! The bounded smoke run of the fuzz targets in `fuzz/` (which need
//! cargo-fuzz and a nightly toolchain), for `cargo test` and CI: the golden
//! scripts as a seed corpus, mutated by a seeded random generator
//! (deleted ranges, duplicated lines, inserted tokens, spliced scripts),
//! through the parser and through `Tutor::run_script`. A panic would show as
//! an `InternalError` step (or fail the test outright); a stack overflow or
//! an abort kills the test process. Deterministic: the same inputs on every
//! run, a few seconds in all.

use std::path::Path;

use orm_tutor::fixture::Fixture;
use orm_tutor::language::{parse_module, split_top_level, strip_repl_prompts};
use orm_tutor::tutor::{DbTarget, Tutor};

/// Tokens the mutator inserts: brackets, quotes, keywords, operators and
/// ORM names, so mutants reach deep into the parser and the ORM.
const TOKENS: &[&str] = &[
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "\"\"\"",
    "'''",
    "\\",
    ":",
    ",",
    ".",
    "\n",
    "\n    ",
    "\t",
    "#",
    " if ",
    " else ",
    " for ",
    " in ",
    " not ",
    " and ",
    " or ",
    "lambda x: ",
    "**",
    "*",
    " == ",
    " is ",
    "=",
    "+=",
    "-",
    "%",
    "@",
    "None",
    "True",
    "[...]",
    "é",
    "\u{1F600}",
    "f\"{",
    "}\"",
    "session.",
    "User.",
    "Message.",
    "User.messages",
    "Message.user",
    ".desc()",
    ".is_(None)",
    ".any()",
    ".has()",
    ".all()",
    ".first()",
    ".one()",
    "select(User)",
    "print(",
    "len(",
    "dict(",
    "x",
    "0",
    "-1",
    "2.5",
    "del ",
    "return ",
    "def f():\n    ",
    "class A:\n    ",
    "try:\n    pass\nexcept Exception as e:\n    ",
    "with session.begin():\n    ",
    "import ",
    "from sqlalchemy import ",
    "user_groups.insert()",
    ".values(user_id=1)",
    "strftime(\"%\")",
];

/// xorshift64*: a small seeded generator, so that the mutants are the same
/// on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The nearest char boundary at or before `i`.
fn boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, script: &str, other: &str) -> String {
    let mut s = script.to_string();
    for _ in 0..=rng.below(3) {
        match rng.below(4) {
            0 if !s.is_empty() => {
                let a = boundary(&s, rng.below(s.len()));
                let b = boundary(&s, a + rng.below(12));
                s.replace_range(a..b, "");
            }
            1 => {
                let lines: Vec<&str> = s.lines().collect();
                if !lines.is_empty() {
                    let i = rng.below(lines.len());
                    let mut out = lines.clone();
                    out.insert(i, lines[i]);
                    s = out.join("\n");
                }
            }
            2 => {
                let at = boundary(&s, rng.below(s.len() + 1));
                s.insert_str(at, TOKENS[rng.below(TOKENS.len())]);
            }
            _ => {
                let a = boundary(&s, rng.below(s.len() + 1));
                let b = boundary(other, rng.below(other.len() + 1));
                s = format!("{}{}", &s[..a], &other[b..]);
            }
        }
    }
    s
}

fn seeds() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/golden/cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "py"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a golden script"))
        // Scripts that loop until told otherwise are no seeds for blind
        // mutation (a deleted `break` would loop for ever).
        .filter(|s| !s.contains("while "))
        .collect()
}

fn parse_all(source: &str) {
    let source = strip_repl_prompts(source);
    for (start, end) in split_top_level(&source) {
        let _ = parse_module(
            source
                .get(start..end)
                .expect("chunks fall on char boundaries"),
        );
    }
    let _ = parse_module(&source);
}

fn run_all(source: &str) {
    let mut tutor = Tutor::start(Fixture::chat(), DbTarget::Memory).expect("chat fixture");
    for step in tutor.run_script(source) {
        if let Some(e) = &step.error {
            assert_ne!(
                e.type_name, "InternalError",
                "a panic on input:\n{source}\n---\nat {:?}: {}",
                step.code, e.message
            );
        }
    }
}

#[test]
fn the_parser_survives_mutated_golden_scripts() {
    let seeds = seeds();
    assert!(seeds.len() > 50, "the seed corpus is the golden scripts");
    let mut rng = Rng(0x005E_ED0F_F022);
    for seed in &seeds {
        parse_all(seed);
    }
    for _ in 0..3000 {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        parse_all(&mutate(&mut rng, a, b));
    }
}

#[test]
fn the_tutor_survives_mutated_golden_scripts() {
    let seeds = seeds();
    let mut rng = Rng(0xF022_5EED);
    let started = std::time::Instant::now();
    for _ in 0..150 {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        let mutant = mutate(&mut rng, a, b);
        run_all(&mutant);
        // A bound for slow machines, not a figure under test.
        if started.elapsed().as_secs() > 60 {
            break;
        }
    }
}
