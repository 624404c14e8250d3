//! Terraform front end end-to-end: testdata/terraform/<case> through `eks_lint::check`,
//! asserting model and capacity facts (figures derived by hand from DESIGN.md §5).

use eks_lint::code::Code;
use eks_lint::diag::Level;
use eks_lint::model::{Cluster, Value};
use eks_lint::settings::Settings;
use eks_lint::{check, Report};
use std::path::PathBuf;

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/terraform")
        .join(name)
}

fn settings() -> Settings {
    // No `TF_VAR_*` (the library reads no environment); paths shown from the crate root.
    Settings {
        base_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ..Settings::default()
    }
}

fn run(name: &str, s: &Settings) -> Report {
    check(&[case(name)], s)
}

fn cluster<'r>(r: &'r Report, name: &str) -> &'r Cluster {
    r.clusters
        .iter()
        .find(|c| c.name.get().is_some_and(|n| n == name))
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

fn cidrs(c: &Cluster) -> Vec<String> {
    c.subnets
        .iter()
        .map(|s| s.cidr.get().map_or("?".into(), |c| c.text.clone()))
        .collect()
}

/// File name and 1-based line of a span.
fn at(r: &Report, span: eks_lint::source::Span) -> (String, u32) {
    let loc = r.sources.location(span);
    let file = loc.file.rsplit('/').next().unwrap_or("").to_string();
    (file, loc.start.line)
}

fn no_errors(r: &Report) {
    let errs: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    assert!(errs.is_empty(), "unexpected errors: {errs:#?}");
}

#[test]
fn literals_build_the_model() {
    let r = run("literals", &settings());
    assert_eq!(r.clusters.len(), 1);
    let c = cluster(&r, "literals");
    assert_eq!(cidrs(c), ["10.0.1.0/24", "10.0.2.0/24"]);
    assert_eq!(
        c.subnets[0].az.get().map(String::as_str),
        Some("us-east-1a")
    );
    assert_eq!(c.subnets[1].az.get().map(String::as_str), Some("use1-az2"));
    assert_eq!(
        c.subnets[0].tags.get("Name").map(String::as_str),
        Some("nodes-a")
    );
    let vpc = c.vpc.as_ref().expect("vpc");
    assert_eq!(vpc.name, "aws_vpc.main");
    assert_eq!(vpc.cidrs[0].get().unwrap().text, "10.0.0.0/16");
    assert_eq!(c.control_plane_subnets.get(), Some(&vec![0, 1]));
    assert_eq!(c.service_cidr.get().unwrap().text, "172.20.0.0/16");
    let ng = &c.node_groups[0];
    assert_eq!(ng.name, "general");
    assert_eq!(
        ng.instance_types[0].get().map(String::as_str),
        Some("m5.large")
    );
    assert_eq!(ng.max_size.get(), Some(&10));
    assert_eq!(ng.min_size.get(), Some(&1));
    assert_eq!(ng.desired_size.get(), Some(&2));
    assert_eq!(ng.subnets.get(), Some(&vec![0, 1]));
    // max_size points at its attribute.
    assert_eq!(
        at(&r, ng.max_size.origin().unwrap().span),
        ("main.tf".into(), 44)
    );
    // Two /24 (251 usable) with m5.large (3 ENIs × 10, 20 addresses at one pod): 12 + 12.
    assert_eq!(r.facts[0].node_groups[0].nodes_fit_one_pod(), Some(24));
    no_errors(&r);
}

