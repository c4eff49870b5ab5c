//! One article's entities and speakers, resolved on its own core against the registry as it stood
//! before any article was resolved (the notes, every article's people and every country and
//! organisation the texts name), then adopted into the shared registry in reading order.
//!
//! An article's resolution depends only on the article, its analysis and that registry, so it is
//! kept between builds (`serve --watch`) and made again only when one of the three changed. The
//! entities an article makes (a speaker the people pass did not see, a name in front matter) are
//! adopted by id, the first article to make one naming it. No article sees what another made:
//! "Mr Doe" joins the one Doe the registry knows whatever a front matter elsewhere adds, so the
//! result never depends on the order of the articles.

use std::collections::HashMap;
use std::sync::Arc;

use xxhash_rust::xxh3::Xxh3;

use super::gazetteer::Target;
use super::language::Gender;
use super::people::LocalPerson;
use super::{
    name_key, speakers, Analysis, Entity, EntityRef, Mention, Place, Quote, Registry, SpeakerKind,
};
use crate::content::{Article, EntityKind, PerKind};

/// What resolving one article yields. Entity references at or past the registry's length per kind
/// (`base`) are the article's own new entities, `made[kind][index - base]`.
#[derive(Debug)]
pub(super) struct Resolution {
    pub mentions: Vec<Mention>,
    /// With `article` unset: the article's place in the site is known only when it is adopted.
    pub quotes: Vec<Quote>,
    pub mentioned: PerKind<Vec<usize>>,
    base: PerKind<usize>,
    made: PerKind<Vec<Entity>>,
    /// A person's role, country and organisation as the article found them, to be filled in where
    /// the entity has none, in order (the first article to say wins).
    fills: Vec<PersonFill>,
}

#[derive(Debug, PartialEq)]
struct PersonFill {
    person: usize,
    role: Option<String>,
    country: Option<String>,
    organisation: Option<String>,
}

/// A hash of everything in `registry` that a resolution may read: the entities in order, with their
/// names, ids, slugs, notes and people's details. Equal hashes, equal resolutions of one article.
pub(super) fn fingerprint(registry: &Registry) -> u128 {
    use std::hash::Hash;
    let mut hasher = Xxh3::new();
    for kind in EntityKind::ALL {
        for entity in registry.entities.get(kind) {
            (
                kind,
                &entity.id,
                &entity.name,
                &entity.slug,
                // Of a note, only its names are looked up (a note's prose does not resolve).
                entity.note.as_ref().map(|note| &note.aliases),
                &entity.role,
                &entity.person_country,
                &entity.person_organisation,
            )
                .hash(&mut hasher);
        }
        "end of kind".hash(&mut hasher);
    }
    // Which person a bare surname means depends on how many articles name each, and on their
    // genders: the choices are hashed, so that an edit that changes one re-resolves the articles.
    let mut surnames: Vec<&String> = registry.by_surname.keys().collect();
    surnames.sort_unstable();
    for surname in surnames {
        let candidates = registry.surname_candidates(surname);
        let choices = [None, Some(Gender::Man), Some(Gender::Woman)]
            .map(|gender| registry.person_for_surname(&candidates, gender));
        (surname, choices).hash(&mut hasher);
    }
    hasher.digest128()
}

