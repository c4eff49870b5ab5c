//! A real browser against `briefing serve --watch`: headless Chromium, driven through ChromeDriver's
//! WebDriver API (plain HTTP and JSON, so no client crate is needed), opens an article; the test
//! then only edits files and watches the page change by itself.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them). Without them the test
//! says so and passes, unless `BRIEFING_BROWSER_TESTS=1` (set by CI) demands it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{article, Fixture};
use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A child process killed when dropped.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request with a JSON body; returns the JSON answer.
fn http_json(address: &str, method: &str, path: &str, body: Option<&Value>) -> Value {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    // ChromeDriver keeps the connection open: read the head, then Content-Length bytes.
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        if line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap();
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&body)))
}

/// A WebDriver session in headless Chromium.
struct Browser {
    driver: String,
    session: String,
    _process: Running,
}

impl Browser {
    fn start(profile: &Path) -> Browser {
        let port = free_port();
        let process = Running(
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("start chromedriver"),
        );
        let driver = format!("127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(&driver).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        // The flags keep Chromium off the network this machine does not have, and let it run as
        // root in a container.
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                         "--no-first-run", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync",
                         format!("--user-data-dir={}", profile.display())]
            }
        }}});
        let answer = http_json(&driver, "POST", "/session", Some(&capabilities));
        let session = answer["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {answer}"))
            .to_string();
        Browser {
            driver,
            session,
            _process: process,
        }
    }

    fn go(&self, url: &str) {
        let path = format!("/session/{}/url", self.session);
        http_json(&self.driver, "POST", &path, Some(&json!({ "url": url })));
    }

    /// Runs a script in the page and returns its value.
    fn eval(&self, script: &str) -> Value {
        let path = format!("/session/{}/execute/sync", self.session);
        let answer = http_json(
            &self.driver,
            "POST",
            &path,
            Some(&json!({ "script": script, "args": [] })),
        );
        answer["value"].clone()
    }

    /// With `BRIEFING_SCREENSHOTS=DIR`, saves the page as DIR/NAME.png.base64 for a person to look at
    /// (`base64 -d`).
    fn screenshot(&self, name: &str) {
        let Ok(dir) = std::env::var("BRIEFING_SCREENSHOTS") else {
            return;
        };
        let path = format!("/session/{}/screenshot", self.session);
        let answer = http_json(&self.driver, "GET", &path, None);
        let png = answer["value"].as_str().unwrap_or_default();
        std::fs::write(Path::new(&dir).join(format!("{name}.png.base64")), png).unwrap();
    }

    /// Waits up to 20 s for `script` to return true.
    fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.eval(script) != Value::Bool(true) {
            let text = self.eval("return document.body ? document.body.innerText : ''");
            assert!(
                Instant::now() < deadline,
                "{what}: never happened; the page reads {text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let path = format!("/session/{}", self.session);
        let _ = std::panic::catch_unwind(|| http_json(&self.driver, "DELETE", &path, None));
    }
}

fn browser_available() -> bool {
    let present = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !present {
        assert!(
            std::env::var("BRIEFING_BROWSER_TESTS").as_deref() != Ok("1"),
            "BRIEFING_BROWSER_TESTS=1 but {CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install chromium chromium-driver"
        );
        eprintln!(
            "skipped: no {CHROMIUM} or {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
        );
    }
    present
}

