//! The rebuild that `serve --watch` runs after one saved article, timed in process: the site is
//! built once into a cache, then one article is saved again and again (a sentence added each time,
//! as `reload_latency.py` does) and rebuilt from the cache, the way the watcher does it. Prints the
//! median, minimum and maximum of the rebuilds, and what the last one did.
//!
//! Without the server, the watcher's debounce and the event stream, what is left is the build's own
//! time, which is what the "under 50 ms" is about; the in-process loop measures it with far
//! less noise than saves through the file system do.
//!
//! `cargo run --release --example rebuild -- SITE [SAVES] [PAUSE_MS] [quote]` (SITE holds `site.yaml` and
//! `content/articles/`; the first article, in name order, is the one saved, and it is put back as
//! it was at the end).

use std::path::PathBuf;
use std::time::Instant;

use briefing::build::{build_in_memory_cached, BuildCache, BuildOptions};

// As the binary: mimalloc, with freed memory kept for the next rebuild as the server keeps it (see
// `keep_freed_memory` in main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, as main.rs names it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // SAFETY: sets one of mimalloc's options before any thread starts.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    // Run on a worker of the pool the build's parallel steps use: with RAYON_NUM_THREADS=1 they
    // then run inline, inside `rebuild_once`, where callgrind counts them.
    rayon::ThreadPoolBuilder::new()
        .build()
        .expect("a thread pool")
        .install(run);
}

fn run() {
    let mut args = std::env::args().skip(1);
    let Some(site) = args.next().map(PathBuf::from) else {
        eprintln!("usage: rebuild SITE [SAVES] [PAUSE_MS] [quote]");
        std::process::exit(2);
    };
    let saves: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(21);
    let pause =
        std::time::Duration::from_millis(args.next().and_then(|n| n.parse().ok()).unwrap_or(300));
    // `quote`: every other save adds a quotation and the next takes it out again, so that each
    // timed save shifts the numbers of the quotations after it.
    let quoting = args.next().is_some_and(|mode| mode == "quote");
    let articles = site.join("content").join("articles");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&articles)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", articles.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|x| x == "md"))
        .collect();
    names.sort();
    let target = names.first().expect("no .md article to save").clone();
    let original = std::fs::read_to_string(&target).expect("the article is readable");
    // The article is put back as it was however the run ends, a failed build included.
    let _restore = Restore {
        path: target.clone(),
        text: original.clone(),
    };

    let options = BuildOptions {
        root: site.clone(),
        ..BuildOptions::default()
    };
    let mut cache = BuildCache::default();
    let started = Instant::now();
    let first = build_in_memory_cached(&options, &mut cache).expect("the site builds");
    eprintln!(
        "first build: {} files in {} ms",
        first.rendered.files.len(),
        started.elapsed().as_millis()
    );
    drop(first);

    // The first save may bring a new mention (the sentence names a country the article did not):
    // that rebuild does more, once. It is made before the timed ones, which measure the save
    // an editor repeats.
    let mut times = Vec::with_capacity(saves);
    let mut last = String::new();
    for save in 0..=saves {
        let sentence = if quoting && save % 2 == 1 {
            format!("\"We will look at Portugal again,\" the minister said after meeting number {save}.")
        } else {
            format!("Benchmark sentence number {save} mentions Portugal.")
        };
        let text = format!("{}\n\n{sentence}\n", original.trim_end_matches('\n'));
        std::fs::write(&target, text).expect("the article is writable");
        // An editor pauses between saves; so do the cores, and their caches go cold.
        std::thread::sleep(pause);
        if save == 0 {
            warm_up(&options, &mut cache, &target);
            eprintln!("warmed up: the timed saves follow");
            continue;
        }
        let started = Instant::now();
        last = rebuild_once(&options, &mut cache, &target);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{saves} rebuilds after one saved article: median {:.1} ms, min {:.1} ms, max {:.1} ms; last: {last}",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1]
    );
}

/// One save's rebuild, as the watcher runs it, and what it did. Its own function, so that
/// callgrind can count it alone: `valgrind --tool=callgrind --toggle-collect='*rebuild_once*'`.
#[inline(never)]
fn rebuild_once(options: &BuildOptions, cache: &mut BuildCache, saved: &std::path::Path) -> String {
    rebuild(options, cache, saved)
}

/// The first save's rebuild, not counted.
#[inline(never)]
fn warm_up(options: &BuildOptions, cache: &mut BuildCache, saved: &std::path::Path) {
    rebuild(options, cache, saved);
}

fn rebuild(options: &BuildOptions, cache: &mut BuildCache, saved: &std::path::Path) -> String {
    cache.forget(&[saved.to_path_buf()]);
    let built = build_in_memory_cached(options, cache).expect("the site builds");
    let line = format!(
        "read {}, analysed {}, rendered {} pages ({})",
        built.work.files_read, built.work.articles_analysed, built.work.pages_rendered, built.times
    );
    // As the watcher does: the build is freed on the drop thread.
    briefing::parallel::drop_in_background(built);
    line
}

/// Writes an article back as it was when dropped.
struct Restore {
    path: PathBuf,
    text: String,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.path, &self.text);
    }
}
