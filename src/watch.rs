//! `briefing serve --watch`: rebuilds the site when the editor saves, and tells the browser.
//! A debounced watcher (notify) sees changes to `content/`, `site.yaml`, the themes, `templates/`
//! and `static/`; each burst of saves is one rebuild. A good rebuild replaces the served site and
//! sends a reload event; a failed one keeps the last good site served and sends its errors, which
//! the page shows over itself until the next good save. The page learns of both through
//! Server-Sent Events at [`EVENTS_PATH`], from a small script that only served pages carry.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::event::ModifyKind;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult};

use crate::build::{build_in_memory_cached, BuildCache, BuildOptions};
use crate::error::{plural, Error};
use crate::serve::SiteFiles;

/// The folders of a site the watcher follows, besides `site.yaml`.
const INPUT_FOLDERS: [&str; 4] = ["content", "themes", "templates", "static"];

/// The path of the event stream the served pages listen to.
pub const EVENTS_PATH: &str = "/__briefing/events";

/// The script served pages carry: reload after a good rebuild, show errors after a failed one.
/// The page knows the server and the build (generation) it was served from; the stream's `hello`
/// names the current ones, so a page reloads by itself when it reconnects to a restarted server or
/// missed a rebuild while it loaded, and a page loaded while the site is broken gets the errors at
/// once. `window.briefingLive` tells a test that the stream is open.
const LIVE_SCRIPT: &str = r#"<script>(function(){var served={server:"SERVER",generation:GENERATION};var s=new EventSource("/__briefing/events");s.onopen=function(){window.briefingLive="connected"};s.addEventListener("hello",function(e){var now=JSON.parse(e.data);if(now.server!==served.server||(now.generation!==served.generation&&!now.failed)){location.reload()}});s.addEventListener("reload",function(){location.reload()});s.addEventListener("failed",function(e){var d=document.getElementById("briefing-errors");if(!d){d=document.createElement("div");d.id="briefing-errors";d.setAttribute("role","alert");d.style.cssText="position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;background:#2b0b0b;color:#ffd7d7;font:14px/1.5 monospace;padding:1rem 1.25rem;z-index:2147483647;white-space:pre-wrap;border-bottom:4px solid #e55";document.body.appendChild(d)}d.textContent="briefing: the last save did not build; this is the last good page.\n\n"+JSON.parse(e.data).join("\n")})})();</script>"#;

/// The live script for a page served from `instance` at build `generation`.
pub fn live_script(instance: &str, generation: u64) -> String {
    LIVE_SCRIPT
        .replacen("SERVER", instance, 1)
        .replacen("GENERATION", &generation.to_string(), 1)
}

/// What the server serves now, and what changed last.
#[derive(Debug, Default)]
pub struct LiveState {
    pub files: SiteFiles,
    /// Counts rebuilds, good and failed, so that each listener sends each event once.
    pub generation: u64,
    /// The errors of the last rebuild, empty when it succeeded.
    pub errors: Vec<String>,
}

/// The state shared by the server's tasks and the watcher.
#[derive(Debug)]
pub struct Live {
    /// Tells this server from the one before it, for pages that reconnect after a restart.
    pub instance: String,
    pub state: Mutex<LiveState>,
    pub changed: Condvar,
    /// The generation, for the server's tasks, which wait without holding a thread.
    generations: tokio::sync::watch::Sender<u64>,
}

impl Live {
    pub fn new(files: SiteFiles) -> Arc<Live> {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        Arc::new(Live {
            instance: format!("{}-{started}", std::process::id()),
            state: Mutex::new(LiveState {
                files,
                generation: 0,
                errors: Vec::new(),
            }),
            changed: Condvar::new(),
            generations: tokio::sync::watch::Sender::new(0),
        })
    }

    /// A receiver that wakes on every rebuild after it was made.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.generations.subscribe()
    }

    fn publish(&self, update: impl FnOnce(&mut LiveState)) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        update(&mut state);
        state.generation += 1;
        self.changed.notify_all();
        self.generations.send_replace(state.generation);
    }

    /// The events a newly connected page gets: `hello` with this server and its current build,
    /// then the current errors if the last rebuild failed. Sets `seen` to the current build.
    pub fn greeting(&self, seen: &mut u64) -> String {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        *seen = state.generation;
        let hello = serde_json::json!({
            "server": self.instance,
            "generation": state.generation,
            "failed": !state.errors.is_empty(),
        });
        let mut events = format!("retry: 1000\nevent: hello\ndata: {hello}\n\n");
        if !state.errors.is_empty() {
            let data = serde_json::to_string(&state.errors).unwrap_or_default();
            events.push_str(&format!("event: failed\ndata: {data}\n\n"));
        }
        events
    }

    /// Waits up to `timeout` for a rebuild after `seen`; returns the event to send, if any.
    pub fn next_event(&self, seen: &mut u64, timeout: Duration) -> Option<String> {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let (state, _) = self
            .changed
            .wait_timeout_while(state, timeout, |s| s.generation == *seen)
            .unwrap_or_else(|e| e.into_inner());
        if state.generation == *seen {
            return None;
        }
        *seen = state.generation;
        Some(if state.errors.is_empty() {
            "event: reload\ndata: {}\n\n".to_string()
        } else {
            let data = serde_json::to_string(&state.errors).unwrap_or_default();
            format!("event: failed\ndata: {data}\n\n")
        })
    }
}

