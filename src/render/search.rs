//! The static search index: every article, quotation and entity as a document, its words in an
//! inverted index split into small shards by the words' first two letters, and the documents' titles
//! and snippets in chunks of [`DOCS_PER_CHUNK`] document numbers (see [`doc_numbers`]). With
//! `serve --watch`, a rebuild patches the last index (see [`SearchCache`]). The theme's
//! `search.js` loads only the shards of the words typed and the chunks of the results shown, as
//! Pagefind does, so a phone fetches a few kilobytes per query whatever the size of the site.
//!
//! Every file is a script that hands its data to `briefingSearch` (not JSON fetched by the page),
//! because browsers load scripts from `file://` where they refuse `fetch`: the search works on a
//! site opened from disk too.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use std::sync::Arc;

use foldhash::fast::RandomState as FastHash;
use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use crate::content::EntityKind;
use crate::derive::{DerivedArticle, Site};
use crate::word_set::WordSet;

use super::dates;
use super::json;
use super::keys::{key_of, KeyHasher};
use super::{article_path, display_text, entity_path};

/// Document numbers per chunk file of titles and snippets (numbers no document has are `null`).
pub const DOCS_PER_CHUNK: usize = 200;

/// The folder of the index in the output.
pub const FOLDER: &str = "search";

/// A document's fields as the results list shows them.
struct Doc {
    /// article, quote, country, organisation or person.
    kind: &'static str,
    title: String,
    /// Site-relative.
    url: String,
    /// A line of context: the article's date and outlet, the quotation's speaker and article.
    meta: String,
}

impl Doc {
    /// `{"kind":…,"title":…,"url":…,"meta":…}`, script-safe.
    fn json(&self) -> String {
        let mut out = Vec::with_capacity(self.title.len() + self.url.len() + self.meta.len() + 48);
        out.extend_from_slice(b"{\"kind\":");
        json::push_string(&mut out, self.kind);
        out.extend_from_slice(b",\"title\":");
        json::push_string(&mut out, &self.title);
        out.extend_from_slice(b",\"url\":");
        json::push_string(&mut out, &self.url);
        out.extend_from_slice(b",\"meta\":");
        json::push_string(&mut out, &self.meta);
        out.push(b'}');
        String::from_utf8(out).expect("JSON escapes keep the text UTF-8")
    }
}

/// Words too common to be worth an entry.
static STOP_WORDS: WordSet = WordSet::new(&[
    "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "for", "from", "had", "has",
    "have", "he", "her", "his", "i", "in", "is", "it", "its", "of", "on", "or", "said", "she",
    "that", "the", "their", "they", "this", "to", "was", "we", "were", "which", "will", "with",
]);

/// Splits text into index terms: runs of letters and digits (Unicode's Alphabetic and Numeric), two
/// characters or more, lower-cased, without stop words. A term is also entered folded (see
/// [`fold`]) when that differs ("erdoğan", "erdogan"), so that either spelling finds it.
/// `search.js` splits, lower-cases and folds queries the same way, step for step.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_term(text, |term| out.push(term.to_string()));
    out
}

/// Calls `f` with each of [`terms`] in turn, lower-casing into one buffer: an index build meets
/// millions of words, most of them already entered, and need not allocate for each. A word of
/// ASCII letters and digits (most of them) is found in one pass over its bytes and handed on as it
/// stands unless it has a capital, when it is copied in lower case; any other goes the general
/// way ([`term_of_word`]).
fn for_each_term(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut lower = String::new();
    let mut at = 0;
    loop {
        // On to the next ASCII letter or digit, or the next character beyond ASCII.
        let Some(skip) = bytes[at..]
            .iter()
            .position(|&b| BYTE_CLASS[usize::from(b)] != SEPARATOR)
        else {
            return;
        };
        at += skip;
        let start = at;
        if bytes[at].is_ascii() {
            // The run of ASCII letters and digits, noting whether it has a capital.
            let mut classes = 0;
            while let Some(&byte) = bytes.get(at) {
                let class = BYTE_CLASS[usize::from(byte)];
                if class & ASCII_WORD == 0 {
                    break;
                }
                classes |= class;
                at += 1;
            }
            // A letter beyond ASCII goes on with the word: it is read whole, the general way.
            if !starts_word_char(&text[at..]) {
                if at - start >= 2 {
                    // Most words are in lower case already and are taken as they stand.
                    let term = if classes & ASCII_CAPITAL == 0 {
                        &text[start..at]
                    } else {
                        lower.clear();
                        lower.push_str(&text[start..at]);
                        lower.make_ascii_lowercase();
                        lower.as_str()
                    };
                    if !is_stop_word(term) {
                        f(term);
                    }
                }
                continue;
            }
        } else {
            let c = text[at..].chars().next().expect("a character boundary");
            if !c.is_alphanumeric() {
                at += c.len_utf8();
                continue;
            }
        }
        at = end_of_word(text, at);
        term_of_word(&text[start..at], &mut lower, &mut f);
    }
}

/// What a byte is to [`for_each_term`]: an ASCII letter or digit (a capital letter marked as
/// such), another ASCII character, or part of a character beyond ASCII. A table, as the scan asks
/// it of every byte of the index.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [BEYOND_ASCII; 256];
    let mut byte: u8 = 0;
    while byte < 128 {
        table[byte as usize] = if byte.is_ascii_uppercase() {
            ASCII_WORD | ASCII_CAPITAL
        } else if byte.is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            SEPARATOR
        };
        byte += 1;
    }
    table
};
const SEPARATOR: u8 = 0;
const ASCII_WORD: u8 = 1;
const ASCII_CAPITAL: u8 = 2;
const BEYOND_ASCII: u8 = 4;

/// Whether `text` starts with a letter or digit beyond ASCII.
fn starts_word_char(text: &str) -> bool {
    text.as_bytes().first().is_some_and(|b| !b.is_ascii())
        && text.chars().next().is_some_and(char::is_alphanumeric)
}

/// Where the run of letters and digits from `at` ends.
fn end_of_word(text: &str, at: usize) -> usize {
    text[at..]
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(text.len(), |(offset, _)| at + offset)
}

/// Calls `f` with the term (or terms) of one word, lower-cased into `lower`: none for a word of one
/// character or a stop word, the folded form too where it differs.
fn term_of_word(word: &str, lower: &mut String, f: &mut impl FnMut(&str)) {
    let mut chars = word.chars();
    if chars.next().is_none() || chars.next().is_none() {
        return;
    }
    lower.clear();
    if word.is_ascii() {
        lower.push_str(word);
        lower.make_ascii_lowercase();
    } else {
        // The whole word at once: a final sigma lower-cases by its place.
        lower.push_str(&word.to_lowercase());
    }
    if is_stop_word(lower) {
        return;
    }
    // Only a word with a character beyond ASCII can fold to another.
    if !lower.is_ascii() {
        let folded = fold(lower);
        if folded != *lower && !folded.is_empty() {
            f(&folded);
        }
    }
    f(lower);
}

fn is_stop_word(lower: &str) -> bool {
    lower.len() <= LONGEST_STOP_WORD && STOP_WORDS.contains(lower)
}

/// The bytes of the longest of [`STOP_WORDS`]: a longer word need not be looked up.
const LONGEST_STOP_WORD: usize = 5;

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

/// A term's documents, ascending, each with the term's weight in it.
type Postings = Vec<(u32, u32)>;

/// The shard files (name, bytes) of one group of terms.
type ShardFiles = Vec<(String, Arc<[u8]>)>;

/// Shard files by the two-letter group of terms they hold.
type Groups = BTreeMap<String, ShardFiles>;

/// Each term's part of its shard's script (see [`term_fragment`]), kept between builds: a save
/// that adds a quotation changes a few words, among them the commonest ("said"), and every other
/// term of their shards is copied as it was rather than written again.
type Fragments = HashMap<String, Fragment, FastHash>;

/// One term's part of its shard's script.
type Fragment = Arc<[u8]>;

/// A term's fragment, given its postings: kept, patched or written afresh.
type FragmentOf<'a> = &'a (dyn Fn(&str, &Postings) -> Fragment + Sync);

/// A group's shard files and its terms' fresh fragments.
type MadeGroup = (String, Option<ShardFiles>, Vec<(String, Fragment)>);

/// A chunk file of titles and snippets under a hash of what it shows.
type Chunk = (u128, Arc<[u8]>);

