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
    /// Fargate pods per cluster (the `expected-fargate-pods` setting, or `--fargate-pods`).
    pub fargate_pods: u32,
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
    /// Max nodes of this group that fit in its subnets (the group alone), at one pod per node
    /// and at the full pod count; None when a subnet or CIDR is not known.
    pub nodes_fit_one_pod: Option<u64>,
    pub nodes_fit_full: Option<u64>,
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
    let subnets = cluster
        .subnets
        .iter()
        .enumerate()
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
    let node_groups = facts
        .node_groups
        .iter()
        .filter_map(|g| {
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
                nodes_fit_one_pod: g.nodes_fit_one_pod(),
                nodes_fit_full: g.nodes_fit_full(),
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
        cni: cni_label(&facts.cni),
        cni_unknown: facts.cni_unknown.as_ref().map(|u| u.reason.clone()),
        pod_network: pod_network_view(&facts.pod_network),
        subnets,
        node_groups,
        fargate_profiles,
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
                    fargate_pods: what_if.fargate_pods,
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

fn full_label(doc: &CapacityDoc) -> String {
    match doc.pods_per_node {
        Some(p) => format!("{p} pods"),
        None => "max pods".to_string(),
    }
}

/// The node groups and Fargate profiles taking addresses from a subnet.
fn users(s: &SubnetView) -> String {
    let mut v: Vec<String> = s.node_groups.clone();
    v.extend(s.fargate_profiles.iter().map(|p| format!("{p} (Fargate)")));
    v.join(", ")
}

/// "Fargate profile `fp` (a, b): its subnets take 40 addresses for the cluster's 80 expected
/// Fargate pods (...); shares its subnets with node groups `ng`".
fn fargate_line(f: &FargateView) -> String {
    let mut line = format!("Fargate profile `{}` ({}): ", f.name, f.subnets.join(", "));
    match &f.not_counted {
        Some(why) => line.push_str(&format!("pods not counted: {why}")),
        None => line.push_str(&format!(
            "its subnets take {} addresses for the cluster's {} expected Fargate pods (one per pod, no warm pool)",
            f.addresses, f.cluster_pods
        )),
    }
    if !f.shares_subnets_with.is_empty() {
        let names: Vec<String> = f
            .shares_subnets_with
            .iter()
            .map(|n| format!("`{n}`"))
            .collect();
        line.push_str(&format!(
            "; shares its subnets with node groups {}",
            names.join(", ")
        ));
    }
    line
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
                    if users(s).is_empty() {
                        "—".to_string()
                    } else {
                        t(&users(s))
                    },
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
                "node groups",
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
        for f in &c.fargate_profiles {
            let _ = writeln!(out, "  {}", t(&fargate_line(f)));
        }
        for g in &c.node_groups {
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
            "| subnet | CIDR | AZ | usable | node groups | need (1 pod) | need ({full}) | use |"
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
                text(&users(s)),
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
        for f in &c.fargate_profiles {
            let _ = writeln!(out, "\n{}", text(&fargate_line(f)));
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
