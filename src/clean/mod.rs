//! Cleaning a raw scraped article: from the plain text of a web page to its title, what it says of
//! its date, author and outlet, and the article's own text as Markdown, without the page furniture
//! around it. The rules are general, not any outlet's: how each line reads (`lines`), where the
//! article's real paragraphs begin and end, and lists of links cut off after it. Every line dropped
//! is kept with its reason, so that nothing leaves silently (`briefing import --explain`).

pub mod lines;
pub mod metadata;

use chrono::NaiveDate;

use lines::LineKind;
use metadata::FoundDate;

/// A line the cleaner dropped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// 1-based line in the raw text.
    pub line: usize,
    pub text: String,
    pub reason: &'static str,
}

/// A raw article, cleaned.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub title: Option<String>,
    /// The 1-based line of the title in the raw text.
    pub title_line: Option<usize>,
    pub date: Option<NaiveDate>,
    /// A day and month the text gives without a year ("November 23"): not a date, but a hint.
    pub day_month: Option<(u32, u32)>,
    pub author: Option<String>,
    pub source: Option<String>,
    /// The article's text as Markdown.
    pub body: String,
    /// How many lines of text the body keeps.
    pub kept: usize,
    pub removed: Vec<Removed>,
}

/// One non-blank line of the raw text.
#[derive(Debug, Clone)]
struct Line<'a> {
    number: usize,
    text: &'a str,
    kind: LineKind,
    /// Lines not separated by a blank line share a group.
    group: usize,
}

/// Cleans the raw text of one article.
pub fn clean(text: &str) -> Cleaned {
    let mut lines = Vec::new();
    let mut group = 0;
    let mut previous_blank = true;
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            previous_blank = true;
            continue;
        }
        if previous_blank {
            group += 1;
        }
        previous_blank = false;
        lines.push(Line {
            number: index + 1,
            text: trimmed,
            kind: lines::classify(trimmed),
            group,
        });
    }
    let mut out = Cleaned::default();
    if lines.is_empty() {
        return out;
    }
    let lists = link_lists(&lines);
    let listed = |line: &Line<'_>| lists[line.number] != List::None;
    let in_timestamp_list = |line: &Line<'_>| lists[line.number] == List::Timestamps;

    mark_bare_bylines(&mut lines);
    let title_index = headline(&lines, &lists);
    let title = lines[title_index].text.to_string();
    out.title_line = Some(lines[title_index].number);

    // The article runs from its first real paragraph to its last. A heading over a list of links,
    // or a list of links, ends it when no real paragraph follows; after its last paragraph it goes
    // on only until the first line of furniture.
    let free_paragraph = |l: &Line<'_>| {
        matches!(l.kind, LineKind::Paragraph | LineKind::ListItem) && !in_timestamp_list(l)
    };
    let first = (title_index + 1..lines.len())
        .find(|&i| lines[i].kind == LineKind::Paragraph && !listed(&lines[i]));
    let cutoff = first.and_then(|first| {
        (first..lines.len()).find(|&i| {
            (lines[i].kind == LineKind::ListHeading || listed(&lines[i]))
                && !lines[i + 1..]
                    .iter()
                    .any(|l| free_paragraph(l) && !listed(l))
        })
    });
    let last = first.and_then(|first| {
        (first..cutoff.unwrap_or(lines.len()))
            .rev()
            .find(|&i| free_paragraph(&lines[i]))
    });
    let end = last.map(|last| {
        (last + 1..lines.len())
            .find(|&i| is_furniture(&lines[i]) || in_timestamp_list(&lines[i]))
            .unwrap_or(lines.len())
    });
    let end = match (end, cutoff) {
        (Some(end), Some(cutoff)) => Some(end.min(cutoff)),
        (end, _) => end,
    };

    let mut blocks: Vec<String> = Vec::new();
    let mut metadata_lines: Vec<&str> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let before_article = first.is_none_or(|first| i < first);
        let after_article = end.is_some_and(|end| i >= end);
        // Between the headline and the text only a capitalised dateline is furniture ("MOSCOW"); a
        // capitalised word there may be a fact box's venue. Inside the text it is a tag ("Russia").
        let bare_word = if before_article {
            is_dateline_word(line)
        } else {
            is_tag_word(line)
        };
        let reason: Option<&'static str> = if i == title_index {
            None
        } else if same_text(line.text, &title) {
            Some("repeats the headline")
        } else if in_timestamp_list(line) {
            Some("in a list of links")
        } else {
            match line.kind {
                // Inside the article a date line is text ("Tuesday, 1 March" in a match preview).
                LineKind::Timestamp
                    if after_article
                        || i < title_index
                        || before_article && has_full_date(line.text) =>
                {
                    Some("a date or time line")
                }
                LineKind::Byline => Some("a byline"),
                LineKind::Social => Some("a social link"),
                LineKind::Boilerplate => Some("page furniture"),
                LineKind::ListHeading => Some("heads a list of links"),
                _ if after_article => Some("after the article's last paragraph"),
                _ if bare_word => Some("a single word: a section name, tag or dateline"),
                // Menus and section names stand before the headline; between the headline and the
                // text stand a standfirst or a fact box (venue, kick-off, referee), which are text.
                _ if i < title_index && line.kind != LineKind::Paragraph => {
                    Some("before the headline")
                }
                _ if before_article && listed(line) => Some("in a list of links"),
                _ => None,
            }
        };
        if i == title_index {
            continue;
        }
        if let Some(reason) = reason {
            if !after_article
                && matches!(
                    line.kind,
                    LineKind::Timestamp | LineKind::Byline | LineKind::Fragment | LineKind::Heading
                )
            {
                metadata_lines.push(line.text);
            }
            out.removed.push(Removed {
                line: line.number,
                text: line.text.to_string(),
                reason,
            });
            continue;
        }
        out.kept += 1;
        blocks.push(markdown_block(line));
    }

    // What the text says of itself: the first date before or at the start of the article, the first
    // byline, the first credit line.
    // Datelines and credits stand at the start of one of the first paragraphs (after a standfirst).
    let opening: Vec<&str> = first.map_or(Vec::new(), |first| {
        lines[first..]
            .iter()
            .filter(|l| l.kind == LineKind::Paragraph)
            .take(3)
            .map(|l| l.text)
            .collect()
    });
    let date_sources = metadata_lines
        .iter()
        .copied()
        .chain(opening.iter().map(|p| dateline(p)));
    let found_dates: Vec<FoundDate> = date_sources.filter_map(metadata::find_date).collect();
    out.date = found_dates.iter().find_map(|d| match d {
        FoundDate::Full(date) => Some(*date),
        FoundDate::DayMonth { .. } => None,
    });
    if out.date.is_none() {
        out.day_month = found_dates.iter().find_map(|d| match d {
            FoundDate::DayMonth { month, day } => Some((*month, *day)),
            FoundDate::Full(_) => None,
        });
    }
    out.author = lines
        .iter()
        .take(first.map_or(lines.len(), |f| f + 3))
        .filter(|l| l.kind == LineKind::Byline)
        .find_map(|l| metadata::byline_author(l.text).or_else(|| metadata::bare_name(l.text)));
    let credit_lines = opening
        .iter()
        .copied()
        .chain(lines[..first.unwrap_or(0)].iter().map(|l| l.text))
        .chain(
            lines
                .iter()
                .filter(|l| l.kind == LineKind::Boilerplate)
                .map(|l| l.text),
        );
    out.source = credit_lines.filter_map(metadata::credited_source).next();
    out.title = Some(title);
    out.body = blocks.join("\n\n");
    if !out.body.is_empty() {
        out.body.push('\n');
    }
    out
}

