//! `briefing serve`: the built site over HTTP, and nothing else.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{article, Fixture};

/// A running `briefing serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
    /// What it printed on standard output, line by line, as it arrives.
    output: Arc<Mutex<Vec<String>>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// Stops the server and returns everything it wrote to stderr.
    fn stop_and_read_stderr(&mut self) -> String {
        let _ = self.child.kill();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            pipe.read_to_string(&mut stderr).unwrap();
        }
        stderr
    }

    /// Waits up to 20 s for an output line containing `needle`.
    fn wait_for_line(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(line) = self
                .output
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(needle))
            {
                return line.clone();
            }
            assert!(
                Instant::now() < deadline,
                "no line with {needle:?}: {:?}",
                self.output.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn start(site: &Fixture, args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_briefing"))
        .arg("serve")
        .args(args)
        .current_dir(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let output = Arc::new(Mutex::new(vec![line]));
    let collected = Arc::clone(&output);
    std::thread::spawn(move || {
        for line in stdout.lines() {
            let Ok(line) = line else { break };
            collected.lock().unwrap().push(line);
        }
    });
    Server {
        child,
        address,
        output,
    }
}

/// Sends one request and returns the status, the head and the body.
fn request(server: &Server, method: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, head, response[split + 4..].to_vec())
}

fn site() -> Fixture {
    let site = Fixture::new();
    site.write(
        "content/articles/a.md",
        &article("title: Talks in Minsk\ndate: 2024-01-02", "Text.\n"),
    );
    site
}

#[test]
fn serves_the_built_site_with_content_types_and_head() {
    let site = site();
    let server = start(&site, &["--port", "0"]);
    let (status, head, body) = request(&server, "GET", "/");
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase()
            .contains("content-type: text/html; charset=utf-8"),
        "{head}"
    );
    assert!(String::from_utf8_lossy(&body).contains("Talks in Minsk"));
    let (status, head, _) = request(&server, "GET", "/style.css");
    assert_eq!(status, 200);
    assert!(
        head.to_lowercase().contains("content-type: text/css"),
        "{head}"
    );
    let (status, _, body) = request(&server, "GET", "/articles/a.html");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("<h1 id=\"title\">Talks in Minsk</h1>"));
    let (status, _, body) = request(&server, "GET", "/data/briefing.json");
    assert_eq!(status, 200);
    assert!(body.starts_with(b"{"));
    let (_, _, home) = request(&server, "GET", "/");
    let (status, head, body) = request(&server, "HEAD", "/");
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert!(
        head.to_lowercase()
            .contains(&format!("content-length: {}", home.len())),
        "{head}"
    );
    let (status, _, _) = request(&server, "POST", "/");
    assert_eq!(status, 405);
    // Nothing was written to disk: the site is served from memory.
    assert!(!site.output().exists());
}

#[test]
fn only_the_site_is_reachable_and_unknown_paths_get_the_404_page() {
    let site = site();
    std::fs::write(site.root().join("secret.txt"), "do not serve").unwrap();
    let server = start(&site, &["--port", "0"]);
    for path in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/articles/..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%2E%2E%5Csecret.txt",
        "/site.yaml",
        "/content/articles/a.md",
        "/nope.html",
        // Double encoding, overlong UTF-8, a NUL, a semicolon, doubled and dotted slashes.
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/articles/a.html%00.txt",
        "/..;/secret.txt",
        "/./../secret.txt",
        "//..//..//secret.txt",
        "/articles/../../secret.txt",
        "/%2fsecret.txt",
        "/\u{ff0e}\u{ff0e}/secret.txt",
    ] {
        let (status, _, body) = request(&server, "GET", path);
        assert_eq!(status, 404, "{path}");
        let body = String::from_utf8_lossy(&body);
        assert!(body.contains("Page not found"), "{path}: {body}");
        assert!(!body.contains("do not serve"));
    }
}

