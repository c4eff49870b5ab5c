//! The render stage: turns the site model into pages with the theme's Tera templates, and gathers the
//! theme's and the site's static files. Output is a list of files in memory; writing them is the
//! output stage's job, so a failed render never touches the output folder.
//!
//! Every link in a page is relative (`{{ root }}` leads back to the site root), so the site works at
//! the root of a domain, under a sub-path, and opened from disk. Pages are plain `.html` files and
//! links name them in full, because `file://` does not turn a folder into its `index.html`.

pub mod annotate;
mod builtin_theme;
mod dates;
mod export;
pub mod feeds;
mod items;
mod json;
mod keys;
pub mod markdown;
pub mod pager;
pub mod relations;
pub mod search;
pub mod templates;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use foldhash::fast::RandomState as FastHash;
use rayon::prelude::*;
use serde::Serialize;
use walkdir::WalkDir;

use crate::config::SiteConfig;
use crate::content::{EntityKind, PerKind};
use crate::derive::{DerivedArticle, Entity, EntityRef, Quote, Site, SpeakerKind};
use crate::diagnostics::{display_path, Diagnostic, Diagnostics};
use crate::progress;
use crate::timings::Steps;
use pager::{page_count, page_path, page_range};
pub use templates::Templates;

/// One file of the built site: its path relative to the output folder (with `/`), and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: FileBytes,
}

/// A file's bytes, shared, so that a rebuild that keeps a page, and the server that serves it,
/// need no copy. A site built in memory makes its data export only when it is first read: no page
/// needs it, and at 10,000 articles it is a quarter of a rebuild's time in `serve --watch`.
#[derive(Clone)]
pub struct FileBytes {
    made: Arc<OnceLock<Arc<[u8]>>>,
    make: Option<Arc<dyn Fn() -> Vec<u8> + Send + Sync>>,
}

impl FileBytes {
    /// Bytes made when first read.
    pub fn deferred(make: impl Fn() -> Vec<u8> + Send + Sync + 'static) -> FileBytes {
        FileBytes {
            made: Arc::new(OnceLock::new()),
            make: Some(Arc::new(make)),
        }
    }

    /// The bytes, made now if they were deferred. Bytes given at construction fill the cell then,
    /// so only deferred bytes ever reach the maker.
    pub fn get(&self) -> &Arc<[u8]> {
        self.made
            .get_or_init(|| Arc::from(self.make.as_ref().map_or_else(Vec::new, |make| make())))
    }

    /// Whether the bytes are not made yet.
    pub fn is_deferred(&self) -> bool {
        self.made.get().is_none()
    }

    /// Whether `self` and `other` are one file's bytes (shared, not equal copies).
    pub fn same(&self, other: &FileBytes) -> bool {
        Arc::ptr_eq(&self.made, &other.made)
            || matches!((self.made.get(), other.made.get()), (Some(a), Some(b)) if Arc::ptr_eq(a, b))
    }
}

impl From<Arc<[u8]>> for FileBytes {
    fn from(bytes: Arc<[u8]>) -> FileBytes {
        FileBytes {
            made: Arc::new(OnceLock::from(bytes)),
            make: None,
        }
    }
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        self.get()
    }
}

impl PartialEq for FileBytes {
    fn eq(&self, other: &FileBytes) -> bool {
        self.same(other) || **self == **other
    }
}

impl Eq for FileBytes {}

impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.made.get() {
            Some(bytes) => write!(f, "{} bytes", bytes.len()),
            None => write!(f, "deferred"),
        }
    }
}

/// The rendered site, in path order.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    /// Every file, unless they went to a sink as they were made (then none).
    pub files: Vec<OutputFile>,
    /// How many files there are, and how many of them are HTML pages.
    pub file_count: usize,
    pub pages: usize,
}

/// Where a render can hand each file as soon as it is made, instead of keeping it: the output
/// stage's staging folder, so that a build never holds the whole site in memory. Called from many
/// threads, in no particular order.
pub trait FileSink: Sync {
    fn put(&self, path: &str, bytes: &[u8]);

    /// A file too large to hold, written by `write` as it is made. A failure is the sink's to
    /// report, as with `put`.
    fn put_streamed(
        &self,
        path: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    );
}

/// What the render stage keeps between builds of one site (`serve --watch`): each page's output
/// under its key (see [`keys`]) and a hash of its context, each entity feed under its key, the
/// hashes of article texts the keys are made from, and the search index's parts. A page whose key
/// or context is unchanged is not rendered again; a template change renders every page again
/// (Tera tells no page's template dependencies), and what comes out the same is the same bytes.
#[derive(Debug, Default)]
pub struct RenderCache {
    templates: u128,
    /// Under their paths, hashed with foldhash: every page is looked up on every rebuild.
    pages: HashMap<String, CachedPage, FastHash>,
    annotations: annotate::AnnotationMemo,
    search: search::SearchCache,
    /// The last render's article and quotation keys, for the next one's.
    keys: keys::KeyMemo,
    /// The last render's whole-site lists (orders, quotation groups, timelines).
    lists: SiteLists,
    /// Each entity's Atom feed under its key.
    feeds: HashMap<String, (keys::Key, Arc<[u8]>), FastHash>,
    /// The last render's pages in path order, as indexes into its pages in job order.
    page_order: Vec<u32>,
    /// Pages rendered (not taken from the cache) by the last render.
    pub rendered: usize,
    /// A one-off build's cache keeps nothing: no page, annotation or search terms is hashed or
    /// stored for a next build that will not come.
    pub(crate) forgetful: bool,
}

impl RenderCache {
    /// Search documents split into terms (not taken from the cache) by the last render.
    pub fn indexed(&self) -> usize {
        self.search.indexed
    }
}

/// A page as the last render left it.
#[derive(Debug)]
struct CachedPage {
    /// What the page shows, hashed from the site model ([`keys`]): equal keys, equal pages.
    key: keys::Key,
    /// The hash of its context, for a page whose key changed but whose context did not.
    context: u128,
    bytes: Arc<[u8]>,
}

/// The first pages of the site-wide lists; their later pages are at `pager::page_path`.
const ARTICLE_LIST: &str = "articles/index.html";
const QUOTE_LIST: &str = "quotes/index.html";
const TIMELINE: &str = "timeline.html";

/// How many entities of each kind the home page shows.
const HOME_ENTITIES: usize = 12;

