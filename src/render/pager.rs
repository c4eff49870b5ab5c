//! Long lists split into pages: where each page of a list lives, and the pager a page shows.
//!
//! Page 1 keeps the list's own path (`articles/index.html`, `timeline.html`,
//! `countries/russia.html`); page N lives at the same path without `.html` (or `/index.html`),
//! followed by `/page/N.html`. A slug never holds `/`, so these paths meet no article's or entity's.
//! The pager names the first and last pages and the two on each side of the current one, so a list
//! of thousands of pages does not make every page list every other.

use serde::Serialize;

/// How many pages a list of `items` takes at `size` items a page: at least one, so an empty list
/// still has its page.
pub fn page_count(items: usize, size: usize) -> usize {
    items.div_ceil(size.max(1)).max(1)
}

/// The site-relative path of page `number` (from 1) of the list whose first page is `first`.
pub fn page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        return first.to_string();
    }
    let stem = first
        .strip_suffix("/index.html")
        .or_else(|| first.strip_suffix(".html"))
        .unwrap_or(first);
    format!("{stem}/page/{number}.html")
}

/// The items of page `number` (from 1): a range of `0..items`.
pub fn page_range(items: usize, size: usize, number: usize) -> std::ops::Range<usize> {
    let start = (number.saturating_sub(1) * size).min(items);
    start..(start + size).min(items)
}

/// What a page shows to move through its list.
#[derive(Debug, Serialize)]
pub struct Pager {
    /// This page's number, from 1.
    pub current: usize,
    /// How many pages the list has.
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The pages to link, in order; a gap stands for the pages left out between two of them.
    pub links: Vec<PagerLink>,
    /// What this page holds, when the list gives it ("March 2022 – May 2022").
    pub label: Option<String>,
}

/// One entry of a pager: a page, or a gap.
#[derive(Debug, Serialize)]
pub struct PagerLink {
    /// None for a gap.
    pub number: Option<usize>,
    pub path: Option<String>,
    pub current: bool,
    /// What the page holds, for its `title`.
    pub label: Option<String>,
}

/// The pager of page `current` of `total` pages of the list whose first page is `first`. `label`
/// says what a page holds; it is asked only for the pages the pager names.
pub fn pager(
    first: &str,
    current: usize,
    total: usize,
    label: impl Fn(usize) -> Option<String>,
) -> Pager {
    // The pages named, in order; only these are visited, so a pager costs the same on any list.
    let mut shown: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2)..=current + 2)
        .filter(|&n| (1..=total).contains(&n))
        .collect();
    shown.sort_unstable();
    shown.dedup();
    let mut links = Vec::new();
    for (at, &number) in shown.iter().enumerate() {
        if at > 0 && number > shown[at - 1] + 1 {
            links.push(PagerLink {
                number: None,
                path: None,
                current: false,
                label: None,
            });
        }
        links.push(PagerLink {
            number: Some(number),
            path: Some(page_path(first, number)),
            current: number == current,
            label: label(number),
        });
    }
    Pager {
        current,
        total,
        previous: (current > 1).then(|| page_path(first, current - 1)),
        next: (current < total).then(|| page_path(first, current + 1)),
        label: label(current),
        links,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_keep_page_one_and_nest_the_others() {
        assert_eq!(page_path("articles/index.html", 1), "articles/index.html");
        assert_eq!(page_path("articles/index.html", 2), "articles/page/2.html");
        assert_eq!(page_path("timeline.html", 3), "timeline/page/3.html");
        assert_eq!(
            page_path("countries/russia.html", 12),
            "countries/russia/page/12.html"
        );
    }

    #[test]
    fn counts_and_ranges_cover_every_item_once() {
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(100, 100), 1);
        assert_eq!(page_count(101, 100), 2);
        assert_eq!(page_range(250, 100, 3), 200..250);
        assert_eq!(page_range(0, 100, 1), 0..0);
    }

    #[test]
    fn a_long_pager_names_the_ends_and_the_neighbours_with_gaps_between() {
        let pager = pager("quotes/index.html", 10, 852, |_| None);
        let numbers: Vec<Option<usize>> = pager.links.iter().map(|l| l.number).collect();
        assert_eq!(
            numbers,
            [
                Some(1),
                None,
                Some(8),
                Some(9),
                Some(10),
                Some(11),
                Some(12),
                None,
                Some(852)
            ]
        );
        assert_eq!(pager.previous.as_deref(), Some("quotes/page/9.html"));
        assert_eq!(pager.next.as_deref(), Some("quotes/page/11.html"));
        // A pager visits only the pages it names: a billion pages cost what ten do.
        let huge = super::pager("timeline.html", 500_000_000, 1_000_000_000, |_| None);
        assert_eq!(huge.links.len(), 9);
        let first = super::pager("quotes/index.html", 1, 2, |_| None);
        assert_eq!(first.previous, None);
        assert_eq!(first.links.len(), 2);
    }
}
