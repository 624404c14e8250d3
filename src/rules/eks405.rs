//! EKS405 service-cidr-overlap: the Kubernetes service CIDR overlaps a VPC CIDR, so pods cannot
//! reach VPC addresses in the overlap.

use super::ctx::Ctx;
use super::list;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;
use crate::source::Span;
use ipnet::Ipv4Net;

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
    // One finding at the service CIDR, however many VPC CIDRs it overlaps.
    let overlapped: Vec<(Ipv4Net, Span)> = vpc
        .cidrs
        .iter()
        .filter_map(|c| {
            let Value::Known(vc, vo) = c else {
                return None;
            };
            let v = vc.ipv4()?;
            (v.contains(&svc_net) || svc_net.contains(&v)).then_some((v, vo.span))
        })
        .collect();
    if overlapped.is_empty() {
        return;
    }
    let what = if overlapped.len() == 1 {
        "CIDR"
    } else {
        "CIDRs"
    };
    let mut d = ctx
        .diag(
            Code::EKS405,
            o.span,
            format!(
                "service CIDR {svc_net} overlaps VPC `{}` {what} {}: traffic from pods to VPC addresses in the overlap is captured by kube-proxy rules, and EKS rejects the configuration at cluster creation",
                vpc.name,
                list::capped(overlapped.iter().map(|(v, _)| v))
            ),
        )
        .with_label("overlaps the VPC")
        .with_key(format!("{}/service-cidr", ctx.cluster_key()))
        .with_help("choose a service CIDR outside the VPC and any peered networks, e.g. 172.20.0.0/16 for a 10.x VPC (it cannot be changed after creation)");
    for (_, span) in list::first(&overlapped) {
        d.push_related(*span, format!("VPC `{}` CIDR", vpc.name));
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::{Cidr, Value};
    use crate::rules::testutil::*;

    fn with(svc: &str) -> crate::model::Cluster {
        let mut b = B::new().vpc(&["10.0.0.0/16"]);
        b.c.service_cidr = Value::known(Cidr::parse(svc), sp(9));
        b.build()
    }

    #[test]
    fn fires_for_overlap() {
        assert_eq!(only(&run(&with("10.0.128.0/20")), Code::EKS405).len(), 1);
    }

    #[test]
    fn one_finding_for_many_overlapped_vpc_cidrs() {
        let n = crate::rules::list::MAX_LISTED + 2;
        let cidrs: Vec<String> = (0..n).map(|i| format!("10.{i}.0.0/16")).collect();
        let refs: Vec<&str> = cidrs.iter().map(String::as_str).collect();
        let mut b = B::new().vpc(&refs);
        b.c.service_cidr = Value::known(Cidr::parse("10.0.0.0/8"), sp(9));
        let ds = only(&run(&b.build()), Code::EKS405);
        assert_eq!(ds.len(), 1);
        assert!(
            ds[0]
                .message
                .contains(&format!("CIDRs {} and 2 more:", cidrs[..n - 2].join(", "))),
            "{}",
            ds[0].message
        );
        assert_eq!(ds[0].related.len(), n - 2);
    }

    #[test]
    fn quiet_outside() {
        assert!(only(&run(&with("172.20.0.0/16")), Code::EKS405).is_empty());
    }
}