/// Renders every page of `site`, plus static files. Template errors are reported once per template
/// and message. Only the pages whose context or templates changed since the render that filled
/// `cache` are rendered again. With a `sink`, each file goes to it as it is made and none is kept.
pub fn render(
    root: &Path,
    config: &SiteConfig,
    site: &Arc<Site>,
    templates: &Templates,
    cache: &mut RenderCache,
    sink: Option<&dyn FileSink>,
    diagnostics: &mut Diagnostics,
) -> RenderedSite {
    let mut steps = Steps::start("render");
    cache.annotations.forgetful = cache.forgetful;
    // A one-off build has no last lists; a rebuild takes the last render's.
    let last_lists = std::mem::take(&mut cache.lists);
    let mut renderer = Renderer::new(config, site, &cache.annotations, last_lists);
    let templates_hash = templates.fingerprint();
    if cache.templates != templates_hash {
        cache.pages.clear();
        cache.templates = templates_hash;
    }
    cache.rendered = 0;
    let forgetful = cache.forgetful;
    // Pages are made on every core. A page whose key is unchanged is taken from the cache without
    // making its context; one whose context is unchanged is not rendered again.
    let previous = &cache.pages;
    steps.mark("setup");
    let keys = (!forgetful).then(|| keys::Keys::new(&renderer, &mut cache.keys));
    steps.mark("keys");
    let jobs = renderer.jobs();
    progress::stage("rendering pages", jobs.len());
    cache.search.forgetful = forgetful;
    let search_cache = &mut cache.search;
    // The search index and the export need no page: they are made beside the pages, so that the
    // cores have other work while either is one thread's (the index's merge, the export).
    let search_and_export = || {
        rayon::join(
            || {
                let shown = keys.as_ref().map(|keys| search::ShownKeys {
                    articles: keys.items(),
                    quotes: keys.quotes(),
                });
                search::index_files(site, shown, search_cache)
            },
            || {
                // A site kept in memory makes its export only when it is read.
                if let Some(sink) = sink {
                    sink.put_streamed(export::PATH, &mut |out| export::write_json(site, out));
                }
            },
        )
    };
    let pages = || -> Vec<MadePage> {
        jobs.into_par_iter()
            .with_max_len(crate::parallel::MAX_RUN)
            .inspect(|_| progress::step())
            .map(|job| {
                let path = renderer.path_of(job);
                let key = keys.as_ref().map_or(0, |keys| keys.of(&renderer, job));
                // A one-off build's cache is empty: it keeps no pages.
                let cached = previous.get(&path);
                let (context, output) = match cached {
                    Some(cached) if cached.key == key => (
                        cached.context,
                        Ok(PageBytes::Kept(Arc::clone(&cached.bytes))),
                    ),
                    _ => {
                        let page = renderer.page_of(job);
                        debug_assert_eq!(page.path, path, "path_of and page_of disagree");
                        let context = if forgetful {
                            0
                        } else {
                            page.context.fingerprint(page.template)
                        };
                        let output = match cached {
                            Some(cached) if cached.context == context => {
                                Ok(PageBytes::Same(Arc::clone(&cached.bytes)))
                            }
                            _ => templates
                                .render(page.template, &page.context.into_tera())
                                .map(|html| match sink {
                                    // Straight to the sink: not copied into an `Arc` first (a
                                    // build's 350 MB at 10,000 articles).
                                    Some(sink) => {
                                        sink.put(&path, &html);
                                        PageBytes::Sunk { rendered: true }
                                    }
                                    None => PageBytes::Rendered(Arc::from(html)),
                                }),
                        };
                        (context, output)
                    }
                };
                // A page that goes to the sink is not kept: only its path and hashes come back.
                let output = match (sink, output) {
                    (Some(sink), Ok(PageBytes::Kept(bytes) | PageBytes::Same(bytes))) => {
                        sink.put(&path, &bytes);
                        Ok(PageBytes::Sunk { rendered: false })
                    }
                    (Some(_), Ok(PageBytes::Rendered(_))) => {
                        unreachable!("a page rendered for a sink goes to it as it is made")
                    }
                    (_, output) => output,
                };
                MadePage {
                    path,
                    key,
                    context,
                    output,
                }
            })
            .collect()
    };
    let (made, (index, ())) = rayon::join(pages, search_and_export);
    // The pages' shared values, a Tera map for each quotation and article, are freed off this
    // path: at 10,000 articles that took 55-65 ms at the end of the build, one core's work while
    // the other had little to do.
    crate::parallel::drop_in_background((
        std::mem::take(&mut renderer.quote_values),
        std::mem::take(&mut renderer.article_values),
    ));
    steps.mark("pages, search and export");
    // The cache's pages are updated in place: on a save, all but a few are kept as they were.
    let mut files: Vec<OutputFile> = Vec::with_capacity(made.len());
    let mut stale_paths = made.len() != cache.pages.len();
    for page in made {
        let (bytes, changed) = match page.output {
            Ok(PageBytes::Kept(bytes)) => (bytes, false),
            Ok(PageBytes::Sunk { rendered }) => {
                cache.rendered += usize::from(rendered);
                (Arc::from(&[][..]), false)
            }
            Ok(PageBytes::Same(bytes)) => (bytes, true),
            Ok(PageBytes::Rendered(bytes)) => {
                cache.rendered += 1;
                (bytes, true)
            }
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        // Bytes handed to a sink are not kept, so neither is the page.
        if changed && !forgetful && sink.is_none() {
            let entry = CachedPage {
                key: page.key,
                context: page.context,
                bytes: Arc::clone(&bytes),
            };
            stale_paths |= cache.pages.insert(page.path.clone(), entry).is_none();
        }
        files.push(OutputFile {
            path: page.path,
            bytes: bytes.into(),
        });
    }
    let pages = files.len();
    if forgetful || sink.is_some() {
        cache.pages.clear();
    } else if stale_paths {
        // Pages that are gone (an article deleted, a list a page shorter) leave the cache.
        let current: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        cache
            .pages
            .retain(|path, _| current.contains(path.as_str()));
    }
    let files = in_path_order(files, &mut cache.page_order);
    let feed_keys: Option<PerKind<Vec<keys::Key>>> = keys.as_ref().map(|keys| {
        PerKind::from_fn(|kind| {
            (0..site.entities.get(kind).len())
                .map(|i| keys.of_feed(&renderer, kind, i))
                .collect()
        })
    });
    steps.mark("kept pages");
    if !forgetful {
        cache.lists = renderer.lists;
    }
    cache.annotations.finish();
    let page_paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let sitemap = feeds::sitemap(config, site, &page_paths);
    drop(page_paths);
    // Files besides the pages: handed to the sink, if there is one, once they are all made, and
    // merged with the pages at the end.
    let mut others: Vec<(String, Arc<[u8]>)> = vec![
        (
            feeds::SITE_FEED.to_string(),
            feeds::site_feed(config, site).into_bytes().into(),
        ),
        (
            "robots.txt".to_string(),
            feeds::robots(config).into_bytes().into(),
        ),
    ];
    others.extend(sitemap.map(|sitemap| ("sitemap.xml".to_string(), sitemap.into_bytes().into())));
    // Entity feeds are keyed like pages: one whose key is unchanged is taken as it was.
    let previous_feeds = std::mem::take(&mut cache.feeds);
    let entity_feeds: Vec<(String, keys::Key, Arc<[u8]>)> = EntityKind::ALL
        .iter()
        .flat_map(|&kind| (0..site.entities.get(kind).len()).map(move |i| (kind, i)))
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|(kind, i)| {
            let entity = &site.entities.get(kind)[i];
            let path = feeds::entity_feed_path(kind, &entity.slug);
            let key = feed_keys.as_ref().map_or(0, |keys| keys.get(kind)[i]);
            let bytes = match previous_feeds.get(&path) {
                Some((cached, bytes)) if *cached == key => Arc::clone(bytes),
                _ => feeds::entity_feed(config, site, entity).into_bytes().into(),
            };
            (path, key, bytes)
        })
        .collect();
    for (path, key, bytes) in entity_feeds {
        if !forgetful {
            cache.feeds.insert(path.clone(), (key, Arc::clone(&bytes)));
        }
        others.push((path, bytes));
    }
    steps.mark("feeds");
    others.extend(index);
    for (path, bytes) in static_files(root, config, diagnostics) {
        let made = path == export::PATH
            || others.iter().any(|(other, _)| *other == path)
            || files
                .binary_search_by(|f| f.path.as_str().cmp(&path))
                .is_ok();
        if made {
            diagnostics.push(
                Diagnostic::warning(
                    path.clone(),
                    "a static file has the path of a page; the page wins",
                )
                .with_hint("rename or remove the static file"),
            );
            continue;
        }
        others.push((path, bytes.into()));
    }
    if let Some(sink) = sink {
        // A thousand search index files among them: written on every core.
        others
            .par_iter()
            .with_max_len(crate::parallel::MAX_RUN)
            .for_each(|(path, bytes)| sink.put(path, bytes));
    }
    let export = match sink {
        Some(_) => FileBytes::from(Arc::<[u8]>::from(&[][..])),
        None => {
            let site = Arc::clone(site);
            FileBytes::deferred(move || export::site_json(&site))
        }
    };
    let mut others: Vec<OutputFile> = others
        .into_iter()
        .map(|(path, bytes)| OutputFile {
            path,
            bytes: bytes.into(),
        })
        .collect();
    others.push(OutputFile {
        path: export::PATH.to_string(),
        bytes: export,
    });
    others.sort_by(|a, b| a.path.cmp(&b.path));
    let mut files = merged_in_path_order(files, others);
    steps.mark("static files");
    let file_count = files.len();
    if sink.is_some() {
        files.clear();
    }
    RenderedSite {
        file_count,
        files,
        pages,
    }
}

/// `pages` (in job order) in path order. Sorting ten thousand paths was the largest single step
/// of a save's rebuild; the order the last render found is tried first, and kept while the paths
/// come out sorted by it. `order` is left holding the order used.
fn in_path_order(pages: Vec<OutputFile>, order: &mut Vec<u32>) -> Vec<OutputFile> {
    let sorted = |files: &[OutputFile]| files.windows(2).all(|w| w[0].path < w[1].path);
    let (pages, tried) = if order.len() == pages.len() {
        let permuted = permuted(pages, order);
        if sorted(&permuted) {
            return permuted;
        }
        (permuted, std::mem::take(order))
    } else {
        let identity = (0..pages.len() as u32).collect();
        (pages, identity)
    };
    // `tried[i]` is where `pages[i]` was in job order.
    let mut by_path: Vec<u32> = (0..pages.len() as u32).collect();
    by_path.par_sort_unstable_by(|&a, &b| pages[a as usize].path.cmp(&pages[b as usize].path));
    *order = by_path.iter().map(|&i| tried[i as usize]).collect();
    permuted(pages, &by_path)
}

/// `files` in the order `order` gives: its `i`th file is `files[order[i]]`.
fn permuted(files: Vec<OutputFile>, order: &[u32]) -> Vec<OutputFile> {
    let mut slots: Vec<Option<OutputFile>> = files.into_iter().map(Some).collect();
    order
        .iter()
        .map(|&i| slots[i as usize].take().expect("an order is a permutation"))
        .collect()
}

/// Two lists in path order merged into one; of two files with one path, the page comes first.
fn merged_in_path_order(pages: Vec<OutputFile>, others: Vec<OutputFile>) -> Vec<OutputFile> {
    let mut merged = Vec::with_capacity(pages.len() + others.len());
    let mut others = others.into_iter().peekable();
    for page in pages {
        while let Some(other) = others.next_if(|other| other.path < page.path) {
            merged.push(other);
        }
        merged.push(page);
    }
    merged.extend(others);
    merged
}

/// What became of a page's bytes.
enum PageBytes {
    /// Its key is unchanged: the cache's bytes stand, and so does its entry.
    Kept(Arc<[u8]>),
    /// Its context is unchanged: the cache's bytes, again.
    Same(Arc<[u8]>),
    /// Rendered anew.
    Rendered(Arc<[u8]>),
    /// Handed to the sink, rendered anew or not.
    Sunk { rendered: bool },
}

/// A page made: what became of its bytes, or the error.
struct MadePage {
    path: String,
    key: keys::Key,
    context: u128,
    output: Result<PageBytes, Diagnostic>,
}

/// A page's template context: Tera's values by name, kept apart so that they can be hashed before
/// the page is rendered.
#[derive(Default)]
struct PageContext {
    values: BTreeMap<&'static str, tera::Value>,
}

impl PageContext {
    fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.values
            .insert(key, tera::Value::from_serializable(value));
    }

    /// A 128-bit hash of the template name and the context: equal hashes, equal pages.
    fn fingerprint(&self, template: &str) -> u128 {
        let mut hasher = siphasher::sip128::SipHasher13::new();
        template.hash(&mut hasher);
        for (key, value) in &self.values {
            key.hash(&mut hasher);
            hash_value(value, &mut hasher);
        }
        siphasher::sip128::Hasher128::finish128(&hasher).as_u128()
    }

    fn into_tera(self) -> tera::Context {
        let mut context = tera::Context::new();
        for (key, value) in self.values {
            context.insert_value(key, value);
        }
        context
    }
}

/// Feeds `value` to `hasher`: equal values, equal hashes, whatever order a map holds its keys in.
fn hash_value(value: &tera::Value, hasher: &mut impl Hasher) {
    use tera::value::ValueKind;
    let kind = value.kind();
    std::mem::discriminant(&kind).hash(hasher);
    match kind {
        ValueKind::Array => {
            let items = value.as_array().unwrap_or_default();
            items.len().hash(hasher);
            for item in items {
                hash_value(item, hasher);
            }
        }
        ValueKind::Map => {
            let Some(map) = value.as_map() else { return };
            // Keys compare and hash by their text, whether Tera holds them borrowed or owned.
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            entries.len().hash(hasher);
            for (key, value) in entries {
                key.hash(hasher);
                hash_value(value, hasher);
            }
        }
        ValueKind::String => {
            value.as_str().hash(hasher);
            value.is_safe().hash(hasher);
        }
        // Numbers, booleans, none: their text says all.
        _ => value.to_string().hash(hasher),
    }
}

