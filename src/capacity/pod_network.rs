//! Who gives pods their addresses (issue 14 items 6, 7 and 9), decided once per cluster and
//! applied to the capacity facts, so every rule and the capacity report use the same model:
//!
//! - the VPC CNI (the EKS default): the `aws::cni` model;
//! - IPv6: pods get addresses from the /80 prefix ipamd assigns to the primary ENI, so a node
//!   takes one IPv4 address (its own) from its subnet;
//! - an overlay (Calico's IPAM, Cilium's cluster-pool/kubernetes IPAM): pods get addresses from
//!   the overlay's pool, a node takes one VPC address, and max pods is the kubelet's default
//!   (110) unless set;
//! - Cilium's ENI IPAM, or no VPC CNI and no other CNI in the files: pods take VPC addresses in
//!   a way eks-lint does not model, so capacity is unknown (EKS901), not guessed.
//!
//! - EKS Auto Mode (a cluster whose only compute is Auto Mode pools): AWS manages pod
//!   addressing and the VPC CNI settings do not apply (Amazon EKS User Guide, "Learn about VPC
//!   Networking and Load Balancing in EKS Auto Mode", auto-networking.html);
//!   [`super::pod_facts`] gives Auto Mode pools their own note on any cluster.
//!
//! Windows node groups get the VPC resource controller's model ([`super::windows`]) on a VPC
//! CNI cluster. [`super::pod_facts`] applies all of it to the capacity facts.

use crate::model::{Cluster, CniPluginEvidence, CniPluginKind, IpFamily};
use crate::source::Span;

/// The kubelet's `maxPods` default (KubeletConfiguration).
pub const KUBELET_DEFAULT_MAX_PODS: u32 = 110;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PodNetwork {
    /// The VPC CNI. `note` says why when another plugin was found (policy-only Calico/Cilium).
    VpcCni {
        note: Option<String>,
    },
    Ipv6 {
        span: Span,
    },
    Overlay {
        plugin: &'static str,
        why: String,
        span: Span,
    },
    Unmodelled {
        why: String,
        span: Span,
    },
    /// Every node of the cluster is an EKS Auto Mode node.
    AutoMode {
        span: Span,
    },
}

impl PodNetwork {
    /// One line for the capacity report: which CNI was assumed and why.
    pub fn describe(&self) -> String {
        match self {
            PodNetwork::VpcCni { note: None } => {
                "VPC CNI (the EKS default; no other CNI in the scanned files)".to_string()
            }
            PodNetwork::VpcCni { note: Some(n) } => format!("VPC CNI ({n})"),
            PodNetwork::Ipv6 { .. } => "VPC CNI in IPv6 mode: pods get IPv6 addresses from each node's /80 prefix; a node takes one IPv4 address from its subnet".to_string(),
            PodNetwork::Overlay { plugin, why, .. } => format!(
                "{plugin} overlay ({why}): pods get addresses from the overlay, not the VPC; a node takes one address from its subnet; max pods {KUBELET_DEFAULT_MAX_PODS} (the kubelet default) unless set"
            ),
            PodNetwork::Unmodelled { why, .. } => format!("not modelled: {why}"),
            PodNetwork::AutoMode { .. } => "EKS Auto Mode: AWS manages pod addresses (prefix delegation, each node reserving at least one /28; the VPC CNI settings do not apply)".to_string(),
        }
    }

    /// Pods take VPC addresses through the VPC CNI (the `aws::cni` model and its rules apply).
    pub fn vpc_cni_pods(&self) -> bool {
        matches!(self, PodNetwork::VpcCni { .. })
    }
}

fn first(e: &[CniPluginEvidence], kinds: &[CniPluginKind]) -> Option<CniPluginEvidence> {
    e.iter().find(|x| kinds.contains(&x.kind)).cloned()
}