/// The chunk files by their number.
type Chunks = BTreeMap<usize, Chunk>;

/// What the chunks are made from, kept between builds: the files, and each article's and
/// quotation's part of them (its JSON) under the key of what it shows. A block of quotation
/// numbers that grows moves every later document to another place in the chunks, and the chunks
/// are then put together from the parts rather than written again.
#[derive(Default)]
struct ChunkCache {
    files: Chunks,
    docs: HashMap<u128, Arc<str>, FastHash>,
}

/// Documents split into terms again, by their place, each with the document it replaced.
type ChangedDocs = Vec<(usize, Option<CachedDoc>)>;

/// What the index keeps between builds of one site (`serve --watch`), so that a rebuild after one
/// saved article splits only that article into terms again and writes only the shards its terms
/// fall in. A one-off build keeps nothing.
#[derive(Default)]
pub struct SearchCache {
    /// Each document of the last index, in index order.
    docs: Vec<CachedDoc>,
    /// Each document's number in the last index (see [`doc_numbers`]), in the same order.
    numbers: Vec<u32>,
    /// Every term of the last index.
    postings: BTreeMap<String, Postings>,
    /// The shard files of each group of terms sharing their first two letters.
    groups: Groups,
    /// Each term's part of its shard's script, as the last index wrote it.
    fragments: Fragments,
    /// Each chunk file of titles and snippets under a hash of what it shows, and its documents'
    /// parts.
    chunks: ChunkCache,
    /// Documents split into terms (not taken from the cache) by the last index.
    pub indexed: usize,
    /// A one-off build keeps nothing for a next build.
    pub(crate) forgetful: bool,
}

impl std::fmt::Debug for SearchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SearchCache({} documents)", self.docs.len())
    }
}

/// The last index's documents, found by what they were made from: for an index whose documents
/// moved (one was added or removed).
struct MovedDocs<'a> {
    by_identity: HashMap<(u128, usize), &'a CachedDoc>,
    by_origin: HashMap<usize, &'a CachedDoc>,
}

/// The render's keys of what each article ([`super::keys::Keys`]'s `item`) and each quotation shows
/// wherever it is listed: a superset of what a chunk file shows of it.
#[derive(Clone, Copy)]
pub struct ShownKeys<'a> {
    pub articles: &'a [u128],
    pub quotes: &'a [u128],
}

/// A document's terms and what they were made from.
#[derive(Clone)]
struct CachedDoc {
    /// A hash of the document's short texts (title, quotation, speaker, names).
    key: u128,
    /// The site's own article (and its body) or quotation the document was made from: held, so
    /// that the same allocation in the next site is the same, unchanged, document, known without
    /// hashing it.
    origin: Origin,
    terms: DocTerms,
}

#[derive(Clone)]
enum Origin {
    Article(
        Arc<crate::content::Article>,
        Arc<crate::derive::text::ArticleText>,
    ),
    Quote(Arc<crate::derive::Quote>),
    Entity,
}

impl Origin {
    fn of(site: &Site, source: Source) -> Origin {
        match source {
            Source::Article(i) => Origin::Article(
                Arc::clone(&site.articles[i].article),
                Arc::clone(&site.articles[i].text),
            ),
            Source::Quote(i) => Origin::Quote(Arc::clone(&site.quotes[i])),
            Source::Entity(..) => Origin::Entity,
        }
    }
}

/// The address of what `source` is made from in `site`, when it is an article (its text) or a
/// quotation; `None` for an entity.
fn origin_address(site: &Site, source: Source) -> Option<usize> {
    match source {
        Source::Article(i) => Some(Arc::as_ptr(&site.articles[i].text) as usize),
        Source::Quote(i) => Some(Arc::as_ptr(&site.quotes[i]) as usize),
        Source::Entity(..) => None,
    }
}

impl CachedDoc {
    /// The document of `source` made anew, and whether it was split into terms: a last document
    /// that `same_texts` finds under the new one's identity lends its terms (the same texts, made
    /// anew), otherwise the texts are split.
    fn remade<'a>(
        site: &Site,
        source: Source,
        same_texts: impl FnOnce((u128, usize)) -> Option<&'a CachedDoc>,
    ) -> (CachedDoc, bool) {
        let mut fresh = CachedDoc {
            key: short_texts_key(site, source),
            origin: Origin::of(site, source),
            terms: Arc::new(Vec::new()),
        };
        match same_texts(fresh.identity()) {
            Some(old) => {
                fresh.terms = Arc::clone(&old.terms);
                (fresh, false)
            }
            None => {
                fresh.terms = terms_of(site, source);
                (fresh, true)
            }
        }
    }

    /// Whether the document is made from the same allocations as `source` is in `site`.
    fn same_origin(&self, site: &Site, source: Source) -> bool {
        match (&self.origin, source) {
            (Origin::Article(article, body), Source::Article(i)) => {
                let derived = &site.articles[i];
                Arc::ptr_eq(article, &derived.article) && Arc::ptr_eq(body, &derived.text)
            }
            (Origin::Quote(quote), Source::Quote(i)) => Arc::ptr_eq(quote, &site.quotes[i]),
            _ => false,
        }
    }

    /// The address [`origin_address`] gives for the document's source.
    fn origin_address(&self) -> Option<usize> {
        match &self.origin {
            Origin::Article(_, body) => Some(Arc::as_ptr(body) as usize),
            Origin::Quote(quote) => Some(Arc::as_ptr(quote) as usize),
            Origin::Entity => None,
        }
    }

    /// What the document was made from: its short texts' hash and, for an article, its body's
    /// address (both documents compared hold their body, so one address is one live body).
    fn identity(&self) -> (u128, usize) {
        let body = match &self.origin {
            Origin::Article(_, body) => Arc::as_ptr(body) as usize,
            _ => 0,
        };
        (self.key, body)
    }
}

