//! `briefing check`: one line per finding with file and line; exit code 1 on errors only.

mod common;

use common::{article, Fixture};

fn check(site: &Fixture) -> (i32, Vec<String>) {
    let output = site.run(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    (
        output.status.code().unwrap_or(-1),
        stdout.lines().map(str::to_string).collect(),
    )
}

fn clean_site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/articles/minsk.md",
        &article(
            "title: Talks in Minsk\ndate: 2024-01-02\nsource: Example News",
            "Belarus hosted the talks.\n\n\"We are ready,\" Belarusian President Alexander Lukashenko said.\n",
        ),
    );
    site
}

#[test]
fn a_clean_site_passes() {
    let (code, lines) = check(&clean_site());
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(lines, ["check: 0 errors, 0 warnings"]);
}

#[test]
fn missing_dates_and_sources_and_unattributed_quotes_are_warnings() {
    let site = clean_site();
    site.write(
        "content/articles/note.md",
        &article(
            "title: A note",
            "Some background.\n\n\"It will be a long night.\"\n\nThe talks went on.\n\n\"Nobody knows what comes next,\" one diplomat told reporters.\n",
        ),
    );
    let (code, lines) = check(&site);
    assert_eq!(code, 0, "warnings alone pass: {lines:?}");
    assert!(lines.contains(&"warning: content/articles/note.md:1:1: the article has no date (add `date: YYYY-MM-DD` to its front matter)".to_string()), "{lines:?}");
    assert!(
        lines
            .iter()
            .any(|l| l
                .starts_with("warning: content/articles/note.md:1:1: the article has no source"))
    );
    // The quotation is placed on its line of the file.
    assert!(
        lines.iter().any(|l| l.starts_with(
            "warning: content/articles/note.md:6:1: no speaker found for quotation q1 (\"It will be a long night.\")"
        )),
        "{lines:?}"
    );
    // An anonymous source is an attribution.
    assert!(!lines.iter().any(|l| l.contains("q2")), "{lines:?}");
    assert_eq!(lines.last().unwrap(), "check: 0 errors, 3 warnings");
}

#[test]
fn the_same_story_twice_is_an_error() {
    let site = clean_site();
    let body = "The foreign ministers of Armenia and Azerbaijan met in Almaty on Friday for a second round of talks on a peace treaty, officials in both capitals said.\n";
    site.write(
        "content/articles/a.md",
        &article(
            "title: Talks in Almaty\ndate: 2024-05-10\nsource: Example News",
            body,
        ),
    );
    site.write(
        "content/articles/b.md",
        &article(
            "title: Ministers meet in Almaty\ndate: 2024-05-10\nsource: Other News",
            body,
        ),
    );
    let (code, lines) = check(&site);
    assert_eq!(code, 1);
    assert!(lines.contains(&"error: content/articles/b.md:1:1: the article has the same text as content/articles/a.md (keep one of the two files, or add `draft: true` to one)".to_string()), "{lines:?}");
}

#[test]
fn unknown_names_in_front_matter_get_a_suggestion() {
    let site = clean_site();
    site.write(
        "content/articles/c.md",
        &article(
            "title: Berlin\ndate: 2024-05-10\nsource: Example News\ncountries:\n  - Germny\norganisations: [NATO]",
            "The talks went on.\n",
        ),
    );
    let (code, lines) = check(&site);
    assert_eq!(code, 0);
    assert!(
        lines.contains(&"warning: content/articles/c.md:6:1: the country \"Germny\" is known to neither the reference data nor a note (did you mean \"Germany\"? fix the spelling, or describe it in content/countries/germny.md)".to_string()),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("NATO")), "{lines:?}");
}

#[test]
fn broken_links_are_errors_with_the_page_and_line() {
    let site = clean_site();
    let base =
        std::fs::read_to_string(site.root().join("themes/default/templates/home.html")).unwrap();
    site.write(
        "templates/home.html",
        &base.replacen(
            "{% block content %}",
            "{% block content %}\n<a href=\"{{ root }}nowhere.html\">x</a>",
            1,
        ),
    );
    let (code, lines) = check(&site);
    assert_eq!(code, 1);
    let broken: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("nowhere.html"))
        .collect();
    assert_eq!(broken.len(), 1, "{lines:?}");
    assert!(
        broken[0].starts_with("error: (page) index.html:")
            && broken[0].ends_with(
                "link \"nowhere.html\" points to nowhere.html, which the site does not have"
            ),
        "{broken:?}"
    );
}
