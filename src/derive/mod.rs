//! The derive stage: turns the loaded corpus into the site's model. For each article it finds, from
//! the text, the countries and organisations it mentions (through the gazetteer of reference data
//! and the site's notes), the people it names, and its quotations with their speakers; the editor's
//! front matter adds and excludes names. Across articles, one country, organisation or person is
//! one entity with one page.

pub mod gazetteer;
pub mod language;
mod patch;
pub mod people;
pub mod quotes;
mod resolve;
mod speakers;
pub mod text;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use chrono::NaiveDate;

use crate::content::{Article, Corpus, EntityKind, EntityNote, HomeIntro, PerKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::progress;
use crate::reference::{CountryRecord, OrganisationRecord, ReferenceData};
use crate::slug;
use crate::timings::Steps;
use gazetteer::{Found, Gazetteer, SiteNames, Strength, Target};
use language::Gender;
pub use quotes::Place;
use resolve::Resolution;
use text::{ArticleText, Sentences};

/// An entity (country, organisation, person) as the site shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub kind: EntityKind,
    /// Stable id: ISO alpha-3 for a country, the data's id for an organisation, the slug for a person.
    pub id: String,
    pub name: String,
    /// The page name, unique within the kind.
    pub slug: String,
    /// The hand-written note, when there is one.
    pub note: Option<EntityNote>,
    /// The built-in reference data's record, shared: a patched site copies every entity.
    pub country: Option<&'static CountryRecord>,
    pub organisation: Option<&'static OrganisationRecord>,
    /// For a person: role, country id and organisation id, from the note or the text.
    pub role: Option<String>,
    pub person_country: Option<String>,
    pub person_organisation: Option<String>,
    /// Indexes into [`Site::articles`] of the articles that mention the entity, in reading order.
    pub articles: Vec<usize>,
    /// Indexes into [`Site::quotes`] of the quotations it, its people or its bodies said.
    pub quotes_by: Vec<usize>,
    /// Indexes into [`Site::quotes`] of the quotations whose text names it.
    pub quotes_about: Vec<usize>,
}

impl Entity {
    /// Whether the site has a page for it: an article mentions it or a note describes it. The
    /// whole derivation and the patch keep entities by this one rule.
    pub fn in_site(&self) -> bool {
        !self.articles.is_empty() || self.note.is_some()
    }

    pub fn aliases(&self) -> Vec<String> {
        let mut aliases: Vec<String> = self.note.as_ref().map_or(Vec::new(), |n| n.aliases.clone());
        if let Some(org) = &self.organisation {
            aliases.extend(org.acronyms.iter().chain(&org.aliases).cloned());
        }
        aliases.retain(|a| a != &self.name);
        aliases.dedup();
        aliases
    }
}

/// A reference to an entity of the site: its kind and index in [`Site::entities`].
pub type EntityRef = (EntityKind, usize);

/// What kind of speaker a quotation has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SpeakerKind {
    Person,
    /// A part of a government or organisation ("the Russian Foreign Ministry").
    Body,
    Organisation,
    Country,
    Unknown,
}

impl SpeakerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SpeakerKind::Person => "person",
            SpeakerKind::Body => "body",
            SpeakerKind::Organisation => "organisation",
            SpeakerKind::Country => "country",
            SpeakerKind::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Speaker {
    /// Shared: a site's quotations are put together again on every rebuild from the articles'
    /// kept resolutions, and their texts are copied by reference, not byte by byte.
    pub name: Arc<str>,
    pub kind: SpeakerKind,
    /// The person, organisation or country page of the speaker.
    pub entity: Option<EntityRef>,
    /// For a body or person: the country or organisation they belong to.
    pub belongs_to: Option<EntityRef>,
}

/// The name of the speaker of a quotation no one could be found to have said.
pub const UNKNOWN_SPEAKER: &str = "Unknown";

/// A quotation in the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// The quotation's anchor in its article, `q1`, `q2`, ...: stable while the article is unchanged.
    pub anchor: Arc<str>,
    /// Index into [`Site::articles`].
    pub article: usize,
    /// The texts are shared like the speaker's name (see [`Speaker::name`]).
    pub text: Arc<str>,
    pub partial: bool,
    pub speaker: Speaker,
    /// Where it stands in its article; the first place is the one attributed.
    pub places: Arc<[Place]>,
    /// Countries and organisations the quotation itself names.
    pub mentions: Vec<EntityRef>,
}

/// A mention of an entity at a place in an article's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Mention {
    pub place: Place,
    pub entity: EntityRef,
}

/// An article and what was derived from it.
#[derive(Debug, Clone, PartialEq)]
pub struct DerivedArticle {
    pub article: Arc<Article>,
    /// Shared with the derive cache's analysis of the article.
    pub text: Arc<ArticleText>,
    /// Every mention found in the text, in text order. Shared, like `mentioned`, so that a patched
    /// site (see [`patch`]) copies the other articles by reference.
    pub mentions: Arc<[Mention]>,
    /// The entities the article mentions (by text or front matter), per kind, sorted by name.
    pub mentioned: Arc<PerKind<Vec<usize>>>,
    /// Indexes into [`Site::quotes`], in text order: the article's quotations are numbered one
    /// after another.
    pub quotes: std::ops::Range<usize>,
}

/// The whole site's model, ready to render.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub home: Option<HomeIntro>,
    /// Newest first; undated articles last; ties by title, then slug.
    pub articles: Vec<DerivedArticle>,
    /// Per kind, sorted by name.
    pub entities: PerKind<Vec<Entity>>,
    /// In article order, then text order. Shared one by one, so that a patched site copies the
    /// quotations of articles that did not change by reference.
    pub quotes: Vec<Arc<Quote>>,
}

