//! Terraform built-in functions used by real EKS code (DESIGN.md §4.1). Anything else is an
//! unknown value that names the function. CIDR functions follow Terraform's
//! `lang/funcs/cidr.go` (network address taken from the prefix, errors on overflow).

use super::value::{fmt_num, from_json, to_json, to_yaml, Val, V};
use super::value::{same, to_str};
use crate::source::Span;
use ipnet::{IpAdd, IpNet, IpSub};
use std::collections::BTreeMap;
use std::net::IpAddr;

type R = Result<Val, Val>;

pub fn call(name: &str, args: &[Val], span: Span) -> Val {
    // Unknown arguments make the result unknown, except for functions that only move values
    // around (they keep unknown elements in place).
    let structural = matches!(
        name,
        "concat"
            | "merge"
            | "flatten"
            | "tolist"
            | "toset"
            | "tomap"
            | "coalesce"
            | "coalescelist"
            | "compact"
            | "distinct"
            | "element"
            | "slice"
            | "lookup"
            | "keys"
            | "values"
            | "zipmap"
            | "one"
            | "length"
            | "reverse"
    );
    // Inputs bound the size of every result (concat, join, flatten …): refuse oversized
    // inputs before allocating, so doubling chains of locals cannot exhaust memory.
    let mut budget = crate::limits::as_usize(crate::limits::max_value_size());
    for a in args {
        if !within(a, &mut budget) {
            return Val::error(
                format!("arguments of `{name}` are too large to evaluate"),
                span,
            );
        }
    }
    // `slice(data.x.names, 0, 3)` (the usual AZ list): the elements are unknown but their
    // number is not, so `[for k, v in … : cidrsubnet(cidr, 4, k)]` still gives known CIDRs.
    if let (
        "slice",
        [l @ Val {
            v: V::Unknown(_), ..
        }, a, b],
    ) = (name, args)
    {
        if let (V::Num(a), V::Num(b)) = (&a.v, &b.v) {
            if *a >= 0.0 && b >= a && b - a <= 1024.0 && a.fract() == 0.0 && b.fract() == 0.0 {
                let n = (b - a) as usize;
                return Val::new(V::List(vec![l.clone(); n]), span);
            }
        }
    }
    for a in args {
        if a.is_unknown() {
            return a.clone();
        }
        if !structural {
            if let Some((u, s)) = a.first_unknown() {
                return Val::new(V::Unknown(u.clone()), s);
            }
        }
    }
    match call_inner(name, args, span) {
        Ok(v) => {
            // The same measure as the arguments' (elements plus string bytes).
            let mut room = crate::limits::as_usize(crate::limits::max_value_size());
            if within(&v, &mut room) {
                v
            } else {
                err(
                    format!(
                        "the result of `{name}` would be larger than {} bytes (EKS_LINT_MAX_VALUE_SIZE)",
                        crate::limits::max_value_size()
                    ),
                    span,
                )
            }
        }
        Err(v) => v,
    }
}

/// Subtract `v`'s size from `budget`; false once the budget is exhausted.
pub fn within(v: &Val, budget: &mut usize) -> bool {
    let own = match &v.v {
        V::Str(s) => s.len(),
        _ => 1,
    };
    if own > *budget {
        return false;
    }
    *budget -= own;
    match &v.v {
        V::List(l) => l.iter().all(|x| within(x, budget)),
        V::Map(m) => m.values().all(|x| within(x, budget)),
        _ => true,
    }
}

fn err(msg: impl Into<String>, span: Span) -> Val {
    Val::error(msg, span)
}

fn arg(args: &[Val], i: usize, span: Span) -> Result<&Val, Val> {
    args.get(i)
        .ok_or_else(|| err(format!("missing argument {}", i + 1), span))
}

fn s_arg(args: &[Val], i: usize, span: Span) -> Result<String, Val> {
    to_str(arg(args, i, span)?)
}

