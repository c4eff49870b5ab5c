#!/usr/bin/env python3
"""Measures how well `briefing import` separates article text from page furniture.

Each page in bench/furniture/ is a raw scraped page (NN-kind.txt) with its truth (NN-kind.truth.yaml:
the article's text, and the title, date, author and source the page states). The script imports
every page and compares the kept text with the true text, word by word (as multisets, so that
Markdown escaping and paragraph joins do not matter):

  precision  kept words that are article words / all kept words   (how little furniture is left)
  recall     article words kept / all article words               (how little text is lost)
  F1         their harmonic mean

and reports how often each guessed metadata field equals the truth (a field the page does not
state must stay unset). Run from the repository root after `cargo build --release`:
    python3 bench/furniture_accuracy.py [--verbose] [PATTERN ...]   (PATTERN: "0*", "5*", ...)
"""
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "briefing")


def words(text):
    text = re.sub(r"\\(.)", r"\1", text)  # Markdown escapes
    text = re.sub(r"^#+ |^- |^\d+\. ", "", text, flags=re.M)  # block marks the import adds
    return collections.Counter(re.findall(r"[^\W_]+", text.lower()))


def main():
    verbose = "--verbose" in sys.argv
    patterns = [a for a in sys.argv[1:] if not a.startswith("--")] or ["*"]
    pages = sorted({p for pattern in patterns for p in glob.glob(os.path.join(ROOT, "bench", "furniture", pattern + ".txt"))})
    out = tempfile.mkdtemp(prefix="briefing-furniture-")
    result = subprocess.run([BINARY, "import", *pages, "--into", out, "--force"], capture_output=True, text=True)
    outputs = {}
    for line in result.stdout.splitlines():
        if " -> " in line:
            source, target = line.split(" -> ", 1)
            outputs[source] = target.split(": date", 1)[0]
    tp = kept = true = 0
    fields = {"title": [0, 0], "date": [0, 0], "author": [0, 0], "source": [0, 0]}
    for page in pages:
        with open(page[:-4] + ".truth.yaml", encoding="utf-8") as f:
            truth = yaml.safe_load(f)
        with open(outputs[page], encoding="utf-8") as f:
            imported = f.read()
        _, front, body = imported.split("---\n", 2)
        guessed = yaml.safe_load(front) or {}
        kept_words, true_words = words(body), words(truth["body"])
        overlap = sum((kept_words & true_words).values())
        tp += overlap
        kept += sum(kept_words.values())
        true += sum(true_words.values())
        for field, score in fields.items():
            want = truth.get(field)
            got = guessed.get(field)
            score[1] += 1
            if str(got) == str(want) if want is not None else got is None:
                score[0] += 1
            elif verbose:
                print(f"  {os.path.basename(page)}: {field} {got!r}, truth {want!r}")
        if verbose:
            lost = true_words - kept_words
            left = kept_words - true_words
            if lost or left:
                print(f"  {os.path.basename(page)}: lost {sum(lost.values())} words {list(lost)[:8]}, "
                      f"kept {sum(left.values())} furniture words {list(left)[:8]}")
    precision = tp / kept if kept else 0.0
    recall = tp / true if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"{len(pages)} pages, {true} article words, {kept} kept words")
    print(f"  precision {precision:.3f}   recall {recall:.3f}   F1 {f1:.3f}")
    print("  metadata: " + ", ".join(f"{k} {s[0]}/{s[1]}" for k, s in fields.items()))


if __name__ == "__main__":
    main()
