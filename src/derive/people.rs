//! People named in an article: runs of capitalised name words that news marks as a person: a role
//! before them ("Russian presidential aide Yury Ushakov", "President of the Russian Federation
//! Vladimir Vladimirovich Putin"), a courtesy title ("Ms Hewitt"), a speech verb ("Nikol Pashinyan
//! emphasized", "said Jane Doe"), or an appositive ("Yuri Veselov, military observer"). The role
//! words give the person's role, country and organisation. Later mentions by surname resolve to the
//! person within the article.

use std::borrow::Cow;
use std::collections::HashSet;

use super::gazetteer::{Found, Target};
use super::language::{self, is_name_token, Gender, Word};
use super::name_key;
use super::text::{ArticleText, BlockKind, Sentences};

/// A person as one article names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPerson {
    /// The fullest name the article gives (patronymics dropped: "Vladimir Putin").
    pub name: String,
    pub role: Option<String>,
    /// ISO alpha-3 of the country the role words name.
    pub country: Option<String>,
    /// The organisation the role words name.
    pub organisation: Option<String>,
    /// Whether only a surname is known ("President Putin").
    pub surname_only: bool,
    /// What a courtesy title before a mention says ("Mr Blair", "Baroness Kennedy").
    pub gender: Option<Gender>,
}

impl LocalPerson {
    /// The family name (see [`family_name`]); a surname-only person's whole name.
    pub fn surname(&self) -> &str {
        if self.surname_only {
            &self.name
        } else {
            family_name(&self.name)
        }
    }
}

/// The family name of a full name: from a particle after the given name on ("Ursula von der
/// Leyen" is Ms von der Leyen, "Nick Van den Brul" Mr Van den Brul), else the last word. A royal
/// has none: "Prince Charles" is the whole name, and no Mr Charles is him.
pub fn family_name(name: &str) -> &str {
    if is_royal_name(name) {
        return name;
    }
    let mut at = 0;
    for (k, word) in name.split(' ').enumerate() {
        if k > 0 && language::is_name_particle(word) {
            return &name[at..];
        }
        at += word.len() + 1;
    }
    name.rsplit(' ').next().unwrap_or(name)
}

/// Whether `name` is a royal's: a royal title and a given name ("Prince Charles").
pub fn is_royal_name(name: &str) -> bool {
    name.split_once(' ')
        .is_some_and(|(title, _)| language::is_royal_title(title))
}

/// How many words of `name` are names: a particle is none ("Van den Brul" is one surname), unless
/// it starts the name with a capital before a name word ("Al Gore", "Van Morrison").
pub fn name_word_count(name: &str) -> usize {
    let words: Vec<&str> = name.split(' ').collect();
    (0..words.len())
        .filter(|&k| {
            let particle = language::is_name_particle(words[k]);
            let lowercase = words[k].starts_with(|c: char| c.is_lowercase());
            let before_particle = words
                .get(k + 1)
                .is_some_and(|w| language::is_name_particle(w));
            !particle || (!lowercase && !before_particle)
        })
        .count()
}

/// Role nouns that mean "the one at the head of it", whatever the exact title.
const HEAD_NOUNS: &[&str] = &["chief", "head", "leader", "boss"];
const HEAD_ROLES: &[&str] = &[
    "secretary-general",
    "secretary general",
    "president",
    "chairman",
    "chairwoman",
    "chair",
    "head",
    "chief",
    "leader",
    "prime minister",
    "director",
    "director-general",
    "commissioner",
    "king",
    "queen",
    "emir",
];

/// One mention of a person, by byte offsets in a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonMention {
    pub block: usize,
    pub start: usize,
    pub end: usize,
    /// Index into the article's people.
    pub person: usize,
    /// Whether the person is the subject here: they start the sentence, or a speech verb follows
    /// in the sentence with no other person between ("Gerry Conlon - who ... - said"). "He" in the
    /// next sentences most likely means them.
    pub subject: bool,
}

/// The people of one article and where they are mentioned, in text order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArticlePeople {
    pub people: Vec<LocalPerson>,
    pub mentions: Vec<PersonMention>,
}

/// The names the site already knows as people (its notes' names and aliases), by their
/// [`name_key`]: made once per set of notes, asked of every cued run of name words.
#[derive(Debug, Default)]
pub struct KnownPeople {
    keys: HashSet<String>,
}

impl KnownPeople {
    pub fn new(names: &[String]) -> KnownPeople {
        KnownPeople {
            keys: names.iter().map(|name| name_key(name)).collect(),
        }
    }

    /// Whether `name` is one of the known names, by their [`name_key`]s.
    fn knows(&self, name: &str) -> bool {
        !self.keys.is_empty() && self.keys.contains(&name_key(name))
    }
}

/// Finds the people in `text`. `places` holds the gazetteer's finds per block; `known` are names the
/// site already knows as people (notes, other articles); `excluded` are names never to take (the
/// article's author).
pub fn find_people(
    text: &ArticleText,
    sentences: &Sentences,
    places: &[Vec<Found>],
    known: &KnownPeople,
    excluded: &[String],
) -> ArticlePeople {
    let mut found = ArticlePeople::default();
    // The keys of names taken on a speech verb alone and on no other cue (few: most articles none).
    let mut tentative_keys: Vec<String> = Vec::new();
    // Names are compared by their keys (`name_key`), each made once: the excluded names', and
    // each person's, beside `found.people`.
    let excluded: Vec<String> = excluded.iter().map(|name| name_key(name)).collect();
    let mut keys: Vec<String> = Vec::new();
    // Each block's words, split once for every pass. Parentheses never fall inside a word, so the
    // words of the text with them read as spaces are the words of the text itself.
    let cleaned: Vec<Cow<str>> = text
        .blocks
        .iter()
        .map(|block| without_parentheses(&block.text))
        .collect();
    let blocks: Vec<BlockWords> = cleaned
        .iter()
        .zip(places)
        .map(|(clean, places)| BlockWords::of(clean, places))
        .collect();
    // First pass: cued names. Second pass: surnames and full names of people already found.
    for (block_index, block) in blocks.iter().enumerate() {
        let (clean, words, masked) = (block.clean, &block.words, &block.masked);
        let mut i = 0;
        while i < words.len() {
            let Some(run_end) = name_run(block, i) else {
                i += 1;
                continue;
            };
            // "Singer Lena Marsh said": the first of three name words may describe the person.
            let described = run_end - i == 3
                && describes_the_name_after(text, block, i)
                && !title_before(clean, words, i)
                && words[i..run_end]
                    .iter()
                    .all(|w| !language::is_initial(w.text) && !language::is_name_particle(w.text));
            let start = if described { i + 1 } else { i };
            let run = &words[start..run_end];
            let cue = cue_for(
                clean,
                words,
                masked,
                &places[block_index],
                start,
                run_end,
                known,
            );
            let institution = institution_follows(block, run_end) || company_precedes(block, start);
            if let Some(cue) = cue.filter(|_| !institution) {
                let mut name = person_name(run);
                // Counted without an initial or a suffix: "Mullen Jr" is a surname alone, and so
                // is a family name with its particle after a title ("Mr Le Pen", "Ms von der
                // Leyen").
                let mut name_words = name_word_count(&name);
                if title_before(clean, words, start) && language::is_name_particle(run[0].text) {
                    name_words = name
                        .split(' ')
                        .filter(|w| !language::is_name_particle(w))
                        .count();
                }
                // A royal goes by a given name and the title before it, which is their name:
                // "Prince Charles" is no Mr Charles, and no Charles Kennedy.
                let alone = name_words == 1 && cue.allows_surname;
                if let Some(title) = royal_title_before(block, start).filter(|_| alone) {
                    name = format!("{title} {name}");
                    name_words = 2;
                }
                let key = name_key(&name);
                let is_excluded = excluded.contains(&key);
                // "Neville admitted": a surname with nothing but a speech verb, kept only if the
                // article gives a full name for it ("Gary Neville", perhaps inside a quotation).
                let tentative = name_words == 1 && !cue.allows_surname && cue.speech_only;
                if tentative {
                    if !is_excluded && !keys.contains(&key) {
                        tentative_keys.push(key.clone());
                    }
                } else if !tentative_keys.is_empty() && (name_words >= 2 || cue.allows_surname) {
                    tentative_keys.retain(|k| *k != key);
                }
                if !is_excluded && (name_words >= 2 || cue.allows_surname || tentative) {
                    let person = found.add(
                        LocalPerson {
                            name,
                            role: cue.role,
                            country: cue.country,
                            organisation: cue.organisation,
                            surname_only: name_words == 1,
                            gender: cue.gender,
                        },
                        key,
                        &mut keys,
                    );
                    found.mentions.push(PersonMention {
                        block: block_index,
                        start: run[0].start,
                        end: run[run.len() - 1].end,
                        person,
                        subject: false,
                    });
                }
            }
            i = run_end;
        }
    }
    let tentative = |key: &str| tentative_keys.iter().any(|k| k == key);
    found.resolve_surnames(tentative);
    found.name_surnames_from_text(text, &blocks);
    found.drop_unnamed_surnames(tentative);
    found.find_later_mentions(&blocks);
    found.mentions.sort_by_key(|m| (m.block, m.start));
    found.find_role_mentions(text, &blocks, places);
    found.mentions.sort_by_key(|m| (m.block, m.start));
    found.mentions.dedup_by_key(|m| (m.block, m.start));
    found.mark_subjects(text, sentences);
    found
}

