//! Incremental rebuilds (`serve --watch`): after every kind of edit an editor makes, a build that
//! reuses the previous build's cache gives exactly the bytes of a clean build, and redoes only the
//! work the edit calls for.

mod common;

use std::path::PathBuf;

use briefing::build::{build_in_memory, build_in_memory_cached, BuildCache, Work};
use briefing::Error;
use common::{article, Fixture};

/// A site under edit, with the cache the watcher would keep.
struct Session {
    site: Fixture,
    cache: BuildCache,
}

impl Session {
    fn new(site: Fixture) -> Session {
        Session {
            site,
            cache: BuildCache::default(),
        }
    }

    /// Writes files as an editor saves them, telling the cache as the watcher does.
    fn save(&mut self, path: &str, text: &str) {
        self.site.write(path, text);
        self.cache.forget(&[self.site.root().join(path)]);
    }

    fn delete(&mut self, path: &str) {
        self.site.remove(path);
        self.cache.forget(&[self.site.root().join(path)]);
    }

    fn rename(&mut self, from: &str, to: &str) {
        let root = self.site.root();
        std::fs::create_dir_all(root.join(to).parent().unwrap()).unwrap();
        std::fs::rename(root.join(from), root.join(to)).unwrap();
        self.cache.forget(&[root.join(from), root.join(to)]);
    }

    /// Rebuilds with the cache, checks the result against a clean build byte for byte, and returns
    /// the work the rebuild did and the site's file paths.
    fn rebuild(&mut self) -> (Work, Vec<String>) {
        let options = self.site.options();
        let cached = build_in_memory_cached(&options, &mut self.cache);
        let clean = build_in_memory(&options);
        match (cached, clean) {
            (Ok(cached), Ok(clean)) => {
                let files = |b: &briefing::build::InMemoryBuild| -> Vec<(String, Vec<u8>)> {
                    b.rendered
                        .files
                        .iter()
                        .map(|f| (f.path.clone(), f.bytes.to_vec()))
                        .collect()
                };
                let (ours, theirs) = (files(&cached), files(&clean));
                let paths: Vec<String> = ours.iter().map(|(p, _)| p.clone()).collect();
                assert_eq!(
                    paths,
                    theirs.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
                    "the rebuild and a clean build have different files"
                );
                for ((path, a), (_, b)) in ours.iter().zip(&theirs) {
                    assert!(a == b, "{path} differs from a clean build");
                }
                assert_eq!(cached.diagnostics, clean.diagnostics);
                (cached.work, paths)
            }
            (Err(Error::Invalid(a)), Err(Error::Invalid(b))) => {
                assert_eq!(a, b, "the rebuild and a clean build fail differently");
                panic!(
                    "the build failed: {}",
                    a.iter()
                        .map(|d| d.to_string())
                        .collect::<Vec<_>>()
                        .join("; ")
                )
            }
            (a, b) => panic!(
                "a rebuild and a clean build disagree: {:?} / {:?}",
                a.err().map(|e| e.to_string()),
                b.err().map(|e| e.to_string())
            ),
        }
    }

    /// Rebuilds, expecting the build to fail as a clean build does; returns the errors.
    fn rebuild_fails(&mut self) -> Vec<String> {
        let options = self.site.options();
        let cached = build_in_memory_cached(&options, &mut self.cache);
        let clean = build_in_memory(&options);
        match (cached, clean) {
            (Err(Error::Invalid(a)), Err(Error::Invalid(b))) => {
                assert_eq!(a, b);
                a.iter().map(|d| d.to_string()).collect()
            }
            _ => panic!("both builds should fail"),
        }
    }
}

const KREMLIN: &str = "title: Putin meets Tokayev\ndate: 2024-05-02\nsource: Example News";
const KREMLIN_BODY: &str = "Russian President Vladimir Putin met Kazakh President Kassym-Jomart Tokayev in Moscow on Thursday.\n\n\"Our countries are close partners,\" Mr Putin said.\n";
const SUMMIT: &str = "title: CSTO summit opens\ndate: 2024-05-03\nsource: Example News";
const SUMMIT_BODY: &str = "The Collective Security Treaty Organisation met in Minsk. Armenia stayed away.\n\n\"We will not take part,\" Armenian Prime Minister Nikol Pashinyan said.\n";
const TRADE: &str = "title: Trade talks\ndate: 2024-05-04\nsource: Example News";
const TRADE_BODY: &str =
    "Officials from France and Germany met in Brussels to discuss the European Union budget.\n";

