//! EKS101 subnet-exhaustion: at max size and one pod per node the subnets run out.

use super::ctx::Ctx;
use super::list;
use crate::capacity::{self, NodeGroupFacts, TypeFacts};
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;

/// "2 ENIs × 30 (WARM_ENI_TARGET=1)": why a node holds what it holds.
pub(crate) fn explain(
    ctx: &Ctx,
    ng: &crate::model::NodeGroup,
    t: &TypeFacts,
    a: &crate::aws::cni::NodeAddresses,
) -> String {
    use crate::capacity::windows;
    if windows::is_windows(ng) {
        return format!(
            "{} secondary IPs on the primary ENI + the node's own address, Windows: VPC resource controller defaults windows-warm-ip-target={}, windows-minimum-ip-target={}",
            a.secondary_ips,
            windows::DEFAULT_WARM_IP_TARGET,
            windows::DEFAULT_MINIMUM_IP_TARGET
        );
    }
    let cni = &ctx.facts.cni;
    let extra = match (cni.custom_networking, cni.pod_eni) {
        (true, true) => " + node primary + trunk ENI",
        (true, false) => " + node primary",
        (false, true) => " + trunk ENI",
        _ => "",
    };
    if a.prefixes > 0 {
        let why = if cni.uses_ip_targets() {
            format!(
                "WARM_IP_TARGET={}, MINIMUM_IP_TARGET={}",
                cni.warm_ip_target, cni.minimum_ip_target
            )
        } else {
            format!("WARM_PREFIX_TARGET={}", cni.warm_prefix_target)
        };
        format!(
            "{} /28 prefixes × 16 + {} ENI primary address(es){extra}, {why}",
            a.prefixes, a.enis
        )
    } else if cni.pool_frozen() {
        format!(
            "{} IPs + {} ENI primary address(es){extra}: MINIMUM_IP_TARGET={} without WARM_IP_TARGET keeps the pool there whatever the pods",
            a.secondary_ips, a.enis, cni.minimum_ip_target
        )
    } else if cni.uses_ip_targets() {
        format!(
            "{} IPs + {} ENI primary address(es){extra}, WARM_IP_TARGET={}, MINIMUM_IP_TARGET={}",
            a.secondary_ips, a.enis, cni.warm_ip_target, cni.minimum_ip_target
        )
    } else {
        format!(
            "{} ENIs × {} addresses{extra}, WARM_ENI_TARGET={}",
            a.enis, t.instance.ipv4_per_eni, cni.warm_eni_target
        )
    }
}

/// Record EKS901 skips for a group whose fit could not be computed.
pub(crate) fn skip_unknown_fit(ctx: &Ctx, code: Code, g: &NodeGroupFacts) {
    let ng = &ctx.cluster.node_groups[g.index];
    ctx.skip_group_unknowns(code, g);
    match capacity::ceiling(ctx.cluster, g, false) {
        Value::Unknown(u) => {
            let what = if ng.pool.is_some() {
                "the limits"
            } else {
                "the max size"
            };
            ctx.skip_group(code, ng, what, &u);
        }
        Value::Absent
            if ng
                .pool
                .and_then(|p| ctx.cluster.node_pools.get(p))
                .is_some_and(|p| !p.is_bounded()) =>
        {
            unbounded_pool(ctx, code, g)
        }
        _ => {}
    }
    if g.fit.is_none() {
        if let Some(u) = ctx.eniconfig_unknown() {
            ctx.skip_group(code, ng, "the ENIConfig pod subnets", &u);
        }
    }
}

/// A pool without limits has no ceiling: one note with the node count at which its subnets
/// run out, for the candidate that holds the most addresses per node (it exhausts them first).
fn unbounded_pool(ctx: &Ctx, code: Code, g: &NodeGroupFacts) {
    let ng = &ctx.cluster.node_groups[g.index];
    let Some(pool) = ng.pool.and_then(|p| ctx.cluster.node_pools.get(p)) else {
        return;
    };
    let runs_out = match (g.sizing_type(false), g.nodes_fit_one_pod()) {
        (Some(t), Some(n)) => format!(
            "; its subnets run out at {n} `{}` nodes with one pod each ({} addresses per node)",
            t.instance.name,
            t.one_pod.total()
        ),
        _ => String::new(),
    };
    let u = crate::model::Unknown {
        reason: format!(
            "it has no limits, so nothing caps its node count: nodes are launched while pods are pending{runs_out}"
        ),
        span: pool.span,
    };
    ctx.skip_group(code, ng, "the node ceiling", &u);
}

