//! The evaluator and parser limits can be changed per run by environment variable (issue 8):
//! the same input is within a raised limit and past a lowered one.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_eks-lint");

fn run(files: &[(&str, &str)], env: &[(&str, &str)]) -> String {
    run_args(files, &[], env)
}

fn run_args(files: &[(&str, &str)], args: &[&str], env: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let out = Command::new(BIN)
        .args(["--format", "concise", "--isolated"])
        .args(args)
        .arg(dir.path())
        .envs(env.iter().copied())
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

const SUBNETS: &str = r#"
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "s" {
  count             = 6
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = "us-east-1a"
}
resource "aws_eks_cluster" "c" {
  name = "c"
  vpc_config { subnet_ids = aws_subnet.s[*].id }
}
"#;

#[test]
fn resource_instances() {
    let low = run(&[("main.tf", SUBNETS)], &[("EKS_LINT_MAX_INSTANCES", "5")]);
    assert!(
        low.contains("more than the 5 eks-lint evaluates (EKS_LINT_MAX_INSTANCES)"),
        "{low}"
    );
    let ok = run(&[("main.tf", SUBNETS)], &[("EKS_LINT_MAX_INSTANCES", "6")]);
    assert!(!ok.contains("EKS_LINT_MAX_INSTANCES"), "{ok}");
}

#[test]
fn evaluation_steps() {
    let low = run(
        &[("main.tf", SUBNETS)],
        &[("EKS_LINT_MAX_EVAL_STEPS", "10")],
    );
    assert!(low.contains("stopped after 10 steps"), "{low}");
    let ok = run(&[("main.tf", SUBNETS)], &[]);
    assert!(!ok.contains("EKS_LINT_MAX_EVAL_STEPS"), "{ok}");
}

#[test]
fn module_instances() {
    let files = [
        (
            "main.tf",
            "module \"m\" {\n  source = \"./m\"\n  count  = 3\n}\n",
        ),
        ("m/main.tf", SUBNETS),
    ];
    let low = run(&files, &[("EKS_LINT_MAX_MODULE_INSTANCES", "2")]);
    assert!(
        low.contains("`module.m` expands to 3 instances, more than the 2 eks-lint evaluates (EKS_LINT_MAX_MODULE_INSTANCES)"),
        "{low}"
    );
    let ok = run(&files, &[]);
    assert!(!ok.contains("EKS_LINT_MAX_MODULE_INSTANCES"), "{ok}");
}

#[test]
fn yaml_aliases() {
    let yaml = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: a, region: us-east-1}\n\
                x: &a [1, 2, 3, 4, 5, 6, 7, 8]\ny: [*a, *a, *a, *a]\n";
    let low = run(&[("c.yaml", yaml)], &[("EKS_LINT_MAX_YAML_ALIASES", "10")]);
    assert!(low.contains("alias expansion exceeds 10 nodes"), "{low}");
    let ok = run(&[("c.yaml", yaml)], &[]);
    assert!(!ok.contains("alias expansion"), "{ok}");
}

#[test]
fn yaml_nodes() {
    // The document mapping (1), its 4 keys, two scalar values (2), `metadata` (1 + 4) and `x`
    // (1 + 8): 21 nodes.
    let yaml = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: a, region: us-east-1}\n\
                x: [1, 2, 3, 4, 5, 6, 7, 8]\n";
    let low = run(&[("c.yaml", yaml)], &[("EKS_LINT_MAX_YAML_NODES", "20")]);
    assert!(low.contains("more than 20 YAML nodes"), "{low}");
    let ok = run(&[("c.yaml", yaml)], &[("EKS_LINT_MAX_YAML_NODES", "21")]);
    assert!(!ok.contains("YAML nodes"), "{ok}");
}

#[test]
fn total_module_instances() {
    // 3 calls of 3 instances each: 3 + 9 instances in all.
    let files = [
        (
            "main.tf",
            "module \"m\" {\n  source = \"./m\"\n  count  = 3\n}\n",
        ),
        (
            "m/main.tf",
            "module \"n\" {\n  source = \"../n\"\n  count  = 3\n}\n",
        ),
        ("n/main.tf", SUBNETS),
    ];
    let low = run(&files, &[("EKS_LINT_MAX_TOTAL_MODULE_INSTANCES", "11")]);
    assert!(
        low.contains("more than 11 module instances in all (EKS_LINT_MAX_TOTAL_MODULE_INSTANCES)"),
        "{low}"
    );
    let ok = run(&files, &[("EKS_LINT_MAX_TOTAL_MODULE_INSTANCES", "12")]);
    assert!(!ok.contains("EKS_LINT_MAX_TOTAL_MODULE_INSTANCES"), "{ok}");
}

