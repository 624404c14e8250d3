#!/usr/bin/env bash
# Time and memory bounds of the hostile-input suites (issues 8 and 12): every case of
# tests/adversarial.rs and tests/hostile/ must finish within 2 s and 200 MB peak RSS on a
# release build. Plain `cargo test` checks the outcomes only (no timings in unit tests); this
# script asserts the bounds, one case at a time so cases do not share the cores, and prints
# each case's figures. CI runs it. Usage: scripts/bounds.sh [test-name-filter]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export EKS_LINT_BOUNDS=1
# Every case prints one `NAME: exit .., S s, peak RSS K KB` line; fewer lines than this (the
# count when the floor was set) without a filter means cases stopped running, and the
# bounds would pass by checking nothing.
MIN_CASES=247
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
cargo test --release --locked --test adversarial --test hostile -- --test-threads=1 --nocapture "$@" 2>&1 | tee "$log" | { grep -E '^test result|FAILED|panicked' || true; } || status=$?
# The worst cases, for the issue notes.
echo "slowest cases (release, one at a time):"
grep -E ': exit .*, [0-9.]+ s, peak RSS' "$log" | awk -F', ' '{split($2,a," "); print a[1] "\t" $0}' | sort -g -r | sed -n '1,5p' | cut -f2- || true
echo "largest peak RSS:"
grep -E ': exit .*, [0-9.]+ s, peak RSS' "$log" | awk '{print $(NF-1) "\t" $0}' | sort -g -r | sed -n '1,5p' | cut -f2- || true
cases="$(grep -cE ': exit .*, [0-9.]+ s, peak RSS' "$log" || true)"
echo "$cases bounded cases"
if [ "$status" -ne 0 ]; then
  echo "cargo test failed (exit $status)" >&2
  exit 1
fi
if { [ $# -eq 0 ] && [ "$cases" -lt "$MIN_CASES" ]; } || [ "$cases" -eq 0 ]; then
  echo "only $cases bounded cases ran (at least $MIN_CASES without a filter)" >&2
  exit 1
fi
! grep -qE '^test result: FAILED|panicked' "$log"