fn site() -> Session {
    let site = Fixture::new();
    site.write(
        "content/articles/kremlin.md",
        &article(KREMLIN, KREMLIN_BODY),
    );
    site.write("content/articles/summit.md", &article(SUMMIT, SUMMIT_BODY));
    site.write("content/articles/trade.md", &article(TRADE, TRADE_BODY));
    Session::new(site)
}

fn page(session: &Session, path: &str) -> String {
    let built = build_in_memory(&session.site.options()).unwrap();
    let file = built
        .rendered
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no page {path}"));
    String::from_utf8(file.bytes.to_vec()).unwrap()
}

#[test]
fn an_edited_article_is_the_only_one_analysed_again() {
    let mut session = site();
    let (first, paths) = session.rebuild();
    assert_eq!(first.articles_analysed, 3);
    let pages = paths.iter().filter(|p| p.ends_with(".html")).count();
    assert_eq!(first.pages_rendered, pages);

    // Nothing changed: nothing is read, analysed or rendered.
    let (idle, _) = session.rebuild();
    assert_eq!(idle, Work::default());

    // One article gains a sentence: it alone is read and analysed; its page and the pages that
    // list it are rendered, not the rest.
    session.save(
        "content/articles/trade.md",
        &article(
            TRADE,
            &format!(
                "{TRADE_BODY}\n\"The budget must grow,\" French President Emmanuel Macron said.\n"
            ),
        ),
    );
    let (edit, _) = session.rebuild();
    assert_eq!(edit.files_read, 1);
    assert_eq!(edit.articles_analysed, 1);
    // A new person: every article is resolved against the registry that now holds him.
    assert_eq!(edit.articles_resolved, 3, "{edit:?}");
    assert!(
        edit.pages_rendered > 0 && edit.pages_rendered < pages,
        "{edit:?}"
    );
    assert!(page(&session, "people/emmanuel-macron.html").contains("The budget must grow"));
}

#[test]
fn a_sentence_that_names_no_one_renders_only_its_article_page() {
    let mut session = site();
    session.rebuild();
    session.save(
        "content/articles/trade.md",
        &article(TRADE, &format!("{TRADE_BODY}\nThe talks went on late.\n")),
    );
    let (edit, _) = session.rebuild();
    assert_eq!(edit.articles_analysed, 1);
    // No one new: the other articles' entities and speakers stand as they were.
    assert_eq!(edit.articles_resolved, 1, "{edit:?}");
    assert_eq!(edit.pages_rendered, 1, "{edit:?}");
    assert!(page(&session, "articles/trade.html").contains("The talks went on late."));
}

#[test]
fn a_new_article_is_the_only_document_indexed_though_the_others_move() {
    let mut session = site();
    session.rebuild();
    // The newest article comes first: every other document of the index moves one place on.
    session.save(
        "content/articles/late.md",
        &article(
            "title: Late news\ndate: 2024-06-01\nsource: Example News",
            "The talks went on late.\n",
        ),
    );
    let (work, _) = session.rebuild();
    assert_eq!(work.articles_analysed, 1);
    assert_eq!(work.documents_indexed, 1, "{work:?}");
}

/// Edits that leave the site's people and places as they were patch the last site model instead of
/// putting it together again (`derive::patch`); each patched rebuild gives a clean build's bytes,
/// and an edit that brings in or drops a person or place is derived whole.
#[test]
fn edits_that_keep_the_sites_entities_patch_the_site_and_match_a_clean_build() {
    let mut session = site();
    session.rebuild();
    let edits: [(&str, String, bool); 7] = [
        // A sentence that names no one.
        (
            "content/articles/kremlin.md",
            article(KREMLIN, &format!("{KREMLIN_BODY}\nThe talks went on late.\n")),
            true,
        ),
        // A quotation in the newest article: every later quotation is numbered one on.
        (
            "content/articles/trade.md",
            article(
                TRADE,
                &format!("{TRADE_BODY}\n\"The budget must grow,\" the French Foreign Ministry said.\n"),
            ),
            true,
        ),
        // A country another article names: the article joins its lists.
        (
            "content/articles/trade.md",
            article(
                TRADE,
                &format!("{TRADE_BODY}\n\"The budget must grow,\" the French Foreign Ministry said. Armenia agreed.\n"),
            ),
            true,
        ),
        // The quotation goes again, and the country with it.
        ("content/articles/trade.md", article(TRADE, TRADE_BODY), true),
        // A country named in front matter.
        (
            "content/articles/trade.md",
            article(&format!("{TRADE}\ncountries: [Russia]"), TRADE_BODY),
            true,
        ),
        // A country no article named before: a new entity.
        (
            "content/articles/trade.md",
            article(TRADE, &format!("{TRADE_BODY}\nJapan sent an observer.\n")),
            false,
        ),
        // The only quotation of a person, and the person with it.
        (
            "content/articles/summit.md",
            article(SUMMIT, "The Collective Security Treaty Organisation met in Minsk.\n"),
            false,
        ),
    ];
    for (path, text, patched) in &edits {
        session.save(path, text);
        let (work, _) = session.rebuild();
        assert_eq!(work.site_patched, *patched, "{path}: {text}\n{work:?}");
        assert_eq!(work.articles_analysed, 1, "{work:?}");
        let russia = page(&session, "countries/russia.html");
        assert_eq!(
            russia.contains("Trade talks"),
            text.contains("[Russia]"),
            "{text}"
        );
    }
}

