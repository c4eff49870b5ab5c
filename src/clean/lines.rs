//! What one line of a scraped page looks like: a sentence of article text, a heading, a list item,
//! or one of the kinds of page furniture (a timestamp, a byline, a social link, a section name, a
//! known boilerplate phrase). Only the line's own text is read here; where it stands is the
//! cleaner's business.

use super::metadata;

/// What a line is, from its own text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// A sentence or more of running text: ends like a sentence, or is long.
    Paragraph,
    /// Three or more words with no sentence end: a headline, subheading, or a link's text.
    Heading,
    /// A bulleted or numbered item.
    ListItem,
    /// One or two words: a section name, a tag, a menu entry, a lone dateline ("MOSCOW").
    Fragment,
    /// A date or time, perhaps after a section name ("World 11:13 28.03.2024").
    Timestamp,
    /// "By Jane Doe", "Elena Teslova | 13.09.2022", "Yuri Veselov, military observer".
    Byline,
    /// A link to a social network or a sharing button ("• facebook", "Share on X").
    Social,
    /// A phrase of web-page furniture ("Comments", "Also Read: ...", "Sign up for our newsletter").
    Boilerplate,
    /// A heading that opens a list of other pages ("News line", "Read more", "Related articles").
    ListHeading,
}

/// Phrases that make a whole line furniture when it starts with them (compared without case).
const BOILERPLATE_STARTS: &[&str] = &[
    "also read",
    "read also",
    "read more",
    "read on the topic",
    "read the full",
    "read next",
    "see also",
    "related:",
    "related article",
    "related stories",
    "related news",
    "recommended",
    "more from",
    "more on this",
    "more stories",
    "you may also like",
    "you might also like",
    "comments",
    "comment on this",
    "leave a comment",
    "add comment",
    "show comments",
    "share this",
    "share on",
    "share article",
    "sign up",
    "subscribe",
    "newsletter",
    "follow us",
    "follow @",
    "advertisement",
    "advertising",
    "sponsored",
    "promoted",
    "click here",
    "tap here",
    "all rights reserved",
    "copyright",
    "©",
    "this article was",
    "this story was",
    "we use cookies",
    "this website uses cookies",
    "cookie",
    "accept all",
    "manage preferences",
    "privacy policy",
    "terms of use",
    "terms and conditions",
    "skip to",
    "jump to",
    "back to top",
    "print this",
    "email this",
    "listen to this article",
    "watch:",
    "video:",
    "photo:",
    "image:",
    "photograph:",
    "getty images",
    "reuters/",
    "ap photo",
    "afp via",
    "file photo",
    "tags:",
    "topics:",
    "filed under",
    "last updated",
    "updated:",
    "published:",
    "first published",
    "loading",
    "please contact us",
    "for subscription",
    "download our app",
    "get the app",
];

/// Phrases that make a line furniture wherever they stand in it.
const BOILERPLATE_ANYWHERE: &[&str] = &[
    "website contains only a portion of the news",
    "all rights reserved",
    "for subscription options",
    "sign up for our",
    "subscribe to our",
    "our newsletter",
    "we use cookies",
    "enable javascript",
    "your browser does not support",
    "update your browser",
    "- video",
    "- photo",
    "– video",
    "– photo",
];

/// Headings that open a list of other articles: once the article has begun, nothing after one of
/// them is article text.
const LIST_HEADINGS: &[&str] = &[
    "news line",
    "news feed",
    "latest news",
    "latest",
    "most read",
    "most popular",
    "top stories",
    "trending",
    "related",
    "related articles",
    "related stories",
    "related news",
    "read more",
    "read on the topic",
    "more news",
    "more stories",
    "more from",
    "recommended",
    "you may also like",
    "editor's picks",
    "in other news",
    "also in the news",
    "popular",
    "what to read next",
];

const SOCIAL: &[&str] = &[
    "facebook",
    "twitter",
    "x",
    "youtube",
    "instagram",
    "linkedin",
    "telegram",
    "whatsapp",
    "tiktok",
    "reddit",
    "pinterest",
    "vk",
    "email",
    "e-mail",
    "print",
    "share",
    "copy link",
    "threads",
    "mastodon",
    "bluesky",
    "rss",
];

