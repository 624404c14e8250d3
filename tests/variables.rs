//! Variables as Terraform takes them (issue 17): `--var` and `TF_VAR_*` values of a complex
//! type are HCL literals, a value of the wrong kind is refused (exit 2, and the variable stays
//! unknown), a `--var` no scanned root declares is refused, and a tfvars value for an
//! undeclared variable is a warning.

mod common;
use common::{case, run_env, tf_cluster};

/// A root whose subnets come from `var.azs` (one /22 per zone) and whose node group of 40
/// m5.8xlarge nodes needs 40 × 60 = 2400 addresses.
const ROOT: &str = r#"
variable "azs" {
  type = list(string)
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 6, count.index)
  availability_zone = var.azs[count.index]
}
resource "aws_eks_cluster" "main" {
  name     = "demo"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}
resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = ["m5.8xlarge"]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 40
  }
}
"#;

#[test]
fn a_list_variable_takes_hcl_and_refuses_a_bare_word() {
    let dir = case(&[("main.tf", ROOT.as_bytes())]);
    let args = |v: &'static str| vec!["--format", "concise", "--var", v, "."];
    // Two /22 subnets hold 2 × ⌊1019 / 60⌋ = 32 nodes of the 40: EKS101.
    let ok = run_env(dir.path(), &args(r#"azs=["eu-west-1a","eu-west-1b"]"#), &[]);
    assert_eq!(ok.code, Some(1), "{}", ok.out);
    assert!(
        ok.stdout.contains("error[EKS101]") && ok.stdout.contains("hold 32"),
        "{}",
        ok.out
    );
    // Terraform refuses `eu-west-1a` for a list(string); so does eks-lint, and the subnets
    // stay unknown instead of becoming 10 one-letter zones.
    let bad = run_env(dir.path(), &args("azs=eu-west-1a"), &[]);
    assert_eq!(bad.code, Some(2), "{}", bad.out);
    assert!(
        bad.stderr
            .contains("--var azs=eu-west-1a: variable `azs` has type `list(string)`"),
        "{}",
        bad.out
    );
    assert!(!bad.stdout.contains("error[EKS101]"), "{}", bad.out);
    let env = run_env(
        dir.path(),
        &["--format", "concise", "."],
        &[("TF_VAR_azs", "eu-west-1a")],
    );
    assert_eq!(env.code, Some(2), "{}", env.out);
    assert!(env.stderr.contains("TF_VAR_azs=eu-west-1a"), "{}", env.out);
    let map = run_env(dir.path(), &args(r#"azs={a = "x"}"#), &[]);
    assert_eq!(map.code, Some(2), "a map for a list: {}", map.out);
}

#[test]
fn undeclared_values_are_refused_on_the_command_line_and_warned_in_files() {
    let cluster = tf_cluster("10.0.0.0/20", "");
    let dir = case(&[
        ("main.tf", cluster.as_bytes()),
        ("terraform.tfvars", b"nmae = \"typo\"\n"),
    ]);
    let o = run_env(
        dir.path(),
        &["--format", "concise", "--var", "zone=1", "."],
        &[],
    );
    assert_eq!(o.code, Some(2), "{}", o.out);
    assert!(
        o.stderr
            .contains("--var zone: no scanned root module declares a variable `zone`"),
        "{}",
        o.out
    );
    let o = run_env(dir.path(), &["--format", "concise", "."], &[]);
    assert_ne!(o.code, Some(2), "a tfvars typo is a warning: {}", o.out);
    assert!(
        o.stderr.contains(
            "terraform.tfvars: a value for `nmae`, which the root module does not declare"
        ),
        "{}",
        o.out
    );
}

/// A root whose node group's max size is `var.nodes`: with one /24 subnet (251 usable) and
/// m5.large nodes holding 20 addresses at one pod, 12 nodes fit; more is EKS101.
const SIZED: &str = r#"
variable "nodes" {
  type    = number
  default = 1
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_eks_cluster" "main" {
  name     = "demo"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id]
  }
}
resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = var.nodes
  }
}
"#;

/// `--var-file` as Terraform's `-var-file` (issue 16): after terraform.tfvars and
/// *.auto.tfvars, in the order given, then `--var`; any file name, JSON when it ends in
/// `.json`.
#[test]
fn var_files_load_in_order_after_the_automatic_files() {
    let dir = case(&[
        ("main.tf", SIZED.as_bytes()),
        ("terraform.tfvars", b"nodes = 2\n"),
        ("a.auto.tfvars", b"nodes = 3\n"),
        ("env/prod.vars", b"nodes = 40\n"),
        ("env/small.json", b"{\"nodes\": 5}\n"),
    ]);
    let run = |extra: &[&str]| {
        let mut a = vec!["--format", "concise"];
        a.extend_from_slice(extra);
        a.push(".");
        run_env(dir.path(), &a, &[])
    };
    // The auto-loaded files alone: 3 nodes fit.
    let o = run(&[]);
    assert_eq!(o.code, Some(0), "{}", o.out);
    // An HCL file of any name: 40 nodes, of which 12 fit.
    let o = run(&["--var-file", "env/prod.vars"]);
    assert_eq!(o.code, Some(1), "{}", o.out);
    assert!(
        o.stdout.contains("grow to 40") && o.stdout.contains("hold 12"),
        "{}",
        o.out
    );
    // The later file wins: JSON's 5 fit.
    let o = run(&[
        "--var-file",
        "env/prod.vars",
        "--var-file",
        "env/small.json",
    ]);
    assert_eq!(o.code, Some(0), "{}", o.out);
    let o = run(&[
        "--var-file",
        "env/small.json",
        "--var-file",
        "env/prod.vars",
    ]);
    assert_eq!(o.code, Some(1), "{}", o.out);
    // `--var` over every file.
    let o = run(&["--var-file", "env/prod.vars", "--var", "nodes=4"]);
    assert_eq!(o.code, Some(0), "{}", o.out);
}

#[test]
fn a_broken_var_file_is_reported_where_it_breaks() {
    let dir = case(&[
        ("main.tf", SIZED.as_bytes()),
        ("bad.tfvars", b"nodes = 4\nsize = = 3\n"),
        ("list.json", b"\n  [1, 2]\n"),
    ]);
    let run = |f: &str| {
        run_env(
            dir.path(),
            &["--format", "concise", "--var-file", f, "."],
            &[],
        )
    };
    let o = run("bad.tfvars");
    assert!(o.stdout.contains("bad.tfvars:2:"), "{}", o.out);
    assert!(o.stdout.contains("error[EKS903]"), "{}", o.out);
    let o = run("list.json");
    assert!(
        o.stdout.contains("list.json:2:3: error[EKS903]") && o.stdout.contains("must be an object"),
        "{}",
        o.out
    );
    // A file that is not there is unusable input, as for Terraform.
    let o = run("missing.tfvars");
    assert_eq!(o.code, Some(2), "{}", o.out);
    assert!(o.stderr.contains("missing.tfvars"), "{}", o.out);
}