/// Resolves `article`'s mentions, speakers and front-matter names against `registry`, which it
/// only reads.
pub(super) fn resolve(article: &Article, analysis: &Analysis, registry: &Registry) -> Resolution {
    let mut view = ArticleRegistry::new(registry);
    let Analysis {
        text,
        places,
        people,
        quotes: found_quotes,
        ..
    } = analysis;
    let mut mentions = Vec::new();
    for (block, finds) in places.iter().enumerate() {
        for found in finds {
            let entity = view.place_entity(&found.target);
            mentions.push(Mention {
                place: Place {
                    block,
                    start: found.start,
                    end: found.end,
                },
                entity,
            });
        }
    }
    // Each person once per article, not once per mention (their names are keyed each time).
    let mut person_entities: Vec<Option<EntityRef>> = vec![None; people.people.len()];
    for mention in &people.mentions {
        let entity = *person_entities[mention.person]
            .get_or_insert_with(|| view.person_entity(&people.people[mention.person]));
        mentions.push(Mention {
            place: Place {
                block: mention.block,
                start: mention.start,
                end: mention.end,
            },
            entity,
        });
    }
    mentions.sort_by_key(|m| (m.place.block, m.place.start));

    let mut resolver = speakers::Resolver::new(text, places, people, found_quotes);
    let mut quotes = Vec::with_capacity(found_quotes.len());
    for (n, quote) in found_quotes.iter().enumerate() {
        let speaker = resolver.speaker(n, &mut view);
        let quote_mentions: Vec<EntityRef> = mentions
            .iter()
            .filter(|m| {
                m.entity.0 != EntityKind::Person
                    && quote.places.iter().any(|p| {
                        p.block == m.place.block && p.start <= m.place.start && m.place.end <= p.end
                    })
            })
            .map(|m| m.entity)
            .fold(Vec::new(), |mut acc, e| {
                if !acc.contains(&e) {
                    acc.push(e);
                }
                acc
            });
        quotes.push(Quote {
            anchor: format!("q{}", n + 1).into(),
            article: usize::MAX,
            text: quote.text.as_str().into(),
            partial: quote.partial,
            speaker,
            places: quote.places.as_slice().into(),
            mentions: quote_mentions,
        });
    }

    // What the article mentions: the text's finds and speakers, plus the front matter's names,
    // less its exclusions.
    let mut mentioned = PerKind::<Vec<usize>>::default();
    let mut add = |entity: EntityRef| {
        let list = mentioned.get_mut(entity.0);
        if !list.contains(&entity.1) {
            list.push(entity.1);
        }
    };
    for mention in &mentions {
        add(mention.entity);
    }
    for quote in &quotes {
        if let Some(entity) = quote.speaker.entity {
            add(entity);
        }
    }
    for kind in EntityKind::ALL {
        for name in article.added.get(kind) {
            add((kind, view.named_entity(kind, name)));
        }
    }
    for kind in EntityKind::ALL {
        for name in article.excluded.get(kind) {
            if let Some(entity) = view.lookup(kind, name) {
                mentioned.get_mut(kind).retain(|&e| e != entity);
                mentions.retain(|m| m.entity != (kind, entity));
            }
        }
    }
    Resolution {
        mentions,
        quotes,
        mentioned,
        base: view.base,
        made: view.made,
        fills: view.fills,
    }
}

impl Resolution {
    /// Adopts the article's new entities into `registry` (by id: one an earlier article made is
    /// reused), fills in its people's details, and returns its mentions, quotations (of article
    /// `index`) and mentioned entities in the registry's numbering. A resolution no cache holds is
    /// taken apart rather than copied.
    pub(super) fn adopt(
        self: Arc<Self>,
        index: usize,
        registry: &mut Registry,
    ) -> (Vec<Mention>, Vec<Quote>, PerKind<Vec<usize>>) {
        let numbering: PerKind<Vec<usize>> = PerKind::from_fn(|kind| {
            self.made
                .get(kind)
                .iter()
                .map(|entity| match registry.by_id.get(kind).get(&entity.id) {
                    Some(&existing) => existing,
                    None => registry.new_entity(
                        kind,
                        entity.id.clone(),
                        entity.name.clone(),
                        entity.slug.clone(),
                    ),
                })
                .collect()
        });
        for fill in &self.fills {
            let (_, person) = renumbered(&self.base, &numbering, (EntityKind::Person, fill.person));
            registry.fill_person(
                person,
                fill.role.as_ref(),
                fill.country.as_ref(),
                fill.organisation.as_ref(),
            );
        }
        self.numbered(index, &numbering, |(kind, i)| {
            registry.entities.get(kind)[i].name.as_str().into()
        })
    }

    /// Whether adopting `self` changes the registry exactly as adopting `other` did: the same
    /// entities made (ids, names, slugs) and the same people's details filled in.
    pub(super) fn adopts_like(&self, other: &Resolution) -> bool {
        self.base == other.base && self.made == other.made && self.fills == other.fills
    }

    /// The registry's numbers for the entities this resolution made, when a resolution that
    /// [`adopts_like`](Self::adopts_like) it was adopted into the registry whose ids are `by_id`.
    pub(super) fn numbering_in(
        &self,
        by_id: &PerKind<std::collections::BTreeMap<String, usize>>,
    ) -> Option<PerKind<Vec<usize>>> {
        let mut numbering = PerKind::<Vec<usize>>::default();
        for kind in EntityKind::ALL {
            for entity in self.made.get(kind) {
                numbering
                    .get_mut(kind)
                    .push(*by_id.get(kind).get(&entity.id)?);
            }
        }
        Some(numbering)
    }

