//! The progress line of a long build on a terminal: which stage is running and how far it got
//! ("analysing articles: 41,200 of 100,000"), redrawn in place on stderr and wiped when the build
//! ends. Stages report into one shared counter, so the pipeline needs no handle passed through it;
//! nothing is drawn outside `show_on_terminal` (which the command line wraps around `build` and
//! `check`), when stderr is not a terminal, or for a build that ends within a second.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::Duration;

/// What the running stage is and how far it got.
struct State {
    stage: Mutex<&'static str>,
    done: AtomicUsize,
    total: AtomicUsize,
    enabled: AtomicBool,
    /// Set when the build ends: the drawing thread wipes the line and stops.
    finished: Mutex<bool>,
    wake: Condvar,
}

fn state() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(|| State {
        stage: Mutex::new(""),
        done: AtomicUsize::new(0),
        total: AtomicUsize::new(0),
        enabled: AtomicBool::new(false),
        finished: Mutex::new(false),
        wake: Condvar::new(),
    })
}

/// Starts a stage of `total` steps (0 when the count is unknown).
pub fn stage(name: &'static str, total: usize) {
    let state = state();
    if !state.enabled.load(Ordering::Relaxed) {
        return;
    }
    *state.stage.lock().unwrap_or_else(|e| e.into_inner()) = name;
    state.done.store(0, Ordering::Relaxed);
    state.total.store(total, Ordering::Relaxed);
}

/// One step of the running stage done. Cheap enough for every page of a build.
pub fn step() {
    let state = state();
    if state.enabled.load(Ordering::Relaxed) {
        state.done.fetch_add(1, Ordering::Relaxed);
    }
}

/// Draws the progress line on stderr while `work` runs, when stderr is a terminal; the line is
/// wiped before `work`'s result is returned, so that what the command prints next starts clean.
pub fn show_on_terminal<T>(work: impl FnOnce() -> T) -> T {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return work();
    }
    let state = state();
    state.enabled.store(true, Ordering::Relaxed);
    *state.finished.lock().unwrap_or_else(|e| e.into_inner()) = false;
    let _drawing = Drawing(Some(std::thread::spawn(draw)));
    work()
}

/// The drawing thread, stopped and its line wiped when dropped: after the work, or if it panics.
struct Drawing(Option<std::thread::JoinHandle<()>>);

impl Drop for Drawing {
    fn drop(&mut self) {
        let state = state();
        *state.finished.lock().unwrap_or_else(|e| e.into_inner()) = true;
        state.wake.notify_all();
        if let Some(drawer) = self.0.take() {
            let _ = drawer.join();
        }
        state.enabled.store(false, Ordering::Relaxed);
    }
}

/// Redraws the line four times a second, after a first second of quiet, until the build ends.
fn draw() {
    let state = state();
    let mut finished = state.finished.lock().unwrap_or_else(|e| e.into_inner());
    let mut drawn = false;
    let mut wait = Duration::from_secs(1);
    loop {
        let (guard, _) = state
            .wake
            .wait_timeout_while(finished, wait, |finished| !*finished)
            .unwrap_or_else(|e| e.into_inner());
        let done = *guard;
        // Not held while writing: a slow terminal must not hold up the end of the build.
        drop(guard);
        let mut stderr = std::io::stderr().lock();
        if done {
            if drawn {
                let _ = write!(stderr, "\r\x1b[2K");
                let _ = stderr.flush();
            }
            return;
        }
        let _ = write!(stderr, "\r\x1b[2K{}", line());
        let _ = stderr.flush();
        drawn = true;
        wait = Duration::from_millis(250);
        finished = state.finished.lock().unwrap_or_else(|e| e.into_inner());
    }
}

/// The line as it stands: "rendering pages: 4,200 of 12,166".
fn line() -> String {
    let state = state();
    let stage = *state.stage.lock().unwrap_or_else(|e| e.into_inner());
    let (done, total) = (
        state.done.load(Ordering::Relaxed),
        state.total.load(Ordering::Relaxed),
    );
    if total == 0 {
        format!("{stage}…")
    } else {
        format!(
            "{stage}: {} of {}",
            thousands(done.min(total)),
            thousands(total)
        )
    }
}

/// 12166 as "12,166".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_with_thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12_166), "12,166");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
