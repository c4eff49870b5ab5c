//! Quotations: every span between quotation marks (straight or curly double quotes, guillemets,
//! single curly quotes, a quote nested in a quote with the same marks, a quote running on over
//! several paragraphs), sorted into quotations and mere quoted terms, and attributed to a speaker by
//! the patterns of news writing:
//!
//! - after the quote: `"...," he said`, `"...," said the CSTO secretary-general`, `"..." (...), X said.`
//! - before it: `X said: "..."`, `It added: "..."`, `X noted that ... "..."`, `according to X, ... "..."`,
//!   `..., adding that "..."`, and in headlines `X: '...'`.
//!
//! A quoted fragment with no one said to say it is a term or a scare quote ("road map"), not a
//! quotation, unless it continues the reported speech of the sentence before. Attribution here gives
//! the speaker's words as written ("he", "the CSTO chief", "Ushakov"); resolving them to a person,
//! body or organisation is the caller's, who knows the article's people.

use super::language::{self, word_count, words, Word};
use super::text::{ArticleText, BlockKind, Sentences};
use crate::byte_set::ByteSet;

/// Where a quotation stands: the text between its marks, by byte offsets in a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Place {
    pub block: usize,
    pub start: usize,
    pub end: usize,
}

/// Who said a quotation, as the text words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attribution {
    /// Words naming the speaker ("he", "Ushakov", "the Russian Foreign Ministry"), with their place.
    Words { text: String, place: Place },
    /// The same speaker as another quotation of this article (by index).
    SameAs(usize),
    /// Nobody the text names.
    Unknown,
}

/// One quotation found in an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundQuote {
    /// The text between the marks, as it stands.
    pub text: String,
    pub partial: bool,
    pub attribution: Attribution,
    /// The first place is where the quotation is attributed; a quotation repeated in the article
    /// (a standfirst and the body) has each place.
    pub places: Vec<Place>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Double,
    Single,
}

/// A span between matching marks in one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    block: usize,
    /// Offset of the opening mark.
    open: usize,
    /// Start and end of the text between the marks.
    start: usize,
    end: usize,
    /// Offset just after the closing mark (`end` when the quote runs on into the next block).
    close_end: usize,
    depth: usize,
    runs_on: bool,
}

/// Finds and attributes the quotations of one article.
pub fn find_quotes(text: &ArticleText, sentences: &Sentences) -> Vec<FoundQuote> {
    let mut spans: Vec<Span> = Vec::new();
    for (index, block) in text.blocks.iter().enumerate() {
        spans.extend(spans_in(index, &block.text));
    }
    let mut quotes: Vec<FoundQuote> = Vec::new();
    // Each quotation's text as `same_quote_key` folds it, beside `quotes`.
    let mut keys: Vec<String> = Vec::new();
    // Index into `quotes` of the quotation made from each top-level span.
    let mut made: Vec<Option<usize>> = Vec::new();
    let top: Vec<Span> = spans.iter().copied().filter(|s| s.depth == 0).collect();
    for (n, span) in top.iter().enumerate() {
        let block = &text.blocks[span.block];
        let inner = &block.text[span.start..span.end];
        // Compared with 0 and 6 below and with 4 in `is_partial`: six words are enough to count.
        let words_inside = language::word_count_up_to(inner, 6);
        if words_inside == 0 {
            made.push(None);
            continue;
        }
        let partial = is_partial(inner, words_inside, &block.text, span);
        let starts = sentences.starts(span.block);
        let mut attribution = attribute(block.kind, &block.text, starts, span);
        if attribution.is_none() {
            attribution = inherited(&top, &made, n, text, starts, span, partial);
        }
        let keep = match &attribution {
            Some(_) => true,
            // An unattributed full sentence is a quotation of someone the text does not name.
            None => !partial && words_inside >= 6,
        };
        if !keep {
            made.push(None);
            continue;
        }
        let place = Place {
            block: span.block,
            start: span.start,
            end: span.end,
        };
        let quote_text = inner.trim().to_string();
        let key = same_quote_key(&quote_text);
        // A quotation repeated word for word (a standfirst and the body) is one quotation.
        if let Some(existing) = keys.iter().position(|k| *k == key) {
            let better = matches!(quotes[existing].attribution, Attribution::Unknown)
                && attribution.is_some();
            if better {
                quotes[existing].attribution = attribution.unwrap_or(Attribution::Unknown);
                quotes[existing].places.insert(0, place);
            } else {
                quotes[existing].places.push(place);
            }
            made.push(Some(existing));
            continue;
        }
        quotes.push(FoundQuote {
            text: quote_text,
            partial,
            attribution: attribution.unwrap_or(Attribution::Unknown),
            places: vec![place],
        });
        keys.push(key);
        made.push(Some(quotes.len() - 1));
    }
    quotes
}

