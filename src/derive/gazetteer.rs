//! The gazetteer: every name under which a country or an organisation is known (names, alternative
//! names, adjectives and demonyms, capitals, cities, metonyms, acronyms, and the site's own notes),
//! compiled into one Aho-Corasick automaton. A name can only start where no letter, digit, `_` or
//! `@` comes before it, so the automaton is walked, anchored, from each such place whose first two
//! bytes some name starts with: most of a text's bytes are looked at once, in a table, and most
//! words ("to", "was") are not walked at all.
//!
//! Matching is case-sensitive: news capitalises proper names, and "US" is not "us". A match must
//! stand on word boundaries, but hyphens join ("Armenian-Azerbaijani", "Russia-led"). Where names
//! overlap, the longest wins ("UN Security Council" over "UN"). Cities and weak names ("Georgia",
//! "Jordan") are careful: not inside a longer run of capitalised words ("Michael Jordan"), not
//! followed by a speech verb, and weak names only when the article names the country otherwise too.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous::{Builder as NfaBuilder, NFA};
use aho_corasick::{Anchored, MatchKind};

use crate::reference::ReferenceData;

/// What a name points to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// ISO alpha-3.
    Country(String),
    /// The organisation's id in the reference data or the site's notes.
    Organisation(String),
}

/// How much a name can be trusted on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// A name, an alternative name, an adjective, a capital, a metonym, an acronym.
    Strong,
    /// A city: careful about runs of capitalised words and speech verbs.
    City,
    /// A name that often means something else: needs a strong mention of the same target.
    Weak,
}

#[derive(Debug, Clone)]
struct Entry {
    target: Target,
    strength: Strength,
    /// A sovereign state's claim to a name beats a dependent territory's ("French": France, not
    /// the French Southern Lands).
    sovereign: bool,
}

/// One name found in a text, by byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub start: usize,
    pub end: usize,
    pub target: Target,
    pub strength: Strength,
}

/// The compiled names.
pub struct Gazetteer {
    /// Walked anchored only. A DFA walked no faster at 10,000 articles (the walks are a few bytes
    /// each) and took some 27 MB more peak memory and longer to make.
    automaton: NFA,
    /// Per pattern id, its entry.
    entries: Vec<Entry>,
    /// Whether some name starts with each pair of bytes (every name has two at least), as bits.
    first_pairs: Box<[u64; 1024]>,
    /// Whether some name starts with each byte: the pairs' first test, in a table of 256 bytes that
    /// stays in cache.
    first_bytes: [bool; 256],
    /// The names, by pattern id: the tests search them the plain way too.
    #[cfg(test)]
    patterns: Vec<String>,
}

/// Names added by the site (from its notes), per target.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteNames {
    pub names: BTreeMap<Target, Vec<String>>,
}

/// The gazetteer of the reference data alone, once per process.
static PREPARED: OnceLock<Arc<Gazetteer>> = OnceLock::new();

/// Starts compiling the reference data's gazetteer on another thread (some 64 M instructions)
/// while the files are read, when any are listed (`articles`); [`Gazetteer::shared`] then waits
/// for it instead of compiling its own. A site whose notes add names compiles its own, and the
/// prepared one goes unused.
pub fn prepare(articles: usize) {
    if articles > 0 && PREPARED.get().is_none() {
        std::thread::spawn(prepared);
    }
}

fn prepared() -> Arc<Gazetteer> {
    let made = || {
        Arc::new(Gazetteer::new(
            ReferenceData::builtin(),
            &SiteNames::default(),
        ))
    };
    Arc::clone(PREPARED.get_or_init(made))
}

impl Gazetteer {
    /// The gazetteer for a site's `names`: the prepared one when the site adds none, else compiled
    /// here.
    pub fn shared(data: &'static ReferenceData, site: &SiteNames) -> Arc<Gazetteer> {
        if site.names.is_empty() && std::ptr::eq(data, ReferenceData::builtin()) {
            return prepared();
        }
        Arc::new(Gazetteer::new(data, site))
    }

