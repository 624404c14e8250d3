//! The capacity facts with the pod network applied ([`super::pod_network`]): IPv6 and overlay
//! nodes take one address each, Windows groups get the VPC resource controller's figures
//! ([`super::windows`]), an unmodelled pod network leaves no figures but an unknown (EKS901).
//! [`analyze`] is the entry point every consumer uses; `capacity::analyze` alone gives the VPC
//! CNI figures. (A separate file so that `capacity.rs` does not depend on it.)

use super::pod_network::{PodNetwork, KUBELET_DEFAULT_MAX_PODS};
use super::{
    sizing_types, subnet_fits, windows, CapacityOptions, ClusterFacts, NodeGroupFacts, PodSubnets,
};
use crate::aws::cni::{CniSettings, NodeAddresses};
use crate::model::{Cluster, Unknown};
use crate::source::Span;

/// Capacity facts of `cluster` under its pod network.
pub fn analyze(cluster: &Cluster, opts: CapacityOptions) -> ClusterFacts {
    let mut facts = super::analyze(cluster, opts);
    apply(cluster, &mut facts, opts);
    facts
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
        if let Some(p) = ng.pool.and_then(|p| cluster.node_pools.get(p)) {
            if p.class.is_auto_mode() {
                let (why, span, bound) = auto_mode_reason(cluster, ng, p);
                unmodelled(g, "the addresses per node", why, span);
                g.auto_mode = Some(bound);
                continue;
            }
        }
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

/// Who set the max pods the sizing type `t` of `g` runs at, for machine-readable output:
/// `explicit`, the pod network's limit (`vpc-resource-controller` for Windows nodes, whose
/// `vpc.amazonaws.com/PrivateIPv4Address` resource caps any value above L − 1;
/// `kubelet-default` under an overlay, the kubelet's own 110) or the launcher's default.
pub fn max_pods_set_by(
    facts: &ClusterFacts,
    ng: &crate::model::NodeGroup,
    g: &NodeGroupFacts,
    t: Option<&super::TypeFacts>,
) -> &'static str {
    let explicit = match g.max_pods_source {
        super::MaxPodsSource::Explicit(_) => ng.max_pods.get().map(|&n| n.max(0) as u64),
        super::MaxPodsSource::Default => None,
    };
    if windows::is_windows(ng) && facts.vpc_cni_pods() {
        let cap = t.map(|t| u64::from(windows::max_pods(t.instance)));
        return match (explicit, cap) {
            (Some(e), Some(c)) if e <= c => "explicit",
            (Some(_), None) => "explicit",
            _ => "vpc-resource-controller",
        };
    }
    match (&facts.pod_network, explicit) {
        (_, Some(_)) => "explicit",
        (PodNetwork::Overlay { .. }, None) => "kubelet-default",
        _ if g.launcher == super::launcher::Launcher::Nodeadm
            && ng.max_pods_expression.get().is_some()
            && !g.assumed.iter().any(|(w, _)| w == "the maxPodsExpression") =>
        {
            "nodeadm-max-pods-expression"
        }
        _ => g.launcher.key(),
    }
}

/// Addresses an EKS Auto Mode node holds at least: one /28 prefix (AWS: "EKS Auto Mode uses
/// prefix delegation (/28 prefixes) by default. Each node reserves 16 pod IPs", Amazon EKS User
/// Guide, create-node-class.html) plus the node's primary address.
pub const AUTO_MODE_MIN_ADDRESSES: u64 = 16 + 1;