impl ArticlePeople {
    /// Adds a person, merging with one already found under the same name. `key` is the name's
    /// [`name_key`], and `keys` those of the people so far.
    fn add(&mut self, person: LocalPerson, key: String, keys: &mut Vec<String>) -> usize {
        if let Some(index) = keys.iter().position(|k| *k == key) {
            let existing = &mut self.people[index];
            existing.role = existing.role.take().or(person.role);
            existing.country = existing.country.take().or(person.country);
            existing.organisation = existing.organisation.take().or(person.organisation);
            existing.gender = existing.gender.or(person.gender);
            return index;
        }
        self.people.push(person);
        keys.push(key);
        self.people.len() - 1
    }

    /// A surname-only person ("President Putin") is the full-named person of the article with that
    /// surname, when there is exactly one. A word taken on a speech verb alone (its name key
    /// `tentative`) is only ever a family name: "Haile told reporters" after "Prince Haile" and
    /// "Haile Mekonnen Worku" may be either, and is left to the speaker's resolution.
    fn resolve_surnames(&mut self, tentative: impl Fn(&str) -> bool) {
        let mut map: Vec<usize> = (0..self.people.len()).collect();
        if !self.people.iter().any(|p| p.surname_only) {
            return;
        }
        // Each person's family name, made once (the loop below changes no name).
        let family_names: Vec<String> = self
            .people
            .iter()
            .map(|p| p.surname().to_string())
            .collect();
        #[allow(clippy::needless_range_loop)] // `map` and `people` are indexed together
        for index in 0..self.people.len() {
            if !self.people[index].surname_only {
                continue;
            }
            let surname = self.people[index].name.clone();
            // "Mr Hale" is not the Anne Hale a "Ms Anne Hale" named. A full name with no title
            // of its own takes the gender of the first titled surname that joins it.
            let gender = self.people[index].gender;
            let fits = |other: &LocalPerson| {
                !other.surname_only && gender.zip(other.gender).is_none_or(|(a, b)| a == b)
            };
            let mut full: Vec<usize> = (0..self.people.len())
                .filter(|&j| fits(&self.people[j]) && family_names[j] == surname)
                .collect();
            // A name other than the family name is someone else's where the roles differ:
            // "Prince Charles" is not Charles Kennedy, the Liberal Democrat leader.
            let role = self.people[index].role.as_deref();
            let same_role = |other: &LocalPerson| {
                let head = |r: &str| r.rsplit(' ').next().unwrap_or(r).to_lowercase();
                role.zip(other.role.as_deref())
                    .is_none_or(|(a, b)| head(a) == head(b))
            };
            let by_family_name_only = tentative(&name_key(&surname));
            if full.is_empty() && !by_family_name_only {
                // Knights and peers go by their first name ("Sir Alan" for Sir Alan Budd).
                full = (0..self.people.len())
                    .filter(|&j| {
                        fits(&self.people[j])
                            && same_role(&self.people[j])
                            && self.people[j].name.split(' ').next() == Some(surname.as_str())
                    })
                    .collect();
            }
            if full.is_empty() && !by_family_name_only && !surname.contains(' ') {
                // Some go by one name of several ("President Lula" for Luiz Inacio Lula da Silva).
                full = (0..self.people.len())
                    .filter(|&j| {
                        fits(&self.people[j])
                            && same_role(&self.people[j])
                            && self.people[j].name.split(' ').any(|w| w == surname)
                    })
                    .collect();
            }
            if let [target] = full[..] {
                map[index] = target;
                let (role, country, organisation) = {
                    let p = &self.people[index];
                    (p.role.clone(), p.country.clone(), p.organisation.clone())
                };
                let target = &mut self.people[target];
                target.gender = target.gender.or(gender);
                target.role = target.role.take().or(role);
                target.country = target.country.take().or(country);
                target.organisation = target.organisation.take().or(organisation);
            }
        }
        self.renumber(&map);
    }