impl Site {
    pub fn entity_count(&self, kind: EntityKind) -> usize {
        self.entities.get(kind).len()
    }

    pub fn entity(&self, entity: EntityRef) -> &Entity {
        &self.entities.get(entity.0)[entity.1]
    }
}

/// What the derive stage keeps between builds of one site (`serve --watch`): each article's own
/// analysis (text, places, people, quotations), which depends only on the article and on the
/// site's notes, so that an unchanged article is not analysed again; and its resolution (entities
/// and speakers), made again only when the article or the registry it was resolved against changed.
/// What crosses articles (entity lists, page names, quotation indexes) is patched when a save
/// keeps the site's people and places (see [`patch`]), and put together again otherwise.
#[derive(Default)]
pub struct DeriveCache {
    /// The notes' names the gazetteer and the analyses were made with.
    names: Option<(SiteNames, Vec<String>)>,
    gazetteer: Option<Arc<Gazetteer>>,
    /// The people among `names`, as the person finder looks them up.
    known_people: people::KnownPeople,
    /// Each article's analysis under the article it was made from: the load stage hands an
    /// unchanged file's article back in the same `Arc`, so a pointer comparison finds it.
    analyses: HashMap<PathBuf, (Arc<Article>, Arc<Analysis>)>,
    /// Each article's resolution, under what it was made from (see [`resolve`]).
    resolutions: HashMap<PathBuf, CachedResolution>,
    /// Articles analysed (not taken from the cache) by the last derivation.
    pub analysed: usize,
    /// Articles resolved (not taken from the cache) by the last derivation.
    pub resolved: usize,
    /// Whether the last derivation patched changed articles into the site before it (see
    /// [`patch`]).
    pub patched: bool,
    /// What the last whole derivation leaves for a rebuild to patch (see [`patch`]).
    patchable: Option<patch::Patchable>,
    /// A one-off build keeps no analyses: copying every article into the cache would be wasted.
    pub(crate) forgetful: bool,
}

struct CachedResolution {
    /// The registry's fingerprint when the article was resolved.
    shared: u128,
    article: Arc<Article>,
    analysis: Arc<Analysis>,
    resolution: Arc<Resolution>,
}

/// What one article yields on its own.
#[derive(Debug)]
struct Analysis {
    text: Arc<ArticleText>,
    places: Vec<Vec<Found>>,
    /// The countries and organisations of `places`, each once, sorted.
    targets: Vec<Target>,
    people: people::ArticlePeople,
    quotes: Vec<quotes::FoundQuote>,
}

impl Analysis {
    fn of(
        article: &Article,
        gazetteer: &Gazetteer,
        known_people: &people::KnownPeople,
    ) -> Analysis {
        let text = ArticleText::of(article);
        let places: Vec<Vec<Found>> = text
            .blocks
            .iter()
            .map(|b| gazetteer.find(&b.text))
            .collect();
        let places = keep_supported_weak_names(places);
        let excluded_people: Vec<String> = article.author.iter().cloned().collect();
        let sentences = Sentences::of(&text);
        let people =
            people::find_people(&text, &sentences, &places, known_people, &excluded_people);
        let places = without_people_names(places, &text, &people);
        let quotes = quotes::find_quotes(&text, &sentences);
        let mut targets: Vec<Target> = places
            .iter()
            .flatten()
            .map(|found| found.target.clone())
            .collect();
        targets.sort_unstable();
        targets.dedup();
        Analysis {
            text: Arc::new(text),
            places,
            targets,
            people,
            quotes,
        }
    }
}