#[test]
fn a_busy_port_moves_to_the_next_free_one() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let mut server = start(&site, &["--port", &port.to_string()]);
    assert_ne!(server.address, format!("127.0.0.1:{port}"));
    let (status, _, _) = request(&server, "GET", "/");
    assert_eq!(status, 200);
    let stderr = server.stop_and_read_stderr();

    assert!(
        stderr.contains(&format!("port {port} is busy; using")),
        "{stderr}"
    );
}

/// Opens the event stream and returns a reader of its text.
fn events(server: &Server) -> TcpStream {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    write!(
        stream,
        "GET /__briefing/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    stream
}

/// Reads the event stream until `needle` arrives, returning everything read.
fn wait_for(stream: &mut TcpStream, needle: &str) -> String {
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !seen.contains(needle) {
        assert!(
            std::time::Instant::now() < deadline,
            "no {needle:?} in 20 s; read {seen:?}"
        );
        let n = stream
            .read(&mut buffer)
            .unwrap_or_else(|e| panic!("no {needle:?} in time; read {seen:?}: {e}"));
        assert!(n > 0, "stream closed before {needle:?}: {seen:?}");
        seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
    }
    seen
}

#[test]
fn watch_rebuilds_on_save_reloads_and_shows_errors_over_the_last_good_page() {
    let site = site();
    let server = start(&site, &["--port", "0", "--watch"]);
    let (_, _, page) = request(&server, "GET", "/articles/a.html");
    let page = String::from_utf8_lossy(&page).to_string();
    assert!(
        page.contains("/__briefing/events"),
        "served pages carry the live script"
    );
    let mut stream = events(&server);
    wait_for(&mut stream, "text/event-stream");

    // An edit: a reload event, then the new text.
    site.write(
        "content/articles/a.md",
        &article(
            "title: Talks in Minsk\ndate: 2024-01-02",
            "New text after the edit.\n",
        ),
    );
    wait_for(&mut stream, "event: reload");
    let (_, _, page) = request(&server, "GET", "/articles/a.html");
    assert!(String::from_utf8_lossy(&page).contains("New text after the edit."));

    // Broken front matter: the errors go to the browser, the last good page stays served.
    site.write(
        "content/articles/a.md",
        "---\ntitle: Talks\ndate: not-a-date\n---\nBroken.\n",
    );
    let failed = wait_for(&mut stream, "event: failed");
    let failed = wait_for(&mut stream, "\n\n").to_string() + &failed;
    assert!(failed.contains("content/articles/a.md:3:7"), "{failed}");
    let (status, _, page) = request(&server, "GET", "/articles/a.html");
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&page).contains("New text after the edit."));

    // The fix: reload again, and the new page.
    site.write(
        "content/articles/a.md",
        &article("title: Talks in Minsk\ndate: 2024-01-02", "Fixed text.\n"),
    );
    wait_for(&mut stream, "event: reload");
    let (_, _, page) = request(&server, "GET", "/articles/a.html");
    assert!(String::from_utf8_lossy(&page).contains("Fixed text."));

    // A new article appears; the build served without --watch carries no script.
    site.write(
        "content/articles/b.md",
        &article("title: Second story", "More.\n"),
    );
    wait_for(&mut stream, "event: reload");
    assert_eq!(request(&server, "GET", "/articles/b.html").0, 200);
    site.build_ok();
    assert!(!site.page("articles/a.html").contains("__briefing"));
}

