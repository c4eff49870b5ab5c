//! How the build's per-item work is shared between cores.

/// The most items one core takes in a run from a parallel list of articles or pages.
///
/// Rayon splits a list in halves only while it has splits to spend, and again when a half is
/// stolen; the pieces left near the end can hold hundreds of items. On two cores, the last such
/// piece of the 10,000-article page list kept one core busy for a third of a second while the other
/// waited. A piece of a few items costs the split and nothing else.
pub const MAX_RUN: usize = 8;