/// Every kind of edit, on a site whose lists run over several pages: each rebuild, which takes the
/// pages whose keys did not change from the cache, gives the bytes of a clean build.
#[test]
fn every_kind_of_edit_matches_a_clean_build_on_paginated_lists() {
    let mut session = site();
    session.save(
        "site.yaml",
        "title: Paged\npage_size: 2\nbase_url: https://example.org/\n",
    );
    for n in 1..=5 {
        session.save(
            &format!("content/articles/extra-{n}.md"),
            &article(
                &format!("title: Moscow talks {n}\ndate: 2024-04-0{n}\nsource: Example News"),
                &format!("Russia and Kazakhstan held talks in Moscow, round {n}.\n\n\"We agreed on round {n},\" Mr Tokayev said.\n"),
            ),
        );
    }
    session.rebuild();
    let edits: [(&str, String); 10] = [
        // A quotation's words, the same length (its place in the text is unchanged).
        (
            "content/articles/kremlin.md",
            article(KREMLIN, &KREMLIN_BODY.replace("close partners", "great partners")),
        ),
        // The newest article's month: it stays last, but the pagers' label of its page changes
        // on pages that do not show it.
        (
            "content/articles/trade.md",
            article(&TRADE.replace("2024-05-04", "2024-06-04"), TRADE_BODY),
        ),
        // A date: the article moves in every timeline and list, and the pagers' months change.
        (
            "content/articles/summit.md",
            article(&SUMMIT.replace("2024-05-03", "2024-03-01"), SUMMIT_BODY),
        ),
        // A title, shown wherever the article is listed or quoted.
        (
            "content/articles/trade.md",
            article(&TRADE.replace("Trade talks", "Budget talks"), TRADE_BODY),
        ),
        // A new quotation in an early article: every later quotation's place shifts.
        (
            "content/articles/extra-1.md",
            article(
                "title: Moscow talks 1\ndate: 2024-04-01\nsource: Example News",
                "Russia and Kazakhstan held talks in Moscow.\n\n\"We start today,\" Mr Putin said.\n\n\"We agreed,\" Mr Tokayev said.\n",
            ),
        ),
        // A new country: a new entity in the site's shape.
        (
            "content/articles/trade.md",
            article(TRADE, &format!("{TRADE_BODY}\nJapan sent an observer.\n")),
        ),
        // Another speaker for a quotation.
        (
            "content/articles/extra-3.md",
            article(
                "title: Moscow talks 3\ndate: 2024-04-03\nsource: Example News",
                "Russia and Kazakhstan held talks in Moscow, round 3.\n\n\"We agreed on round 3,\" Mr Putin said.\n",
            ),
        ),
        // A country's note: its own pages only.
        (
            "content/countries/russia.md",
            "---\nname: Russia\nsummary: The largest CSTO member.\n---\nA note on Russia.\n".to_string(),
        ),
        // A summary, shown in lists and feeds.
        (
            "content/articles/extra-2.md",
            article(
                "title: Moscow talks 2\ndate: 2024-04-02\nsource: Example News\nsummary: The second round.",
                "Russia and Kazakhstan held talks in Moscow, round 2.\n\n\"We agreed on round 2,\" Mr Tokayev said.\n",
            ),
        ),
        // Smaller pages: every list is cut again.
        (
            "site.yaml",
            "title: Paged\npage_size: 3\nbase_url: https://example.org/\n".to_string(),
        ),
    ];
    for (path, text) in &edits {
        session.save(path, text);
        session.rebuild();
    }
    session.delete("content/articles/extra-4.md");
    session.rebuild();
}

