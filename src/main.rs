//! The `briefing` binary: parses the command line, runs it, maps failure to exit code 1.

use std::process::ExitCode;

use clap::Parser;

// The build makes and drops millions of small strings on every core; glibc's allocator spent a
// third of a 10,000-article build in malloc and free, mimalloc a fraction of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = briefing::cli::Cli::parse();
    match briefing::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            briefing::cli::report(&error);
            ExitCode::from(1)
        }
    }
}
