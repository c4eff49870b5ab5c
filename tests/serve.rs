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
    let (status, head, body) = request(&server, "HEAD", "/");
    assert_eq!(status, 200);
    assert!(body.is_empty());
    assert!(head.to_lowercase().contains("content-length:"), "{head}");
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
    let _ = server.child.kill();
    let mut stderr = String::new();
    server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();

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
