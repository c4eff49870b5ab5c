//! The pipeline: load -> derive -> render -> write. `build` runs it end to end; `build_in_memory`
//! stops before writing, for commands that inspect or serve the result.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::content::{self, EntityKind, LoadCache, LoadOptions};
use crate::derive::{self, DeriveCache, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{plural, Error};
use crate::output;
use crate::render::{self, RenderCache, RenderedSite, Templates};

/// What to build, as the command line says it.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The site's folder (holding `site.yaml` and `content/`).
    pub root: PathBuf,
    /// Overrides `output_dir` of `site.yaml`; relative to the current folder.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` of `site.yaml`.
    pub base_url: Option<String>,
    /// Include articles marked `draft: true`.
    pub drafts: bool,
}

/// A site built in memory.
pub struct InMemoryBuild {
    pub config: SiteConfig,
    /// Shared with the files made from it when they are read (the data export).
    pub site: Arc<Site>,
    pub rendered: RenderedSite,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    pub work: Work,
    pub times: StageTimes,
}

/// How long each stage of a build took.
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimes {
    pub load: Duration,
    pub derive: Duration,
    pub render: Duration,
}

impl std::fmt::Display for StageTimes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "load {} ms, derive {} ms, render {} ms",
            self.load.as_millis(),
            self.derive.as_millis(),
            self.render.as_millis()
        )
    }
}

/// What one site's builds keep between them, stage by stage, so that a rebuild after a save
/// (`serve --watch`) redoes only what the save touched. A build with a cache gives the same bytes
/// as a build without one.
#[derive(Default)]
pub struct BuildCache {
    templates: Option<Arc<Templates>>,
    load: LoadCache,
    derive: DeriveCache,
    render: RenderCache,
}

impl BuildCache {
    /// A cache for one build that no other build will follow: it keeps no copies of the content
    /// (only the compiled templates, which the build needs anyway).
    pub fn one_off() -> BuildCache {
        let mut cache = BuildCache::default();
        cache.load.forgetful = true;
        cache.derive.forgetful = true;
        cache.render.forgetful = true;
        cache
    }

    /// Files the next build must read again, whatever their size and time say.
    pub fn forget(&mut self, paths: &[PathBuf]) {
        self.load.forget(paths);
    }
}

/// The work a build did rather than take from its cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    pub files_read: usize,
    pub articles_analysed: usize,
    /// Articles whose entities and speakers were resolved again (see `derive::resolve`).
    pub articles_resolved: usize,
    /// Whether the site model was patched (see `derive::patch`) rather than put together whole.
    pub site_patched: bool,
    pub pages_rendered: usize,
    /// Search documents split into terms (not taken from the cache).
    pub documents_indexed: usize,
}

/// What a finished build did.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub output_dir: PathBuf,
    pub articles: usize,
    pub countries: usize,
    pub organisations: usize,
    pub people: usize,
    pub quotes: usize,
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    /// How long each stage took, and the write after them.
    pub times: StageTimes,
    pub write: Duration,
    pub warnings: Diagnostics,
}

impl BuildSummary {
    /// The one line a build ends with.
    pub fn line(&self) -> String {
        format!(
            "built {}, {}, {}, {}, {} -> {} in {} ms ({}, write {} ms)",
            plural(self.articles, "article"),
            plural(self.countries, "country"),
            plural(self.organisations, "organisation"),
            plural(self.people, "person"),
            plural(self.quotes, "quote"),
            plural(self.pages, "page"),
            self.elapsed.as_millis(),
            self.times,
            self.write.as_millis()
        )
    }
}

/// Builds the site and writes it to its output folder, replacing the previous site only on success.
/// Files are written into a staging folder as they are rendered, so the site is never held in
/// memory as a whole; the staging folder is swapped in at the end, or removed on failure.
pub fn build(options: &BuildOptions) -> Result<BuildSummary, Error> {
    let (summary, site_in_memory) = build_unfreed(options)?;
    drop(site_in_memory);
    Ok(summary)
}

/// [`build`], handing back the site in memory instead of freeing it: a process that exits right
/// after can leave it to the system, which takes back the whole heap at once (freeing it piece by
/// piece took 35-50 ms of a 10,000-article build, at its end, where nothing else runs).
pub fn build_unfreed(options: &BuildOptions) -> Result<(BuildSummary, impl Sized), Error> {
    let started = Instant::now();
    let mut cache = BuildCache::one_off();
    let (config, diagnostics) = settings(options)?;
    let output_dir = output_dir(options, &config);
    // A bad output folder is reported with the other errors, after a build in memory.
    let staging = if diagnostics.has_errors() {
        None
    } else {
        Some(output::Staging::begin(&output_dir).map_err(output_error(&output_dir))?)
    };
    let sink = staging.as_ref().map(|s| s as &dyn render::FileSink);
    let built = run_stages(options, config, diagnostics, &mut cache, sink)?;
    let count = |kind| built.site.entity_count(kind);
    let mut summary = BuildSummary {
        articles: built.site.articles.len(),
        countries: count(EntityKind::Country),
        organisations: count(EntityKind::Organisation),
        people: count(EntityKind::Person),
        quotes: built.site.quotes.len(),
        pages: built.rendered.pages,
        files: built.rendered.file_count,
        // Both filled in once the new site is in place.
        elapsed: Duration::ZERO,
        times: built.times,
        write: Duration::ZERO,
        warnings: built.diagnostics,
        output_dir,
    };
    let writing = Instant::now();
    crate::progress::stage("swapping in the new site", 0);
    staging
        .map(output::Staging::finish)
        .transpose()
        .map_err(output_error(&summary.output_dir))?;
    summary.write = writing.elapsed();
    summary.elapsed = started.elapsed();
    Ok((summary, (built.site, built.rendered, cache)))
}

