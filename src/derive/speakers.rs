//! Resolving the words that attribute a quotation ("he", "the CSTO chief", "the Russian Foreign
//! Ministry", "It", "the statement") to a speaker: a person, a body of a country or organisation,
//! an organisation, a country, or nobody known.

use std::cell::OnceCell;

use super::gazetteer::{Found, Target};
use super::language::{self, pronoun_kind, Gender, PronounKind};
use super::people::{is_courtesy_title, ArticlePeople, LocalPerson, PersonMention};
use super::quotes::{Attribution, FoundQuote, Place};
use super::resolve::ArticleRegistry;
use super::text::ArticleText;
use super::{Speaker, SpeakerKind};

/// Resolves the speakers of one article's quotations, in order.
pub struct Resolver<'a> {
    text: &'a ArticleText,
    places: &'a [Vec<Found>],
    people: &'a ArticlePeople,
    quotes: &'a [FoundQuote],
    resolved: Vec<Speaker>,
    /// Each person's gender where a courtesy title before a mention tells it (and no two disagree),
    /// made when a pronoun first asks.
    genders: OnceCell<Vec<Option<Gender>>>,
    /// What each person mention is to a pronoun after it, made when a pronoun first asks.
    antecedents: OnceCell<Vec<Antecedent>>,
}

/// What a person mention is to "he" or "she" after it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Antecedent {
    /// Inside a quotation: never one.
    Quoted,
    /// The subject of its sentence, or the person a quotation's attribution names.
    Likely,
    /// Any other mention: one when no likely one comes before.
    Other,
}

impl<'a> Resolver<'a> {
    pub fn new(
        text: &'a ArticleText,
        places: &'a [Vec<Found>],
        people: &'a ArticlePeople,
        quotes: &'a [FoundQuote],
    ) -> Self {
        Resolver {
            text,
            places,
            people,
            quotes,
            resolved: Vec::new(),
            genders: OnceCell::new(),
            antecedents: OnceCell::new(),
        }
    }

    /// The speaker of quotation `n`; call in order, as later quotations refer back to earlier ones.
    pub(crate) fn speaker(&mut self, n: usize, registry: &mut ArticleRegistry) -> Speaker {
        let quote = &self.quotes[n];
        let speaker = match &quote.attribution {
            Attribution::SameAs(earlier) => {
                self.resolved.get(*earlier).cloned().unwrap_or_else(unknown)
            }
            // No words of attribution: the person speaking earlier in the same paragraph, if any.
            Attribution::Unknown => self
                .subject_earlier_in_block(quote.places[0])
                .map_or_else(unknown, |p| self.person_speaker(p, registry)),
            Attribution::Words { text, place } => {
                self.resolve_words(text, *place, quote.places[0], registry)
            }
        };
        self.resolved.push(speaker.clone());
        speaker
    }

