//! Finding the bytes of a small set in a text, sixteen bytes at a time: HTML escaping, quotation
//! marks and sentence stops each look for four or five bytes in every text of a build, where a
//! byte-by-byte table read cost some 5 instructions a byte. memchr finds at most three bytes at
//! once; these sets have more.

/// A set of `N` bytes.
pub struct ByteSet<const N: usize> {
    /// Compared sixteen at a time; other targets read `table` alone.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    bytes: [u8; N],
    table: [bool; 256],
}

impl<const N: usize> ByteSet<N> {
    /// The set of `bytes` (repeats allowed).
    pub const fn new(bytes: [u8; N]) -> ByteSet<N> {
        let mut table = [false; 256];
        let mut i = 0;
        while i < N {
            table[bytes[i] as usize] = true;
            i += 1;
        }
        ByteSet { bytes, table }
    }

    /// Whether `byte` is in the set.
    pub fn contains(&self, byte: u8) -> bool {
        self.table[usize::from(byte)]
    }

    /// The offsets in `haystack` of the bytes in the set, ascending.
    pub fn positions<'a>(&'a self, haystack: &'a [u8]) -> Positions<'a, N> {
        Positions {
            set: self,
            haystack,
            block_start: 0,
            next_block: 0,
            mask: 0,
        }
    }

    /// The first offset at or after `from` whose byte is in the set.
    pub fn find_from(&self, haystack: &[u8], from: usize) -> Option<usize> {
        let rest = haystack.get(from..)?;
        self.positions(rest).next().map(|at| from + at)
    }

    /// Bit `i` set when `block[i]` is in the set.
    #[inline]
    fn block_mask(&self, block: &[u8; BLOCK]) -> u32 {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{
                __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
                _mm_set1_epi8, _mm_setzero_si128,
            };
            // SAFETY: SSE2 is part of x86_64; the load reads the 16 bytes of `block`, unaligned.
            unsafe {
                let chunk = _mm_loadu_si128(block.as_ptr().cast::<__m128i>());
                let mut hits = _mm_setzero_si128();
                for byte in self.bytes {
                    let wanted = _mm_set1_epi8(i8::from_ne_bytes([byte]));
                    hits = _mm_or_si128(hits, _mm_cmpeq_epi8(chunk, wanted));
                }
                _mm_movemask_epi8(hits) as u32
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self.bytes_mask(block)
        }
    }

    /// Bit `i` set when `bytes[i]` is in the set, read a byte at a time: a block, or a text shorter
    /// than one (at most 16 bytes, within the mask's 32 bits).
    #[inline]
    fn bytes_mask(&self, bytes: &[u8]) -> u32 {
        let mut mask = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            mask |= u32::from(self.contains(byte)) << i;
        }
        mask
    }
}

const BLOCK: usize = 16;

/// The offsets of a [`ByteSet`]'s bytes in a text: see [`ByteSet::positions`].
pub struct Positions<'a, const N: usize> {
    set: &'a ByteSet<N>,
    haystack: &'a [u8],
    /// The offset of the block `mask` describes.
    block_start: usize,
    /// The offset of the next block to read.
    next_block: usize,
    /// The block's bytes in the set not yet handed out, as bits.
    mask: u32,
}

impl<const N: usize> Positions<'_, N> {
    /// Reads the next block into `mask`; false at the end of the text.
    #[inline]
    fn read_block(&mut self) -> bool {
        let start = self.next_block;
        let len = self.haystack.len();
        if start >= len {
            return false;
        }
        self.block_start = start;
        if let Some(block) = self.haystack[start..].first_chunk::<BLOCK>() {
            self.mask = self.set.block_mask(block);
            self.next_block = start + BLOCK;
        } else {
            self.mask = match self.haystack.last_chunk::<BLOCK>() {
                // The last block, overlapping the one before: its bytes already read go.
                Some(last) => self.set.block_mask(last) >> (BLOCK - (len - start)),
                // A text shorter than a block.
                None => self.set.bytes_mask(self.haystack),
            };
            self.next_block = len;
        }
        true
    }
}

impl<const N: usize> Iterator for Positions<'_, N> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            if !self.read_block() {
                return None;
            }
        }
        let bit = self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(self.block_start + bit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_a_byte_by_byte_reading_finds() {
        let set = ByteSet::new(*b"&<>\"'");
        let mut seed = 0x1234_5678_u32;
        let mut below = |n: u32| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed % n
        };
        let alphabet = b"ab &<>\"'\xe2\x80\x9c.";
        for _ in 0..2000 {
            let len = below(80) as usize;
            let text: Vec<u8> = (0..len)
                .map(|_| alphabet[below(alphabet.len() as u32) as usize])
                .collect();
            let expected: Vec<usize> = (0..text.len()).filter(|&i| set.contains(text[i])).collect();
            assert_eq!(set.positions(&text).collect::<Vec<_>>(), expected);
            let from = below(len as u32 + 2) as usize;
            assert_eq!(
                set.find_from(&text, from),
                expected.iter().copied().find(|&at| at >= from)
            );
        }
    }
}
