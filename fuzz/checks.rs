//! What each fuzz target checks, shared by the targets (`fuzz_targets/`) and by the replay of the
//! inputs that once failed (`tests/fuzz_regressions.rs`, in the main crate's `cargo test`).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use briefing::build::BuildCache;
use briefing::content::{decode_text, Article, ArticleFormat};
use briefing::derive::quotes::find_quotes;
use briefing::derive::text::{ArticleText, Sentences};
use briefing::diagnostics::Diagnostics;

/// The front matter reader: any bytes, as a Markdown article and as raw text, are decoded and
/// parsed without a panic, and an article refused has an error to say why.
pub fn front_matter(bytes: &[u8]) {
    for (format, raw) in [
        (ArticleFormat::Markdown, false),
        (ArticleFormat::RawText, true),
    ] {
        let mut diagnostics = Diagnostics::new();
        let shown = Path::new("content/articles/fuzz.md");
        let Some(text) = decode_text(bytes.to_vec(), shown, raw, &mut diagnostics) else {
            assert!(diagnostics.has_errors());
            continue;
        };
        if Article::parse(shown, format, &text, &mut diagnostics).is_none() {
            assert!(
                diagnostics.has_errors(),
                "an article refused without an error"
            );
        }
    }
}

/// The cleaner of raw scraped text: any text is cleaned without a panic.
pub fn clean(text: &str) {
    let cleaned = briefing::clean::clean(text);
    let _ = format!("{cleaned:?}");
}

/// The quotation finder: any Markdown body gives quotations whose places lie inside their blocks,
/// on character boundaries.
pub fn quotes(body: &str) {
    let file = format!("---\ntitle: Fuzz\n---\n{body}");
    let mut diagnostics = Diagnostics::new();
    let Some(article) = Article::parse(
        Path::new("fuzz.md"),
        ArticleFormat::Markdown,
        &file,
        &mut diagnostics,
    ) else {
        return;
    };
    let text = ArticleText::of(&article);
    for quote in find_quotes(&text, &Sentences::of(&text)) {
        for place in &quote.places {
            let block = &text.blocks[place.block].text;
            assert!(place.start <= place.end && place.end <= block.len());
            assert!(block.is_char_boundary(place.start) && block.is_char_boundary(place.end));
        }
    }
}

/// One site folder for the whole run, with a good article beside the fuzzed one.
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

/// The whole pipeline on one article: any bytes as `content/articles/fuzz.md` (or `.txt`, by the
/// first byte) build or fail with diagnostics, never panic; and a built site carries no script
/// but the search page's, and no attribute that starts with `javascript:`, whatever the article
/// holds (the word in the text is only text).
pub fn pipeline(bytes: &[u8]) {
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
                for quote in ["=\"", "='", "="] {
                    let attribute = format!("{quote}javascript:");
                    assert!(
                        !html.contains(&attribute),
                        "{} carries a javascript: link",
                        file.path
                    );
                }
            }
        }
        Err(briefing::Error::Invalid(diagnostics)) => assert!(diagnostics.has_errors()),
        Err(other) => panic!("{other}"),
    }
}