    /// Compiles the names.
    pub fn new(data: &ReferenceData, site: &SiteNames) -> Gazetteer {
        // Every claim on each surface form, resolved once all are in (see `resolve_claims`).
        let mut forms: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        let sovereign: BTreeMap<&str, bool> = data
            .countries
            .iter()
            .map(|c| (c.code3.as_str(), c.independent))
            .collect();
        let mut add = |form: &str, target: &Target, strength: Strength| {
            let form = form.trim();
            if form.chars().count() < 2 {
                return;
            }
            let sovereign = match target {
                Target::Country(code) => sovereign.get(code.as_str()).copied().unwrap_or(true),
                Target::Organisation(_) => true,
            };
            let entry = Entry {
                target: target.clone(),
                strength,
                sovereign,
            };
            forms.entry(form.to_string()).or_default().push(entry);
        };
        for country in &data.countries {
            let target = Target::Country(country.code3.clone());
            let weak = |name: &str| country.weak.iter().any(|w| w == name);
            let strength_of =
                |name: &str, default: Strength| if weak(name) { Strength::Weak } else { default };
            for name in std::iter::once(&country.name)
                .chain(&country.names)
                .chain(&country.capitals)
            {
                add(name, &target, strength_of(name, Strength::Strong));
                if is_plain_name(name) {
                    add(
                        &name.to_uppercase(),
                        &target,
                        strength_of(name, Strength::Strong),
                    );
                }
            }
            for adjective in &country.adjectives {
                add(adjective, &target, strength_of(adjective, Strength::Strong));
                if adjective.ends_with('n') || adjective.ends_with('i') {
                    add(
                        &format!("{adjective}s"),
                        &target,
                        strength_of(adjective, Strength::Strong),
                    );
                }
            }
            for city in &country.cities {
                add(city, &target, strength_of(city, Strength::City));
                if is_plain_name(city) {
                    add(&city.to_uppercase(), &target, Strength::City);
                }
            }
        }
        for metonym in &data.metonyms {
            let target = Target::Country(metonym.country.clone());
            add(&metonym.name, &target, Strength::Strong);
            // "the Kremlin" is written "The Kremlin" at the start of a sentence.
            if let Some(rest) = metonym.name.strip_prefix("the ") {
                add(&format!("The {rest}"), &target, Strength::Strong);
            }
        }
        for organisation in &data.organisations {
            // An organ's names ("UN Security Council") are mentions of the whole organisation.
            let id = organisation.organ_of.as_ref().unwrap_or(&organisation.id);
            let target = Target::Organisation(id.clone());
            for name in std::iter::once(&organisation.name)
                .chain(&organisation.aliases)
                .chain(&organisation.acronyms)
            {
                add(name, &target, Strength::Strong);
            }
        }
        for (target, names) in &site.names {
            for name in names {
                add(name, target, Strength::Strong);
            }
        }
        let (patterns, entries): (Vec<String>, Vec<Entry>) = forms
            .into_iter()
            .filter_map(|(form, claims)| resolve_claims(claims).map(|e| (form, e)))
            .unzip();
        let mut first_bytes = [false; 256];
        let mut first_pairs = Box::new([0u64; 1024]);
        for pattern in &patterns {
            // `add` keeps names of two characters or more: two bytes at least.
            if let [first, second, ..] = *pattern.as_bytes() {
                first_bytes[usize::from(first)] = true;
                let pair = pair_index(first, second);
                first_pairs[pair / 64] |= 1 << (pair % 64);
            }
        }
        let automaton = NfaBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .expect("the gazetteer's patterns compile");
        Gazetteer {
            automaton,
            entries,
            first_pairs,
            first_bytes,
            #[cfg(test)]
            patterns,
        }
    }

    /// Every name in `text`, left to right, longest first where names overlap, with the boundary,
    /// city and run-of-capitals rules applied (the article-wide weak-name rule is the caller's).
    ///
    /// Leftmost-longest without overlaps: from each possible start, left to right, the longest
    /// acceptable name starting there, unless an earlier name taken covers the start.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let automaton = &self.automaton;
        let bytes = text.as_bytes();
        let begin = automaton
            .start_state(Anchored::Yes)
            .expect("the gazetteer's automaton searches anchored");
        let mut out: Vec<Found> = Vec::new();
        for start in 0..bytes.len() {
            // A name's first byte is never a UTF-8 continuation byte: `start` is a character's.
            if !self.first_bytes[usize::from(bytes[start])]
                || !bytes.get(start + 1).is_some_and(|&second| {
                    let pair = pair_index(bytes[start], second);
                    self.first_pairs[pair / 64] & 1 << (pair % 64) != 0
                })
                || out.last().is_some_and(|last| start < last.end)
                || !boundary_before(text, start)
            {
                continue;
            }
            let mut longest: Option<(usize, &Entry)> = None;
            let mut state = begin;
            for (end, &byte) in (start + 1..).zip(&bytes[start..]) {
                state = automaton.next_state(Anchored::Yes, state, byte);
                if !automaton.is_special(state) {
                    continue;
                }
                if automaton.is_dead(state) {
                    break;
                }
                if !automaton.is_match(state) {
                    continue;
                }
                // A state's matches may include names that are suffixes of the path walked, which
                // start later: only the one that starts here is this start's.
                let here = (0..automaton.match_len(state))
                    .map(|i| automaton.match_pattern(state, i))
                    .find(|&pattern| automaton.pattern_len(pattern) == end - start);
                let Some(pattern) = here else { continue };
                let entry = &self.entries[pattern.as_usize()];
                // The start's boundary was asked above.
                let acceptable = boundary_after(text, end)
                    && (entry.strength == Strength::Strong || careful_name_holds(text, start, end));
                if acceptable {
                    longest = Some((end, entry));
                }
            }
            if let Some((end, entry)) = longest {
                out.push(Found {
                    start,
                    end,
                    target: entry.target.clone(),
                    strength: entry.strength,
                });
            }
        }
        out
    }
}