/// The site-relative path of an article's page.
pub fn article_path(slug: &str) -> String {
    SitePath::Article(slug).text()
}

/// The site-relative path of an entity's page.
pub fn entity_path(kind: EntityKind, slug: &str) -> String {
    SitePath::Entity(kind, slug).text()
}

/// A site-relative path in a view. It is written into the page's context as the view is
/// serialised: the context's string is the only one made (a page lists hundreds of links).
#[derive(Clone, Copy)]
enum SitePath<'a> {
    Article(&'a str),
    /// A quotation's place: its article's page and the quotation's anchor.
    Quote {
        slug: &'a str,
        anchor: &'a str,
    },
    Entity(EntityKind, &'a str),
}

impl SitePath<'_> {
    /// The path in pieces, written one after the other: paths are made by the hundred thousand,
    /// and `write!` parsing a format for each cost more than the copying.
    fn pieces(&self) -> [&str; 4] {
        match *self {
            SitePath::Article(slug) => ["articles/", slug, ".html", ""],
            SitePath::Quote { slug, anchor } => ["articles/", slug, ".html#", anchor],
            SitePath::Entity(kind, slug) => [kind.folder(), "/", slug, ".html"],
        }
    }

    /// The path as a string of its own.
    fn text(&self) -> String {
        let pieces = self.pieces();
        let mut text = String::with_capacity(pieces.iter().map(|p| p.len()).sum());
        pieces.iter().for_each(|piece| text.push_str(piece));
        text
    }
}

impl std::fmt::Display for SitePath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.pieces()
            .iter()
            .try_for_each(|piece| f.write_str(piece))
    }
}

impl Serialize for SitePath<'_> {
    /// A path is written on the stack and copied once into the context: written into a growing
    /// string, it took three or four reallocations.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buffer = StackText::<160>::new();
        let fits = self
            .pieces()
            .iter()
            .try_for_each(|piece| std::fmt::Write::write_str(&mut buffer, piece));
        if fits.is_ok() {
            serializer.serialize_str(buffer.as_str())
        } else {
            serializer.serialize_str(&self.text())
        }
    }
}

/// A short text written into a fixed buffer; a write that does not fit fails (a path of a slug of
/// more than about 140 bytes, which then takes the slower way).
struct StackText<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> StackText<N> {
    fn new() -> Self {
        StackText {
            bytes: [0; N],
            len: 0,
        }
    }

    fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so the bytes are UTF-8.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl<const N: usize> std::fmt::Write for StackText<N> {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        let end = self.len + text.len();
        let room = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        room.copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The site's navigation: each item's label and page.
fn nav_items() -> Vec<(&'static str, String)> {
    [
        ("Home", "index.html".to_string()),
        ("Articles", ARTICLE_LIST.to_string()),
        ("Quotes", QUOTE_LIST.to_string()),
        ("Timeline", TIMELINE.to_string()),
    ]
    .into_iter()
    .chain(EntityKind::ALL.map(|k| (k.plural_label(), entity_index_path(k))))
    .chain([
        ("Relations", "relations.html".to_string()),
        ("Search", "search.html".to_string()),
    ])
    .collect()
}

/// The site-relative path of the index page of a kind.
pub fn entity_index_path(kind: EntityKind) -> String {
    format!("{}/index.html", kind.folder())
}

struct Page {
    path: String,
    template: &'static str,
    context: PageContext,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: Option<&'a str>,
    language: &'a str,
    base_url: Option<&'a str>,
}

#[derive(Serialize)]
struct PageView {
    /// What kind of page: home, article, article_list, entity, entity_list, 404.
    kind: &'static str,
    title: String,
    path: String,
    description: Option<String>,
    canonical_url: Option<String>,
}

#[derive(Serialize)]
struct NavItem {
    label: &'static str,
    path: String,
    current: bool,
}

// The views below borrow their texts from the site: serialising a view into the page's context
// makes each string once.

#[derive(Serialize)]
struct Link<'a> {
    name: &'a str,
    path: SitePath<'a>,
}

#[derive(Serialize)]
struct ArticleItem<'a> {
    title: &'a str,
    path: SitePath<'a>,
    /// YYYY-MM-DD, for `<time datetime>`.
    #[serde(serialize_with = "dates::serialize_iso")]
    date: Option<NaiveDate>,
    /// "13 September 2022".
    #[serde(serialize_with = "dates::serialize_long")]
    date_display: Option<NaiveDate>,
    outlet: Option<&'a str>,
    author: Option<&'a str>,
    summary: Option<&'a str>,
}

#[derive(Serialize)]
struct ArticleView<'a> {
    #[serde(flatten)]
    item: ArticleItem<'a>,
    title_html: &'a str,
    url: Option<&'a str>,
    tags: &'a [String],
    draft: bool,
    body_html: &'a str,
    countries: Vec<Link<'a>>,
    organisations: Vec<Link<'a>>,
    people: Vec<Link<'a>>,
    quotes: Vec<tera::Value>,
}

#[derive(Serialize)]
struct QuoteView<'a> {
    text: &'a str,
    partial: bool,
    speaker: &'a str,
    /// The speaker's page, when the speaker has one.
    speaker_path: Option<SitePath<'a>>,
    speaker_kind: &'static str,
    /// The page of the country or organisation a body belongs to.
    belongs_to: Option<Link<'a>>,
    article_title: &'a str,
    /// The quotation's place: its article's page and anchor.
    path: SitePath<'a>,
    #[serde(serialize_with = "dates::serialize_long")]
    date_display: Option<NaiveDate>,
}

#[derive(Serialize)]
struct Fact {
    label: &'static str,
    value: String,
}

#[derive(Serialize)]
struct RelatedItem {
    name: String,
    path: String,
    kind: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct SpeakerGroup {
    /// How many quotations the speaker has in all (a group may go on over several pages), on the
    /// page the group begins: on the pages it goes on over, each quotation of the speaker's
    /// added would change them all.
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<usize>,
    /// Whether the group began on an earlier page.
    continued: bool,
    speaker: String,
    speaker_path: Option<String>,
    speaker_kind: &'static str,
    anchor: String,
    quotes: Vec<tera::Value>,
}

#[derive(Serialize)]
struct EntityItem {
    name: String,
    path: String,
    article_count: usize,
}

#[derive(Serialize)]
struct EntityView<'a> {
    kind: &'static str,
    kind_label: &'static str,
    kind_index_path: String,
    name: String,
    path: String,
    aliases: Vec<String>,
    summary: Option<String>,
    role: Option<String>,
    country: Option<String>,
    organisation: Option<String>,
    note_html: Option<String>,
    /// How many articles mention the entity, on all its pages.
    article_count: usize,
    /// This page's articles by month, each with its quotations by or about the entity (the page's
    /// only list of its articles: a flat copy beside it cost 2% of a build).
    timeline: Vec<TimelineMonth>,
    facts: Vec<Fact>,
    /// Organisations a country belongs to, or the member countries of an organisation.
    members: Vec<Link<'a>>,
    memberships: Vec<Link<'a>>,
    /// People tied to a country or organisation.
    people: Vec<Link<'a>>,
    country_link: Option<Link<'a>>,
    organisation_link: Option<Link<'a>>,
    /// On the first page only, the latest `page_size` of them; the timeline has every one.
    quotes_by: Vec<tera::Value>,
    quotes_about: Vec<tera::Value>,
    /// How many quotations are by or about the entity: on the first page only, with the lists,
    /// so that a quotation added leaves the later pages as they were.
    quote_by_count: Option<usize>,
    quote_about_count: Option<usize>,
    related: Vec<RelatedItem>,
}

/// A speaker in the quotation pages' index: where their quotations begin.
#[derive(Serialize)]
struct SpeakerLink {
    name: String,
    path: String,
    count: usize,
}

/// One month of a timeline: its articles in date order, each with its quotations.
#[derive(Serialize)]
struct TimelineMonth {
    /// "March 2024", or "Undated".
    label: String,
    /// The month's anchor: `2024-03`, or `undated`.
    id: String,
    entries: Vec<TimelineEntry>,
}

#[derive(Serialize)]
struct TimelineEntry {
    /// An [`ArticleItem`].
    article: tera::Value,
    /// [`QuoteView`]s.
    quotes: Vec<tera::Value>,
}

#[derive(Serialize)]
struct EntitySection {
    kind: &'static str,
    label: &'static str,
    path: String,
    total: usize,
    entities: Vec<EntityItem>,
}

/// One page to make.
#[derive(Debug, Clone, Copy)]
enum PageJob {
    Home,
    /// The list pages take a page number, from 1.
    ArticleList(usize),
    QuoteList(usize),
    NotFound,
    Timeline(usize),
    Relations,
    Search,
    Article(usize),
    EntityList(EntityKind),
    Entity(EntityKind, usize, usize),
}

/// The quotations of one speaker, as the quotation pages show them.
#[derive(Debug, PartialEq)]
struct QuoteGroup {
    name: String,
    anchor: String,
    quotes: Vec<usize>,
}

/// An entity's articles oldest first, and the quotations by or about it: made once per entity, not
/// once per page.
#[derive(Debug, PartialEq)]
struct EntityTimeline {
    chronological: Vec<usize>,
    /// Sorted.
    own: Vec<usize>,
    /// For each article of `chronological`, where its quotations by or about the entity are in
    /// `own`: found once, when the timeline is made, rather than on every page and page key.
    owned: Vec<std::ops::Range<u32>>,
}

impl EntityTimeline {
    /// The same timeline with its quotations' numbers moved by `shift`: `None` if one of them
    /// is gone. The articles and where each one's quotations are in `own` stay as they were.
    fn renumbered(mut self, shift: QuoteShift) -> Option<EntityTimeline> {
        for q in &mut self.own {
            *q = shift.map(*q)?;
        }
        Some(self)
    }

    /// The quotations by or about the entity of the article at `place` in `chronological`.
    fn owned_at(&self, place: usize) -> &[usize] {
        let range = &self.owned[place];
        &self.own[range.start as usize..range.end as usize]
    }
}

