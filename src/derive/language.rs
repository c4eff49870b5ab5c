//! The small amount of English that derivation needs: speech verbs, role and institution words,
//! pronouns, sentence boundaries and capitalised name tokens. These are rules of news writing in
//! general, not of any one outlet or article.

use std::ops::ControlFlow;

use crate::byte_set::ByteSet;
use crate::word_set::WordSet;

/// Verbs that report speech or writing, in the forms news uses after or before a quote.
pub static SPEECH_VERBS: WordSet = WordSet::new(&[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "noted",
    "notes",
    "stressed",
    "stresses",
    "emphasised",
    "emphasized",
    "emphasises",
    "emphasizes",
    "highlighted",
    "highlights",
    "warned",
    "warns",
    "insisted",
    "insists",
    "mentioned",
    "mentions",
    "stated",
    "states",
    "wrote",
    "writes",
    "explained",
    "explains",
    "argued",
    "argues",
    "claimed",
    "claims",
    "declared",
    "declares",
    "announced",
    "announces",
    "asked",
    "asks",
    "replied",
    "replies",
    "responded",
    "responds",
    "urged",
    "urges",
    "described",
    "describes",
    "dismissed",
    "dismisses",
    "accused",
    "accuses",
    "admitted",
    "admits",
    "acknowledged",
    "acknowledges",
    "suggested",
    "suggests",
    "predicted",
    "predicts",
    "promised",
    "promises",
    "pledged",
    "pledges",
    "vowed",
    "vows",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "reiterated",
    "reiterates",
    "underlined",
    "underlines",
    "commented",
    "comments",
    "continued",
    "continues",
    "concluded",
    "concludes",
    "recalled",
    "recalls",
    "remarked",
    "remarks",
    "observed",
    "observes",
    "announced",
    "assured",
    "assures",
    "conceded",
    "concedes",
    "cautioned",
    "cautions",
    "complained",
    "complains",
    "demanded",
    "demands",
    "labelled",
    "labeled",
    "branded",
    "called",
    "calls",
    "expressed",
    "expresses",
    "tweeted",
    "posted",
    "quipped",
    "joked",
    "shouted",
    "recounted",
    "disclosed",
    "revealed",
    "reported",
    "reports",
    "estimated",
    "agreed",
    "believes",
    "believed",
    "thinks",
    "thought",
    "hopes",
    "hoped",
    "feels",
    "felt",
]);

/// Speech verbs of thought rather than speech: weaker evidence, used only when nothing better is near.
pub static THOUGHT_VERBS: WordSet = WordSet::new(&[
    "believes", "believed", "thinks", "thought", "hopes", "hoped", "feels", "felt",
]);

/// Participles that attach a second quote to the speaker of the first ("he said, adding that ...").
pub static SPEECH_PARTICIPLES: WordSet = WordSet::new(&[
    "adding",
    "saying",
    "noting",
    "stressing",
    "emphasising",
    "emphasizing",
    "warning",
    "insisting",
    "arguing",
    "explaining",
    "claiming",
    "declaring",
    "calling",
    "describing",
    "urging",
    "telling",
    "highlighting",
    "underlining",
    "recalling",
    "asking",
    "suggesting",
]);

pub fn is_speech_verb(word: &str) -> bool {
    SPEECH_VERBS.contains(word)
}

/// Role nouns that stand before a person's name ("President", "aide", "spokesman"); the words that
/// only qualify them are [`ROLE_MODIFIERS`].
pub static ROLE_WORDS: WordSet = WordSet::new(&[
    "president",
    "vice-president",
    "minister",
    "secretary",
    "secretary-general",
    "secretary general",
    "premier",
    "chancellor",
    "chairman",
    "chairwoman",
    "chair",
    "chief",
    "head",
    "leader",
    "aide",
    "adviser",
    "advisor",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "ambassador",
    "envoy",
    "governor",
    "mayor",
    "senator",
    "congressman",
    "congresswoman",
    "speaker",
    "general",
    "commander",
    "admiral",
    "colonel",
    "king",
    "queen",
    "prince",
    "princess",
    "emperor",
    "sheikh",
    "emir",
    "sultan",
    "pope",
    "judge",
    "justice",
    "director",
    "director-general",
    "commissioner",
    "counterpart",
    "representative",
    "diplomat",
    "official",
    "officer",
    "lawmaker",
    "mp",
    "mep",
    "candidate",
    "boss",
    "ceo",
    "founder",
    "analyst",
    "executive",
    "strategist",
    "consultant",
    "researcher",
    "scientist",
    "expert",
    "professor",
    "dr",
    "observer",
    "correspondent",
    "editor",
    "coach",
    "manager",
    "captain",
    "striker",
    "economist",
    "lawyer",
    "attorney",
    "prosecutor",
    "activist",
    "lord",
    "baroness",
    "lady",
    "sir",
    "mr",
    "mrs",
    "ms",
    "miss",
    "chairperson",
    "chief-of-staff",
    "constable",
    "inspector",
    "superintendent",
    "sergeant",
    "whip",
    "peer",
    "councillor",
    "rabbi",
    "bishop",
    "archbishop",
    "imam",
    "cardinal",
    "ayatollah",
    "reverend",
    "rev",
    "prof",
]);

