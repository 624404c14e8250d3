#!/usr/bin/env bash
# The Action's run step. Inputs arrive as environment variables only, never pasted into the
# script: EKS_LINT_PATHS, EKS_LINT_ARGS, EKS_LINT_FAIL_ON, EKS_LINT_SARIF_FILE,
# EKS_LINT_ANNOTATIONS, EKS_LINT_SUMMARY.
#
# `paths` and `args`: a value on one line is split on whitespace (`args: --select EKS1`); a
# value on several lines (a YAML block, `args: |`) is one item per line, so a path or an
# argument may contain spaces (put a flag and its value on separate lines, or use
# `--flag=value`). Blank lines are skipped; leading and trailing whitespace is trimmed.
set -euo pipefail

# split TEXT: the items, into the global array `items`.
split() {
  items=()
  if [[ "$1" == *$'\n'* ]]; then
    local line
    while IFS= read -r line || [ -n "$line" ]; do
      line="${line#"${line%%[![:space:]]*}"}"
      line="${line%"${line##*[![:space:]]}"}"
      [ -z "$line" ] || items+=("$line")
    done <<<"$1"
  else
    read -r -a items <<<"$1" || true
  fi
}

tmp="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
split "${EKS_LINT_PATHS:-}"
paths=(${items[@]+"${items[@]}"})
[ "${#paths[@]}" -gt 0 ] || paths=(.)
split "${EKS_LINT_ARGS:-}"
extra=(${items[@]+"${items[@]}"})
json="$tmp/eks-lint-$$.json"
# `--` keeps a path that starts with "-" a path.
cmd=(eks-lint ${extra[@]+"${extra[@]}"}
  --format json --output "$json"
  --format sarif --output "$EKS_LINT_SARIF_FILE")
case "$EKS_LINT_FAIL_ON" in
  never) cmd+=(--exit-zero) ;;
  *) cmd+=(--fail-on "$EKS_LINT_FAIL_ON") ;;
esac
md=""
if [ "$EKS_LINT_ANNOTATIONS" = "true" ]; then
  cmd+=(--format github)
  # The github format appends the summary itself when GITHUB_STEP_SUMMARY is set.
  [ "$EKS_LINT_SUMMARY" = "true" ] || unset GITHUB_STEP_SUMMARY
elif [ "$EKS_LINT_SUMMARY" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  md="$tmp/eks-lint-$$.md"
  cmd+=(--format markdown --output "$md")
fi
cmd+=(-- "${paths[@]}")
set +e
"${cmd[@]}"
code=$?
set -e
if [ -n "$md" ] && [ -f "$md" ]; then
  head -c 1000000 "$md" >>"$GITHUB_STEP_SUMMARY"
fi
# The JSON report has exactly one "fingerprint" per finding.
findings=0
if [ -f "$json" ]; then
  findings=$(grep -c '"fingerprint": "' "$json" || true)
fi
{
  echo "sarif-file=$EKS_LINT_SARIF_FILE"
  echo "findings=$findings"
  echo "exit-code=$code"
} >>"$GITHUB_OUTPUT"
echo "eks-lint: $findings finding(s), exit code $code"
exit "$code"
