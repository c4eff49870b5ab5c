//! Fixture sites for the integration tests: a temporary folder with `site.yaml`, the default theme
//! and whatever content a test writes, built through the library or the `briefing` binary.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use briefing::{BuildOptions, BuildSummary, Error};

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A site with the repository's default theme and a minimal `site.yaml`.
    pub fn new() -> Fixture {
        let fixture = Fixture {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        copy_tree(
            &repo_root().join("themes/default"),
            &fixture.root().join("themes/default"),
        );
        fixture.write("site.yaml", "title: Test briefing\n");
        fs::create_dir_all(fixture.root().join("content/articles")).unwrap();
        fixture
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn output(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, path: &str, text: &str) -> &Self {
        self.write_bytes(path, text.as_bytes())
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) -> &Self {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
        self
    }

    pub fn remove(&self, path: &str) {
        fs::remove_file(self.root().join(path)).unwrap();
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root().to_path_buf(),
            ..BuildOptions::default()
        }
    }

    pub fn build(&self) -> Result<BuildSummary, Error> {
        briefing::build(&self.options())
    }

    /// Builds and fails the test with every diagnostic when the build fails.
    pub fn build_ok(&self) -> BuildSummary {
        match self.build() {
            Ok(summary) => summary,
            Err(Error::Invalid(diagnostics)) => {
                let all: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
                panic!("build failed:\n{}", all.join("\n"))
            }
            Err(other) => panic!("build failed: {other}"),
        }
    }

    /// Builds and returns every diagnostic as its display text, failing if the build succeeds.
    pub fn build_errors(&self) -> Vec<String> {
        match self.build() {
            Ok(_) => panic!("the build should have failed"),
            Err(Error::Invalid(diagnostics)) => diagnostics.iter().map(|d| d.to_string()).collect(),
            Err(other) => panic!("unexpected failure: {other}"),
        }
    }

    /// Runs the `briefing` binary in the site's folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(args)
            .current_dir(self.root())
            .output()
            .expect("run briefing")
    }

    /// A built page's text.
    pub fn page(&self, path: &str) -> String {
        fs::read_to_string(self.output().join(path))
            .unwrap_or_else(|err| panic!("no page {path}: {err}"))
    }

    /// The names in the site's folder, sorted: what a build leaves beside its output.
    pub fn names_in_root(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Every file of the output folder, by relative path.
    pub fn output_files(&self) -> BTreeMap<String, Vec<u8>> {
        read_tree(&self.output())
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (relative, fs::read(e.path()).unwrap())
        })
        .collect()
}

/// The output folder as the link checker takes it.
pub fn as_output_files(tree: &BTreeMap<String, Vec<u8>>) -> Vec<briefing::render::OutputFile> {
    tree.iter()
        .map(|(path, bytes)| briefing::render::OutputFile {
            path: path.clone(),
            bytes: std::sync::Arc::<[u8]>::from(bytes.as_slice()).into(),
        })
        .collect()
}

/// An article file with the given front matter lines and body.
pub fn article(front_matter: &str, body: &str) -> String {
    format!("---\n{front_matter}\n---\n{body}")
}

/// A site of invented people who share a surname: Arthur Penhallow named in full in 4 articles
/// (and as "Mr Penhallow" there), Ian Penhallow in 1, and two articles with a titled surname only:
/// "Mr Penhallow" on the budget, "Baroness Penhallow" in the Lords.
pub fn penhallow_site() -> Fixture {
    let site = Fixture::new();
    for n in 1..=4 {
        site.write(
            &format!("content/articles/talks-{n}.md"),
            &article(
                &format!("title: Talks {n}\ndate: 2024-02-0{n}"),
                "Prime Minister Arthur Penhallow said the talks would go on. Mr Penhallow flies \
home on Friday.",
            ),
        );
    }
    site.write(
        "content/articles/police.md",
        &article(
            "title: Police\ndate: 2024-02-05",
            "Police chief Ian Penhallow said the roads would close.",
        ),
    );
    site.write(
        "content/articles/budget.md",
        &article(
            "title: Budget\ndate: 2024-02-06",
            "\"We will balance the books,\" Mr Penhallow said.",
        ),
    );
    site.write(
        "content/articles/lords.md",
        &article(
            "title: Lords\ndate: 2024-02-07",
            "\"The chamber will sit late,\" Baroness Penhallow said.",
        ),
    );
    site
}

/// Builds a site holding one good article and the given bad file, and returns the error lines
/// (`error: file:line:col: message`) without their hints.
pub fn errors_for(path: &str, bytes: &[u8]) -> Vec<String> {
    let site = Fixture::new();
    site.write(
        "content/articles/good.md",
        &article("title: Good", "Fine.\n"),
    );
    site.write_bytes(path, bytes);
    first_lines(site.build_errors())
}

/// The first line of each error (its hint left out).
pub fn first_lines(diagnostics: Vec<String>) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d.lines().next().unwrap().to_string())
        .filter(|d| d.starts_with("error"))
        .collect()
}

/// The first line of each warning of a build that succeeded.
pub fn warning_lines(summary: &BuildSummary) -> Vec<String> {
    summary
        .warnings
        .iter()
        .map(|w| w.to_string().lines().next().unwrap().to_string())
        .collect()
}