/// Role words that only qualify a role ("foreign minister", "press secretary"), never a role alone.
pub static ROLE_MODIFIERS: WordSet = WordSet::new(&[
    "cabinet",
    "foreign",
    "defence",
    "defense",
    "interior",
    "finance",
    "press",
    "presidential",
    "parliamentary",
    "former",
    "acting",
    "first",
    "state",
    "shadow",
    "deputy",
    "vice",
    "senior",
    "top",
    "assistant",
    "parliament",
    "prime",
]);

/// Whether `word` names a role by itself ("minister", "secretary-general", "chief", "aide").
pub fn is_role_noun(word: &str) -> bool {
    // Most words are ASCII: compared in lower case where they stand, with no copy.
    if word.is_ascii() {
        let bytes = word.as_bytes();
        return ROLE_WORDS.contains_ascii_lowercase(word)
            || bytes.len() >= 8 && bytes[bytes.len() - 8..].eq_ignore_ascii_case(b"-general");
    }
    with_lowercase(word, |lower| {
        ROLE_WORDS.contains(lower) || lower.ends_with("-general")
    })
}

/// Whether `word` is part of a role: a role noun or a word qualifying one ("foreign", "press").
pub fn is_role_word(word: &str) -> bool {
    is_role_noun(word) || is_role_modifier(word)
}

/// Whether `word` qualifies a role noun ("foreign", "press").
pub fn is_role_modifier(word: &str) -> bool {
    if word.is_ascii() {
        return ROLE_MODIFIERS.contains_ascii_lowercase(word);
    }
    with_lowercase(word, |lower| ROLE_MODIFIERS.contains(lower))
}

/// Calls `f` with `word` in lower case, copying it only when it has capitals (most words do not),
/// and then onto the stack when it is short and ASCII (most of the rest).
fn with_lowercase<T>(word: &str, f: impl FnOnce(&str) -> T) -> T {
    const SHORT: usize = 32;
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return f(word);
        }
        if word.len() <= SHORT {
            let mut buffer = [0u8; SHORT];
            let lower = &mut buffer[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            // ASCII in, ASCII out.
            return f(std::str::from_utf8(lower).unwrap_or(word));
        }
    }
    if word.chars().any(char::is_uppercase) {
        f(&word.to_lowercase())
    } else {
        f(word)
    }
}

/// Words that, capitalised, are institutions rather than given or family names.
pub static INSTITUTION_WORDS: WordSet = WordSet::new(&[
    "Council",
    "Organization",
    "Organisation",
    "Ministry",
    "Committee",
    "Assembly",
    "Treaty",
    "Union",
    "Agency",
    "Forces",
    "Force",
    "Party",
    "Parliament",
    "Court",
    "Bank",
    "Fund",
    "Office",
    "Department",
    "Service",
    "Services",
    "Commission",
    "Government",
    "Administration",
    "Army",
    "Navy",
    "Group",
    "Institute",
    "University",
    "College",
    "School",
    "Association",
    "Federation",
    "Republic",
    "Kingdom",
    "States",
    "Security",
    "Defense",
    "Defence",
    "Operation",
    "Charter",
    "Summit",
    "Conference",
    "Forum",
    "Program",
    "Programme",
    "Initiative",
    "Project",
    "Company",
    "Corporation",
    "Inc",
    "Ltd",
    "News",
    "Times",
    "Post",
    "Journal",
    "Magazine",
    "Agency",
    "Television",
    "Radio",
    "Street",
    "Square",
    "House",
    "Palace",
    "Hall",
    "Centre",
    "Center",
    "Airport",
    "Station",
    "Road",
    "Sea",
    "Ocean",
    "River",
    "Mountains",
    "Island",
    "Islands",
    "Region",
    "Province",
    "Oblast",
    "County",
    "Day",
    "Week",
    "Cup",
    "League",
    "Championship",
    "Games",
    "Olympics",
    "Award",
    "Awards",
    "Prize",
    "Act",
    "Bill",
    "Law",
    "Code",
    "Plan",
    "Strategy",
    "Declaration",
    "Agreement",
    "Accord",
    "Protocol",
    "War",
    "Crisis",
    "Revolution",
    "Movement",
    "Front",
    "Alliance",
    "Coalition",
    "Network",
    "Media",
    "Watch",
    "Castle",
    "Telegraph",
    "Mail",
    "Mirror",
    "Guardian",
    "Express",
    "Herald",
    "Gazette",
    "Chronicle",
    "Leisure",
    "Research",
    "Camp",
    "Prison",
    "Hospital",
    "Church",
    "Cathedral",
    "Stadium",
    "Park",
    "Bridge",
    "Tower",
    "Abbey",
    "Airways",
    "Airlines",
    "Motors",
    "Holdings",
    "Partners",
    "Energy",
    "Rights",
    "Trust",
    "Foundation",
    "Society",
    "Institution",
    "Board",
    "Authority",
    "Executive",
    "Assembly",
    "Commons",
    "Lords",
    "Cabinet",
    "Treasury",
    "Exchequer",
    "Tribunal",
    "Inquiry",
    "Unit",
    "Division",
    "Team",
    "Club",
    "Police",
    "Press",
    "Review",
    "Report",
    "Index",
    "Exchange",
    "Market",
    "Markets",
    "Stock",
]);