#[test]
fn acceptance_count_cidrsubnet_reports_eks101_with_48_nodes() {
    let r = run("count-cidrsubnet", &settings());
    let c = cluster(&r, "acceptance");
    assert_eq!(
        cidrs(c),
        ["10.68.192.0/22", "10.68.196.0/22", "10.68.200.0/22"]
    );
    assert_eq!(c.subnets[1].name, "aws_subnet.nodes[1]");
    assert_eq!(
        c.subnets[2].az.get().map(String::as_str),
        Some("eu-west-1c")
    );
    let ng = &c.node_groups[0];
    assert_eq!(ng.subnets.get(), Some(&vec![0, 1, 2]));
    assert_eq!(r.facts[0].node_groups[0].nodes_fit_one_pod(), Some(48));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::EKS101)
        .expect("EKS101");
    assert!(d.message.contains("48"), "{}", d.message);
    assert_eq!(at(&r, d.span), ("main.tf".into(), 40), "points at max_size");
    let related: Vec<_> = d.related.iter().map(|x| at(&r, x.span)).collect();
    assert!(
        related.contains(&("main.tf".into(), 18)),
        "subnet CIDRs: {related:?}"
    );
    assert!(
        related.contains(&("main.tf".into(), 3)),
        "var.vpc_cidr: {related:?}"
    );
    // The subnet CIDR's chain leads to var.vpc_cidr's default.
    let cidr_origin = c.subnets[0].cidr.origin().unwrap();
    assert_eq!(at(&r, cidr_origin.span), ("main.tf".into(), 18));
    assert!(
        cidr_origin
            .via
            .iter()
            .any(|s| at(&r, *s) == ("main.tf".into(), 3)),
        "via {:?}",
        cidr_origin
            .via
            .iter()
            .map(|s| at(&r, *s))
            .collect::<Vec<_>>()
    );
}

#[test]
fn prod_tfvars_widens_the_subnets() {
    let dir = case("count-cidrsubnet-prod");
    // Without the var file: the defaults give the same /22s as the acceptance case.
    let r = check(std::slice::from_ref(&dir), &settings());
    assert_eq!(
        cidrs(&r.clusters[0]),
        ["10.68.192.0/22", "10.68.196.0/22", "10.68.200.0/22"]
    );
    assert!(r.diagnostics.iter().any(|d| d.code == Code::EKS101));

    let s = Settings {
        var_files: vec![dir.join("prod.tfvars")],
        ..settings()
    };
    let r = check(&[dir], &s);
    let c = &r.clusters[0];
    assert_eq!(
        cidrs(c),
        ["10.68.192.0/21", "10.68.200.0/21", "10.68.208.0/21"]
    );
    // /21: 2043 usable, 60 addresses per node → 34 per subnet, 102 < 120.
    assert_eq!(r.facts[0].node_groups[0].nodes_fit_one_pod(), Some(102));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::EKS101)
        .expect("EKS101");
    assert!(
        d.message.contains("120") && d.message.contains("102"),
        "{}",
        d.message
    );
    let related: Vec<_> = d.related.iter().map(|x| at(&r, x.span)).collect();
    // max_size and the subnet CIDRs lead back to the tfvars lines.
    assert!(related.contains(&("prod.tfvars".into(), 4)), "{related:?}");
    assert!(related.contains(&("prod.tfvars".into(), 2)), "{related:?}");
    assert!(related.contains(&("prod.tfvars".into(), 3)), "{related:?}");
    assert!(
        related.contains(&("main.tf".into(), 3)),
        "var.vpc_cidr default: {related:?}"
    );
}

#[test]
fn for_each_over_a_map_of_azs() {
    let r = run("for-each-azs", &settings());
    let c = cluster(&r, "foreach");
    assert_eq!(cidrs(c), ["10.20.0.0/20", "10.20.16.0/20", "10.20.32.0/20"]);
    assert_eq!(c.subnets[0].name, "aws_subnet.private[\"us-west-2a\"]");
    assert_eq!(
        c.subnets[2].az.get().map(String::as_str),
        Some("us-west-2c")
    );
    assert_eq!(c.control_plane_subnets.get(), Some(&vec![0, 1, 2]));
    assert_eq!(c.node_groups.len(), 2);
    let large = c.node_groups.iter().find(|g| g.name == "ng-large").unwrap();
    assert_eq!(
        large.instance_types[0].get().map(String::as_str),
        Some("c5.4xlarge")
    );
    assert_eq!(large.max_size.get(), Some(&20));
    assert_eq!(large.subnets.get(), Some(&vec![0, 1, 2]));
    let small = c.node_groups.iter().find(|g| g.name == "ng-small").unwrap();
    assert_eq!(small.max_size.get(), Some(&5));
    no_errors(&r);
}

