//! EKS202 max-pods-over-eni-limit: an explicit max pods above what the ENIs can address.

use super::ctx::Ctx;
use crate::aws::cni;
use crate::capacity::MaxPodsSource;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // IPv6 pods get addresses from a /80 prefix per ENI, overlay pods from the overlay (and an
    // unmodelled pod network has no figures): ENI address limits do not cap pods.
    if !ctx.facts.vpc_cni_pods() {
        return;
    }
    let cni_s = &ctx.facts.cni;
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        // Windows nodes get addresses from the VPC resource controller, not these settings.
        if crate::capacity::windows::is_windows(ng) {
            continue;
        }
        if let Value::Unknown(u) = &ng.max_pods {
            ctx.skip_group(Code::EKS202, ng, "the max pods", u);
            continue;
        }
        let MaxPodsSource::Explicit(origin) = &g.max_pods_source else {
            continue;
        };
        if !g.types.is_empty() && ctx.skip_cni(Code::EKS202) {
            continue;
        }
        for t in &g.types {
            if t.max_pods <= t.eni_pod_limit {
                continue;
            }
            let it = t.instance;
            let u = cni::usable_enis(it, cni_s);
            let mut why = vec![];
            if cni_s.custom_networking {
                why.push("1 for custom networking, whose primary ENI carries no pods");
            }
            if cni_s.pod_eni {
                why.push("1 for the trunk ENI of security groups for pods");
            }
            if cni_s.max_eni.is_some_and(|m| m < u32::from(it.max_enis)) {
                why.push("MAX_ENI");
            }
            let enis = if why.is_empty() {
                format!("{u} ENIs")
            } else {
                format!("{u} of {} ENIs ({} taken)", it.max_enis, why.join(", "))
            };
            let per = if cni_s.prefix_mode_on(it) {
                format!("{} /28 prefixes × 16", cni::slots_per_eni(it))
            } else {
                format!("{} secondary IPs", cni::slots_per_eni(it))
            };
            let mut d = ctx
                .diag(
                    Code::EKS202,
                    origin.span,
                    format!(
                        "max pods {} on {} `{}` exceeds what {} can address: {enis} × {per} + 2 host-network pods = {}; pods beyond that stay in ContainerCreating with \"failed to assign an IP address to container\"",
                        t.max_pods,
                        ng.kind.label(),
                        ng.name,
                        it.name,
                        t.eni_pod_limit
                    ),
                )
                .with_label(format!("ENIs address {} pods", t.eni_pod_limit))
                .with_key(format!("{}/{}", ctx.group_key(ng), it.name))
                .with_help(format!(
                    "set max pods to {} or less{}, or choose a larger instance type",
                    t.eni_pod_limit,
                    if it.ipamd_supports_prefix_delegation() && !cni_s.prefix_delegation {
                        ", enable prefix delegation (ENABLE_PREFIX_DELEGATION=true)"
                    } else {
                        ""
                    }
                ))
                .related(t.span, "instance type");
            for s in &origin.via {
                d.push_related(*s, "max pods comes from here");
            }
            for k in [
                "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG",
                "ENABLE_POD_ENI",
                "MAX_ENI",
            ] {
                if let Some(e) = ctx.cluster.cni.env.get(k) {
                    d.push_related(e.origin.span, k);
                }
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::{NodeGroupKind, Value};
    use crate::rules::testutil::*;

    fn m5_large(max_pods: i64, custom: bool) -> B {
        let mut b = B::new().subnets(&["10.0.0.0/22"]).group(
            "ng",
            NodeGroupKind::EksctlUnmanaged,
            &["m5.large"],
            3,
            &[0],
        );
        b.ng(0).max_pods = Value::known(max_pods, sp(77));
        if custom {
            b = b.env("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true");
        }
        b
    }

    #[test]
    fn custom_networking_m5_large_addresses_20() {
        let ds = only(&run(&m5_large(29, true).build()), Code::EKS202);
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("= 20"), "{}", ds[0].message);
        assert_eq!(ds[0].span, sp(77));
    }

    #[test]
    fn quiet_within_the_limit() {
        assert!(only(&run(&m5_large(29, false).build()), Code::EKS202).is_empty());
    }
}
