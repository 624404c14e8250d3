//! CIDR functions, exactly as Terraform's `lang/funcs/cidr.go`: the network address is taken
//! from the prefix (host bits ignored), and overflowing the address space is an error.

use super::args::{err, int_arg, s_arg, strs, R};
use crate::source::Span;
use crate::terraform::value::Val;
use ipnet::{IpAdd, IpNet, IpSub};
use std::net::IpAddr;

/// `cidrsubnet(prefix, newbits, netnum)`.
pub(super) fn cidrsubnet_fn(args: &[Val], span: Span) -> R {
    let net = cidr_arg(args, 0, span)?;
    let newbits = int_arg(args, 1, span)?;
    let netnum = int_arg(args, 2, span)?;
    cidrsubnet(net, newbits, netnum)
        .map(|n| Val::str(n.to_string(), span))
        .map_err(|m| err(m, span))
}

/// `cidrhost(prefix, hostnum)`.
pub(super) fn cidrhost_fn(args: &[Val], span: Span) -> R {
    let net = cidr_arg(args, 0, span)?;
    let host = int_arg(args, 1, span)?;
    cidrhost(net, host)
        .map(|a| Val::str(a.to_string(), span))
        .map_err(|m| err(m, span))
}

pub(super) fn cidrnetmask(args: &[Val], span: Span) -> R {
    match cidr_arg(args, 0, span)? {
        IpNet::V4(n) => Ok(Val::str(n.netmask().to_string(), span)),
        IpNet::V6(_) => Err(err("only IPv4 networks have a netmask", span)),
    }
}

/// `cidrsubnets(prefix, newbits...)`.
pub(super) fn cidrsubnets_fn(args: &[Val], span: Span) -> R {
    let net = cidr_arg(args, 0, span)?;
    let mut bits = Vec::new();
    for i in 1..args.len() {
        bits.push(int_arg(args, i, span)?);
    }
    cidrsubnets(net, &bits)
        .map(|v| strs(v.into_iter().map(|n| n.to_string()).collect(), span))
        .map_err(|m| err(m, span))
}

fn cidr_arg(args: &[Val], i: usize, span: Span) -> Result<IpNet, Val> {
    let s = s_arg(args, i, span)?;
    // Terraform reads IPv4 octets with leading zeros as decimal ("010" = 10).
    let t = s.trim();
    let t = match t.split_once('/') {
        Some((addr, len)) if !addr.contains(':') && addr.contains('.') => {
            let octets: Vec<String> = addr
                .split('.')
                .map(|o| {
                    let z = o.trim_start_matches('0');
                    if z.is_empty() && !o.is_empty() {
                        "0".into()
                    } else {
                        z.to_string()
                    }
                })
                .collect();
            format!("{}/{len}", octets.join("."))
        }
        _ => t.to_string(),
    };
    // Terraform uses the network of the prefix (host bits are ignored).
    t.parse::<IpNet>()
        .map(|n| n.trunc())
        .map_err(|_| err(format!("invalid CIDR address `{s}`"), span))
}

fn width(net: &IpNet) -> u8 {
    match net {
        IpNet::V4(_) => 32,
        IpNet::V6(_) => 128,
    }
}

fn make(addr: IpAddr, len: u8) -> Option<IpNet> {
    IpNet::new(addr, len).ok().map(|n| n.trunc())
}

/// `addr + n` within the address family; None on overflow.
fn add(addr: IpAddr, n: u128) -> Option<IpAddr> {
    match addr {
        IpAddr::V4(a) => {
            let n = u32::try_from(n).ok()?;
            let r = a.saturating_add(n);
            (u32::from(r) - u32::from(a) == n).then_some(IpAddr::V4(r))
        }
        IpAddr::V6(a) => {
            let r = a.saturating_add(n);
            (u128::from(r) - u128::from(a) == n).then_some(IpAddr::V6(r))
        }
    }
}

