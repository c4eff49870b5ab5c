//! Template functions that write the items of a site's longest lists in Rust: `quote_items`, the
//! items of a list of quotations, and `timeline_items`, the articles of a timeline's month with
//! their quotations.
//!
//! A quotation is on five pages or so (its article's, the quotations list's, the timeline's, its
//! speaker's and each named country's), and an article on the timelines of the timeline page and of
//! every entity it names, so that these lists are most of a site's markup: 426,000 quotation items
//! and 98,000 timeline entries at 10,000 articles. Written by Tera loops, each item took some ten
//! lookups at several hundred instructions each, a tenth of the build. A theme calls these
//! functions where it lists quotations or articles and keeps the rest of its markup; one that
//! wants other items writes its own loop over the same values.
//!
//! ```text
//! {{ quote_items(quotes=article.quotes, root=root, style="list", show_article=false) }}
//! {{ timeline_items(entries=month.entries, root=root, show_speaker=true) }}
//! ```
//!
//! - `quotes`: the quotation values a page's context gives (`text`, `partial`, `speaker`,
//!   `speaker_path`, `belongs_to`, `article_title`, `path`, `date_display`);
//! - `style`: `"list"`, an `<li class="quote-item">` each with the quotation as a block quote
//!   and a line of who said it and where, or `"timeline"`, a short `<li>` each;
//! - `show_speaker` (default true) and `show_article` (default false, lists only): what the line
//!   under the quotation names;
//! - `entries`: a timeline month's entries, each an `article` (`title`, `path`, `date`,
//!   `date_display`, `outlet`) and its `quotes`, written as `<li class="timeline-entry">`s with
//!   the quotations in the timeline style.

use tera::{Kwargs, State, TeraResult, Value};

use super::templates::escape_html_into;

/// Registers `quote_items` and `timeline_items` with `tera`.
pub fn register(tera: &mut tera::Tera) {
    tera.register_function("quote_items", QuoteItems);
    tera.register_function("timeline_items", TimelineItems);
}

struct QuoteItems;

