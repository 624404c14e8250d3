//! EKS302 minimum-ip-freeze: MINIMUM_IP_TARGET without a positive WARM_IP_TARGET stops ipamd
//! from growing the pool past MINIMUM_IP_TARGET (aws/amazon-vpc-cni-k8s#2650, #2659).

use super::Ctx;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let s = &ctx.facts.cni;
    if s.minimum_ip_target == 0 || s.warm_ip_target > 0 || ctx.facts.ipv6 {
        return;
    }
    let env = &ctx.cluster.cni.env;
    let Some(min_e) = env.get("MINIMUM_IP_TARGET") else {
        return;
    };
    let warm = env.get("WARM_IP_TARGET");
    let n = s.minimum_ip_target;
    // Groups whose nodes can run more pods than the frozen pool.
    let over: Vec<String> = ctx
        .facts
        .node_groups
        .iter()
        .filter_map(|g| {
            let t = g.types.iter().max_by_key(|t| t.max_pods)?;
            (t.max_pods > n).then(|| {
                format!(
                    "`{}` ({} max pods {})",
                    ctx.cluster.node_groups[g.index].name, t.instance.name, t.max_pods
                )
            })
        })
        .collect();
    if over.is_empty() {
        return;
    }
    let warm_txt = match warm {
        Some(w) => format!("WARM_IP_TARGET={}", w.value.trim()),
        None => "WARM_IP_TARGET unset".to_string(),
    };
    let mut d = ctx
        .diag(
            "EKS302",
            min_e.origin.span,
            format!(
                "MINIMUM_IP_TARGET={n} with {warm_txt}: ipamd keeps exactly {n} IPs per node and allocates no more, so pod {} on a node never gets an address, while node group(s) {} allow more pods",
                n + 1,
                over.join(", ")
            ),
        )
        .with_label(format!("pool frozen at {n} IPs"))
        .with_key(format!("{}/cni/MINIMUM_IP_TARGET", ctx.cluster_key()))
        .with_help(format!(
            "set WARM_IP_TARGET to a positive value (e.g. WARM_IP_TARGET=2 with MINIMUM_IP_TARGET={n}), or set max pods to {n} if the freeze is intended"
        ));
    if let Some(w) = warm {
        d.push_related(w.origin.span, "WARM_IP_TARGET");
    }
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        if g.types.iter().any(|t| t.max_pods > n) {
            d.push_related(ng.span, format!("node group `{}`", ng.name));
        }
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::model::NodeGroupKind;
    use crate::rules::testutil::*;

    fn base() -> B {
        B::new().subnets(&["10.0.0.0/20"]).group(
            "ng",
            NodeGroupKind::Managed,
            &["m5.xlarge"],
            3,
            &[0],
        )
    }

    #[test]
    fn fires_for_minimum_with_warm_zero() {
        let c = base()
            .env("MINIMUM_IP_TARGET", "11")
            .env("WARM_IP_TARGET", "0")
            .build();
        let ds = only(&run(&c), "EKS302");
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("pod 12"), "{}", ds[0].message);
    }

    #[test]
    fn quiet_with_a_warm_target() {
        let c = base()
            .env("MINIMUM_IP_TARGET", "11")
            .env("WARM_IP_TARGET", "2")
            .build();
        assert!(only(&run(&c), "EKS302").is_empty());
    }
}