/// What the renderer makes from the whole site before any page: the orders and groupings the list
/// pages share. A rebuild's renderer takes the last one's and keeps what the site's change left as
/// it was.
#[derive(Debug, Default)]
pub(crate) struct SiteLists {
    /// The site these lists were made from, held so that its allocations are not reused.
    site: Option<Arc<Site>>,
    /// Every article oldest first, undated last: the timeline's order.
    chronological: Vec<usize>,
    /// The quotations by speaker: most quoted first, then by name; unknown speakers last.
    quote_groups: Vec<QuoteGroup>,
    /// Where each group starts in the quotation pages' order.
    group_starts: Vec<usize>,
    /// Where each quotation page starts in that order: breaks set by the quotations themselves
    /// ([`pager::content_defined_starts`]), so that a quotation added changes its own page only.
    quote_pages: Vec<usize>,
    /// Each quotation's mark for those breaks, by quotation number.
    quote_marks: Vec<u64>,
    /// Each entity's timeline, made once for all its pages (and for counting them).
    entity_timelines: PerKind<Vec<EntityTimeline>>,
}

impl SiteLists {
    /// The lists of `site`, taking from `last` (the last render's) what still holds.
    fn new(site: &Arc<Site>, last: SiteLists, page_size: usize) -> SiteLists {
        let mut steps = Steps::start("setup");
        // The site's order is newest first, ties by title: the reverse of a timeline's order, but
        // for ties, which keep their order within a day.
        let (mut chronological, undated): (Vec<usize>, Vec<usize>) =
            (0..site.articles.len()).partition(|&i| site.articles[i].article.date.is_some());
        chronological.sort_by_key(|&i| site.articles[i].article.date);
        chronological.extend(undated);
        let mut rank = vec![0; chronological.len()];
        for (place, &article) in chronological.iter().enumerate() {
            rank[article] = place;
        }
        steps.mark("order");
        let previous = last.site.as_deref();
        // Quotations keep their numbers and their articles when no article's range of them moved.
        let same_quote_numbers = previous.is_some_and(|old| {
            old.quotes.len() == site.quotes.len()
                && old.articles.len() == site.articles.len()
                && old
                    .articles
                    .iter()
                    .zip(&site.articles)
                    .all(|(a, b)| a.quotes == b.quotes)
        });
        let same_speakers = same_quote_numbers
            && previous.is_some_and(|old| {
                old.quotes.iter().zip(&site.quotes).all(|(a, b)| {
                    Arc::ptr_eq(a, b)
                        || (a.speaker.kind == SpeakerKind::Unknown)
                            == (b.speaker.kind == SpeakerKind::Unknown)
                            && a.speaker.name == b.speaker.name
                })
            });
        // A save that replaced one article's quotations moved the numbers of those after them by
        // one amount: the last groups and timelines are renumbered rather than made again.
        let shift = previous
            .filter(|old| !same_quote_numbers && old.articles.len() == site.articles.len())
            .map(|old| QuoteShift::of(old, site));
        let (quote_groups, group_starts) = if same_speakers {
            (last.quote_groups, last.group_starts)
        } else {
            let spliced = previous
                .zip(shift)
                .and_then(|(old, shift)| quote_groups_spliced(old, site, last.quote_groups, shift));
            let groups = match spliced {
                Some(groups) => {
                    debug_assert_eq!(groups, quote_groups(site), "spliced groups differ");
                    groups
                }
                None => quote_groups(site),
            };
            let starts = groups
                .iter()
                .scan(0, |start, group| {
                    let this = *start;
                    *start += group.quotes.len();
                    Some(this)
                })
                .collect();
            (groups, starts)
        };
        let quote_marks = quote_marks(site, previous, last.quote_marks);
        let marks: Vec<u64> = quote_groups
            .iter()
            .flat_map(|group| &group.quotes)
            .map(|&q| quote_marks[q])
            .collect();
        let quote_pages = pager::content_defined_starts(marks.len(), page_size, |at| marks[at]);
        steps.mark("quote groups");
        let same_order =
            (same_quote_numbers || shift.is_some()) && chronological == last.chronological;
        // An entity's timeline stands while its lists do, in the same order of articles.
        let mut last_timelines = last.entity_timelines;
        let entity_timelines = PerKind::from_fn(|kind| {
            let entities = site.entities.get(kind);
            let old_entities = previous
                .filter(|_| same_order)
                .map_or(&[][..], |old| old.entities.get(kind).as_slice());
            let mut old_timelines: Vec<Option<EntityTimeline>> =
                std::mem::take(last_timelines.get_mut(kind))
                    .into_iter()
                    .map(Some)
                    .collect();
            if old_entities.len() != entities.len() {
                old_timelines.clear();
            }
            old_timelines.resize_with(entities.len(), || None);
            entities
                .par_iter()
                .zip(old_timelines)
                .enumerate()
                .map(|(i, (entity, old_timeline))| {
                    let kept = old_entities
                        .get(i)
                        .filter(|old| entity.articles == old.articles)
                        .zip(old_timeline)
                        .and_then(|(old, timeline)| match shift {
                            None => (entity.quotes_by == old.quotes_by
                                && entity.quotes_about == old.quotes_about)
                                .then_some(timeline),
                            Some(shift) => (shift.maps(&old.quotes_by, &entity.quotes_by)
                                && shift.maps(&old.quotes_about, &entity.quotes_about))
                            .then(|| timeline.renumbered(shift))
                            .flatten(),
                        });
                    match kept {
                        Some(timeline) => {
                            debug_assert_eq!(
                                timeline,
                                entity_timeline(site, entity, &rank),
                                "a kept timeline differs"
                            );
                            timeline
                        }
                        None => entity_timeline(site, entity, &rank),
                    }
                })
                .collect()
        });
        steps.mark("entity timelines");
        // The last site may be held by nothing else now: freeing it is no work for this render.
        if last.site.is_some() {
            crate::parallel::drop_in_background((last.site, last.chronological));
        }
        SiteLists {
            site: Some(Arc::clone(site)),
            chronological,
            quote_groups,
            group_starts,
            quote_pages,
            quote_marks,
            entity_timelines,
        }
    }
}

struct Renderer<'a> {
    config: &'a SiteConfig,
    /// Shared: the render's kept lists and keys hold the site they were made from.
    site: &'a Arc<Site>,
    annotations: &'a annotate::AnnotationMemo,
    lists: SiteLists,
    /// The site's navigation: label and page of each item.
    nav: Vec<(&'static str, String)>,
    /// The navigation's context value for each set of current items (a bit per item).
    nav_values: Vec<OnceLock<tera::Value>>,
    /// Each quotation's [`QuoteView`] and each article's [`ArticleItem`] as Tera values, made the
    /// first time a page shows them: a quotation is on five pages or so (its article's, its
    /// speaker's, the timeline's, the quotations list's, each named country's), and a Tera value
    /// is shared, not copied. At most [`SHARED_VALUES`] are kept; past that, values are made for
    /// each page as they were before.
    quote_values: Vec<OnceLock<tera::Value>>,
    article_values: Vec<OnceLock<tera::Value>>,
    shared_values: AtomicUsize,
}

/// How many quotation and article values a render keeps (about 1.5 kB each): all of them up to
/// some 20,000 articles, and a fixed 300 MB or so of memory beyond, so that memory still grows no
/// faster than the corpus.
const SHARED_VALUES: usize = 200_000;

impl<'a> Renderer<'a> {
    fn new(
        config: &'a SiteConfig,
        site: &'a Arc<Site>,
        annotations: &'a annotate::AnnotationMemo,
        last: SiteLists,
    ) -> Self {
        let nav = nav_items();
        let nav_values = std::iter::repeat_with(OnceLock::new)
            .take(1 << nav.len())
            .collect();
        Renderer {
            config,
            site,
            annotations,
            lists: SiteLists::new(site, last, config.page_size.max(1)),
            nav,
            nav_values,
            quote_values: std::iter::repeat_with(OnceLock::new)
                .take(site.quotes.len())
                .collect(),
            article_values: std::iter::repeat_with(OnceLock::new)
                .take(site.articles.len())
                .collect(),
            shared_values: AtomicUsize::new(0),
        }
    }

    fn page_size(&self) -> usize {
        self.config.page_size.max(1)
    }

    fn entity_timeline(&self, kind: EntityKind, index: usize) -> &EntityTimeline {
        &self.lists.entity_timelines.get(kind)[index]
    }

    /// What a slice of a timeline covers: "March 2022 – May 2022", "Undated".
    fn period(&self, articles: &[usize]) -> Option<String> {
        let month = |i: &usize| {
            self.site.articles[*i]
                .article
                .date
                .map_or("undated".to_string(), dates::month)
        };
        let first = month(articles.first()?);
        let last = month(articles.last()?);
        let mut label = if first == last {
            first
        } else {
            format!("{first} – {last}")
        };
        if let Some(initial) = label.get(..1) {
            label = initial.to_uppercase() + &label[1..];
        }
        Some(label)
    }

    /// Every page of the site, as work that can be done in any order.
    fn jobs(&self) -> Vec<PageJob> {
        let size = self.page_size();
        let article_pages = page_count(self.site.articles.len(), size);
        let mut jobs = vec![
            PageJob::Home,
            PageJob::NotFound,
            PageJob::Relations,
            PageJob::Search,
        ];
        jobs.extend((1..=article_pages).map(PageJob::ArticleList));
        jobs.extend((1..=article_pages).map(PageJob::Timeline));
        jobs.extend((1..=self.lists.quote_pages.len()).map(PageJob::QuoteList));
        jobs.extend((0..self.site.articles.len()).map(PageJob::Article));
        for kind in EntityKind::ALL {
            jobs.push(PageJob::EntityList(kind));
            for i in 0..self.site.entities.get(kind).len() {
                let pages = page_count(self.entity_timeline(kind, i).chronological.len(), size);
                jobs.extend((1..=pages).map(|n| PageJob::Entity(kind, i, n)));
            }
        }
        jobs
    }

