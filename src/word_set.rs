//! Fixed word lists, asked of nearly every word of every article by derivation and the search
//! index, where scanning a few hundred strings each time cost a tenth of a build. A word is looked
//! up in one of a thousand buckets picked by its length and its first and last bytes: most words of
//! a text land in an empty bucket, and the rest are compared with the few words there (at most 7 in
//! these lists: "confirms", "comments", "concedes" and "cautions" share their length and ends). No
//! hashing: hashing each word cost more than the comparisons it saved.

use std::sync::OnceLock;

/// A fixed list of words, indexed on first use.
pub struct WordSet {
    words: &'static [&'static str],
    index: OnceLock<Index>,
}

/// The words grouped by bucket: bucket `b`'s are `words[starts[b]..starts[b + 1]]`.
struct Index {
    starts: Box<[u16]>,
    words: Vec<&'static str>,
}

const BUCKETS: usize = 1024;

#[inline]
fn bucket(word: &str) -> usize {
    match word.as_bytes() {
        [] => 0,
        [first, .., last] => {
            (word.len() * 31 + usize::from(*first) * 7 + usize::from(*last) * 3) % BUCKETS
        }
        [only] => (31 + usize::from(*only) * 10) % BUCKETS,
    }
}

/// The bucket of `word` in ASCII lower case.
#[inline]
fn bucket_of_lowercase(word: &str) -> usize {
    match word.as_bytes() {
        [] => 0,
        [first, .., last] => {
            let (first, last) = (first.to_ascii_lowercase(), last.to_ascii_lowercase());
            (word.len() * 31 + usize::from(first) * 7 + usize::from(last) * 3) % BUCKETS
        }
        [only] => (31 + usize::from(only.to_ascii_lowercase()) * 10) % BUCKETS,
    }
}

impl WordSet {
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            index: OnceLock::new(),
        }
    }

    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        let index = self.index.get_or_init(|| self.make_index());
        let b = bucket(word);
        let (start, end) = (index.starts[b], index.starts[b + 1]);
        index.words[usize::from(start)..usize::from(end)].contains(&word)
    }

    /// Whether `word` in ASCII lower case is one of the words, with no copy made. The words must
    /// have no ASCII capitals (a test holds the lists that are asked this way to it).
    #[inline]
    pub fn contains_ascii_lowercase(&self, word: &str) -> bool {
        let index = self.index.get_or_init(|| self.make_index());
        let b = bucket_of_lowercase(word);
        let (start, end) = (index.starts[b], index.starts[b + 1]);
        index.words[usize::from(start)..usize::from(end)]
            .iter()
            .any(|candidate| candidate.eq_ignore_ascii_case(word))
    }

    fn make_index(&self) -> Index {
        // A bucket's offsets are `u16`s.
        assert!(
            self.words.len() < usize::from(u16::MAX),
            "a word list of fewer than 65,535 words"
        );
        let mut words = self.words.to_vec();
        words.sort_by_key(|word| bucket(word));
        let mut starts = vec![0u16; BUCKETS + 1];
        for word in &words {
            starts[bucket(word) + 1] += 1;
        }
        for b in 0..BUCKETS {
            starts[b + 1] += starts[b];
        }
        Index {
            starts: starts.into_boxed_slice(),
            words,
        }
    }

    /// The words in the order they are written.
    pub fn words(&self) -> &'static [&'static str] {
        self.words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_its_words_and_no_others() {
        static SET: WordSet = WordSet::new(&["said", "told", "a", "", "secretary-general", "é"]);
        for word in SET.words() {
            assert!(SET.contains(word), "{word:?}");
        }
        for word in ["says", "sai", "aid", "b", "Said", "secretary-genera", "e"] {
            assert!(!SET.contains(word), "{word:?}");
        }
        for word in ["Said", "TOLD", "A", "Secretary-General", "said"] {
            assert!(SET.contains_ascii_lowercase(word), "{word:?}");
        }
        for word in ["Says", "É", "SECRETARY-GENERA", "B"] {
            assert!(!SET.contains_ascii_lowercase(word), "{word:?}");
        }
    }
}
