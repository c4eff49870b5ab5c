//! The acceptance table for the example site (tests/acceptance/seeds.yaml, copied from the shared
//! acceptance file): for each seed article, the countries, organisations and people it mentions, its
//! quotations with their speakers, what is not a quotation, and the page furniture that must not show.

mod common;

use std::collections::BTreeSet;

use briefing::content::EntityKind;
use briefing::derive::{DerivedArticle, Site};
use briefing::yaml::{self, Value};

/// Folds typographic quotes to plain ones and collapses white space, as the table's rules say.
fn fold(text: &str) -> String {
    text.replace(['“', '”', '«', '»'], "\"")
        .replace(['‘', '’'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn strings(value: &Value) -> Vec<String> {
    value.as_sequence().map_or(Vec::new(), |items| {
        items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    })
}

fn example_site() -> (Site, Vec<briefing::render::OutputFile>) {
    let out = tempfile::tempdir().unwrap();
    let options = briefing::BuildOptions {
        root: common::repo_root(),
        output: Some(out.path().join("public")),
        ..Default::default()
    };
    let built = briefing::build_in_memory(&options).unwrap();
    (built.site, built.rendered.files)
}

fn find_article<'a>(site: &'a Site, title: &str) -> &'a DerivedArticle {
    site.articles
        .iter()
        .find(|a| fold(&a.article.title) == fold(title))
        .unwrap_or_else(|| panic!("no article titled {title:?}"))
}

/// Names an entity answers to, for comparing with the table (CSTO = Collective Security Treaty
/// Organization; Turkey = Türkiye).
fn names_of(site: &Site, kind: EntityKind, index: usize) -> Vec<String> {
    let entity = &site.entities.get(kind)[index];
    let mut names = vec![entity.name.to_lowercase()];
    names.extend(entity.aliases().iter().map(|a| a.to_lowercase()));
    if let Some(country) = &entity.country {
        names.extend(country.names.iter().map(|n| n.to_lowercase()));
    }
    names
}

#[test]
fn the_example_site_shows_what_the_acceptance_table_lists() {
    let table = yaml::parse(include_str!("acceptance/seeds.yaml")).unwrap();
    let (site, files) = example_site();
    let mut problems = Vec::new();
    for entry in table["articles"].as_sequence().unwrap() {
        let title = entry["metadata"]["title"].as_str().unwrap();
        let article = find_article(&site, title);
        let file = entry["file"].as_str().unwrap();

        for (kind, key) in [
            (EntityKind::Country, "countries"),
            (EntityKind::Organisation, "organisations"),
            (EntityKind::Person, "people"),
        ] {
            let expected: BTreeSet<String> = strings(&entry[key])
                .iter()
                .map(|n| n.to_lowercase())
                .collect();
            let found: Vec<Vec<String>> = article
                .mentioned
                .get(kind)
                .iter()
                .map(|&i| names_of(&site, kind, i))
                .collect();
            for name in &expected {
                if !found.iter().any(|names| names.contains(name)) {
                    problems.push(format!("{file}: {key}: missing {name}"));
                }
            }
            for names in &found {
                if !names.iter().any(|n| expected.contains(n)) {
                    problems.push(format!("{file}: {key}: unexpected {}", names[0]));
                }
            }
        }

        let quotes: Vec<&briefing::derive::Quote> =
            article.quotes.iter().map(|&q| &site.quotes[q]).collect();
        let mut matched = vec![false; quotes.len()];
        for expected in entry["quotes"].as_sequence().unwrap() {
            let starts = fold(expected["starts"].as_str().unwrap());
            let speaker = expected["speaker"].as_str().unwrap().to_lowercase();
            let partial = expected["partial"].as_bool().unwrap_or(false);
            let Some(index) = quotes
                .iter()
                .position(|q| fold(&q.text).starts_with(&starts))
            else {
                problems.push(format!("{file}: quote not found: {starts:?}"));
                continue;
            };
            matched[index] = true;
            let quote = quotes[index];
            let speaker_names: Vec<String> = match quote.speaker.entity {
                Some((kind, i)) => names_of(&site, kind, i),
                None => vec![quote.speaker.name.to_lowercase()],
            };
            if !speaker_names.contains(&speaker) {
                problems.push(format!(
                    "{file}: {starts:?}: speaker {:?}, expected {speaker:?}",
                    quote.speaker.name
                ));
            }
            if quote.partial != partial {
                problems.push(format!(
                    "{file}: {starts:?}: partial is {}, expected {partial}",
                    quote.partial
                ));
            }
        }
        for (quote, matched) in quotes.iter().zip(matched) {
            if !matched {
                problems.push(format!(
                    "{file}: not a quotation in the table: {:?} ({})",
                    quote.text, quote.speaker.name
                ));
            }
        }
        for not_quote in strings(&entry["not_quotes"]) {
            if quotes.iter().any(|q| {
                fold(&q.text).trim_matches(|c: char| !c.is_alphanumeric()) == fold(&not_quote)
            }) {
                problems.push(format!("{file}: {not_quote:?} is shown as a quotation"));
            }
        }

        let page_path = format!("articles/{}.html", article.article.slug);
        let page = files
            .iter()
            .find(|f| f.path == page_path)
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .unwrap();
        let main = &page[page.find("<main").unwrap()..page.find("</main>").unwrap()];
        for furniture in strings(&entry["boilerplate"]) {
            // Single words ("X", "Comments") are checked as whole paragraphs, longer ones anywhere.
            let shown = if furniture.split_whitespace().count() == 1 {
                main.contains(&format!("<p>{furniture}</p>"))
            } else {
                main.contains(&furniture)
            };
            if shown {
                problems.push(format!("{file}: page furniture shown: {furniture:?}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
