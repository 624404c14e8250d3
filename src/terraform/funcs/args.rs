//! What the implementations of the built-ins share: argument accessors with Terraform-like
//! errors, result constructors, and the value-size limit (arguments and results).

use crate::source::Span;
use crate::terraform::value::{fmt_num, to_str, Val, V};
use std::borrow::Cow;

/// What an implementation returns: the value, or the unknown/error value that replaces it.
pub(super) type R = Result<Val, Val>;

thread_local! {
    /// The value-size limit of the run whose built-in is being called. Set by [`super::call`]
    /// only around one implementation, which runs to its end on this thread (built-ins start no
    /// parallel work), so runs with different limits on one thread pool cannot see each
    /// other's; the table's signature stays `fn(args, span)`.
    static MAX_VALUE_SIZE: std::cell::Cell<usize> =
        const { std::cell::Cell::new(crate::limits::DEFAULT_MAX_VALUE_SIZE as usize) };
}

pub(super) fn max_value_size() -> usize {
    MAX_VALUE_SIZE.with(|m| m.get())
}

/// Run `f` with `max` as the value-size limit, restoring the previous one after it (also when
/// it unwinds).
pub(super) fn with_max_value_size<T>(max: usize, f: impl FnOnce() -> T) -> T {
    struct Restore(usize);
    impl Drop for Restore {
        fn drop(&mut self) {
            MAX_VALUE_SIZE.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(MAX_VALUE_SIZE.with(|m| m.replace(max)));
    f()
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

/// Refuse a result larger than the value-size limit, before it is built where the size is
/// known in advance (`join`, `replace`) or as it grows (`format`): a few bytes of input can
/// ask for gigabytes (`replace(big, "a", big)`, 100 000 `%1000d` verbs).
pub(super) fn fits(name: &str, bytes: usize, span: Span) -> Result<(), Val> {
    if bytes > max_value_size() {
        return Err(too_large(name, span));
    }
    Ok(())
}

pub(super) fn too_large(name: &str, span: Span) -> Val {
    err(
        format!(
            "the result of `{name}` would be larger than {} bytes (EKS_LINT_MAX_VALUE_SIZE)",
            max_value_size()
        ),
        span,
    )
}

// Argument helpers shared by the families.

pub(super) fn err(msg: impl Into<String>, span: Span) -> Val {
    Val::error(msg, span)
}

pub(super) fn arg(args: &[Val], i: usize, span: Span) -> Result<&Val, Val> {
    args.get(i)
        .ok_or_else(|| err(format!("missing argument {}", i + 1), span))
}

pub(super) fn s_arg(args: &[Val], i: usize, span: Span) -> Result<String, Val> {
    to_str(arg(args, i, span)?)
}

pub(super) fn n_arg(args: &[Val], i: usize, span: Span) -> Result<f64, Val> {
    number(arg(args, i, span)?)
}

/// A number, or a string that reads as one (Terraform converts it).
pub(super) fn number(a: &Val) -> Result<f64, Val> {
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

pub(super) fn int_arg(args: &[Val], i: usize, span: Span) -> Result<i64, Val> {
    let n = n_arg(args, i, span)?;
    if n.fract() != 0.0 || n.abs() > 9e15 {
        return Err(err(format!("{} is not a whole number", fmt_num(n)), span));
    }
    Ok(n as i64)
}

/// Argument `i` as a list: a list's elements (borrowed), or a map's values in key order.
pub(super) fn list_arg(args: &[Val], i: usize, span: Span) -> Result<Cow<'_, [Val]>, Val> {
    let a = arg(args, i, span)?;
    match &a.v {
        V::List(l) => Ok(Cow::Borrowed(l)),
        V::Map(m) => Ok(Cow::Owned(m.values().cloned().collect())),
        _ => Err(err(
            format!("expected a list, got a {}", a.type_name()),
            a.span,
        )),
    }
}

pub(super) fn list(items: Vec<Val>, span: Span) -> Val {
    Val::new(V::List(items), span)
}

pub(super) fn strs(items: Vec<String>, span: Span) -> Val {
    list(items.into_iter().map(|s| Val::str(s, span)).collect(), span)
}

pub(super) fn boolean(b: bool, span: Span) -> Val {
    Val::new(V::Bool(b), span)
}