#[test]
fn the_open_page_follows_each_save_by_itself() {
    if !browser_available() {
        return;
    }
    let site = Fixture::new();
    let front = "title: Talks in Minsk\ndate: 2024-01-02";
    site.write(
        "content/articles/a.md",
        &article(front, "The first version.\n"),
    );
    let (server, address) = serve(&site, "0");

    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::start(profile.path());
    browser.go(&format!("http://{address}/articles/a.html"));
    browser.wait_until(
        "the page loads",
        "return document.body.innerText.includes('The first version.')",
    );
    // The live script has connected before the edit, so the edit's reload cannot be missed.
    browser.wait_until(
        "the event stream opens",
        "return window.briefingLive === 'connected'",
    );

    // A save: the page shows the new text with no action by the test.
    site.write(
        "content/articles/a.md",
        &article(
            front,
            "The second version, saved while the page was open.\n",
        ),
    );
    browser.wait_until(
        "the edit shows",
        "return document.body.innerText.includes('The second version, saved while the page was open.')",
    );

    // A broken save: the error shows over the last good page.
    site.write(
        "content/articles/a.md",
        "---\ntitle: Talks\ndate: not-a-date\n---\nBroken.\n",
    );
    browser.wait_until(
        "the error overlay shows",
        "const d = document.getElementById('briefing-errors'); return !!d && d.innerText.includes('content/articles/a.md:3:7') && document.body.innerText.includes('The second version')",
    );

    browser.screenshot("serve-error-overlay");

    // The fix: the overlay goes and the page comes back.
    site.write(
        "content/articles/a.md",
        &article(front, "The third version, after the fix.\n"),
    );
    browser.wait_until(
        "the fixed page shows without the overlay",
        "return !document.getElementById('briefing-errors') && document.body.innerText.includes('The third version, after the fix.')",
    );

    // The server stops; the article changes while it is down; a new server starts on the same
    // port: the page reconnects by itself and reloads.
    drop(server);
    site.write(
        "content/articles/a.md",
        &article(
            front,
            "The fourth version, saved while the server was down.\n",
        ),
    );
    let port = address.rsplit(':').next().unwrap();
    let (_server, again) = serve(&site, port);
    assert_eq!(again, address, "the port was not free again");
    browser.wait_until(
        "the page reloads from the restarted server",
        "return document.body.innerText.includes('The fourth version, saved while the server was down.')",
    );
}

/// Starts `briefing serve --watch` on `port`; returns it and the address it serves on.
fn serve(site: &Fixture, port: &str) -> (Running, String) {
    let mut server = Running(
        Command::new(env!("CARGO_BIN_EXE_briefing"))
            .args(["serve", "--watch", "--port", port])
            .current_dir(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(server.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    (server, address)
}

#[test]
fn search_finds_articles_quotes_and_entities_over_http_and_from_disk() {
    if !browser_available() {
        return;
    }
    let site = Fixture::new();
    site.write(
        "content/articles/minsk.md",
        &article(
            "title: Talks in Minsk\ndate: 2024-01-02\nsource: Example News",
            "Belarus hosted the talks with Armenia.\n\n\"We will not take part in the summit,\" Armenian Prime Minister Nikol Pashinyan said.\n",
        ),
    );
    site.write(
        "content/articles/erdogan.md",
        &article(
            "title: Erdoğan visits Baku\ndate: 2024-02-02\nsource: Example News",
            "Turkish President Recep Tayyip Erdoğan arrived in Azerbaijan.\n",
        ),
    );
    site.build_ok();
    let profile = tempfile::tempdir().unwrap();
    let browser = Browser::start(profile.path());
    let results = "return Array.from(document.querySelectorAll('#search-results li')).map(li => li.textContent).join('\\n')";

    // From disk: the index loads as scripts, which file:// allows.
    let page = site.output().join("search.html");
    browser.go(&format!("file://{}?q=pashinyan", page.display()));
    browser.wait_until(
        "a search from disk finds the person and the quotation",
        "const t = document.getElementById('search-status').innerText; return t.startsWith('3 results')",
    );
    let found = browser
        .eval(results)
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        found.contains("Person") && found.contains("Nikol Pashinyan"),
        "{found}"
    );
    assert!(
        found.contains("We will not take part in the summit"),
        "{found}"
    );
    browser.screenshot("search-in-use");

    // Typing: the last word may be the start of a word, and accents do not matter.
    browser.eval("const i = document.getElementById('search-input'); i.value = 'erdogan bak'; i.dispatchEvent(new Event('input'));");
    browser.wait_until(
        "typing a word's start finds the article",
        "return document.getElementById('search-results').innerText.includes('Erdoğan visits Baku')",
    );
    browser.eval("const i = document.getElementById('search-input'); i.value = 'zzzz'; i.dispatchEvent(new Event('input'));");
    browser.wait_until(
        "a word found nowhere says so",
        "return document.getElementById('search-status').innerText.startsWith('Nothing found')",
    );

    // Over HTTP, from the served site.
    let (_server, address) = serve(&site, "0");
    browser.go(&format!("http://{address}/search.html?q=armenia"));
    browser.wait_until(
        "a search over HTTP finds the country and the article",
        "const t = document.getElementById('search-results').innerText; return t.includes('Armenia') && t.includes('Talks in Minsk')",
    );
}