/// Capitalised words that are never part of a person's name.
pub static NOT_NAME_WORDS: WordSet = WordSet::new(&[
    // "Real Madrid", "Real Sociedad": a club, not a given name.
    "Real",
    // Words that open a clause, capitalised at a sentence's start: "Although Diageo said".
    "Although",
    "Though",
    "Once",
    "Called",
    "Unless",
    "Whilst",
    "Until",
    "Despite",
    "Since",
    "Because",
    "Asked",
    "Told",
    "Instead",
    "Unlike",
    // Suffixes: "Martin Luther King Jnr" is Martin Luther King, and "Jnr" alone no one.
    "Jnr",
    "Jr",
    "Snr",
    "Sr",
    "The",
    "A",
    "An",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "Its",
    "In",
    "On",
    "At",
    "Of",
    "For",
    "From",
    "By",
    "With",
    "And",
    "But",
    "Or",
    "Nor",
    "If",
    "As",
    "So",
    "To",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Dr",
    "Sir",
    "Dame",
    "President",
    "Minister",
    "Prime",
    "Secretary",
    "General",
    "Chairman",
    "Chief",
    "Foreign",
    "Defence",
    "Defense",
    "Deputy",
    "Vice",
    "According",
    "However",
    "Meanwhile",
    "Moreover",
    "Nevertheless",
    "Also",
    "Both",
    "After",
    "Before",
    "During",
    "While",
    "When",
    "Where",
    "What",
    "Who",
    "Why",
    "How",
    "There",
    "Here",
    "Speaking",
    "Earlier",
    "Later",
    "Last",
    "Next",
    "Previous",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Central",
    "North",
    "South",
    "East",
    "West",
    "European",
    "Asian",
    "African",
    "Arab",
    "Islamic",
    "Muslim",
    "Christian",
    "Jewish",
    "Catholic",
    "Orthodox",
    "Sunni",
    "Shia",
    "Soviet",
    "Eurasian",
    "Nazi",
    "Communist",
    "Conservative",
    "Labour",
    "Liberal",
    "Democrat",
    "Democrats",
    "Republican",
    "Republicans",
    "Tory",
    "Tories",
    "Socialist",
    "National",
    "International",
    "Federal",
    "Royal",
    "Supreme",
    "Special",
    "Military",
    "Collective",
    "Presidential",
    "Parliamentary",
    "Chairwoman",
    "Head",
    "Speaker",
    "Spokesman",
    "Spokeswoman",
    "Ambassador",
    "Governor",
    "Mayor",
    "Senator",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Lord",
    "Lady",
    "Baroness",
    "Pope",
    "Sheikh",
    "Emir",
    "Commander",
    "Colonel",
    "Admiral",
    "Captain",
    "Professor",
    "Judge",
    "Justice",
    "Director",
    "Commissioner",
    "Leader",
    "Aide",
    "Adviser",
    "Advisor",
    "Counterpart",
    "Envoy",
    "Official",
    "State",
    "Shadow",
    "Former",
    "Acting",
    "Senior",
    "First",
    "Second",
    "Third",
    "Photo",
    "Video",
    "Read",
    "Comments",
    "Update",
    "Breaking",
    "Live",
    "Opinion",
    "Analysis",
    "Editorial",
    "Images",
    "Image",
    "Getty",
    "Reuters",
    "AFP",
    "AP",
    "Please",
    "Share",
    "Click",
    "Subscribe",
    "Follow",
    "Twitter",
    "Facebook",
    "YouTube",
    "Instagram",
    "Telegram",
    "WhatsApp",
    "Google",
    "Apple",
    "Microsoft",
    "Amazon",
    "Internet",
    "Web",
    "Online",
    "English",
    "French",
    "German",
    "Spanish",
    "Chinese",
    "Japanese",
    "Mrs.",
    "Mr.",
    "Ms.",
    "Dr.",
    "Gen",
    "Lt",
    "Col",
    "Maj",
    "Sgt",
    "St",
    "Mt",
    "Co",
    "Corp",
    "Daily",
    "Evening",
    "Morning",
    "Most",
    "Many",
    "Some",
    "All",
    "Few",
    "Several",
    "Every",
    "Each",
    "Any",
    "No",
    "Other",
    "Others",
    "Dems",
    "Lib",
    "Constable",
    "Inspector",
    "Superintendent",
    "Sergeant",
    "Chancellor",
    "MP",
    "MPs",
    "MEP",
    "MEPs",
    "Chief",
    "Election",
    "Elections",
    "Prof",
    "Rabbi",
    "Rev",
    "Reverend",
    "Father",
    "Bishop",
    "Archbishop",
    "Imam",
    "Cardinal",
    "Ayatollah",
    "Not",
    "Now",
    "Yet",
    "Still",
    "Even",
    "Just",
]);

