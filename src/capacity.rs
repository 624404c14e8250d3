//! Per-cluster capacity facts: max pods and addresses per node for every node group, and how
//! many nodes each group's subnets hold. Rules and the `capacity` command read these facts;
//! the arithmetic itself lives in `aws::cni` and `aws::subnet`.

use crate::aws::cni::{self, CniIssue, CniSettings, MaxPodsMode, NodeAddresses};
use crate::aws::instances::{self, InstanceType};
use crate::aws::subnet::usable_addresses;
use crate::capacity::launcher::Launcher;
use crate::model::{Cluster, IpFamily, NodeGroup, Origin, SubnetId, Unknown, Value};
use ipnet::Ipv4Net;

pub mod cel;
pub mod demand;
pub mod fargate;
pub mod launcher;
pub mod subnets;
pub mod vcpus;

pub use subnets::*;
pub mod pod_facts;
pub mod pod_network;
pub mod pool;
pub mod windows;

/// What-if knobs (config thresholds and `capacity --pods-per-node`).
#[derive(Debug, Clone, Copy, Default)]
pub struct CapacityOptions {
    /// Pods per node for the "full" figure; None = max pods.
    pub pods_per_node: Option<u32>,
    /// Fargate pods per cluster ([`fargate`]).
    pub fargate_pods: u32,
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
    /// The max pods the group's launcher sets for this type alone when nothing overrides it
    /// (`launcher::Launcher::default_max_pods`).
    pub default_max_pods: u32,
    /// The max pods the EKS calculator recommends for this type in this CNI mode (prefixes and
    /// custom networking counted; the 110/250 ceiling where EKS applies it): what the type
    /// supports, whatever the launcher sets.
    pub mode_max_pods: u32,
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
    /// The most nodes of this type a Karpenter / Auto Mode pool can have (its limits); None
    /// for node groups (their max size applies) and unbounded pools.
    pub max_nodes: Option<u64>,
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
    /// Who sets the kubelet max pods when the configuration does not.
    pub launcher: Launcher,
    /// Index into `types` of the type that holds the most addresses per node with one pod: a
    /// group that may launch any of its types is sized for the worst case.
    pub sizing_one_pod: Option<usize>,
    /// The same at the "full" pod count.
    pub sizing_full: Option<usize>,
    /// Per-subnet fit for the sizing types; None when a subnet or the CIDRs are not known.
    pub fit: Option<Vec<SubnetFit>>,
    /// Values the computation needed but could not know (for EKS901).
    pub unknowns: Vec<(String, Unknown)>,
    /// Values a figure needed but eks-lint could not know, computed with a stated assumption
    /// (a type without a vCPU count, `capacity::vcpus`; a `maxPodsExpression` beyond the CEL
    /// subset): noted by EKS101/EKS102 whether or not they could compute the rest.
    pub assumed: Vec<(String, Unknown)>,
    /// The pool the group stands for (`NodeGroup::pool`).
    pub pool: Option<usize>,
    /// For an EKS Auto Mode pool (whose per-type figures are not modelled), what is known.
    pub auto_mode: Option<AutoModeBound>,
}

/// What is known of an EKS Auto Mode pool's address demand (`pod_facts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoModeBound {
    /// Addresses a node holds at least.
    pub min_addresses: u64,
    /// Nodes its subnets hold at that bound (None: a subnet is not known).
    pub fit: Option<u64>,
    /// The most nodes its limits allow, and of which candidate (None: unbounded).
    pub ceiling: Option<(u64, &'static str)>,
}

/// The indices of the sizing types (at one pod, at the full pod count): the type holding the
/// most addresses per node, as a group may launch any of its types. Ties go to the first type
/// listed.
pub(crate) fn sizing_types(types: &[TypeFacts]) -> (Option<usize>, Option<usize>) {
    let worst = |key: fn(&TypeFacts) -> (u32, u32)| {
        (0..types.len()).max_by_key(|&i| (key(&types[i]), std::cmp::Reverse(i)))
    };
    (
        worst(|t| (t.one_pod.total(), t.full.total())),
        worst(|t| (t.full.total(), t.one_pod.total())),
    )
}