/// The index's files: `search/index.js` (the manifest), `search/t/<shard>.js`, `search/d/<n>.js`.
/// With a cache from the last build of the site, only the documents that changed are split into
/// terms again, and only the shards and chunks they touch are made again. `shown` are the render's
/// keys of what each article and quotation shows in lists (see [`super::keys`]), when it made them:
/// the chunks are keyed by them.
pub fn index_files(
    site: &Site,
    shown: Option<ShownKeys>,
    cache: &mut SearchCache,
) -> Vec<(String, Arc<[u8]>)> {
    let mut steps = crate::timings::Steps::start("search");
    let sources = sources(site);
    let numbers = doc_numbers(site);
    if cache.forgetful {
        cache.indexed = sources.len();
        let postings = merge_in_runs(site, &sources, &numbers);
        steps.mark("postings");
        let groups = group_files(&postings, None);
        steps.mark("groups");
        let files = files_of(site, &sources, &numbers, &groups, None, None);
        steps.mark("files");
        return files;
    }
    let previous = std::mem::take(&mut cache.docs);
    // While no document was added or removed, each is updated where it stands and only the
    // changed ones are touched. When one stretch of quotations was replaced (a save added or
    // removed a quotation), the same, with the stretch made anew (and, if its article's block of
    // numbers grew or shrank, the documents after it renumbered). Otherwise each is found by what
    // it was made from, so that the documents after the new one are not split into terms again.
    let old_numbers = std::mem::take(&mut cache.numbers);
    let in_place = previous.len() == sources.len() && old_numbers == numbers;
    let splice = (!in_place)
        .then(|| Splice::of(site, &previous, &old_numbers, &numbers))
        .flatten();
    let mut gone = Vec::new();
    let (docs, changed) = match &splice {
        _ if in_place => docs_in_place(site, &sources, previous),
        Some(splice) => {
            let (docs, changed, old_stretch) = docs_spliced(site, &sources, previous, splice);
            gone = old_stretch;
            (docs, changed)
        }
        None => docs_moved(site, &sources, previous),
    };
    steps.mark("terms");
    cache.indexed = changed.len();
    let mut postings = std::mem::take(&mut cache.postings);
    // A few changed documents are patched into the last postings; more, or documents that moved
    // otherwise (an article added or removed), and the postings are merged afresh.
    let patch = (in_place || splice.is_some()) && changed.len() * 10 <= docs.len().max(10);
    // The terms whose postings changed, whose fragments are written again.
    let mut touched: HashSet<String, FastHash> = HashSet::default();
    let dirty = if patch {
        let mut dirty = BTreeSet::new();
        // Every change to the postings is to these documents' numbers.
        let spans = NumberSpan::of_changes(&changed, &numbers, splice.as_ref());
        if let Some(splice) = &splice {
            splice.renumber(&mut postings, &gone, &mut touched);
        }
        drop(gone);
        for (n, old) in &changed {
            // A document of a spliced-in stretch had none before.
            let old_terms = old.as_ref().map_or(&[][..], |old| &old.terms[..]);
            let doc = numbers[*n];
            // Only the terms whose weight in the document changed (came, went or moved) touch
            // the postings: a sentence added to an article leaves its other words as they were,
            // and their shards need not be made again.
            for (term, weight) in weight_changes(old_terms, &docs[*n].terms) {
                match weight {
                    None => {
                        if let Some(list) = postings.get_mut(term) {
                            if let Ok(at) = list.binary_search_by_key(&doc, |&(d, _)| d) {
                                list.remove(at);
                            }
                            if list.is_empty() {
                                postings.remove(term);
                            }
                        }
                    }
                    Some(weight) => {
                        let list = postings.entry(term.clone()).or_default();
                        match list.binary_search_by_key(&doc, |&(d, _)| d) {
                            Ok(at) => list[at].1 = weight,
                            Err(at) => list.insert(at, (doc, weight)),
                        }
                    }
                }
                touched.insert(term.clone());
            }
        }
        dirty.extend(touched.iter().map(|term| shard_of(term, 2)));
        Some((dirty, spans))
    } else {
        postings = merge(docs.iter().map(|doc| &doc.terms), &numbers);
        None
    };
    drop(changed);
    steps.mark("postings");
    let mut groups = std::mem::take(&mut cache.groups);
    let mut fragments = std::mem::take(&mut cache.fragments);
    match dirty {
        Some((dirty, spans)) => {
            // Each group is made on any core; a term whose postings did not change keeps its
            // fragment, and one whose postings did has its fragment patched where they changed.
            let fragment_of = |term: &str, list: &Postings| match fragments.get(term) {
                Some(kept) if !touched.contains(term) => Arc::clone(kept),
                Some(last) => {
                    let patched = patched_fragment(last, term, list, &spans)
                        .map_or_else(|| term_fragment(term, list), Arc::from);
                    debug_assert_eq!(patched, term_fragment(term, list), "patched {term:?}");
                    patched
                }
                None => term_fragment(term, list),
            };
            let made: Vec<MadeGroup> = dirty
                .into_par_iter()
                .map(|two| {
                    // A group's terms are together in the sorted postings, from its two letters on.
                    let first = two_letter_start(&two);
                    let terms: Vec<(&String, &Postings)> = postings
                        .range(first.clone()..)
                        .take_while(|(t, _)| t.starts_with(&first))
                        .collect();
                    if terms.is_empty() {
                        return (two, None, Vec::new());
                    }
                    let (files, parts) = shard_files(&terms, Some(&fragment_of));
                    let fresh = terms
                        .iter()
                        .zip(parts)
                        .filter(|((term, _), _)| touched.contains(term.as_str()))
                        .map(|((term, _), part)| ((*term).clone(), part))
                        .collect();
                    (two, Some(files), fresh)
                })
                .collect();
            for term in &touched {
                fragments.remove(term);
            }
            for (two, files, fresh) in made {
                fragments.extend(fresh);
                match files {
                    Some(files) => groups.insert(two, files),
                    None => groups.remove(&two),
                };
            }
        }
        None => groups = group_files(&postings, Some(&mut fragments)),
    }
    steps.mark("groups");
    let files = files_of(
        site,
        &sources,
        &numbers,
        &groups,
        shown,
        Some(&mut cache.chunks),
    );
    steps.mark("files");
    cache.docs = docs;
    cache.numbers = numbers;
    cache.postings = postings;
    cache.groups = groups;
    cache.fragments = fragments;
    files
}

/// The documents of `sources` when they are as many as the last index's `docs`, each in its
/// place: one made from the same allocations is kept as it is, without a copy (a save changes one
/// document among a hundred thousand). Also the documents split into terms again, each with the
/// one it replaced.
fn docs_in_place(
    site: &Site,
    sources: &[Source],
    mut docs: Vec<CachedDoc>,
) -> (Vec<CachedDoc>, ChangedDocs) {
    let changed = docs
        .par_iter_mut()
        .zip(sources)
        .enumerate()
        .filter_map(|(n, (doc, &source))| {
            if doc.same_origin(site, source) {
                return None;
            }
            let (fresh, split) = CachedDoc::remade(site, source, |identity| {
                (identity == doc.identity()).then_some(&*doc)
            });
            let old = std::mem::replace(doc, fresh);
            split.then_some((n, Some(old)))
        })
        .collect();
    (docs, changed)
}

/// One stretch of the quotations' documents replaced by another, every other document where it
/// was but for the shift after the stretch: what a save that adds or removes a quotation does to
/// the index. Documents are articles, quotations, entities, in that order (see [`sources`]).
struct Splice {
    /// The first document of the stretch.
    start: usize,
    /// How many documents the stretch had, and has.
    removed: usize,
    added: usize,
    /// The numbers the stretch's documents had (see [`doc_numbers`]).
    gone_numbers: Vec<u32>,
    /// The number the first document after the stretch had, and by how much the numbers from
    /// there on move: nothing unless the stretch's article outgrew its block of numbers or left
    /// a smaller one.
    after: u32,
    shift: i64,
}

impl Splice {
    /// The splice that turns the last index's `previous` documents into `site`'s, when the last
    /// index had as many articles and as many entities and its quotations differ in one stretch:
    /// the quotations before and after it are the same allocations (a patched site shares them),
    /// and the stretch is a small part of the index (else finding each document by what it was
    /// made from, on every core, costs less). The documents before the stretch must keep their
    /// numbers, and those after it all move by one amount (`shift`, nothing unless the stretch's
    /// article changed the size of its block of numbers).
    fn of(
        site: &Site,
        previous: &[CachedDoc],
        old_numbers: &[u32],
        numbers: &[u32],
    ) -> Option<Splice> {
        let articles = site.articles.len();
        let old_articles = previous
            .iter()
            .take_while(|doc| matches!(doc.origin, Origin::Article(..)))
            .count();
        let old_quotes = previous[old_articles..]
            .iter()
            .take_while(|doc| matches!(doc.origin, Origin::Quote(_)))
            .count();
        let old_entities = previous.len() - old_articles - old_quotes;
        let entities: usize = site.entities.iter().map(|(_, e)| e.len()).sum();
        if previous.is_empty() || old_articles != articles || old_entities != entities {
            return None;
        }
        let (old, new) = (&previous[articles..articles + old_quotes], &site.quotes);
        let (head, tail) = super::common_ends(
            old,
            new,
            |doc, quote| matches!(&doc.origin, Origin::Quote(q) if Arc::ptr_eq(q, quote)),
        );
        let (removed, added) = (old.len() - head - tail, new.len() - head - tail);
        if (removed + added) * 10 > previous.len() || old_numbers.len() != previous.len() {
            return None;
        }
        // The numbers are the same before the stretch, and all moved by one amount after it.
        let start = articles + head;
        let (old_after, new_after) = (start + removed, start + added);
        if old_numbers[..start] != numbers[..start] {
            return None;
        }
        let shift = match (old_numbers.get(old_after), numbers.get(new_after)) {
            (Some(&old), Some(&new)) => i64::from(new) - i64::from(old),
            _ => 0,
        };
        let moved_alike = old_numbers[old_after..]
            .iter()
            .zip(&numbers[new_after..])
            .all(|(&old, &new)| i64::from(new) - i64::from(old) == shift);
        if !moved_alike {
            return None;
        }
        Some(Splice {
            start,
            removed,
            added,
            gone_numbers: old_numbers[start..old_after].to_vec(),
            after: old_numbers.get(old_after).copied().unwrap_or(u32::MAX),
            shift,
        })
    }

