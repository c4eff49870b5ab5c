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
    ((*built.site).clone(), built.rendered.files)
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

/// A site of the five raw seed files as scraped (tests/acceptance/raw/, copied from the shared
/// corpus), with no front matter at all.
fn raw_site() -> (Site, Vec<briefing::render::OutputFile>) {
    let site = common::Fixture::new();
    for entry in std::fs::read_dir(common::repo_root().join("tests/acceptance/raw")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        site.write_bytes(
            &format!("content/articles/{name}"),
            &std::fs::read(&path).unwrap(),
        );
    }
    let built = briefing::build_in_memory(&site.options()).unwrap();
    ((*built.site).clone(), built.rendered.files)
}

#[test]
fn the_example_site_shows_what_the_acceptance_table_lists() {
    let (site, files) = example_site();
    let problems = check_table(&site, &files);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_raw_seed_files_built_directly_show_the_same() {
    let (site, files) = raw_site();
    let mut problems = check_table(&site, &files);
    // And their metadata is what the text says: the table's, except what the text does not give.
    let table = yaml::parse(include_str!("acceptance/seeds.yaml")).unwrap();
    for entry in table["articles"].as_sequence().unwrap() {
        let metadata = &entry["metadata"];
        let article = &find_article(&site, metadata["title"].as_str().unwrap()).article;
        let file = entry["file"].as_str().unwrap();
        let date = article.date.map(|d| d.format("%Y-%m-%d").to_string());
        let source = article.outlet.clone();
        let author = article.author.clone();
        let expected = |key: &str| metadata[key].as_str().map(str::to_string);
        // 002 gives "November 23" with no year; 003 names its outlet only as a logo ("indianarrative").
        let text_lacks = |key: &str| {
            matches!(
                (file, key),
                ("002_01f7978d7df2b997.txt", "date") | ("003_128cb8db6f164c0f.txt", "source")
            )
        };
        for (key, found) in [("date", date), ("source", source), ("author", author)] {
            let want = if text_lacks(key) { None } else { expected(key) };
            if found != want {
                problems.push(format!("{file}: {key} is {found:?}, expected {want:?}"));
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

/// Every row of the acceptance table that `site` does not show, as a line.
fn check_table(site: &Site, files: &[briefing::render::OutputFile]) -> Vec<String> {
    let table = yaml::parse(include_str!("acceptance/seeds.yaml")).unwrap();
    let mut problems = Vec::new();
    for entry in table["articles"].as_sequence().unwrap() {
        let title = entry["metadata"]["title"].as_str().unwrap();
        let article = find_article(site, title);
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
                .map(|&i| names_of(site, kind, i))
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
            article.quotes.clone().map(|q| &*site.quotes[q]).collect();
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
                Some((kind, i)) => names_of(site, kind, i),
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
    problems
}