impl NodeGroupFacts {
    /// The type a fleet is sized with: the one holding the most addresses per node at one pod
    /// (`full` = false) or at the full pod count.
    pub fn sizing_type(&self, full: bool) -> Option<&TypeFacts> {
        let i = if full {
            self.sizing_full
        } else {
            self.sizing_one_pod
        };
        i.and_then(|i| self.types.get(i))
    }

    /// Says why the sizing type was chosen when the group's types hold different addresses
    /// per node (at one pod, or at the full pod count).
    pub fn sizing_note(&self, full: bool) -> String {
        let figure = |t: &TypeFacts| {
            if full {
                t.full.total()
            } else {
                t.one_pod.total()
            }
        };
        let mut figures = self.types.iter().map(figure);
        let first = figures.next();
        if figures.all(|f| Some(f) == first) {
            String::new()
        } else {
            format!(
                " (of its {} instance types, the one that holds the most addresses per node)",
                self.types.len()
            )
        }
    }

    pub fn nodes_fit_one_pod(&self) -> Option<u64> {
        self.fit
            .as_ref()
            .map(|f| sat_sum(f.iter().map(|s| s.nodes_one_pod)))
    }

    pub fn nodes_fit_full(&self) -> Option<u64> {
        self.fit
            .as_ref()
            .map(|f| sat_sum(f.iter().map(|s| s.nodes_full)))
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
    /// Who gives pods their addresses ([`pod_network`]).
    pub pod_network: pod_network::PodNetwork,
    pub fargate: fargate::FargateFacts,
}

/// Usable addresses of a subnet, if its CIDR is a known IPv4 network.
pub fn subnet_net(cluster: &Cluster, id: SubnetId) -> Option<Ipv4Net> {
    cluster.subnets.get(id)?.cidr.get()?.ipv4()
}

pub fn subnet_usable(cluster: &Cluster, id: SubnetId) -> Option<u64> {
    subnet_net(cluster, id).map(|n| usable_addresses(n.prefix_len()))
}

/// The ENIConfig pod subnet of each AZ (custom networking): the first ENIConfig of a zone
/// decides, as a lookup by zone finds it. Built once per cluster, not per node subnet.
pub struct PodSubnets<'c> {
    by_zone: std::collections::HashMap<&'c str, &'c Value<SubnetId>>,
    /// An ENIConfig whose name (zone) is not known: it may be any zone's.
    unnamed: Option<&'c Unknown>,
}

impl<'c> PodSubnets<'c> {
    pub fn new(cluster: &'c Cluster) -> Self {
        let mut by_zone = std::collections::HashMap::new();
        let mut unnamed = None;
        for e in &cluster.cni.eni_configs {
            match &e.az {
                Value::Known(az, _) => {
                    by_zone.entry(az.as_str()).or_insert(&e.subnet);
                }
                Value::Unknown(u) => {
                    unnamed.get_or_insert(u);
                }
                Value::Absent => {}
            }
        }
        PodSubnets { by_zone, unnamed }
    }

    /// The pod subnet for a node subnet's AZ; else why it is not known, or None when the
    /// zone has no ENIConfig (EKS307's finding) or the node subnet's zone is not known.
    pub fn for_subnet(
        &self,
        cluster: &Cluster,
        node_subnet: SubnetId,
    ) -> Result<SubnetId, Option<Unknown>> {
        let az = cluster
            .subnets
            .get(node_subnet)
            .and_then(|s| s.az.get())
            .ok_or(None)?;
        match self.by_zone.get(az.as_str()) {
            Some(Value::Known(id, _)) => Ok(*id),
            Some(Value::Unknown(u)) => Err(Some(u.clone())),
            _ => Err(self.unnamed.cloned()),
        }
    }
}

fn floor_div(a: u64, b: u32) -> u64 {
    if b == 0 {
        u64::MAX
    } else {
        a / u64::from(b)
    }
}