#[test]
fn watch_follows_what_editors_do_to_files() {
    let site = site();
    let server = start(&site, &["--port", "0", "--watch"]);
    let mut stream = events(&server);
    wait_for(&mut stream, "text/event-stream");
    let root = site.root();

    // An atomic save: the editor writes a temporary file and renames it over the article.
    std::fs::write(
        root.join("content/articles/.a.md.tmp"),
        article(
            "title: Talks in Minsk\ndate: 2024-01-02",
            "Saved by rename.\n",
        ),
    )
    .unwrap();
    std::fs::rename(
        root.join("content/articles/.a.md.tmp"),
        root.join("content/articles/a.md"),
    )
    .unwrap();
    wait_for(&mut stream, "event: reload");
    let (_, _, page) = request(&server, "GET", "/articles/a.html");
    assert!(String::from_utf8_lossy(&page).contains("Saved by rename."));
    let line = server.wait_for_line("content/articles/a.md changed");
    assert!(
        line.contains("read 1 file, analysed 1 article") && line.contains(" ms"),
        "{line}"
    );

    // A new folder with a new article in it.
    site.write(
        "content/articles/2024/june/b.md",
        &article("title: Second story", "More.\n"),
    );
    wait_for(&mut stream, "event: reload");
    assert_eq!(request(&server, "GET", "/articles/b.html").0, 200);

    // A rename: the page moves.
    std::fs::rename(
        root.join("content/articles/2024/june/b.md"),
        root.join("content/articles/2024/june/c.md"),
    )
    .unwrap();
    wait_for(&mut stream, "event: reload");
    assert_eq!(request(&server, "GET", "/articles/c.html").0, 200);
    assert_eq!(request(&server, "GET", "/articles/b.html").0, 404);

    // A delete: the page goes.
    site.remove("content/articles/2024/june/c.md");
    wait_for(&mut stream, "event: reload");
    assert_eq!(request(&server, "GET", "/articles/c.html").0, 404);

    // A burst of saves ends with the last one served.
    for n in 0..10 {
        site.write(
            "content/articles/a.md",
            &article(
                "title: Talks in Minsk\ndate: 2024-01-02",
                &format!("Burst save {n}.\n"),
            ),
        );
    }
    wait_for_page(
        &server,
        "/articles/a.html",
        "Burst save 9.",
        "the last save of a burst never showed",
    );
}

#[test]
fn ctrl_c_stops_the_server_cleanly() {
    let site = site();
    let mut server = start(&site, &["--port", "0", "--watch"]);
    assert_eq!(request(&server, "GET", "/").0, 200);
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not stop on Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    server.wait_for_line("stopped");
}

#[test]
fn a_templates_folder_made_while_serving_is_watched() {
    let site = site();
    let server = start(&site, &["--port", "0", "--watch"]);
    let mut stream = events(&server);
    wait_for(&mut stream, "text/event-stream");
    let home =
        std::fs::read_to_string(site.root().join("themes/default/templates/home.html")).unwrap();
    let with_marker = |marker: &str| {
        home.replacen(
            "{% block content %}",
            &format!("{{% block content %}}<p>{marker}</p>"),
            1,
        )
    };
    // The folder is new: its creation is seen, and so is every later edit inside it.
    site.write("templates/home.html", &with_marker("first override"));
    wait_for(&mut stream, "event: reload");
    wait_for_page(
        &server,
        "/",
        "first override",
        "the new template never showed",
    );
    site.write("templates/home.html", &with_marker("second override"));
    wait_for_page(
        &server,
        "/",
        "second override",
        "an edit inside the new folder was missed",
    );
}

