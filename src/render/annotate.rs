//! An article's body as HTML with what derivation found marked in it: each block carries its anchor
//! (`id="p3"`), each quotation is a `<span class="quote" id="q2">`, the first mention of each
//! country, organisation and person links to its page, and a paragraph with quotations ends with
//! links to their speakers. Positions come from the same segmentation derivation used.

use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use pulldown_cmark::{html, CowStr, Event, Parser, Tag};

use super::templates::{escape_html_into, escape_text_into};
use super::{entity_path, markdown::sanitise};
use crate::derive::text::{markdown_options, segment_markdown};
use crate::derive::{DerivedArticle, EntityRef, Site};

/// One marked range of a block.
#[derive(Debug, Clone, Hash)]
struct Mark {
    start: usize,
    end: usize,
    kind: MarkKind,
}

#[derive(Debug, Clone, Hash)]
enum MarkKind {
    /// A quotation: its anchor, on the first piece only, and its speaker's name.
    Quote { anchor: String, speaker: String },
    /// A mention linked to its entity's page.
    Link { href: String, class: &'static str },
}

/// What the annotator needs of a block: its marks and the speakers of its quotations.
#[derive(Debug, Clone, Default, Hash)]
struct BlockMarks {
    marks: Vec<Mark>,
    speakers: Vec<(String, Option<String>)>,
}

/// An article's annotated title and body.
pub type Annotated = Arc<(String, String)>;

/// Annotated articles of the last render, under a hash of everything annotation reads (the body,
/// the marks with their links, the settings), so that a rebuild annotates again, and sanitises
/// again, only the articles whose text or marks changed.
#[derive(Debug, Default)]
pub struct AnnotationMemo {
    previous: HashMap<PathBuf, (u128, Annotated)>,
    current: Mutex<HashMap<PathBuf, (u128, Annotated)>>,
    /// A one-off build keeps no annotation for a next build.
    pub(crate) forgetful: bool,
}

impl AnnotationMemo {
    /// Makes this render's annotations the ones the next render can reuse.
    pub fn finish(&mut self) {
        self.previous = std::mem::take(self.current.get_mut().unwrap_or_else(|e| e.into_inner()));
    }
}

/// The annotated title (for the `<h1>`) and body of `derived`.
pub fn annotated_article(
    site: &Site,
    derived: &DerivedArticle,
    root: &str,
    trust_html: bool,
    memo: &AnnotationMemo,
) -> Annotated {
    let marks = marks_by_block(site, derived, root);
    let annotate = || {
        let title = annotate_text(&derived.text.blocks[0].text, &marks[0], true);
        let body = annotated_body(derived, &marks, trust_html);
        Arc::new((title, body))
    };
    // A one-off build has nothing to look up and keeps nothing: no key to make.
    if memo.forgetful && memo.previous.is_empty() {
        return annotate();
    }
    let mut hasher = siphasher::sip128::SipHasher13::new();
    (
        &derived.article.body,
        &derived.text.blocks[0].text,
        &marks,
        root,
        trust_html,
    )
        .hash(&mut hasher);
    let key = siphasher::sip128::Hasher128::finish128(&hasher).as_u128();
    let file = &derived.article.file;
    let annotated = match memo.previous.get(file) {
        Some((cached, annotated)) if *cached == key => Arc::clone(annotated),
        _ => annotate(),
    };
    if !memo.forgetful {
        memo.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(file.clone(), (key, Arc::clone(&annotated)));
    }
    annotated
}

/// The body's Markdown rendered with the marks, block anchors and speaker links.
fn annotated_body(derived: &DerivedArticle, marks: &[BlockMarks], trust_html: bool) -> String {
    // Plain prose is one paragraph per line, each line its block's text: no parser needed.
    if derived.text.plain {
        let mut out = String::with_capacity(derived.article.body.len() * 2);
        for (block, paragraph) in derived.text.blocks.iter().enumerate().skip(1) {
            let (id, text) = (&paragraph.id, &paragraph.text);
            out.push_str("<p id=\"");
            out.push_str(id);
            out.push_str("\">");
            out.push_str(&annotate_range(text, 0, &marks[block], false));
            out.push_str(&speakers_html(&marks[block]));
            out.push_str("</p>\n");
        }
        debug_assert_eq!(
            out,
            parsed_body(derived, marks, trust_html),
            "plain prose rendered as the parser renders it"
        );
        return out;
    }
    parsed_body(derived, marks, trust_html)
}

/// The body's Markdown through the parser, its text events annotated.
fn parsed_body(derived: &DerivedArticle, marks: &[BlockMarks], trust_html: bool) -> String {
    let events: Vec<Event> = Parser::new_ext(&derived.article.body, markdown_options()).collect();
    let segmentation = segment_markdown(&events);
    let mut out_events: Vec<Event> = events.clone();
    for piece in &segmentation.pieces {
        let (Event::Text(text) | Event::Code(text)) = &events[piece.event] else {
            continue;
        };
        let is_code = matches!(events[piece.event], Event::Code(_));
        let block_marks = &marks[piece.block];
        let html = annotate_range(text, piece.start, block_marks, is_code);
        out_events[piece.event] = Event::InlineHtml(CowStr::from(html));
    }
    for block in &segmentation.block_events {
        let id = &derived.text.blocks[block.block].id;
        let by = speakers_html(&marks[block.block]);
        match &events[block.start] {
            Event::Start(Tag::Paragraph) => {
                out_events[block.start] = Event::Html(CowStr::from(format!("<p id=\"{id}\">")));
                out_events[block.end] = Event::Html(CowStr::from(format!("{by}</p>\n")));
            }
            Event::Start(Tag::Item) => {
                out_events[block.start] = Event::Html(CowStr::from(format!("<li id=\"{id}\">")));
                out_events[block.end] = Event::Html(CowStr::from(format!("{by}</li>\n")));
            }
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                out_events[block.start] = Event::Start(Tag::Heading {
                    level: *level,
                    id: Some(CowStr::from(id.clone())),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                });
            }
            _ => {}
        }
    }
    let mut out = String::with_capacity(derived.article.body.len() * 2);
    html::push_html(&mut out, out_events.into_iter());
    // The marks' own HTML is made here from escaped text; only the body's can be unsafe.
    if trust_html || !super::markdown::needs_sanitising(&events) {
        out
    } else {
        sanitise(&out)
    }
}

