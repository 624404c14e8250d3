//! Collection functions: build, pick from and reshape lists and maps. Most only move values
//! around, so the table lets unknown elements through them (`Unknowns::Keep`).

use super::args::{arg, err, int_arg, list, list_arg, n_arg, s_arg, strs, R};
use crate::source::Span;
use crate::terraform::value::{identity_key, Val, V};
use crate::terraform::value::{same, to_str};
use std::collections::{BTreeMap, HashSet};

pub(super) fn merge(args: &[Val], span: Span) -> R {
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

pub(super) fn concat(args: &[Val], span: Span) -> R {
    let mut out = Vec::new();
    for i in 0..args.len() {
        out.extend_from_slice(&list_arg(args, i, span)?);
    }
    Ok(list(out, span))
}

pub(super) fn flatten(args: &[Val], span: Span) -> R {
    fn flat(v: &Val, out: &mut Vec<Val>, d: u32) {
        match &v.v {
            V::List(l) if d < 64 => l.iter().for_each(|x| flat(x, out, d + 1)),
            _ => out.push(v.clone()),
        }
    }
    let mut out = Vec::new();
    for x in list_arg(args, 0, span)?.iter() {
        flat(x, &mut out, 0);
    }
    Ok(list(out, span))
}

/// `distinct` and `toset`: first-seen order, deduplicated by value (`==`), in one pass: a
/// pairwise scan is quadratic, and a list may hold half a million elements.
pub(super) fn distinct(args: &[Val], span: Span) -> R {
    let mut seen = HashSet::new();
    let mut nan = 0;
    let mut out: Vec<Val> = Vec::new();
    for x in list_arg(args, 0, span)?.iter() {
        let mut key = Vec::new();
        identity_key(&x.v, &mut nan, &mut key);
        if seen.insert(key) {
            out.push(x.clone());
        }
    }
    Ok(list(out, span))
}

pub(super) fn tolist(args: &[Val], span: Span) -> R {
    Ok(list(list_arg(args, 0, span)?.into_owned(), span))
}

pub(super) fn tomap(args: &[Val], span: Span) -> R {
    match &arg(args, 0, span)?.v {
        V::Map(_) => Ok(args[0].clone()),
        _ => Err(err("tomap needs an object or map", span)),
    }
}

pub(super) fn slice(args: &[Val], span: Span) -> R {
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

/// `slice(data.x.names, 0, 3)` (the usual AZ list): the elements are unknown but their
/// number is not, so `[for k, v in … : cidrsubnet(cidr, 4, k)]` still gives known CIDRs.
pub(super) fn slice_of_unknown(args: &[Val], span: Span) -> Option<Val> {
    let [l @ Val {
        v: V::Unknown(_), ..
    }, a, b] = args
    else {
        return None;
    };
    let (V::Num(a), V::Num(b)) = (&a.v, &b.v) else {
        return None;
    };
    let whole = a.fract() == 0.0 && b.fract() == 0.0;
    if *a >= 0.0 && b >= a && b - a <= 1024.0 && whole {
        // Elements of a list of distinct values keep their index (distinct zones).
        let items = (*a as usize..*b as usize)
            .map(|i| l.distinct_element(i, l.span).unwrap_or_else(|| l.clone()))
            .collect();
        return Some(list(items, span));
    }
    None
}

pub(super) fn element(args: &[Val], span: Span) -> R {
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

pub(super) fn length(args: &[Val], span: Span) -> R {
    let a = arg(args, 0, span)?;
    let n = match &a.v {
        V::List(l) => l.len(),
        V::Map(m) => m.len(),
        V::Str(s) => s.chars().count(),
        _ => return Err(err(format!("length of a {}", a.type_name()), span)),
    };
    Ok(Val::num(n as f64, span))
}

pub(super) fn lookup(args: &[Val], span: Span) -> R {
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

pub(super) fn keys(args: &[Val], span: Span) -> R {
    match &arg(args, 0, span)?.v {
        V::Map(m) => Ok(strs(m.keys().cloned().collect(), span)),
        _ => Err(err("keys needs a map", span)),
    }
}

pub(super) fn values(args: &[Val], span: Span) -> R {
    match &arg(args, 0, span)?.v {
        V::Map(m) => Ok(list(m.values().cloned().collect(), span)),
        _ => Err(err("values needs a map", span)),
    }
}

pub(super) fn zipmap(args: &[Val], span: Span) -> R {
    let k = list_arg(args, 0, span)?;
    let v = list_arg(args, 1, span)?;
    if k.len() != v.len() {
        return Err(err("zipmap lists differ in length", span));
    }
    let mut m = BTreeMap::new();
    for (k, v) in k.iter().zip(v.iter()) {
        m.insert(to_str(k)?, v.clone());
    }
    Ok(Val::new(V::Map(m), span))
}

/// The longest list `range` builds.
const RANGE_MAX: f64 = 10_000.0;

pub(super) fn range(args: &[Val], span: Span) -> R {
    let ns: Vec<f64> = (0..args.len())
        .map(|i| n_arg(args, i, span))
        .collect::<Result<_, _>>()?;
    let (start, end, step) = match ns.as_slice() {
        [e] => (0.0, *e, 1.0),
        [s, e] => (*s, *e, if e >= s { 1.0 } else { -1.0 }),
        [s, e, st] => (*s, *e, *st),
        _ => return Err(err("range takes 1 to 3 arguments", span)),
    };
    let too_long = || err("range is empty-stepped or longer than 10000", span);
    if step == 0.0 || (end - start) / step > RANGE_MAX {
        return Err(too_long());
    }
    let mut out = Vec::new();
    let mut x = start;
    while (step > 0.0 && x < end) || (step < 0.0 && x > end) {
        // Past 2^53 `x += step` may not move x at all (1e17 + 1 == 1e17): count as well.
        // Twice the cap leaves room for the rounding drift of legitimate ranges.
        if out.len() as f64 > 2.0 * RANGE_MAX {
            return Err(too_long());
        }
        out.push(Val::num(x, span));
        x += step;
    }
    Ok(list(out, span))
}

/// Neither null nor the empty string.
fn present(v: &Val) -> bool {
    !matches!(&v.v, V::Null) && !matches!(&v.v, V::Str(s) if s.is_empty())
}

pub(super) fn coalesce(args: &[Val], span: Span) -> R {
    args.iter()
        .find(|a| present(a))
        .cloned()
        .ok_or_else(|| err("no non-null, non-empty argument", span))
}

pub(super) fn coalescelist(args: &[Val], span: Span) -> R {
    args.iter()
        .find(|a| matches!(&a.v, V::List(l) if !l.is_empty()))
        .cloned()
        .ok_or_else(|| err("no non-empty list", span))
}

pub(super) fn compact(args: &[Val], span: Span) -> R {
    let l = list_arg(args, 0, span)?;
    Ok(list(
        l.iter().filter(|x| present(x)).cloned().collect(),
        span,
    ))
}

pub(super) fn contains(args: &[Val], span: Span) -> R {
    let l = list_arg(args, 0, span)?;
    let x = arg(args, 1, span)?;
    Ok(super::args::boolean(l.iter().any(|y| same(y, x)), span))
}

pub(super) fn index(args: &[Val], span: Span) -> R {
    let l = list_arg(args, 0, span)?;
    let x = arg(args, 1, span)?;
    l.iter()
        .position(|y| same(y, x))
        .map(|i| Val::num(i as f64, span))
        .ok_or_else(|| err("item not found in the list", span))
}

pub(super) fn one(args: &[Val], span: Span) -> R {
    let l = list_arg(args, 0, span)?;
    match l.len() {
        0 => Ok(Val::new(V::Null, span)),
        1 => Ok(l[0].clone()),
        n => Err(err(format!("one() of a list of {n}"), span)),
    }
}

pub(super) fn reverse(args: &[Val], span: Span) -> R {
    let mut l = list_arg(args, 0, span)?.into_owned();
    l.reverse();
    Ok(list(l, span))
}

pub(super) fn sort(args: &[Val], span: Span) -> R {
    let mut l = list_arg(args, 0, span)?
        .iter()
        .map(to_str)
        .collect::<Result<Vec<_>, _>>()?;
    l.sort();
    Ok(strs(l, span))
}
