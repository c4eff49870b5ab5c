//! The derive stage's shortcut for a save in `serve --watch`: when a few articles changed without
//! changing who and what the site knows (the same people and named places, the same entities made
//! and details filled in, the same reading order, no entity gained or lost), the last site model is
//! patched in place of being put together again from all 10,000 articles' resolutions. A patched
//! site is the site a whole derivation makes (`tests/incremental.rs` compares them byte for byte
//! after each kind of edit); any change the patch cannot take falls back to the whole derivation.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::gazetteer::Target;
use super::resolve::{self, Resolution};
use super::{
    ids_of, quote_to_site_numbering, reading_order, said_by, site_number, to_site_numbering,
    Analysis, DeriveCache, DerivedArticle, EntityRef, Quote, Registry, Site,
};
use crate::content::{Article, Corpus, EntityKind, EntityNote, PerKind};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// What the last whole derivation leaves for patching.
pub(super) struct Patchable {
    pub site: Arc<Site>,
    /// For each article of the corpus in load order, its place in reading order.
    pub reading_index: Vec<usize>,
    pub notes: Vec<EntityNote>,
    /// In reading order.
    pub analyses: Vec<Arc<Analysis>>,
    pub resolutions: Vec<Arc<Resolution>>,
    /// The registry every article was resolved against (before any was adopted).
    pub registry: Registry,
    /// The registry's fingerprint, as the per-file resolutions hold it.
    pub shared: u128,
    /// The registry's ids after every article's entities were adopted.
    pub adopted_ids: PerKind<BTreeMap<String, usize>>,
    /// How many articles name each country and organisation: the registry holds those named at
    /// all, so an edit may move a name between articles but not bring in or drop the last one.
    pub target_counts: BTreeMap<Target, usize>,
    /// The site's numbers for the registry's entities (`None`: not in the site).
    pub renumbering: PerKind<Vec<Option<usize>>>,
    /// What the derivation reported (it depends on nothing a patch may change).
    pub diagnostics: Vec<Diagnostic>,
}

/// More changed articles than this are derived whole: a patch per article would cost more.
const MOST_PATCHED: usize = 16;

/// The site of `corpus` made by patching the last one, or `None` when it cannot be.
pub(super) fn patch(
    corpus: &Corpus,
    cache: &mut DeriveCache,
    diagnostics: &mut Diagnostics,
) -> Option<Arc<Site>> {
    let mut steps = crate::timings::Steps::start("patch");
    let state = cache.patchable.as_ref()?;
    if corpus.articles.len() != state.reading_index.len() || corpus.notes != state.notes {
        return None;
    }
    let mut changed: Vec<(usize, &Arc<Article>)> = Vec::new();
    for (article, &index) in corpus.articles.iter().zip(&state.reading_index) {
        let old = &state.site.articles[index].article;
        if Arc::ptr_eq(old, article) {
            continue;
        }
        // Same file, same place in reading order (date, title and page name unchanged).
        if old.file != article.file || reading_order(old, article).is_ne() {
            return None;
        }
        changed.push((index, article));
        if changed.len() > MOST_PATCHED {
            return None;
        }
    }
    changed.sort_by_key(|(index, _)| *index);
    steps.mark("compare");
    if changed.is_empty() && corpus.home == state.site.home {
        for diagnostic in &state.diagnostics {
            diagnostics.push(diagnostic.clone());
        }
        cache.analysed = 0;
        cache.resolved = 0;
        return Some(Arc::clone(&state.site));
    }

    let gazetteer = Arc::clone(cache.gazetteer.as_ref()?);
    // Made with the gazetteer, from the same names.
    let known_people = &cache.known_people;
    let mut patches = Vec::with_capacity(changed.len());
    let mut target_changes: BTreeMap<Target, isize> = BTreeMap::new();
    for &(index, article) in &changed {
        let analysis = Arc::new(Analysis::of(article, &gazetteer, known_people));
        let old = &state.analyses[index];
        // Another person would change the registry every article was resolved against (people
        // are registered in reading order, the first to give a detail wins).
        if analysis.people.people != old.people.people {
            return None;
        }
        for target in &old.targets {
            *target_changes.entry(target.clone()).or_default() -= 1;
        }
        for target in &analysis.targets {
            *target_changes.entry(target.clone()).or_default() += 1;
        }
        let resolution = Arc::new(resolve::resolve(article, &analysis, &state.registry));
        if !resolution.adopts_like(&state.resolutions[index]) {
            return None;
        }
        let numbering = resolution.numbering_in(&state.adopted_ids)?;
        let derived = in_site(
            index,
            article,
            &analysis,
            Arc::clone(&resolution),
            &numbering,
            state,
        )?;
        patches.push((index, analysis, resolution, derived));
    }

    // A place named by no article before, or by none now, would change the registry too.
    for (target, change) in &target_changes {
        let before = state.target_counts.get(target).copied().unwrap_or(0);
        if (before == 0) != (before as isize + change == 0) {
            return None;
        }
    }
    steps.mark("resolve");
    let mut site = (*state.site).clone();
    steps.mark("copy");
    site.home = corpus.home.clone();
    // A patch never gains or loses an entity: their ids are the same for every article.
    let by_id = ids_of(&site.entities);
    let mut patched = Vec::with_capacity(patches.len());
    for (index, analysis, resolution, (derived, quotes)) in patches {
        apply(&mut site, &by_id, index, derived, quotes)?;
        patched.push((index, analysis, resolution));
    }
    steps.mark("apply");

    let state = cache.patchable.as_mut().expect("checked above");
    for (target, change) in target_changes {
        let count = state.target_counts.entry(target).or_default();
        *count = (*count as isize + change) as usize;
    }
    for (index, analysis, resolution) in patched {
        state.analyses[index] = analysis;
        state.resolutions[index] = resolution;
    }
    crate::parallel::drop_in_background(std::mem::replace(&mut state.site, Arc::new(site)));
    for diagnostic in &state.diagnostics {
        diagnostics.push(diagnostic.clone());
    }
    // The per-file caches follow, so that a whole derivation after this one finds its work done.
    for (index, _) in &changed {
        let article = &state.site.articles[*index].article;
        let analysis = &state.analyses[*index];
        cache.analyses.insert(
            article.file.clone(),
            (Arc::clone(article), Arc::clone(analysis)),
        );
        cache.resolutions.insert(
            article.file.clone(),
            super::CachedResolution {
                shared: state.shared,
                article: Arc::clone(article),
                analysis: Arc::clone(analysis),
                resolution: Arc::clone(&state.resolutions[*index]),
            },
        );
    }
    cache.analysed = changed.len();
    cache.resolved = changed.len();
    Some(Arc::clone(&state.site))
}

