//! Determinism: the same input gives byte-identical output whatever the number of threads, the
//! order in which the files were made (and so the order the file system lists them in), and the
//! folder the site lives in.

mod common;

use std::collections::BTreeMap;
use std::process::Command;

use common::{article, read_tree, Fixture};

/// The files of a site rich enough that every parallel step splits its work: 60 articles with
/// quotations, shared dates (ties to order), people, countries and organisations, and a note.
fn files() -> Vec<(String, String)> {
    let countries = [
        "Armenia",
        "Russia",
        "Kazakhstan",
        "Belarus",
        "Kyrgyzstan",
        "Tajikistan",
    ];
    let speakers = [
        "John Smith",
        "Anna Petrova",
        "Nikol Pashinyan",
        "Jens Stoltenberg",
    ];
    let mut files: Vec<(String, String)> = (0..60)
        .map(|i| {
            let country = countries[i % countries.len()];
            let other = countries[(i * 7 + 3) % countries.len()];
            let speaker = speakers[i % speakers.len()];
            let body = format!(
                "{country} and {other} met at the CSTO summit in Moscow on story {i}.\n\n\
                 \"We will not accept the terms of {other},\" said {speaker}, speaking for {country}.\n\n\
                 The United Nations and NATO watched. \"It is a hard time for the region,\" he said.\n"
            );
            (
                format!("content/articles/story-{i:02}.md"),
                article(
                    &format!("title: Story {i} on {country}\ndate: 2022-0{}-1{}", i % 9 + 1, i % 3),
                    &body,
                ),
            )
        })
        .collect();
    files.push((
        "content/people/anna-petrova.md".into(),
        "---\nname: Anna Petrova\nrole: Spokeswoman\ncountry: Russia\n---\nA spokeswoman.\n".into(),
    ));
    files
}

fn site_with_files_in(order: &[(String, String)]) -> Fixture {
    let site = Fixture::new();
    for (path, text) in order {
        site.write(path, text);
    }
    site
}

fn build_with_threads(site: &Fixture, threads: usize) -> BTreeMap<String, Vec<u8>> {
    let out = format!("out-{threads}");
    let run = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["build", "--output", &out])
        .env("RAYON_NUM_THREADS", threads.to_string())
        .current_dir(site.root())
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    read_tree(&site.root().join(out))
}

#[test]
fn output_is_the_same_with_one_thread_or_many() {
    let site = site_with_files_in(&files());
    let one = build_with_threads(&site, 1);
    assert!(one.len() > 100, "{} files", one.len());
    for threads in [2, 3, 8] {
        let many = build_with_threads(&site, threads);
        assert_eq!(
            one.keys().collect::<Vec<_>>(),
            many.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &one {
            assert!(
                many[path] == *bytes,
                "{path} differs with {threads} threads"
            );
        }
    }
}

#[test]
fn output_is_the_same_whatever_order_the_files_were_made_in_and_wherever_the_site_is() {
    let mut files = files();
    let forward = site_with_files_in(&files);
    files.reverse();
    // Interleave too, so that neither listing order matches the names' order.
    let (even, odd): (Vec<_>, Vec<_>) =
        files.into_iter().enumerate().partition(|(i, _)| i % 2 == 0);
    let shuffled: Vec<(String, String)> = odd.into_iter().chain(even).map(|(_, f)| f).collect();
    let backward = site_with_files_in(&shuffled);
    assert_ne!(forward.root(), backward.root());
    let a = build_with_threads(&forward, 2);
    let b = build_with_threads(&backward, 2);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs with another file order");
    }
}