/// An EKS Auto Mode pool whose limits allow more nodes than its subnets hold even at the
/// addresses AWS documents a node reserving at least (`capacity::AutoModeBound`).
fn auto_mode(ctx: &Ctx, g: &NodeGroupFacts) -> Option<Diagnostic> {
    let b = g.auto_mode.as_ref()?;
    let ng = &ctx.cluster.node_groups[g.index];
    let pool = ctx.cluster.node_pools.get(ng.pool?)?;
    let ((max, ty), fit) = (b.ceiling?, b.fit?);
    if max <= fit {
        return None;
    }
    let it = crate::aws::instances::lookup(ty)?;
    let why = capacity::pool::ceiling_why(pool, it, 1);
    let span = pool
        .limits
        .span
        .or(pool.replicas.span())
        .unwrap_or(pool.span);
    Some(
        ctx.diag(
            Code::EKS101,
            span,
            format!(
                "{} `{}` can grow to {max} {ty} nodes ({why}), but its subnets hold at most {fit} EKS Auto Mode nodes: AWS documents each node reserving a /28 prefix, so a node holds at least {} addresses (its /28 and its own), more with its warm pool",
                ng.kind.label(),
                ng.name,
                b.min_addresses
            ),
        )
        .with_label(format!("at most {fit} nodes fit"))
        .with_key(ctx.group_key(ng))
        .with_help(format!(
            "give the pool larger subnets or more of them, or {}",
            ctx.lower_ceiling(ng, it, fit)
        )),
    )
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if let Some(d) = super::pod_network::note(ctx) {
        out.push(d);
        return;
    }
    // Per-node addresses depend on the CNI settings: with them unknown, only a note.
    if ctx.skip_cni(Code::EKS101) {
        return;
    }
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        if let Some(d) = auto_mode(ctx, g) {
            out.push(d);
            continue;
        }
        ctx.skip_assumed(Code::EKS101, g);
        let ceiling = capacity::ceiling(ctx.cluster, g, false);
        let (Value::Known(max, max_origin), Some(t), Some(fit)) = (
            &ceiling,
            g.sizing_type(false),
            ctx.demand(false)
                .shared_fit(ctx.cluster, ctx.facts, g.index),
        ) else {
            skip_unknown_fit(ctx, Code::EKS101, g);
            continue;
        };
        if *max <= 0 || (*max as u64) <= fit.nodes {
            continue;
        }
        let a = &t.one_pod;
        let sizes = fit.subnets.iter().map(|s| {
            let mut txt = format!(
                "{} {} ({} usable",
                ctx.subnet_name(s.subnet),
                ctx.subnet_cidr(s.subnet),
                s.usable
            );
            if s.pod_subnet != s.subnet {
                txt.push_str(&format!(
                    ", pods in {} {}",
                    ctx.subnet_name(s.pod_subnet),
                    ctx.subnet_cidr(s.pod_subnet)
                ));
            }
            if s.others > 0 {
                txt.push_str(&format!(
                    ", {} taken by {}",
                    s.others,
                    takers(s.others, s.fargate)
                ));
            }
            txt.push_str(&format!(
                ", {} node{})",
                s.nodes,
                if s.nodes == 1 { "" } else { "s" }
            ));
            txt
        });
        let shared = ctx.sharing(&fit, g.index, false);
        let shared_txt = if shared.count == 0 {
            String::new()
        } else {
            format!(
                " after node group(s) {} at their max size",
                ctx.sharing_names(&shared)
            )
        };
        let per_node = if ctx.facts.cni.custom_networking {
            format!(
                "{} addresses ({} from the node subnet, {} from the pod subnet)",
                a.total(),
                a.node_subnet,
                a.pod_subnet
            )
        } else {
            format!("{} addresses", a.total())
        };
        let mut d = ctx
            .diag(
                Code::EKS101,
                max_origin.span,
                format!(
                    "{} `{}` can grow to {} {} nodes{}, but its {} subnet(s) hold {}{}: each node reserves {} with one pod ({}); subnets: {}",
                    ng.kind.label(),
                    ng.name,
                    max,
                    t.instance.name,
                    capacity::sizing_note(ctx.cluster, g, false),
                    fit.subnets.len(),
                    fit.nodes,
                    shared_txt,
                    per_node,
                    explain(ctx, ng, t, a),
                    list::capped(sizes)
                ),
            )
            .with_label(format!("{} nodes fit", fit.nodes))
            .with_key(ctx.group_key(ng))
            .with_help(help(ctx, (g.index, t), *max as u64, &fit));
        for s in list::first(&max_origin.via) {
            d.push_related(*s, "max size comes from here");
        }
        for s in list::first(&fit.subnets) {
            if let Some(sp) = ctx.subnet_span(s.subnet) {
                d.push_related(sp, format!("subnet `{}`", ctx.subnet_name(s.subnet)));
            }
            // Where the CIDR was computed from (variable default, tfvars line, local).
            if let Some(o) = ctx.cluster.subnets[s.subnet].cidr.origin() {
                for v in list::first(&o.via) {
                    d.push_related(
                        *v,
                        format!("CIDR of `{}` comes from here", ctx.subnet_name(s.subnet)),
                    );
                }
            }
            if s.pod_subnet != s.subnet {
                if let Some(sp) = ctx.subnet_span(s.pod_subnet) {
                    d.push_related(
                        sp,
                        format!("pod subnet `{}`", ctx.subnet_name(s.pod_subnet)),
                    );
                }
            }
        }
        for &i in &shared.first {
            let other = &ctx.cluster.node_groups[i];
            d.push_related(
                other.max_size.span().unwrap_or(other.span),
                format!("node group `{}` shares the subnets", other.name),
            );
        }
        d.push_related(t.span, "instance type");
        if let Some(sp) = ctx.cluster.cni.span {
            d.push_related(sp, "VPC CNI settings");
        }
        out.push(d);
    }
}

