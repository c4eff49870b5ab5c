//! The default theme, compiled into the binary from `themes/default/`, so that a new site needs no
//! copy of it: a site whose `theme:` is `default` is rendered with these files. A site's own files
//! win, name by name: those of its `themes/default/` folder, if it has one, then those of its
//! `templates/` and `static/` folders; an old copy of the theme still gets the files added since.

/// The theme's name in `site.yaml`.
pub const NAME: &str = "default";

/// The shown folder of built-in files in messages.
pub const SHOWN: &str = "(built-in theme default)";

/// Template name and source.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "404.html",
        include_str!("../../themes/default/templates/404.html"),
    ),
    (
        "article.html",
        include_str!("../../themes/default/templates/article.html"),
    ),
    (
        "article_list.html",
        include_str!("../../themes/default/templates/article_list.html"),
    ),
    (
        "base.html",
        include_str!("../../themes/default/templates/base.html"),
    ),
    (
        "components.html",
        include_str!("../../themes/default/templates/components.html"),
    ),
    (
        "entity.html",
        include_str!("../../themes/default/templates/entity.html"),
    ),
    (
        "entity_list.html",
        include_str!("../../themes/default/templates/entity_list.html"),
    ),
    (
        "home.html",
        include_str!("../../themes/default/templates/home.html"),
    ),
    (
        "quote_list.html",
        include_str!("../../themes/default/templates/quote_list.html"),
    ),
    (
        "relations.html",
        include_str!("../../themes/default/templates/relations.html"),
    ),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
    (
        "timeline.html",
        include_str!("../../themes/default/templates/timeline.html"),
    ),
];

/// Static file path (in the output) and bytes.
pub const STATIC: &[(&str, &[u8])] = &[
    (
        "search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
    (
        "style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file of `themes/default/` is built in, so the two can never drift apart.
    #[test]
    fn holds_every_file_of_the_default_theme() {
        let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(&theme)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                e.path()
                    .strip_prefix(&theme)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        on_disk.sort();
        let mut built_in: Vec<String> = TEMPLATES
            .iter()
            .map(|(name, _)| format!("templates/{name}"))
            .chain(STATIC.iter().map(|(path, _)| format!("static/{path}")))
            .collect();
        built_in.sort();
        assert_eq!(on_disk, built_in, "update src/render/builtin_theme.rs");
    }
}