fn n_arg(args: &[Val], i: usize, span: Span) -> Result<f64, Val> {
    let a = arg(args, i, span)?;
    match &a.v {
        V::Num(n) => Ok(*n),
        V::Str(s) => s
            .trim()
            .parse()
            .map_err(|_| err(format!("`{s}` is not a number"), a.span)),
        _ => Err(err(
            format!("expected a number, got a {}", a.type_name()),
            a.span,
        )),
    }
}

fn int_arg(args: &[Val], i: usize, span: Span) -> Result<i64, Val> {
    let n = n_arg(args, i, span)?;
    if n.fract() != 0.0 || n.abs() > 9e15 {
        return Err(err(format!("{} is not a whole number", fmt_num(n)), span));
    }
    Ok(n as i64)
}

fn list_arg(args: &[Val], i: usize, span: Span) -> Result<Vec<Val>, Val> {
    let a = arg(args, i, span)?;
    match &a.v {
        V::List(l) => Ok(l.clone()),
        V::Map(m) => Ok(m.values().cloned().collect()),
        _ => Err(err(
            format!("expected a list, got a {}", a.type_name()),
            a.span,
        )),
    }
}

fn list(items: Vec<Val>, span: Span) -> Val {
    Val::new(V::List(items), span)
}

fn strs(items: Vec<String>, span: Span) -> Val {
    list(items.into_iter().map(|s| Val::str(s, span)).collect(), span)
}

