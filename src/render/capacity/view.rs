//! The capacity report's data (`eks-lint capacity --format json` is these types serialised):
//! per cluster its subnets, node groups and Fargate profiles with their figures, built from
//! the capacity facts with the same shared fit the rules use.

use crate::aws::cni::{CniSettings, NodeAddresses};
use crate::capacity::pod_network::PodNetwork;
use crate::capacity::{self, ClusterFacts};
use crate::model::Cluster;
use crate::Report;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct CapacityDoc {
    pub version: u32,
    pub pods_per_node: Option<u32>,
    pub env: Vec<EnvOverride>,
    pub clusters: Vec<ClusterView>,
}

#[derive(Debug, Serialize)]
pub struct EnvOverride {
    pub name: String,
    pub value: String,
}

#[derive(Debug, Serialize)]
pub struct ClusterView {
    pub name: String,
    pub file: String,
    pub line: u32,
    pub ipv6: bool,
    /// How the CNI reserves addresses, e.g. `WARM_ENI_TARGET=1`.
    pub cni: String,
    /// Set when the CNI configuration could not be read (defaults were used).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cni_unknown: Option<String>,
    /// Which CNI gives pods their addresses, as assumed from the configuration, and why.
    pub pod_network: PodNetworkView,
    pub subnets: Vec<SubnetView>,
    pub node_groups: Vec<NodeGroupView>,
    pub fargate_profiles: Vec<FargateView>,
}