/// What two quotations share when they are the same: they may differ only in quote marks, spacing
/// and punctuation. Made once per quotation, not once per pair compared: its letters and digits in
/// lower case, each run of them that whitespace parts kept apart by one space (other characters
/// are dropped, so "don't" is "dont"), in one pass.
fn same_quote_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if space && !key.is_empty() {
                key.push(' ');
            }
            space = false;
            key.push(c);
        } else if c.is_whitespace() {
            space = true;
        }
    }
    if key.is_ascii() {
        key.make_ascii_lowercase();
        key
    } else {
        // The whole key at once: a final sigma lower-cases by its place.
        key.to_lowercase()
    }
}

/// The first bytes of quotation marks: see [`spans_in`].
static MARK_BYTES: ByteSet<4> = ByteSet::new([b'"', b'\'', 0xE2, 0xC2]);

/// The quote spans of one block, outermost first within each position.
fn spans_in(block: usize, text: &str) -> Vec<Span> {
    let mut stack: Vec<(Mark, usize, usize)> = Vec::new(); // (mark, open offset, text start)
    let mut spans = Vec::new();
    // Only quote marks are looked at, found by their first byte: the ASCII marks, and the first
    // bytes of the others (`“”„‘’` start with 0xE2, `«»` with 0xC2).
    let mut offset = 0;
    while let Some(found) = MARK_BYTES.find_from(text.as_bytes(), offset) {
        offset = found;
        let c = text[offset..]
            .chars()
            .next()
            .expect("a mark byte starts a character");
        let end_of_mark = offset + c.len_utf8();
        if !matches!(c, '“' | '«' | '„' | '”' | '»' | '"' | '‘' | '’' | '\'') {
            offset = end_of_mark;
            continue;
        }
        let before = text[..offset].chars().next_back();
        let after = text[end_of_mark..].chars().next();
        let open_double = stack.iter().any(|(m, ..)| *m == Mark::Double);
        let open_single = stack.iter().any(|(m, ..)| *m == Mark::Single);
        let action = match c {
            '“' | '«' | '„' => Some((Mark::Double, true)),
            '”' | '»' => Some((Mark::Double, false)),
            '"' => {
                let opens = before.is_none_or(|b| b.is_whitespace() || "([{—–-/".contains(b))
                    && after.is_some_and(|a| !a.is_whitespace());
                let top_is_double = stack.last().is_some_and(|(m, ..)| *m == Mark::Double);
                if top_is_double && !opens {
                    Some((Mark::Double, false))
                } else if opens || !open_double {
                    Some((Mark::Double, true))
                } else {
                    Some((Mark::Double, false))
                }
            }
            '‘' => (before.is_none_or(|b| !b.is_alphanumeric())).then_some((Mark::Single, true)),
            '’' | '\'' => {
                let inside_word = before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric);
                let opens = c == '\''
                    && before.is_none_or(|b| b.is_whitespace() || "([“\"".contains(b))
                    && after.is_some_and(char::is_alphanumeric);
                if inside_word {
                    None
                } else if opens {
                    Some((Mark::Single, true))
                } else if open_single && before.is_some_and(|b| !b.is_whitespace()) {
                    Some((Mark::Single, false))
                } else {
                    None
                }
            }
            _ => None,
        };
        // An opening mark right after a finished sentence, while a quote of the same marks is open,
        // means the open quote ended there: paragraphs run together lost their closing marks.
        if let Some((Mark::Double, true)) = action {
            let previous = text[..offset].trim_end();
            if let Some(position) = stack.iter().rposition(|(m, ..)| *m == Mark::Double) {
                if previous.ends_with(['.', '!', '?']) && previous.len() < offset {
                    let (_, open, start) = stack[position];
                    stack.truncate(position);
                    spans.push(Span {
                        block,
                        open,
                        start,
                        end: previous.len(),
                        close_end: previous.len(),
                        depth: position,
                        runs_on: false,
                    });
                }
            }
        }
        match action {
            Some((mark, true)) => stack.push((mark, offset, end_of_mark)),
            Some((mark, false)) => {
                if let Some(position) = stack.iter().rposition(|(m, ..)| *m == mark) {
                    let (_, open, start) = stack[position];
                    stack.truncate(position);
                    spans.push(Span {
                        block,
                        open,
                        start,
                        end: offset,
                        close_end: end_of_mark,
                        depth: position,
                        runs_on: false,
                    });
                }
            }
            None => {}
        }
        offset = end_of_mark;
    }
    // A double quote opened at the start of a paragraph, or after a colon (`He said: "...`), and
    // never closed runs on to the next one.
    if let Some(&(Mark::Double, open, start)) = stack.first() {
        let before = text[..open].trim_end();
        if before.is_empty() || before.ends_with(':') {
            spans.push(Span {
                block,
                open,
                start,
                end: text.len(),
                close_end: text.len(),
                depth: 0,
                runs_on: true,
            });
        }
    }
    spans.sort_by_key(|s| (s.open, s.depth));
    spans
}

