//! Encoding functions: JSON, YAML and base64.

use super::{arg, err, s_arg, R};
use crate::source::Span;
use crate::terraform::value::{from_json, to_json, to_yaml, Val};

pub(super) fn jsonencode(args: &[Val], span: Span) -> R {
    match to_json(arg(args, 0, span)?) {
        Some(j) => Ok(Val::str(j.to_string(), span)),
        None => Err(encodes_unknown(span)),
    }
}

pub(super) fn jsondecode(args: &[Val], span: Span) -> R {
    let s = s_arg(args, 0, span)?;
    serde_json::from_str::<serde_json::Value>(&s)
        .map(|j| from_json(&j, span))
        .map_err(|e| err(format!("invalid JSON: {e}"), span))
}

pub(super) fn yamlencode(args: &[Val], span: Span) -> R {
    match to_yaml(arg(args, 0, span)?) {
        Some(y) => Ok(Val::str(y, span)),
        None => Err(encodes_unknown(span)),
    }
}

fn encodes_unknown(span: Span) -> Val {
    Val::unknown("it encodes a value known only after apply", span)
}

pub(super) fn base64encode(args: &[Val], span: Span) -> R {
    Ok(Val::str(
        base64_encode(s_arg(args, 0, span)?.as_bytes()),
        span,
    ))
}

/// `base64decode`: the decoded bytes must be UTF-8 text, as in Terraform.
pub(super) fn base64decode(args: &[Val], span: Span) -> R {
    let s = s_arg(args, 0, span)?;
    base64_decode(&s)
        .and_then(|b| String::from_utf8(b).ok())
        .map(|t| Val::str(t, span))
        .ok_or_else(|| err("invalid base64", span))
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
