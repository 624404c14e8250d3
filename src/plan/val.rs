//! Document values as evaluator values: known parts as they are, the parts `after_unknown`
//! marks as unknown with the reason "known after apply".

use super::types::{Instance, Plan};
use crate::source::Span;
use crate::terraform::value::{Val, V};
use serde_json::Value as J;

/// Attribute `name` of `inst` (resource `addr`), or None when the document does not have it
/// (neither a value nor marked unknown). `span` is where the HCL reads it; the document's line
/// becomes part of the value's chain (a related location of every finding it feeds).
pub fn attr_val(plan: &Plan, addr: &str, inst: &Instance, name: &str, span: Span) -> Option<Val> {
    let unk = inst.unknown.get(name).unwrap_or(&J::Null);
    let value = inst.values.get(name);
    if value.is_none() && !matches!(unk, J::Bool(true)) && !unk.is_object() && !unk.is_array() {
        return None;
    }
    let reason = plan.unknown_reason(&format!("{addr}.{name}"));
    let mut v = convert(value.unwrap_or(&J::Null), unk, &reason, span);
    v.push_via(inst.span);
    Some(v)
}

/// The whole instance as an object value.
pub fn instance_val(plan: &Plan, addr: &str, inst: &Instance, span: Span) -> Val {
    let reason = plan.unknown_reason(addr);
    let mut v = convert(&inst.values, &inst.unknown, &reason, span);
    v.push_via(inst.span);
    v
}

fn convert(j: &J, unk: &J, reason: &str, span: Span) -> Val {
    if matches!(unk, J::Bool(true)) {
        return Val::unknown(reason, span);
    }
    let v = match j {
        J::Null => V::Null,
        J::Bool(b) => V::Bool(*b),
        J::Number(n) => V::Num(n.as_f64().unwrap_or(0.0)),
        J::String(s) => V::Str(s.clone()),
        J::Array(a) => {
            let mut items: Vec<Val> = a
                .iter()
                .enumerate()
                .map(|(i, x)| convert(x, unk.get(i).unwrap_or(&J::Null), reason, span))
                .collect();
            // Elements the plan adds but cannot name yet are only in `after_unknown`.
            if let J::Array(u) = unk {
                for x in u.iter().skip(a.len()) {
                    items.push(convert(&J::Null, x, reason, span));
                }
            }
            V::List(items)
        }
        J::Object(o) => {
            let mut m: std::collections::BTreeMap<String, Val> = o
                .iter()
                .map(|(k, x)| {
                    (
                        k.clone(),
                        convert(x, unk.get(k).unwrap_or(&J::Null), reason, span),
                    )
                })
                .collect();
            if let J::Object(u) = unk {
                for (k, x) in u {
                    if !m.contains_key(k) && matches!(x, J::Bool(true)) {
                        m.insert(k.clone(), Val::unknown(reason, span));
                    }
                }
            }
            V::Map(m)
        }
    };
    Val::new(v, span)
}
