//! The library's error type: what stops a build.

use std::path::PathBuf;

use crate::diagnostics::Diagnostics;
use crate::output::OutputError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input has errors; every one found is in the diagnostics, with the warnings.
    #[error("the site has {} and was not built", plural(.0.errors().count(), "error"))]
    Invalid(Diagnostics),
    /// The development server could not start.
    #[error("cannot serve the site: {0}")]
    Serve(String),
    /// Some inputs of `briefing import` were not imported (each is reported on its own).
    #[error("{} not imported", plural(*.failed, "file"))]
    Import { failed: usize },
    /// `briefing check` found errors (each is reported on its own line).
    #[error("check found {}", plural(*.errors, "error"))]
    Check { errors: usize },
    #[error("could not write the site to {}", .path.display())]
    Output {
        path: PathBuf,
        #[source]
        source: OutputError,
    },
}

/// "1 error", "2 errors".
pub fn plural(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "person") => format!("{count} people"),
        (_, "country") => format!("{count} countries"),
        _ => format!("{count} {noun}s"),
    }
}
