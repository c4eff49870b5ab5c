//! How the build's per-item work is shared between cores, and what a rebuild replaces is freed
//! off its path.

/// The most items one core takes in a run from a parallel list of articles or pages.
///
/// Rayon splits a list in halves only while it has splits to spend, and again when a half is
/// stolen; the pieces left near the end can hold hundreds of items. On two cores, the last such
/// piece of the 10,000-article page list kept one core busy for a third of a second while the other
/// waited. A piece of a few items costs the split and nothing else.
pub const MAX_RUN: usize = 8;

/// Drops `value` on a thread of its own, for a rebuild (`serve --watch`) that replaces a large
/// structure (the last site model, its lists, the last served files), or a render done with its
/// pages' values: freeing a hundred thousand allocations is work no one need wait for.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    use std::sync::mpsc::{channel, Sender};
    use std::sync::OnceLock;
    type Garbage = Box<dyn Send>;
    static DROPPER: OnceLock<Option<Sender<Garbage>>> = OnceLock::new();
    let dropper = DROPPER.get_or_init(|| {
        let (sender, receiver) = channel::<Garbage>();
        std::thread::Builder::new()
            .name("briefing-drop".into())
            .spawn(move || receiver.into_iter().for_each(drop))
            .ok()
            .map(|_| sender)
    });
    // Without the thread (it could not be started), or should it be gone, the value is dropped
    // here, as it would have been.
    if let Some(sender) = dropper {
        let _ = sender.send(Box::new(value));
    }
}