/// A Fargate profile: each pod one address from its subnets, no warm pool
/// (`capacity::fargate`).
#[derive(Debug, Serialize)]
pub struct FargateView {
    pub name: String,
    pub subnets: Vec<String>,
    /// Fargate pods expected in the cluster (`expected-fargate-pods`), spread over the
    /// subnets of all its profiles.
    pub cluster_pods: u32,
    /// Addresses those pods take from this profile's subnets.
    pub addresses: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_counted: Option<String>,
    /// Node groups that launch nodes in one of its subnets.
    pub shares_subnets_with: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PodNetworkView {
    /// `vpc-cni`, `ipv6`, `overlay`, `unmodelled` or `auto-mode`.
    pub kind: &'static str,
    pub assumed: String,
}

fn pod_network_view(n: &PodNetwork) -> PodNetworkView {
    PodNetworkView {
        kind: match n {
            PodNetwork::VpcCni { .. } => "vpc-cni",
            PodNetwork::Ipv6 { .. } => "ipv6",
            PodNetwork::Overlay { .. } => "overlay",
            PodNetwork::Unmodelled { .. } => "unmodelled",
            PodNetwork::AutoMode { .. } => "auto-mode",
        },
        assumed: n.describe(),
    }
}

#[derive(Debug, Serialize)]
pub struct SubnetView {
    pub name: String,
    /// What of this cluster uses the subnet: `control-plane`, `nodes`, `pods` (an ENIConfig
    /// subnet). Empty for a subnet the files define that this cluster does not use; those are
    /// listed after the cluster's own.
    pub used_by: Vec<&'static str>,
    pub cidr: Option<String>,
    pub az: Option<String>,
    pub usable: Option<u64>,
    pub node_groups: Vec<String>,
    /// Fargate profiles whose pods take addresses from it.
    pub fargate_profiles: Vec<String>,
    /// Addresses the expected Fargate pods take from it (in both figures below).
    pub fargate: u64,
    /// Addresses the node groups (and Fargate pods) in it need at max size with one pod per
    /// node.
    pub needed_one_pod: u64,
    /// The same at the full pod count (max pods per node, or `--pods-per-node`).
    pub needed_full: u64,
}

#[derive(Debug, Serialize)]
pub struct NodeGroupView {
    pub name: String,
    pub kind: &'static str,
    pub instance_types: Vec<String>,
    pub unknown_instance_types: Vec<String>,
    pub max_size: Option<i64>,
    /// For the instance type the figures use (the one holding the most addresses per node).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance_type: Option<&'static str>,
    pub max_pods: Option<u32>,
    /// Who set max pods: `explicit` (the configuration), else the launcher whose default
    /// applies (`managed-node-group`, `nodeadm`, `al2-bootstrap`, `bottlerocket`,
    /// `karpenter`).
    pub max_pods_set_by: &'static str,
    pub full_pods: Option<u32>,
    pub addresses_per_node_one_pod: Option<NodeAddressesView>,
    pub addresses_per_node_full: Option<NodeAddressesView>,
    /// Max nodes of this group that fit in its subnets after the other node groups sharing
    /// them took their addresses at max size (the figure EKS101 and EKS102 judge), at one pod
    /// per node and at the full pod count; None when a subnet or CIDR is not known.
    pub nodes_fit_one_pod: Option<u64>,
    pub nodes_fit_full: Option<u64>,
    /// The other node groups those fits leave room for (the first few), and how many in all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shares_subnets_with: Vec<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub shares_subnets_with_count: usize,
    pub subnets: Vec<String>,
    /// Why figures are missing.
    pub unknowns: Vec<String>,
    /// Windows nodes: modelled per the VPC resource controller (`capacity::windows`).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub windows: bool,
}

#[derive(Debug, Serialize)]
pub struct NodeAddressesView {
    pub total: u32,
    #[serde(flatten)]
    pub parts: NodeAddresses,
}

fn addr_view(a: &NodeAddresses) -> NodeAddressesView {
    NodeAddressesView {
        total: a.total(),
        parts: *a,
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// Per node group (in `facts` order): the nodes that fit at one pod and at the full pod count
/// after the other groups at max size, with the groups sharing its subnets. The same
/// `Demand::shared_fit` the rules use, so the report and the findings agree.
pub(crate) struct GroupFit {
    pub one_pod: Option<u64>,
    pub full: Option<u64>,
    pub sharing: Option<crate::capacity::demand::Sharing>,
}

pub(crate) fn group_fits(cluster: &Cluster, facts: &ClusterFacts) -> Vec<GroupFit> {
    use crate::capacity::demand::Demand;
    let one = Demand::new(cluster, facts, false);
    let full = Demand::new(cluster, facts, true);
    facts
        .node_groups
        .iter()
        .map(|g| {
            let f1 = one.shared_fit(cluster, facts, g.index);
            let ff = full.shared_fit(cluster, facts, g.index);
            let sharing = f1
                .as_ref()
                .map(|f| one.sharing(&f.subnet_ids(), g.index, crate::rules::list::MAX_LISTED));
            GroupFit {
                one_pod: f1.map(|f| f.nodes),
                full: ff.map(|f| f.nodes),
                sharing,
            }
        })
        .collect()
}

/// What of the cluster uses each subnet (see [`SubnetView::used_by`]).
fn subnet_uses(cluster: &Cluster, facts: &ClusterFacts) -> Vec<Vec<&'static str>> {
    let mut uses: Vec<Vec<&'static str>> = vec![Vec::new(); cluster.subnets.len()];
    let mut mark = |id: usize, what: &'static str| {
        if let Some(u) = uses.get_mut(id) {
            if !u.contains(&what) {
                u.push(what);
            }
        }
    };
    for &id in cluster.control_plane_subnets.get().into_iter().flatten() {
        mark(id, "control-plane");
    }
    for ng in &cluster.node_groups {
        for &id in ng.subnets.get().into_iter().flatten() {
            mark(id, "nodes");
        }
    }
    for g in &facts.node_groups {
        for s in g.fit.iter().flatten() {
            if s.pod_subnet != s.subnet {
                mark(s.pod_subnet, "pods");
            }
        }
    }
    for e in &cluster.cni.eni_configs {
        if let Some(&id) = e.subnet.get() {
            mark(id, "pods");
        }
    }
    uses
}

fn cni_label(c: &CniSettings) -> String {
    let mut parts = Vec::new();
    if c.prefix_delegation {
        parts.push("prefix delegation".to_string());
        if c.uses_ip_targets() {
            parts.push(format!(
                "WARM_IP_TARGET={}, MINIMUM_IP_TARGET={}",
                c.warm_ip_target, c.minimum_ip_target
            ));
        } else {
            parts.push(format!("WARM_PREFIX_TARGET={}", c.warm_prefix_target));
        }
    } else if c.uses_ip_targets() {
        parts.push(format!(
            "WARM_IP_TARGET={}, MINIMUM_IP_TARGET={}",
            c.warm_ip_target, c.minimum_ip_target
        ));
    } else {
        parts.push(format!("WARM_ENI_TARGET={}", c.warm_eni_target));
    }
    if c.custom_networking {
        parts.push("custom networking".to_string());
    }
    if c.pod_eni {
        parts.push("security groups for pods (trunk ENI)".to_string());
    }
    if let Some(m) = c.max_eni {
        parts.push(format!("MAX_ENI={m}"));
    }
    parts.join(", ")
}

/// The node groups' rows, with the fits the rules judge ([`group_fits`]).
fn node_group_views(
    cluster: &Cluster,
    facts: &ClusterFacts,
    group_name: &dyn Fn(usize) -> String,
) -> Vec<NodeGroupView> {
    let fits = group_fits(cluster, facts);
    facts
        .node_groups
        .iter()
        .zip(&fits)
        .filter_map(|(g, fit)| {
            let ng = cluster.node_groups.get(g.index)?;
            let t = g.sizing_type(true);
            let t1 = g.sizing_type(false);
            Some(NodeGroupView {
                name: ng.name.clone(),
                kind: ng.kind.label(),
                // A group without figures (an unmodelled pod network) still names its types.
                instance_types: if g.types.is_empty() && g.unknown_types.is_empty() {
                    ng.instance_types
                        .iter()
                        .filter_map(|t| t.get().cloned())
                        .collect()
                } else {
                    g.types
                        .iter()
                        .map(|t| t.instance.name.to_string())
                        .collect()
                },
                unknown_instance_types: g.unknown_types.iter().map(|(n, _)| n.clone()).collect(),
                // A pool's ceiling (its limits) where a node group has its max size.
                max_size: capacity::shown_ceiling(cluster, g),
                instance_type: t.map(|t| t.instance.name),
                max_pods: t.map(|t| t.max_pods),
                max_pods_set_by: crate::capacity::pod_facts::max_pods_set_by(facts, ng, g, t),
                full_pods: t.map(|t| t.full_pods),
                addresses_per_node_one_pod: t1.map(|t| addr_view(&t.one_pod)),
                addresses_per_node_full: t.map(|t| addr_view(&t.full)),
                nodes_fit_one_pod: fit.one_pod,
                nodes_fit_full: fit.full,
                shares_subnets_with: fit
                    .sharing
                    .iter()
                    .flat_map(|s| &s.first)
                    .map(|&i| group_name(i))
                    .collect(),
                shares_subnets_with_count: fit.sharing.as_ref().map_or(0, |s| s.count),
                subnets: ng
                    .subnets
                    .get()
                    .map(|ids| {
                        ids.iter()
                            .filter_map(|&i| cluster.subnets.get(i).map(|s| s.name.clone()))
                            .collect()
                    })
                    .unwrap_or_default(),
                unknowns: g
                    .unknowns
                    .iter()
                    .map(|(what, u)| format!("{what}: {}", u.reason))
                    .collect(),
                windows: capacity::windows::is_windows(ng) && facts.vpc_cni_pods(),
            })
        })
        .collect()
}

pub(crate) fn cluster_view(
    report: &Report,
    cluster: &Cluster,
    facts: &ClusterFacts,
) -> ClusterView {
    let loc = report.sources.location(cluster.span);
    let one = capacity::subnet_demand(cluster, facts, false);
    let full = capacity::subnet_demand(cluster, facts, true);
    let group_name = |i: usize| {
        cluster
            .node_groups
            .get(i)
            .map_or_else(|| format!("#{i}"), |g| g.name.clone())
    };
    let uses = subnet_uses(cluster, facts);
    // The cluster's own subnets first, in their order, then the others the files define.
    let mut order: Vec<usize> = (0..cluster.subnets.len()).collect();
    order.sort_by_key(|&id| uses[id].is_empty());
    let subnets = order
        .into_iter()
        .filter_map(|id| Some((id, cluster.subnets.get(id)?)))
        .map(|(id, s)| {
            let mut groups: Vec<usize> = one
                .get(&id)
                .into_iter()
                .chain(full.get(&id))
                .flatten()
                .map(|d| d.group)
                .collect();
            groups.extend(facts.node_groups.iter().filter_map(|g| {
                let ng = cluster.node_groups.get(g.index)?;
                ng.subnets.get()?.contains(&id).then_some(g.index)
            }));
            groups.sort_unstable();
            groups.dedup();
            let sum = |m: &std::collections::BTreeMap<usize, Vec<capacity::GroupDemand>>| {
                m.get(&id).map_or(0, |v| {
                    crate::capacity::sat_sum(v.iter().map(|d| d.addresses))
                })
            };
            let fargate = facts.fargate.addresses(id);
            SubnetView {
                name: s.name.clone(),
                used_by: uses[id].clone(),
                cidr: s.cidr.get().map(|c| c.text.clone()),
                az: s.az.get().cloned(),
                usable: capacity::subnet_usable(cluster, id),
                node_groups: groups.into_iter().map(group_name).collect(),
                fargate_profiles: cluster
                    .fargate_profiles
                    .iter()
                    .filter(|p| p.subnets.get().is_some_and(|ids| ids.contains(&id)))
                    .map(|p| p.name.clone())
                    .collect(),
                fargate,
                needed_one_pod: sum(&one).saturating_add(fargate),
                needed_full: sum(&full).saturating_add(fargate),
            }
        })
        .collect();
    let node_groups = node_group_views(cluster, facts, &group_name);
    let subnet_names = |ids: &[usize]| -> Vec<String> {
        ids.iter()
            .filter_map(|&i| cluster.subnets.get(i).map(|s| s.name.clone()))
            .collect()
    };
    let fargate_profiles = cluster
        .fargate_profiles
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let ids = p.subnets.get().map_or(&[][..], Vec::as_slice);
            let mut distinct = ids.to_vec();
            distinct.sort_unstable();
            distinct.dedup();
            FargateView {
                name: p.name.clone(),
                subnets: subnet_names(ids),
                cluster_pods: facts.fargate.pods,
                addresses: capacity::sat_sum(distinct.iter().map(|&s| facts.fargate.addresses(s))),
                not_counted: facts.fargate.not_counted.clone(),
                shares_subnets_with: facts
                    .fargate
                    .shared_with
                    .get(i)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|&g| group_name(g))
                    .collect(),
            }
        })
        .collect();
    ClusterView {
        name: cluster.display_name(),
        file: loc.file,
        line: loc.start.line,
        ipv6: facts.ipv6,
        cni: if matches!(facts.pod_network, PodNetwork::AutoMode { .. }) {
            "not applicable (EKS Auto Mode manages pod addresses)".to_string()
        } else {
            cni_label(&facts.cni)
        },
        cni_unknown: facts.cni_unknown.as_ref().map(|u| u.reason.clone()),
        pod_network: pod_network_view(&facts.pod_network),
        subnets,
        node_groups,
        fargate_profiles,
    }
}
