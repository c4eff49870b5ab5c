//! Page keys: for each page, a hash of everything it shows, made straight from the site model.
//!
//! A rebuild (`serve --watch`) compares a page's key with the one the last render stored beside the
//! page; when they match it takes the page as it was, without making its context or rendering it.
//! An unchanged page then costs a few hashes instead of its context and its HTML, which is what
//! lets one saved article rebuild quickly in a site of ten thousand.
//!
//! Keys hash what pages show, by stable identity: slugs, anchors, texts, dates. Indexes into
//! `site.articles` and `site.quotes` shift when an article or quotation is added elsewhere, so they
//! are never hashed; entity indexes are, because the site's [`Keys::shape`] holds every entity and
//! changes when one comes or goes. What every page may show of other entities (names, slugs, ids,
//! reference data) is in the shape, so a change there renders every page again.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

use super::pager::{page_range, range_at};
use super::{PageJob, Renderer};
use crate::content::{EntityKind, PerKind};
use crate::derive::{DerivedArticle, Site};

/// A 128-bit hash: equal keys, equal pages.
pub(super) type Key = u128;

/// The hashes pages are keyed by, made once per render.
pub(super) struct Keys {
    /// What any page may show that is not its own: the settings, the home intro, and every
    /// entity's name, slug, id and reference data.
    shape: Key,
    /// Per article (site order): what a list shows of it.
    item: Vec<Key>,
    /// Per article: the countries, organisations and people it mentions.
    mentioned: Vec<Key>,
    /// Per article: its own page.
    article_page: Vec<Key>,
    /// Per quotation: what a quotation shows wherever it is listed.
    quote: Vec<Key>,
    /// Per entity: what all its pages show besides their slice of its timeline.
    entity: PerKind<Vec<Key>>,
    /// Per entity: what only its first page shows (latest quotations and their counts, related
    /// entities).
    entity_first: PerKind<Vec<Key>>,
    /// Every article's date in timeline order: the timeline pagers' labels.
    dates: Key,
    /// The quotation groups: speakers, anchors, sizes.
    groups: Key,
    /// Per quotation group, the same: what its heading shows on each page it is on.
    group: Vec<Key>,
    /// Every entity's article count: the home page's and the entity lists' order and numbers.
    counts: Key,
    /// The quotations in the quotation pages' order.
    quote_order: Vec<usize>,
}

/// The last render's per-article and per-quotation keys, with the site they were made from. The
/// memo holds that site, so none of its articles' or quotations' allocations can be reused by
/// another while it stands: an `Arc` at the same address is the same, unchanged, thing. A patched
/// site shares nearly all of them with the last one, so a save hashes only what it changed.
#[derive(Debug, Default)]
pub(super) struct KeyMemo {
    site: Option<Arc<Site>>,
    item: Vec<Key>,
    mentioned: Vec<Key>,
    text: Vec<Key>,
    article_page: Vec<Key>,
    quote: Vec<Key>,
}

impl KeyMemo {
    /// For each of `site`'s articles, the index of the same article (same `Article` and text
    /// allocations) in the memo's site, if it has it. Articles that stay in place are matched
    /// without a lookup.
    fn article_matches(&self, site: &Site) -> Vec<Option<usize>> {
        let Some(old) = &self.site else {
            return vec![None; site.articles.len()];
        };
        let same = |new: &DerivedArticle, old: &DerivedArticle| {
            Arc::ptr_eq(&new.article, &old.article) && Arc::ptr_eq(&new.text, &old.text)
        };
        let in_place = site.articles.len() == old.articles.len()
            && site
                .articles
                .iter()
                .zip(&old.articles)
                .all(|(new, old)| same(new, old));
        if in_place {
            return (0..site.articles.len()).map(Some).collect();
        }
        let by_address: HashMap<(usize, usize), usize> = old
            .articles
            .iter()
            .enumerate()
            .map(|(j, derived)| (text_id(derived), j))
            .collect();
        site.articles
            .iter()
            .map(|derived| by_address.get(&text_id(derived)).copied())
            .collect()
    }

    /// For each of `site`'s quotations, its index in the memo's site when it is the same
    /// allocation. A patch splices one stretch of quotations in: those before it keep their
    /// index, those after it shift; the stretch itself is new.
    fn quote_matches(&self, site: &Site) -> Vec<Option<usize>> {
        let Some(old) = &self.site else {
            return vec![None; site.quotes.len()];
        };
        let (new_quotes, old_quotes) = (&site.quotes, &old.quotes);
        let (prefix, suffix) = super::common_ends(old_quotes, new_quotes, Arc::ptr_eq);
        let shift = |i: usize| i + old_quotes.len() - new_quotes.len();
        (0..new_quotes.len())
            .map(|i| {
                if i < prefix {
                    Some(i)
                } else if i >= new_quotes.len() - suffix {
                    Some(shift(i))
                } else {
                    None
                }
            })
            .collect()
    }
}