/// Derives the site model from `corpus`. Two inputs that want one page are errors naming both.
/// Only the articles that changed since the derivation that filled `cache` are analysed again (all
/// of them when the notes changed), and resolved again (all of them when the registry of people and
/// named places changed; see [`resolve`]).
pub fn derive(corpus: Corpus, cache: &mut DeriveCache, diagnostics: &mut Diagnostics) -> Arc<Site> {
    let mut steps = Steps::start("derive");
    cache.patched = false;
    if let Some(site) = patch::patch(&corpus, cache, diagnostics) {
        cache.patched = cache.analysed > 0;
        steps.mark("patch");
        return site;
    }
    let reported_before = diagnostics.len();
    let data = ReferenceData::builtin();
    let keep = !cache.forgetful;
    // Reading order, and each loaded article's place in it (for a patch to find it).
    let mut order: Vec<usize> = (0..corpus.articles.len()).collect();
    order.sort_by(|&a, &b| reading_order(&corpus.articles[a], &corpus.articles[b]));
    let mut reading_index = vec![0; order.len()];
    for (place, &loaded) in order.iter().enumerate() {
        reading_index[loaded] = place;
    }
    let articles: Vec<Arc<Article>> = order
        .iter()
        .map(|&loaded| Arc::clone(&corpus.articles[loaded]))
        .collect();
    drop(corpus.articles);
    check_unique_article_slugs(&articles, diagnostics);

    let notes = if keep {
        corpus.notes.clone()
    } else {
        Vec::new()
    };
    let mut registry = Registry::new(data);
    for note in corpus.notes {
        registry.add_note(note, diagnostics);
    }
    let names = (registry.site_names(), registry.person_names());
    if cache.names.as_ref() != Some(&names) || cache.gazetteer.is_none() {
        cache.gazetteer = Some(Gazetteer::shared(data, &names.0));
        cache.known_people = people::KnownPeople::new(&names.1);
        cache.analyses.clear();
        cache.names = Some(names);
    }
    steps.mark("gazetteer");
    let gazetteer = Arc::clone(cache.gazetteer.as_ref().expect("made above"));
    let known_people = &cache.known_people;

    // Per article: text, places, people, quotes (from the cache when the article is unchanged).
    // Articles are analysed on every core; the order of the results is the articles' order.
    let previous = &cache.analyses;
    progress::stage("analysing articles", articles.len());
    let made: Vec<(Arc<Analysis>, bool)> = articles
        .par_iter()
        .with_max_len(crate::parallel::MAX_RUN)
        .inspect(|_| progress::step())
        .map(|article| match previous.get(&article.file) {
            // Equal `Arc`s of an `Eq` type compare by pointer first: an unchanged file costs no
            // comparison of its text.
            Some((cached, analysis)) if cached == article => (Arc::clone(analysis), false),
            _ => (
                Arc::new(Analysis::of(article, &gazetteer, known_people)),
                true,
            ),
        })
        .collect();
    cache.analysed = made.iter().filter(|(_, fresh)| *fresh).count();
    cache.analyses = articles
        .iter()
        .filter(|_| !cache.forgetful)
        .zip(&made)
        .map(|(article, (analysis, _))| {
            (
                article.file.clone(),
                (Arc::clone(article), Arc::clone(analysis)),
            )
        })
        .collect();
    steps.mark("analyse");
    let analyses: Vec<Arc<Analysis>> = made.into_iter().map(|(analysis, _)| analysis).collect();
    // People are merged across articles before speakers are resolved, so that "President Putin" in
    // one article finds "Vladimir Putin" of another.
    registry.add_people(analyses.iter().map(|a| &a.people));
    steps.mark("people");
    // Every country and organisation the texts name, in a fixed order, so that articles resolved
    // side by side find them made (the order entities are made in never shows: see `into_sorted`).
    let mut targets: Vec<&Target> = analyses.iter().flat_map(|a| &a.targets).collect();
    targets.par_sort_unstable();
    targets.dedup();
    for target in targets {
        registry.place_entity(target);
    }
    steps.mark("places");

    // Each article is resolved on every core against the registry as it stands now (from the
    // cache when the article, its analysis and the registry are unchanged), then adopted into it
    // in reading order.
    let shared = resolve::fingerprint(&registry);
    let registry_before = keep.then(|| registry.clone());
    let previous = &cache.resolutions;
    progress::stage("resolving names", articles.len());
    let resolutions: Vec<(Arc<Resolution>, bool)> = articles
        .par_iter()
        .inspect(|_| progress::step())
        .zip(&analyses)
        .with_max_len(crate::parallel::MAX_RUN)
        .map(|(article, analysis)| match previous.get(&article.file) {
            Some(cached)
                if cached.shared == shared
                    && Arc::ptr_eq(&cached.analysis, analysis)
                    && cached.article == *article =>
            {
                (Arc::clone(&cached.resolution), false)
            }
            _ => (
                Arc::new(resolve::resolve(article, analysis, &registry)),
                true,
            ),
        })
        .collect();
    cache.resolved = resolutions.iter().filter(|(_, fresh)| *fresh).count();
    let resolutions: Vec<Arc<Resolution>> = resolutions.into_iter().map(|(r, _)| r).collect();
    cache.resolutions = articles
        .iter()
        .zip(&analyses)
        .zip(&resolutions)
        .filter(|_| !cache.forgetful)
        .map(|((article, analysis), resolution)| {
            (
                article.file.clone(),
                CachedResolution {
                    shared,
                    article: Arc::clone(article),
                    analysis: Arc::clone(analysis),
                    resolution: Arc::clone(resolution),
                },
            )
        })
        .collect();
    steps.mark("resolve");
    // Each article's mentions, mentioned entities and quotations in the registry's numbering,
    // until the entities are sorted.
    let mut adopted = Vec::with_capacity(articles.len());
    let mut quotes = Vec::with_capacity(resolutions.iter().map(|r| r.quotes.len()).sum());
    let kept = keep.then(|| (analyses.clone(), resolutions.clone()));
    let mut target_counts = BTreeMap::new();
    for target in analyses.iter().filter(|_| keep).flat_map(|a| &a.targets) {
        *target_counts.entry(target.clone()).or_insert(0) += 1;
    }
    for (index, resolution) in resolutions.into_iter().enumerate() {
        let (mentions, article_quotes, mentioned) = resolution.adopt(index, &mut registry);
        let first_quote = quotes.len();
        quotes.extend(article_quotes);
        adopted.push((mentions, mentioned, first_quote..quotes.len()));
    }
    steps.mark("articles");
    for (index, (_, mentioned, _)) in adopted.iter().enumerate() {
        for kind in EntityKind::ALL {
            for &entity in mentioned.get(kind) {
                registry.entities.get_mut(kind)[entity].articles.push(index);
            }
        }
    }
    let adopted_ids = keep.then(|| registry.by_id.clone());
    let (entities, renumbering) = registry.into_sorted(diagnostics);
    // Entities nothing mentions (an excluded name, a body's country no article names) are dropped.
    let derived: Vec<DerivedArticle> = articles
        .into_par_iter()
        .zip(&analyses)
        .zip(adopted)
        .with_max_len(crate::parallel::MAX_RUN)
        .map(
            |((article, analysis), (mut mentions, mut mentioned, quotes))| {
                to_site_numbering(&mut mentions, &mut mentioned, &renumbering, &entities);
                DerivedArticle {
                    article,
                    text: Arc::clone(&analysis.text),
                    mentions: mentions.into(),
                    mentioned: Arc::new(mentioned),
                    quotes,
                }
            },
        )
        .collect();
    // Millions of small allocations: freed on a pool thread while this one goes on (50 ms at 10,000
    // articles, which took one core while the other waited).
    rayon::spawn(move || drop(analyses));
    let quotes: Vec<Arc<Quote>> = quotes
        .into_iter()
        .map(|mut quote| {
            quote_to_site_numbering(&mut quote, &renumbering);
            Arc::new(quote)
        })
        .collect();
    steps.mark("entities");
    let mut entities = entities;
    link_quotes(&mut entities, &quotes);
    steps.mark("quotes");
    let site = Arc::new(Site {
        home: corpus.home,
        articles: derived,
        entities,
        quotes,
    });
    let reported: Vec<Diagnostic> = diagnostics.iter().skip(reported_before).cloned().collect();
    cache.patchable = match (registry_before, kept, adopted_ids) {
        (Some(registry), Some((analyses, resolutions)), Some(adopted_ids))
            if !reported.iter().any(Diagnostic::is_error) =>
        {
            Some(patch::Patchable {
                site: Arc::clone(&site),
                reading_index,
                notes,
                analyses,
                resolutions,
                registry,
                shared,
                adopted_ids,
                target_counts,
                renumbering,
                diagnostics: reported,
            })
        }
        _ => None,
    };
    site
}

