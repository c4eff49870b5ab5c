//! Bad input: each case gives one clear error with file, line and column, every error of a run is
//! reported together, the exit code is 1, and the previous output is left as it was.

mod common;

use common::{article, errors_for, first_lines, Fixture};

#[test]
fn malformed_yaml() {
    assert_eq!(
        errors_for("content/articles/a.md", b"---\ntitle: A\ndate: [2022-09-13\n---\nBody\n"),
        ["error: content/articles/a.md:4:1: front matter is not valid YAML: did not find expected ',' or ']'"]
    );
}

#[test]
fn front_matter_not_closed() {
    assert_eq!(
        errors_for("content/articles/a.md", b"---\ntitle: A\n\nBody text\n"),
        ["error: content/articles/a.md:1:1: the front matter opened on this line is never closed"]
    );
}

#[test]
fn front_matter_that_is_not_a_mapping() {
    assert_eq!(
        errors_for("content/articles/a.md", b"---\n- title\n- A\n---\n"),
        ["error: content/articles/a.md:2:1: front matter must be a mapping of `key: value` lines, but it is a list"]
    );
}

#[test]
fn missing_title() {
    assert_eq!(
        errors_for(
            "content/articles/a.md",
            b"---\ndate: 2022-09-13\n---\nBody\n"
        ),
        ["error: content/articles/a.md:1:1: the front matter has no `title`"]
    );
    assert_eq!(
        errors_for("content/articles/a.md", b"---\ntitle:\n---\nBody\n"),
        ["error: content/articles/a.md:2:7: `title` is empty"]
    );
    assert_eq!(
        errors_for("content/articles/a.md", b"No front matter at all\n"),
        ["error: content/articles/a.md:1:1: the article has no front matter, so it has no title"]
    );
}

#[test]
fn a_date_that_is_not_a_date() {
    for (date, column) in [
        ("2022-02-30", 7),
        ("13.09.2022", 7),
        ("2022-9-13", 7),
        ("'2022'", 7),
    ] {
        let text = format!("---\ntitle: A\ndate: {date}\n---\n");
        let shown = date.trim_matches('\'');
        assert_eq!(
            errors_for("content/articles/a.md", text.as_bytes()),
            [format!(
                "error: content/articles/a.md:3:{column}: `date` is not a date: \"{shown}\""
            )]
        );
    }
}

#[test]
fn a_url_that_is_not_http() {
    assert_eq!(
        errors_for("content/articles/a.md", b"---\ntitle: A\nurl: javascript:alert(1)\n---\n"),
        ["error: content/articles/a.md:3:6: `url` must be an http or https address, not javascript:"]
    );
    assert_eq!(
        errors_for(
            "content/articles/a.md",
            b"---\ntitle: A\nurl: \"data:text/html,<b>x</b>\"\n---\n"
        ),
        ["error: content/articles/a.md:3:6: `url` must be an http or https address, not data:"]
    );
    assert_eq!(
        errors_for("content/articles/a.md", b"---\ntitle: A\nurl: example.org/a\n---\n"),
        ["error: content/articles/a.md:3:6: `url` is not a web address (relative URL without a base): \"example.org/a\""]
    );
}

#[test]
fn invalid_utf8() {
    assert_eq!(
        errors_for("content/articles/a.md", b"---\ntitle: Caf\xe9\n---\n"),
        ["error: content/articles/a.md:2:11: the file is not valid UTF-8 (byte 0xE9 at byte offset 14)"]
    );
}

#[test]
fn raw_text_that_is_not_utf8_is_read_as_windows_1252_with_a_warning() {
    let site = Fixture::new();
    site.write_bytes("content/articles/b.txt", b"Caf\xe9 owners protest new rules\n\nThe owners of a caf\xe9 said the rules were \x93unfair\x94.\n");
    let summary = site.build_ok();
    let warnings: Vec<String> = summary
        .warnings
        .iter()
        .map(|w| w.to_string().lines().next().unwrap().to_string())
        .collect();
    assert_eq!(
        warnings,
        ["warning: content/articles/b.txt:1:4: the file is not valid UTF-8 (byte 0xE9 at byte offset 3); read it as Windows-1252"]
    );
    let page = site.page("articles/b.html");
    assert!(page.contains("Café owners protest new rules"));
    assert!(page.contains("the rules were “<span class=\"quote\" id=\"q1\" title=\"Owners of a café\">unfair</span>”."));
}

#[test]
fn two_files_with_one_slug() {
    let site = Fixture::new();
    site.write("content/articles/story.md", &article("title: A", "x\n"));
    site.write("content/articles/story.txt", "B\n\nx\n");
    site.write(
        "content/articles/other.md",
        &article("title: C\nslug: story", "x\n"),
    );
    assert_eq!(
        first_lines(site.build_errors()),
        [
            "error: content/articles/other.md: 3 articles want the same page articles/story.html: \
          content/articles/other.md and content/articles/story.md and content/articles/story.txt"
        ]
    );
}

