//! EKS201 low-pod-density: an instance type whose max pods is below the threshold.

use super::ctx::Ctx;
use crate::code::Code;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // IPv6 pods get addresses from a /80 prefix per ENI, overlay pods from the overlay (and an
    // unmodelled pod network has no figures): ENI address limits do not cap pods.
    if !ctx.facts.vpc_cni_pods() {
        return;
    }
    let threshold = ctx.settings.low_pod_density;
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        // Windows nodes get addresses from the VPC resource controller, not these settings.
        if crate::capacity::windows::is_windows(ng) {
            continue;
        }
        for t in &g.types {
            // The type's own cap in this CNI mode, not an explicit lower max pods (a choice).
            let cap = t.mode_max_pods.min(t.eni_pod_limit);
            if cap >= threshold {
                continue;
            }
            let it = t.instance;
            let mode = if ctx.facts.cni.prefix_mode_on(it) {
                "with prefix delegation"
            } else if ctx.facts.cni.custom_networking {
                "with custom networking (the primary ENI carries no pods)"
            } else {
                "in secondary-IP mode"
            };
            let d = ctx
                .diag(
                    Code::EKS201,
                    t.span,
                    format!(
                        "{} caps {} `{}` at {cap} pods per node {mode} ({} ENIs × {} addresses per ENI), below the threshold of {threshold}; DaemonSets such as aws-node and kube-proxy use host networking, but every other pod needs an address",
                        it.name,
                        ng.kind.label(),
                        ng.name,
                        it.max_enis,
                        it.ipv4_per_eni
                    ),
                )
                .with_label(format!("max {cap} pods"))
                .with_key(format!("{}/{}", ctx.group_key(ng), it.name))
                .with_help(format!(
                    "use a larger instance type{}, or lower low-pod-density in eks-lint.toml if this is intended",
                    if it.ipamd_supports_prefix_delegation() && !ctx.facts.cni.prefix_delegation {
                        " or enable prefix delegation (Nitro types get 16 addresses per slot)"
                    } else {
                        ""
                    }
                ))
                .related(ng.span, format!("node group `{}`", ng.name));
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::NodeGroupKind;
    use crate::rules::testutil::*;

    #[test]
    fn t3_micro_caps_at_4() {
        let c = B::new()
            .subnets(&["10.0.0.0/22"])
            .group("tiny", NodeGroupKind::Managed, &["t3.micro"], 3, &[0])
            .build();
        let ds = only(&run(&c), Code::EKS201);
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("at 4 pods"), "{}", ds[0].message);
    }

    #[test]
    fn m5_large_is_fine() {
        let c = B::new()
            .subnets(&["10.0.0.0/22"])
            .group("ok", NodeGroupKind::Managed, &["m5.large"], 3, &[0])
            .build();
        assert!(only(&run(&c), Code::EKS201).is_empty());
    }
}
