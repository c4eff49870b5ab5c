//! Feeds and crawler files: Atom feeds for the site and each entity, `sitemap.xml`, `robots.txt`,
//! and the tags pages carry for them.

mod common;

use common::{article, Fixture};

fn site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/articles/minsk.md",
        &article(
            "title: Talks in <Minsk> & \"beyond\"\ndate: 2024-01-02\nsource: Example News",
            "Belarus hosted the talks with Armenia.\n",
        ),
    );
    site.write(
        "content/articles/yerevan.md",
        &article(
            "title: Yerevan waits\ndate: 2024-02-03\nsummary: Armenia weighs its options.",
            "Armenia said nothing.\n",
        ),
    );
    site.write(
        "content/articles/undated.md",
        &article("title: An undated note", "Belarus again.\n"),
    );
    site
}

/// The feed's entries as (title, link, summary).
fn entries(xml: &str) -> Vec<(String, String, String)> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not XML ({e}): {xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for required in ["title", "id", "updated", "author"] {
        assert!(
            root.children().any(|c| c.tag_name().name() == required),
            "feed has no {required}"
        );
    }
    root.children()
        .filter(|c| c.tag_name().name() == "entry")
        .map(|entry| {
            let child = |name: &str| entry.children().find(|c| c.tag_name().name() == name);
            assert!(child("id").is_some() && child("updated").is_some());
            (
                child("title")
                    .and_then(|t| t.text())
                    .unwrap_or("")
                    .to_string(),
                child("link")
                    .and_then(|l| l.attribute("href"))
                    .unwrap_or("")
                    .to_string(),
                child("summary")
                    .and_then(|t| t.text())
                    .unwrap_or("")
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn the_site_and_each_entity_have_an_atom_feed_of_dated_articles() {
    let site = site();
    site.build_ok();
    let all = entries(&site.page("atom.xml"));
    let titles: Vec<&str> = all.iter().map(|(t, _, _)| t.as_str()).collect();
    // Newest first; undated articles have no date for an entry.
    assert_eq!(titles, ["Yerevan waits", "Talks in <Minsk> & \"beyond\""]);
    assert_eq!(all[0].1, "articles/yerevan.html");
    assert_eq!(all[0].2, "Armenia weighs its options.");
    assert_eq!(all[1].2, "Belarus hosted the talks with Armenia.");

    let belarus = entries(&site.page("countries/belarus.xml"));
    assert_eq!(belarus.len(), 1);
    // Relative to the feed's own address.
    assert_eq!(belarus[0].1, "../articles/minsk.html");
    assert!(site.output().join("countries").join(&belarus[0].1).exists());
    assert_eq!(entries(&site.page("countries/armenia.xml")).len(), 2);

    // Pages point to the feeds.
    let page = site.page("countries/belarus.html");
    assert!(page.contains(r#"<link rel="alternate" type="application/atom+xml" title="Test briefing: Belarus" href="../countries/belarus.xml">"#), "{page}");
    assert!(page.contains(r#"href="../atom.xml""#));
    assert!(site
        .page("index.html")
        .contains(r#"<meta property="og:title" content="Test briefing">"#));
    let article = site.page("articles/yerevan.html");
    assert!(article.contains(r#"<meta property="og:type" content="article">"#));
    assert!(article
        .contains(r#"<meta property="og:description" content="Armenia weighs its options.">"#));

    // Without base_url there is no sitemap (it needs absolute addresses); robots.txt is there.
    assert!(!site.output().join("sitemap.xml").exists());
    assert_eq!(site.page("robots.txt"), "User-agent: *\nAllow: /\n");
}

#[test]
fn with_a_base_url_links_are_absolute_and_there_is_a_sitemap() {
    let site = site();
    site.write(
        "site.yaml",
        "title: Test briefing\nbase_url: https://example.org/briefing/\n",
    );
    site.build_ok();
    let all = entries(&site.page("atom.xml"));
    assert_eq!(
        all[0].1,
        "https://example.org/briefing/articles/yerevan.html"
    );
    let sitemap = site.page("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).unwrap();
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.org/briefing/"));
    assert!(locs.contains(&"https://example.org/briefing/countries/belarus.html"));
    assert!(!locs.iter().any(|l| l.ends_with("404.html")));
    let pages = site
        .output_files()
        .keys()
        .filter(|p| p.ends_with(".html"))
        .count();
    assert_eq!(locs.len(), pages - 1);
    assert!(sitemap.contains("<loc>https://example.org/briefing/articles/yerevan.html</loc><lastmod>2024-02-03</lastmod>"));
    assert!(site
        .page("robots.txt")
        .ends_with("Sitemap: https://example.org/briefing/sitemap.xml\n"));
    assert!(site.page("countries/belarus.html").contains(
        r#"<meta property="og:url" content="https://example.org/briefing/countries/belarus.html">"#
    ));
}
