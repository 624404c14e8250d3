//! EKS102 subnet-headroom: at the expected pods per node the subnets run out, or leave less
//! free than the headroom threshold.

use super::ctx::Ctx;
use super::list;
use crate::capacity;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.facts.vpc_cni_pods() {
        return;
    }
    if ctx.skip_cni(Code::EKS102) {
        return;
    }
    let threshold = u64::from(ctx.settings.headroom_percent.min(100));
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        ctx.skip_assumed(Code::EKS102, g);
        let ceiling = crate::capacity::ceiling(ctx.cluster, g, true);
        let (Value::Known(max, max_origin), Some(t), Some(one), Some(full)) = (
            &ceiling,
            g.sizing_type(true),
            ctx.demand(false)
                .shared_fit(ctx.cluster, ctx.facts, g.index),
            ctx.demand(true).shared_fit(ctx.cluster, ctx.facts, g.index),
        ) else {
            super::eks101::skip_unknown_fit(ctx, Code::EKS102, g);
            continue;
        };
        let max = (*max).max(0) as u64;
        if max == 0 || max > one.nodes {
            // EKS101 already reports the group at one pod per node.
            continue;
        }
        let pods_why = match ctx.settings.expected_pods_per_node {
            Some(_) if t.full_pods < t.max_pods => {
                format!("{} expected pods per node", t.full_pods)
            }
            _ => match &g.max_pods_source {
                // Windows max pods is the VPC resource controller's, whoever launches the node.
                crate::capacity::MaxPodsSource::Default
                    if crate::capacity::windows::is_windows(&ctx.cluster.node_groups[g.index]) =>
                {
                    format!(
                        "{} pods per node (max pods of the VPC resource controller)",
                        t.full_pods
                    )
                }
                crate::capacity::MaxPodsSource::Default => format!(
                    "{} pods per node (max pods as {} sets it)",
                    t.full_pods,
                    g.launcher.label()
                ),
                _ => format!("{} pods per node (max pods)", t.full_pods),
            },
        };
        let a = &t.full;
        let base = format!(
            "{} `{}` at {} of {} {} nodes{} and {}: each node reserves {} addresses ({})",
            ng.kind.label(),
            ng.name,
            ctx.ceiling_phrase(ng),
            max,
            t.instance.name,
            crate::capacity::sizing_note(ctx.cluster, g, true),
            pods_why,
            a.total(),
            super::eks101::explain(ctx, ng, t, a)
        );
        let shared = ctx.sharing(&full, g.index, true);
        let after = if shared.count == 0 {
            String::new()
        } else {
            format!(
                " once node group(s) {} at their max size take their addresses",
                ctx.sharing_names(&shared)
            )
        };
        let message = if max > full.nodes {
            format!(
                "{base}; its subnets hold only {} such nodes{after}",
                full.nodes
            )
        } else {
            let Some((used, usable)) =
                ctx.demand(true)
                    .fleet_usage(ctx.cluster, &full.subnet_ids(), g.index)
            else {
                continue;
            };
            let h = capacity::Headroom::new(used, usable);
            if !h.below(ctx.settings.headroom_percent.min(100)) {
                continue;
            }
            format!(
                "{base}; with every node group in these subnets at max size {used} of {usable} addresses are taken and {} ({}%) stay free, below the {threshold}% headroom threshold",
                h.free,
                h.percent_free()
            )
        };
        let mut d = ctx
            .diag(Code::EKS102, max_origin.span, message)
            .with_label(format!("{} nodes fit at this density", full.nodes))
            .with_key(ctx.group_key(ng))
            .with_help(format!(
                "grow the subnets or add subnets, {}, or lower the per-node reservation (WARM_IP_TARGET/MINIMUM_IP_TARGET, prefix delegation); set expected-pods-per-node in eks-lint.toml if nodes run fewer pods",
                match full.nodes.min(max) {
                    0 if shared.count > 0 => "give the node groups their own subnets".to_string(),
                    0 => "lower max pods per node".to_string(),
                    n => ctx.lower_ceiling(ng, t.instance, n),
                }
            ));
        for s in list::first(&full.subnets) {
            if let Some(sp) = ctx.subnet_span(s.subnet) {
                d.push_related(sp, format!("subnet `{}`", ctx.subnet_name(s.subnet)));
            }
        }
        d.push_related(t.span, "instance type");
        if let crate::capacity::MaxPodsSource::Explicit(o) = &g.max_pods_source {
            d.push_related(o.span, "max pods");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::rules::testutil::*;
    use crate::settings::Settings;

    #[test]
    fn fires_at_full_max_pods() {
        // 234 pods per node hold 8 ENIs × 30 = 240 addresses (bounded by max pods): 12 nodes fit.
        let ds = only(&run(&three_22(40).build()), Code::EKS102);
        assert_eq!(ds.len(), 1);
        assert!(
            ds[0].message.contains("234 pods per node"),
            "{}",
            ds[0].message
        );
        assert!(ds[0].message.contains("hold only 12"), "{}", ds[0].message);
    }

    #[test]
    fn expected_pods_per_node_relaxes_it() {
        let s = Settings {
            expected_pods_per_node: Some(20),
            ..Settings::default()
        };
        // 20 pods: 2 ENIs = 60 addresses, 48 nodes fit; 40 nodes use 2400 of 3057 → 21% free.
        assert!(only(&run_with(&three_22(40).build(), &s), Code::EKS102).is_empty());
    }

    #[test]
    fn headroom_threshold_fires_when_little_stays_free() {
        let s = Settings {
            expected_pods_per_node: Some(20),
            headroom_percent: 25,
            ..Settings::default()
        };
        let ds = only(&run_with(&three_22(40).build(), &s), Code::EKS102);
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("2400 of 3057"), "{}", ds[0].message);
    }

    #[test]
    fn not_reported_twice_when_eks101_fires() {
        assert!(only(&run(&three_22(80).build()), Code::EKS102).is_empty());
    }

    #[test]
    fn names_the_node_groups_it_shares_subnets_with() {
        use crate::model::NodeGroupKind::Managed;
        let c = B::new()
            .vpc(&["10.0.0.0/16"])
            .subnets(&["10.0.0.0/22", "10.0.4.0/22", "10.0.8.0/22"])
            .group("a", Managed, &["m5.8xlarge"], 10, &[0, 1, 2])
            .group("b", Managed, &["m5.8xlarge"], 30, &[0, 1, 2])
            .build();
        let ds = only(&run(&c), Code::EKS102);
        let b: Vec<_> = ds.iter().filter(|d| d.key.ends_with("/b")).collect();
        assert_eq!(b.len(), 1, "{ds:?}");
        assert!(
            b[0].message
                .contains("once node group(s) `a` at their max size take their addresses"),
            "{}",
            b[0].message
        );
    }

    /// Issue 14: six self-managed m5.24xlarge with prefix delegation on three /20s: 753
    /// addresses per node at nodeadm's 737 max pods, 2 × 753 = 1506 of 4091 per /20 (63% free),
    /// 94 of 254 whole /28s: neither EKS102 nor EKS104.
    #[test]
    fn six_m5_24xlarge_with_prefixes_on_three_slash_20s() {
        let c = B::new()
            .subnets(&["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"])
            .group(
                "big",
                crate::model::NodeGroupKind::SelfManaged,
                &["m5.24xlarge"],
                6,
                &[0, 1, 2],
            )
            .env("ENABLE_PREFIX_DELEGATION", "true")
            .build();
        let ds = run(&c);
        assert!(
            only(&ds, Code::EKS102).is_empty() && only(&ds, Code::EKS104).is_empty(),
            "{ds:?}"
        );
    }
}