/// Watches the site's inputs and rebuilds on every burst of changes, until the process stops.
/// `cache` is the one the served site was built with, so the first rebuild is incremental too.
pub fn watch(
    options: BuildOptions,
    output_dir: PathBuf,
    live: Arc<Live>,
    mut cache: BuildCache,
) -> Result<(), Error> {
    let (tx, rx) = std::sync::mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(Duration::from_millis(75), None, tx)
        .map_err(|e| Error::Serve(format!("cannot watch the site: {e}")))?;
    // The watcher reports absolute paths; the root may be given as ".".
    let root = std::fs::canonicalize(&options.root).unwrap_or_else(|_| options.root.clone());
    for input in INPUT_FOLDERS {
        let path = root.join(input);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| Error::Serve(format!("cannot watch {}: {e}", path.display())))?;
        }
    }
    // site.yaml is watched through its folder, so that a save by rename is seen too.
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| Error::Serve(format!("cannot watch {}: {e}", root.display())))?;
    std::thread::spawn(move || {
        let mut debouncer = debouncer; // kept alive as long as the thread runs
        for result in rx {
            let events = match result {
                Ok(events) => events,
                Err(errors) => {
                    // The watcher lost track (an overflowing queue, a folder gone): what changed
                    // is unknown, so the caches go and the whole site is built again.
                    for error in &errors {
                        complain(&format!("warning: the watcher reported: {error}"));
                    }
                    cache = BuildCache::default();
                    rebuild(&options, &mut cache, &live, &root, &[]);
                    continue;
                }
            };
            if events.iter().any(|e| e.event.need_rescan()) {
                cache = BuildCache::default();
                rebuild(&options, &mut cache, &live, &root, &[]);
                continue;
            }
            // An input folder made while serving (a new templates/, say) is watched from now on.
            for event in events
                .iter()
                .filter(|e| matches!(e.event.kind, EventKind::Create(_)))
            {
                for path in &event.event.paths {
                    let top_level = path.parent() == Some(root.as_path())
                        && path
                            .file_name()
                            .is_some_and(|n| INPUT_FOLDERS.iter().any(|f| n == *f));
                    if top_level && path.is_dir() {
                        if let Err(err) = debouncer.watch(path, RecursiveMode::Recursive) {
                            complain(&format!("warning: cannot watch {}: {err}", path.display()));
                        }
                    }
                }
            }
            // Reads (the build's own, too) and metadata changes are no edits.
            let changed: Vec<PathBuf> = events
                .iter()
                .filter(|e| is_edit(&e.event.kind))
                .flat_map(|e| e.event.paths.iter().cloned())
                .filter(|p| is_input(&root, &output_dir, p))
                .collect();
            if changed.is_empty() {
                continue;
            }
            // The build reads files under the root as given; the watcher names them absolutely.
            let forget: Vec<PathBuf> = changed
                .iter()
                .filter_map(|p| p.strip_prefix(&root).ok())
                .map(|relative| options.root.join(relative))
                .collect();
            cache.forget(&forget);
            rebuild(&options, &mut cache, &live, &root, &changed);
        }
    });
    Ok(())
}

/// A file created, written, renamed or removed: what an editor's save does.
fn is_edit(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(modify) => !matches!(modify, ModifyKind::Metadata(_)),
        _ => false,
    }
}

/// Whether a changed path is one of the site's inputs, and not an editor's swap or backup file or
/// the output folder.
fn is_input(root: &Path, output_dir: &Path, path: &Path) -> bool {
    if path.starts_with(output_dir) {
        return false;
    }
    let swap = path
        .file_name()
        .is_some_and(crate::content::is_ignored_name);
    let relative = path.strip_prefix(root).unwrap_or(path);
    let top = relative
        .iter()
        .next()
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default();
    !swap
        && (relative == Path::new("site.yaml")
            || matches!(top.as_str(), "content" | "themes" | "templates" | "static"))
}