/// The marks of every block: quotations, and the first mention of each entity.
fn marks_by_block(site: &Site, derived: &DerivedArticle, root: &str) -> Vec<BlockMarks> {
    let mut marks = vec![BlockMarks::default(); derived.text.blocks.len()];
    for q in derived.quotes.clone() {
        let quote = &site.quotes[q];
        let speaker_href = quote.speaker.entity.map(|e| href(site, e, root));
        for (n, place) in quote.places.iter().enumerate() {
            let anchor = if n == 0 {
                quote.anchor.to_string()
            } else {
                format!("{}-{}", quote.anchor, n + 1)
            };
            let block = &mut marks[place.block];
            block.marks.push(Mark {
                start: place.start,
                end: place.end,
                kind: MarkKind::Quote {
                    anchor,
                    speaker: quote.speaker.name.to_string(),
                },
            });
            let entry = (quote.speaker.name.to_string(), speaker_href.clone());
            if !block.speakers.contains(&entry) {
                block.speakers.push(entry);
            }
        }
    }
    let mut linked: BTreeSet<EntityRef> = BTreeSet::new();
    for mention in derived.mentions.iter() {
        // The title stays plain; in the body, each entity is linked once.
        if mention.place.block == 0 || !linked.insert(mention.entity) {
            continue;
        }
        let class = match mention.entity.0 {
            crate::content::EntityKind::Country => "mention mention-country",
            crate::content::EntityKind::Organisation => "mention mention-organisation",
            crate::content::EntityKind::Person => "mention mention-person",
        };
        marks[mention.place.block].marks.push(Mark {
            start: mention.place.start,
            end: mention.place.end,
            kind: MarkKind::Link {
                href: href(site, mention.entity, root),
                class,
            },
        });
    }
    for block in &mut marks {
        // Quotations open before the links inside them.
        block
            .marks
            .sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    }
    marks
}

fn href(site: &Site, entity: EntityRef, root: &str) -> String {
    let mut href = root.to_string();
    href.push_str(&entity_path(entity.0, &site.entity(entity).slug));
    href
}

