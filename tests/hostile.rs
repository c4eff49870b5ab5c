//! The bad-input suite: input scraped from the open web, or broken on disk, gives an exact error
//! (file, line, column, message) or an exact safe output, and never a panic or a hang. The cases on
//! front matter fields (malformed YAML, unclosed front matter, a list for front matter, invalid
//! UTF-8, two articles with one slug, a `slug` of `../`, a `url` of `javascript:` or `data:`, an
//! output folder inside the site) are in `errors.rs`; raw `<script>`, `<iframe>`, event handlers and
//! `javascript:` links in Markdown are in `build.rs` (`hostile_text_is_escaped_and_raw_html_sanitised`).

mod common;

use std::fs;

use common::{article, errors_for, first_lines, warning_lines, Fixture};

/// A site with one good article and `bytes` at `path`, which must build.
fn builds_with(path: &str, bytes: &[u8]) -> (Fixture, briefing::BuildSummary) {
    let site = Fixture::new();
    site.write(
        "content/articles/good.md",
        &article("title: Good", "Fine.\n"),
    );
    site.write_bytes(path, bytes);
    let summary = site.build_ok();
    (site, summary)
}

#[test]
fn an_empty_file() {
    assert_eq!(
        errors_for("content/articles/a.md", b""),
        ["error: content/articles/a.md:1:1: the file is empty"]
    );
    assert_eq!(
        errors_for("content/articles/a.md", b"\n \n\t\n"),
        ["error: content/articles/a.md:1:1: the file is empty"]
    );
    assert_eq!(
        errors_for("content/articles/a.txt", b""),
        ["error: content/articles/a.txt:1:1: the raw article is empty: it has no title line"]
    );
}

#[test]
fn front_matter_only_builds_a_page_and_warns() {
    let (site, summary) = builds_with("content/articles/a.md", b"---\ntitle: Only a title\n---\n");
    assert_eq!(
        warning_lines(&summary),
        ["warning: content/articles/a.md:4:1: the article has no text below its front matter"]
    );
    assert!(site
        .page("articles/a.html")
        .contains("<h1 id=\"title\">Only a title</h1>"));
}

#[test]
fn a_yaml_alias_bomb_is_refused_at_once() {
    // "Billion laughs": ten levels of nine aliases each would be 10^9 strings.
    let mut yaml = String::from("title: Bomb\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for level in b'b'..=b'j' {
        let (this, prev) = (level as char, (level - 1) as char);
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{this}: &{this} [{refs}]\n"));
    }
    let started = std::time::Instant::now();
    let errors = errors_for("content/articles/a.md", article(&yaml, "Body\n").as_bytes());
    assert_eq!(
        errors,
        ["error: content/articles/a.md:1:1: front matter is not valid YAML: it repeats aliases too often (a YAML alias bomb?)"]
    );
    // Not a timing assertion on speed, a guard against expanding 10^9 strings.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
}

#[test]
fn yaml_nested_too_deeply() {
    let yaml = format!(
        "title: Deep\nx: {}{}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_eq!(
        errors_for("content/articles/a.md", article(&yaml, "Body\n").as_bytes()),
        ["error: content/articles/a.md:3:131: front matter is not valid YAML: it nests lists or mappings too deeply"]
    );
}

#[test]
fn tabs_in_yaml() {
    assert_eq!(
        errors_for(
            "content/articles/a.md",
            b"---\ntitle: A\n\tdate: 2022-01-01\n---\nBody\n"
        ),
        ["error: content/articles/a.md:3:1: front matter is not valid YAML: found a tab character that violates indentation"]
    );
    // A tab inside a value is text, and fine.
    let (site, _) = builds_with(
        "content/articles/b.md",
        b"---\ntitle: \"Tab\there\"\n---\nBody\n",
    );
    assert!(site.page("articles/b.html").contains("Tab\there"));
}