fn text_id(derived: &DerivedArticle) -> (usize, usize) {
    (
        Arc::as_ptr(&derived.article) as usize,
        Arc::as_ptr(&derived.text) as usize,
    )
}

/// The 128-bit hash of `value`, as every cache of the render stage keys things.
pub(super) fn key_of<T: Hash + ?Sized>(value: &T) -> Key {
    let mut hasher = Xxh3::new();
    value.hash(&mut hasher);
    hasher.digest128()
}

/// Hashes a sequence of keys (and anything else) as one. A page's key is made of hundreds of
/// 16-byte keys; each is folded into the state with a multiply and a rotation, with no buffer and
/// no call to a streaming hasher (which cost ten times as much). Each fold step is a bijection of
/// the state for a given key, so two sequences of one length that differ in one key always get
/// different results. Sequences that differ in several keys can collide, but only by structured
/// differences between them (a top bit flipped in one, the bit it rotates onto in the next), which
/// keys that are themselves 128-bit hashes do not have by more than chance. Byte strings (the few
/// words pages add) are hashed with xxh3 first.
pub(super) struct KeyHasher(u128);

/// An odd 128-bit constant (pi's first hexadecimal digits, the last one made odd): the multiply is
/// then invertible.
const FOLD: u128 = 0x243f_6a88_85a3_08d3_1319_8a2e_0370_7345;

impl KeyHasher {
    pub(super) fn new(what: &str) -> KeyHasher {
        let mut hasher = KeyHasher(0);
        hasher.add(what);
        hasher
    }

    fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.hash(self);
        self
    }

    fn fold(&mut self, value: u128) {
        self.0 = (self.0 ^ value).wrapping_mul(FOLD).rotate_left(61);
    }

    pub(super) fn key(&self) -> Key {
        // One more round, so that the last key folded is mixed like the others.
        self.0.wrapping_mul(FOLD).rotate_left(61)
    }
}

impl Hasher for KeyHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.fold(xxh3_128(bytes));
    }

    fn write_u8(&mut self, value: u8) {
        self.fold(u128::from(value));
    }

    fn write_u32(&mut self, value: u32) {
        self.fold(u128::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.fold(u128::from(value));
    }

    fn write_usize(&mut self, value: usize) {
        self.fold(value as u128);
    }

    fn write_u128(&mut self, value: u128) {
        self.fold(value);
    }

    fn finish(&self) -> u64 {
        self.key() as u64
    }
}

