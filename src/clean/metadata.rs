//! What a scraped page says about its article: the date of publication, the author from a byline,
//! the outlet from a credit line. Each guess comes from a pattern in the text; what the text does not
//! say is left unset, never invented.

use chrono::NaiveDate;

use crate::derive::language;

/// A date as the text gives it: whole, or a day and month without a year ("November 23").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundDate {
    Full(NaiveDate),
    DayMonth { month: u32, day: u32 },
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches('.').to_lowercase();
    if word.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| {
            *m == word
                || (word.len() >= 3 && m.starts_with(&word) && (word.len() == 3 || word == "sept"))
        })
        .map(|i| i as u32 + 1)
}

/// The first date in `text`: "13.09.2022", "2022-09-13", "23 November 2022", "November 23, 2022",
/// "Nov. 23, 2022", or without a year "November 23" / "23 November".
pub fn find_date(text: &str) -> Option<FoundDate> {
    let tokens: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|' || c == '(' || c == ')')
        .filter(|t| !t.is_empty())
        .collect();
    for (i, token) in tokens.iter().enumerate() {
        let token = token.trim_end_matches(['.', ':', ';']);
        // 13.09.2022 and 2022-09-13
        if let Some(date) = numeric_date(token) {
            return Some(FoundDate::Full(date));
        }
        // 23 November 2022 / 23 November
        if let (Ok(day), Some(month)) = (
            token.parse::<u32>(),
            tokens.get(i + 1).and_then(|m| month_number(m)),
        ) {
            if (1..=31).contains(&day) {
                return Some(dated(month, day, tokens.get(i + 2)));
            }
        }
        // November 23, 2022 / November 23
        if let Some(month) =
            month_number(token).filter(|_| token.chars().next().is_some_and(char::is_uppercase))
        {
            let day = tokens
                .get(i + 1)
                .and_then(|d| {
                    d.trim_end_matches(['.', ',', 's', 't', 'h', 'n', 'd', 'r'])
                        .parse::<u32>()
                        .ok()
                })
                .filter(|d| (1..=31).contains(d));
            if let Some(day) = day {
                return Some(dated(month, day, tokens.get(i + 2)));
            }
        }
    }
    None
}

/// A day and month, with the year when the next token is one.
fn dated(month: u32, day: u32, year_token: Option<&&str>) -> FoundDate {
    let year = year_token
        .and_then(|y| y.trim_end_matches(['.', ',']).parse::<i32>().ok())
        .filter(|y| (1900..=2100).contains(y));
    match year.and_then(|y| NaiveDate::from_ymd_opt(y, month, day)) {
        Some(date) => FoundDate::Full(date),
        None => FoundDate::DayMonth { month, day },
    }
}

fn numeric_date(token: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = token.split(['.', '-', '/']).collect();
    if parts.len() != 3
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    // A part too long for a number ("2024-05-99999999999") is no date.
    let numbers: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match (parts[0].len(), parts[2].len()) {
        (4, _) if token.contains('-') => {
            NaiveDate::from_ymd_opt(numbers[0] as i32, numbers[1], numbers[2])
        }
        // Day first: the form of every outlet outside the United States; "03/04/2024" with slashes is
        // ambiguous and is left alone.
        (1 | 2, 4) if token.contains('.') => {
            NaiveDate::from_ymd_opt(numbers[2] as i32, numbers[1], numbers[0])
        }
        _ => None,
    }
}

/// A line that is only a date or time, perhaps with a section name or an "Updated" label before it:
/// "World 11:13 28.03.2024", "14:29 28.04.2024", "Date of publication: 23 November 2022".
pub fn is_timestamp_line(line: &str) -> bool {
    let words = language::words(line);
    // "Updated 5:47 PM EDT, June 3, 2024", "Posted: Mar 12, 2024 / 06:15 PM CDT": a labelled date
    // with its year is a date line at any length a label takes.
    if words.len() <= 14
        && matches!(find_date(line), Some(FoundDate::Full(_)))
        && !super::lines::ends_like_sentence(line)
    {
        return true;
    }
    if words.len() > 8 {
        return false;
    }
    let has_time = line.split_whitespace().any(|t| {
        let t = t.trim_end_matches([',', '.']);
        let (h, m) = t.split_once(':').unwrap_or(("", ""));
        !h.is_empty()
            && h.len() <= 2
            && h.chars().all(|c| c.is_ascii_digit())
            && m.len() == 2
            && m.chars().all(|c| c.is_ascii_digit())
    });
    let has_date = find_date(line).is_some();
    if !(has_time || has_date) {
        return false;
    }
    // Everything else on the line is a few words of labels: no sentence.
    let label_words = words
        .iter()
        .filter(|w| w.text.chars().any(char::is_alphabetic) && month_number(w.text).is_none())
        .count();
    let ends_with_number = line.trim_end().ends_with(|c: char| c.is_ascii_digit());
    let no_sentence = !super::lines::ends_like_sentence(
        line.trim_end_matches(|c: char| c.is_ascii_digit() || c == '.'),
    );
    label_words <= 4 && (no_sentence || ends_with_number)
}