/// The VPC CNI figures; `pod_facts::analyze` applies the pod network (IPv6, overlays, Windows).
pub fn analyze(cluster: &Cluster, opts: CapacityOptions) -> ClusterFacts {
    let (cni, cni_issues) = CniSettings::from_config(&cluster.cni);
    let ipv6 = matches!(cluster.ip_family.get(), Some(IpFamily::Ipv6)) || cni.ipv6;
    let pods = PodSubnets::new(cluster);
    let node_groups = cluster
        .node_groups
        .iter()
        .enumerate()
        .map(|(i, ng)| node_group_facts(cluster, i, ng, &cni, &pods, opts))
        .collect();
    ClusterFacts {
        cni,
        cni_issues,
        cni_unknown: cluster.cni.unknown.clone(),
        ipv6,
        node_groups,
        pod_network: pod_network::decide(cluster, ipv6),
        fargate: fargate::analyze(cluster, ipv6, opts.fargate_pods),
    }
}

fn node_group_facts(
    cluster: &Cluster,
    index: usize,
    ng: &NodeGroup,
    cni: &CniSettings,
    pods: &PodSubnets,
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

    let launcher = Launcher::of(ng);
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
    // EKS gives every node of a managed group the smallest default max pods of its types.
    let group_default = (launcher == Launcher::ManagedNodeGroup)
        .then(|| {
            known
                .iter()
                .map(|(it, _)| launcher.default_max_pods(it, cni))
                .min()
        })
        .flatten();
    let mode = MaxPodsMode::from_settings(cni, launcher == Launcher::ManagedNodeGroup);
    let pool = ng.pool.and_then(|p| cluster.node_pools.get(p));
    let mut assumed = vcpus::missing(&known, launcher, explicit.is_some(), pool, cni);
    if let (Some(e), MaxPodsSource::Explicit(o)) = (explicit, &max_pods_source) {
        let its: Vec<&InstanceType> = known.iter().map(|(it, _)| *it).collect();
        assumed.extend(self::launcher::explicit_over_managed_cap(
            ng, &its, e, o.span,
        ));
    }
    // nodeadm's maxPodsExpression gives its default when nothing sets max pods.
    let expression = match (&ng.max_pods_expression, launcher, explicit) {
        (Value::Known(e, o), Launcher::Nodeadm, None) => Some((e.as_str(), o.span)),
        (Value::Unknown(u), Launcher::Nodeadm, None) => {
            assumed.push(("the maxPodsExpression".to_string(), u.clone()));
            None
        }
        _ => None,
    };
    let mut types: Vec<TypeFacts> = known
        .iter()
        .map(|&(it, span)| {
            let mut default_max_pods = launcher.default_max_pods(it, cni);
            if let Some((e, span)) = expression {
                match self::launcher::expression_default(e, it) {
                    Ok(n) => default_max_pods = n,
                    Err(why) => {
                        let u = Unknown {
                            reason: format!("nodeadm's maxPodsExpression `{e}` is beyond the CEL subset eks-lint evaluates ({why}), so nodeadm's standard ENIs × (IPv4 per ENI − 1) + 2 is assumed"),
                            span,
                        };
                        if !assumed.iter().any(|(_, x)| *x == u) {
                            assumed.push(("the maxPodsExpression".to_string(), u));
                        }
                    }
                }
            }
            let mut max_pods = explicit.or(group_default).unwrap_or(default_max_pods);
            if let Some(p) = pool {
                max_pods = self::pool::max_pods(p, it.vcpus, max_pods);
            }
            let full_pods = opts.pods_per_node.map_or(max_pods, |p| p.min(max_pods));
            TypeFacts {
                instance: it,
                span,
                default_max_pods,
                mode_max_pods: cni::default_max_pods(it, mode),
                eni_pod_limit: cni::eni_pod_limit(it, cni),
                max_pods,
                one_pod: cni::node_addresses(it, cni, max_pods, 1),
                full: cni::node_addresses(it, cni, max_pods, full_pods),
                full_pods,
                max_nodes: None,
            }
        })
        .collect();
    let (sizing_one_pod, sizing_full) = sizing(pool, &mut types, &mut unknowns);

    let fit = match (&ng.subnets, sizing_one_pod.zip(sizing_full)) {
        (Value::Known(ids, _), Some((o, f))) if !ids.is_empty() => subnet_fits(
            cluster,
            ids,
            (&types[o].one_pod, &types[f].full),
            cni,
            pods,
            &mut unknowns,
        ),
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
        launcher,
        sizing_one_pod,
        sizing_full,
        fit,
        unknowns,
        assumed,
        pool: ng.pool,
        auto_mode: None,
    }
}

