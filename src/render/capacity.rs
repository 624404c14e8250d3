//! `eks-lint capacity`: per cluster, the subnets with what the node groups need from them at
//! max size, and per node group the nodes that fit. Every figure comes from `capacity`
//! (`analyze`, `subnet_demand`) and `aws::cni`; this module only arranges and draws them.

use crate::aws::cni::{CniSettings, NodeAddresses};
use crate::capacity::pod_network::PodNetwork;
use crate::capacity::{self, CapacityOptions, ClusterFacts};
use crate::model::{Cluster, Origin};
use crate::Report;
use serde::Serialize;
use std::fmt::Write as _;

/// What-ifs from the command line.
#[derive(Debug, Clone, Default)]
pub struct WhatIf {
    pub pods_per_node: Option<u32>,
    /// `NAME=VALUE` VPC CNI settings applied over each cluster's own.
    pub env: Vec<(String, String)>,
}

/// Parse `--env NAME=VALUE` arguments; values ipamd would reject are usage errors.
pub fn parse_env(args: &[String]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut cfg = crate::model::CniConfig::default();
    for a in args {
        let (k, v) = a
            .split_once('=')
            .ok_or_else(|| format!("--env {a}: expected NAME=VALUE"))?;
        let (k, v) = (k.trim().to_string(), v.trim().to_string());
        if k.is_empty() {
            return Err(format!("--env {a}: expected NAME=VALUE"));
        }
        CniSettings::check_what_if_name(&k)?;
        cfg.set(k.clone(), v.clone(), Origin::default());
        out.push((k, v));
    }
    let (_, issues) = CniSettings::from_config(&cfg);
    if let Some(i) = issues.first() {
        return Err(format!("--env {}={}: {}", i.name, i.value, i.problem));
    }
    Ok(out)
}

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
}

#[derive(Debug, Serialize)]
pub struct PodNetworkView {
    /// `vpc-cni`, `ipv6`, `overlay` or `unmodelled`.
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
    /// Addresses the node groups in it need at max size with one pod per node.
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
            SubnetView {
                name: s.name.clone(),
                used_by: uses[id].clone(),
                cidr: s.cidr.get().map(|c| c.text.clone()),
                az: s.az.get().cloned(),
                usable: capacity::subnet_usable(cluster, id),
                node_groups: groups.into_iter().map(group_name).collect(),
                needed_one_pod: sum(&one),
                needed_full: sum(&full),
            }
        })
        .collect();
    let fits = group_fits(cluster, facts);
    let node_groups = facts
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
                max_size: ng.max_size.get().copied(),
                instance_type: t.map(|t| t.instance.name),
                max_pods: t.map(|t| t.max_pods),
                max_pods_set_by: match g.max_pods_source {
                    crate::capacity::MaxPodsSource::Explicit(_) => "explicit",
                    crate::capacity::MaxPodsSource::Default => g.launcher.key(),
                },
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
        .collect();
    ClusterView {
        name: cluster.display_name(),
        file: loc.file,
        line: loc.start.line,
        ipv6: facts.ipv6,
        cni: cni_label(&facts.cni),
        cni_unknown: facts.cni_unknown.as_ref().map(|u| u.reason.clone()),
        pod_network: pod_network_view(&facts.pod_network),
        subnets,
        node_groups,
    }
}

/// Re-analyse every cluster of `report` under the what-ifs.
pub fn build(report: &Report, what_if: &WhatIf) -> CapacityDoc {
    let clusters = report
        .clusters
        .iter()
        .map(|c| {
            let mut c = c.clone();
            for (k, v) in &what_if.env {
                c.cni.set(k.clone(), v.clone(), Origin::default());
            }
            let facts = capacity::pod_facts::analyze(
                &c,
                CapacityOptions {
                    pods_per_node: what_if.pods_per_node,
                },
            );
            cluster_view(report, &c, &facts)
        })
        .collect();
    CapacityDoc {
        version: 1,
        pods_per_node: what_if.pods_per_node,
        env: what_if
            .env
            .iter()
            .map(|(k, v)| EnvOverride {
                name: k.clone(),
                value: v.clone(),
            })
            .collect(),
        clusters,
    }
}

