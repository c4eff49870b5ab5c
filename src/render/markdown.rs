//! Note and introduction bodies to HTML: Markdown through pulldown-cmark (article bodies, which carry
//! marks, are rendered by `annotate`).
//! Raw HTML in Markdown is sanitised (scripts, frames, event handlers and `javascript:` links removed)
//! unless the site trusts it, because corpora are scraped from the open web.

use pulldown_cmark::{html, Event, Parser, Tag};

/// Renders a Markdown body. With `trust_html` false, the result is sanitised with ammonia.
pub fn markdown_to_html(markdown: &str, trust_html: bool) -> String {
    let options = crate::derive::text::markdown_options();
    let events: Vec<Event> = Parser::new_ext(markdown, options).collect();
    let unsafe_input = needs_sanitising(&events);
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if trust_html || !unsafe_input {
        out
    } else {
        sanitise(&out)
    }
}

/// Whether Markdown's events hold anything sanitising would change: raw HTML, or a link or image
/// whose address has a scheme other than http, https or mailto. Everything else pulldown-cmark
/// writes is escaped text and a fixed set of tags, so most article bodies skip the HTML parser
/// (a tenth of a 10,000-article build went to sanitising bodies that had nothing to remove).
pub fn needs_sanitising(events: &[Event]) -> bool {
    events.iter().any(|event| match event {
        Event::Html(_) | Event::InlineHtml(_) => true,
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            !is_safe_url(dest_url)
        }
        _ => false,
    })
}

/// A relative address, or one whose scheme is http, https or mailto.
fn is_safe_url(url: &str) -> bool {
    // A scheme is what comes before the first `:` when no `/`, `?` or `#` comes first; browsers
    // ignore tabs and newlines and leading spaces in it ("java\tscript:").
    let cleaned: String = url
        .trim_start()
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    match cleaned.find([':', '/', '?', '#']) {
        Some(at) if cleaned[at..].starts_with(':') => {
            let scheme = cleaned[..at].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// Removes what is unsafe from HTML (scripts, frames, event handlers, `javascript:` links), keeping
/// the `id` and `class` attributes the annotator writes.
pub fn sanitise(html: &str) -> String {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::default();
            builder.add_generic_attributes(["id", "class"]);
            // `target` is stripped, so no link opens a window that `noopener` would guard.
            builder.link_rel(None);
            builder
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitises_raw_html_by_default() {
        let html = markdown_to_html(
            "Hi <script>alert(1)</script><a href=\"javascript:x\" onclick=\"y\">l</a>",
            false,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(markdown_to_html("<b>x</b>", true).contains("<b>x</b>"));
    }

    #[test]
    fn only_markdown_with_raw_html_or_odd_schemes_goes_through_the_sanitiser() {
        let needs = |markdown: &str| {
            let events: Vec<Event> = Parser::new(markdown).collect();
            needs_sanitising(&events)
        };
        assert!(!needs(
            "Plain *text* with [a link](https://example.org) and [another](../a.html)."
        ));
        assert!(!needs(
            "Mail [me](mailto:a@example.org) or see [x](#part) and [y](a/b:c)."
        ));
        assert!(needs("[y](vbscript:x)"));
        assert!(needs("[x](javascript:alert(1))"));
        assert!(needs("[x](JavaScript:alert(1))"));
        assert!(needs("[x](<java\tscript:alert(1)>)"));
        assert!(needs("![x](data:image/svg+xml,<svg onload=alert(1)>)"));
        assert!(needs("Text <span onclick=\"x\">y</span>"));
        assert!(needs("<iframe src=\"https://example.org\"></iframe>"));
        // Whatever it does not send through, it writes the same as the sanitiser would keep.
        for markdown in [
            "A \"quoted\" & <escaped> text",
            "[a](https://example.org/?a=1&b=2)",
        ] {
            let plain = markdown_to_html(markdown, false);
            assert_eq!(
                sanitise(&plain),
                plain.replace("&quot;", "\""),
                "{markdown}"
            );
        }
    }
}
