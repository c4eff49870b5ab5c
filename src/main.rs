//! The `briefing` binary: parses the command line, runs it, maps failure to exit code 1.

use std::process::ExitCode;

use clap::Parser;

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