/// The sizing types of a group; for a pool, each type's ceiling first, and the types whose
/// fleet at its ceiling holds the most addresses (an unbounded pool: the most per node).
fn sizing(
    pool: Option<&crate::model::NodePool>,
    types: &mut [TypeFacts],
    unknowns: &mut Vec<(String, Unknown)>,
) -> (Option<usize>, Option<usize>) {
    let Some(p) = pool else {
        return sizing_types(types);
    };
    // The requirements, subnets and max pods are the group's own unknowns already.
    let covered = ["the requirements", "subnetSelectorTerms", "kubelet.maxPods"];
    unknowns.extend(
        p.unknowns()
            .into_iter()
            .filter(|(w, _)| !covered.contains(&w.as_str())),
    );
    for t in types.iter_mut() {
        t.max_nodes = self::pool::type_ceiling(p, t.instance, t.max_pods);
    }
    if types.iter().any(|t| t.max_nodes.is_some()) {
        let fleets = |full: bool| -> Vec<(Option<u64>, u32)> {
            types
                .iter()
                .map(|t| {
                    (
                        t.max_nodes,
                        if full {
                            t.full.total()
                        } else {
                            t.one_pod.total()
                        },
                    )
                })
                .collect()
        };
        (
            self::pool::worst(&fleets(false)),
            self::pool::worst(&fleets(true)),
        )
    } else {
        sizing_types(types)
    }
}

/// Why the sizing type was chosen, for messages: a pool's limit arithmetic, else the node
/// group's [`NodeGroupFacts::sizing_note`].
pub fn sizing_note(cluster: &Cluster, g: &NodeGroupFacts, full: bool) -> String {
    let pool = g.pool.and_then(|p| cluster.node_pools.get(p));
    match (pool, g.sizing_type(full)) {
        (Some(p), Some(t)) if t.max_nodes.is_some() => format!(
            " ({}; of its {} candidate instance type(s), the one whose fleet at the limits holds the most addresses)",
            self::pool::ceiling_why(p, t.instance, t.max_pods),
            g.types.len()
        ),
        _ => g.sizing_note(full),
    }
}

/// The ceiling a report shows for a group: [`ceiling`] at the full pod count, or an Auto Mode
/// pool's limit ceiling (its per-type figures are not modelled).
pub fn shown_ceiling(cluster: &Cluster, g: &NodeGroupFacts) -> Option<i64> {
    match ceiling(cluster, g, true) {
        Value::Known(n, _) => Some(n),
        _ => g
            .auto_mode
            .as_ref()
            .and_then(|b| b.ceiling)
            .map(|(n, _)| i64::try_from(n).unwrap_or(i64::MAX)),
    }
}

/// The node ceiling of a group at the figure `full` selects: a node group's max size, a
/// pool's ceiling for its sizing type (Absent when the pool has no limits).
pub fn ceiling(cluster: &Cluster, g: &NodeGroupFacts, full: bool) -> Value<i64> {
    let Some(ng) = cluster.node_groups.get(g.index) else {
        return Value::Absent;
    };
    let Some(p) = g.pool.and_then(|p| cluster.node_pools.get(p)) else {
        return ng.max_size.clone();
    };
    if let Some(u) = [
        &p.limits.cpu_millis,
        &p.limits.memory_bytes,
        &p.limits.nodes,
        &p.limits.pods,
        &p.replicas,
    ]
    .into_iter()
    .find_map(|v| v.unknown_reason())
    {
        return Value::Unknown(u.clone());
    }
    match g.sizing_type(full).and_then(|t| t.max_nodes) {
        Some(n) => Value::Known(
            i64::try_from(n).unwrap_or(i64::MAX),
            self::pool::ceiling_origin(p),
        ),
        None => Value::Absent,
    }
}

