//! EKS405 service-cidr-overlap: the Kubernetes service CIDR overlaps a VPC CIDR, so pods cannot
//! reach VPC addresses in the overlap.

use super::Ctx;
use crate::diag::Diagnostic;
use crate::model::Value;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let Value::Known(svc, o) = &ctx.cluster.service_cidr else {
        return;
    };
    let Some(svc_net) = svc.ipv4() else {
        return;
    };
    let Some(vpc) = &ctx.cluster.vpc else {
        return;
    };
    for c in &vpc.cidrs {
        let Value::Known(vc, vo) = c else {
            continue;
        };
        let Some(v) = vc.ipv4() else {
            continue;
        };
        if !(v.contains(&svc_net) || svc_net.contains(&v)) {
            continue;
        }
        out.push(
            ctx.diag(
                "EKS405",
                o.span,
                format!(
                    "service CIDR {svc_net} overlaps VPC `{}` CIDR {v}: traffic from pods to VPC addresses in the overlap is captured by kube-proxy rules, and EKS rejects the configuration at cluster creation",
                    vpc.name
                ),
            )
            .with_label("overlaps the VPC")
            .with_key(format!("{}/service-cidr", ctx.cluster_key()))
            .with_help("choose a service CIDR outside the VPC and any peered networks, e.g. 172.20.0.0/16 for a 10.x VPC (it cannot be changed after creation)")
            .related(vo.span, format!("VPC `{}` CIDR", vpc.name)),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Cidr, Value};
    use crate::rules::testutil::*;

    fn with(svc: &str) -> crate::model::Cluster {
        let mut b = B::new().vpc(&["10.0.0.0/16"]);
        b.c.service_cidr = Value::known(Cidr::parse(svc), sp(9));
        b.build()
    }

    #[test]
    fn fires_for_overlap() {
        assert_eq!(only(&run(&with("10.0.128.0/20")), "EKS405").len(), 1);
    }

    #[test]
    fn quiet_outside() {
        assert!(only(&run(&with("172.20.0.0/16")), "EKS405").is_empty());
    }
}
