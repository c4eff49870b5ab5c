//! The static search index: every article, quotation and entity as a document, its words in an
//! inverted index split into small shards by the words' first two letters, and the documents' titles
//! and snippets in chunks of [`DOCS_PER_CHUNK`]. The theme's `search.js` loads only the shards of
//! the words typed and the chunks of the results shown, as Pagefind does, so a phone fetches a few
//! kilobytes per query whatever the size of the site.
//!
//! Every file is a script that hands its data to `briefingSearch` (not JSON fetched by the page),
//! because browsers load scripts from `file://` where they refuse `fetch`: the search works on a
//! site opened from disk too.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::content::EntityKind;
use crate::derive::{DerivedArticle, Site};

use super::{article_path, display_text, entity_path};

/// Documents per chunk file of titles and snippets.
pub const DOCS_PER_CHUNK: usize = 200;

/// The folder of the index in the output.
pub const FOLDER: &str = "search";

/// A document's fields as the results list shows them.
#[derive(Serialize)]
struct Doc {
    /// article, quote, country, organisation or person.
    kind: &'static str,
    title: String,
    /// Site-relative.
    url: String,
    /// A line of context: the article's date and outlet, the quotation's speaker and article.
    meta: String,
    #[serde(skip)]
    source: Source,
}

/// Words too common to be worth an entry.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or", "said", "she",
    "that", "the", "their", "they", "this", "to", "was", "we", "were", "which", "will", "with",
];

/// Splits text into index terms: runs of letters and digits (Unicode's Alphabetic and Numeric), two
/// characters or more, lower-cased, without stop words. A term is also entered folded (see
/// [`fold`]) when that differs ("erdoğan", "erdogan"), so that either spelling finds it.
/// `search.js` splits, lower-cases and folds queries the same way, step for step.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.chars().count() < 2 {
            continue;
        }
        let lower = word.to_lowercase();
        if STOP_WORDS.contains(&lower.as_str()) {
            continue;
        }
        // Only a word with a character beyond ASCII can fold to another.
        if !lower.is_ascii() {
            let folded = fold(&lower);
            if folded != lower && !folded.is_empty() {
                out.push(folded);
            }
        }
        out.push(lower);
    }
    out
}

/// A word without its accents: canonical decomposition (NFKD), combining diacritical marks
/// (U+0300 to U+036F) dropped, then recomposed (NFC), exactly as JavaScript's
/// `normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFC")` does in `search.js`.
fn fold(word: &str) -> String {
    word.nfkd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .nfc()
        .collect()
}

/// The shard a term lives in: its first `letters` characters, as hex code points ("ar" -> "61-72"),
/// so that file names stay plain whatever the script.
pub fn shard_of(term: &str, letters: usize) -> String {
    term.chars()
        .take(letters)
        .map(|c| format!("{:x}", c as u32))
        .collect::<Vec<_>>()
        .join("-")
}

/// A shard's budget: a shard of two letters that would be larger is split by three letters.
const SHARD_BUDGET: usize = 48 * 1024;

/// A document's terms with their weights, sorted by term.
type DocTerms = Arc<Vec<(String, u32)>>;

/// What the index keeps between builds of one site (`serve --watch`): each document's terms under
/// a hash of its text, so that a rebuild splits again only the documents that changed.
#[derive(Debug, Default)]
pub struct SearchCache {
    terms: HashMap<u128, DocTerms>,
    /// Each shard and chunk file under a hash of what it holds.
    files: HashMap<String, (u128, String)>,
    /// A one-off build keeps nothing for a next build.
    pub(crate) forgetful: bool,
}

