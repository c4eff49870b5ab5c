//! The command line: argument definitions and what each command does with the library.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::build::{self, BuildOptions};
use crate::error::{plural, Error};
use crate::import;

#[derive(Debug, Parser)]
#[command(
    name = "briefing",
    version,
    about = "Build briefing sites from news articles",
    long_about = "briefing turns a folder of news articles into a static briefing site: one page per \
                  article, and pages for the countries, organisations and people they mention."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into its output folder (public/ unless site.yaml says otherwise)
    Build(BuildArgs),
    /// Turn raw scraped articles into .md articles: cleaned text, guessed front matter
    Import(ImportArgs),
    /// Build the site in memory and serve it over HTTP for a browser (127.0.0.1:1111)
    Serve(ServeArgs),
    /// Build the site in memory and report broken links, quotations not word for word, duplicate
    /// articles, missing dates and sources, unattributed quotations and unknown names
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's folder, holding site.yaml and content/
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Show errors only
    #[arg(long)]
    pub errors_only: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site's folder, holding site.yaml and content/
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// The port to serve on; the next free one is taken when it is busy (0: any free port)
    #[arg(long, short, value_name = "N", default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; anything but a loopback address lets other machines read the site
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
    /// Rebuild on every save and reload the browser; a failed rebuild shows its errors over the last
    /// good page
    #[arg(long)]
    pub watch: bool,
    /// Open the site in the default web browser once it is served
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Raw article files, folders (their .txt files), glob patterns ("scraped/*.txt"), or - for
    /// standard input
    #[arg(required = true, value_name = "FILE")]
    pub inputs: Vec<String>,
    /// The folder to write the .md articles to
    #[arg(long, value_name = "DIR", default_value = "content/articles")]
    pub into: PathBuf,
    /// Replace .md files that already exist
    #[arg(long)]
    pub force: bool,
    /// List every line dropped from each article, and why
    #[arg(long)]
    pub explain: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site's folder, holding site.yaml and content/
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site (default: `output_dir` of site.yaml, or public/ in the site's folder)
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The address the site will be published at, for canonical links (overrides site.yaml)
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`
    #[arg(long)]
    pub drafts: bool,
}

/// Runs one command. Diagnostics go to standard error; the result line to standard output.
pub fn run(cli: Cli) -> Result<(), Error> {
    match cli.command {
        Command::Build(args) => {
            let options = BuildOptions {
                root: args.root,
                output: args.output,
                base_url: args.base_url,
                drafts: args.drafts,
            };
            let (summary, site_in_memory) =
                crate::progress::show_on_terminal(|| build::build_unfreed(&options))?;
            // The process ends here: the system takes back the memory without it being freed.
            std::mem::forget(site_in_memory);
            for warning in summary.warnings.iter() {
                eprintln!("{warning}");
            }
            println!("{}", summary.line());
            Ok(())
        }
        Command::Import(args) => run_import(args),
        Command::Check(args) => run_check(args),
        Command::Serve(args) => {
            if args.bind.is_unspecified() {
                eprintln!(
                    "warning: serving on every network interface ({}): ANY MACHINE THAT CAN REACH THIS ONE CAN READ THE SITE, \
                     drafts and notes included\n  hint: leave out --bind to serve on 127.0.0.1, this machine only",
                    args.bind
                );
            } else if !args.bind.is_loopback() {
                eprintln!(
                    "warning: serving on {}: every machine that can reach that address can read the site\n  \
                     hint: leave out --bind to serve on 127.0.0.1, this machine only",
                    args.bind
                );
            }
            let options = crate::serve::ServeOptions {
                build: BuildOptions {
                    root: args.root,
                    drafts: args.drafts,
                    ..BuildOptions::default()
                },
                bind: args.bind,
                port: args.port,
                watch: args.watch,
                open: args.open,
            };
            crate::serve::serve(&options)
        }
    }
}

fn run_check(args: CheckArgs) -> Result<(), Error> {
    let options = BuildOptions {
        root: args.root,
        drafts: args.drafts,
        ..BuildOptions::default()
    };
    let findings = crate::progress::show_on_terminal(|| crate::check::check(&options))?;
    for finding in findings.iter() {
        if finding.is_error() || !args.errors_only {
            println!("{}", crate::check::one_line(finding));
        }
    }
    let errors = findings.errors().count();
    let warnings = findings.warnings().count();
    println!(
        "check: {}, {}",
        plural(errors, "error"),
        plural(warnings, "warning")
    );
    if errors > 0 {
        return Err(Error::Check { errors });
    }
    Ok(())
}

fn run_import(args: ImportArgs) -> Result<(), Error> {
    let options = import::ImportOptions {
        inputs: args.inputs,
        into: args.into,
        force: args.force,
    };
    let report = import::import(&options);
    for diagnostic in report.diagnostics.iter() {
        eprintln!("{diagnostic}");
    }
    for imported in &report.imported {
        let cleaned = &imported.cleaned;
        let or_unknown = |value: Option<String>| value.unwrap_or_else(|| "?".into());
        println!(
            "{} -> {}: date {}, author {}, source {}; kept {} lines, dropped {}",
            imported.input,
            imported.output.display(),
            or_unknown(cleaned.date.map(|d| d.format("%Y-%m-%d").to_string())),
            or_unknown(cleaned.author.clone()),
            or_unknown(cleaned.source.clone()),
            cleaned.kept,
            cleaned.removed.len()
        );
        if args.explain {
            for removed in &cleaned.removed {
                println!(
                    "  line {}: {:?} ({})",
                    removed.line, removed.text, removed.reason
                );
            }
        }
    }
    let failed = report.diagnostics.errors().count();
    println!(
        "imported {}, {} failed",
        plural(report.imported.len(), "article"),
        failed
    );
    if failed > 0 {
        return Err(Error::Import { failed });
    }
    Ok(())
}

/// Prints an error with its chain and, for invalid input, every finding, then a closing line.
pub fn report(error: &Error) {
    if let Error::Invalid(diagnostics) = error {
        for diagnostic in diagnostics.iter() {
            eprintln!("{diagnostic}");
        }
        let warnings = diagnostics.warnings().count();
        let errors = diagnostics.errors().count();
        let mut line = format!("error: build failed with {}", plural(errors, "error"));
        if warnings > 0 {
            line.push_str(&format!(" and {}", plural(warnings, "warning")));
        }
        eprintln!("{line}; the output folder was left as it was");
        return;
    }
    eprintln!("error: {error}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        eprintln!("  caused by: {cause}");
        source = cause.source();
    }
}