/// Article `index` as the site shows it, from its new resolution, with its quotations (their
/// article set); `None` when it names an entity the site does not have.
fn in_site(
    index: usize,
    article: &Arc<Article>,
    analysis: &Analysis,
    resolution: Arc<Resolution>,
    numbering: &PerKind<Vec<usize>>,
    state: &Patchable,
) -> Option<(DerivedArticle, Vec<Quote>)> {
    let final_of = |entity: EntityRef| site_number(&state.renumbering, entity);
    let missing = Cell::new(false);
    let (mut mentions, mut quotes, mut mentioned) =
        resolution.numbered(index, numbering, |entity| match final_of(entity) {
            Some(entity) => state.site.entity(entity).name.as_str().into(),
            None => {
                missing.set(true);
                Arc::from("")
            }
        });
    // An entity no article mentioned before is not in the site: it would join it.
    let joins = mentioned
        .iter()
        .any(|(kind, list)| list.iter().any(|&e| final_of((kind, e)).is_none()));
    if missing.get() || joins {
        return None;
    }
    to_site_numbering(
        &mut mentions,
        &mut mentioned,
        &state.renumbering,
        &state.site.entities,
    );
    for quote in &mut quotes {
        quote_to_site_numbering(quote, &state.renumbering);
    }
    Some((
        DerivedArticle {
            article: Arc::clone(article),
            text: Arc::clone(&analysis.text),
            mentions: mentions.into(),
            mentioned: Arc::new(mentioned),
            quotes: 0..0,
        },
        quotes,
    ))
}

/// Puts article `index`'s new self into `site`: its entities' article lists, its quotations in
/// place of the old ones (the later ones renumbered), and the entities' quotation lists. `None`
/// when an entity would be left with no article (it would leave the site).
fn apply(
    site: &mut Site,
    by_id: &BTreeMap<(EntityKind, String), usize>,
    index: usize,
    mut derived: DerivedArticle,
    quotes: Vec<Quote>,
) -> Option<()> {
    let old = &site.articles[index];
    for kind in EntityKind::ALL {
        let before = old.mentioned.get(kind);
        let after = derived.mentioned.get(kind);
        for &entity in before.iter().filter(|e| !after.contains(e)) {
            let entity = &mut site.entities.get_mut(kind)[entity];
            entity.articles.retain(|&a| a != index);
            if !entity.in_site() {
                return None;
            }
        }
        for &entity in after.iter().filter(|e| !before.contains(e)) {
            let articles = &mut site.entities.get_mut(kind)[entity].articles;
            let at = articles.partition_point(|&a| a < index);
            articles.insert(at, index);
        }
    }

    // The article's quotations are numbered after those of the articles before it.
    let start = site.articles[index].quotes.start;
    let end = site.articles[index].quotes.end;
    let count = quotes.len();
    let shift = |q: usize| {
        if q >= end {
            q + count - (end - start)
        } else {
            q
        }
    };
    if count != end - start {
        for article in &mut site.articles[index + 1..] {
            article.quotes = shift(article.quotes.start)..shift(article.quotes.end);
        }
    }
    for kind in EntityKind::ALL {
        for entity in site.entities.get_mut(kind).iter_mut() {
            for list in [&mut entity.quotes_by, &mut entity.quotes_about] {
                if list.last().is_some_and(|&last| last >= start) {
                    list.retain(|&q| q < start || q >= end);
                    for quote in list.iter_mut() {
                        *quote = shift(*quote);
                    }
                }
            }
        }
    }
    site.quotes
        .splice(start..end, quotes.into_iter().map(Arc::new));
    derived.quotes = start..start + count;
    site.articles[index] = derived;
    for number in start..start + count {
        let quote = &site.quotes[number];
        let filings: Vec<(EntityRef, bool)> = said_by(quote, &site.entities, by_id)
            .into_iter()
            .map(|e| (e, true))
            .chain(quote.mentions.iter().map(|&e| (e, false)))
            .collect();
        for ((kind, i), by) in filings {
            let entity = &mut site.entities.get_mut(kind)[i];
            let list = if by {
                &mut entity.quotes_by
            } else {
                &mut entity.quotes_about
            };
            let at = list.partition_point(|&q| q < number);
            list.insert(at, number);
        }
    }
    Some(())
}
