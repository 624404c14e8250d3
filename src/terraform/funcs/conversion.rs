//! Type conversion functions for primitive values; null converts to null, as in Terraform.
//! (`tolist`, `toset` and `tomap` are with the collection functions.)

use super::args::{arg, boolean, err, n_arg, R};
use crate::source::Span;
use crate::terraform::value::to_str;
use crate::terraform::value::{Val, V};

pub(super) fn tostring(args: &[Val], span: Span) -> R {
    match &arg(args, 0, span)?.v {
        V::Null => Ok(args[0].clone()),
        _ => Ok(Val::str(to_str(&args[0])?, span)),
    }
}

/// `sensitive` and `nonsensitive` only mark a value for Terraform's output: the value itself
/// (a `data.aws_ssm_parameter` value is sensitive and often unwrapped before decoding).
pub(super) fn same_value(args: &[Val], span: Span) -> R {
    Ok(arg(args, 0, span)?.clone().through(span))
}

pub(super) fn tonumber(args: &[Val], span: Span) -> R {
    match &arg(args, 0, span)?.v {
        V::Null => Ok(args[0].clone()),
        _ => Ok(Val::num(n_arg(args, 0, span)?, span)),
    }
}

pub(super) fn tobool(args: &[Val], span: Span) -> R {
    match &arg(args, 0, span)?.v {
        V::Bool(_) | V::Null => Ok(args[0].clone()),
        V::Str(s) if s == "true" || s == "false" => Ok(boolean(s == "true", span)),
        _ => Err(err("cannot convert to bool", span)),
    }
}
