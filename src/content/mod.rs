//! The load stage: walks `content/`, reads every input file (articles, entity notes, the home page's
//! introduction) and parses its front matter into typed values, collecting a diagnostic for each
//! problem. Nothing here interprets article text; that is the derive stage's job.

mod article;
mod entity_note;
pub mod front_matter;

use std::collections::{HashMap, HashSet};
use std::ffi::OsStr;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use foldhash::fast::RandomState as FastHash;
use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{display_path, line_column, Diagnostic, Diagnostics};
use crate::progress;
use crate::timings::Steps;

pub use article::{Article, ArticleFormat, ARTICLE_KEYS};
pub use entity_note::{EntityNote, ENTITY_NOTE_KEYS};

/// The three kinds of entity a briefing site has a page for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    Country,
    Organisation,
    Person,
}

impl EntityKind {
    pub const ALL: [EntityKind; 3] = [
        EntityKind::Country,
        EntityKind::Organisation,
        EntityKind::Person,
    ];

    /// The folder under `content/` for notes, and under the output for pages.
    pub fn folder(self) -> &'static str {
        match self {
            EntityKind::Country => "countries",
            EntityKind::Organisation => "organisations",
            EntityKind::Person => "people",
        }
    }

    /// The front matter key under which an article lists names of this kind.
    pub fn key(self) -> &'static str {
        self.folder()
    }

    pub fn singular(self) -> &'static str {
        match self {
            EntityKind::Country => "country",
            EntityKind::Organisation => "organisation",
            EntityKind::Person => "person",
        }
    }

    pub fn plural_label(self) -> &'static str {
        match self {
            EntityKind::Country => "Countries",
            EntityKind::Organisation => "Organisations",
            EntityKind::Person => "People",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One value per entity kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct PerKind<T> {
    values: [T; 3],
}

impl<T> PerKind<T> {
    pub fn from_fn(mut make: impl FnMut(EntityKind) -> T) -> Self {
        Self {
            values: EntityKind::ALL.map(&mut make),
        }
    }

    pub fn get(&self, kind: EntityKind) -> &T {
        &self.values[kind.index()]
    }

    pub fn get_mut(&mut self, kind: EntityKind) -> &mut T {
        &mut self.values[kind.index()]
    }

    pub fn iter(&self) -> impl Iterator<Item = (EntityKind, &T)> {
        EntityKind::ALL.into_iter().zip(self.values.iter())
    }
}

/// The home page's introduction, from `content/_index.md`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HomeIntro {
    pub file: PathBuf,
    pub title: Option<String>,
    pub body: String,
}

/// Everything read from `content/`, before derivation.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    pub home: Option<HomeIntro>,
    /// Articles in path order; drafts only when the build asked for them.
    /// Shared with the load cache, so that an unchanged article is neither copied nor compared.
    pub articles: Vec<Arc<Article>>,
    pub notes: Vec<EntityNote>,
}

/// How to load: whether drafts take part.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    /// Called with the number of files listed, before any is read: work that the files' number
    /// decides can start beside the reading (the derive stage's gazetteer).
    pub on_listed: Option<fn(usize)>,
}

/// What the load stage keeps between builds of one site (`serve --watch`): each file's parse and
/// diagnostics, under its size and modification time, so that an unchanged file is not read again.
#[derive(Debug, Default)]
pub struct LoadCache {
    /// Under each path's bytes, as the walk spells them: a `Path` hashes and compares component
    /// by component, which made these lookups a tenth of a one-article rebuild.
    files: HashMap<Arc<OsStr>, CachedFile, FastHash>,
    /// The last walk's list of files, kept while the watcher says that only files on it changed,
    /// so that a save costs a look at the saved file instead of a walk with a look at every file.
    listing: Option<Listing>,
    /// A one-off build keeps nothing: copying every parse into the cache would be wasted work.
    pub(crate) forgetful: bool,
    /// Files read (not taken from the cache) by the last load.
    pub read: usize,
}

#[derive(Debug)]
struct CachedFile {
    stamp: FileStamp,
    parsed: Parsed,
    diagnostics: Vec<Diagnostic>,
}

/// Size and modification time: what tells a changed file without reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<SystemTime>,
}

