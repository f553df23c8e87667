//! The front end on any text: splitting into top-level statements and
//! parsing must return (statements or a `SyntaxError`), never panic or
//! overflow the stack.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        let source = orm_tutor::language::strip_repl_prompts(source);
        for (start, end) in orm_tutor::language::split_top_level(&source) {
            let _ = orm_tutor::language::parse_module(&source[start..end]);
        }
        let _ = orm_tutor::language::parse_module(&source);
    }
});
