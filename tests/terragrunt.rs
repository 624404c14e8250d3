//! Terragrunt units on hostile or odd input (issue 16): what cannot be read is a note, never a
//! crash, a hang or a false finding; a broken file is an EKS903 at its location.

mod common;
use common::{case, run_env, scaling, tf_cluster};
use std::time::{Duration, Instant};

/// A module under `modules/c` whose node group's max size is `var.nodes` (default 1): one
/// /24 subnet holds 12 m5.large nodes at one pod (251 usable / 20 per node).
fn module() -> String {
    format!(
        "variable \"nodes\" {{\n  type = number\n  default = 1\n}}\n{}",
        tf_cluster("10.0.0.0/24", &scaling("var.nodes"))
    )
}

fn run(dir: &std::path::Path) -> common::Outcome {
    run_env(dir, &["--format", "concise", "--isolated", "."], &[])
}

#[test]
fn inputs_reach_the_module_and_a_broken_unit_is_reported_where_it_breaks() {
    let m = module();
    let dir = case(&[
        ("modules/c/main.tf", m.as_bytes()),
        (
            "live/a/terragrunt.hcl",
            b"terraform {\n  source = \"../../modules//c\"\n}\ninputs = {\n  nodes = 40\n}\n",
        ),
        ("live/b/terragrunt.hcl", b"inputs = {\n  nodes = = 3\n}\n"),
    ]);
    let o = run(dir.path());
    assert_eq!(o.code, Some(1), "{}", o.out);
    assert!(
        o.stdout.contains("grow to 40") && o.stdout.contains("hold 12"),
        "{}",
        o.out
    );
    assert!(o.stdout.contains("live/b/terragrunt.hcl:2:"), "{}", o.out);
    assert!(o.stdout.contains("error[EKS903]"), "{}", o.out);
}

#[test]
fn self_reading_and_self_including_files_are_bounded() {
    let m = module();
    let dir = case(&[
        ("modules/c/main.tf", m.as_bytes()),
        (
            "live/a/terragrunt.hcl",
            b"include \"me\" {\n  path = \"terragrunt.hcl\"\n}\nlocals {\n  me = read_terragrunt_config(\"terragrunt.hcl\")\n  n = local.me.locals.n\n}\nterraform {\n  source = \"../../modules/c\"\n}\ninputs = {\n  nodes = 40\n  other = local.me\n}\n",
        ),
    ]);
    let t = Instant::now();
    let o = run(dir.path());
    assert!(
        t.elapsed() < Duration::from_secs(20),
        "took {:?}",
        t.elapsed()
    );
    assert_ne!(o.code, Some(2), "{}", o.out);
    assert!(o.stdout.contains("grow to 40"), "{}", o.out);
}

#[test]
fn files_outside_the_scan_are_not_read_and_remote_sources_are_noted() {
    let m = module();
    let outside = case(&[("secret.hcl", b"locals {\n  nodes = 99\n}\n")]);
    let secret = outside.path().join("secret.hcl");
    let unit = format!(
        "locals {{\n  s = read_terragrunt_config(\"{}\")\n}}\ninclude {{\n  path = \"{}\"\n}}\nterraform {{\n  source = \"../../modules/c\"\n}}\ninputs = {{\n  nodes = local.s.locals.nodes\n}}\n",
        secret.display(),
        secret.display()
    );
    let dir = case(&[
        ("modules/c/main.tf", m.as_bytes()),
        ("live/a/terragrunt.hcl", unit.as_bytes()),
        (
            "live/r/terragrunt.hcl",
            b"terraform {\n  source = \"git::https://example.com/m.git//eks?ref=v1\"\n}\n",
        ),
    ]);
    let o = run(dir.path());
    assert_ne!(o.code, Some(2), "{}", o.out);
    // 99 would be an EKS101; the value is unknown instead, and the include is noted.
    assert!(!o.stdout.contains("grow to 99"), "{}", o.out);
    assert!(o.stdout.contains("is not read"), "{}", o.out);
    assert!(o.stdout.contains("remote module"), "{}", o.out);
}

#[test]
fn a_skipped_unit_is_not_run() {
    let m = module();
    let unit = |skip: &str| {
        format!("skip = {skip}\nterraform {{\n  source = \"../../modules//c\"\n}}\ninputs = {{\n  nodes = 40\n}}\n")
    };
    for (skip, code) in [("true", 0), ("false", 1)] {
        let u = unit(skip);
        let dir = case(&[
            ("modules/c/main.tf", m.as_bytes()),
            ("live/a/terragrunt.hcl", u.as_bytes()),
        ]);
        let o = run(dir.path());
        assert_eq!(o.code, Some(code), "skip = {skip}: {}", o.out);
    }
}
