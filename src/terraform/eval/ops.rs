//! Operations on values that need no evaluator: binary operators, indexing, iteration of
//! collections, map keys, and the reason of an unknown value.

use crate::source::Span;
use crate::terraform::value::{fmt_num, same, Unk, Val, V};
use hcl_edit::expr::BinaryOperator;

/// Pairs (key, value) for `for` iteration: list index or map key.
pub(super) fn iter_pairs(coll: &Val) -> Result<Vec<(Val, Val)>, Val> {
    match &coll.v {
        V::List(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, x)| (Val::num(i as f64, x.span), x.clone()))
            .collect()),
        V::Map(m) => Ok(m
            .iter()
            .map(|(k, x)| (Val::str(k.clone(), x.span), x.clone()))
            .collect()),
        V::Unknown(_) => Err(coll.clone()),
        V::Null => Err(Val::error("cannot iterate over null", coll.span)),
        _ => Err(Val::error(
            format!("cannot iterate over a {}", coll.type_name()),
            coll.span,
        )),
    }
}

pub(super) fn contains_error(v: &Val) -> bool {
    v.first_unknown().is_some_and(|(u, _)| u.error)
}

pub(super) fn key_string(v: &Val) -> Result<String, Val> {
    match &v.v {
        V::Str(s) => Ok(s.clone()),
        V::Num(n) => Ok(fmt_num(*n)),
        V::Bool(b) => Ok(b.to_string()),
        V::Unknown(_) => Err(v.clone()),
        _ => Err(Val::error("object key must be a string", v.span)),
    }
}

pub(super) fn binary(op: BinaryOperator, l: Val, r: Val, span: Span) -> Val {
    use BinaryOperator as B;
    // `true || unknown` and `false && unknown` are known, as in Terraform.
    match (op, &l.v, &r.v) {
        (B::Or, V::Bool(true), _) | (B::Or, _, V::Bool(true)) => {
            return Val::new(V::Bool(true), span)
        }
        (B::And, V::Bool(false), _) | (B::And, _, V::Bool(false)) => {
            return Val::new(V::Bool(false), span)
        }
        _ => {}
    }
    if let V::Unknown(u) = &l.v {
        return Val::new(V::Unknown(u.clone()), l.span);
    }
    if let V::Unknown(u) = &r.v {
        return Val::new(V::Unknown(u.clone()), r.span);
    }
    let num = |v: &Val| -> Option<f64> {
        match &v.v {
            V::Num(n) => Some(*n),
            V::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let res = match op {
        B::Eq => V::Bool(same(&l, &r) || num_eq(&l, &r)),
        B::NotEq => V::Bool(!(same(&l, &r) || num_eq(&l, &r))),
        B::And | B::Or => match (&l.v, &r.v) {
            (V::Bool(a), V::Bool(b)) => V::Bool(if op == B::And { *a && *b } else { *a || *b }),
            _ => return Val::error("logical operators need bools", span),
        },
        _ => {
            let (Some(a), Some(b)) = (num(&l), num(&r)) else {
                return Val::error("arithmetic needs numbers", span);
            };
            match op {
                B::Plus => V::Num(a + b),
                B::Minus => V::Num(a - b),
                B::Mul => V::Num(a * b),
                B::Div if b == 0.0 => return Val::error("division by zero", span),
                B::Div => V::Num(a / b),
                B::Mod if b == 0.0 => return Val::error("modulo by zero", span),
                B::Mod => V::Num(a % b),
                B::Less => V::Bool(a < b),
                B::LessEq => V::Bool(a <= b),
                B::Greater => V::Bool(a > b),
                B::GreaterEq => V::Bool(a >= b),
                _ => return Val::error("unsupported operator", span),
            }
        }
    };
    let mut out = Val::new(res, span);
    out.absorb(&l);
    out.absorb(&r);
    out
}

pub(super) fn num_eq(a: &Val, b: &Val) -> bool {
    matches!((&a.v, &b.v), (V::Num(x), V::Num(y)) if x == y)
}

/// Index a list or map.
pub fn index(v: Val, idx: &Val, span: Span) -> Val {
    match (&v.v, &idx.v) {
        // `data.aws_availability_zones.x.names[count.index]`: a distinct element.
        (V::Unknown(_), V::Num(n)) if *n >= 0.0 && n.fract() == 0.0 => {
            v.distinct_element(*n as usize, span).unwrap_or(v)
        }
        (V::Unknown(_), _) => v,
        (_, V::Unknown(_)) => idx.clone(),
        (V::List(items), V::Num(n)) => {
            if *n < 0.0 || n.fract() != 0.0 || *n as usize >= items.len() {
                Val::error(
                    format!(
                        "index {} out of range for a list of {}",
                        fmt_num(*n),
                        items.len()
                    ),
                    span,
                )
            } else {
                items[*n as usize].clone()
            }
        }
        (V::List(items), V::Str(s)) => match s.parse::<usize>() {
            Ok(i) if i < items.len() => items[i].clone(),
            _ => Val::error(format!("invalid list index `{s}`"), span),
        },
        (V::Map(m), _) => match key_string(idx) {
            Ok(k) => m
                .get(&k)
                .cloned()
                .unwrap_or_else(|| Val::error(format!("no element `{k}`"), span)),
            Err(u) => u,
        },
        _ => Val::error(format!("cannot index a {}", v.type_name()), span),
    }
}

/// Unknown-with-reason helper for callers that need the reason text.
pub fn reason(v: &Val) -> Option<&Unk> {
    match &v.v {
        V::Unknown(u) => Some(u),
        _ => None,
    }
}
