#!/usr/bin/env python3
"""The dev server under load: `briefing serve --watch` on a copy of the example site, with slow
clients that never finish their request, open live-reload streams, and wrk hammering pages with
hundreds of connections while the editor saves (so the server rebuilds under the load).

Prints wrk's requests per second, latency percentiles and errors, the server's threads and resident
memory before and during the load, whether every live-reload stream got each save's reload event,
and whether a page fetched after the load shows the last save.

Needs wrk (Debian's `wrk`). Run from the repository root after `cargo build --release`:
    python3 bench/serve_load.py [CONNECTIONS] [SECONDS] [SLOW_CLIENTS] [STREAMS]
`BRIEFING=path/to/briefing` measures another binary (an older build, say).
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("BRIEFING", os.path.join(ROOT, "target", "release", "briefing"))


def proc_status(pid):
    status = open(f"/proc/{pid}/status").read()
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
    return threads, rss


def main():
    connections = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    seconds = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    slow_clients = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    streams = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    if not shutil.which("wrk"):
        sys.exit("serve_load: wrk is not installed (apt-get install wrk)")
    work = tempfile.mkdtemp(prefix="briefing-load-")
    site = os.path.join(work, "site")
    os.makedirs(site)
    for name in ("site.yaml", "content", "themes"):
        source = os.path.join(ROOT, name)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(site, name))
        elif os.path.exists(source):
            shutil.copy(source, site)
    server = subprocess.Popen(
        [BINARY, "serve", "--watch", "--port", "0"],
        cwd=site,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = server.stdout.readline()
        address = re.search(r"http://([^/]+)/", line).group(1)
        host, port = address.rsplit(":", 1)
        port = int(port)
        threads_idle, rss_idle = proc_status(server.pid)

        held = []
        for _ in range(slow_clients):
            s = socket.create_connection((host, port))
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            held.append(s)
        reloads = [0] * streams
        readers = []

        def read_stream(index, sock):
            sock.settimeout(seconds + 30)
            seen = b""
            try:
                while True:
                    chunk = sock.recv(4096)
                    if not chunk:
                        return
                    seen += chunk
                    reloads[index] = seen.count(b"event: reload")
            except OSError:
                return

        for index in range(streams):
            s = socket.create_connection((host, port))
            s.sendall(b"GET /__briefing/events HTTP/1.1\r\nHost: x\r\n\r\n")
            reader = threading.Thread(target=read_stream, args=(index, s), daemon=True)
            reader.start()
            readers.append((s, reader))

        articles = sorted(os.listdir(os.path.join(site, "content", "articles")))
        article = os.path.join(site, "content", "articles", articles[0])
        original = open(article).read()
        saves = 0

        def save_during_load():
            nonlocal saves
            time.sleep(2)
            while saves < 5:
                saves += 1
                with open(article, "w") as f:
                    f.write(original + f"\n\nSaved under load, save {saves}.\n")
                time.sleep(seconds / 7)

        saver = threading.Thread(target=save_during_load)
        saver.start()
        page = "/articles/" + articles[0].rsplit(".", 1)[0] + ".html"
        during = []

        def sample():
            time.sleep(seconds / 2)
            during.append(proc_status(server.pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        wrk = subprocess.run(
            ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency",
             f"http://{address}{page}"],
            capture_output=True,
            text=True,
        )
        saver.join()
        sampler.join()
        time.sleep(1.5)
        body = urllib.request.urlopen(f"http://{address}{page}", timeout=10).read().decode()
        print(f"serve_load: {connections} wrk connections for {seconds}s on {page}, "
              f"{slow_clients} slow clients, {streams} live-reload streams, {saves} saves")
        print(wrk.stdout)
        threads_load, rss_load = during[0]
        print(f"threads: {threads_idle} idle, {threads_load} under load")
        print(f"resident memory: {rss_idle // 1024} MiB idle, {rss_load // 1024} MiB under load")
        got_all = sum(1 for r in reloads if r >= saves)
        print(f"live-reload streams that got all {saves} reloads: {got_all} of {streams}")
        print(f"last save served after the load: {f'save {saves}.' in body}")
        print(f"server still running: {server.poll() is None}")
        with open(article, "w") as f:
            f.write(original)
        for s in held:
            s.close()
        for s, _ in readers:
            s.close()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
