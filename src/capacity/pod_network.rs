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
//! Windows node groups get the VPC resource controller's model ([`super::windows`]) on a VPC
//! CNI cluster.

use super::{subnet_fits, windows, CapacityOptions, ClusterFacts, NodeGroupFacts, PodSubnets};
use crate::aws::cni::{CniSettings, NodeAddresses};
use crate::model::{Cluster, CniPluginEvidence, CniPluginKind, IpFamily, Unknown};
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

impl ClusterFacts {
    /// Pods take VPC addresses through the VPC CNI: the VPC CNI rules apply.
    pub fn vpc_cni_pods(&self) -> bool {
        self.pod_network.vpc_cni_pods()
    }
}

/// A node that takes only its own address from its subnet.
fn node_only() -> NodeAddresses {
    NodeAddresses {
        node_subnet: 1,
        ..NodeAddresses::default()
    }
}

/// Rewrite the per-type figures of `facts` for the cluster's pod network and Windows groups.
pub fn apply(cluster: &Cluster, facts: &mut ClusterFacts, opts: CapacityOptions) {
    let net = facts.pod_network.clone();
    let plain = CniSettings::default();
    let pods = PodSubnets::new(cluster);
    for g in &mut facts.node_groups {
        let Some(ng) = cluster.node_groups.get(g.index) else {
            continue;
        };
        let explicit = ng
            .max_pods
            .get()
            .filter(|&&n| n > 0)
            .map(|&n| n.min(i64::from(u32::MAX)) as u32);
        let windows = windows::is_windows(ng);
        match &net {
            PodNetwork::Unmodelled { why, span } => {
                unmodelled(g, "the pod network", why.clone(), *span);
                continue;
            }
            PodNetwork::VpcCni { .. } if !windows => continue,
            _ => {}
        }
        for t in &mut g.types {
            let win = windows && net.vpc_cni_pods();
            let m = if win {
                let cap = windows::max_pods(t.instance);
                t.eni_pod_limit = cap;
                t.default_max_pods = cap;
                explicit.map_or(cap, |e| e.min(cap))
            } else {
                let m = match &net {
                    PodNetwork::Overlay { .. } => explicit.unwrap_or(KUBELET_DEFAULT_MAX_PODS),
                    _ => t.max_pods,
                };
                if explicit.is_none() {
                    t.default_max_pods = m;
                }
                m
            };
            t.max_pods = m;
            t.full_pods = opts.pods_per_node.map_or(m, |p| p.min(m));
            (t.one_pod, t.full) = if win {
                (
                    windows::node_addresses(t.instance, 1),
                    windows::node_addresses(t.instance, t.full_pods),
                )
            } else {
                (node_only(), node_only())
            };
        }
        refit(cluster, g, &plain, &pods);
    }
}

/// A group whose addresses cannot be modelled: no per-type figures, one unknown for EKS901.
fn unmodelled(g: &mut NodeGroupFacts, what: &str, reason: String, span: Span) {
    g.types.clear();
    g.best = None;
    g.fit = None;
    g.unknowns
        .push((what.to_string(), Unknown { reason, span }));
}

/// The best type and subnet fit again, after the figures changed (pods from no ENIConfig).
fn refit(cluster: &Cluster, g: &mut NodeGroupFacts, plain: &CniSettings, pods: &PodSubnets) {
    let t = &g.types;
    g.best = (0..t.len()).min_by_key(|&i| (t[i].one_pod.total(), t[i].full.total()));
    let ids = cluster
        .node_groups
        .get(g.index)
        .and_then(|ng| ng.subnets.get().cloned());
    g.fit = match (ids, g.best) {
        (Some(ids), Some(b)) if !ids.is_empty() => {
            let mut ignored = Vec::new();
            subnet_fits(cluster, &ids, &g.types[b], plain, pods, &mut ignored)
        }
        _ => None,
    };
}
