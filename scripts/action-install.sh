#!/usr/bin/env bash
# The Action's install step: put eks-lint on PATH in seconds.
#   1. the runner's tool cache (RUNNER_TOOL_CACHE/eks-lint/<version>/<arch>), if a previous job
#      of this runner installed the version;
#   2. else the release archive for this platform, verified against the release's SHA256SUMS
#      (a mismatch fails the step: a tampered archive is never run, and never "fixed" by a
#      fallback);
#   3. only when no release exists for the version (HTTP 404), or the version is not a release
#      (the Action used at a branch or commit): `cargo install --locked` from the Action's own
#      source.
# Inputs (environment): EKS_LINT_VERSION (the `version` input; empty: the Action's own ref),
# EKS_LINT_ACTION_REF, GITHUB_ACTION_PATH, GITHUB_PATH, RUNNER_TEMP, RUNNER_TOOL_CACHE, and
# EKS_LINT_RELEASES_URL (where releases are downloaded from; default GitHub's, for mirrors and
# for CI's test against a local server).
set -euo pipefail

releases="${EKS_LINT_RELEASES_URL:-https://github.com/eks-lint/eks-lint/releases/download}"
tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
fail() { echo "::error title=eks-lint install::$1"; exit 1; }

from_source() {
  echo "$1: building eks-lint from the Action's source (cargo install --locked)"
  command -v cargo >/dev/null 2>&1 ||
    fail "no release archive to download and no cargo to build from source; set the version input to a released version"
  local root="$tmp/eks-lint-install"
  cargo install --locked --path "$GITHUB_ACTION_PATH" --root "$root"
  echo "$root/bin" >>"$GITHUB_PATH"
}

version="${EKS_LINT_VERSION:-}"
if [ -z "$version" ]; then
  case "${EKS_LINT_ACTION_REF:-}" in
    v[0-9]*.[0-9]*.[0-9]*) version="$EKS_LINT_ACTION_REF" ;;
  esac
fi
if [ -z "$version" ]; then
  if command -v eks-lint >/dev/null 2>&1; then
    echo "Using $(command -v eks-lint): $(eks-lint --version)"
    exit 0
  fi
  from_source "the Action is used at '${EKS_LINT_ACTION_REF:-an unknown ref}', not a release tag"
  exit 0
fi
case "$version" in
  v[0-9]*.[0-9]*.[0-9]* | [0-9]*.[0-9]*.[0-9]*) ;;
  *) fail "version '$version' is not a release version (like 1.2.3 or v1.2.3)" ;;
esac
# Characters a version may contain, before it reaches a URL or a path.
case "$version" in *[!0-9A-Za-z.+-]*) fail "version '$version' has characters a release version does not" ;; esac
tag="v${version#v}"

exe=eks-lint
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=x86_64-unknown-linux-musl ;;
  Linux-aarch64 | Linux-arm64) target=aarch64-unknown-linux-musl ;;
  Darwin-x86_64) target=x86_64-apple-darwin ;;
  Darwin-arm64) target=aarch64-apple-darwin ;;
  MINGW*-x86_64 | MSYS*-x86_64 | CYGWIN*-x86_64) target=x86_64-pc-windows-msvc exe=eks-lint.exe ;;
  *) from_source "no release archive for $(uname -s) $(uname -m)"; exit 0 ;;
esac
case "$target" in *windows*) archive="eks-lint-$target.zip" ;; *) archive="eks-lint-$target.tar.gz" ;; esac

# The tool-cache layout of actions/toolkit: <tool>/<version>/<arch>, complete when <arch>.complete exists.
cache="${RUNNER_TOOL_CACHE:-$tmp/tool-cache}/eks-lint/${tag#v}/$(uname -m)"
if [ -f "$cache.complete" ] && [ -x "$cache/$exe" ]; then
  echo "eks-lint $tag from the tool cache ($cache)"
  echo "$cache" >>"$GITHUB_PATH"
  exit 0
fi

work="$(mktemp -d "$tmp/eks-lint-download.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# get URL FILE: 0 when downloaded, 4 when the release or asset does not exist, else fail.
get() {
  local code
  code="$(curl -sSL --retry 3 --proto '=https,http' -o "$2" -w '%{http_code}' "$1")" ||
    fail "could not download $1"
  case "$code" in
    200) return 0 ;;
    404) return 4 ;;
    *) fail "downloading $1 answered HTTP $code" ;;
  esac
}
if ! get "$releases/$tag/SHA256SUMS" "$work/SHA256SUMS" || ! get "$releases/$tag/$archive" "$work/$archive"; then
  from_source "no release $tag with $archive at $releases"
  exit 0
fi

expected="$(awk -v f="$archive" '$2 == f || $2 == "*" f { print $1; exit }' "$work/SHA256SUMS")"
[ -n "$expected" ] || fail "SHA256SUMS of $tag has no line for $archive"
if command -v sha256sum >/dev/null 2>&1; then
  actual="$(sha256sum "$work/$archive" | cut -d' ' -f1)"
else
  actual="$(shasum -a 256 "$work/$archive" | cut -d' ' -f1)"
fi
[ "$actual" = "$expected" ] ||
  fail "checksum mismatch for $archive of $tag: SHA256SUMS says $expected, the download is $actual; not installing it"

mkdir -p "$work/x"
case "$archive" in
  *.zip) unzip -q "$work/$archive" -d "$work/x" ;;
  *) tar -xzf "$work/$archive" -C "$work/x" ;;
esac
# The binary is at the archive's root, or in its one top-level directory.
bin="$(find "$work/x" -maxdepth 2 -type f -name "$exe" | head -n 1)"
[ -n "$bin" ] || fail "$archive of $tag holds no $exe"
rm -rf "$cache"
mkdir -p "$cache"
cp "$bin" "$cache/$exe"
chmod +x "$cache/$exe"
touch "$cache.complete"
echo "eks-lint $tag installed from $archive (sha256 $actual) into $cache"
echo "$cache" >>"$GITHUB_PATH"
