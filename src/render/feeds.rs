//! Feeds and files for crawlers: an Atom feed for the site (`atom.xml`) and one per country,
//! organisation and person (`countries/<slug>.xml`, ...), `sitemap.xml` and `robots.txt`.
//!
//! Links in feeds are absolute when `base_url` is set; without it they are relative to the feed's
//! own address (Atom resolves them against it), and ids are `urn:briefing:` names, so the feeds
//! still work from any host. A sitemap must list absolute addresses, so it is written only when
//! `base_url` is set. Undated articles have no place in a feed, whose entries need a date.

use std::fmt::Write;

use crate::config::SiteConfig;
use crate::content::EntityKind;
use crate::derive::{DerivedArticle, Entity, Site};

use super::dates;
use super::{article_path, entity_path};

/// How many articles a feed lists, newest first.
pub const FEED_ENTRIES: usize = 50;

/// The site feed's path.
pub const SITE_FEED: &str = "atom.xml";

/// The path of an entity's feed.
pub fn entity_feed_path(kind: EntityKind, slug: &str) -> String {
    format!("{}/{slug}.xml", kind.folder())
}

/// The site's feed: its newest dated articles.
pub fn site_feed(config: &SiteConfig, site: &Site) -> String {
    atom(
        config,
        SITE_FEED,
        &config.title,
        "index.html",
        site.articles.iter(),
    )
}

/// An entity's feed: the newest dated articles that mention it.
pub fn entity_feed(config: &SiteConfig, site: &Site, entity: &Entity) -> String {
    atom(
        config,
        &entity_feed_path(entity.kind, &entity.slug),
        &format!("{}: {}", config.title, entity.name),
        &entity_path(entity.kind, &entity.slug),
        entity.articles.iter().map(|&i| &site.articles[i]),
    )
}

/// An Atom feed at `path` (site-relative) about the page at `page`, of `articles` (newest first).
fn atom<'a>(
    config: &SiteConfig,
    path: &str,
    title: &str,
    page: &str,
    articles: impl Iterator<Item = &'a DerivedArticle>,
) -> String {
    let entries: Vec<&DerivedArticle> = articles
        .filter(|a| a.article.date.is_some())
        .take(FEED_ENTRIES)
        .collect();
    let updated = entries
        .iter()
        .filter_map(|a| a.article.date)
        .max()
        .map_or("1970-01-01T00:00:00Z".to_string(), |d| {
            format!("{}T00:00:00Z", dates::iso(d))
        });
    let link = |target: &str| address(config, path, target);
    // The slug of the site's title in every id is made once.
    let id_prefix = id_prefix(config);
    let id = |path: &str| format!("{id_prefix}{path}");
    let mut xml = String::with_capacity(1024 + entries.len() * 600);
    xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape(&config.language)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", escape(title)));
    if let Some(description) = &config.description {
        xml.push_str(&format!("  <subtitle>{}</subtitle>\n", escape(description)));
    }
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        escape(&link(path))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape(&link(page))
    ));
    xml.push_str(&format!("  <id>{}</id>\n", escape(&id(path))));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape(&config.title)
    ));
    xml.push_str("  <generator>briefing</generator>\n");
    // Written straight into the feed, escaped as it goes: a feed of fifty entries made of a few
    // hundred small strings cost more than the pages it follows.
    for derived in entries {
        let article = &derived.article;
        let target = article_path(&article.slug);
        let date = article.date.map(dates::iso).unwrap_or_default();
        let timestamp = if date.is_empty() { "" } else { "T00:00:00Z" };
        xml.push_str("  <entry>\n    <title>");
        escape_onto(&mut xml, &article.title);
        xml.push_str("</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"");
        escape_onto(&mut xml, &link(&target));
        xml.push_str("\"/>\n    <id>");
        escape_onto(&mut xml, &id_prefix);
        escape_onto(&mut xml, &target);
        let _ = write!(
            xml,
            "</id>\n    <updated>{date}{timestamp}</updated>\n    <published>{date}{timestamp}</published>\n"
        );
        if let Some(by) = article.author.as_ref().or(article.outlet.as_ref()) {
            xml.push_str("    <author><name>");
            escape_onto(&mut xml, by);
            xml.push_str("</name></author>\n");
        }
        let summary = summary(derived);
        if !summary.is_empty() {
            xml.push_str("    <summary>");
            escape_onto(&mut xml, &summary);
            xml.push_str("</summary>\n");
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// The address of site-relative `target` as written in a file at site-relative `from`.
fn address(config: &SiteConfig, from: &str, target: &str) -> String {
    match &config.base_url {
        Some(base) => format!(
            "{base}{}",
            target.strip_suffix("index.html").unwrap_or(target)
        ),
        None => format!("{}{target}", "../".repeat(from.matches('/').count())),
    }
}

/// What a page's path follows in its permanent id: the site's address, or without one a
/// `urn:briefing:<site>:` name.
fn id_prefix(config: &SiteConfig) -> String {
    match &config.base_url {
        Some(base) => base.clone(),
        None => format!("urn:briefing:{}:", crate::slug::slugify(&config.title)),
    }
}

/// The article's summary, or its first paragraph cut at a word near 300 characters.
fn summary(derived: &DerivedArticle) -> String {
    if let Some(summary) = &derived.article.summary {
        return summary.clone();
    }
    let Some(first) = derived.text.blocks.get(1) else {
        return String::new();
    };
    let text = first.text.trim();
    // A paragraph of 300 bytes or fewer has 300 characters or fewer; a longer one is cut at its
    // 300th character, found without counting the rest (a summary is made for each feed an
    // article is in).
    if text.len() <= 300 {
        return text.to_string();
    }
    let Some((end, _)) = text.char_indices().nth(300) else {
        return text.to_string();
    };
    let cut = &text[..end];
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':']))
}