/// An entity's number in the site, from its number in the registry: `None` for one nothing
/// mentions, which the site drops.
fn site_number(
    renumbering: &PerKind<Vec<Option<usize>>>,
    (kind, i): EntityRef,
) -> Option<EntityRef> {
    renumbering
        .get(kind)
        .get(i)
        .copied()
        .flatten()
        .map(|n| (kind, n))
}

/// Moves an article's mentions and mentioned entities from the registry's numbering to the site's,
/// dropping the entities the site drops, and sorts each kind's mentioned entities by name.
fn to_site_numbering(
    mentions: &mut Vec<Mention>,
    mentioned: &mut PerKind<Vec<usize>>,
    renumbering: &PerKind<Vec<Option<usize>>>,
    entities: &PerKind<Vec<Entity>>,
) {
    mentions.retain_mut(|mention| match site_number(renumbering, mention.entity) {
        Some(entity) => {
            mention.entity = entity;
            true
        }
        None => false,
    });
    for kind in EntityKind::ALL {
        let list = mentioned.get_mut(kind);
        *list = list
            .iter()
            .filter_map(|&e| site_number(renumbering, (kind, e)).map(|(_, n)| n))
            .collect();
        let entities = entities.get(kind);
        list.sort_by(|a, b| entities[*a].name.cmp(&entities[*b].name));
    }
}

/// Moves a quotation's speaker and the entities it names to the site's numbering.
fn quote_to_site_numbering(quote: &mut Quote, renumbering: &PerKind<Vec<Option<usize>>>) {
    let renumber = |entity| site_number(renumbering, entity);
    quote.speaker.entity = quote.speaker.entity.and_then(renumber);
    quote.speaker.belongs_to = quote.speaker.belongs_to.and_then(renumber);
    quote.mentions = quote.mentions.iter().filter_map(|&e| renumber(e)).collect();
}

/// Files each quotation under the entities that said it (its speaker, the body's country or
/// organisation, the person's country and organisation) and those it names: one pass over the
/// quotations, so that pages and the export need not search them per entity.
fn link_quotes(entities: &mut PerKind<Vec<Entity>>, quotes: &[Arc<Quote>]) {
    let by_id = ids_of(entities);
    for (index, quote) in quotes.iter().enumerate() {
        for (kind, i) in said_by(quote, entities, &by_id) {
            entities.get_mut(kind)[i].quotes_by.push(index);
        }
        for &(kind, i) in &quote.mentions {
            entities.get_mut(kind)[i].quotes_about.push(index);
        }
    }
}

/// Each entity's index by kind and id.
fn ids_of(entities: &PerKind<Vec<Entity>>) -> BTreeMap<(EntityKind, String), usize> {
    EntityKind::ALL
        .iter()
        .flat_map(|&kind| {
            entities
                .get(kind)
                .iter()
                .enumerate()
                .map(move |(i, e)| ((kind, e.id.clone()), i))
        })
        .collect()
}

/// The entities that said `quote`, each once, in order: its speaker, the body's country or
/// organisation, the person's country and organisation.
fn said_by(
    quote: &Quote,
    entities: &PerKind<Vec<Entity>>,
    by_id: &BTreeMap<(EntityKind, String), usize>,
) -> Vec<EntityRef> {
    let mut said_by: Vec<EntityRef> = quote
        .speaker
        .entity
        .into_iter()
        .chain(quote.speaker.belongs_to)
        .collect();
    if let Some((EntityKind::Person, person)) = quote.speaker.entity {
        let person = &entities.get(EntityKind::Person)[person];
        for (kind, id) in [
            (EntityKind::Country, &person.person_country),
            (EntityKind::Organisation, &person.person_organisation),
        ] {
            if let Some(&i) = id.as_ref().and_then(|id| by_id.get(&(kind, id.clone()))) {
                said_by.push((kind, i));
            }
        }
    }
    said_by.sort();
    said_by.dedup();
    said_by
}

/// A weak name ("Georgia") counts only where the article names the same country otherwise too.
fn keep_supported_weak_names(mut places: Vec<Vec<Found>>) -> Vec<Vec<Found>> {
    let supported: Vec<Target> = places
        .iter()
        .flatten()
        .filter(|f| f.strength != Strength::Weak)
        .map(|f| f.target.clone())
        .collect();
    for block in &mut places {
        block.retain(|f| f.strength != Strength::Weak || supported.contains(&f.target));
    }
    places
}