/// Decide from the cluster's IP family and the CNI evidence the front ends found.
pub fn decide(cluster: &Cluster, ipv6: bool) -> PodNetwork {
    use CniPluginKind::*;
    let e = &cluster.cni.plugins;
    let auto_only = !cluster.node_groups.is_empty()
        && cluster.node_groups.iter().all(|g| {
            g.pool
                .and_then(|p| cluster.node_pools.get(p))
                .is_some_and(|p| p.class.is_auto_mode())
        });
    if auto_only && !ipv6 {
        let span = cluster.auto_mode.as_ref().map_or(cluster.span, |a| a.span);
        return PodNetwork::AutoMode { span };
    }
    if let Some(x) = first(e, &[CalicoOverlay, CiliumOverlay]) {
        let plugin = if x.kind == CalicoOverlay {
            "Calico"
        } else {
            "Cilium"
        };
        return PodNetwork::Overlay {
            plugin,
            why: x.what,
            span: x.span,
        };
    }
    if let Some(x) = first(e, &[CiliumEni]) {
        return PodNetwork::Unmodelled {
            why: format!(
                "{}: Cilium's operator allocates the VPC addresses with its own pre-allocation",
                x.what
            ),
            span: x.span,
        };
    }
    if let Some(x) = first(e, &[AwsNodeRemoved]) {
        return PodNetwork::Unmodelled {
            why: format!("{} and no other CNI is in the scanned files", x.what),
            span: x.span,
        };
    }
    // Without EKS's default add-ons, only a vpc-cni add-on or Helm release installs the VPC CNI.
    if let Some(x) = first(e, &[NoDefaultAddons]).filter(|_| cluster.cni.span.is_none()) {
        return PodNetwork::Unmodelled {
            why: format!(
                "{} and no vpc-cni add-on, so the VPC CNI is not installed, and no other CNI is in the scanned files",
                x.what
            ),
            span: x.span,
        };
    }
    if ipv6 {
        let span = cluster
            .ip_family
            .span()
            .filter(|_| matches!(cluster.ip_family.get(), Some(IpFamily::Ipv6)))
            .or_else(|| cluster.cni.env.get("ENABLE_IPv6").map(|s| s.origin.span))
            .unwrap_or(cluster.span);
        return PodNetwork::Ipv6 { span };
    }
    PodNetwork::VpcCni {
        note: first(e, &[Chained]).map(|x| format!("{} gives policy only", x.what)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{SourceKind, Value};

    fn with(kinds: &[CniPluginKind]) -> Cluster {
        let mut c = Cluster::new(Value::Absent, Span::default(), SourceKind::Terraform);
        for &kind in kinds {
            c.cni.plugins.push(CniPluginEvidence {
                kind,
                what: format!("{kind:?}"),
                span: Span::default(),
            });
        }
        c
    }

    #[test]
    fn an_overlay_wins_then_unmodelled_signs_then_ipv6() {
        use CniPluginKind::*;
        let d = |k: &[CniPluginKind], v6| decide(&with(k), v6);
        assert!(matches!(
            d(&[Chained, CalicoOverlay], true),
            PodNetwork::Overlay {
                plugin: "Calico",
                ..
            }
        ));
        assert!(matches!(
            d(&[AwsNodeRemoved, CiliumOverlay], false),
            PodNetwork::Overlay {
                plugin: "Cilium",
                ..
            }
        ));
        assert!(matches!(
            d(&[CiliumEni], false),
            PodNetwork::Unmodelled { .. }
        ));
        assert!(matches!(
            d(&[AwsNodeRemoved], false),
            PodNetwork::Unmodelled { .. }
        ));
        assert!(matches!(
            d(&[NoDefaultAddons], false),
            PodNetwork::Unmodelled { .. }
        ));
        assert!(matches!(d(&[], true), PodNetwork::Ipv6 { .. }));
        let PodNetwork::VpcCni { note: Some(n) } = d(&[Chained], false) else {
            unreachable!()
        };
        assert!(n.contains("policy only"));
        assert_eq!(d(&[], false), PodNetwork::VpcCni { note: None });
        assert!(d(&[], false).describe().starts_with("VPC CNI"));
    }
}
