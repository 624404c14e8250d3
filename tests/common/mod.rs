//! Harness shared by the suites that run the built binary on generated hostile input
//! (`tests/adversarial.rs`, `tests/hostile/`): run with a hang guard, measure wall time and peak
//! RSS, and report them.
//!
//! The time and memory bounds (2 s and 200 MB) are asserted only when `EKS_LINT_BOUNDS=1`:
//! `scripts/bounds.sh` runs these suites that way on a release build, one case at a time, and
//! CI runs that script. Plain `cargo test` asserts outcomes, not timings (a loaded machine or an
//! unoptimised build must not make it fail); the hang guard still kills a run after a minute.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_eks-lint");
/// The wall-time bound (issues 8 and 12), for release builds.
pub const MAX_WALL: Duration = Duration::from_secs(2);
pub const MAX_RSS_KB: u64 = 200 * 1024;
/// A hang is killed here (well above `MAX_WALL`, so the failure says what happened).
const KILL_AFTER: Duration = Duration::from_secs(60);

pub struct Outcome {
    pub code: Option<i32>,
    /// stdout then stderr.
    pub out: String,
    pub stdout: String,
    pub stderr: String,
    pub wall: Duration,
    /// Peak resident set (VmHWM) seen while polling; 0 when /proc is not available.
    pub peak_kb: u64,
}

pub fn vm_hwm(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

pub fn run_in(cwd: &Path, args: &[&str]) -> Outcome {
    run_env(cwd, args, &[])
}

/// `run_in` with extra environment variables (`GITHUB_ACTIONS`, limits, ...). The variables of
/// the test process that change output (`GITHUB_*`, `TF_VAR_*`) are removed first.
pub fn run_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let start = Instant::now();
    let mut cmd = Command::new(BIN);
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        if k.starts_with("GITHUB_") || k.starts_with("TF_VAR_") || k.starts_with("EKS_LINT_") {
            cmd.env_remove(&*k);
        }
    }
    let mut child = cmd
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn eks-lint");
    let pid = child.id();
    // Drain the pipes on threads so a large output cannot block the child.
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let to = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = so.read_to_end(&mut b);
        b
    });
    let te = std::thread::spawn(move || {
        let mut b = Vec::new();
        let _ = se.read_to_end(&mut b);
        b
    });
    let mut peak = 0;
    let status = loop {
        if let Some(k) = vm_hwm(pid) {
            peak = peak.max(k);
        }
        match child.try_wait().expect("wait") {
            Some(s) => break s,
            None if start.elapsed() > KILL_AFTER => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("eks-lint {args:?} hung (killed after {KILL_AFTER:?})");
            }
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    };
    let wall = start.elapsed();
    let stdout = String::from_utf8_lossy(&to.join().unwrap()).into_owned();
    let stderr = String::from_utf8_lossy(&te.join().unwrap()).into_owned();
    Outcome {
        code: status.code(),
        out: format!("{stdout}{stderr}"),
        stdout,
        stderr,
        wall,
        peak_kb: peak,
    }
}

/// Run `eks-lint check --format concise .` in `dir` and check the resource bounds.
pub fn check(name: &str, dir: &Path) -> Outcome {
    check_within(name, dir, MAX_WALL)
}

pub fn check_within(name: &str, dir: &Path, max_wall: Duration) -> Outcome {
    let o = run_in(dir, &["check", "--format", "concise", "."]);
    assert_bounded(name, &o, max_wall);
    o
}

/// Run the binary with `args` and `env` in `dir` and assert the time, memory and no-crash
/// bounds.
pub fn bounded(name: &str, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Outcome {
    let o = run_env(dir, args, env);
    assert_bounded(name, &o, MAX_WALL);
    o
}

pub fn assert_bounded(name: &str, o: &Outcome, max_wall: Duration) {
    eprintln!(
        "{name}: exit {:?}, {:.3} s, peak RSS {} KB",
        o.code,
        o.wall.as_secs_f64(),
        o.peak_kb
    );
    assert!(
        !o.out.contains("internal error") && !o.out.contains("panicked"),
        "{name}: crashed\n{}",
        o.out
    );
    if std::env::var_os("EKS_LINT_BOUNDS").as_deref() != Some(std::ffi::OsStr::new("1")) {
        return;
    }
    assert!(
        o.wall < max_wall,
        "{name}: took {:?} (limit {max_wall:?})\n{}",
        o.wall,
        o.out
    );
    assert!(
        o.peak_kb < MAX_RSS_KB,
        "{name}: peak RSS {} KB (limit {MAX_RSS_KB} KB)",
        o.peak_kb
    );
}

pub fn case(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

pub fn expect(o: &Outcome, code: i32, needle: &str) {
    assert_eq!(o.code, Some(code), "{}", o.out);
    assert!(o.out.contains(needle), "expected `{needle}` in:\n{}", o.out);
}

/// A Terraform cluster of one subnet and one managed node group, with the subnet's CIDR and
/// the node group's scaling block given.
pub fn tf_cluster(subnet_cidr: &str, scaling: &str) -> String {
    tf_cluster_named(subnet_cidr, "\"ng\"", scaling)
}

/// [`tf_cluster`] with the node group's name given as an HCL expression (a value the input
/// controls, so findings quote it).
pub fn tf_cluster_named(subnet_cidr: &str, name: &str, scaling: &str) -> String {
    format!(
        r#"resource "aws_vpc" "main" {{
  cidr_block = "10.0.0.0/16"
}}
resource "aws_subnet" "a" {{
  vpc_id            = aws_vpc.main.id
  cidr_block        = "{subnet_cidr}"
  availability_zone = "us-east-1a"
}}
resource "aws_eks_cluster" "this" {{
  name     = "adv"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {{
    subnet_ids = [aws_subnet.a.id]
  }}
}}
resource "aws_eks_node_group" "ng" {{
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = {name}
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.large"]
  scaling_config {{
{scaling}
  }}
}}
"#
    )
}

/// `scaling_config` with the given max size (an HCL expression).
pub fn scaling(max_size: &str) -> String {
    format!("    min_size     = 1\n    desired_size = 2\n    max_size     = {max_size}")
}

pub const SCALING: &str = "    min_size = 1\n    desired_size = 2\n    max_size = 3";

pub fn eksctl(extra_ng: &str, addon_env: &str) -> String {
    format!(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: adv\n  region: us-west-2\n\
availabilityZones: [us-west-2a, us-west-2b]\nmanagedNodeGroups:\n  - name: ng\n    instanceType: m5.large\n    maxSize: 5\n{extra_ng}\
addons:\n  - name: vpc-cni\n    configurationValues: |-\n      {{\"env\": {{{addon_env}}}}}\n"
    )
}