    /// The path of the page `job` makes, without making it.
    fn path_of(&self, job: PageJob) -> String {
        match job {
            PageJob::Home => "index.html".into(),
            PageJob::ArticleList(n) => page_path(ARTICLE_LIST, n),
            PageJob::QuoteList(n) => page_path(QUOTE_LIST, n),
            PageJob::NotFound => "404.html".into(),
            PageJob::Timeline(n) => page_path(TIMELINE, n),
            PageJob::Relations => "relations.html".into(),
            PageJob::Search => "search.html".into(),
            PageJob::Article(i) => article_path(&self.site.articles[i].article.slug),
            PageJob::EntityList(kind) => entity_index_path(kind),
            PageJob::Entity(kind, i, n) => {
                page_path(&entity_path(kind, &self.site.entities.get(kind)[i].slug), n)
            }
        }
    }

    fn page_of(&self, job: PageJob) -> Page {
        match job {
            PageJob::Home => self.home(),
            PageJob::ArticleList(number) => self.article_list(number),
            PageJob::QuoteList(number) => self.quote_list(number),
            PageJob::NotFound => self.not_found(),
            PageJob::Timeline(number) => self.timeline_page(number),
            PageJob::Relations => {
                let mut page = self.page(
                    "relations",
                    "relations.html".into(),
                    "Relations".into(),
                    Some(format!(
                        "{}: which countries and organisations the articles mention together.",
                        self.config.title
                    )),
                    "relations.html",
                );
                let (svg, pairs) = relations::overview(self.site, "");
                page.context.insert("svg", &svg);
                page.context.insert("pairs", &pairs);
                page
            }
            PageJob::Search => self.page(
                "search",
                "search.html".into(),
                "Search".into(),
                None,
                "search.html",
            ),
            PageJob::Article(i) => self.article(&self.site.articles[i]),
            PageJob::EntityList(kind) => self.entity_list(kind),
            PageJob::Entity(kind, i, number) => self.entity(kind, i, number),
        }
    }

    /// The context every page has: `site`, `page`, `root` and `nav`.
    fn page(
        &self,
        kind: &'static str,
        path: String,
        title: String,
        description: Option<String>,
        template: &'static str,
    ) -> Page {
        let depth = path.matches('/').count();
        let root = if kind == "404" {
            // The 404 page is served at any depth, so it links from the site's absolute root.
            self.config
                .base_url
                .as_deref()
                .map_or("/".to_string(), |base| {
                    url::Url::parse(base).map_or("/".to_string(), |u| u.path().to_string())
                })
        } else {
            "../".repeat(depth)
        };
        let canonical_url = self.config.base_url.as_ref().map(|base| {
            let clean = path.strip_suffix("index.html").unwrap_or(&path);
            format!("{base}{clean}")
        });
        let section = path.split('/').next().unwrap_or("");
        // Which items are current, as bits: the nav's value is made once for each such choice.
        let current = self
            .nav
            .iter()
            .enumerate()
            .fold(0usize, |bits, (n, (_, target))| {
                let is_current = *target == path
                    || (target != "index.html"
                        && target
                            .strip_prefix(section)
                            .is_some_and(|rest| rest.starts_with('/') || rest == ".html"));
                bits | (usize::from(is_current) << n)
            });
        let nav = self.nav_values[current].get_or_init(|| {
            let items: Vec<NavItem> = self
                .nav
                .iter()
                .enumerate()
                .map(|(n, (label, target))| NavItem {
                    label,
                    path: target.clone(),
                    current: current & (1 << n) != 0,
                })
                .collect();
            tera::Value::from_serializable(&items)
        });
        let mut context = PageContext::default();
        context.insert(
            "site",
            &SiteView {
                title: &self.config.title,
                description: self.config.description.as_deref(),
                language: &self.config.language,
                base_url: self.config.base_url.as_deref(),
            },
        );
        // Every link of every page starts with the root, and Tera's escaping of it at each use
        // cost 2% of the templates' instructions: a root escaping leaves as it is ("../../", most
        // base URLs' paths) is handed over as safe. One it would change stays a plain string, so
        // that a template's expressions on it (`root ~ "x"`, comparisons) see its own text.
        let root = if templates::escape_html(&root) == root {
            tera::Value::safe_string(&root)
        } else {
            tera::Value::from(root)
        };
        context.values.insert("root", root);
        context.values.insert("nav", nav.clone());
        // An entity page sets its own feed; the site's feed is linked from every page.
        context.insert("entity_feed", &None::<String>);
        context.insert(
            "page",
            &PageView {
                kind,
                title,
                path: path.clone(),
                description: description.or_else(|| self.config.description.clone()),
                canonical_url,
            },
        );
        Page {
            path,
            template,
            context,
        }
    }

    fn home(&self) -> Page {
        let home = self.site.home.as_ref();
        let title = home
            .and_then(|h| h.title.clone())
            .unwrap_or_else(|| self.config.title.clone());
        let mut page = self.page("home", "index.html".into(), title, None, "home.html");
        let intro_html = home.map(|h| markdown::markdown_to_html(&h.body, self.config.trust_html));
        page.context.insert("intro_html", &intro_html);
        let latest: Vec<ArticleItem> = self
            .site
            .articles
            .iter()
            .take(self.config.home_articles)
            .map(article_item)
            .collect();
        page.context.insert("latest", &latest);
        page.context
            .insert("article_count", &self.site.articles.len());
        let sections: Vec<EntitySection> = EntityKind::ALL
            .iter()
            .map(|&kind| {
                let mut entities: Vec<&Entity> = self.site.entities.get(kind).iter().collect();
                // Most mentioned first; the sort is stable, so ties stay in name order.
                entities.sort_by_key(|e| std::cmp::Reverse(e.articles.len()));
                EntitySection {
                    kind: kind.singular(),
                    label: kind.plural_label(),
                    path: entity_index_path(kind),
                    total: entities.len(),
                    entities: entities
                        .into_iter()
                        .take(HOME_ENTITIES)
                        .map(entity_item)
                        .collect(),
                }
            })
            .collect();
        page.context.insert("sections", &sections);
        page
    }

    fn article_list(&self, number: usize) -> Page {
        let count = self.site.articles.len();
        let (mut page, total) = self.list_page(
            ("article_list", "article_list.html"),
            (ARTICLE_LIST, number, count),
            "Articles",
            None,
        );
        // The site's order is the list's: newest first, undated last.
        let (dated, undated): (Vec<&DerivedArticle>, Vec<&DerivedArticle>) = self.site.articles
            [page_range(count, self.page_size(), number)]
        .iter()
        .partition(|a| a.article.date.is_some());
        page.context.insert("article_count", &count);
        page.context.insert(
            "pager",
            &pager::pager(ARTICLE_LIST, number, total, |_| None),
        );
        page.context.insert(
            "articles",
            &dated.into_iter().map(article_item).collect::<Vec<_>>(),
        );
        page.context.insert(
            "undated",
            &undated.into_iter().map(article_item).collect::<Vec<_>>(),
        );
        page
    }

