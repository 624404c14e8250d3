//! Runs from inside a subdirectory of the configuration (CI steps that `cd` first): local
//! module sources that climb above the scan path (corpus defects D2), and identities that must
//! not move with the working directory (D14).

mod common;

use common::{case, run_in};
use std::path::Path;

/// A cluster in `modules/eks` whose name is the caller's input.
const MODULE: &str = r#"variable "name" {
  type = string
}
resource "aws_eks_cluster" "this" {
  name     = var.name
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = ["subnet-1", "subnet-2"]
  }
}
"#;

/// `cd envs/prod && eks-lint --allow-outside-root .` with `source = "../../modules/eks"`:
/// the source is resolved from `envs/prod`, not lexically from `.`, so `modules/eks` is read
/// and its one cluster is named by the call's input, `prod`. Without the flag the module is
/// outside the scanned paths (named so, not as a missing module or a cycle): 0 clusters.
#[test]
fn a_module_above_a_relative_scan_path_is_found() {
    let dir = case(&[
        ("modules/eks/main.tf", MODULE.as_bytes()),
        (
            "envs/prod/main.tf",
            b"module \"eks\" {\n  source = \"../../modules/eks\"\n  name   = \"prod\"\n}\n",
        ),
    ]);
    let prod = dir.path().join("envs/prod");
    let o = run_in(&prod, &["--allow-outside-root", "."]);
    assert!(o.out.contains("1 cluster"), "{}", o.out);
    assert!(o.out.contains("cluster `prod`"), "{}", o.out);
    assert!(!o.out.contains("no readable Terraform files"), "{}", o.out);
    // The same scan by absolute path agrees.
    let abs = run_in(
        dir.path(),
        &["--allow-outside-root", &prod.to_string_lossy()],
    );
    assert!(abs.out.contains("cluster `prod`"), "{}", abs.out);
    let o = run_in(&prod, &["."]);
    assert!(o.out.contains("0 clusters"), "{}", o.out);
    assert!(o.out.contains("is outside the scanned paths"), "{}", o.out);
}

/// `cd examples/x && eks-lint .` with `source = "../.."` (terraform-aws-modules examples):
/// `../..` is the repository root, outside `examples/x`, not the module being evaluated
/// (`.`), so the note says "outside the scanned paths" and never "a cycle".
#[test]
fn a_source_climbing_to_the_root_is_outside_not_a_cycle() {
    let dir = case(&[
        ("main.tf", MODULE.as_bytes()),
        (
            "examples/x/main.tf",
            b"module \"eks\" {\n  source = \"../..\"\n  name   = \"demo\"\n}\n",
        ),
    ]);
    let x = dir.path().join("examples/x");
    let o = run_in(&x, &["."]);
    assert!(o.out.contains("is outside the scanned paths"), "{}", o.out);
    assert!(!o.out.contains("cycle"), "{}", o.out);
    // With the flag the root module is read once: one cluster, `demo`.
    let o = run_in(&x, &["--allow-outside-root", "."]);
    assert!(o.out.contains("cluster `demo`"), "{}", o.out);
    assert!(!o.out.contains("cycle"), "{}", o.out);
}

fn fingerprints(cwd: &Path, args: &[&str]) -> Vec<String> {
    let o = run_in(cwd, args);
    let v: serde_json::Value = serde_json::from_str(&o.stdout).expect("json");
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap().to_string())
        .collect()
}

/// The same directory scanned from its parent (`eks`) and from itself (`.`): an unnamed
/// cluster (`name = var.n`, unknown) is named by its file relative to the scan root, not to
/// the working directory, so the name is `aws_eks_cluster.c in eks.tf` both times and the
/// node group's note (its subnets are `var.s`, unknown) has one fingerprint.
#[test]
fn fingerprints_do_not_depend_on_the_working_directory() {
    let tf = b"variable \"n\" {}\nvariable \"s\" {}\nresource \"aws_eks_cluster\" \"c\" {\n  name     = var.n\n  role_arn = \"arn:aws:iam::111122223333:role/eks\"\n  vpc_config {\n    subnet_ids = var.s\n  }\n}\nresource \"aws_eks_node_group\" \"ng\" {\n  cluster_name    = aws_eks_cluster.c.name\n  node_group_name = \"ng\"\n  node_role_arn   = \"arn:aws:iam::111122223333:role/node\"\n  subnet_ids      = var.s\n  instance_types  = [\"m5.large\"]\n  scaling_config {\n    min_size     = 1\n    max_size     = 3\n    desired_size = 1\n  }\n}\n";
    let dir = case(&[("aws/eks/eks.tf", tf)]);
    let aws = dir.path().join("aws");
    let eks = aws.join("eks");
    let from_parent = fingerprints(&aws, &["--format", "json", "eks"]);
    let from_inside = fingerprints(&eks, &["--format", "json", "."]);
    let from_top = fingerprints(dir.path(), &["--format", "json", "aws/eks"]);
    assert!(!from_parent.is_empty());
    assert_eq!(from_parent, from_inside);
    assert_eq!(from_parent, from_top);
    // Displayed paths stay relative to the working directory; the name does not move.
    let o = run_in(&aws, &["eks"]);
    assert!(o.out.contains("`aws_eks_cluster.c in eks.tf`"), "{}", o.out);
    assert!(o.out.contains("eks/eks.tf"), "{}", o.out);
}

/// With a repository root the policy lets eks-lint see (`--allow-outside-root`, a `.git`
/// above the scan path), names are from that root: `aws_eks_cluster.c in aws/eks/eks.tf`,
/// whether `aws/eks` or `aws` is scanned, and the note's fingerprint with it.
#[test]
fn identities_are_from_the_repository_root_when_one_is_visible() {
    let tf = b"variable \"n\" {}\nresource \"aws_eks_cluster\" \"c\" {\n  name     = var.n\n  role_arn = \"arn:aws:iam::111122223333:role/eks\"\n  vpc_config {\n    subnet_ids = var.s\n  }\n}\nvariable \"s\" {}\n";
    let dir = case(&[
        ("aws/eks/eks.tf", tf),
        (".git/HEAD", b"ref: refs/heads/main\n"),
    ]);
    let eks = dir.path().join("aws/eks");
    let o = run_in(&eks, &["--allow-outside-root", "."]);
    assert!(
        o.out.contains("`aws_eks_cluster.c in aws/eks/eks.tf`"),
        "{}",
        o.out
    );
    let a = fingerprints(&eks, &["--allow-outside-root", "--format", "json", "."]);
    let b = fingerprints(
        dir.path(),
        &["--allow-outside-root", "--format", "json", "aws"],
    );
    assert!(!a.is_empty());
    assert_eq!(a, b);
}