/// Shared, every kind: a load copies each cached parse into its list of files, and a note held in
/// place made every entry of that list (ten thousand on a save) as large as a note.
#[derive(Debug, Clone)]
enum Parsed {
    Home(Option<Arc<HomeIntro>>),
    Article(Option<Arc<Article>>),
    Note(Option<Arc<EntityNote>>),
}

/// The files a walk of `content/` listed, for a load that the watcher tells which files changed.
/// Kept only for a plain tree: one with links, or with anything the walk warned about, is walked
/// again on every load, since a change there can change what the walk finds elsewhere.
#[derive(Debug)]
struct Listing {
    content_dir: PathBuf,
    files: Vec<ListedEntry>,
    /// Each listed file's place in `files`.
    index: HashMap<Arc<Path>, usize>,
    /// The files changed since the walk, to be looked at again by the next load.
    changed: HashSet<PathBuf>,
    /// Whether the next load was told what changed (by [`LoadCache::forget`]); a load that was
    /// not walks, and finds a change by the file's size and time.
    told: bool,
}

#[derive(Debug, Clone)]
struct ListedEntry {
    path: Arc<Path>,
    shown: Arc<Path>,
    role: FileRole,
    stamp: FileStamp,
    identity: (u64, u64),
}

impl LoadCache {
    /// The cached parse of `path` and its diagnostics, when it was made from a file with `stamp`.
    fn cached(&self, path: &Path, stamp: FileStamp) -> Option<(Parsed, Vec<Diagnostic>)> {
        self.files
            .get(path.as_os_str())
            .filter(|cached| cached.stamp == stamp)
            .map(|cached| (cached.parsed.clone(), cached.diagnostics.clone()))
    }

    /// Forgets `paths`, so that the next load reads them whatever their stamp says (a save within
    /// the file system's time resolution that keeps the size). `paths` are everything that changed
    /// (the watcher's word): when one under `content/` is not a file the last walk listed (a new
    /// file, a folder), the next load walks `content/` again; otherwise it looks at these alone.
    pub fn forget(&mut self, paths: &[PathBuf]) {
        for path in paths {
            if self.files.remove(path.as_os_str()).is_none() {
                // Not under the walk's spelling: a path spelled otherwise ("a//b.md") is found
                // by `Path`'s equality, which the listing below uses too.
                self.files.retain(|key, _| Path::new(key) != path.as_path());
            }
        }
        if let Some(listing) = &mut self.listing {
            let content_dir = &listing.content_dir;
            let unlisted = paths
                .iter()
                .any(|p| p.starts_with(content_dir) && !listing.index.contains_key(p.as_path()));
            if unlisted {
                self.listing = None;
            } else {
                listing.told = true;
                listing
                    .changed
                    .extend(paths.iter().filter(|p| p.starts_with(content_dir)).cloned());
            }
        }
    }
}

/// Reads the whole `content/` folder of the site at `root`. Problems go to `diagnostics`; files with
/// errors are left out of the corpus (the build then fails, so nothing is dropped silently); files
/// that are not read for a reason that is not an error (a named pipe, a second link to a file, a
/// file deleted during the build) are each named in a warning. Only the files that changed since
/// the load that filled `cache` are read again.
pub fn load(
    root: &Path,
    options: LoadOptions,
    cache: &mut LoadCache,
    diagnostics: &mut Diagnostics,
) -> Corpus {
    cache.read = 0;
    walk(root, options, cache, diagnostics)
}