/// Personal pronouns that can stand for a speaker, with what they may stand for.
pub fn pronoun_kind(word: &str) -> Option<PronounKind> {
    match word.to_ascii_lowercase().as_str() {
        "he" | "she" | "him" | "her" => Some(PronounKind::Person),
        "it" => Some(PronounKind::Thing),
        "they" => Some(PronounKind::Group),
        _ => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PronounKind {
    Person,
    Thing,
    Group,
}

/// Whom "he" or "she" can stand for, as a courtesy title or the pronoun itself tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gender {
    Man,
    Woman,
}

/// The gender of a personal pronoun ("he", "She", "him", "her"); none for any other word.
pub fn pronoun_gender(word: &str) -> Option<Gender> {
    match word.to_ascii_lowercase().as_str() {
        "he" | "him" => Some(Gender::Man),
        "she" | "her" => Some(Gender::Woman),
        _ => None,
    }
}

/// Whether a courtesy title may be written with a full stop ("Mr. Smith", as American outlets
/// write it); after any other word a full stop ends the sentence.
pub fn is_abbreviated_title(word: &str) -> bool {
    matches!(word, "Mr" | "Mrs" | "Ms" | "Dr" | "Prof")
}

/// The gender a courtesy title gives the person it stands before ("Sir Andrew Green", "Ms Roche").
pub fn title_gender(title: &str) -> Option<Gender> {
    match title {
        "Mr" | "Sir" | "Lord" => Some(Gender::Man),
        "Mrs" | "Ms" | "Miss" | "Lady" | "Dame" | "Baroness" => Some(Gender::Woman),
        _ => None,
    }
}

/// Nouns for documents that speak for whoever issued them ("the statement said").
pub static DOCUMENT_NOUNS: WordSet = WordSet::new(&[
    "statement",
    "declaration",
    "communique",
    "communiqué",
    "report",
    "letter",
    "resolution",
    "document",
    "memo",
    "announcement",
    "release",
    "post",
    "message",
    "note",
    "text",
    "decree",
]);

/// Nouns for a kind of organisation that no one is by trade: a name right after one is the
/// organisation's ("investment bank Merrill Lynch", "rock band Franz Ferdinand", "Conference side
/// Exeter City"), never a person's. Occupations that are also firms ("producer", "publisher",
/// "broadcaster", "developer") are not here: "producer Gil Cates" is a man.
pub static COMPANY_NOUNS: WordSet = WordSet::new(&[
    "airline",
    "association",
    "automaker",
    "band",
    "bank",
    "carmaker",
    "chain",
    "channel",
    "charity",
    "club",
    "company",
    "conglomerate",
    "consultancy",
    "corporation",
    "exchange",
    "firm",
    "franchise",
    "giant",
    "group",
    "insurer",
    "label",
    "lender",
    "magazine",
    "manufacturer",
    "multinational",
    "network",
    "newspaper",
    "outfit",
    "regulator",
    "side",
    "studio",
    "subsidiary",
    "supermarket",
    "tabloid",
    "team",
    "union",
    "utility",
    "watchdog",
    "website",
]);

/// Body nouns: parts of a government or organisation that speak ("the Foreign Ministry").
pub static BODY_NOUNS: WordSet = WordSet::new(&[
    "ministry",
    "foreign ministry",
    "defence ministry",
    "defense ministry",
    "foreign office",
    "state department",
    "press service",
    "press office",
    "government",
    "cabinet",
    "embassy",
    "mission",
    "delegation",
    "military",
    "army",
    "armed forces",
    "general staff",
    "secretariat",
    "spokesperson's office",
    "office",
    "administration",
    "parliament",
    "senate",
    "presidency",
    "foreign ministry's spokesperson",
    "security council",
    "interior ministry",
    "finance ministry",
    "central bank",
    "prosecutor's office",
    "police",
    "authorities",
    "leadership",
    "member states",
    "member countries",
    "side",
]);

/// Abbreviations after which a full stop does not end a sentence.
static ABBREVIATIONS: WordSet = WordSet::new(&[
    "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Lt", "Col", "Maj", "Sgt", "Capt", "Prof",
    "Rev", "Hon", "Gov", "Sen", "Rep", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep",
    "Sept", "Oct", "Nov", "Dec", "No", "Nos", "vs", "etc", "approx", "Inc", "Ltd", "Co", "Corp",
    "Mt", "Ft", "U.S", "U.K", "U.N", "e.g", "i.e",
]);

/// The first bytes of sentence stops: see [`sentence_starts`].
static STOP_BYTES: ByteSet<4> = ByteSet::new([b'.', b'!', b'?', 0xE2]);

/// Byte offsets at which sentences start in `text`, always including 0. A sentence ends at `.`, `!`
/// or `?` (after any closing quote marks) followed by white space and a capital letter, a digit or an
/// opening quote, unless the word before the stop is an abbreviation or an initial.
pub fn sentence_starts(text: &str) -> Vec<usize> {
    // Walked by byte offset: no copy of the text's characters. Only the stops are decoded, found by
    // their first byte (`…` is the only character starting with 0xE2 that is one).
    let char_at = |at: usize| char_at(text, at);
    let mut starts = vec![0];
    let mut at = 0;
    while let Some(found) = STOP_BYTES.find_from(text.as_bytes(), at) {
        at = found;
        let c = char_at(at).expect("a stop byte starts a character");
        if !matches!(c, '.' | '!' | '?' | '…') {
            at += c.len_utf8();
            continue;
        }
        let mut closed = at + c.len_utf8();
        while let Some(d) =
            char_at(closed).filter(|d| matches!(d, '"' | '”' | '’' | '\'' | ')' | '»'))
        {
            closed += d.len_utf8();
        }
        let mut next = closed;
        while let Some(d) = char_at(next).filter(|d| d.is_whitespace()) {
            next += d.len_utf8();
        }
        if let Some(first) = char_at(next).filter(|_| next > closed) {
            let opens = first.is_uppercase()
                || first.is_ascii_digit()
                || matches!(first, '"' | '“' | '‘' | '«');
            if opens && !(c == '.' && ends_with_abbreviation(&text[..at])) {
                starts.push(next);
            }
        }
        at = closed;
    }
    starts
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
        return true; // an initial: "J. Smith"
    }
    ABBREVIATIONS.contains(word)
}

