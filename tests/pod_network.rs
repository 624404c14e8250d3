//! Which pod network the Terraform and eksctl front ends make eks-lint assume (issue 14 items 6
//! and 9), from configuration written to a temporary directory, through `eks_lint::check`.

use eks_lint::capacity::pod_network::PodNetwork;
use eks_lint::settings::Settings;

/// A cluster with one managed m5.large group of max 10 on a /26 (59 usable): under the VPC CNI
/// 20 addresses per node at one pod, 2 nodes fit, so EKS101 fires; with one address per node
/// (an overlay) 59 fit and it must not.
const CLUSTER: &str = r#"
resource "aws_subnet" "a" {
  cidr_block        = "10.9.0.0/26"
  availability_zone = "eu-west-1a"
}
resource "aws_eks_cluster" "c" {
  name = "c"
  vpc_config { subnet_ids = [aws_subnet.a.id] }
}
resource "aws_eks_node_group" "ng" {
  cluster_name   = aws_eks_cluster.c.name
  subnet_ids     = [aws_subnet.a.id]
  instance_types = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 10
    desired_size = 1
  }
}
"#;

fn network(extra: &str, file: &str) -> (PodNetwork, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(file), extra).unwrap();
    if file.ends_with(".tf") {
        std::fs::write(dir.path().join("cluster.tf"), CLUSTER).unwrap();
    }
    // Settings::default() reads nothing from the process (no TF_VAR_*).
    let s = Settings::default();
    let r = eks_lint::check(&[dir.path().to_path_buf()], &s);
    let codes = r
        .diagnostics
        .iter()
        .filter(|d| d.level == eks_lint::diag::Level::Error)
        .map(|d| d.code.to_string())
        .collect();
    (r.facts[0].pod_network.clone(), codes)
}

fn release(chart: &str, body: &str) -> String {
    format!(
        "resource \"helm_release\" \"x\" {{\n  name = \"x\"\n  chart = \"{chart}\"\n{body}\n}}\n"
    )
}

#[test]
fn cilium_modes() {
    let set =
        |k: &str, v: &str| format!("  set {{\n    name  = \"{k}\"\n    value = \"{v}\"\n  }}");
    let (n, errors) = network(&release("cilium", ""), "cni.tf");
    assert!(
        matches!(n, PodNetwork::Overlay { plugin: "Cilium", ref why, .. } if why.contains("ipam.mode=cluster-pool")),
        "{n:?}"
    );
    assert!(errors.is_empty(), "{errors:?}");
    let (n, _) = network(
        &release("cilium", &set("ipam.mode", "kubernetes")),
        "cni.tf",
    );
    assert!(
        matches!(n, PodNetwork::Overlay { ref why, .. } if why.contains("ipam.mode=kubernetes")),
        "{n:?}"
    );
    // Chained with the VPC CNI: the VPC CNI gives the addresses, and EKS101 still fires.
    let (n, errors) = network(
        &release("cilium", &set("cni.chainingMode", "aws-cni")),
        "cni.tf",
    );
    assert!(matches!(n, PodNetwork::VpcCni { note: Some(_) }), "{n:?}");
    assert_eq!(errors, ["EKS101"]);
    // ENI mode from a YAML values string.
    let values = "  values = [\"eni:\\n  enabled: true\\n\"]";
    let (n, errors) = network(&release("cilium/cilium", values), "cni.tf");
    assert!(
        matches!(n, PodNetwork::Unmodelled { ref why, .. } if why.contains("ENI IPAM")),
        "{n:?}"
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn calico_modes_and_aws_node_removal() {
    let (n, _) = network(
        &release(
            "tigera-operator",
            "  values = [yamlencode({ installation = { cni = { type = \"AmazonVPC\" } } })]",
        ),
        "cni.tf",
    );
    assert!(matches!(n, PodNetwork::VpcCni { note: Some(_) }), "{n:?}");
    let (n, _) = network(
        &release(
            "projectcalico/tigera-operator",
            "  values = [yamlencode({ installation = { cni = { type = \"Calico\" } } })]",
        ),
        "cni.tf",
    );
    assert!(
        matches!(
            n,
            PodNetwork::Overlay {
                plugin: "Calico",
                ..
            }
        ),
        "{n:?}"
    );
    let patch = r#"resource "terraform_data" "p" {
  provisioner "local-exec" {
    command = "kubectl -n kube-system patch daemonset aws-node -p '{\"spec\":{\"template\":{\"spec\":{\"nodeSelector\":{\"none\":\"true\"}}}}}'"
  }
}"#;
    let (n, errors) = network(patch, "cni.tf");
    assert!(
        matches!(n, PodNetwork::Unmodelled { ref why, .. } if why.contains("aws-node")),
        "{n:?}"
    );
    assert!(errors.is_empty(), "{errors:?}");
    // A local-exec that only reads aws-node says nothing.
    let read = patch
        .replace("patch daemonset aws-node -p", "get daemonset aws-node -o")
        .replace("nodeSelector", "x");
    assert!(matches!(
        network(&read, "cni.tf").0,
        PodNetwork::VpcCni { note: None }
    ));
}

#[test]
fn eksctl_default_addons() {
    let yaml = |addons: &str| {
        format!("apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: e\n  region: eu-west-1\naddonsConfig:\n  disableDefaultAddons: true\n{addons}managedNodeGroups:\n  - name: ng\n    instanceType: m5.large\n")
    };
    let (n, _) = network(&yaml(""), "cluster.yaml");
    assert!(
        matches!(n, PodNetwork::Unmodelled { ref why, .. } if why.contains("disableDefaultAddons")),
        "{n:?}"
    );
    let (n, _) = network(&yaml("addons:\n  - name: vpc-cni\n"), "cluster.yaml");
    assert_eq!(n, PodNetwork::VpcCni { note: None });
}
