//! EKS206 default-max-pods-over-eni-limit: the max pods a launcher sets by itself exceeds
//! what the ENIs can address (custom networking, the trunk ENI or MAX_ENI take ENIs the
//! launcher's formula counts). EKS202 reports an explicit value; this one the default.

use super::ctx::Ctx;
use super::list;
use crate::aws::cni;
use crate::capacity::MaxPodsSource;
use crate::code::Code;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // IPv6 pods get addresses from a /80 prefix per ENI, overlay pods from the overlay (and an
    // unmodelled pod network has no figures): ENI address limits do not cap pods.
    if !ctx.facts.vpc_cni_pods() {
        return;
    }
    let s = &ctx.facts.cni;
    for g in &ctx.facts.node_groups {
        if !matches!(g.max_pods_source, MaxPodsSource::Default) {
            continue;
        }
        if !g.types.is_empty() && ctx.skip_cni(Code::EKS206) {
            continue;
        }
        let ng = &ctx.cluster.node_groups[g.index];
        // Windows nodes get addresses from the VPC resource controller, not these settings.
        if crate::capacity::windows::is_windows(ng) {
            continue;
        }
        let over: Vec<_> = g
            .types
            .iter()
            .filter(|t| t.max_pods > t.eni_pod_limit)
            .collect();
        let Some(first) = over.first() else {
            continue;
        };
        let mut taken = vec![];
        if s.custom_networking {
            taken.push("custom networking leaves the primary ENI without pods");
        }
        if s.pod_eni {
            taken.push("the trunk ENI of security groups for pods carries no pod IPs");
        }
        if s.max_eni.is_some() {
            taken.push("MAX_ENI limits the ENIs ipamd attaches");
        }
        let why = if taken.is_empty() {
            String::new()
        } else {
            format!(" ({})", taken.join("; "))
        };
        let figures = over.iter().map(|t| {
            format!(
                "{} max pods {} but {} addressable",
                t.instance.name, t.max_pods, t.eni_pod_limit
            )
        });
        let it = first.instance;
        let fix_prefix = if s.prefix_delegation || !it.ipamd_supports_prefix_delegation() {
            String::new()
        } else {
            ", or enable prefix delegation (ENABLE_PREFIX_DELEGATION=true) so the ENIs address more pods than max pods".to_string()
        };
        let mut d = ctx
            .diag(
                Code::EKS206,
                first.span,
                format!(
                    "{} `{}` sets no max pods, so {} sets it {}, but the ENIs address fewer pods{why}: {}; pods beyond that are scheduled and stay in ContainerCreating with \"failed to assign an IP address to container\"",
                    ng.kind.label(),
                    ng.name,
                    g.launcher.label(),
                    if g.launcher.cni_aware() {
                        "with its max-pods calculator (which counts custom networking and MAX_ENI, not the trunk ENI)"
                    } else {
                        "from the ENI table, blind to the CNI mode"
                    },
                    list::capped_of(figures, list::Total::Exact(over.len()))
                ),
            )
            .with_label(format!(
                "max pods {} > {} addressable",
                first.max_pods, first.eni_pod_limit
            ))
            .with_key(ctx.group_key(ng))
            .with_help(format!(
                "set max pods to {} for {} (usable ENIs × (IPv4 per ENI − 1) + 2 = {} × {} + 2; eksctl maxPodsPerNode, nodeadm kubelet.config.maxPods, bootstrap.sh --use-max-pods false --kubelet-extra-args '--max-pods=N'){fix_prefix}",
                first.eni_pod_limit,
                it.name,
                cni::usable_enis(it, s),
                cni::slots_per_eni(it) * if s.prefix_mode_on(it) { cni::PREFIX_SIZE } else { 1 }
            ))
            .related(ng.span, format!("node group `{}`", ng.name));
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

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::{NodeGroupKind, Value};
    use crate::rules::testutil::*;

    fn custom(kind: NodeGroupKind) -> B {
        B::new()
            .subnets(&["10.0.0.0/20"])
            .group("ng", kind, &["m5.large"], 3, &[0])
            .env("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true")
    }

    /// m5.large (3 ENIs × 10): nodeadm sets 3 × 9 + 2 = 29; with custom networking the ENIs
    /// address (3 − 1) × 9 + 2 = 20.
    #[test]
    fn self_managed_default_with_custom_networking() {
        for kind in [
            NodeGroupKind::SelfManaged,
            NodeGroupKind::EksctlUnmanaged,
            NodeGroupKind::Karpenter,
        ] {
            let ds = only(&run(&custom(kind).build()), Code::EKS206);
            assert_eq!(ds.len(), 1, "{kind:?}");
            assert!(
                ds[0]
                    .message
                    .contains("m5.large max pods 29 but 20 addressable"),
                "{}",
                ds[0].message
            );
            assert!(ds[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("set max pods to 20"));
        }
    }

    /// EKS's calculator counts custom networking: 20 for a managed group, nothing to report.
    /// An explicit value is EKS202's, and prefixes lift the limit to 2 × 9 × 16 + 2 = 290.
    #[test]
    fn quiet_for_managed_explicit_and_prefixes() {
        assert!(only(&run(&custom(NodeGroupKind::Managed).build()), Code::EKS206).is_empty());
        let mut b = custom(NodeGroupKind::SelfManaged);
        b.ng(0).max_pods = Value::known(29, sp(5));
        assert!(only(&run(&b.build()), Code::EKS206).is_empty());
        let b = custom(NodeGroupKind::SelfManaged).env("ENABLE_PREFIX_DELEGATION", "true");
        assert!(only(&run(&b.build()), Code::EKS206).is_empty());
        let b = B::new().subnets(&["10.0.0.0/20"]).group(
            "ng",
            NodeGroupKind::SelfManaged,
            &["m5.large"],
            3,
            &[0],
        );
        assert!(only(&run(&b.build()), Code::EKS206).is_empty());
    }

    /// A managed group with a custom AMI bootstraps itself: nodeadm's 29 again.
    #[test]
    fn managed_with_custom_ami() {
        let mut b = custom(NodeGroupKind::Managed);
        b.ng(0).custom_ami = true;
        assert_eq!(only(&run(&b.build()), Code::EKS206).len(), 1);
    }

    /// Security groups for pods on a managed m5.large: EKS's calculator gives 29, the trunk
    /// ENI leaves (3 − 1) × 9 + 2 = 20 addressable.
    #[test]
    fn managed_with_the_trunk_eni() {
        let b = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("ng", NodeGroupKind::Managed, &["m5.large"], 3, &[0])
            .env("ENABLE_POD_ENI", "true");
        let ds = only(&run(&b.build()), Code::EKS206);
        assert_eq!(ds.len(), 1);
        assert!(
            ds[0].message.contains("max-pods calculator"),
            "{}",
            ds[0].message
        );
        assert!(
            ds[0].message.contains("29 but 20 addressable"),
            "{}",
            ds[0].message
        );
    }
}