/// A word as found in a text, by byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// The words of `text`: runs of letters, digits, hyphens, apostrophes inside words, and dots inside
/// abbreviations.
pub fn words(text: &str) -> Vec<Word<'_>> {
    // News prose has a word for every six bytes or so: room made once, not grown five times.
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    for_each_word(text, |start, end| {
        out.push(Word {
            text: &text[start..end],
            start,
            end,
        });
        ControlFlow::Continue(())
    });
    out
}

/// Whether one of the first `limit` [`words`] of `text` passes `test`: the words are read one at
/// a time and no further than needed, where a sentence's rest is looked at for a verb.
pub fn any_of_first_words(text: &str, limit: usize, mut test: impl FnMut(&str) -> bool) -> bool {
    if limit == 0 {
        return false;
    }
    let mut seen = 0;
    let mut passed = false;
    for_each_word(text, |start, end| {
        seen += 1;
        passed = test(&text[start..end]);
        if passed || seen == limit {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    passed
}

/// How many [`words`] `text` has, without listing them.
pub fn word_count(text: &str) -> usize {
    word_count_up_to(text, usize::MAX)
}

/// How many [`words`] `text` has, counted no further than `limit`: where only a few words matter
/// ("fewer than four", "six or more"), a long quotation is not read to its end.
pub fn word_count_up_to(text: &str, limit: usize) -> usize {
    let mut count = 0;
    if limit == 0 {
        return 0;
    }
    for_each_word(text, |_, _| {
        count += 1;
        if count == limit {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    });
    count
}

/// The character at byte offset `at` of `text` (a character boundary), if any: read from the byte
/// where it is ASCII (most of a news text), decoded otherwise.
fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&byte) if byte.is_ascii() => Some(char::from(byte)),
        Some(_) => text[at..].chars().next(),
        None => None,
    }
}

/// Calls `found` with the byte range of each of `text`'s words, in order (see [`words`]), until it
/// says to stop.
fn for_each_word(text: &str, mut found: impl FnMut(usize, usize) -> ControlFlow<()>) {
    let bytes = text.as_bytes();
    // Most of a news text is ASCII: its bytes are read as they are, other characters decoded.
    let char_at = |at: usize| text[at..].chars().next().expect("a character boundary");
    // The end of the character at `at` when it is a letter or digit.
    let alphanumeric_at = |at: usize| match bytes.get(at) {
        Some(&byte) if byte.is_ascii() => ASCII_ALPHANUMERIC[usize::from(byte)].then_some(at + 1),
        Some(_) => Some(char_at(at))
            .filter(|c| c.is_alphanumeric())
            .map(|c| at + c.len_utf8()),
        None => None,
    };
    let mut at = 0;
    while at < bytes.len() {
        // Between words: on to the next letter or digit.
        let Some(mut end) = alphanumeric_at(at) else {
            at += if bytes[at].is_ascii() {
                1
            } else {
                char_at(at).len_utf8()
            };
            continue;
        };
        // In a word: on to the first character that is neither a letter or digit nor an apostrophe,
        // hyphen or full stop between letters ("don't", "U.S").
        loop {
            while bytes
                .get(end)
                .is_some_and(|&byte| ASCII_ALPHANUMERIC[usize::from(byte)])
            {
                end += 1;
            }
            let joiner_end = match bytes.get(end) {
                Some(b'-' | b'\'' | b'.') => end + 1,
                Some(byte) if !byte.is_ascii() => match char_at(end) {
                    '’' => end + '’'.len_utf8(),
                    c if c.is_alphanumeric() => {
                        end += c.len_utf8();
                        continue;
                    }
                    _ => break,
                },
                _ => break,
            };
            match alphanumeric_at(joiner_end) {
                Some(after) => end = after,
                None => break,
            }
        }
        if found(at, end).is_break() {
            return;
        }
        at = end;
    }
}

/// Which bytes are ASCII letters and digits.
static ASCII_ALPHANUMERIC: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte: u8 = 0;
    while byte < 128 {
        table[byte as usize] = byte.is_ascii_alphanumeric();
        byte += 1;
    }
    table
};