#[test]
fn deleted_renamed_and_new_articles_match_a_clean_build() {
    let mut session = site();
    session.rebuild();

    // Deleted: its quotes go, and an entity nothing else mentions loses its page.
    session.delete("content/articles/kremlin.md");
    let (_, paths) = session.rebuild();
    assert!(!paths.contains(&"articles/kremlin.html".to_string()));
    assert!(!paths.iter().any(|p| p.starts_with("people/vladimir-putin")));
    assert!(!paths.contains(&"countries/kazakhstan.html".to_string()));

    // New, in a new folder.
    session.save(
        "content/articles/2024/may/kremlin.md",
        &article(KREMLIN, KREMLIN_BODY),
    );
    let (work, paths) = session.rebuild();
    assert_eq!(work.articles_analysed, 1);
    assert!(paths.contains(&"people/vladimir-putin.html".to_string()));

    // Renamed: the page moves with the file name.
    session.rename(
        "content/articles/summit.md",
        "content/articles/csto-summit.md",
    );
    let (_, paths) = session.rebuild();
    assert!(paths.contains(&"articles/csto-summit.html".to_string()));
    assert!(!paths.contains(&"articles/summit.html".to_string()));
}

#[test]
fn notes_templates_and_settings_rebuild_what_they_touch() {
    let mut session = site();
    let (first, _) = session.rebuild();

    // A person note changes what every article's analysis knows: all are analysed again.
    session.save(
        "content/people/nikol-pashinyan.md",
        "---\nname: Nikol Pashinyan\nrole: Prime Minister of Armenia\n---\nArmenia's leader since 2018.\n",
    );
    let (work, _) = session.rebuild();
    assert_eq!(work.articles_analysed, 3);

    // A template: every page is rendered again, and the article pages show the change.
    let template = session
        .site
        .root()
        .join("themes/default/templates/article.html");
    let text = std::fs::read_to_string(&template).unwrap();
    session.save(
        "themes/default/templates/article.html",
        &text.replacen(
            "{% block content %}",
            "{% block content %}<!-- edited -->",
            1,
        ),
    );
    let (work, _) = session.rebuild();
    assert_eq!(work.articles_analysed, 0);
    assert_eq!(work.pages_rendered, first.pages_rendered);
    assert!(page(&session, "articles/trade.html").contains("<!-- edited -->"));

    // site.yaml: the title is on every page.
    session.save("site.yaml", "title: Renamed briefing\n");
    let (work, _) = session.rebuild();
    assert_eq!(work.pages_rendered, first.pages_rendered);
    assert!(page(&session, "index.html").contains("Renamed briefing"));
}

#[test]
fn a_broken_save_fails_and_the_fix_rebuilds_from_the_cache() {
    let mut session = site();
    session.rebuild();
    session.save(
        "content/articles/trade.md",
        "---\ntitle: [unclosed\n---\nText.\n",
    );
    let errors = session.rebuild_fails();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("content/articles/trade.md:") && e.contains("YAML")),
        "{errors:?}"
    );
    session.save("content/articles/trade.md", &article(TRADE, TRADE_BODY));
    let (work, _) = session.rebuild();
    assert_eq!(work.articles_analysed, 1);
}

#[test]
fn a_changed_file_is_seen_without_being_named() {
    // A build that was not told of a change still sees it by the file's size and time.
    let mut session = site();
    session.rebuild();
    let path: PathBuf = session.site.root().join("content/articles/trade.md");
    std::fs::write(
        &path,
        article(
            TRADE,
            &format!("{TRADE_BODY}\nA longer body now names Poland.\n"),
        ),
    )
    .unwrap();
    let (work, paths) = session.rebuild();
    assert_eq!(work.files_read, 1);
    assert!(paths.contains(&"countries/poland.html".to_string()));
}