pub fn cidrsubnet(net: IpNet, newbits: i64, netnum: i64) -> Result<IpNet, String> {
    let plen = net.prefix_len() as i64;
    let w = width(&net) as i64;
    if newbits < 0 {
        return Err("newbits must not be negative".into());
    }
    if plen + newbits > w {
        return Err(format!(
            "insufficient address space to extend prefix of {plen} by {newbits}"
        ));
    }
    if netnum < 0 || (newbits < 64 && netnum as u128 >= 1u128 << newbits) {
        return Err(format!(
            "prefix extension of {newbits} does not accommodate a subnet numbered {netnum}"
        ));
    }
    let new_len = (plen + newbits) as u8;
    let shift = (w - plen - newbits) as u32;
    let offset = (netnum as u128)
        .checked_shl(shift)
        .filter(|_| shift < 128)
        .unwrap_or(0);
    let addr = add(net.network(), offset).ok_or("address overflow")?;
    make(addr, new_len).ok_or_else(|| "invalid prefix".into())
}

pub fn cidrhost(net: IpNet, hostnum: i64) -> Result<IpAddr, String> {
    let hostbits = width(&net) as u32 - net.prefix_len() as u32;
    let size: Option<u128> = 1u128.checked_shl(hostbits).filter(|_| hostbits < 128);
    let n = if hostnum < 0 {
        match size {
            Some(sz) if (hostnum.unsigned_abs() as u128) <= sz => {
                sz - hostnum.unsigned_abs() as u128
            }
            None => u128::MAX - (hostnum.unsigned_abs() as u128 - 1),
            _ => {
                return Err(format!(
                    "prefix of {} does not accommodate a host numbered {hostnum}",
                    net.prefix_len()
                ))
            }
        }
    } else {
        let h = hostnum as u128;
        if size.is_some_and(|sz| h >= sz) {
            return Err(format!(
                "prefix of {} does not accommodate a host numbered {hostnum}",
                net.prefix_len()
            ));
        }
        h
    };
    add(net.network(), n).ok_or_else(|| "address overflow".into())
}

