//! Note and introduction bodies to HTML: Markdown through pulldown-cmark (article bodies, which carry
//! marks, are rendered by `annotate`).
//! Raw HTML in Markdown is sanitised (scripts, frames, event handlers and `javascript:` links removed)
//! unless the site trusts it, because corpora are scraped from the open web.

use pulldown_cmark::{html, Parser};

/// Renders a Markdown body. With `trust_html` false, the result is sanitised with ammonia.
pub fn markdown_to_html(markdown: &str, trust_html: bool) -> String {
    let options = crate::derive::text::markdown_options();
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, Parser::new_ext(markdown, options));
    if trust_html {
        out
    } else {
        sanitise(&out)
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
}