    fn article(&self, derived: &DerivedArticle) -> Page {
        let article = &derived.article;
        let mut page = self.page(
            "article",
            article_path(&article.slug),
            article.title.clone(),
            article.summary.clone(),
            "article.html",
        );
        let annotated = annotate::annotated_article(
            self.site,
            derived,
            "../",
            self.config.trust_html,
            self.annotations,
        );
        let (title_html, body_html) = (&annotated.0, &annotated.1);
        let links = |kind: EntityKind| -> Vec<Link<'_>> {
            derived
                .mentioned
                .get(kind)
                .iter()
                .map(|&i| {
                    let entity = &self.site.entities.get(kind)[i];
                    Link {
                        name: &entity.name,
                        path: SitePath::Entity(kind, &entity.slug),
                    }
                })
                .collect()
        };
        let view = ArticleView {
            item: article_item(derived),
            title_html,
            quotes: derived
                .quotes
                .clone()
                .map(|q| self.quote_value(q))
                .collect(),
            url: article.url.as_deref(),
            tags: &article.tags,
            draft: article.draft,
            body_html,
            countries: links(EntityKind::Country),
            organisations: links(EntityKind::Organisation),
            people: links(EntityKind::Person),
        };
        page.context.insert("article", &view);
        page
    }

    fn entity_list(&self, kind: EntityKind) -> Page {
        let mut page = self.page(
            "entity_list",
            entity_index_path(kind),
            kind.plural_label().into(),
            None,
            "entity_list.html",
        );
        let entities: Vec<EntityItem> = self
            .site
            .entities
            .get(kind)
            .iter()
            .map(entity_item)
            .collect();
        page.context.insert("kind", kind.singular());
        page.context.insert("kind_label", kind.plural_label());
        page.context.insert("entities", &entities);
        page
    }

    fn entity(&self, kind: EntityKind, index: usize, number: usize) -> Page {
        let entity = &self.site.entities.get(kind)[index];
        let size = self.page_size();
        let first_page = number == 1;
        let timeline = self.entity_timeline(kind, index);
        let count = timeline.chronological.len();
        let total = page_count(count, size);
        let first = entity_path(kind, &entity.slug);
        let places = page_range(count, size, number);
        let articles = &timeline.chronological[places.clone()];
        let note = entity.note.as_ref();
        let description = note.and_then(|n| n.summary.clone()).or_else(|| {
            Some(format!(
                "{}: what the briefing's articles say, {} in all.",
                entity.name,
                entity.articles.len()
            ))
        });
        let mut page = self.page(
            "entity",
            page_path(&first, number),
            numbered(&entity.name, number, total),
            description,
            "entity.html",
        );
        page.context.insert(
            "pager",
            &pager::pager(&first, number, total, |n| {
                self.period(&timeline.chronological[page_range(count, size, n)])
            }),
        );
        page.context
            .insert("entity_feed", &feeds::entity_feed_path(kind, &entity.slug));
        let view = EntityView {
            kind: kind.singular(),
            kind_label: kind.plural_label(),
            kind_index_path: entity_index_path(kind),
            name: entity.name.clone(),
            path: entity_path(kind, &entity.slug),
            aliases: entity.aliases(),
            summary: note.and_then(|n| n.summary.clone()),
            role: entity.role.clone(),
            country: entity.person_country.clone(),
            organisation: entity.person_organisation.clone(),
            note_html: note
                .filter(|n| first_page && !n.body.trim().is_empty())
                .map(|n| markdown::markdown_to_html(&n.body, self.config.trust_html)),
            article_count: count,
            // Under each article, the quotations of it that are by or about the entity.
            timeline: self.timeline(articles, |n, _| {
                timeline.owned_at(places.start + n).to_vec()
            }),
            // The rest of the page is the first page's: later pages go on with the timeline only.
            facts: first_page_only(first_page, || facts(entity)),
            members: first_page_only(first_page, || self.members(entity)),
            memberships: first_page_only(first_page, || self.memberships(entity)),
            people: first_page_only(first_page, || self.people_of(entity)),
            country_link: entity
                .person_country
                .as_deref()
                .and_then(|c| self.link_by_id(EntityKind::Country, c)),
            organisation_link: entity
                .person_organisation
                .as_deref()
                .and_then(|o| self.link_by_id(EntityKind::Organisation, o)),
            quotes_by: first_page_only(first_page, || {
                self.quote_views(&entity.quotes_by[..entity.quotes_by.len().min(size)])
            }),
            quotes_about: first_page_only(first_page, || {
                self.quote_views(&entity.quotes_about[..entity.quotes_about.len().min(size)])
            }),
            quote_by_count: first_page.then_some(entity.quotes_by.len()),
            quote_about_count: first_page.then_some(entity.quotes_about.len()),
            related: first_page_only(first_page, || self.related(entity)),
        };
        page.context.insert("entity", &view);
        page
    }

    fn quote_list(&self, number: usize) -> Page {
        let count = self.site.quotes.len();
        let starts = &self.lists.quote_pages;
        let total = starts.len();
        let mut page = self.page(
            "quote_list",
            page_path(QUOTE_LIST, number),
            numbered("Quotes", number, total),
            None,
            "quote_list.html",
        );
        let range = pager::range_at(starts, count, number);
        // The groups this page shows part of: from the one holding its first quotation on.
        let first_group = self
            .lists
            .group_starts
            .partition_point(|&start| start <= range.start)
            .saturating_sub(1);
        let mut groups = Vec::new();
        for (group, &start) in self.lists.quote_groups[first_group..]
            .iter()
            .zip(&self.lists.group_starts[first_group..])
        {
            if start >= range.end {
                break;
            }
            let from = range.start.max(start) - start;
            let to = range.end.min(start + group.quotes.len()) - start;
            let first_quote = &self.site.quotes[group.quotes[0]];
            groups.push(SpeakerGroup {
                count: (from == 0).then_some(group.quotes.len()),
                continued: from > 0,
                speaker: group.name.clone(),
                speaker_path: first_quote.speaker.entity.map(|e| self.entity_path_of(e)),
                speaker_kind: first_quote.speaker.kind.as_str(),
                anchor: group.anchor.clone(),
                quotes: self.quote_views(&group.quotes[from..to]),
            });
        }
        // The index of speakers is on the first page, and leads to where each one's quotations begin.
        let speakers: Vec<SpeakerLink> = if number == 1 {
            self.lists
                .quote_groups
                .iter()
                .zip(&self.lists.group_starts)
                .map(|(group, &start)| SpeakerLink {
                    name: group.name.clone(),
                    path: format!(
                        "{}#{}",
                        page_path(QUOTE_LIST, starts.partition_point(|&s| s <= start)),
                        group.anchor
                    ),
                    count: group.quotes.len(),
                })
                .collect()
        } else {
            Vec::new()
        };
        page.context.insert("groups", &groups);
        page.context.insert("speakers", &speakers);
        // The count is the first page's, with the index: on every page, each quotation added
        // would change them all.
        if number == 1 {
            page.context.insert("quote_count", &count);
        }
        page.context
            .insert("pager", &pager::pager(QUOTE_LIST, number, total, |_| None));
        page
    }

    /// Page `number` of a site-wide list of `count` items whose first page is `first`, with the
    /// common context, and how many pages the list has.
    fn list_page(
        &self,
        (kind, template): (&'static str, &'static str),
        (first, number, count): (&str, usize, usize),
        title: &str,
        description: Option<String>,
    ) -> (Page, usize) {
        let total = page_count(count, self.page_size());
        let page = self.page(
            kind,
            page_path(first, number),
            numbered(title, number, total),
            description,
            template,
        );
        (page, total)
    }

    fn timeline_page(&self, number: usize) -> Page {
        let count = self.site.articles.len();
        let size = self.page_size();
        let (mut page, total) = self.list_page(
            ("timeline", "timeline.html"),
            (TIMELINE, number, count),
            "Timeline",
            Some(format!(
                "{}: the articles and their quotations, month by month.",
                self.config.title
            )),
        );
        let months = self.timeline(
            &self.lists.chronological[page_range(count, size, number)],
            |_, article| self.site.articles[article].quotes.clone().collect(),
        );
        page.context.insert("months", &months);
        page.context.insert(
            "pager",
            &pager::pager(TIMELINE, number, total, |n| {
                self.period(&self.lists.chronological[page_range(count, size, n)])
            }),
        );
        // The counts are the first page's: on every page, each quotation added would change
        // them all.
        if number == 1 {
            page.context
                .insert("article_count", &self.site.articles.len());
            page.context.insert("quote_count", &self.site.quotes.len());
        }
        page
    }

    /// `articles` (indexes, oldest first, undated last, as `chronological` has them) by month;
    /// under each, the quotations `quotes_of(n, article)` gives for the `n`th of them.
    fn timeline(
        &self,
        articles: &[usize],
        quotes_of: impl Fn(usize, usize) -> Vec<usize>,
    ) -> Vec<TimelineMonth> {
        let mut months: Vec<TimelineMonth> = Vec::new();
        for (n, &i) in articles.iter().enumerate() {
            let derived = &self.site.articles[i];
            let id = derived
                .article
                .date
                .map_or("undated".to_string(), dates::month_key);
            if months.last().is_none_or(|m| m.id != id) {
                months.push(TimelineMonth {
                    label: derived
                        .article
                        .date
                        .map_or("Undated".to_string(), dates::month),
                    id,
                    entries: Vec::new(),
                });
            }
            let quotes = quotes_of(n, i);
            months
                .last_mut()
                .expect("pushed")
                .entries
                .push(TimelineEntry {
                    article: self.article_value(i),
                    quotes: self.quote_views(&quotes),
                });
        }
        months
    }

    fn site_path_of(&self, entity: EntityRef) -> SitePath<'_> {
        SitePath::Entity(entity.0, &self.site.entity(entity).slug)
    }

    fn entity_path_of(&self, entity: EntityRef) -> String {
        self.site_path_of(entity).text()
    }

    fn link_to(&self, entity: EntityRef) -> Link<'_> {
        Link {
            name: &self.site.entity(entity).name,
            path: self.site_path_of(entity),
        }
    }

    /// A link to the entity with the given id, when the site has a page for it.
    fn link_by_id(&self, kind: EntityKind, id: &str) -> Option<Link<'_>> {
        let index = self
            .site
            .entities
            .get(kind)
            .iter()
            .position(|e| e.id == id || e.name == id)?;
        Some(self.link_to((kind, index)))
    }

    fn quote_view<'s>(&'s self, quote: &'s Quote) -> QuoteView<'s> {
        let article = &self.site.articles[quote.article].article;
        QuoteView {
            text: display_text(&quote.text, quote.partial),
            partial: quote.partial,
            speaker: &quote.speaker.name,
            speaker_path: quote.speaker.entity.map(|e| self.site_path_of(e)),
            speaker_kind: quote.speaker.kind.as_str(),
            belongs_to: quote
                .speaker
                .belongs_to
                .filter(|_| quote.speaker.kind == SpeakerKind::Body)
                .map(|e| self.link_to(e)),
            article_title: &article.title,
            path: SitePath::Quote {
                slug: &article.slug,
                anchor: &quote.anchor,
            },
            date_display: article.date,
        }
    }

    /// Quotation `q`'s [`QuoteView`] as a Tera value, made once while the budget lasts.
    fn quote_value(&self, q: usize) -> tera::Value {
        self.shared_value(&self.quote_values[q], || {
            tera::Value::from_serializable(&self.quote_view(&self.site.quotes[q]))
        })
    }

    fn quote_views(&self, quotes: &[usize]) -> Vec<tera::Value> {
        quotes.iter().map(|&q| self.quote_value(q)).collect()
    }

    /// Article `i`'s [`ArticleItem`] as a Tera value, made once while the budget lasts.
    fn article_value(&self, i: usize) -> tera::Value {
        self.shared_value(&self.article_values[i], || {
            tera::Value::from_serializable(&article_item(&self.site.articles[i]))
        })
    }

    /// The value in `slot`, made by `make` and kept there if [`SHARED_VALUES`] allows.
    fn shared_value(
        &self,
        slot: &OnceLock<tera::Value>,
        make: impl FnOnce() -> tera::Value,
    ) -> tera::Value {
        if let Some(value) = slot.get() {
            return value.clone();
        }
        // Two threads may both count one slot: the budget is approximate, never exceeded by much.
        let kept = &self.shared_values;
        if kept.load(Ordering::Relaxed) < SHARED_VALUES
            && kept.fetch_add(1, Ordering::Relaxed) < SHARED_VALUES
        {
            slot.get_or_init(make).clone()
        } else {
            make()
        }
    }

    /// For an organisation, its member countries that the site has pages for, then the others by name.
    fn members(&self, entity: &Entity) -> Vec<Link<'_>> {
        let Some(org) = &entity.organisation else {
            return Vec::new();
        };
        org.members
            .iter()
            .filter_map(|code| self.link_by_id(EntityKind::Country, code))
            .collect()
    }

    /// For a country, the organisations of the site it is a member of.
    fn memberships(&self, entity: &Entity) -> Vec<Link<'_>> {
        if entity.kind != EntityKind::Country {
            return Vec::new();
        }
        self.site
            .entities
            .get(EntityKind::Organisation)
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                o.organisation
                    .as_ref()
                    .is_some_and(|r| r.members.contains(&entity.id))
            })
            .map(|(i, _)| self.link_to((EntityKind::Organisation, i)))
            .collect()
    }

    /// People tied to a country or organisation by their role.
    fn people_of(&self, entity: &Entity) -> Vec<Link<'_>> {
        if entity.kind == EntityKind::Person {
            return Vec::new();
        }
        self.site
            .entities
            .get(EntityKind::Person)
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                p.person_country.as_deref() == Some(entity.id.as_str())
                    || p.person_organisation.as_deref() == Some(entity.id.as_str())
            })
            .map(|(i, _)| self.link_to((EntityKind::Person, i)))
            .collect()
    }

    /// The countries and organisations most often mentioned in the same articles, with counts.
    fn related(&self, entity: &Entity) -> Vec<RelatedItem> {
        let mut counts: BTreeMap<EntityRef, usize> = BTreeMap::new();
        for &article in &entity.articles {
            for kind in [EntityKind::Country, EntityKind::Organisation] {
                for &other in self.site.articles[article].mentioned.get(kind) {
                    if (kind, &self.site.entities.get(kind)[other].id) != (entity.kind, &entity.id)
                    {
                        *counts.entry((kind, other)).or_default() += 1;
                    }
                }
            }
        }
        let mut related: Vec<(EntityRef, usize)> = counts.into_iter().collect();
        related.sort_by(|a, b| {
            (std::cmp::Reverse(a.1), &self.site.entity(a.0).name)
                .cmp(&(std::cmp::Reverse(b.1), &self.site.entity(b.0).name))
        });
        related
            .into_iter()
            .take(12)
            .map(|(e, count)| RelatedItem {
                name: self.site.entity(e).name.clone(),
                path: self.entity_path_of(e),
                kind: e.0.singular(),
                count,
            })
            .collect()
    }

    fn not_found(&self) -> Page {
        self.page(
            "404",
            "404.html".into(),
            "Page not found".into(),
            None,
            "404.html",
        )
    }
}

