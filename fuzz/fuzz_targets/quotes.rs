//! The quotation finder: any Markdown body gives quotations whose places lie inside their blocks,
//! on character boundaries, without a panic.
#![no_main]

use std::path::Path;

use briefing::content::{Article, ArticleFormat};
use briefing::derive::quotes::find_quotes;
use briefing::derive::text::ArticleText;
use briefing::diagnostics::Diagnostics;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &str| {
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
    for quote in find_quotes(&text) {
        for place in &quote.places {
            let block = &text.blocks[place.block].text;
            assert!(place.start <= place.end && place.end <= block.len());
            assert!(block.is_char_boundary(place.start) && block.is_char_boundary(place.end));
        }
    }
});
