//! `briefing serve`: the built site over HTTP, and nothing else.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use common::{article, Fixture};

/// A running `briefing serve`, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .split('/')
        .next()
        .unwrap()
        .to_string();
    Server { child, address }
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