    /// Takes the stretch's old documents (`gone`, with their terms) out of the last postings and
    /// moves the numbers after the stretch if they moved. Each term whose list changed goes in
    /// `touched`: when no number moved, only the gone documents' terms.
    fn renumber(
        &self,
        postings: &mut BTreeMap<String, Postings>,
        gone: &[CachedDoc],
        touched: &mut HashSet<String, FastHash>,
    ) {
        if self.shift == 0 {
            for (doc, &number) in gone.iter().zip(&self.gone_numbers) {
                for (term, _) in doc.terms.iter() {
                    if let Some(list) = postings.get_mut(term) {
                        if let Ok(at) = list.binary_search_by_key(&number, |&(d, _)| d) {
                            list.remove(at);
                        }
                        if list.is_empty() {
                            postings.remove(term);
                        }
                    }
                    touched.insert(term.clone());
                }
            }
            return;
        }
        // Every number from the stretch on: the gone documents' go, the later ones move.
        let (after, shift) = (self.after, self.shift);
        let first = self.gone_numbers.first().copied().unwrap_or(after);
        let moved: Vec<String> = postings
            .par_iter_mut()
            .filter(|(_, list)| list.last().is_some_and(|&(doc, _)| doc >= first))
            .map(|(term, list)| {
                list.retain(|&(doc, _)| !(first..after).contains(&doc));
                for (doc, _) in list.iter_mut().filter(|(doc, _)| *doc >= after) {
                    *doc = u32::try_from(i64::from(*doc) + shift).expect("numbers fit u32");
                }
                term.clone()
            })
            .collect();
        touched.extend(moved);
        postings.retain(|_, list| !list.is_empty());
    }
}

/// The documents of `sources` after `splice`: the stretch made anew (its terms taken from a
/// document of the old stretch made from the same texts, if any), every other document updated
/// where it stands as [`docs_in_place`] does. Also the documents split into terms again, each with
/// the one it replaced; the stretch's documents are all in that list, with none replaced, as the
/// postings have to gain their terms. Last, the stretch's old documents, whose terms the postings
/// lose.
fn docs_spliced(
    site: &Site,
    sources: &[Source],
    mut previous: Vec<CachedDoc>,
    splice: &Splice,
) -> (Vec<CachedDoc>, ChangedDocs, Vec<CachedDoc>) {
    let old_stretch: Vec<CachedDoc> = previous
        .splice(
            splice.start..splice.start + splice.removed,
            std::iter::empty(),
        )
        .collect();
    let by_identity: HashMap<(u128, usize), &CachedDoc> = old_stretch
        .iter()
        .map(|doc| (doc.identity(), doc))
        .collect();
    let in_stretch = splice.start..splice.start + splice.added;
    let mut changed = Vec::new();
    let mut docs = Vec::with_capacity(sources.len());
    let mut kept = previous.into_iter();
    for (n, &source) in sources.iter().enumerate() {
        let Some(old) = (!in_stretch.contains(&n)).then(|| kept.next()).flatten() else {
            let (fresh, _) =
                CachedDoc::remade(site, source, |identity| by_identity.get(&identity).copied());
            docs.push(fresh);
            changed.push((n, None));
            continue;
        };
        if old.same_origin(site, source) {
            docs.push(old);
            continue;
        }
        let (fresh, split) = CachedDoc::remade(site, source, |identity| {
            (identity == old.identity()).then_some(&old)
        });
        docs.push(fresh);
        if split {
            changed.push((n, Some(old)));
        }
    }
    drop(by_identity);
    (docs, changed, old_stretch)
}

/// The documents of `sources` when one was added or removed since the last index's `previous`:
/// each is found by what it was made from. Also the documents split into terms again.
fn docs_moved(
    site: &Site,
    sources: &[Source],
    previous: Vec<CachedDoc>,
) -> (Vec<CachedDoc>, ChangedDocs) {
    let moved = MovedDocs {
        by_identity: previous.iter().map(|doc| (doc.identity(), doc)).collect(),
        by_origin: previous
            .iter()
            .filter_map(|doc| Some((doc.origin_address()?, doc)))
            .collect(),
    };
    let made: Vec<(CachedDoc, bool)> = sources
        .par_iter()
        .map(|&source| {
            let same = origin_address(site, source)
                .and_then(|address| moved.by_origin.get(&address).copied());
            if let Some(same) = same.filter(|doc| doc.same_origin(site, source)) {
                return (same.clone(), false);
            }
            CachedDoc::remade(site, source, |identity| {
                moved.by_identity.get(&identity).copied()
            })
        })
        .collect();
    let changed = (0..made.len())
        .filter(|&n| made[n].1)
        .map(|n| (n, None))
        .collect();
    (made.into_iter().map(|(doc, _)| doc).collect(), changed)
}

/// The terms whose weight differs between a document's `old` and `new` terms (both sorted by
/// term), each with its new weight, `None` where the term is gone.
fn weight_changes<'a>(
    old: &'a [(String, u32)],
    new: &'a [(String, u32)],
) -> Vec<(&'a String, Option<u32>)> {
    let mut changes = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        match (old.get(i), new.get(j)) {
            (Some((a, wa)), Some((b, wb))) if a == b => {
                if wa != wb {
                    changes.push((b, Some(*wb)));
                }
                i += 1;
                j += 1;
            }
            (Some((a, _)), Some((b, _))) if a < b => {
                changes.push((a, None));
                i += 1;
            }
            (Some((a, _)), None) => {
                changes.push((a, None));
                i += 1;
            }
            (_, Some((b, wb))) => {
                changes.push((b, Some(*wb)));
                j += 1;
            }
            (None, None) => unreachable!("the loop stops when both are done"),
        }
    }
    changes
}

/// The first characters of the terms of group `two` ("61-72" -> "ar"), where a range over the
/// sorted terms may start.
fn two_letter_start(two: &str) -> String {
    two.split('-')
        .filter_map(|hex| u32::from_str_radix(hex, 16).ok())
        .filter_map(char::from_u32)
        .collect()
}

/// The postings of `terms`, each document under its number in `numbers` (ascending).
fn merge<'a>(
    terms: impl Iterator<Item = &'a DocTerms>,
    numbers: &[u32],
) -> BTreeMap<String, Postings> {
    let mut postings: HashMap<String, Postings, FastHash> = HashMap::default();
    for (terms, &doc) in terms.zip(numbers) {
        add_doc(&mut postings, doc, terms);
    }
    postings.into_iter().collect()
}

fn add_doc(postings: &mut HashMap<String, Postings, FastHash>, doc: u32, terms: &[(String, u32)]) {
    for (term, weight) in terms {
        let list = match postings.get_mut(term.as_str()) {
            Some(list) => list,
            None => postings.entry(term.clone()).or_default(),
        };
        list.push((doc, *weight));
    }
}

/// A one-off build's postings. The documents are split into runs; each run's postings are made on
/// one core, a document's weights summed as its fields are read (no list of terms per document is
/// held); neighbouring runs' postings, sorted by term, are then merged pairwise, in document order.
fn merge_in_runs(site: &Site, sources: &[Source], numbers: &[u32]) -> BTreeMap<String, Postings> {
    const RUN: usize = 1024;
    sources
        .par_chunks(RUN)
        .enumerate()
        .map(|(run, docs)| {
            let mut postings: HashMap<String, Postings, FastHash> = HashMap::default();
            for (offset, doc) in docs.iter().enumerate() {
                let id = numbers[run * RUN + offset];
                for (text, weight) in &fields_of(site, *doc) {
                    for_each_term(text, |term| {
                        let list = match postings.get_mut(term) {
                            Some(list) => list,
                            None => postings.entry(term.to_string()).or_default(),
                        };
                        match list.last_mut() {
                            Some((last, sum)) if *last == id => *sum += weight,
                            _ => list.push((id, *weight)),
                        }
                    });
                }
            }
            let mut sorted: Vec<(String, Postings)> = postings.into_iter().collect();
            sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            sorted
        })
        .reduce(Vec::new, merge_sorted)
        .into_iter()
        .collect()
}

/// Merges two runs' postings sorted by term, `left`'s documents all before `right`'s.
fn merge_sorted(
    left: Vec<(String, Postings)>,
    right: Vec<(String, Postings)>,
) -> Vec<(String, Postings)> {
    let mut out = Vec::with_capacity(left.len().max(right.len()));
    let mut right = right.into_iter().peekable();
    for (term, mut list) in left {
        while let Some(before) = right.next_if(|(t, _)| *t < term) {
            out.push(before);
        }
        if let Some((_, more)) = right.next_if(|(t, _)| *t == term) {
            list.extend(more);
        }
        out.push((term, list));
    }
    out.extend(right);
    out
}