/// Why an Auto Mode pool's figures are not computed, with what is documented: the lower bound
/// per node and the node count at which its subnets run out at that bound.
fn auto_mode_reason(
    cluster: &Cluster,
    ng: &crate::model::NodeGroup,
    p: &crate::model::NodePool,
) -> (String, Span, super::AutoModeBound) {
    let span = match (&cluster.auto_mode, p.class_span) {
        (Some(a), None) => a.span,
        _ => p.span,
    };
    let mut why = format!(
        "EKS Auto Mode manages pod addresses itself: AWS documents prefix delegation with each node reserving a /28 (16 addresses) and a warm pool that grows with the pods, falling back to secondary IPs when the subnet has no free /28, but not the warm pool's size nor max pods, so a node holds at least {AUTO_MODE_MIN_ADDRESSES} addresses (its /28 and its own)"
    );
    let usable: Option<Vec<u64>> = ng.subnets.get().map(|ids| {
        ids.iter()
            .filter_map(|&id| super::subnet_usable(cluster, id))
            .collect()
    });
    let fit = usable.filter(|u| !u.is_empty()).map(|u| {
        let fit = super::sat_sum(u.iter().map(|x| x / AUTO_MODE_MIN_ADDRESSES));
        why.push_str(&format!(
            "; at that bound its {} subnet(s) hold at most {fit} nodes",
            u.len()
        ));
        fit
    });
    // Max pods is not documented: 1 keeps a `limits.pods` ceiling an upper bound.
    let ceiling = p
        .candidates
        .iter()
        .filter_map(|c| crate::aws::instances::lookup(c))
        .filter_map(|it| super::pool::type_ceiling(p, it, 1).map(|n| (n, it.name)))
        .max_by_key(|&(n, name)| (n, std::cmp::Reverse(name)));
    if p.pod_subnet_terms.is_known() {
        why.push_str("; its podSubnetSelectorTerms put pod addresses in other subnets, which eks-lint does not model");
    }
    if p.class_span.is_none() {
        why.push_str(" (the built-in `default` NodeClass is taken to use the cluster's subnets)");
    }
    let bound = super::AutoModeBound {
        min_addresses: AUTO_MODE_MIN_ADDRESSES,
        fit,
        ceiling,
    };
    (why, span, bound)
}

/// A group whose addresses cannot be modelled: no per-type figures, one unknown for EKS901.
fn unmodelled(g: &mut NodeGroupFacts, what: &str, reason: String, span: Span) {
    g.types.clear();
    g.sizing_one_pod = None;
    g.sizing_full = None;
    g.fit = None;
    g.unknowns
        .push((what.to_string(), Unknown { reason, span }));
}