/// The one entry a surface form stands for: the strongest claim, a sovereign state's over a
/// territory's; a form two targets still claim equally is no evidence for either, and is dropped.
fn resolve_claims(claims: Vec<Entry>) -> Option<Entry> {
    let strongest = claims.iter().map(|c| c.strength).min()?;
    let mut best: Vec<Entry> = claims
        .into_iter()
        .filter(|c| c.strength == strongest)
        .collect();
    if best.iter().any(|c| c.sovereign) {
        best.retain(|c| c.sovereign);
    }
    best.sort_by(|a, b| a.target.cmp(&b.target));
    best.dedup_by(|a, b| a.target == b.target);
    match best.len() {
        1 => best.pop(),
        _ => None,
    }
}

/// Plain names get an all-caps form for datelines ("MOSCOW"); abbreviations do not.
fn is_plain_name(name: &str) -> bool {
    name.chars().any(|c| c.is_lowercase())
}

/// Whether a name may end at `end`: no letter, digit or `_` after it. A name stands alone, though a
/// hyphen may touch it ("Russia-led").
fn boundary_after(text: &str, end: usize) -> bool {
    !text[end..]
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// A pair of bytes' place among the 65,536 pairs.
fn pair_index(first: u8, second: u8) -> usize {
    usize::from(first) << 8 | usize::from(second)
}

/// Whether a name may start at `start`: no letter, digit, `_` or `@` before it.
fn boundary_before(text: &str, start: usize) -> bool {
    let before = match start.checked_sub(1).map(|at| text.as_bytes()[at]) {
        None => return true,
        Some(byte) if byte.is_ascii() => char::from(byte),
        Some(_) => text[..start].chars().next_back().unwrap_or(' '),
    };
    !(before.is_alphanumeric() || before == '_' || before == '@')
}

/// Speech verbs after which a capitalised name is a person ("Hamilton said").
const SPEECH_AFTER_NAME: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "noted",
    "stressed",
    "warned",
    "argued",
    "insisted",
    "wrote",
    "explained",
    "claimed",
];

/// A city or weak name must not be part of a longer run of capitalised words ("Lewis Hamilton",
/// "Jordan Henderson"), must not start a sentence, and must not be the subject of a speech verb.
fn careful_name_holds(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    let joined_before = before.len() < start; // separated by spaces only
    if joined_before {
        if let Some(word) = before.rsplit(|c: char| c.is_whitespace()).next() {
            let previous_is_name = word.chars().next().is_some_and(char::is_uppercase)
                && word
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '.');
            if previous_is_name && !is_function_word(word) {
                return false;
            }
        }
    }
    let sentence_start = before.is_empty()
        || before.ends_with(['.', '!', '?', '"', '“', ':']) && !before.ends_with(" St.");
    if sentence_start {
        return false;
    }
    let after = &text[end..];
    if let Some(rest) = after.strip_prefix(' ') {
        let next = rest
            .split(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if next.chars().next().is_some_and(char::is_uppercase) || SPEECH_AFTER_NAME.contains(&next)
        {
            return false;
        }
    }
    true
}

