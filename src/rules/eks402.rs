//! EKS402 subnet-outside-vpc: a subnet CIDR not inside any of the VPC's CIDR blocks.

use super::Ctx;
use crate::diag::Diagnostic;
use crate::model::Value;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Some(vpc) = &ctx.cluster.vpc else {
        return;
    };
    let nets: Vec<_> = vpc.cidrs.iter().filter_map(|c| c.get()?.ipv4()).collect();
    let unknown = vpc.cidrs.iter().find_map(|c| c.unknown_reason());
    if nets.is_empty() && unknown.is_none() {
        return;
    }
    let list: Vec<String> = nets.iter().map(|n| n.to_string()).collect();
    for (i, s) in ctx.cluster.subnets.iter().enumerate() {
        let Some(net) = s.cidr.get().and_then(|c| c.ipv4()) else {
            continue;
        };
        if nets.iter().any(|v| v.contains(&net)) {
            continue;
        }
        if let Some(u) = unknown {
            ctx.skip(
                "EKS402",
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
                "EKS402",
                o.span,
                format!(
                    "subnet `{}` ({net}) is not inside VPC `{}` ({}); AWS rejects the subnet",
                    s.name,
                    vpc.name,
                    list.join(", ")
                ),
            )
            .with_label("outside the VPC")
            .with_key(ctx.subnet_key(i))
            .with_help("carve the subnet from a VPC CIDR (e.g. with cidrsubnet(var.vpc_cidr, …)), or associate a secondary CIDR that contains it");
        for c in &vpc.cidrs {
            if let Some(sp) = c.span() {
                d.push_related(sp, format!("VPC `{}` CIDR", vpc.name));
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testutil::*;

    #[test]
    fn fires_outside() {
        let c = B::new()
            .vpc(&["10.0.0.0/16"])
            .subnets(&["10.1.0.0/24"])
            .build();
        assert_eq!(only(&run(&c), "EKS402").len(), 1);
    }

    #[test]
    fn quiet_inside_a_secondary_cidr() {
        let c = B::new()
            .vpc(&["10.0.0.0/16", "100.64.0.0/16"])
            .subnets(&["100.64.3.0/24"])
            .build();
        assert!(only(&run(&c), "EKS402").is_empty());
    }
}