/// Whether `word` is a day of the week, capitalised.
pub fn is_weekday(word: &str) -> bool {
    matches!(
        word,
        "Monday" | "Tuesday" | "Wednesday" | "Thursday" | "Friday" | "Saturday" | "Sunday"
    )
}

/// Months that are also family names ("Theresa May"), taken as names only after a given name or a
/// title.
pub fn is_month_surname(word: &str) -> bool {
    matches!(word, "May" | "June" | "April" | "August")
}

/// Titles and other capitalised words that are also family names ("Mervyn King", "Oona King",
/// "Louise Christian"), taken as names only where a name ends in them after a given name or a
/// title: in "King Abdullah" and "Hans Christian Andersen" they are no surname. Also the
/// [`is_building_surname`] words.
pub fn is_title_surname(word: &str) -> bool {
    matches!(word, "King" | "Prince" | "Bishop" | "Judge" | "Christian")
        || is_building_surname(word)
}

/// Institution words that are common family names ("Jack Law", "Stuart Hall", "Barbara Castle",
/// "Mr Law"): alone or before another capitalised word they name a thing ("the Law Society"), and
/// after a preposition of place a building ("at Windsor Castle", "in Carnegie Hall").
pub fn is_building_surname(word: &str) -> bool {
    matches!(word, "Law" | "Hall" | "Castle")
}