/// Rebuilds after `changed`, publishes the result and says in one line what it did.
fn rebuild(
    options: &BuildOptions,
    cache: &mut BuildCache,
    live: &Live,
    root: &Path,
    changed: &[PathBuf],
) {
    let started = Instant::now();
    let what = describe_changes(root, changed);
    match build_in_memory_cached(options, cache) {
        Ok(built) => {
            let mut steps = crate::timings::Steps::start("serve");
            let files = SiteFiles::new(&built.rendered.files);
            steps.mark("files");
            // The comparison runs outside the lock (the copy shares the bytes), so requests and
            // event streams never wait for it.
            let (served, had_errors) = {
                let state = live.state.lock().unwrap_or_else(|e| e.into_inner());
                (state.files.clone(), !state.errors.is_empty())
            };
            let different = served.changed_paths(&files);
            // This copy of the old files outlives the live state's (the publish below hands those to
            // the drop thread too): whichever goes last frees them, never on this thread.
            crate::parallel::drop_in_background(served);
            steps.mark("compare");
            if !different.is_empty() || had_errors {
                live.publish(|state| {
                    // The last site's files (and the site their export is made from) are freed
                    // on another thread, not in the lock.
                    crate::parallel::drop_in_background(std::mem::replace(&mut state.files, files));
                    state.errors.clear();
                });
            }
            steps.mark("publish");
            let work = built.work;
            say(&format!(
                "{what}: read {}, analysed {}, rendered {}; {} in {} ms ({})",
                plural(work.files_read, "file"),
                plural(work.articles_analysed, "article"),
                plural(work.pages_rendered, "page"),
                match different.len() {
                    0 => "no page changed".to_string(),
                    n => format!("{} changed", plural(n, "file")),
                },
                started.elapsed().as_millis(),
                built.times
            ));
            // Its list of files, one string per page, need not be freed before the next save.
            crate::parallel::drop_in_background(built);
        }
        Err(Error::Invalid(diagnostics)) => {
            let errors: Vec<String> = diagnostics.errors().map(|d| d.to_string()).collect();
            for error in &errors {
                complain(error);
            }
            say(&format!(
                "{what}: the build failed with {}; the last good site is still served",
                plural(errors.len(), "error")
            ));
            live.publish(|state| state.errors = errors);
        }
        Err(other) => {
            complain(&format!("error: {other}"));
            live.publish(|state| state.errors = vec![other.to_string()]);
        }
    }
}

/// "content/articles/a.md changed", "content/articles/a.md and 2 more changed".
fn describe_changes(root: &Path, changed: &[PathBuf]) -> String {
    let mut shown: Vec<String> = changed
        .iter()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .collect();
    shown.sort();
    shown.dedup();
    match shown.len() {
        0 => "the watcher lost track; everything".to_string(),
        1 => format!("{} changed", shown[0]),
        n => format!("{} and {} more changed", shown[0], n - 1),
    }
}

/// A line for the terminal. The server keeps running when no one reads its output any more (a
/// closed pipe would make `println!` panic).
fn say(line: &str) {
    let _ = writeln!(std::io::stdout(), "{line}");
}

fn complain(line: &str) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_swap_files_and_the_output() {
        let root = Path::new("/site");
        let output = Path::new("/site/public");
        assert!(is_input(
            root,
            output,
            Path::new("/site/content/articles/a.md")
        ));
        assert!(is_input(root, output, Path::new("/site/site.yaml")));
        assert!(!is_input(
            root,
            output,
            Path::new("/site/content/articles/.a.md.swp")
        ));
        assert!(!is_input(
            root,
            output,
            Path::new("/site/content/articles/a.md~")
        ));
        assert!(!is_input(
            root,
            output,
            Path::new("/site/public/index.html")
        ));
        assert!(!is_input(root, output, Path::new("/site/notes.txt")));
    }

    #[test]
    fn a_page_that_connects_learns_the_build_and_its_errors() {
        let live = Live::new(SiteFiles::default());
        let mut seen = 99;
        let hello = live.greeting(&mut seen);
        assert_eq!(seen, 0);
        assert!(hello.contains("\"generation\":0") && hello.contains("\"failed\":false"));
        assert!(!hello.contains("event: failed"));
        live.publish(|s| s.errors = vec!["error: a.md:1:1: bad".into()]);
        let hello = live.greeting(&mut seen);
        assert_eq!(seen, 1);
        assert!(hello.contains("\"failed\":true"));
        assert!(hello.ends_with("event: failed\ndata: [\"error: a.md:1:1: bad\"]\n\n"));
        let script = live_script(&live.instance, 7);
        assert!(script.contains(&format!("server:\"{}\",generation:7", live.instance)));
    }

    #[test]
    fn listeners_get_each_rebuild_once() {
        let live = Live::new(SiteFiles::default());
        let mut seen = 0;
        assert_eq!(live.next_event(&mut seen, Duration::from_millis(10)), None);
        live.publish(|_| {});
        assert_eq!(
            live.next_event(&mut seen, Duration::from_millis(10))
                .as_deref(),
            Some("event: reload\ndata: {}\n\n")
        );
        assert_eq!(live.next_event(&mut seen, Duration::from_millis(10)), None);
        live.publish(|s| s.errors = vec!["error: a.md:1:1: bad".into()]);
        assert!(live
            .next_event(&mut seen, Duration::from_millis(10))
            .unwrap()
            .starts_with("event: failed\ndata: [\"error: a.md:1:1: bad\"]"));
    }
}
