//! Derivation on articles written for these tests: countries, organisations and people found in the
//! text, quotations attributed, entity pages and the data export linked together.

mod common;

use common::{article, Fixture};

const STORY: &str = "French Foreign Minister Jean Dupont met his German counterpart, Anna Schmidt, in Berlin on Monday, \
before both flew to a NATO meeting.

\"We stand together with our partners, and we will not be divided,\" Dupont said after the talks.

Schmidt said the talks were \"constructive\" and added: \"Germany will continue to support Ukraine for as long as it takes.\"

The French Foreign Ministry said the meeting had been \"very productive\". Paris has called for a \"road map\" to peace.

Let us hope the US and the UN agree, as the song \"Stand Together\" has it.
";

fn site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/articles/talks.md",
        &article(
            "title: Ministers meet in Berlin\ndate: 2024-01-15\nsource: Test Wire",
            STORY,
        ),
    );
    site
}

fn json(site: &Fixture) -> serde_json::Value {
    serde_json::from_str(&site.page("data/briefing.json")).unwrap()
}

/// The data export of a site of one article with `body`.
fn one_article(body: &str) -> serde_json::Value {
    let site = Fixture::new();
    site.write(
        "content/articles/story.md",
        &article("title: A story\ndate: 2024-02-01", body),
    );
    site.build_ok();
    json(&site)
}

/// The name of the speaker of the quotation with `text` in a site's data.
fn speaker_of(data: &serde_json::Value, text: &str) -> String {
    let quote = data["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"] == text);
    let quote = quote.unwrap_or_else(|| panic!("no quotation {text:?}"));
    quote["speaker"]["name"].as_str().unwrap().to_string()
}

