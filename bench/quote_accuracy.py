#!/usr/bin/env python3
"""Measures briefing's quotation extraction against hand annotations.

For each annotation file (default: bench/annotations/bbc-politics.yaml) it builds a temporary site
from the annotated raw articles (read from ../shared/corpora/<corpus>/, never copied into the
repository), reads the build's data/briefing.json, and reports:

  quote precision   extracted quotations that match an annotated one / all extracted
  quote recall      annotated quotations that were extracted / all annotated
  speaker accuracy  matched quotations whose speaker is the annotated one / all matched

Matching follows the annotations' rules: fold curly quotes to straight ones, collapse white space;
an extracted quotation matches an annotated one when its text starts with the annotation's `starts`.
A speaker matches when the names are equal ignoring case, when one is the other's surname, or
when one is the other's acronym (an organisation and its acronym are one name, as the annotations say).

Run from the repository root after `cargo build --release`:
  python3 bench/quote_accuracy.py [--verbose] [ANNOTATIONS.yaml ...]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "corpora")


def fold(text):
    text = re.sub("[“”«»„]", '"', text)
    text = re.sub("[‘’]", "'", text)
    return " ".join(text.split())


def core(text):
    """Text for comparison: folded, without the quote marks and punctuation at its edges."""
    return fold(text).strip(" \"'.,;:!?…-–—")


def acronym(name):
    """The initials of a name's capitalised words ("Organisation for Economic Co-operation and
    Development" -> "OECD"): the annotations' rules make an organisation and its acronym one name
    ("UN and United Nations the same organisation")."""
    return "".join(w[0] for w in name.split() if w[:1].isupper())


def same_speaker(found, expected):
    a, b = found.lower().strip(), expected.lower().strip()
    if a == b:
        return True
    if " " in b and a == b.split()[-1]:
        return True
    if " " in a and b == a.split()[-1]:
        return True
    for long, short in ((found, expected), (expected, found)):
        short = short.strip()
        if " " in long.strip() and short.isupper() and len(short) >= 2 and acronym(long) == short:
            return True
    return False


def build_site(corpus, files, binary):
    site = tempfile.mkdtemp(prefix="briefing-bench-")
    shutil.copytree(os.path.join(ROOT, "themes"), os.path.join(site, "themes"))
    os.makedirs(os.path.join(site, "content", "articles"))
    with open(os.path.join(site, "site.yaml"), "w") as f:
        f.write("title: Quote bench\n")
    for name in files:
        source = os.path.join(SHARED, corpus, name)
        with open(source, "rb") as f:
            data = f.read()
        with open(os.path.join(site, "content", "articles", name), "wb") as f:
            f.write(data)
    result = subprocess.run([binary, "build", "--root", site], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"briefing build failed:\n{result.stderr}")
    with open(os.path.join(site, "public", "data", "briefing.json")) as f:
        export = json.load(f)
    shutil.rmtree(site)
    return export


def measure(path, binary, verbose):
    with open(path) as f:
        annotations = yaml.safe_load(f)
    corpus = annotations["corpus"]
    articles = annotations["articles"]
    export = build_site(corpus, [a["file"] for a in articles], binary)
    by_article = {}
    for quote in export["quotes"]:
        by_article.setdefault(quote["article"], []).append(quote)
    extracted = gold = matched_found = matched_gold = speakers_right = 0
    for article in articles:
        slug = re.sub(r"[^a-z0-9]+", "-", os.path.splitext(article["file"])[0].lower()).strip("-")
        found = by_article.get(slug, [])
        expected = article.get("quotes") or []
        extracted += len(found)
        gold += len(expected)
        used = set()
        for want in expected:
            starts = core(want["starts"])
            hit = next((i for i, q in enumerate(found) if i not in used and core(q["text"]).startswith(starts)), None)
            if hit is None:
                if verbose:
                    print(f"  {article['file']}: missed {want['starts']!r} ({want['speaker']})")
                continue
            used.add(hit)
            matched_gold += 1
            speaker = found[hit]["speaker"]["name"]
            if same_speaker(speaker, want["speaker"]):
                speakers_right += 1
            elif verbose:
                print(f"  {article['file']}: {want['starts']!r}: speaker {speaker!r}, annotated {want['speaker']!r}")
        matched_found += len(used)
        if verbose:
            for i, q in enumerate(found):
                if i not in used:
                    print(f"  {article['file']}: extra {q['text'][:60]!r} ({q['speaker']['name']})")
    precision = matched_found / extracted if extracted else 0.0
    recall = matched_gold / gold if gold else 0.0
    accuracy = speakers_right / matched_gold if matched_gold else 0.0
    print(f"{os.path.relpath(path, ROOT)}: {len(articles)} articles, {gold} annotated quotations, {extracted} extracted")
    print(f"  quote precision  {precision:.3f}  ({matched_found}/{extracted})")
    print(f"  quote recall     {recall:.3f}  ({matched_gold}/{gold})")
    print(f"  speaker accuracy {accuracy:.3f}  ({speakers_right}/{matched_gold})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("annotations", nargs="*", default=[os.path.join(ROOT, "bench", "annotations", "bbc-politics.yaml")])
    parser.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "briefing"))
    parser.add_argument("--verbose", action="store_true", help="list every miss, extra and wrong speaker")
    args = parser.parse_args()
    if not os.path.isdir(SHARED):
        sys.exit(f"the corpora are not at {SHARED}")
    for path in args.annotations:
        measure(path, args.binary, args.verbose)


if __name__ == "__main__":
    main()