impl Keys {
    /// The keys of `renderer`'s site. `memo` holds the last render's keys and is left holding this
    /// one's: what did not change is not hashed again.
    pub(super) fn new(renderer: &Renderer, memo: &mut KeyMemo) -> Keys {
        let site: &Site = renderer.site;
        let mut steps = crate::timings::Steps::start("keys");
        let articles = memo.article_matches(site);
        let item: Vec<Key> = site
            .articles
            .par_iter()
            .zip(&articles)
            .map(|(derived, &old)| match old {
                Some(j) => memo.item[j],
                None => {
                    let a = &derived.article;
                    key_of(&(&a.title, &a.slug, &a.date, &a.outlet, &a.author, &a.summary))
                }
            })
            .collect();
        let old_site = memo.site.as_deref();
        let quotes = memo.quote_matches(site);
        // Article by article (an article's quotations are numbered one after another), so that a
        // quotation kept from the last site is not read at all: reading each of a hundred thousand
        // for its article's number missed the cache on every one.
        let quote: Vec<Key> = site
            .articles
            .par_iter()
            .enumerate()
            .flat_map_iter(|(a, derived)| {
                // The same quotation shows its article's title and date: it keeps its key when they
                // are unchanged too.
                let item_unchanged = memo.item.get(a) == Some(&item[a]);
                let (item, quotes, last) = (&item, &quotes, &memo.quote);
                derived.quotes.clone().map(move |n| {
                    debug_assert_eq!(
                        site.quotes[n].article, a,
                        "an article's quotations are its own"
                    );
                    match quotes[n] {
                        Some(j) if item_unchanged => last[j],
                        _ => {
                            let q = &site.quotes[n];
                            key_of(&(
                                item[a],
                                &q.anchor,
                                &q.text,
                                q.partial,
                                &q.speaker,
                                &q.places,
                                &q.mentions,
                            ))
                        }
                    }
                })
            })
            .collect();
        debug_assert_eq!(
            quote.len(),
            site.quotes.len(),
            "every quotation is an article's"
        );
        steps.mark("items and quotes");
        // The article in the last site that this one is, with that site.
        let previous = |old: Option<usize>| Some((old?, &old_site?.articles[old?]));
        let mentioned: Vec<Key> = site
            .articles
            .par_iter()
            .zip(&articles)
            .map(|(derived, &old)| match previous(old) {
                Some((j, prev)) if Arc::ptr_eq(&derived.mentioned, &prev.mentioned) => {
                    memo.mentioned[j]
                }
                _ => key_of(&derived.mentioned),
            })
            .collect();
        // An article and its text are hashed once while they stay the same allocations.
        let text_keys: Vec<Key> = site
            .articles
            .par_iter()
            .zip(&articles)
            .map(|(derived, &old)| match old {
                Some(j) => memo.text[j],
                None => key_of(&(&derived.article, &derived.text)),
            })
            .collect();
        let article_page: Vec<Key> = site
            .articles
            .par_iter()
            .zip(&articles)
            .enumerate()
            .map(|(i, (derived, &old))| {
                let reusable = previous(old).filter(|(j, prev)| {
                    Arc::ptr_eq(&derived.mentions, &prev.mentions)
                        && memo.mentioned[*j] == mentioned[i]
                        && memo.quote[prev.quotes.clone()] == quote[derived.quotes.clone()]
                });
                if let Some((j, _)) = reusable {
                    return memo.article_page[j];
                }
                let mut hasher = KeyHasher::new("article");
                hasher
                    .add(&text_keys[i])
                    .add(&derived.mentions)
                    .add(&derived.mentioned);
                for q in derived.quotes.clone() {
                    hasher.add(&quote[q]);
                }
                hasher.key()
            })
            .collect();
        steps.mark("articles");
        let last = std::mem::replace(
            memo,
            KeyMemo {
                site: Some(Arc::clone(renderer.site)),
                item: item.clone(),
                mentioned: mentioned.clone(),
                text: text_keys,
                article_page: article_page.clone(),
                quote: quote.clone(),
            },
        );
        // It holds the last site, which may be held by nothing else now.
        crate::parallel::drop_in_background(last);
        let shape = shape(renderer);
        // Every article's date, side by side: the entities' keys read them by the hundred thousand,
        // and each read through its article's allocation missed the cache.
        let article_dates: Vec<Option<chrono::NaiveDate>> = site
            .articles
            .iter()
            .map(|derived| derived.article.date)
            .collect();
        let entity = PerKind::from_fn(|kind| {
            (0..site.entities.get(kind).len())
                .into_par_iter()
                .map(|i| {
                    let entity = &site.entities.get(kind)[i];
                    let timeline = renderer.entity_timeline(kind, i);
                    let mut hasher = KeyHasher::new("entity");
                    hasher
                        .add(&entity.note)
                        .add(&entity.articles.len())
                        .add(&timeline.chronological.len());
                    // The pager labels its pages with their months.
                    for &a in &timeline.chronological {
                        hasher.add(&article_dates[a]);
                    }
                    hasher.key()
                })
                .collect()
        });
        let page_size = renderer.page_size();
        let entity_first = PerKind::from_fn(|kind| {
            site.entities
                .get(kind)
                .par_iter()
                .map(|entity| {
                    let mut hasher = KeyHasher::new("entity first page");
                    // The counts of quotations by and about it show on its first page only.
                    hasher
                        .add(&entity.quotes_by.len())
                        .add(&entity.quotes_about.len());
                    for &q in entity.quotes_by.iter().take(page_size) {
                        hasher.add(&quote[q]);
                    }
                    hasher.add("about");
                    for &q in entity.quotes_about.iter().take(page_size) {
                        hasher.add(&quote[q]);
                    }
                    // Related entities are counted over every article that mentions it.
                    for &a in &entity.articles {
                        hasher.add(&mentioned[a]);
                    }
                    hasher.key()
                })
                .collect()
        });
        steps.mark("entities");
        let mut dates = KeyHasher::new("dates");
        for &a in &renderer.lists.chronological {
            dates.add(&article_dates[a]);
        }
        let mut groups = KeyHasher::new("groups");
        let mut group = Vec::with_capacity(renderer.lists.quote_groups.len());
        for quote_group in &renderer.lists.quote_groups {
            let speaker = &site.quotes[quote_group.quotes[0]].speaker;
            // Without its size, which only the page the group begins on shows.
            let mut hasher = KeyHasher::new("group");
            hasher
                .add(&quote_group.name)
                .add(&quote_group.anchor)
                .add(&speaker.entity)
                .add(&speaker.kind);
            let key = hasher.key();
            groups.add(&key).add(&quote_group.quotes.len());
            group.push(key);
        }
        let mut counts = KeyHasher::new("counts");
        for kind in EntityKind::ALL {
            for entity in site.entities.get(kind) {
                counts.add(&entity.articles.len());
            }
        }
        let quote_order = renderer
            .lists
            .quote_groups
            .iter()
            .flat_map(|g| g.quotes.iter().copied())
            .collect();
        steps.mark("lists");
        Keys {
            shape,
            item,
            mentioned,
            article_page,
            quote,
            entity,
            entity_first,
            dates: dates.key(),
            groups: groups.key(),
            group,
            counts: counts.key(),
            quote_order,
        }
    }

