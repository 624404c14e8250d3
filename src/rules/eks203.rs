//! EKS203 mixed-max-pods: a managed node group with several instance types gets the smallest
//! max pods of them all on every node.

use super::ctx::Ctx;
use super::list;
use crate::capacity::MaxPodsSource;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::NodeGroupKind;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        if ng.kind != NodeGroupKind::Managed
            || g.types.len() < 2
            || !matches!(g.max_pods_source, MaxPodsSource::Default)
        {
            continue;
        }
        let Some(min) = g.types.iter().map(|t| t.default_max_pods).min() else {
            continue;
        };
        let Some(max_t) = g.types.iter().max_by_key(|t| t.default_max_pods) else {
            continue;
        };
        if max_t.default_max_pods == min {
            continue;
        }
        let Some(min_t) = g.types.iter().find(|t| t.default_max_pods == min) else {
            continue;
        };
        let types = g
            .types
            .iter()
            .map(|t| format!("{} {}", t.instance.name, t.default_max_pods));
        let mut d = ctx
            .diag(
                Code::EKS203,
                max_t.span,
                format!(
                    "managed node group `{}` mixes instance types with different max pods ({}): EKS applies the smallest, {min}, to every node, so a {} node runs at most {min} pods instead of {}",
                    ng.name,
                    list::capped(types),
                    max_t.instance.name,
                    max_t.default_max_pods
                ),
            )
            .with_label(format!("limited to {min} pods"))
            .with_key(ctx.group_key(ng))
            .with_help(format!(
                "use instance types with the same max pods in one node group (e.g. same size across families), split the group, or set max pods explicitly in a launch template; {} is the type that limits it",
                min_t.instance.name
            ));
        for t in list::first(&g.types) {
            d.push_related(
                t.span,
                format!("{}: max pods {}", t.instance.name, t.default_max_pods),
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::NodeGroupKind;
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_mixed_sizes() {
        let c = B::new()
            .subnets(&["10.0.0.0/20"])
            .group(
                "mix",
                NodeGroupKind::Managed,
                &["m5.large", "m5.2xlarge"],
                3,
                &[0],
            )
            .build();
        let ds = only(&run(&c), Code::EKS203);
        assert_eq!(ds.len(), 1);
        assert!(
            ds[0].message.contains("m5.large 29, m5.2xlarge 58"),
            "{}",
            ds[0].message
        );
    }

    #[test]
    fn quiet_for_same_max_pods() {
        let c = B::new()
            .subnets(&["10.0.0.0/20"])
            .group(
                "same",
                NodeGroupKind::Managed,
                &["m5.large", "m5a.large"],
                3,
                &[0],
            )
            .build();
        assert!(only(&run(&c), Code::EKS203).is_empty());
    }

    #[test]
    fn many_types_are_capped_and_counted() {
        use crate::rules::list::MAX_LISTED;
        let mut types = vec!["m5.large"; MAX_LISTED + 6];
        types[1] = "m5.2xlarge";
        let c = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("mix", NodeGroupKind::Managed, &types, 3, &[0])
            .build();
        let ds = only(&run(&c), Code::EKS203);
        assert_eq!(ds.len(), 1);
        let mut shown = ["m5.large 29"; MAX_LISTED];
        shown[1] = "m5.2xlarge 58";
        assert!(
            ds[0]
                .message
                .contains(&format!("({} and 6 more)", shown.join(", "))),
            "{}",
            ds[0].message
        );
        // One related location per listed type, at most.
        assert!(ds[0].related.len() <= MAX_LISTED);
    }
}
