//! Per-cluster capacity facts: max pods and addresses per node for every node group, and how
//! many nodes each group's subnets hold. Rules and the `capacity` command read these facts;
//! the arithmetic itself lives in `aws::cni` and `aws::subnet`.

use crate::aws::cni::{self, CniIssue, CniSettings, MaxPodsMode, NodeAddresses};
use crate::aws::instances::{self, InstanceType};
use crate::aws::subnet::usable_addresses;
use crate::model::{Cluster, IpFamily, NodeGroup, Origin, SubnetId, Unknown, Value};
use ipnet::Ipv4Net;

/// What-if knobs (config thresholds and `capacity --pods-per-node`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CapacityOptions {
    /// Pods per node for the "full" figure; None = max pods.
    pub pods_per_node: Option<u32>,
}

/// Where the kubelet max pods of a node group comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaxPodsSource {
    /// Written in the configuration (eksctl `maxPodsPerNode`, `--max-pods`, nodeadm `maxPods`).
    Explicit(Origin),
    /// What the AMI / EKS computes from the instance type and CNI mode.
    Default,
}

/// Facts for one instance type of a node group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeFacts {
    pub instance: &'static InstanceType,
    /// Span of the instance type as written.
    pub span: crate::source::Span,
    /// The max pods AMI/EKS would set for this type alone in this mode (ceiling applied where
    /// the node group kind applies it).
    pub default_max_pods: u32,
    /// Pods the ENIs can address (U·m+2, ×16 in prefix mode).
    pub eni_pod_limit: u32,
    /// The kubelet max pods in effect (explicit, or the group-wide default).
    pub max_pods: u32,
    /// Addresses held with one pod.
    pub one_pod: NodeAddresses,
    /// Addresses held at the "full" pod count (max pods or `pods_per_node`).
    pub full: NodeAddresses,
    /// The pod count `full` was computed for.
    pub full_pods: u32,
}

/// How many nodes of a group fit in one subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetFit {
    pub subnet: SubnetId,
    /// Where pod addresses come from (ENIConfig subnet with custom networking).
    pub pod_subnet: SubnetId,
    pub usable: u64,
    pub nodes_one_pod: u64,
    pub nodes_full: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeGroupFacts {
    pub index: usize,
    pub types: Vec<TypeFacts>,
    /// Instance types not in the table: (name, span).
    pub unknown_types: Vec<(String, crate::source::Span)>,
    pub max_pods_source: MaxPodsSource,
    /// Index into `types` of the type that holds the fewest addresses at one pod: error-level
    /// findings use it so a mixed group is never over-reported.
    pub best: Option<usize>,
    /// Per-subnet fit for `types[best]`; None when a subnet or the CIDRs are not known.
    pub fit: Option<Vec<SubnetFit>>,
    /// Values the computation needed but could not know (for EKS901).
    pub unknowns: Vec<(String, Unknown)>,
}

impl NodeGroupFacts {
    pub fn best_type(&self) -> Option<&TypeFacts> {
        self.best.map(|i| &self.types[i])
    }

    pub fn nodes_fit_one_pod(&self) -> Option<u64> {
        self.fit
            .as_ref()
            .map(|f| f.iter().map(|s| s.nodes_one_pod).sum())
    }

    pub fn nodes_fit_full(&self) -> Option<u64> {
        self.fit
            .as_ref()
            .map(|f| f.iter().map(|s| s.nodes_full).sum())
    }
}

#[derive(Debug, Clone)]
pub struct ClusterFacts {
    pub cni: CniSettings,
    pub cni_issues: Vec<CniIssue>,
    /// The CNI configuration could not be read; capacity used defaults and says so.
    pub cni_unknown: Option<Unknown>,
    pub ipv6: bool,
    pub node_groups: Vec<NodeGroupFacts>,
}

/// Usable addresses of a subnet, if its CIDR is a known IPv4 network.
pub fn subnet_net(cluster: &Cluster, id: SubnetId) -> Option<Ipv4Net> {
    cluster.subnets.get(id)?.cidr.get()?.ipv4()
}

pub fn subnet_usable(cluster: &Cluster, id: SubnetId) -> Option<u64> {
    subnet_net(cluster, id).map(|n| usable_addresses(n.prefix_len()))
}