    fn resolve_words(
        &self,
        words: &str,
        place: Place,
        quote_place: Place,
        registry: &mut ArticleRegistry,
    ) -> Speaker {
        let words = super::quotes::without_trailing_time(words);
        let definite = words.trim().starts_with("the ") || words.trim().starts_with("The ");
        let trimmed = words
            .trim()
            .trim_start_matches("the ")
            .trim_start_matches("The ")
            .trim();
        let lower = trimmed.to_lowercase();
        // "Colin Asplin, Blackpool Hotel Association said": the name before a description. Words
        // with a courtesy title are a name themselves ("the re-election of George W Bush, Mr
        // Kennedy said").
        let titled = trimmed.split_once(' ').is_some_and(|(first, _)| {
            super::people::is_courtesy_title(first.strip_suffix('.').unwrap_or(first))
        });
        if !titled {
            if let Some(person) = self.person_before_appositive(place) {
                return self.person_speaker(person, registry);
            }
            if let Some(person) = self.name_before_appositive(place) {
                return self.person_speaker(&person, registry);
            }
        }
        // Pronouns: people for he and she, the last body or organisation for it and they.
        if let Some(kind) = pronoun_kind(trimmed) {
            return match kind {
                PronounKind::Person => self
                    .last_person_before(
                        earliest(place, quote_place),
                        language::pronoun_gender(trimmed),
                    )
                    .map_or_else(unknown, |p| self.person_speaker(p, registry)),
                PronounKind::Thing | PronounKind::Group => {
                    self.last_non_person().unwrap_or_else(unknown)
                }
            };
        }
        // A document speaks for whoever issued it ("the statement mentioned").
        if language::DOCUMENT_NOUNS.contains(lower.as_str()) {
            return self.last_non_person().unwrap_or_else(unknown);
        }
        // A person named in the words.
        if let Some(mention) = self
            .people
            .mentions
            .iter()
            .find(|m| m.block == place.block && place.start <= m.start && m.end <= place.end)
        {
            return self.person_speaker(&self.people.people[mention.person], registry);
        }
        let places_in: Vec<&Found> = self.places[place.block]
            .iter()
            .filter(|f| place.start <= f.start && f.end <= place.end)
            .collect();
        let qualifier = places_in.first().map(|f| f.target.clone());
        // "the CSTO member states": the organisation itself.
        let body_noun = language::BODY_NOUNS
            .words()
            .iter()
            .filter(|n| lower.ends_with(*n))
            .max_by_key(|n| n.len());
        if let (Some(noun), Some(target)) = (body_noun, &qualifier) {
            let entity = registry.place_entity(target);
            if matches!(*noun, "member states" | "member countries") {
                return place_speaker(target, entity, registry);
            }
            return Speaker {
                name: body_name(trimmed).into(),
                kind: SpeakerKind::Body,
                entity: None,
                belongs_to: Some(entity),
            };
        }
        // A role: "the CSTO secretary-general", "the CSTO chief", "the Armenian prime minister".
        if let Some(person) = self.person_by_role(trimmed, qualifier.as_ref(), quote_place) {
            return self.person_speaker(person, registry);
        }
        // "the spokesman", for no one named: whoever the last spokesperson or body was ("a Home
        // Office spokesman said ... The spokesman added"). "A spokesman" after "But the Home
        // Office defended the measures." is often another body's than the last quoted one.
        if definite && is_spokesperson_noun(&lower) {
            if let Some(body) = self.last_non_person() {
                return body;
            }
        }
        // "the minister", "the former cabinet secretary", with no such person named: the person
        // last speaking, as with "he". A role is lower-case words with a role noun last. Someone's
        // agent ("the prime minister's official spokesman") is someone else, most often not
        // named before, and so is an opponent ("the opposition leader"); "the Executive" is a
        // government.
        let role_words = language::words(trimmed);
        if definite
            && qualifier.is_none()
            && role_words.len() <= 4
            && !trimmed.contains("'s")
            && !trimmed.contains("’s")
            && role_words.last().is_some_and(|w| {
                language::is_role_noun(w.text)
                    && !is_spokesperson_noun(w.text)
                    && !language::INSTITUTION_WORDS.contains(w.text)
            })
            && role_words.iter().all(|w| {
                w.text.starts_with(char::is_lowercase) && !matches!(w.text, "opposition" | "rival")
                    || language::is_role_word(w.text)
            })
        {
            if let Some(person) = self.last_person_before(earliest(place, quote_place), None) {
                return self.person_speaker(person, registry);
            }
        }
        // "a Cabinet Office spokeswoman": the body the spokesperson speaks for.
        if let Some(body) = spokesperson_body(trimmed) {
            return Speaker {
                name: body.into(),
                kind: SpeakerKind::Body,
                entity: None,
                belongs_to: qualifier.as_ref().map(|t| registry.place_entity(t)),
            };
        }
        // An institution by name: "the Commons Science and Technology Committee", "the Law Commission".
        if let Some(name) = institution_name(trimmed) {
            return Speaker {
                name: name.into(),
                kind: SpeakerKind::Body,
                entity: None,
                belongs_to: qualifier.as_ref().map(|t| registry.place_entity(t)),
            };
        }
        // "the ministry": the last body of that kind.
        if let Some(noun) = body_noun {
            if let Some(body) = self
                .resolved
                .iter()
                .rev()
                .find(|s| s.kind == SpeakerKind::Body && s.name.to_lowercase().ends_with(noun))
            {
                return body.clone();
            }
        }
        // "the committee": the last body named with that noun.
        if definite && is_institution_noun(trimmed) {
            if let Some(body) =
                self.resolved.iter().rev().find(|s| {
                    s.kind == SpeakerKind::Body && s.name.to_lowercase().ends_with(&lower)
                })
            {
                return body.clone();
            }
        }
        // An organisation or country that stands for the whole words ("the CSTO", "Moscow").
        if let [found] = places_in[..] {
            let covered = self.text.blocks[place.block].text[found.start..found.end].len() * 2
                >= trimmed.len();
            if covered {
                let entity = registry.place_entity(&found.target);
                return place_speaker(&found.target, entity, registry);
            }
        }
        // A new name with a speech verb: a person the people pass did not see, perhaps after words
        // that describe them ("Liberal Democrat Sarah Teather").
        let tokens: Vec<&str> = trimmed.split_whitespace().collect();
        // A possessive is whose the person is, not their name: "Ernst and Young's Sanjay Mehta".
        let possessive = |t: &str| super::people::strip_possessive(t) != t;
        let name_len = tokens
            .iter()
            .rev()
            .take_while(|t| language::is_name_token(t) && !possessive(t))
            .count()
            .min(3);
        // One word of the name of a person the article names in full: news calls some people by
        // their given name alone ("Tedros" for Tedros Adhanom Ghebreyesus, as is the custom for
        // Ethiopian names), or by one name of several ("Lula" for Luiz Inacio Lula da Silva).
        if let [word] = tokens[..] {
            if let Some(person) = self.person_by_name_word(word) {
                return self.person_speaker(person, registry);
            }
        }
        if name_len >= 2 {
            let name = tokens[tokens.len() - name_len..].join(" ");
            // The words before the name, as a role: "its chief executive, Howard Newby" is a
            // chief executive.
            let described = tokens[..tokens.len() - name_len].join(" ");
            let described = described.trim_end_matches(',').trim();
            let described = match described.split_once(' ') {
                Some((first, rest))
                    if language::DETERMINERS.contains(&first.to_lowercase().as_str()) =>
                {
                    rest
                }
                _ => described,
            }
            .to_string();
            // "investment bank Merrill Lynch": an organisation, which has no page of its own.
            let word_before = (tokens.len() - name_len)
                .checked_sub(1)
                .map(|k| tokens[k].trim_end_matches(','));
            if word_before.is_some_and(|noun| language::COMPANY_NOUNS.contains(noun)) {
                return Speaker {
                    name: name.into(),
                    kind: SpeakerKind::Body,
                    entity: None,
                    belongs_to: qualifier.as_ref().map(|t| registry.place_entity(t)),
                };
            }
            let person = LocalPerson {
                name,
                role: (!described.is_empty()).then_some(described),
                country: None,
                organisation: None,
                surname_only: false,
                gender: None,
            };
            return self.person_speaker(&person, registry);
        }
        if plausible_speaker(words) {
            Speaker {
                name: capitalise_first(trimmed).into(),
                kind: SpeakerKind::Unknown,
                entity: None,
                belongs_to: None,
            }
        } else {
            unknown()
        }
    }