/// A fragment inside a sentence of reported speech, rather than quoted sentences. `inner` is the
/// text between the marks, of `words_inside` words (counted up to six).
fn is_partial(inner: &str, words_inside: usize, block: &str, span: &Span) -> bool {
    let first = inner
        .trim_start_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .next();
    if first.is_some_and(char::is_lowercase) {
        return true;
    }
    // A short capitalised phrase in running text ("the "Quad" group") is a fragment too, unless it is
    // a whole sentence (ends in sentence punctuation) or stands after a colon.
    let before = block[..span.open].trim_end();
    let whole = inner.trim_end().ends_with(['.', ',', '!', '?', '…'])
        || before.ends_with(':')
        || before.is_empty();
    words_inside < 4 && !whole
}

/// The sentence (by byte range) holding `offset` in `text`, whose sentences start at `starts`.
fn sentence_at(text: &str, starts: &[usize], offset: usize) -> (usize, usize) {
    let start = starts
        .iter()
        .copied()
        .filter(|&s| s <= offset)
        .max()
        .unwrap_or(0);
    let end = starts
        .iter()
        .copied()
        .find(|&s| s > offset)
        .unwrap_or(text.len());
    (start, end)
}

/// Finds who said the quote in `span` from the words around it in its block.
fn attribute(kind: BlockKind, text: &str, starts: &[usize], span: &Span) -> Option<Attribution> {
    let (sentence_start, _) = sentence_at(text, starts, span.open);
    let (_, sentence_end) = sentence_at(
        text,
        starts,
        span.close_end.saturating_sub(1).max(span.open),
    );
    let after = &text[span.close_end..sentence_end.max(span.close_end)];
    let before = &text[sentence_start..span.open];

    // Headlines: `CSTO chief: 'Yerevan ...'`.
    if matches!(kind, BlockKind::Title | BlockKind::Heading) {
        if let Some(speaker) = before.trim_end().strip_suffix(':') {
            let speaker = speaker.trim();
            if !speaker.is_empty() && word_count(speaker) <= 6 {
                let start = sentence_start + before.find(speaker).unwrap_or(0);
                return Some(words_at(speaker, span.block, start));
            }
        }
    }
    if let Some(found) = attribution_after(after, span.close_end, span.block) {
        return Some(found);
    }
    attribution_before(before, sentence_start, span.block)
}

fn words_at(text: &str, block: usize, start: usize) -> Attribution {
    Attribution::Words {
        text: text.to_string(),
        place: Place {
            block,
            start,
            end: start + text.len(),
        },
    }
}

/// `"...," he said`, `"...," said X`, or a closing `..., X said.` at the end of the sentence.
fn attribution_after(after: &str, offset: usize, block: usize) -> Option<Attribution> {
    let ws = words(after);
    // Right after the quote: at most one mark of punctuation between.
    let lead = ws.first().map_or(after, |w| &after[..w.start]);
    let immediate = lead.trim().chars().filter(|c| !c.is_whitespace()).count() <= 2
        && !lead.contains(['.', '?', '!'])
        || lead.trim().is_empty();
    if immediate {
        if let Some(found) = speaker_verb_at(after, &ws, 0, offset, block) {
            return Some(found);
        }
    }
    // At the end of the sentence: ", Ushakov said." / ", said the ministry."
    let tail_start = after.rfind(", ").map(|i| i + 2)?;
    let tail = &after[tail_start..];
    let tail_words = words(tail);
    let tail_is_clause = tail_words.len() <= 8 && tail.trim_end().ends_with(['.', '!', '?'])
        || tail_words.len() <= 8
            && tail.trim_end().len()
                == tail
                    .trim_end()
                    .trim_end_matches(|c: char| c.is_alphanumeric())
                    .len()
                    + tail_words.last()?.text.len();
    if tail_is_clause {
        if let Some(found) = speaker_verb_at(tail, &tail_words, 0, offset + tail_start, block) {
            // Only when the clause is nothing but speaker and verb.
            if let Attribution::Words { text, .. } = &found {
                let rest = tail_words.len() - word_count(text) - 1;
                if rest <= 2 {
                    return Some(found);
                }
            }
        }
    }
    None
}