    /// A surname-only person whom no cued full name matched takes the full name the text gives them
    /// elsewhere without a cue ("Andy Clarke, ERAA director" then "Mr Clarke said"), when it gives
    /// exactly one: the site must not take them for the better-known Charles Clarke.
    fn name_surnames_from_text(&mut self, text: &ArticleText, blocks: &[BlockWords<'_>]) {
        let unresolved: Vec<usize> = (0..self.people.len())
            .filter(|&i| self.people[i].surname_only)
            .collect();
        if unresolved.is_empty() {
            return;
        }
        // The full names the article gives each unresolved surname, in one pass over the words.
        let mut names: Vec<Vec<String>> = vec![Vec::new(); unresolved.len()];
        // Headlines capitalise every word: "End Bush 'denial'" names no one.
        let prose =
            |b: usize| !matches!(text.blocks[b].kind, BlockKind::Title | BlockKind::Heading);
        for (b, block) in blocks.iter().enumerate().filter(|&(b, _)| prose(b)) {
            let words = &block.words;
            for (k, word) in words.iter().enumerate().skip(1) {
                // A surname is capitalised: most words need no comparison.
                if !starts_upper(word.text) {
                    continue;
                }
                let token = strip_possessive(word.text);
                let Some(n) = unresolved
                    .iter()
                    .position(|&i| self.people[i].name == token)
                else {
                    continue;
                };
                // Where the name goes on ("Luiz Inacio Lula da Silva"), the word is not its last.
                // ("Clint Eastwood's Million Dollar Baby" ends it with the possessive.)
                let goes_on = token.len() == word.text.len()
                    && words.get(k + 1).is_some_and(|next| {
                        block.clean[word.end..next.start] == *" "
                            && (block.name_token[k + 1] || language::is_name_particle(next.text))
                    });
                // "Aston Villa's David O'Leary": whose a person is, not a person.
                let owns_someone = token.len() < word.text.len()
                    && words.get(k + 1).is_some_and(|next| {
                        self.mentions
                            .iter()
                            .any(|m| m.block == b && m.start == next.start)
                    });
                if goes_on || owns_someone {
                    continue;
                }
                // Back over up to two given names joined by spaces: "Andy Clarke".
                let mut start = k;
                while start > 0
                    && k - start < 2
                    && block.name_token[start - 1]
                    && !block.masked[start - 1]
                    && block.clean[words[start - 1].end..words[start].start] == *" "
                    && strip_possessive(words[start - 1].text) == words[start - 1].text
                {
                    start -= 1;
                }
                // "Actor Keanu Reeves said": the first of three name words may describe the person.
                if k - start == 2 && describes_the_name_after(text, block, start) {
                    start += 1;
                }
                if start < k {
                    let name = person_name(&words[start..=k]);
                    if !names[n].contains(&name) {
                        names[n].push(name);
                    }
                }
            }
        }
        for (&index, names) in unresolved.iter().zip(&names) {
            // A name the article already gives a person did not fit this one (a title of the
            // other gender): it is not theirs.
            let taken = |name: &String| {
                self.people
                    .iter()
                    .any(|p| name_key(&p.name) == name_key(name))
            };
            if let [name] = &names[..] {
                if !taken(name) {
                    self.people[index].name = name.clone();
                    self.people[index].surname_only = false;
                }
            }
        }
    }

    /// Drops the people still known by a surname alone whose name key `tentative` holds, with
    /// their mentions: a word before a speech verb that the article never gives a full name for
    /// ("Sony said") is no one.
    fn drop_unnamed_surnames(&mut self, tentative: impl Fn(&str) -> bool) {
        let dropped: Vec<bool> = self
            .people
            .iter()
            .map(|p| p.surname_only && tentative(&name_key(&p.name)))
            .collect();
        if dropped.contains(&true) {
            self.compact(|i| (!dropped[i]).then_some(i));
        }
    }

    /// Merges each person into the person `map` gives (itself to stay).
    fn renumber(&mut self, map: &[usize]) {
        self.compact(|i| Some(map[i]));
    }

    /// Keeps the people whom `target` maps to themselves; moves the mentions of the others to
    /// whom it maps them, or drops them where it maps them to no one.
    fn compact(&mut self, target: impl Fn(usize) -> Option<usize>) {
        let kept: Vec<usize> = (0..self.people.len())
            .filter(|&i| target(i) == Some(i))
            .collect();
        self.mentions.retain(|m| target(m.person).is_some());
        for mention in &mut self.mentions {
            let to = target(mention.person).expect("kept above");
            mention.person = kept
                .iter()
                .position(|&k| k == to)
                .expect("mapped to a kept person");
        }
        let people = std::mem::take(&mut self.people);
        self.people = people
            .into_iter()
            .enumerate()
            .filter(|(i, _)| target(*i) == Some(*i))
            .map(|(_, p)| p)
            .collect();
    }

    /// The person whose role the role nouns name ("chief", "prime minister"), qualified by a country
    /// or organisation when given; when several fit, the one mentioned last before `before`.
    pub fn by_role(
        &self,
        role_nouns: &[&str],
        qualifier: Option<&Target>,
        before: (usize, usize),
    ) -> Option<usize> {
        // A capitalised institution word alone is a body: "the Executive" (Scotland's
        // government) is no chief executive.
        let a_body = matches!(role_nouns, [noun] if language::INSTITUTION_WORDS.contains(noun));
        if role_nouns.is_empty() || a_body {
            return None;
        }
        let fits = |person: &LocalPerson| {
            let role = person.role.as_deref().unwrap_or("").to_lowercase();
            let role_fits = role_nouns.iter().all(|noun| {
                let noun = noun.to_lowercase();
                role.contains(&noun)
                    || HEAD_NOUNS.contains(&noun.as_str())
                        && HEAD_ROLES.iter().any(|r| role.contains(r))
            });
            let qualifier_fits = match qualifier {
                Some(Target::Country(code)) => person.country.as_deref() == Some(code),
                Some(Target::Organisation(id)) => person.organisation.as_deref() == Some(id),
                None => true,
            };
            !role.is_empty() && role_fits && qualifier_fits
        };
        let candidates: Vec<usize> = (0..self.people.len())
            .filter(|&i| fits(&self.people[i]))
            .collect();
        match candidates[..] {
            [] => None,
            [only] => Some(only),
            _ => self
                .mentions
                .iter()
                .rfind(|m| candidates.contains(&m.person) && (m.block, m.start) <= before)
                .map(|m| m.person),
        }
    }

    /// Later mentions by role: "the CSTO chief", "the Armenian prime minister".
    fn find_role_mentions(
        &mut self,
        text: &ArticleText,
        blocks: &[BlockWords<'_>],
        places: &[Vec<Found>],
    ) {
        // A role names only a person with one (`by_role`): without such a person, none.
        if self.people.iter().all(|p| p.role.is_none()) {
            return;
        }
        let mut found = Vec::new();
        for (block_index, block) in text.blocks.iter().enumerate() {
            let words = &blocks[block_index].words;
            for (i, word) in words.iter().enumerate() {
                if !word.text.eq_ignore_ascii_case("the") {
                    continue;
                }
                // The words after "the": country or organisation names and role words.
                let mut qualifier = None;
                let mut role_nouns = Vec::new();
                let mut end = i + 1;
                while end < words.len()
                    && end - i <= 4
                    && block.text[words[end - 1].end..words[end].start]
                        .trim()
                        .is_empty()
                {
                    let w = words[end];
                    let place = places[block_index]
                        .iter()
                        .find(|p| p.start <= w.start && w.end <= p.end);
                    if let Some(place) = place {
                        qualifier = qualifier.or(Some(&place.target));
                    } else if language::is_role_noun(w.text) {
                        role_nouns.push(w.text);
                    } else if !language::is_role_modifier(w.text) {
                        break;
                    }
                    end += 1;
                }
                if role_nouns.is_empty()
                    || !words
                        .get(end - 1)
                        .is_some_and(|w| language::is_role_noun(w.text))
                {
                    continue;
                }
                if let Some(person) =
                    self.by_role(&role_nouns, qualifier, (block_index, word.start))
                {
                    found.push(PersonMention {
                        block: block_index,
                        start: words[i + 1].start,
                        end: words[end - 1].end,
                        person,
                        subject: false,
                    });
                }
            }
        }
        self.mentions.extend(found);
    }

    /// Marks the mentions where the person is the subject of the sentence. The mentions are in
    /// text order.
    fn mark_subjects(&mut self, text: &ArticleText, sentences: &Sentences) {
        // The search for the next person in a sentence stops at the sentence's end: in text order.
        debug_assert!(self.mentions.is_sorted_by_key(|m| (m.block, m.start)));
        let mentions = self.mentions.clone();
        for (index, mention) in self.mentions.iter_mut().enumerate() {
            let block = &text.blocks[mention.block].text;
            let starts = sentences.starts(mention.block);
            let sentence_start = starts
                .iter()
                .copied()
                .filter(|&s| s <= mention.start)
                .max()
                .unwrap_or(0);
            let sentence_end = starts
                .iter()
                .copied()
                .find(|&s| s > mention.start)
                .unwrap_or(block.len());
            let before = block[sentence_start..mention.start].trim();
            let opens = before.is_empty()
                || matches!(
                    before.trim_end_matches(','),
                    "But"
                        | "And"
                        | "However"
                        | "Meanwhile"
                        | "Earlier"
                        | "Later"
                        | "Now"
                        | "Yet"
                        | "So"
                        | "Mr"
                        | "Mrs"
                        | "Ms"
                        | "Dr"
                        | "Sir"
                        | "Lord"
                        | "Lady"
                        | "Prof"
                );
            // The next person mentioned in the same sentence, if any, bounds the search for a verb.
            // The mentions are in text order: those of the rest of the sentence come next.
            let next_person = mentions
                .iter()
                .skip(index + 1)
                .take_while(|m| m.block == mention.block && m.start < sentence_end)
                .find(|m| m.person != mention.person)
                .map_or(sentence_end, |m| m.start);
            let after = &block[mention.end..next_person.max(mention.end)];
            let speaks = language::any_of_first_words(after, 20, language::is_speech_verb);
            mention.subject = opens || speaks;
        }
    }

    /// Every later occurrence of a found person's full name or surname is a mention.
    fn find_later_mentions(&mut self, blocks: &[BlockWords<'_>]) {
        // A name's last word stands for it: a family name's last ("Le Pen" said, "Leyen"), or
        // a royal's given name ("Prince Charles" ... Charles), which is someone else's where
        // another name word follows ("Charles Kennedy").
        let last_words: Vec<&str> = self
            .people
            .iter()
            .map(|p| p.name.rsplit(' ').next().unwrap_or(&p.name))
            .collect();
        let royal: Vec<bool> = self.people.iter().map(|p| is_royal_name(&p.name)).collect();
        for (block_index, block) in blocks.iter().enumerate() {
            let words = &block.words;
            for (i, word) in words.iter().enumerate() {
                if !block.name_token[i] {
                    continue;
                }
                let token = strip_possessive(word.text);
                let name_follows = block.name_token.get(i + 1) == Some(&true)
                    && block.clean[word.end..words[i + 1].start].trim().is_empty();
                let matches: Vec<usize> = (0..last_words.len())
                    .filter(|&p| last_words[p] == token && !(royal[p] && name_follows))
                    .collect();
                if let [person] = matches[..] {
                    // Extend back over the given names when the full name is written.
                    let mut start = word.start;
                    let given: Vec<&str> = self.people[person].name.split(' ').collect();
                    if given.len() >= 2 && i > 0 && words[i - 1].text == given[given.len() - 2] {
                        start = words[i - 1].start;
                    }
                    let end = word.start + token.len();
                    self.mentions.push(PersonMention {
                        block: block_index,
                        start,
                        end,
                        person,
                        subject: false,
                    });
                }
            }
        }
    }
}

/// A block's text with parentheses read as spaces, its words, which of them are places, and which
/// are name tokens: every pass asks the same of each word.
struct BlockWords<'a> {
    clean: &'a str,
    words: Vec<Word<'a>>,
    masked: Vec<bool>,
    /// Whether each word, possessive stripped, is a name token ([`is_name_token`]) and no place.
    name_token: Vec<bool>,
}

impl<'a> BlockWords<'a> {
    fn of(clean: &'a str, places: &[Found]) -> BlockWords<'a> {
        let words = language::words(clean);
        let masked = masked_words(&words, places);
        let name_token = words
            .iter()
            .zip(&masked)
            .map(|(word, &masked)| {
                // Most words start with a lower-case ASCII letter, and are no name whatever
                // follows (is_name_token's first test, made here before the suffix is looked at).
                let lower_start = word.text.as_bytes()[0].is_ascii_lowercase();
                !masked && !lower_start && is_name_token(strip_possessive(word.text))
            })
            .collect();
        BlockWords {
            clean,
            words,
            masked,
            name_token,
        }
    }
}

/// Parentheses around parts of a name ("(Russian President) Vladimir (Putin)") read as spaces, which
/// keeps every byte offset. Most blocks have none, and are borrowed as they are.
fn without_parentheses(text: &str) -> Cow<'_, str> {
    if memchr::memchr2(b'(', b')', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    // One ASCII byte for another keeps the text UTF-8.
    let mut bytes = text.as_bytes().to_vec();
    for at in memchr::memchr2_iter(b'(', b')', text.as_bytes()) {
        bytes[at] = b' ';
    }
    Cow::Owned(String::from_utf8(bytes).expect("ASCII bytes replaced by an ASCII byte"))
}

/// Which words the gazetteer already took as places or organisations: one walk over the words and
/// the places' spans (merged where they overlap) side by side, both in text order.
fn masked_words(words: &[Word<'_>], places: &[Found]) -> Vec<bool> {
    let mut spans: Vec<(usize, usize)> = places.iter().map(|p| (p.start, p.end)).collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    let mut next = 0;
    words
        .iter()
        .map(|w| {
            // Spans that end before this word ends before every later word too.
            while next < merged.len() && merged[next].1 <= w.start {
                next += 1;
            }
            merged
                .get(next)
                .is_some_and(|&(start, end)| start < w.end && w.start < end)
        })
        .collect()
}

/// The end (exclusive) of a run of up to four name tokens starting at `i`, joined by spaces only.
fn name_run(block: &BlockWords<'_>, i: usize) -> Option<usize> {
    let (text, words, masked) = (block.clean, &block.words, &block.masked);
    let ok = |j: usize| block.name_token[j];
    // A word that is no name word starts a name only after a title ("Mrs May", "Ms von der
    // Leyen") or as "Bill": most words are none of these, and are turned away first.
    let after_title = title_before(text, words, i);
    if !ok(i) && !after_title && !language::is_institution_given_name(words[i].text) {
        return None;
    }
    // A month is a surname after a given name or a title: "Theresa May", "Mrs May", "Brian May".
    let month_surname =
        |j: usize| !masked[j] && language::is_month_surname(strip_possessive(words[j].text));
    // So is a place of one word right after a title: peers take their titles from places
    // ("Baroness Scotland", "Lord Hamilton"), and "Mr Jordan" is no country. "Miss England" is a
    // beauty queen's title, and "Miss New Zealand" no "New".
    let place_surname = |j: usize| {
        let place_goes_on = masked.get(j + 1) == Some(&true)
            && text[words[j].end..words[j + 1].start].trim().is_empty();
        masked[j]
            && !place_goes_on
            && words[j - 1].text != "Miss"
            && language::is_name_token(strip_possessive(words[j].text))
    };
    // "at Windsor Castle" is a place.
    let at_a_place = i > 0
        && language::is_place_preposition(words[i - 1].text)
        && gap(text, words, i - 1).trim().is_empty();
    // A title that is also a surname ends a name: "Mervyn King said", "Mr King", but "King
    // Abdullah" and "Hans Christian Andersen".
    let title_surname = |j: usize| {
        let name_goes_on = block.name_token.get(j + 1) == Some(&true)
            && text[words[j].end..words[j + 1].start].trim().is_empty();
        let word = strip_possessive(words[j].text);
        let a_building = at_a_place && language::is_building_surname(word);
        !masked[j] && !name_goes_on && !a_building && language::is_title_surname(word)
    };
    // A family name with its particle after a title: "Ms von der Leyen", "Mr de Villiers".
    let particles_from = |j: usize| {
        (j..words.len().min(j + 2))
            .take_while(|&k| language::is_name_particle(words[k].text))
            .take_while(|&k| k == j || text[words[k - 1].end..words[k].start].trim().is_empty())
            .count()
    };
    // "Bill Gates": a given name that is also an institution word, right before a name word.
    let given_start = !masked[i]
        && language::is_institution_given_name(words[i].text)
        && i + 1 < words.len()
        && text[words[i].end..words[i + 1].start].trim().is_empty()
        && ok(i + 1);
    let lead = if after_title { particles_from(i) } else { 0 };
    let particle_start = lead > 0
        && i + lead < words.len()
        && text[words[i + lead - 1].end..words[i + lead].start]
            .trim()
            .is_empty()
        && ok(i + lead);
    if !(ok(i)
        || given_start
        || particle_start
        || after_title && (month_surname(i) || place_surname(i) || title_surname(i)))
    {
        return None;
    }
    let joined = |j: usize| {
        text[words[j - 1].end..words[j].start].trim().is_empty()
            && !words[j - 1].text.ends_with("'s")
    };
    // Particles join a family name's words and do not count among the four: "Nick Van den Brul",
    // "Luiz Inacio Lula da Silva".
    // Lowercase particles at word `j` with a name word after them: how many.
    let particles_before_name = |j: usize| {
        let n = particles_from(j);
        (n > 0
            && joined(j)
            && words[j].text.starts_with(|c: char| c.is_lowercase())
            && j + n < words.len()
            && joined(j + n)
            && ok(j + n))
        .then_some(n)
    };
    let mut end = if particle_start { i + lead + 1 } else { i + 1 };
    let mut names = 1;
    while end < words.len() && names < 4 && joined(end) {
        if ok(end) || month_surname(end) || title_surname(end) {
            end += 1;
            names += 1;
        } else if let Some(particles) = particles_before_name(end) {
            end += particles + 1;
            names += 1;
        } else if language::is_initial(words[end].text)
            && end + 1 < words.len()
            && end + 1 - i < 4
            && ok(end + 1)
            && matches!(text[words[end].end..words[end + 1].start].trim(), "" | ".")
        {
            // A middle initial, with or without its full stop: "George W. Bush".
            end += 2;
            names += 2;
        } else if language::is_name_suffix(words[end].text) {
            end += 1;
            break;
        } else {
            break;
        }
    }
    Some(end)
}

/// Whether the run of name words ending before word `end` goes on into an institution's name:
/// "the Economist Intelligence Unit", "Chief Operating Officer", "the Transport and General
/// Worker's Union" name no one.
fn institution_follows(block: &BlockWords<'_>, end: usize) -> bool {
    let Some(next) = block.words.get(end) else {
        return false;
    };
    starts_upper(next.text)
        && block.clean[block.words[end - 1].end..next.start]
            .trim()
            .is_empty()
        && (language::INSTITUTION_WORDS.contains(next.text) || is_capitalised_role_noun(next.text))
}

/// Whether word `k` of the block, before two name words, describes the person they name
/// ("Singer Pete Doherty"): it opens a sentence, where any word is capitalised, and reads as a
/// common word ([`reads_as_common_word`]), not a given name ("Recep Tayyip Erdogan").
fn describes_the_name_after(text: &ArticleText, block: &BlockWords<'_>, k: usize) -> bool {
    opens_sentence(block, k) && reads_as_common_word(text, block.words[k].text)
}

/// Whether `word`, capitalised where it opens a sentence, reads as a common word: one with the
/// ending of a word for an occupation or a people ("Singer", "Actress", "Comedian", "Journalist",
/// "Referee", "Corkman"), or one the article writes in lower case elsewhere. A given name
/// ("Recep", "Tedros", "Hans") is neither, most often. Asked rarely.
fn reads_as_common_word(text: &ArticleText, word: &str) -> bool {
    const ENDINGS: [&str; 9] = ["er", "or", "ist", "ess", "ian", "ee", "ant", "man", "ent"];
    let lower = word.to_lowercase();
    if lower == word || lower.len() >= 5 && ENDINGS.iter().any(|e| lower.ends_with(e)) {
        return true;
    }
    let finder = memchr::memmem::Finder::new(lower.as_bytes());
    text.blocks.iter().any(|block| {
        let haystack = block.text.as_bytes();
        finder.find_iter(haystack).any(|at| {
            let before = block.text[..at].chars().next_back();
            let after = block.text[at + lower.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
    })
}

/// Whether word `k` of the block opens a sentence ([`language::sentence_starts`]: not after an
/// abbreviation, "Dr." or "Sen.", nor after a quotation's closing mark in mid-sentence), perhaps
/// behind an opening quotation mark. Asked rarely: the sentences are found when asked.
fn opens_sentence(block: &BlockWords<'_>, k: usize) -> bool {
    let at = block.words[k].start;
    language::sentence_starts(block.clean).iter().any(|&start| {
        start == at
            || start < at
                && block.clean[start..at]
                    .chars()
                    .all(|c| matches!(c, '"' | '“' | '‘' | '\''))
    })
}

/// The royal title right before the run of name words at word `start` ("Prince", "Queen"), if any.
fn royal_title_before<'a>(block: &BlockWords<'a>, start: usize) -> Option<&'a str> {
    word_just_before(block, start)
        .map(|w| w.text)
        .filter(|w| language::is_royal_title(w))
}

/// Whether the word right before the run of name words at word `start` is a kind of organisation
/// ([`language::COMPANY_NOUNS`]): "investment bank Merrill Lynch said" names no one.
fn company_precedes(block: &BlockWords<'_>, start: usize) -> bool {
    word_just_before(block, start).is_some_and(|w| language::COMPANY_NOUNS.contains(w.text))
}

/// The word before word `start` of the block, when only white space stands between them.
fn word_just_before<'a>(block: &BlockWords<'a>, start: usize) -> Option<Word<'a>> {
    let before = block.words[start.checked_sub(1)?];
    block.clean[before.end..block.words[start].start]
        .trim()
        .is_empty()
        .then_some(before)
}

/// A role noun written with a capital ("Officer"), not an acronym: "Frank Field MP said" ends with
/// a post-nominal, not an institution.
fn is_capitalised_role_noun(word: &str) -> bool {
    language::is_role_noun(word) && word.chars().nth(1).is_some_and(char::is_lowercase)
}

pub fn strip_possessive(word: &str) -> &str {
    word.strip_suffix("'s")
        .or_else(|| word.strip_suffix("’s"))
        .unwrap_or(word)
}

/// Why a run of name words is a person, and what the words around it say of them.
struct Cue {
    role: Option<String>,
    country: Option<String>,
    organisation: Option<String>,
    /// Whether a single word may be taken as a surname ("President Putin", "Ms Hewitt").
    allows_surname: bool,
    /// Whether the cue is only a speech verb next to the name ("Neville admitted"): a single word
    /// so cued is a person only if the article gives their full name somewhere.
    speech_only: bool,
    gender: Option<Gender>,
}

const COURTESY_TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Miss", "Dr", "Sir", "Lord", "Lady", "Dame", "Baroness", "Prof",
];

/// Whether `word` is a courtesy title ("Mr", "Baroness").
pub(super) fn is_courtesy_title(word: &str) -> bool {
    // Asked of every word's neighbour: most start in lower case, and no title does.
    word.as_bytes().first().is_some_and(u8::is_ascii_uppercase) && COURTESY_TITLES.contains(&word)
}

/// Whether word `i - 1` is a courtesy title right before word `i`: a space between, or an
/// abbreviation's full stop and a space ("Mr. Smith").
fn title_before(text: &str, words: &[Word<'_>], i: usize) -> bool {
    if i == 0 || !is_courtesy_title(words[i - 1].text) {
        return false;
    }
    let between = gap(text, words, i - 1);
    let abbreviated = language::is_abbreviated_title(words[i - 1].text);
    let between = match between.strip_prefix('.') {
        Some(rest) if abbreviated => rest,
        _ => between,
    };
    between.trim().is_empty()
}

fn cue_for(
    text: &str,
    words: &[Word<'_>],
    masked: &[bool],
    places: &[Found],
    start: usize,
    end: usize,
    known: &KnownPeople,
) -> Option<Cue> {
    let mut cue = Cue {
        role: None,
        country: None,
        organisation: None,
        allows_surname: false,
        speech_only: false,
        gender: None,
    };
    // A courtesy title right before.
    if title_before(text, words, start) {
        cue.allows_surname = true;
        cue.gender = language::title_gender(words[start - 1].text);
        return Some(cue);
    }
    // Role words before: "CSTO Secretary-General", "Russian presidential aide", "his Tajik counterpart,".
    if let Some(role) = role_before(text, words, masked, places, start, end) {
        cue.allows_surname = role.has_title_word;
        cue.role = role.text;
        cue.country = role.country;
        cue.organisation = role.organisation;
        return Some(cue);
    }
    // A speech verb after ("Pashinyan called", "Nikol Pashinyan emphasized") or before (", said Jane Doe").
    // An adverb may stand between: "David Bell, also said".
    let adverb = words.get(end).is_some_and(|w| {
        matches!(
            w.text,
            "also" | "later" | "then" | "earlier" | "previously" | "recently"
        )
    });
    let verb_at = if adverb { end + 1 } else { end };
    let after = words
        .get(verb_at)
        .map(|w| (w.text, gap(text, words, end - 1)));
    if let Some((word, between)) = after {
        if language::is_speech_verb(word) && between.trim().is_empty()
            || between.trim() == "," && language::SPEECH_PARTICIPLES.contains(word)
        {
            cue.speech_only = true;
            return Some(cue);
        }
    }
    if start > 0
        && language::is_speech_verb(words[start - 1].text)
        && gap(text, words, start - 1).trim().is_empty()
    {
        cue.speech_only = true;
        return Some(cue);
    }
    // An appositive: "Yuri Veselov, military observer", "Jane Doe, the party's leader".
    if let Some(next) = words.get(end) {
        if gap(text, words, end - 1).trim() == "," {
            let lower = next.text.to_lowercase();
            let word_after = words
                .get(end + 1)
                .map(|w| w.text.to_lowercase())
                .unwrap_or_default();
            let is_role = |w: &str| language::is_role_word(w);
            if is_role(&lower)
                || (matches!(lower.as_str(), "the" | "a" | "an" | "who")
                    && (is_role(&word_after) || lower == "who"))
                || is_role(&word_after) && !next.text.chars().next().is_some_and(char::is_uppercase)
            {
                return Some(cue);
            }
        }
    }
    // A name the site already knows as a person.
    if end - start >= 2 && known.knows(&person_name(&words[start..end])) {
        return Some(cue);
    }

    None
}

/// Whether the words before `j` end with "ROLE of the THING" ("chief inspector of schools").
fn role_words_follow_of(words: &[Word<'_>], j: usize) -> bool {
    let from = j.saturating_sub(5);
    (from..j).any(|k| language::is_role_noun(words[k].text))
        && (from..j).any(|k| words[k].text == "of")
}

/// Whether the words before `j` end with the thing of "ROLE of the THING" ("chief inspector of
/// schools"): an "of" with a role noun before it, and no role word after it.
fn of_thing_ends_at(words: &[Word<'_>], j: usize) -> bool {
    let from = j.saturating_sub(5);
    let Some(of) = (from..j).rev().find(|&k| words[k].text == "of") else {
        return false;
    };
    (from..of).any(|k| language::is_role_noun(words[k].text))
        && !(of + 1..j).any(|k| language::is_role_word(words[k].text))
}

/// The text between word `i` and word `i + 1`.
fn gap<'a>(text: &'a str, words: &[Word<'_>], i: usize) -> &'a str {
    match words.get(i + 1) {
        Some(next) => &text[words[i].end..next.start],
        None => &text[words[i].end..],
    }
}

struct RoleBefore {
    text: Option<String>,
    country: Option<String>,
    organisation: Option<String>,
    /// A title that may stand before a bare surname ("President Putin").
    has_title_word: bool,
}

/// Reads the role words right before the name in words `start..end`, walking back over role words, country adjectives,
/// organisation names and "of the"; returns `None` when there is no role noun among them.
fn role_before(
    text: &str,
    words: &[Word<'_>],
    masked: &[bool],
    places: &[Found],
    start: usize,
    end: usize,
) -> Option<RoleBefore> {
    let mut role_words: Vec<&str> = Vec::new();
    let mut country = None;
    let mut organisation = None;
    let mut has_noun = false;
    let mut has_title_word = false;
    // "Hodgson, Kay, King, Lewsey": a title that is itself an item of a list of names introduces
    // none of them.
    let in_list = |k: usize| k > 0 && gap(text, words, k - 1).trim() == ",";
    // In "The chief inspector of schools, David Bell,", the words after "of" are what the role is
    // of, whatever they are: read back to the "of".
    let mut thing_of = false;
    let mut j = start;
    while j > 0 {
        let between = gap(text, words, j - 1);
        let trimmed = between.trim();
        // "counterpart, Emomali Rakhmon" is the only comma a role may stand behind.
        // A comma may stand between a role and the name it introduces when the name is set off by
        // commas: "his Tajik counterpart, Emomali Rakhmon", "The chief inspector of schools, David Bell,".
        let set_off = gap(text, words, end - 1).trim_start().starts_with(',');
        let comma_ok = trimmed == ","
            && j == start
            && (words[j - 1].text.eq_ignore_ascii_case("counterpart")
                || set_off && language::is_role_noun(words[j - 1].text) && !in_list(j - 1)
                || set_off && role_words_follow_of(words, j));
        if !(trimmed.is_empty() || comma_ok) {
            break;
        }
        thing_of |= comma_ok && of_thing_ends_at(words, j);
        let word = words[j - 1];
        let lower = word.text.to_lowercase();
        // A place or an organisation in the thing is recorded as one, below.
        if thing_of && !masked[j - 1] {
            role_words.push(word.text);
            thing_of = lower != "of";
            j -= 1;
            continue;
        }
        let place = places
            .iter()
            .find(|p| p.start <= word.start && word.end <= p.end);
        if masked[j - 1] {
            match place.map(|p| &p.target) {
                Some(Target::Country(code)) => country = country.or(Some(code.clone())),
                Some(Target::Organisation(id)) => organisation = organisation.or(Some(id.clone())),
                None => {}
            }
        } else if language::is_role_word(&lower) {
            role_words.push(word.text);
            let noun = language::is_role_noun(word.text);
            has_noun |= noun;
            has_title_word |= noun && word.text.chars().next().is_some_and(char::is_uppercase);
        } else if matches!(lower.as_str(), "of" | "the")
            && (!role_words.is_empty() || country.is_some() || organisation.is_some())
        {
            role_words.push(word.text);
        } else {
            break;
        }
        j -= 1;
    }
    if !has_noun {
        return None;
    }
    role_words.reverse();
    // "the Queen Mother", "the King Crimson": a title after "the" is part of a name, not one that
    // stands before a bare surname ("President Putin").
    if let [the, _] = role_words[..] {
        has_title_word &=
            !the.eq_ignore_ascii_case("the") || country.is_some() || organisation.is_some();
    }
    let is_of_or_the = |w: &&str| w.eq_ignore_ascii_case("of") || w.eq_ignore_ascii_case("the");
    while role_words.last().is_some_and(is_of_or_the) {
        role_words.pop();
    }
    while role_words.first().is_some_and(is_of_or_the) {
        role_words.remove(0);
    }
    let text = role_words.join(" ");
    Some(RoleBefore {
        text: (!text.is_empty()).then_some(text),
        country,
        organisation,
        has_title_word,
    })
}

fn starts_upper(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase())
}

/// The name of a run of name words: possessives stripped, patronymics dropped.
fn person_name(run: &[Word<'_>]) -> String {
    // A middle initial is dropped as a patronymic is ("George W Bush" is George Bush, as other
    // articles and later mentions call him), and so is a suffix ("Jr").
    let tokens: Vec<&str> = run
        .iter()
        .map(|w| strip_possessive(w.text))
        .filter(|token| !language::is_initial(token) && !language::is_name_suffix(token))
        .collect();
    let kept: Vec<&str> = if tokens.len() == 3 && is_patronymic(tokens[1]) {
        vec![tokens[0], tokens[2]]
    } else {
        tokens
    };
    kept.join(" ")
}

/// Russian and other East Slavic patronymics ("Vladimirovich", "Sergeyevna").
fn is_patronymic(word: &str) -> bool {
    ["ovich", "evich", "ovna", "evna", "ich", "yevich"]
        .iter()
        .any(|s| word.ends_with(s))
        && word.len() > 6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Article, ArticleFormat};
    use crate::derive::gazetteer::{Gazetteer, SiteNames};
    use crate::reference::ReferenceData;

    #[test]
    fn every_courtesy_title_starts_with_a_capital_as_the_title_test_assumes() {
        for title in COURTESY_TITLES {
            assert!(title.as_bytes()[0].is_ascii_uppercase(), "{title}");
            assert!(is_courtesy_title(title), "{title}");
        }
        assert!(!is_courtesy_title("mr") && !is_courtesy_title(""));
    }

    type Found4 = (String, Option<String>, Option<String>, Option<String>);

    #[test]
    fn a_word_is_masked_when_any_place_overlaps_it_however_the_places_lie() {
        let text = "Anna Lee met the UN Security Council in New York";
        let words = language::words(text);
        let place = |from: &str, length: usize| {
            let start = text.find(from).unwrap();
            Found {
                start,
                end: start + length,
                target: Target::Country("USA".into()),
                strength: crate::derive::gazetteer::Strength::Strong,
            }
        };
        // Out of order, one inside another, one touching the next.
        let places = [
            place("New York", 8),
            place("UN Security Council", 19),
            place("Security", 8),
            place("in New", 2),
        ];
        let masked: Vec<&str> = words
            .iter()
            .zip(masked_words(&words, &places))
            .filter(|(_, masked)| *masked)
            .map(|(word, _)| word.text)
            .collect();
        assert_eq!(masked, ["UN", "Security", "Council", "in", "New", "York"]);
        assert!(masked_words(&words, &[]).iter().all(|masked| !masked));
    }

    #[test]
    fn parentheses_read_as_spaces_and_a_block_without_them_is_borrowed() {
        assert_eq!(
            without_parentheses("(Russian President) Putin"),
            " Russian President  Putin"
        );
        assert!(matches!(
            without_parentheses("no brackets"),
            Cow::Borrowed(_)
        ));
    }

    /// An article of `body`, and the gazetteer's finds in each of its blocks.
    fn text_and_places(body: &str) -> (ArticleText, Vec<Vec<Found>>) {
        let mut diagnostics = crate::diagnostics::Diagnostics::new();
        let article = Article::parse(
            std::path::Path::new("a.md"),
            ArticleFormat::Markdown,
            &format!("---\ntitle: T\n---\n{body}"),
            &mut diagnostics,
        )
        .unwrap();
        let text = ArticleText::of(&article);
        let gazetteer = Gazetteer::new(ReferenceData::builtin(), &SiteNames::default());
        let places = text
            .blocks
            .iter()
            .map(|b| gazetteer.find(&b.text))
            .collect();
        (text, places)
    }

    fn people_of(body: &str) -> Vec<Found4> {
        let (text, places) = text_and_places(body);
        find_people(
            &text,
            &Sentences::of(&text),
            &places,
            &KnownPeople::default(),
            &[],
        )
        .people
        .into_iter()
        .map(|p| (p.name, p.role, p.country, p.organisation))
        .collect()
    }

    /// The names of the people found in `body`.
    fn names(body: &str) -> Vec<String> {
        people_of(body).into_iter().map(|p| p.0).collect()
    }

    fn person(
        name: &str,
        role: Option<&str>,
        country: Option<&str>,
        organisation: Option<&str>,
    ) -> Found4 {
        (
            name.into(),
            role.map(Into::into),
            country.map(Into::into),
            organisation.map(Into::into),
        )
    }

    #[test]
    fn names_with_roles() {
        assert_eq!(
            people_of("The bloc will meet, Russian presidential aide Yury Ushakov said. Later Ushakov spoke."),
            [person("Yury Ushakov", Some("presidential aide"), Some("RUS"), None)]
        );
        assert_eq!(
            people_of(
                "President of the Russian Federation Vladimir Vladimirovich Putin will arrive."
            ),
            [person(
                "Vladimir Putin",
                Some("President"),
                Some("RUS"),
                None
            )]
        );
        assert_eq!(
            people_of("He met his Tajik counterpart, Emomali Rakhmon, in Moscow."),
            [person(
                "Emomali Rakhmon",
                Some("counterpart"),
                Some("TJK"),
                None
            )]
        );
    }

    #[test]
    fn names_by_speech_and_titles() {
        assert_eq!(
            people_of("\"We hope,\" Nikol Pashinyan emphasized.")[0].0,
            "Nikol Pashinyan"
        );
        assert_eq!(
            people_of("Ms Hewitt said it would rise.")[0],
            person("Hewitt", None, None, None)
        );
        assert!(people_of(
            "The Collective Security Council met. Special Military Operation began."
        )
        .is_empty());
    }

    /// Known names are taken without a cue, and excluded ones never, whatever their case and
    /// accents.
    #[test]
    fn known_and_excluded_names_match_without_case_or_accents() {
        let find = |body: &str, known: &[&str], excluded: &[&str]| -> Vec<String> {
            let (text, places) = text_and_places(body);
            let known: Vec<String> = known.iter().map(|n| n.to_string()).collect();
            let excluded: Vec<String> = excluded.iter().map(|n| n.to_string()).collect();
            find_people(
                &text,
                &Sentences::of(&text),
                &places,
                &KnownPeople::new(&known),
                &excluded,
            )
            .people
            .into_iter()
            .map(|p| p.name)
            .collect()
        };
        let uncued = "The new plant was visited by Nikol Pashinyán yesterday.";
        assert!(find(uncued, &[], &[]).is_empty());
        assert_eq!(find(uncued, &["NIKOL PASHINYAN"], &[]), ["Nikol Pashinyán"]);
        let cued = "\"We hope,\" Nikol Pashinyan emphasized.";
        assert_eq!(find(cued, &[], &[]), ["Nikol Pashinyan"]);
        assert!(find(cued, &[], &["nikol pashinyán"]).is_empty());
    }

    #[test]
    fn later_mentions_by_role_resolve_to_the_person() {
        let body = "CSTO Secretary-General Imangali Tasmagambetov spoke. Later, the CSTO chief noted a risk. The Armenian prime minister was absent.";
        let (text, places) = text_and_places(body);
        let found = find_people(
            &text,
            &Sentences::of(&text),
            &places,
            &KnownPeople::default(),
            &[],
        );
        let mentioned: Vec<&str> = found
            .mentions
            .iter()
            .map(|m| &text.blocks[m.block].text[m.start..m.end])
            .collect();
        // The Armenian prime minister is not in the article by name, so that mention stays unresolved.
        assert_eq!(mentioned, ["Imangali Tasmagambetov", "CSTO chief"]);
    }

    #[test]
    fn months_can_be_surnames() {
        assert_eq!(
            people_of("Shadow minister Theresa May said it was wrong. In May, Mrs May spoke.")[0].0,
            "Theresa May"
        );
        assert!(people_of("The vote in May was close, officials said.").is_empty());
    }

    #[test]
    fn a_place_right_after_a_title_is_a_surname() {
        assert_eq!(
            names("Home Office minister Baroness Scotland said the law would stay."),
            ["Scotland"]
        );
        assert_eq!(names("\"It sold out,\" said Mr Ireland."), ["Ireland"]);
        assert!(names("Ministers in Scotland said the law would stay.").is_empty());
        assert!(names("Talks with Ireland ended, officials said.").is_empty());
        assert!(names("Miss England said she was delighted.").is_empty());
        assert!(names("Miss New Zealand said she was delighted.").is_empty());
        assert!(names("They thanked the Lord. Scotland said no.").is_empty());
    }

    #[test]
    fn a_title_that_is_also_a_surname_ends_a_name() {
        assert_eq!(names("Mervyn King said rates would stay."), ["Mervyn King"]);
        assert_eq!(
            names("Labour MP Oona King, who is standing again."),
            ["Oona King"]
        );
        assert_eq!(names("\"No,\" said Ms King."), ["King"]);
        assert_eq!(
            names("Martin Luther King Jnr said so."),
            ["Martin Luther King"]
        );
        // Before another name word it is a title again, and a royal's name.
        assert_eq!(
            names("Saudi Crown Prince Abdullah said so."),
            ["Prince Abdullah"]
        );
        assert_eq!(names("Jordan's King Abdullah said so."), ["King Abdullah"]);
    }

    #[test]
    fn a_middle_initial_and_a_suffix_stay_inside_the_name_and_out_of_it() {
        assert_eq!(names("President George W Bush said so."), ["George Bush"]);
        assert_eq!(names("President George W. Bush said so."), ["George Bush"]);
        assert_eq!(names("Larry Mullen Jr said so."), ["Larry Mullen"]);
        // "A" and "I" are words, not initials: no "Tony Smith" here.
        assert!(names("Tony I Smith said so.").is_empty());
    }

    #[test]
    fn a_name_that_goes_on_into_an_institution_is_no_person() {
        assert_eq!(
            names("said Stuart Hensel of the Economist Intelligence Unit."),
            ["Stuart Hensel"]
        );
        assert_eq!(
            names("Ken Kutaragi, Chief Operating Officer of Sony, said so."),
            ["Ken Kutaragi"]
        );
        // A post-nominal is no institution.
        assert_eq!(
            names("Former minister Frank Field MP said so."),
            ["Frank Field"]
        );
    }

    #[test]
    fn particles_join_a_family_name() {
        // Invented names. The particle stays in the name, and the titled family name alone joins
        // the person (tests/derive.rs checks that the quotations are theirs).
        let body = "Finance Minister Pieter van der Molen said the budget was sound. \
                    Mr van der Molen said more.";
        assert_eq!(names(body), ["Pieter van der Molen"]);
        let body = "Analyst Nils Van den Brook said margins were thin.";
        assert_eq!(names(body), ["Nils Van den Brook"]);
        // A capitalised particle that starts a name is a given name: "Al Brennock" is whole.
        let body = "Vice President Al Brennock said the vote was close.";
        assert_eq!(names(body), ["Al Brennock"]);
        assert_eq!(family_name("Pieter van der Molen"), "van der Molen");
        assert_eq!(family_name("Al Brennock"), "Brennock");
    }

    #[test]
    fn a_title_in_a_list_of_names_or_after_the_is_no_cue_for_a_surname() {
        assert!(names("The squad: Hodgson, Kay, King, Lewsey, Moody.").is_empty());
        assert!(names("A memorial to the Queen Mother, funded by a coin.").is_empty());
        assert_eq!(
            names("The High Commissioner, Ann Grant, said so."),
            ["Ann Grant"]
        );
        assert_eq!(
            names("Tributes came from Queen Elizabeth."),
            ["Queen Elizabeth"]
        );
    }

    #[test]
    fn a_royal_goes_by_title_and_given_name_and_is_no_one_else_of_that_name() {
        // Invented names: the prince is not the party leader who shares his given name.
        let mut found = names(
            "Opposition leader Aldemar Quint said the vote was close. \
             Prince Aldemar said the palace was pleased.",
        );
        found.sort();
        assert_eq!(found, ["Aldemar Quint", "Prince Aldemar"]);
        // Nor is a given name with another role before it: the ambassador is not the leader.
        let mut found = names(
            "Opposition leader Aldemar Quint said the vote was close. \
             Ambassador Aldemar said the embassy was pleased.",
        );
        found.sort();
        assert_eq!(found, ["Aldemar", "Aldemar Quint"]);
    }

    #[test]
    fn a_surname_takes_the_one_full_name_the_text_gives_without_a_cue() {
        assert_eq!(
            names("Andy Clarke, ERAA director of air transport, disagreed.\n\nMr Clarke said no."),
            ["Andy Clarke"]
        );
        // Two full names with the surname: which one is not known.
        assert_eq!(
            names("Andy Clarke met Ken Clarke in June.\n\nMr Clarke said no."),
            ["Clarke"]
        );
    }

    #[test]
    fn a_surname_joins_no_full_name_whose_title_says_otherwise() {
        let found = people_of("Ms Anne Hale said the port would close.\n\nMr Hale said no.");
        let names: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, ["Anne Hale", "Hale"]);
        let found = people_of("Ms Anne Hale said the port would close.\n\nMs Hale said no.");
        let names: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, ["Anne Hale"]);
    }

    #[test]
    fn a_role_of_a_thing_set_off_by_commas_introduces_the_name_after_it() {
        assert_eq!(
            people_of(
                "The chief inspector of railways, Helen Darby, also said the plan should go."
            ),
            [person(
                "Helen Darby",
                Some("chief inspector of railways"),
                None,
                None
            )]
        );
        // A role right before the comma is the role, whatever an "of" before it says.
        assert_eq!(
            people_of("Speaking on behalf of the victims, their lawyer, Gareth Pellow, said so."),
            [person("Gareth Pellow", Some("lawyer"), None, None)]
        );
    }

    #[test]
    fn a_family_name_that_is_an_institution_word_ends_a_name_but_not_a_place() {
        let names =
            |text: &str| -> Vec<String> { people_of(text).into_iter().map(|p| p.0).collect() };
        assert_eq!(
            names("Kate Hall, chief executive of the charity, said so. Ms Hall went on."),
            ["Kate Hall"]
        );
        assert_eq!(
            names("Former minister Anna Castle said no."),
            ["Anna Castle"]
        );
        // A given name that is an institution word, before a family name.
        assert_eq!(names("Founder Bill Mercer said yes."), ["Bill Mercer"]);
        // A building after a preposition of place, and institutions, are no one.
        assert!(names("They dined at Albert Hall, their first public appearance.").is_empty());
        assert!(names("The Finance Bill said nothing; the Law Society said no.").is_empty());
    }

    #[test]
    fn a_surname_before_a_speech_verb_is_a_person_when_the_article_gives_the_full_name() {
        // The full name only inside a quotation, the surname only before a speech verb.
        let body = "\"I had a talk with him. Gary Nevis is a big lad,\" he said.\n\n\
                    Nevis admitted there had been incidents. Telstrom said profits rose.";
        assert_eq!(names(body), ["Gary Nevis"]);
        // A word that opens the sentence before a full name describes the person.
        assert_eq!(
            names("Singer Lena Marsh said so. Her album sold well, Marsh added."),
            ["Lena Marsh"]
        );
        // Not a description: a given name at a sentence's start, a name after a quotation's
        // closing mark or after an abbreviated title.
        assert_eq!(
            names("Recep Tayyip Erdogan said so."),
            ["Recep Tayyip Erdogan"]
        );
        assert_eq!(
            names("\"We will not back down,\" Iain Duncan Smith said."),
            ["Iain Duncan Smith"]
        );
        assert_eq!(names("Dr. Mary Anne Smith said so."), ["Mary Anne Smith"]);
        // A word of a longer name is not its last: "Lula said" names no "Luiz Inacio Lula".
        assert_eq!(
            names("Minister Luiz Inacio Lula da Silva spoke first. Lula said so."),
            ["Luiz Inacio Lula da Silva"]
        );
        // A place-based adjective is no given name.
        assert!(names("Houston-based Telstrom said profits rose.").is_empty());
    }

    #[test]
    fn business_roles_introduce_a_name() {
        assert_eq!(
            people_of(
                "\"It is good,\" said chief executive Maria Okafor. Strategist Tom Reyes agreed."
            ),
            [
                person("Maria Okafor", Some("chief executive"), None, None),
                person("Tom Reyes", Some("Strategist"), None, None)
            ]
        );
    }

    #[test]
    fn a_title_may_be_abbreviated_with_a_full_stop() {
        let found = people_of("Mr. Jones arrived late. Dr. Patel was not there.");
        let names: Vec<&str> = found.iter().map(|p| p.0.as_str()).collect();
        assert_eq!(names, ["Jones", "Patel"]);
    }

    #[test]
    fn a_surname_with_a_title_joins_the_full_name() {
        let found = people_of("(Russian President) Vladimir Vladimirovich (Putin) spoke. Later, Russian President Putin plans more.");
        assert_eq!(
            found,
            [person(
                "Vladimir Putin",
                Some("President"),
                Some("RUS"),
                None
            )]
        );
    }
}