/// A hash of a document's short texts: with an article's body by pointer (its [`Origin`]), what
/// tells its text unchanged without reading it all.
fn short_texts_key(site: &Site, source: Source) -> u128 {
    match source {
        Source::Article(i) => key_of(&("article", &site.articles[i].article.title)),
        Source::Quote(i) => {
            let quote = &site.quotes[i];
            key_of(&("quote", &quote.text, &quote.speaker.name))
        }
        Source::Entity(kind, i) => {
            let entity = &site.entities.get(kind)[i];
            key_of(&("entity", &entity.name, entity.aliases()))
        }
    }
}

/// A document's terms and their weights, sorted by term.
fn terms_of(site: &Site, source: Source) -> DocTerms {
    let mut weights: HashMap<String, u32, FastHash> = HashMap::default();
    for (text, weight) in &fields_of(site, source) {
        for_each_term(text, |term| match weights.get_mut(term) {
            Some(sum) => *sum += weight,
            None => {
                weights.insert(term.to_string(), *weight);
            }
        });
    }
    let mut list: Vec<(String, u32)> = weights.into_iter().collect();
    list.sort();
    Arc::new(list)
}

/// Every group's shard files.
fn group_files(postings: &BTreeMap<String, Postings>, fragments: Option<&mut Fragments>) -> Groups {
    let mut by_two: BTreeMap<String, Vec<(&String, &Postings)>> = BTreeMap::new();
    for (term, list) in postings {
        by_two
            .entry(shard_of(term, 2))
            .or_default()
            .push((term, list));
    }
    // A one-off build writes each shard straight; a build that keeps them, through its terms'
    // fragments, which it keeps.
    let fresh = |term: &str, list: &Postings| term_fragment(term, list);
    let keep = fragments.is_some();
    type Made<'p> = (
        String,
        ShardFiles,
        Vec<Fragment>,
        Vec<(&'p String, &'p Postings)>,
    );
    let made: Vec<Made> = by_two
        .into_par_iter()
        .map(|(two, terms)| {
            let (files, parts) = shard_files(&terms, keep.then_some(&fresh));
            (two, files, parts, terms)
        })
        .collect();
    let mut groups = Groups::new();
    if let Some(fragments) = fragments {
        fragments.clear();
        for (_, _, parts, terms) in &made {
            fragments.extend(
                terms
                    .iter()
                    .map(|(term, _)| (*term).clone())
                    .zip(parts.iter().cloned()),
            );
        }
    }
    for (two, files, _, _) in made {
        groups.insert(two, files);
    }
    groups
}

/// The shard files of one group of terms sharing their first two letters: one shard, or one per
/// three letters when one would pass the budget. With `fragment_of`, each shard is put together
/// from its terms' fragments, which are returned in the terms' order; without, each shard is
/// written straight.
fn shard_files(
    terms: &[(&String, &Postings)],
    fragment_of: Option<FragmentOf>,
) -> (ShardFiles, Vec<Fragment>) {
    let mut shards: BTreeMap<String, Vec<(&String, &Postings)>> = BTreeMap::new();
    // Roughly the bytes the shard's script will take.
    let size: usize = terms.iter().map(|(t, p)| t.len() + 6 + p.len() * 6).sum();
    for &(term, list) in terms {
        let letters = if size <= SHARD_BUDGET { 2 } else { 3 };
        shards
            .entry(shard_of(term, letters))
            .or_default()
            .push((term, list));
    }
    let Some(fragment_of) = fragment_of else {
        let files = shards
            .into_iter()
            .map(|(shard, terms)| {
                let script = shard_script(&shard, &terms);
                (shard, Arc::from(script))
            })
            .collect();
        return (files, Vec::new());
    };
    let parts: Vec<Arc<[u8]>> = terms
        .iter()
        .map(|&(term, list)| fragment_of(term, list))
        .collect();
    let by_term: HashMap<&str, &Arc<[u8]>, FastHash> = terms
        .iter()
        .map(|(term, _)| term.as_str())
        .zip(&parts)
        .collect();
    let files = shards
        .into_iter()
        .map(|(shard, terms)| {
            let pieces: Vec<&[u8]> = terms
                .iter()
                .map(|(term, _)| &by_term[term.as_str()][..])
                .collect();
            (shard.clone(), Arc::from(shard_script_of(&shard, &pieces)))
        })
        .collect();
    (files, parts)
}

/// The script of one shard: `briefingSearch.shard("<name>",{"<term>":[gap,weight,...],...});`,
/// each term's documents as flat pairs of (gap from the previous document, weight), small numbers
/// for short files. Written straight into bytes: a save that moves documents' numbers makes most
/// shards again, and going through JSON values cost most of that.
fn shard_script(shard: &str, terms: &[(&String, &Postings)]) -> Vec<u8> {
    // In term order, as the JSON map of them was: the postings give them sorted.
    debug_assert!(terms.windows(2).all(|pair| pair[0].0 < pair[1].0));
    let size: usize = terms.iter().map(|(t, p)| t.len() + 4 + p.len() * 8).sum();
    let mut out = Vec::with_capacity(size + shard.len() + 32);
    shard_start(&mut out, shard);
    for (i, (term, list)) in terms.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_term(&mut out, term, list);
    }
    out.extend_from_slice(b"});\n");
    out
}

/// The same script put together from its terms' fragments ([`term_fragment`]), in term order.
fn shard_script_of(shard: &str, pieces: &[&[u8]]) -> Vec<u8> {
    let size: usize = pieces.iter().map(|piece| piece.len() + 1).sum();
    let mut out = Vec::with_capacity(size + shard.len() + 32);
    shard_start(&mut out, shard);
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(piece);
    }
    out.extend_from_slice(b"});\n");
    out
}

fn shard_start(out: &mut Vec<u8>, shard: &str) {
    out.extend_from_slice(b"briefingSearch.shard(");
    json::push_string(out, shard);
    out.extend_from_slice(b",{");
}

/// One term's part of its shard's script: `"term":[gap,weight,...]`.
fn term_fragment(term: &str, list: &Postings) -> Arc<[u8]> {
    let mut out = Vec::with_capacity(term.len() + 4 + list.len() * 8);
    write_term(&mut out, term, list);
    Arc::from(out)
}

/// A span of document numbers within which a rebuild changed postings, as the last index numbered
/// them (`old_lo..old_end`) and as this one does (`new_lo..new_end`). Outside the spans every
/// term's list is as it was, its documents moved by the spans' growth before them (a block of
/// quotations that grew moves every later number): in the delta-coded fragments, only the gap of
/// the first document after each span changes.
#[derive(Debug, Clone, Copy, PartialEq)]
struct NumberSpan {
    old_lo: u32,
    old_end: u32,
    new_lo: u32,
    new_end: u32,
}

impl NumberSpan {
    /// One document's number, `old` in the last index and `new` in this one.
    fn point(old: u32, new: u32) -> NumberSpan {
        NumberSpan {
            old_lo: old,
            old_end: old.saturating_add(1),
            new_lo: new,
            new_end: new.saturating_add(1),
        }
    }

    /// The spans of a rebuild's changes: the documents split into terms again, at their numbers,
    /// and a splice's stretch, from its first number to the first document after it. Sorted,
    /// and merged where they touch.
    fn of_changes(
        changed: &ChangedDocs,
        numbers: &[u32],
        splice: Option<&Splice>,
    ) -> Vec<NumberSpan> {
        let mut spans: Vec<NumberSpan> = Vec::new();
        let shift = splice.map_or(0, |splice| splice.shift);
        let stretch = splice.map_or(0..0, |splice| splice.start..splice.start + splice.added);
        let after_stretch = stretch.end;
        for &(n, _) in changed {
            if stretch.contains(&n) {
                continue;
            }
            let new = numbers[n];
            let old = if splice.is_some() && n >= after_stretch {
                // The documents after the stretch moved by `shift`: each had a number before.
                let old = u32::try_from(i64::from(new) - shift);
                debug_assert!(old.is_ok(), "document {n} moved below number 0");
                old.unwrap_or(new)
            } else {
                new
            };
            spans.push(NumberSpan::point(old, new));
        }
        if let Some(splice) = splice {
            // A splice replaces a stretch: with none, the numbers after it could not have moved.
            debug_assert!(
                splice.removed + splice.added > 0 || splice.shift == 0,
                "a splice of nothing moved the numbers"
            );
            let first_gone = splice.gone_numbers.first().copied();
            let first_new = numbers
                .get(splice.start)
                .filter(|_| splice.added > 0)
                .copied();
            if let Some(lo) = first_gone.into_iter().chain(first_new).min() {
                let new_end = if splice.after == u32::MAX {
                    u32::MAX
                } else {
                    u32::try_from(i64::from(splice.after) + shift).unwrap_or(u32::MAX)
                };
                spans.push(NumberSpan {
                    old_lo: lo,
                    old_end: splice.after,
                    new_lo: lo,
                    new_end,
                });
            }
        }
        NumberSpan::merged(spans)
    }

