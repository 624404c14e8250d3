//! EKS403 subnet-overlap: two subnets whose CIDRs overlap (AWS rejects the second).

use super::Ctx;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let subs = &ctx.cluster.subnets;
    let nets: Vec<_> = subs
        .iter()
        .map(|s| s.cidr.get().and_then(|c| c.ipv4()))
        .collect();
    for j in 0..subs.len() {
        for i in 0..j {
            let (Some(a), Some(b)) = (nets[i], nets[j]) else {
                continue;
            };
            if subs[i].name == subs[j].name || !(a.contains(&b) || b.contains(&a)) {
                continue;
            }
            let (Some(sj), Some(si)) = (subs[j].cidr.span(), subs[i].cidr.span()) else {
                continue;
            };
            out.push(
                ctx.diag(
                    "EKS403",
                    sj,
                    format!(
                        "subnet `{}` ({b}) overlaps subnet `{}` ({a}); AWS rejects overlapping subnets in a VPC",
                        subs[j].name, subs[i].name
                    ),
                )
                .with_label("overlaps")
                .with_key(format!("{}+{}", ctx.subnet_key(j), subs[i].name))
                .with_help("give each subnet its own block, e.g. cidrsubnets(var.vpc_cidr, 4, 4, 4) for three /20s of a /16")
                .related(si, format!("subnet `{}`", subs[i].name)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_overlap() {
        let c = B::new().subnets(&["10.0.0.0/22", "10.0.2.0/24"]).build();
        assert_eq!(only(&run(&c), "EKS403").len(), 1);
    }

    #[test]
    fn quiet_for_disjoint() {
        let c = B::new().subnets(&["10.0.0.0/22", "10.0.4.0/22"]).build();
        assert!(only(&run(&c), "EKS403").is_empty());
    }
}