impl tera::Function<TeraResult<Value>> for QuoteItems {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let quotes: &[Value] = kwargs.must_get("quotes")?;
        let root: &Value = kwargs.must_get("root")?;
        let style: &str = kwargs.must_get("style")?;
        let show_speaker = flag(&kwargs, "show_speaker", true)?;
        let show_article = flag(&kwargs, "show_article", false)?;
        let timeline = match style {
            "list" => false,
            "timeline" => true,
            _ => {
                return Err(tera::Error::message(format!(
                    "quote_items: style must be \"list\" or \"timeline\", not {style:?}"
                )))
            }
        };
        let mut out = Items {
            html: String::with_capacity(quotes.len() * 600),
            root: root_html(root),
            function: "quote_items",
        };
        for quote in quotes {
            let quote = Fields::of(quote, "quote_items: a quotation")?;
            if timeline {
                out.timeline_item(&quote, show_speaker)?;
            } else {
                out.list_item(&quote, show_speaker, show_article)?;
            }
        }
        Ok(Value::safe_string(&out.html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

struct TimelineItems;

impl tera::Function<TeraResult<Value>> for TimelineItems {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let entries: &[Value] = kwargs.must_get("entries")?;
        let root: &Value = kwargs.must_get("root")?;
        let show_speaker = flag(&kwargs, "show_speaker", true)?;
        let mut out = Items {
            html: String::with_capacity(entries.len() * 1500),
            root: root_html(root),
            function: "timeline_items",
        };
        for entry in entries {
            let entry = Fields::of(entry, "timeline_items: an entry")?;
            let article = Fields::of(
                entry.need(entry.article, "article")?,
                "timeline_items: an entry's `article`",
            )?;
            let quotes = entry
                .need(entry.quotes, "quotes")?
                .as_array()
                .ok_or_else(|| {
                    tera::Error::message("timeline_items: an entry's `quotes` must be a list")
                })?;
            out.html
                .push_str("\n      <li class=\"timeline-entry\">\n        <p class=\"meta\">");
            if Fields::holds(article.date) {
                out.html.push_str("<time datetime=\"");
                out.value(article.need(article.date, "date")?);
                out.html.push_str("\">");
                out.value(article.need(article.date_display, "date_display")?);
                out.html.push_str("</time>");
            } else {
                out.html.push_str("<span class=\"undated\">Undated</span>");
            }
            if Fields::holds(article.outlet) {
                out.html.push_str(SEPARATOR);
                out.html.push_str("<span class=\"outlet\">");
                out.value(article.need(article.outlet, "outlet")?);
                out.html.push_str("</span>");
            }
            out.html.push_str("</p>\n        ");
            out.link(
                "article-link",
                article.need(article.path, "path")?,
                article.need(article.title, "title")?,
            );
            if !quotes.is_empty() {
                out.html
                    .push_str("\n        <ul class=\"timeline-quotes\">");
                for quote in quotes {
                    let quote = Fields::of(quote, "timeline_items: a quotation")?;
                    out.timeline_item(&quote, show_speaker)?;
                }
                out.html.push_str("\n        </ul>");
            }
            out.html.push_str("\n      </li>");
        }
        Ok(Value::safe_string(&out.html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// The argument `name` as `{% if %}` reads it (true for a non-empty string or list, say), or
/// `default` when it is not given.
fn flag(kwargs: &Kwargs, name: &str, default: bool) -> TeraResult<bool> {
    Ok(kwargs
        .get::<&Value>(name)?
        .map_or(default, Value::is_truthy))
}

/// The fields of a list item's value (a quotation, a timeline entry, an article, a `belongs_to`
/// link), read in one pass over its map (a lookup each cost more than the item's writing): a
/// missing one is an error where it is written, and false where it is tested, as in a template.
#[derive(Default)]
struct Fields<'a> {
    /// Whose fields, for errors: "quote_items: a quotation".
    owner: &'static str,
    text: Option<&'a Value>,
    partial: Option<&'a Value>,
    speaker: Option<&'a Value>,
    speaker_path: Option<&'a Value>,
    belongs_to: Option<&'a Value>,
    article_title: Option<&'a Value>,
    path: Option<&'a Value>,
    date_display: Option<&'a Value>,
    /// A `belongs_to` link's.
    name: Option<&'a Value>,
    /// An article's, and a timeline entry's.
    title: Option<&'a Value>,
    date: Option<&'a Value>,
    outlet: Option<&'a Value>,
    article: Option<&'a Value>,
    quotes: Option<&'a Value>,
}

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be a map: `owner` says whose, for errors.
    fn of(value: &'a Value, owner: &'static str) -> TeraResult<Fields<'a>> {
        let map = value.as_map().ok_or_else(|| {
            tera::Error::message(format!("{owner} must be a map, not a {}", value.name()))
        })?;
        let mut fields = Fields {
            owner,
            ..Fields::default()
        };
        for (key, value) in map {
            let slot = match key.as_str() {
                Some("text") => &mut fields.text,
                Some("partial") => &mut fields.partial,
                Some("speaker") => &mut fields.speaker,
                Some("speaker_path") => &mut fields.speaker_path,
                Some("belongs_to") => &mut fields.belongs_to,
                Some("article_title") => &mut fields.article_title,
                Some("path") => &mut fields.path,
                Some("date_display") => &mut fields.date_display,
                Some("name") => &mut fields.name,
                Some("title") => &mut fields.title,
                Some("date") => &mut fields.date,
                Some("outlet") => &mut fields.outlet,
                Some("article") => &mut fields.article,
                Some("quotes") => &mut fields.quotes,
                _ => continue,
            };
            *slot = Some(value);
        }
        Ok(fields)
    }

    /// A field that is written: an error naming the function and whose field it is when missing.
    fn need(&self, field: Option<&'a Value>, name: &str) -> TeraResult<&'a Value> {
        field.ok_or_else(|| tera::Error::message(format!("{} has no `{name}`", self.owner)))
    }

    /// A field as a template's `{% if %}` reads it.
    fn holds(field: Option<&Value>) -> bool {
        field.is_some_and(Value::is_truthy)
    }
}

/// The items written so far, and the page's way back to the site root.
struct Items {
    html: String,
    /// `{{ root }}` as written: made once for every link of the list.
    root: String,
    /// The function writing them, for errors.
    function: &'static str,
}

/// `value` as `{{ value }}` writes it into `out`: escaped unless marked safe (numbers, booleans
/// and none are; lists and maps are not).
fn write_value(out: &mut String, value: &Value) {
    match value.as_str() {
        Some(text) if value.is_safe() => out.push_str(text),
        Some(text) => escape_html_into(text, |piece| out.push_str(piece)),
        None if value.is_safe() => out.push_str(&value.to_string()),
        None => escape_html_into(&value.to_string(), |piece| out.push_str(piece)),
    }
}

/// `{{ root }}` as written.
fn root_html(root: &Value) -> String {
    let mut html = String::new();
    write_value(&mut html, root);
    html
}

impl Items {
    /// A value as `{{ value }}` writes it: escaped unless marked safe (numbers, booleans and none
    /// are; lists and maps are not).
    fn value(&mut self, value: &Value) {
        write_value(&mut self.html, value);
    }

    /// `<a class="CLASS" href="{{ root }}{{ path }}">{{ text }}</a>`, without the class when
    /// `class` is empty.
    fn link(&mut self, class: &str, path: &Value, text: &Value) {
        self.html.push_str("<a ");
        if !class.is_empty() {
            self.html.push_str("class=\"");
            self.html.push_str(class);
            self.html.push_str("\" ");
        }
        self.html.push_str("href=\"");
        self.link_target(path);
        self.html.push_str("\">");
        self.value(text);
        self.html.push_str("</a>");
    }

    /// `{{ root }}{{ path }}`.
    fn link_target(&mut self, path: &Value) {
        self.html.push_str(&self.root);
        self.value(path);
    }

    /// The quotation's text, with an ellipsis at each end when it is part of a sentence.
    fn text(&mut self, quote: &Fields) -> TeraResult<()> {
        let partial = Fields::holds(quote.partial);
        if partial {
            self.html.push('…');
        }
        self.value(quote.need(quote.text, "text")?);
        if partial {
            self.html.push('…');
        }
        Ok(())
    }

    /// Who said it, linked to their page when they have one, and the body they speak for.
    fn speaker(&mut self, quote: &Fields) -> TeraResult<()> {
        if Fields::holds(quote.speaker_path) {
            self.link(
                "speaker",
                quote.need(quote.speaker_path, "speaker_path")?,
                quote.need(quote.speaker, "speaker")?,
            );
        } else {
            self.html.push_str("<span class=\"speaker\">");
            self.value(quote.need(quote.speaker, "speaker")?);
            self.html.push_str("</span>");
        }
        if Fields::holds(quote.belongs_to) {
            let owner = match self.function {
                "quote_items" => "quote_items: a quotation's `belongs_to`",
                _ => "timeline_items: a quotation's `belongs_to`",
            };
            let body = Fields::of(quote.need(quote.belongs_to, "belongs_to")?, owner)?;
            self.html.push_str(" <span class=\"belongs\">(");
            self.link(
                "",
                body.need(body.path, "path")?,
                body.need(body.name, "name")?,
            );
            self.html.push_str(")</span>");
        }
        Ok(())
    }

    fn list_item(
        &mut self,
        quote: &Fields,
        show_speaker: bool,
        show_article: bool,
    ) -> TeraResult<()> {
        self.html.push_str("\n  <li class=\"quote-item");
        if Fields::holds(quote.partial) {
            self.html.push_str(" partial");
        }
        self.html.push_str("\">\n    <blockquote><a href=\"");
        self.link_target(quote.need(quote.path, "path")?);
        self.html.push_str("\">");
        self.text(quote)?;
        self.html
            .push_str("</a></blockquote>\n    <p class=\"meta\">");
        if show_speaker {
            self.speaker(quote)?;
        }
        if show_article {
            if show_speaker {
                self.html.push_str(SEPARATOR);
            }
            self.link(
                "",
                quote.need(quote.path, "path")?,
                quote.need(quote.article_title, "article_title")?,
            );
            if Fields::holds(quote.date_display) {
                self.html.push_str(SEPARATOR);
                self.value(quote.need(quote.date_display, "date_display")?);
            }
        }
        self.html.push_str("</p>\n  </li>");
        Ok(())
    }

    fn timeline_item(&mut self, quote: &Fields, show_speaker: bool) -> TeraResult<()> {
        self.html.push_str("\n          <li><a href=\"");
        self.link_target(quote.need(quote.path, "path")?);
        self.html.push_str("\">“");
        self.text(quote)?;
        self.html.push_str("”</a>");
        if show_speaker {
            self.html.push_str(" <span class=\"meta\">");
            self.speaker(quote)?;
            self.html.push_str("</span>");
        }
        self.html.push_str("</li>");
        Ok(())
    }
}

const SEPARATOR: &str = "<span class=\"sep\" aria-hidden=\"true\"> · </span>";

#[cfg(test)]
mod tests {
    use super::*;

    /// The Tera loops the function replaced in the default theme, as the reference for its markup.
    const LIST_LOOP: &str = r#"{%- for quote in quotes %}
  <li class="quote-item{% if quote.partial %} partial{% endif %}">
    <blockquote><a href="{{ root }}{{ quote.path }}">{% if quote.partial %}…{{ quote.text }}…{% else %}{{ quote.text }}{% endif %}</a></blockquote>
    <p class="meta">{% if show_speaker %}{% if quote.speaker_path %}<a class="speaker" href="{{ root }}{{ quote.speaker_path }}">{{ quote.speaker }}</a>{% else %}<span class="speaker">{{ quote.speaker }}</span>{% endif %}{% if quote.belongs_to %} <span class="belongs">(<a href="{{ root }}{{ quote.belongs_to.path }}">{{ quote.belongs_to.name }}</a>)</span>{% endif %}{% endif %}
      {%- if show_article %}{% if show_speaker %}<span class="sep" aria-hidden="true"> · </span>{% endif %}<a href="{{ root }}{{ quote.path }}">{{ quote.article_title }}</a>{% if quote.date_display %}<span class="sep" aria-hidden="true"> · </span>{{ quote.date_display }}{% endif %}{% endif %}</p>
  </li>
  {%- endfor %}"#;
    const TIMELINE_LOOP: &str = r#"{%- for quote in quotes %}
          <li><a href="{{ root }}{{ quote.path }}">“{% if quote.partial %}…{{ quote.text }}…{% else %}{{ quote.text }}{% endif %}”</a>{% if show_speaker %} <span class="meta">{% if quote.speaker_path %}<a class="speaker" href="{{ root }}{{ quote.speaker_path }}">{{ quote.speaker }}</a>{% else %}<span class="speaker">{{ quote.speaker }}</span>{% endif %}{% if quote.belongs_to %} <span class="belongs">(<a href="{{ root }}{{ quote.belongs_to.path }}">{{ quote.belongs_to.name }}</a>)</span>{% endif %}</span>{% endif %}</li>
          {%- endfor %}"#;

    const TIMELINE_ENTRIES_LOOP: &str = r#"{%- for entry in entries %}
      <li class="timeline-entry">
        <p class="meta">{% if entry.article.date %}<time datetime="{{ entry.article.date }}">{{ entry.article.date_display }}</time>{% else %}<span class="undated">Undated</span>{% endif %}{% if entry.article.outlet %}<span class="sep" aria-hidden="true"> · </span><span class="outlet">{{ entry.article.outlet }}</span>{% endif %}</p>
        <a class="article-link" href="{{ root }}{{ entry.article.path }}">{{ entry.article.title }}</a>
        {%- if entry.quotes | length > 0 %}
        <ul class="timeline-quotes">
          {%- for quote in entry.quotes %}
          <li><a href="{{ root }}{{ quote.path }}">“{% if quote.partial %}…{{ quote.text }}…{% else %}{{ quote.text }}{% endif %}”</a>{% if show_speaker %} <span class="meta">{% if quote.speaker_path %}<a class="speaker" href="{{ root }}{{ quote.speaker_path }}">{{ quote.speaker }}</a>{% else %}<span class="speaker">{{ quote.speaker }}</span>{% endif %}{% if quote.belongs_to %} <span class="belongs">(<a href="{{ root }}{{ quote.belongs_to.path }}">{{ quote.belongs_to.name }}</a>)</span>{% endif %}</span>{% endif %}</li>
          {%- endfor %}
        </ul>
        {%- endif %}
      </li>
      {%- endfor %}"#;

    fn entries() -> serde_json::Value {
        serde_json::json!([
            {"article": {"title": "Talks & <tea>", "path": "articles/a.html", "date": "2024-05-07",
                         "date_display": "7 May 2024", "outlet": "TASS", "author": null, "summary": null},
             "quotes": quotes()},
            {"article": {"title": "Undated", "path": "articles/b.html", "date": null,
                         "date_display": null, "outlet": null, "author": "A", "summary": "S"},
             "quotes": []},
            {"article": {"title": "No outlet", "path": "articles/c.html", "date": "2024-05-08",
                         "date_display": "8 May 2024", "outlet": "", "author": null, "summary": null},
             "quotes": [quotes()[1]]}
        ])
    }

    fn quotes() -> serde_json::Value {
        serde_json::json!([
            {"text": "We will <not> \"stand\" by & 'wait'", "partial": false, "speaker": "Vladimir Putin",
             "speaker_path": "people/vladimir-putin.html", "speaker_kind": "person", "belongs_to": null,
             "article_title": "Talks & tea", "path": "articles/a.html#q1", "date_display": "7 May 2024"},
            {"text": "a part of a sentence", "partial": true, "speaker": "the Russian Foreign Ministry",
             "speaker_path": null, "speaker_kind": "body",
             "belongs_to": {"name": "Russia", "path": "countries/russia.html"},
             "article_title": "Undated", "path": "articles/b.html#q2", "date_display": null},
            {"text": "Plain.", "partial": false, "speaker": "an official", "speaker_path": "",
             "speaker_kind": "unnamed", "belongs_to": null, "article_title": "B", "path": "articles/b.html#q3",
             "date_display": ""},
            // A theme's own values: a number, a list and a map where text was, a string as a flag.
            {"text": 42, "partial": "yes", "speaker": ["<b>", "&"], "speaker_path": null,
             "belongs_to": {"name": {"a": "<i>"}, "path": "x.html"}, "article_title": 1.5,
             "path": "articles/c.html#q1", "date_display": true}
        ])
    }

    fn render(template: &str, context: &tera::Context) -> Result<String, tera::Error> {
        let mut tera = tera::Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(super::super::templates::write_escaped_html);
        register(&mut tera);
        tera.add_raw_template("t.html", template)?;
        tera.render("t.html", context)
    }

    #[test]
    fn items_are_what_the_theme_loops_wrote() {
        let flags = [
            serde_json::json!(true),
            serde_json::json!(false),
            serde_json::json!(null),
            serde_json::json!("yes"),
            serde_json::json!(""),
        ];
        for root in ["../", "../../", "", "a&b'/"] {
            for (show_speaker, show_article) in
                flags.iter().flat_map(|a| flags.iter().map(move |b| (a, b)))
            {
                let mut context = tera::Context::new();
                context.insert("quotes", &quotes());
                context.insert("root", root);
                context.insert("show_speaker", show_speaker);
                context.insert("show_article", show_article);
                context.insert("entries", &entries());
                for (call, replaced) in [
                    (
                        "{{ quote_items(quotes=quotes, root=root, style=\"list\", \
                         show_article=show_article, show_speaker=show_speaker) }}",
                        LIST_LOOP,
                    ),
                    (
                        "{{ quote_items(quotes=quotes, root=root, style=\"timeline\", \
                         show_speaker=show_speaker) }}",
                        TIMELINE_LOOP,
                    ),
                    (
                        "{{ timeline_items(entries=entries, root=root, show_speaker=show_speaker) }}",
                        TIMELINE_ENTRIES_LOOP,
                    ),
                ] {
                    assert_same(call, replaced, &context);
                }
            }
        }
    }

    #[test]
    fn a_root_marked_safe_is_written_as_the_loops_write_it() {
        let mut context = tera::Context::new();
        context.insert("quotes", &quotes());
        context.insert("entries", &entries());
        context.insert_value("root", Value::safe_string("a&amp;b/"));
        context.insert("show_speaker", &true);
        context.insert("show_article", &true);
        let call = "{{ quote_items(quotes=quotes, root=root, style=\"list\", show_article=true) }}";
        let ours = render(call, &context).unwrap();
        assert!(
            ours.contains("href=\"a&amp;b/articles/a.html#q1\""),
            "{ours}"
        );
        assert_eq!(ours, render(LIST_LOOP, &context).unwrap());
        assert_same(
            "{{ timeline_items(entries=entries, root=root) }}",
            TIMELINE_ENTRIES_LOOP,
            &context,
        );
    }

    /// Holds the function `call` to the bytes of the loop it `replaced`.
    fn assert_same(call: &str, replaced: &str, context: &tera::Context) {
        assert_eq!(
            render(call, context).unwrap(),
            render(replaced, context).unwrap(),
            "{call}"
        );
    }

    #[test]
    fn a_wrong_style_or_a_quotation_without_its_text_is_an_error() {
        let mut context = tera::Context::new();
        context.insert("quotes", &quotes());
        context.insert("root", "../");
        let wrong_style = render(
            "{{ quote_items(quotes=quotes, root=root, style=\"grid\") }}",
            &context,
        );
        assert!(format!("{:?}", wrong_style.unwrap_err()).contains("style must be"));
        context.insert(
            "quotes",
            &serde_json::json!([{"partial": false, "path": "a.html"}]),
        );
        let no_text = render(
            "{{ quote_items(quotes=quotes, root=root, style=\"list\") }}",
            &context,
        );
        assert!(format!("{:?}", no_text.unwrap_err()).contains("has no `text`"));
    }
}