/// Who takes the `others` addresses of a subnet, `fargate` of them Fargate pods.
fn takers(others: u64, fargate: u64) -> &'static str {
    match fargate {
        0 => "other node groups",
        f if f >= others => "Fargate pods",
        _ => "other node groups and Fargate pods",
    }
}

/// A concrete fix: the subnet size that would hold the group, and the other levers.
fn help(
    ctx: &Ctx,
    (fit_group, t): (usize, &TypeFacts),
    max: u64,
    fit: &capacity::demand::SharedFit,
) -> String {
    let n = fit.subnets.len();
    let a = &t.one_pod;
    let others = fit.subnets.iter().map(|s| s.others).max().unwrap_or(0);
    let fargate = fit.subnets.iter().map(|s| s.fargate).max().unwrap_or(0);
    let plus = if others > 0 {
        format!(" + {others} for the {}", takers(others, fargate))
    } else {
        String::new()
    };
    let mut h = if ctx.facts.cni.custom_networking {
        let pod = capacity::subnet_need(max, n, a.pod_subnet, others);
        let node = capacity::subnet_need(max, n, a.node_subnet, others);
        match (pod.prefix_len, node.prefix_len) {
            (Some(pp), Some(np)) => format!(
                "give each pod subnet (ENIConfig) at least a /{pp} ({} nodes × {} addresses{plus}) and each node subnet at least a /{np}, add subnets, ",
                pod.nodes, a.pod_subnet
            ),
            _ => "add pod subnets (more zones or a larger secondary CIDR), ".to_string(),
        }
    } else {
        let need = capacity::subnet_need(max, n, a.total(), others);
        match need.prefix_len {
            Some(p) => format!(
                "give each of the {n} subnet(s) at least a /{p} ({} nodes × {} addresses{plus} = {}), add subnets, ",
                need.nodes,
                a.total(),
                need.addresses
            ),
            None => "add subnets or a secondary VPC CIDR with custom networking, ".to_string(),
        }
    };
    let ng = &ctx.cluster.node_groups[fit_group];
    h.push_str(&format!(
        "or {}",
        ctx.lower_ceiling(ng, t.instance, fit.nodes)
    ));
    if !ctx.facts.cni.uses_ip_targets() && !ctx.facts.cni.prefix_delegation {
        h.push_str("; WARM_IP_TARGET/MINIMUM_IP_TARGET make each node hold fewer spare addresses (see EKS301)");
    }
    h
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::{IpFamily, NodeGroupKind, Value};
    use crate::rules::testutil::*;

    #[test]
    fn fires_when_max_size_exceeds_what_fits() {
        let ds = only(&run(&three_22(80).build()), Code::EKS101);
        assert_eq!(ds.len(), 1);
        let m = &ds[0].message;
        assert!(m.contains("hold 48"), "{m}");
        assert!(m.contains("60 addresses"), "{m}");
        assert!(m.contains("2 ENIs × 30"), "{m}");
        assert_eq!(ds[0].key, "cluster/prod/nodegroup/general");
        assert!(ds[0].related.len() >= 4);
        assert!(ds[0].help.as_deref().unwrap().contains("/21"));
    }

    #[test]
    fn quiet_when_it_fits() {
        assert!(only(&run(&three_22(48).build()), Code::EKS101).is_empty());
    }

    #[test]
    fn groups_sharing_subnets_are_counted_together() {
        // 30 + 30 nodes of 60 addresses in three /22s (48 fit): each alone fits, together not.
        let c = three_22(30)
            .group(
                "batch",
                NodeGroupKind::Managed,
                &["m5.8xlarge"],
                30,
                &[0, 1, 2],
            )
            .build();
        let ds = only(&run(&c), Code::EKS101);
        assert_eq!(ds.len(), 2, "{ds:?}");
        assert!(ds[0].message.contains("`batch`"));
        assert!(ds[0].message.contains("taken by other node groups"));
    }

    #[test]
    fn unknown_subnet_cidr_gives_a_note_not_an_error() {
        let mut b = three_22(80);
        b.c.subnets[1].cidr =
            Value::unknown("it comes from data source `data.aws_subnet.x`", sp(7));
        let ds = run(&b.build());
        assert!(only(&ds, Code::EKS101).is_empty());
        let notes = only(&ds, Code::EKS901);
        assert_eq!(notes.len(), 1, "{notes:?}");
        assert!(notes[0].message.contains("EKS101"));
        assert!(notes[0].message.contains("data.aws_subnet.x"));
        assert_eq!(notes[0].span, sp(7));
    }

    #[test]
    fn unknown_cni_settings_give_a_note_not_an_error() {
        let mut b = three_22(80);
        b.c.cni.unknown = Some(crate::model::Unknown {
            reason: "it comes from data source `data.external.cni`".into(),
            span: sp(8),
        });
        let ds = run(&b.build());
        assert!(only(&ds, Code::EKS101).is_empty());
        assert!(only(&ds, Code::EKS901)
            .iter()
            .any(|d| d.message.contains("EKS101") && d.span == sp(8)));
    }

    #[test]
    fn ipv6_cluster_gets_a_note() {
        let mut b = three_22(80);
        b.c.ip_family = Value::known(IpFamily::Ipv6, sp(9));
        let ds = only(&run(&b.build()), Code::EKS101);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].level, crate::diag::Level::Note);
    }

    #[test]
    fn custom_networking_counts_the_pod_subnet() {
        // Nodes take 1 address from /24s, pods 20 from /20s: 3 × ⌊4091/20⌋ = 612 nodes fit.
        let mut b = B::new()
            .vpc(&["10.0.0.0/16", "100.64.0.0/16"])
            .subnets(&["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"])
            .subnets(&["100.64.0.0/20", "100.64.16.0/20", "100.64.32.0/20"])
            .group("ng", NodeGroupKind::Managed, &["m5.large"], 700, &[0, 1, 2])
            .env("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true");
        for i in 0..3 {
            let az = b.c.subnets[i].az.clone();
            b.c.cni.eni_configs.push(crate::model::EniConfig {
                az,
                subnet: Value::known(i + 3, sp(50 + i)),
                span: sp(60 + i),
            });
        }
        let ds = only(&run(&b.build()), Code::EKS101);
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert!(ds[0].message.contains("hold 612"), "{}", ds[0].message);
        assert!(ds[0].message.contains("pods in private-3"));
        // 234 nodes per zone × 20 pod addresses = 4680: a /19 per pod subnet.
        assert!(ds[0]
            .help
            .as_deref()
            .unwrap()
            .contains("pod subnet (ENIConfig) at least a /19"));
    }

    #[test]
    fn many_sharing_groups_are_capped_and_counted() {
        use crate::rules::list::MAX_LISTED;
        let n = MAX_LISTED + 10;
        let mut b = three_22(30);
        for i in 0..n {
            b = b.group(
                &format!("o{i}"),
                NodeGroupKind::Managed,
                &["m5.8xlarge"],
                30,
                &[0, 1, 2],
            );
        }
        let ds = only(&run(&b.build()), Code::EKS101);
        assert_eq!(ds.len(), n + 1);
        let shown: Vec<String> = (0..MAX_LISTED).map(|i| format!("`o{i}`")).collect();
        let want = format!(
            "after node group(s) {} and {} more at their max size",
            shown.join(", "),
            n - MAX_LISTED
        );
        assert!(ds[0].message.contains(&want), "{}", ds[0].message);
        // The last group is shared with `general` and every other `o`.
        let shown: Vec<String> = std::iter::once("`general`".to_string())
            .chain((0..MAX_LISTED - 1).map(|i| format!("`o{i}`")))
            .collect();
        let want = format!(
            "after node group(s) {} and {} more at",
            shown.join(", "),
            n - MAX_LISTED
        );
        assert!(ds[n].message.contains(&want), "{}", ds[n].message);
        let shares = ds[0]
            .related
            .iter()
            .filter(|r| r.message.ends_with("shares the subnets"));
        assert_eq!(shares.count(), MAX_LISTED);
    }
}