/// A place that is the whole of a person's mention, a possessive aside, is their name and no
/// mention of the place: "Mr Ireland", "Baroness Scotland's" (a place right after a courtesy title
/// is a surname). A place inside a mention by role stays one ("the former Dutch prime minister").
fn without_people_names(
    mut places: Vec<Vec<Found>>,
    text: &ArticleText,
    people: &people::ArticlePeople,
) -> Vec<Vec<Found>> {
    for mention in &people.mentions {
        let block = &text.blocks[mention.block].text;
        places[mention.block].retain(|f| {
            let is_the_name = f.start == mention.start
                && f.end <= mention.end
                && matches!(&block[f.end..mention.end], "" | "'s" | "’s");
            !is_the_name
        });
    }
    places
}

/// Newest first, undated last, then by title and slug so that the order never depends on the walk.
fn reading_order(a: &Article, b: &Article) -> std::cmp::Ordering {
    let date = |article: &Article| std::cmp::Reverse(article.date.unwrap_or(NaiveDate::MIN));
    (date(a), &a.title, &a.slug).cmp(&(date(b), &b.title, &b.slug))
}

/// The page name each kind's folder keeps for its list (`articles/index.html`,
/// `people/index.html`): no article or entity may have it.
const LIST_SLUG: &str = "index";

fn check_unique_article_slugs(articles: &[Arc<Article>], diagnostics: &mut Diagnostics) {
    let mut by_slug: BTreeMap<&str, Vec<&PathBuf>> = BTreeMap::new();
    for article in articles.iter().filter(|a| a.slug == LIST_SLUG) {
        diagnostics.push(
            Diagnostic::error(
                &article.file,
                format!("this article wants the page articles/{LIST_SLUG}.html, which is the list of articles"),
            )
            .with_hint("rename the file, or give the article another `slug:` in its front matter"),
        );
    }
    for article in articles {
        by_slug
            .entry(&article.slug)
            .or_default()
            .push(&article.file);
    }
    for (slug, mut files) in by_slug.into_iter().filter(|(_, files)| files.len() > 1) {
        files.sort();
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        diagnostics.push(
            Diagnostic::error(files[0], format!("{} articles want the same page articles/{slug}.html: {}", files.len(), names.join(" and ")))
                .with_hint("rename one of the files, or give one of them a different `slug:` in its front matter"),
        );
    }
}

/// The key under which a name is looked up: case, accents, spacing and punctuation do not matter
/// ("Murphy-O'Connor" is "Murphy O'Connor").
pub(crate) fn name_key(name: &str) -> String {
    // Made for every name of every article: one string, built in one pass, and the name itself
    // read when it is ASCII already (most are).
    let ascii = deunicode::deunicode_with_tofu_cow(name, "[?]");
    let mut key = Vec::with_capacity(ascii.len());
    for word in ascii
        .as_bytes()
        .split(|b| !b.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push(b' ');
        }
        key.extend(word.iter().map(u8::to_ascii_lowercase));
    }
    String::from_utf8(key).expect("only ASCII letters, digits and spaces")
}

/// Entities being collected, with the names (and aliases) they answer to.
#[derive(Clone)]
pub(crate) struct Registry {
    data: &'static ReferenceData,
    entities: PerKind<Vec<Entity>>,
    by_name: PerKind<BTreeMap<String, usize>>,
    /// Entity index by id (country code, organisation id, person key).
    by_id: PerKind<BTreeMap<String, usize>>,
    /// Names of reference countries and organisations, for front matter lookups.
    reference_names: &'static BTreeMap<String, Target>,
    /// People with a full name, by the key of their surname (for "Mr Putin" to find his entity
    /// without a scan of every person). May hold stale entries, checked on use.
    by_surname: HashMap<String, Vec<usize>>,
    /// What the articles tell of each person, by person index (see [`Registry::add_people`]).
    person_evidence: Vec<PersonEvidence>,
}

/// What the articles tell of one person: how many name them in full, and what a courtesy title in
/// any of them says of their gender.
#[derive(Clone, Copy, Default)]
struct PersonEvidence {
    articles: usize,
    gender: Option<Gender>,
}

impl Registry {
    fn new(data: &'static ReferenceData) -> Registry {
        Registry {
            data,
            entities: PerKind::default(),
            by_name: PerKind::default(),
            by_id: PerKind::default(),
            reference_names: reference_names(data),
            by_surname: HashMap::new(),
            person_evidence: Vec::new(),
        }
    }

    fn new_entity(&mut self, kind: EntityKind, id: String, name: String, slug: String) -> usize {
        let index = self.entities.get(kind).len();
        let entity = self.entity_for(kind, id.clone(), name.clone(), slug);
        self.entities.get_mut(kind).push(entity);
        self.by_id.get_mut(kind).insert(id, index);
        if kind == EntityKind::Person {
            self.index_surname(index);
        }
        self.by_name
            .get_mut(kind)
            .entry(name_key(&name))
            .or_insert(index);
        index
    }

    /// A new entity with its reference record, not yet registered.
    fn entity_for(&self, kind: EntityKind, id: String, name: String, slug: String) -> Entity {
        let mut entity = Entity {
            kind,
            id,
            name,
            slug,
            note: None,
            country: None,
            organisation: None,
            role: None,
            person_country: None,
            person_organisation: None,
            articles: Vec::new(),
            quotes_by: Vec::new(),
            quotes_about: Vec::new(),
        };
        match kind {
            EntityKind::Country => entity.country = self.data.country(&entity.id),
            EntityKind::Organisation => entity.organisation = self.data.organisation(&entity.id),
            EntityKind::Person => {}
        }
        entity
    }

    /// The entity of a reference target, made on first use.
    fn place_entity(&mut self, target: &Target) -> EntityRef {
        let (kind, id) = Registry::target_id(target);
        if let Some(&index) = self.by_id.get(kind).get(id) {
            return (kind, index);
        }
        let (name, slug) = self.target_name_and_slug(target);
        (kind, self.new_entity(kind, id.clone(), name, slug))
    }