#[test]
fn tfvars_override_defaults_in_terraform_order() {
    let r = run("tfvars-override", &settings());
    let c = cluster(&r, "from-tfvars");
    assert_eq!(cidrs(c), ["10.1.0.0/26", "10.1.0.64/26"]);
    let ng = &c.node_groups[0];
    assert_eq!(ng.max_size.get(), Some(&30));
    let via: Vec<_> = ng
        .max_size
        .origin()
        .unwrap()
        .via
        .iter()
        .map(|s| at(&r, *s))
        .collect();
    assert!(via.contains(&("terraform.tfvars".into(), 2)), "{via:?}");
    // *.auto.tfvars.json beats the default.
    assert_eq!(
        ng.instance_types[0].get().map(String::as_str),
        Some("c5.xlarge")
    );

    // --var beats every file.
    let s = Settings {
        vars: vec![("max_nodes".into(), "7".into())],
        ..settings()
    };
    let r = run("tfvars-override", &s);
    assert_eq!(r.clusters[0].node_groups[0].max_size.get(), Some(&7));
}

#[test]
fn vpc_cni_addon_configuration_values_have_spans() {
    let r = run("addon-min-ip", &settings());
    let c = cluster(&r, "addon");
    assert_eq!(c.node_groups.len(), 1, "attached by literal cluster name");
    let min = c
        .cni
        .env
        .get("MINIMUM_IP_TARGET")
        .expect("MINIMUM_IP_TARGET");
    assert_eq!(min.value, "10");
    assert_eq!(at(&r, min.origin.span), ("main.tf".into(), 36));
    assert_eq!(c.cni.env.get("WARM_ENI_TARGET").unwrap().value, "0");
    assert!(!c.cni.env.contains_key("WARM_IP_TARGET"));
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::EKS302)
        .expect("EKS302");
    assert_eq!(at(&r, d.span), ("main.tf".into(), 36));
}

#[test]
fn helm_release_and_launch_template() {
    let r = run("helm-cni", &settings());
    let c = cluster(&r, "helm");
    assert_eq!(
        c.cni.env.get("ENABLE_PREFIX_DELEGATION").unwrap().value,
        "true"
    );
    let wpt = c.cni.env.get("WARM_PREFIX_TARGET").unwrap();
    assert_eq!(wpt.value, "1");
    assert_eq!(at(&r, wpt.origin.span), ("main.tf".into(), 53));
    let ng = &c.node_groups[0];
    assert_eq!(
        ng.instance_types[0].get().map(String::as_str),
        Some("m5.2xlarge")
    );
    assert_eq!(ng.max_pods.get(), Some(&110));
    assert!(ng.custom_ami);
}

#[test]
fn data_source_subnets_are_unknown_not_errors() {
    let r = run("data-subnets", &settings());
    no_errors(&r);
    let c = cluster(&r, "data");
    let Value::Unknown(u) = &c.node_groups[0].subnets else {
        panic!("subnets should be unknown: {:?}", c.node_groups[0].subnets)
    };
    assert!(
        u.reason.contains("data.aws_subnets.private"),
        "{}",
        u.reason
    );
    // The root cause is the data block (line 1), not the use on line 28: every use of one
    // data source is one unknown, so one note.
    assert_eq!(at(&r, u.span), ("main.tf".into(), 1));
    let Value::Unknown(u) = &c.control_plane_subnets else {
        panic!("control plane subnets should be unknown")
    };
    assert!(u.reason.contains("remote state"), "{}", u.reason);
}

#[test]
fn syntax_error_is_eks903_and_other_files_count() {
    let r = run("syntax-error", &settings());
    let d = r
        .diagnostics
        .iter()
        .find(|d| d.code == Code::EKS903)
        .expect("EKS903");
    assert_eq!(at(&r, d.span), ("broken.tf".into(), 3));
    let col = r.sources.location(d.span).start.column;
    assert!(col >= 14, "column {col}");
    // main.tf still counts: a synthetic cluster named after cluster_name.
    let c = cluster(&r, "orphan");
    assert_eq!(cidrs(c), ["10.9.0.0/24"]);
    let ng = &c.node_groups[0];
    let Value::Known(t, o) = &ng.instance_types[0] else {
        panic!()
    };
    assert_eq!(t, "t3.medium");
    assert!(o.defaulted);
}

