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
use std::time::Duration;

use bytes::Bytes;

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

/// Event streams held open at once (one per open page). A page beyond them is told to come back
/// later.
const MAX_EVENT_STREAMS: usize = 256;

/// The files of a built site, by path (`articles/a.html`). Shared: a copy (the rebuild's, to
/// compare with the next site outside the lock) costs nothing.
#[derive(Debug, Clone, Default)]
pub struct SiteFiles {
    files: Arc<BTreeMap<String, FileBytes>>,
}

impl SiteFiles {
    pub fn new(files: &[OutputFile]) -> SiteFiles {
        SiteFiles {
            files: Arc::new(
                files
                    .iter()
                    .map(|f| (f.path.clone(), f.bytes.clone()))
                    .collect(),
            ),
        }
    }

    /// The response to a request for `url`: status, content type and body.
    #[cfg(test)]
    pub fn respond(&self, url: &str) -> (u16, &'static str, Arc<[u8]>) {
        let (status, content_type, bytes) = self.file_for(url);
        (status, content_type, Arc::clone(bytes.get()))
    }

    /// [`SiteFiles::respond`] without making a deferred file: the caller makes it, outside any lock.
    fn file_for(&self, url: &str) -> (u16, &'static str, FileBytes) {
        match site_path(url).and_then(|path| self.find(&path)) {
            Some((path, bytes)) => (200, content_type(path), bytes.clone()),
            None => match self.files.get_key_value("404.html") {
                Some((path, bytes)) => (404, content_type(path), bytes.clone()),
                None => (
                    404,
                    "text/plain; charset=utf-8",
                    Arc::<[u8]>::from(&b"not found"[..]).into(),
                ),
            },
        }
    }

