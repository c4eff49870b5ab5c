//! Loading the theme's Tera templates, with the site's own `templates/` folder overriding any of them
//! by name, and turning Tera's errors into diagnostics that name the template file, line and column.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tera::Tera;
use walkdir::WalkDir;

use super::builtin_theme;
use crate::byte_set::ByteSet;
use crate::config::SiteConfig;
use crate::diagnostics::{display_path, Diagnostic, Diagnostics};

/// The templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "home.html",
    "article.html",
    "article_list.html",
    "entity.html",
    "entity_list.html",
    "quote_list.html",
    "relations.html",
    "search.html",
    "timeline.html",
    "404.html",
];

/// The loaded templates and where each came from.
pub struct Templates {
    pub tera: Tera,
    /// Template name -> (file as shown to the user, source text).
    sources: BTreeMap<String, (PathBuf, String)>,
    /// Template name -> the largest page it rendered, in bytes.
    sizes: BTreeMap<String, AtomicUsize>,
}

/// Whether the site is rendered on the built-in default theme: it asks for `default`. Files of its
/// own `themes/default/` folder, if it has one, replace the built-in ones by name, so an old copy
/// of the theme still gets the templates added since.
pub fn uses_builtin_theme(config: &SiteConfig) -> bool {
    config.theme == builtin_theme::NAME
}

/// The theme's folder for `config`, relative to the site root.
pub fn theme_dir(root: &Path, config: &SiteConfig) -> PathBuf {
    root.join("themes").join(&config.theme)
}

impl Templates {
    /// Every template's text by name, the site's over the theme's, with missing ones reported.
    fn sources(
        root: &Path,
        config: &SiteConfig,
        diagnostics: &mut Diagnostics,
    ) -> Option<BTreeMap<String, (PathBuf, String)>> {
        let theme_templates = theme_dir(root, config).join("templates");
        let mut sources = BTreeMap::new();
        let builtin = uses_builtin_theme(config);
        if builtin {
            for (name, source) in builtin_theme::TEMPLATES {
                let shown = Path::new(builtin_theme::SHOWN).join("templates").join(name);
                sources.insert(name.to_string(), (shown, source.to_string()));
            }
        }
        if !builtin && !theme_templates.is_dir() {
            diagnostics.push(
                Diagnostic::error(
                    display_path(root, &theme_templates),
                    format!("the theme \"{}\" has no templates folder", config.theme),
                )
                .with_hint("set `theme:` in site.yaml to a folder of themes/ that has templates/, e.g. `theme: default`"),
            );
            return None;
        }
        for dir in [theme_templates, root.join("templates")] {
            collect_templates(root, &dir, &mut sources, diagnostics);
        }
        for name in REQUIRED_TEMPLATES {
            if !sources.contains_key(*name) {
                diagnostics.push(
                    Diagnostic::error(
                        display_path(root, &theme_dir(root, config).join("templates").join(name)),
                        format!("the theme has no template {name}"),
                    )
                    .with_hint("every theme needs base, home, article, article_list, entity, entity_list, quote_list, relations, search, timeline and 404 templates"),
                );
            }
        }
        Some(sources)
    }