#[test]
fn a_byte_order_mark_is_dropped() {
    let (site, summary) = builds_with(
        "content/articles/a.md",
        "\u{feff}---\ntitle: Marked\n---\nBody.\n".as_bytes(),
    );
    assert!(summary.warnings.is_empty());
    let (_, raw) = builds_with(
        "content/articles/b.txt",
        "\u{feff}Raw title\n\nBody.\n".as_bytes(),
    );
    assert!(raw.warnings.is_empty());
    let page = site.page("articles/a.html");
    assert!(page.contains("<h1 id=\"title\">Marked</h1>"));
    for (path, bytes) in site.output_files() {
        assert!(
            !String::from_utf8_lossy(&bytes).contains('\u{feff}'),
            "{path} holds a byte-order mark"
        );
    }
}

#[test]
fn crlf_line_endings_read_as_lf() {
    let (site, summary) = builds_with(
        "content/articles/a.md",
        b"---\r\ntitle: Windows\r\ndate: 2022-09-13\r\n---\r\nFirst paragraph.\r\n\r\n\"We will talk,\" said John Smith.\r\n",
    );
    assert_eq!(summary.quotes, 1);
    let page = site.page("articles/a.html");
    assert!(!page.contains('\r'));
    assert!(page.contains("<time datetime=\"2022-09-13\">"));
    assert!(page.contains("<p id=\"p1\">First paragraph.</p>"), "{page}");
    // Errors in a CRLF file are placed by line as in the editor.
    assert_eq!(
        errors_for(
            "content/articles/b.md",
            b"---\r\ntitle: B\r\ndate: soon\r\n---\r\n"
        ),
        ["error: content/articles/b.md:3:7: `date` is not a date: \"soon\""]
    );
}

#[test]
fn a_50_mb_article_builds() {
    let paragraph =
        "The minister of Armenia said that the talks with Russia would go on next week. "
            .repeat(10)
            + "\n\n";
    let body = paragraph.repeat(50_000_000 / paragraph.len() + 1);
    assert!(body.len() >= 50_000_000);
    let (site, summary) = builds_with(
        "content/articles/big.md",
        article("title: Big", &body).as_bytes(),
    );
    assert_eq!(summary.articles, 2);
    assert_eq!(summary.countries, 2);
    let page = fs::metadata(site.output().join("articles/big.html")).unwrap();
    assert!(page.len() > 50_000_000);
}

#[test]
fn a_line_of_1_mb_builds() {
    let line = "word ".repeat(200_000) + "end of the line";
    let (site, _) = builds_with(
        "content/articles/long.md",
        article("title: Long", &line).as_bytes(),
    );
    assert!(site
        .page("articles/long.html")
        .contains("word end of the line</p>"));
}

#[test]
fn binary_data_is_refused() {
    // A PNG's first bytes: not UTF-8, and holding NUL bytes.
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00";
    assert_eq!(
        errors_for("content/articles/image.md", png),
        ["error: content/articles/image.md:3:1: the file holds binary data, not text (a NUL byte at byte offset 8)"]
    );
    // Raw text is read as Windows-1252 when it is not UTF-8, but binary data is not text at all.
    assert_eq!(
        errors_for("content/articles/image.txt", png),
        ["error: content/articles/image.txt:3:1: the file holds binary data, not text (a NUL byte at byte offset 8)"]
    );
}