    /// Per article (site order): what a list shows of it.
    pub(super) fn items(&self) -> &[Key] {
        &self.item
    }

    /// Per quotation: what a quotation shows wherever it is listed.
    pub(super) fn quotes(&self) -> &[Key] {
        &self.quote
    }

    /// The key of the page `job` makes.
    pub(super) fn of(&self, renderer: &Renderer, job: PageJob) -> Key {
        let site = renderer.site;
        let size = renderer.page_size();
        let mut hasher = KeyHasher::new("page");
        hasher.add(&self.shape);
        match job {
            PageJob::Home => {
                hasher
                    .add("home")
                    .add(&site.articles.len())
                    .add(&self.counts);
                for key in self.item.iter().take(renderer.config.home_articles) {
                    hasher.add(key);
                }
            }
            PageJob::ArticleList(n) => {
                let count = site.articles.len();
                hasher.add("articles").add(&n).add(&count);
                for key in &self.item[page_range(count, size, n)] {
                    hasher.add(key);
                }
            }
            PageJob::QuoteList(n) => {
                let lists = &renderer.lists;
                let range = range_at(&lists.quote_pages, site.quotes.len(), n);
                hasher.add("quotes").add(&n).add(&lists.quote_pages.len());
                // The first page's count and index of speakers, with the page each begins on.
                if n == 1 {
                    hasher.add(&site.quotes.len()).add(&self.groups);
                    for start in &lists.group_starts {
                        hasher.add(&lists.quote_pages.partition_point(|s| s <= start));
                    }
                }
                // The groups this page shows part of, and whether it goes on with each.
                let first = lists
                    .group_starts
                    .partition_point(|&start| start <= range.start)
                    .saturating_sub(1);
                for (g, &start) in lists.group_starts.iter().enumerate().skip(first) {
                    if start >= range.end {
                        break;
                    }
                    let continued = start < range.start;
                    hasher.add(&self.group[g]).add(&continued);
                    if !continued {
                        hasher.add(&lists.quote_groups[g].quotes.len());
                    }
                }
                for &q in &self.quote_order[range] {
                    hasher.add(&self.quote[q]);
                }
            }
            PageJob::Timeline(n) => {
                let count = site.articles.len();
                hasher.add("timeline").add(&n).add(&count).add(&self.dates);
                // The counts are the first page's.
                if n == 1 {
                    hasher.add(&site.quotes.len());
                }
                for &a in &renderer.lists.chronological[page_range(count, size, n)] {
                    hasher.add(&self.item[a]);
                    for q in site.articles[a].quotes.clone() {
                        hasher.add(&self.quote[q]);
                    }
                }
            }
            PageJob::Relations => {
                hasher.add("relations").add(&self.counts);
                for key in &self.mentioned {
                    hasher.add(key);
                }
            }
            PageJob::Search => {
                hasher.add("search");
            }
            PageJob::NotFound => {
                hasher.add("404");
            }
            PageJob::Article(i) => {
                hasher.add("article").add(&self.article_page[i]);
            }
            PageJob::EntityList(kind) => {
                hasher.add("entity list").add(&kind).add(&self.counts);
            }
            PageJob::Entity(kind, i, n) => {
                let timeline = renderer.entity_timeline(kind, i);
                hasher
                    .add("entity")
                    .add(&kind)
                    .add(&i)
                    .add(&n)
                    .add(&self.entity.get(kind)[i]);
                if n == 1 {
                    hasher.add(&self.entity_first.get(kind)[i]);
                }
                let count = timeline.chronological.len();
                for place in page_range(count, size, n) {
                    hasher.add(&self.item[timeline.chronological[place]]);
                    for &q in timeline.owned_at(place) {
                        hasher.add(&self.quote[q]);
                    }
                }
            }
        }
        hasher.key()
    }
}

