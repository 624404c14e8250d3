//! EKS204 prefix-max-pods-not-raised: prefix delegation is on but the kubelet's max pods stays
//! at the secondary-IP value, so the extra addresses are never used.

use super::ctx::Ctx;
use super::list;
use crate::aws::cni::{self, MaxPodsMode};
use crate::capacity::MaxPodsSource;
use crate::code::Code;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let s = &ctx.facts.cni;
    if !s.prefix_delegation || !ctx.facts.vpc_cni_pods() {
        return;
    }
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        // Windows nodes get addresses from the VPC resource controller, not these settings.
        if crate::capacity::windows::is_windows(ng) {
            continue;
        }
        // An explicit max pods is one setting for the whole group: one finding naming every
        // type it holds back.
        let mut explicit_reported = false;
        for t in &g.types {
            let it = t.instance;
            if !s.prefix_mode_on(it) {
                continue; // EKS304 reports types that cannot use prefixes
            }
            let secondary = cni::default_max_pods(
                it,
                MaxPodsMode {
                    prefix_delegation: false,
                    ..MaxPodsMode::from_settings(s, false)
                },
            );
            // EKS recommends 110 up to 30 vCPUs and 250 above, below what prefixes allow: a
            // max pods already there is not held back (an m5.24xlarge's 737 exceeds 250).
            // Without a vCPU count the smaller ceiling, 110, is the one that cannot be wrong
            // about holding back; between 110 and 250 it is a note (data/SOURCE.md).
            let recommended = t.mode_max_pods.min(it.pod_ceiling().unwrap_or(110));
            if t.max_pods >= recommended {
                if it.pod_ceiling().is_none() && t.max_pods < t.mode_max_pods.min(250) {
                    let u = crate::model::Unknown {
                        reason: format!(
                            "`{}` has no vCPU count in eks-lint's instance table (data/SOURCE.md), so whether max pods {} reaches the recommended 110 (up to 30 vCPUs) or 250 is not known; set `vcpus` under `[instance-types.\"{}\"]` in eks-lint.toml",
                            it.name, t.max_pods, it.name
                        ),
                        span: t.span,
                    };
                    ctx.skip_group(Code::EKS204, ng, &format!("the vCPUs of `{}`", it.name), &u);
                }
                continue;
            }
            let (span, message) = match &g.max_pods_source {
                MaxPodsSource::Explicit(_) if explicit_reported => continue,
                MaxPodsSource::Explicit(o) if t.max_pods <= secondary => {
                    explicit_reported = true;
                    let held_back = g.types.iter().filter(|x| s.prefix_mode_on(x.instance));
                    let limits = held_back.clone().map(|x| {
                        let sec = cni::default_max_pods(
                            x.instance,
                            MaxPodsMode {
                                prefix_delegation: false,
                                ..MaxPodsMode::from_settings(s, false)
                            },
                        );
                        format!("{} {sec}", x.instance.name)
                    });
                    (
                        o.span,
                        format!(
                            "prefix delegation is on, but max pods of {} `{}` is set to {}, no more than the secondary-IP limit ({}); with prefixes a {} node could run {}",
                            ng.kind.label(),
                            ng.name,
                            t.max_pods,
                            list::capped_of(limits, list::Total::Exact(held_back.count())),
                            it.name,
                            t.mode_max_pods
                        ),
                    )
                }
                MaxPodsSource::Default if !g.launcher.cni_aware() => {
                    let set = t.default_max_pods;
                    (
                        t.span,
                        format!(
                            "prefix delegation is on, but {} `{}` sets no max pods{}: {} sets the secondary-IP value {set} for {} (ENIs × (IPv4 per ENI − 1) + 2, blind to prefixes), so the node runs at most {set} pods instead of {}",
                            ng.kind.label(),
                            ng.name,
                            if ng.custom_ami { " and uses a custom AMI" } else { "" },
                            g.launcher.label(),
                            it.name,
                            t.mode_max_pods
                        ),
                    )
                }
                _ => continue,
            };
            let mut d = ctx
                .diag(Code::EKS204, span, message)
                .with_label(format!(
                    "max pods {}",
                    if matches!(g.max_pods_source, MaxPodsSource::Default) {
                        t.default_max_pods
                    } else {
                        secondary
                    }
                ))
                .with_key(format!("{}/{}", ctx.group_key(ng), it.name))
                .with_help(format!(
                    "set max pods to {recommended} (eksctl maxPodsPerNode, nodeadm maxPods, bootstrap --max-pods with --use-max-pods false); the EKS max-pods calculator recommends 110 up to 30 vCPUs and 250 above"
                ))
                .related(t.span, "instance type");
            if let Some(e) = ctx.cluster.cni.env.get("ENABLE_PREFIX_DELEGATION") {
                d.push_related(e.origin.span, "ENABLE_PREFIX_DELEGATION");
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

    fn group(kind: NodeGroupKind, max_pods: Option<i64>) -> crate::model::Cluster {
        let mut b = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("ng", kind, &["m5.large"], 3, &[0])
            .env("ENABLE_PREFIX_DELEGATION", "true");
        if let Some(m) = max_pods {
            b.ng(0).max_pods = Value::known(m, sp(70));
        }
        b.build()
    }

    #[test]
    fn fires_for_explicit_secondary_value_and_for_unraised_bootstrap() {
        let ds = only(&run(&group(NodeGroupKind::Managed, Some(29))), Code::EKS204);
        assert_eq!(ds.len(), 1);
        assert!(
            ds[0].message.contains("secondary-IP limit (m5.large 29)"),
            "{}",
            ds[0].message
        );
        let ds = only(
            &run(&group(NodeGroupKind::EksctlUnmanaged, None)),
            Code::EKS204,
        );
        assert_eq!(ds.len(), 1, "{ds:?}");
    }

    #[test]
    fn one_finding_for_an_explicit_value_over_several_types() {
        let mut b = B::new()
            .subnets(&["10.0.0.0/20"])
            .group(
                "ng",
                NodeGroupKind::SelfManaged,
                &["m5.large", "m6i.large"],
                3,
                &[0],
            )
            .env("ENABLE_PREFIX_DELEGATION", "true");
        b.ng(0).max_pods = Value::known(29, sp(70));
        let ds = only(&run(&b.build()), Code::EKS204);
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert!(
            ds[0].message.contains("m5.large 29, m6i.large 29"),
            "{}",
            ds[0].message
        );
    }

    #[test]
    fn quiet_when_raised_or_managed_default() {
        assert!(only(
            &run(&group(NodeGroupKind::Managed, Some(110))),
            Code::EKS204
        )
        .is_empty());
        assert!(only(&run(&group(NodeGroupKind::Managed, None)), Code::EKS204).is_empty());
    }

    /// m5.24xlarge (15 × 50, 96 vCPUs): nodeadm's 15 × 49 + 2 = 737 already exceeds the 250 EKS
    /// recommends with prefixes: nothing is held back.
    #[test]
    fn quiet_when_the_secondary_value_exceeds_the_recommendation() {
        let b = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("ng", NodeGroupKind::SelfManaged, &["m5.24xlarge"], 6, &[0])
            .env("ENABLE_PREFIX_DELEGATION", "true");
        assert!(only(&run(&b.build()), Code::EKS204).is_empty());
    }
}