    /// Loads `themes/<theme>/templates/` (or the built-in default theme's) and then `templates/` of
    /// the site at `root`, compiled again only when a template's text changed since the load that
    /// filled `cache`: parsing the theme costs more than a small site's whole rebuild.
    pub fn load_cached(
        root: &Path,
        config: &SiteConfig,
        cache: &mut Option<Arc<Templates>>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Arc<Templates>> {
        let sources = Templates::sources(root, config, diagnostics)?;
        if let Some(cached) = cache.as_ref().filter(|c| c.sources == sources) {
            return Some(Arc::clone(cached));
        }
        let templates = Arc::new(Templates::compile(sources, diagnostics)?);
        *cache = Some(Arc::clone(&templates));
        Some(templates)
    }

    fn compile(
        sources: BTreeMap<String, (PathBuf, String)>,
        diagnostics: &mut Diagnostics,
    ) -> Option<Templates> {
        let mut tera = Tera::default();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        tera.set_escape_fn(write_escaped_html);
        super::items::register(&mut tera);
        let sizes = sources
            .keys()
            .map(|name| (name.clone(), AtomicUsize::new(0)))
            .collect();
        let mut templates = Templates {
            tera: Tera::default(),
            sources,
            sizes,
        };
        let raw = templates
            .sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str()));
        if let Err(err) = tera.add_raw_templates(raw) {
            for diagnostic in templates.diagnose_load(&err) {
                diagnostics.push(diagnostic);
            }
            return None;
        }
        templates.tera = tera;
        Some(templates)
    }

    /// A 128-bit hash of every template's name and source: equal hashes, same templates.
    pub fn fingerprint(&self) -> u128 {
        use std::hash::Hash;
        let mut hasher = siphasher::sip128::SipHasher13::new();
        for (name, (_, source)) in &self.sources {
            name.hash(&mut hasher);
            source.hash(&mut hasher);
        }
        siphasher::sip128::Hasher128::finish128(&hasher).as_u128()
    }

    /// Renders template `name` with `context` into bytes (UTF-8, as every piece written is), or
    /// returns a diagnostic naming the template and line.
    pub fn render(&self, name: &str, context: &tera::Context) -> Result<Vec<u8>, Diagnostic> {
        // The buffer starts at the largest page this template made so far: a page grown from empty
        // was copied a dozen times on its way to 60 kB.
        let hint = self.sizes.get(name);
        let mut page = Vec::with_capacity(hint.map_or(0, |size| size.load(Ordering::Relaxed)));
        self.tera
            .render_to(name, context, &mut page)
            .map_err(|err| self.diagnose(&err, Some(name)))?;
        if let Some(size) = hint {
            size.fetch_max(page.len(), Ordering::Relaxed);
        }
        Ok(page)
    }

    /// Builds a diagnostic for a Tera error, placed in the template the error is about.
    fn diagnose(&self, err: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        // Syntax and rendering errors carry their template and span; others only a message.
        if let Some(report) = report_of(err) {
            let name = Some(report.filename()).filter(|name| self.sources.contains_key(*name));
            if let Some(name) = name.or(rendering) {
                let span = report.span();
                let mut message = report.message().to_string();
                // A rendering error reached through a component or a parent names the page too.
                if let Some(page) = rendering.filter(|page| *page != name) {
                    message = format!("{message} (rendering {page})");
                }
                return self.error_in(name, &message, Some((span.start_line, span.start_col + 1)));
            }
        }
        let chain = error_chain(err);
        let full = chain.join(": ");
        // The innermost template named in the chain is the one at fault.
        let name = chain
            .iter()
            .rev()
            .flat_map(|message| quoted_names(message))
            .find(|name| self.sources.contains_key(name))
            .or_else(|| rendering.map(str::to_string));
        let Some(name) = name.filter(|n| self.sources.contains_key(n)) else {
            return Diagnostic::error("templates", format!("template error: {full}"));
        };
        let source = &self.sources[&name].1;
        // Such errors carry no position: point at the first use of the name they quote.
        let place = backticked(&full).and_then(|needle| find_in(source, &needle));
        self.error_in(&name, chain.last().map_or("", String::as_str), place)
    }

    /// Diagnostics for an error found while loading the templates. Tera checks every call to a
    /// component, filter, test or function once all are loaded, and reports each unknown one in a
    /// single message of reports (`error: ...` then ` --> name:line:col`): each becomes its own.
    fn diagnose_load(&self, err: &tera::Error) -> Vec<Diagnostic> {
        let reports = match report_of(err) {
            Some(_) => Vec::new(),
            None => located_reports(&err.to_string()),
        };
        // A message that is not such a list, or names a template we do not hold, is reported whole.
        if reports.is_empty() || reports.iter().any(|r| !self.sources.contains_key(&r.name)) {
            return vec![self.diagnose(err, None)];
        }
        reports
            .iter()
            .map(|report| self.error_in(&report.name, &report.message, Some(report.place)))
            .collect()
    }

    /// An error in template `name` at `place` (line, column from 1).
    fn error_in(&self, name: &str, message: &str, place: Option<(usize, usize)>) -> Diagnostic {
        let file = &self.sources[name].0;
        let hint = if message.starts_with("Unknown component") {
            "define it in any template with `{% component name(arg, ...) %}...{% endcomponent name %}` \
             (the default theme's are in components.html), or fix the call's name"
        } else {
            "fix the template; the site's templates/ folder overrides the theme's by file name"
        };
        let message = format!("template error in {name}: {}", message.replace('\n', " "));
        let diagnostic = Diagnostic::error(file, message).with_hint(hint);
        match place {
            Some((line, column)) => diagnostic.at(line, column),
            None => diagnostic,
        }
    }
}

