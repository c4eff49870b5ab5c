//! `briefing serve`: builds the site in memory and serves it over HTTP for the editor's browser
//! (with `--watch`, rebuilding on save: see `watch`).
//! Files are served from the built site in memory, never from the disk, so no path outside the site
//! can be reached however it is spelled (`..`, `%2e%2e`, backslashes, absolute paths). Unknown paths
//! get the site's 404 page.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::build::{build_in_memory_cached, BuildCache, BuildOptions};
use crate::error::Error;
use crate::render::{FileBytes, OutputFile};
use crate::watch;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    /// The port to try first; 0 lets the system choose.
    pub port: u16,
    /// Rebuild on every save, and reload the browser.
    pub watch: bool,
    /// Open the served site in the default browser.
    pub open: bool,
}

/// Threads that answer ordinary requests; each answer is a copy out of memory, so a few suffice.
const WORKERS: usize = 4;

/// Event streams held open at once (one per open page). A page beyond them is told to come back
/// later (a stream that ends at once with a `retry` time, which EventSource follows; a refusal
/// would make it give up for good).
const MAX_EVENT_STREAMS: usize = 64;

/// The files of a built site, by path (`articles/a.html`).
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    files: BTreeMap<String, FileBytes>,
}

impl SiteFiles {
    pub fn new(files: &[OutputFile]) -> SiteFiles {
        SiteFiles {
            files: files
                .iter()
                .map(|f| (f.path.clone(), f.bytes.clone()))
                .collect(),
        }
    }

    /// The response to a request for `url`: status, content type and body.
    pub fn respond(&self, url: &str) -> (u16, &'static str, Arc<[u8]>) {
        match site_path(url).and_then(|path| self.find(&path)) {
            Some((path, bytes)) => (200, content_type(path), Arc::clone(bytes.get())),
            None => match self.files.get_key_value("404.html") {
                Some((path, bytes)) => (404, content_type(path), Arc::clone(bytes.get())),
                None => (
                    404,
                    "text/plain; charset=utf-8",
                    Arc::from(&b"not found"[..]),
                ),
            },
        }
    }

    /// The paths whose bytes differ between `self` and `newer`, or that only one of them has. A file
    /// whose bytes are not made yet (the data export) counts as changed unless it is the same file:
    /// comparing would make it.
    pub fn changed_paths(&self, newer: &SiteFiles) -> Vec<String> {
        let mut changed: Vec<String> = newer
            .files
            .iter()
            .filter(|(path, bytes)| {
                self.files.get(*path).is_none_or(|old| {
                    !old.same(bytes) && (old.is_deferred() || bytes.is_deferred() || old != *bytes)
                })
            })
            .map(|(path, _)| path.clone())
            .collect();
        changed.extend(
            self.files
                .keys()
                .filter(|path| !newer.files.contains_key(*path))
                .cloned(),
        );
        changed.sort();
        changed
    }

    /// The file at `path`, or the `index.html` of the folder it names.
    fn find(&self, path: &str) -> Option<(&str, &FileBytes)> {
        let candidates = if path.is_empty() || path.ends_with('/') {
            vec![format!("{path}index.html")]
        } else {
            vec![path.to_string(), format!("{path}/index.html")]
        };
        candidates
            .into_iter()
            .find_map(|c| self.files.get_key_value(c.as_str()))
            .map(|(k, v)| (k.as_str(), v))
    }
}

/// The site path a request URL names: query and fragment dropped, percent-decoded, split on both
/// slashes. `None` for a path that tries to climb out of the site or hides a NUL.
pub fn site_path(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let trailing_slash = decoded.ends_with('/') || decoded.ends_with('\\');
    let mut parts = Vec::new();
    for part in decoded.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => return None,
            part if part.contains('\0') || part.contains(':') => return None,
            part => parts.push(part),
        }
    }
    let mut joined = parts.join("/");
    if trailing_slash && !joined.is_empty() {
        joined.push('/');
    }
    Some(joined)
}