/// At word `i` of `text`: `SPEAKER VERB` or `VERB SPEAKER`, with the speaker at most seven words.
fn speaker_verb_at(
    text: &str,
    ws: &[Word<'_>],
    i: usize,
    offset: usize,
    block: usize,
) -> Option<Attribution> {
    let first = ws.get(i)?;
    // "told the BBC" names who heard it: "told" takes its speaker before it, never after.
    let takes_object = matches!(first.text, "told" | "tells" | "tell");
    if language::is_speech_verb(first.text)
        && !language::THOUGHT_VERBS.contains(first.text)
        && !takes_object
    {
        // "said the CSTO secretary-general", "said Ms Hewitt": up to the end of the clause.
        let rest_start = first.end;
        let rest = &text[rest_start..];
        let clause_end = rest
            .find([',', '.', ';', ':', '!', '?', '('])
            .unwrap_or(rest.len());
        // A name in apposition is the speaker the description before it describes, however long
        // the description: "said the chairman of the committee, Labour MP Barry Sheerman".
        let apposition = appositive_name_len(rest, clause_end);
        let (mut speaker_start, mut speaker_end) = (0, clause_end);
        if apposition > 0 && words(&rest[clause_end + 1..clause_end + apposition]).len() <= 7 {
            (speaker_start, speaker_end) = (clause_end + 1, clause_end + apposition);
        }
        let untrimmed = &rest[speaker_start..speaker_end];
        let speaker = untrimmed.trim();
        speaker_start += untrimmed.len() - untrimmed.trim_start().len();
        let speaker_words = words(speaker);
        if !speaker_words.is_empty()
            && speaker_words.len() <= 7
            && !starts_with_function_word(speaker)
        {
            return Some(words_at(
                speaker,
                block,
                offset + rest_start + speaker_start,
            ));
        }
        return None;
    }
    // "he said", "the statement mentioned", "Nikol Pashinyan emphasized"; "Vincent Koen, a senior
    // economist with the OECD, told", where a longer description stands between.
    let verb_index = (i..ws.len().min(i + 16)).find(|&j| language::is_speech_verb(ws[j].text))?;
    if verb_index == i {
        return None;
    }
    let speaker_text = &text[ws[i].start..ws[verb_index - 1].end];
    let comma_before_verb = text[ws[verb_index - 1].end..ws[verb_index].start].trim() == ",";
    if let Some(name) = comma_before_verb
        .then(|| name_before_description(speaker_text))
        .flatten()
    {
        return Some(words_at(name, block, offset + ws[i].start));
    }
    if verb_index - i >= 8 {
        return None;
    }
    if speaker_text.contains([',', ';', ':', '.'])
        && !speaker_text.contains("Mr.")
        && !speaker_text.contains("Ms.")
        || starts_with_function_word(speaker_text)
    {
        return None;
    }
    Some(words_at(speaker_text, block, offset + ws[i].start))
}

/// After `said its chairman` (a description that names no one, ending at byte `clause_end` of
/// `rest`), the length of `, Sir Anthony Greener` when a name, with role words before it or none
/// ("Labour MP Barry Sheerman"), stands in apposition up to the clause's end; else 0. The name is
/// the speaker the description describes. A description of someone's agent names someone else:
/// in "a spokesman for the actor, Hugh Grant" the name is the actor's.
fn appositive_name_len(rest: &str, clause_end: usize) -> usize {
    let description = rest[..clause_end].trim_start();
    let mut description_words = description.split_whitespace();
    let describes = description_words
        .next()
        .is_some_and(|first| language::DETERMINERS.contains(&first.to_lowercase().as_str()));
    let of_another = description_words.any(|w| matches!(w, "for" | "to"));
    if !describes || of_another || !rest[clause_end..].starts_with(',') {
        return 0;
    }
    let after = &rest[clause_end + 1..];
    let name_end = after
        .find([',', '.', ';', ':', '!', '?', '(', '"', '“'])
        .unwrap_or(after.len());
    let tokens: Vec<&str> = after[..name_end].split_whitespace().collect();
    // Role words may stand before the name: "said the chairman of the committee, Labour MP Barry
    // Sheerman".
    // A courtesy title is the name's own first word ("Lord Browne"), not a role before it.
    let role_words = tokens
        .iter()
        .rposition(|token| {
            language::is_role_word(token) && !super::people::is_courtesy_title(token)
        })
        .map_or(0, |last| last + 1);
    let capitalised = |token: &&str| token.starts_with(|c: char| c.is_uppercase());
    if !tokens[..role_words].iter().all(capitalised) {
        return 0;
    }
    let name_tokens = &tokens[role_words..];
    let is_name = (2..=5).contains(&name_tokens.len())
        && name_tokens
            .iter()
            .enumerate()
            .all(|(k, token)| is_name_word(k, token));
    if is_name {
        1 + name_end
    } else {
        0
    }
}

/// Whether `token`, the `k`th word of a name written out, can be one: a name word, an initial,
/// or first a courtesy title ("Lord Browne").
fn is_name_word(k: usize, token: &str) -> bool {
    language::is_name_token(token)
        || language::is_initial(token)
        || (k == 0 && super::people::is_courtesy_title(token))
}

/// In "Vincent Koen, a senior economist with the OECD" (the words before ", told"), the name: two
/// to four name words, then a comma and a description that opens with a determiner or a role word.
fn name_before_description(text: &str) -> Option<&str> {
    let (name, description) = text.split_once(',')?;
    let tokens: Vec<&str> = name.split_whitespace().collect();
    // "a senior economist", "chief executive of", "international division secretary of".
    let first = description.split_whitespace().next()?;
    let described = first.starts_with(|c: char| c.is_lowercase()) || language::is_role_word(first);
    // "Northern Rock, the mortgage lender," is a firm; "an economist at a bank" is not one.
    let head = description
        .split_whitespace()
        .take_while(|w| !matches!(*w, "at" | "with" | "for" | "of" | "in" | "from"))
        .last()
        .unwrap_or("");
    let a_firm = language::COMPANY_NOUNS.contains(head);
    ((2..=4).contains(&tokens.len())
        && tokens
            .iter()
            .enumerate()
            .all(|(k, token)| is_name_word(k, token))
        && described
        && !a_firm
        && !description.contains(','))
    .then(|| name.trim())
}

/// A speaker's words without a time expression at their end ("the EOC last year", "Mr Brown on
/// Monday": when they said it is not who said it): "yesterday", "last year", "on Monday",
/// "earlier this week". Words that are nothing but one are left as they are.
pub fn without_trailing_time(text: &str) -> &str {
    const POINTS: [&str; 4] = ["yesterday", "today", "tonight", "earlier"];
    const SPANS: [&str; 10] = [
        "week",
        "month",
        "year",
        "weekend",
        "morning",
        "afternoon",
        "evening",
        "night",
        "spring",
        "summer",
    ];
    const SPAN_LEADS: [&str; 5] = ["last", "this", "next", "on", "that"];
    let ws = words(text);
    let mut end = ws.len();
    // Written in lower case, as times are: "Today" is a programme, "USA Today" a paper.
    while let Some(last) = end.checked_sub(1).map(|k| ws[k].text) {
        let lead = end.checked_sub(2).map_or("", |k| ws[k].text);
        // "The Mail on Sunday", "Scotland on Sunday": a paper's title.
        let titled = lead == "on"
            && last == "Sunday"
            && end
                .checked_sub(3)
                .is_some_and(|k| ws[k].text.starts_with(char::is_uppercase));
        if POINTS.contains(&last) {
            end -= 1;
        } else if (SPANS.contains(&last) || language::is_weekday(last))
            && SPAN_LEADS.contains(&lead)
            && !titled
        {
            end -= 2;
        } else {
            break;
        }
    }
    if end == 0 || end == ws.len() {
        return text;
    }
    text[..ws[end - 1].end].trim_end_matches([',', ' '])
}

/// Clauses that start like this are not a speaker ("said that ...", "told reporters").
fn starts_with_function_word(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("").to_lowercase();
    matches!(
        first.as_str(),
        "that"
            | "on"
            | "in"
            | "at"
            | "to"
            | "reporters"
            | "journalists"
            | "this"
            | "if"
            | "when"
            | "because"
            | "and"
            | "but"
            | "as"
            | "after"
            | "before"
            | "while"
            | "during"
            | "with"
            | "for"
            | "of"
            | "by"
            | "from"
            | "there"
    )
}

/// `X said: "`, `X noted that ... "`, `according to X, ... "`, `..., adding that "`.
fn attribution_before(before: &str, offset: usize, block: usize) -> Option<Attribution> {
    let ws = words(before);
    if ws.is_empty() {
        return None;
    }
    // "according to X, ..."
    if let Some(at) = before.to_lowercase().find("according to ") {
        let rest = &before[at + "according to ".len()..];
        let end = rest.find(',').unwrap_or(rest.len());
        let speaker = rest[..end].trim();
        if !speaker.is_empty() && word_count(speaker) <= 7 {
            let start = offset + at + "according to ".len() + rest.find(speaker).unwrap_or(0);
            return Some(words_at(speaker, block, start));
        }
    }
    // The last speech verb before the quote, and its subject right before it.
    let verb_index = ws.iter().rposition(|w| {
        language::is_speech_verb(w.text) || language::SPEECH_PARTICIPLES.contains(w.text)
    })?;
    let verb = ws[verb_index];
    if language::SPEECH_PARTICIPLES.contains(verb.text) {
        return None; // the caller inherits the speaker of the clause
    }
    // "insists on the publication": a verb followed by a preposition reports no words.
    let next = ws
        .get(verb_index + 1)
        .map(|w| w.text.to_lowercase())
        .unwrap_or_default();
    if matches!(
        next.as_str(),
        "on" | "upon" | "for" | "about" | "against" | "in"
    ) && verb.text != "told"
        && verb.text != "said"
    {
        return None;
    }
    // "Schmidt said the talks were "constructive" and added: "...": a verb joined by "and" shares
    // the subject of the speech verb before it.
    let mut verb_index = verb_index;
    while verb_index > 0 && matches!(ws[verb_index - 1].text, "and" | "but" | "then" | "also") {
        let Some(earlier) = ws[..verb_index - 1]
            .iter()
            .rposition(|w| language::is_speech_verb(w.text))
        else {
            break;
        };
        verb_index = earlier;
    }
    let subject = subject_before(before, &ws, verb_index)?;
    Some(words_at(
        &before[subject.0..subject.1],
        block,
        offset + subject.0,
    ))
}

/// The noun phrase right before the verb at `verb_index`: back to the clause's start, skipping a
/// parenthetical between commas ("Lavrov, in particular, highlighted").
fn subject_before(text: &str, ws: &[Word<'_>], verb_index: usize) -> Option<(usize, usize)> {
    if verb_index == 0 {
        return None;
    }
    let mut end_word = verb_index - 1;
    let between = &text[ws[end_word].end..ws[verb_index].start];
    if between.trim() == "," {
        // Skip back over ", in particular," to the word before the first comma.
        let mut j = end_word;
        while j > 0 && !text[ws[j - 1].end..ws[j].start].contains(',') {
            j -= 1;
        }
        if j == 0 || verb_index - j > 8 {
            return None;
        }
        // "The Shadow Secretary of State for the Family, Theresa May, said": the name between the
        // commas is the subject.
        let set_off = &ws[j..verb_index];
        if (2..=3).contains(&set_off.len())
            && set_off.iter().all(|w| language::is_name_token(w.text))
        {
            return Some((set_off[0].start, set_off[set_off.len() - 1].end));
        }
        end_word = j - 1;
    } else if !between.trim().is_empty() {
        return None;
    }
    let mut start_word = phrase_start(text, ws, end_word);
    // "Ms Robinson, who presents The Weakest Link tells ...": the phrase before the verb ends a
    // relative clause that lost its closing comma; the subject is the name before ", who".
    if let Some(who) = (start_word.saturating_sub(3)..start_word)
        .find(|&k| k > 0 && ws[k].text == "who" && text[ws[k - 1].end..ws[k].start].contains(','))
    {
        end_word = who - 1;
        start_word = phrase_start(text, ws, end_word);
    }
    // Drop adverbs between subject and verb ("Tasmagambetov also noted").
    let mut subject_end = end_word;
    while subject_end > start_word
        && matches!(
            ws[subject_end].text,
            "also"
                | "later"
                | "then"
                | "further"
                | "again"
                | "earlier"
                | "previously"
                | "repeatedly"
                | "recently"
        )
    {
        subject_end -= 1;
    }
    Some((ws[start_word].start, ws[subject_end].end))
}

/// The first word of the noun phrase that ends at word `end_word`: back over at most six words of
/// one clause, stopping after a determiner ("the committee") and before a conjunction or a verb.
fn phrase_start(text: &str, ws: &[Word<'_>], end_word: usize) -> usize {
    let mut start_word = end_word;
    while start_word > 0 && end_word - start_word < 6 {
        let gap = &text[ws[start_word - 1].end..ws[start_word].start];
        if !gap.trim().is_empty() && gap.trim() != "'" {
            break;
        }
        let word = ws[start_word - 1].text;
        let lower = word.to_lowercase();
        if matches!(
            lower.as_str(),
            "that"
                | "and"
                | "but"
                | "while"
                | "as"
                | "because"
                | "which"
                | "who"
                | "so"
                | "when"
                | "if"
                | "said"
                | "also"
                | "then"
        ) || language::is_speech_verb(word)
        {
            break;
        }
        start_word -= 1;
        // A determiner opens the noun phrase ("In its report ... the committee said"), unless the
        // phrase goes on before it ("The owners of a café said").
        let continues = start_word > 0 && matches!(ws[start_word - 1].text, "of" | "for");
        if matches!(lower.as_str(), "the" | "a" | "an") && !continues {
            break;
        }
    }
    start_word
}

/// A quotation with no words of attribution may belong to the quotation before it: in the same block
/// (`"...," he said. "..."`), or the paragraph before when the quote opens the block, or, for a
/// fragment, the sentence before when that sentence reported speech.
fn inherited(
    top: &[Span],
    made: &[Option<usize>],
    n: usize,
    text: &ArticleText,
    starts: &[usize],
    span: &Span,
    partial: bool,
) -> Option<Attribution> {
    let previous = (0..n).rev().find_map(|m| made[m].map(|q| (m, q)));
    let (m, quote) = previous?;
    let earlier = &top[m];
    let block_text = &text.blocks[span.block].text;
    let same_block = earlier.block == span.block;
    let opens_block = block_text[..span.open].trim().is_empty();
    let runs_on = earlier.runs_on && earlier.block + 1 == span.block;
    if !partial && (same_block || (opens_block && earlier.block + 1 == span.block)) || runs_on {
        return Some(Attribution::SameAs(quote));
    }
    if same_block {
        // "adding that": a participle of speech ties the quote to the clause's speaker.
        let between = &block_text[earlier.close_end..span.open];
        let ws = words(between);
        if ws
            .iter()
            .any(|w| language::SPEECH_PARTICIPLES.contains(w.text))
        {
            return Some(Attribution::SameAs(quote));
        }
        // The sentence before reported speech: this fragment continues it.
        let (this_sentence, _) = sentence_at(block_text, starts, span.open);
        let (earlier_sentence, _) = sentence_at(block_text, starts, earlier.open);
        let next_sentence = starts
            .iter()
            .copied()
            .find(|&s| s > earlier_sentence)
            .unwrap_or(block_text.len());
        // A sentence with a speech verb of its own ("Paris has called for a "road map"") is not a
        // continuation of the sentence before, even when that verb reports no words.
        let sentence_end = starts
            .iter()
            .copied()
            .find(|&s| s > this_sentence)
            .unwrap_or(block_text.len());
        let own_verb = words(&block_text[this_sentence..sentence_end])
            .iter()
            .any(|w| language::is_speech_verb(w.text));
        if partial && this_sentence == next_sentence && !own_verb {
            return Some(Attribution::SameAs(quote));
        }
        if this_sentence == earlier_sentence {
            return Some(Attribution::SameAs(quote));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_quotes_in(text: &ArticleText) -> Vec<FoundQuote> {
        find_quotes(text, &Sentences::of(text))
    }
    use crate::derive::text::Block;

    fn quotes_of(paragraphs: &[&str]) -> Vec<(String, bool, String)> {
        let mut blocks = vec![Block {
            id: "title".into(),
            kind: BlockKind::Title,
            text: "Title".into(),
        }];
        blocks.extend(paragraphs.iter().map(|p| Block {
            id: String::new(),
            kind: BlockKind::Paragraph,
            text: p.to_string(),
        }));
        let found = find_quotes_in(&ArticleText {
            blocks,
            plain: false,
        });
        found
            .iter()
            .map(|q| {
                let who = match &q.attribution {
                    Attribution::Words { text, .. } => text.clone(),
                    Attribution::SameAs(i) => format!("same as {i}"),
                    Attribution::Unknown => "unknown".into(),
                };
                (q.text.clone(), q.partial, who)
            })
            .collect()
    }

    fn q(text: &str, partial: bool, who: &str) -> (String, bool, String) {
        (text.into(), partial, who.into())
    }

    #[test]
    fn a_time_after_a_speaker_is_cut_but_not_a_title_that_ends_like_one() {
        assert_eq!(without_trailing_time("the EOC last year"), "the EOC");
        assert_eq!(without_trailing_time("Mr Brown on Monday"), "Mr Brown");
        assert_eq!(
            without_trailing_time("the minister earlier"),
            "the minister"
        );
        assert_eq!(without_trailing_time("yesterday"), "yesterday");
        for title in ["The Mail on Sunday", "USA Today", "BBC Radio 4's Today"] {
            assert_eq!(without_trailing_time(title), title);
        }
    }

    #[test]
    fn after_the_quote() {
        assert_eq!(
            quotes_of(&["\"We call on both sides to stop,\" he said."]),
            [q("We call on both sides to stop,", false, "he")]
        );
        assert_eq!(
            quotes_of(&["“We hope to work out a consensus,” Nikol Pashinyan emphasized."]),
            [q(
                "We hope to work out a consensus,",
                false,
                "Nikol Pashinyan"
            )]
        );
        assert_eq!(
            quotes_of(&["“We, of course, analyse the situation. Armenia remains our ally,\" said the CSTO secretary-general."]),
            [q("We, of course, analyse the situation. Armenia remains our ally,", false, "the CSTO secretary-general")]
        );
    }

    #[test]
    fn an_unnamed_speaker_is_a_speaker() {
        let cases = [
            (
                "\"We are not leaving,\" an official said.",
                "We are not leaving,",
                false,
                "an official",
            ),
            (
                "The bill was \"a start\", said a spokesman for the ministry.",
                "a start",
                true,
                "a spokesman for the ministry",
            ),
        ];
        for (paragraph, quote, partial, speaker) in cases {
            assert_eq!(
                quotes_of(&[paragraph]),
                [q(quote, partial, speaker)],
                "{paragraph}"
            );
        }
    }

    #[test]
    fn partial_quotes_need_a_speaker() {
        assert_eq!(
            quotes_of(&["Moscow is \"extremely concerned\" over the situation and is in contact with both sides, he stressed."]),
            [q("extremely concerned", true, "he")]
        );
        assert_eq!(
            quotes_of(&[
                "Armenia insists on the adoption by the CSTO of a “road map” to restore the state."
            ]),
            []
        );
        assert_eq!(
            quotes_of(&["Attention will go to the “unipolar world” – an order based on hegemony."]),
            []
        );
        assert_eq!(
            quotes_of(&["Tasmagambetov noted that the CSTO is an example of “soft alliance”; this is its strength."]),
            [q("soft alliance", true, "Tasmagambetov")]
        );
        assert_eq!(
            quotes_of(&[
                "Lavrov, in particular, highlighted that \"special attention\" needs to be paid."
            ]),
            [q("special attention", true, "Lavrov")]
        );
    }

    #[test]
    fn before_the_quote() {
        assert_eq!(
            quotes_of(&["It added: \"Member states call for building a world free from wars\"."]),
            [q(
                "Member states call for building a world free from wars",
                false,
                "It"
            )]
        );
        assert_eq!(
            quotes_of(&["According to the Kremlin press service, the agenda will include \"issues of cooperation within the bloc.\""]),
            [q("issues of cooperation within the bloc.", true, "the Kremlin press service")]
        );
    }

    #[test]
    fn a_quote_opened_after_a_colon_and_left_open_runs_on_to_the_next_paragraph() {
        // News copy leaves a paragraph's closing mark off when the quotation goes on in the next.
        let found = quotes_of(&[
            "He told the radio: \"No one should promise that. The sums do not allow it.",
            "\"That would not be responsible.\" The debate went on.",
        ]);
        assert_eq!(
            found,
            [
                q(
                    "No one should promise that. The sums do not allow it.",
                    false,
                    "He"
                ),
                q("That would not be responsible.", false, "same as 0")
            ]
        );
    }

    #[test]
    fn a_name_in_apposition_to_the_speakers_description_is_the_attribution() {
        let found = quotes_of(&["\"Any change would hurt,\" said its chairman, Sir Alan Pembry."]);
        assert_eq!(
            found,
            [q("Any change would hurt,", false, "Sir Alan Pembry")]
        );
        // A courtesy title and one name are a name.
        let found = quotes_of(&["\"It will hurt,\" said the company's chairman, Lord Browne."]);
        assert_eq!(found, [q("It will hurt,", false, "Lord Browne")]);
        // The name after a description of someone's agent is not the speaker's.
        let found = quotes_of(&["\"No comment,\" said a spokesman for the actor, Hugh Grant."]);
        assert_eq!(
            found,
            [q("No comment,", false, "a spokesman for the actor")]
        );
        // However long the description, and with a party and a role before the name.
        let found = quotes_of(&["\"It will hurt,\" said the chairman of the Commons transport select committee, Labour MP Gareth Pellow."]);
        assert_eq!(
            found,
            [q("It will hurt,", false, "Labour MP Gareth Pellow")]
        );
        // A second description is no name: the first stands alone.
        let found = quotes_of(&["\"Any change would hurt,\" said its chairman, a former banker."]);
        assert_eq!(found, [q("Any change would hurt,", false, "its chairman")]);
    }

    #[test]
    fn nested_and_continued_quotes() {
        let found = quotes_of(&["“An important step was the institution of a “coordinating state”, authorized to act,” Tasmagambetov said."]);
        assert_eq!(found, [q("An important step was the institution of a “coordinating state”, authorized to act,", false, "Tasmagambetov")]);
        let found = quotes_of(&["\"There is a rapid transformation,\" he said, adding that “a new model is asserting its place.”"]);
        assert_eq!(
            found,
            [
                q("There is a rapid transformation,", false, "he"),
                q("a new model is asserting its place.", true, "same as 0")
            ]
        );
        let found = quotes_of(&["Ms Hewitt said: \"We have doubled it. \"We are going to extend the pay to nine months.\""]);
        assert_eq!(
            found,
            [
                q("We have doubled it.", false, "Ms Hewitt"),
                q(
                    "We are going to extend the pay to nine months.",
                    false,
                    "same as 0"
                )
            ]
        );
    }

    #[test]
    fn headline_quotes() {
        let blocks = vec![Block {
            id: "title".into(),
            kind: BlockKind::Title,
            text: "CSTO chief: ‘Yerevan doesn’t participate in our work’".into(),
        }];
        let found = find_quotes_in(&ArticleText {
            blocks,
            plain: false,
        });
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "Yerevan doesn’t participate in our work");
        assert!(
            matches!(&found[0].attribution, Attribution::Words { text, .. } if text == "CSTO chief")
        );
    }

    /// The one-pass key is the key of the filter, split, join and lower-case it replaced.
    #[test]
    fn the_same_quote_key_keeps_letters_and_digits_spaced_once_in_lower_case() {
        let by_steps = |text: &str| {
            text.chars()
                .filter(|c| c.is_alphanumeric() || c.is_whitespace())
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        for text in [
            "",
            "  ",
            "We Don't agree , at all. ",
            " \u{a0}“Mixed”\tspacing\n\nhere— and – there ",
            "ΟΔΥΣΣΕΥΣ ΚΑΙ ΑΣ",
            "İstanbul, Straße 2024",
            "- - -",
        ] {
            assert_eq!(same_quote_key(text), by_steps(text), "{text:?}");
        }
    }
}
