#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 600), keeping what each one learns in
# fuzz/corpus/TARGET and any crash in fuzz/artifacts/TARGET. A crash stops its target, not the
# others; the exit code says whether any target crashed. Needs the nightly toolchain and cargo-fuzz
# (`rustup toolchain install nightly`, `cargo install cargo-fuzz`). A fixed crash's input goes to
# fuzz/regressions/TARGET/, which `cargo test` replays (tests/fuzz_regressions.rs).
set -uo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
failed=0
for target in front_matter clean quotes pipeline; do
  mkdir -p "fuzz/corpus/$target"
  echo "== $target for ${seconds}s"
  if ! cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1; then
    echo "== $target found a crash: see fuzz/artifacts/$target/"
    failed=1
  fi
done
exit "$failed"
