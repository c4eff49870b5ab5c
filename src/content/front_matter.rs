//! Front matter: splitting a Markdown file into its YAML header and body, and reading the header's
//! fields with a diagnostic (file, line, column, hint) for every problem found, not only the first.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::yaml::{self, Mapping, Value};

/// A file split at its front matter fences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences, or `None` when the file does not open with `---`.
    pub front_matter: Option<&'a str>,
    /// 1-based line of the file on which the YAML text starts (the line after the opening fence).
    pub front_matter_line: usize,
    pub body: &'a str,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// The front matter opened with `---` on line 1 but no closing `---` line follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed;

/// Splits `text` (already free of a byte-order mark and of CR line ends) at its front matter.
pub fn split(text: &str) -> Result<Split<'_>, Unclosed> {
    let Some(rest) = strip_fence(text) else {
        return Ok(Split {
            front_matter: None,
            front_matter_line: 1,
            body: text,
            body_line: 1,
        });
    };
    let yaml_start = text.len() - rest.len();
    let mut offset = yaml_start;
    for (line, raw_line) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if raw_line.trim_end() == "---" || raw_line.trim_end() == "..." {
            let body_start = offset + raw_line.len();
            return Ok(Split {
                front_matter: Some(&text[yaml_start..offset]),
                front_matter_line: 2,
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        offset += raw_line.len();
    }
    Err(Unclosed)
}

fn strip_fence(text: &str) -> Option<&str> {
    let first_line_end = text.find('\n')?;
    (text[..first_line_end].trim_end() == "---").then(|| &text[first_line_end + 1..])
}

/// Reads typed fields out of one parsed front matter mapping, reporting each problem with its place.
pub struct Fields<'a> {
    file: &'a Path,
    yaml_text: &'a str,
    first_line: usize,
    map: Mapping,
    diagnostics: &'a mut Diagnostics,
}

impl<'a> Fields<'a> {
    /// Parses `yaml_text`, which starts on line `first_line` of `file`. Reports a syntax error, a
    /// header that is not a mapping, and every key not in `known`, and returns `None` on the first
    /// two. An empty header is an empty mapping.
    pub fn parse(
        file: &'a Path,
        yaml_text: &'a str,
        first_line: usize,
        known: &[&str],
        diagnostics: &'a mut Diagnostics,
    ) -> Option<Self> {
        let value = match yaml::parse(yaml_text) {
            Ok(value) => value,
            Err(err) => {
                let line = err.line.map_or(first_line - 1, |l| l + first_line - 1);
                diagnostics.push(
                    Diagnostic::error(file, format!("front matter is not valid YAML: {}", err.message))
                        .at(line, err.column.unwrap_or(1))
                        .with_hint(
                            "write one `key: value` per line; quote values that contain `: ` or start with a quote, `[`, `{`, `*`, `&` or `!`",
                        ),
                );
                return None;
            }
        };
        let map = match value {
            Value::Mapping(map) => map,
            Value::Null => Mapping::new(),
            other => {
                diagnostics.push(
                    Diagnostic::error(
                        file,
                        format!(
                            "front matter must be a mapping of `key: value` lines, but it is {}",
                            yaml::type_name(&other)
                        ),
                    )
                    .at(first_line, 1)
                    .with_hint("write for example `title: My article` on its own line"),
                );
                return None;
            }
        };
        let mut fields = Self {
            file,
            yaml_text,
            first_line,
            map,
            diagnostics,
        };
        fields.warn_unknown_keys(known, None);
        Some(fields)
    }

    /// Warns about each key of the mapping at `parent` (the top level when `None`) that is not known.
    fn warn_unknown_keys(&mut self, known: &[&str], parent: Option<&str>) {
        let map = match parent {
            None => &self.map,
            Some(key) => match self.map.get(key) {
                Some(Value::Mapping(map)) => map,
                _ => return,
            },
        };
        let unknown: Vec<String> = map
            .keys()
            .map(|key| match key {
                Value::String(s) => s.clone(),
                other => format!("{other:?}"),
            })
            .filter(|key| !known.contains(&key.as_str()))
            .collect();
        for key in unknown {
            let (line, column) = self.locate(parent, &key);
            let mut hint = format!("known keys are: {}", known.join(", "));
            if let Some(close) = closest(&key, known) {
                hint = format!("did you mean `{close}`? {hint}");
            }
            let place = parent.map_or(String::new(), |p| format!(" under `{p}`"));
            self.diagnostics.push(
                Diagnostic::warning(self.file, format!("unknown key `{key}`{place} is ignored"))
                    .at(line, column)
                    .with_hint(hint),
            );
        }
    }

