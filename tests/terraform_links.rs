//! Terraform values that come from elsewhere in the scan (issue 16 items 8 and 10): ENIConfigs
//! written as manifests or rendered by the aws-vpc-cni chart, and subnets one root hands to
//! another (SSM parameters, `data.aws_subnets` tag filters).

use eks_lint::code::Code;
use eks_lint::model::Cluster;
use eks_lint::settings::Settings;
use eks_lint::{check, Report};
use std::path::{Path, PathBuf};

fn settings() -> Settings {
    Settings {
        base_dir: Some(PathBuf::from(env!("CARGO_MANIFEST_DIR"))),
        ..Settings::default()
    }
}

fn case(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/terraform")
        .join(name)
}

/// Write `files` (relative path, text) under a temporary directory and check it.
fn check_files(files: &[(&str, &str)]) -> (tempfile::TempDir, Report) {
    let dir = tempfile::tempdir().unwrap();
    for (p, text) in files {
        let path = dir.path().join(p);
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let r = check(&[dir.path().to_path_buf()], &settings());
    (dir, r)
}

fn only_cluster(r: &Report) -> &Cluster {
    assert_eq!(r.clusters.len(), 1, "{:?}", r.clusters);
    &r.clusters[0]
}

fn codes(r: &Report) -> Vec<Code> {
    r.diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn kubectl_manifest_eniconfigs_link_their_pod_subnets() {
    let r = check(&[case("eniconfig-kubectl")], &settings());
    let c = only_cluster(&r);
    let zones: Vec<_> = c
        .cni
        .eni_configs
        .iter()
        .map(|e| e.az.get().cloned())
        .collect();
    assert_eq!(
        zones,
        [
            Some("eu-west-1a".to_string()),
            Some("eu-west-1b".to_string())
        ]
    );
    let a = c.cni.eni_configs[0].subnet.get().copied().unwrap();
    assert_eq!(c.subnets[a].name, "aws_subnet.pods[\"eu-west-1a\"]");
    // By id: not known, so a note, not an error.
    assert!(!c.cni.eni_configs[1].subnet.is_known());
    assert!(codes(&r).contains(&Code::EKS307));
    assert!(!codes(&r).contains(&Code::EKS101));
}

#[test]
fn helm_chart_eniconfigs_from_values_and_set() {
    let r = check(&[case("eniconfig-helm")], &settings());
    let c = only_cluster(&r);
    let got: Vec<_> = c
        .cni
        .eni_configs
        .iter()
        .map(|e| {
            (
                e.az.get().cloned().unwrap_or_default(),
                c.subnets[*e.subnet.get().unwrap()].name.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("us-east-2a".into(), "aws_subnet.pods_a".into()),
            ("us-east-2b".into(), "aws_subnet.pods_b".to_string())
        ]
    );
    assert!(codes(&r).contains(&Code::EKS101));
    assert!(!codes(&r).contains(&Code::EKS307));
}

const CHART_CLUSTER: &str = r#"
resource "aws_subnet" "nodes" {
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-east-2a"
}
resource "aws_subnet" "pods" {
  cidr_block        = "100.64.0.0/24"
  availability_zone = "us-east-2a"
}
resource "aws_eks_cluster" "c" {
  name = "c"
  vpc_config {
    subnet_ids = [aws_subnet.nodes.id]
  }
}
resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "ng"
  subnet_ids      = [aws_subnet.nodes.id]
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 2
  }
}
"#;

fn chart(create: &str) -> String {
    format!(
        r#"{CHART_CLUSTER}
variable "create" {{}}
resource "helm_release" "cni" {{
  chart = "aws-vpc-cni"
  set {{
    name  = "env.AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"
    value = "true"
  }}
  {create}
  set {{
    name  = "eniConfig.subnets.us-east-2a.id"
    value = aws_subnet.pods.id
  }}
}}
"#
    )
}

/// `eniConfig.create` decides: the chart's default (false) renders none, an unknown value
/// gives an ENIConfig of unknown zone (a note, never a missing-zone error).
#[test]
fn chart_create_flag_decides() {
    let (_d, r) = check_files(&[("main.tf", &chart(""))]);
    assert!(only_cluster(&r).cni.eni_configs.is_empty());
    let (_d, r) = check_files(&[(
        "main.tf",
        &chart("set {\n name = \"eniConfig.create\"\n value = \"true\"\n }"),
    )]);
    let e = &only_cluster(&r).cni.eni_configs;
    assert_eq!(e.len(), 1);
    assert!(e[0].subnet.is_known());
    let (_d, r) = check_files(&[(
        "main.tf",
        &chart("set {\n name = \"eniConfig.create\"\n value = var.create\n }"),
    )]);
    let e = &only_cluster(&r).cni.eni_configs;
    assert_eq!(e.len(), 1);
    assert!(!e[0].az.is_known());
    assert!(!codes(&r).contains(&Code::EKS307));
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.code == Code::EKS901 && d.message.contains("ENIConfig pod subnet")));
}

