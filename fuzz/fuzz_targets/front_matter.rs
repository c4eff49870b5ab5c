//! Fuzz target: see `checks::front_matter` for what it checks.
#![no_main]

#[path = "../checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    checks::front_matter(bytes);
});
