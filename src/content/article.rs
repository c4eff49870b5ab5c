//! One article as written: its front matter fields, read and checked, and its body text, untouched.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use url::Url;

use super::front_matter::{self, Fields};
use super::{unclosed_error, EntityKind, PerKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug;

/// The front matter keys an article may have.
pub const ARTICLE_KEYS: &[&str] = &[
    "title",
    "date",
    "source",
    "author",
    "url",
    "summary",
    "tags",
    "draft",
    "slug",
    "countries",
    "organisations",
    "people",
    "exclude",
];

/// How an article file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArticleFormat {
    /// `.md`: YAML front matter, then a Markdown body.
    Markdown,
    /// `.txt`: raw text as scraped, cleaned of page furniture at build time (its body is the cleaned
    /// text as Markdown).
    RawText,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Article {
    /// The input file, relative to the site root.
    pub file: PathBuf,
    pub format: ArticleFormat,
    /// The page name: the `slug` key, or else the file name made into a slug.
    pub slug: String,
    pub title: String,
    pub date: Option<NaiveDate>,
    /// The outlet that published the article (the `source` key).
    pub outlet: Option<String>,
    pub author: Option<String>,
    /// The original article on the web: always http or https.
    pub url: Option<String>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub draft: bool,
    /// The body as Markdown: as written in a `.md` file, or cleaned from a `.txt` file.
    pub body: String,
    /// The 1-based line of the file on which `body` starts.
    pub body_line: usize,
    /// Names the editor adds to what is derived, per kind.
    pub added: PerKind<Vec<String>>,
    /// Names the editor says are wrongly derived, per kind (`exclude:`).
    pub excluded: PerKind<Vec<String>>,
}

impl Article {
    /// Parses an article file. Returns `None` when the file has an error (reported in `diagnostics`).
    pub fn parse(
        file: &Path,
        format: ArticleFormat,
        text: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<Article> {
        match format {
            ArticleFormat::Markdown => parse_markdown(file, text, diagnostics),
            ArticleFormat::RawText => parse_raw_text(file, text, diagnostics),
        }
    }

    fn bare(file: &Path, format: ArticleFormat, title: String) -> Article {
        Article {
            file: file.to_path_buf(),
            format,
            slug: slug_from_file_name(file),
            title,
            date: None,
            outlet: None,
            author: None,
            url: None,
            summary: None,
            tags: Vec::new(),
            draft: false,
            body: String::new(),
            body_line: 1,
            added: PerKind::default(),
            excluded: PerKind::default(),
        }
    }
}

fn slug_from_file_name(file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let slug = slug::slugify(&stem);
    if slug.is_empty() {
        "article".to_string()
    } else {
        slug
    }
}

fn parse_markdown(file: &Path, text: &str, diagnostics: &mut Diagnostics) -> Option<Article> {
    if text.trim().is_empty() {
        diagnostics.push(
            Diagnostic::error(file, "the file is empty")
                .at(1, 1)
                .with_hint("an article starts with front matter (`---`, `title: The headline`, `---`) and its text follows; or delete the file"),
        );
        return None;
    }
    let split = match front_matter::split(text) {
        Ok(split) => split,
        Err(front_matter::Unclosed) => {
            diagnostics.push(unclosed_error(file));
            return None;
        }
    };
    let Some(yaml) = split.front_matter else {
        diagnostics.push(
            Diagnostic::error(file, "the article has no front matter, so it has no title")
                .at(1, 1)
                .with_hint("start the file with three lines: `---`, `title: The headline`, `---` (or save raw text as .txt)"),
        );
        return None;
    };
    let errors_before = diagnostics.errors().count();
    let mut fields = Fields::parse(
        file,
        yaml,
        split.front_matter_line,
        ARTICLE_KEYS,
        diagnostics,
    )?;

    let title = fields.text("title");
    if title.is_none() {
        if fields.is_blank("title") {
            fields.error(
                "title",
                "`title` is empty",
                "write the headline after `title:`",
            );
        } else if !fields.has("title") {
            fields.error_on_header(
                "the front matter has no `title`",
                "add a line `title: The headline` between the `---` lines",
            );
        }
    }
    let mut article = Article::bare(file, ArticleFormat::Markdown, title.unwrap_or_default());
    article.date = read_date(&mut fields);
    article.outlet = fields.text("source");
    article.author = fields.text("author");
    article.url = read_url(&mut fields);
    article.summary = fields.text("summary");
    article.tags = fields.text_list(None, "tags");
    article.draft = fields.bool("draft").unwrap_or(false);
    if let Some(slug) = read_slug(&mut fields) {
        article.slug = slug;
    }
    for kind in EntityKind::ALL {
        *article.added.get_mut(kind) = fields.text_list(None, kind.key());
    }
    if fields.expect_mapping(
        "exclude",
        "write `exclude:` and below it, indented, `countries: [Name]` (or organisations, people)",
    ) {
        let kinds: Vec<&str> = EntityKind::ALL.iter().map(|k| k.key()).collect();
        fields.check_nested_keys("exclude", &kinds);
        for kind in EntityKind::ALL {
            *article.excluded.get_mut(kind) = fields.text_list(Some("exclude"), kind.key());
        }
    }
    if split.body.trim().is_empty() && diagnostics.errors().count() == errors_before {
        // Built all the same: a page with its title says which scrape came back empty.
        diagnostics.push(
            Diagnostic::warning(file, "the article has no text below its front matter")
                .at(split.body_line, 1)
                .with_hint("paste the article's text below the closing `---`"),
        );
    }
    article.body = split.body.to_string();
    article.body_line = split.body_line;
    (diagnostics.errors().count() == errors_before).then_some(article)
}

fn read_date(fields: &mut Fields<'_>) -> Option<NaiveDate> {
    let text = fields.text("date")?;
    match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
        Ok(date) if text.len() == 10 => Some(date),
        _ => {
            fields.error(
                "date",
                format!("`date` is not a date: \"{text}\""),
                "write the day of publication as YYYY-MM-DD, e.g. `date: 2022-09-13`, or leave `date` out",
            );
            None
        }
    }
}

fn read_url(fields: &mut Fields<'_>) -> Option<String> {
    let text = fields.text("url")?;
    match Url::parse(&text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Some(url.to_string())
        }
        Ok(url) => {
            fields.error(
                "url",
                format!(
                    "`url` must be an http or https address, not {}:",
                    url.scheme()
                ),
                "give the address of the original article, starting with https://",
            );
            None
        }
        Err(err) => {
            fields.error(
                "url",
                format!("`url` is not a web address ({err}): \"{text}\""),
                "give the address of the original article, starting with https://",
            );
            None
        }
    }
}