    fn target_id(target: &Target) -> (EntityKind, &String) {
        match target {
            Target::Country(code) => (EntityKind::Country, code),
            Target::Organisation(id) => (EntityKind::Organisation, id),
        }
    }

    /// The name and page name of a reference target's entity: the data's name; a country's slug
    /// from its name, an organisation's from its first acronym.
    fn target_name_and_slug(&self, target: &Target) -> (String, String) {
        let name = match target {
            Target::Country(code) => self
                .data
                .country(code)
                .map_or(code.clone(), |c| c.name.clone()),
            Target::Organisation(id) => self
                .data
                .organisation(id)
                .map_or(id.clone(), |o| o.name.clone()),
        };
        let slug = match target {
            Target::Country(_) => slug::slugify(&name),
            Target::Organisation(id) => self
                .data
                .organisation(id)
                .and_then(|o| o.acronyms.first())
                .map_or_else(|| slug::slugify(id), |a| slug::slugify(a)),
        };
        (name, slug)
    }

    /// A note names an entity of the reference data, or a new one.
    fn add_note(&mut self, note: EntityNote, diagnostics: &mut Diagnostics) {
        let kind = note.kind;
        let names: Vec<String> = std::iter::once(&note.name)
            .chain(&note.aliases)
            .cloned()
            .collect();
        let reference = names
            .iter()
            .find_map(|n| self.reference_names.get(&name_key(n)).cloned())
            .filter(|t| {
                matches!(
                    (kind, t),
                    (EntityKind::Country, Target::Country(_))
                        | (EntityKind::Organisation, Target::Organisation(_))
                )
            });
        let index = match &reference {
            Some(target) => self.place_entity(target).1,
            None => {
                let id = if kind == EntityKind::Person {
                    name_key(&note.name)
                } else {
                    note.slug.clone()
                };
                if let Some(&existing) = self.by_id.get(kind).get(&id) {
                    existing
                } else {
                    self.new_entity(kind, id, note.name.clone(), note.slug.clone())
                }
            }
        };
        if let Some(other) = &self.entities.get(kind)[index].note {
            diagnostics.push(
                Diagnostic::error(
                    &note.file,
                    format!(
                        "this note is about the same {} as {}",
                        kind.singular(),
                        other.file.display()
                    ),
                )
                .with_hint("one entity, one note: merge the two notes"),
            );
            return;
        }
        for name in &names {
            let key = name_key(name);
            if let Some(&other) = self.by_name.get(kind).get(&key) {
                if other != index {
                    let other_file = self.entities.get(kind)[other]
                        .note
                        .as_ref()
                        .map_or(String::new(), |n| n.file.display().to_string());
                    diagnostics.push(
                        Diagnostic::error(&note.file, format!("the {} name \"{name}\" is already taken by {other_file}", kind.singular()))
                            .with_hint("one entity, one note: merge the two notes, or remove the name from one of them"),
                    );
                    continue;
                }
            }
            self.by_name.get_mut(kind).insert(key, index);
        }
        let entity = &mut self.entities.get_mut(kind)[index];
        entity.name = note.name.clone();
        entity.slug = note.slug.clone();
        if kind == EntityKind::Person {
            entity.role = note.role.clone();
            entity.person_country = note.country.clone();
            entity.person_organisation = note.organisation.clone();
        }
        entity.note = Some(note);
        if kind == EntityKind::Person {
            self.index_surname(index);
        }
    }

    /// Names the site's notes add to the gazetteer (organisations and countries only).
    fn site_names(&self) -> SiteNames {
        let mut names = SiteNames::default();
        for kind in [EntityKind::Country, EntityKind::Organisation] {
            for entity in self.entities.get(kind) {
                let Some(note) = &entity.note else { continue };
                let target = match kind {
                    EntityKind::Country => Target::Country(entity.id.clone()),
                    _ => Target::Organisation(entity.id.clone()),
                };
                names
                    .names
                    .entry(target)
                    .or_default()
                    .extend(std::iter::once(note.name.clone()).chain(note.aliases.iter().cloned()));
            }
        }
        names
    }

    /// The names (and aliases) of people the site knows from its notes.
    fn person_names(&self) -> Vec<String> {
        self.entities
            .get(EntityKind::Person)
            .iter()
            .filter_map(|e| e.note.as_ref())
            .flat_map(|n| std::iter::once(n.name.clone()).chain(n.aliases.iter().cloned()))
            .collect()
    }

