//! EKS401 invalid-cidr: a CIDR that does not parse, has host bits set, or (VPC and subnets)
//! is outside the /16–/28 AWS allows.

use super::ctx::Ctx;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::{Cidr, CidrError, Value};
use ipnet::IpNet;

fn check_one(
    ctx: &Ctx,
    out: &mut Vec<Diagnostic>,
    what: &str,
    key: String,
    v: &Value<Cidr>,
    range: Option<(u8, u8)>,
) {
    let Value::Known(c, o) = v else {
        return;
    };
    let (message, help) = match &c.parsed {
        Err(CidrError::Syntax(t)) => (
            format!("{what}: `{t}` is not a CIDR block (expected a.b.c.d/n)"),
            "write the block as network address and prefix length, e.g. 10.0.0.0/22".to_string(),
        ),
        Err(CidrError::HostBits { text, network }) => (
            format!("{what}: `{text}` has host bits set; AWS rejects it (the network address is `{network}`)"),
            format!("write `{network}`"),
        ),
        Ok(IpNet::V4(n)) => match range {
            Some((lo, hi)) if n.prefix_len() < lo || n.prefix_len() > hi => (
                format!(
                    "{what}: `{}` is a /{}, but AWS allows /{lo} to /{hi} here",
                    c.text,
                    n.prefix_len()
                ),
                format!("use a prefix length between /{lo} and /{hi}"),
            ),
            _ => return,
        },
        // VPC, subnet and service CIDRs in the model are the IPv4 fields (`cidr_block`,
        // `serviceIPv4CIDR`); IPv6 blocks have fields of their own and AWS rejects them here.
        Ok(IpNet::V6(_)) if range.is_some() => (
            format!("{what}: `{}` is an IPv6 block, but this field takes an IPv4 CIDR", c.text),
            "put IPv6 blocks in the IPv6 field (e.g. `ipv6_cidr_block`) and give an IPv4 CIDR here".to_string(),
        ),
        Ok(IpNet::V6(_)) => return,
    };
    let mut d = ctx
        .diag(Code::EKS401, o.span, message)
        .with_label("invalid CIDR")
        .with_key(key)
        .with_help(help);
    for s in &o.via {
        d.push_related(*s, "value comes from here");
    }
    out.push(d);
}

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let ck = ctx.cluster_key();
    if let Some(vpc) = &ctx.cluster.vpc {
        for (i, c) in vpc.cidrs.iter().enumerate() {
            check_one(
                ctx,
                out,
                &format!("VPC `{}` CIDR", vpc.name),
                format!("{ck}/vpc/{}/{i}", vpc.name),
                c,
                Some((16, 28)),
            );
        }
    }
    for (i, s) in ctx.cluster.subnets.iter().enumerate() {
        check_one(
            ctx,
            out,
            &format!("subnet `{}`", s.name),
            ctx.subnet_key(i),
            &s.cidr,
            Some((16, 28)),
        );
        for r in s.prefix_reservations.iter().chain(&s.explicit_reservations) {
            check_one(
                ctx,
                out,
                &format!("reservation in subnet `{}`", s.name),
                format!("{}/reservation", ctx.subnet_key(i)),
                r,
                None,
            );
        }
    }
    // EKS accepts service CIDRs from /12 to /24.
    check_one(
        ctx,
        out,
        "service CIDR",
        format!("{ck}/service-cidr"),
        &ctx.cluster.service_cidr,
        Some((12, 24)),
    );
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_syntax_host_bits_and_size() {
        let c = B::new()
            .vpc(&["10.0.0.0/8"])
            .subnets(&["10.0.0.1/24", "nope", "10.0.0.0/29"])
            .build();
        let ds = only(&run(&c), Code::EKS401);
        assert_eq!(ds.len(), 4, "{ds:?}");
        assert!(ds.iter().any(|d| d.message.contains("host bits")));
        assert!(ds
            .iter()
            .any(|d| d.help.as_deref() == Some("write `10.0.0.0/24`")));
    }

    #[test]
    fn fires_for_ipv6_where_ipv4_is_expected() {
        let c = B::new()
            .vpc(&["10.0.0.0/16"])
            .subnets(&["2001:db8::/64", "10.0.1.0/24"])
            .build();
        let ds = only(&run(&c), Code::EKS401);
        assert_eq!(ds.len(), 1, "{ds:?}");
        assert!(ds[0].message.contains("IPv6"));
    }

    #[test]
    fn quiet_for_valid_blocks() {
        let c = B::new()
            .vpc(&["10.0.0.0/16"])
            .subnets(&["10.0.0.0/24", "10.0.1.0/28"])
            .build();
        assert!(only(&run(&c), Code::EKS401).is_empty());
    }
}
