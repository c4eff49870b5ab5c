//! The derive stage: turns the loaded corpus into the site's model: articles in reading order, and
//! the countries, organisations and people they mention, each with its page name and the articles
//! that mention it.
//!
//! For now the mentions come from the editor's hand: entity notes and the `countries`,
//! `organisations` and `people` lists of each article's front matter (less its `exclude` lists).
//! Mention detection and quotes from the article text plug in here.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::content::{Article, Corpus, EntityKind, EntityNote, HomeIntro, PerKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug;

/// An entity (country, organisation, person) as the site shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub kind: EntityKind,
    pub name: String,
    /// The page name, unique within the kind.
    pub slug: String,
    /// The hand-written note, when there is one.
    pub note: Option<EntityNote>,
    /// Indexes into [`Site::articles`] of the articles that mention the entity, in reading order.
    pub articles: Vec<usize>,
}

impl Entity {
    pub fn aliases(&self) -> &[String] {
        self.note.as_ref().map_or(&[], |n| n.aliases.as_slice())
    }
}

/// An article and what was derived from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DerivedArticle {
    pub article: Article,
    /// Indexes into [`Site::entities`] of the entities the article mentions, per kind, by name.
    pub mentions: PerKind<Vec<usize>>,
}

/// The whole site's model, ready to render.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub home: Option<HomeIntro>,
    /// Newest first; undated articles last; ties by title, then slug.
    pub articles: Vec<DerivedArticle>,
    /// Per kind, sorted by name.
    pub entities: PerKind<Vec<Entity>>,
}

impl Site {
    pub fn entity_count(&self, kind: EntityKind) -> usize {
        self.entities.get(kind).len()
    }
}

/// Derives the site model from `corpus`. Two inputs that want one page are errors naming both.
pub fn derive(corpus: Corpus, diagnostics: &mut Diagnostics) -> Site {
    let mut articles = corpus.articles;
    articles.sort_by(reading_order);
    check_unique_article_slugs(&articles, diagnostics);

    let mut registry = Registry::default();
    for note in corpus.notes {
        registry.add_note(note, diagnostics);
    }

    let mut derived = Vec::with_capacity(articles.len());
    for (index, article) in articles.into_iter().enumerate() {
        let mut mentions = PerKind::<Vec<usize>>::default();
        for kind in EntityKind::ALL {
            let excluded: Vec<String> = article
                .excluded
                .get(kind)
                .iter()
                .map(|n| name_key(n))
                .collect();
            for name in article.added.get(kind) {
                if excluded.contains(&name_key(name)) {
                    continue;
                }
                let entity = registry.resolve_or_add(kind, name);
                let list = mentions.get_mut(kind);
                if !list.contains(&entity) {
                    list.push(entity);
                    registry.entities.get_mut(kind)[entity].articles.push(index);
                }
            }
        }
        derived.push(DerivedArticle { article, mentions });
    }

    let (entities, renumbering) = registry.into_sorted(diagnostics);
    for article in &mut derived {
        for kind in EntityKind::ALL {
            let list = article.mentions.get_mut(kind);
            for entity in list.iter_mut() {
                *entity = renumbering.get(kind)[*entity];
            }
            list.sort_by(|a, b| {
                entities.get(kind)[*a]
                    .name
                    .cmp(&entities.get(kind)[*b].name)
            });
        }
    }
    Site {
        home: corpus.home,
        articles: derived,
        entities,
    }
}

/// Newest first, undated last, then by title and slug so that the order never depends on the walk.
fn reading_order(a: &Article, b: &Article) -> std::cmp::Ordering {
    let date = |article: &Article| std::cmp::Reverse(article.date.unwrap_or(NaiveDate::MIN));
    (date(a), &a.title, &a.slug).cmp(&(date(b), &b.title, &b.slug))
}

fn check_unique_article_slugs(articles: &[Article], diagnostics: &mut Diagnostics) {
    let mut by_slug: BTreeMap<&str, Vec<&PathBuf>> = BTreeMap::new();
    for article in articles {
        by_slug
            .entry(&article.slug)
            .or_default()
            .push(&article.file);
    }
    for (slug, files) in by_slug.into_iter().filter(|(_, files)| files.len() > 1) {
        let mut files = files;
        files.sort();
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        diagnostics.push(
            Diagnostic::error(files[0], format!(
                "{} articles want the same page articles/{slug}.html: {}",
                files.len(),
                names.join(" and ")
            ))
            .with_hint("rename one of the files, or give one of them a different `slug:` in its front matter"),
        );
    }
}