/// Every `.tf` file of public module repositories parses (run with
/// `EKS_LINT_PUBLIC_TF=/tmp/a:/tmp/b cargo test --test terraform -- --ignored`).
#[test]
#[ignore = "needs local checkouts of public repositories"]
fn public_repositories_parse_without_eks903() {
    let Ok(dirs) = std::env::var("EKS_LINT_PUBLIC_TF") else {
        return;
    };
    for dir in dirs.split(':') {
        let r = check(&[PathBuf::from(dir)], &settings());
        let tf = r
            .sources
            .files()
            .filter(|(_, f)| f.display.ends_with(".tf") || f.display.ends_with(".tf.json"))
            .count();
        let errs: Vec<_> = r
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::EKS903)
            .map(|d| format!("{:?} {}", r.sources.location(d.span), d.message))
            .collect();
        println!(
            "{dir}: {tf} Terraform files, {} EKS903, {} clusters",
            errs.len(),
            r.clusters.len()
        );
        assert!(errs.is_empty(), "{errs:#?}");
    }
}

#[test]
fn tf_json_and_dynamic_blocks() {
    let r = run("json-and-dynamic", &settings());
    no_errors(&r);
    let c = cluster(&r, "mixed");
    assert_eq!(cidrs(c), ["10.50.0.0/24", "10.50.1.0/24"]);
    assert_eq!(
        c.subnets[1].az.get().map(String::as_str),
        Some("us-east-2b")
    );
    // JSON spans are anchored at the keys and strings of the JSON file.
    let o = c.subnets[0].cidr.origin().unwrap();
    assert_eq!(r.sources.get(o.span.file).slice(o.span), "\"cidr_block\"");
    assert_eq!(at(&r, o.span), ("network.tf.json".into(), 18));
    let via: Vec<_> = o.via.iter().map(|s| at(&r, *s)).collect();
    assert!(
        via.contains(&("network.tf.json".into(), 5)),
        "var default: {via:?}"
    );
    let ng = &c.node_groups[0];
    assert_eq!(ng.max_size.get(), Some(&12));
    assert_eq!(ng.instance_types.len(), 2);
    assert_eq!(c.cni.env.get("WARM_IP_TARGET").unwrap().value, "4");
    assert_eq!(c.cni.env.get("MINIMUM_IP_TARGET").unwrap().value, "8");
}

#[test]
fn dynamic_blocks_with_known_and_unknown_for_each() {
    let r = run("dynamic-blocks", &settings());
    assert!(
        r.diagnostics.iter().all(|d| d.code != Code::EKS903),
        "{:?}",
        r.diagnostics
    );
    let c = cluster(&r, "dynamic");
    assert_eq!(
        c.control_plane_subnets.get().map(Vec::len),
        Some(2),
        "vpc_config from a dynamic block"
    );
    let ng = |n: &str| c.node_groups.iter().find(|g| g.name == n).unwrap();
    // Known: sizes from the generated scaling_config (origin in the content block, via the
    // local), the launch template found through the generated launch_template block.
    let general = ng("general");
    assert_eq!(general.max_size.get(), Some(&40));
    let o = general.max_size.origin().unwrap();
    assert_eq!(at(&r, o.span), ("main.tf".into(), 54));
    assert!(o.via.iter().any(|s| at(&r, *s) == ("main.tf".into(), 11)));
    assert_eq!(general.instance_types[0].get().unwrap(), "m5.2xlarge");
    assert_eq!(general.max_pods.get(), Some(&58));
    let workers = ng("workers");
    let types: Vec<_> = workers
        .instance_types
        .iter()
        .filter_map(|t| t.get())
        .collect();
    assert_eq!(types, ["c5.4xlarge", "m5.4xlarge"]);
    // Unknown: the blocks' contents are unknown with the reason, not absent.
    let spot = ng("spot");
    for v in [&spot.min_size, &spot.max_size, &spot.desired_size] {
        let u = v.unknown_reason().expect("unknown sizes");
        assert!(
            u.reason.contains("`dynamic \"scaling_config\"`"),
            "{}",
            u.reason
        );
    }
    let batch = ng("batch");
    assert!(batch.instance_types.is_empty());
    let u = batch
        .instance_types_unknown
        .as_ref()
        .expect("unknown types");
    assert!(
        u.reason.contains("data.aws_ec2_instance_types.batch"),
        "{}",
        u.reason
    );
}

