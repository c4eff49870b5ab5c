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
    assert!(
        edit.pages_rendered > 0 && edit.pages_rendered < pages,
        "{edit:?}"
    );
    assert!(page(&session, "people/emmanuel-macron.html").contains("The budget must grow"));
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