    fn person_speaker(&self, person: &LocalPerson, registry: &mut ArticleRegistry) -> Speaker {
        let entity = registry.person_entity(person);
        let name = registry.name(entity).to_string();
        let belongs_to = person
            .organisation
            .as_ref()
            .map(|id| registry.place_entity(&Target::Organisation(id.clone())))
            .or_else(|| {
                person
                    .country
                    .as_ref()
                    .map(|code| registry.place_entity(&Target::Country(code.clone())))
            });
        Speaker {
            name: name.into(),
            kind: SpeakerKind::Person,
            entity: Some(entity),
            belongs_to,
        }
    }

    /// The one person of the article named in full with `word` among their names, when no
    /// person's family name is it: "Tedros told reporters" after "Tedros Adhanom Ghebreyesus",
    /// "Lula said" after "Luiz Inacio Lula da Silva". A word of two people's names stays
    /// unresolved, and so does one that a title puts before someone the finder did not take for
    /// this person ("Ambassador Haile" beside Haile Mekonnen Worku, when their roles differ).
    fn person_by_name_word(&self, word: &str) -> Option<&LocalPerson> {
        if !language::is_name_token(word) {
            return None;
        }
        let people = &self.people.people;
        if people.iter().any(|p| p.surname() == word) {
            return None;
        }
        let mut named = (0..people.len()).filter(|&i| {
            let p = &people[i];
            !p.surname_only && p.name.contains(' ') && p.name.split(' ').any(|w| w == word)
        });
        let index = named.next()?;
        if named.next().is_some() {
            return None;
        }
        let person = &people[index];
        // Where a title stands before the word, the person found there must be this one.
        let is_this_person = |block: usize, start: usize| {
            self.people
                .mentions
                .iter()
                .any(|m| m.block == block && m.start <= start && start < m.end && m.person == index)
        };
        let titled_elsewhere = self.text.blocks.iter().enumerate().any(|(b, block)| {
            // Most blocks do not have the word at all, and need not be split into words.
            if !block.text.contains(word) {
                return false;
            }
            let words = language::words(&block.text);
            (1..words.len()).any(|k| {
                let title = words[k - 1].text;
                words[k].text == word
                    && title.starts_with(|c: char| c.is_uppercase())
                    && (is_courtesy_title(title) || language::is_role_word(title))
                    && !is_this_person(b, words[k].start)
            })
        });
        (!titled_elsewhere).then_some(person)
    }