fn call_inner(name: &str, args: &[Val], span: Span) -> R {
    let str1 = |f: &dyn Fn(&str) -> String| -> R { Ok(Val::str(f(&s_arg(args, 0, span)?), span)) };
    match name {
        "cidrsubnet" => {
            let net = cidr_arg(args, 0, span)?;
            let newbits = int_arg(args, 1, span)?;
            let netnum = int_arg(args, 2, span)?;
            cidrsubnet(net, newbits, netnum)
                .map(|n| Val::str(n.to_string(), span))
                .map_err(|m| err(m, span))
        }
        "cidrhost" => {
            let net = cidr_arg(args, 0, span)?;
            let host = int_arg(args, 1, span)?;
            cidrhost(net, host)
                .map(|a| Val::str(a.to_string(), span))
                .map_err(|m| err(m, span))
        }
        "cidrnetmask" => {
            let net = cidr_arg(args, 0, span)?;
            match net {
                IpNet::V4(n) => Ok(Val::str(n.netmask().to_string(), span)),
                IpNet::V6(_) => Err(err("only IPv4 networks have a netmask", span)),
            }
        }
        "cidrsubnets" => {
            let net = cidr_arg(args, 0, span)?;
            let mut bits = Vec::new();
            for i in 1..args.len() {
                bits.push(int_arg(args, i, span)?);
            }
            cidrsubnets(net, &bits)
                .map(|v| strs(v.into_iter().map(|n| n.to_string()).collect(), span))
                .map_err(|m| err(m, span))
        }
        "jsonencode" => match to_json(arg(args, 0, span)?) {
            Some(j) => Ok(Val::str(j.to_string(), span)),
            None => Err(Val::unknown(
                "it encodes a value known only after apply",
                span,
            )),
        },
        "jsondecode" => {
            let s = s_arg(args, 0, span)?;
            serde_json::from_str::<serde_json::Value>(&s)
                .map(|j| from_json(&j, span))
                .map_err(|e| err(format!("invalid JSON: {e}"), span))
        }
        "yamlencode" => match to_yaml(arg(args, 0, span)?) {
            Some(y) => Ok(Val::str(y, span)),
            None => Err(Val::unknown(
                "it encodes a value known only after apply",
                span,
            )),
        },
        "base64encode" => Ok(Val::str(
            base64_encode(s_arg(args, 0, span)?.as_bytes()),
            span,
        )),
        "base64decode" => {
            let s = s_arg(args, 0, span)?;
            base64_decode(&s)
                .and_then(|b| String::from_utf8(b).ok())
                .map(|t| Val::str(t, span))
                .ok_or_else(|| err("invalid base64", span))
        }
        "merge" => {
            let mut out = BTreeMap::new();
            for a in args {
                match &a.v {
                    V::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    V::Null => {}
                    _ => return Err(err("merge arguments must be maps or objects", a.span)),
                }
            }
            Ok(Val::new(V::Map(out), span))
        }
        "concat" => {
            let mut out = Vec::new();
            for i in 0..args.len() {
                out.extend(list_arg(args, i, span)?);
            }
            Ok(list(out, span))
        }
        "flatten" => {
            fn flat(v: &Val, out: &mut Vec<Val>, d: u32) {
                match &v.v {
                    V::List(l) if d < 64 => l.iter().for_each(|x| flat(x, out, d + 1)),
                    _ => out.push(v.clone()),
                }
            }
            let mut out = Vec::new();
            for x in list_arg(args, 0, span)? {
                flat(&x, &mut out, 0);
            }
            Ok(list(out, span))
        }
        "distinct" | "toset" => {
            // First-seen order, deduplicated by value (`==`), in one pass: a pairwise scan is
            // quadratic, and a list may hold half a million elements.
            let mut seen = std::collections::HashSet::new();
            let mut nan = 0;
            let mut out: Vec<Val> = Vec::new();
            for x in list_arg(args, 0, span)? {
                let mut key = Vec::new();
                crate::terraform::value::identity_key(&x.v, &mut nan, &mut key);
                if seen.insert(key) {
                    out.push(x);
                }
            }
            Ok(list(out, span))
        }
        "tolist" => Ok(list(list_arg(args, 0, span)?, span)),
        "tomap" => match &arg(args, 0, span)?.v {
            V::Map(_) => Ok(args[0].clone()),
            _ => Err(err("tomap needs an object or map", span)),
        },
        "slice" => {
            let l = list_arg(args, 0, span)?;
            let (a, b) = (int_arg(args, 1, span)?, int_arg(args, 2, span)?);
            if a < 0 || b < a || b as usize > l.len() {
                return Err(err(
                    format!("slice {a}..{b} out of range for a list of {}", l.len()),
                    span,
                ));
            }
            Ok(list(l[a as usize..b as usize].to_vec(), span))
        }
        "element" => {
            let l = list_arg(args, 0, span)?;
            let i = int_arg(args, 1, span)?;
            if l.is_empty() {
                return Err(err("element of an empty list", span));
            }
            if i < 0 {
                return Err(err("element index must not be negative", span));
            }
            Ok(l[i as usize % l.len()].clone())
        }
        "length" => {
            let a = arg(args, 0, span)?;
            let n = match &a.v {
                V::List(l) => l.len(),
                V::Map(m) => m.len(),
                V::Str(s) => s.chars().count(),
                _ => return Err(err(format!("length of a {}", a.type_name()), span)),
            };
            Ok(Val::num(n as f64, span))
        }
        "lookup" => {
            let a = arg(args, 0, span)?;
            let k = s_arg(args, 1, span)?;
            match &a.v {
                V::Map(m) => match (m.get(&k), args.get(2)) {
                    (Some(v), _) => Ok(v.clone()),
                    (None, Some(d)) => Ok(d.clone()),
                    (None, None) => Err(err(format!("no key `{k}` and no default"), span)),
                },
                _ => Err(err("lookup needs a map", span)),
            }
        }
        "keys" => match &arg(args, 0, span)?.v {
            V::Map(m) => Ok(strs(m.keys().cloned().collect(), span)),
            _ => Err(err("keys needs a map", span)),
        },
        "values" => match &arg(args, 0, span)?.v {
            V::Map(m) => Ok(list(m.values().cloned().collect(), span)),
            _ => Err(err("values needs a map", span)),
        },
        "zipmap" => {
            let k = list_arg(args, 0, span)?;
            let v = list_arg(args, 1, span)?;
            if k.len() != v.len() {
                return Err(err("zipmap lists differ in length", span));
            }
            let mut m = BTreeMap::new();
            for (k, v) in k.iter().zip(v) {
                m.insert(to_str(k)?, v);
            }
            Ok(Val::new(V::Map(m), span))
        }
        "range" => {
            let ns: Vec<f64> = (0..args.len())
                .map(|i| n_arg(args, i, span))
                .collect::<Result<_, _>>()?;
            let (start, end, step) = match ns.as_slice() {
                [e] => (0.0, *e, 1.0),
                [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
                [s, e, st] => (*s, *e, *st),
                _ => return Err(err("range takes 1 to 3 arguments", span)),
            };
            if step == 0.0 || (end - start) / step > 10_000.0 {
                return Err(err("range is empty-stepped or longer than 10000", span));
            }
            let mut out = Vec::new();
            let mut x = start;
            while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
                out.push(Val::num(x, span));
                x += step;
            }
            Ok(list(out, span))
        }
        "coalesce" => args
            .iter()
            .find(|a| !matches!(&a.v, V::Null) && !matches!(&a.v, V::Str(s) if s.is_empty()))
            .cloned()
            .ok_or_else(|| err("no non-null, non-empty argument", span)),
        "coalescelist" => args
            .iter()
            .find(|a| matches!(&a.v, V::List(l) if !l.is_empty()))
            .cloned()
            .ok_or_else(|| err("no non-empty list", span)),
        "compact" => Ok(list(
            list_arg(args, 0, span)?
                .into_iter()
                .filter(|x| !matches!(&x.v, V::Null) && !matches!(&x.v, V::Str(s) if s.is_empty()))
                .collect(),
            span,
        )),
        "contains" => {
            let l = list_arg(args, 0, span)?;
            let x = arg(args, 1, span)?;
            Ok(Val::new(V::Bool(l.iter().any(|y| same(y, x))), span))
        }
        "index" => {
            let l = list_arg(args, 0, span)?;
            let x = arg(args, 1, span)?;
            l.iter()
                .position(|y| same(y, x))
                .map(|i| Val::num(i as f64, span))
                .ok_or_else(|| err("item not found in the list", span))
        }
        "one" => {
            let l = list_arg(args, 0, span)?;
            match l.len() {
                0 => Ok(Val::new(V::Null, span)),
                1 => Ok(l[0].clone()),
                n => Err(err(format!("one() of a list of {n}"), span)),
            }
        }
        "reverse" => {
            let mut l = list_arg(args, 0, span)?;
            l.reverse();
            Ok(list(l, span))
        }
        "sort" => {
            let mut l = list_arg(args, 0, span)?
                .iter()
                .map(to_str)
                .collect::<Result<Vec<_>, _>>()?;
            l.sort();
            Ok(strs(l, span))
        }
        "format" => format(args, span),
        "join" => {
            let sep = s_arg(args, 0, span)?;
            let mut parts = Vec::new();
            for i in 1..args.len() {
                for x in list_arg(args, i, span)? {
                    parts.push(to_str(&x)?);
                }
            }
            let total = parts
                .iter()
                .map(String::len)
                .sum::<usize>()
                .saturating_add(sep.len().saturating_mul(parts.len().saturating_sub(1)));
            fits("join", total, span)?;
            Ok(Val::str(parts.join(&sep), span))
        }
        "split" => {
            let sep = s_arg(args, 0, span)?;
            let s = s_arg(args, 1, span)?;
            if sep.is_empty() {
                return Ok(strs(s.chars().map(String::from).collect(), span));
            }
            Ok(strs(
                s.split(sep.as_str()).map(String::from).collect(),
                span,
            ))
        }
        "replace" => {
            let s = s_arg(args, 0, span)?;
            let from = s_arg(args, 1, span)?;
            let to = s_arg(args, 2, span)?;
            if from.len() > 1 && from.starts_with('/') && from.ends_with('/') {
                return Err(Val::unknown(
                    "`replace` with a regular expression is not evaluated",
                    span,
                ));
            }
            if from.is_empty() {
                return Ok(Val::str(s, span));
            }
            let n = memchr::memmem::find_iter(s.as_bytes(), from.as_bytes()).count();
            // Exactly the result's length: each match of `from` becomes `to`.
            let kept = s.len() - n * from.len();
            fits(
                "replace",
                kept.saturating_add(n.saturating_mul(to.len())),
                span,
            )?;
            Ok(Val::str(s.replace(&from, &to), span))
        }
        "lower" => str1(&|s| s.to_lowercase()),
        "upper" => str1(&|s| s.to_uppercase()),
        "trimspace" => str1(&|s| s.trim().to_string()),
        "chomp" => str1(&|s| s.trim_end_matches(['\n', '\r']).to_string()),
        "title" => str1(&|s| {
            s.split(' ')
                .map(|w| {
                    let mut c = w.chars();
                    c.next()
                        .map(|f| f.to_uppercase().chain(c).collect())
                        .unwrap_or_default()
                })
                .collect::<Vec<String>>()
                .join(" ")
        }),
        "min" | "max" => {
            let mut ns = Vec::new();
            for i in 0..args.len() {
                ns.push(n_arg(args, i, span)?);
            }
            let r = if name == "min" {
                ns.into_iter().reduce(f64::min)
            } else {
                ns.into_iter().reduce(f64::max)
            };
            r.map(|n| Val::num(n, span))
                .ok_or_else(|| err(format!("{name} needs arguments"), span))
        }
        "sum" => {
            let l = list_arg(args, 0, span)?;
            let mut t = 0.0;
            for x in &l {
                t += n_arg(std::slice::from_ref(x), 0, span)?;
            }
            Ok(Val::num(t, span))
        }
        "abs" => Ok(Val::num(n_arg(args, 0, span)?.abs(), span)),
        "floor" => Ok(Val::num(n_arg(args, 0, span)?.floor(), span)),
        "ceil" => Ok(Val::num(n_arg(args, 0, span)?.ceil(), span)),
        "pow" => Ok(Val::num(
            n_arg(args, 0, span)?.powf(n_arg(args, 1, span)?),
            span,
        )),
        "tostring" => match &arg(args, 0, span)?.v {
            V::Null => Ok(args[0].clone()),
            _ => Ok(Val::str(to_str(&args[0])?, span)),
        },
        "tonumber" => match &arg(args, 0, span)?.v {
            V::Null => Ok(args[0].clone()),
            _ => Ok(Val::num(n_arg(args, 0, span)?, span)),
        },
        "tobool" => match &arg(args, 0, span)?.v {
            V::Bool(_) | V::Null => Ok(args[0].clone()),
            V::Str(s) if s == "true" || s == "false" => Ok(Val::new(V::Bool(s == "true"), span)),
            _ => Err(err("cannot convert to bool", span)),
        },
        "startswith" => Ok(Val::new(
            V::Bool(s_arg(args, 0, span)?.starts_with(&s_arg(args, 1, span)?)),
            span,
        )),
        "endswith" => Ok(Val::new(
            V::Bool(s_arg(args, 0, span)?.ends_with(&s_arg(args, 1, span)?)),
            span,
        )),
        "trimprefix" => {
            let s = s_arg(args, 0, span)?;
            let p = s_arg(args, 1, span)?;
            Ok(Val::str(s.strip_prefix(p.as_str()).unwrap_or(&s), span))
        }
        "trimsuffix" => {
            let s = s_arg(args, 0, span)?;
            let p = s_arg(args, 1, span)?;
            Ok(Val::str(s.strip_suffix(p.as_str()).unwrap_or(&s), span))
        }
        "substr" => {
            let s: Vec<char> = s_arg(args, 0, span)?.chars().collect();
            let off = int_arg(args, 1, span)?;
            let len = int_arg(args, 2, span)?;
            let start = if off < 0 {
                (s.len() as i64 + off).max(0) as usize
            } else {
                (off as usize).min(s.len())
            };
            let end = if len < 0 {
                s.len()
            } else {
                (start + len as usize).min(s.len())
            };
            Ok(Val::str(s[start..end].iter().collect::<String>(), span))
        }
        _ => Err(Val::unknown(
            format!("function `{name}` is not evaluated by eks-lint"),
            span,
        )),
    }
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

fn format(args: &[Val], span: Span) -> R {
    let f = s_arg(args, 0, span)?;
    let mut out = String::new();
    let mut next = 1;
    let mut chars = f.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&d) = chars.peek() {
            if d.is_ascii_digit() || "-+ #.0".contains(d) {
                spec.push(d);
                chars.next();
            } else {
                break;
            }
        }
        let Some(verb) = chars.next() else {
            return Err(err("format string ends with %", span));
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let a = arg(args, next, span)?;
        next += 1;
        let zero = spec.starts_with('0');
        let left = spec.contains('-');
        let (wpart, prec) = match spec.split_once('.') {
            Some((w, p)) => (w.to_string(), p.parse::<usize>().ok()),
            None => (spec.clone(), None),
        };
        let width: usize = wpart
            .trim_start_matches(['-', '+', ' ', '#', '0'])
            .parse()
            .unwrap_or(0)
            .min(1000);
        let body = match verb {
            'd' => fmt_num(n_arg(std::slice::from_ref(a), 0, span)?.trunc()),
            'f' => format!(
                "{:.*}",
                prec.unwrap_or(6).min(50),
                n_arg(std::slice::from_ref(a), 0, span)?
            ),
            's' | 'v' => to_str(a)?,
            'q' => serde_json::Value::String(to_str(a)?).to_string(),
            other => return Err(err(format!("unsupported format verb %{other}"), span)),
        };
        let pad = width.saturating_sub(body.chars().count());
        if left {
            out.push_str(&body);
            out.push_str(&" ".repeat(pad));
        } else if zero && verb != 's' {
            let (sign, digits) = body
                .strip_prefix('-')
                .map_or(("", body.as_str()), |d| ("-", d));
            out.push_str(sign);
            out.push_str(&"0".repeat(pad));
            out.push_str(digits);
        } else {
            out.push_str(&" ".repeat(pad));
            out.push_str(&body);
        }
        fits("format", out.len(), span)?;
    }
    Ok(Val::str(out, span))
}

