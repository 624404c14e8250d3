//! Numeric functions. Numbers are f64, as in Terraform's JSON-compatible values; a string
//! that reads as a number is accepted wherever a number is.

use super::args::{err, list_arg, n_arg, number, R};
use crate::source::Span;
use crate::terraform::value::Val;

/// The numbers of all arguments.
fn numbers(args: &[Val], span: Span) -> Result<Vec<f64>, Val> {
    (0..args.len()).map(|i| n_arg(args, i, span)).collect()
}

pub(super) fn min(args: &[Val], span: Span) -> R {
    numbers(args, span)?
        .into_iter()
        .reduce(f64::min)
        .map(|n| Val::num(n, span))
        .ok_or_else(|| err("min needs arguments", span))
}

pub(super) fn max(args: &[Val], span: Span) -> R {
    numbers(args, span)?
        .into_iter()
        .reduce(f64::max)
        .map(|n| Val::num(n, span))
        .ok_or_else(|| err("max needs arguments", span))
}

/// `sum(list)`: the elements' total.
pub(super) fn sum(args: &[Val], span: Span) -> R {
    let mut t = 0.0;
    for x in list_arg(args, 0, span)?.iter() {
        t += number(x)?;
    }
    Ok(Val::num(t, span))
}

fn num1(args: &[Val], span: Span, f: fn(f64) -> f64) -> R {
    Ok(Val::num(f(n_arg(args, 0, span)?), span))
}

pub(super) fn abs(args: &[Val], span: Span) -> R {
    num1(args, span, f64::abs)
}

pub(super) fn floor(args: &[Val], span: Span) -> R {
    num1(args, span, f64::floor)
}

pub(super) fn ceil(args: &[Val], span: Span) -> R {
    num1(args, span, f64::ceil)
}

pub(super) fn pow(args: &[Val], span: Span) -> R {
    let (base, exp) = (n_arg(args, 0, span)?, n_arg(args, 1, span)?);
    Ok(Val::num(base.powf(exp), span))
}
