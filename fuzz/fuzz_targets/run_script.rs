//! `Tutor::run_script` on any text, on the chat fixture in memory: every
//! step ends in a value or a Python/SQLAlchemy error, never a panic (which
//! the tutor would report as `InternalError`), an abort or a hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use orm_tutor::fixture::Fixture;
use orm_tutor::tutor::{DbTarget, Tutor};

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(mut tutor) = Tutor::start(Fixture::chat(), DbTarget::Memory) else {
        return;
    };
    for step in tutor.run_script(source) {
        if let Some(e) = &step.error {
            assert_ne!(e.type_name, "InternalError", "{}: {}", step.code, e.message);
        }
    }
});
