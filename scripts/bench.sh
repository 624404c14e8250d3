#!/usr/bin/env bash
# Whole-binary benchmarks on generated repositories (issue 7). Needs hyperfine and GNU time:
#   apt-get install -y hyperfine time
# Usage: scripts/bench.sh [SIZES...]   (default: 10 100 1000). Output: a table per measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-10 100 1000}")
read -r -a SIZES <<<"${SIZES[*]}"
SEED=${SEED:-7}
OUT=${BENCH_DIR:-/tmp/eks-lint-bench}
RUNS=${RUNS:-10}

cargo build --release --quiet --bin eks-lint --example gen-repo --example parse-only
BIN=$PWD/target/release/eks-lint
GEN=$PWD/target/release/examples/gen-repo
PARSE=$PWD/target/release/examples/parse-only
for t in hyperfine /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install -y hyperfine time)"; exit 1; }
done

# mean wall seconds of a command, via hyperfine's JSON export
mean() {
  local json; json=$(mktemp)
  hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$json" "$@" >/dev/null 2>&1 || true
  python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$json"
  rm -f "$json"
}
rss_mb() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {printf "%.1f", $6/1024}'; }

printf '%-6s %-28s %9s %10s %8s %8s\n' roots measurement seconds files/s MB/s RSS_MB
for n in "${SIZES[@]}"; do
  dir=$OUT/repo-$n
  rm -rf "$dir"; "$GEN" --roots "$n" --seed "$SEED" --out "$dir" 2>/dev/null
  files=$(find "$dir" -type f | wc -l)
  mb=$(du -sb "$dir" | awk '{printf "%.3f", $1/1048576}')
  row() { # name seconds rss
    awk -v n="$n" -v m="$1" -v s="$2" -v f="$files" -v b="$mb" -v r="$3" \
      'BEGIN {printf "%-6s %-28s %9.4f %10.0f %8.2f %8s\n", n, m, s, f/s, b/s, r}'
  }
  row "cat (floor)" "$(mean "sh -c 'find $dir -type f -print0 | xargs -0 cat >/dev/null'")" -
  row "parse-only" "$(mean "$PARSE $dir")" "$(rss_mb "$PARSE" "$dir")"
  row "eks-lint" "$(mean -i "$BIN --quiet $dir")" "$(rss_mb "$BIN" --quiet "$dir")"
  for t in 1 2; do
    row "eks-lint RAYON_NUM_THREADS=$t" \
      "$(RAYON_NUM_THREADS=$t mean -i "$BIN --quiet $dir")" "$(RAYON_NUM_THREADS=$t rss_mb "$BIN" --quiet "$dir")"
  done
  if [ "$n" = "${SIZES[-1]}" ]; then
    one=$(find "$dir/roots" -name main.tf | sort | head -1)
    row "one changed file" "$(cd "$dir" && mean -i "$BIN --quiet $one")" "$(rss_mb "$BIN" --quiet "$one")"
  fi
done
