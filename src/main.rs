//! The `briefing` binary: parses the command line, runs it, maps failure to exit code 1.

use std::process::ExitCode;

use clap::Parser;

// The build makes and drops millions of small strings on every core; glibc's allocator spent a
// third of a 10,000-article build in malloc and free, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = briefing::cli::Cli::parse();
    if matches!(cli.command, briefing::cli::Command::Serve(_)) {
        keep_freed_memory();
    } else {
        small_memory_pages();
    }
    match briefing::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            briefing::cli::report(&error);
            ExitCode::from(1)
        }
    }
}

/// mimalloc's `mi_option_purge_delay` (the same number in its v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// The server rebuilds the site on every save: memory freed after one rebuild is kept for the next
/// rather than given back to the system and faulted in (and zeroed) again: a one-article rebuild at
/// 10,000 articles went from a median of 87-93 ms to 72-79 ms. The server's memory stays at its
/// largest build's (about 1.1 GB at 10,000 articles).
fn keep_freed_memory() {
    // SAFETY: sets one of mimalloc's options; called before the server starts its threads.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Transparent huge pages cost a build more than they save. mimalloc asks for them on its arenas;
/// each first touch of a 2 MiB region then zeroes all of it (and may wait for the kernel to compact
/// memory), while the build uses its memory a little at a time. At 10,000 articles, turning them off
/// took the build's system time from 0.9-1.8 s to 0.7-0.9 s and its peak memory from about 420 to
/// 370 MB; user time did not change. The server keeps them: it reuses its memory on every rebuild,
/// and a one-article rebuild at 10,000 articles took 43-45 ms without them against 40 with them.
fn small_memory_pages() {
    #[cfg(target_os = "linux")]
    {
        // Only a hint: a kernel that refuses it leaves the build as it was.
        let _ = rustix::thread::disable_transparent_huge_pages(true);
    }
}