#[test]
fn output_does_not_depend_on_the_number_of_threads() {
    let session = site();
    let options = session.site.options();
    let build_with = |threads: usize| -> Vec<(String, Vec<u8>)> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let built = pool.install(|| build_in_memory(&options)).unwrap();
        built
            .rendered
            .files
            .iter()
            .map(|f| (f.path.clone(), f.bytes.to_vec()))
            .collect()
    };
    let one = build_with(1);
    assert!(one == build_with(4), "1 and 4 threads give different sites");
    assert!(one == build_with(3), "1 and 3 threads give different sites");
}

#[test]
fn a_title_edit_remakes_the_search_chunks_of_its_quotations() {
    // Enough quotations that the search documents fill several chunks: the oldest article's
    // quotations are listed in a later chunk than the article itself, and show its title.
    let site = Fixture::new();
    for (n, date) in ["2024-05-01", "2024-05-02", "2024-05-03"]
        .iter()
        .enumerate()
    {
        let body: String = (1..=90)
            .map(|i| format!("\"Statement {i} of story {n} stands,\" Jane Doe said.\n\n"))
            .collect();
        site.write(
            &format!("content/articles/story-{n}.md"),
            &article(
                &format!("title: Story {n}\ndate: {date}\nsource: Example News"),
                &body,
            ),
        );
    }
    let mut session = Session::new(site);
    let (_, paths) = session.rebuild();
    assert!(
        paths.iter().filter(|p| p.starts_with("search/d/")).count() >= 2,
        "{paths:?}"
    );
    let body: String = (1..=90)
        .map(|i| format!("\"Statement {i} of story 0 stands,\" Jane Doe said.\n\n"))
        .collect();
    session.save(
        "content/articles/story-0.md",
        &article(
            "title: Story zero, renamed\ndate: 2024-05-01\nsource: Example News",
            &body,
        ),
    );
    // `rebuild` compares every file, the chunks included, with a clean build.
    session.rebuild();
}

/// A quotation added early in a long list of quotations changes the quotation page it lands on,
/// not every page after it: the pages break where the quotations say (see
/// `pager::content_defined_starts`), and the counts are on the first page only.
#[test]
fn a_quotation_added_early_renders_few_of_the_quotation_pages_again() {
    let mut session = site();
    session.save(
        "site.yaml",
        "title: Paged\npage_size: 6\nbase_url: https://example.org/\n",
    );
    let words = [
        "harvest",
        "border",
        "pipeline",
        "summit",
        "tariff",
        "election",
        "treaty",
        "drought",
        "budget",
        "railway",
        "airport",
        "vaccine",
        "currency",
        "refinery",
        "harbour",
        "census",
        "bridge",
        "festival",
        "satellite",
        "embassy",
    ];
    let body = |word: &str, extra: &str| {
        format!(
            "Russia and Kazakhstan held talks on the {word} in Moscow.\n\n\"The {word} comes first,\" \
             Mr Tokayev said.\n\n{extra}\"The {word} will wait for no one,\" Mr Tokayev said later.\n"
        )
    };
    let meta = |n: usize, word: &str| {
        format!(
            "title: Talks on the {word}\ndate: 2024-03-{:02}\nsource: Example News",
            n + 1
        )
    };
    for (n, word) in words.iter().enumerate() {
        session.save(
            &format!("content/articles/extra-{n:02}.md"),
            &article(&meta(n, word), &body(word, "")),
        );
    }
    let (first, _) = session.rebuild();
    let quote_pages = |session: &Session| -> Vec<(String, Vec<u8>)> {
        let built = build_in_memory(&session.site.options()).unwrap();
        built
            .rendered
            .files
            .iter()
            .filter(|file| file.path.starts_with("quotes/"))
            .map(|file| (file.path.clone(), file.bytes.to_vec()))
            .collect()
    };
    let before = quote_pages(&session);
    assert!(before.len() >= 6, "{} quotation pages", before.len());
    // The oldest article gains a quotation of Mr Tokayev's, whose group goes on over every page:
    // with pages of a fixed size, each of them would take a quotation from the one before. (This
    // quotation sets no new break; one that did would add a page, and every page's "of N".)
    session.save(
        "content/articles/extra-00.md",
        &article(
            &meta(0, "harvest"),
            &body("harvest", "\"We start today,\" Mr Tokayev said.\n\n"),
        ),
    );
    let (work, _) = session.rebuild();
    let after = quote_pages(&session);
    assert_eq!(after.len(), before.len());
    let changed = after.iter().zip(&before).filter(|(a, b)| a != b).count();
    assert!(
        changed <= 2,
        "{changed} of {} quotation pages changed",
        after.len()
    );
    assert!(
        work.pages_rendered * 4 < first.pages_rendered,
        "{} of {} pages rendered again",
        work.pages_rendered,
        first.pages_rendered
    );
    // An article without quotations gains one and loses it again: its block of search numbers
    // keeps its size, so no other document's number moves (the splice's other path); a word
    // only that quotation has comes and goes from the postings.
    for body in [
        format!("{TRADE_BODY}\n\"Quixotic budgets help nobody in this union at all,\" an official said.\n"),
        TRADE_BODY.to_string(),
    ] {
        session.save("content/articles/trade.md", &article(TRADE, &body));
        session.rebuild();
    }
}

