#!/usr/bin/env bash
# Install paths a user takes (issue 17), tested end to end:
#   - the MSRV in Cargo.toml equals what the locked dependencies need (scripts/msrv.py);
#   - the Python wheel (maturin) installs into a fresh virtualenv and runs;
#   - the GitHub Action installs a release archive served from 127.0.0.1 after checking it
#     against SHA256SUMS, reuses its tool cache, refuses a tampered archive and builds from
#     source only when the release does not exist;
#   - the Action's multi-line `paths`/`args` and its SARIF and annotation on a configuration
#     error.
# Usage: .ci/install-checks.sh SCRATCH_DIR PYTHON_VENV   (called by .ci/run; needs node, curl)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SCRATCH="$1"
VENV="$2"
step() { printf '\n==> %s\n' "$*"; }
check_json() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    if (!(eval(process.argv[2]))) { console.error("FAILED: " + process.argv[3]); console.error(JSON.stringify(r, null, 2).slice(0, 4000)); process.exit(1); }
  ' "$1" "$2" "$3"
}
# Release builds share one target directory (the caller's CARGO_TARGET_DIR).
TARGET_DIR="$(cargo metadata --locked --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"

step "MSRV: Cargo.toml rust-version equals the locked dependencies' minimum"
python3 scripts/msrv.py