/// An entity's articles oldest first (`rank` is each article's place in the site's timeline), and
/// the quotations by or about it.
fn entity_timeline(site: &Site, entity: &Entity, rank: &[usize]) -> EntityTimeline {
    let mut own: Vec<usize> = entity
        .quotes_by
        .iter()
        .chain(&entity.quotes_about)
        .copied()
        .collect();
    own.sort_unstable();
    own.dedup();
    // The articles that mention it, and those of its quotations that do not (a person's words
    // filed under their country): the first page shows only the latest quotations, so the
    // timeline must hold every one. An article's quotations are numbered one after another, so
    // its number repeats only next to itself.
    let mut chronological = entity.articles.clone();
    let mut last = None;
    for &q in &own {
        let article = site.quotes[q].article;
        if last != Some(article) {
            chronological.push(article);
            last = Some(article);
        }
    }
    // `rank` orders articles without ties.
    chronological.sort_unstable_by_key(|&i| rank[i]);
    chronological.dedup();
    let owned = chronological
        .iter()
        .map(|&a| {
            let quotes = &site.articles[a].quotes;
            let start = own.partition_point(|&q| q < quotes.start);
            let end = start + own[start..].partition_point(|&q| q < quotes.end);
            start as u32..end as u32
        })
        .collect();
    EntityTimeline {
        chronological,
        own,
        owned,
    }
}

/// Each quotation's mark for the quotation pages' breaks: a hash of its words and its article's
/// slug, so that where it stands does not change it. The last render's marks are kept for the
/// quotations the site shares with it, matched from either end (a save splices its article's
/// quotations in between), since reading every quotation's words is most of the cost.
fn quote_marks(site: &Site, previous: Option<&Site>, last_marks: Vec<u64>) -> Vec<u64> {
    // The article's slug seeds the hash: one quotation repeated across articles (a spokesman's
    // line in every report) would otherwise set a break at each of its places.
    let mark = |q: usize| {
        let quote = &site.quotes[q];
        let slug = &site.articles[quote.article].article.slug;
        let seed = xxhash_rust::xxh3::xxh3_64(slug.as_bytes());
        xxhash_rust::xxh3::xxh3_64_with_seed(quote.text.as_bytes(), seed)
    };
    let old = match previous {
        Some(old) if old.quotes.len() == last_marks.len() => &old.quotes,
        _ => return (0..site.quotes.len()).map(mark).collect(),
    };
    let shift = QuoteShift::between(old, &site.quotes);
    let mut marks = Vec::with_capacity(site.quotes.len());
    marks.extend_from_slice(&last_marks[..shift.head]);
    marks.extend(shift.stretch().map(mark));
    marks.extend_from_slice(&last_marks[shift.old_after..]);
    marks
}

/// How the last render's quotation numbers become this one's after a save replaced one stretch of
/// them (an article's quotations): those before the stretch keep their numbers, those after it all
/// move by one amount, matched by allocation from either end.
#[derive(Debug, Clone, Copy)]
struct QuoteShift {
    /// The first number of the stretch, in both.
    head: usize,
    /// The first number after the stretch, in the last render and in this one.
    old_after: usize,
    new_after: usize,
}

impl QuoteShift {
    fn of(old: &Site, new: &Site) -> QuoteShift {
        QuoteShift::between(&old.quotes, &new.quotes)
    }

    fn between(old: &[Arc<Quote>], new: &[Arc<Quote>]) -> QuoteShift {
        let (head, tail) = common_ends(old, new, Arc::ptr_eq);
        QuoteShift {
            head,
            old_after: old.len() - tail,
            new_after: new.len() - tail,
        }
    }

    /// The number now of the last render's quotation `q`, unless it was in the stretch.
    fn map(self, q: usize) -> Option<usize> {
        if q < self.head {
            Some(q)
        } else if q >= self.old_after {
            Some(q - self.old_after + self.new_after)
        } else {
            None
        }
    }

    /// Whether the last render's list `old` is `new` renumbered.
    fn maps(self, old: &[usize], new: &[usize]) -> bool {
        old.len() == new.len() && old.iter().zip(new).all(|(&o, &n)| self.map(o) == Some(n))
    }

    /// This render's quotations that the last one did not have.
    fn stretch(self) -> std::ops::Range<usize> {
        self.head..self.new_after
    }
}

/// How many items `old` and `new` share at their start and, of the rest, at their end, by `same`:
/// what a save that replaced one stretch of a list (an article's quotations) left on either side.
fn common_ends<A, B>(old: &[A], new: &[B], same: impl Fn(&A, &B) -> bool) -> (usize, usize) {
    let head = old.iter().zip(new).take_while(|(a, b)| same(a, b)).count();
    let tail = old[head..]
        .iter()
        .rev()
        .zip(new[head..].iter().rev())
        .take_while(|(a, b)| same(a, b))
        .count();
    (head, tail)
}

/// The quotations by speaker: most quoted first, then by name; unknown speakers last. Each group has
/// an anchor unique in the site's quotation pages.
fn quote_groups(site: &Site) -> Vec<QuoteGroup> {
    let mut group_of: HashMap<(bool, &str), usize> = HashMap::new();
    let mut groups: Vec<((bool, &str), Vec<usize>)> = Vec::new();
    for (index, quote) in site.quotes.iter().enumerate() {
        let speaker = (
            quote.speaker.kind == SpeakerKind::Unknown,
            &*quote.speaker.name,
        );
        let group = *group_of.entry(speaker).or_insert_with(|| {
            groups.push((speaker, Vec::new()));
            groups.len() - 1
        });
        groups[group].1.push(index);
    }
    groups.sort_by(|a, b| group_order((a.0, &a.1), (b.0, &b.1)));
    let names: Vec<&str> = groups.iter().map(|((_, name), _)| *name).collect();
    let anchors = group_anchors(&names);
    groups
        .into_iter()
        .zip(anchors)
        .map(|(((_, name), quotes), anchor)| QuoteGroup {
            name: name.to_string(),
            anchor,
            quotes,
        })
        .collect()
}

/// The quotation pages' order of speakers' groups, each given by whether its speaker is unknown,
/// its name and its quotations: most quoted first, then by name; unknown speakers last.
fn group_order(a: ((bool, &str), &[usize]), b: ((bool, &str), &[usize])) -> std::cmp::Ordering {
    let ((a_unknown, a_name), a_quotes) = a;
    let ((b_unknown, b_name), b_quotes) = b;
    (a_unknown, std::cmp::Reverse(a_quotes.len()), a_name).cmp(&(
        b_unknown,
        std::cmp::Reverse(b_quotes.len()),
        b_name,
    ))
}

/// Each group's anchor, by its speaker's name in the groups' order. Two names may make one anchor
/// ("Five" and "FIVE"): later ones are numbered. A group that goes on over a page break heads the
/// next page with `<anchor>-continued`, so that form is taken too ("Smith" continued is not
/// "Smith Continued").
fn group_anchors(names: &[&str]) -> Vec<String> {
    let mut anchors: HashSet<String> = HashSet::new();
    names
        .iter()
        .map(|name| {
            let base = format!("by-{}", crate::slug::slugify(name));
            let mut anchor = base.clone();
            let mut n = 2;
            while anchors.contains(&anchor) || anchors.contains(&format!("{anchor}-continued")) {
                anchor = format!("{base}-{n}");
                n += 1;
            }
            anchors.insert(format!("{anchor}-continued"));
            anchors.insert(anchor.clone());
            anchor
        })
        .collect()
}

