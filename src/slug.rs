//! Slugs: the lowercase ASCII names that pages get in URLs. A slug depends only on the name it is
//! made from, so a page keeps its address from build to build.

/// Makes a slug of `text`: transliterated to ASCII ("Türkiye" -> "turkiye"), lowercase, with every run
/// of other characters turned into a single hyphen. Returns an empty string when nothing is left.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut pending_hyphen = false;
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(ch.to_ascii_lowercase());
        } else if ch != '\'' && ch != '\u{2019}' {
            // Apostrophes vanish ("Armenia's" -> "armenias"); everything else separates words.
            pending_hyphen = true;
        }
    }
    slug
}

/// Whether `slug` is already in the form [`slugify`] produces: safe as one URL path segment.
pub fn is_valid(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transliterates_and_joins_words() {
        assert_eq!(slugify("Türkiye"), "turkiye");
        assert_eq!(
            slugify("Russia-led bloc CSTO to meet at Armenia's request"),
            "russia-led-bloc-csto-to-meet-at-armenias-request"
        );
        assert_eq!(
            slugify("  CSTO chief: ‘Yerevan’ — no!  "),
            "csto-chief-yerevan-no"
        );
        assert_eq!(slugify("000_8693d15e"), "000-8693d15e");
        assert_eq!(slugify("../../etc"), "etc");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn validity_matches_slugify() {
        for text in ["Türkiye", "A b  c", "x--y", "Yury Ushakov"] {
            assert!(is_valid(&slugify(text)));
        }
        for bad in ["", "a/b", "../x", "A", "a b", "-a", "a--b"] {
            assert!(!is_valid(bad), "{bad}");
        }
    }
}