fn walk(
    root: &Path,
    options: LoadOptions,
    cache: &mut LoadCache,
    diagnostics: &mut Diagnostics,
) -> Corpus {
    let content_dir = root.join("content");
    let mut corpus = Corpus::default();
    if !content_dir.is_dir() {
        diagnostics.push(
            Diagnostic::error(
                display_path(root, &content_dir),
                "there is no content folder",
            )
            .with_hint("create content/articles/ and put the articles there as .md or .txt files"),
        );
        return corpus;
    }
    // Listed in path order first; the files that changed are then parsed on every core, and the
    // corpus is put together in path order, so that its order and the diagnostics' never depend
    // on the threads.
    let mut steps = Steps::start("load");
    let listed = match relisted(cache) {
        Some(listed) => listed,
        None => list_files(root, &content_dir, cache, diagnostics),
    };
    steps.mark("walk");
    if let Some(on_listed) = options.on_listed {
        on_listed(listed.len());
    }
    progress::stage(
        "reading content/",
        listed.iter().filter(|f| f.cached.is_none()).count(),
    );
    let fresh: Vec<Option<(Option<Parsed>, Diagnostics)>> = listed
        .par_iter()
        .with_max_len(crate::parallel::MAX_RUN)
        .map(|file| {
            file.cached.is_none().then(|| {
                let mut found = Diagnostics::new();
                let parsed = parse_file(&file.path, &file.shown, file.role, &mut found);
                progress::step();
                (parsed, found)
            })
        })
        .collect();
    steps.mark("parse");
    for (file, fresh) in listed.into_iter().zip(fresh) {
        let parsed = match (file.cached, fresh) {
            (Some((parsed, found)), _) => {
                for diagnostic in found {
                    diagnostics.push(diagnostic);
                }
                parsed
            }
            (None, Some((parsed, found))) => {
                cache.read += 1;
                let Some(parsed) = parsed else {
                    // A file that could not be read is not cached: making it readable changes
                    // neither its size nor its time, and the next build must try again.
                    diagnostics.extend(found);
                    continue;
                };
                if let (Some(stamp), false) = (file.stamp, cache.forgetful) {
                    cache.files.insert(
                        Arc::from(file.path.as_os_str()),
                        CachedFile {
                            stamp,
                            parsed: parsed.clone(),
                            diagnostics: found.iter().cloned().collect(),
                        },
                    );
                }
                diagnostics.extend(found);
                parsed
            }
            (None, None) => unreachable!("every file not in the cache is parsed"),
        };
        match parsed {
            Parsed::Home(home) => corpus.home = home.map(Arc::unwrap_or_clone),
            Parsed::Article(Some(article)) => {
                if !article.draft || options.drafts {
                    corpus.articles.push(article);
                }
            }
            Parsed::Note(Some(note)) => corpus.notes.push(Arc::unwrap_or_clone(note)),
            Parsed::Article(None) | Parsed::Note(None) => {}
        }
    }
    corpus
}

/// A file of `content/` as the walk found it: its parse when the cache holds it unchanged.
struct ListedFile {
    path: Arc<Path>,
    shown: Arc<Path>,
    role: FileRole,
    stamp: Option<FileStamp>,
    cached: Option<(Parsed, Vec<Diagnostic>)>,
}