/// Asks for `path` until its page contains `needle`, failing with `what` after 20 s.
fn wait_for_page(server: &Server, path: &str, needle: &str, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !String::from_utf8_lossy(&request(server, "GET", path).2).contains(needle) {
        assert!(Instant::now() < deadline, "{what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends raw bytes and returns whatever comes back before the server closes or 5 s pass.
fn raw_exchange(server: &Server, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // The server may close before it has read everything: that is an answer too.
    let _ = stream.write_all(bytes);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    String::from_utf8_lossy(&response).into_owned()
}

#[test]
fn absurd_requests_get_an_error_and_leave_the_server_up() {
    let site = site();
    let server = start(&site, &["--port", "0", "--watch"]);
    let long_path = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(100_000));
    let long_header = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "b".repeat(100_000)
    );
    let many_headers = format!(
        "GET / HTTP/1.1\r\nHost: x\r\n{}\r\n",
        "X-A: 1\r\n".repeat(10_000)
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a path of 100 KB", long_path.into_bytes()),
        ("a header of 100 KB", long_header.into_bytes()),
        ("10,000 headers", many_headers.into_bytes()),
        ("binary noise", (0..=255u8).cycle().take(10_000).collect()),
        ("no HTTP at all", b"hello\r\n\r\n".to_vec()),
        ("an unknown version", b"GET / HTTP/9.9\r\n\r\n".to_vec()),
        (
            "a method of 10 KB",
            [vec![b'X'; 10_000], b" / HTTP/1.1\r\n\r\n".to_vec()].concat(),
        ),
        (
            "a body on a GET",
            b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc"
                .to_vec(),
        ),
    ];
    // Request smuggling: two lengths, and a second request hidden where one length says the body
    // is. The transfer encoding wins and the connection closes (RFC 9112, 6.1): one answer only.
    let smuggled = raw_exchange(
        &server,
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /nope.html HTTP/1.1\r\nHost: x\r\n\r\n",
    );
    assert_eq!(smuggled.matches("HTTP/1.1 ").count(), 1, "{smuggled:.300}");
    // Within what hyper reads, the server's own limits answer: a path of 20 KB, headers of 40 KB.
    let long = format!(
        "GET /{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(20_000)
    );
    assert!(raw_exchange(&server, long.as_bytes()).starts_with("HTTP/1.1 414 "));
    let heavy = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{}\r\n",
        format!("X-H: {}\r\n", "h".repeat(1_000)).repeat(40)
    );
    assert!(raw_exchange(&server, heavy.as_bytes()).starts_with("HTTP/1.1 431 "));
    for (what, bytes) in cases {
        let answer = raw_exchange(&server, &bytes);
        // An error status, or the connection closed without a page: never the site's content
        // for a request that is not one, never a crash.
        let status: Option<u16> = answer
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse().ok());
        match status {
            None => assert!(answer.is_empty(), "{what}: {answer:.200}"),
            Some(code) => assert!(
                (400..500).contains(&code) || (what == "a body on a GET" && code == 200),
                "{what}: {code}"
            ),
        }
        assert_eq!(request(&server, "GET", "/").0, 200, "down after {what}");
    }
}

/// The server's thread count and resident memory in KiB, from /proc.
fn threads_and_memory(server: &Server) -> (usize, usize) {
    let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).unwrap();
    let field = |name: &str| -> usize {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap()
    };
    (field("Threads:"), field("VmRSS:"))
}

#[test]
fn slow_clients_and_open_streams_cost_no_threads_and_everyone_else_is_answered() {
    let site = site();
    let server = start(&site, &["--port", "0", "--watch"]);
    let (threads_before, _) = threads_and_memory(&server);
    let mut held = Vec::new();
    // 300 clients that never finish their request, and 100 open pages' live-reload streams.
    for _ in 0..300 {
        let mut stream = TcpStream::connect(&server.address).unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .unwrap();
        held.push(stream);
    }
    for _ in 0..100 {
        held.push(events(&server));
    }
    let mut last = held.pop().unwrap();
    wait_for(&mut last, "event: hello");
    // Everyone else is still answered, and a save still reaches the open pages.
    for _ in 0..50 {
        assert_eq!(request(&server, "GET", "/articles/a.html").0, 200);
    }
    site.write(
        "content/articles/a.md",
        &article(
            "title: Talks in Minsk\ndate: 2024-01-02",
            "Saved under load.\n",
        ),
    );
    wait_for(&mut last, "event: reload");
    wait_for_page(
        &server,
        "/articles/a.html",
        "Saved under load.",
        "the save never showed",
    );
    let (threads, memory) = threads_and_memory(&server);
    assert!(
        threads <= threads_before + 2,
        "{threads} threads with 400 connections open (were {threads_before})"
    );
    assert!(memory < 200 * 1024, "{memory} KiB resident");
}