    /// The article's mentions, quotations (of article `index`) and mentioned entities with the
    /// entities it made given their registry numbers (`numbering`); a person it made is named as
    /// `name_of` says the registry's entity is.
    pub(super) fn numbered(
        self: Arc<Self>,
        index: usize,
        numbering: &PerKind<Vec<usize>>,
        name_of: impl Fn(EntityRef) -> Arc<str>,
    ) -> (Vec<Mention>, Vec<Quote>, PerKind<Vec<usize>>) {
        let base = self.base.clone();
        let renumber = |entity: EntityRef| renumbered(&base, numbering, entity);
        let (mut mentions, mut quotes, mentioned) = match Arc::try_unwrap(self) {
            Ok(own) => (own.mentions, own.quotes, own.mentioned),
            Err(shared) => (
                shared.mentions.clone(),
                shared.quotes.clone(),
                shared.mentioned.clone(),
            ),
        };
        if numbering.iter().all(|(_, list)| list.is_empty()) {
            // Nothing made here: the numbers are the registry's already.
            for quote in &mut quotes {
                quote.article = index;
            }
            return (mentions, quotes, mentioned);
        }
        for mention in &mut mentions {
            mention.entity = renumber(mention.entity);
        }
        for quote in &mut quotes {
            quote.article = index;
            let speaker = &mut quote.speaker;
            if let Some(entity) = speaker.entity {
                let adopted = renumber(entity);
                // A person this article made goes by the name of the entity adopted for them,
                // which an earlier article may have made with another spelling of the same key.
                let made_here = entity.1 >= *base.get(entity.0);
                if speaker.kind == SpeakerKind::Person && made_here {
                    speaker.name = name_of(adopted);
                }
                speaker.entity = Some(adopted);
            }
            speaker.belongs_to = speaker.belongs_to.map(renumber);
            for entity in &mut quote.mentions {
                *entity = renumber(*entity);
            }
        }
        let mentioned = PerKind::from_fn(|kind| {
            let mut list: Vec<usize> = Vec::new();
            for &e in mentioned.get(kind) {
                let (_, e) = renumber((kind, e));
                if !list.contains(&e) {
                    list.push(e);
                }
            }
            list
        });
        (mentions, quotes, mentioned)
    }
}

/// An entity of a resolution in the registry's numbering: one it made (at or past `base`) by
/// `numbering`, one the registry had as it is.
fn renumbered(
    base: &PerKind<usize>,
    numbering: &PerKind<Vec<usize>>,
    (kind, i): EntityRef,
) -> EntityRef {
    match i.checked_sub(*base.get(kind)) {
        Some(made) => (kind, numbering.get(kind)[made]),
        None => (kind, i),
    }
}

/// The registry as one article sees it while it is resolved: the shared registry, read only, and
/// the entities the article makes, numbered after the shared ones.
pub(super) struct ArticleRegistry<'a> {
    shared: &'a Registry,
    base: PerKind<usize>,
    made: PerKind<Vec<Entity>>,
    made_by_id: PerKind<HashMap<String, usize>>,
    made_by_name: PerKind<HashMap<String, usize>>,
    fills: Vec<PersonFill>,
}