/// Walks `content/` in path order, classifying each file and taking unchanged ones, with their
/// diagnostics, from `cache`.
fn list_files(
    root: &Path,
    content_dir: &Path,
    cache: &mut LoadCache,
    diagnostics: &mut Diagnostics,
) -> Vec<ListedFile> {
    let mut listed = Vec::new();
    let reported_before = diagnostics.len();
    // What the next load may take instead of a walk (see `Listing`); `None` once the tree is not
    // plain.
    let mut listing: Option<Vec<ListedEntry>> = (!cache.forgetful).then(Vec::new);
    // Each file once, however many links lead to it: the first path, in path order, is read.
    let mut read_as: HashMap<(u64, u64), PathBuf> = HashMap::new();
    // Links are followed, so a linked folder of articles is read like any other; walkdir notices
    // a link back to a folder that holds it.
    let walker = WalkDir::new(content_dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored_name(entry.file_name()));
    // Every file is stat'ed (behind its link) on all cores before the loop below: one at a time
    // in it, the stats took about 40 ms at 10,000 articles while the other core waited.
    let entries: Vec<walkdir::Result<walkdir::DirEntry>> = walker.collect();
    let stats: Vec<Option<fs::Metadata>> = entries
        .par_iter()
        .with_max_len(crate::parallel::MAX_RUN)
        .map(|entry| match entry {
            Ok(entry) if entry.file_type().is_file() => entry.metadata().ok(),
            _ => None,
        })
        .collect();
    for (entry, metadata) in entries.into_iter().zip(stats) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                // walkdir looks behind a link before the filter sees its name: an editor's lock
                // file (`.#a.md`, a link to nowhere) is skipped here.
                if !err
                    .path()
                    .and_then(Path::file_name)
                    .is_some_and(is_ignored_name)
                {
                    diagnostics.push(walk_error(root, content_dir, &err));
                }
                continue;
            }
        };
        if entry.path_is_symlink() {
            listing = None;
        }
        if entry.file_type().is_dir() {
            continue;
        }
        let path = entry.path();
        let shown = display_path(root, path);
        if !entry.file_type().is_file() {
            // Reading a named pipe would wait for a writer forever.
            diagnostics.push(
                Diagnostic::warning(&shown, "this is not a regular file (a named pipe, socket or device), so it is not read")
                    .with_hint("content/ holds articles and notes as plain files; move this one elsewhere"),
            );
            continue;
        }
        // The file's stat, made above, serves the check below and the cache's stamp.
        if let Some(metadata) = &metadata {
            use std::os::unix::fs::MetadataExt;
            let identity = (metadata.dev(), metadata.ino());
            let first = read_as
                .entry(identity)
                .or_insert_with(|| path.to_path_buf());
            // A file removed since it was looked at frees its inode for a new file: a second path
            // is a link only while the first one still leads to the same file.
            let still_there =
                |first: &Path| fs::metadata(first).is_ok_and(|m| (m.dev(), m.ino()) == identity);
            if first != path && !still_there(first) {
                *first = path.to_path_buf();
            }
            if first != path {
                diagnostics.push(
                    Diagnostic::warning(
                        &shown,
                        format!(
                            "this is a link to {}, which is read already, so it is not read twice",
                            display_path(root, first).display()
                        ),
                    )
                    .with_hint(
                        "remove the link, or make it a copy if it is meant to be a second article",
                    ),
                );
                continue;
            }
        }
        let relative = path.strip_prefix(content_dir).unwrap_or(path);
        let Some(role) = classify(relative) else {
            diagnostics.push(
                Diagnostic::warning(&shown, "this file is not used by the build").with_hint(
                    "articles go in content/articles/ as .md or .txt, entity notes in content/countries|organisations|people/ as .md",
                ),
            );
            continue;
        };
        let stamp = metadata.as_ref().map(|m| FileStamp {
            len: m.len(),
            modified: m.modified().ok(),
        });
        let cached = stamp.and_then(|stamp| cache.cached(path, stamp));
        let (path, shown): (Arc<Path>, Arc<Path>) = (Arc::from(path), Arc::from(shown));
        match (&mut listing, stamp, &metadata) {
            (Some(entries), Some(stamp), Some(metadata)) => {
                use std::os::unix::fs::MetadataExt;
                entries.push(ListedEntry {
                    path: Arc::clone(&path),
                    shown: Arc::clone(&shown),
                    role,
                    stamp,
                    identity: (metadata.dev(), metadata.ino()),
                });
            }
            _ => listing = None,
        }
        listed.push(ListedFile {
            path,
            shown,
            role,
            stamp,
            cached,
        });
    }
    cache.listing = listing
        .filter(|_| diagnostics.len() == reported_before)
        .map(|files| Listing {
            content_dir: content_dir.to_path_buf(),
            index: files
                .iter()
                .enumerate()
                .map(|(i, f)| (Arc::clone(&f.path), i))
                .collect(),
            files,
            changed: HashSet::new(),
            told: false,
        });
    // The cache keeps only the files the walk found (a load that takes the walk's list finds the
    // same files).
    let found: HashSet<&OsStr, FastHash> =
        listed.iter().map(|file| file.path.as_os_str()).collect();
    cache.files.retain(|path, _| found.contains(&**path));
    drop(found);
    listed
}

/// The files of the last walk, when the watcher said which of them changed (see `Listing::told`)
/// and nothing else under `content/` did: the changed ones are looked at again, the others keep
/// their stamps. `None` when `content/` must be walked: no listing, or a changed file that is
/// gone, is no longer a plain file, or has become a second link to another listed file.
fn relisted(cache: &mut LoadCache) -> Option<Vec<ListedFile>> {
    let listing = cache.listing.as_mut()?;
    if !std::mem::take(&mut listing.told) {
        return None;
    }
    for path in std::mem::take(&mut listing.changed) {
        let looked = fs::symlink_metadata(&path)
            .ok()
            .filter(|m| m.file_type().is_file());
        let Some(metadata) = looked else {
            cache.listing = None;
            return None;
        };
        use std::os::unix::fs::MetadataExt;
        let identity = (metadata.dev(), metadata.ino());
        let index = listing.index[path.as_path()];
        let shared = listing
            .files
            .iter()
            .enumerate()
            .any(|(i, f)| i != index && f.identity == identity);
        if shared {
            cache.listing = None;
            return None;
        }
        let entry = &mut listing.files[index];
        entry.identity = identity;
        entry.stamp = FileStamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        };
    }
    let listing = cache.listing.as_ref()?;
    Some(
        listing
            .files
            .iter()
            .map(|entry| ListedFile {
                path: Arc::clone(&entry.path),
                shown: Arc::clone(&entry.shown),
                role: entry.role,
                stamp: Some(entry.stamp),
                cached: cache.cached(&entry.path, entry.stamp),
            })
            .collect(),
    )
}