fn names(value: &serde_json::Value, key: &str) -> Vec<String> {
    value[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn finds_countries_organisations_and_people() {
    let site = site();
    site.build_ok();
    let data = json(&site);
    assert_eq!(
        names(&data, "countries"),
        ["France", "Germany", "Ukraine", "United States"]
    );
    assert_eq!(
        names(&data, "organisations"),
        ["North Atlantic Treaty Organization", "United Nations"]
    );
    let people = &data["people"];
    let dupont = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Jean Dupont")
        .expect("Jean Dupont");
    assert_eq!(dupont["role"], "Foreign Minister");
    assert_eq!(dupont["country"], "FRA");
    let schmidt = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Anna Schmidt")
        .expect("Anna Schmidt");
    assert_eq!(schmidt["country"], "DEU");
    assert_eq!(people.as_array().unwrap().len(), 2, "{people}");
}

#[test]
fn attributes_each_quotation_and_skips_terms() {
    let site = site();
    site.build_ok();
    let data = json(&site);
    let quotes: Vec<(String, bool, String, String)> = data["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["text"].as_str().unwrap().to_string(),
                q["partial"].as_bool().unwrap(),
                q["speaker"]["name"].as_str().unwrap().to_string(),
                q["speaker"]["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (
            "We stand together with our partners, and we will not be divided,",
            false,
            "Jean Dupont",
            "person",
        ),
        ("constructive", true, "Anna Schmidt", "person"),
        (
            "Germany will continue to support Ukraine for as long as it takes.",
            false,
            "Anna Schmidt",
            "person",
        ),
        ("very productive", true, "French Foreign Ministry", "body"),
    ];
    let expected: Vec<(String, bool, String, String)> = expected
        .iter()
        .map(|(t, p, s, k)| (t.to_string(), *p, s.to_string(), k.to_string()))
        .collect();
    assert_eq!(quotes, expected);
}

#[test]
fn quotations_link_both_ways() {
    let site = site();
    site.build_ok();
    let data = json(&site);
    let q3 = &data["quotes"][2];
    assert_eq!(q3["id"], "talks/q3");
    assert_eq!(q3["href"], "articles/talks.html#q3");
    assert_eq!(q3["countries"], serde_json::json!(["DEU", "UKR"]));

    let page = site.page("articles/talks.html");
    assert!(page
        .contains("<span class=\"quote\" id=\"q3\" title=\"Anna Schmidt\">Germany will continue"));
    assert!(page.contains("<a href=\"../people/anna-schmidt.html\">Anna Schmidt</a>"));
    // The first mention of each entity links to its page; the title stays plain.
    assert!(page.contains(
        "<a class=\"mention mention-country\" href=\"../countries/france.html\">French</a>"
    ));
    assert!(page.contains("<h1 id=\"title\">Ministers meet in Berlin</h1>"));

    let germany = site.page("countries/germany.html");
    assert!(
        germany.contains("Quotes by Germany"),
        "Schmidt is German, so her quotes are Germany's"
    );
    assert!(germany.contains("Quotes that mention Germany"));
    assert!(germany.contains("href=\"../articles/talks.html#q3\""));
    assert!(germany.contains("href=\"../people/anna-schmidt.html\">Anna Schmidt</a>"));
    let france = site.page("countries/france.html");
    assert!(
        france.contains("French Foreign Ministry"),
        "the ministry's quote belongs to France"
    );
    let quotes = site.page("quotes/index.html");
    assert!(
        quotes.find("Anna Schmidt").unwrap() < quotes.find("Jean Dupont").unwrap(),
        "most quoted first"
    );

    let broken = briefing::linkcheck::broken_links(&common::as_output_files(&site.output_files()));
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn ids_are_stable_across_builds_and_unrelated_edits() {
    let site = site();
    site.build_ok();
    let first = json(&site);
    site.write(
        "content/articles/other.md",
        &article("title: Other\ndate: 2020-01-01", "Nothing here.\n"),
    );
    site.build_ok();
    let second = json(&site);
    assert_eq!(first["quotes"], second["quotes"]);
    assert_eq!(first["people"], second["people"]);
}

#[test]
fn front_matter_adds_and_excludes_derived_names() {
    let site = Fixture::new();
    site.write(
        "content/articles/a.md",
        &article(
            "title: A\ncountries: [Japan]\nexclude:\n  countries: [Germany]",
            "The German and French leaders met.\n",
        ),
    );
    site.build_ok();
    let data = json(&site);
    assert_eq!(names(&data, "countries"), ["France", "Japan"]);
    assert!(!site.output_files().contains_key("countries/germany.html"));
}

#[test]
fn derived_names_that_want_one_page_never_fail_the_build() {
    let site = Fixture::new();
    // One person under two spellings is one page; two names with one slug get two pages.
    site.write(
        "content/articles/a.md",
        &article("title: A\npeople: [\"Cormac Murphy-O'Connor\", \"Cormac Murphy O'Connor\", \"Mary O'Brien\", \"Mary OBrien\"]", "x\n"),
    );
    site.build_ok();
    let files = site.output_files();
    let people: Vec<&String> = files
        .keys()
        .filter(|p| p.starts_with("people/") && p.ends_with(".html") && *p != "people/index.html")
        .collect();
    assert_eq!(
        people,
        [
            "people/cormac-murphy-oconnor.html",
            "people/mary-obrien-2.html",
            "people/mary-obrien.html"
        ]
    );
}

#[test]
fn an_organ_of_an_organisation_is_that_organisation() {
    let site = Fixture::new();
    site.write(
        "content/articles/a.md",
        &article(
            "title: A\norganisations: [UN General Assembly]",
            "The UN Security Council met, and the WHO spoke.\n",
        ),
    );
    site.build_ok();
    let data = json(&site);
    // The Security Council and the General Assembly are the UN; the WHO is an agency of its own.
    assert_eq!(
        names(&data, "organisations"),
        ["United Nations", "World Health Organization"]
    );
}

#[test]
fn a_person_two_articles_spell_differently_is_one_speaker_under_one_name() {
    // Neither name is found by the people pass ("NAME, DESCRIPTION said" makes the person when the
    // speaker is resolved), and the two spellings share one name key: one person, whose quotations
    // all carry the name the first article in reading order gave.
    let site = Fixture::new();
    for (file, date, name) in [
        ("a.md", "2024-03-02", "José Dupont"),
        ("b.md", "2024-03-01", "Jose Dupont"),
    ] {
        site.write(
            &format!("content/articles/{file}"),
            &article(
                &format!("title: Hotels in {file}\ndate: {date}\nsource: Test Wire"),
                &format!(
                    "Bookings fell this spring.\n\n{name}, Blackpool Hotel Association said: \"The season was the worst in years.\"\n"
                ),
            ),
        );
    }
    site.build().unwrap();
    let data = json(&site);
    let speakers: Vec<&str> = data["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["speaker"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(speakers.len(), 2, "{data}");
    assert_eq!(speakers[0], speakers[1], "{speakers:?}");
    assert_eq!(names(&data, "people").len(), 1, "{data}");
}

#[test]
fn he_and_she_pass_over_a_person_whose_title_says_otherwise() {
    // The man's surname also ends a place name just before "she" ("Market Hale"), so without the
    // titles the last person named would be him.
    let body = "Sir Peter Hale, who chairs the ports board, says the rules are clear. He said: \
\"Nothing in the law needs to change this year.\"

Ms Okafor, councillor for Market Hale, believes the rules must be rewritten. She said the board was \
\"looking the other way\" and added: \"We will put a motion to the council next month.\"

Mr Hale said he would meet her.";
    let data = one_article(body);
    let speakers: Vec<(String, String)> = data["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["text"].as_str().unwrap().to_string(),
                q["speaker"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        speakers,
        [
            (
                "Nothing in the law needs to change this year.",
                "Peter Hale"
            ),
            ("looking the other way", "Okafor"),
            ("We will put a motion to the council next month.", "Okafor"),
        ]
        .map(|(t, s)| (t.to_string(), s.to_string()))
    );
}

#[test]
fn a_place_that_is_a_persons_name_names_no_country() {
    let site = Fixture::new();
    site.write(
        "content/articles/shops.md",
        &article(
            "title: Shops sell out\ndate: 2024-02-01",
            "\"It sold out in an hour,\" said Mr Ireland, who runs a chain of stores in Leeds.",
        ),
    );
    site.build_ok();
    let data = json(&site);
    assert_eq!(names(&data, "people"), ["Ireland"]);
    // Leeds names its country; Mr Ireland does not name his.
    assert_eq!(names(&data, "countries"), ["United Kingdom"]);
}

#[test]
fn a_titled_subject_after_another_name_and_a_comma_is_the_speaker() {
    // Invented people: a speech "on the re-election of NAME, Ms SURNAME said" is the titled
    // speaker's, not the re-elected man's, whose middle initial also keeps his name whole.
    let body = "Opposition leader Martha Quell has asked for a timetable, her office said.

In a speech on the re-election of Peter J Ostrander, Ms Quell said the region had become a \
\"crucible of unrest\".";
    let data = one_article(body);
    let mut people = names(&data, "people");
    people.sort();
    assert_eq!(people, ["Martha Quell", "Peter Ostrander"]);
    let quote = &data["quotes"][0];
    assert_eq!(quote["text"], "crucible of unrest");
    assert_eq!(quote["speaker"]["name"], "Martha Quell");
}

#[test]
fn a_speaker_called_by_one_word_of_a_full_name_is_that_person() {
    // Invented names. News calls some people by their given name alone, as is the custom for
    // Ethiopian names: "Haile told reporters" after "Haile Mekonnen Worku".
    let named =
        "\"The clinics will reopen this week,\" Director-General Haile Mekonnen Worku said.";
    let told = "\"Supplies are still short,\" Haile told reporters.";
    let data = one_article(&format!("{named}\n\n{told}"));
    assert_eq!(
        speaker_of(&data, "Supplies are still short,"),
        "Haile Mekonnen Worku"
    );
    // Or by one name of several, also after a title: "Lula" for Luiz Inacio Lula da Silva.
    let body = "President Anselmo Brava da Cunha opened the summit.

\"We will not wait,\" President Brava said.

\"The talks are over,\" Brava told reporters.";
    let data = one_article(body);
    assert_eq!(names(&data, "people"), ["Anselmo Brava da Cunha"]);
    assert_eq!(
        speaker_of(&data, "We will not wait,"),
        "Anselmo Brava da Cunha"
    );
    assert_eq!(
        speaker_of(&data, "The talks are over,"),
        "Anselmo Brava da Cunha"
    );
    // A word that starts two people's names means neither.
    let other = "Minister Haile Dawit Bekele said the roads were open.";
    let data = one_article(&format!("{named}\n\n{other}\n\n{told}"));
    assert_eq!(speaker_of(&data, "Supplies are still short,"), "Haile");
    // A royal who goes by the word is someone else; the word alone is his.
    let titled = "Prince Haile visited the clinic on Friday.";
    let data = one_article(&format!("{named}\n\n{titled}\n\n{told}"));
    assert_eq!(
        speaker_of(&data, "Supplies are still short,"),
        "Prince Haile"
    );
    // A titled "the Prince Haile" makes no person, but still says the word is someone else's.
    let titled = "A dinner was given for the Prince Haile on Friday.";
    let data = one_article(&format!("{named}\n\n{titled}\n\n{told}"));
    assert_ne!(
        speaker_of(&data, "Supplies are still short,"),
        "Haile Mekonnen Worku"
    );
}

#[test]
fn a_family_name_with_its_particle_after_a_title_is_the_person_named_in_full() {
    // Invented names: "Ms von der Wahl" is Greta von der Wahl, and so is "von der Wahl said".
    let body = "Finance Minister Greta von der Wahl presented the budget.

\"The sums add up,\" said Ms von der Wahl.

\"We will borrow less,\" von der Wahl said.";
    let data = one_article(body);
    assert_eq!(names(&data, "people"), ["Greta von der Wahl"]);
    assert_eq!(speaker_of(&data, "The sums add up,"), "Greta von der Wahl");
    assert_eq!(
        speaker_of(&data, "We will borrow less,"),
        "Greta von der Wahl"
    );
    // Named only so, she is a person by her family name, particle and all.
    let data = one_article("\"The sums add up,\" said Ms von der Wahl.");
    assert_eq!(names(&data, "people"), ["von der Wahl"]);
}

#[test]
fn a_name_after_a_kind_of_organisation_is_no_person() {
    // Invented names: "investment bank Calloway Brandt" is a bank, whose words are its own; a
    // producer is a person by trade.
    let body = "\"Demand will recover next year,\" investment bank Calloway Brandt said.

\"The film is finished,\" said producer Mirela Oston.";
    let data = one_article(body);
    assert_eq!(names(&data, "people"), ["Mirela Oston"]);
    let quote = &data["quotes"][0];
    assert_eq!(quote["speaker"]["name"], "Calloway Brandt");
    assert_eq!(quote["speaker"]["kind"], "body");
}

#[test]
fn a_bare_surname_is_the_person_the_site_names_far_more_often_and_of_its_gender() {
    // Invented names (see `penhallow_site`): four articles name Arthur Penhallow, one Ian
    // Penhallow; two give only a titled surname and no full name of their own.
    let site = common::penhallow_site();
    site.build_ok();
    let data = json(&site);
    assert_eq!(
        speaker_of(&data, "We will balance the books,"),
        "Arthur Penhallow"
    );
    // Arthur Penhallow is a man ("Mr Penhallow" joined him): the baroness is someone else.
    assert_eq!(speaker_of(&data, "The chamber will sit late,"), "Penhallow");
}

#[test]
fn a_name_in_apposition_after_a_long_role_is_the_speaker_and_the_antecedent_of_he() {
    // Invented people. The first speaker is named only after a long description and a comma,
    // behind a party and a role ("Labour MP"); his "he wrote" is his, not that of the man who was
    // the subject of a sentence before. The second is introduced as "ROLE of THING, NAME,".
    let body = "Sir Owen Marsh himself was briefed only this week.

\"It will be a tragedy if ministers back down,\" said the chairman of the Commons transport \
select committee, Labour MP Gareth Pellow.

His main concern was the timetable. \"We must fix the network we have,\" he wrote in a column.

The chief inspector of railways, Helen Darby, also said recently that the plan should go. \
\"The network cannot wait,\" she said.";
    let data = one_article(body);
    let mut people = names(&data, "people");
    people.sort();
    assert_eq!(people, ["Gareth Pellow", "Helen Darby", "Owen Marsh"]);
    for (text, speaker) in [
        (
            "It will be a tragedy if ministers back down,",
            "Gareth Pellow",
        ),
        ("We must fix the network we have,", "Gareth Pellow"),
        ("The network cannot wait,", "Helen Darby"),
    ] {
        assert_eq!(speaker_of(&data, text), speaker, "{text}");
    }
    let darby = data["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Helen Darby")
        .unwrap();
    assert_eq!(darby["role"], "chief inspector of railways");
}

#[test]
fn speakers_are_found_past_a_description_an_audience_a_possessive_a_time_and_a_bare_role() {
    // Invented people and bodies, one attribution pattern of news copy per paragraph.
    let body = "\"The slowdown is not deep,\" Anna Kovacs, a senior economist with the OECD, \
told the BBC's World Business Report.

\"Demand will recover,\" added Marsh and Partners' chief analyst Tomas Reyes. \"Costs are \
falling,\" added Kellerman's Ravi Mehra.

Research by the Equal Pay Commission last year revealed that many believe the pay gap is the \
result of \"natural differences\".

Robert Pellow said the government had too much power. The former cabinet secretary said in an \
interview: \"There is too much central control.\"

\"The review will report in June,\" said a Home Office spokesman. \"It will be published in \
full,\" the spokesman added.";
    let data = one_article(body);
    for (text, speaker) in [
        ("The slowdown is not deep,", "Anna Kovacs"),
        ("Demand will recover,", "Tomas Reyes"),
        ("Costs are falling,", "Ravi Mehra"),
        ("natural differences", "Equal Pay Commission"),
        ("There is too much central control.", "Robert Pellow"),
        ("The review will report in June,", "Home Office"),
        ("It will be published in full,", "Home Office"),
    ] {
        assert_eq!(speaker_of(&data, text), speaker, "{text}");
    }
}

/// The export's layout, which is written by hand: keys in a fixed order, missing values as `null`,
/// members on organisations only, and no `<`, `>` or `&` in its text, so that it can sit in a page.
#[test]
fn the_export_keeps_its_layout_and_escapes_markup() {
    let site = Fixture::new();
    site.write(
        "content/articles/talks.md",
        &article(
            "title: Talks & <tea> in Berlin\ndate: 2024-01-15\nsource: Test Wire",
            STORY,
        ),
    );
    site.build_ok();
    let text = site.page("data/briefing.json");
    assert!(
        text.starts_with(
            "{\"articles\":[{\"id\":\"talks\",\"title\":\"Talks \\u0026 \\u003ctea\\u003e in \
             Berlin\",\"date\":\"2024-01-15\",\"source\":\"Test Wire\",\"author\":null,\"url\":null,\
             \"href\":\"articles/talks.html\",\"countries\":["
        ),
        "{text}"
    );
    assert!(!text.contains(['<', '>', '&']), "{text}");
    assert!(text.ends_with("]}\n"), "{text}");
    // The top-level lists, each of objects (an article's own lists are of ids).
    let sections = [
        "}],\"countries\":[{",
        "}],\"organisations\":[{",
        "}],\"people\":[{",
        "}],\"quotes\":[{",
    ];
    let places: Vec<usize> = sections
        .iter()
        .map(|key| text.find(key).unwrap_or_else(|| panic!("no {key}")))
        .collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "{places:?}");
    assert!(
        text.contains("{\"id\":\"talks/q1\",\"article\":\"talks\",\"text\":"),
        "{text}"
    );
    let data: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(data["articles"][0]["title"], "Talks & <tea> in Berlin");
    let countries = data["countries"].as_array().unwrap();
    let organisations = data["organisations"].as_array().unwrap();
    assert!(!countries.is_empty() && !organisations.is_empty());
    assert!(countries.iter().all(|c| c.get("members").is_none()));
    assert!(organisations.iter().all(|o| o["members"].is_array()));
}