/// The index's files: `search/index.js` (the manifest), `search/t/<shard>.js`, `search/d/<n>.js`.
/// Only the documents not in `cache` are split into terms again.
pub fn index_files(site: &Site, cache: &mut SearchCache) -> Vec<(String, String)> {
    let docs = documents(site);
    // Each document's terms and weights, made on every core a batch at a time (so that only a
    // batch's term lists are held at once), then merged in document order, so that each term's
    // documents come out in ascending order.
    const BATCH: usize = 4096;
    let previous = std::mem::take(&mut cache.terms);
    let mut postings: HashMap<String, (u32, Vec<u32>)> = HashMap::new();
    for (batch, sources) in docs
        .iter()
        .map(|d| d.source)
        .collect::<Vec<_>>()
        .chunks(BATCH)
        .enumerate()
    {
        let per_doc: Vec<(u128, DocTerms)> = sources
            .par_iter()
            .map(|&source| {
                let fields = fields_of(site, source);
                let key = hash_of(&fields);
                if let Some(terms) = previous.get(&key) {
                    return (key, Arc::clone(terms));
                }
                let mut weights: HashMap<String, u32> = HashMap::new();
                for (text, weight) in &fields {
                    for term in terms(text) {
                        *weights.entry(term).or_default() += weight;
                    }
                }
                let mut list: Vec<(String, u32)> = weights.into_iter().collect();
                list.sort();
                (key, Arc::new(list))
            })
            .collect();
        for (offset, (key, terms)) in per_doc.into_iter().enumerate() {
            let doc = (batch * BATCH + offset) as u32;
            for (term, weight) in terms.iter() {
                // Flat pairs of (gap from the previous document, weight): small numbers, short files.
                let (last, list) = match postings.get_mut(term.as_str()) {
                    Some(entry) => entry,
                    None => postings.entry(term.clone()).or_insert((0, Vec::new())),
                };
                let gap = if list.is_empty() { doc } else { doc - *last };
                *last = doc;
                list.extend([gap, *weight]);
            }
            if !cache.forgetful {
                cache.terms.insert(key, terms);
            }
        }
    }
    drop(previous);
    let mut sorted: Vec<(String, Vec<u32>)> = postings
        .into_iter()
        .map(|(term, (_, list))| (term, list))
        .collect();
    sorted.sort_unstable();
    let shards = split_into_shards(&sorted);

    let mut files = Vec::new();
    // Two-letter groups split by three letters: their words are in the three-letter shards.
    let split: Vec<String> = shards
        .keys()
        .filter(|k| k.matches('-').count() == 2)
        .map(|k| {
            k.rsplit_once('-')
                .map_or(k.as_str(), |(two, _)| two)
                .to_string()
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let manifest = serde_json::json!({
        "docs": docs.len(),
        "chunk": DOCS_PER_CHUNK,
        "shards": shards.keys().collect::<Vec<_>>(),
        "split": split,
    });
    files.push((
        format!("{FOLDER}/index.js"),
        format!("briefingSearch.manifest({});\n", script_json(&manifest)),
    ));
    // Shard and chunk files are written again only when what they hold changed.
    let previous = std::mem::take(&mut cache.files);
    let mut reuse = |path: String, key: u128, make: &dyn Fn() -> String| -> (String, String) {
        let text = match previous.get(&path) {
            Some((cached, text)) if *cached == key => text.clone(),
            _ => make(),
        };
        if !cache.forgetful {
            cache.files.insert(path.clone(), (key, text.clone()));
        }
        (path, text)
    };
    for (shard, terms) in &shards {
        let key = hash_of(&terms);
        files.push(reuse(format!("{FOLDER}/t/{shard}.js"), key, &|| {
            let terms: BTreeMap<&str, &Vec<u32>> =
                terms.iter().map(|(t, p)| (t.as_str(), *p)).collect();
            format!(
                "briefingSearch.shard({},{});\n",
                script_json(shard),
                script_json(&terms)
            )
        }));
    }
    for (n, chunk) in docs.chunks(DOCS_PER_CHUNK).enumerate() {
        let key = hash_of(&chunk);
        files.push(reuse(format!("{FOLDER}/d/{n}.js"), key, &|| {
            format!("briefingSearch.docs({n},{});\n", script_json(&chunk))
        }));
    }
    files
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u128 {
    let mut hasher = siphasher::sip128::SipHasher13::new();
    value.hash(&mut hasher);
    siphasher::sip128::Hasher128::finish128(&hasher).as_u128()
}

/// Groups sorted terms by their first two letters, or three where two would pass the budget.
fn split_into_shards(sorted: &[(String, Vec<u32>)]) -> BTreeMap<String, Vec<(&String, &Vec<u32>)>> {
    let mut by_two: BTreeMap<String, Vec<(&String, &Vec<u32>)>> = BTreeMap::new();
    for (term, postings) in sorted {
        by_two
            .entry(shard_of(term, 2))
            .or_default()
            .push((term, postings));
    }
    let mut shards = BTreeMap::new();
    for (key, terms) in by_two {
        // Roughly the bytes the shard's script will take.
        let size: usize = terms.iter().map(|(t, p)| t.len() + 6 + p.len() * 3).sum();
        if size <= SHARD_BUDGET {
            shards.insert(key, terms);
            continue;
        }
        for (term, postings) in terms {
            shards
                .entry(shard_of(term, 3))
                .or_insert_with(Vec::new)
                .push((term, postings));
        }
    }
    shards
}

/// The documents (in index order) and, for each, its text fields and their weights.
/// A chunk file is made again when what it shows changed: the source's place does not count.
impl Hash for Doc {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self.kind, &self.title, &self.url, &self.meta).hash(state);
    }
}

/// Where a document's text comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Article(usize),
    Quote(usize),
    Entity(EntityKind, usize),
}

