//! `briefing import`: turns raw scraped articles into `.md` articles an editor can finish: the
//! cleaned body, and front matter with what the text says (title, date, author, source) and the
//! rest present but commented out, to fill in. It never overwrites a file unless told to.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::clean::{self, Cleaned};
use crate::content::decode_text;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug;

/// What to import, and where.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Files, folders (their `.txt` files), glob patterns, or `-` for standard input.
    pub inputs: Vec<String>,
    /// The folder the `.md` files go to.
    pub into: PathBuf,
    /// Replace existing files.
    pub force: bool,
}

/// One imported article.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The input as given (`-` for standard input).
    pub input: String,
    pub output: PathBuf,
    pub cleaned: Cleaned,
}

/// What an import did: the articles written, and every problem, as diagnostics.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub imported: Vec<Imported>,
    pub diagnostics: Diagnostics,
}

/// Imports every input. Inputs that fail are reported and the others still imported.
pub fn import(options: &ImportOptions) -> ImportReport {
    let mut report = ImportReport::default();
    let inputs = expand_inputs(&options.inputs, &mut report.diagnostics);
    if let Err(err) = fs::create_dir_all(&options.into) {
        report.diagnostics.push(Diagnostic::error(
            &options.into,
            format!("cannot create the folder: {err}"),
        ));
        return report;
    }
    let mut taken: Vec<PathBuf> = Vec::new();
    for input in inputs {
        let shown = PathBuf::from(&input);
        let bytes = if input == "-" {
            let mut bytes = Vec::new();
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => bytes,
                Err(err) => {
                    report.diagnostics.push(Diagnostic::error(
                        "-",
                        format!("cannot read standard input: {err}"),
                    ));
                    continue;
                }
            }
        } else {
            match fs::read(&input) {
                Ok(bytes) => bytes,
                Err(err) => {
                    report.diagnostics.push(
                        Diagnostic::error(&shown, format!("cannot read: {err}"))
                            .with_hint("check the path"),
                    );
                    continue;
                }
            }
        };
        let Some(text) = decode_text(bytes, &shown, true, &mut report.diagnostics) else {
            continue;
        };
        let cleaned = clean::clean(&text);
        let Some(title) = cleaned.title.clone() else {
            report
                .diagnostics
                .push(Diagnostic::error(&shown, "the file is empty: nothing to import").at(1, 1));
            continue;
        };
        let output = output_path(&options.into, &title, &taken);
        if output.exists() && !options.force {
            report.diagnostics.push(
                Diagnostic::error(
                    &shown,
                    format!("{} exists and was left as it is", output.display()),
                )
                .with_hint("pass --force to replace it, or move it away first"),
            );
            taken.push(output);
            continue;
        }
        if let Err(err) = fs::write(&output, article_file(&cleaned)) {
            report
                .diagnostics
                .push(Diagnostic::error(&output, format!("cannot write: {err}")));
            continue;
        }
        taken.push(output.clone());
        report.imported.push(Imported {
            input,
            output,
            cleaned,
        });
    }
    report
}

/// Files, folders and patterns to a list of files, in a stable order.
fn expand_inputs(inputs: &[String], diagnostics: &mut Diagnostics) -> Vec<String> {
    let mut out = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if input == "-" {
            out.push(input.clone());
        } else if path.is_dir() {
            let mut files: Vec<String> = walkdir::WalkDir::new(path)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| {
                    e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "txt")
                })
                .map(|e| e.path().to_string_lossy().into_owned())
                .collect();
            if files.is_empty() {
                diagnostics.push(Diagnostic::warning(
                    path,
                    "the folder has no .txt files to import",
                ));
            }
            out.append(&mut files);
        } else if input.contains(['*', '?', '[']) {
            match glob::glob(input) {
                Ok(paths) => {
                    let mut files: Vec<String> = paths
                        .filter_map(Result::ok)
                        .filter(|p| p.is_file())
                        .map(|p| p.to_string_lossy().into_owned())
                        .collect();
                    files.sort();
                    if files.is_empty() {
                        diagnostics.push(Diagnostic::error(
                            input.as_str(),
                            "the pattern matches no file",
                        ));
                    }
                    out.append(&mut files);
                }
                Err(err) => diagnostics.push(Diagnostic::error(
                    input.as_str(),
                    format!("not a valid pattern: {err}"),
                )),
            }
        } else {
            out.push(input.clone());
        }
    }
    out
}

/// `<into>/<slug of the title>.md`, numbered when an earlier input of this run took the name.
fn output_path(into: &Path, title: &str, taken: &[PathBuf]) -> PathBuf {
    let mut base = slug::slugify(title);
    // Long headlines make long file names: cut at a word boundary.
    if base.len() > 60 {
        base.truncate(60);
        if let Some(cut) = base.rfind('-') {
            base.truncate(cut);
        }
    }
    if base.is_empty() {
        base = "article".into();
    }
    let mut path = into.join(format!("{base}.md"));
    let mut n = 2;
    while taken.contains(&path) {
        path = into.join(format!("{base}-{n}.md"));
        n += 1;
    }
    path
}

/// The `.md` file for a cleaned article: known fields set, unknown ones commented, then the body.
pub fn article_file(cleaned: &Cleaned) -> String {
    let mut out = String::from("---\n");
    out.push_str(&format!(
        "title: {}\n",
        yaml_string(cleaned.title.as_deref().unwrap_or(""))
    ));
    match (cleaned.date, cleaned.day_month) {
        (Some(date), _) => out.push_str(&format!("date: {}\n", date.format("%Y-%m-%d"))),
        (None, Some((month, day))) => out.push_str(&format!(
            "# date: YYYY-{month:02}-{day:02}   # the text gives the day without the year\n"
        )),
        (None, None) => out.push_str("# date: YYYY-MM-DD\n"),
    }
    for (key, value) in [("source", &cleaned.source), ("author", &cleaned.author)] {
        match value {
            Some(value) => out.push_str(&format!("{key}: {}\n", yaml_string(value))),
            None => out.push_str(&format!("# {key}:\n")),
        }
    }
    out.push_str("# url: https://\n# summary:\n# tags: []\n---\n");
    out.push_str(&cleaned.body);
    out
}

/// A YAML double-quoted string.
fn yaml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_known_fields_and_comments_the_rest() {
        let cleaned = clean::clean("Talks \"resume\" in Minsk\n\nMOSCOW, November 23. /TASS/. Leaders met in Minsk on Thursday.\n");
        let file = article_file(&cleaned);
        assert_eq!(
            file,
            "---\ntitle: \"Talks \\\"resume\\\" in Minsk\"\n# date: YYYY-11-23   # the text gives the day without the year\n\
             source: \"TASS\"\n# author:\n# url: https://\n# summary:\n# tags: []\n---\n\
             MOSCOW, November 23. /TASS/. Leaders met in Minsk on Thursday.\n"
        );
        let mut diagnostics = Diagnostics::new();
        let article = crate::content::Article::parse(
            Path::new("a.md"),
            crate::content::ArticleFormat::Markdown,
            &file,
            &mut diagnostics,
        )
        .unwrap();
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(article.title, "Talks \"resume\" in Minsk");
    }

    #[test]
    fn names_files_by_title() {
        let into = Path::new("content/articles");
        assert_eq!(output_path(into, "CSTO chief: ‘Yerevan doesn’t participate in our work, but there are no statements about suspension’", &[]),
            into.join("csto-chief-yerevan-doesnt-participate-in-our-work-but-there.md"));
        let taken = vec![into.join("a-b.md")];
        assert_eq!(output_path(into, "A b", &taken), into.join("a-b-2.md"));
    }
}
