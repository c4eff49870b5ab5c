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

/// The bucket of a word of `len` bytes, its first and last bytes given (the same byte for a word
/// of one, nothing for an empty one).
#[inline]
fn bucket(len: usize, ends: Option<(u8, u8)>) -> usize {
    ends.map_or(0, |(first, last)| {
        (len * 31 + usize::from(first) * 7 + usize::from(last) * 3) % BUCKETS
    })
}

/// A word's first and last bytes.
#[inline]
fn ends(word: &str) -> Option<(u8, u8)> {
    Some((*word.as_bytes().first()?, *word.as_bytes().last()?))
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
        self.bucket_words(bucket(word.len(), ends(word)))
            .contains(&word)
    }

    /// Whether `word` in ASCII lower case is one of the words, with no copy made. The words must
    /// have no ASCII capitals (a test holds the lists that are asked this way to it).
    #[inline]
    pub fn contains_ascii_lowercase(&self, word: &str) -> bool {
        let lower_ends =
            ends(word).map(|(first, last)| (first.to_ascii_lowercase(), last.to_ascii_lowercase()));
        self.bucket_words(bucket(word.len(), lower_ends))
            .iter()
            .any(|candidate| candidate.eq_ignore_ascii_case(word))
    }

    /// The words in bucket `b`.
    #[inline]
    fn bucket_words(&self, b: usize) -> &[&'static str] {
        let index = self.index.get_or_init(|| self.make_index());
        &index.words[usize::from(index.starts[b])..usize::from(index.starts[b + 1])]
    }

    fn make_index(&self) -> Index {
        // A bucket's offsets are `u16`s.
        assert!(
            self.words.len() < usize::from(u16::MAX),
            "a word list of fewer than 65,535 words"
        );
        let mut words = self.words.to_vec();
        words.sort_by_key(|word| bucket(word.len(), ends(word)));
        let mut starts = vec![0u16; BUCKETS + 1];
        for word in &words {
            starts[bucket(word.len(), ends(word)) + 1] += 1;
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
