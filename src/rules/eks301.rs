//! EKS301 warm-eni-waste: WARM_ENI_TARGET keeps a whole spare ENI per node; in tight subnets
//! WARM_IP_TARGET/MINIMUM_IP_TARGET fit more nodes. The suggestion is computed by the engine.

use super::ctx::Ctx;
use super::list;
use crate::capacity;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let cni = &ctx.facts.cni;
    if !ctx.facts.vpc_cni_pods() || cni.uses_ip_targets() || ctx.facts.cni_unknown.is_some() {
        return;
    }
    let threshold = u64::from(ctx.settings.waste_percent);
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        // Windows nodes get addresses from the VPC resource controller, not these settings.
        if crate::capacity::windows::is_windows(ng) {
            continue;
        }
        let ceiling = crate::capacity::ceiling(ctx.cluster, g, false);
        let (Value::Known(max, _), Some(t), Some(fit), Some(now)) = (
            &ceiling,
            g.sizing_type(false),
            g.fit.as_ref(),
            g.nodes_fit_one_pod(),
        ) else {
            continue;
        };
        let a = &t.one_pod;
        if a.prefixes > 0 || *max <= 0 {
            continue;
        }
        let max = *max as u64;
        let idle_per_node = u64::from(capacity::idle_per_node(a, 1));
        let usable = capacity::sat_sum(fit.iter().map(|s| s.usable));
        // Exact even for absurd max sizes (u64 × u32 fits in u128).
        let idle = u128::from(idle_per_node) * u128::from(max);
        if usable == 0 || capacity::percent(idle, usable) < u128::from(threshold) {
            continue;
        }
        let Some(sug) = capacity::suggest_ip_targets(
            ctx.cluster,
            ctx.facts,
            g.index,
            ctx.settings.expected_pods_per_node,
        ) else {
            continue;
        };
        if sug.nodes_one_pod <= now {
            continue;
        }
        let span = ctx
            .cluster
            .cni
            .env
            .get("WARM_ENI_TARGET")
            .map(|e| e.origin.span)
            .or(ctx.cluster.cni.span)
            .or_else(|| ng.max_size.span())
            .unwrap_or(ng.span);
        let n = sug.minimum_ip_target;
        let w = sug.warm_ip_target;
        let mut d = ctx
            .diag(
                Code::EKS301,
                span,
                format!(
                    "each {} node of {} `{}` holds {} addresses with one pod ({}), {idle_per_node} of them idle; at {} of {max} nodes that is {idle} idle addresses, {}% of the {usable} its subnets have. With WARM_IP_TARGET={w} and MINIMUM_IP_TARGET={n} a node holds {} addresses with up to {} pods ({} at {n} pods), and the subnets hold {} nodes instead of {now} ({} at {n} pods per node)",
                    t.instance.name,
                    ng.kind.label(),
                    ng.name,
                    a.total(),
                    super::eks101::explain(ctx, ng, t, a),
                    ctx.ceiling_phrase(ng),
                    capacity::percent(idle, usable),
                    sug.one_pod.total(),
                    sug.pods_at_floor,
                    sug.at_minimum.total(),
                    sug.nodes_one_pod,
                    sug.nodes_at_minimum,
                ),
            )
            .with_label(format!("{idle_per_node} idle addresses per node"))
            .with_key(ctx.group_key(ng))
            .with_help(format!(
                "set WARM_IP_TARGET={w} and MINIMUM_IP_TARGET={n} in the vpc-cni add-on configuration (env); MINIMUM_IP_TARGET pre-allocates for the pods a node usually runs, WARM_IP_TARGET keeps a small buffer; the trade-off is more EC2 API calls when pods churn"
            ))
            .related(t.span, "instance type");
        if let Some(sp) = ng.max_size.span() {
            d.push_related(sp, "max size");
        }
        for s in list::first(fit) {
            if let Some(sp) = ctx.subnet_span(s.subnet) {
                d.push_related(sp, format!("subnet `{}`", ctx.subnet_name(s.subnet)));
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::aws::cni;
    use crate::capacity::{self, CapacityOptions};
    use crate::code::Code;
    use crate::model::NodeGroupKind;
    use crate::rules::testutil::*;

    #[test]
    fn suggests_ip_targets_that_the_engine_confirms() {
        let c = three_22(80).build();
        let ds = only(&run(&c), Code::EKS301);
        assert_eq!(ds.len(), 1, "{ds:?}");
        let m = &ds[0].message;
        // Re-run the engine with the suggested settings, parsed back from the message.
        let num = |key: &str| -> u32 {
            let i = m.find(key).unwrap() + key.len();
            m[i..]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect::<String>()
                .parse()
                .unwrap()
        };
        let (w, n) = (num("WARM_IP_TARGET="), num("MINIMUM_IP_TARGET="));
        let c2 = three_22(80)
            .env("WARM_IP_TARGET", &w.to_string())
            .env("MINIMUM_IP_TARGET", &n.to_string())
            .build();
        let f = capacity::analyze(&c2, CapacityOptions::default());
        let g = &f.node_groups[0];
        let fits = g.nodes_fit_one_pod().unwrap();
        assert!(
            m.contains(&format!("the subnets hold {fits} nodes instead of 48")),
            "{m}"
        );
        assert!(fits >= 80, "the suggestion must fit the max size: {fits}");
        let t = g.sizing_type(false).unwrap();
        let per_node = cni::node_addresses(t.instance, &f.cni, t.max_pods, 1).total();
        assert!(
            m.contains(&format!("a node holds {per_node} addresses")),
            "{m}"
        );
        // And with the suggestion applied the rule is quiet.
        assert!(only(&run(&c2), Code::EKS301).is_empty());
    }

    #[test]
    fn quiet_in_roomy_subnets() {
        let c = B::new()
            .subnets(&["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"])
            .group(
                "general",
                NodeGroupKind::Managed,
                &["m5.8xlarge"],
                80,
                &[0, 1, 2],
            )
            .build();
        assert!(only(&run(&c), Code::EKS301).is_empty());
    }
}
