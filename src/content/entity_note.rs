//! Hand-written notes on one entity (`content/countries|organisations|people/<name>.md`): the name and
//! aliases under which it is known, a few facts, and a Markdown text shown at the top of its page.

use std::path::{Path, PathBuf};

use super::front_matter::{self, Fields};
use super::{unclosed_error, EntityKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::slug;

/// The front matter keys an entity note may have.
pub const ENTITY_NOTE_KEYS: &[&str] = &[
    "name",
    "aliases",
    "summary",
    "role",
    "country",
    "organisation",
];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EntityNote {
    pub file: PathBuf,
    pub kind: EntityKind,
    /// The page name, from the file name.
    pub slug: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub summary: Option<String>,
    /// For a person: their role or title ("Presidential aide").
    pub role: Option<String>,
    /// For a person or organisation: the country they belong to.
    pub country: Option<String>,
    /// For a person: the organisation they belong to.
    pub organisation: Option<String>,
    /// Markdown text shown at the top of the entity's page.
    pub body: String,
}

impl EntityNote {
    pub fn parse(
        file: &Path,
        kind: EntityKind,
        text: &str,
        diagnostics: &mut Diagnostics,
    ) -> Option<EntityNote> {
        let split = match front_matter::split(text) {
            Ok(split) => split,
            Err(front_matter::Unclosed) => {
                diagnostics.push(unclosed_error(file));
                return None;
            }
        };
        let name_hint = format!(
            "start the file with `---`, `name: The {} name`, `---`",
            kind.singular()
        );
        let Some(yaml) = split.front_matter else {
            diagnostics.push(
                Diagnostic::error(file, "the note has no front matter, so it names no entity")
                    .at(1, 1)
                    .with_hint(name_hint),
            );
            return None;
        };
        let errors_before = diagnostics.errors().count();
        let mut fields = Fields::parse(
            file,
            yaml,
            split.front_matter_line,
            ENTITY_NOTE_KEYS,
            diagnostics,
        )?;
        let name = fields.text("name");
        if name.is_none() {
            fields.error_on_header("the note has no `name`", name_hint);
        }
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        let mut note = EntityNote {
            file: file.to_path_buf(),
            kind,
            slug: slug::slugify(&stem),
            name: name.unwrap_or_default(),
            aliases: fields.text_list(None, "aliases"),
            summary: fields.text("summary"),
            role: fields.text("role"),
            country: fields.text("country"),
            organisation: fields.text("organisation"),
            body: split.body.to_string(),
        };
        if note.slug.is_empty() {
            note.slug = slug::slugify(&note.name);
        }
        (diagnostics.errors().count() == errors_before).then_some(note)
    }
}