    /// `spans` sorted and merged where they overlap or meet.
    fn merged(mut spans: Vec<NumberSpan>) -> Vec<NumberSpan> {
        spans.sort_unstable_by_key(|span| (span.old_lo, span.new_lo));
        let mut out: Vec<NumberSpan> = Vec::with_capacity(spans.len());
        for span in spans {
            match out.last_mut() {
                Some(last) if span.old_lo <= last.old_end || span.new_lo <= last.new_end => {
                    last.old_end = last.old_end.max(span.old_end);
                    last.new_end = last.new_end.max(span.new_end);
                }
                _ => out.push(span),
            }
        }
        out
    }

    /// How far the documents after the span moved.
    fn shift(self) -> i64 {
        i64::from(self.new_end) - i64::from(self.old_end)
    }
}

/// `last`, a term's fragment as the last index wrote it, made to hold `list`, the term's postings
/// now, which differ from the last ones only within `spans` (in order): the documents between them
/// are copied as bytes, and only those within them are written, with the first after each (its
/// gap changed). A save that adds a quotation touches the commonest words, whose fragments run to
/// hundreds of kilobytes. `None` if `last` is not such a fragment (the caller writes it afresh).
fn patched_fragment(
    last: &[u8],
    term: &str,
    list: &Postings,
    spans: &[NumberSpan],
) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(last.len() + 32);
    write_term_head(&mut out, term);
    let body = last.strip_prefix(&out[..])?.strip_suffix(b"]")?;
    let array = out.len();
    let mut old = OldEntries {
        body,
        at: 0,
        doc: 0,
        pending: None,
    };
    // Bytes of the last fragment's entries, each led by its comma (the first one's is missing).
    let copy = |out: &mut Vec<u8>, bytes: &[u8]| {
        let bytes = match (out.len() == array, bytes.first()) {
            (true, Some(b',')) => &bytes[1..],
            (false, Some(digit)) if *digit != b',' => {
                out.push(b',');
                bytes
            }
            _ => bytes,
        };
        out.extend_from_slice(bytes);
    };
    let mut next = 0;
    // How far the documents between the last span and the next moved.
    let mut shift = 0;
    for (i, span) in spans.iter().enumerate() {
        // The entries up to the span are the last fragment's next ones.
        let start = list
            .partition_point(|&(doc, _)| doc < span.new_lo)
            .max(next);
        if start > next {
            if old.pending.is_some() {
                return None;
            }
            let from = old.at;
            old.skip(start - next)?;
            copy(&mut out, &body[from..old.at]);
            old.doc = u32::try_from(i64::from(list[start - 1].0) - shift).ok()?;
        }
        // The last fragment's entries within the span, and the first after it.
        let mut after = None;
        while let Some((doc, weight)) = old.next()? {
            if doc >= span.old_end {
                after = Some((doc, weight));
                break;
            }
        }
        shift = span.shift();
        let within = list.partition_point(|&(doc, _)| doc < span.new_end);
        let end = match after {
            // Within the next span: that span reads it.
            Some((doc, weight)) if spans.get(i + 1).is_some_and(|next| doc >= next.old_lo) => {
                old.pending = Some((doc, weight));
                within
            }
            // The first entry after the span is the one the last list had there, moved.
            Some((doc, weight)) => {
                let moved = (u32::try_from(i64::from(doc) + shift).ok()?, weight);
                (list.get(within) == Some(&moved)).then_some(within + 1)?
            }
            None => list.len(),
        };
        let last_doc = start.checked_sub(1).map_or(0, |i| list[i].0);
        let lead = out.len() > array;
        write_entries(&mut out, &list[start..end], last_doc, lead);
        next = end;
    }
    copy(&mut out, &body[old.at..]);
    out.push(b']');
    Some(out)
}

/// A reader of a fragment's entries (gap, weight), from its list's start.
struct OldEntries<'a> {
    /// The list's bytes between its brackets.
    body: &'a [u8],
    /// Where the next entry is: its comma, or the list's start for the first.
    at: usize,
    /// The document of the last entry read.
    doc: u32,
    /// An entry read and handed back, to be read again first.
    pending: Option<(u32, u32)>,
}

impl OldEntries<'_> {
    /// The next entry's document and weight; `Some(None)` at the end, `None` if the bytes are not
    /// a list of entries.
    fn next(&mut self) -> Option<Option<(u32, u32)>> {
        if let Some(entry) = self.pending.take() {
            return Some(Some(entry));
        }
        let mut rest = &self.body[self.at..];
        if rest.is_empty() {
            return Some(None);
        }
        if self.at > 0 {
            rest = rest.strip_prefix(b",")?;
        }
        let (gap, rest) = leading_number(rest)?;
        let (weight, rest) = leading_number(rest.strip_prefix(b",")?)?;
        self.doc = self.doc.checked_add(gap)?;
        self.at = self.body.len() - rest.len();
        Some(Some((self.doc, weight)))
    }

    /// Passes `count` entries (one or more) without reading their numbers: to the comma after the
    /// last one's weight, or the end.
    fn skip(&mut self, count: usize) -> Option<()> {
        let rest = &self.body[self.at..];
        // From the list's start the first comma is inside an entry; from an entry's comma, the
        // second is.
        let inner = 2 * count - usize::from(self.at == 0);
        let last_inner = nth_comma(rest, inner - 1)?;
        self.at += memchr::memchr(b',', &rest[last_inner + 1..])
            .map_or(rest.len(), |at| last_inner + 1 + at);
        Some(())
    }
}

/// Where the `n`th comma (from 0) of `bytes` is. Blocks of 64 bytes are counted whole (a loop
/// the compiler makes wide) until the one holding it: a common word's fragment is mostly commas.
fn nth_comma(bytes: &[u8], n: usize) -> Option<usize> {
    const BLOCK: usize = 64;
    let mut left = n;
    let mut start = 0;
    for block in bytes.chunks(BLOCK) {
        let commas = block.iter().filter(|&&b| b == b',').count();
        if commas > left {
            return memchr::memchr_iter(b',', block)
                .nth(left)
                .map(|at| start + at);
        }
        left -= commas;
        start += block.len();
    }
    None
}

/// The decimal number `bytes` begins with, and what follows it.
fn leading_number(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let number = std::str::from_utf8(&bytes[..digits]).ok()?.parse().ok()?;
    Some((number, &bytes[digits..]))
}

/// Writes `"term":[gap,weight,...]`: the term's documents as flat pairs of (gap from the previous
/// document, weight), small numbers for short files.
fn write_term(out: &mut Vec<u8>, term: &str, list: &Postings) {
    write_term_head(out, term);
    write_entries(out, list, 0, false);
    out.push(b']');
}

/// A term's fragment up to its list: `"term":[`.
fn write_term_head(out: &mut Vec<u8>, term: &str) {
    json::push_string(out, term);
    out.extend_from_slice(b":[");
}

/// Writes `entries` as flat pairs of (gap from the previous document, weight), the first gap from
/// `last`; `lead` puts a comma before the first pair, which follows others.
fn write_entries(out: &mut Vec<u8>, entries: &[(u32, u32)], mut last: u32, lead: bool) {
    let mut number = itoa::Buffer::new();
    // Each pair is put together on the stack and added in one piece: millions of pairs, each
    // four small pieces otherwise.
    let mut pair = [0u8; 32];
    for (j, &(doc, weight)) in entries.iter().enumerate() {
        let mut len = 0;
        let mut put = |bytes: &[u8]| {
            pair[len..len + bytes.len()].copy_from_slice(bytes);
            len += bytes.len();
        };
        if j > 0 || lead {
            put(b",");
        }
        put(number.format(doc - last).as_bytes());
        put(b",");
        put(number.format(weight).as_bytes());
        out.extend_from_slice(&pair[..len]);
        last = doc;
    }
}