/// The headline among the lines before the text: headline-like lines scored by what headlines look
/// like (three to 25 words, repeated on the page, early, a byline or date line near them)
/// and what outlet names and breadcrumbs look like ("Home » World", "Baltic Business Review").
fn headline(lines: &[Line<'_>], lists: &[List]) -> usize {
    let candidate = |l: &Line<'_>| {
        matches!(l.kind, LineKind::Heading | LineKind::Paragraph)
            && !ends_with_full_stop(l.text)
            && lines::word_count(l.text) >= 3
            && lists[l.number] == List::None
    };
    let text_starts = lines
        .iter()
        .position(|l| {
            l.kind == LineKind::Paragraph
                && ends_with_full_stop(l.text)
                && lists[l.number] == List::None
        })
        .unwrap_or(lines.len());
    let first_candidate = lines.iter().position(&candidate);
    let score = |i: usize| -> i32 {
        let line = &lines[i];
        let words = lines::word_count(line.text) as i32;
        let mut score = 0;
        if (3..=25).contains(&words) {
            score += 2;
        }
        // A headline repeated on the page (a standfirst repeated in the text is longer).
        if words <= 20
            && lines
                .iter()
                .enumerate()
                .any(|(j, other)| j != i && same_text(other.text, line.text))
        {
            score += 3;
        }
        // A sentence is more likely a standfirst than a headline.
        if line.kind == LineKind::Paragraph {
            score -= 2;
        }
        // Pages put the headline early.
        if Some(i) == first_candidate {
            score += 1;
        }
        if line.text.contains(['»', '›', '|'])
            || line.text.contains(" > ")
            || line.text.contains(" / ")
        {
            score -= 6;
        }
        let title_case = line
            .text
            .split_whitespace()
            .all(|w| w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic()));
        if words <= 4 && title_case {
            score -= 3;
        }
        if lines[i + 1..]
            .iter()
            .take(3)
            .any(|l| matches!(l.kind, LineKind::Byline | LineKind::Timestamp))
        {
            score += 2;
        }
        score
    };
    let best = (0..text_starts.min(lines.len()))
        .filter(|&i| candidate(&lines[i]))
        .map(|i| (score(i), std::cmp::Reverse(i)))
        .max();
    match best {
        Some((_, std::cmp::Reverse(i))) => i,
        None => first_candidate.unwrap_or(0),
    }
}

