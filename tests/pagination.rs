//! Long lists go over several pages: the article list, the timeline, the quotations and an entity's
//! timeline, each item on exactly one page, in order, with pagers whose links all resolve.

mod common;

use common::{article, Fixture};

const WORDS: [&str; 8] = [
    "harvest", "border", "pipeline", "summit", "tariff", "election", "treaty", "drought",
];

/// Eight articles a month apart, each mentioning Belarus with one quotation, at three items a page.
fn eight_article_site() -> Fixture {
    let site = Fixture::new();
    site.write("site.yaml", "title: Paged briefing\npage_size: 3\n");
    for (i, word) in WORDS.iter().enumerate() {
        let month = i + 1;
        site.write(
            &format!("content/articles/{word}.md"),
            &article(
                &format!("title: The {word} story\ndate: 2023-{month:02}-10"),
                &format!(
                    "Belarus discussed the {word} on Monday.\n\n\"The {word} matters to us all,\" \
                     Belarusian President Alexander Lukashenko said.\n"
                ),
            ),
        );
    }
    site.build_ok();
    site
}

/// One needle per article's word, in the articles' order.
fn per_word(needle: impl Fn(&str) -> String) -> Vec<String> {
    WORDS.iter().map(|w| needle(w)).collect()
}

/// The pages of a list, page 1 first, and the first page number that does not exist.
fn list_pages(site: &Fixture, first: &str, stem: &str) -> Vec<String> {
    let mut pages = vec![site.page(first)];
    let mut n = 2;
    while site.output().join(format!("{stem}/page/{n}.html")).exists() {
        pages.push(site.page(&format!("{stem}/page/{n}.html")));
        n += 1;
    }
    pages
}

/// For each needle, the (page, offset) where it appears; panics unless it appears exactly once in
/// all the pages together.
fn places(pages: &[String], needles: &[String]) -> Vec<(usize, usize)> {
    needles
        .iter()
        .map(|needle| {
            let found: Vec<(usize, usize)> = pages
                .iter()
                .enumerate()
                .flat_map(|(p, page)| {
                    page.match_indices(needle.as_str())
                        .map(move |(o, _)| (p, o))
                })
                .collect();
            assert_eq!(
                found.len(),
                1,
                "{needle} should be on one page once: {found:?}"
            );
            found[0]
        })
        .collect()
}

#[test]
fn the_article_list_goes_newest_first_over_three_pages() {
    let site = eight_article_site();
    let pages = list_pages(&site, "articles/index.html", "articles");
    assert_eq!(pages.len(), 3);
    let newest_first: Vec<String> = WORDS
        .iter()
        .rev()
        .map(|w| format!(">The {w} story</a>"))
        .collect();
    let found = places(&pages, &newest_first);
    assert!(found.windows(2).all(|w| w[0] < w[1]), "{found:?}");
    assert_eq!(found.iter().filter(|(p, _)| *p == 2).count(), 2);
    assert!(pages[0].contains("8 articles, newest first"));
    assert!(pages[1].contains("Page 2 of 3"));
    assert!(pages[1].contains("<title>Articles (page 2 of 3) · Paged briefing</title>"));
    // Page 2 sits two folders down, and its pager leads back to page 1 and on to page 3.
    assert!(pages[1].contains(r#"<a rel="prev" href="../../articles/index.html">"#));
    assert!(pages[1].contains(r#"<a rel="next" href="../../articles/page/3.html">"#));
    assert!(!pages[2].contains(r#"rel="next""#));
}

#[test]
fn the_timeline_and_an_entity_go_oldest_first_over_pages_named_by_their_months() {
    let site = eight_article_site();
    for (first, stem) in [
        ("timeline.html", "timeline"),
        ("countries/belarus.html", "countries/belarus"),
    ] {
        let pages = list_pages(&site, first, stem);
        assert_eq!(pages.len(), 3, "{first}");
        // The timeline's own link to each article (the first page's quotation lists name the
        // articles too, with links to the quotations' places).
        let oldest_first: Vec<String> = per_word(|w| format!("{w}.html\">The {w} story</a>"));
        let found = places(&pages, &oldest_first);
        assert!(found.windows(2).all(|w| w[0] < w[1]), "{first}: {found:?}");
        assert!(
            pages[1].contains("Page 2 of 3: April 2023 – June 2023"),
            "{first}"
        );
        // Every quotation is under its article on one page of the timeline.
        let quotes: Vec<String> = per_word(|w| format!("“The {w} matters to us all”"));
        places(&pages, &quotes);
    }
    let first = site.page("countries/belarus.html");
    assert!(first.contains(r#"title="articles">8</span>"#));
    assert!(first.contains("Key facts"));
    let later = site.page("countries/belarus/page/3.html");
    assert!(
        !later.contains("Key facts"),
        "the side column is the first page's"
    );
    assert!(later.contains(r#"href="../../../countries/belarus/page/2.html""#));
}

#[test]
fn quotations_go_over_pages_by_speaker_and_the_index_finds_each_speaker() {
    let site = eight_article_site();
    let pages = list_pages(&site, "quotes/index.html", "quotes");
    assert_eq!(pages.len(), 3);
    let quotes: Vec<String> = per_word(|w| format!("The {w} matters to us all"));
    places(&pages, &quotes);
    // One speaker's eight quotations: a group that goes on over the later pages.
    assert!(pages[0].contains(r#"id="by-alexander-lukashenko""#));
    assert!(pages[0].contains(r#"href="../quotes/index.html#by-alexander-lukashenko""#));
    assert!(pages[1].contains(r#"id="by-alexander-lukashenko-continued""#));
    assert!(pages[1].contains("(continued)"));
    assert!(
        !pages[1].contains("speaker-index"),
        "the index is on page 1"
    );
}

#[test]
fn every_link_of_the_paged_site_resolves() {
    let site = eight_article_site();
    let output = site.run(&["check", "--errors-only"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("check: 0 errors"), "{stdout}");
}

#[test]
fn page_size_must_be_a_whole_number_above_zero() {
    let site = Fixture::new();
    site.write("site.yaml", "title: T\npage_size: 0\n");
    let errors = site.build_errors();
    assert!(
        errors
            .iter()
            .any(|e| e
                .starts_with("error: site.yaml:2:12: `page_size` must be a whole number above 0")),
        "{errors:?}"
    );
}

/// One quotation repeated in every article (a spokesman's line in each report) still gives
/// quotation pages of about `page_size`: each place of it breaks a page or not by its article too,
/// not all alike.
#[test]
fn a_quotation_repeated_across_articles_gives_pages_of_about_the_page_size() {
    let site = Fixture::new();
    site.write("site.yaml", "title: Repeated\npage_size: 10\n");
    for n in 0..120 {
        site.write(
            &format!("content/articles/report-{n:03}.md"),
            &article(
                &format!("title: Report {n}\ndate: 2023-05-{:02}", n % 28 + 1),
                "Belarus held talks on Monday.\n\n\"We will not take part in this,\" \
                 Belarusian President Alexander Lukashenko said.\n",
            ),
        );
    }
    site.build_ok();
    let pages = list_pages(&site, "quotes/index.html", "quotes");
    let per_page: Vec<usize> = pages
        .iter()
        .map(|page| page.matches("class=\"quote-item").count())
        .collect();
    assert_eq!(per_page.iter().sum::<usize>(), 120);
    let average = 120.0 / pages.len() as f64;
    assert!(
        (7.0..=14.0).contains(&average),
        "{average} a page: {per_page:?}"
    );
}
