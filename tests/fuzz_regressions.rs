//! Every input a fuzz target once failed on (`fuzz/regressions/TARGET/`) is replayed through the
//! same check, so that a fixed crash stays fixed. The checks are the fuzz targets' own
//! (`fuzz/checks.rs`); the fuzzing itself is `bash fuzz/run.sh`.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::Path;

/// The inputs kept for `target`, by name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut inputs: Vec<(String, Vec<u8>)> = entries
        .map(|entry| entry.unwrap().path())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect();
    inputs.sort();
    inputs
}

#[test]
fn front_matter_regressions() {
    let kept = inputs("front_matter");
    assert!(!kept.is_empty(), "the front matter fuzzer's crash is kept");
    for (_, bytes) in kept {
        checks::front_matter(&bytes);
    }
}

#[test]
fn clean_regressions() {
    for (_, bytes) in inputs("clean") {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            checks::clean(text);
        }
    }
}

#[test]
fn quotes_regressions() {
    for (_, bytes) in inputs("quotes") {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            checks::quotes(text);
        }
    }
}

#[test]
fn pipeline_regressions() {
    for (_, bytes) in inputs("pipeline") {
        checks::pipeline(&bytes);
    }
}