#[test]
fn a_client_that_never_finishes_its_request_is_disconnected() {
    let site = site();
    let server = start(&site, &["--port", "0"]);
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    // Closed by the server (the read ends), not by the 30 s read timeout here.
    stream.read_to_end(&mut rest).unwrap();
    assert!(started.elapsed() < Duration::from_secs(25));
}

#[test]
fn binding_to_every_interface_is_said_loudly() {
    let site = site();
    let mut server = start(&site, &["--port", "0", "--bind", "0.0.0.0"]);
    assert!(server.address.starts_with("0.0.0.0:"), "{}", server.address);
    let stderr = server.stop_and_read_stderr();
    assert!(
        stderr.contains("warning: serving on every network interface (0.0.0.0)"),
        "{stderr}"
    );
}

#[test]
fn a_file_read_while_half_written_is_rebuilt_when_whole() {
    let site = site();
    let server = start(&site, &["--port", "0", "--watch"]);
    let mut stream = events(&server);
    wait_for(&mut stream, "event: hello");
    // An article written in pieces, slower than the watcher's quiet time, so that builds read it
    // half-written: first with its front matter open, then cut mid-sentence.
    let whole = article(
        "title: Written slowly\ndate: 2024-01-03",
        &"A paragraph of the article that takes a while to arrive. ".repeat(400),
    ) + "The last words.\n";
    let path = site.root().join("content/articles/slow.md");
    let mut file = std::fs::File::create(&path).unwrap();
    for piece in whole.as_bytes().chunks(whole.len() / 6 + 1) {
        file.write_all(piece).unwrap();
        file.flush().unwrap();
        std::thread::sleep(Duration::from_millis(250));
    }
    drop(file);
    wait_for_page(
        &server,
        "/articles/slow.html",
        "The last words.",
        "the whole file never showed",
    );
    assert_eq!(request(&server, "GET", "/").0, 200);
}

#[test]
fn pages_are_served_while_a_rebuild_runs() {
    let site = site();
    for i in 0..1000 {
        site.write(
            &format!("content/articles/story-{i:04}.md"),
            &article(
                &format!("title: Story {i}"),
                &"\"Talks with Armenia will go on,\" said John Smith of the CSTO in Moscow.\n\n"
                    .repeat(40),
            ),
        );
    }
    let server = start(&site, &["--port", "0", "--watch"]);
    let mut stream = events(&server);
    wait_for(&mut stream, "event: hello");
    // A note changes what every article's analysis knows: the whole site is analysed again, which
    // takes a while; the watcher waits 75 ms of quiet before it starts.
    site.write(
        "content/people/john-smith.md",
        "---\nname: John Smith\n---\nA negotiator.\n",
    );
    let saved = Instant::now();
    stream.set_nonblocking(true).unwrap();
    // When each request was sent and answered, until the reload event arrives.
    let mut answers: Vec<(Duration, Duration)> = Vec::new();
    let mut seen = String::new();
    let mut buffer = [0u8; 4096];
    while !seen.contains("event: reload") {
        assert!(
            saved.elapsed() < Duration::from_secs(60),
            "no reload: {seen}"
        );
        let sent = saved.elapsed();
        assert_eq!(request(&server, "GET", "/articles/story-0000.html").0, 200);
        answers.push((sent, saved.elapsed()));
        if let Ok(n) = stream.read(&mut buffer) {
            seen.push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    }
    let reloaded = saved.elapsed();
    // "content/people changed", or "and 1 more" when the folder was seen made apart from its file.
    let rebuild = server.wait_for_line("analysed");
    // Requests sent and answered well after the rebuild began (75 ms of quiet, then the build)
    // and well before it ended: a server that waited for the rebuild answers none of them.
    let answered_while_rebuilding = answers
        .iter()
        .filter(|(sent, answered)| {
            *sent > Duration::from_millis(200) && *answered + Duration::from_millis(100) < reloaded
        })
        .count();
    assert!(
        answered_while_rebuilding >= 3,
        "{answered_while_rebuilding} requests answered during the rebuild; reload after {reloaded:?}: {rebuild}"
    );
}