    /// Checks the keys of a nested mapping such as `exclude:` against `known`.
    pub fn check_nested_keys(&mut self, parent: &str, known: &[&str]) {
        self.warn_unknown_keys(known, Some(parent));
    }

    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// Whether `key` is written with no value (or only white space).
    pub fn is_blank(&self, key: &str) -> bool {
        match self.map.get(key) {
            Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The 1-based line and the column of the value of `key` (nested under `parent`, if given).
    /// Falls back to the opening fence when the key is not written in the text.
    pub fn locate(&self, parent: Option<&str>, key: &str) -> (usize, usize) {
        let mut lines = self.yaml_text.lines().enumerate();
        if let Some(parent) = parent {
            if lines
                .by_ref()
                .find(|(_, l)| key_value_column(l, parent, false).is_some())
                .is_none()
            {
                return (self.first_line - 1, 1);
            }
        }
        let nested = parent.is_some();
        for (index, line) in lines {
            if let Some(column) = key_value_column(line, key, nested) {
                return (self.first_line + index, column);
            }
            if nested && !line.starts_with([' ', '\t']) && !line.trim().is_empty() {
                break;
            }
        }
        (self.first_line - 1, 1)
    }

    /// Reports an error about the value of `key`.
    pub fn error(&mut self, key: &str, message: impl Into<String>, hint: impl Into<String>) {
        let (line, column) = self.locate(None, key);
        self.diagnostics.push(
            Diagnostic::error(self.file, message)
                .at(line, column)
                .with_hint(hint),
        );
    }

    /// Reports an error about the front matter as a whole (placed on its opening fence).
    pub fn error_on_header(&mut self, message: impl Into<String>, hint: impl Into<String>) {
        self.diagnostics.push(
            Diagnostic::error(self.file, message)
                .at(self.first_line - 1, 1)
                .with_hint(hint),
        );
    }

    /// A text field. Numbers and booleans are taken as their text ("title: 1984"); an empty value is
    /// absent; a list or mapping is an error.
    pub fn text(&mut self, key: &str) -> Option<String> {
        let value = self.map.get(key)?.clone();
        match scalar_text(&value) {
            Ok(Some(text)) => Some(text),
            Ok(None) => None,
            Err(kind) => {
                self.error(
                    key,
                    format!("`{key}` must be text, but it is {kind}"),
                    format!("write `{key}: some text` on one line"),
                );
                None
            }
        }
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        match self.map.get(key)? {
            Value::Bool(b) => Some(*b),
            Value::Null => None,
            other => {
                let kind = yaml::type_name(other);
                self.error(
                    key,
                    format!("`{key}` must be true or false, but it is {kind}"),
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }

    /// A list of texts, from `key` at the top level or nested under `parent`. A single text is
    /// accepted as a list of one.
    pub fn text_list(&mut self, parent: Option<&str>, key: &str) -> Vec<String> {
        let value = match parent {
            None => self.map.get(key),
            Some(p) => self.map.get(p).and_then(|v| v.get(key)),
        };
        let Some(value) = value.cloned() else {
            return Vec::new();
        };
        let items = match value {
            Value::Sequence(items) => items,
            Value::Null => return Vec::new(),
            single => vec![single],
        };
        let mut out = Vec::new();
        for item in &items {
            match scalar_text(item) {
                Ok(Some(text)) => out.push(text),
                Ok(None) => {}
                Err(kind) => {
                    let (line, column) = self.locate(parent, key);
                    let name = parent.map_or(key.to_string(), |p| format!("{p}.{key}"));
                    self.diagnostics.push(
                        Diagnostic::error(
                            self.file,
                            format!("`{name}` must be a list of names, but one item is {kind}"),
                        )
                        .at(line, column)
                        .with_hint(format!("write `{key}: [First, Second]`")),
                    );
                }
            }
        }
        out
    }

    /// Whether `key` holds a mapping; reports an error when it holds something else.
    pub fn expect_mapping(&mut self, key: &str, hint: &str) -> bool {
        match self.map.get(key) {
            None | Some(Value::Null) => false,
            Some(Value::Mapping(_)) => true,
            Some(other) => {
                let kind = yaml::type_name(other);
                self.error(
                    key,
                    format!("`{key}` must be a mapping, but it is {kind}"),
                    hint,
                );
                false
            }
        }
    }
}

/// The text of a scalar value, `None` for an empty value, or the kind of a non-scalar value.
fn scalar_text(value: &Value) -> Result<Option<String>, &'static str> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_string())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        other => Err(yaml::type_name(other)),
    }
}

/// If `line` writes `key:` (at column 1, or indented when `nested`), the 1-based column of its value.
fn key_value_column(line: &str, key: &str, nested: bool) -> Option<usize> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    if nested != (indent > 0) {
        return None;
    }
    let after_key = [key.to_string(), format!("\"{key}\""), format!("'{key}'")]
        .iter()
        .find_map(|spelling| trimmed.strip_prefix(spelling.as_str()))?;
    let after_colon = after_key
        .trim_start_matches([' ', '\t'])
        .strip_prefix(':')?;
    let value = after_colon.trim_start();
    let value_offset = line.len() - value.len();
    Some(line[..value_offset].chars().count() + 1)
}

/// The known key closest in spelling to `key`, if it is close enough to be a likely typo.
fn closest<'k>(key: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_header_and_body() {
        let split = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(split.front_matter, Some("title: A\n"));
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_line, 4);
    }

    #[test]
    fn no_fence_means_no_header() {
        let split = split("Title\n\nBody").unwrap();
        assert_eq!(split.front_matter, None);
        assert_eq!(split.body, "Title\n\nBody");
    }

    #[test]
    fn unclosed_header_is_an_error() {
        assert_eq!(split("---\ntitle: A\nBody\n"), Err(Unclosed));
    }

    #[test]
    fn finds_value_columns() {
        assert_eq!(key_value_column("date: 2022", "date", false), Some(7));
        assert_eq!(
            key_value_column("  countries: [A]", "countries", true),
            Some(14)
        );
        assert_eq!(key_value_column("dates: 1", "date", false), None);
    }

    #[test]
    fn suggests_close_keys() {
        assert_eq!(closest("titel", &["title", "date"]), Some("title"));
        assert_eq!(closest("colour", &["title", "date"]), None);
    }
}