pub(crate) fn subnet_fits(
    cluster: &Cluster,
    ids: &[SubnetId],
    (one_pod, full): (&NodeAddresses, &NodeAddresses),
    cni: &CniSettings,
    pods: &PodSubnets,
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
            let pod = pods.for_subnet(cluster, id).map_err(|why| {
                let what = format!("the ENIConfig pod subnet for subnet `{}`", subnet.name);
                why.map(|u| (what, u))
            });
            match pod.and_then(|p| match subnet_usable(cluster, p) {
                Some(u) => Ok((p, u)),
                None => Err(match cluster.subnets.get(p).map(|s| (&s.name, &s.cidr)) {
                    Some((name, Value::Unknown(u))) => {
                        Some((format!("the CIDR of pod subnet `{name}`"), u.clone()))
                    }
                    _ => None,
                }),
            }) {
                Ok(x) => x,
                Err(why) => {
                    unknowns.extend(why);
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
            nodes_one_pod: fits(one_pod),
            nodes_full: fits(full),
        });
    }
    complete.then_some(out)
}

/// Sum of address or node counts, saturating: absurd max sizes must not wrap around.
pub fn sat_sum(it: impl IntoIterator<Item = u64>) -> u64 {
    it.into_iter().fold(0, u64::saturating_add)
}

/// The max size of a node group when it is known and positive.
pub fn max_nodes(ng: &NodeGroup) -> Option<u64> {
    match ng.max_size.get() {
        Some(&n) if n > 0 => Some(n as u64),
        _ => None,
    }
}

/// Addresses a group takes from one subnet at its max size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupDemand {
    pub group: usize,
    pub nodes: u64,
    pub addresses: u64,
}

/// Node groups whose max size, sizing instance type and subnet fit are known, with the
/// addresses a node holds (at one pod, or at the "full" count when `full`).
fn sized_groups<'f>(
    cluster: &'f Cluster,
    facts: &'f ClusterFacts,
    full: bool,
) -> impl Iterator<Item = (&'f NodeGroupFacts, u64, &'f NodeAddresses, &'f [SubnetFit])> + 'f {
    facts.node_groups.iter().filter_map(move |g| {
        let max = match ceiling(cluster, g, full) {
            Value::Known(n, _) if n > 0 => n as u64,
            _ => return None,
        };
        let t = g.sizing_type(full)?;
        let a = if full { &t.full } else { &t.one_pod };
        Some((g, max, a, g.fit.as_deref()?))
    })
}

/// Addresses every node group with a known max size and known subnets takes from each subnet
/// at max size, per subnet (the node subnet and, with custom networking, the pod subnet).
/// `full` selects the "full" pod count, else one pod per node. Groups are spread evenly.
pub fn subnet_demand(
    cluster: &Cluster,
    facts: &ClusterFacts,
    full: bool,
) -> std::collections::BTreeMap<SubnetId, Vec<GroupDemand>> {
    let mut out: std::collections::BTreeMap<SubnetId, Vec<GroupDemand>> = Default::default();
    for (g, max, a, fit) in sized_groups(cluster, facts, full) {
        for (s, nodes) in fit.iter().zip(spread(max, fit.len())) {
            let mut add = |id: SubnetId, per_node: u32| {
                if per_node > 0 && nodes > 0 {
                    out.entry(id).or_default().push(GroupDemand {
                        group: g.index,
                        nodes,
                        addresses: nodes.saturating_mul(u64::from(per_node)),
                    });
                }
            };
            if s.pod_subnet == s.subnet {
                add(s.subnet, a.total());
            } else {
                add(s.subnet, a.node_subnet);
                add(s.pod_subnet, a.pod_subnet);
            }
        }
    }
    out
}

/// Prefix-delegation use of one subnet at max size (EKS104).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PrefixUsage {
    /// /28 prefixes the prefix-mode groups hold.
    pub prefixes: u64,
    /// Addresses outside prefixes: ENI primaries, node primaries, secondary-mode groups.
    pub non_prefix: u64,
    /// Groups in prefix mode / in secondary-IP mode that use the subnet.
    pub prefix_groups: Vec<usize>,
    pub other_groups: Vec<usize>,
}