/// `sitemap.xml`: every page but the 404 page, when the site has a `base_url`.
pub fn sitemap(config: &SiteConfig, site: &Site, pages: &[&str]) -> Option<String> {
    let base = config.base_url.as_ref()?;
    let lastmod: std::collections::HashMap<String, String> = site
        .articles
        .iter()
        .filter_map(|a| {
            a.article
                .date
                .map(|d| (article_path(&a.article.slug), dates::iso(d)))
        })
        .collect();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in pages.iter().filter(|p| **p != "404.html") {
        let clean = page.strip_suffix("index.html").unwrap_or(page);
        xml.push_str(&format!(
            "  <url><loc>{}</loc>",
            escape(&format!("{base}{clean}"))
        ));
        if let Some(date) = lastmod.get(*page) {
            xml.push_str(&format!("<lastmod>{date}</lastmod>"));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    Some(xml)
}

/// `robots.txt`: everything may be crawled; the sitemap is named when there is one.
pub fn robots(config: &SiteConfig) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if let Some(base) = &config.base_url {
        text.push_str(&format!("\nSitemap: {base}sitemap.xml\n"));
    }
    text
}

/// Escapes text for XML content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_onto(&mut out, text);
    out
}

/// [`escape`], written onto the end of `out`.
fn escape_onto(out: &mut String, text: &str) {
    // Most text needs nothing: one pass that can read many bytes at a time says so.
    let needs = text.bytes().fold(false, |needs, b| {
        needs | (b < 0x20) | (b == b'&') | (b == b'<') | (b == b'>') | (b == b'"') | (b == b'\'')
    });
    if !needs {
        out.push_str(text);
        return;
    }
    super::templates::escape_into(
        text,
        |byte| match byte {
            b'&' => Some("&amp;"),
            b'<' => Some("&lt;"),
            b'>' => Some("&gt;"),
            b'"' => Some("&quot;"),
            b'\'' => Some("&apos;"),
            // Control characters other than tab and line ends are not allowed in XML 1.0.
            byte if byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r') => Some(""),
            _ => None,
        },
        |piece| out.push_str(piece),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(
            escape("<b>\"Tom\" & 'Jerry'</b>\u{1}"),
            "&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt;"
        );
    }

    #[test]
    fn addresses_are_relative_to_the_feed_without_a_base_url() {
        let mut config = SiteConfig::default();
        assert_eq!(
            address(&config, "countries/armenia.xml", "articles/a.html"),
            "../articles/a.html"
        );
        assert_eq!(address(&config, "atom.xml", "index.html"), "index.html");
        config.base_url = Some("https://example.org/b/".into());
        assert_eq!(
            address(&config, "countries/armenia.xml", "articles/a.html"),
            "https://example.org/b/articles/a.html"
        );
        assert_eq!(
            address(&config, "atom.xml", "index.html"),
            "https://example.org/b/"
        );
    }
}
