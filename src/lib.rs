//! briefing: a static site generator for news briefing sites.
//!
//! The pipeline, one module per stage:
//! - [`config`] reads `site.yaml`;
//! - [`content`] loads `content/`: articles, entity notes, the home page's introduction;
//! - [`derive`] builds the site model: articles in order, the entities they mention;
//! - [`render`] renders pages with the theme's Tera templates;
//! - [`output`] writes the site atomically.
//!
//! [`build`] runs the stages in order; [`cli`] is the command line on top.

pub mod build;
pub mod byte_set;
pub mod check;
pub mod clean;
pub mod cli;
pub mod config;
pub mod content;
pub mod derive;
pub mod diagnostics;
pub mod error;
pub mod import;
pub mod linkcheck;
pub mod output;
pub mod parallel;
pub mod progress;
pub mod reference;
pub mod render;
pub mod serve;
pub mod slug;
pub mod timings;
pub mod watch;
pub mod word_set;
pub mod yaml;

pub use build::{build, build_in_memory, BuildOptions, BuildSummary};
pub use error::Error;