/// The error for a failure to write the output folder `path`.
fn output_error(path: &Path) -> impl FnOnce(output::OutputError) -> Error + '_ {
    move |source| Error::Output {
        path: path.to_path_buf(),
        source,
    }
}

/// Runs load, derive and render. Every problem found in any stage is reported together.
pub fn build_in_memory(options: &BuildOptions) -> Result<InMemoryBuild, Error> {
    build_in_memory_cached(options, &mut BuildCache::one_off())
}

/// [`build_in_memory`], redoing only the work that the changes since the build that filled
/// `cache` call for.
pub fn build_in_memory_cached(
    options: &BuildOptions,
    cache: &mut BuildCache,
) -> Result<InMemoryBuild, Error> {
    let (config, diagnostics) = settings(options)?;
    run_stages(options, config, diagnostics, cache, None)
}

/// The site's settings with the command line's over them, and the output folder checked; fails
/// only when there are no settings at all.
fn settings(options: &BuildOptions) -> Result<(SiteConfig, Diagnostics), Error> {
    let root = &options.root;
    let mut diagnostics = Diagnostics::new();
    let Some(mut config) = SiteConfig::load(root, &mut diagnostics) else {
        return Err(fail(diagnostics));
    };
    if let Some(base_url) = &options.base_url {
        if let Err(message) = config.set_base_url(base_url) {
            diagnostics.push(
                Diagnostic::error("--base-url", message)
                    .with_hint("give the address the site will be published at, e.g. https://example.org/briefing/"),
            );
        }
    }
    check_output_dir(root, &output_dir(options, &config), &mut diagnostics);
    Ok((config, diagnostics))
}

/// Load, derive and render, each file handed to `sink` when there is one.
fn run_stages(
    options: &BuildOptions,
    config: SiteConfig,
    mut diagnostics: Diagnostics,
    cache: &mut BuildCache,
    sink: Option<&dyn render::FileSink>,
) -> Result<InMemoryBuild, Error> {
    let root = &options.root;
    let mut times = StageTimes::default();
    let started = Instant::now();
    let mut steps = crate::timings::Steps::start("build");
    let templates = Templates::load_cached(root, &config, &mut cache.templates, &mut diagnostics);
    steps.mark("templates");
    let corpus = content::load(
        root,
        LoadOptions {
            drafts: options.drafts,
            on_listed: Some(derive::gazetteer::prepare),
        },
        &mut cache.load,
        &mut diagnostics,
    );
    times.load = started.elapsed();
    let site = derive::derive(corpus, &mut cache.derive, &mut diagnostics);
    times.derive = started.elapsed() - times.load;
    let (Some(templates), false) = (templates, diagnostics.has_errors()) else {
        return Err(fail(diagnostics));
    };
    let rendered = render::render(
        root,
        &config,
        &site,
        &templates,
        &mut cache.render,
        sink,
        &mut diagnostics,
    );
    times.render = started.elapsed() - times.load - times.derive;
    if diagnostics.has_errors() {
        return Err(fail(diagnostics));
    }
    diagnostics.sort();
    Ok(InMemoryBuild {
        config,
        site,
        rendered,
        diagnostics,
        work: Work {
            files_read: cache.load.read,
            articles_analysed: cache.derive.analysed,
            articles_resolved: cache.derive.resolved,
            site_patched: cache.derive.patched,
            pages_rendered: cache.render.rendered,
            documents_indexed: cache.render.indexed(),
        },
        times,
    })
}

fn fail(mut diagnostics: Diagnostics) -> Error {
    diagnostics.sort();
    Error::Invalid(diagnostics)
}

/// The absolute output folder: `--output` (relative to the current folder) or `output_dir` of
/// `site.yaml` (relative to the site root).
pub fn output_dir(options: &BuildOptions, config: &SiteConfig) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    let chosen = match &options.output {
        Some(output) => cwd.join(output),
        None => cwd.join(&options.root).join(&config.output_dir),
    };
    normalise(&chosen)
}

/// The output folder is replaced whole on every build, so it must not hold the site's own input.
fn check_output_dir(root: &Path, output_dir: &Path, diagnostics: &mut Diagnostics) {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = normalise(&cwd.join(root));
    let hint = "choose an output folder of its own, such as public/ (`output_dir:` in site.yaml or --output)";
    if root.starts_with(output_dir) {
        diagnostics.push(
            Diagnostic::error(
                "site.yaml",
                format!(
                    "the output folder {} holds the site itself",
                    output_dir.display()
                ),
            )
            .with_hint(hint),
        );
        return;
    }
    for input in ["content", "themes", "templates", "static"] {
        if output_dir.starts_with(root.join(input)) {
            diagnostics.push(
                Diagnostic::error(
                    "site.yaml",
                    format!(
                        "the output folder {} is inside the site's {input}/ folder",
                        output_dir.display()
                    ),
                )
                .with_hint(hint),
            );
        }
    }
}

/// Resolves `.` and `..` in an absolute path without touching the file system (the output folder
/// may not exist yet).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
