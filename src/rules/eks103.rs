//! EKS103 control-plane-subnet-size: the cluster's subnets must keep addresses free for the
//! control plane's ENIs. The EKS user guide ("Subnet requirements for clusters") requires six
//! free addresses in each and recommends 16 addresses: a /28 has 16 (11 usable), so the
//! smallest subnet AWS allows meets the recommendation and a dedicated /28 is AWS's own
//! layout. The rule therefore fires on fewer than the six required.

use super::ctx::Ctx;
use super::list;
use crate::capacity;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;

/// EKS refuses to create or upgrade a cluster with fewer free addresses than this in a subnet.
pub const REQUIRED_FREE: u64 = 6;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let ids = match &ctx.cluster.control_plane_subnets {
        Value::Known(ids, _) => ids,
        Value::Unknown(u) => {
            ctx.skip(
                Code::EKS103,
                ctx.cluster_key(),
                format!("cluster `{}`", ctx.cluster.display_name()),
                ctx.cluster.span,
                "the control-plane subnets",
                u,
            );
            return;
        }
        Value::Absent => return,
    };
    // At max size with the expected pods per node: what node groups leave free. With the CNI
    // settings unknown only the subnet sizes themselves can be judged.
    let demand = (ctx.facts.cni_unknown.is_none()).then(|| ctx.demand(true));
    let mut seen = vec![false; ctx.cluster.subnets.len()];
    for &id in ids {
        match seen.get_mut(id) {
            Some(s) if !*s => *s = true,
            _ => continue,
        }
        let Some(subnet) = ctx.cluster.subnets.get(id) else {
            continue;
        };
        let Some(usable) = capacity::subnet_usable(ctx.cluster, id) else {
            if let Value::Unknown(u) = &subnet.cidr {
                ctx.skip(
                    Code::EKS103,
                    ctx.cluster_key(),
                    format!("cluster `{}`", ctx.cluster.display_name()),
                    ctx.cluster.span,
                    &format!("the CIDR of subnet `{}`", subnet.name),
                    u,
                );
            }
            continue;
        };
        let users = demand.map_or(&[][..], |d| d.users(id));
        let taken = capacity::sat_sum(users.iter().map(|d| d.addresses));
        // Over-committed subnets are EKS101/EKS102 findings already; repeating them here
        // would only add noise.
        let h = capacity::Headroom::new(taken, usable);
        if h.over_committed() || h.free >= REQUIRED_FREE {
            continue;
        }
        let free = h.free;
        let cidr = ctx.subnet_cidr(id);
        let message = if users.is_empty() {
            format!(
                "control-plane subnet `{}` ({cidr}) has {usable} usable addresses; EKS needs {REQUIRED_FREE} free for the control plane's network interfaces, which it replaces during upgrades",
                subnet.name
            )
        } else {
            let names = users.iter().map(|d| {
                format!(
                    "`{}` ({} nodes, {} addresses)",
                    ctx.cluster.node_groups[d.group].name, d.nodes, d.addresses
                )
            });
            format!(
                "control-plane subnet `{}` ({cidr}, {usable} usable) is shared with node group(s) {}: at max size {free} addresses stay free, fewer than the {REQUIRED_FREE} EKS needs for the control plane's network interfaces, which it replaces during upgrades",
                subnet.name,
                list::capped(names)
            )
        };
        let mut d = ctx
            .diag(Code::EKS103, subnet.cidr.span().unwrap_or(subnet.span), message)
            .with_label(format!("{free} addresses free"))
            .with_key(ctx.subnet_key(id))
            .with_help("give the control plane its own small subnets (a /28 per AZ, as AWS recommends) separate from node subnets, or enlarge this subnet");
        if let Some(o) = ctx.cluster.control_plane_subnets.origin() {
            d.push_related(o.span, "control-plane subnets");
        }
        for u in list::first(users) {
            let ng = &ctx.cluster.node_groups[u.group];
            d.push_related(
                ng.max_size.span().unwrap_or(ng.span),
                format!("node group `{}`", ng.name),
            );
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::{NodeGroupKind, Value};
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_shared_subnets_nodes_fill() {
        let mut b = B::new().subnets(&["10.0.0.0/25", "10.0.0.128/25"]).group(
            "ng",
            NodeGroupKind::Managed,
            &["m5.large"],
            8,
            &[0, 1],
        );
        b.c.control_plane_subnets = Value::known(vec![0, 1], sp(5));
        // m5.large at 29 pods: 3 ENIs × 10 = 30 addresses; 4 nodes per /25 take 120 of 123.
        let ds = only(&run(&b.build()), Code::EKS103);
        assert_eq!(ds.len(), 2, "{ds:?}");
        assert!(
            ds[0].message.contains("3 addresses stay free"),
            "{}",
            ds[0].message
        );
    }

    #[test]
    fn quiet_at_six_free_and_fires_at_five() {
        // Usable addresses are 2^(32-n) - 5: a /28 keeps 11 free (at least 6), a /29 3.
        let mut b = B::new().subnets(&["10.0.0.0/28"]);
        b.c.control_plane_subnets = Value::known(vec![0], sp(5));
        assert!(only(&run(&b.build()), Code::EKS103).is_empty());
        // A /29 (not creatable in AWS, but parseable) has 3 usable: fewer than 6.
        let mut b = B::new().subnets(&["10.0.0.0/29"]);
        b.c.control_plane_subnets = Value::known(vec![0], sp(5));
        let ds = only(&run(&b.build()), Code::EKS103);
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("3 usable"), "{}", ds[0].message);
    }

    #[test]
    fn quiet_for_dedicated_slash_28s() {
        // AWS's recommended layout: /28 control-plane subnets (11 usable, 6 needed).
        let mut b = B::new().subnets(&["10.0.0.0/28", "10.0.0.16/28"]);
        b.c.control_plane_subnets = Value::known(vec![0, 1], sp(5));
        assert!(only(&run(&b.build()), Code::EKS103).is_empty());
    }

    #[test]
    fn quiet_when_enough_stays_free() {
        let mut b = B::new().subnets(&["10.0.0.0/22", "10.0.4.0/22"]).group(
            "ng",
            NodeGroupKind::Managed,
            &["m5.large"],
            16,
            &[0, 1],
        );
        b.c.control_plane_subnets = Value::known(vec![0, 1], sp(5));
        assert!(only(&run(&b.build()), Code::EKS103).is_empty());
    }

    /// Found by the `capacity` fuzz target: demand of node groups with absurd max sizes
    /// overflowed the per-subnet sum (a panic in debug builds, a wrapped total in release).
    #[test]
    fn absurd_max_sizes_do_not_overflow() {
        use crate::model::NodeGroupKind::Managed;
        let mut b = B::new()
            .vpc(&["10.0.0.0/16"])
            .subnets(&["10.0.0.0/22"])
            .group("a", Managed, &["m5.8xlarge"], i64::MAX, &[0])
            .group("b", Managed, &["m5.8xlarge"], i64::MAX, &[0]);
        b.c.control_plane_subnets = Value::known(vec![0], sp(5));
        let ds = run(&b.build());
        assert!(only(&ds, Code::EKS103).is_empty(), "{ds:?}");
        assert_eq!(only(&ds, Code::EKS101).len(), 2, "{ds:?}");
    }
}
