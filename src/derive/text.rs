//! An article's text as derivation sees it: the title and the body cut into blocks (paragraphs,
//! headings, list items, table cells), each a plain string. Markdown is segmented from its parser
//! events, and the same segmentation tells the renderer where each piece of text stands in its
//! block, so that positions found here can be marked in the rendered page.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::content::Article;

/// What a block is, for rules that care (quotes in headlines, subheadings as furniture).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Title,
    Heading,
    Paragraph,
    ListItem,
    TableCell,
}

/// One block of text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Block {
    /// The anchor of the block on the article's page: `title`, `p1`, `p2`, ...
    pub id: String,
    pub kind: BlockKind,
    pub text: String,
}

/// Where one text event of a Markdown body lands in the blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TextPiece {
    /// Index of the event in the parser's event list.
    pub event: usize,
    /// Index of the block in [`ArticleText::blocks`].
    pub block: usize,
    /// Byte offset of the event's text in the block's text.
    pub start: usize,
}

/// The events that open and close one block of a Markdown body (absent for text outside any block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BlockEvents {
    pub block: usize,
    pub start: usize,
    pub end: usize,
}

/// How a Markdown body's events map onto its blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Segmentation {
    pub blocks: Vec<Block>,
    pub pieces: Vec<TextPiece>,
    pub block_events: Vec<BlockEvents>,
}

/// The title and body of an article as blocks; block 0 is the title.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ArticleText {
    pub blocks: Vec<Block>,
    /// Whether the body is plain prose ([`plain_paragraphs`]): its blocks are its lines, and the
    /// renderer need not parse it either.
    pub plain: bool,
}

/// Each block's sentence starts ([`language::sentence_starts`]), found when first asked for: the
/// person finder and the quotation finder read the same sentences of an article.
///
/// [`language::sentence_starts`]: super::language::sentence_starts
pub struct Sentences<'a> {
    text: &'a ArticleText,
    starts: Vec<std::cell::OnceCell<Vec<usize>>>,
}

impl<'a> Sentences<'a> {
    pub fn of(text: &'a ArticleText) -> Sentences<'a> {
        Sentences {
            text,
            starts: text
                .blocks
                .iter()
                .map(|_| std::cell::OnceCell::new())
                .collect(),
        }
    }

    /// Where the sentences of block `block` start, by byte offset (the first at 0).
    pub fn starts(&self, block: usize) -> &[usize] {
        self.starts[block]
            .get_or_init(|| super::language::sentence_starts(&self.text.blocks[block].text))
    }
}

/// The Markdown options used everywhere, so that derivation and rendering parse alike.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH
}

impl ArticleText {
    pub fn of(article: &Article) -> ArticleText {
        let mut blocks = vec![Block {
            id: "title".into(),
            kind: BlockKind::Title,
            text: article.title.clone(),
        }];
        let paragraphs = plain_paragraphs(&article.body);
        let plain = paragraphs.is_some();
        match paragraphs {
            Some(paragraphs) => {
                blocks.extend(paragraphs.into_iter().map(|text| Block {
                    id: String::new(),
                    kind: BlockKind::Paragraph,
                    text: text.to_string(),
                }));
                debug_assert_eq!(
                    blocks[1..],
                    parsed_blocks(&article.body)[..],
                    "plain prose read as the parser reads it"
                );
            }
            None => blocks.extend(parsed_blocks(&article.body)),
        }
        for (index, block) in blocks.iter_mut().enumerate().skip(1) {
            block.id = format!("p{index}");
        }
        ArticleText { blocks, plain }
    }
}

/// The blocks of a Markdown body, as the parser reads it.
fn parsed_blocks(body: &str) -> Vec<Block> {
    let events: Vec<Event> = Parser::new_ext(body, markdown_options()).collect();
    segment_markdown(&events).blocks
}

/// The paragraphs of a body that is plain prose, which most scraped articles are: one paragraph
/// per line, lines apart by blank lines, and nothing Markdown could read as markup (no character
/// of `\`*_[]<>&!#|~`, no tab or carriage return, no line that starts or ends with a space, none
/// that starts as a list, quotation, heading underline or rule). The parser makes of such a body
/// one paragraph per line holding the line's text as it is, so derivation and rendering need not
/// run it. `None` for any other body.
pub fn plain_paragraphs(body: &str) -> Option<Vec<&str>> {
    let bytes = body.as_bytes();
    let markup = MARKUP.chunks(3).any(|set| match *set {
        [a, b, c] => memchr::memchr3(a, b, c, bytes).is_some(),
        [a, b] => memchr::memchr2(a, b, bytes).is_some(),
        [a] => memchr::memchr(a, bytes).is_some(),
        _ => false,
    });
    if markup {
        return None;
    }
    let mut paragraphs = Vec::new();
    let mut after_blank = true;
    for line in body.split('\n') {
        if line.is_empty() {
            after_blank = true;
            continue;
        }
        // Two lines in a row would be one paragraph (or a heading, with an underline).
        if !after_blank {
            return None;
        }
        after_blank = false;
        let starts_or_ends_with_space =
            line.starts_with(char::is_whitespace) || line.ends_with(char::is_whitespace);
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let numbered = digits > 0 && matches!(line.as_bytes().get(digits), Some(b'.' | b')'));
        if starts_or_ends_with_space || numbered || line.starts_with(['-', '+', '=']) {
            return None;
        }
        paragraphs.push(line);
    }
    Some(paragraphs)
}