    /// The person "he" or "she" most likely means at `place`: the last person who was the subject of
    /// a sentence before it (outside quotations) or named as the speaker of a quotation ("said the
    /// chairman, Barry Sheerman"), else the last person mentioned. With `gender`, a person whose
    /// title says otherwise is passed over ("Sir Andrew Green ... She said").
    fn last_person_before(&self, place: Place, gender: Option<Gender>) -> Option<&LocalPerson> {
        let genders = gender.map(|_| {
            self.genders
                .get_or_init(|| genders_by_title(self.text, self.people))
        });
        // Made once for the article: each pronoun asks of every mention before it.
        let antecedents = self.antecedents.get_or_init(|| self.antecedents());
        let before: Vec<(&PersonMention, Antecedent)> = self
            .people
            .mentions
            .iter()
            .zip(antecedents.iter().copied())
            .filter(|&(m, antecedent)| {
                (m.block, m.end) <= (place.block, place.start)
                    && antecedent != Antecedent::Quoted
                    && genders.is_none_or(|known| known[m.person].is_none_or(|g| Some(g) == gender))
            })
            .collect();
        before
            .iter()
            .rev()
            .find(|(_, antecedent)| *antecedent == Antecedent::Likely)
            .or(before.last())
            .map(|(m, _)| &self.people.people[m.person])
    }

    /// What each person mention is to a pronoun after it (see [`Antecedent`]). A person named as
    /// a quotation's speaker is the attribution's head, not the one in "a spokesman for Tony
    /// Blair" or "an adviser to the minister".
    fn antecedents(&self) -> Vec<Antecedent> {
        let quote_places: Vec<&Place> = self.quotes.iter().flat_map(|q| &q.places).collect();
        let attributions: Vec<&Place> = self
            .quotes
            .iter()
            .filter_map(|q| match &q.attribution {
                Attribution::Words { place, .. } => Some(place),
                _ => None,
            })
            .collect();
        let named_speaker = |m: &PersonMention| {
            attributions.iter().any(|at| {
                let block = &self.text.blocks[m.block].text;
                at.block == m.block
                    && at.start <= m.start
                    && m.end <= at.end
                    && !language::words(&block[at.start..m.start])
                        .iter()
                        .any(|w| matches!(w.text, "for" | "to" | "of" | "with" | "at"))
            })
        };
        self.people
            .mentions
            .iter()
            .map(|m| {
                let quoted = quote_places
                    .iter()
                    .any(|p| p.block == m.block && p.start <= m.start && m.start < p.end);
                if quoted {
                    Antecedent::Quoted
                } else if m.subject || named_speaker(m) {
                    Antecedent::Likely
                } else {
                    Antecedent::Other
                }
            })
            .collect()
    }

    /// A person who is the speaking subject of an earlier sentence of the same block.
    fn subject_earlier_in_block(&self, place: Place) -> Option<&LocalPerson> {
        self.people
            .mentions
            .iter()
            .rfind(|m| m.block == place.block && m.end <= place.start && m.subject)
            .map(|m| &self.people.people[m.person])
    }

    /// A person whose mention ends just before `place`, separated by a comma: "NAME, DESCRIPTION said".
    /// A name that starts the sentence and stands before ", DESCRIPTION said" when the people pass
    /// did not take it for a person ("Colin Asplin, Blackpool Hotel Association said").
    fn name_before_appositive(&self, place: Place) -> Option<LocalPerson> {
        let block = &self.text.blocks[place.block].text;
        let before = block[..place.start].trim_end().strip_suffix(',')?;
        let sentence = language::sentence_starts(before)
            .into_iter()
            .last()
            .unwrap_or(0);
        let name = before[sentence..].trim();
        let tokens: Vec<&str> = name.split_whitespace().collect();
        let is_name =
            (2..=3).contains(&tokens.len()) && tokens.iter().all(|t| language::is_name_token(t));
        is_name.then(|| LocalPerson {
            name: name.to_string(),
            role: None,
            country: None,
            organisation: None,
            surname_only: false,
            gender: None,
        })
    }