/// Prepositions after which a capitalised name is a place before it is a person ("at Windsor
/// Castle").
pub fn is_place_preposition(word: &str) -> bool {
    matches!(
        word,
        "at" | "in" | "near" | "outside" | "inside" | "into" | "opposite"
    )
}

/// An institution word that is also a common given name ("Bill Gates"), taken as a name only
/// right before another name word: "the Finance Bill" names no one.
pub fn is_institution_given_name(word: &str) -> bool {
    word == "Bill"
}

/// A suffix that ends a name ("Larry Mullen Jr", "Martin Luther King Jnr") and is no name alone.
pub fn is_name_suffix(word: &str) -> bool {
    matches!(word, "Jr" | "Jnr" | "Sr" | "Snr")
}

/// Words that open a description of someone ("its chairman", "the minister", "a spokesman").
pub const DETERMINERS: &[&str] = &["its", "the", "his", "her", "their", "our", "a", "an"];

/// A royal title, written before the given name it goes by ("Prince Charles", "King Abdullah").
pub fn is_royal_title(word: &str) -> bool {
    matches!(
        word,
        "Prince"
            | "Princess"
            | "King"
            | "Queen"
            | "Emperor"
            | "Empress"
            | "Sultan"
            | "Emir"
            | "Pope"
    )
}

/// A particle of a family name ("van", "von der", "de la", "bin", "da"), in either case: "Dick Van
/// Dyke" writes it with a capital.
pub fn is_name_particle(word: &str) -> bool {
    const PARTICLES: &[&str] = &[
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "la", "le",
        "bin", "ibn", "al", "el", "dos", "das", "ter", "ten",
    ];
    word.len() <= 5 && PARTICLES.iter().any(|p| p.eq_ignore_ascii_case(word))
}

/// A middle initial ("George W Bush", "George W. Bush"): one capital letter that is no word ("A",
/// "I").
pub fn is_initial(word: &str) -> bool {
    matches!(word.as_bytes(), [b'B'..=b'H' | b'J'..=b'Z'])
}