/// What a failure of the walk of `content/` means to the editor: a loop of links is harmless (what
/// it leads to is read once), anything else is a file or folder that cannot be read.
fn walk_error(root: &Path, content_dir: &Path, err: &walkdir::Error) -> Diagnostic {
    let path = err.path().unwrap_or(content_dir);
    let shown = display_path(root, path);
    if let Some(ancestor) = err.loop_ancestor() {
        return Diagnostic::warning(
            &shown,
            format!(
                "this link leads back to {}, which holds it (a loop), so it is not followed",
                display_path(root, ancestor).display()
            ),
        )
        .with_hint("remove the link; what it leads to is read anyway");
    }
    let dangling = err
        .io_error()
        .is_some_and(|e| e.kind() == io::ErrorKind::NotFound)
        && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if dangling {
        return Diagnostic::error(
            &shown,
            "this link leads to nothing: its target does not exist",
        )
        .with_hint("point the link at an existing file, or remove it");
    }
    let reason = err
        .io_error()
        .map_or_else(|| err.to_string(), ToString::to_string);
    Diagnostic::error(&shown, format!("cannot read: {reason}"))
        .with_hint("check the file's permissions, or remove it from content/")
}

/// Reads and parses one file of `content/`: `None` when it cannot be read, `None` inside when it
/// has errors (both reported).
fn parse_file(
    path: &Path,
    shown: &Path,
    role: FileRole,
    diagnostics: &mut Diagnostics,
) -> Option<Parsed> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(err) => {
            diagnostics.push(read_error(path, shown, &err));
            return None;
        }
    };
    let raw = matches!(role, FileRole::Article(ArticleFormat::RawText));
    let text = decode_text(bytes, shown, raw, diagnostics);
    Some(match role {
        FileRole::Home => Parsed::Home(
            text.and_then(|t| read_home(shown, &t, diagnostics))
                .map(Arc::new),
        ),
        FileRole::Article(format) => Parsed::Article(
            text.and_then(|t| Article::parse(shown, format, &t, diagnostics))
                .map(Arc::new),
        ),
        FileRole::Note(kind) => Parsed::Note(
            text.and_then(|t| EntityNote::parse(shown, kind, &t, diagnostics))
                .map(Arc::new),
        ),
    })
}

/// The diagnostic for a listed file that cannot be read. One that is gone was deleted after the
/// walk listed it, during the build: that is the editor's doing, not an error, and the next build
/// (in `serve --watch`, the one the deletion starts) no longer lists it.
fn read_error(path: &Path, shown: &Path, err: &io::Error) -> Diagnostic {
    if err.kind() == io::ErrorKind::NotFound && fs::symlink_metadata(path).is_err() {
        return Diagnostic::warning(
            shown,
            "the file was removed while the build read content/, so it is not in this build",
        )
        .with_hint("if it was not meant to go, restore it and build again");
    }
    Diagnostic::error(shown, format!("cannot read: {err}"))
        .with_hint("check that the file exists and is readable, or remove it from content/")
}

#[derive(Debug, Clone, Copy)]
enum FileRole {
    Home,
    Article(ArticleFormat),
    Note(EntityKind),
}

/// What a file under `content/` is, from its place and extension.
fn classify(relative: &Path) -> Option<FileRole> {
    let extension = relative.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mut parts = relative.iter().filter_map(|p| p.to_str());
    let top = parts.next()?;
    if relative == Path::new("_index.md") {
        return Some(FileRole::Home);
    }
    if top == "articles" {
        return match extension {
            "md" => Some(FileRole::Article(ArticleFormat::Markdown)),
            "txt" => Some(FileRole::Article(ArticleFormat::RawText)),
            _ => None,
        };
    }
    let kind = EntityKind::ALL.into_iter().find(|k| k.folder() == top)?;
    (extension == "md" && relative.components().count() == 2).then_some(FileRole::Note(kind))
}

