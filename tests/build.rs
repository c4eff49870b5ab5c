//! `briefing build` on fixture sites: the pages it writes, the links between them, escaping,
//! determinism and the atomic replacement of the output folder.

mod common;

use common::{article, as_output_files, Fixture};

fn three_article_site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/_index.md",
        "---\ntitle: Front page\n---\nA briefing on *things*.\n",
    );
    site.write(
        "content/articles/older.md",
        &article(
            "title: Older story\ndate: 2022-09-13\nsource: Anadolu Agency\nauthor: Elena Teslova\n\
             url: https://example.org/older\ncountries: [Armenia, Azerbaijan]\norganisations: [CSTO]\n\
             people: [Yuri Ushakov]\ntags: [security]",
            "First paragraph.\n\n## A subheading\n\nSecond paragraph.\n",
        ),
    );
    site.write(
        "content/articles/newer.md",
        &article(
            "title: Newer story\ndate: 2024-03-28\nsource: Ednews\ncountries: [armenia]",
            "Text.\n",
        ),
    );
    site.write(
        "content/articles/undated.md",
        &article("title: Undated story\nsource: India Narrative", "Text.\n"),
    );
    site.write(
        "content/people/yury-ushakov.md",
        "---\nname: Yury Ushakov\naliases: [Yuri Ushakov]\nrole: Presidential aide\ncountry: Russia\n---\nAide to the president.\n",
    );
    site.write(
        "content/organisations/csto.md",
        "---\nname: Collective Security Treaty Organization\naliases: [CSTO]\n---\n",
    );
    site
}

#[test]
fn writes_every_page_of_the_site() {
    let site = three_article_site();
    let summary = site.build_ok();
    assert_eq!(
        summary.line().split(" in ").next().unwrap(),
        "built 3 articles, 2 countries, 1 organisation, 1 person, 0 quotes -> 17 pages"
    );
    let files = site.output_files();
    for page in [
        "index.html",
        "404.html",
        "style.css",
        "articles/index.html",
        "articles/older.html",
        "articles/newer.html",
        "articles/undated.html",
        "countries/index.html",
        "countries/armenia.html",
        "countries/azerbaijan.html",
        "organisations/index.html",
        "organisations/csto.html",
        "people/index.html",
        "people/yury-ushakov.html",
    ] {
        assert!(
            files.contains_key(page),
            "missing {page}; have {:?}",
            files.keys()
        );
    }
}

