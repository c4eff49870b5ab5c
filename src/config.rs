//! The site's settings, read from `site.yaml` at the site root. Every key is documented in the README;
//! an unknown key is a warning with its line, so a typo never silently does nothing.

use std::path::{Path, PathBuf};

use url::Url;

use crate::content::front_matter::Fields;
use crate::diagnostics::{display_path, Diagnostic, Diagnostics};

/// The keys `site.yaml` may have.
pub const SITE_KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "theme",
    "output_dir",
    "home_articles",
    "page_size",
    "trust_html",
];

/// Items per page of a long list, unless `site.yaml` says otherwise.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// The settings of one site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SiteConfig {
    pub title: String,
    pub description: Option<String>,
    /// Where the site will be published, e.g. `https://example.org/briefing/`; always ends with `/`.
    /// Only canonical links and the 404 page use it: every other link is relative.
    pub base_url: Option<String>,
    /// The language of the site's pages, as a BCP 47 tag (`en`, `en-GB`).
    pub language: String,
    /// The theme folder under `themes/`.
    pub theme: String,
    /// The output folder, relative to the site root.
    pub output_dir: PathBuf,
    /// How many of the latest articles the home page lists.
    pub home_articles: usize,
    /// How many items a page of a long list shows (articles, quotations, timeline entries); longer
    /// lists go on to `.../page/2.html` and so on.
    pub page_size: usize,
    /// Pass raw HTML in Markdown bodies through unchanged instead of sanitising it.
    pub trust_html: bool,
}

impl Default for SiteConfig {
    fn default() -> Self {
        Self {
            title: "Briefing".to_string(),
            description: None,
            base_url: None,
            language: "en".to_string(),
            theme: "default".to_string(),
            output_dir: PathBuf::from("public"),
            home_articles: 10,
            page_size: DEFAULT_PAGE_SIZE,
            trust_html: false,
        }
    }
}

impl SiteConfig {
    /// Reads `site.yaml` from `root`. Returns `None` after reporting an error when it is missing or
    /// unusable; problems with single keys are reported and the key's default is used.
    pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
        let path = root.join("site.yaml");
        let shown = display_path(root, &path);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => crate::content::normalise_text(text),
                Err(_) => {
                    diagnostics.push(
                        Diagnostic::error(&shown, "site.yaml is not valid UTF-8")
                            .with_hint("save it as UTF-8"),
                    );
                    return None;
                }
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                diagnostics.push(
                    Diagnostic::error(&shown, "there is no site.yaml here, so this is not a briefing site").with_hint(format!(
                        "run briefing in the site's folder, pass --root DIR, or create {} with a line `title: My briefing`",
                        path.display()
                    )),
                );
                return None;
            }
            Err(err) => {
                diagnostics.push(Diagnostic::error(&shown, format!("cannot read: {err}")));
                return None;
            }
        };
        Self::parse(&shown, &text, diagnostics)
    }

    /// Parses the text of a `site.yaml` shown to the user as `file`.
    pub fn parse(file: &Path, text: &str, diagnostics: &mut Diagnostics) -> Option<SiteConfig> {
        let errors_before = diagnostics.errors().count();
        let mut fields = Fields::parse(file, text, 1, SITE_KEYS, diagnostics)?;
        let mut config = SiteConfig::default();
        if let Some(title) = fields.text("title") {
            config.title = title;
        }
        config.description = fields.text("description");
        if let Some(base_url) = fields.text("base_url") {
            config.base_url = parse_base_url(&base_url, &mut fields);
        }
        if let Some(language) = fields.text("language") {
            config.language = language;
        }
        if let Some(theme) = fields.text("theme") {
            if !theme.is_empty()
                && theme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
            {
                config.theme = theme;
            } else {
                fields.error(
                    "theme",
                    format!("`theme` must be the name of a folder in themes/, not \"{theme}\""),
                    "write for example `theme: default`",
                );
            }
        }
        if let Some(output_dir) = fields.text("output_dir") {
            config.output_dir = PathBuf::from(output_dir);
        }
        if let Some(count) = fields.text("home_articles") {
            match count.parse::<usize>() {
                Ok(count) => config.home_articles = count,
                Err(_) => fields.error(
                    "home_articles",
                    format!("`home_articles` must be a whole number, not \"{count}\""),
                    "write for example `home_articles: 10`",
                ),
            }
        }
        if let Some(size) = fields.text("page_size") {
            match size.parse::<usize>() {
                Ok(size) if size > 0 => config.page_size = size,
                _ => fields.error(
                    "page_size",
                    format!("`page_size` must be a whole number above 0, not \"{size}\""),
                    "write for example `page_size: 100`",
                ),
            }
        }
        if let Some(trust) = fields.bool("trust_html") {
            config.trust_html = trust;
        }
        (diagnostics.errors().count() == errors_before).then_some(config)
    }

    /// Sets the base URL from the command line, which wins over `site.yaml`.
    pub fn set_base_url(&mut self, base_url: &str) -> Result<(), String> {
        let url = checked_base_url(base_url)?;
        self.base_url = Some(url);
        Ok(())
    }
}

fn parse_base_url(text: &str, fields: &mut Fields<'_>) -> Option<String> {
    match checked_base_url(text) {
        Ok(url) => Some(url),
        Err(message) => {
            fields.error(
                "base_url",
                message,
                "write the address the site will be published at, e.g. `base_url: https://example.org/briefing/`",
            );
            None
        }
    }
}

/// Checks that `text` is an absolute http(s) URL and returns it ending with `/`.
fn checked_base_url(text: &str) -> Result<String, String> {
    let url = Url::parse(text)
        .map_err(|err| format!("base URL \"{text}\" is not a web address ({err})"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(format!(
            "base URL \"{text}\" must start with http:// or https://"
        ));
    }
    let mut url = url.to_string();
    if let Some(cut) = url.find(['?', '#']) {
        url.truncate(cut);
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_keys_and_warns_about_unknown_ones() {
        let mut diagnostics = Diagnostics::new();
        let config = SiteConfig::parse(
            Path::new("site.yaml"),
            "title: CSTO\nbase_url: https://example.org/b\nthem: dark\n",
            &mut diagnostics,
        )
        .unwrap();
        assert_eq!(config.title, "CSTO");
        assert_eq!(config.base_url.as_deref(), Some("https://example.org/b/"));
        let warning = diagnostics.warnings().next().unwrap();
        assert_eq!((warning.line, warning.column), (Some(3), Some(7)));
        assert!(warning
            .hint
            .as_deref()
            .unwrap()
            .contains("did you mean `theme`"));
    }

    #[test]
    fn rejects_a_base_url_that_is_not_http() {
        let mut diagnostics = Diagnostics::new();
        let config = SiteConfig::parse(
            Path::new("site.yaml"),
            "base_url: ftp://x.org/\n",
            &mut diagnostics,
        );
        assert!(config.is_none());
        assert!(diagnostics.has_errors());
    }
}
