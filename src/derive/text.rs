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
        let events: Vec<Event> = Parser::new_ext(&article.body, markdown_options()).collect();
        blocks.extend(segment_markdown(&events).blocks);
        for (index, block) in blocks.iter_mut().enumerate().skip(1) {
            block.id = format!("p{index}");
        }
        ArticleText { blocks }
    }
}

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
