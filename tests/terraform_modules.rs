//! Terraform module calls end-to-end (issue 4): testdata/terraform-modules/<case> through
//! `eks_lint::check`, asserting model and capacity facts (figures derived by hand from
//! DESIGN.md §5).

use eks_lint::code::Code;
use eks_lint::diag::Level;
use eks_lint::model::{Cluster, NodeGroup, NodeGroupKind};
use eks_lint::settings::Settings;
use eks_lint::{check, Report};
use std::path::PathBuf;

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/terraform-modules")
        .join(name)
}

fn run(name: &str) -> Report {
    let s = Settings {
        base_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ..Settings::default()
    };
    check(&[case(name)], &s)
}

fn cluster<'r>(r: &'r Report, name: &str) -> (usize, &'r Cluster) {
    r.clusters
        .iter()
        .enumerate()
        .find(|(_, c)| c.name.get().is_some_and(|n| n == name))
        .unwrap_or_else(|| {
            panic!(
                "no cluster {name}: {:?}",
                r.clusters
                    .iter()
                    .map(|c| c.display_name())
                    .collect::<Vec<_>>()
            )
        })
}

fn group<'c>(c: &'c Cluster, name: &str) -> &'c NodeGroup {
    c.node_groups
        .iter()
        .find(|g| g.name == name)
        .unwrap_or_else(|| panic!("no node group {name} in {}", c.display_name()))
}

fn types(g: &NodeGroup) -> Vec<String> {
    g.instance_types
        .iter()
        .map(|t| t.get().cloned().unwrap_or_else(|| "?".into()))
        .collect()
}

fn subnet_cidrs(c: &Cluster, ids: &[usize]) -> Vec<String> {
    ids.iter()
        .map(|&i| {
            c.subnets[i]
                .cidr
                .get()
                .map_or("?".into(), |x| x.text.clone())
        })
        .collect()
}

/// File name (relative to the case) and 1-based line of a span.
fn at(r: &Report, case_name: &str, span: eks_lint::source::Span) -> (String, u32) {
    let loc = r.sources.location(span);
    let rel = loc
        .file
        .split_once(&format!("{case_name}/"))
        .map_or(loc.file.clone(), |x| x.1.to_string());
    (rel, loc.start.line)
}

fn no_errors_but(r: &Report, allowed: &[&str]) {
    let errs: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error && !allowed.contains(&d.code.as_str()))
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(errs.is_empty(), "unexpected errors: {errs:#?}");
}

/// Acceptance: vpc module with `private_subnets` from a `for` over three AZs (/20 each), an
/// m5.8xlarge managed group of max 1000 and WARM_IP_TARGET=2 / MINIMUM_IP_TARGET=12: 12 IPs +
/// 1 ENI primary = 13 addresses per node, 4091 usable / 13 = 314 per /20, 942 in three.
#[test]
fn registry_vpc_and_eks_with_cni_addon() {
    let r = run("registry-v20");
    no_errors_but(&r, &["EKS101"]);
    let (ci, c) = cluster(&r, "payments");
    let g = group(c, "big");
    assert_eq!(g.kind, NodeGroupKind::Managed);
    assert_eq!(types(g), ["m5.8xlarge"]);
    assert_eq!(g.max_size.get(), Some(&1000));
    // min_size comes from eks_managed_node_group_defaults, ami_type too.
    assert_eq!(g.min_size.get(), Some(&2));
    assert_eq!(g.ami_family.get().map(String::as_str), Some("AL2_x86_64"));
    let ids = g
        .subnets
        .get()
        .expect("subnets resolved through module.vpc");
    assert_eq!(
        subnet_cidrs(c, ids),
        ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]
    );
    let azs: Vec<_> = ids
        .iter()
        .map(|&i| c.subnets[i].az.get().cloned().unwrap_or_default())
        .collect();
    assert_eq!(azs, ["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    assert_eq!(
        c.control_plane_subnets.get(),
        g.subnets.get(),
        "control plane on subnet_ids"
    );
    assert_eq!(c.cni.env["WARM_IP_TARGET"].value, "2");
    assert_eq!(c.cni.env["MINIMUM_IP_TARGET"].value, "12");
    assert_eq!(
        at(&r, "registry-v20", c.cni.env["WARM_IP_TARGET"].origin.span),
        ("main.tf".into(), 40)
    );
    let vpc = c.vpc.as_ref().expect("the vpc module's VPC");
    assert_eq!(vpc.cidrs[0].get().unwrap().text, "10.0.0.0/16");
    // Public subnets are there too (every subnet of the module), tagged by the module.
    assert_eq!(c.subnets.len(), 6);
    let fit = &r.facts[ci].node_groups[0];
    assert_eq!(fit.nodes_fit_one_pod(), Some(942));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::EKS101)
        .expect("EKS101");
    assert!(d.message.contains("942"), "{}", d.message);
    assert_eq!(
        at(&r, "registry-v20", d.span),
        ("main.tf".into(), 55),
        "points at max_size"
    );
    let related: Vec<_> = d
        .related
        .iter()
        .map(|x| at(&r, "registry-v20", x.span))
        .collect();
    assert!(
        related.contains(&("main.tf".into(), 16)),
        "the private_subnets line: {related:?}"
    );
}