/// Whether `word` looks like part of a person's name: capitalised, then lowercase letters (with
/// inner hyphens or apostrophes: "Al-Sisi", "O'Brien"), and not a known non-name word.
pub fn is_name_token(word: &str) -> bool {
    // Most words start with a lower-case ASCII letter, a digit or a mark.
    if word
        .as_bytes()
        .first()
        .is_none_or(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        return false;
    }
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let rest = chars.as_str();
    let Some(second) = rest.chars().next() else {
        return false;
    };
    let (mut length, mut lowercase) = (0, 0);
    if rest.is_ascii() {
        // Most names: their bytes are their characters.
        for b in rest.bytes() {
            if !(b.is_ascii_alphabetic() || matches!(b, b'-' | b'\'')) {
                return false;
            }
            length += 1;
            lowercase += usize::from(b.is_ascii_lowercase());
        }
    } else {
        for c in rest.chars() {
            if !(c.is_alphabetic() || matches!(c, '-' | '\'' | '’')) {
                return false;
            }
            length += 1;
            lowercase += usize::from(c.is_lowercase());
        }
    }
    let shape_ok =
        lowercase * 2 >= length && (second.is_lowercase() || matches!(second, '\'' | '’'));
    if !shape_ok || NOT_NAME_WORDS.contains(word) || INSTITUTION_WORDS.contains(word) {
        return false;
    }
    // "Secretary-General" is a title, "Jean-Claude" a name. A word without a hyphen is its only
    // part, already asked of NOT_NAME_WORDS.
    let titled_part = |part: &str| part.len() > 2 && is_role_word(part);
    if !word.contains('-') {
        return !titled_part(word);
    }
    // "Houston-based", "Oscar-winning", "Film-maker": a lower-case participle or noun after the
    // hyphen makes a description. Korean given names keep theirs ("Ban Ki-moon", "Kim Jong-il").
    let adjective_part = |part: &str| {
        part.starts_with(char::is_lowercase)
            && (part.len() > 4 && (part.ends_with("ed") || part.ends_with("ing"))
                || matches!(
                    part,
                    "born" | "half" | "maker" | "match" | "made" | "run" | "style"
                ))
    };
    !word
        .split('-')
        .any(|part| NOT_NAME_WORDS.contains(part) || titled_part(part) || adjective_part(part))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_no_further_than_asked() {
        let text =
            "“We will not stand by,” said the CSTO secretary-general, Imangali Tasmagambetov.";
        assert_eq!(word_count(text), 11);
        assert_eq!(word_count_up_to(text, 6), 6);
        assert_eq!(word_count_up_to(text, 100), 11);
        assert_eq!(word_count_up_to("", 6), 0);
        assert_eq!(word_count_up_to(text, 0), 0);
    }

    #[test]
    fn role_lists_are_in_lower_case() {
        // `is_role_noun` and `is_role_word` ask them in ASCII lower case.
        for word in ROLE_WORDS.words().iter().chain(ROLE_MODIFIERS.words()) {
            assert!(!word.bytes().any(|b| b.is_ascii_uppercase()), "{word}");
        }
        assert!(is_role_noun("Secretary-General") && is_role_noun("DIRECTOR-GENERAL"));
        assert!(is_role_word("Foreign") && !is_role_word("Moscow"));
    }

    #[test]
    fn splits_sentences_but_not_at_abbreviations() {
        let text = "Both will attend on Sept. 15-16 in Samarkand. \"We agree,\" he said. Mr. Smith left! Then J. Doe spoke";
        let starts = sentence_starts(text);
        let firsts: Vec<&str> = starts.iter().map(|&s| &text[s..s + 4]).collect();
        assert_eq!(firsts, ["Both", "\"We ", "Mr. ", "Then"]);
    }

    #[test]
    fn sentence_starts_at_the_edges_of_a_text() {
        assert_eq!(sentence_starts(""), [0]);
        assert_eq!(sentence_starts("Ends here."), [0]);
        // A terminator at the very end, or closers with nothing after them, start nothing.
        assert_eq!(sentence_starts("He said \"yes.\""), [0]);
        // Closing quotes and brackets stay with the sentence they end; spaces of any kind part them.
        let text = "It ended.\u{201d}) \u{a0}«Next» came. Émile left… 2 more";
        let firsts: Vec<&str> = sentence_starts(text)
            .iter()
            .map(|&s| text[s..].split(' ').next().unwrap_or(""))
            .collect();
        assert_eq!(firsts, ["It", "«Next»", "Émile", "2"]);
    }

    #[test]
    fn counts_the_words_it_finds() {
        for text in [
            "",
            "  ",
            "Armenia's Prime-Minister (Nikol) U.S. don't",
            "a-",
            "-a",
            "é.é x",
        ] {
            assert_eq!(word_count(text), words(text).len(), "{text:?}");
        }
    }

    /// The words of `text` read one character at a time: the definition the byte-wise reader keeps.
    fn words_by_characters(text: &str) -> Vec<(usize, usize)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        for (i, &(at, c)) in chars.iter().enumerate() {
            let inner = start.is_some()
                && matches!(c, '-' | '\'' | '’' | '.')
                && chars.get(i + 1).is_some_and(|&(_, d)| d.is_alphanumeric());
            if c.is_alphanumeric() {
                start.get_or_insert(at);
            } else if !inner {
                if let Some(s) = start.take() {
                    out.push((s, at));
                }
            }
        }
        out.extend(start.map(|s| (s, text.len())));
        out
    }

    /// Texts made of the characters the readers treat specially, in every short arrangement and in
    /// longer pseudo-random ones.
    fn awkward_texts() -> Vec<String> {
        let alphabet = [
            "a", "Z", "7", "é", "Ж", "中", "-", "'", "’", ".", "!", "?", "…", " ", "\u{a0}", "(",
            "\"", "”", "“", "‘", "»", "«", "\n", "²",
        ];
        let mut texts = vec![String::new()];
        for a in alphabet {
            for b in alphabet {
                for c in alphabet {
                    texts.push(format!("{a}{b}{c}"));
                }
            }
        }
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            texts.push(text);
        }
        texts
    }

    #[test]
    fn reads_words_as_the_character_definition_does() {
        for text in awkward_texts() {
            let found: Vec<(usize, usize)> =
                words(&text).iter().map(|w| (w.start, w.end)).collect();
            assert_eq!(found, words_by_characters(&text), "{text:?}");
            assert_eq!(word_count(&text), found.len(), "{text:?}");
        }
    }

    #[test]
    fn finds_words_and_name_tokens() {
        let ws: Vec<&str> = words("Armenia's Prime-Minister (Nikol) U.S. don't")
            .iter()
            .map(|w| w.text)
            .collect();
        assert_eq!(ws, ["Armenia's", "Prime-Minister", "Nikol", "U.S", "don't"]);
        assert!(is_name_token("Pashinyan") && is_name_token("Xi") && is_name_token("O'Brien"));
        assert!(!is_name_token("CSTO") && !is_name_token("The") && !is_name_token("said"));
        assert!(!is_name_token("Secretary-General") && is_name_token("Jean-Claude"));
    }
}
