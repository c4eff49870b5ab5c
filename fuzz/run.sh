#!/usr/bin/env bash
# Runs every fuzz target in turn for SECONDS each (default 600), keeping what each one learns in
# fuzz/corpus/TARGET and any crash in fuzz/artifacts/TARGET. Needs the nightly toolchain and
# cargo-fuzz (`rustup toolchain install nightly`, `cargo install cargo-fuzz`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
for target in front_matter clean quotes pipeline; do
  mkdir -p "fuzz/corpus/$target"
  echo "== $target for ${seconds}s"
  cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
done