/// Without the addon settings: WARM_ENI_TARGET=1 → 2 ENIs × 30 = 60 addresses per node,
/// 4091 / 60 = 68 per /20, 204 in three.
#[test]
fn registry_without_cni_settings() {
    let r = run("registry-v20-default-cni");
    let (ci, c) = cluster(&r, "payments");
    assert!(c.cni.env.is_empty());
    assert_eq!(r.facts[ci].node_groups[0].nodes_fit_one_pod(), Some(204));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::EKS101)
        .expect("EKS101");
    assert!(d.message.contains("204"), "{}", d.message);
}

/// A local wrapper: inputs bound from the caller, findings at the caller's line, the child's
/// lines in the chain; the wrapper directory is not analysed as its own root.
#[test]
fn local_wrapper_module() {
    let r = run("wrapper");
    assert_eq!(r.clusters.len(), 1, "the wrapper is not a second root");
    let (ci, c) = cluster(&r, "orders");
    let g = group(c, "general");
    assert_eq!(types(g), ["m5.large"]);
    assert_eq!(g.max_size.get(), Some(&40));
    let o = g.max_size.origin().unwrap();
    assert_eq!(at(&r, "wrapper", o.span), ("main.tf".into(), 8));
    let chain: Vec<_> = o.via.iter().map(|s| at(&r, "wrapper", *s)).collect();
    assert!(
        chain.contains(&("modules/platform/variables.tf".into(), 14)),
        "{chain:?}"
    );
    // v21: AL2023 by default; control plane on the intra subnets.
    assert_eq!(
        g.ami_family.get().map(String::as_str),
        Some("AL2023_x86_64_STANDARD")
    );
    assert_eq!(
        subnet_cidrs(c, c.control_plane_subnets.get().unwrap()),
        ["10.20.10.0/24", "10.20.11.0/24", "10.20.12.0/24"]
    );
    // m5.large, WARM_ENI_TARGET=1: 2 ENIs × 10 = 20 addresses; 251 / 20 = 12 per /24.
    assert_eq!(r.facts[ci].node_groups[0].nodes_fit_one_pod(), Some(36));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::EKS101)
        .expect("EKS101");
    assert_eq!(at(&r, "wrapper", d.span), ("main.tf".into(), 8));
}

/// v18 names (`cluster_name`, `cluster_service_ipv4_cidr`), self-managed defaults merged
/// under each group, git sources with a `ref`, bootstrap max pods, module fallbacks.
#[test]
fn v18_style_self_managed_groups() {
    let r = run("registry-v18");
    no_errors_but(&r, &[]);
    let (_, c) = cluster(&r, "legacy");
    assert_eq!(c.service_cidr.get().unwrap().text, "172.20.0.0/16");
    let workers = group(c, "workers");
    assert_eq!(workers.kind, NodeGroupKind::SelfManaged);
    assert_eq!(types(workers), ["c5.xlarge"], "from the defaults");
    assert_eq!(workers.max_pods.get(), Some(&50));
    assert_eq!(workers.min_size.get(), Some(&0), "module fallback");
    assert_eq!(
        subnet_cidrs(c, workers.subnets.get().unwrap()),
        ["10.1.0.0/22", "10.1.4.0/22"]
    );
    let batch = group(c, "batch");
    assert_eq!(types(batch), ["c5.4xlarge"], "the group wins over defaults");
    assert_eq!(
        subnet_cidrs(c, batch.subnets.get().unwrap()),
        ["10.1.0.0/22"]
    );
    // An empty managed group: t3.medium and 1/3/1 from the module.
    let system = group(c, "system");
    assert_eq!(types(system), ["t3.medium"]);
    assert_eq!(
        (
            system.min_size.get(),
            system.max_size.get(),
            system.desired_size.get()
        ),
        (Some(&1), Some(&3), Some(&1))
    );
    assert!(system.instance_types[0].origin().unwrap().defaulted);
}