/// The author named by a byline: "By Jane Doe", "Elena Teslova | 13.09.2022", "Yuri Veselov,
/// military observer".
pub fn byline_author(line: &str) -> Option<String> {
    let line = line.trim();
    let words = language::words(line);
    if words.len() > 12 || words.len() < 2 {
        return None;
    }
    let lower = line.to_lowercase();
    let prefix = [
        "written by:",
        "written by",
        "words by",
        "reporting by",
        "author:",
        "by:",
        "by ",
    ]
    .iter()
    .find(|p| lower.starts_with(*p))
    .map(|p| p.len());
    let (text, explicit) = match prefix {
        Some(len) => (line[len..].trim_start(), true),
        None => (line, false),
    };
    // A byline in capitals ("By ROBERTO SALINAS") names the author in the usual case.
    let recased: String;
    let text = if explicit
        && text
            .split_whitespace()
            .take(2)
            .all(|t| t.len() > 1 && !t.chars().any(char::is_lowercase))
    {
        recased = text
            .split_whitespace()
            .map(title_case)
            .collect::<Vec<_>>()
            .join(" ");
        recased.as_str()
    } else {
        text
    };
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let name_len = tokens
        .iter()
        .take(4)
        .scan(false, |ended, t| {
            // A name has no comma inside it: "Barcelona, Bayern Munich, Porto" is a list.
            if *ended {
                return None;
            }
            *ended = t.ends_with([',', '|']);
            let t = t.trim_end_matches([',', '|']);
            (language::is_name_token(t)
                || (t.len() == 2 && t.ends_with('.') && t.starts_with(char::is_uppercase)))
            .then_some(())
        })
        .count();
    if name_len < 2 {
        return None;
    }
    let name: Vec<&str> = tokens[..name_len]
        .iter()
        .map(|t| t.trim_end_matches([',', '|']))
        .collect();
    let after = tokens[name_len..].join(" ");
    let name_ends_with_separator = tokens[name_len - 1].ends_with([',', '|']);
    // What follows the name must be a separator and a date or a few role words, not a sentence.
    let follows_ok = after.is_empty() && explicit
        || after.starts_with('|')
        || after.starts_with("and ") && explicit
        || (name_ends_with_separator || after.starts_with(','))
            && language::word_count(&after) <= 5
            && !super::lines::ends_like_sentence(&after)
        || find_date(&after).is_some() && language::word_count(&after) <= 8;
    (follows_ok && !super::lines::ends_like_sentence(line) || explicit && after.is_empty())
        .then(|| name.join(" "))
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first
            .to_uppercase()
            .chain(chars.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

/// A line that is only a person's name ("Miriam Calloway"): a byline when a date line stands next
/// to it.
pub fn bare_name(line: &str) -> Option<String> {
    let tokens: Vec<&str> = line.split_whitespace().collect();
    ((2..=3).contains(&tokens.len()) && tokens.iter().all(|t| language::is_name_token(t)))
        .then(|| tokens.join(" "))
}

/// The outlet named in a credit: "MOSCOW, November 23. /TASS/." -> TASS, "LONDON (Reuters) -" ->
/// Reuters, "..., Ednews informs." -> Ednews, "Anadolu Agency website contains ..." -> Anadolu
/// Agency, "© 2024 The Daily Herald" -> The Daily Herald.
pub fn credited_source(text: &str) -> Option<String> {
    // /TASS/
    if let Some(start) = text.find(" /") {
        let rest = &text[start + 2..];
        if let Some(end) = rest.find('/') {
            let name = &rest[..end];
            if is_outlet_name(name) {
                return Some(name.to_string());
            }
        }
    }
    // (Reuters) - at the start of a paragraph
    if let (Some(open), Some(close)) = (text.find('('), text.find(')')) {
        let after = text[close + 1..].trim_start();
        if open < close
            && open < 40
            && (after.starts_with('-') || after.starts_with('–') || after.starts_with('—'))
        {
            let name = &text[open + 1..close];
            if is_outlet_name(name) {
                return Some(name.to_string());
            }
        }
    }
    // ", Ednews informs." / ", Xinhua reports."
    for verb in [" informs", " reports", " reported"] {
        if let Some(at) = text.find(&format!("{verb}.")) {
            let before = &text[..at];
            let name = before.rsplit(", ").next().unwrap_or("").trim();
            if is_outlet_name(name) {
                return Some(name.to_string());
            }
        }
    }
    // "Anadolu Agency website ..."
    if let Some(at) = text.find(" website ") {
        let name = text[..at].trim();
        if is_outlet_name(name) {
            return Some(name.to_string());
        }
    }
    // "© 2024 The Daily Herald. All rights reserved." / "Copyright 2024 Example News"
    let lower = text.to_lowercase();
    if let Some(at) = lower
        .find('©')
        .map(|i| i + '©'.len_utf8())
        .or_else(|| lower.find("copyright").map(|i| i + "copyright".len()))
    {
        let rest = text[at..].trim_start_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_digit() || c == '©' || c == '-' || c == '–'
        });
        let name = rest.split(['.', '|', ',']).next().unwrap_or("").trim();
        if is_outlet_name(name) {
            return Some(name.to_string());
        }
    }
    None
}

