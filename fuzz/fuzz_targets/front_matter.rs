//! The front matter reader: any bytes, as a Markdown article and as raw text, are decoded and
//! parsed without a panic, and an article that parses has a title unless errors were reported.
#![no_main]

use std::path::Path;

use briefing::content::{decode_text, Article, ArticleFormat};
use briefing::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
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
        match Article::parse(shown, format, &text, &mut diagnostics) {
            Some(article) => assert!(!article.title.trim().is_empty() || format == ArticleFormat::Markdown),
            None => assert!(diagnostics.has_errors(), "an article refused without an error"),
        }
    }
});
