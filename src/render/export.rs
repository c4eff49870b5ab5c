//! `data/briefing.json`: the derived site as data, for analysts' own tools. Ids are stable across
//! builds: an article's slug, a country's ISO alpha-3 code, an organisation's data id, a person's
//! slug, and `<article slug>/q<n>` for a quotation. Every `href` is relative to the site root.

use std::io::{self, Write};

use serde::Serialize;

use super::dates;
use super::{article_path, entity_path, SitePath};
use crate::content::EntityKind;
use crate::derive::{Entity, EntityRef, Site};

/// Where the export goes in the output.
pub const PATH: &str = "data/briefing.json";

#[derive(Serialize)]
struct Export<'a> {
    articles: Vec<ArticleData<'a>>,
    countries: Vec<EntityData<'a>>,
    organisations: Vec<EntityData<'a>>,
    people: Vec<PersonData<'a>>,
    quotes: Lazy<QuoteSource<'a>>,
}

/// Makes the quotations' records one by one, as they are written.
type QuoteSource<'a> = Box<dyn Fn() -> Box<dyn Iterator<Item = QuoteData<'a>> + 'a> + 'a>;

/// A list serialised item by item as its iterator makes them, never collected.
struct Lazy<F>(F);

impl<'a, F, T> Serialize for Lazy<F>
where
    F: Fn() -> Box<dyn Iterator<Item = T> + 'a>,
    T: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq((self.0)())
    }
}

/// serde_json's compact layout, with `<`, `>` and `&` in strings written as `\u003c`, `\u003e` and
/// `\u0026`. In JSON they appear only inside strings, where the escapes mean the same, so the data
/// can be inlined in a page. Escaping the strings as they are written, rather than filtering every
/// byte of the output, keeps the structure's many small writes direct. The layout is compact: at
/// 10,000 articles the pretty one made the file half as large again (48 MB against 34), and a
/// reader's tool (`jq .`) lays it out when a person reads it.
struct ScriptSafe;

impl serde_json::ser::Formatter for ScriptSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_script_safe(writer, fragment)
    }
}

#[derive(Serialize)]
struct ArticleData<'a> {
    id: &'a str,
    title: &'a str,
    date: Option<String>,
    source: Option<&'a str>,
    author: Option<&'a str>,
    url: Option<&'a str>,
    href: String,
    countries: Vec<&'a str>,
    organisations: Vec<&'a str>,
    people: Vec<&'a str>,
    quotes: Vec<QuoteId<'a>>,
}

#[derive(Serialize)]
struct EntityData<'a> {
    id: &'a str,
    name: &'a str,
    href: String,
    articles: Vec<&'a str>,
    quotes_by: Vec<QuoteId<'a>>,
    quotes_about: Vec<QuoteId<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    members: Option<Vec<&'a str>>,
}

#[derive(Serialize)]
struct PersonData<'a> {
    id: &'a str,
    name: &'a str,
    role: Option<&'a str>,
    country: Option<&'a str>,
    organisation: Option<&'a str>,
    href: String,
    articles: Vec<&'a str>,
    quotes: Vec<QuoteId<'a>>,
}

#[derive(Serialize)]
struct QuoteData<'a> {
    id: QuoteId<'a>,
    article: &'a str,
    text: &'a str,
    partial: bool,
    speaker: SpeakerData<'a>,
    countries: Vec<&'a str>,
    organisations: Vec<&'a str>,
    href: SitePath<'a>,
}

/// A quotation's id, `<article slug>/<anchor>`, put together as it is written: the export names
/// each quotation several times (in its article, its speaker, the entities it names, itself), and
/// none of them is kept.
#[derive(Clone, Copy)]
struct QuoteId<'a> {
    slug: &'a str,
    anchor: &'a str,
}

impl Serialize for QuoteId<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // One short string: `collect_str` went through the formatter, at several times the cost.
        let mut id = String::with_capacity(self.slug.len() + 1 + self.anchor.len());
        id.push_str(self.slug);
        id.push('/');
        id.push_str(self.anchor);
        serializer.serialize_str(&id)
    }
}

#[derive(Serialize)]
struct SpeakerData<'a> {
    name: &'a str,
    kind: &'static str,
    id: Option<&'a str>,
}