#[test]
fn self_managed_asg_with_templatefile_user_data() {
    let r = run("self-managed-asg", &settings());
    no_errors(&r);
    let c = cluster(&r, "selfmanaged");
    assert_eq!(cidrs(c), ["10.60.0.0/24", "10.60.1.0/24"]);
    let vpc = c.vpc.as_ref().unwrap();
    let vcidrs: Vec<_> = vpc
        .cidrs
        .iter()
        .map(|x| x.get().unwrap().text.clone())
        .collect();
    assert_eq!(vcidrs, ["10.60.0.0/16", "100.64.0.0/16"]);
    assert_eq!(c.subnets[0].prefix_reservations.len(), 1);
    assert_eq!(
        c.subnets[0].prefix_reservations[0].get().unwrap().text,
        "10.60.0.128/25"
    );
    let ng = &c.node_groups[0];
    assert_eq!(ng.kind, eks_lint::model::NodeGroupKind::SelfManaged);
    assert_eq!(ng.name, "selfmanaged-workers");
    let types: Vec<_> = ng
        .instance_types
        .iter()
        .map(|t| t.get().unwrap().clone())
        .collect();
    assert_eq!(types, ["m6i.large", "m5.large"]);
    assert_eq!(ng.max_size.get(), Some(&12));
    assert_eq!(
        ng.max_pods.get(),
        Some(&29),
        "nodeadm maxPods through templatefile"
    );
    assert!(ng.custom_ami);
    assert_eq!(ng.subnets.get(), Some(&vec![0, 1]));
    // Raw JSON configuration_values: env values located on their lines.
    let pd = c.cni.env.get("ENABLE_PREFIX_DELEGATION").unwrap();
    assert_eq!(pd.value, "true");
    assert_eq!(at(&r, pd.origin.span), ("main.tf".into(), 80));
    assert_eq!(
        at(&r, c.cni.env.get("WARM_PREFIX_TARGET").unwrap().origin.span).1,
        81
    );
}

#[test]
fn unresolved_launch_template_leaves_instance_type_unknown() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"variable "lt_id" {}
resource "aws_subnet" "a" {
  cidr_block = "10.0.0.0/24"
}
resource "aws_eks_node_group" "ng" {
  cluster_name = "x"
  subnet_ids   = [aws_subnet.a.id]
  launch_template {
    id      = var.lt_id
    version = "1"
  }
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 500
  }
}
"#,
    )
    .unwrap();
    let r = check(&[dir.path().to_path_buf()], &settings());
    no_errors(&r);
    let ng = &r.clusters[0].node_groups[0];
    assert!(ng.instance_types.is_empty());
    assert!(ng
        .instance_types_unknown
        .as_ref()
        .unwrap()
        .reason
        .contains("launch template"));
}

#[test]
fn node_groups_on_the_same_unknown_cluster_share_it() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "aws_subnet" "ipam" {
  vpc_id            = "vpc-123"
  ipv4_ipam_pool_id = "ipam-pool-1"
}
resource "aws_eks_node_group" "a" {
  cluster_name   = module.eks.cluster_name
  instance_types = ["m5.large"]
  subnet_ids     = [aws_subnet.ipam.id]
}
resource "aws_eks_node_group" "b" {
  cluster_name   = module.eks.cluster_name
  instance_types = ["m5.large"]
  subnet_ids     = [aws_subnet.ipam.id]
}
"#,
    )
    .unwrap();
    let r = check(&[dir.path().to_path_buf()], &settings());
    no_errors(&r);
    assert_eq!(r.clusters.len(), 1);
    let c = &r.clusters[0];
    assert_eq!(c.node_groups.len(), 2);
    assert!(c
        .name
        .unknown_reason()
        .unwrap()
        .reason
        .contains("module.eks.cluster_name"));
    assert!(c.subnets[0]
        .cidr
        .unknown_reason()
        .unwrap()
        .reason
        .contains("IPAM"));
}