#[test]
fn control_characters_are_removed_with_a_warning() {
    let (site, summary) = builds_with(
        "content/articles/a.md",
        b"---\ntitle: Colours\n---\nRed \x1b[31mtext\x1b[0m and a form feed\x0c.\n",
    );
    assert_eq!(
        warning_lines(&summary),
        ["warning: content/articles/a.md:4:5: the file holds 3 control characters (the first is U+001B); they are removed"]
    );
    let page = site.page("articles/a.html");
    assert!(page.contains("Red [31mtext[0m and a form feed."));
    assert!(!page
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t'));
}

#[test]
fn an_unreadable_file() {
    let site = Fixture::new();
    site.write(
        "content/articles/good.md",
        &article("title: Good", "Fine.\n"),
    );
    // /proc/self/mem refuses every read, even to root, for whom no file mode is unreadable.
    std::os::unix::fs::symlink(
        "/proc/self/mem",
        site.root().join("content/articles/mem.md"),
    )
    .unwrap();
    assert_eq!(
        first_lines(site.build_errors()),
        ["error: content/articles/mem.md: cannot read: Input/output error (os error 5)"]
    );
}

#[test]
fn a_link_to_nothing() {
    let site = Fixture::new();
    site.write(
        "content/articles/good.md",
        &article("title: Good", "Fine.\n"),
    );
    std::os::unix::fs::symlink("gone.md", site.root().join("content/articles/link.md")).unwrap();
    assert_eq!(
        first_lines(site.build_errors()),
        ["error: content/articles/link.md: this link leads to nothing: its target does not exist"]
    );
}

#[test]
fn a_symlink_loop_is_skipped_and_linked_folders_are_read() {
    let site = Fixture::new();
    site.write(
        "content/articles/good.md",
        &article("title: Good", "Fine.\n"),
    );
    site.write(
        "elsewhere/linked.md",
        &article("title: Linked", "Read through a link.\n"),
    );
    let articles = site.root().join("content/articles");
    std::os::unix::fs::symlink("..", articles.join("up")).unwrap();
    std::os::unix::fs::symlink(site.root().join("elsewhere"), articles.join("more")).unwrap();
    let summary = site.build_ok();
    assert_eq!(
        warning_lines(&summary),
        ["warning: content/articles/up: this link leads back to content, which holds it (a loop), so it is not followed"]
    );
    assert_eq!(summary.articles, 2);
    assert!(site
        .page("articles/linked.html")
        .contains("Read through a link."));
}

#[test]
fn an_editors_lock_file_is_ignored_and_a_second_link_to_an_article_is_not_read_twice() {
    let site = Fixture::new();
    site.write(
        "content/articles/good.md",
        &article("title: Good", "\"Fine,\" said John Smith.\n"),
    );
    let articles = site.root().join("content/articles");
    // Emacs locks a file it edits with a link to nowhere.
    std::os::unix::fs::symlink("user@host.1234:1700000000", articles.join(".#good.md")).unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(
        "user@host.1234:1700000000",
        site.root().join("static/.#style.css"),
    )
    .unwrap();
    std::os::unix::fs::symlink("good.md", articles.join("same.md")).unwrap();
    let summary = site.build_ok();
    assert_eq!(
        warning_lines(&summary),
        ["warning: content/articles/same.md: this is a link to content/articles/good.md, which is read already, so it is not read twice"]
    );
    assert_eq!((summary.articles, summary.quotes), (1, 1));
}

#[test]
fn a_named_pipe_is_not_read() {
    let site = Fixture::new();
    site.write(
        "content/articles/good.md",
        &article("title: Good", "Fine.\n"),
    );
    let pipe = site.root().join("content/articles/pipe.md");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    // Reading it would wait for a writer forever: the build would hang.
    let summary = site.build_ok();
    assert_eq!(
        warning_lines(&summary),
        ["warning: content/articles/pipe.md: this is not a regular file (a named pipe, socket or device), so it is not read"]
    );
}

#[test]
fn files_that_come_and_go_during_builds_never_panic_or_lose_an_article() {
    let site = Fixture::new();
    for i in 0..50 {
        site.write(
            &format!("content/articles/stay-{i:02}.md"),
            &article(
                &format!("title: Stay {i}"),
                "\"We stay,\" said John Smith.\n",
            ),
        );
    }
    let root = site.root().to_path_buf();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let path = root.join(format!("content/articles/come-and-go-{}.md", n % 7));
                if n.is_multiple_of(2) {
                    let _ = fs::write(&path, article("title: Passing", "Here for a moment.\n"));
                } else {
                    let _ = fs::remove_file(&path);
                }
                n += 1;
            }
        })
    };
    let mut built = 0;
    for _ in 0..15 {
        // A file deleted between the listing and the reading is left out with a warning; a file
        // caught half-written may fail to parse. Either way the 50 that stay are all built.
        let mut options = site.options();
        options.output = Some(site.root().join("out"));
        match briefing::build(&options) {
            Ok(summary) => {
                built += 1;
                assert!(summary.articles >= 50, "{} articles", summary.articles);
                for warning in warning_lines(&summary) {
                    assert!(
                        warning.contains("come-and-go-")
                            && warning.contains("was removed while the build read"),
                        "{warning}"
                    );
                }
            }
            Err(briefing::Error::Invalid(diagnostics)) => {
                for error in diagnostics.errors() {
                    assert!(error.to_string().contains("come-and-go-"), "{error}");
                }
            }
            Err(other) => panic!("{other}"),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
    assert!(built > 0, "no build of the 15 succeeded");
}

#[test]
fn a_slug_with_a_slash() {
    assert_eq!(
        errors_for(
            "content/articles/a.md",
            b"---\ntitle: A\nslug: news/a\n---\n"
        ),
        ["error: content/articles/a.md:3:7: `slug` is not a valid page name: \"news/a\""]
    );
    assert_eq!(
        errors_for("content/articles/a.md", b"---\ntitle: A\nslug: ..\n---\n"),
        ["error: content/articles/a.md:3:7: `slug` is not a valid page name: \"..\""]
    );
}

#[test]
fn template_syntax_scripts_and_html_in_quotes_and_names_stay_text() {
    let site = Fixture::new();
    site.write(
        "content/articles/a.md",
        &article(
            "title: \"A </script> {{ site.title }} {% if true %}x{% endif %}\"\n\
             people: [\"</script><script>alert(1)</script> Doe\"]",
            "\"We will not allow &lt;/script&gt; or {{ config }} or {% raw %}, ever,\" said John Smith of Armenia.\n",
        ),
    );
    site.build_ok();
    let article_page = site.page("articles/a.html");
    assert!(
        article_page.contains(
            "<h1 id=\"title\">A &lt;/script&gt; {{ site.title }} {% if true %}x{% endif %}</h1>"
        ),
        "{article_page}"
    );
    let quotes = site.page("quotes/index.html");
    assert!(
        quotes.contains("We will not allow &lt;/script&gt; or {{ config }} or {% raw %}, ever</a>"),
        "{quotes}"
    );
    let person = site.page("people/script-script-alert-1-script-doe.html");
    assert!(person.contains("<h1>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; Doe</h1>"));
    for (path, bytes) in site.output_files() {
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        if path.ends_with(".html") {
            let scripts = text.matches("<script").count();
            let allowed = usize::from(path == "search.html");
            assert_eq!(scripts, allowed, "{path} carries a script");
        }
        if path.ends_with(".json") {
            // JSON is read by scripts, never parsed as HTML; it must still parse.
            serde_json::from_slice::<serde_json::Value>(&bytes)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
    }
}

#[test]
fn deeply_nested_lists_and_block_quotes() {
    let lists: String = (0..5_000)
        .map(|depth| format!("{}- item\n", "  ".repeat(depth)))
        .collect();
    let quotes = ">".repeat(50_000) + " deep\n";
    let mixed = "> - ".repeat(20_000) + "deepest\n";
    let (site, _) = builds_with(
        "content/articles/lists.md",
        article("title: Lists", &lists).as_bytes(),
    );
    site.write(
        "content/articles/quotes.md",
        &article("title: Quotes", &quotes),
    );
    site.write(
        "content/articles/mixed.md",
        &article("title: Mixed", &mixed),
    );
    site.build_ok();
    assert!(site.page("articles/lists.html").contains("item"));
    assert!(site.page("articles/quotes.html").contains("deep"));
    assert!(site.page("articles/mixed.html").contains("deepest"));
}

#[test]
fn ten_thousand_quotes_in_one_article() {
    let body: String = (0..10_000)
        .map(|i| format!("\"This is statement number {i} about Armenia,\" said John Smith.\n\n"))
        .collect();
    let (site, summary) = builds_with(
        "content/articles/many.md",
        article("title: Many", &body).as_bytes(),
    );
    assert_eq!(summary.quotes, 10_000);
    let page = site.page("articles/many.html");
    assert!(page.contains("id=\"q10000\""));
    assert!(site
        .page("people/john-smith.html")
        .contains("statement number 9999 about Armenia"));
}
