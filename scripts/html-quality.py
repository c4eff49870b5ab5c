#!/usr/bin/env python3
"""The quality of a built site's HTML, as a reader's tools see it; exits 1 on any failure.

1. Validity: the W3C Nu HTML checker (`vnu-jar` from the npm registry) on every page: no error.
2. Accessibility: axe-core (npm) in headless Chromium on every page (or a sample of a large site),
   in the light and the dark colour scheme: no serious or critical violation.
3. Print: an entity page printed shows no navigation, search or feed controls.
4. Phones: each page checked at 375 px wide has nothing wider than the screen (no sideways
   scrolling of the page itself; the relations drawing scrolls in its own box).

Usage, from the repository root, after `cargo build --release`:
    python3 scripts/html-quality.py [SITE_ROOT ...] [--sample N]
With no SITE_ROOT it builds and checks the example site (the repository root). Needs Java (for
vnu), npm, and Debian's chromium and chromium-driver. The npm packages are installed once into
.cache/html-quality/ at the versions pinned below.
"""
import argparse
import functools
import http.server
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "briefing")
TOOLS = os.path.join(ROOT, ".cache", "html-quality")
PACKAGES = {"vnu-jar": "26.9.27", "axe-core": "4.14.1"}
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PHONE_WIDTH = 375


def tools():
    """Installs the pinned npm packages once; returns the paths of vnu.jar and axe.min.js."""
    vnu = os.path.join(TOOLS, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
    axe = os.path.join(TOOLS, "node_modules", "axe-core", "axe.min.js")
    if not (os.path.exists(vnu) and os.path.exists(axe)):
        os.makedirs(TOOLS, exist_ok=True)
        specs = [f"{name}@{version}" for name, version in PACKAGES.items()]
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", TOOLS] + specs,
                       check=True)
    return vnu, axe


def build(site):
    output = tempfile.mkdtemp(prefix="briefing-quality-")
    shutil.rmtree(output)
    subprocess.run([BINARY, "build", "--root", site, "--output", output], check=True,
                   stdout=subprocess.DEVNULL)
    return output


def validate(vnu, output):
    """Nu checker errors, one line each."""
    result = subprocess.run(["java", "-jar", vnu, "--errors-only", "--skip-non-html", "--format", "gnu", output],
                            capture_output=True, text=True)
    return [line for line in result.stderr.splitlines() + result.stdout.splitlines() if line.strip()]


class Driver:
    """A WebDriver session in headless Chromium (plain HTTP and JSON)."""

    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.process = subprocess.Popen([CHROMEDRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.profile = tempfile.mkdtemp(prefix="briefing-chromium-")
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={self.profile}", "--window-size=1280,1000"]
        answer = self.call("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": {"binary": CHROMIUM, "args": args}}}})
        self.session = answer["value"]["sessionId"]
        self.call("POST", f"/session/{self.session}/timeouts", {"script": 120000})

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=180) as response:
            return json.loads(response.read())

    def go(self, url):
        self.call("POST", f"/session/{self.session}/url", {"url": url})

    def run(self, script, asynchronous=False):
        kind = "async" if asynchronous else "sync"
        return self.call("POST", f"/session/{self.session}/execute/{kind}", {"script": script, "args": []})["value"]

    def color_scheme(self, scheme, media=""):
        """Emulates the reader's light or dark setting, and print (Chrome DevTools, through
        ChromeDriver)."""
        self.call("POST", f"/session/{self.session}/goog/cdp/execute", {
            "cmd": "Emulation.setEmulatedMedia",
            "params": {"media": media, "features": [{"name": "prefers-color-scheme", "value": scheme}]}})

    def width(self, pixels):
        self.call("POST", f"/session/{self.session}/window/rect", {"width": pixels, "height": 900})

    def close(self):
        try:
            self.call("DELETE", f"/session/{self.session}")
        finally:
            self.process.kill()
            shutil.rmtree(self.profile, ignore_errors=True)


AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations
  .filter(v => v.impact === 'serious' || v.impact === 'critical')
  .map(v => v.impact + ' ' + v.id + ': ' + v.help + ' (' + v.nodes.length + ' elements, e.g. '
            + v.nodes[0].target.join(' ') + ')'))).catch(e => done(['axe failed: ' + e]));
"""

# What a printed handout must not show.
PRINTED = """
return ['.site-header', '.skip-link', '.follow', '.search-form', '.month-index']
  .filter(s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none'));
"""

# The page's own width beyond the screen, ignoring elements that scroll in their own box.
OVERFLOW = """
const width = document.documentElement.clientWidth;
const wide = [];
for (const e of document.body.querySelectorAll('*')) {
  const r = e.getBoundingClientRect();
  if (r.right > width + 1 && !e.closest('.relations')) wide.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''));
}
return {scroll: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 3)};
"""


def pages_of(output, sample):
    pages = sorted(os.path.relpath(os.path.join(d, f), output)
                   for d, _, fs in os.walk(output) for f in fs if f.endswith(".html"))
    if sample and len(pages) > sample:
        # Every index and list page, and a fixed random sample of the rest.
        fixed = [p for p in pages if "/" not in p or p.endswith("index.html")]
        rest = [p for p in pages if p not in fixed]
        random.Random(1).shuffle(rest)
        pages = sorted(fixed + rest[:max(0, sample - len(fixed))])
    return pages


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def check_in_browser(axe_path, output, pages):
    with open(axe_path, encoding="utf-8") as f:
        axe_source = f.read()
    # Served over HTTP at a domain's root, as a host would: the 404 page links from the root.
    handler = functools.partial(QuietHandler, directory=output)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    driver = Driver()
    problems = []
    try:
        for page in pages:
            url = address + page
            driver.width(1280)
            # Both colour schemes: the dark one has contrasts of its own to get right.
            for scheme in ("light", "dark"):
                driver.color_scheme(scheme)
                driver.go(url)
                driver.run(axe_source + "\nreturn true;")
                for violation in driver.run(AXE_RUN, asynchronous=True):
                    problems.append(f"{page}: axe ({scheme}): {violation}")
            # Printed, an entity page is a handout: no navigation, search or feed controls.
            if page.split("/")[0] in ("countries", "organisations", "people") and not page.endswith("index.html"):
                driver.color_scheme("light", media="print")
                shown = driver.run(PRINTED)
                if shown:
                    problems.append(f"{page}: printed, still shows " + ", ".join(shown))
            driver.color_scheme("light")
            driver.width(PHONE_WIDTH + 16)  # the window's frame; the page gets about 375 px
            driver.go(url)
            result = driver.run(OVERFLOW)
            if result["scroll"] > result["width"] + 1 or result["wide"]:
                problems.append(f"{page}: wider than a {result['width']} px phone ({result['scroll']} px): "
                                + ", ".join(result["wide"]))
    finally:
        driver.close()
        server.shutdown()
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sites", nargs="*", default=[ROOT])
    parser.add_argument("--sample", type=int, default=0, help="check at most N pages in the browser")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build first: cargo build --release")
    vnu, axe = tools()
    failed = False
    for site in args.sites:
        output = build(site)
        try:
            pages = pages_of(output, 0)
            started = time.time()
            errors = validate(vnu, output)
            print(f"{site}: Nu checker on {len(pages)} pages: {len(errors)} errors ({time.time() - started:.0f} s)")
            for line in errors[:50]:
                print("  " + line)
            checked = pages_of(output, args.sample)
            started = time.time()
            problems = check_in_browser(axe, output, checked)
            print(f"{site}: axe-core (serious, critical) and {PHONE_WIDTH} px width on {len(checked)} pages: "
                  f"{len(problems)} problems ({time.time() - started:.0f} s)")
            for line in problems[:50]:
                print("  " + line)
            failed = failed or bool(errors) or bool(problems)
        finally:
            shutil.rmtree(output, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