#[test]
fn custom_networking_eniconfigs_from_kubernetes_manifest() {
    let r = run("custom-networking", &settings());
    no_errors(&r);
    let c = cluster(&r, "customnet");
    assert_eq!(
        cidrs(c),
        [
            "10.80.0.0/24",
            "10.80.1.0/24",
            "100.64.0.0/18",
            "100.64.64.0/18"
        ]
    );
    assert_eq!(c.cni.eni_configs.len(), 2);
    let e = &c.cni.eni_configs[1];
    assert_eq!(e.az.get().map(String::as_str), Some("eu-central-1b"));
    assert_eq!(
        c.subnets[*e.subnet.get().unwrap()].name,
        "aws_subnet.pods[\"eu-central-1b\"]"
    );
    let vpc = c.vpc.as_ref().unwrap();
    assert_eq!(vpc.cidrs.len(), 2);
    // Pod addresses come from the ENIConfig subnets of each node subnet's AZ.
    let fit = r.facts[0].node_groups[0].fit.as_ref().unwrap();
    assert_eq!(fit[0].pod_subnet, 2);
    assert_eq!(fit[1].pod_subnet, 3);
}

#[test]
fn asg_without_any_instance_type_is_unknown_not_defaulted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "aws_subnet" "a" {
  cidr_block = "10.0.0.0/24"
}
resource "aws_launch_template" "lt" {
  name = "abs"
  instance_requirements {
    vcpu_count {
      min = 4
    }
  }
}
resource "aws_autoscaling_group" "g" {
  max_size            = 10
  min_size            = 1
  vpc_zone_identifier = [aws_subnet.a.id]
  launch_template {
    id = aws_launch_template.lt.id
  }
  tag {
    key                 = "kubernetes.io/cluster/abs"
    value               = "owned"
    propagate_at_launch = true
  }
}
"#,
    )
    .unwrap();
    let r = check(&[dir.path().to_path_buf()], &settings());
    no_errors(&r);
    let c = cluster(&r, "abs");
    let ng = &c.node_groups[0];
    assert!(ng.instance_types.is_empty());
    assert!(ng.instance_types_unknown.is_some());
}

/// `terraform.workspace`: `default` without a choice, the settings' workspace otherwise (the
/// CLI fills it from `--workspace`, else `TF_WORKSPACE`); `basename(path.cwd)` is the root
/// module's directory name.
#[test]
fn workspace_and_path_name_the_cluster() {
    let r = run("path-workspace", &settings());
    let c = cluster(&r, "path-workspace-default");
    assert_eq!(c.node_groups[0].name, "nodes");
    assert_eq!(c.node_groups[0].max_size.get(), Some(&3));
    assert!(!r.diagnostics.iter().any(|d| d.code == Code::EKS101));
    let prod = Settings {
        workspace: Some("prod".into()),
        ..settings()
    };
    let r = run("path-workspace", &prod);
    let c = cluster(&r, "path-workspace-prod");
    assert_eq!(c.node_groups[0].max_size.get(), Some(&40));
    assert!(r.diagnostics.iter().any(|d| d.code == Code::EKS101));
}

/// The CLI reads `TF_WORKSPACE` when `--workspace` is not given.
#[test]
fn tf_workspace_environment_selects_the_workspace() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args(["capacity", "--format", "json"])
        .arg(case("path-workspace"))
        .env("TF_WORKSPACE", "prod")
        .output()
        .expect("run eks-lint");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"path-workspace-prod\""), "{text}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eks-lint"))
        .args(["capacity", "--format", "json", "--workspace", "staging"])
        .arg(case("path-workspace"))
        .env("TF_WORKSPACE", "prod")
        .output()
        .expect("run eks-lint");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\"path-workspace-staging\""), "{text}");
}