/// One report in a message of several: what, in which template, where.
struct LocatedReport {
    message: String,
    name: String,
    /// Line and column, from 1.
    place: (usize, usize),
}

/// The reports in `text`, each an `error: MESSAGE` line followed by a ` --> NAME:LINE:COLUMN` one.
fn located_reports(text: &str) -> Vec<LocatedReport> {
    let lines: Vec<&str> = text.lines().collect();
    let mut reports = Vec::new();
    for pair in lines.windows(2) {
        let (Some(message), Some(place)) = (
            pair[0].strip_prefix("error: "),
            pair[1].trim_start().strip_prefix("--> "),
        ) else {
            continue;
        };
        // The name may hold colons; the line and column are the last two fields.
        let mut fields = place.rsplitn(3, ':');
        let (Some(column), Some(line), Some(name)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if let (Ok(line), Ok(column)) = (line.parse(), column.parse()) {
            reports.push(LocatedReport {
                message: message.to_string(),
                name: name.to_string(),
                place: (line, column),
            });
        }
    }
    reports
}

/// The report (template, span, message) of a syntax or rendering error, in `err` or its sources.
fn report_of(err: &tera::Error) -> Option<&tera::ReportError> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(error) = current {
        if let Some(tera_error) = error.downcast_ref::<tera::Error>() {
            if let tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) =
                tera_error.kind()
            {
                return Some(report);
            }
        }
        current = error.source();
    }
    None
}

/// Escapes text for HTML element content and quoted attribute values. Unlike Tera's default it leaves
/// `/` alone, so that links read as written (`../articles/a.html`, not `..&#x2F;articles&#x2F;a.html`).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    escape_html_into(text, |piece| out.push_str(piece));
    out
}

/// `escape_html`, handed to `push` in pieces.
pub fn escape_html_into<'t>(text: &'t str, push: impl FnMut(&'t str)) {
    // Every value of every page goes through here: the bytes to replace are found sixteen at a time.
    let found = HTML_SPECIAL.positions(text.as_bytes());
    replace_bytes(text, found, html_entity, push);
}

/// The bytes HTML escapes.
static HTML_SPECIAL: ByteSet<5> = ByteSet::new(*b"&<>\"'");

/// The entity of one of the bytes HTML escapes.
fn html_entity(byte: u8) -> &'static str {
    match byte {
        b'&' => "&amp;",
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'"' => "&quot;",
        _ => "&#39;",
    }
}

/// `escape_html` written into `out`: Tera's escape function, for every value a template writes.
pub fn write_escaped_html(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut written = Ok(());
    escape_html_into(text, |piece| {
        if written.is_ok() {
            written = out.write_all(piece.as_bytes());
        }
    });
    written
}

/// Escapes text for HTML element content only (never an attribute), handed to `push` in pieces:
/// quotation marks stay as they are, as news text has many of them.
pub fn escape_text_into<'t>(text: &'t str, push: impl FnMut(&'t str)) {
    let found = memchr::memchr3_iter(b'&', b'<', b'>', text.as_bytes());
    replace_bytes(text, found, html_entity, push);
}

/// Hands `text` to `push` in pieces, each ASCII byte `replacement` names replaced; runs of other
/// bytes go whole.
pub(super) fn escape_into<'t>(
    text: &'t str,
    replacement: impl Fn(u8) -> Option<&'static str>,
    push: impl FnMut(&'t str),
) {
    let found = text
        .bytes()
        .enumerate()
        .filter(|&(_, byte)| replacement(byte).is_some())
        .map(|(at, _)| at);
    replace_bytes(text, found, |byte| replacement(byte).unwrap_or(""), push);
}

/// Hands `text` to `push` in pieces: the ASCII bytes at the ascending offsets `found` each replaced
/// by its `entity`, the runs between them whole.
fn replace_bytes<'t>(
    text: &'t str,
    found: impl Iterator<Item = usize>,
    entity: impl Fn(u8) -> &'static str,
    mut push: impl FnMut(&'t str),
) {
    let mut copied = 0;
    for at in found {
        push(&text[copied..at]);
        push(entity(text.as_bytes()[at]));
        copied = at + 1;
    }
    push(&text[copied..]);
}

