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

/// Where each page of a list of `items` starts when the items set the breaks themselves, so that an
/// item added or taken out changes its own page and leaves every other as it was (content-defined
/// chunking, as rsync and backup tools cut files). A page holds at least half of `size` items and
/// at most twice `size`; between the two it ends before an item whose `mark` (a hash of what the
/// item is, not of where it stands) falls in one residue out of `size - least + 1`, which makes
/// pages of about `size` items on average. With fixed-size pages, one quotation added early in a
/// list of ten thousand pushes an item across every later page's break, and each of those pages is
/// made and written again.
pub fn content_defined_starts(
    items: usize,
    size: usize,
    mark: impl Fn(usize) -> u64,
) -> Vec<usize> {
    let size = size.max(1);
    let least = size.div_ceil(2);
    let most = size.saturating_mul(2);
    let odds = (size - least + 1) as u64;
    let mut starts = vec![0];
    let mut start = 0;
    for item in 1..items {
        let run = item - start;
        if run >= most || (run >= least && mark(item).is_multiple_of(odds)) {
            starts.push(item);
            start = item;
        }
    }
    starts
}

/// The items of page `number` (from 1) of a list cut at `starts` (see [`content_defined_starts`]).
pub fn range_at(starts: &[usize], items: usize, number: usize) -> std::ops::Range<usize> {
    match starts.get(number.saturating_sub(1)) {
        Some(&start) => start.min(items)..starts.get(number).copied().unwrap_or(items),
        None => items..items,
    }
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

    /// A well-mixed mark for item `id` (splitmix64's finaliser).
    fn mark_of(id: u64) -> u64 {
        let mut z = id.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pages_of(ids: &[u64], size: usize) -> Vec<Vec<u64>> {
        let starts = content_defined_starts(ids.len(), size, |i| mark_of(ids[i]));
        (1..=starts.len())
            .map(|n| ids[range_at(&starts, ids.len(), n)].to_vec())
            .collect()
    }

    #[test]
    fn content_defined_pages_keep_their_size_bounds_and_cover_the_list_once() {
        for size in [1, 2, 3, 10, 100] {
            let ids: Vec<u64> = (0..5_000).collect();
            let pages = pages_of(&ids, size);
            assert_eq!(pages.concat(), ids, "size {size}");
            for page in &pages[..pages.len() - 1] {
                assert!(
                    (size.div_ceil(2)..=size * 2).contains(&page.len()),
                    "size {size}"
                );
            }
            // About `size` a page on average.
            let average = ids.len() as f64 / pages.len() as f64;
            assert!(
                average > size as f64 * 0.8 && average < size as f64 * 1.25,
                "{average} at {size}"
            );
        }
        assert_eq!(range_at(&[0, 3], 5, 3), 5..5);
        assert_eq!(content_defined_starts(0, 10, |_| 0), [0]);
        // A page size past any list (site.yaml takes any whole number) is one page.
        assert_eq!(content_defined_starts(3, usize::MAX, |_| 0), [0]);
    }

    /// The point of them: an item added anywhere changes its own page and seldom another, where
    /// fixed-size pages change every page after it.
    #[test]
    fn an_item_added_changes_few_content_defined_pages() {
        let ids: Vec<u64> = (0..3_000).collect();
        let before = pages_of(&ids, 50);
        let mut changed_pages = 0;
        let trials = 100;
        for trial in 0..trials {
            let mut after_ids = ids.clone();
            after_ids.insert(trial * 29, 1_000_000 + trial as u64);
            let after = pages_of(&after_ids, 50);
            assert!(before.len().abs_diff(after.len()) <= 1);
            // Pages compared by number, as their paths are.
            changed_pages += (0..before.len().max(after.len()))
                .filter(|&n| before.get(n) != after.get(n))
                .count();
        }
        let average = changed_pages as f64 / trials as f64;
        assert!(average < 2.5, "{average} pages changed on average");
    }

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
