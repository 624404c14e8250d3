//! The plan over the model: subnets that no HCL resource defines (the terraform-aws-modules
//! `vpc` model builds them from the module's inputs) are matched to the document's instances
//! by address (`module.vpc.aws_subnet.private[0]`); an unknown CIDR or zone takes the
//! document's value, and a known one that differs is a note naming both. Subnets of HCL
//! resources got the same treatment in the evaluator; those notes are not repeated.

use super::types::{Index, Plan};
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::model::{Cidr, Cluster, Origin, Value};
use serde_json::Value as J;
use std::collections::HashSet;

/// `module.vpc.aws_subnet.private[0]` → (`module.vpc.aws_subnet.private`, 0).
fn split(addr: &str) -> (&str, Index) {
    if let Some(open) = addr.strip_suffix("\"]").and_then(|a| a.rfind("[\"")) {
        let key = &addr[open + 1..addr.len() - 1];
        if let Ok(k) = serde_json::from_str::<String>(key) {
            return (&addr[..open], Index::Str(k));
        }
    }
    if let Some(open) = addr.strip_suffix(']').and_then(|a| a.rfind('[')) {
        if let Ok(n) = addr[open + 1..addr.len() - 1].parse::<usize>() {
            return (&addr[..open], Index::Int(n));
        }
    }
    (addr, Index::None)
}

/// What a root's document adds to its model: the clusters of called modules eks-lint could
/// not read (`unread`: remote sources never downloaded, `Unread`: its address, source and span), modelled
/// from the document's instances under their addresses ([`super::model`]); then the subnets
/// filled and compared.
pub fn apply(
    out: &mut crate::frontend::Loaded,
    plan: Option<&Plan>,
    unread: &[crate::terraform::root::Unread],
) {
    let Some(plan) = plan else { return };
    if !unread.is_empty() {
        let under = |addr: &str| {
            unread.iter().any(|u| {
                let m = &u.addr;
                addr.strip_prefix(m.as_str())
                    .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
            })
        };
        out.extend(super::model::load_where(plan, &under));
    }
    let said = out.diagnostics.iter().map(|d| d.key.clone()).collect();
    let notes = subnets(&mut out.clusters, plan, &said);
    out.diagnostics.extend(notes);
}

/// Fill and compare the clusters' subnets; `known` are the keys of notes already made.
pub fn subnets(clusters: &mut [Cluster], plan: &Plan, known: &HashSet<String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut said: HashSet<String> = known.clone();
    for s in clusters.iter_mut().flat_map(|c| c.subnets.iter_mut()) {
        let (base, index) = split(&s.name);
        let Some(i) = plan.instance(base, &index) else {
            continue;
        };
        for attr in ["cidr_block", "availability_zone"] {
            let what = format!("{}.{attr}", s.name);
            let planned = i.values.get(attr).and_then(J::as_str);
            let secret = i.sensitive.get(attr) == Some(&J::Bool(true));
            let ours: Option<String> = match attr {
                "cidr_block" => s.cidr.get().map(|c| c.text.clone()),
                _ => s.az.get().cloned(),
            };
            match (ours, planned) {
                (None, Some(p)) => {
                    let span = s.cidr.span().or(s.az.span()).unwrap_or(s.span);
                    let origin = Origin {
                        span,
                        via: vec![i.span],
                        defaulted: false,
                    };
                    match attr {
                        "cidr_block" => s.cidr = Value::Known(Cidr::parse(p), origin),
                        _ => s.az = Value::Known(p.to_string(), origin),
                    }
                }
                (Some(o), Some(p)) if o != p => {
                    let key = format!("plan-disagrees/{what}");
                    if !said.insert(key.clone()) {
                        continue;
                    }
                    let (o, p) = if secret {
                        ("(sensitive)".to_string(), "another value".to_string())
                    } else {
                        (format!("{o:?}"), format!("{p:?}"))
                    };
                    let at = match attr {
                        "cidr_block" => s.cidr.span(),
                        _ => s.az.span(),
                    };
                    out.push(
                        Diagnostic::new(
                            Code::EKS901,
                            Level::Note,
                            at.unwrap_or(s.span),
                            format!(
                                "`{what}` is {o} here, but the {} `{}` has {p}: the document is stale or eks-lint evaluated this differently; the checks use the value in the files",
                                plan.kind.unwrap_or(super::types::DocKind::Plan).label(),
                                plan.display
                            ),
                        )
                        .with_label("differs from the plan")
                        .with_key(key)
                        .related(i.span, format!("the {}'s value", plan.kind.unwrap_or(super::types::DocKind::Plan).label())),
                    );
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_split_into_resource_and_key() {
        assert_eq!(split("a.b[0]"), ("a.b", Index::Int(0)));
        assert_eq!(
            split("module.m[\"x\"].a.b[\"k]\"]"),
            ("module.m[\"x\"].a.b", Index::Str("k]".into()))
        );
        assert_eq!(split("a.b"), ("a.b", Index::None));
    }
}