#[test]
fn evaluation_bytes() {
    let files = [("main.tf", SUBNETS)];
    let low = run(&files, &[("EKS_LINT_MAX_EVAL_BYTES", "100")]);
    assert!(low.contains("more than 100 bytes of values"), "{low}");
    let ok = run(&files, &[]);
    assert!(!ok.contains("EKS_LINT_MAX_EVAL_BYTES"), "{ok}");
}

#[test]
fn run_evaluation_steps() {
    let files = [("a/main.tf", SUBNETS), ("b/main.tf", SUBNETS)];
    let low = run(&files, &[("EKS_LINT_MAX_RUN_EVAL_STEPS", "30")]);
    assert_eq!(
        low.matches("the scan used its 30 evaluation steps over all root configurations (EKS_LINT_MAX_RUN_EVAL_STEPS)")
            .count(),
        1,
        "{low}"
    );
    let ok = run(&files, &[]);
    assert!(!ok.contains("EKS_LINT_MAX_RUN_EVAL_STEPS"), "{ok}");
}

#[test]
fn value_size() {
    let files = [(
        "main.tf",
        "locals {\n  s = replace(\"aaaaaaaaaa\", \"a\", \"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\")\n}\nresource \"aws_eks_cluster\" \"c\" {\n  name = \"c\"\n  vpc_config { subnet_ids = [] }\n}\nresource \"aws_eks_node_group\" \"n\" {\n  cluster_name = aws_eks_cluster.c.name\n  subnet_ids = []\n  scaling_config {\n    max_size = length(local.s)\n  }\n}\n",
    )];
    let low = run(&files, &[("EKS_LINT_MAX_VALUE_SIZE", "999")]);
    assert!(
        low.contains(
            "the result of `replace` would be larger than 999 bytes (EKS_LINT_MAX_VALUE_SIZE)"
        ),
        "{low}"
    );
    let ok = run(&files, &[("EKS_LINT_MAX_VALUE_SIZE", "1000")]);
    assert!(!ok.contains("EKS_LINT_MAX_VALUE_SIZE"), "{ok}");
}

#[test]
fn node_groups_per_cluster() {
    let mut text = String::from(SUBNETS);
    for g in 0..3 {
        text.push_str(&format!(
            "resource \"aws_eks_node_group\" \"g{g}\" {{\n  cluster_name = aws_eks_cluster.c.name\n  subnet_ids = aws_subnet.s[*].id\n  scaling_config {{\n    max_size = 3\n  }}\n}}\n"
        ));
    }
    let files = [("main.tf", text.as_str())];
    let low = run(&files, &[("EKS_LINT_MAX_NODE_GROUPS", "2")]);
    assert!(
        low.contains("has 3 node groups; only the first 2 are checked (EKS_LINT_MAX_NODE_GROUPS)"),
        "{low}"
    );
    let ok = run(&files, &[("EKS_LINT_MAX_NODE_GROUPS", "3")]);
    assert!(!ok.contains("EKS_LINT_MAX_NODE_GROUPS"), "{ok}");
}

#[test]
fn worker_threads_change_only_the_pool() {
    let files = [("main.tf", SUBNETS)];
    // Each run has its own directory: compare what follows it.
    let from_file = |out: String| -> Vec<String> {
        out.lines()
            .map(|l| {
                l.split_once("main.tf")
                    .map_or(l, |(_, rest)| rest)
                    .to_string()
            })
            .collect()
    };
    let default = from_file(run(&files, &[]));
    assert!(default.concat().contains("1 cluster"), "{default:?}");
    assert_eq!(
        from_file(run(&files, &[("EKS_LINT_THREADS", "1")])),
        default
    );
    assert_eq!(
        from_file(run_args(&files, &["--threads", "3"], &[])),
        default
    );
    let bad = run(&files, &[("EKS_LINT_THREADS", "many")]);
    assert!(bad.contains("invalid value 'many'"), "{bad}");
}
