//! Karpenter and YAML fan-out: a few MB of YAML that would make millions of nodes or thousands
//! of NodePools stay within the harness's bounds, and say what was left out (one note each).

use crate::common::*;

/// A cluster with two tagged subnets that Karpenter pools select by tag.
const CLUSTER: &str = r#"
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
  tags              = { "karpenter.sh/discovery" = "kp" }
}
resource "aws_eks_cluster" "this" {
  name     = "kp"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.a[*].id
  }
}
"#;

const CLASS: &str = "apiVersion: karpenter.k8s.aws/v1
kind: EC2NodeClass
metadata: {name: default}
spec:
  amiSelectorTerms: [{alias: al2023@latest}]
  subnetSelectorTerms: [{tags: {karpenter.sh/discovery: kp}}]
";

fn pool(name: &str, requirement: &str) -> String {
    format!(
        "---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {{name: {name}}}
spec:
  limits: {{cpu: 64}}
  template:
    spec:
      nodeClassRef: {{group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}}
      requirements: [{requirement}]
"
    )
}

fn run(name: &str, yaml: &str) -> Outcome {
    let dir = case(&[
        ("main.tf", CLUSTER.as_bytes()),
        ("pools.yaml", yaml.as_bytes()),
    ]);
    bounded(
        name,
        dir.path(),
        &["check", "--format", "concise", "."],
        &[],
    )
}

#[test]
fn an_eksctl_file_of_three_million_scalars_is_refused_early() {
    let junk = vec!["x"; 3_000_000].join(",");
    let text = format!(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {{name: a, region: us-east-1}}\njunk: [{junk}]\n"
    );
    let dir = case(&[("cluster.yaml", text.as_bytes())]);
    let o = bounded(
        "eksctl 3M scalars",
        dir.path(),
        &["check", "--format", "concise", "."],
        &[],
    );
    // A file past a parse budget is an EKS903 error (exit 1), like an alias bomb.
    expect(
        &o,
        1,
        "more than 250000 YAML nodes (EKS_LINT_MAX_YAML_NODES)",
    );
}

#[test]
fn a_nodepool_of_700_000_values_is_one_note() {
    let values = vec!["m5.large"; 700_000].join(",");
    let req =
        format!("{{key: node.kubernetes.io/instance-type, operator: NotIn, values: [{values}]}}");
    let o = run(
        "nodepool 700k values",
        &format!("{CLASS}{}", pool("p", &req)),
    );
    expect(
        &o,
        0,
        "not plain YAML, perhaps a template: more than 250000 YAML nodes",
    );
}

#[test]
fn a_requirement_of_a_hundred_thousand_values_is_solved() {
    // Under the node budget: every candidate is compared with every value once.
    let values = vec!["m5.large"; 100_000].join(",");
    let req =
        format!("{{key: node.kubernetes.io/instance-type, operator: NotIn, values: [{values}]}}");
    let o = run(
        "nodepool 100k values",
        &format!("{CLASS}{}", pool("p", &req)),
    );
    assert!(o.out.contains("Karpenter node pool `p`"), "{}", o.out);
    assert_ne!(o.code, Some(2), "{}", o.out);
}

#[test]
fn five_thousand_nodepools_stop_at_the_group_limit_with_one_note_per_cause() {
    let req = "{key: karpenter.k8s.aws/instance-category, operator: In, values: [m]}";
    let pools: String = (0..5000).map(|i| pool(&format!("p{i}"), req)).collect();
    let o = run("5000 nodepools", &format!("{CLASS}{pools}"));
    assert_ne!(o.code, Some(2), "{}", &o.out[..o.out.len().min(4000)]);
    let over: Vec<&str> = o
        .stdout
        .lines()
        .filter(|l| l.contains("EKS_LINT_MAX_NODE_GROUPS"))
        .collect();
    assert_eq!(
        over.len(),
        1,
        "{}",
        &o.out[o.out.len().saturating_sub(3000)..]
    );
    assert!(
        over[0].contains("Karpenter NodePool `p1000` and 3999 more were not checked"),
        "{}",
        over[0]
    );
    // The class names the cluster (its discovery tag): no other note, none per pool.
    let notes = o.stdout.lines().filter(|l| l.contains("note[")).count();
    assert_eq!(notes, 1, "{}", &o.out[o.out.len().saturating_sub(3000)..]);
    // And the summary does not call the cluster fully checked.
    assert!(
        o.stdout.contains("0 fully checked"),
        "{}",
        &o.stdout[o.stdout.len().saturating_sub(2000)..]
    );
}

#[test]
fn nested_flow_collections_of_three_million_scalars_stay_small() {
    // The YAML scanner used to buffer every token of a flow collection that could still be a
    // key (`[[…]]`, `- {k: […]}`): 6 MB took 1.5 GB. Now the node budget stops it early.
    let many = vec!["a"; 3_000_000].join(",");
    for (name, body) in [
        ("[[a, …]]", format!("v: [[{many}]]\n")),
        ("- {k: [a, …]}", format!("v:\n  - {{k: [{many}]}}\n")),
    ] {
        let o = run(
            name,
            &format!("apiVersion: karpenter.sh/v1\nkind: NodePool\nmetadata: {{name: p}}\n{body}"),
        );
        expect(&o, 0, "more than 250000 YAML nodes");
    }
}