/// The links to the speakers of a block's quotations, shown at its end.
fn speakers_html(marks: &BlockMarks) -> String {
    // Written into one string: a block's speakers are many small pieces.
    let mut out = String::new();
    for (n, (name, href)) in marks.speakers.iter().enumerate() {
        out.push_str(if n == 0 {
            " <span class=\"quote-by\">Quoted: "
        } else {
            ", "
        });
        match href {
            Some(href) => {
                out.push_str("<a href=\"");
                escape_html_into(href, |piece| out.push_str(piece));
                out.push_str("\">");
                escape_html_into(name, |piece| out.push_str(piece));
                out.push_str("</a>");
            }
            None => escape_html_into(name, |piece| out.push_str(piece)),
        }
    }
    if !out.is_empty() {
        out.push_str("</span>");
    }
    out
}

/// A whole block's text with its marks.
fn annotate_text(text: &str, marks: &BlockMarks, title: bool) -> String {
    let marks = if title {
        BlockMarks {
            marks: marks
                .marks
                .iter()
                .filter(|m| matches!(m.kind, MarkKind::Quote { .. }))
                .cloned()
                .collect(),
            speakers: Vec::new(),
        }
    } else {
        marks.clone()
    };
    annotate_range(text, 0, &marks, false)
}

/// The HTML of `text`, which stands at `offset` in its block, with the block's marks that fall in it.
/// A mark that crosses the edge of `text` is cut there; a quotation's anchor goes on its first part.
fn annotate_range(text: &str, offset: usize, marks: &BlockMarks, code: bool) -> String {
    let end_of_text = offset + text.len();
    let mut out = String::with_capacity(text.len() + 64);
    if code {
        out.push_str("<code>");
    }
    let relevant: Vec<&Mark> = marks
        .marks
        .iter()
        .filter(|m| m.start < end_of_text && offset < m.end)
        .collect();
    if relevant.is_empty() {
        // Most pieces of text hold no mark.
        push_escaped_text(&mut out, text);
    } else {
        // Boundaries where a mark opens or closes, within this text.
        let mut cuts: Vec<usize> = Vec::with_capacity(2 + 2 * relevant.len());
        cuts.extend([offset, end_of_text]);
        for mark in &relevant {
            cuts.extend([mark.start.max(offset), mark.end.min(end_of_text)]);
        }
        cuts.sort_unstable();
        cuts.dedup();
        cuts.retain(|&c| text.is_char_boundary(c - offset));
        let mut open: Vec<&Mark> = Vec::with_capacity(relevant.len());
        for window in cuts.windows(2) {
            let (from, to) = (window[0], window[1]);
            open.clear();
            open.extend(
                relevant
                    .iter()
                    .filter(|m| m.start <= from && to <= m.end)
                    .copied(),
            );
            for mark in &open {
                push_open_tag(&mut out, mark, from == mark.start);
            }
            push_escaped_text(&mut out, &text[from - offset..to - offset]);
            for mark in open.iter().rev() {
                out.push_str(close_tag(mark));
            }
        }
    }
    if code {
        out.push_str("</code>");
    }
    out
}

/// `escape_text(text)`, appended to `out`.
fn push_escaped_text(out: &mut String, text: &str) {
    escape_text_into(text, |piece| out.push_str(piece));
}

fn push_open_tag(out: &mut String, mark: &Mark, first: bool) {
    match &mark.kind {
        MarkKind::Quote { anchor, speaker } => {
            out.push_str("<span class=\"quote\"");
            if first {
                out.push_str(" id=\"");
                escape_html_into(anchor, |piece| out.push_str(piece));
                out.push('"');
            }
            out.push_str(" title=\"");
            escape_html_into(speaker, |piece| out.push_str(piece));
            out.push_str("\">");
        }
        MarkKind::Link { href, class } => {
            out.push_str("<a class=\"");
            out.push_str(class);
            out.push_str("\" href=\"");
            escape_html_into(href, |piece| out.push_str(piece));
            out.push_str("\">");
        }
    }
}

fn close_tag(mark: &Mark) -> &'static str {
    match mark.kind {
        MarkKind::Quote { .. } => "</span>",
        MarkKind::Link { .. } => "</a>",
    }
}