/// Capitalised words that start sentences or titles but are not names ("In", "The", "President").
fn is_function_word(word: &str) -> bool {
    matches!(
        word,
        "In" | "The"
            | "At"
            | "On"
            | "From"
            | "To"
            | "For"
            | "Of"
            | "And"
            | "But"
            | "By"
            | "With"
            | "As"
            | "Near"
            | "Outside"
            | "Across"
            | "Into"
            | "Over"
            | "After"
            | "Before"
            | "Since"
            | "While"
            | "Both"
            | "Between"
            | "Like"
            | "Unlike"
            | "Via"
            | "Towards"
            | "Toward"
            | "Around"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(String, Target)> {
        let gazetteer = Gazetteer::new(ReferenceData::builtin(), &SiteNames::default());
        gazetteer
            .find(text)
            .into_iter()
            .map(|f| (text[f.start..f.end].to_string(), f.target))
            .collect()
    }

    fn country(code: &str) -> Target {
        Target::Country(code.into())
    }

    #[test]
    fn a_site_without_names_of_its_own_shares_the_prepared_gazetteer() {
        let data = ReferenceData::builtin();
        let site = SiteNames::default();
        let own = Gazetteer::new(data, &site);
        let text = "The UN Security Council met in New York; Russian-led CSTO troops left \
                    Yerevan. Michael Jordan said Georgia and the Kremlin, the US and the EU agreed.";
        assert!(own.find(text).len() >= 8);
        // Made once per process.
        let shared = Gazetteer::shared(data, &site);
        assert!(Arc::ptr_eq(&shared, &Gazetteer::shared(data, &site)));
        assert_eq!(shared.find(text), own.find(text));
    }

    /// The plain search the anchored walk replaced: every match anywhere, overlapping, the longest
    /// acceptable one at each start, then leftmost-longest.
    fn found_by_overlapping_search(
        gazetteer: &Gazetteer,
        automaton: &aho_corasick::AhoCorasick,
        text: &str,
    ) -> Vec<Found> {
        let mut best: BTreeMap<usize, Found> = BTreeMap::new();
        for found in automaton.find_overlapping_iter(text) {
            let (start, end) = (found.start(), found.end());
            let entry = &gazetteer.entries[found.pattern().as_usize()];
            let acceptable = boundary_before(text, start)
                && boundary_after(text, end)
                && (entry.strength == Strength::Strong || careful_name_holds(text, start, end));
            if acceptable && best.get(&start).is_none_or(|b| end > b.end) {
                let (target, strength) = (entry.target.clone(), entry.strength);
                best.insert(
                    start,
                    Found {
                        start,
                        end,
                        target,
                        strength,
                    },
                );
            }
        }
        let mut out: Vec<Found> = Vec::new();
        for found in best.into_values() {
            if out.last().is_none_or(|last| found.start >= last.end) {
                out.push(found);
            }
        }
        out
    }

    #[test]
    fn the_anchored_walk_finds_what_a_search_everywhere_finds() {
        let data = ReferenceData::builtin();
        let site = SiteNames::default();
        let gazetteer = Gazetteer::new(data, &site);
        // Texts of names (some cut short, some run together), words, joiners and other scripts.
        let names: Vec<&str> = gazetteer.patterns.iter().map(String::as_str).collect();
        let everywhere = aho_corasick::AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&names)
            .expect("the patterns compile");
        let others = [
            " ", " ", ", ", ". ", "-", "'s ", "_", "@", "\"", "(", "é", "Ü", "said ", "the ",
            "The ", "Michael ", "in ", "new", "x", "2", "“",
        ];
        let mut seed = 0x2f6b_1d3a_u32;
        let mut below = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..below(12) {
                if below(2) == 0 {
                    let name = names[below(names.len())];
                    let cut = name
                        .char_indices()
                        .map(|(at, _)| at)
                        .nth(below(8))
                        .unwrap_or(0);
                    text.push_str(if below(4) == 0 && cut > 0 {
                        &name[..cut]
                    } else {
                        name
                    });
                } else {
                    text.push_str(others[below(others.len())]);
                }
            }
            let expected = found_by_overlapping_search(&gazetteer, &everywhere, &text);
            assert_eq!(gazetteer.find(&text), expected, "{text:?}");
        }
    }

    #[test]
    fn finds_names_adjectives_capitals_and_cities() {
        assert_eq!(
            names("The Armenian-Azerbaijani border; Russia-led bloc met in Samarkand, not MOSCOW."),
            [
                ("Armenian".into(), country("ARM")),
                ("Azerbaijani".into(), country("AZE")),
                ("Russia".into(), country("RUS")),
                ("Samarkand".into(), country("UZB")),
                ("MOSCOW".into(), country("RUS")),
            ]
        );
    }

    #[test]
    fn case_and_boundaries_matter() {
        assert!(names("Let us go to the museum in Prussia.").is_empty());
        assert_eq!(names("the US and Türkiye")[0].1, country("USA"));
        assert_eq!(names("the US and Türkiye")[1].1, country("TUR"));
    }

    #[test]
    fn cities_inside_names_are_not_places() {
        assert!(names("driver Lewis Hamilton won").is_empty());
        assert!(names("as Houston said on Monday").is_empty());
        assert_eq!(names("a rally in Houston, Texas").len(), 1);
    }
}