pub fn render_json(doc: &CapacityDoc) -> String {
    let mut s = super::escape::json_pretty(doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

const BAR_WIDTH: usize = 30;

/// What the figures of a Windows group assume (`capacity::windows`).
const WINDOWS_NOTE: &str = "Windows nodes: addresses from the VPC resource controller (secondary IPs on the primary ENI only, windows-warm-ip-target=3 and windows-minimum-ip-target=3 assumed, no prefix delegation)";

/// `█` addresses needed at one pod per node, `▒` the extra at the full pod count, `·` free;
/// the bar is the subnet's capacity, and `▶` marks need beyond it.
pub fn bar(one: u64, full: u64, usable: u64) -> String {
    if usable == 0 {
        return format!("{}▶", "█".repeat(BAR_WIDTH));
    }
    let cells = |n: u64| -> usize {
        let c = (u128::from(n) * BAR_WIDTH as u128).div_ceil(u128::from(usable));
        c.min(BAR_WIDTH as u128) as usize
    };
    let a = cells(one);
    let b = cells(full.max(one)).saturating_sub(a);
    let rest = BAR_WIDTH - a - b;
    let over = if full > usable { "▶" } else { " " };
    format!(
        "{}{}{}{over}",
        "█".repeat(a),
        "▒".repeat(b),
        "·".repeat(rest)
    )
}

pub(crate) fn percent(n: u64, of: u64) -> String {
    if of == 0 {
        return "—".to_string();
    }
    format!("{}%", (u128::from(n) * 100).div_ceil(u128::from(of)))
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "?".to_string(), |v| v.to_string())
}

/// Left-aligned text columns, right-aligned numbers (by the caller's `right` flags).
fn table(head: &[&str], rows: &[Vec<String>], right: &[bool], indent: &str) -> String {
    let n = head.len();
    let mut w: Vec<usize> = head.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let mut s = indent.to_string();
        for (i, c) in cells.iter().enumerate() {
            let pad = w[i].saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if right.get(i).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(head.to_vec());
    for r in rows {
        out.push_str(&line(r.iter().map(String::as_str).collect()));
    }
    out
}

/// The "used by" cell: the control plane and the node groups (pods for a pod-only subnet of
/// custom networking), or that this cluster does not use the subnet.
fn used_by(s: &SubnetView) -> String {
    let mut parts: Vec<String> = Vec::new();
    if s.used_by.contains(&"control-plane") {
        parts.push("control plane".to_string());
    }
    parts.extend(s.node_groups.iter().cloned());
    if parts.is_empty() && s.used_by.contains(&"pods") {
        parts.push("pods (ENIConfig)".to_string());
    }
    if s.used_by.is_empty() {
        "not used by this cluster".to_string()
    } else if parts.is_empty() {
        "—".to_string()
    } else {
        parts.join(", ")
    }
}

/// "`a`, `b` and 3 more" for the groups a group's fit leaves room for.
fn sharing_names(g: &NodeGroupView) -> Option<String> {
    if g.shares_subnets_with_count == 0 {
        return None;
    }
    let names: Vec<String> = g
        .shares_subnets_with
        .iter()
        .map(|n| format!("`{n}`"))
        .collect();
    let more = g.shares_subnets_with_count.saturating_sub(names.len());
    let mut s = format!("node group(s) {}", names.join(", "));
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    Some(s)
}

fn full_label(doc: &CapacityDoc) -> String {
    match doc.pods_per_node {
        Some(p) => format!("{p} pods"),
        None => "max pods".to_string(),
    }
}

/// Input text for the terminal, before the column widths are measured.
fn t(s: &str) -> String {
    super::escape::terminal(s).into_owned()
}

pub fn render_human(doc: &CapacityDoc) -> String {
    let mut out = String::new();
    let full = full_label(doc);
    if !doc.env.is_empty() {
        let env: Vec<String> = doc
            .env
            .iter()
            .map(|e| t(&format!("{}={}", e.name, e.value)))
            .collect();
        let _ = writeln!(out, "What-if: {}\n", env.join(" "));
    }
    if doc.clusters.is_empty() {
        out.push_str("No clusters found.\n");
    }
    for c in &doc.clusters {
        let _ = writeln!(out, "Cluster `{}` ({}:{})", t(&c.name), t(&c.file), c.line);
        let vpc_cni = matches!(c.pod_network.kind, "vpc-cni" | "ipv6");
        if vpc_cni {
            let _ = writeln!(out, "  VPC CNI: {}", c.cni);
        }
        let _ = writeln!(out, "  Pod network: {}", t(&c.pod_network.assumed));
        if let (true, Some(u)) = (vpc_cni, &c.cni_unknown) {
            let _ = writeln!(
                out,
                "  note: the CNI configuration could not be read ({}); defaults are shown",
                t(u)
            );
        }
        out.push('\n');
        let rows: Vec<Vec<String>> = c
            .subnets
            .iter()
            .map(|s| {
                let usable = s.usable.unwrap_or(0);
                vec![
                    t(&s.name),
                    t(&opt(s.cidr.as_deref())),
                    t(&opt(s.az.as_deref())),
                    opt(s.usable),
                    t(&used_by(s)),
                    format!(
                        "{} ({})",
                        s.needed_one_pod,
                        percent(s.needed_one_pod, usable)
                    ),
                    format!("{} ({})", s.needed_full, percent(s.needed_full, usable)),
                    if s.usable.is_some() {
                        bar(s.needed_one_pod, s.needed_full, usable)
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        let need_full = format!("need ({full})");
        out.push_str(&table(
            &[
                "subnet",
                "CIDR",
                "AZ",
                "usable",
                "used by",
                "need (1 pod)",
                &need_full,
                "use at max size",
            ],
            &rows,
            &[false, false, false, true, false, true, true, false],
            "  ",
        ));
        out.push('\n');
        let rows: Vec<Vec<String>> = c
            .node_groups
            .iter()
            .map(|g| {
                let types = if g.instance_types.is_empty() {
                    g.unknown_instance_types.join(", ")
                } else {
                    g.instance_types.join(", ")
                };
                vec![
                    t(&g.name),
                    t(&types),
                    opt(g.max_size),
                    opt(g.max_pods),
                    format!(
                        "{} / {}",
                        opt(g.addresses_per_node_one_pod.as_ref().map(|a| a.total)),
                        opt(g.addresses_per_node_full.as_ref().map(|a| a.total))
                    ),
                    format!("{} / {}", opt(g.nodes_fit_one_pod), opt(g.nodes_fit_full)),
                ]
            })
            .collect();
        let per_node = format!("addresses/node (1 pod / {full})");
        let fit = format!("max nodes that fit (1 pod / {full})");
        out.push_str(&table(
            &[
                "node group",
                "instance type",
                "max size",
                "max pods",
                &per_node,
                &fit,
            ],
            &rows,
            &[false, false, true, true, true, true],
            "  ",
        ));
        for g in &c.node_groups {
            if let Some(names) = sharing_names(g) {
                let _ = writeln!(
                    out,
                    "  note: `{}`: the nodes that fit are counted after {} at their max size",
                    t(&g.name),
                    t(&names)
                );
            }
            if g.windows {
                let _ = writeln!(out, "  note: `{}`: {WINDOWS_NOTE}", t(&g.name));
            }
            for u in &g.unknowns {
                let _ = writeln!(out, "  note: `{}`: unknown {}", t(&g.name), t(u));
            }
        }
        out.push('\n');
    }
    out.push_str(&format!(
        "Bars: █ needed at 1 pod per node, ▒ more at {full}, · free, ▶ over capacity. Figures are packed steady states (a lower bound).\n"
    ));
    out
}

pub fn render_markdown(doc: &CapacityDoc) -> String {
    use super::escape::{markdown as text, markdown_code as code};
    let full = full_label(doc);
    let mut out = String::from("## eks-lint capacity\n\n");
    if !doc.env.is_empty() {
        let env: Vec<String> = doc
            .env
            .iter()
            .map(|e| code(&format!("{}={}", e.name, e.value)))
            .collect();
        let _ = writeln!(out, "What-if: {}\n", env.join(" "));
    }
    for c in &doc.clusters {
        let _ = writeln!(
            out,
            "### Cluster {} ({}:{})\n\nVPC CNI: {}\n\nPod network: {}\n",
            code(&c.name),
            text(&c.file),
            c.line,
            text(&c.cni),
            text(&c.pod_network.assumed)
        );
        let _ = writeln!(
            out,
            "| subnet | CIDR | AZ | usable | used by | need (1 pod) | need ({full}) | use |"
        );
        let _ = writeln!(out, "|---|---|---|---:|---|---:|---:|---|");
        for s in &c.subnets {
            let usable = s.usable.unwrap_or(0);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} ({}) | {} ({}) | `{}` |",
                code(&s.name),
                text(&opt(s.cidr.as_deref())),
                text(&opt(s.az.as_deref())),
                opt(s.usable),
                text(&used_by(s)),
                s.needed_one_pod,
                percent(s.needed_one_pod, usable),
                s.needed_full,
                percent(s.needed_full, usable),
                if s.usable.is_some() {
                    bar(s.needed_one_pod, s.needed_full, usable)
                } else {
                    String::new()
                }
            );
        }
        let _ = writeln!(
            out,
            "\n| node group | instance type | max size | max pods | addresses/node (1 pod / {full}) | max nodes that fit (1 pod / {full}) |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
        for g in &c.node_groups {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} / {} | {} / {} |",
                code(&g.name),
                text(&g.instance_types.join(", ")),
                opt(g.max_size),
                opt(g.max_pods),
                opt(g.addresses_per_node_one_pod.as_ref().map(|a| a.total)),
                opt(g.addresses_per_node_full.as_ref().map(|a| a.total)),
                opt(g.nodes_fit_one_pod),
                opt(g.nodes_fit_full)
            );
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_shows_one_pod_full_and_overflow() {
        let b = bar(0, 0, 100);
        assert_eq!(b.chars().filter(|&c| c == '·').count(), BAR_WIDTH);
        let b = bar(50, 100, 100);
        assert_eq!(b.chars().filter(|&c| c == '█').count(), 15);
        assert_eq!(b.chars().filter(|&c| c == '▒').count(), 15);
        assert!(b.ends_with(' '));
        let b = bar(200, 300, 100);
        assert_eq!(b.chars().filter(|&c| c == '█').count(), BAR_WIDTH);
        assert!(b.ends_with('▶'));
    }

    #[test]
    fn env_what_ifs_are_validated() {
        assert_eq!(
            parse_env(&["WARM_IP_TARGET=2".to_string()]).unwrap(),
            vec![("WARM_IP_TARGET".to_string(), "2".to_string())]
        );
        assert!(parse_env(&["WARM_IP_TARGET".to_string()]).is_err());
        assert!(parse_env(&["WARM_IP_TARGET=-1".to_string()]).is_err());
        let typo = parse_env(&["WARM_IP_TARGT=2".to_string()]).unwrap_err();
        assert!(typo.contains("did you mean WARM_IP_TARGET?"), "{typo}");
        let unknown = parse_env(&["FOO=1".to_string()]).unwrap_err();
        assert!(unknown.contains("known: WARM_ENI_TARGET,"), "{unknown}");
    }
}
