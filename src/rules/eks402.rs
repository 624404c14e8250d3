//! EKS402 subnet-outside-vpc: a subnet CIDR not inside any of the VPC's CIDR blocks.

use super::ctx::Ctx;
use super::list;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;
use ipnet::Ipv4Net;
use std::collections::HashSet;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(vpc) = &ctx.cluster.vpc else {
        return;
    };
    let nets: Vec<_> = vpc.cidrs.iter().filter_map(|c| c.get()?.ipv4()).collect();
    let unknown = vpc.cidrs.iter().find_map(|c| c.unknown_reason());
    if nets.is_empty() && unknown.is_none() {
        return;
    }
    let vpc_list = list::capped(nets.iter());
    // Blocks are aligned: a subnet is inside a VPC CIDR when masking it to that CIDR's length
    // gives the CIDR, so each subnet costs at most 33 look-ups, not one per VPC CIDR.
    let blocks: HashSet<(u32, u8)> = nets
        .iter()
        .map(|n| (u32::from(n.network()), n.prefix_len()))
        .collect();
    let inside = |net: &Ipv4Net| {
        (0..=net.prefix_len()).any(|l| {
            Ipv4Net::new(net.network(), l)
                .is_ok_and(|w| blocks.contains(&(u32::from(w.network()), l)))
        })
    };
    for (i, s) in ctx.cluster.subnets.iter().enumerate() {
        let Some(net) = s.cidr.get().and_then(|c| c.ipv4()) else {
            continue;
        };
        if inside(&net) {
            continue;
        }
        if let Some(u) = unknown {
            ctx.skip(
                Code::EKS402,
                ctx.subnet_key(i),
                format!("subnet `{}`", s.name),
                s.span,
                &format!("a CIDR of VPC `{}`", vpc.name),
                u,
            );
            continue;
        }
        let Value::Known(_, o) = &s.cidr else {
            continue;
        };
        let mut d = ctx
            .diag(
                Code::EKS402,
                o.span,
                format!(
                    "subnet `{}` ({net}) is not inside VPC `{}` ({}); AWS rejects the subnet",
                    s.name,
                    vpc.name,
                    vpc_list
                ),
            )
            .with_label("outside the VPC")
            .with_key(ctx.subnet_key(i))
            .with_help("carve the subnet from a VPC CIDR (e.g. with cidrsubnet(var.vpc_cidr, …)), or associate a secondary CIDR that contains it");
        for c in list::first(vpc.cidrs.iter().filter(|c| c.span().is_some())) {
            if let Some(sp) = c.span() {
                d.push_related(sp, format!("VPC `{}` CIDR", vpc.name));
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::rules::testutil::*;

    #[test]
    fn fires_outside() {
        let c = B::new()
            .vpc(&["10.0.0.0/16"])
            .subnets(&["10.1.0.0/24"])
            .build();
        assert_eq!(only(&run(&c), Code::EKS402).len(), 1);
    }

    #[test]
    fn quiet_inside_a_secondary_cidr() {
        let c = B::new()
            .vpc(&["10.0.0.0/16", "100.64.0.0/16"])
            .subnets(&["100.64.3.0/24"])
            .build();
        assert!(only(&run(&c), Code::EKS402).is_empty());
    }

    #[test]
    fn many_vpc_cidrs_are_capped_and_counted() {
        use crate::rules::list::MAX_LISTED;
        let cidrs: Vec<String> = (0..MAX_LISTED + 3)
            .map(|i| format!("10.{i}.0.0/16"))
            .collect();
        let refs: Vec<&str> = cidrs.iter().map(String::as_str).collect();
        let c = B::new()
            .vpc(&refs)
            .subnets(&["172.16.0.0/24", "10.9.1.0/24"])
            .build();
        let ds = only(&run(&c), Code::EKS402);
        assert_eq!(ds.len(), 1, "10.9.1.0/24 is inside the tenth CIDR");
        let want = format!("({} and 3 more)", cidrs[..MAX_LISTED].join(", "));
        assert!(ds[0].message.contains(&want), "{}", ds[0].message);
        assert_eq!(ds[0].related.len(), MAX_LISTED);
    }
}