/// What [`quote_groups`] makes of `site`, from the last render's groups (of `old`): their
/// quotations renumbered by `shift`, the stretch's new ones put in their speakers' groups, and
/// the groups ordered again. Reading every quotation's speaker cost most of a save that added a
/// quotation. `None` when the stretch is long: looking each of its speakers up among the groups
/// would cost more.
fn quote_groups_spliced(
    old: &Site,
    site: &Site,
    last: Vec<QuoteGroup>,
    shift: QuoteShift,
) -> Option<Vec<QuoteGroup>> {
    const LONGEST_STRETCH: usize = 64;
    if shift.stretch().len() > LONGEST_STRETCH || last.iter().any(|g| g.quotes.is_empty()) {
        return None;
    }
    let unknown = |quote: &Quote| quote.speaker.kind == SpeakerKind::Unknown;
    let old_names: Vec<String> = last.iter().map(|g| g.name.clone()).collect();
    let mut groups: Vec<(bool, QuoteGroup)> = last
        .into_iter()
        .map(|mut group| {
            let was_unknown = unknown(&old.quotes[group.quotes[0]]);
            group.quotes.retain_mut(|q| match shift.map(*q) {
                Some(now) => {
                    *q = now;
                    true
                }
                None => false,
            });
            (was_unknown, group)
        })
        .collect();
    for q in shift.stretch() {
        let quote = &site.quotes[q];
        let key = (unknown(quote), &*quote.speaker.name);
        match groups
            .iter_mut()
            .find(|(u, g)| (*u, g.name.as_str()) == key)
        {
            Some((_, group)) => {
                let at = group.quotes.partition_point(|&other| other < q);
                group.quotes.insert(at, q);
            }
            None => groups.push((
                key.0,
                QuoteGroup {
                    name: key.1.to_string(),
                    anchor: String::new(),
                    quotes: vec![q],
                },
            )),
        }
    }
    groups.retain(|(_, group)| !group.quotes.is_empty());
    groups.sort_by(|(a_unknown, a), (b_unknown, b)| {
        group_order(
            ((*a_unknown, &a.name), &a.quotes),
            ((*b_unknown, &b.name), &b.quotes),
        )
    });
    // The anchors stand while the names keep their order.
    let same_names = groups.len() == old_names.len()
        && groups
            .iter()
            .zip(&old_names)
            .all(|((_, g), name)| g.name == *name);
    if !same_names {
        let names: Vec<&str> = groups.iter().map(|(_, g)| g.name.as_str()).collect();
        let anchors = group_anchors(&names);
        for ((_, group), anchor) in groups.iter_mut().zip(anchors) {
            group.anchor = anchor;
        }
    }
    Some(groups.into_iter().map(|(_, group)| group).collect())
}

/// What only an entity's first page shows: `make()` there, nothing on the later pages.
fn first_page_only<T>(first_page: bool, make: impl FnOnce() -> Vec<T>) -> Vec<T> {
    if first_page {
        make()
    } else {
        Vec::new()
    }
}

/// A list page's title: "Quotes", then "Quotes (page 2 of 9)".
fn numbered(title: &str, number: usize, total: usize) -> String {
    if total > 1 && number > 1 {
        format!("{title} (page {number} of {total})")
    } else {
        title.to_string()
    }
}

/// A quotation as lists show it: without the comma or stop that belonged to the sentence around it
/// (a fragment's ellipses are added by the template).
fn display_text(text: &str, partial: bool) -> &str {
    let trimmed = text.trim_end_matches([',', ';', ':', ' ']);
    if partial {
        trimmed.trim_end_matches('.')
    } else {
        trimmed
    }
}

/// Key facts from the reference data.
fn facts(entity: &Entity) -> Vec<Fact> {
    let mut facts = Vec::new();
    if let Some(country) = &entity.country {
        if country.official != country.name {
            facts.push(Fact {
                label: "Official name",
                value: country.official.clone(),
            });
        }
        if !country.capitals.is_empty() {
            facts.push(Fact {
                label: "Capital",
                value: country.capitals.join(", "),
            });
        }
        let region = [country.subregion.as_deref(), country.region.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>();
        if let Some(first) = region.first() {
            facts.push(Fact {
                label: "Region",
                value: first.to_string(),
            });
        }
        facts.push(Fact {
            label: "ISO codes",
            value: format!("{} / {}", country.code2, country.code3),
        });
    }
    if let Some(org) = &entity.organisation {
        if !org.acronyms.is_empty() {
            facts.push(Fact {
                label: "Acronym",
                value: org.acronyms.join(", "),
            });
        }
        if let Some(kind) = &org.kind {
            facts.push(Fact {
                label: "Kind",
                value: kind.clone(),
            });
        }
        if let Some(founded) = org.founded {
            facts.push(Fact {
                label: "Founded",
                value: founded.to_string(),
            });
        }
        if !org.members.is_empty() {
            facts.push(Fact {
                label: "Member states",
                value: org.members.len().to_string(),
            });
        }
    }
    facts
}

fn article_item(derived: &DerivedArticle) -> ArticleItem<'_> {
    let article = &derived.article;
    ArticleItem {
        title: &article.title,
        path: SitePath::Article(&article.slug),
        date: article.date,
        date_display: article.date,
        outlet: article.outlet.as_deref(),
        author: article.author.as_deref(),
        summary: article.summary.as_deref(),
    }
}

fn entity_item(entity: &Entity) -> EntityItem {
    EntityItem {
        name: entity.name.clone(),
        path: entity_path(entity.kind, &entity.slug),
        article_count: entity.articles.len(),
    }
}

/// The theme's `static/` files, then the site's `static/` files over them, by output path.
fn static_files(
    root: &Path,
    config: &SiteConfig,
    diagnostics: &mut Diagnostics,
) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if templates::uses_builtin_theme(config) {
        for (path, bytes) in builtin_theme::STATIC {
            files.insert(path.to_string(), bytes.to_vec());
        }
    }
    // Links are followed, but only to files inside the site: a link to a file elsewhere (a key in
    // the home folder) is not published by accident.
    let site_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for dir in [
        templates::theme_dir(root, config).join("static"),
        root.join("static"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        // A theme folder may itself be a link to a shared copy: its own files are its own.
        let static_root = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
        let inside = |path: &Path| {
            std::fs::canonicalize(path).is_ok_and(|target| {
                target.starts_with(&site_root) || target.starts_with(&static_root)
            })
        };
        // A linked folder that leads out of the site is not walked at all: one warning for it.
        let refused = std::cell::RefCell::new(Vec::new());
        let walker = WalkDir::new(&dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                let leaves =
                    entry.path_is_symlink() && entry.file_type().is_dir() && !inside(entry.path());
                if leaves {
                    refused.borrow_mut().push(entry.path().to_path_buf());
                }
                !leaves
            });
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    let path = err.path().unwrap_or(&dir).to_path_buf();
                    // An editor's lock file is a link to nowhere; walkdir trips on it before any
                    // filter sees its name.
                    let hidden = path
                        .file_name()
                        .is_some_and(|name| name.to_string_lossy().starts_with('.'));
                    if hidden {
                        continue;
                    }
                    let diagnostic = match err.loop_ancestor() {
                        Some(_) => Diagnostic::warning(
                            display_path(root, &path),
                            "this link leads back to a folder that holds it (a loop), so it is not followed",
                        )
                        .with_hint("remove the link"),
                        None => Diagnostic::error(display_path(root, &path), format!("cannot read: {err}")),
                    };
                    diagnostics.push(diagnostic);
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let path = relative.to_string_lossy().replace('\\', "/");
            if path.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            // Only a link can lead out: linked folders that do were not walked.
            if entry.path_is_symlink() && !inside(entry.path()) {
                diagnostics.push(
                    Diagnostic::warning(
                        display_path(root, entry.path()),
                        "this static file is a link to a file outside the site, so it is not published",
                    )
                    .with_hint("copy the file into static/ if it is meant to be public"),
                );
                continue;
            }
            match std::fs::read(entry.path()) {
                Ok(bytes) => {
                    files.insert(path, bytes);
                }
                Err(err) => diagnostics.push(
                    Diagnostic::error(
                        display_path(root, entry.path()),
                        format!("cannot read: {err}"),
                    )
                    .with_hint("check the file's permissions"),
                ),
            }
        }
        for path in refused.into_inner() {
            diagnostics.push(
                Diagnostic::warning(
                    display_path(root, &path),
                    "this static folder is a link to a folder outside the site, so nothing in it is published",
                )
                .with_hint("copy what is meant to be public into static/"),
            );
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_serialises_whole_however_long() {
        let long = "a".repeat(400);
        for (path, expected) in [
            (SitePath::Article("x"), "articles/x.html".to_string()),
            (
                SitePath::Quote {
                    slug: "x",
                    anchor: "q-2",
                },
                "articles/x.html#q-2".to_string(),
            ),
            (
                SitePath::Entity(EntityKind::Country, &long),
                format!("countries/{long}.html"),
            ),
        ] {
            assert_eq!(path.to_string(), expected);
            assert_eq!(path.text(), expected);
            assert_eq!(
                serde_json::to_value(path).unwrap(),
                serde_json::Value::String(expected)
            );
        }
    }

    fn files(paths: &[&str]) -> Vec<OutputFile> {
        paths
            .iter()
            .map(|path| OutputFile {
                path: path.to_string(),
                bytes: FileBytes::from(Arc::<[u8]>::from(path.as_bytes())),
            })
            .collect()
    }

    fn paths(files: &[OutputFile]) -> Vec<&str> {
        files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn pages_come_out_in_path_order_whether_the_last_order_holds_or_not() {
        let mut order = Vec::new();
        let first = in_path_order(files(&["c.html", "a.html", "b/1.html"]), &mut order);
        assert_eq!(paths(&first), ["a.html", "b/1.html", "c.html"]);
        assert_eq!(order, [1, 2, 0]);
        // The same paths in the same job order: the kept order serves.
        let again = in_path_order(files(&["c.html", "a.html", "b/1.html"]), &mut order);
        assert_eq!(paths(&again), ["a.html", "b/1.html", "c.html"]);
        // A renamed page, so the kept order no longer sorts them: sorted afresh, the order kept
        // for the next render relative to the job order.
        let renamed = in_path_order(files(&["c.html", "d.html", "b/1.html"]), &mut order);
        assert_eq!(paths(&renamed), ["b/1.html", "c.html", "d.html"]);
        assert_eq!(order, [2, 0, 1]);
        let next = in_path_order(files(&["c.html", "d.html", "b/1.html"]), &mut order);
        assert_eq!(paths(&next), ["b/1.html", "c.html", "d.html"]);
        // A page more: its bytes go with their path.
        let more = in_path_order(
            files(&["e.html", "c.html", "d.html", "b/1.html"]),
            &mut order,
        );
        assert_eq!(paths(&more), ["b/1.html", "c.html", "d.html", "e.html"]);
        assert!(more
            .iter()
            .all(|f| f.bytes.get().as_ref() == f.path.as_bytes()));
    }

    #[test]
    fn other_files_merge_into_the_pages_in_path_order() {
        let merged = merged_in_path_order(
            files(&["a.html", "countries/x.html", "search.html"]),
            files(&["atom.xml", "countries/x.xml", "search/index.js", "z.txt"]),
        );
        assert_eq!(
            paths(&merged),
            [
                "a.html",
                "atom.xml",
                "countries/x.html",
                "countries/x.xml",
                "search.html",
                "search/index.js",
                "z.txt"
            ]
        );
    }
}