/// Per subnet, what prefix-mode and other node groups hold at max size (`full` pods).
pub fn prefix_usage(
    cluster: &Cluster,
    facts: &ClusterFacts,
    full: bool,
) -> std::collections::BTreeMap<SubnetId, PrefixUsage> {
    let mut out: std::collections::BTreeMap<SubnetId, PrefixUsage> = Default::default();
    for (g, max, a, fit) in sized_groups(cluster, facts, full) {
        let in_prefix = a.prefixes > 0;
        for (s, nodes) in fit.iter().zip(spread(max, fit.len())) {
            let mut note = |id: SubnetId, addrs: u32, prefixes: u64| {
                let u = out.entry(id).or_default();
                let list = if in_prefix {
                    &mut u.prefix_groups
                } else {
                    &mut u.other_groups
                };
                // Groups come in order: a repeat is always the last one pushed.
                if list.last() != Some(&g.index) {
                    list.push(g.index);
                }
                u.prefixes = u.prefixes.saturating_add(nodes.saturating_mul(prefixes));
                u.non_prefix = u.non_prefix.saturating_add(nodes.saturating_mul(
                    u64::from(addrs).saturating_sub(prefixes * u64::from(cni::PREFIX_SIZE)),
                ));
            };
            if s.pod_subnet == s.subnet {
                note(s.subnet, a.total(), u64::from(a.prefixes));
            } else {
                note(s.subnet, a.node_subnet, 0);
                note(s.pod_subnet, a.pod_subnet, u64::from(a.prefixes));
            }
        }
    }
    out
}

/// Warm addresses a node holds beyond its pods' needs (secondary-IP mode): IPs held − pods.
pub fn idle_per_node(a: &NodeAddresses, pods: u32) -> u32 {
    a.secondary_ips.saturating_sub(pods)
}

/// A WARM_IP_TARGET / MINIMUM_IP_TARGET pair for a group and what it gives (EKS301).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpTargetSuggestion {
    pub warm_ip_target: u32,
    pub minimum_ip_target: u32,
    /// Addresses per node with one pod under the suggestion.
    pub one_pod: NodeAddresses,
    /// Addresses per node at MINIMUM_IP_TARGET pods under the suggestion.
    pub at_minimum: NodeAddresses,
    /// Pods a node runs before it grows past MINIMUM_IP_TARGET (n − w).
    pub pods_at_floor: u32,
    /// Nodes the group's subnets hold with one pod per node, under the suggestion.
    pub nodes_one_pod: u64,
    /// Nodes they hold at MINIMUM_IP_TARGET pods per node.
    pub nodes_at_minimum: u64,
}

/// Suggest IP targets for group `g`: MINIMUM_IP_TARGET = the expected pods per node (or one
/// ENI's worth of secondary IPs, capped at max pods), WARM_IP_TARGET = a tenth of that, at
/// least 2 and at most one ENI. The figures come from the same engine as every other number.
pub fn suggest_ip_targets(
    cluster: &Cluster,
    facts: &ClusterFacts,
    g: usize,
    expected_pods: Option<u32>,
) -> Option<IpTargetSuggestion> {
    let gf = facts.node_groups.get(g)?;
    let t = gf.sizing_type(false)?;
    let fit = gf.fit.as_ref()?;
    let m = u32::from(t.instance.ipv4_per_eni).saturating_sub(1);
    if m == 0 || t.max_pods == 0 {
        return None;
    }
    let n = expected_pods.unwrap_or(m).clamp(1, t.max_pods);
    let w = n.div_ceil(10).max(2).min(m);
    let mut cni = facts.cni.clone();
    cni.warm_ip_target = w;
    cni.minimum_ip_target = n;
    let one_pod = cni::node_addresses(t.instance, &cni, t.max_pods, 1);
    let at_minimum = cni::node_addresses(t.instance, &cni, t.max_pods, n);
    let nodes = |a: &NodeAddresses| -> u64 {
        sat_sum(fit.iter().map(|s| {
            if s.pod_subnet == s.subnet {
                floor_div(s.usable, a.total())
            } else {
                let pod = subnet_usable(cluster, s.pod_subnet).unwrap_or(0);
                floor_div(s.usable, a.node_subnet).min(floor_div(pod, a.pod_subnet))
            }
        }))
    };
    Some(IpTargetSuggestion {
        warm_ip_target: w,
        minimum_ip_target: n,
        pods_at_floor: n.saturating_sub(w),
        nodes_one_pod: nodes(&one_pod),
        nodes_at_minimum: nodes(&at_minimum),
        one_pod,
        at_minimum,
    })
}

#[cfg(test)]
mod tests;
