//! EKS303 warm-ip-without-minimum: WARM_IP_TARGET alone makes ipamd call EC2 on every pod
//! churn; the CNI documentation strongly suggests setting MINIMUM_IP_TARGET with it.

use super::ctx::Ctx;
use crate::code::Code;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let s = &ctx.facts.cni;
    if s.warm_ip_target == 0 || s.minimum_ip_target > 0 {
        return;
    }
    let Some(e) = ctx.cluster.cni.env.get("WARM_IP_TARGET") else {
        return;
    };
    let w = s.warm_ip_target;
    out.push(
        ctx.diag(
            Code::EKS303,
            e.origin.span,
            format!(
                "WARM_IP_TARGET={w} without MINIMUM_IP_TARGET: ipamd keeps exactly {w} spare IPs, so every pod start or stop triggers AssignPrivateIpAddresses/UnassignPrivateIpAddresses calls, which EC2 throttles during scale-ups"
            ),
        )
        .with_label("no MINIMUM_IP_TARGET")
        .with_key(format!("{}/cni/WARM_IP_TARGET", ctx.cluster_key()))
        .with_help("also set MINIMUM_IP_TARGET to the pods a node usually runs, so the first addresses are allocated once at node start"),
    );
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::NodeGroupKind;
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_warm_ip_alone() {
        let c = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("ng", NodeGroupKind::Managed, &["m5.xlarge"], 3, &[0])
            .env("WARM_IP_TARGET", "5")
            .build();
        assert_eq!(only(&run(&c), Code::EKS303).len(), 1);
    }

    #[test]
    fn quiet_with_minimum() {
        let c = B::new()
            .env("WARM_IP_TARGET", "5")
            .env("MINIMUM_IP_TARGET", "10")
            .build();
        assert!(only(&run(&c), Code::EKS303).is_empty());
    }
}
