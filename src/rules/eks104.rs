//! EKS104 prefix-fragmentation: prefix delegation needs whole, aligned /28 blocks; other
//! addresses in the subnet spoil them unless a prefix reservation sets blocks aside.

use super::ctx::Ctx;
use super::list;
use crate::capacity;
use crate::code::Code;
use crate::diag::Diagnostic;

/// Network interfaces EKS may place in each control-plane subnet (EKS user guide).
const CONTROL_PLANE_ENIS: u64 = 4;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.facts.vpc_cni_pods() || !ctx.facts.cni.prefix_delegation {
        return;
    }
    let usage = capacity::prefix_usage(ctx.cluster, ctx.facts, true);
    let mut control_plane = vec![false; ctx.cluster.subnets.len()];
    for &id in ctx
        .cluster
        .control_plane_subnets
        .get()
        .into_iter()
        .flatten()
    {
        if let Some(c) = control_plane.get_mut(id) {
            *c = true;
        }
    }
    for (&id, u) in &usage {
        if u.prefix_groups.is_empty() {
            continue;
        }
        let Some(subnet) = ctx.cluster.subnets.get(id) else {
            continue;
        };
        if !subnet.prefix_reservations.is_empty() {
            continue;
        }
        let Some(net) = capacity::subnet_net(ctx.cluster, id) else {
            continue;
        };
        let reserved = capacity::explicit_reserved(subnet);
        let shared_cp = control_plane.get(id).copied().unwrap_or(false);
        // The EKS control plane places up to 4 network interfaces in its subnets.
        let cp_addresses = if shared_cp { CONTROL_PLANE_ENIS } else { 0 };
        // Fargate pods take one address each from the profile's subnets, scattered like
        // secondary IPs (the expected count, `expected-fargate-pods`).
        let fargate = ctx.facts.fargate.per_subnet.get(&id).copied().unwrap_or(0);
        let non_prefix = u.non_prefix + reserved + cp_addresses + fargate;
        let whole = crate::aws::subnet::whole_prefixes(net.prefix_len());
        let cap = capacity::prefix_capacity(net.prefix_len(), non_prefix);
        let short = u.prefixes > cap;
        // Secondary-IP node groups churn single addresses all over the subnet.
        if !short && u.other_groups.is_empty() && fargate == 0 {
            continue;
        }
        let names = |v: &[usize]| ctx.group_names(v);
        let mut others = Vec::new();
        let mut spoilers = vec!["ENI primaries".to_string()];
        if !u.other_groups.is_empty() {
            others.push(format!(
                "secondary-IP node group(s) {}",
                names(&u.other_groups)
            ));
            spoilers.push("their secondary IPs".to_string());
        }
        if shared_cp {
            others.push("the EKS control plane".to_string());
            spoilers.push(format!("{CONTROL_PLANE_ENIS} for control-plane ENIs"));
        }
        if fargate > 0 {
            others.push(format!("{fargate} expected Fargate pods"));
            spoilers.push("Fargate pods".to_string());
        }
        if reserved > 0 {
            others.push(format!("{reserved} explicitly reserved addresses"));
            spoilers.push("explicit reservations".to_string());
        }
        let mut message = format!(
            "subnet `{}` ({}) serves prefix delegation for {} without a prefix reservation: at max size they need {} /28 prefixes; the subnet has {whole} whole /28 blocks and {non_prefix} non-prefix addresses ({}) can each spoil one, leaving as few as {cap}",
            subnet.name,
            net,
            names(&u.prefix_groups),
            u.prefixes,
            spoilers.join(", "),
        );
        if !others.is_empty() {
            message.push_str(&format!(
                "; it is shared with {}, so as their addresses scatter, prefix allocation fails with InsufficientCidrBlocks while free addresses remain",
                others.join(" and ")
            ));
        }
        let mut d = ctx
            .diag(Code::EKS104, subnet.cidr.span().unwrap_or(subnet.span), message)
            .with_label(format!("{} prefixes needed, {cap} guaranteed", u.prefixes))
            .with_key(ctx.subnet_key(id))
            .with_help(match capacity::prefix_reservation_len(u.prefixes) {
                Some(len) if len > net.prefix_len() => format!(
                    "reserve a /{len} of {net} ({} whole /28 prefixes, {} needed) with `resource \"aws_ec2_subnet_cidr_reservation\"` and reservation_type = \"prefix\", or give prefix-mode nodes their own subnets",
                    capacity::prefixes_in_block(len),
                    u.prefixes
                ),
                _ => format!(
                    "{net} cannot hold {} whole prefixes even when reserved: give prefix-mode nodes larger subnets of their own (then reserve blocks with `aws_ec2_subnet_cidr_reservation`, reservation_type = \"prefix\")",
                    u.prefixes
                ),
            });
        for &i in list::first(&u.prefix_groups).chain(list::first(&u.other_groups)) {
            let ng = &ctx.cluster.node_groups[i];
            d.push_related(
                ng.max_size.span().unwrap_or(ng.span),
                format!("node group `{}`", ng.name),
            );
        }
        if let Some(e) = ctx.cluster.cni.env.get("ENABLE_PREFIX_DELEGATION") {
            d.push_related(e.origin.span, "ENABLE_PREFIX_DELEGATION");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::{Cidr, NodeGroupKind, Value};
    use crate::rules::testutil::*;

    fn pd(max_a: i64) -> B {
        B::new()
            .subnets(&["10.0.0.0/24"])
            .group("pd", NodeGroupKind::Managed, &["m5.large"], max_a, &[0])
            .env("ENABLE_PREFIX_DELEGATION", "true")
    }

    #[test]
    fn fires_when_shared_with_secondary_mode_nodes() {
        // m4.large is Xen: it falls back to secondary IPs in the same subnet. A /20 has blocks
        // to spare, but the shared subnet still fragments.
        let mut b = pd(2);
        b.c.subnets[0].cidr = Value::known(Cidr::parse("10.0.0.0/20"), sp(2));
        let c = b
            .group("old", NodeGroupKind::SelfManaged, &["m4.large"], 2, &[0])
            .build();
        let ds = only(&run(&c), Code::EKS104);
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert!(ds[0].message.contains("`old`"));
        assert!(ds[0]
            .help
            .as_deref()
            .unwrap()
            .contains("aws_ec2_subnet_cidr_reservation"));
    }

    /// A /20 holds 254 whole /28s: one m5.large node (7 prefixes + 1 primary) fits easily,
    /// but 40 expected Fargate pods in the same subnet scatter single addresses: it fires and
    /// counts them (1 primary + 40 = 41 non-prefix addresses, 254 − 41 = 213 guaranteed).
    #[test]
    fn fires_when_shared_with_fargate_pods() {
        let mut b = pd(1);
        b.c.subnets[0].cidr = Value::known(Cidr::parse("10.0.0.0/20"), sp(2));
        b.c.fargate_profiles.push(crate::model::FargateProfile {
            name: "fp".into(),
            span: sp(9),
            subnets: Value::known(vec![0], sp(9)),
        });
        let c = b.build();
        assert!(only(&run(&c), Code::EKS104).is_empty());
        let settings = crate::settings::Settings {
            expected_fargate_pods: 40,
            ..crate::settings::Settings::default()
        };
        let ds = only(&run_with(&c, &settings), Code::EKS104);
        assert_eq!(ds.len(), 1, "{ds:?}");
        let m = &ds[0].message;
        assert!(
            m.contains("41 non-prefix addresses") && m.contains("leaving as few as 213"),
            "{m}"
        );
        assert!(m.contains("40 expected Fargate pods"), "{m}");
    }

    #[test]
    fn fires_when_not_enough_whole_blocks() {
        // m5.large at 110 pods: 7 prefixes + 1 ENI primary each; 2 nodes want 14 of 14 blocks
        // while 2 primaries can spoil 2.
        let ds = only(&run(&pd(2).build()), Code::EKS104);
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert!(
            ds[0].message.contains("need 14 /28 prefixes"),
            "{}",
            ds[0].message
        );
    }

    #[test]
    fn quiet_with_a_prefix_reservation_or_room() {
        let mut b = pd(2);
        b.c.subnets[0]
            .prefix_reservations
            .push(Value::known(Cidr::parse("10.0.0.128/25"), sp(3)));
        assert!(only(&run(&b.build()), Code::EKS104).is_empty());
        let roomy = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("pd", NodeGroupKind::Managed, &["m5.large"], 2, &[0])
            .env("ENABLE_PREFIX_DELEGATION", "true");
        assert!(only(&run(&roomy.build()), Code::EKS104).is_empty());
    }
}
