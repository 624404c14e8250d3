//! Encoding functions: JSON, YAML and base64 (the `base64` crate).

use super::args::{arg, err, s_arg, R};
use crate::source::Span;
use crate::terraform::value::{from_json, to_json, to_yaml, Val};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};

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

/// `yamldecode(s)`: one YAML document as a value, through the bounded YAML loader (nesting
/// and alias expansion limited). Plain scalars follow the YAML 1.2 core schema, as Terraform's
/// decoder: null, booleans and numbers; everything quoted is a string.
pub(super) fn yamldecode(args: &[Val], span: Span) -> R {
    let s = s_arg(args, 0, span)?;
    let docs = crate::eksctl::yaml::parse(&s, &crate::limits::Limits::DEFAULT)
        .map_err(|e| err(format!("invalid YAML: {}", e.message), span))?;
    match docs.as_slice() {
        [] => Ok(Val::new(crate::terraform::value::V::Null, span)),
        [doc] => Ok(from_json(&yaml_json(doc), span)),
        _ => Err(err("yamldecode takes one YAML document", span)),
    }
}

fn yaml_json(n: &crate::eksctl::yaml::Node) -> serde_json::Value {
    use crate::eksctl::yaml::Kind;
    use serde_json::Value as J;
    match &n.kind {
        Kind::Seq(items) => J::Array(items.iter().map(yaml_json).collect()),
        Kind::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), yaml_json(v)))
                .collect(),
        ),
        Kind::Scalar { text, quoted: true } => J::String(text.clone()),
        Kind::Scalar { text, .. } => {
            if n.is_null() {
                J::Null
            } else if let Some(b) = n.as_bool() {
                J::Bool(b)
            } else if let Some(num) = yaml_number(text) {
                num
            } else {
                J::String(text.clone())
            }
        }
    }
}

fn yaml_number(t: &str) -> Option<serde_json::Value> {
    let plain = t
        .trim_start_matches(['-', '+'])
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+');
    if !plain || !t.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Ok(i) = t.parse::<i64>() {
        return Some(serde_json::Value::from(i));
    }
    t.parse::<f64>()
        .ok()
        .filter(|f| f.is_finite())
        .and_then(serde_json::Number::from_f64)
        .map(serde_json::Value::Number)
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

/// Standard base64 with padding (what Terraform's `base64encode` gives).
pub fn base64_encode(data: &[u8]) -> String {
    STANDARD.encode(data)
}

/// Decodes padding-free input and ignores the unused bits of the last character.
const LENIENT: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireNone)
        .with_decode_allow_trailing_bits(true),
);

/// Standard base64, read leniently as eks-lint always has (EC2 user data is often wrapped
/// or loosely padded): whitespace and `=` are skipped wherever they are, and a lone final
/// character, which holds no whole byte, is dropped. None on any other character.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut text: Vec<u8> = s
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    if text.len() % 4 == 1 {
        let last = text.pop()?;
        if !(last.is_ascii_alphanumeric() || last == b'+' || last == b'/') {
            return None;
        }
    }
    LENIENT.decode(text).ok()
}