#[test]
fn an_article_or_note_that_wants_a_list_page() {
    let site = Fixture::new();
    site.write("content/articles/index.md", &article("title: A", "x\n"));
    site.write(
        "content/articles/b.md",
        &article("title: B\nslug: index", "x\n"),
    );
    site.write("content/people/index.md", "---\nname: Ivan Index\n---\n");
    assert_eq!(
        first_lines(site.build_errors()),
        [
            "error: content/articles/b.md: 2 articles want the same page articles/index.html: \
          content/articles/b.md and content/articles/index.md",
            "error: content/articles/b.md: this article wants the page articles/index.html, which is the list of articles",
            "error: content/articles/index.md: this article wants the page articles/index.html, which is the list of articles",
            "error: content/people/index.md: this note wants the page people/index.html, which is the list of people",
        ]
    );
}

#[test]
fn a_slug_that_is_not_a_page_name() {
    assert_eq!(
        errors_for("content/articles/a.md", b"---\ntitle: A\nslug: ../../etc/passwd\n---\n"),
        ["error: content/articles/a.md:3:7: `slug` is not a valid page name: \"../../etc/passwd\""]
    );
}

#[test]
fn wrong_types() {
    assert_eq!(
        errors_for(
            "content/articles/a.md",
            b"---\ntitle: [A, B]\ndraft: sometimes\ncountries: [[Armenia]]\nexclude: Georgia\n---\n"
        ),
        [
            "error: content/articles/a.md:2:8: `title` must be text, but it is a list",
            "error: content/articles/a.md:3:8: `draft` must be true or false, but it is text",
            "error: content/articles/a.md:4:12: `countries` must be a list of names, but one item is a list",
            "error: content/articles/a.md:5:10: `exclude` must be a mapping, but it is text",
        ]
    );
}

#[test]
fn an_empty_raw_article() {
    assert_eq!(
        errors_for("content/articles/a.txt", b"\n  \n"),
        ["error: content/articles/a.txt:1:1: the raw article is empty: it has no title line"]
    );
}

#[test]
fn entity_notes_need_a_name_and_own_their_names() {
    let site = Fixture::new();
    site.write("content/people/a.md", "---\naliases: [X]\n---\n");
    site.write("content/people/b.md", "---\nname: Yury Ushakov\n---\n");
    site.write(
        "content/people/c.md",
        "---\nname: Yuri Ushakov\naliases: [yury ushakov]\n---\n",
    );
    assert_eq!(
        first_lines(site.build_errors()),
        [
            "error: content/people/a.md:1:1: the note has no `name`",
            "error: content/people/c.md: the person name \"yury ushakov\" is already taken by content/people/b.md",
        ]
    );
}

#[test]
fn a_template_parse_error_names_template_and_line() {
    let site = Fixture::new();
    site.write("templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ article.title </p>\n{% endblock content %}\n");
    let errors = first_lines(site.build_errors());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("error: templates/article.html:3:"),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("template error in article.html"),
        "{errors:?}"
    );
}

#[test]
fn a_template_render_error_names_template_and_line() {
    let site = Fixture::new();
    site.write("content/articles/a.md", &article("title: A", "x\n"));
    site.write("templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ article.headline }}</p>\n{% endblock content %}\n");
    let errors = first_lines(site.build_errors());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("error: templates/article.html:3:15: template error in article.html"),
        "{errors:?}"
    );
    // The missing field is named, with the fields there are.
    assert!(
        errors[0].contains("`headline` is not defined"),
        "{errors:?}"
    );
    assert!(errors[0].contains("title"), "{errors:?}");
}

#[test]
fn a_call_to_a_missing_component_names_each_template_and_place() {
    let site = Fixture::new();
    site.write("content/articles/a.md", &article("title: A", "x\n"));
    // The site's components.html replaces the theme's and keeps only one of its components.
    site.write(
        "templates/components.html",
        "{% component page_of(pager) %}{% endcomponent page_of %}\n",
    );
    site.write("templates/article.html", "{% extends \"base.html\" %}\n{% block content %}\n<p>\n  {{ <quote_list quotes={article.quotes} root={root} show_article={false} /> }}\n{% endblock content %}\n");
    let errors = first_lines(site.build_errors());
    assert!(
        errors.contains(&"error: templates/article.html:4:6: template error in article.html: Unknown component `quote_list`".to_string()),
        "{errors:?}"
    );
    // The theme's templates that call the missing components are named too, each call on its own.
    assert!(
        errors
            .iter()
            .filter(|e| e.contains("entity.html:") && e.contains("Unknown component"))
            .count()
            >= 2,
        "{errors:?}"
    );
    assert!(!site.root().join("public").exists());
}