/// Writes the export: compact JSON, in the site's order, so two builds give the same bytes.
/// It is written as it is made, never held whole: at 100,000 articles it is about half a gigabyte.
pub fn write_json(site: &Site, out: &mut dyn Write) -> io::Result<()> {
    let quote_id = |q: usize| {
        let quote = &site.quotes[q];
        QuoteId {
            slug: &site.articles[quote.article].article.slug,
            anchor: &quote.anchor,
        }
    };
    let entity_id = |entity: EntityRef| public_id(site.entity(entity));
    let ids_of = |kind: EntityKind, indexes: &[usize]| -> Vec<&str> {
        indexes
            .iter()
            .map(|&i| public_id(&site.entities.get(kind)[i]))
            .collect()
    };
    let article_ids = |entity: &Entity| -> Vec<&str> {
        entity
            .articles
            .iter()
            .map(|&a| site.articles[a].article.slug.as_str())
            .collect()
    };
    let export = Export {
        articles: site
            .articles
            .iter()
            .map(|derived| {
                let article = &derived.article;
                ArticleData {
                    id: &article.slug,
                    title: &article.title,
                    date: article.date.map(dates::iso),
                    source: article.outlet.as_deref(),
                    author: article.author.as_deref(),
                    url: article.url.as_deref(),
                    href: article_path(&article.slug),
                    countries: ids_of(
                        EntityKind::Country,
                        derived.mentioned.get(EntityKind::Country),
                    ),
                    organisations: ids_of(
                        EntityKind::Organisation,
                        derived.mentioned.get(EntityKind::Organisation),
                    ),
                    people: ids_of(
                        EntityKind::Person,
                        derived.mentioned.get(EntityKind::Person),
                    ),
                    quotes: derived.quotes.clone().map(quote_id).collect(),
                }
            })
            .collect(),
        countries: site
            .entities
            .get(EntityKind::Country)
            .iter()
            .map(|e| place_data(e, &quote_id, &article_ids))
            .collect(),
        organisations: site
            .entities
            .get(EntityKind::Organisation)
            .iter()
            .map(|e| EntityData {
                members: Some(e.organisation.as_ref().map_or(Vec::new(), |o| {
                    o.members.iter().map(String::as_str).collect()
                })),
                ..place_data(e, &quote_id, &article_ids)
            })
            .collect(),
        people: site
            .entities
            .get(EntityKind::Person)
            .iter()
            .map(|person| PersonData {
                id: public_id(person),
                name: &person.name,
                role: person.role.as_deref(),
                country: person.person_country.as_deref(),
                organisation: person.person_organisation.as_deref(),
                href: entity_path(EntityKind::Person, &person.slug),
                articles: article_ids(person),
                quotes: person.quotes_by.iter().map(|&q| quote_id(q)).collect(),
            })
            .collect(),
        quotes: Lazy(Box::new(move || {
            Box::new((0..site.quotes.len()).map(move |q| {
                let quote = &site.quotes[q];
                let article = &site.articles[quote.article].article;
                let mentioned = |kind: EntityKind| -> Vec<&str> {
                    quote
                        .mentions
                        .iter()
                        .filter(|m| m.0 == kind)
                        .map(|&m| entity_id(m))
                        .collect()
                };
                QuoteData {
                    id: quote_id(q),
                    article: &article.slug,
                    text: &quote.text,
                    partial: quote.partial,
                    speaker: SpeakerData {
                        name: &quote.speaker.name,
                        kind: quote.speaker.kind.as_str(),
                        id: quote.speaker.entity.map(entity_id),
                    },
                    countries: mentioned(EntityKind::Country),
                    organisations: mentioned(EntityKind::Organisation),
                    href: SitePath::Quote {
                        slug: &article.slug,
                        anchor: &quote.anchor,
                    },
                }
            }))
        })),
    };
    // The serializer makes many small writes: into a buffer it can see, not through `dyn Write`.
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let mut serializer = serde_json::Serializer::with_formatter(&mut buffered, ScriptSafe);
    export
        .serialize(&mut serializer)
        .map_err(io::Error::other)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// Writes `text` with each `<`, `>` and `&` as its JSON escape, so that no string can end the
/// script it sits in or open markup; the runs between them are found with `memchr3` and written
/// whole.
pub(super) fn write_script_safe<W: ?Sized + Write>(writer: &mut W, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut copied = 0;
    for at in memchr::memchr3_iter(b'<', b'>', b'&', bytes) {
        let escape: &[u8] = match bytes[at] {
            b'<' => b"\\u003c",
            b'>' => b"\\u003e",
            _ => b"\\u0026",
        };
        writer.write_all(&bytes[copied..at])?;
        writer.write_all(escape)?;
        copied = at + 1;
    }
    writer.write_all(&bytes[copied..])
}

/// The export in memory, for a build that keeps its files.
pub fn site_json(site: &Site) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_json(site, &mut bytes).expect("writing to memory does not fail");
    bytes
}

fn place_data<'a>(
    entity: &'a Entity,
    quote_id: &dyn Fn(usize) -> QuoteId<'a>,
    article_ids: &dyn Fn(&'a Entity) -> Vec<&'a str>,
) -> EntityData<'a> {
    EntityData {
        id: public_id(entity),
        name: &entity.name,
        href: entity_path(entity.kind, &entity.slug),
        articles: article_ids(entity),
        quotes_by: entity.quotes_by.iter().map(|&q| quote_id(q)).collect(),
        quotes_about: entity.quotes_about.iter().map(|&q| quote_id(q)).collect(),
        members: None,
    }
}

/// The id the export shows: a person's slug rather than the internal name key.
fn public_id(entity: &Entity) -> &str {
    match entity.kind {
        EntityKind::Person => &entity.slug,
        _ => &entity.id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_cannot_close_a_script_and_the_layout_is_compact() {
        let value = serde_json::json!({"a<b": ["</script>&", 1], "plain": {"x": true}});
        let mut bytes = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut bytes, ScriptSafe,
            ))
            .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(!text.contains(['<', '>', '&']), "{text}");
        assert!(text.contains(r#""a\u003cb""#), "{text}");
        assert!(text.contains(r#""\u003c/script\u003e\u0026""#), "{text}");
        // The escapes read back as what they stand for, in the compact formatter's layout.
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            value
        );
        let compact = serde_json::to_string(&value).unwrap();
        assert_eq!(
            text.replace(r"\u003c", "<")
                .replace(r"\u003e", ">")
                .replace(r"\u0026", "&"),
            compact
        );
    }
}
