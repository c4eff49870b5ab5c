//! Fixed word lists looked up by hash: derivation and the search index ask them of nearly every
//! word of every article, where scanning a few hundred strings each time cost a tenth of a build.
//! They hash with foldhash (the hasher hashbrown itself uses): fast on short keys, seeded per run.

use std::collections::HashSet;
use std::sync::OnceLock;

use foldhash::fast::RandomState as FastHash;

/// A fixed list of words, made into a hash set on first use.
pub struct WordSet {
    words: &'static [&'static str],
    set: OnceLock<HashSet<&'static str, FastHash>>,
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            set: OnceLock::new(),
        }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(word)
    }

    /// The words in the order they are written.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}