/// Every document, in index order: articles, quotations, then entities.
fn documents(site: &Site) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (i, derived) in site.articles.iter().enumerate() {
        let article = &derived.article;
        docs.push(Doc {
            kind: "article",
            title: article.title.clone(),
            url: article_path(&article.slug),
            meta: [
                article.date.map(|d| d.format("%-d %B %Y").to_string()),
                article.outlet.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
            source: Source::Article(i),
        });
    }
    for (i, quote) in site.quotes.iter().enumerate() {
        let article = &site.articles[quote.article].article;
        docs.push(Doc {
            kind: "quote",
            title: display_text(&quote.text, quote.partial),
            url: format!("{}#{}", article_path(&article.slug), quote.anchor),
            meta: format!("{}, in {}", quote.speaker.name, article.title),
            source: Source::Quote(i),
        });
    }
    for (kind, entities) in site.entities.iter() {
        for (i, entity) in entities.iter().enumerate() {
            let count = entity.articles.len();
            docs.push(Doc {
                kind: kind.singular(),
                title: entity.name.clone(),
                url: entity_path(kind, &entity.slug),
                meta: format!("in {count} article{}", if count == 1 { "" } else { "s" }),
                source: Source::Entity(kind, i),
            });
        }
    }
    docs
}

/// A document's searchable texts with their weights: made when its terms are, and then dropped.
fn fields_of(site: &Site, source: Source) -> Vec<(String, u32)> {
    match source {
        Source::Article(i) => {
            let derived = &site.articles[i];
            vec![(derived.article.title.clone(), 5), (body_text(derived), 1)]
        }
        Source::Quote(i) => {
            let quote = &site.quotes[i];
            vec![(quote.text.clone(), 2), (quote.speaker.name.clone(), 3)]
        }
        Source::Entity(kind, i) => {
            let entity = &site.entities.get(kind)[i];
            vec![(entity.name.clone(), 20), (entity.aliases().join(" "), 10)]
        }
    }
}

/// The article's body as plain text.
fn body_text(derived: &DerivedArticle) -> String {
    derived
        .text
        .blocks
        .iter()
        .skip(1)
        .map(|b| b.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// JSON that is safe inside a script: no `<`, `>` or `&` that could end it or open markup.
fn script_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_are_lower_case_words_with_and_without_accents() {
        assert_eq!(
            terms("Erdoğan met the CSTO's chief in Yerevan, 2024."),
            ["erdogan", "erdoğan", "met", "csto", "chief", "yerevan", "2024"]
        );
        assert_eq!(terms("Путин"), ["путин"]);
        // Cyrillic, Greek and a Turkish dotted capital fold as the browser folds them.
        assert_eq!(terms("Зеленский"), ["зеленскии", "зеленский"]);
        assert_eq!(terms("Αθήνα"), ["αθηνα", "αθήνα"]);
        assert_eq!(terms("İlham")[0], "ilham");
        // Hangul and kana stay composed.
        assert_eq!(terms("서울 ガザ"), ["서울", "ガザ"]);
        assert_eq!(shard_of("armenia", 2), "61-72");
        assert_eq!(shard_of("armenia", 3), "61-72-6d");
    }

    #[test]
    fn script_data_cannot_close_its_script() {
        assert_eq!(script_json("</script>&"), r#""\u003c/script\u003e\u0026""#);
    }
}
