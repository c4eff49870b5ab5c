#!/usr/bin/env python3
"""Save-to-reload latency of `briefing serve --watch`: the time from an article's save to the reload
event the open pages receive, and to the new page served, over repeated saves.

Runs on two sites built in temporary folders: the example site of this repository, and a site of the
2,225 BBC articles of ../shared/corpora/bbc/ (imported with `briefing import`; skipped when the
corpus is not there). Each trial rewrites one article with a new sentence (the watcher's debounce is
part of the latency, as it is for the editor), waits for `event: reload` on the event stream, then
fetches the page until it shows the sentence. Prints, per site, the median, 90th percentile and
maximum of both times, and the server's own account of its last rebuild.

Run from the repository root after `cargo build --release`: python3 bench/reload_latency.py [TRIALS]
"""
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BBC = os.path.join(os.path.dirname(ROOT), "shared", "corpora", "bbc")
BINARY = os.path.join(ROOT, "target", "release", "briefing")


def example_site(into):
    os.makedirs(into)
    for name in ("site.yaml", "content", "themes"):
        source = os.path.join(ROOT, name)
        if not os.path.exists(source):
            continue
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(into, name))
        else:
            shutil.copy(source, into)
    return into


def bbc_site(into):
    shutil.copytree(os.path.join(ROOT, "themes"), os.path.join(into, "themes"))
    with open(os.path.join(into, "site.yaml"), "w") as f:
        f.write("title: BBC News 2004-2005\n")
    subprocess.run([BINARY, "import", BBC, "--into", os.path.join(into, "content", "articles")],
                   check=True, capture_output=True)
    return into


class Server:
    def __init__(self, site):
        self.process = subprocess.Popen([BINARY, "serve", "--watch", "--port", "0"], cwd=site,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first = self.process.stdout.readline()
        self.address = first.split("http://")[1].split("/")[0]
        self.lines = []
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self):
        for line in self.process.stdout:
            self.lines.append(line.strip())

    def stop(self):
        self.process.kill()
        self.process.wait()

    def events(self):
        host, port = self.address.split(":")
        stream = socket.create_connection((host, int(port)))
        stream.sendall(b"GET /__briefing/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        stream.settimeout(60)
        return stream

    def get(self, path):
        with urllib.request.urlopen(f"http://{self.address}{path}") as response:
            return response.read().decode("utf-8", "replace")


def wait_for(stream, needle, seen=b""):
    while needle not in seen:
        chunk = stream.recv(65536)
        if not chunk:
            raise RuntimeError("event stream closed")
        seen += chunk
    return seen[seen.index(needle) + len(needle):]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def measure(name, site, trials, quiet=False, quoting=False):
    """Saves one article `trials` times; returns the medians (ms) to the reload event, to the new
    page served and of the server's own rebuild times, and the server's line for its last rebuild.
    With `quoting`, every other save adds a quotation and the next takes it out, so that each save
    moves every later quotation's number."""
    articles = os.path.join(site, "content", "articles")
    target = sorted(f for f in os.listdir(articles) if f.endswith(".md"))[0]
    path = os.path.join(articles, target)
    page = "/articles/" + target[:-3] + ".html"
    with open(path, encoding="utf-8") as f:
        original = f.read()
    count = sum(1 for _ in os.scandir(articles))
    started = time.time()
    server = Server(site)
    startup = time.time() - started
    quiet or print(f"{name}: server up in {startup:.1f} s", file=sys.stderr)
    stream = server.events()
    rest = wait_for(stream, b"text/event-stream")
    to_event, to_page = [], []
    for trial in range(trials):
        if quoting and trial % 2 == 0:
            sentence = (f'"We will look at Portugal again," the minister said after benchmark '
                        f'meeting number {trial}.')
            needle = f"benchmark meeting number {trial}."
        else:
            sentence = f"Benchmark sentence number {trial} mentions Portugal."
            # The sentence's country becomes a link in the page; look for the words before it.
            needle = f"Benchmark sentence number {trial} "
        saved = time.perf_counter()
        with open(path, "w", encoding="utf-8") as f:
            f.write(original.rstrip("\n") + "\n\n" + sentence + "\n")
        rest = wait_for(stream, b"event: reload", rest)
        evented = time.perf_counter()
        while needle not in server.get(page):
            time.sleep(0.002)
        served = time.perf_counter()
        to_event.append((evented - saved) * 1000)
        to_page.append((served - saved) * 1000)
        time.sleep(0.3)  # let the editor pause between saves, as people do
    with open(path, "w", encoding="utf-8") as f:
        f.write(original)
    rebuilds = [l for l in server.lines if " changed: " in l]
    last = rebuilds[-1:]
    server.stop()
    # The server's account of each rebuild ("... in 37 ms (load ...)"): one noisy save does not
    # stand for all of them.
    rebuild_ms = [float(m.group(1)) for m in (re.search(r" in (\d+) ms", l) for l in rebuilds) if m]
    result = {"event": statistics.median(to_event), "page": statistics.median(to_page),
              "page_p90": percentile(to_page, 90), "last": last[0] if last else "",
              "rebuild": statistics.median(rebuild_ms) if rebuild_ms else None}
    if quiet:
        return result
    print(f"{name}: {count} articles, server up in {startup:.1f} s, {trials} saves")
    for label, values in (("save -> reload event", to_event), ("save -> new page served", to_page)):
        print(f"  {label:24} median {statistics.median(values):6.0f} ms   p90 {percentile(values, 90):6.0f} ms"
              f"   max {max(values):6.0f} ms")
    if rebuild_ms:
        print(f"  {'rebuild (server)':24} median {statistics.median(rebuild_ms):6.0f} ms   p90 "
              f"{percentile(rebuild_ms, 90):6.0f} ms   max {max(rebuild_ms):6.0f} ms")
    for line in last:
        print(f"  last rebuild: {line}")
    return result


def main():
    trials = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    if not os.path.exists(BINARY):
        sys.exit("build first: cargo build --release")
    with tempfile.TemporaryDirectory(prefix="briefing-reload-") as work:
        measure("example site", example_site(os.path.join(work, "example")), trials)
        if os.path.isdir(BBC):
            os.makedirs(os.path.join(work, "bbc"))
            measure("BBC site", bbc_site(os.path.join(work, "bbc")), trials)
        else:
            print(f"BBC site: skipped, no corpus at {BBC}")


if __name__ == "__main__":
    main()