/// Hidden files and editors' swap and backup files are never content.
pub fn is_ignored_name(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
}

/// Decodes a file's bytes as UTF-8. Raw scraped text (`raw`) that is not UTF-8 is decoded as
/// Windows-1252, the usual encoding of such files, with a warning; hand-written files must be UTF-8.
pub fn decode_text(
    bytes: Vec<u8>,
    shown: &Path,
    raw: bool,
    diagnostics: &mut Diagnostics,
) -> Option<String> {
    // A NUL byte never occurs in text, whatever its encoding (git's test for a binary file).
    if let Some(at) = memchr::memchr(0, &bytes) {
        let (line, column) = line_column(&String::from_utf8_lossy(&bytes[..at]), usize::MAX);
        diagnostics.push(
            Diagnostic::error(shown, format!("the file holds binary data, not text (a NUL byte at byte offset {at})"))
                .at(line, column)
                .with_hint("an article is text: save it as plain text (.txt) or Markdown (.md), or move the file out of content/"),
        );
        return None;
    }
    let err = match String::from_utf8(bytes) {
        Ok(text) => {
            return Some(without_control_characters(
                normalise_text(text),
                shown,
                diagnostics,
            ))
        }
        Err(err) => err,
    };
    let valid_up_to = err.utf8_error().valid_up_to();
    let bytes = err.into_bytes();
    let valid = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let (line, column) = line_column(&valid, valid.len());
    let found = format!(
        "byte 0x{:02X} at byte offset {valid_up_to}",
        bytes[valid_up_to]
    );
    if raw {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(&bytes);
        diagnostics.push(
            Diagnostic::warning(shown, format!("the file is not valid UTF-8 ({found}); read it as Windows-1252"))
                .at(line, column)
                .with_hint("if the text looks wrong, convert the file to UTF-8 with `iconv -f ENCODING -t UTF-8`"),
        );
        return Some(without_control_characters(
            normalise_text(text.into_owned()),
            shown,
            diagnostics,
        ));
    }
    diagnostics.push(
        Diagnostic::error(shown, format!("the file is not valid UTF-8 ({found})"))
            .at(line, column)
            .with_hint("save the file as UTF-8 in your editor, or convert it with `iconv -f WINDOWS-1252 -t UTF-8`"),
    );
    None
}

/// Whether `c` is a control character that has no place in text: every C0 and C1 control but
/// tab and line feed (carriage returns are gone by now). HTML forbids them, and a page carrying one
/// shows a box or nothing.
fn is_stray_control(c: char) -> bool {
    c.is_control() && c != '\t' && c != '\n'
}

/// The byte offset of the first stray control character of `text`, found byte by byte: the control
/// characters are the bytes below 0x20 and 0x7F, and U+0080 to U+009F, which UTF-8 writes as 0xC2
/// followed by 0x80 to 0x9F. (Decoding every character to ask it costs more than reading the file.)
/// Eight bytes are tested at once, and only an eight that may hold one is read byte by byte.
fn first_stray_control(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let is_candidate = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7F || b == 0xC2;
    let is_stray_at = |at: usize| {
        bytes[at] != 0xC2 || bytes.get(at + 1).is_some_and(|b| (0x80..=0x9F).contains(b))
    };
    let mut chunks = bytes.chunks_exact(8);
    for (index, chunk) in chunks.by_ref().enumerate() {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        if !may_hold_control(word) {
            continue;
        }
        let start = index * 8;
        for (offset, &byte) in chunk.iter().enumerate() {
            if is_candidate(byte) && is_stray_at(start + offset) {
                return Some(start + offset);
            }
        }
    }
    let start = bytes.len() - chunks.remainder().len();
    (start..bytes.len()).find(|&at| is_candidate(bytes[at]) && is_stray_at(at))
}

