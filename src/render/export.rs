//! `data/briefing.json`: the derived site as data, for analysts' own tools. Ids are stable across
//! builds: an article's slug, a country's ISO alpha-3 code, an organisation's data id, a person's
//! slug, and `<article slug>/q<n>` for a quotation. Every `href` is relative to the site root.

use std::io::{self, Write};

use super::dates;
use super::json::JsonWriter;
use super::SitePath;
use crate::content::EntityKind;
use crate::derive::{DerivedArticle, Entity, Site};

/// Where the export goes in the output.
pub const PATH: &str = "data/briefing.json";

/// Writes the export: compact JSON (see [`super::json`]), in the site's order, so two builds give
/// the same bytes. It is written as it is made, never held whole: at 100,000 articles it is about
/// half a gigabyte. The compact layout: at 10,000 articles the pretty one made the file half as
/// large again (48 MB against 34), and a reader's tool (`jq .`) lays it out when a person reads it.
///
/// ```text
/// {"articles":[{"id","title","date","source","author","url","href",
///               "countries","organisations","people","quotes"}],
///  "countries":[{"id","name","href","articles","quotes_by","quotes_about"}],
///  "organisations":[{... as countries ...,"members"}],
///  "people":[{"id","name","role","country","organisation","href","articles","quotes"}],
///  "quotes":[{"id","article","text","partial","speaker":{"name","kind","id"},
///             "countries","organisations","href"}]}
/// ```
pub fn write_json(site: &Site, out: &mut dyn Write) -> io::Result<()> {
    let mut json = JsonWriter::new(out);
    json.raw("{\"articles\":");
    json.array(&site.articles, |json, derived| {
        article(json, site, derived);
        json.flush_block();
    });
    for (key, kind) in [
        ("countries", EntityKind::Country),
        ("organisations", EntityKind::Organisation),
    ] {
        json.key(key);
        json.array(site.entities.get(kind), |json, entity| {
            place(json, site, entity, kind == EntityKind::Organisation);
            json.flush_block();
        });
    }
    json.key("people");
    json.array(site.entities.get(EntityKind::Person), |json, person| {
        self::person(json, site, person);
        json.flush_block();
    });
    json.key("quotes");
    json.array(0..site.quotes.len(), |json, q| {
        quote(json, site, q);
        json.flush_block();
    });
    json.raw("}\n");
    json.finish()
}

fn article(json: &mut JsonWriter, site: &Site, derived: &DerivedArticle) {
    let article = &derived.article;
    json.raw("{\"id\":");
    json.string(&article.slug);
    json.key("title");
    json.string(&article.title);
    json.optional_fields(&[
        ("date", article.date.map(dates::iso).as_deref()),
        ("source", article.outlet.as_deref()),
        ("author", article.author.as_deref()),
        ("url", article.url.as_deref()),
    ]);
    json.key("href");
    json.string_of(&SitePath::Article(&article.slug).pieces());
    for (key, kind) in [
        ("countries", EntityKind::Country),
        ("organisations", EntityKind::Organisation),
        ("people", EntityKind::Person),
    ] {
        json.key(key);
        json.array(derived.mentioned.get(kind), |json, &i| {
            json.string(public_id(&site.entities.get(kind)[i]));
        });
    }
    json.key("quotes");
    json.array(derived.quotes.clone(), |json, q| quote_id(json, site, q));
    json.raw("}");
}

/// A country or an organisation (`with_members`: its members in the reference data, if any).
fn place(json: &mut JsonWriter, site: &Site, entity: &Entity, with_members: bool) {
    json.raw("{\"id\":");
    json.string(public_id(entity));
    json.key("name");
    json.string(&entity.name);
    json.key("href");
    json.string_of(&SitePath::Entity(entity.kind, &entity.slug).pieces());
    json.key("articles");
    article_ids(json, site, entity);
    json.key("quotes_by");
    json.array(&entity.quotes_by, |json, &q| quote_id(json, site, q));
    json.key("quotes_about");
    json.array(&entity.quotes_about, |json, &q| quote_id(json, site, q));
    if with_members {
        json.key("members");
        let members = entity.organisation.map_or(&[][..], |o| &o.members[..]);
        json.array(members, |json, member| json.string(member));
    }
    json.raw("}");
}

fn person(json: &mut JsonWriter, site: &Site, person: &Entity) {
    json.raw("{\"id\":");
    json.string(public_id(person));
    json.key("name");
    json.string(&person.name);
    json.optional_fields(&[
        ("role", person.role.as_deref()),
        ("country", person.person_country.as_deref()),
        ("organisation", person.person_organisation.as_deref()),
    ]);
    json.key("href");
    json.string_of(&SitePath::Entity(EntityKind::Person, &person.slug).pieces());
    json.key("articles");
    article_ids(json, site, person);
    json.key("quotes");
    json.array(&person.quotes_by, |json, &q| quote_id(json, site, q));
    json.raw("}");
}

fn quote(json: &mut JsonWriter, site: &Site, q: usize) {
    let quote = &site.quotes[q];
    let article = &site.articles[quote.article].article;
    json.raw("{\"id\":");
    quote_id(json, site, q);
    json.key("article");
    json.string(&article.slug);
    json.key("text");
    json.string(&quote.text);
    json.key("partial");
    json.bool(quote.partial);
    json.raw(",\"speaker\":{\"name\":");
    json.string(&quote.speaker.name);
    json.key("kind");
    json.string(quote.speaker.kind.as_str());
    json.key("id");
    json.optional_string(quote.speaker.entity.map(|e| public_id(site.entity(e))));
    json.raw("}");
    for (key, kind) in [
        ("countries", EntityKind::Country),
        ("organisations", EntityKind::Organisation),
    ] {
        json.key(key);
        json.array(
            quote.mentions.iter().filter(|m| m.0 == kind),
            |json, &mention| json.string(public_id(site.entity(mention))),
        );
    }
    json.key("href");
    json.string_of(
        &SitePath::Quote {
            slug: &article.slug,
            anchor: &quote.anchor,
        }
        .pieces(),
    );
    json.raw("}");
}

/// A quotation's id, `<article slug>/<anchor>`, put together as it is written: the export names
/// each quotation several times (in its article, its speaker, the entities it names, itself).
fn quote_id(json: &mut JsonWriter, site: &Site, q: usize) {
    let quote = &site.quotes[q];
    json.string_of(&[
        &site.articles[quote.article].article.slug,
        "/",
        &quote.anchor,
    ]);
}

/// The slugs of the articles that mention `entity`.
fn article_ids(json: &mut JsonWriter, site: &Site, entity: &Entity) {
    json.array(&entity.articles, |json, &a| {
        json.string(&site.articles[a].article.slug);
    });
}

/// The export in memory, for a build that keeps its files.
pub fn site_json(site: &Site) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_json(site, &mut bytes).expect("writing to memory does not fail");
    bytes
}

/// The id the export shows: a person's slug rather than the internal name key.
fn public_id(entity: &Entity) -> &str {
    match entity.kind {
        EntityKind::Person => &entity.slug,
        _ => &entity.id,
    }
}