/// v21 names, nodeadm maxPods, prefix delegation, a standalone node-group submodule attached
/// by `cluster_name`, and an unsupported major version noted.
#[test]
fn v21_style_and_standalone_node_group() {
    let r = run("registry-v21");
    no_errors_but(&r, &[]);
    let (_, c) = cluster(&r, "edge");
    assert_eq!(c.service_cidr.get().unwrap().text, "172.16.0.0/16");
    assert_eq!(c.cni.env["ENABLE_PREFIX_DELEGATION"].value, "true");
    let apps = group(c, "apps");
    assert_eq!(types(apps), ["m6i.2xlarge", "m6a.2xlarge"]);
    assert_eq!(apps.max_pods.get(), Some(&110));
    let gpu = group(c, "gpu");
    assert_eq!(types(gpu), ["g5.2xlarge"]);
    assert_eq!(
        subnet_cidrs(c, gpu.subnets.get().unwrap()),
        ["10.50.32.0/19"]
    );
    assert_eq!(gpu.min_size.get(), Some(&1), "v21 submodule default");
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code == Code::EKS901 && d.message.contains("version 17")),
        "unsupported version noted"
    );
    assert!(
        !r.clusters
            .iter()
            .any(|c| c.name.get().is_some_and(|n| n == "old")),
        "no guesses for v17"
    );
}

/// A module that calls itself (directly or through another) is reported, not followed.
#[test]
fn module_cycles_are_reported() {
    let r = run("cycle");
    let notes: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::EKS901 && d.message.contains("cycle"))
        .collect();
    assert!(!notes.is_empty(), "{:?}", r.diagnostics);
}

/// `azs = slice(data.aws_availability_zones.available.names, 0, 3)`: three subnets with known
/// CIDRs, in three distinct zones whose names are not known (each named by its index in the
/// list). c5.large: 3 ENIs × 10 addresses, WARM_ENI_TARGET=1 → 20 per node; a /22 has 1019
/// usable → 50 nodes each, 150 in three < 200.
#[test]
fn azs_from_a_data_source_keep_the_cidrs() {
    let r = run("data-azs");
    let (ci, c) = cluster(&r, "dynamic-azs");
    let g = group(c, "default");
    let ids = g.subnets.get().expect("subnets known");
    assert_eq!(
        subnet_cidrs(c, ids),
        ["10.30.0.0/22", "10.30.4.0/22", "10.30.8.0/22"]
    );
    let azs: Vec<_> = ids
        .iter()
        .map(|&i| c.subnets[i].az.get().cloned().unwrap_or_default())
        .collect();
    assert_eq!(
        azs,
        (0..3)
            .map(|i| format!("data.aws_availability_zones.available.names[{i}]"))
            .collect::<Vec<_>>()
    );
    // Multi-AZ is known: no note that EKS404 could not be checked.
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.code == Code::EKS901 && d.message.contains("EKS404")));
    assert_eq!(r.facts[ci].node_groups[0].nodes_fit_one_pod(), Some(150));
}

/// `.terraform/modules/modules.json` names where a remote module was downloaded: it is read
/// as a local module. m5.xlarge, WARM_ENI_TARGET=1: 2 ENIs × 15 = 30 addresses per node;
/// a /23 has 507 usable → 16 nodes each, 32 in two.
#[test]
fn module_cache_is_read() {
    let r = run("cache");
    let (ci, c) = cluster(&r, "cached");
    let g = group(c, "workers");
    assert_eq!(
        subnet_cidrs(c, g.subnets.get().expect("subnets from the cached module")),
        ["10.40.0.0/23", "10.40.2.0/23"]
    );
    assert_eq!(r.facts[ci].node_groups[0].nodes_fit_one_pod(), Some(32));
    // The unread `eks-extras` module is not noted: a cluster was found.
    assert!(!r
        .diagnostics
        .iter()
        .any(|d| d.message.contains("eks-extras")));
}

/// A local module outside the scanned paths: a note without --allow-outside-root; read with
/// it, findings at the caller's line. c5.large: 20 addresses per node, 251 / 20 = 12 per /24.
#[test]
fn outside_root_modules() {
    let live = case("outside-root").join("live");
    let s = Settings {
        base_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ..Settings::default()
    };
    let r = check(std::slice::from_ref(&live), &s);
    assert!(r.clusters.is_empty());
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.code == Code::EKS901 && d.message.contains("--allow-outside-root")));
    let s = Settings {
        allow_outside_root: true,
        ..s
    };
    let r = check(&[live], &s);
    let (ci, c) = cluster(&r, "outside");
    assert_eq!(group(c, "shared").max_size.get(), Some(&30));
    assert_eq!(r.facts[ci].node_groups[0].nodes_fit_one_pod(), Some(24));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::EKS101)
        .expect("EKS101");
    assert_eq!(at(&r, "outside-root", d.span), ("live/main.tf".into(), 6));
}