/// Whether any of the eight bytes of `word` is below 0x20, 0x7F or 0xC2 (the classic SWAR tests
/// for a byte below a bound and for a zero byte, which never miss one).
fn may_hold_control(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGH != 0;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH != 0;
    below_space || has_zero(word ^ (ONES * 0x7F)) || has_zero(word ^ (ONES * 0xC2))
}

/// Removes stray control characters (terminal colour codes, form feeds, bytes of a broken
/// conversion), with a warning that names the first one's place.
fn without_control_characters(text: String, shown: &Path, diagnostics: &mut Diagnostics) -> String {
    let Some(first) = first_stray_control(&text) else {
        return text;
    };
    let (line, column) = line_column(&text, first);
    let count = text[first..]
        .chars()
        .filter(|&c| is_stray_control(c))
        .count();
    let code = text[first..].chars().next().map_or(0, u32::from);
    diagnostics.push(
        Diagnostic::warning(
            shown,
            format!(
                "the file holds {count} control character{} (the first is U+{code:04X}); {} removed",
                if count == 1 { "" } else { "s" },
                if count == 1 { "it is" } else { "they are" },
            ),
        )
        .at(line, column)
        .with_hint("control characters are not text; they usually come from a copied terminal or a broken conversion"),
    );
    text.replace(is_stray_control, "")
}

/// Drops a byte-order mark and turns CRLF and lone CR line ends into LF, so positions are by line.
pub fn normalise_text(text: String) -> String {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

fn read_home(file: &Path, text: &str, diagnostics: &mut Diagnostics) -> Option<HomeIntro> {
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(front_matter::Unclosed) => {
            diagnostics.push(unclosed_error(file));
            return None;
        }
    };
    let mut title = None;
    if let Some(yaml) = split.front_matter {
        let mut fields = front_matter::Fields::parse(
            file,
            yaml,
            split.front_matter_line,
            &["title"],
            diagnostics,
        )?;
        title = fields.text("title");
    }
    Some(HomeIntro {
        file: file.to_path_buf(),
        title,
        body: split.body.to_string(),
    })
}

pub(crate) fn unclosed_error(file: &Path) -> Diagnostic {
    Diagnostic::error(file, "the front matter opened on this line is never closed")
        .at(1, 1)
        .with_hint("end the front matter with a line holding only `---`, before the text")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;

    /// The byte scan finds what asking every character finds, on every code point of the first
    /// planes around the control ranges and in text with two-byte letters beside them.
    #[test]
    fn the_byte_scan_for_control_characters_agrees_with_char_is_control() {
        let by_chars = |text: &str| text.find(is_stray_control);
        let mut samples: Vec<String> = (0u32..0x800)
            .filter_map(char::from_u32)
            .map(|c| format!("£ é\u{a0}{c}x"))
            .collect();
        samples.extend(
            [
                "",
                "plain",
                "tab\tand\nline",
                "£\u{85}",
                "\u{c2}",
                "\u{9f}é",
            ]
            .map(String::from),
        );
        // Every code point near the ranges at every place of a longer text, so that it falls in
        // each byte of an eight-byte chunk and in the tail after the last chunk.
        for c in (0u32..0x100).filter_map(char::from_u32) {
            for at in 0..19 {
                let mut text = "tab\tline\nplain words é"
                    .chars()
                    .take(at)
                    .collect::<String>();
                text.push(c);
                text.push_str("after it, and£more");
                samples.push(text);
            }
        }
        for text in &samples {
            assert_eq!(first_stray_control(text), by_chars(text), "{text:?}");
        }
        assert_eq!(first_stray_control("ab\u{1b}[0m"), Some(2));
    }

    #[test]
    fn a_file_gone_after_the_walk_is_a_warning_and_a_dangling_link_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let gone = dir.path().join("gone.md");
        let err = fs::read(&gone).unwrap_err();
        let diagnostic = read_error(&gone, Path::new("content/articles/gone.md"), &err);
        assert_eq!(diagnostic.severity, Severity::Warning);
        assert!(diagnostic
            .message
            .contains("was removed while the build read"));

        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&gone, &link).unwrap();
        let err = fs::read(&link).unwrap_err();
        let diagnostic = read_error(&link, Path::new("content/articles/link.md"), &err);
        assert_eq!(diagnostic.severity, Severity::Error);
        assert!(diagnostic.message.starts_with("cannot read"));
    }
}