/// The sizing types and subnet fit again, after the figures changed (pods from no ENIConfig).
fn refit(cluster: &Cluster, g: &mut NodeGroupFacts, plain: &CniSettings, pods: &PodSubnets) {
    (g.sizing_one_pod, g.sizing_full) = sizing_types(&g.types);
    let ids = cluster
        .node_groups
        .get(g.index)
        .and_then(|ng| ng.subnets.get().cloned());
    g.fit = match (ids, g.sizing_one_pod.zip(g.sizing_full)) {
        (Some(ids), Some((o, f))) if !ids.is_empty() => {
            let mut ignored = Vec::new();
            let sizing = (&g.types[o].one_pod, &g.types[f].full);
            subnet_fits(cluster, &ids, sizing, plain, pods, &mut ignored)
        }
        _ => None,
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    fn cluster(types: &[&str], ami: Option<&str>) -> Cluster {
        let s = Span::default();
        let mut c = Cluster::new(Value::known("c".to_string(), s), s, SourceKind::Eksctl);
        for (i, cidr) in ["10.0.0.0/24", "10.0.1.0/24"].iter().enumerate() {
            c.subnets.push(Subnet {
                name: format!("s{i}"),
                cidr: Value::known(Cidr::parse(cidr), s),
                az: Value::known(format!("az{i}"), s),
                ..Default::default()
            });
        }
        let mut ng = NodeGroup::new("ng", s, NodeGroupKind::Managed);
        ng.instance_types = types
            .iter()
            .map(|t| Value::known(t.to_string(), s))
            .collect();
        ng.max_size = Value::known(100, s);
        ng.subnets = Value::known(vec![0, 1], s);
        if let Some(a) = ami {
            ng.ami_family = Value::known(a.to_string(), s);
        }
        c.node_groups.push(ng);
        c
    }

    fn overlay(c: &mut Cluster, kind: CniPluginKind) {
        c.cni.plugins.push(CniPluginEvidence {
            kind,
            what: "helm_release `x`".into(),
            span: Span::default(),
        });
    }

    /// Cilium overlay, m5.large: one address per node at any pod count, max pods 110 (the
    /// kubelet default), 251 nodes per /24: 502 in all.
    #[test]
    fn overlay_nodes_take_one_address_and_110_pods() {
        let mut c = cluster(&["m5.large"], None);
        overlay(&mut c, CniPluginKind::CiliumOverlay);
        let f = analyze(&c, CapacityOptions::default());
        assert!(!f.vpc_cni_pods());
        let t = f.node_groups[0].sizing_type(false).unwrap();
        assert_eq!((t.max_pods, t.one_pod.total(), t.full.total()), (110, 1, 1));
        assert_eq!(f.node_groups[0].nodes_fit_full(), Some(502));
        // An explicit max pods wins over the kubelet default.
        c.node_groups[0].max_pods = Value::known(200, Span::default());
        let f = analyze(&c, CapacityOptions::default());
        assert_eq!(f.node_groups[0].sizing_type(false).unwrap().max_pods, 200);
    }

    /// IPv6, m5.large: one IPv4 per node; max pods stays the launcher's (29 managed).
    #[test]
    fn ipv6_nodes_take_one_ipv4_address() {
        let mut c = cluster(&["m5.large"], None);
        c.ip_family = Value::known(IpFamily::Ipv6, Span::default());
        let f = analyze(&c, CapacityOptions::default());
        assert!(matches!(f.pod_network, PodNetwork::Ipv6 { .. }));
        let t = f.node_groups[0].sizing_type(false).unwrap();
        assert_eq!((t.max_pods, t.one_pod.total(), t.full.total()), (29, 1, 1));
        assert_eq!(f.node_groups[0].nodes_fit_one_pod(), Some(502));
    }

    /// Windows m5.large on a VPC CNI cluster: 9 pods, 5 addresses at 1 pod, 10 at 9; per /24
    /// floor(251 / 5) = 50 and floor(251 / 10) = 25 nodes. The VPC CNI's prefix delegation does
    /// not apply to it.
    #[test]
    fn windows_groups_use_the_resource_controller_model() {
        let mut c = cluster(&["m5.large"], Some("WINDOWS_FULL_2022_x86_64"));
        c.cni
            .set("ENABLE_PREFIX_DELEGATION", "true", Origin::default());
        let f = analyze(&c, CapacityOptions::default());
        assert!(f.vpc_cni_pods());
        let g = &f.node_groups[0];
        let t = g.sizing_type(false).unwrap();
        assert_eq!((t.max_pods, t.eni_pod_limit), (9, 9));
        assert_eq!(
            (t.one_pod.total(), t.full.total(), t.full.prefixes),
            (5, 10, 0)
        );
        assert_eq!(
            (g.nodes_fit_one_pod(), g.nodes_fit_full()),
            (Some(100), Some(50))
        );
        let f = analyze(
            &c,
            CapacityOptions {
                pods_per_node: Some(2),
                ..CapacityOptions::default()
            },
        );
        assert_eq!(f.node_groups[0].sizing_type(false).unwrap().full.total(), 6);
    }

    /// Cilium ENI mode and "no VPC CNI, no other CNI": no figures, one unknown for EKS901.
    #[test]
    fn unmodelled_networks_leave_an_unknown() {
        let mut c = cluster(&["m5.large"], None);
        overlay(&mut c, CniPluginKind::CiliumEni);
        let f = analyze(&c, CapacityOptions::default());
        let g = &f.node_groups[0];
        assert!(g.types.is_empty() && g.fit.is_none());
        assert!(g.unknowns[0].1.reason.contains("Cilium's operator"));
        let mut c = cluster(&["m5.large"], None);
        overlay(&mut c, CniPluginKind::NoDefaultAddons);
        assert!(analyze(&c, CapacityOptions::default()).node_groups[0]
            .types
            .is_empty());
        // ... unless a vpc-cni add-on installs the VPC CNI after all.
        c.cni.span = Some(Span::default());
        let f = analyze(&c, CapacityOptions::default());
        assert!(f.vpc_cni_pods());
        assert_eq!(
            f.node_groups[0].sizing_type(false).unwrap().one_pod.total(),
            20
        );
    }
}
