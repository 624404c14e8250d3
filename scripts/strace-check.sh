#!/usr/bin/env bash
# Run eks-lint over testdata/ under strace and fail on any network system call or any exec
# beyond the process itself (issue 8). Usage: scripts/strace-check.sh [path/to/eks-lint]
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-}"
if [ -z "$bin" ]; then
  for b in target/release/eks-lint target/debug/eks-lint; do
    [ -x "$b" ] && bin="$b" && break
  done
fi
[ -n "$bin" ] && [ -x "$bin" ] || { echo "build eks-lint first (cargo build)" >&2; exit 2; }
if ! command -v strace >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y strace >/dev/null 2>&1 || { $sudo apt-get update -q && $sudo apt-get install -y strace >/dev/null; }
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
set +e
strace -f -qq -e trace=network,execve -o "$log" "$bin" check --format concise testdata >/dev/null 2>&1
code=$?
set -e
echo "eks-lint exit code: $code (findings are expected in testdata)"
echo "--- strace -f -e trace=network,execve ---"
cat "$log"
echo "---"
execs=$(grep -c 'execve(' "$log" || true)
net=$(grep -Ec '(socket|connect|bind|listen|accept4?|sendto|sendmsg|recvfrom|recvmsg|getsockopt|setsockopt|socketpair)\(' "$log" || true)
echo "execve calls: $execs (1 expected: the binary itself); network calls: $net (0 expected)"
[ "$code" -le 2 ] || { echo "FAIL: eks-lint crashed (exit $code)"; exit 1; }
[ "$execs" -eq 1 ] || { echo "FAIL: unexpected process execution"; exit 1; }
[ "$net" -eq 0 ] || { echo "FAIL: network system calls"; exit 1; }
echo "OK: no network access, no process execution"