fn collect_templates(
    root: &Path,
    dir: &Path,
    sources: &mut BTreeMap<String, (PathBuf, String)>,
    diagnostics: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    for entry in WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let is_template = path
            .extension()
            .is_some_and(|e| e == "html" || e == "xml" || e == "txt");
        if !entry.file_type().is_file() || !is_template {
            continue;
        }
        let name = path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        if name.split('/').any(|part| part.starts_with('.')) {
            continue;
        }
        let shown = display_path(root, path);
        match std::fs::read_to_string(path) {
            Ok(text) => {
                sources.insert(name, (shown, text));
            }
            Err(err) => diagnostics.push(
                Diagnostic::error(shown, format!("cannot read the template: {err}"))
                    .with_hint("templates must be readable UTF-8 text"),
            ),
        }
    }
}

fn error_chain(err: &tera::Error) -> Vec<String> {
    let mut chain = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(inner) = source {
        chain.push(inner.to_string());
        source = inner.source();
    }
    chain
}

/// Names written between single or double quotes in a message.
fn quoted_names(message: &str) -> Vec<String> {
    let mut names = Vec::new();
    for quote in ['\'', '"'] {
        let parts: Vec<&str> = message.split(quote).collect();
        names.extend(parts.iter().skip(1).step_by(2).map(|s| s.to_string()));
    }
    names
}

/// The first name written between backticks, as Tera quotes missing variables and filters.
fn backticked(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

fn find_in(source: &str, needle: &str) -> Option<(usize, usize)> {
    source.lines().enumerate().find_map(|(index, line)| {
        line.find(needle)
            .map(|at| (index + 1, line[..at].chars().count() + 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value a template writes, on its own or through a filter, goes through
    /// `write_escaped_html`, which must give the text of `escape_html`, leaving `/` alone.
    #[test]
    fn reads_every_report_of_a_message() {
        let text = "error: Unknown component `pager`\n --> article_list.html:6:6\n  |\n6 | x\n\n\
                    error: Unknown filter `shout`\n  --> a:b.html:12:4\n   |";
        let reports = located_reports(text);
        let found: Vec<(&str, &str, (usize, usize))> = reports
            .iter()
            .map(|r| (r.message.as_str(), r.name.as_str(), r.place))
            .collect();
        assert_eq!(
            found,
            [
                ("Unknown component `pager`", "article_list.html", (6, 6)),
                ("Unknown filter `shout`", "a:b.html", (12, 4)),
            ]
        );
        assert!(located_reports("Template 'x' not found").is_empty());
    }

    #[test]
    fn both_escapes_agree_inside_and_outside_expressions() {
        let hostile = "<script>alert('x & \"y\"')</script> ../a/b.html é";
        let mut tera = Tera::default();
        tera.autoescape_on([".html"]);
        tera.set_escape_fn(write_escaped_html);
        tera.add_raw_template("t.html", "{{ text }}|{{ text | lower | upper }}")
            .unwrap();
        let mut context = tera::Context::new();
        context.insert("text", hostile);
        let page = tera.render("t.html", &context).unwrap();
        let expected = escape_html(hostile);
        assert_eq!(
            page,
            format!("{expected}|{}", escape_html(&hostile.to_uppercase()))
        );
        assert_eq!(
            expected,
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt; ../a/b.html é"
        );
        let mut written = Vec::new();
        write_escaped_html(hostile, &mut written).unwrap();
        assert_eq!(String::from_utf8(written).unwrap(), expected);
    }

    #[test]
    fn the_escapes_replace_exactly_their_bytes_wherever_they_fall() {
        let by_char = |text: &str, quotes: bool| -> String {
            text.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' if quotes => "&quot;".to_string(),
                    '\'' if quotes => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        // Specials at either end, side by side, alone, far apart (over several blocks), none.
        let long = format!("{}\"{}<{}", "a".repeat(70), "ü".repeat(40), "b".repeat(33));
        // Either side of a block's length (16 bytes), where a byte at a time gives way to blocks.
        let (at_most, past) = (
            format!("'{}&", "x".repeat(13)),
            format!("'{}&", "x".repeat(14)),
        );
        for text in [
            at_most.as_str(),
            past.as_str(),
            "",
            "&",
            "'\"",
            "<<>>",
            "x'y\"z&",
            "plain text",
            long.as_str(),
            "é&é'é",
        ] {
            let (mut html, mut plain) = (String::new(), String::new());
            escape_html_into(text, |piece| html.push_str(piece));
            escape_text_into(text, |piece| plain.push_str(piece));
            assert_eq!(html, by_char(text, true), "{text}");
            assert_eq!(plain, by_char(text, false), "{text}");
        }
    }
}