/// The content type for a file, from its extension.
pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Builds the site and serves it until the process is stopped. Prints the address it serves on
/// (the next free port when the asked one is busy). With `watch`, rebuilds on every save.
pub fn serve(options: &ServeOptions) -> Result<(), Error> {
    // Without --watch no rebuild follows: the cache need keep nothing.
    let mut cache = if options.watch {
        BuildCache::default()
    } else {
        BuildCache::one_off()
    };
    let built = build_in_memory_cached(&options.build, &mut cache)?;
    for warning in built.diagnostics.iter() {
        eprintln!("{warning}");
    }
    let live = watch::Live::new(SiteFiles::new(&built.rendered.files));
    if options.watch {
        let output_dir = crate::build::output_dir(&options.build, &built.config);
        watch::watch(options.build.clone(), output_dir, Arc::clone(&live), cache)?;
    }
    let (server, address) = bind(options)?;
    let server = Arc::new(server);
    let mode = if options.watch {
        ", rebuilding on every save"
    } else {
        ""
    };
    println!(
        "serving {} pages on http://{address}/{mode} (Ctrl-C stops)",
        built.rendered.pages
    );
    let stopper = Arc::clone(&server);
    // Each unblock releases one worker from `recv`.
    ctrlc::set_handler(move || (0..WORKERS).for_each(|_| stopper.unblock()))
        .map_err(|e| Error::Serve(format!("cannot handle Ctrl-C: {e}")))?;
    if options.open {
        let url = format!("http://{address}/");
        if let Err(err) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser ({err}); open {url} by hand");
        }
    }
    let streams = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..WORKERS)
        .map(|_| {
            let (server, live, streams) =
                (Arc::clone(&server), Arc::clone(&live), Arc::clone(&streams));
            let watching = options.watch;
            std::thread::spawn(move || {
                // `recv` fails once Ctrl-C has unblocked the server.
                while let Ok(request) = server.recv() {
                    handle(request, &live, watching, &streams);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    // The terminal may be gone by now (a closed pipe): say it if anyone listens.
    let _ = writeln!(std::io::stdout(), "stopped");
    Ok(())
}

fn handle(
    request: tiny_http::Request,
    live: &Arc<watch::Live>,
    watching: bool,
    streams: &Arc<AtomicUsize>,
) {
    let method = request.method().clone();
    if !matches!(method, tiny_http::Method::Get | tiny_http::Method::Head) {
        let _ = request
            .respond(tiny_http::Response::from_string("only GET and HEAD").with_status_code(405));
        return;
    }
    if watching && request.url() == watch::EVENTS_PATH {
        // An event stream holds its connection open: it gets a thread of its own, within a limit.
        if streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
            streams.fetch_sub(1, Ordering::SeqCst);
            let mut writer = request.into_writer();
            let _ = writer.write_all(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\nretry: 5000\n\n");
            let _ = writer.flush();
            return;
        }
        let (live, streams) = (Arc::clone(live), Arc::clone(streams));
        std::thread::spawn(move || {
            stream_events(request, &live);
            streams.fetch_sub(1, Ordering::SeqCst);
        });
        return;
    }
    let ((status, content_type, body), generation) = {
        let state = live.state.lock().unwrap_or_else(|e| e.into_inner());
        (state.files.respond(request.url()), state.generation)
    };
    let mut body = if watching && content_type.starts_with("text/html") {
        with_live_script(&body, &watch::live_script(&live.instance, generation))
    } else {
        body.to_vec()
    };
    let length = body.len();
    if method == tiny_http::Method::Head {
        body.clear();
    }
    let response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Content-Length", &length.to_string()));
    let _ = request.respond(response);
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name, value).expect("a valid header")
}

/// The page with the live-reload script before its closing `</body>`.
fn with_live_script(html: &[u8], script: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// Streams Server-Sent Events on the request's connection until it closes: one event per rebuild,
/// a comment every 5 seconds so that a closed connection is noticed soon (the write fails) and its
/// thread freed. The
/// response is written by hand, flushed after each event, with no length: the stream ends when the
/// connection does.
fn stream_events(request: tiny_http::Request, live: &watch::Live) {
    let mut seen = 0;
    let mut writer = request.into_writer();
    // `retry` makes a page try again each second when the server is gone; `hello` names the server
    // and its build, so that a page can tell what it missed.
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n{}",
        live.greeting(&mut seen)
    );
    if writer
        .write_all(head.as_bytes())
        .and_then(|_| writer.flush())
        .is_err()
    {
        return;
    }
    loop {
        let event = live
            .next_event(&mut seen, std::time::Duration::from_secs(5))
            .unwrap_or_else(|| ": ping\n\n".to_string());
        if writer
            .write_all(event.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

/// Binds to the asked port, or to the next free one of the ten after it when it is busy.
fn bind(options: &ServeOptions) -> Result<(tiny_http::Server, SocketAddr), Error> {
    let tries = if options.port == 0 { 1 } else { 10 };
    for offset in 0..tries {
        let port = options.port.saturating_add(offset);
        let address = SocketAddr::new(options.bind, port);
        if let Ok(server) = tiny_http::Server::http(address) {
            let bound = server.server_addr().to_ip().unwrap_or(address);
            if offset > 0 {
                eprintln!("port {} is busy; using {port}", options.port);
            }
            return Ok((server, bound));
        }
    }
    Err(Error::Serve(format!(
        "ports {} to {} on {} are all busy; pass --port with a free one",
        options.port,
        options.port.saturating_add(tries - 1),
        options.bind
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_never_leave_the_site() {
        for url in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/..%2f..%2fsecret",
            "/..\\..\\win.ini",
            "/%2E%2E%5csecret",
            "/C:/x",
            "/a%00.html",
        ] {
            assert_eq!(site_path(url), None, "{url}");
        }
        assert_eq!(
            site_path("/articles/a.html?x=1#p2").as_deref(),
            Some("articles/a.html")
        );
        assert_eq!(site_path("//etc/passwd").as_deref(), Some("etc/passwd"));
        assert_eq!(site_path("/countries/").as_deref(), Some("countries/"));
    }

    #[test]
    fn responds_with_files_folders_and_the_404_page() {
        let files = SiteFiles::new(&[
            OutputFile {
                path: "index.html".into(),
                bytes: Arc::<[u8]>::from(&b"home"[..]).into(),
            },
            OutputFile {
                path: "style.css".into(),
                bytes: Arc::<[u8]>::from(&b"css"[..]).into(),
            },
            OutputFile {
                path: "countries/index.html".into(),
                bytes: Arc::<[u8]>::from(&b"countries"[..]).into(),
            },
            OutputFile {
                path: "404.html".into(),
                bytes: Arc::<[u8]>::from(&b"missing"[..]).into(),
            },
        ]);
        assert_eq!(
            files.respond("/"),
            (200, "text/html; charset=utf-8", Arc::from(&b"home"[..]))
        );
        assert_eq!(
            files.respond("/style.css"),
            (200, "text/css; charset=utf-8", Arc::from(&b"css"[..]))
        );
        assert_eq!(
            files.respond("/countries"),
            (
                200,
                "text/html; charset=utf-8",
                Arc::from(&b"countries"[..])
            )
        );
        assert_eq!(&*files.respond("/countries/").2, b"countries");
        assert_eq!(
            files.respond("/nope.html"),
            (404, "text/html; charset=utf-8", Arc::from(&b"missing"[..]))
        );
        assert_eq!(files.respond("/../index.html").0, 404);
    }

    #[test]
    fn a_deferred_file_is_made_when_served_not_when_compared() {
        let made = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = Arc::clone(&made);
        let export = FileBytes::deferred(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            b"{}".to_vec()
        });
        let site = |bytes: FileBytes| {
            SiteFiles::new(&[OutputFile {
                path: "data/briefing.json".into(),
                bytes,
            }])
        };
        let (old, same, newer) = (
            site(export.clone()),
            site(export.clone()),
            site(FileBytes::deferred(|| b"{}".to_vec())),
        );
        assert!(old.changed_paths(&same).is_empty());
        assert_eq!(old.changed_paths(&newer), vec!["data/briefing.json"]);
        assert_eq!(made.load(std::sync::atomic::Ordering::SeqCst), 0);
        assert_eq!(&*old.respond("/data/briefing.json").2, b"{}");
        assert_eq!(&*same.respond("/data/briefing.json").2, b"{}");
        assert_eq!(made.load(std::sync::atomic::Ordering::SeqCst), 1);
    }
}