fn read_slug(fields: &mut Fields<'_>) -> Option<String> {
    let text = fields.text("slug")?;
    if slug::is_valid(&text) {
        return Some(text);
    }
    let suggestion = slug::slugify(&text);
    let hint = if suggestion.is_empty() {
        "a slug uses only a-z, 0-9 and single hyphens".to_string()
    } else {
        format!("a slug uses only a-z, 0-9 and single hyphens: write `slug: {suggestion}`")
    };
    fields.error(
        "slug",
        format!("`slug` is not a valid page name: \"{text}\""),
        hint,
    );
    None
}

fn parse_raw_text(file: &Path, text: &str, diagnostics: &mut Diagnostics) -> Option<Article> {
    let cleaned = crate::clean::clean(text);
    let Some(title) = cleaned.title else {
        diagnostics.push(
            Diagnostic::error(file, "the raw article is empty: it has no title line")
                .at(1, 1)
                .with_hint(
                    "put the headline on the first line and the text below it, or delete the file",
                ),
        );
        return None;
    };
    // The cleaned body is Markdown, like an imported article's: one path renders both.
    let mut article = Article::bare(file, ArticleFormat::RawText, title);
    article.date = cleaned.date;
    article.author = cleaned.author;
    article.outlet = cleaned.source;
    article.body = cleaned.body;
    article.body_line = cleaned.title_line.map_or(1, |line| line + 1);
    Some(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Option<Article>, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let article = Article::parse(
            Path::new("a.md"),
            ArticleFormat::Markdown,
            text,
            &mut diagnostics,
        );
        (article, diagnostics)
    }

    #[test]
    fn reads_every_field() {
        let (article, diagnostics) = parse(
            "---\ntitle: T\ndate: 2022-09-13\nsource: TASS\nauthor: A\nurl: https://example.org/a\n\
             tags: [x, y]\ncountries: [Armenia]\nexclude:\n  countries: [Georgia]\n---\nBody\n",
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let article = article.unwrap();
        assert_eq!(article.date, NaiveDate::from_ymd_opt(2022, 9, 13));
        assert_eq!(article.outlet.as_deref(), Some("TASS"));
        assert_eq!(article.tags, ["x", "y"]);
        assert_eq!(article.added.get(EntityKind::Country), &["Armenia"]);
        assert_eq!(article.excluded.get(EntityKind::Country), &["Georgia"]);
        assert_eq!(article.body, "Body\n");
        assert_eq!(article.body_line, 12);
        assert_eq!(article.slug, "a");
    }

    #[test]
    fn reports_each_bad_field_at_its_place() {
        let (article, diagnostics) =
            parse("---\ntitle: T\ndate: 2022-02-30\nurl: javascript:alert(1)\ntitel: x\n---\n");
        assert!(article.is_none());
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.is_error(), d.line, d.column))
            .collect();
        assert_eq!(
            found,
            [
                (false, Some(5), Some(8)),
                (true, Some(3), Some(7)),
                (true, Some(4), Some(6))
            ]
        );
    }

    #[test]
    fn raw_text_title_is_the_first_line() {
        let mut diagnostics = Diagnostics::new();
        let article = Article::parse(
            Path::new("content/articles/001_Raw.txt"),
            ArticleFormat::RawText,
            "\nHeadline here\n\nThe body of the article says so.\n",
            &mut diagnostics,
        )
        .unwrap();
        assert_eq!(article.title, "Headline here");
        assert_eq!(article.body, "The body of the article says so.\n");
        assert_eq!(article.body_line, 3);
        assert_eq!(article.slug, "001-raw");
    }
}
