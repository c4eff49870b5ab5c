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
fn every_input_a_fuzz_target_failed_on_passes_its_check_now() {
    let mut replayed = 0;
    for (_, bytes) in inputs("front_matter") {
        checks::front_matter(&bytes);
        replayed += 1;
    }
    for (_, bytes) in inputs("clean") {
        checks::clean(&String::from_utf8_lossy(&bytes));
        replayed += 1;
    }
    for (_, bytes) in inputs("quotes") {
        checks::quotes(&String::from_utf8_lossy(&bytes));
        replayed += 1;
    }
    for (_, bytes) in inputs("pipeline") {
        checks::pipeline(&bytes);
        replayed += 1;
    }
    // The front matter fuzzer's crash, at least, is kept.
    assert!(replayed > 0, "no kept input was replayed");
}