#[test]
fn a_quotation_added_to_one_article_leaves_the_other_pages_of_its_entities() {
    let mut session = site();
    session.save(
        "site.yaml",
        "title: Paged\npage_size: 4\nbase_url: https://example.org/\n",
    );
    let body = |n: usize, extra: &str| {
        format!(
            "Russia and Kazakhstan held talks on trade in Moscow.\n\n\"Round {n} went well,\" \
             Mr Tokayev said.\n\n{extra}"
        )
    };
    let meta = |n: usize| {
        format!(
            "title: Talks, round {n}\ndate: 2024-{:02}-{:02}\nsource: Example News",
            1 + n / 28,
            1 + n % 28
        )
    };
    for n in 0..32 {
        session.save(
            &format!("content/articles/round-{n:02}.md"),
            &article(&meta(n), &body(n, "")),
        );
    }
    session.rebuild();
    let pages_of = |paths: &[String], first: &str| {
        paths
            .iter()
            .filter(|p| **p == format!("{first}.html") || p.starts_with(&format!("{first}/page/")))
            .count()
    };
    let more = "\"Trade comes first,\" Mr Tokayev said.\n";
    // The newest article gains a quotation by Mr Tokayev and loses it; then one in the middle
    // does, which leaves the first page's latest quotations as they were and changes only its
    // counts (a first page kept by a key without them would differ from a clean build).
    for (n, extra) in [(31, more), (31, ""), (10, more), (10, "")] {
        let path = format!("content/articles/round-{n:02}.md");
        session.save(&path, &article(&meta(n), &body(n, extra)));
        let (work, paths) = session.rebuild();
        assert!(work.site_patched, "round {n}: the site was derived whole");
        for entity in ["countries/kazakhstan", "people/kassym-jomart-tokayev"] {
            assert!(pages_of(&paths, entity) >= 8, "{entity}'s pages");
        }
        // Of Kazakhstan's and Mr Tokayev's 9 pages each, only the first (the counts, the latest
        // quotations) and the one with the article are made again: with the article's own page,
        // the quotation pages' and the timeline's, eight to ten; with the counts on every page
        // (in its key and its context), 22.
        assert!(
            work.pages_rendered <= 11,
            "round {n}: {} pages rendered again for one quotation",
            work.pages_rendered
        );
    }
    // A quotation by someone new (the site's people change, and the site is derived whole) comes
    // and goes: each rebuild is checked against a clean build.
    for extra in [
        "\"Trade comes first,\" Kazakh minister Roman Sklyar said.\n",
        "",
    ] {
        session.save(
            "content/articles/round-31.md",
            &article(&meta(31), &body(31, extra)),
        );
        session.rebuild();
    }
}

#[test]
fn an_edit_that_changes_whom_a_bare_surname_means_matches_a_clean_build() {
    // Invented names. Arthur Penhallow is named in 4 articles, Ian Penhallow in 1: "Mr Penhallow"
    // of the budget article is Arthur. With one article fewer naming Arthur he no longer stands
    // out, and the budget article, itself unchanged, must be resolved again. A Baroness Penhallow
    // keeps a one-word person "Penhallow" in the site throughout, so that the edit changes no
    // entity: only whom the surname means.
    let site = common::penhallow_site();
    let mut session = Session::new(site);
    session.rebuild();
    let speaker = |session: &Session| {
        let page = page(session, "articles/budget.html");
        page.contains("people/arthur-penhallow.html")
    };
    assert!(speaker(&session));
    session.save(
        "content/articles/talks-4.md",
        &article(
            "title: Talks 4\ndate: 2024-02-04",
            "The talks would go on, ministers said.",
        ),
    );
    // `rebuild` checks the cached build against a clean one byte for byte.
    session.rebuild();
    assert!(!speaker(&session));
}