/// A line that is only a name, next to a date line, is a byline ("Miriam Calloway" over "Mar 3,
/// 2024").
fn mark_bare_bylines(lines: &mut [Line<'_>]) {
    for i in 0..lines.len() {
        let near_date = [i.checked_sub(1), Some(i + 1)]
            .into_iter()
            .flatten()
            .filter_map(|j| lines.get(j))
            .any(|l| l.kind == LineKind::Timestamp);
        if near_date && metadata::bare_name(lines[i].text).is_some() {
            lines[i].kind = LineKind::Byline;
        }
    }
}

/// What kind of list of links a line stands in, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    None,
    /// Headlines with their times ("News line"): furniture wherever it stands.
    Timestamps,
    /// Headline-like lines that outnumber sentences: furniture outside the article, but inside it
    /// as likely a list the article makes (award nominees, results), so kept there.
    Headlines,
}

/// The list each line (by number) stands in: a group of three or more lines with no blank line
/// between them, in which timestamps recur or headline-like lines outnumber sentences. Lists the
/// article marks itself (bullets, numbers) are not link lists.
fn link_lists(lines: &[Line<'_>]) -> Vec<List> {
    let size = lines.last().map_or(0, |l| l.number) + 1;
    let mut marked = vec![List::None; size];
    let mut start = 0;
    while start < lines.len() {
        let group = lines[start].group;
        let end = (start..lines.len())
            .find(|&i| lines[i].group != group)
            .unwrap_or(lines.len());
        let members = &lines[start..end];
        let count = |kind: LineKind| members.iter().filter(|l| l.kind == kind).count();
        let timestamps = count(LineKind::Timestamp);
        let headlines =
            count(LineKind::Heading) + count(LineKind::Fragment) + count(LineKind::Social);
        let sentences = count(LineKind::Paragraph) + count(LineKind::ListItem);
        let kind = if members.len() < 3 {
            List::None
        } else if timestamps >= 2 {
            List::Timestamps
        } else if headlines >= 3 && headlines > 2 * sentences && count(LineKind::ListItem) == 0 {
            List::Headlines
        } else {
            List::None
        };
        for line in members {
            marked[line.number] = kind;
        }
        start = end;
    }
    marked
}

/// Ends with one full stop, as a sentence does and a headline does not ("Rivals of the Apple..." is
/// a headline).
fn ends_with_full_stop(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with('.') && !text.ends_with("..")
}

/// A date with its year: a publication date, unlike "Tuesday, 1 March" in a match preview.
fn has_full_date(text: &str) -> bool {
    matches!(metadata::find_date(text), Some(FoundDate::Full(_)))
}

/// Lines that end an article's text when they follow its last paragraph.
fn is_furniture(line: &Line<'_>) -> bool {
    matches!(
        line.kind,
        LineKind::Boilerplate | LineKind::ListHeading | LineKind::Social | LineKind::Byline
    ) || is_tag_word(line)
}

/// A single capitalised word with no sentence end: a section name, a tag or a dateline ("Russia",
/// "MOSCOW"), never article text. A number ("8,661", an attendance) or a lowercase word is not one.
fn is_tag_word(line: &Line<'_>) -> bool {
    line.kind == LineKind::Fragment
        && lines::word_count(line.text) == 1
        && !lines::ends_like_sentence(line.text)
        && !line.text.chars().any(|c| c.is_ascii_digit())
        && line
            .text
            .trim_start_matches(|c: char| !c.is_alphabetic())
            .starts_with(char::is_uppercase)
}

/// A dateline standing alone: one word in capitals ("MOSCOW").
fn is_dateline_word(line: &Line<'_>) -> bool {
    is_tag_word(line) && !line.text.chars().any(char::is_lowercase)
}

/// The dateline at the start of a first paragraph: "MOSCOW, November 23. /TASS/." or "LONDON, May 3 -".
fn dateline(paragraph: &str) -> &str {
    let cut = paragraph
        .find(" - ")
        .or_else(|| paragraph.find(" – "))
        .or_else(|| paragraph.find("/. "))
        .map_or(80, |i| i + 3);
    let cut = cut.min(paragraph.len());
    let mut end = cut;
    while !paragraph.is_char_boundary(end) {
        end -= 1;
    }
    &paragraph[..end]
}

/// Two lines say the same when they differ only in case, quote marks and spacing.
fn same_text(a: &str, b: &str) -> bool {
    let fold = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    !a.is_empty() && fold(a) == fold(b)
}

/// One kept line as a Markdown block: a paragraph, a `##` subheading, or a list item.
fn markdown_block(line: &Line<'_>) -> String {
    match line.kind {
        // A short headline-like line in the article is a subheading; a long one is a standfirst.
        LineKind::Heading | LineKind::Fragment
            if lines::word_count(line.text) < 10 && !lines::ends_like_sentence(line.text) =>
        {
            format!("## {}", escape_markdown(line.text))
        }
        LineKind::ListItem => {
            let trimmed = line.text.trim_start();
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                let (number, rest) = trimmed.split_at(digits);
                format!("{number}. {}", escape_markdown(rest[1..].trim_start()))
            } else {
                let rest = trimmed
                    .trim_start_matches(['•', '·', '▪', '◦', '-', '*', '–'])
                    .trim_start();
                format!("- {}", escape_markdown(rest))
            }
        }
        _ => escape_markdown(line.text),
    }
}