#[test]
fn site_yaml_problems() {
    let site = Fixture::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: ftp://example.org/\nhome_articles: many\n",
    );
    assert_eq!(
        first_lines(site.build_errors()),
        [
            "error: site.yaml:2:11: base URL \"ftp://example.org/\" must start with http:// or https://",
            "error: site.yaml:3:16: `home_articles` must be a whole number, not \"many\"",
        ]
    );
    site.remove("site.yaml");
    let errors = first_lines(site.build_errors());
    assert_eq!(
        errors,
        ["error: site.yaml: there is no site.yaml here, so this is not a briefing site"]
    );
}

#[test]
fn an_output_folder_that_holds_the_site_is_refused() {
    let site = Fixture::new();
    site.write("content/articles/a.md", &article("title: A", "x\n"));
    for output in [".", "content/public", ".."] {
        let mut options = site.options();
        options.output = Some(site.root().join(output));
        match briefing::build(&options) {
            Err(briefing::Error::Invalid(diagnostics)) => {
                assert!(
                    diagnostics
                        .errors()
                        .next()
                        .unwrap()
                        .message
                        .contains("the output folder"),
                    "{output}"
                )
            }
            other => panic!("{output}: {other:?}"),
        }
    }
}

#[test]
fn unknown_keys_are_warnings_with_their_line() {
    let site = Fixture::new();
    site.write("site.yaml", "title: T\ncolour: red\n");
    site.write(
        "content/articles/a.md",
        &article("title: A\nauthr: Me\nexclude:\n  place: [X]", "x\n"),
    );
    let summary = site.build_ok();
    let warnings: Vec<String> = summary.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning: content/articles/a.md:3:8: unknown key `authr` is ignored\n  hint: did you mean `author`? known keys are: \
             title, date, source, author, url, summary, tags, draft, slug, countries, organisations, people, exclude",
            "warning: content/articles/a.md:5:10: unknown key `place` under `exclude` is ignored\n  hint: known keys are: countries, organisations, people",
            "warning: site.yaml:2:9: unknown key `colour` is ignored\n  hint: known keys are: title, description, base_url, language, theme, output_dir, home_articles, page_size, trust_html",
        ]
    );
}

#[test]
fn every_error_of_a_run_is_reported_with_exit_code_1_and_the_output_kept() {
    let site = Fixture::new();
    site.write(
        "content/articles/good.md",
        &article("title: Good", "Fine.\n"),
    );
    let built = site.run(&["build"]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let before = site.output_files();

    site.write(
        "content/articles/a.md",
        "---\ntitle: A\ndate: yesterday\n---\n",
    );
    site.write(
        "content/articles/b.md",
        "---\ntitle: B\nurl: ftp://x.org/\n---\n",
    );
    site.write_bytes("content/articles/c.md", b"\xff\xfe");
    site.write("content/articles/d.md", "---\ntitle: D\n");
    let run = site.run(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8(run.stderr).unwrap();
    for expected in [
        "error: content/articles/a.md:3:7: `date` is not a date: \"yesterday\"\n  hint: write the day of publication as YYYY-MM-DD",
        "error: content/articles/b.md:3:6: `url` must be an http or https address, not ftp:",
        "error: content/articles/c.md:1:1: the file is not valid UTF-8",
        "error: content/articles/d.md:1:1: the front matter opened on this line is never closed",
        "error: build failed with 4 errors; the output folder was left as it was",
    ] {
        assert!(stderr.contains(expected), "missing {expected:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked"));
    assert!(run.stdout.is_empty());
    assert_eq!(before, site.output_files());
}

#[test]
fn the_command_line_explains_itself() {
    let site = Fixture::new();
    let help = String::from_utf8(site.run(&["--help"]).stdout).unwrap();
    assert!(help.contains("build") && help.contains("Build the site"));
    let help = String::from_utf8(site.run(&["build", "--help"]).stdout).unwrap();
    for option in [
        "--root <DIR>",
        "--output <DIR>",
        "--base-url <URL>",
        "--drafts",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    site.write(
        "content/articles/a.md",
        &article("title: A\ncountries: [Armenia]", "x\n"),
    );
    let run = site.run(&["build", "--output", "out"]);
    let line = String::from_utf8(run.stdout).unwrap();
    assert!(
        line.starts_with(
            "built 1 article, 1 country, 0 organisations, 0 people, 0 quotes -> 12 pages in "
        ),
        "{line}"
    );
    assert!(line.trim_end().ends_with(" ms)"), "{line}");
    assert!(
        line.contains(" ms (load ") && line.contains(", write "),
        "{line}"
    );
    assert!(site.root().join("out/index.html").is_file());
}