    fn person_before_appositive(&self, place: Place) -> Option<&LocalPerson> {
        let block = &self.text.blocks[place.block].text;
        self.people
            .mentions
            .iter()
            .find(|m| {
                m.block == place.block
                    && m.end <= place.start
                    && block[m.end..place.start].trim() == ","
            })
            .map(|m| &self.people.people[m.person])
    }

    /// The speaker of the latest quotation that was not a person's.
    fn last_non_person(&self) -> Option<Speaker> {
        self.resolved
            .iter()
            .rev()
            .find(|s| !matches!(s.kind, SpeakerKind::Person | SpeakerKind::Unknown))
            .cloned()
    }

    /// The person of the article whose role the words name ("the CSTO chief"), the latest mentioned
    /// before the quotation when several fit.
    fn person_by_role(
        &self,
        words: &str,
        qualifier: Option<&Target>,
        place: Place,
    ) -> Option<&LocalPerson> {
        let role_nouns: Vec<&str> = language::words(words)
            .into_iter()
            .map(|w| w.text)
            .filter(|w| language::is_role_noun(w))
            .collect();
        self.people
            .by_role(&role_nouns, qualifier, (place.block, place.start))
            .map(|p| &self.people.people[p])
    }
}

fn place_speaker(target: &Target, entity: super::EntityRef, registry: &ArticleRegistry) -> Speaker {
    let name = registry.name(entity).to_string();
    let kind = match target {
        Target::Country(_) => SpeakerKind::Country,
        Target::Organisation(_) => SpeakerKind::Organisation,
    };
    Speaker {
        name: name.into(),
        kind,
        entity: Some(entity),
        belongs_to: None,
    }
}

/// Whether words the patterns took for a speaker can name one ("a spokesman", "critics", "the panel")
/// rather than a piece of a clause ("He went on to", "had").
fn plausible_speaker(words: &str) -> bool {
    let tokens: Vec<&str> = words.split_whitespace().collect();
    let Some(first) = tokens.first() else {
        return false;
    };
    let determiner = matches!(
        first.to_lowercase().as_str(),
        "the"
            | "a"
            | "an"
            | "his"
            | "her"
            | "their"
            | "its"
            | "one"
            | "some"
            | "many"
            | "most"
            | "several"
            | "two"
            | "three"
            | "officials"
            | "critics"
            | "experts"
            | "analysts"
            | "sources"
    );
    let clause_words = tokens.iter().any(|t| {
        matches!(
            t.to_lowercase().as_str(),
            "to" | "after"
                | "which"
                | "who"
                | "that"
                | "had"
                | "has"
                | "have"
                | "was"
                | "were"
                | "is"
                | "are"
                | "went"
                | "on"
                | "in"
                | "by"
                | "would"
                | "will"
                | "could"
                | "should"
                | "not"
                | "when"
                | "while"
                | "if"
                | "but"
                | "and"
        )
    });
    let capitalised = first.chars().next().is_some_and(char::is_uppercase);
    // One capitalised word that is no name ("Panel") is a piece of a clause, not a speaker.
    let stray_word =
        tokens.len() == 1 && !determiner && capitalised && !language::is_name_token(first);
    let lone_determiner = tokens.len() == 1 && determiner;
    (determiner || capitalised)
        && !clause_words
        && tokens.len() <= 5
        && !stray_word
        && !lone_determiner
}

/// The name of an institution written out: capitalised words, one of them an institution word
/// ("Committee", "Commission", "Executive"), with "and"/"of"/"for" between.
fn institution_name(words: &str) -> Option<String> {
    let tokens: Vec<&str> = words.split_whitespace().collect();
    let capitalised = |t: &&str| t.chars().next().is_some_and(char::is_uppercase);
    let joined_ok = tokens
        .iter()
        .all(|t| capitalised(t) || matches!(*t, "and" | "of" | "for" | "on" | "the" | "&"));
    let has_institution = tokens
        .iter()
        .any(|t| language::INSTITUTION_WORDS.contains(t));
    // "the Commons science and technology committee": a proper name, then words, then the noun.
    let ends_with_institution = tokens.last().is_some_and(|t| is_institution_noun(t));
    let named = tokens.len() >= 2 && tokens.first().is_some_and(capitalised);
    (named && (joined_ok && has_institution || ends_with_institution)).then(|| tokens.join(" "))
}

/// "committee", "Commission": a noun for an institution, in any case.
fn is_institution_noun(word: &str) -> bool {
    let mut chars = word.chars();
    let capitalised: String = chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect());
    language::INSTITUTION_WORDS.contains(capitalised.as_str())
}

