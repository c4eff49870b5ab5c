//! The static search index: documents, shards by first letters, and data that cannot break out of
//! its script.

mod common;

use common::{article, Fixture};
use serde_json::Value;

/// The JSON argument of a `briefingSearch.<call>(...)` script.
fn script_data(site: &Fixture, path: &str, call: &str) -> Vec<Value> {
    let text = site.page(path);
    let inner = text
        .strip_prefix(&format!("briefingSearch.{call}("))
        .and_then(|t| t.strip_suffix(");\n"))
        .unwrap_or_else(|| panic!("{path} is not a {call} call: {text}"));
    serde_json::from_str(&format!("[{inner}]")).unwrap()
}

#[test]
fn every_article_quote_and_entity_is_a_document_found_by_its_words() {
    let site = Fixture::new();
    site.write(
        "content/articles/minsk.md",
        &article(
            "title: Talks in Minsk </script><b>\ndate: 2024-01-02",
            "Belarus hosted the talks.\n\n\"We will not take part,\" Armenian Prime Minister Nikol Pashinyan said.\n",
        ),
    );
    site.build_ok();
    let manifest = &script_data(&site, "search/index.js", "manifest")[0];
    // 1 article, 1 quote, and the entities: Armenia, Belarus, Nikol Pashinyan.
    assert_eq!(manifest["docs"], 5);
    let shards: Vec<&str> = manifest["shards"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    // "pashinyan" lives in the shard of "pa" (0x70, 0x61).
    assert!(shards.contains(&"70-61"), "{shards:?}");
    let shard = script_data(&site, "search/t/70-61.js", "shard");
    assert_eq!(shard[0], "70-61");
    let postings = shard[1]["pashinyan"]
        .as_array()
        .expect("pashinyan is indexed");
    // Pairs of (gap from the previous document, weight): the article, the quote and the person,
    // whose name weighs most. The article is number 0, its quotation 1, and the entities follow
    // the article's block of numbers for quotations, which has room for more (4 numbers): the
    // person, the third entity, is number 1 + 4 + 2 = 7.
    let numbers: Vec<u64> = postings.iter().filter_map(Value::as_u64).collect();
    assert_eq!(numbers.len(), 6);
    assert_eq!([numbers[0], numbers[2], numbers[4]], [0, 1, 6]);
    assert!(
        numbers[5] > numbers[1] && numbers[5] > numbers[3],
        "{numbers:?}"
    );
    // Stop words are not indexed.
    assert!(
        !shards.contains(&"74-68")
            || script_data(&site, "search/t/74-68.js", "shard")[1]
                .get("the")
                .is_none()
    );

    let docs = script_data(&site, "search/d/0.js", "docs");
    let titles: Vec<Option<&str>> = docs[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str())
        .collect();
    // The numbers of the quotation block that no quotation has are null.
    assert_eq!(
        titles,
        [
            Some("Talks in Minsk </script><b>"),
            Some("We will not take part"),
            None,
            None,
            None,
            Some("Armenia"),
            Some("Belarus"),
            Some("Nikol Pashinyan")
        ]
    );
    // The markup in the title is data, written so that it cannot close the script.
    assert!(!site.page("search/d/0.js").contains("</script>"));
    assert!(site.page("search.html").contains("search.js"));
}
