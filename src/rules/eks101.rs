//! EKS101 subnet-exhaustion: at max size and one pod per node the subnets run out.

use super::Ctx;
use crate::diag::Diagnostic;
use crate::model::Value;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if ctx.facts.ipv6 {
        return;
    }
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        let (Value::Known(max, max_origin), Some(t), Some(fit)) =
            (&ng.max_size, g.best_type(), g.nodes_fit_one_pod())
        else {
            continue;
        };
        if *max <= 0 || (*max as u64) <= fit {
            continue;
        }
        let subnets = g.fit.as_deref().unwrap_or_default();
        let sizes: Vec<String> = subnets
            .iter()
            .map(|s| {
                let sub = &ctx.cluster.subnets[s.subnet];
                let cidr = sub.cidr.get().map_or("?".to_string(), |c| c.text.clone());
                format!("{cidr} ({} usable, {} nodes)", s.usable, s.nodes_one_pod)
            })
            .collect();
        let a = &t.one_pod;
        let why = if ctx.facts.cni.uses_ip_targets() {
            format!(
                "{} IPs on {} ENI(s) (WARM_IP_TARGET={}, MINIMUM_IP_TARGET={})",
                a.secondary_ips,
                a.enis,
                ctx.facts.cni.warm_ip_target,
                ctx.facts.cni.minimum_ip_target
            )
        } else if a.prefixes > 0 {
            format!(
                "{} /28 prefixes on {} ENI(s) (WARM_PREFIX_TARGET={})",
                a.prefixes, a.enis, ctx.facts.cni.warm_prefix_target
            )
        } else {
            format!(
                "{} ENIs × {} (WARM_ENI_TARGET={})",
                a.enis, t.instance.ipv4_per_eni, ctx.facts.cni.warm_eni_target
            )
        };
        let mut d = ctx
            .diag(
                "EKS101",
                max_origin.span,
                format!(
                    "{} `{}` can grow to {} {} nodes, but its {} subnet(s) hold {}: each node reserves {} addresses with one pod ({}); subnets: {}",
                    ng.kind.label(),
                    ng.name,
                    max,
                    t.instance.name,
                    subnets.len(),
                    fit,
                    a.total(),
                    why,
                    sizes.join(", ")
                ),
            )
            .with_label(format!("{fit} nodes fit"))
            .with_key(format!("{}/{}", ctx.cluster.display_name(), ng.name))
            .with_help("use larger subnets (or add subnets), lower max size, or set WARM_IP_TARGET/MINIMUM_IP_TARGET so nodes hold fewer spare addresses");
        for s in &max_origin.via {
            d.push_related(*s, "max size comes from here");
        }
        for s in subnets {
            if let Some(sp) = ctx.cluster.subnets[s.subnet].cidr.span() {
                d.push_related(
                    sp,
                    format!("subnet `{}`", ctx.cluster.subnets[s.subnet].name),
                );
            }
        }
        d.push_related(t.span, "instance type");
        out.push(d);
    }
}