#[test]
fn article_page_shows_its_metadata_and_body() {
    let site = three_article_site();
    site.build_ok();
    let page = site.page("articles/older.html");
    assert!(page.contains("<h1 id=\"title\">Older story</h1>"));
    assert!(page.contains("Anadolu Agency"));
    assert!(page.contains("By Elena Teslova"));
    assert!(page.contains(r#"<time datetime="2022-09-13">13 September 2022</time>"#));
    assert!(page.contains(r#"href="https://example.org/older""#));
    assert!(page.contains("<h2 id=\"p2\">A subheading</h2>"));
    assert!(page.contains("<p id=\"p3\">Second paragraph.</p>"));
    // Front matter names link to the entity pages; an alias finds the noted person.
    assert!(page.contains(r#"href="../countries/armenia.html">Armenia</a>"#));
    assert!(page.contains(r#"href="../people/yury-ushakov.html">Yury Ushakov</a>"#));
    assert!(page.contains(
        r#"href="../organisations/csto.html">Collective Security Treaty Organization</a>"#
    ));
    assert!(page.contains(r#"href="../style.css""#));
}

#[test]
fn indexes_list_articles_newest_first_and_undated_apart() {
    let site = three_article_site();
    site.build_ok();
    let index = site.page("articles/index.html");
    let newer = index.find("Newer story").unwrap();
    let older = index.find("Older story").unwrap();
    let undated_heading = index.find(">Undated</h2>").unwrap();
    let undated = index.find("Undated story").unwrap();
    assert!(newer < older && older < undated_heading && undated_heading < undated);

    let home = site.page("index.html");
    assert!(home.contains("<h1>Front page</h1>"));
    assert!(home.contains("A briefing on <em>things</em>."));
    assert!(home.find("Newer story").unwrap() < home.find("Older story").unwrap());
}

#[test]
fn entity_pages_gather_the_articles_that_mention_them() {
    let site = three_article_site();
    site.build_ok();
    let armenia = site.page("countries/armenia.html");
    assert!(armenia.contains("<h1>Armenia</h1>"));
    assert!(armenia.contains("Newer story") && armenia.contains("Older story"));
    assert!(!armenia.contains("Undated story"));
    let person = site.page("people/yury-ushakov.html");
    assert!(person.contains("Presidential aide"));
    assert!(person.contains("Also known as Yuri Ushakov"));
    assert!(person.contains("<p>Aide to the president.</p>"));
    let countries = site.page("countries/index.html");
    assert!(countries.find("Armenia").unwrap() < countries.find("Azerbaijan").unwrap());
}

#[test]
fn every_internal_link_resolves_and_is_relative() {
    let site = three_article_site();
    site.build_ok();
    let broken = briefing::linkcheck::broken_links(&as_output_files(&site.output_files()));
    assert!(
        broken.is_empty(),
        "{}",
        broken
            .iter()
            .map(|b| b.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Relative links are what makes the site work under a sub-path and from disk; the 404 page,
    // served at any depth, is the only one that links from the root.
    for (path, bytes) in site.output_files() {
        let html = String::from_utf8(bytes).unwrap();
        if path.ends_with(".html") && path != "404.html" {
            assert!(
                !html.contains("href=\"/"),
                "{path} has a root-absolute link"
            );
            assert!(
                !html.contains("src=\"/"),
                "{path} has a root-absolute source"
            );
        }
    }
}

#[test]
fn base_url_gives_canonical_links_and_anchors_the_404_page() {
    let site = three_article_site();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/briefing\n",
    );
    site.build_ok();
    assert!(site.page("articles/older.html").contains(
        r#"<link rel="canonical" href="https://example.org/briefing/articles/older.html">"#
    ));
    assert!(site
        .page("404.html")
        .contains(r#"href="/briefing/style.css""#));
    // The command line wins over site.yaml.
    let mut options = site.options();
    options.base_url = Some("https://other.example/".into());
    briefing::build(&options).unwrap();
    assert!(site
        .page("index.html")
        .contains(r#"href="https://other.example/""#));
}

#[test]
fn a_root_with_characters_html_escapes_is_escaped_once_and_reads_as_itself_in_expressions() {
    // The 404 page's root is the base URL's path, which may hold `'` and `&` as they are.
    let site = three_article_site();
    site.write(
        "site.yaml",
        "title: T\nbase_url: \"https://example.org/o'neil&co/\"\n",
    );
    site.write(
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<a id=\"home\" href=\"{{ root ~ \"index.html\" }}\">Home</a>\
         {% if root == \"/o'neil&co/\" %}<p id=\"same\"></p>{% endif %}{% endblock content %}",
    );
    site.build_ok();
    let page = site.page("404.html");
    assert!(
        page.contains(r#"href="/o&#39;neil&amp;co/style.css""#),
        "{page}"
    );
    assert!(
        page.contains(r#"href="/o&#39;neil&amp;co/index.html">Home"#),
        "{page}"
    );
    assert!(page.contains(r#"<p id="same">"#), "{page}");
}

#[test]
fn hostile_text_is_escaped_and_raw_html_sanitised() {
    let site = Fixture::new();
    site.write(
        "content/articles/evil.md",
        &article(
            "title: \"<script>alert('t')</script> & {{ title }}\"\nauthor: '\"><img src=x onerror=alert(1)>'\n\
             source: \"{% raw %}\"\ntags: [\"</li><script>x</script>\"]\npeople: [\"<b>Bold</b> Name\"]",
            "Hello <script>alert(1)</script> <iframe src=\"https://x.org\"></iframe>\n\n\
             <a href=\"javascript:alert(1)\" onclick=\"alert(2)\">link</a> <img src=x onerror=\"alert(3)\">\n",
        ),
    );
    site.write(
        "content/articles/raw.txt",
        "Raw <script>alert(4)</script> title\n\nThe body says A & B, with <b>text</b> and <script>alert(5)</script> in it.\n",
    );
    site.build_ok();
    for (path, bytes) in site.output_files() {
        // The theme's search script, and the search page's tag for it, are the only scripts.
        if path == "search.js" {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes)
            .to_lowercase()
            .replace(r#"<script src="search.js"></script>"#, "");
        assert!(!html.contains("<script"), "{path} carries a script");
        assert!(!html.contains("<iframe"), "{path} carries a frame");
        assert!(
            !html.contains("javascript:"),
            "{path} carries a javascript: link"
        );
        for tag in html
            .split('<')
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or(""))
        {
            assert!(
                !tag.contains(" onerror") && !tag.contains(" onclick"),
                "{path} carries an event handler: <{tag}>"
            );
            assert!(
                !tag.starts_with("img src=x"),
                "{path} carries an injected image"
            );
        }
    }
    let page = site.page("articles/evil.html");
    assert!(page.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; {{ title }}"));
    assert!(page.contains("{% raw %}"));
    assert!(site
        .page("articles/raw.html")
        .contains("A &amp; B, with &lt;b&gt;text&lt;/b&gt;"));
}

#[test]
fn trust_html_passes_raw_html_through() {
    let site = Fixture::new();
    site.write("site.yaml", "title: T\ntrust_html: true\n");
    site.write(
        "content/articles/a.md",
        &article("title: A", "<div class=\"embed\">kept</div>\n"),
    );
    site.build_ok();
    assert!(site
        .page("articles/a.html")
        .contains("<div class=\"embed\">kept</div>"));
}

#[test]
fn two_builds_are_byte_identical() {
    let site = three_article_site();
    site.build_ok();
    let first = site.output_files();
    site.build_ok();
    assert_eq!(first, site.output_files());
}

#[test]
fn files_no_input_produced_do_not_linger() {
    let site = three_article_site();
    site.build_ok();
    std::fs::write(site.output().join("stray.html"), "x").unwrap();
    site.remove("content/articles/undated.md");
    site.build_ok();
    let files = site.output_files();
    assert!(!files.contains_key("articles/undated.html"));
    assert!(!files.contains_key("stray.html"));
    // Nothing is left beside the output folder either.
    let beside = site.names_in_root();
    // The lock file stays, as Hugo's `.hugo_build.lock` does: removing it would let two builds
    // each lock a file of their own.
    assert_eq!(
        beside,
        [".public.lock", "content", "public", "site.yaml", "themes"]
    );
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let site = three_article_site();
    site.build_ok();
    let before = site.output_files();
    site.write("content/articles/broken.md", "---\ntitle: [unclosed\n---\n");
    site.write(
        "content/articles/newer.md",
        &article("title: Changed", "Changed.\n"),
    );
    assert!(site.build().is_err());
    assert_eq!(before, site.output_files());
}

#[test]
fn a_build_that_fails_while_pages_are_written_leaves_the_previous_site_and_no_temporary_folder() {
    let site = three_article_site();
    site.build_ok();
    let before = site.output_files();
    // Every other page renders, and goes to the staging folder, before the article pages fail.
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}{{ no_such_value.field }}{% endblock content %}",
    );
    assert!(site.build().is_err());
    assert_eq!(before, site.output_files());
    let beside = site.names_in_root();
    assert_eq!(
        beside,
        [
            ".public.lock",
            "content",
            "public",
            "site.yaml",
            "templates",
            "themes"
        ]
    );
}

#[test]
fn the_written_site_is_the_site_built_in_memory() {
    // `build` streams files to disk as they are made; `serve` and `check` keep them in memory.
    let site = three_article_site();
    site.build_ok();
    let in_memory = briefing::build_in_memory(&site.options()).unwrap();
    let mut expected: std::collections::BTreeMap<String, Vec<u8>> = in_memory
        .rendered
        .files
        .iter()
        .map(|f| (f.path.clone(), f.bytes.to_vec()))
        .collect();
    expected.insert(
        briefing::output::MARKER_FILE.to_string(),
        site.output_files()[briefing::output::MARKER_FILE].clone(),
    );
    assert_eq!(
        in_memory.rendered.file_count,
        in_memory.rendered.files.len()
    );
    assert_eq!(expected, site.output_files());
}

#[test]
fn site_templates_override_the_theme_by_name() {
    let site = three_article_site();
    site.write(
        "templates/article.html",
        "{% extends \"base.html\" %}{% block content %}<p class=\"mine\">{{ article.title }}</p>{% endblock content %}",
    );
    site.build_ok();
    assert!(site
        .page("articles/older.html")
        .contains("<p class=\"mine\">Older story</p>"));
    assert!(site.page("index.html").contains("Latest articles"));
}

#[test]
fn site_static_files_are_copied_over_the_theme() {
    let site = three_article_site();
    site.write("static/style.css", "body{}");
    site.write("static/img/logo.svg", "<svg/>");
    site.build_ok();
    let files = site.output_files();
    assert_eq!(files["style.css"], b"body{}");
    assert!(files.contains_key("img/logo.svg"));
}

#[test]
fn a_static_file_never_replaces_a_made_file() {
    let site = three_article_site();
    // A page, a feed, a search file and the data export, each shadowed by a static file.
    for path in [
        "index.html",
        "atom.xml",
        "search/index.js",
        "data/briefing.json",
    ] {
        site.write(&format!("static/{path}"), "static copy");
    }
    site.write("static/extra.txt", "kept");
    let summary = site.build_ok();
    let files = site.output_files();
    assert_eq!(files["extra.txt"], b"kept");
    let warnings: Vec<String> = summary.warnings.iter().map(|w| w.to_string()).collect();
    for path in [
        "index.html",
        "atom.xml",
        "search/index.js",
        "data/briefing.json",
    ] {
        assert_ne!(files[path], b"static copy", "{path}");
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(path) && w.contains("the page wins")),
            "{path}: {warnings:?}"
        );
    }
}

#[test]
fn static_links_are_followed_inside_the_site_only() {
    let site = three_article_site();
    site.write("assets/logo.svg", "<svg/>");
    site.write("static/readme.txt", "public");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_rsa"), "PRIVATE KEY").unwrap();
    let link = |target: &std::path::Path, name: &str| {
        std::os::unix::fs::symlink(target, site.root().join("static").join(name)).unwrap()
    };
    link(&site.root().join("assets/logo.svg"), "logo.svg");
    link(&outside.path().join("id_rsa"), "key.txt");
    link(outside.path(), "elsewhere");
    let summary = site.build_ok();
    let files = site.output_files();
    assert_eq!(files["logo.svg"], b"<svg/>");
    assert!(!files.contains_key("key.txt"));
    assert!(!files.contains_key("elsewhere/id_rsa"));
    assert!(files
        .values()
        .all(|bytes| !String::from_utf8_lossy(bytes).contains("PRIVATE KEY")));
    let warnings: Vec<String> = summary.warnings.iter().map(|w| w.to_string()).collect();
    for name in ["static/elsewhere", "static/key.txt"] {
        assert!(
            warnings
                .iter()
                .any(|w| w.contains(name) && w.contains("outside the site")),
            "{name}: {warnings:?}"
        );
    }
}

#[test]
fn drafts_are_built_only_when_asked() {
    let site = three_article_site();
    site.write(
        "content/articles/draft.md",
        &article("title: Work in progress\ndraft: true", "Soon.\n"),
    );
    site.build_ok();
    assert!(!site.output_files().contains_key("articles/draft.html"));
    let mut options = site.options();
    options.drafts = true;
    briefing::build(&options).unwrap();
    assert!(site.page("articles/draft.html").contains("Draft"));
}

#[test]
fn raw_text_articles_build_as_they_are() {
    let site = Fixture::new();
    // Dropped in as scraped: a section name, the headline, a byline, the text, a list of other
    // headlines. The page shows the article, cleaned, with what the byline said.
    site.write(
        "content/articles/001_Scraped Story.txt",
        "\nWorld news\n\nScraped headline about the talks\n\nBy Jane Roe | 13.09.2022\n\n\
         First paragraph, with \"quotes\" from the talks.\n\nSecond paragraph of the story.\n\n\
         Read more\nOther headline one\nOther headline two\nOther headline three\n",
    );
    site.build_ok();
    let page = site.page("articles/001-scraped-story.html");
    assert!(page.contains("<h1 id=\"title\">Scraped headline about the talks</h1>"));
    assert!(page.contains(">First paragraph, with \"quotes\" from the talks.</p>"));
    assert!(page.contains(">Second paragraph of the story.</p>"));
    assert!(page.contains("By Jane Roe"));
    assert!(page.contains("<time datetime=\"2022-09-13\">"));
    for furniture in ["World news", "Other headline", "Read more"] {
        assert!(!page.contains(furniture), "{furniture} left in the page");
    }
}

#[test]
fn an_explicit_slug_names_the_page() {
    let site = Fixture::new();
    site.write(
        "content/articles/long-file-name.md",
        &article("title: A\nslug: short", "x\n"),
    );
    site.build_ok();
    assert!(site.output_files().contains_key("articles/short.html"));
}

#[test]
fn excluded_names_are_not_mentions() {
    let site = Fixture::new();
    site.write(
        "content/articles/a.md",
        &article(
            "title: A\ncountries: [Georgia, Armenia]\nexclude:\n  countries: [georgia]",
            "x\n",
        ),
    );
    site.build_ok();
    let files = site.output_files();
    assert!(files.contains_key("countries/armenia.html"));
    assert!(!files.contains_key("countries/georgia.html"));
}

#[test]
fn the_example_site_builds_with_every_link_resolving() {
    let out = tempfile::tempdir().unwrap();
    let options = briefing::BuildOptions {
        root: common::repo_root(),
        output: Some(out.path().join("public")),
        ..Default::default()
    };
    let summary = briefing::build(&options).unwrap();
    assert_eq!(summary.articles, 5);
    assert!(summary.warnings.is_empty(), "{:?}", summary.warnings);
    let files = common::read_tree(&out.path().join("public"));
    let broken = briefing::linkcheck::broken_links(&as_output_files(&files));
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn a_site_without_a_themes_folder_uses_the_built_in_default_theme() {
    let with_copy = Fixture::new();
    with_copy.write(
        "content/articles/a.md",
        &article(
            "title: Talks in Minsk\ndate: 2024-01-02",
            "Belarus hosted the talks.\n",
        ),
    );
    with_copy.build_ok();
    let built_in = Fixture::new();
    std::fs::remove_dir_all(built_in.root().join("themes")).unwrap();
    built_in.write(
        "content/articles/a.md",
        &article(
            "title: Talks in Minsk\ndate: 2024-01-02",
            "Belarus hosted the talks.\n",
        ),
    );
    built_in.build_ok();
    assert!(with_copy.output_files() == built_in.output_files());

    // Another theme that is not there is still an error.
    built_in.write("site.yaml", "title: Test briefing\ntheme: newsroom\n");
    let errors = built_in.build_errors();
    assert!(
        errors[0].starts_with(
            "error: themes/newsroom/templates: the theme \"newsroom\" has no templates folder"
        ),
        "{errors:?}"
    );
}

#[test]
fn the_timeline_goes_month_by_month_with_quotes_and_undated_last() {
    let site = Fixture::new();
    site.write(
        "content/articles/march.md",
        &article(
            "title: March story\ndate: 2024-03-05",
            "\"We stay,\" Armenian Prime Minister Nikol Pashinyan said.\n",
        ),
    );
    site.write(
        "content/articles/january.md",
        &article(
            "title: January story\ndate: 2024-01-20",
            "Belarus hosted the talks. \"We are ready,\" Belarusian President Alexander Lukashenko said.\n",
        ),
    );
    site.write(
        "content/articles/january-early.md",
        &article(
            "title: Early January story\ndate: 2024-01-02",
            "Belarus again.\n",
        ),
    );
    site.write(
        "content/articles/undated.md",
        &article("title: Undated story", "Belarus, undated.\n"),
    );
    site.build_ok();
    let page = site.page("timeline.html");
    let order: Vec<usize> = [
        "id=\"m-2024-01\"",
        "Early January story",
        "January story</a>",
        "We are ready",
        "id=\"m-2024-03\"",
        "March story",
        "We stay",
        "id=\"m-undated\"",
        "Undated story",
    ]
    .iter()
    .map(|needle| {
        page.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in {page}"))
    })
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(page.contains(">January 2024 <span class=\"count\">2</span>"));

    // Belarus's timeline: its three articles, and only the quotation by its president.
    let belarus = site.page("countries/belarus.html");
    let timeline = &belarus[belarus.find("id=\"articles-heading\"").unwrap()..];
    assert!(timeline.contains("We are ready") && !timeline.contains("We stay"));
    assert!(timeline.contains("Undated story") && !timeline.contains("March story"));
    assert!(site.page("index.html").contains("href=\"timeline.html\""));
}

#[test]
fn the_relations_page_draws_co_mentions_as_linked_svg() {
    let site = Fixture::new();
    for (name, body) in [
        ("a", "Armenia and Belarus met. The CSTO was there.\n"),
        ("b", "Armenia and Belarus met again.\n"),
        ("c", "Armenia alone, with Iran.\n"),
    ] {
        site.write(
            &format!("content/articles/{name}.md"),
            &article(
                &format!("title: Story {name}\ndate: 2024-01-0{}", name.len()),
                body,
            ),
        );
    }
    site.build_ok();
    let page = site.page("relations.html");
    assert!(page.contains("<svg class=\"relations-graph\""));
    // Every entity is a link to its page; the pair's line says how many articles.
    for path in [
        "countries/armenia.html",
        "countries/belarus.html",
        "countries/iran.html",
        "organisations/csto.html",
    ] {
        assert!(
            page.contains(&format!("<a href=\"{path}\" class=\"node")),
            "{path}"
        );
    }
    assert!(page.contains("<title>Armenia and Belarus: 2 articles</title>"));
    let first_pair = page.find("<ol class=\"pairs\">").unwrap();
    assert!(page[first_pair..]
        .trim_start_matches("<ol class=\"pairs\">")
        .trim_start()
        .starts_with("<li><a href=\"countries/armenia.html\">Armenia</a> and <a href=\"countries/belarus.html\">Belarus</a> <span class=\"count\">2 articles</span>"));
    let links = briefing::linkcheck::broken_links(&common::as_output_files(&site.output_files()));
    assert!(links.is_empty(), "{links:?}");

    // Each entity page lists the entities most often mentioned with it, most first.
    let belarus = site.page("countries/belarus.html");
    let related = &belarus[belarus
        .find("<h2>Mentioned with</h2>")
        .expect("a related list")..];
    assert!(related.contains(r#"<li><a href="../countries/armenia.html">Armenia</a> <span class="count" title="articles in common">2</span></li><li><a href="../organisations/csto.html">Collective Security Treaty Organization</a> <span class="count" title="articles in common">1</span></li>"#), "{related}");
    assert!(!related.contains("Iran"));
}