/// The manifest, the shards and the chunks. A chunk whose documents show what they showed is
/// taken from `chunks` when there is one, without making its documents.
fn files_of(
    site: &Site,
    sources: &[Source],
    numbers: &[u32],
    groups: &Groups,
    shown: Option<ShownKeys>,
    chunks: Option<&mut ChunkCache>,
) -> Vec<(String, Arc<[u8]>)> {
    let mut shard_names: Vec<&String> = groups.values().flatten().map(|(name, _)| name).collect();
    shard_names.sort();
    // Two-letter groups split by three letters: their words are in the three-letter shards.
    let split: Vec<&String> = groups
        .iter()
        .filter(|(two, files)| files.iter().any(|(name, _)| name != *two))
        .map(|(two, _)| two)
        .collect();
    let manifest = serde_json::json!({
        "docs": sources.len(),
        "chunk": DOCS_PER_CHUNK,
        "shards": shard_names,
        "split": split,
    });
    let mut files = vec![(
        format!("{FOLDER}/index.js"),
        Arc::from(format!("briefingSearch.manifest({});\n", script_json(&manifest)).into_bytes()),
    )];
    for (shard, bytes) in groups.values().flatten() {
        files.push((format!("{FOLDER}/t/{shard}.js"), Arc::clone(bytes)));
    }
    let keep = chunks.is_some();
    let empty = ChunkCache::default();
    let previous = chunks.as_deref().unwrap_or(&empty);
    // The documents of each chunk of numbers that has any, by their places in `sources`.
    let mut spans: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    for (place, &number) in numbers.iter().enumerate() {
        let chunk = number as usize / DOCS_PER_CHUNK;
        match spans.last_mut() {
            Some((last, range)) if *last == chunk => range.end = place + 1,
            _ => spans.push((chunk, place..place + 1)),
        }
    }
    type Made = (usize, Chunk, Vec<(u128, Arc<str>)>);
    let made: Vec<Made> = spans
        .par_iter()
        .map(|(n, places)| {
            let offset = |place: usize| numbers[place] as usize % DOCS_PER_CHUNK;
            let key = if keep {
                let mut hasher = KeyHasher::new("chunk");
                for place in places.clone() {
                    offset(place).hash(&mut hasher);
                    match (sources[place], shown) {
                        (Source::Article(i), Some(shown)) => shown.articles[i].hash(&mut hasher),
                        (Source::Quote(i), Some(shown)) => shown.quotes[i].hash(&mut hasher),
                        (source, _) => hash_shown(site, source, &mut hasher),
                    }
                }
                hasher.key()
            } else {
                0
            };
            let mut fresh = Vec::new();
            let file = match previous.files.get(n) {
                Some((cached, bytes)) if *cached == key => (key, Arc::clone(bytes)),
                // Put together from its documents' parts, kept or made.
                _ => {
                    let parts: Vec<(usize, Arc<str>)> = places
                        .clone()
                        .map(|place| {
                            let shown_key = match (sources[place], shown) {
                                (Source::Article(i), Some(shown)) => Some(shown.articles[i]),
                                (Source::Quote(i), Some(shown)) => Some(shown.quotes[i]),
                                _ => None,
                            };
                            let part = match shown_key.and_then(|k| previous.docs.get(&k)) {
                                Some(part) => Arc::clone(part),
                                None => {
                                    let part: Arc<str> =
                                        Arc::from(doc_of(site, sources[place]).json());
                                    if let Some(shown_key) = shown_key {
                                        fresh.push((shown_key, Arc::clone(&part)));
                                    }
                                    part
                                }
                            };
                            (offset(place), part)
                        })
                        .collect();
                    let size: usize = parts.iter().map(|(_, part)| part.len() + 1).sum();
                    let mut text = String::with_capacity(size + 5 * DOCS_PER_CHUNK + 48);
                    text.push_str("briefingSearch.docs(");
                    text.push_str(itoa::Buffer::new().format(*n));
                    text.push_str(",[");
                    // The array's items so far: a number no document has is null.
                    let mut items = 0;
                    for (offset, part) in &parts {
                        while items < *offset {
                            text.push_str(if items == 0 { "null" } else { ",null" });
                            items += 1;
                        }
                        if items > 0 {
                            text.push(',');
                        }
                        items += 1;
                        text.push_str(part);
                    }
                    text.push_str("]);\n");
                    (key, Arc::from(text.into_bytes()))
                }
            };
            (*n, file, fresh)
        })
        .collect();
    for (n, (_, bytes), _) in &made {
        files.push((format!("{FOLDER}/d/{n}.js"), Arc::clone(bytes)));
    }
    if let Some(chunks) = chunks {
        let mut docs = std::mem::take(&mut chunks.docs);
        // The parts of documents gone (edited, or deleted) are dropped now and then: when there
        // are more parts than documents, those no document shows now go.
        if docs.len() > sources.len() {
            if let Some(shown) = shown {
                let current: HashSet<u128, FastHash> =
                    shown.articles.iter().chain(shown.quotes).copied().collect();
                docs.retain(|key, _| current.contains(key));
            } else {
                docs.clear();
            }
        }
        chunks.files = Chunks::new();
        for (n, file, fresh) in made {
            docs.extend(fresh);
            chunks.files.insert(n, file);
        }
        chunks.docs = docs;
    }
    files
}

/// Where a document's text comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    Article(usize),
    Quote(usize),
    Entity(EntityKind, usize),
}

/// Every document's number in the index, in the order of [`sources`], ascending: the articles
/// from 0, then each article's quotations in a block of numbers of their own, then the entities.
/// A block has room to spare ([`quote_block`]), so that a quotation added to an article or taken
/// from it leaves every other document's number as it was, and with it every shard that does not
/// hold the words that changed, unless the article's count crosses a block's bound (2 and 3, 6
/// and 7, 14 and 15, ...: the block depends on the count alone, as a clean build must agree). The client reads a number's document from chunk
/// `number / DOCS_PER_CHUNK`, where the numbers no document has are `null`.
fn doc_numbers(site: &Site) -> Vec<u32> {
    let total = site.articles.len() + site.quotes.len();
    let entities: usize = site.entities.iter().map(|(_, e)| e.len()).sum();
    let mut numbers: Vec<u32> = Vec::with_capacity(total + entities);
    let number = |n: usize| u32::try_from(n).expect("fewer than 4 billion documents");
    numbers.extend(0..number(site.articles.len()));
    let mut next = site.articles.len();
    for derived in &site.articles {
        numbers.extend(number(next)..number(next + derived.quotes.len()));
        next += quote_block(derived.quotes.len());
    }
    numbers.extend(number(next)..number(next + entities));
    numbers
}

/// The numbers an article with `quotes` quotations keeps for them: at least 4, and past that the
/// power of two above `quotes + 1`, so that most saves that add or remove one stay inside it.
fn quote_block(quotes: usize) -> usize {
    (quotes + 2).next_power_of_two().max(4)
}

/// Every document's source, in index order: articles, quotations, then entities.
fn sources(site: &Site) -> Vec<Source> {
    let mut sources: Vec<Source> = (0..site.articles.len()).map(Source::Article).collect();
    sources.extend((0..site.quotes.len()).map(Source::Quote));
    for (kind, entities) in site.entities.iter() {
        sources.extend((0..entities.len()).map(|i| Source::Entity(kind, i)));
    }
    sources
}

