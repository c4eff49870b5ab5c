//! `briefing import`: raw pages in, `.md` articles out, through the command line.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::Fixture;

const PAGE: &str = "World\n\nTalks resume in Minsk\n\nBy Jane Roe | 13.09.2022\n\n\
    MINSK (Reuters) - Talks resumed on Tuesday, officials said.\n\n\"We are hopeful,\" the envoy said.\n\n\
    Share on Facebook\n\nRead more\nOther headline one\nOther headline two\nOther headline three\n";

#[test]
fn imports_a_file_with_its_guessed_front_matter() {
    let site = Fixture::new();
    site.write("scraped/talks.txt", PAGE);
    let run = site.run(&["import", "scraped/talks.txt", "--explain"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8(run.stdout).unwrap();
    assert!(stdout.contains("scraped/talks.txt -> content/articles/talks-resume-in-minsk.md: date 2022-09-13, author Jane Roe, source Reuters; kept 2 lines, dropped 7"), "{stdout}");
    assert!(
        stdout.contains("  line 1: \"World\" (before the headline)"),
        "{stdout}"
    );
    assert!(stdout.contains("imported 1 article, 0 failed"));
    let article = std::fs::read_to_string(
        site.root()
            .join("content/articles/talks-resume-in-minsk.md"),
    )
    .unwrap();
    assert_eq!(
        article,
        "---\ntitle: \"Talks resume in Minsk\"\ndate: 2022-09-13\nsource: \"Reuters\"\nauthor: \"Jane Roe\"\n\
         # url: https://\n# summary:\n# tags: []\n---\n\
         MINSK (Reuters) - Talks resumed on Tuesday, officials said.\n\n\"We are hopeful,\" the envoy said.\n"
    );
    // The imported article builds.
    site.build_ok();
    assert!(site
        .page("articles/talks-resume-in-minsk.html")
        .contains("We are hopeful"));
}

#[test]
fn never_overwrites_without_force() {
    let site = Fixture::new();
    site.write("scraped/talks.txt", PAGE);
    assert!(site.run(&["import", "scraped/talks.txt"]).status.success());
    let target = site
        .root()
        .join("content/articles/talks-resume-in-minsk.md");
    std::fs::write(&target, "edited by hand").unwrap();
    let again = site.run(&["import", "scraped/talks.txt"]);
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8(again.stderr).unwrap();
    assert!(stderr.contains("error: scraped/talks.txt: content/articles/talks-resume-in-minsk.md exists and was left as it is"), "{stderr}");
    assert!(stderr.contains("hint: pass --force to replace it"));
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "edited by hand");
    assert!(site
        .run(&["import", "scraped/talks.txt", "--force"])
        .status
        .success());
    assert_ne!(std::fs::read_to_string(&target).unwrap(), "edited by hand");
}

#[test]
fn takes_folders_patterns_and_standard_input() {
    let site = Fixture::new();
    site.write(
        "scraped/a.txt",
        "First story about trade\n\nThe first story says something.\n",
    );
    site.write(
        "scraped/b.txt",
        "Second story about trade\n\nThe second story says something.\n",
    );
    site.write("scraped/c.log", "not an article");
    let run = site.run(&["import", "scraped", "--into", "out1"]);
    assert!(String::from_utf8_lossy(&run.stdout).contains("imported 2 articles, 0 failed"));
    let run = site.run(&["import", "scraped/*.txt", "--into", "out2"]);
    assert!(String::from_utf8_lossy(&run.stdout).contains("imported 2 articles, 0 failed"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .args(["import", "-", "--into", "out3"])
        .current_dir(site.root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Pasted story about trade\n\nThe pasted story says something.\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success());
    assert!(site
        .root()
        .join("out3/pasted-story-about-trade.md")
        .is_file());
    let missing = site.run(&["import", "nothing/*.txt"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr)
        .contains("error: nothing/*.txt: the pattern matches no file"));
}