/// A module with a whole cluster whose name comes from a variable (default "standalone").
const CLUSTER_MODULE: &str = r#"
variable "name" { default = "standalone" }
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "s" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.0.0/22"
  availability_zone = "us-east-1a"
}
resource "aws_eks_cluster" "c" {
  name = var.name
  vpc_config { subnet_ids = [aws_subnet.s.id] }
}
resource "aws_eks_node_group" "ng" {
  cluster_name   = aws_eks_cluster.c.name
  subnet_ids     = [aws_subnet.s.id]
  instance_types = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }
}
"#;

fn write(dir: &std::path::Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn names(r: &Report) -> Vec<String> {
    let mut v: Vec<String> = r.clusters.iter().map(|c| c.display_name()).collect();
    v.sort();
    v
}

/// Roots are predicted from `source` lines before parsing; a call that scan cannot see (the
/// JSON syntax) still makes the called directory a module, not a root, once parsed.
#[test]
fn module_called_from_json_syntax_is_not_also_a_root() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            (
                "live/main.tf.json",
                r#"{"module": {"eks": {"source": "../mod", "name": "called"}}}"#,
            ),
            ("mod/main.tf", CLUSTER_MODULE),
        ],
    );
    let r = check(&[t.path().to_path_buf()], &Settings::default());
    assert_eq!(names(&r), ["called"], "{:?}", r.diagnostics);
}

/// Two roots calling one module: it is parsed once, and its syntax error is reported once.
#[test]
fn shared_module_syntax_error_is_reported_once() {
    let t = tempfile::tempdir().unwrap();
    let call = |name: &str| {
        format!("module \"eks\" {{\n  source = \"../../mod\"\n  name   = \"{name}\"\n}}\n")
    };
    let (a, b) = (call("a"), call("b"));
    write(
        t.path(),
        &[
            ("roots/a/main.tf", &a),
            ("roots/b/main.tf", &b),
            ("mod/main.tf", CLUSTER_MODULE),
            (
                "mod/broken.tf",
                "resource \"aws_vpc\" \"x\" {\n  cidr_block = \n",
            ),
        ],
    );
    let r = check(&[t.path().to_path_buf()], &Settings::default());
    assert_eq!(names(&r), ["a", "b"]);
    let parse_errors: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::EKS903)
        .collect();
    assert_eq!(parse_errors.len(), 1, "{parse_errors:?}");
}

/// Module directories no root reaches (two modules calling each other, nothing calling
/// them) are still analysed once, and a directory whose only file is broken is reported.
#[test]
fn unreached_modules_are_analysed_and_syntax_checked() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("x/main.tf", "module \"y\" {\n  source = \"../y\"\n}\n"),
            ("y/main.tf", "module \"x\" {\n  source = \"../x\"\n}\n"),
            ("y/cluster.tf", CLUSTER_MODULE),
            ("z/broken.tf", "locals {\n"),
        ],
    );
    let r = check(&[t.path().to_path_buf()], &Settings::default());
    assert_eq!(names(&r), ["standalone"], "{:?}", r.diagnostics);
    assert_eq!(
        r.diagnostics
            .iter()
            .filter(|d| d.code == Code::EKS903)
            .count(),
        1,
        "{:?}",
        r.diagnostics
    );
}

/// One expansion for resources and module calls (issue 13): `count = "3"` is a whole number
/// for a module call too (Terraform converts the string), and its instances are evaluated.
#[test]
fn module_count_as_a_string_expands_like_a_resource_count() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("ng")).unwrap();
    std::fs::write(
        root.join("main.tf"),
        r#"resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_subnet" "s" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.0.0/27"
  availability_zone = "us-east-1a"
}
resource "aws_eks_cluster" "c" {
  name = "c"
  vpc_config { subnet_ids = [aws_subnet.s.id] }
}
module "ng" {
  source  = "./ng"
  count   = "3"
  cluster = aws_eks_cluster.c.name
  subnet  = aws_subnet.s.id
  index   = count.index
}
"#,
    )
    .unwrap();
    std::fs::write(
        root.join("ng/main.tf"),
        r#"variable "cluster" {}
variable "subnet" {}
variable "index" {}
resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster
  node_group_name = "ng-${var.index}"
  subnet_ids      = [var.subnet]
  instance_types  = ["m5.large"]
  scaling_config {
    max_size = 3
  }
}
"#,
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args(["--format", "concise", "--isolated"])
        .arg(root)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for i in 0..3 {
        assert!(
            text.contains(&format!("managed node group `ng-{i}`")),
            "module instance {i} not evaluated:\n{text}"
        );
    }
}
