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
use std::hash::Hash;
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::pager::page_range;
use super::{PageJob, Renderer};
use crate::content::{Article, EntityKind, PerKind};
use crate::derive::text::ArticleText;
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
    /// Per entity: what only its first page shows (latest quotations, related entities).
    entity_first: PerKind<Vec<Key>>,
    /// Every article's date in timeline order: the timeline pagers' labels.
    dates: Key,
    /// The quotation groups: speakers, anchors, sizes.
    groups: Key,
    /// Every entity's article count: the home page's and the entity lists' order and numbers.
    counts: Key,
    /// The quotations in the quotation pages' order.
    quote_order: Vec<usize>,
}

/// The hashes of articles and their texts, under the addresses of the two: the cache holds both
/// `Arc`s, so an address cannot be reused by another article while its entry stands.
#[derive(Debug, Default)]
pub(super) struct TextKeys(HashMap<(usize, usize), TextKey>);

/// An article's and its text's hash, with the two it was made from (kept alive by it).
#[derive(Debug)]
pub(super) struct TextKey {
    _article: Arc<Article>,
    _text: Arc<ArticleText>,
    key: Key,
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

/// Hashes a sequence of keys (and anything else) as one.
struct KeyHasher(Xxh3);

impl KeyHasher {
    fn new(what: &str) -> KeyHasher {
        let mut hasher = Xxh3::new();
        what.hash(&mut hasher);
        KeyHasher(hasher)
    }

    fn add<T: Hash + ?Sized>(&mut self, value: &T) -> &mut Self {
        value.hash(&mut self.0);
        self
    }

    fn key(&self) -> Key {
        self.0.digest128()
    }
}

impl Keys {
    /// The keys of `renderer`'s site. `texts` holds the last render's hashes of article texts
    /// and is left holding this one's.
    pub(super) fn new(renderer: &Renderer, texts: &mut TextKeys) -> Keys {
        let site = renderer.site;
        let item: Vec<Key> = site
            .articles
            .par_iter()
            .map(|derived| {
                let a = &derived.article;
                key_of(&(&a.title, &a.slug, &a.date, &a.outlet, &a.author, &a.summary))
            })
            .collect();
        let quote: Vec<Key> = site
            .quotes
            .par_iter()
            .map(|q| {
                key_of(&(
                    item[q.article],
                    &q.anchor,
                    &q.text,
                    q.partial,
                    &q.speaker,
                    &q.places,
                    &q.mentions,
                ))
            })
            .collect();
        let mentioned: Vec<Key> = site
            .articles
            .par_iter()
            .map(|derived| key_of(&derived.mentioned))
            .collect();
        // An article and its text are hashed once while they stay the same allocations.
        let text_keys: Vec<Key> = site
            .articles
            .par_iter()
            .map(|derived| match texts.0.get(&text_id(derived)) {
                Some(cached) => cached.key,
                None => key_of(&(&derived.article, &derived.text)),
            })
            .collect();
        texts.0 = site
            .articles
            .iter()
            .zip(&text_keys)
            .map(|(derived, &key)| {
                (
                    text_id(derived),
                    TextKey {
                        _article: Arc::clone(&derived.article),
                        _text: Arc::clone(&derived.text),
                        key,
                    },
                )
            })
            .collect();
        let article_page: Vec<Key> = site
            .articles
            .par_iter()
            .zip(&text_keys)
            .map(|(derived, text_key)| {
                let mut hasher = KeyHasher::new("article");
                hasher
                    .add(text_key)
                    .add(&derived.mentions)
                    .add(&derived.mentioned);
                for q in derived.quotes.clone() {
                    hasher.add(&quote[q]);
                }
                hasher.key()
            })
            .collect();
        let shape = shape(renderer);
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
                        .add(&entity.quotes_by.len())
                        .add(&entity.quotes_about.len())
                        .add(&timeline.chronological.len());
                    // The pager labels its pages with their months.
                    for &a in &timeline.chronological {
                        hasher.add(&site.articles[a].article.date);
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
        let mut dates = KeyHasher::new("dates");
        for &a in &renderer.chronological {
            dates.add(&site.articles[a].article.date);
        }
        let mut groups = KeyHasher::new("groups");
        for group in &renderer.quote_groups {
            let speaker = &site.quotes[group.quotes[0]].speaker;
            groups
                .add(&group.name)
                .add(&group.anchor)
                .add(&group.quotes.len())
                .add(&speaker.entity)
                .add(&speaker.kind);
        }
        let mut counts = KeyHasher::new("counts");
        for kind in EntityKind::ALL {
            for entity in site.entities.get(kind) {
                counts.add(&entity.articles.len());
            }
        }
        let quote_order = renderer
            .quote_groups
            .iter()
            .flat_map(|g| g.quotes.iter().copied())
            .collect();
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
            counts: counts.key(),
            quote_order,
        }
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
                let count = site.quotes.len();
                hasher.add("quotes").add(&n).add(&count).add(&self.groups);
                for &q in &self.quote_order[page_range(count, size, n)] {
                    hasher.add(&self.quote[q]);
                }
            }
            PageJob::Timeline(n) => {
                let count = site.articles.len();
                hasher
                    .add("timeline")
                    .add(&n)
                    .add(&count)
                    .add(&site.quotes.len())
                    .add(&self.dates);
                for &a in &renderer.chronological[page_range(count, size, n)] {
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
                for &a in &timeline.chronological[page_range(count, size, n)] {
                    hasher.add(&self.item[a]);
                    for q in site.articles[a].quotes.clone() {
                        if timeline.own.contains(&q) {
                            hasher.add(&self.quote[q]);
                        }
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
