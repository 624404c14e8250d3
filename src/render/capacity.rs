//! `eks-lint capacity`: per cluster, the subnets with what the node groups need from them at
//! max size, and per node group the nodes that fit. Every figure comes from `capacity`
//! (`analyze`, `subnet_demand`) and `aws::cni`; this module only arranges and draws them.

use crate::aws::cni::CniSettings;
use crate::capacity::{self, CapacityOptions};
use crate::model::Origin;
use crate::Report;
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

pub mod view;
pub use self::view::*;

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

/// The "used by" cell: the control plane and the node groups (pods for a pod-only subnet of
/// custom networking), or that this cluster does not use the subnet.
fn used_by(s: &SubnetView) -> String {
    let mut parts: Vec<String> = Vec::new();
    if s.used_by.contains(&"control-plane") {
        parts.push("control plane".to_string());
    }
    parts.extend(s.node_groups.iter().cloned());
    parts.extend(s.fargate_profiles.iter().map(|p| format!("{p} (Fargate)")));
    if parts.is_empty() && s.used_by.contains(&"pods") {
        parts.push("pods (ENIConfig)".to_string());
    }
    if s.used_by.is_empty() && s.fargate_profiles.is_empty() {
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
                    super::shared::types_cell(&g.instance_types)
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
        // Auto Mode nodes ignore the VPC CNI settings: they are not shown.
        let cni = if c.pod_network.kind == "auto-mode" {
            String::new()
        } else {
            format!("VPC CNI: {}\n\n", text(&c.cni))
        };
        let _ = writeln!(
            out,
            "### Cluster {} ({}:{})\n\n{cni}Pod network: {}\n",
            code(&c.name),
            text(&c.file),
            c.line,
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
                text(&super::shared::types_cell(&g.instance_types)),
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