/// The key under which a name is looked up: case, accents and spacing do not matter.
fn name_key(name: &str) -> String {
    deunicode::deunicode(name)
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalised(name: &str) -> bool {
    name.trim().chars().next().is_some_and(char::is_uppercase)
}

/// Entities being collected, with the names (and aliases) they answer to.
#[derive(Default)]
struct Registry {
    entities: PerKind<Vec<Entity>>,
    by_name: PerKind<BTreeMap<String, usize>>,
}

impl Registry {
    fn add_note(&mut self, note: EntityNote, diagnostics: &mut Diagnostics) {
        let kind = note.kind;
        let index = self.entities.get(kind).len();
        let names: Vec<String> = std::iter::once(&note.name)
            .chain(&note.aliases)
            .cloned()
            .collect();
        for name in &names {
            if let Some(&other) = self.by_name.get(kind).get(&name_key(name)) {
                let other_file = self.entities.get(kind)[other]
                    .note
                    .as_ref()
                    .map_or(String::new(), |n| n.file.display().to_string());
                diagnostics.push(
                    Diagnostic::error(&note.file, format!(
                        "the {} name \"{name}\" is already taken by {other_file}",
                        kind.singular()
                    ))
                    .with_hint("one entity, one note: merge the two notes, or remove the name from one of them"),
                );
                continue;
            }
            self.by_name.get_mut(kind).insert(name_key(name), index);
        }
        self.entities.get_mut(kind).push(Entity {
            kind,
            name: note.name.clone(),
            slug: note.slug.clone(),
            note: Some(note),
            articles: Vec::new(),
        });
    }

    fn resolve_or_add(&mut self, kind: EntityKind, name: &str) -> usize {
        let key = name_key(name);
        if let Some(&index) = self.by_name.get(kind).get(&key) {
            // Without a note to name it, a capitalised spelling wins over "armenia".
            let entity = &mut self.entities.get_mut(kind)[index];
            if entity.note.is_none() && capitalised(name) && !capitalised(&entity.name) {
                entity.name = name.trim().to_string();
            }
            return index;
        }
        let index = self.entities.get(kind).len();
        self.entities.get_mut(kind).push(Entity {
            kind,
            name: name.trim().to_string(),
            slug: slug::slugify(name),
            note: None,
            articles: Vec::new(),
        });
        self.by_name.get_mut(kind).insert(key, index);
        index
    }

    /// Sorts each kind's entities by name, checks that page names are unique, and returns the map
    /// from old to new indexes.
    fn into_sorted(
        self,
        diagnostics: &mut Diagnostics,
    ) -> (PerKind<Vec<Entity>>, PerKind<Vec<usize>>) {
        let mut renumbering = PerKind::<Vec<usize>>::default();
        let mut sorted = PerKind::<Vec<Entity>>::default();
        let mut entities = self.entities;
        for kind in EntityKind::ALL {
            let list = std::mem::take(entities.get_mut(kind));
            let mut order: Vec<usize> = (0..list.len()).collect();
            order.sort_by(|&a, &b| {
                (&list[a].name, &list[a].slug).cmp(&(&list[b].name, &list[b].slug))
            });
            let mut new_index = vec![0; list.len()];
            for (new, &old) in order.iter().enumerate() {
                new_index[old] = new;
            }
            let mut slots: Vec<Option<Entity>> = list.into_iter().map(Some).collect();
            let sorted_list: Vec<Entity> = order
                .iter()
                .map(|&old| slots[old].take().expect("each index once"))
                .collect();
            check_unique_entity_slugs(kind, &sorted_list, diagnostics);
            *sorted.get_mut(kind) = sorted_list;
            *renumbering.get_mut(kind) = new_index;
        }
        (sorted, renumbering)
    }
}

fn check_unique_entity_slugs(kind: EntityKind, entities: &[Entity], diagnostics: &mut Diagnostics) {
    let mut by_slug: BTreeMap<&str, Vec<&Entity>> = BTreeMap::new();
    for entity in entities {
        by_slug.entry(&entity.slug).or_default().push(entity);
    }
    for (slug, same) in by_slug.into_iter().filter(|(_, same)| same.len() > 1) {
        let described: Vec<String> = same
            .iter()
            .map(|e| match &e.note {
                Some(note) => format!("\"{}\" ({})", e.name, note.file.display()),
                None => format!("\"{}\" (named in an article)", e.name),
            })
            .collect();
        let file = same
            .iter()
            .find_map(|e| e.note.as_ref().map(|n| n.file.clone()))
            .unwrap_or_else(|| PathBuf::from("content").join(kind.folder()));
        let page = if slug.is_empty() {
            "(empty name)".to_string()
        } else {
            format!("{}/{slug}.html", kind.folder())
        };
        diagnostics.push(
            Diagnostic::error(file, format!("{} want the same page {page}", described.join(" and ")))
                .with_hint(format!(
                    "if they are one {}, make one a name or alias of the other in a note; otherwise rename the note file",
                    kind.singular()
                )),
        );
    }
}