    /// The paths whose bytes differ between `self` and `newer`, or that only one of them has. A file
    /// whose bytes are not made yet (the data export) counts as changed unless it is the same file:
    /// comparing would make it.
    pub fn changed_paths(&self, newer: &SiteFiles) -> Vec<String> {
        let differ = |old: &FileBytes, new: &FileBytes| {
            !old.same(new) && (old.is_deferred() || new.is_deferred() || old != new)
        };
        // Both maps are in path order: one pass over the two side by side. A path only one of
        // them has sorts as if the other had run out.
        use std::cmp::Ordering;
        let mut changed = Vec::new();
        let mut olds = self.files.iter().peekable();
        let mut news = newer.files.iter().peekable();
        loop {
            let order = match (olds.peek(), news.peek()) {
                (None, None) => return changed,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((old, _)), Some((new, _))) => old.cmp(new),
            };
            match order {
                Ordering::Less => changed.extend(olds.next().map(|(path, _)| path.clone())),
                Ordering::Greater => changed.extend(news.next().map(|(path, _)| path.clone())),
                Ordering::Equal => {
                    if let (Some((path, old)), Some((_, new))) = (olds.next(), news.next()) {
                        if differ(old, new) {
                            changed.push(path.clone());
                        }
                    }
                }
            }
        }
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
    let (listener, address) = bind(options)?;
    let mode = if options.watch {
        ", rebuilding on every save"
    } else {
        ""
    };
    println!(
        "serving {} pages on http://{address}/{mode} (Ctrl-C stops)",
        built.rendered.pages
    );
    if options.open {
        let url = format!("http://{address}/");
        if let Err(err) = open::that_detached(&url) {
            eprintln!("warning: cannot open a browser ({err}); open {url} by hand");
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .max_blocking_threads(BLOCKING_THREADS)
        .thread_name("briefing-serve")
        .enable_all()
        .build()
        .map_err(|e| Error::Serve(format!("cannot start the server: {e}")))?;
    let server = Server {
        live,
        watching: options.watch,
        streams: Arc::new(AtomicUsize::new(0)),
    };
    runtime.block_on(server.run(listener))?;
    // The terminal may be gone by now (a closed pipe): say it if anyone listens.
    let _ = writeln!(std::io::stdout(), "stopped");
    Ok(())
}

/// What every connection's task shares.
#[derive(Clone)]
struct Server {
    live: Arc<watch::Live>,
    watching: bool,
    /// Event streams open now.
    streams: Arc<AtomicUsize>,
}

impl Server {
    /// Accepts connections until Ctrl-C, each served by a task of its own, at most
    /// `MAX_CONNECTIONS` at once: beyond them, new ones wait in the system's queue.
    async fn run(self, listener: std::net::TcpListener) -> Result<(), Error> {
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::Serve(format!("cannot listen: {e}")))?;
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| Error::Serve(format!("cannot listen: {e}")))?;
        let permits = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
        let stop = tokio::signal::ctrl_c();
        tokio::pin!(stop);
        loop {
            let permit = tokio::select! {
                permit = Arc::clone(&permits).acquire_owned() => permit,
                _ = &mut stop => return Ok(()),
            };
            let Ok(permit) = permit else {
                return Ok(());
            };
            let stream = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors, or a connection reset before it was accepted: the
                    // server goes on.
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                },
                _ = &mut stop => return Ok(()),
            };
            let server = self.clone();
            tokio::spawn(async move {
                let _permit = permit;
                let service = hyper::service::service_fn(move |request| {
                    let server = server.clone();
                    async move { Ok::<_, std::convert::Infallible>(server.respond(&request).await) }
                });
                let connection = hyper::server::conn::http1::Builder::new()
                    .timer(hyper_util::rt::TokioTimer::new())
                    .header_read_timeout(HEADER_READ_TIMEOUT)
                    .max_buf_size(MAX_REQUEST_HEAD)
                    .serve_connection(
                        hyper_util::rt::TokioIo::new(WriteTimeout::new(stream)),
                        service,
                    );
                // A client that goes away mid-request is its own business.
                let _ = connection.await;
            });
        }
    }

    async fn respond(&self, request: &hyper::Request<hyper::body::Incoming>) -> Response {
        let method = request.method();
        if method != hyper::Method::GET && method != hyper::Method::HEAD {
            return plain(405, "only GET and HEAD");
        }
        // hyper bounds what it reads; a browser never sends this much, and an answer would only
        // feed a tool that probes for limits.
        let target = request
            .uri()
            .path_and_query()
            .map_or(0, |p| p.as_str().len());
        if target > MAX_TARGET {
            return plain(414, "the path is too long");
        }
        let head: usize = request
            .headers()
            .iter()
            .map(|(name, value)| name.as_str().len() + value.len())
            .sum();
        if head > MAX_HEADERS {
            return plain(431, "the request's headers are too large");
        }
        let path = request.uri().path();
        if self.watching && path == watch::EVENTS_PATH {
            if request.method() == hyper::Method::HEAD {
                return event_response(Body::Full(http_body_util::Full::default()));
            }
            return self.event_stream();
        }
        let ((status, content_type, file), generation) = {
            let state = self.live.state.lock().unwrap_or_else(|e| e.into_inner());
            (state.files.file_for(path), state.generation)
        };
        // The data export is made when first asked for, which takes a while on a big site: on a
        // thread of its own, so that other requests and the watcher never wait for it.
        let body = if file.is_deferred() {
            match tokio::task::spawn_blocking(move || Arc::clone(file.get())).await {
                Ok(body) => body,
                Err(_) => return plain(500, "cannot make the file"),
            }
        } else {
            Arc::clone(file.get())
        };
        let body = if self.watching && content_type.starts_with("text/html") {
            Bytes::from(with_live_script(
                &body,
                &watch::live_script(&self.live.instance, generation),
            ))
        } else {
            Bytes::from_owner(ArcBytes(body))
        };
        // hyper sends a HEAD response's length and no body.
        hyper::Response::builder()
            .status(status)
            .header(hyper::header::CONTENT_TYPE, content_type)
            .body(Body::Full(http_body_util::Full::new(body)))
            .unwrap_or_else(|_| plain(500, "cannot answer"))
    }

    /// A Server-Sent Events stream: one event per rebuild, a comment every 5 seconds so that a
    /// closed connection is noticed soon (the send fails) and its task ends.
    fn event_stream(&self) -> Response {
        if self.streams.fetch_add(1, Ordering::SeqCst) >= MAX_EVENT_STREAMS {
            self.streams.fetch_sub(1, Ordering::SeqCst);
            // A stream that ends at once with a `retry` time, which EventSource follows; a refusal
            // would make the page give up for good.
            return event_response(Body::Full(http_body_util::Full::new(Bytes::from_static(
                b"retry: 5000\n\n",
            ))));
        }
        let (sender, receiver) = tokio::sync::mpsc::channel::<Bytes>(4);
        let live = Arc::clone(&self.live);
        let slot = StreamSlot(Arc::clone(&self.streams));
        tokio::spawn(async move {
            let _slot = slot;
            // Made before the greeting: a rebuild published in between is then both in the
            // greeting's generation and a change here, and `next_event` sends it at most once.
            let mut rebuilds = live.subscribe();
            let mut seen = 0;
            // `retry` makes a page try again each second when the server is gone; `hello` names
            // the server and its build, so that a page can tell what it missed.
            let mut next = Some(live.greeting(&mut seen));
            while let Some(event) = next.take() {
                // A page that stops reading gives up its stream rather than hold it forever.
                let sent =
                    tokio::time::timeout(STREAM_SEND_TIMEOUT, sender.send(Bytes::from(event)));
                if !matches!(sent.await, Ok(Ok(()))) {
                    break;
                }
                let ping = || Some(": ping\n\n".to_string());
                next = match tokio::time::timeout(Duration::from_secs(5), rebuilds.changed()).await
                {
                    Ok(Ok(())) => live.next_event(&mut seen, Duration::ZERO).or_else(ping),
                    // Cannot happen while `live` is held here; ending is the safe answer.
                    Ok(Err(_)) => None,
                    Err(_) => ping(),
                };
            }
        });
        event_response(Body::Events(receiver))
    }
}

