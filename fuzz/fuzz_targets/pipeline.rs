//! The whole pipeline on one article: any bytes as `content/articles/fuzz.md` (or `.txt`, by the
//! first byte) build or fail with diagnostics, never panic; and a built site carries no script
//! but the search page's, and no `javascript:` link, whatever the article holds.
#![no_main]

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use briefing::build::BuildCache;

use libfuzzer_sys::fuzz_target;

/// One site folder for the whole run, with the default theme and a good article beside the fuzzed one.
fn site() -> &'static PathBuf {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder").keep();
        std::fs::write(dir.join("site.yaml"), "title: Fuzz\n").unwrap();
        std::fs::create_dir_all(dir.join("content/articles")).unwrap();
        std::fs::write(
            dir.join("content/articles/good.md"),
            "---\ntitle: Good\n---\n\"We will talk,\" said John Smith of Armenia.\n",
        )
        .unwrap();
        dir
    })
}

fuzz_target!(|bytes: &[u8]| {
    let root = site();
    let articles = root.join("content/articles");
    let (name, other) = match bytes.first() {
        Some(b) if b % 2 == 1 => ("fuzz.txt", "fuzz.md"),
        _ => ("fuzz.md", "fuzz.txt"),
    };
    let _ = std::fs::remove_file(articles.join(other));
    std::fs::write(articles.join(name), bytes).unwrap();
    let options = briefing::BuildOptions {
        root: root.clone(),
        ..briefing::BuildOptions::default()
    };
    // The cache of `serve --watch` keeps the theme and the good article between runs: the fuzzed
    // file is read again every time, which also puts the rebuild path under the fuzzer.
    static CACHE: OnceLock<Mutex<BuildCache>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(|| Mutex::new(BuildCache::default()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    cache.forget(&[articles.join("fuzz.md"), articles.join("fuzz.txt")]);
    match briefing::build::build_in_memory_cached(&options, &mut cache) {
        Ok(built) => {
            for file in &built.rendered.files {
                if !file.path.ends_with(".html") {
                    continue;
                }
                let html = String::from_utf8_lossy(file.bytes.get()).to_lowercase();
                let scripts = html.matches("<script").count();
                let allowed = usize::from(file.path == "search.html");
                assert_eq!(scripts, allowed, "{} carries a script", file.path);
                assert!(!html.contains("javascript:"), "{} carries a javascript: link", file.path);
            }
        }
        Err(briefing::Error::Invalid(diagnostics)) => assert!(diagnostics.has_errors()),
        Err(other) => panic!("{other}"),
    }
});