/// The ENIConfig pod subnet for a node subnet's AZ (custom networking).
pub fn pod_subnet_for(cluster: &Cluster, node_subnet: SubnetId) -> Option<SubnetId> {
    let az = cluster.subnets.get(node_subnet)?.az.get()?;
    cluster
        .cni
        .eni_configs
        .iter()
        .find(|e| e.az.get() == Some(az))
        .and_then(|e| e.subnet.get().copied())
}

fn floor_div(a: u64, b: u32) -> u64 {
    if b == 0 {
        u64::MAX
    } else {
        a / u64::from(b)
    }
}

pub fn analyze(cluster: &Cluster, opts: CapacityOptions) -> ClusterFacts {
    let (cni, cni_issues) = CniSettings::from_config(&cluster.cni);
    let ipv6 = matches!(cluster.ip_family.get(), Some(IpFamily::Ipv6)) || cni.ipv6;
    let node_groups = cluster
        .node_groups
        .iter()
        .enumerate()
        .map(|(i, ng)| node_group_facts(cluster, i, ng, &cni, opts))
        .collect();
    ClusterFacts {
        cni,
        cni_issues,
        cni_unknown: cluster.cni.unknown.clone(),
        ipv6,
        node_groups,
    }
}

fn node_group_facts(
    cluster: &Cluster,
    index: usize,
    ng: &NodeGroup,
    cni: &CniSettings,
    opts: CapacityOptions,
) -> NodeGroupFacts {
    let mut unknowns = Vec::new();
    let mut unknown_types = Vec::new();
    let mut known: Vec<(&'static InstanceType, crate::source::Span)> = Vec::new();
    if let Some(u) = &ng.instance_types_unknown {
        unknowns.push(("instance types".to_string(), u.clone()));
    }
    for t in &ng.instance_types {
        match t {
            Value::Known(name, o) => match instances::lookup(name) {
                Some(it) => known.push((it, o.span)),
                None => unknown_types.push((name.clone(), o.span)),
            },
            Value::Unknown(u) => unknowns.push(("instance type".to_string(), u.clone())),
            Value::Absent => {}
        }
    }

    let ceiling = ng.kind.applies_vcpu_ceiling() && !ng.custom_ami;
    let mode = MaxPodsMode::from_settings(cni, ceiling);
    let (explicit, max_pods_source) = match &ng.max_pods {
        Value::Known(n, o) if *n > 0 => (
            Some((*n).min(i64::from(u32::MAX)) as u32),
            MaxPodsSource::Explicit(o.clone()),
        ),
        Value::Unknown(u) => {
            unknowns.push(("max pods".to_string(), u.clone()));
            (None, MaxPodsSource::Default)
        }
        _ => (None, MaxPodsSource::Default),
    };
    // A managed node group with several types gets the smallest default max pods of them all.
    let group_default = if ng.kind == crate::model::NodeGroupKind::Managed {
        known
            .iter()
            .map(|(it, _)| cni::default_max_pods(it, mode))
            .min()
    } else {
        None
    };
    let types: Vec<TypeFacts> = known
        .iter()
        .map(|&(it, span)| {
            let default_max_pods = cni::default_max_pods(it, mode);
            let max_pods = explicit.or(group_default).unwrap_or(default_max_pods);
            let full_pods = opts.pods_per_node.map_or(max_pods, |p| p.min(max_pods));
            TypeFacts {
                instance: it,
                span,
                default_max_pods,
                eni_pod_limit: cni::eni_pod_limit(it, cni),
                max_pods,
                one_pod: cni::node_addresses(it, cni, max_pods, 1),
                full: cni::node_addresses(it, cni, max_pods, full_pods),
                full_pods,
            }
        })
        .collect();
    let best = (0..types.len()).min_by_key(|&i| (types[i].one_pod.total(), types[i].full.total()));

    let fit = match (&ng.subnets, best) {
        (Value::Known(ids, _), Some(b)) if !ids.is_empty() => {
            subnet_fits(cluster, ids, &types[b], cni, &mut unknowns)
        }
        (Value::Unknown(u), _) => {
            unknowns.push(("subnets".to_string(), u.clone()));
            None
        }
        _ => None,
    };

    NodeGroupFacts {
        index,
        types,
        unknown_types,
        max_pods_source,
        best,
        fit,
        unknowns,
    }
}

fn subnet_fits(
    cluster: &Cluster,
    ids: &[SubnetId],
    t: &TypeFacts,
    cni: &CniSettings,
    unknowns: &mut Vec<(String, Unknown)>,
) -> Option<Vec<SubnetFit>> {
    let mut out = Vec::with_capacity(ids.len());
    let mut complete = true;
    for &id in ids {
        let Some(subnet) = cluster.subnets.get(id) else {
            complete = false;
            continue;
        };
        let Some(usable) = subnet_usable(cluster, id) else {
            if let Value::Unknown(u) = &subnet.cidr {
                unknowns.push((format!("the CIDR of subnet `{}`", subnet.name), u.clone()));
            }
            complete = false;
            continue;
        };
        let (pod_subnet, pod_usable) = if cni.custom_networking {
            match pod_subnet_for(cluster, id).and_then(|p| Some((p, subnet_usable(cluster, p)?))) {
                Some(x) => x,
                None => {
                    complete = false;
                    continue;
                }
            }
        } else {
            (id, usable)
        };
        let fits = |a: &NodeAddresses| {
            if cni.custom_networking {
                floor_div(usable, a.node_subnet).min(floor_div(pod_usable, a.pod_subnet))
            } else {
                floor_div(usable, a.total())
            }
        };
        out.push(SubnetFit {
            subnet: id,
            pod_subnet,
            usable,
            nodes_one_pod: fits(&t.one_pod),
            nodes_full: fits(&t.full),
        });
    }
    complete.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;
    use crate::source::Span;

    pub(crate) fn cluster_with(
        cidrs: &[&str],
        types: &[&str],
        max: i64,
        kind: NodeGroupKind,
    ) -> Cluster {
        let s = Span::default();
        let mut c = Cluster::new(Value::known("c".to_string(), s), s, SourceKind::Eksctl);
        for (i, cidr) in cidrs.iter().enumerate() {
            c.subnets.push(Subnet {
                name: format!("s{i}"),
                cidr: Value::known(Cidr::parse(cidr), s),
                az: Value::known(format!("az{i}"), s),
                ..Default::default()
            });
        }
        let mut ng = NodeGroup::new("ng", s, kind);
        ng.instance_types = types
            .iter()
            .map(|t| Value::known(t.to_string(), s))
            .collect();
        ng.max_size = Value::known(max, s);
        ng.subnets = Value::known((0..cidrs.len()).collect(), s);
        c.node_groups.push(ng);
        c
    }

    #[test]
    fn three_slash_22_with_m5_8xlarge_hold_48_nodes() {
        let c = cluster_with(
            &["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"],
            &["m5.8xlarge"],
            80,
            NodeGroupKind::Managed,
        );
        let f = analyze(&c, CapacityOptions::default());
        let g = &f.node_groups[0];
        assert_eq!(g.best_type().unwrap().one_pod.total(), 60);
        assert_eq!(g.nodes_fit_one_pod(), Some(48));
        assert!(g
            .fit
            .as_ref()
            .unwrap()
            .iter()
            .all(|s| s.usable == 1019 && s.nodes_one_pod == 16));
    }

    #[test]
    fn managed_group_with_mixed_types_uses_the_smallest_max_pods() {
        let c = cluster_with(
            &["10.0.0.0/20"],
            &["m5.large", "m5.8xlarge"],
            3,
            NodeGroupKind::Managed,
        );
        let f = analyze(&c, CapacityOptions::default());
        assert!(f.node_groups[0].types.iter().all(|t| t.max_pods == 29));
    }

    #[test]
    fn unknown_subnet_cidr_gives_no_fit_and_a_reason() {
        let mut c = cluster_with(&["10.0.0.0/22"], &["m5.large"], 3, NodeGroupKind::Managed);
        c.subnets[0].cidr = Value::unknown("it comes from a data source", Span::default());
        let f = analyze(&c, CapacityOptions::default());
        assert_eq!(f.node_groups[0].fit, None);
        assert_eq!(f.node_groups[0].unknowns.len(), 1);
    }
}