    /// Registers the people of every article: full names first, then surname-only people, who join
    /// the full-named person with their surname when there is one (or one the site names far more
    /// often than the others: see [`Registry::person_for_surname`]).
    fn add_people<'a>(&mut self, all: impl Iterator<Item = &'a people::ArticlePeople> + Clone) {
        let mut named: Vec<usize> = Vec::new();
        for article in all.clone() {
            named.clear();
            for person in article.people.iter().filter(|p| !p.surname_only) {
                let index = self.person_entity(person).1;
                named.push(index);
                let evidence = self.evidence_mut(index);
                evidence.gender = evidence.gender.or(person.gender);
            }
            named.sort_unstable();
            named.dedup();
            for &index in &named {
                self.evidence_mut(index).articles += 1;
            }
        }
        for person in all.flat_map(|a| &a.people).filter(|p| p.surname_only) {
            self.person_entity(person);
        }
    }

    fn evidence_mut(&mut self, person: usize) -> &mut PersonEvidence {
        if self.person_evidence.len() <= person {
            self.person_evidence
                .resize(person + 1, PersonEvidence::default());
        }
        &mut self.person_evidence[person]
    }

    /// The full-named people with surname key `surname`, in index order.
    fn surname_candidates(&self, surname: &str) -> Vec<usize> {
        let people = self.entities.get(EntityKind::Person);
        let mut candidates: Vec<usize> = self
            .by_surname
            .get(surname)
            .into_iter()
            .flatten()
            .copied()
            // The index may hold stale entries: a person a note renamed.
            .filter(|&i| surname_key(&people[i].name).as_deref() == Some(surname))
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        candidates
    }

    /// Of the full-named people with a surname (`candidates`), the one a bare "Mr Blair" means: the
    /// only one, or the one the site names in at least [`MOST_NAMED_MARGIN`] times as many articles
    /// as any other, and in at least that many (Tony Blair in 59 BBC articles, Ian Blair in 3): a
    /// name's prior, as entity linkers use it. Where no one stands out so far ahead (Alastair and
    /// Menzies Campbell), the surname stays its own. A person whose title says otherwise than
    /// `gender` is never the one ("Baroness Kennedy" is not Charles Kennedy), and leaves the
    /// surname its own too.
    fn person_for_surname(&self, candidates: &[usize], gender: Option<Gender>) -> Option<usize> {
        let evidence = |index: usize| self.person_evidence.get(index).copied().unwrap_or_default();
        let count = |index: usize| evidence(index).articles;
        let known = |index: usize| evidence(index).gender;
        let top = *candidates
            .iter()
            .max_by_key(|&&i| (count(i), std::cmp::Reverse(i)))?;
        let runner_up = candidates
            .iter()
            .filter(|&&i| i != top)
            .map(|&i| count(i))
            .max();
        let fits = gender.zip(known(top)).is_none_or(|(a, b)| a == b);
        let stands_out =
            runner_up.is_none_or(|runner_up| count(top) >= MOST_NAMED_MARGIN * runner_up.max(1));
        (fits && stands_out).then_some(top)
    }

    fn index_surname(&mut self, person: usize) {
        if let Some(key) = surname_key(&self.entities.get(EntityKind::Person)[person].name) {
            self.by_surname.entry(key).or_default().push(person);
        }
    }

    /// The entity of a person found in an article, made on first use.
    fn person_entity(&mut self, person: &people::LocalPerson) -> EntityRef {
        let kind = EntityKind::Person;
        let key = name_key(&person.name);
        let named = self.by_name.get(kind).get(&key).copied();
        // A bare surname goes to a full-named person before a one-word person of that name made
        // for another article ("Baroness Penhallow" there, "Mr Penhallow" here); a name the site's
        // notes give goes first.
        let noted =
            named.filter(|&i| !person.surname_only || self.entities.get(kind)[i].note.is_some());
        let for_surname = || {
            let surname = name_key(person.surname());
            self.person_for_surname(&self.surname_candidates(&surname), person.gender)
        };
        let found = noted
            .or_else(|| person.surname_only.then(for_surname).flatten())
            .or(named);
        let index = match found {
            Some(index) => index,
            None => self.new_entity(
                kind,
                key.clone(),
                person.name.clone(),
                slug::slugify(&person.name),
            ),
        };
        self.fill_person(
            index,
            person.role.as_ref(),
            person.country.as_ref(),
            person.organisation.as_ref(),
        );
        (kind, index)
    }

    /// Gives person `index` the role, country and organisation it has none of (the first to say wins).
    fn fill_person(
        &mut self,
        index: usize,
        role: Option<&String>,
        country: Option<&String>,
        organisation: Option<&String>,
    ) {
        let entity = &mut self.entities.get_mut(EntityKind::Person)[index];
        entity.role = entity.role.take().or(role.cloned());
        entity.person_country = entity.person_country.take().or(country.cloned());
        entity.person_organisation = entity.person_organisation.take().or(organisation.cloned());
    }

    /// Keeps the entities an article mentions or a note describes, sorts each kind by name, checks
    /// that page names are unique, and returns the map from old indexes to new ones.
    fn into_sorted(
        self,
        diagnostics: &mut Diagnostics,
    ) -> (PerKind<Vec<Entity>>, PerKind<Vec<Option<usize>>>) {
        let mut renumbering = PerKind::<Vec<Option<usize>>>::default();
        let mut sorted = PerKind::<Vec<Entity>>::default();
        let mut entities = self.entities;
        for kind in EntityKind::ALL {
            let list = std::mem::take(entities.get_mut(kind));
            let mut order: Vec<usize> = (0..list.len()).filter(|&i| list[i].in_site()).collect();
            // Ids are unique within a kind: the order never depends on the order entities were met.
            order.sort_by(|&a, &b| {
                (&list[a].name, &list[a].slug, &list[a].id).cmp(&(
                    &list[b].name,
                    &list[b].slug,
                    &list[b].id,
                ))
            });
            let mut new_index = vec![None; list.len()];
            for (new, &old) in order.iter().enumerate() {
                new_index[old] = Some(new);
            }
            let mut slots: Vec<Option<Entity>> = list.into_iter().map(Some).collect();
            let mut sorted_list: Vec<Entity> = order
                .iter()
                .map(|&old| slots[old].take().expect("each index once"))
                .collect();
            assign_unique_slugs(kind, &mut sorted_list, diagnostics);
            *sorted.get_mut(kind) = sorted_list;
            *renumbering.get_mut(kind) = new_index;
        }
        (sorted, renumbering)
    }
}

