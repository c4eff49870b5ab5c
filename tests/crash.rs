//! Crash safety: a build killed at any moment (SIGKILL, which no handler sees) leaves the previous
//! site, or the new one, whole and readable in the output folder, never a mix or nothing; the next
//! build removes what the killed one left behind; two builds never write one folder at once.

mod common;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{article, read_tree, Fixture};

/// A site big enough that writing it takes a while, with one article whose title is `flip`.
fn site_with(flip: &str) -> Fixture {
    let site = Fixture::new();
    for i in 0..300 {
        site.write(
            &format!("content/articles/story-{i:03}.md"),
            &article(
                &format!("title: Story {i}\ndate: 2022-09-{:02}", i % 28 + 1),
                &"\"Talks with Armenia and Russia will go on,\" said John Smith of the CSTO.\n\n\
                  The ministers met in Moscow to discuss the summit and the border.\n\n"
                    .repeat(5),
            ),
        );
    }
    write_flip(&site, flip);
    site
}

fn write_flip(site: &Fixture, title: &str) {
    site.write(
        "content/articles/flip.md",
        &article(&format!("title: {title}"), "The article that changes.\n"),
    );
}

fn build_command(site: &Fixture) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefing"));
    command
        .arg("build")
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    command
}

/// What a complete build of the site's current content writes.
fn complete_build(site: &Fixture) -> BTreeMap<String, Vec<u8>> {
    let status = build_command(site)
        .args(["--output", "expected"])
        .status()
        .unwrap();
    assert!(status.success());
    let tree = read_tree(&site.root().join("expected"));
    std::fs::remove_dir_all(site.root().join("expected")).unwrap();
    std::fs::remove_file(site.root().join(".expected.lock")).unwrap();
    tree
}

#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site_and_the_next_build_cleans_up() {
    let site = site_with("Flip A");
    let tree_a = complete_build(&site);
    write_flip(&site, "Flip B");
    let tree_b = complete_build(&site);
    assert_ne!(tree_a, tree_b);

    // A build that replaces a site, timed, to space the kills over a whole one.
    assert!(build_command(&site).status().unwrap().success());
    write_flip(&site, "Flip A");
    let started = Instant::now();
    assert!(build_command(&site).status().unwrap().success());
    let build_time = started.elapsed();
    let mut current = &tree_a;
    assert_eq!(&site.output_files(), current);

    let kills = 24;
    let mut killed_while_running = 0;
    for i in 0..kills {
        let (next_title, next) = if std::ptr::eq(current, &tree_a) {
            ("Flip B", &tree_b)
        } else {
            ("Flip A", &tree_a)
        };
        write_flip(&site, next_title);
        let mut child = build_command(&site).spawn().unwrap();
        // Evenly over the build and a little past it, so that every stage, the writing and the
        // swap are hit.
        let at = build_time.mul_f64(f64::from(i) / f64::from(kills - 6));
        std::thread::sleep(at);
        if child.try_wait().unwrap().is_none() {
            killed_while_running += 1;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(
            site.output().join("index.html").is_file(),
            "kill {i} at {at:?} of {build_time:?} left no site"
        );
        let output = site.output_files();
        if &output == next {
            current = next;
        } else {
            assert!(
                &output == current,
                "kill {i} at {at:?} of {build_time:?} left a site that is neither the previous one nor the new one"
            );
        }
    }
    assert!(
        killed_while_running >= kills / 2,
        "only {killed_while_running} of {kills} kills landed during a build"
    );

    // The next build finishes the job and leaves nothing of the killed ones behind.
    assert!(build_command(&site).status().unwrap().success());
    let beside = site.names_in_root();
    assert_eq!(
        beside,
        [".public.lock", "content", "public", "site.yaml", "themes"]
    );
}

#[test]
fn a_second_build_into_a_folder_being_written_is_refused_and_the_first_is_untouched() {
    let site = Fixture::new();
    site.write("content/articles/a.md", &article("title: A", "Text.\n"));
    site.build_ok();
    let before = site.output_files();
    // Stand in for a build in progress: hold its lock.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(site.root().join(".public.lock"))
        .unwrap();
    lock.lock().unwrap();
    site.write("content/articles/b.md", &article("title: B", "Text.\n"));
    let run = site.run(&["build"]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("another briefing build is writing") && stderr.contains("public"),
        "{stderr}"
    );
    assert_eq!(before, site.output_files());
    drop(lock);
    assert!(site.run(&["build"]).status.success());
    assert!(site.output_files().contains_key("articles/b.html"));
}

#[test]
fn leftovers_of_a_killed_build_are_removed_by_the_next() {
    let site = Fixture::new();
    site.write("content/articles/a.md", &article("title: A", "Text.\n"));
    site.build_ok();
    // What a build killed while writing leaves: a half-written temporary folder.
    site.write(".public.tmp-999999/articles/a.html", "<p>half");
    site.write(".public.tmp-999999/.briefing-output", "");
    site.build_ok();
    assert!(!site.root().join(".public.tmp-999999").exists());
    assert!(site.page("articles/a.html").contains("Text."));
}
