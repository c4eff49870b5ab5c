//! Optional timings of a build's steps, printed to stderr when `BRIEFING_TIMINGS` is set: how the
//! README's breakdowns of a build and of a rebuild in `serve --watch` are measured.

use std::sync::OnceLock;
use std::time::Instant;

/// The steps of one stage, each timed from the one before.
pub struct Steps {
    stage: &'static str,
    last: Instant,
    last_cpu: f64,
}

impl Steps {
    pub fn start(stage: &'static str) -> Steps {
        Steps {
            stage,
            last: Instant::now(),
            last_cpu: if enabled() { process_cpu_ms() } else { 0.0 },
        }
    }

    /// Ends the step `step`: prints its time when timings are on, and starts the next.
    pub fn mark(&mut self, step: &str) {
        if enabled() {
            let now = Instant::now();
            let cpu = process_cpu_ms();
            let wall_ms = (now - self.last).as_secs_f64() * 1000.0;
            // The CPU time of every thread over the step: how well the step uses the cores.
            eprintln!(
                "timing {}/{step}: {wall_ms:.1} ms (cpu {:.0} ms)",
                self.stage,
                cpu - self.last_cpu
            );
            self.last = now;
            self.last_cpu = cpu;
        }
    }
}

fn enabled() -> bool {
    static ENABLED: OnceLock<bool> = OnceLock::new();
    *ENABLED.get_or_init(|| std::env::var_os("BRIEFING_TIMINGS").is_some())
}

/// The CPU time the process has used so far, in all its threads (user and system), in ms; 0 where
/// `/proc` cannot tell. Read at 10 ms granularity, enough for steps worth timing.
fn process_cpu_ms() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces, so start after its closing bracket):
    // state is field 3, utime 14 and stime 15.
    let Some(rest) = stat.rfind(')').map(|end| &stat[end + 1..]) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |index: usize| {
        fields
            .get(index)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // Linux reports these in USER_HZ, 100 per second on every architecture it supports.
    (ticks(11) + ticks(12)) * 10.0
}
