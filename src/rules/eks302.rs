//! EKS302 minimum-ip-freeze: MINIMUM_IP_TARGET without a positive WARM_IP_TARGET stops ipamd
//! from growing the pool past MINIMUM_IP_TARGET (aws/amazon-vpc-cni-k8s#2650, #2659).

use super::ctx::Ctx;
use super::list;
use crate::code::Code;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let s = &ctx.facts.cni;
    if s.minimum_ip_target == 0 || s.warm_ip_target > 0 || !ctx.facts.vpc_cni_pods() {
        return;
    }
    let env = &ctx.cluster.cni.env;
    let Some(min_e) = env.get("MINIMUM_IP_TARGET") else {
        return;
    };
    let warm = env.get("WARM_IP_TARGET");
    let n = s.minimum_ip_target;
    // Groups whose nodes can run more pods than the frozen pool, with their largest type.
    let over: Vec<(usize, &crate::capacity::TypeFacts)> = ctx
        .facts
        .node_groups
        .iter()
        .filter_map(|g| {
            let t = g.types.iter().max_by_key(|t| t.max_pods)?;
            (t.max_pods > n).then_some((g.index, t))
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
            Code::EKS302,
            min_e.origin.span,
            format!(
                "MINIMUM_IP_TARGET={n} with {warm_txt}: ipamd keeps exactly {n} IPs per node and allocates no more, so pod {} on a node never gets an address, while node group(s) {} allow more pods",
                n + 1,
                list::capped(over.iter().map(|&(i, t)| format!(
                    "`{}` ({} max pods {})",
                    ctx.cluster.node_groups[i].name, t.instance.name, t.max_pods
                )))
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
    for &(i, _) in list::first(&over) {
        let ng = &ctx.cluster.node_groups[i];
        d.push_related(ng.span, format!("node group `{}`", ng.name));
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
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
        let ds = only(&run(&c), Code::EKS302);
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("pod 12"), "{}", ds[0].message);
    }

    #[test]
    fn quiet_with_a_warm_target() {
        let c = base()
            .env("MINIMUM_IP_TARGET", "11")
            .env("WARM_IP_TARGET", "2")
            .build();
        assert!(only(&run(&c), Code::EKS302).is_empty());
    }

    #[test]
    fn many_groups_are_capped_and_counted() {
        let n = crate::rules::list::MAX_LISTED + 4;
        let mut b = B::new().subnets(&["10.0.0.0/16"]);
        for i in 0..n {
            b = b.group(
                &format!("ng-{i}"),
                NodeGroupKind::Managed,
                &["m5.xlarge"],
                3,
                &[0],
            );
        }
        let c = b
            .env("MINIMUM_IP_TARGET", "11")
            .env("WARM_IP_TARGET", "0")
            .build();
        let ds = only(&run(&c), Code::EKS302);
        assert_eq!(ds.len(), 1);
        let shown: Vec<String> = (0..crate::rules::list::MAX_LISTED)
            .map(|i| format!("`ng-{i}` (m5.xlarge max pods 58)"))
            .collect();
        assert!(
            ds[0].message.contains(&format!(
                "node group(s) {} and 4 more allow",
                shown.join(", ")
            )),
            "{}",
            ds[0].message
        );
        let groups = ds[0]
            .related
            .iter()
            .filter(|r| r.message.starts_with("node group"));
        assert_eq!(groups.count(), crate::rules::list::MAX_LISTED);
    }
}