/// A body's name in one form however the text writes it ("The Russian foreign ministry" and "the
/// Russian Foreign Ministry" are one speaker): each word capitalised but the small ones.
fn body_name(words: &str) -> String {
    words
        .split_whitespace()
        .enumerate()
        .map(|(i, word)| match word {
            "of" | "for" | "and" | "the" | "on" | "in" if i > 0 => word.to_string(),
            _ => capitalise_first(word),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Each person's gender as the courtesy titles before their mentions give it: none when no title
/// does, or when two disagree.
fn genders_by_title(text: &ArticleText, people: &ArticlePeople) -> Vec<Option<Gender>> {
    let mut genders: Vec<Option<Option<Gender>>> = vec![None; people.people.len()];
    for mention in &people.mentions {
        let before = text.blocks[mention.block].text[..mention.start].trim_end();
        // "Mr. Jones"; but after "Sir." a sentence ended.
        let (before, dotted) = match before.strip_suffix('.') {
            Some(rest) => (rest, true),
            None => (before, false),
        };
        let title = before
            .rsplit(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or("");
        let titled = !dotted || language::is_abbreviated_title(title);
        if let Some(gender) = language::title_gender(title).filter(|_| titled) {
            let known = &mut genders[mention.person];
            *known = match *known {
                None => Some(Some(gender)),
                Some(Some(g)) if g == gender => Some(Some(g)),
                Some(_) => Some(None),
            };
        }
    }
    genders.into_iter().map(Option::flatten).collect()
}

/// The earlier of two places.
fn earliest(a: Place, b: Place) -> Place {
    if (a.block, a.start) <= (b.block, b.start) {
        a
    } else {
        b
    }
}

/// "a Cabinet Office spokeswoman" -> "Cabinet Office": a capitalised name before a spokesperson,
/// or after one and "for" or "at" ("a spokeswoman for Human Rights Watch").
fn spokesperson_body(words: &str) -> Option<String> {
    let tokens: Vec<&str> = words.split_whitespace().collect();
    let is_spokesperson = |t: &&str| is_spokesperson_noun(t);
    let at = tokens.iter().position(is_spokesperson)?;
    let capitalised = |t: &&str| t.chars().next().is_some_and(char::is_uppercase);
    if at + 1 < tokens.len() {
        // "for the Home Office", "at Human Rights Watch": small words may join the name's words.
        let (preposition, name) = tokens[at + 1..].split_first()?;
        let name = name.strip_prefix(&["the"]).unwrap_or(name);
        let joins = |t: &&str| matches!(*t, "of" | "for" | "and" | "on");
        let is_name = matches!(*preposition, "for" | "at")
            && name.first().is_some_and(capitalised)
            && name.last().is_some_and(capitalised)
            && name.iter().all(|t| capitalised(t) || joins(t));
        return is_name.then(|| name.join(" "));
    }
    let rest: Vec<&str> = tokens[..at]
        .iter()
        .copied()
        .skip_while(|t| matches!(t.to_lowercase().as_str(), "a" | "an" | "the" | "one"))
        .collect();
    let name = rest.join(" ");
    let name = name.trim_end_matches("'s").trim_end_matches("’s");
    (!name.is_empty() && rest.iter().all(capitalised)).then(|| name.to_string())
}

/// Someone who speaks for another: "spokesman", "sources", "officials".
fn is_spokesperson_noun(word: &str) -> bool {
    matches!(
        word.to_lowercase().as_str(),
        "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "spokespeople"
            | "source"
            | "sources"
            | "official"
            | "officials"
    )
}

fn unknown() -> Speaker {
    Speaker {
        name: super::UNKNOWN_SPEAKER.into(),
        kind: SpeakerKind::Unknown,
        entity: None,
        belongs_to: None,
    }
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::spokesperson_body;

    #[test]
    fn a_spokesperson_speaks_for_the_body_named_before_or_after_them() {
        let body = |words: &str| spokesperson_body(words);
        assert_eq!(
            body("a Cabinet Office spokeswoman").as_deref(),
            Some("Cabinet Office")
        );
        assert_eq!(
            body("A spokeswoman for Human Rights Watch").as_deref(),
            Some("Human Rights Watch")
        );
        assert_eq!(
            body("a spokesman at the Department for Education and Skills").as_deref(),
            Some("Department for Education and Skills")
        );
        // No name after "for": no body.
        assert_eq!(body("a spokesman for years"), None);
        assert_eq!(body("a spokesman for the"), None);
    }
}