/// The names of the reference data's countries and organisations by key: made once per run, the
/// data being built in (a rebuild in `serve --watch` spent 8 ms making them again).
fn reference_names(data: &'static ReferenceData) -> &'static BTreeMap<String, Target> {
    static NAMES: OnceLock<BTreeMap<String, Target>> = OnceLock::new();
    debug_assert!(std::ptr::eq(data, ReferenceData::builtin()));
    NAMES.get_or_init(|| {
        let mut reference_names = BTreeMap::new();
        for country in &data.countries {
            for name in std::iter::once(&country.name)
                .chain(&country.names)
                .chain(&country.adjectives)
            {
                reference_names
                    .entry(name_key(name))
                    .or_insert_with(|| Target::Country(country.code3.clone()));
            }
            reference_names
                .entry(name_key(&country.code3))
                .or_insert_with(|| Target::Country(country.code3.clone()));
        }
        for org in &data.organisations {
            for name in std::iter::once(&org.name)
                .chain(&org.acronyms)
                .chain(&org.aliases)
            {
                let id = org.organ_of.as_ref().unwrap_or(&org.id);
                reference_names
                    .entry(name_key(name))
                    .or_insert_with(|| Target::Organisation(id.clone()));
            }
        }
        reference_names
    })
}

/// How many times as many articles the most named of several people with one surname must be named
/// in to be the one a bare surname means (see [`Registry::person_for_surname`]).
const MOST_NAMED_MARGIN: usize = 4;

/// The key of a full name's family name; `None` for a single name ("Van den Brul" is one).
fn surname_key(name: &str) -> Option<String> {
    (people::name_word_count(name) >= 2 && !people::is_royal_name(name))
        .then(|| name_key(people::family_name(name)))
}

/// Makes page names unique within a kind. Two notes that want one page are an error naming both
/// files; a derived entity that meets a taken name gets a numbered one ("john-smith-2"), because
/// text found in articles must never fail a build.
fn assign_unique_slugs(kind: EntityKind, entities: &mut [Entity], diagnostics: &mut Diagnostics) {
    let mut by_slug: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (index, entity) in entities.iter_mut().enumerate() {
        if entity.slug.is_empty() {
            entity.slug = kind.singular().to_string();
        }
        by_slug.entry(entity.slug.clone()).or_default().push(index);
    }
    let mut taken: std::collections::BTreeSet<String> = by_slug.keys().cloned().collect();
    // The kind's list has the page `index`: a derived entity named so is numbered like a second
    // entity of one name, a note that wants it is an error.
    let renamed = |slug: &str, same: &[usize]| same.len() > 1 || slug == LIST_SLUG;
    for (slug, same) in by_slug
        .into_iter()
        .filter(|(slug, same)| renamed(slug, same))
    {
        let noted: Vec<usize> = same
            .iter()
            .copied()
            .filter(|&i| entities[i].note.is_some())
            .collect();
        if slug == LIST_SLUG && !noted.is_empty() {
            let file = entities[noted[0]]
                .note
                .as_ref()
                .map(|n| n.file.display().to_string());
            diagnostics.push(
                Diagnostic::error(
                    file.unwrap_or_default(),
                    format!(
                        "this note wants the page {}/{LIST_SLUG}.html, which is the list of {}",
                        kind.folder(),
                        kind.plural_label().to_lowercase()
                    ),
                )
                .with_hint("rename the note file"),
            );
            continue;
        }
        if noted.len() > 1 {
            let files: Vec<String> = noted
                .iter()
                .filter_map(|&i| {
                    entities[i]
                        .note
                        .as_ref()
                        .map(|n| n.file.display().to_string())
                })
                .collect();
            diagnostics.push(
                Diagnostic::error(
                    &files[0],
                    format!(
                        "{} want the same page {}/{slug}.html",
                        files.join(" and "),
                        kind.folder()
                    ),
                )
                .with_hint(format!(
                    "if they are one {}, merge the notes; otherwise rename one of the note files",
                    kind.singular()
                )),
            );
            continue;
        }
        // The note's entity keeps the name; otherwise the first by name does.
        let keeper = (slug != LIST_SLUG).then(|| noted.first().copied().unwrap_or(same[0]));
        for &index in same.iter().filter(|&&i| Some(i) != keeper) {
            let mut n = 2;
            while taken.contains(&format!("{slug}-{n}")) {
                n += 1;
            }
            entities[index].slug = format!("{slug}-{n}");
            taken.insert(entities[index].slug.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::name_key;
    use super::{assign_unique_slugs, Diagnostics, Entity, EntityKind, ReferenceData, Registry};

    fn person(name: &str, slug: &str) -> Entity {
        let registry = Registry::new(ReferenceData::builtin());
        let mut person =
            registry.entity_for(EntityKind::Person, slug.into(), name.into(), slug.into());
        person.articles.push(0);
        person
    }

    #[test]
    fn no_entity_takes_its_kinds_list_page() {
        let mut people = vec![
            person("Index", "index"),
            person("Index Two", "index-2"),
            person("Ann Lee", "ann-lee"),
            person("Ann Lee", "ann-lee"),
        ];
        let mut diagnostics = Diagnostics::new();
        assign_unique_slugs(EntityKind::Person, &mut people, &mut diagnostics);
        let slugs: Vec<&str> = people.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["index-3", "index-2", "ann-lee", "ann-lee-2"]);
        assert!(diagnostics.is_empty());
    }

    #[test]
    fn a_name_key_is_its_words_lower_cased_in_ascii_one_space_apart() {
        // What it was first written as: transliterate, lower-case, split, join.
        let by_steps = |name: &str| {
            deunicode::deunicode(name)
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        for name in [
            "Vladimir Putin",
            "  Recep Tayyip  Erdoğan's ",
            "Jean-Claude JUNCKER",
            "O'Brien, Jr.",
            "Сергей Лавров",
            "",
            "—",
            "Lula da Silva (Brazil)",
        ] {
            assert_eq!(name_key(name), by_steps(name), "{name}");
        }
        assert_eq!(
            name_key("  Recep Tayyip  Erdoğan's "),
            "recep tayyip erdogan s"
        );
    }
}