/// Classifies one line (already trimmed, not empty).
pub fn classify(line: &str) -> LineKind {
    let lower = line.to_lowercase();
    let bare = lower.trim_matches(|c: char| !c.is_alphanumeric());
    if LIST_HEADINGS.contains(&bare) {
        return LineKind::ListHeading;
    }
    let stripped = lower.trim_start_matches(|c: char| "•·*|-–—>»".contains(c) || c.is_whitespace());
    if SOCIAL.contains(&stripped.trim())
        || stripped.starts_with("share on ")
        || stripped.starts_with("follow us on")
    {
        return LineKind::Social;
    }
    // A phrase at the start marks furniture only on a short line: "Comments by the minister were
    // ..." is a sentence.
    let short = word_count(line) <= 12 || !ends_like_sentence(line);
    if short && BOILERPLATE_STARTS.iter().any(|p| stripped.starts_with(p))
        || BOILERPLATE_ANYWHERE.iter().any(|p| lower.contains(p))
    {
        return LineKind::Boilerplate;
    }
    if metadata::byline_author(line).is_some() {
        return LineKind::Byline;
    }
    if metadata::is_timestamp_line(line) {
        return LineKind::Timestamp;
    }
    if is_list_item(line) {
        return LineKind::ListItem;
    }
    let words = word_count(line);
    if words <= 2 {
        return LineKind::Fragment;
    }
    if ends_like_sentence(line) && words >= 4 || words >= 14 {
        return LineKind::Paragraph;
    }
    LineKind::Heading
}

/// A line that starts with a bullet or a number and a stop.
pub fn is_list_item(line: &str) -> bool {
    let trimmed = line.trim_start();
    if trimmed.starts_with(['•', '·', '▪', '◦'])
        || trimmed.starts_with("- ")
        || trimmed.starts_with("* ")
        || trimmed.starts_with("– ")
    {
        return true;
    }
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && trimmed[digits..].starts_with(['.', ')'])
        && trimmed[digits + 1..].starts_with(' ')
}

/// Whether a line ends as a sentence does: a stop, a question or exclamation mark, an ellipsis or a
/// colon, perhaps followed by closing quotes or brackets.
pub fn ends_like_sentence(line: &str) -> bool {
    let end = line
        .trim_end()
        .trim_end_matches(['"', '”', '’', '\'', ')', ']', '»']);
    end.ends_with(['.', '!', '?', '…', ':'])
}

pub fn word_count(line: &str) -> usize {
    line.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_the_seed_furniture() {
        assert_eq!(classify("Asia - Pacific"), LineKind::Fragment);
        assert_eq!(classify("All news"), LineKind::Fragment);
        assert_eq!(classify("• youtube"), LineKind::Social);
        assert_eq!(classify("World 11:13 28.03.2024"), LineKind::Timestamp);
        assert_eq!(classify("14:29 28.04.2024"), LineKind::Timestamp);
        assert_eq!(classify("News line"), LineKind::ListHeading);
        assert_eq!(
            classify(
                "Also Read: Putin marshals a united Eurasian front to counter Western sanctions"
            ),
            LineKind::Boilerplate
        );
        assert_eq!(
            classify("Elena Teslova  | 13.09.2022 - Update : 13.09.2022"),
            LineKind::Byline
        );
        assert_eq!(
            classify("Yuri Veselov, military observer"),
            LineKind::Byline
        );
        assert_eq!(
            classify("Anadolu Agency website contains only a portion of the news stories offered to subscribers."),
            LineKind::Boilerplate
        );
        assert_eq!(classify("Azerbaijan's Global Leadership: Initiatives for Peace - Ventsezlav Sabev talks on Ednews - VIDEO"), LineKind::Boilerplate);
    }

    #[test]
    fn classifies_article_text() {
        assert_eq!(
            classify("Comments by the minister on Tuesday were welcomed by opposition parties and by most of the press."),
            LineKind::Paragraph
        );
        assert_eq!(classify("He declined to comment."), LineKind::Paragraph);
        assert_eq!(classify("2022 SCO summit is ‘special’"), LineKind::Heading);
        assert_eq!(classify("- Sanctions on oil exports"), LineKind::ListItem);
        assert_eq!(classify("1. The first point"), LineKind::ListItem);
        // A standfirst reads like a headline; the cleaner keeps it as a paragraph by its length.
        assert_eq!(
            classify("Moscow calls on both Azerbaijan and Armenia to exercise restraint, strictly observe cease-fire"),
            LineKind::Heading
        );
    }
}
