//! Plan and state documents through the library (issue 18): auto-detection in a scanned tree,
//! the overlay by address, and the bounds on hostile documents.

use eks_lint::model::Value;
use eks_lint::{check, MemFs, Report, Settings};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAIN: &str = r#"
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}

resource "aws_subnet" "a" {
  vpc_id            = data.aws_vpc.shared.id
  availability_zone = "eu-west-1a"
  cidr_block        = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 1)
}

resource "aws_eks_node_group" "ng" {
  cluster_name   = "c"
  node_role_arn  = "arn:aws:iam::111122223333:role/node"
  subnet_ids     = [aws_subnet.a.id]
  instance_types = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}
"#;

const STATE: &str = r#"{"format_version": "1.0", "terraform_version": "1.9.0", "values": {"root_module": {"resources": [
  {"address": "data.aws_vpc.shared", "mode": "data", "type": "aws_vpc", "name": "shared",
   "values": {"id": "vpc-1", "cidr_block": "10.9.0.0/16"}}]}}}"#;

fn run(files: &[(&str, &str)], tweak: impl FnOnce(&mut Settings)) -> Report {
    let root = PathBuf::from("/repo");
    let mut fs = MemFs::new();
    for (name, text) in files {
        fs.insert(root.join(name), *text);
    }
    let mut settings = Settings {
        base_dir: Some(root.clone()),
        vfs: Arc::new(fs),
        ..Settings::default()
    };
    tweak(&mut settings);
    check(&[root], &settings)
}

fn subnet_cidr(r: &Report) -> Option<String> {
    let s = r.clusters.first()?.subnets.first()?;
    match &s.cidr {
        Value::Known(c, _) => Some(c.text.clone()),
        _ => None,
    }
}

#[test]
fn a_scanned_state_fills_a_data_source_by_address() {
    let without = run(&[("main.tf", MAIN)], |_| {});
    assert_eq!(subnet_cidr(&without), None);
    let with = run(&[("main.tf", MAIN), ("state.json", STATE)], |_| {});
    assert_eq!(subnet_cidr(&with).as_deref(), Some("10.9.1.0/24"));
    assert!(with.input_errors.is_empty(), "{:?}", with.input_errors);
    // Another kind of JSON beside it is not read as a plan, and is no error.
    let other = run(
        &[("main.tf", MAIN), ("package.json", r#"{"name": "x"}"#)],
        |_| {},
    );
    assert!(other.input_errors.is_empty());
    assert_eq!(subnet_cidr(&other), None);
}

#[test]
fn a_plan_over_the_size_limit_is_an_input_error() {
    let r = run(&[("main.tf", MAIN), ("state.json", STATE)], |s| {
        s.limits.max_plan_bytes = 64;
        s.plan_files
            .push(Path::new("/repo/state.json").to_path_buf());
    });
    assert!(
        r.input_errors
            .iter()
            .any(|e| e.contains("EKS_LINT_MAX_PLAN_BYTES")),
        "{:?}",
        r.input_errors
    );
    // The configuration is still checked.
    assert_eq!(r.clusters.len(), 1);
}

#[test]
fn deeply_nested_documents_are_refused_not_crashed_on() {
    let deep = format!(
        "{{\"format_version\": \"1.0\", \"terraform_version\": \"1\", \"values\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let r = run(&[("main.tf", MAIN), ("plan.json", &deep)], |s| {
        s.plan_files
            .push(Path::new("/repo/plan.json").to_path_buf());
    });
    assert!(
        r.input_errors.iter().any(|e| e.starts_with("plan.json:1:")),
        "{:?}",
        r.input_errors
    );
}