/// The document of `source` as the chunk files list it.
fn doc_of(site: &Site, source: Source) -> Doc {
    match source {
        Source::Article(i) => {
            let article = &site.articles[i].article;
            Doc {
                kind: "article",
                title: article.title.clone(),
                url: article_path(&article.slug),
                meta: [article.date.map(dates::display), article.outlet.clone()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
            }
        }
        Source::Quote(i) => {
            let quote = &site.quotes[i];
            let article = &site.articles[quote.article].article;
            Doc {
                kind: "quote",
                title: display_text(&quote.text, quote.partial).to_string(),
                url: [&article_path(&article.slug), "#", &quote.anchor].concat(),
                meta: [&*quote.speaker.name, ", in ", &article.title].concat(),
            }
        }
        Source::Entity(kind, i) => {
            let entity = &site.entities.get(kind)[i];
            let count = entity.articles.len();
            Doc {
                kind: kind.singular(),
                title: entity.name.clone(),
                url: entity_path(kind, &entity.slug),
                meta: format!("in {count} article{}", if count == 1 { "" } else { "s" }),
            }
        }
    }
}

/// Hashes into `state` what [`doc_of`] makes of `source`, read from the site without making the
/// document. Into the chunk's one hasher: a digest per document cost as much as the rest.
fn hash_shown(site: &Site, source: Source, state: &mut impl std::hash::Hasher) {
    match source {
        Source::Article(i) => {
            let a = &site.articles[i].article;
            ("article", &a.title, &a.slug, &a.date, &a.outlet).hash(state)
        }
        Source::Quote(i) => {
            let q = &site.quotes[i];
            let a = &site.articles[q.article].article;
            (
                "quote",
                &q.text,
                q.partial,
                &a.slug,
                &q.anchor,
                &q.speaker.name,
                &a.title,
            )
                .hash(state)
        }
        Source::Entity(kind, i) => {
            let e = &site.entities.get(kind)[i];
            (kind, &e.name, &e.slug, e.articles.len()).hash(state)
        }
    }
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
            vec![
                (quote.text.to_string(), 2),
                (quote.speaker.name.to_string(), 3),
            ]
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
    let json = serde_json::to_string(value).unwrap_or_else(|_| "null".into());
    json::script_safe(json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_stop_word_is_longer_than_the_longest_looked_up() {
        for word in STOP_WORDS.words() {
            assert!(word.len() <= LONGEST_STOP_WORD, "{word}");
        }
        assert!(terms("The state and its people")
            .iter()
            .all(|t| t != "its" && t != "the"));
    }

    #[test]
    fn terms_are_those_of_the_words_split_at_every_character_not_a_letter_or_digit() {
        for text in [
            "",
            " a ",
            "Plain words, THEN more: the 2024 budget's end.",
            "Erdoğan's «visit» to Kyiv—2024 — 3½ days; Ελλάδα, ΟΔΟΣ 東京 and naïve café…",
            "Erdogan\u{300}s a\u{300}b \u{2028} x\u{ff10}y Δx xΔ x\u{2014}y ",
            "trailing-",
            "İstanbul ǅemal",
        ] {
            let mut expected = Vec::new();
            let mut lower = String::new();
            for word in text.split(|c: char| !c.is_alphanumeric()) {
                term_of_word(word, &mut lower, &mut |term| {
                    expected.push(term.to_string())
                });
            }
            assert_eq!(terms(text), expected, "{text:?}");
        }
    }

    #[test]
    fn words_split_at_every_character_not_a_letter_or_digit() {
        assert_eq!(
            terms("Erdoğan's 2024 (ΟΣΣ) x—Ankara,Kyiv"),
            ["erdogan", "erdoğan", "2024", "οσς", "ankara", "kyiv"]
        );
    }

    #[test]
    fn weight_changes_name_the_terms_that_came_went_or_moved() {
        let terms = |list: &[(&str, u32)]| -> Vec<(String, u32)> {
            list.iter().map(|(t, w)| (t.to_string(), *w)).collect()
        };
        let old = terms(&[("armenia", 2), ("kept", 1), ("moved", 1), ("went", 3)]);
        let new = terms(&[("came", 1), ("kept", 1), ("moved", 4), ("zzz", 1)]);
        let changes: Vec<(&str, Option<u32>)> = weight_changes(&old, &new)
            .into_iter()
            .map(|(t, w)| (t.as_str(), w))
            .collect();
        assert_eq!(
            changes,
            [
                ("armenia", None),
                ("came", Some(1)),
                ("moved", Some(4)),
                ("went", None),
                ("zzz", Some(1))
            ]
        );
        assert!(weight_changes(&old, &old).is_empty());
    }

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

    /// The shard script written byte by byte is the JSON the shard's map of flat pairs makes.
    #[test]
    fn a_patched_fragment_is_the_fragment_written_afresh() {
        // A small generator, so that the test is the same on every run.
        let mut seed = 0x9e37_79b9_u32;
        let mut next = move |below: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed % below
        };
        for round in 0..3000 {
            let len = next(16) as usize;
            let mut docs: Vec<u32> = (0..len).map(|_| next(80)).collect();
            docs.sort_unstable();
            docs.dedup();
            let old: Postings = docs.iter().map(|&d| (d, 1 + next(3))).collect();
            // One to three spans in order, each of which may grow or shrink (moving the numbers
            // after it); the last one, every fourth round, open-ended.
            let mut spans = Vec::new();
            let (mut old_from, mut shift) = (0u32, 0i64);
            for _ in 0..1 + next(3) {
                let old_lo = old_from + next(25);
                let old_len = next(7);
                let new_len = (i64::from(old_len) + i64::from(next(9)) - 4).max(0);
                let new_lo = u32::try_from(i64::from(old_lo) + shift).unwrap();
                spans.push(NumberSpan {
                    old_lo,
                    old_end: old_lo + old_len,
                    new_lo,
                    new_end: new_lo + u32::try_from(new_len).unwrap(),
                });
                shift += new_len - i64::from(old_len);
                old_from = old_lo + old_len + 1;
            }
            if round % 4 == 0 {
                let last = spans.last_mut().unwrap();
                (last.old_end, last.new_end) = (u32::MAX, u32::MAX);
            }
            // Within the spans documents come and go; between them they move by the growth of
            // the spans before them.
            let mut new: Postings = Vec::new();
            for &(d, w) in &old {
                if spans.iter().all(|s| !(s.old_lo..s.old_end).contains(&d)) {
                    // A span's shift counts the growth of every span before it.
                    let moved = spans
                        .iter()
                        .rfind(|s| s.old_end <= d)
                        .map_or(0, |s| s.shift());
                    new.push((u32::try_from(i64::from(d) + moved).unwrap(), w));
                }
            }
            for span in &spans {
                let room = span.new_end.saturating_sub(span.new_lo).min(90);
                for _ in 0..if room == 0 { 0 } else { next(4) } {
                    new.push((span.new_lo + next(room), 1 + next(3)));
                }
            }
            new.sort_unstable();
            new.dedup_by_key(|entry| entry.0);
            let last = term_fragment("word", &old);
            let patched = patched_fragment(&last, "word", &new, &spans);
            assert_eq!(
                patched.as_deref(),
                Some(&term_fragment("word", &new)[..]),
                "{old:?} -> {new:?} within {spans:?}"
            );
        }
        let point = NumberSpan::point;
        assert_eq!(
            NumberSpan::merged(vec![point(9, 9), point(3, 3), point(4, 4), point(20, 24)]),
            vec![
                NumberSpan {
                    old_lo: 3,
                    old_end: 5,
                    new_lo: 3,
                    new_end: 5
                },
                point(9, 9),
                point(20, 24)
            ]
        );
        // Not this term's fragment: written afresh.
        let span = NumberSpan::point(1, 1);
        assert_eq!(
            patched_fragment(b"\"other\":[1,1]", "word", &vec![(1, 1)], &[span]),
            None
        );
        assert_eq!(nth_comma(&[b','; 200], 130), Some(130));
        assert_eq!(nth_comma(b"1,2", 1), None);
    }

    #[test]
    fn a_shard_script_is_the_json_of_its_terms() {
        let terms: Vec<(String, Postings)> = vec![
            ("erdoğan".into(), vec![(3, 5), (4, 1), (90, 2)]),
            ("odd\"<term>&".into(), vec![(0, 1)]),
            ("zero".into(), vec![]),
        ];
        let refs: Vec<(&String, &Postings)> = terms.iter().map(|(t, p)| (t, p)).collect();
        let by_json = {
            let map: BTreeMap<&str, Vec<u32>> = refs
                .iter()
                .map(|(term, list)| {
                    let mut last = 0;
                    let flat = list
                        .iter()
                        .flat_map(|&(doc, weight)| {
                            let gap = doc - last;
                            last = doc;
                            [gap, weight]
                        })
                        .collect();
                    (term.as_str(), flat)
                })
                .collect();
            format!(
                "briefingSearch.shard({},{});\n",
                script_json("65-72"),
                script_json(&map)
            )
        };
        assert_eq!(
            String::from_utf8(shard_script("65-72", &refs)).unwrap(),
            by_json
        );
        // Put together from its terms' fragments, the same bytes.
        let parts: Vec<Fragment> = refs.iter().map(|(t, l)| term_fragment(t, l)).collect();
        let pieces: Vec<&[u8]> = parts.iter().map(|part| &part[..]).collect();
        assert_eq!(
            String::from_utf8(shard_script_of("65-72", &pieces)).unwrap(),
            by_json
        );
    }
}
