#!/usr/bin/env bash
# Run every cargo-fuzz target (fuzz/fuzz_targets) for a fixed time and report executions.
#   scripts/fuzz.sh [TARGET...]         default: all targets
#   FUZZ_SECONDS=600 (per target)  FUZZ_JOBS=1 (targets run at once)
#   FUZZ_SECONDS=0: no fuzzing, only replay the seeds and fuzz/regressions/ (what CI runs)
# Needs only the Rust toolchain: cargo-fuzz is installed if missing, and RUSTC_BOOTSTRAP=1
# lets stable rustc take the sanitizer-coverage flags. Seeds come from testdata/. A crash
# leaves its input in fuzz/artifacts/TARGET/; fix it, add a unit test beside the code, and
# copy the input to fuzz/regressions/TARGET/ (replayed on every run, and in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
export RUSTC_BOOTSTRAP=1
SECONDS_PER=${FUZZ_SECONDS:-600}
JOBS=${FUZZ_JOBS:-1}
ALL=(terraform_module tfvars eksctl_yaml configuration_values cli capacity output_invariants)
TARGETS=("${@:-${ALL[@]}}")
read -r -a TARGETS <<<"${TARGETS[*]}"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
# Release build with debug assertions: integer overflow panics like in tests. No sanitizer:
# the crate forbids unsafe code, and uninstrumented code runs several times more inputs.
FLAGS=(-O -a -s none)
cargo fuzz build "${FLAGS[@]}"

seeds=fuzz/seeds
rm -rf "$seeds"
mkdir -p "$seeds"/{terraform_module,tfvars,eksctl_yaml,configuration_values,cli,capacity,output_invariants}
n=0
# One seed per testdata file, with the selector byte the target expects (0 = HCL, 1 = JSON).
while IFS= read -r -d '' f; do
  n=$((n + 1))
  case "$f" in
    *.tfvars.json) { printf '\001'; cat "$f"; } >"$seeds/tfvars/$n" ;;
    *.tfvars) { printf '\000'; cat "$f"; } >"$seeds/tfvars/$n" ;;
    *.tf.json) { printf '\001'; cat "$f"; } >"$seeds/terraform_module/$n" ;;
    *.tf) { printf '\000'; cat "$f"; } >"$seeds/terraform_module/$n" ;;
    *.yaml | *.yml) cp "$f" "$seeds/eksctl_yaml/$n" ;;
  esac
  # output_invariants: selector (0 .tf, 1 .tf.json, 2 .yaml), a hostile file name, NUL, text.
  case "$f" in
    *.tf.json) sel='\001' ;;
    *.tf) sel='\000' ;;
    *.yaml | *.yml) sel='\002' ;;
    *) sel= ;;
  esac
  if [ -n "$sel" ]; then
    { printf "$sel"; printf 'x\n::error::y\033]8;;http://e\a<img>@o/t![a](b)|\302\233\357\277\276'; printf '\000'; cat "$f"; } >"$seeds/output_invariants/$n"
  fi
done < <(find testdata -type f -size -64k -print0)
# A finding past column 65 535 of a minified .tf.json (miette's limit).
{
  printf '\001min\000{"locals":{"pad":"'
  head -c 70000 /dev/zero | tr '\0' x
  printf '%s' '"},"resource":{"aws_vpc":{"main":{"cidr_block":"10.0.0.0/16"}},"aws_subnet":{"a":{"vpc_id":"${aws_vpc.main.id}","cidr_block":"10.0.0.0/28","availability_zone":"us-east-1a"}},"aws_eks_cluster":{"this":{"name":"c\u001b[2J","vpc_config":{"subnet_ids":["${aws_subnet.a.id}"]}}},"aws_eks_node_group":{"ng":{"cluster_name":"${aws_eks_cluster.this.name}","node_group_name":"ng\n::error::x","subnet_ids":["${aws_subnet.a.id}"],"instance_types":["m5.large"],"scaling_config":{"min_size":1,"max_size":30}}}}}'
} >"$seeds/output_invariants/long-line"
printf '%s' '{"env":{"WARM_IP_TARGET":"5","MINIMUM_IP_TARGET":"30"}}' >"$seeds/configuration_values/1"
printf 'env:\n  ENABLE_PREFIX_DELEGATION: "true"\n  WARM_PREFIX_TARGET: "1"\n' >"$seeds/configuration_values/2"
printf '%s' '{"env":{"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG":"true","ENI_CONFIG_LABEL_DEF":"topology.kubernetes.io/zone"}}' >"$seeds/configuration_values/3"
printf 'check\0--isolated\0--select\0EKS1\0--ignore\0EKS104\0--format\0sarif\0--output\0out.sarif\0--format\0human' >"$seeds/cli/1"
printf 'capacity\0--env\0WARM_IP_TARGET=5\0--pods-per-node\0110\0.' >"$seeds/cli/2"
printf 'instance\0m5.large\0--env\0ENABLE_PREFIX_DELEGATION=true' >"$seeds/cli/3"
printf -- '--isolated\0--var\0x=1\0--var-file\0prod.tfvars\0--fail-on\0warning\0--exit-zero' >"$seeds/cli/4"

printf '%-22s %10s %12s %8s %s\n' target seconds executions exec/s result
run() {
  local t=$1 log corpus dict=()
  log=$(mktemp)
  corpus=fuzz/corpus/$t
  mkdir -p "$corpus" "fuzz/artifacts/$t"
  [ -f "fuzz/dict/$t.dict" ] && dict=(-dict="fuzz/dict/$t.dict")
  # Text targets get inputs past 64 KiB: miette's column limit sits at 65 535 (issue 12).
  local max_len=262144
  case "$t" in cli | capacity) max_len=65536 ;; esac
  local rc=0 dirs=("$corpus" "$seeds/$t") limit=(-max_total_time="$SECONDS_PER")
  [ -d "fuzz/regressions/$t" ] && dirs+=("fuzz/regressions/$t")
  [ "$SECONDS_PER" = 0 ] && limit=(-runs=0)
  cargo fuzz run "${FLAGS[@]}" "$t" "${dirs[@]}" -- \
    "${limit[@]}" -timeout=5 -rss_limit_mb=1024 -max_len="$max_len" \
    -print_final_stats=1 "${dict[@]}" >"$log" 2>&1 || rc=$?
  local execs rate
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log" | tail -1)
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$log" | tail -1)
  if [ "$rc" = 0 ]; then result=ok; else result="FAILED (log: $log)"; fi
  printf '%-22s %10s %12s %8s %s\n' "$t" "$SECONDS_PER" "${execs:-?}" "${rate:-?}" "$result"
  [ "$rc" = 0 ] && rm -f "$log"
  return "$rc"
}
status=0
running=0
for t in "${TARGETS[@]}"; do
  run "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
exit "$status"
