//! Fuzz target: see `checks::pipeline` for what it checks.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    checks::pipeline(bytes);
});