impl<'a> ArticleRegistry<'a> {
    fn new(shared: &'a Registry) -> ArticleRegistry<'a> {
        ArticleRegistry {
            shared,
            base: PerKind::from_fn(|kind| shared.entities.get(kind).len()),
            made: PerKind::default(),
            made_by_id: PerKind::default(),
            made_by_name: PerKind::default(),
            fills: Vec::new(),
        }
    }

    pub(super) fn name(&self, (kind, index): EntityRef) -> &str {
        match index.checked_sub(*self.base.get(kind)) {
            Some(made) => &self.made.get(kind)[made].name,
            None => &self.shared.entities.get(kind)[index].name,
        }
    }

    fn by_id(&self, kind: EntityKind, id: &str) -> Option<usize> {
        self.shared_or_made(
            kind,
            self.shared.by_id.get(kind).get(id),
            self.made_by_id.get(kind).get(id),
        )
    }

    fn by_name(&self, kind: EntityKind, key: &str) -> Option<usize> {
        self.shared_or_made(
            kind,
            self.shared.by_name.get(kind).get(key),
            self.made_by_name.get(kind).get(key),
        )
    }

    /// A shared entity's index, else one made here, numbered after the shared ones.
    fn shared_or_made(
        &self,
        kind: EntityKind,
        shared: Option<&usize>,
        made: Option<&usize>,
    ) -> Option<usize> {
        shared
            .copied()
            .or_else(|| made.map(|&m| self.base.get(kind) + m))
    }

    fn make(&mut self, kind: EntityKind, id: String, name: String, slug: String) -> usize {
        let entity = self.shared.entity_for(kind, id.clone(), name.clone(), slug);
        let made = self.made.get(kind).len();
        self.made.get_mut(kind).push(entity);
        self.made_by_id.get_mut(kind).insert(id, made);
        self.made_by_name
            .get_mut(kind)
            .entry(name_key(&name))
            .or_insert(made);
        self.base.get(kind) + made
    }

    /// The entity of a reference target, made on first use. See [`Registry::place_entity`].
    pub(super) fn place_entity(&mut self, target: &Target) -> EntityRef {
        let (kind, id) = Registry::target_id(target);
        if let Some(index) = self.by_id(kind, id) {
            return (kind, index);
        }
        let (name, slug) = self.shared.target_name_and_slug(target);
        (kind, self.make(kind, id.clone(), name, slug))
    }

    /// The entity of a person found in the article. See [`Registry::person_entity`].
    pub(super) fn person_entity(&mut self, person: &LocalPerson) -> EntityRef {
        let kind = EntityKind::Person;
        let key = name_key(&person.name);
        let named = self.by_name(kind, &key);
        // As the registry chose (`Registry::person_entity`): a noted name, then the full-named
        // person a bare surname means, then a one-word person.
        let noted = named.filter(|&i| {
            !person.surname_only
                || i < *self.base.get(kind) && self.shared.entities.get(kind)[i].note.is_some()
        });
        let found = noted
            .or_else(|| {
                person
                    .surname_only
                    .then(|| self.person_with_surname(&name_key(person.surname()), person.gender))
                    .flatten()
            })
            .or(named);
        let index = match found {
            Some(index) => index,
            None => self.make(
                kind,
                key,
                person.name.clone(),
                crate::slug::slugify(&person.name),
            ),
        };
        let known = match index.checked_sub(*self.base.get(kind)) {
            Some(made) => &self.made.get(kind)[made],
            None => &self.shared.entities.get(kind)[index],
        };
        // Only what would change the entity is kept (most people were registered with their
        // details before any article was resolved).
        let fills_role = known.role.is_none() && person.role.is_some();
        let fills_country = known.person_country.is_none() && person.country.is_some();
        let fills_organisation =
            known.person_organisation.is_none() && person.organisation.is_some();
        if fills_role || fills_country || fills_organisation {
            self.fills.push(PersonFill {
                person: index,
                role: person.role.clone(),
                country: person.country.clone(),
                organisation: person.organisation.clone(),
            });
        }
        (kind, index)
    }

    /// The full-named person with surname key `surname` a bare surname means: the registry's
    /// choice (`Registry::person_for_surname`), so that every stage of every article makes it
    /// alike; people made here are not candidates.
    fn person_with_surname(&self, surname: &str, gender: Option<Gender>) -> Option<usize> {
        self.shared
            .person_for_surname(&self.shared.surname_candidates(surname), gender)
    }

    /// The entity of a name written by hand in front matter: a reference entity when the data
    /// knows the name, else an entity of the site.
    fn named_entity(&mut self, kind: EntityKind, name: &str) -> usize {
        if let Some(index) = self.lookup(kind, name) {
            return index;
        }
        match (kind, self.shared.reference_names.get(&name_key(name))) {
            (EntityKind::Country, Some(target @ Target::Country(_)))
            | (EntityKind::Organisation, Some(target @ Target::Organisation(_))) => {
                let target = target.clone();
                self.place_entity(&target).1
            }
            _ => self.make(
                kind,
                name_key(name),
                name.trim().to_string(),
                crate::slug::slugify(name),
            ),
        }
    }

    /// The entity already known under `name`, if any.
    fn lookup(&self, kind: EntityKind, name: &str) -> Option<usize> {
        let key = name_key(name);
        if let Some(index) = self.by_name(kind, &key) {
            return Some(index);
        }
        let target = self.shared.reference_names.get(&key)?;
        let id = match (kind, target) {
            (EntityKind::Country, Target::Country(code)) => code,
            (EntityKind::Organisation, Target::Organisation(id)) => id,
            _ => return None,
        };
        self.by_id(kind, id)
    }
}