/// Refuse a result larger than the value-size limit, before it is built where the size is
/// known in advance (`join`, `replace`) or as it grows (`format`): a few bytes of input can
/// ask for gigabytes (`replace(big, "a", big)`, 100 000 `%1000d` verbs).
fn fits(name: &str, bytes: usize, span: Span) -> Result<(), Val> {
    let max = crate::limits::as_usize(crate::limits::max_value_size());
    if bytes > max {
        return Err(err(
            format!(
                "the result of `{name}` would be larger than {max} bytes (EKS_LINT_MAX_VALUE_SIZE)"
            ),
            span,
        ));
    }
    Ok(())
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn base64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        if c == b'=' || c.is_ascii_whitespace() {
            continue;
        }
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn base64_round_trips() {
        for s in ["", "a", "ab", "abc", "--max-pods 20\n"] {
            assert_eq!(
                base64_decode(&base64_encode(s.as_bytes())).unwrap(),
                s.as_bytes()
            );
        }
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
    }

    #[test]
    fn unsupported_function_is_unknown_with_name() {
        let v = call("regexall", &[], Span::default());
        assert!(matches!(&v.v, V::Unknown(u) if u.reason.contains("regexall") && !u.error));
    }

    #[test]
    fn format_pads_and_quotes() {
        let s = Span::default();
        let v = call(
            "format",
            &[Val::str("%s-%03d", s), Val::str("ng", s), Val::num(7.0, s)],
            s,
        );
        assert_eq!(v.v, V::Str("ng-007".into()));
    }
}