#[test]
fn subnets_cross_roots_through_ssm_and_tags() {
    let r = check(&[case("cross-root")], &settings());
    // The network root defines no cluster and yields none.
    assert_eq!(r.clusters.len(), 2);
    let by = |n: &str| {
        r.clusters
            .iter()
            .find(|c| c.name.get().is_some_and(|x| x == n))
            .unwrap()
    };
    let ssm = by("linked-ssm");
    let names = |c: &Cluster, g: usize| -> Vec<String> {
        let ids = c.node_groups[g].subnets.get().cloned().unwrap_or_default();
        ids.iter().map(|&i| c.subnets[i].name.clone()).collect()
    };
    let general = ssm
        .node_groups
        .iter()
        .position(|g| g.name == "general")
        .unwrap();
    // Named after their root, as displayed (from the crate root here).
    let root = "(root testdata/terraform/cross-root/network)";
    assert_eq!(
        names(ssm, general),
        [
            format!("aws_subnet.private[0] {root}"),
            format!("aws_subnet.private[1] {root}")
        ]
    );
    let legacy = ssm.node_groups.iter().find(|g| g.name == "legacy").unwrap();
    let Some(u) = legacy.subnets.unknown_reason() else {
        panic!("legacy subnets: {:?}", legacy.subnets)
    };
    assert!(u
        .reason
        .contains("no scanned root writes SSM parameter `/legacy/subnet-ids`"));
    let tags = by("linked-tags");
    assert_eq!(
        names(tags, 0),
        [
            format!("aws_subnet.small[0] {root}"),
            format!("aws_subnet.small[1] {root}")
        ]
    );
    let eks101 = r
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::EKS101)
        .count();
    assert_eq!(eks101, 2);
}

/// Alone, a cluster root's data sources are read from AWS at plan time, as before.
#[test]
fn without_the_producer_the_data_source_is_unknown() {
    let r = check(&[case("cross-root").join("cluster-ssm")], &settings());
    let c = only_cluster(&r);
    assert!(c.node_groups.iter().all(|g| !g.subnets.is_known()));
    assert!(!codes(&r).contains(&Code::EKS101));
}

const VPC_NETWORK: &str = r#"
module "vpc" {
  source              = "terraform-aws-modules/vpc/aws"
  cidr                = "10.40.0.0/16"
  azs                 = ["eu-west-1a", "eu-west-1b"]
  private_subnets     = ["10.40.0.0/26", "10.40.0.64/26"]
  private_subnet_tags = { Tier = "private" }
}
resource "aws_ssm_parameter" "ids" {
  name  = "/vpc/private"
  value = jsonencode(module.vpc.private_subnets)
}
"#;

fn consumer(subnets: &str) -> String {
    format!(
        r#"
data "aws_ssm_parameter" "ids" {{
  name = "/vpc/private"
}}
data "aws_subnets" "private" {{
  tags = {{ Tier = "private" }}
}}
resource "aws_eks_cluster" "c" {{
  name = "c"
  vpc_config {{
    subnet_ids = {subnets}
  }}
}}
resource "aws_eks_node_group" "ng" {{
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "ng"
  subnet_ids      = {subnets}
  instance_types  = ["m5.large"]
  scaling_config {{
    min_size     = 1
    desired_size = 1
    max_size     = 2
  }}
}}
"#
    )
}

/// Subnets of the terraform-aws-modules vpc model cross roots too, by SSM parameter and by
/// the module's subnet tags.
#[test]
fn vpc_module_subnets_cross_roots() {
    for subnets in [
        "jsondecode(data.aws_ssm_parameter.ids.value)",
        "data.aws_subnets.private.ids",
    ] {
        let (_d, r) = check_files(&[
            ("net/main.tf", VPC_NETWORK),
            ("eks/main.tf", &consumer(subnets)),
        ]);
        let c = only_cluster(&r);
        let ids = c.node_groups[0].subnets.get().cloned().unwrap_or_default();
        let cidrs: Vec<_> = ids
            .iter()
            .map(|&i| c.subnets[i].cidr.get().map(|c| c.text.clone()))
            .collect();
        assert_eq!(
            cidrs,
            [Some("10.40.0.0/26".into()), Some("10.40.0.64/26".into())],
            "{subnets}"
        );
    }
}

/// A manifest whose body is not known, named like an ENIConfig, is an ENIConfig of unknown
/// zone: a note, and no zone is reported as missing one.
#[test]
fn an_unread_eniconfig_manifest_is_a_note() {
    let tf = format!(
        r#"{CHART_CLUSTER}
resource "aws_eks_addon" "cni" {{
  cluster_name         = aws_eks_cluster.c.name
  addon_name           = "vpc-cni"
  configuration_values = jsonencode({{ env = {{ AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true" }} }})
}}
resource "kubectl_manifest" "eniconfig_a" {{
  yaml_body = data.http.eni.response_body
}}
"#
    );
    let (_d, r) = check_files(&[("main.tf", &tf)]);
    let e = &only_cluster(&r).cni.eni_configs;
    assert_eq!(e.len(), 1);
    assert!(!e[0].az.is_known());
    assert!(!codes(&r).contains(&Code::EKS307));
    assert!(r
        .diagnostics
        .iter()
        .any(|d| d.code == Code::EKS901 && d.message.contains("the zone of an ENIConfig")));
}
