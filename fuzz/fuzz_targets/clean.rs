//! The cleaner of raw scraped text: any text is cleaned without a panic, and what it keeps is
//! made of the input's own lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let cleaned = briefing::clean::clean(text);
    let _ = format!("{cleaned:?}");
});
