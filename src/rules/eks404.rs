//! EKS404 single-az: node or cluster subnets all in one availability zone.

use super::ctx::Ctx;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;

/// Distinct AZs of subnets, in order; None (after recording skips) if some AZ is unknown.
fn zones<'c>(
    ctx: &Ctx<'c>,
    ids: &[usize],
    skip: &dyn Fn(&str, &crate::model::Unknown),
) -> Option<Vec<&'c str>> {
    let mut azs = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut complete = true;
    for &id in ids {
        let Some(s) = ctx.cluster.subnets.get(id) else {
            continue;
        };
        match &s.az {
            Value::Known(az, _) => {
                if seen.insert(az.as_str()) {
                    azs.push(az.as_str());
                }
            }
            Value::Unknown(u) => {
                skip(&format!("the AZ of subnet `{}`", s.name), u);
                complete = false;
            }
            Value::Absent => complete = false,
        }
    }
    complete.then_some(azs)
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if let Value::Known(ids, o) = &ctx.cluster.control_plane_subnets {
        let skip = |what: &str, u: &crate::model::Unknown| {
            ctx.skip(
                Code::EKS404,
                ctx.cluster_key(),
                format!("cluster `{}`", ctx.cluster.display_name()),
                ctx.cluster.span,
                what,
                u,
            )
        };
        if let Some(azs) = zones(ctx, ids, &skip) {
            if azs.len() == 1 {
                out.push(
                    ctx.diag(
                        Code::EKS404,
                        o.span,
                        format!(
                            "the control-plane subnets of cluster `{}` are all in {}; EKS requires subnets in at least two availability zones",
                            ctx.cluster.display_name(),
                            azs[0]
                        ),
                    )
                    .with_label("one AZ")
                    .with_key(format!("{}/control-plane", ctx.cluster_key()))
                    .with_help("list subnets from at least two availability zones"),
                );
            }
        }
    }
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        let Value::Known(ids, o) = &ng.subnets else {
            continue;
        };
        let skip =
            |what: &str, u: &crate::model::Unknown| ctx.skip_group(Code::EKS404, ng, what, u);
        let Some(azs) = zones(ctx, ids, &skip) else {
            continue;
        };
        // One node group per AZ is a deliberate pattern (stateful workloads with EBS): only a
        // group that can grow beyond one node is worth the warning.
        // A pool grows without a max size: only `limits.nodes` or `replicas` below 2 spare it.
        let pool_max = ng
            .pool
            .and_then(|p| ctx.cluster.node_pools.get(p))
            .and_then(|p| p.replicas.get().or(p.limits.nodes.get()).copied());
        if azs.len() != 1
            || crate::capacity::max_nodes(ng).is_some_and(|m| m < 2)
            || pool_max.is_some_and(|m| m < 2)
        {
            continue;
        }
        out.push(
            ctx.diag(
                Code::EKS404,
                o.span,
                format!(
                    "{} `{}` launches all nodes in {}: an AZ outage or an exhausted subnet in that zone stops the whole group",
                    ng.kind.label(),
                    ng.name,
                    azs[0]
                ),
            )
            .with_label("one AZ")
            .with_key(ctx.group_key(ng))
            .with_help("give the node group subnets in two or more availability zones (one per zone), or suppress this if the group is pinned to a zone on purpose (e.g. for EBS volumes)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::{NodeGroupKind, Value};
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_one_zone() {
        let mut b = B::new().subnets(&["10.0.0.0/22"]).group(
            "ng",
            NodeGroupKind::Managed,
            &["m5.large"],
            3,
            &[0],
        );
        b.c.control_plane_subnets = Value::known(vec![0], sp(5));
        assert_eq!(only(&run(&b.build()), Code::EKS404).len(), 2);
    }

    #[test]
    fn quiet_for_two_zones() {
        let mut b = B::new().subnets(&["10.0.0.0/22", "10.0.4.0/22"]).group(
            "ng",
            NodeGroupKind::Managed,
            &["m5.large"],
            3,
            &[0, 1],
        );
        b.c.control_plane_subnets = Value::known(vec![0, 1], sp(5));
        assert!(only(&run(&b.build()), Code::EKS404).is_empty());
    }
}