impl Keys {
    /// The key of entity `i`'s Atom feed: its first dated articles, as their pages show them.
    pub(super) fn of_feed(&self, renderer: &Renderer, kind: EntityKind, i: usize) -> Key {
        let site = renderer.site;
        let entity = &site.entities.get(kind)[i];
        let mut hasher = KeyHasher::new("feed");
        hasher.add(&self.shape).add(&kind).add(&i);
        for &a in entity
            .articles
            .iter()
            .filter(|&&a| site.articles[a].article.date.is_some())
            .take(super::feeds::FEED_ENTRIES)
        {
            hasher.add(&self.article_page[a]);
        }
        hasher.key()
    }
}

/// The site's shape: what a page may show of anything but itself.
fn shape(renderer: &Renderer) -> Key {
    let site: &Site = renderer.site;
    let mut hasher = KeyHasher::new("shape");
    hasher.add(renderer.config).add(&site.home);
    for kind in EntityKind::ALL {
        for e in site.entities.get(kind) {
            hasher
                .add(&e.kind)
                .add(&e.id)
                .add(&e.name)
                .add(&e.slug)
                .add(&e.country)
                .add(&e.organisation)
                .add(&e.role)
                .add(&e.person_country)
                .add(&e.person_organisation);
        }
        hasher.add(&0xff_u8);
    }
    hasher.key()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::derive::{Quote, Speaker, SpeakerKind};

    fn quote(text: &str) -> Arc<Quote> {
        Arc::new(Quote {
            anchor: "q1".into(),
            article: 0,
            text: text.into(),
            partial: false,
            speaker: Speaker {
                name: "Unknown".into(),
                kind: SpeakerKind::Unknown,
                entity: None,
                belongs_to: None,
            },
            places: Arc::new([]),
            mentions: Vec::new(),
        })
    }

    fn site_of(quotes: &[&Arc<Quote>]) -> Site {
        Site {
            quotes: quotes.iter().map(|q| Arc::clone(q)).collect(),
            ..Site::default()
        }
    }

    #[test]
    fn quotations_are_matched_around_the_stretch_a_patch_spliced_in() {
        let (a, b, c, d) = (quote("a"), quote("b"), quote("c"), quote("d"));
        let memo = KeyMemo {
            site: Some(Arc::new(site_of(&[&a, &b, &c, &d]))),
            ..KeyMemo::default()
        };
        // The same text in a new allocation is new: only the same allocation is known unchanged.
        let b2 = quote("b");
        let inserted = site_of(&[&a, &b2, &quote("x"), &c, &d]);
        assert_eq!(
            memo.quote_matches(&inserted),
            [Some(0), None, None, Some(2), Some(3)]
        );
        let removed = site_of(&[&a, &d]);
        assert_eq!(memo.quote_matches(&removed), [Some(0), Some(3)]);
        let same = site_of(&[&a, &b, &c, &d]);
        assert_eq!(
            memo.quote_matches(&same),
            [Some(0), Some(1), Some(2), Some(3)]
        );
        // A site the memo never saw matches nothing.
        assert_eq!(KeyMemo::default().quote_matches(&same), [None; 4]);
        // One quotation repeated at both ends is not counted twice.
        let memo = KeyMemo {
            site: Some(Arc::new(site_of(&[&a]))),
            ..KeyMemo::default()
        };
        assert_eq!(memo.quote_matches(&site_of(&[&a, &a])), [Some(0), None]);
    }

    #[test]
    fn folded_keys_tell_sequences_apart() {
        let key = |parts: &[u128]| {
            let mut hasher = KeyHasher::new("page");
            for part in parts {
                hasher.add(part);
            }
            hasher.key()
        };
        let base = key(&[1, 2, 3]);
        assert_eq!(base, key(&[1, 2, 3]));
        for other in [
            key(&[1, 2, 4]),
            key(&[2, 1, 3]),
            key(&[1, 2]),
            key(&[1, 2, 3, 0]),
        ] {
            assert_ne!(base, other);
        }
        // Words are part of the key too, and where one ends.
        let words = |a: &str, b: &str| KeyHasher::new("x").add(a).add(b).key();
        assert_ne!(words("ab", "c"), words("a", "bc"));
        assert_ne!(KeyHasher::new("home").key(), KeyHasher::new("search").key());
    }
}
