#!/usr/bin/env bash
# Whole-binary benchmarks on generated repositories (issue 7): wall time (hyperfine), files/s,
# MB/s and peak RSS (GNU time) of eks-lint against two floors on the same tree: `cat` of every
# file and a parse-only pass (discovery + read + parse of every file, no analysis). Ends with
# the README's budgets, each computed from this run.
#   scripts/bench.sh [SIZES...]      default: 10 100 1000 (the last size is the "large" repo)
#   RUNS=10 SEED=7 BENCH_DIR=/tmp/eks-lint-bench
# Needs hyperfine and GNU time (Debian: apt-get install -y hyperfine time).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("${@:-10 100 1000}")
read -r -a SIZES <<<"${SIZES[*]}"
SEED=${SEED:-7}
OUT=${BENCH_DIR:-/tmp/eks-lint-bench}
RUNS=${RUNS:-10}
for t in hyperfine /usr/bin/time; do
  command -v "$t" >/dev/null || { echo "missing $t (apt-get install -y hyperfine time)"; exit 1; }
done
cargo build --release --quiet --locked --bin eks-lint --example gen-repo --example parse-only
BIN=$PWD/target/release/eks-lint
GEN=$PWD/target/release/examples/gen-repo
PARSE=$PWD/target/release/examples/parse-only
RESULTS=$(mktemp)
trap 'rm -f "$RESULTS"' EXIT

# mean wall seconds of a command (hyperfine's JSON export); extra env via `env A=B cmd`
mean() {
  local json; json=$(mktemp)
  hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$json" "$1" >/dev/null 2>&1
  python3 -c 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["results"][0]["mean"])' "$json"
  rm -f "$json"
}
rss_mb() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident/ {printf "%.1f", $6/1024}'; }

echo "machine: $(nproc) cores, $(uname -r); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-34s %9s %10s %8s %8s\n' roots measurement seconds files/s MB/s RSS_MB
for n in "${SIZES[@]}"; do
  dir=$OUT/repo-$n
  rm -rf "$dir"; "$GEN" --roots "$n" --seed "$SEED" --out "$dir" 2>/dev/null
  files=$(find "$dir" -type f | wc -l)
  mb=$(find "$dir" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.3f", s/1048576}')
  row() { # key name seconds rss
    echo "$n $1 $3 ${4:--}" >>"$RESULTS"
    awk -v n="$n" -v m="$2" -v s="$3" -v f="$files" -v b="$mb" -v r="${4:--}" \
      'BEGIN {printf "%-6s %-34s %9.4f %10.0f %8.2f %8s\n", n, m, s, f/s, b/s, r}'
  }
  row cat "cat (floor)" "$(mean "sh -c 'find $dir -type f -print0 | xargs -0 cat >/dev/null'")"
  row parse "parse-only (floor)" "$(mean "$PARSE $dir")" "$(rss_mb "$PARSE" "$dir")"
  row default "eks-lint (human output)" "$(mean "$BIN --quiet $dir")" "$(rss_mb "$BIN" --quiet "$dir")"
  row sarif "eks-lint --format sarif" "$(mean "$BIN --format sarif $dir")" "$(rss_mb "$BIN" --format sarif "$dir")"
  for t in 1 2; do
    row "t$t" "eks-lint RAYON_NUM_THREADS=$t" "$(mean "env RAYON_NUM_THREADS=$t $BIN --quiet $dir")" \
      "$(RAYON_NUM_THREADS=$t rss_mb "$BIN" --quiet "$dir")"
    row "p$t" "parse-only RAYON_NUM_THREADS=$t" "$(mean "env RAYON_NUM_THREADS=$t $PARSE $dir")"
  done
  if [ "$n" = "${SIZES[-1]}" ]; then
    # The pre-commit path: one changed file inside the large repository.
    one=$(find "$dir/roots" -name main.tf | sort | awk 'NR == 1')  # reads all: no SIGPIPE under pipefail
    row one "one changed file (pre-commit)" "$(cd "$dir" && mean "$BIN --quiet $one")" "$(rss_mb "$BIN" --quiet "$one")"
  fi
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

big=${SIZES[-1]}
python3 - "$RESULTS" "$big" "${SIZES[@]}" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    n, key, secs, rss = line.split()
    rows[(int(n), key)] = (float(secs), None if rss == "-" else float(rss))
big = int(sys.argv[2]); sizes = [int(s) for s in sys.argv[3:]]
g = lambda n, k: rows[(n, k)][0]
checks = []
checks.append((f"{big} roots: eks-lint <= 2x parse-only", g(big, "default") / g(big, "parse"), "x", lambda v: v <= 2))
checks.append((f"{big} roots: eks-lint <= 1 s", g(big, "default"), "s", lambda v: v <= 1))
checks.append(("one changed file <= 20 ms", g(big, "one") * 1000, "ms", lambda v: v <= 20))
checks.append((f"{big} roots: peak RSS <= 100 MB", rows[(big, "default")][1], "MB", lambda v: v <= 100))
if big // 10 in sizes:
    checks.append((f"{big//10} -> {big} roots (10x): time <= 10.5x", g(big, "default") / g(big // 10, "default"), "x", lambda v: v <= 10.5))
checks.append((f"{big} roots: 2 threads vs 1 >= 1.7x", g(big, "t1") / g(big, "t2"), "x", lambda v: v >= 1.7))
checks.append((f"({big} roots: parse-only 2 threads vs 1, for reference)", g(big, "p1") / g(big, "p2"), "x", lambda v: True))
print("\nbudget                                              measured  verdict")
for name, v, unit, ok in checks:
    print(f"{name:<50} {v:8.2f} {unit:<2} {'met' if ok(v) else 'MISSED'}")
PY