/// Escapes text so that Markdown shows it as it is: inline marks everywhere, block marks at the
/// start of the line.
pub fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        let at_start = i == 0;
        let needs = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' | '|' => true,
            '&' => {
                text[i + 1..].split(';').next().is_some_and(|e| {
                    !e.is_empty()
                        && e.len() < 10
                        && e.chars().all(|c| c.is_alphanumeric() || c == '#')
                }) && text[i + 1..].contains(';')
            }
            '#' | '>' | '+' | '=' => at_start,
            '-' => {
                at_start
                    && (text.len() == 1 || text[1..].starts_with(' ') || text[1..].starts_with('-'))
            }
            _ => false,
        };
        if needs {
            out.push('\\');
        }
        out.push(c);
    }
    // "2022. A year" at a line's start would be read as a numbered list item.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && out[digits..].starts_with(['.', ')']) {
        out.insert(digits, '\\');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_markdown_would_read() {
        assert_eq!(
            escape_markdown("a *b* [c] <d> & e &amp; f"),
            "a \\*b\\* \\[c\\] \\<d> & e \\&amp; f"
        );
        assert_eq!(escape_markdown("# not a heading"), "\\# not a heading");
        assert_eq!(escape_markdown("- not a list"), "\\- not a list");
        assert_eq!(escape_markdown("2022. A year"), "2022\\. A year");
        assert_eq!(
            escape_markdown("Russia-led, well-known"),
            "Russia-led, well-known"
        );
    }

    #[test]
    fn cleans_a_page() {
        let page = "Asia - Pacific\n\nBloc to meet on Tuesday at member's request\n\nBy Jane Roe | 13.09.2022\n\n\
            MOSCOW\n\nThe bloc will meet on Tuesday, an aide said.\n\nRussia\n\n\"We call for calm,\" he said.\n\n\
            Comments\n\n0\n\nNews line\nOther story about a summit\n14:29 28.04.2024\nAnother story about trade\n13:50 28.04.2024\n";
        let cleaned = clean(page);
        assert_eq!(
            cleaned.title.as_deref(),
            Some("Bloc to meet on Tuesday at member's request")
        );
        assert_eq!(cleaned.date, NaiveDate::from_ymd_opt(2022, 9, 13));
        assert_eq!(cleaned.author.as_deref(), Some("Jane Roe"));
        assert_eq!(
            cleaned.body,
            "The bloc will meet on Tuesday, an aide said.\n\n\"We call for calm,\" he said.\n"
        );
        let reasons: Vec<(usize, &str)> =
            cleaned.removed.iter().map(|r| (r.line, r.reason)).collect();
        assert_eq!(reasons[0], (1, "before the headline"));
        assert!(cleaned
            .removed
            .iter()
            .any(|r| r.text == "Other story about a summit"));
        assert_eq!(
            cleaned.kept + cleaned.removed.len() + 1,
            page.lines().filter(|l| !l.trim().is_empty()).count()
        );
    }
}