/// Terraform's `cidrsubnets`: consecutive subnets, each aligned to its own size.
pub fn cidrsubnets(net: IpNet, newbits: &[i64]) -> Result<Vec<IpNet>, String> {
    let Some(&first) = newbits.first() else {
        return Ok(Vec::new());
    };
    let plen = net.prefix_len() as i64;
    let w = width(&net) as i64;
    let check = |nb: i64| -> Result<u8, String> {
        if nb < 1 {
            return Err("must extend prefix by at least one bit".into());
        }
        let l = plen + nb;
        if l > w {
            return Err(format!(
                "would extend prefix to {l} bits, which is too long for an IPv{} address",
                if w == 32 { 4 } else { 6 }
            ));
        }
        Ok(l as u8)
    };
    let first_len = check(first)?;
    // The subnet of the first length just before the network (go-cidr PreviousSubnet).
    let prev_addr = match net.network() {
        IpAddr::V4(a) => IpAddr::V4(a.saturating_sub(1)),
        IpAddr::V6(a) => IpAddr::V6(a.saturating_sub(1)),
    };
    let mut current = make(prev_addr, first_len).ok_or("invalid prefix")?;
    let mut out = Vec::new();
    for &nb in newbits {
        let len = check(nb)?;
        let aligned = make(current.broadcast(), len).ok_or("invalid prefix")?;
        let next = add(aligned.broadcast(), 1)
            .and_then(|a| make(a, len))
            .filter(|n| net.contains(&n.network()));
        let Some(next) = next else {
            return Err(format!(
                "not enough remaining address space for a subnet with a prefix of {len} bits after {current}"
            ));
        };
        current = next;
        out.push(next);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terraform::value::V;

    fn call(name: &str, args: &[Val], span: crate::source::Span) -> Val {
        crate::terraform::funcs::call(name, args, span, crate::limits::DEFAULT_MAX_VALUE_SIZE)
    }

    fn n(s: &str) -> IpNet {
        s.parse::<IpNet>().unwrap().trunc()
    }

    // Examples from Terraform's function documentation (developer.hashicorp.com/terraform/
    // language/functions/cidrsubnet, cidrhost, cidrnetmask, cidrsubnets).
    #[test]
    fn cidrsubnet_matches_terraform_docs() {
        assert_eq!(
            cidrsubnet(n("172.16.0.0/12"), 4, 2).unwrap().to_string(),
            "172.18.0.0/16"
        );
        assert_eq!(
            cidrsubnet(n("10.1.2.0/24"), 4, 15).unwrap().to_string(),
            "10.1.2.240/28"
        );
        assert_eq!(
            cidrsubnet(n("fd00:fd12:3456:7890::/56"), 16, 162)
                .unwrap()
                .to_string(),
            "fd00:fd12:3456:7800:a200::/72"
        );
        // The acceptance case: 10.68.0.0/16, 6 new bits, 48..50 → /22s.
        assert_eq!(
            cidrsubnet(n("10.68.0.0/16"), 6, 48).unwrap().to_string(),
            "10.68.192.0/22"
        );
        assert_eq!(
            cidrsubnet(n("10.68.0.0/16"), 6, 50).unwrap().to_string(),
            "10.68.200.0/22"
        );
    }

    #[test]
    fn cidrsubnet_errors_like_terraform() {
        let e = cidrsubnet(n("10.0.0.0/24"), 10, 0).unwrap_err();
        assert!(e.contains("insufficient address space"), "{e}");
        let e = cidrsubnet(n("10.0.0.0/24"), 4, 16).unwrap_err();
        assert!(
            e.contains("does not accommodate a subnet numbered 16"),
            "{e}"
        );
    }

    #[test]
    fn cidrhost_and_netmask_match_terraform_docs() {
        assert_eq!(
            cidrhost(n("10.12.112.0/20"), 16).unwrap().to_string(),
            "10.12.112.16"
        );
        assert_eq!(
            cidrhost(n("10.12.112.0/20"), 268).unwrap().to_string(),
            "10.12.113.12"
        );
        assert_eq!(
            cidrhost(n("fd00:fd12:3456:7890:00a2::/72"), 34)
                .unwrap()
                .to_string(),
            "fd00:fd12:3456:7890::22"
        );
        assert_eq!(
            cidrhost(n("10.0.0.0/24"), -1).unwrap().to_string(),
            "10.0.0.255"
        );
        assert!(cidrhost(n("10.0.0.0/24"), 256).is_err());
        let v = call(
            "cidrnetmask",
            &[Val::str("172.16.0.0/12", Span::default())],
            Span::default(),
        );
        assert_eq!(v.v, V::Str("255.240.0.0".into()));
    }

    #[test]
    fn cidrsubnets_matches_terraform_docs() {
        let got: Vec<String> = cidrsubnets(n("10.1.0.0/16"), &[4, 4, 8, 4])
            .unwrap()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ]
        );
        let got: Vec<String> = cidrsubnets(n("fd00:fd12:3456:7890::/56"), &[16, 16, 16, 32])
            .unwrap()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(
            got,
            [
                "fd00:fd12:3456:7800::/72",
                "fd00:fd12:3456:7800:100::/72",
                "fd00:fd12:3456:7800:200::/72",
                "fd00:fd12:3456:7800:300::/88"
            ]
        );
        // Nested use from the docs: the third /16 split in two /20s.
        let third = cidrsubnets(n("10.0.0.0/8"), &[8, 8, 8, 8]).unwrap()[2];
        let got: Vec<String> = cidrsubnets(third, &[4, 4])
            .unwrap()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(got, ["10.2.0.0/20", "10.2.16.0/20"]);
        let e = cidrsubnets(n("10.0.0.0/24"), &[1, 1, 1]).unwrap_err();
        assert!(e.contains("not enough remaining address space"), "{e}");
    }

    #[test]
    fn leading_zero_octets_are_decimal_and_host_bits_ignored() {
        let s = Span::default();
        let v = call(
            "cidrsubnet",
            &[
                Val::str("010.1.2.3/16", s),
                Val::num(8.0, s),
                Val::num(1.0, s),
            ],
            s,
        );
        assert_eq!(v.v, V::Str("10.1.1.0/24".into()));
    }
}
