//! Internal link checking over a rendered site: every `href` and `src` that points inside the site
//! must name a file the site has (and an `id` in it, for `#anchors`), written so that it works at a
//! domain's root, under a sub-path and from disk: relative, and naming files rather than folders.

use std::collections::{BTreeMap, BTreeSet};

use crate::render::OutputFile;

/// One link that does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// The page holding the link, relative to the site root.
    pub page: String,
    /// The 1-based line of the page the link is on.
    pub line: usize,
    /// The link as written.
    pub link: String,
    pub reason: String,
}

impl std::fmt::Display for BrokenLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: link \"{}\" {}",
            self.page, self.line, self.link, self.reason
        )
    }
}

/// Checks every internal link of every HTML file in `files`.
pub fn broken_links(files: &[OutputFile]) -> Vec<BrokenLink> {
    let by_path: BTreeMap<&str, &OutputFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut ids_cache: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut broken = Vec::new();
    for file in files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = String::from_utf8_lossy(&file.bytes);
        // Links come in document order, so lines are counted once over the page.
        let (mut counted_to, mut line) = (0, 1);
        for (offset, link) in attribute_values_at(&html, &["href", "src"]) {
            let link = decode_entities(&link);
            if let Some(reason) = check_link(&file.path, &link, &by_path, &mut ids_cache) {
                line += html[counted_to..offset].matches('\n').count();
                counted_to = offset;
                broken.push(BrokenLink {
                    page: file.path.clone(),
                    line,
                    link,
                    reason,
                });
            }
        }
    }
    broken
}

fn check_link<'a>(
    page: &str,
    link: &str,
    by_path: &BTreeMap<&'a str, &'a OutputFile>,
    ids_cache: &mut BTreeMap<&'a str, BTreeSet<String>>,
) -> Option<String> {
    let is_external = link.starts_with("//")
        || link.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
        });
    if is_external || link.is_empty() {
        return None;
    }
    let (path_part, fragment) = match link.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (link, None),
    };
    let path_part = path_part.split('?').next().unwrap_or("");
    let target = if path_part.is_empty() {
        page.to_string()
    } else if let Some(absolute) = path_part.strip_prefix('/') {
        // Only the 404 page, served at any depth, may link from the domain's root.
        if page != "404.html" {
            return Some(
                "starts with / and breaks when the site is served under a sub-path or from disk"
                    .into(),
            );
        }
        absolute.to_string()
    } else {
        let base = page.rsplit_once('/').map_or("", |(dir, _)| dir);
        match resolve(base, path_part) {
            Some(target) => target,
            None => return Some("climbs above the site root".into()),
        }
    };
    if target.is_empty() || target.ends_with('/') {
        return Some(
            "names a folder, which does not open from disk: link to its index.html".into(),
        );
    }
    let Some(file) = by_path.get(target.as_str()) else {
        return Some(format!("points to {target}, which the site does not have"));
    };
    if let Some(fragment) = fragment.filter(|f| !f.is_empty()) {
        let ids = ids_cache.entry(file.path.as_str()).or_insert_with(|| {
            attribute_values(&String::from_utf8_lossy(&file.bytes), &["id"])
                .into_iter()
                .collect()
        });
        if !ids.contains(fragment) {
            return Some(format!(
                "points to #{fragment}, which {target} does not have"
            ));
        }
    }
    None
}

/// Joins a relative link to the folder it appears in; `None` when it climbs above the root.
fn resolve(base: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    let trailing_slash = link.ends_with('/');
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    let mut joined = parts.join("/");
    if trailing_slash {
        joined.push('/');
    }
    Some(joined)
}

/// The values of the given attributes, double- or single-quoted, in document order.
fn attribute_values(html: &str, names: &[&str]) -> Vec<String> {
    attribute_values_at(html, names)
        .into_iter()
        .map(|(_, value)| value)
        .collect()
}

/// [`attribute_values`] with the byte offset of each attribute's name.
fn attribute_values_at(html: &str, names: &[&str]) -> Vec<(usize, String)> {
    let mut values = Vec::new();
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(found) = html[at..].find('=') {
        let eq = at + found;
        at = eq + 1;
        let name_end = html[..eq].trim_end().len();
        // The character before the name may be more than one byte ("café=").
        let name_start = html[..name_end]
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_ascii_alphanumeric() || c == '-'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let name = &html[name_start..name_end];
        let preceded_by_space = name_start > 0 && bytes[name_start - 1].is_ascii_whitespace();
        if !preceded_by_space || !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            continue;
        }
        let rest = html[eq + 1..].trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            values.push((name_start, rest[1..1 + end].to_string()));
        }
    }
    values
}

fn decode_entities(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: std::sync::Arc::<[u8]>::from(html.as_bytes()).into(),
        }
    }

    #[test]
    fn finds_each_kind_of_broken_link() {
        let files = [
            page(
                "index.html",
                r#"<a href="articles/a.html#p1">a</a> <a href="articles/">x</a> <a href="/b.html">b</a> <a href="https://x.org/">e</a>"#,
            ),
            page(
                "articles/a.html",
                r##"<p id="p1"></p><a href="../index.html">h</a><a href="../missing.html">m</a><a href="../../up.html">u</a><img src="#p2">"##,
            ),
        ];
        let broken: Vec<(String, String)> = broken_links(&files)
            .into_iter()
            .map(|b| (b.page, b.link))
            .collect();
        assert_eq!(
            broken,
            [
                ("index.html".into(), "articles/".into()),
                ("index.html".into(), "/b.html".into()),
                ("articles/a.html".into(), "../missing.html".into()),
                ("articles/a.html".into(), "../../up.html".into()),
                ("articles/a.html".into(), "#p2".into()),
            ]
        );
    }

    #[test]
    fn text_with_accents_before_an_equals_sign_is_no_attribute() {
        assert_eq!(
            attribute_values("<p>The price at the café=two euros</p>", &["href"]),
            Vec::<String>::new()
        );
        assert_eq!(
            attribute_values("<p>né <a href=\"x.html\">x</a></p>", &["href"]),
            ["x.html"]
        );
    }

    #[test]
    fn reads_attributes_not_text() {
        assert_eq!(
            attribute_values(r#"<a data-href="x" href='y'>href="z"</a>"#, &["href"]),
            ["y"]
        );
    }
}