step "Python wheel (maturin): build, install into a fresh virtualenv, run"
MATURIN_VERSION=1.16.0
"$VENV/bin/pip" install --quiet --disable-pip-version-check "maturin==$MATURIN_VERSION"
wheels="$SCRATCH/wheels"
start=$(date +%s)
"$VENV/bin/maturin" build --release --locked --out "$wheels" --quiet 2>&1 | tail -n 3
echo "wheel built in $(( $(date +%s) - start )) s: $(ls "$wheels")"
fresh="$SCRATCH/wheel-venv"
python3 -m venv "$fresh"
start=$(date +%s)
"$fresh/bin/pip" install --quiet --disable-pip-version-check --no-index --find-links "$wheels" eks-lint
echo "wheel installed in $(( $(date +%s) - start )) s"
"$fresh/bin/eks-lint" --version
set +e
"$fresh/bin/eks-lint" --quiet --format concise testdata/outputs/capacity >/dev/null
got=$?
set -e
[ "$got" -eq 1 ] || { echo "the wheel's eks-lint exited $got on testdata/outputs/capacity, expected 1" >&2; exit 1; }
echo "wheel: eks-lint runs (exit 1 on the failing case, as expected)"
# The sdist must hold every path dependency (the vendored YAML scanner), or pip builds fail.
"$VENV/bin/maturin" sdist --out "$SCRATCH/sdist" 2>&1 | tail -n 1
for dep in $(cargo metadata --locked --format-version 1 | python3 -c '
import json, os, sys
m = json.load(sys.stdin)
root = os.path.dirname(m["workspace_root"] + "/")
for p in m["packages"]:
    if p["source"] is None and not p["manifest_path"].startswith(root + "/Cargo.toml"):
        print(os.path.relpath(p["manifest_path"], root))
'); do
  # Listed to a file first: `grep -q` stops reading early, and under pipefail the SIGPIPE
  # that tar then gets would fail the check.
  tar tzf "$SCRATCH"/sdist/*.tar.gz > "$SCRATCH/sdist.list"
  grep -q "/$dep\$" "$SCRATCH/sdist.list" || { echo "the sdist lacks $dep (pyproject.toml include)" >&2; exit 1; }
  echo "sdist holds $dep"
done

step "GitHub Action: install from a release served on 127.0.0.1"
BIN="$TARGET_DIR/release/eks-lint"
[ -x "$BIN" ] || cargo build --locked --release --quiet --bin eks-lint
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  *) echo "no release target for $(uname -s) $(uname -m)" >&2; exit 1 ;;
esac
srv="$SCRATCH/releases"
archive="eks-lint-$target.tar.gz"
# v0.1.0: a good release; v0.1.1: an archive that does not match its SHA256SUMS.
for tag in v0.1.0 v0.1.1; do
  mkdir -p "$srv/$tag/pkg"
  cp "$BIN" "$srv/$tag/pkg/eks-lint"
  tar -czf "$srv/$tag/$archive" -C "$srv/$tag/pkg" eks-lint
  (cd "$srv/$tag" && sha256sum "$archive" >SHA256SUMS)
  rm -rf "$srv/$tag/pkg"
done
printf 'tampered' >>"$srv/v0.1.1/$archive"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$srv" "$port" >"$SCRATCH/http.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
export EKS_LINT_RELEASES_URL="http://127.0.0.1:$port"
export RUNNER_TOOL_CACHE="$SCRATCH/tool-cache"
work="$SCRATCH/action-download"
mkdir -p "$work"
cp -r testdata/outputs/capacity/. "$work/"
rm -rf "$work/snapshots"
# No eks-lint and no cargo on PATH: only the download can succeed.
nocargo="/usr/bin:/bin"
action() { # NAME [input=value ...]
  local name=$1
  shift
  env PATH="$nocargo" "$VENV/bin/python" .ci/run-action.py "$ROOT" "$work" "$SCRATCH/$name.json" "$@"
}
start=$(date +%s%N)
RUN_ACTION_REF=v0.1.0 action download sarif-file=out.sarif
echo "release download and install: $(( ($(date +%s%N) - start) / 1000000 )) ms (Action's two steps, one case)"
check_json "$SCRATCH/download.json" 'r.failed_step === "run" && r.exit_code === 1 && r.log.includes("installed from '"$archive"'") && r.outputs.findings > 0' \
  "the Action's own tag (v0.1.0) selects the release, which is verified, installed and run"
check_json "$work/out.sarif" 'r.version === "2.1.0"' "SARIF written by the downloaded binary"
action cached version=0.1.0
check_json "$SCRATCH/cached.json" 'r.failed_step === "run" && r.log.includes("from the tool cache")' "a second job uses the tool cache"
action tampered version=v0.1.1
check_json "$SCRATCH/tampered.json" 'r.failed_step === "install" && r.log.includes("checksum mismatch") && !r.log.includes("installed from")' \
  "a tampered archive is refused and never run"
[ ! -e "$RUNNER_TOOL_CACHE/eks-lint/0.1.1" ] || { echo "the tampered archive reached the tool cache" >&2; exit 1; }
action missing version=9.9.9
check_json "$SCRATCH/missing.json" 'r.failed_step === "install" && r.log.includes("no release v9.9.9") && r.log.includes("no cargo")' \
  "a version without a release falls back to building from source (here: no cargo, so a clear error)"
grep -q 'GET /v0.1.0/SHA256SUMS' "$SCRATCH/http.log" || { echo "the server saw no checksum download" >&2; exit 1; }
echo "action download path: ok (verified install, tool cache, tampered archive refused, missing release)"

step "GitHub Action: multi-line paths and args, SARIF and annotation on a configuration error"
mkdir -p "$SCRATCH/bin"
cp "$BIN" "$SCRATCH/bin/eks-lint"
nocargo="$SCRATCH/bin:/usr/bin:/bin"
work="$SCRATCH/action-multiline"
mkdir -p "$work/my infra"
cp -r testdata/outputs/capacity/. "$work/my infra/"
rm -rf "$work/my infra/snapshots"
action multiline "paths=my infra
" "args=--select
EKS101
" sarif-file=ml.sarif
check_json "$SCRATCH/multiline.json" 'r.exit_code === 1 && r.outputs.findings > 0' "a path with a space, one per line"
check_json "$work/ml.sarif" 'r.runs[0].results.length > 0 && r.runs[0].results.every(x => x.ruleId === "EKS101")' \
  "args one per line: --select EKS101 applied"
work="$SCRATCH/action-config-error"
mkdir -p "$work"
cp -r testdata/outputs/capacity/. "$work/"
rm -rf "$work/snapshots"
printf 'select = ["EKS1O1"]\n' >"$work/eks-lint.toml"
action config-error sarif-file=err.sarif
check_json "$SCRATCH/config-error.json" 'r.failed_step === "run" && r.outputs["exit-code"] === "2" && r.log.includes("::error file=eks-lint.toml,line=1,col=11")' \
  "a configuration error fails the step with exit 2 and an annotation on the file"
check_json "$work/err.sarif" 'r.runs[0].invocations[0].executionSuccessful === false && r.runs[0].invocations[0].toolConfigurationNotifications[0].message.text.includes("EKS1O1")' \
  "a configuration error still writes a SARIF log, with the error as a tool notification"
echo "action inputs and configuration errors: ok"
