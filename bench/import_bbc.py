#!/usr/bin/env python3
"""Imports every file of ../shared/corpora/bbc/ with `briefing import` and checks that each keeps every
body paragraph: the BBC texts carry no page furniture (title on the first line, then paragraphs), so
every paragraph after the title must be in the imported article, word for word.

Run from the repository root after `cargo build --release`: python3 bench/import_bbc.py
"""
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BBC = os.path.join(os.path.dirname(ROOT), "shared", "corpora", "bbc")
BINARY = os.path.join(ROOT, "target", "release", "briefing")


def words(text):
    """The words of a text, for comparing it across Markdown escaping and encodings."""
    return re.findall(r"[^\W_]+", text.lower())


def main():
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(BBC) for f in fs if f.endswith(".txt"))
    out = tempfile.mkdtemp(prefix="briefing-import-")
    started = time.time()
    result = subprocess.run([BINARY, "import", BBC, "--into", out], capture_output=True, text=True)
    elapsed = time.time() - started
    lines = [l for l in result.stdout.splitlines() if " -> " in l]
    warnings = [l for l in result.stderr.splitlines() if l.startswith("warning")]
    errors = [l for l in result.stderr.splitlines() if l.startswith("error")]
    print(f"{len(files)} files, {len(lines)} imported in {elapsed:.2f} s, exit code {result.returncode}, "
          f"{len(errors)} errors, {len(warnings)} warnings")
    for line in warnings + errors:
        print(" ", line)
    lost = 0
    paragraphs = 0
    for line in lines:
        source, target = line.split(" -> ", 1)
        target = target.split(": date", 1)[0]
        with open(source, "rb") as f:
            raw = f.read().decode("utf-8", errors="replace")
        with open(target, encoding="utf-8") as f:
            imported = " ".join(words(f.read().split("\n---\n", 1)[1]))
        body = [p.strip() for p in raw.split("\n")[1:] if p.strip()]
        for paragraph in body:
            paragraphs += 1
            if " ".join(words(paragraph)) not in imported:
                lost += 1
                if lost <= 10:
                    print(f"  lost in {os.path.relpath(source, BBC)}: {paragraph[:100]!r}")
    print(f"body paragraphs: {paragraphs}, kept {paragraphs - lost}, lost {lost}")
    sys.exit(1 if lost or errors or result.returncode else 0)


if __name__ == "__main__":
    main()