/// Threads that answer requests; each answer is bytes already in memory, so two suffice.
const WORKERS: usize = 2;

/// Threads that make a deferred file (the data export) when it is first asked for.
const BLOCKING_THREADS: usize = 2;

/// How long a client may leave an answer unread before its connection is closed, so that clients
/// that never read cannot hold every connection.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);

/// How long an event waits for a page that stopped reading its stream.
const STREAM_SEND_TIMEOUT: Duration = Duration::from_secs(30);

/// Connections served at once; more wait in the system's queue until one ends.
const MAX_CONNECTIONS: usize = 1024;

/// A client that has not sent a whole request head this long after connecting (or after its last
/// answer) is disconnected, so slow or idle clients cannot hold connections forever.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The read buffer of a connection, which bounds a request head; beyond it, hyper answers 431.
const MAX_REQUEST_HEAD: usize = 64 * 1024;

/// The longest request target answered (browsers send at most a few KB); beyond it, 414.
const MAX_TARGET: usize = 8 * 1024;

/// The most header bytes answered, as nginx's default allows; beyond it, 431.
const MAX_HEADERS: usize = 32 * 1024;

type Response = hyper::Response<Body>;

/// A response body: bytes out of memory, or a live-reload event stream.
enum Body {
    Full(http_body_util::Full<Bytes>),
    Events(tokio::sync::mpsc::Receiver<Bytes>),
}

impl hyper::body::Body for Body {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<Bytes>, Self::Error>>> {
        match self.get_mut() {
            Body::Full(full) => std::pin::Pin::new(full).poll_frame(context),
            Body::Events(receiver) => receiver
                .poll_recv(context)
                .map(|event| event.map(|bytes| Ok(hyper::body::Frame::data(bytes)))),
        }
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        match self {
            Body::Full(full) => full.size_hint(),
            Body::Events(_) => hyper::body::SizeHint::default(),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Full(full) => full.is_end_stream(),
            Body::Events(_) => false,
        }
    }
}

