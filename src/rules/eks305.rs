//! EKS305 warm-target-zero-churn: WARM_ENI_TARGET=0 or WARM_PREFIX_TARGET=0 without IP targets
//! keeps no spare addresses, so every new pod waits for an EC2 call (and with prefix
//! delegation the CNI documents the combination as unsupported).

use super::ctx::Ctx;
use crate::code::Code;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let s = &ctx.facts.cni;
    if s.uses_ip_targets() || !ctx.facts.vpc_cni_pods() {
        return;
    }
    let env = &ctx.cluster.cni.env;
    let (name, extra) = if s.prefix_delegation {
        if s.warm_prefix_target != 0 {
            return;
        }
        (
            "WARM_PREFIX_TARGET",
            "; with prefix delegation the aws-node entrypoint rejects this combination and the CNI does not start",
        )
    } else {
        if s.warm_eni_target != 0 {
            return;
        }
        ("WARM_ENI_TARGET", "")
    };
    let Some(e) = env.get(name) else {
        return;
    };
    let mut d = ctx.diag(
            Code::EKS305,
            e.origin.span,
            format!(
                "{name}=0 without WARM_IP_TARGET or MINIMUM_IP_TARGET: ipamd keeps no spare addresses, so pods wait for EC2 calls (and a new ENI attachment) when they start and fail with \"failed to assign an IP address to container\" under bursts{extra}"
            ),
        )
        .with_label("no warm pool")
        .with_key(format!("{}/cni/{name}", ctx.cluster_key()))
        .with_help(format!(
            "remove {name}=0 (default 1), or to save addresses set MINIMUM_IP_TARGET to the usual pods per node and WARM_IP_TARGET to a small buffer such as 2"
        ));
    if s.prefix_delegation {
        // cmd/aws-vpc-cni/main.go validateEnvVars fails start-up: a broken CNI, not churn.
        d.level = crate::diag::Level::Error;
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_zero_targets() {
        assert_eq!(
            only(
                &run(&B::new().env("WARM_ENI_TARGET", "0").build()),
                Code::EKS305
            )
            .len(),
            1
        );
        let pd = B::new()
            .env("ENABLE_PREFIX_DELEGATION", "true")
            .env("WARM_PREFIX_TARGET", "0")
            .build();
        assert_eq!(only(&run(&pd), Code::EKS305).len(), 1);
    }

    #[test]
    fn quiet_with_ip_targets_or_defaults() {
        let c = B::new()
            .env("WARM_ENI_TARGET", "0")
            .env("WARM_IP_TARGET", "2")
            .env("MINIMUM_IP_TARGET", "10")
            .build();
        assert!(only(&run(&c), Code::EKS305).is_empty());
        assert!(only(&run(&B::new().build()), Code::EKS305).is_empty());
    }
}