/// One to four capitalised words or an acronym: a plausible outlet name, not a phrase.
fn is_outlet_name(name: &str) -> bool {
    let tokens: Vec<&str> = name.split_whitespace().collect();
    !tokens.is_empty()
        && tokens.len() <= 4
        && tokens.iter().all(|t| {
            t.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
                || matches!(*t, "of" | "the" | "and" | "&")
        })
        && name.chars().any(char::is_alphabetic)
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || " &'-.".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(y: i32, m: u32, d: u32) -> Option<FoundDate> {
        Some(FoundDate::Full(NaiveDate::from_ymd_opt(y, m, d).unwrap()))
    }

    #[test]
    fn a_number_too_long_for_a_date_part_is_no_date() {
        // Found by the front matter fuzzer: a part that overflows was dropped, and the day was
        // read from past the end of the list.
        assert_eq!(numeric_date("5555-5.5555555556"), None);
        assert_eq!(find_date("5555-5.5555555556 may"), None);
    }

    #[test]
    fn reads_dates_in_the_forms_news_uses() {
        assert_eq!(
            find_date("Elena Teslova | 13.09.2022 - Update : 13.09.2022"),
            full(2022, 9, 13)
        );
        assert_eq!(
            find_date("Date of publication: 23 November 2022"),
            full(2022, 11, 23)
        );
        assert_eq!(find_date("World 11:13 28.03.2024"), full(2024, 3, 28));
        assert_eq!(
            find_date("Published Nov. 23, 2022 at 10:00"),
            full(2022, 11, 23)
        );
        assert_eq!(find_date("2024-05-17"), full(2024, 5, 17));
        assert_eq!(
            find_date("MOSCOW, November 23. /TASS/."),
            Some(FoundDate::DayMonth { month: 11, day: 23 })
        );
        assert_eq!(find_date("They may meet again."), None);
        assert_eq!(find_date("03/04/2024"), None);
    }

    #[test]
    fn finds_bylines() {
        assert_eq!(
            byline_author("Elena Teslova  | 13.09.2022 - Update : 13.09.2022").as_deref(),
            Some("Elena Teslova")
        );
        assert_eq!(
            byline_author("Yuri Veselov, military observer").as_deref(),
            Some("Yuri Veselov")
        );
        assert_eq!(byline_author("By Jane Doe").as_deref(), Some("Jane Doe"));
        assert_eq!(byline_author("Jane Doe said the talks would resume."), None);
        assert_eq!(
            byline_author("Russia-led CSTO prepares for challenges after Ukraine war"),
            None
        );
    }

    #[test]
    fn finds_credited_outlets() {
        assert_eq!(
            credited_source("MOSCOW, November 23. /TASS/. Leaders of the CSTO").as_deref(),
            Some("TASS")
        );
        assert_eq!(
            credited_source("LONDON (Reuters) - Britain said").as_deref(),
            Some("Reuters")
        );
        assert_eq!(
            credited_source("said in an interview with National Defense magazine, Ednews informs.")
                .as_deref(),
            Some("Ednews")
        );
        assert_eq!(
            credited_source("Anadolu Agency website contains only a portion of the news stories")
                .as_deref(),
            Some("Anadolu Agency")
        );
        assert_eq!(
            credited_source("© 2024 The Daily Herald. All rights reserved.").as_deref(),
            Some("The Daily Herald")
        );
        assert_eq!(
            credited_source("The talks (which began in May) - ended."),
            None
        );
    }
}
