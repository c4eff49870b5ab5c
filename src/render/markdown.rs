//! Article and note bodies to HTML: Markdown through pulldown-cmark, raw text as escaped paragraphs.
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

/// Renders raw text: each block of lines between blank lines is a paragraph, its lines kept apart.
pub fn plain_text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 5 / 4);
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, out: &mut String| {
        if paragraph.is_empty() {
            return;
        }
        out.push_str("<p>");
        for (i, line) in paragraph.iter().enumerate() {
            if i > 0 {
                out.push_str("<br>\n");
            }
            out.push_str(&super::templates::escape_html(line.trim()));
        }
        out.push_str("</p>\n");
        paragraph.clear();
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush(&mut paragraph, &mut out);
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut out);
    out
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
    fn raw_text_becomes_escaped_paragraphs() {
        assert_eq!(
            plain_text_to_html("A <b>\nB\n\n\nC & D\n"),
            "<p>A &lt;b&gt;<br>\nB</p>\n<p>C &amp; D</p>\n"
        );
    }
}
