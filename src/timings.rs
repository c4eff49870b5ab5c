//! Optional timings of a build's steps, printed to stderr when `BRIEFING_TIMINGS` is set: how the
//! README's breakdowns of a build and of a rebuild in `serve --watch` are measured.

use std::sync::OnceLock;
use std::time::Instant;

/// The steps of one stage, each timed from the one before.
pub struct Steps {
    stage: &'static str,
    last: Instant,
}

impl Steps {
    pub fn start(stage: &'static str) -> Steps {
        Steps {
            stage,
            last: Instant::now(),
        }
    }

    /// Ends the step `step`: prints its time when timings are on, and starts the next.
    pub fn mark(&mut self, step: &str) {
        if enabled() {
            let now = Instant::now();
            eprintln!(
                "timing {}/{step}: {:.1} ms",
                self.stage,
                (now - self.last).as_secs_f64() * 1000.0
            );
            self.last = now;
        }
    }
}

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("BRIEFING_TIMINGS").is_some())
}