/// Holds one of the `MAX_EVENT_STREAMS` slots, and gives it back however the stream's task ends.
struct StreamSlot(Arc<AtomicUsize>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A connection whose writes fail once one has waited `WRITE_TIMEOUT` for the client to read.
struct WriteTimeout {
    stream: tokio::net::TcpStream,
    deadline: Option<std::pin::Pin<Box<tokio::time::Sleep>>>,
}

impl WriteTimeout {
    fn new(stream: tokio::net::TcpStream) -> WriteTimeout {
        WriteTimeout {
            stream,
            deadline: None,
        }
    }

    /// Passes on a write's outcome; a write still pending after `WRITE_TIMEOUT` becomes an error.
    fn timed<T>(
        &mut self,
        context: &mut std::task::Context<'_>,
        outcome: std::task::Poll<std::io::Result<T>>,
    ) -> std::task::Poll<std::io::Result<T>> {
        if outcome.is_ready() {
            self.deadline = None;
            return outcome;
        }
        let deadline = self
            .deadline
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(WRITE_TIMEOUT)));
        match std::future::Future::poll(deadline.as_mut(), context) {
            std::task::Poll::Ready(()) => std::task::Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            std::task::Poll::Pending => std::task::Poll::Pending,
        }
    }
}

impl tokio::io::AsyncRead for WriteTimeout {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
        buffer: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().stream).poll_read(context, buffer)
    }
}

impl tokio::io::AsyncWrite for WriteTimeout {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
        bytes: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        let outcome = std::pin::Pin::new(&mut this.stream).poll_write(context, bytes);
        this.timed(context, outcome)
    }

    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let outcome = std::pin::Pin::new(&mut this.stream).poll_flush(context);
        this.timed(context, outcome)
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        context: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut self.get_mut().stream).poll_shutdown(context)
    }
}

/// A site file's shared bytes, handed to hyper without a copy.
struct ArcBytes(Arc<[u8]>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

fn plain(status: u16, text: &'static str) -> Response {
    let mut response = hyper::Response::new(Body::Full(http_body_util::Full::new(
        Bytes::from_static(text.as_bytes()),
    )));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or_default();
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn event_response(body: Body) -> Response {
    let mut response = hyper::Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/event-stream"),
    );
    headers.insert(
        hyper::header::CACHE_CONTROL,
        hyper::header::HeaderValue::from_static("no-cache"),
    );
    response
}

/// The page with the live-reload script before its closing `</body>`.
fn with_live_script(html: &[u8], script: &str) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{script}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{script}").into_bytes(),
    }
}

/// Binds to the asked port, or to the next free one of the ten after it when it is busy.
fn bind(options: &ServeOptions) -> Result<(std::net::TcpListener, SocketAddr), Error> {
    let tries = if options.port == 0 { 1 } else { 10 };
    for offset in 0..tries {
        let port = options.port.saturating_add(offset);
        let address = SocketAddr::new(options.bind, port);
        if let Ok(listener) = std::net::TcpListener::bind(address) {
            let bound = listener.local_addr().unwrap_or(address);
            if offset > 0 {
                eprintln!("port {} is busy; using {port}", options.port);
            }
            return Ok((listener, bound));
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
    fn changed_paths_are_the_files_added_removed_or_changed_in_path_order() {
        let site = |files: &[(&str, &'static [u8])]| {
            SiteFiles::new(
                &files
                    .iter()
                    .map(|(path, bytes)| OutputFile {
                        path: path.to_string(),
                        bytes: Arc::<[u8]>::from(*bytes).into(),
                    })
                    .collect::<Vec<_>>(),
            )
        };
        let old = site(&[("a.html", b"a"), ("b.html", b"b"), ("d.html", b"d")]);
        let new = site(&[("b.html", b"B"), ("c.html", b"c"), ("d.html", b"d")]);
        assert_eq!(old.changed_paths(&new), ["a.html", "b.html", "c.html"]);
        assert_eq!(new.changed_paths(&old), ["a.html", "b.html", "c.html"]);
        assert!(old.changed_paths(&old.clone()).is_empty());
        assert_eq!(SiteFiles::default().changed_paths(&old).len(), 3);
        assert_eq!(old.changed_paths(&SiteFiles::default()).len(), 3);
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
