//! `briefing check`: builds the site in memory and looks for what a build lets pass but an editor
//! wants to know, one finding per line with its file and line.
//!
//! Errors (exit code 1): internal links or anchors that do not resolve, quotations whose text is
//! not word for word in their article, two articles with the same text. Warnings: articles with no
//! date or no source, quotations with no speaker, countries and organisations named in front matter
//! that neither the reference data nor a note knows, and the build's own warnings.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::build::{build_in_memory, BuildOptions};
use crate::content::EntityKind;
use crate::derive::{name_key, DerivedArticle, Quote, Site, SpeakerKind, UNKNOWN_SPEAKER};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::linkcheck;
use crate::reference::ReferenceData;

/// What `check` found, sorted by file and line; errors and warnings together.
pub fn check(options: &BuildOptions) -> Result<Diagnostics, Error> {
    let built = build_in_memory(options)?;
    let mut findings = built.diagnostics.clone();
    let sources = SourceFiles::new(&options.root);
    for broken in linkcheck::broken_links(&built.rendered.files) {
        findings.push(
            Diagnostic::error(
                format!("(page) {}", broken.page),
                format!("link \"{}\" {}", broken.link, broken.reason),
            )
            .at(broken.line, 1),
        );
    }
    let site = &built.site;
    for derived in &site.articles {
        check_article(site, derived, &sources, &mut findings);
    }
    same_text(site, &mut findings);
    unknown_names(site, &sources, &mut findings);
    findings.sort();
    Ok(findings)
}

fn check_article(
    site: &Site,
    derived: &DerivedArticle,
    sources: &SourceFiles,
    findings: &mut Diagnostics,
) {
    let article = &derived.article;
    let file = &article.file;
    if article.date.is_none() {
        findings.push(
            Diagnostic::warning(file, "the article has no date")
                .at(1, 1)
                .with_hint("add `date: YYYY-MM-DD` to its front matter"),
        );
    }
    if article.outlet.is_none() {
        findings.push(
            Diagnostic::warning(file, "the article has no source")
                .at(1, 1)
                .with_hint("add `source: OUTLET` to its front matter"),
        );
    }
    for index in derived.quotes.clone() {
        let quote = &site.quotes[index];
        let line = sources.line_of(file, &place_text(derived, quote, 0));
        if let Some(problem) = not_verbatim(derived, quote) {
            findings.push(
                Diagnostic::error(
                    file,
                    format!(
                        "quotation {} is not word for word in the article: {problem}",
                        quote.anchor
                    ),
                )
                .at(line, 1),
            );
        }
        // An anonymous source ("one diplomat") is an attribution; only a quotation with no
        // speaker at all is a finding.
        if quote.speaker.kind == SpeakerKind::Unknown && &*quote.speaker.name == UNKNOWN_SPEAKER {
            findings.push(
                Diagnostic::warning(
                    file,
                    format!(
                        "no speaker found for quotation {} (\"{}\")",
                        quote.anchor,
                        shorten(&quote.text, 60)
                    ),
                )
                .at(line, 1)
                .with_hint("name the speaker in the sentence, or leave it: the quotation stays, unattributed"),
            );
        }
    }
}

/// The text of a quotation's `n`th place in its article.
fn place_text(derived: &DerivedArticle, quote: &Quote, n: usize) -> String {
    quote
        .places
        .get(n)
        .and_then(|p| {
            derived
                .text
                .blocks
                .get(p.block)
                .and_then(|b| b.text.get(p.start..p.end))
        })
        .unwrap_or("")
        .to_string()
}

/// Why a quotation's text is not its article's words, if it is not. Its places, in order, must
/// spell its words once or more: one place, a quotation run over several places (split by its
/// attribution or over paragraphs), or a quotation repeated (a lede that the body quotes again).
fn not_verbatim(derived: &DerivedArticle, quote: &Quote) -> Option<String> {
    let places: Vec<Option<&str>> = quote
        .places
        .iter()
        .map(|p| {
            derived
                .text
                .blocks
                .get(p.block)
                .and_then(|b| b.text.get(p.start..p.end))
        })
        .collect();
    misspelled(&quote.text, &places)
}

/// How the texts at a quotation's places fail to spell `said`, if they do (`None` for a place
/// outside its block).
fn misspelled(said: &str, places: &[Option<&str>]) -> Option<String> {
    let said = words(said);
    let mut spelled: Vec<String> = Vec::new();
    for (n, place) in places.iter().enumerate() {
        let Some(text) = place else {
            return Some(format!("its place {} is outside the text", n + 1));
        };
        spelled.extend(words(text));
        if spelled == said {
            spelled.clear();
        } else if !said.starts_with(&spelled) {
            let at = said
                .iter()
                .zip(&spelled)
                .position(|(a, b)| a != b)
                .unwrap_or(said.len().min(spelled.len()));
            let article_says = spelled.get(at).map_or("(nothing)", String::as_str);
            let quote_says = said.get(at).map_or("(nothing)", String::as_str);
            return Some(format!(
                "the quotation says \"{quote_says}\" where the article says \"{article_says}\""
            ));
        }
    }
    if !spelled.is_empty() || places.is_empty() {
        return Some(format!(
            "the article stops after \"{}\"",
            spelled.last().map_or("", String::as_str)
        ));
    }
    None
}

