//! Reference data built into the binary: countries and territories (names, codes, adjectives,
//! capitals, cities) from open data sets via `scripts/reference-data.py`, and the curated lists of
//! international organisations and of metonyms ("the Kremlin"). See `data/README.md` for sources and
//! licences. A site extends or corrects this with its own notes in `content/`.

use std::sync::OnceLock;

use serde::Deserialize;

/// One country or territory.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
pub struct CountryRecord {
    /// ISO 3166-1 alpha-3, the country's id everywhere in briefing ("RUS").
    pub code3: String,
    pub code2: String,
    pub numeric: Option<String>,
    /// The canonical English short name ("Türkiye", "United Kingdom").
    pub name: String,
    pub official: String,
    /// Other names: official, alternative and short forms ("Russian Federation", "UK").
    pub names: Vec<String>,
    /// Adjectives and demonyms ("Armenian", "Tajik").
    pub adjectives: Vec<String>,
    pub capitals: Vec<String>,
    pub cities: Vec<String>,
    /// Names that often mean something else and need support from the article ("Georgia").
    pub weak: Vec<String>,
    pub region: Option<String>,
    pub subregion: Option<String>,
    pub independent: bool,
    pub un_member: bool,
}

/// One international organisation.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq, Hash)]
pub struct OrganisationRecord {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub acronyms: Vec<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// ISO alpha-3 codes of the member states.
    #[serde(default)]
    pub members: Vec<String>,
    pub founded: Option<i32>,
    pub kind: Option<String>,
    /// The id of the organisation this one belongs to (a UN agency's `un`).
    pub parent: Option<String>,
    /// The id of the organisation this one is an organ of (the UN Security Council's `un`): its
    /// names are mentions of that organisation, and it has no page of its own.
    #[serde(default)]
    pub organ_of: Option<String>,
}

/// A place name that stands for a country's government ("the Kremlin").
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Metonym {
    pub name: String,
    /// ISO alpha-3.
    pub country: String,
}

/// All built-in reference data.
#[derive(Debug)]
pub struct ReferenceData {
    pub countries: Vec<CountryRecord>,
    pub organisations: Vec<OrganisationRecord>,
    pub metonyms: Vec<Metonym>,
}

const COUNTRIES_JSON: &str = include_str!("../data/countries.json");
const ORGANISATIONS_YAML: &str = include_str!("../data/organisations.yaml");
const METONYMS_YAML: &str = include_str!("../data/metonyms.yaml");

impl ReferenceData {
    /// The built-in data, parsed once. The files are part of the source tree and checked by the
    /// tests, so a parse failure is a bug in the build, not in user input.
    pub fn builtin() -> &'static ReferenceData {
        static DATA: OnceLock<ReferenceData> = OnceLock::new();
        DATA.get_or_init(|| ReferenceData {
            countries: serde_json::from_str(COUNTRIES_JSON).expect("data/countries.json is valid"),
            organisations: crate::yaml::from_str(ORGANISATIONS_YAML)
                .expect("data/organisations.yaml is valid"),
            metonyms: crate::yaml::from_str(METONYMS_YAML).expect("data/metonyms.yaml is valid"),
        })
    }

    pub fn country(&self, code3: &str) -> Option<&CountryRecord> {
        self.countries.iter().find(|c| c.code3 == code3)
    }

    pub fn organisation(&self, id: &str) -> Option<&OrganisationRecord> {
        self.organisations.iter().find(|o| o.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_data_is_complete_and_consistent() {
        let data = ReferenceData::builtin();
        assert!(data.countries.len() >= 240, "every country and territory");
        assert!(data.organisations.len() >= 60);
        for organisation in &data.organisations {
            for member in &organisation.members {
                assert!(
                    data.country(member).is_some(),
                    "{}: unknown member {member}",
                    organisation.id
                );
            }
            for parent in organisation.parent.iter().chain(&organisation.organ_of) {
                assert!(
                    data.organisation(parent).is_some(),
                    "{}: unknown parent {parent}",
                    organisation.id
                );
            }
        }
        for metonym in &data.metonyms {
            assert!(data.country(&metonym.country).is_some(), "{}", metonym.name);
        }
    }

    #[test]
    fn carries_the_names_news_uses() {
        let data = ReferenceData::builtin();
        let turkey = data.country("TUR").unwrap();
        assert!(turkey.names.iter().any(|n| n == "Turkey"));
        assert!(data
            .country("TJK")
            .unwrap()
            .adjectives
            .iter()
            .any(|a| a == "Tajik"));
        assert!(data
            .country("KGZ")
            .unwrap()
            .adjectives
            .iter()
            .any(|a| a == "Kyrgyz"));
        assert!(data
            .country("MMR")
            .unwrap()
            .names
            .iter()
            .any(|n| n == "Burma"));
        assert!(data
            .country("ARE")
            .unwrap()
            .names
            .iter()
            .any(|n| n == "UAE"));
        assert!(data
            .country("UZB")
            .unwrap()
            .cities
            .iter()
            .any(|c| c == "Samarkand"));
        assert!(data
            .country("RUS")
            .unwrap()
            .cities
            .iter()
            .any(|c| c == "Sochi"));
    }
}