/// The bytes [`plain_paragraphs`] refuses, looked for three at a time (memchr's vector scans run
/// faster over a body five times than a byte-by-byte test runs once).
const MARKUP: &[u8] = b"\\`*_[]<>&!#|~\t\r";

/// Cuts parsed Markdown into blocks (without the title) and says where each text event lands. Block
/// indexes count from 1, as the title is block 0 of an [`ArticleText`].
pub fn segment_markdown(events: &[Event]) -> Segmentation {
    let mut out = Segmentation::default();
    // The block being read: its kind, its opening event, its text and pieces so far.
    let mut open: Option<(BlockKind, Option<usize>)> = None;
    let mut current = String::new();
    let mut current_pieces: Vec<TextPiece> = Vec::new();
    let finish = |open: &mut Option<(BlockKind, Option<usize>)>,
                  end_event: Option<usize>,
                  current: &mut String,
                  current_pieces: &mut Vec<TextPiece>,
                  out: &mut Segmentation| {
        if let Some((kind, start_event)) = open.take() {
            if !current.trim().is_empty() {
                let block = out.blocks.len() + 1;
                out.pieces
                    .extend(current_pieces.drain(..).map(|p| TextPiece { block, ..p }));
                if let (Some(start), Some(end)) = (start_event, end_event) {
                    out.block_events.push(BlockEvents { block, start, end });
                }
                out.blocks.push(Block {
                    id: String::new(),
                    kind,
                    text: std::mem::take(current),
                });
            }
        }
        current.clear();
        current_pieces.clear();
    };
    for (index, event) in events.iter().enumerate() {
        match event {
            Event::Start(tag) => {
                let kind = match tag {
                    Tag::Paragraph => Some(BlockKind::Paragraph),
                    Tag::Heading { .. } => Some(BlockKind::Heading),
                    Tag::Item => Some(BlockKind::ListItem),
                    Tag::TableCell => Some(BlockKind::TableCell),
                    _ => None,
                };
                if let Some(kind) = kind {
                    finish(&mut open, None, &mut current, &mut current_pieces, &mut out);
                    open = Some((kind, Some(index)));
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell,
            ) => {
                finish(
                    &mut open,
                    Some(index),
                    &mut current,
                    &mut current_pieces,
                    &mut out,
                );
            }
            Event::Text(text) | Event::Code(text) => {
                if open.is_none() {
                    open = Some((BlockKind::Paragraph, None));
                }
                current_pieces.push(TextPiece {
                    event: index,
                    block: 0,
                    start: current.len(),
                });
                current.push_str(text);
            }
            Event::SoftBreak | Event::HardBreak => current.push(' '),
            _ => {}
        }
    }
    finish(&mut open, None, &mut current, &mut current_pieces, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_prose_is_read_as_the_parser_reads_it() {
        // Lines of characters that are not markup, some of which start or end blocks elsewhere
        // ("1." lists, "- " items, "=" underlines), each a paragraph when it is taken as plain.
        let alphabet: Vec<char> =
            "aZ 0 9 . , ; : ? ( ) % $ @ ' \" - + = é ß 東 — « » ’ \u{a0} ^ { } / ="
                .chars()
                .collect();
        let mut seed = 0x2545_f491_u32;
        let mut next = move |below: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % below
        };
        let mut plain = 0;
        for _ in 0..6000 {
            let lines: Vec<String> = (0..1 + next(4))
                .map(|_| {
                    (0..1 + next(12))
                        .map(|_| alphabet[next(alphabet.len())])
                        .collect()
                })
                .collect();
            let body = lines.join(if next(8) == 0 { "\n" } else { "\n\n" });
            let Some(paragraphs) = plain_paragraphs(&body) else {
                continue;
            };
            plain += 1;
            let parsed = parsed_blocks(&body);
            let blocks: Vec<&str> = parsed.iter().map(|b| b.text.as_str()).collect();
            assert_eq!(paragraphs, blocks, "{body:?}");
        }
        assert!(plain > 300, "only {plain} bodies were plain");
        for markup in [
            "a *b*",
            "1. one",
            "12) twelve",
            "- item",
            "a\nb",
            " lead",
            "trail ",
            "a &amp; b",
            "a\n===",
            "> quoted",
            "a\tb",
            "#1",
        ] {
            assert_eq!(plain_paragraphs(markup), None, "{markup:?}");
        }
        assert_eq!(
            plain_paragraphs("One line.\n\nAnother, \"quoted\".\n"),
            Some(vec!["One line.", "Another, \"quoted\"."])
        );
    }

    #[test]
    fn markdown_blocks_and_pieces_line_up() {
        let markdown = "## Head *one*\n\nA \"quote\" and `code`\nnext line.\n\n- item\n- two\n";
        let events: Vec<Event> = Parser::new_ext(markdown, markdown_options()).collect();
        let Segmentation {
            blocks,
            pieces,
            block_events,
        } = segment_markdown(&events);
        assert_eq!(block_events.len(), 4);
        let texts: Vec<&str> = blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Head one", "A \"quote\" and code next line.", "item", "two"]
        );
        for piece in pieces {
            let (Event::Text(text) | Event::Code(text)) = &events[piece.event] else {
                panic!()
            };
            let block = &blocks[piece.block - 1].text;
            assert_eq!(&block[piece.start..piece.start + text.len()], text.as_ref());
        }
    }
}