/// Lower-case words, without punctuation or quotation marks.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Two articles with the same words are one story told twice: its quotes count twice.
fn same_text(site: &Site, findings: &mut Diagnostics) {
    let mut by_text: BTreeMap<Vec<String>, Vec<&Path>> = BTreeMap::new();
    for derived in &site.articles {
        let body: Vec<String> = derived
            .text
            .blocks
            .iter()
            .skip(1)
            .flat_map(|b| words(&b.text))
            .collect();
        if body.len() >= 20 {
            by_text
                .entry(body)
                .or_default()
                .push(derived.article.file.as_path());
        }
    }
    for mut files in by_text.into_values().filter(|f| f.len() > 1) {
        files.sort();
        for other in &files[1..] {
            findings.push(
                Diagnostic::error(
                    other,
                    format!("the article has the same text as {}", files[0].display()),
                )
                .at(1, 1)
                .with_hint("keep one of the two files, or add `draft: true` to one"),
            );
        }
    }
}

/// Countries and organisations named in front matter that neither the reference data nor a note
/// knows: a misspelling, most likely, which makes a page of its own.
fn unknown_names(site: &Site, sources: &SourceFiles, findings: &mut Diagnostics) {
    for kind in [EntityKind::Country, EntityKind::Organisation] {
        let entities = site.entities.get(kind);
        // Suggestions come from the reference data and the site's notes.
        let data = ReferenceData::builtin();
        let reference: Vec<&str> = match kind {
            EntityKind::Country => data.countries.iter().map(|c| c.name.as_str()).collect(),
            _ => data.organisations.iter().map(|o| o.name.as_str()).collect(),
        };
        let known: Vec<&str> = reference
            .into_iter()
            .chain(
                entities
                    .iter()
                    .filter(|e| e.note.is_some())
                    .map(|e| e.name.as_str()),
            )
            .collect();
        let by_key: HashMap<String, &crate::derive::Entity> =
            entities.iter().map(|e| (name_key(&e.name), e)).collect();
        for derived in &site.articles {
            for name in derived.article.added.get(kind) {
                let key = name_key(name);
                let Some(entity) = by_key.get(&key) else {
                    continue;
                };
                if entity.country.is_some()
                    || entity.organisation.is_some()
                    || entity.note.is_some()
                {
                    continue;
                }
                let suggestion = known
                    .iter()
                    .map(|k| (strsim::jaro_winkler(&key, &name_key(k)), *k))
                    .filter(|(score, _)| *score > 0.85)
                    .max_by(|a, b| a.0.total_cmp(&b.0))
                    .map(|(_, k)| format!("did you mean \"{k}\"? "))
                    .unwrap_or_default();
                let file = &derived.article.file;
                findings.push(
                    Diagnostic::warning(
                        file,
                        format!(
                            "the {} \"{name}\" is known to neither the reference data nor a note",
                            kind.singular()
                        ),
                    )
                    .at(sources.line_of(file, name), 1)
                    .with_hint(format!(
                        "{suggestion}fix the spelling, or describe it in content/{}/{}.md",
                        kind.folder(),
                        crate::slug::slugify(name)
                    )),
                );
            }
        }
    }
}

/// Source files read back (once each) to place findings on their lines.
struct SourceFiles {
    root: PathBuf,
    read: RefCell<HashMap<PathBuf, Option<String>>>,
}

impl SourceFiles {
    fn new(root: &Path) -> SourceFiles {
        SourceFiles {
            root: root.to_path_buf(),
            read: RefCell::new(HashMap::new()),
        }
    }

    /// The 1-based line of `file` (relative to the root) where `text` starts, found by its first
    /// words; 1 when it cannot be found (Markdown escapes, cleaned raw text).
    fn line_of(&self, file: &Path, text: &str) -> usize {
        let mut read = self.read.borrow_mut();
        let source = read
            .entry(file.to_path_buf())
            .or_insert_with(|| std::fs::read_to_string(self.root.join(file)).ok());
        let Some(source) = source else {
            return 1;
        };
        let found: Vec<&str> = text.split_whitespace().collect();
        for take in [8, 4, 2, 1] {
            if found.len() < take {
                continue;
            }
            let needle = found[..take].join(" ");
            if let Some(at) = source.find(&needle) {
                return 1 + source[..at].matches('\n').count();
            }
        }
        1
    }
}

fn shorten(text: &str, at: usize) -> String {
    if text.chars().count() <= at {
        return text.to_string();
    }
    let cut: String = text.chars().take(at).collect();
    format!("{}…", cut.trim_end())
}

/// A finding on one line: `error: file:line: message (hint)`.
pub fn one_line(finding: &Diagnostic) -> String {
    let label = if finding.is_error() {
        "error"
    } else {
        "warning"
    };
    match &finding.hint {
        Some(hint) => format!(
            "{label}: {}: {} ({hint})",
            finding.location(),
            finding.message
        ),
        None => format!("{label}: {}: {}", finding.location(), finding.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quotation_must_be_spelled_by_its_places() {
        let said = "We will not take part, and we will say so";
        // One place; a quotation split by its attribution; a quotation repeated.
        assert_eq!(
            misspelled(said, &[Some("“We will not take part, and we will say so”")]),
            None
        );
        assert_eq!(
            misspelled(
                said,
                &[Some("We will not take part,"), Some("and we will say so.")]
            ),
            None
        );
        assert_eq!(misspelled(said, &[Some(said), Some(said)]), None);
        // Words the article does not have, a quotation cut short, a place outside the text.
        assert_eq!(
            misspelled(said, &[Some("We will not take a part, and we will say so")]).as_deref(),
            Some("the quotation says \"part\" where the article says \"a\"")
        );
        assert!(misspelled(said, &[Some("We will not take part")]).is_some());
        assert!(misspelled(said, &[Some(said), None]).is_some());
        assert!(misspelled(said, &[]).is_some());
    }

    #[test]
    fn words_ignore_case_punctuation_and_marks() {
        assert_eq!(
            words("“We will not,” he said."),
            ["we", "will", "not", "he", "said"]
        );
    }
}
