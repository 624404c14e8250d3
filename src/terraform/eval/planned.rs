//! Values of a plan or state document paired with the root (issue 18): what static reading
//! cannot know (data sources, computed attributes, root variables set outside the files) is
//! read from the document by full resource address, and a known value the document gives
//! differently is a note naming both (a stale plan, or an evaluation eks-lint got wrong).
//! Findings stay located in the HCL: the document's line joins the value's chain.

use super::core::*;
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::plan::{attr_val, instance_val, Index, Plan};
use crate::source::Span;
use crate::terraform::value::{same, to_json, InstKey, InstRef, Val, V};

fn index_of(k: &InstKey) -> Index {
    match k {
        InstKey::None => Index::None,
        InstKey::Int(i) => Index::Int(*i),
        InstKey::Str(s) => Index::Str(s.clone()),
    }
}

/// A value as messages show it (short: values can be large).
fn shown(v: &Val) -> String {
    let s = to_json(v).map_or_else(|| "(unknown)".into(), |j| j.to_string());
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

impl<'m, 'a> Evaluator<'m, 'a> {
    fn plan_doc(&self) -> Option<(&'m Plan, String)> {
        self.resolver.and_then(|r| r.plan())
    }

    /// `data.<ty>.<n>` as the document read it: one object, a list (count) or a map
    /// (for_each).
    pub(super) fn planned_data(&self, ty: &str, n: &str, span: Span) -> Option<Val> {
        let (plan, prefix) = self.plan_doc()?;
        let base = format!("{prefix}data.{ty}.{n}");
        let insts = plan.resources.get(&base)?;
        // A read the plan defers to apply (a change of action `read`, with `after_unknown`):
        // what it will read is not known, whatever of its arguments is.
        if insts.iter().any(|i| marks_unknown(&i.unknown)) {
            return Some(Val::unknown(plan.unknown_reason(&base), span));
        }
        let one = |i: &crate::plan::Instance| {
            let addr = format!("{base}{}", suffix(&i.index));
            instance_val(plan, &addr, i, span)
        };
        let v = match insts.first().map(|i| &i.index) {
            None => return None,
            Some(Index::None) => one(&insts[0]),
            Some(Index::Int(_)) => {
                let mut sorted: Vec<_> = insts.iter().collect();
                sorted.sort_by(|a, b| a.index.cmp(&b.index));
                Val::new(V::List(sorted.into_iter().map(one).collect()), span)
            }
            Some(Index::Str(_)) => Val::new(
                V::Map(
                    insts
                        .iter()
                        .filter_map(|i| match &i.index {
                            Index::Str(k) => Some((k.clone(), one(i))),
                            _ => None,
                        })
                        .collect(),
                ),
                span,
            ),
        };
        // Every read copies the document's value: it counts against the bytes budget.
        Some(match self.charge(&v) {
            Ok(()) => v,
            Err(e) => self.exhausted(e, span),
        })
    }

    /// Attribute `name` of local resource instance `inst` as the document has it.
    pub(super) fn planned_attr(
        &self,
        inst: &InstRef,
        res: usize,
        name: &str,
        span: Span,
    ) -> Option<Val> {
        let (plan, prefix) = self.plan_doc()?;
        let r = self.m.resources.get(res)?;
        let base = format!("{prefix}{}", r.address());
        let i = plan.instance(&base, &index_of(&inst.key))?;
        let addr = format!("{base}{}", inst.key.suffix());
        let v = attr_val(plan, &addr, i, name, span)?;
        Some(match self.charge(&v) {
            Ok(()) => v,
            Err(e) => self.exhausted(e, span),
        })
    }

    /// A written attribute `v` of `inst`: the document's value when `v` is unknown; a note
    /// when both are known and differ (the static value is kept: it is what the files say).
    pub(super) fn overlay_attr(&self, inst: &InstRef, res: usize, name: &str, v: Val) -> Val {
        let Some(p) = self.planned_attr(inst, res, name, v.span) else {
            return v;
        };
        if v.is_unknown() {
            return if p.is_unknown() { v } else { p };
        }
        let secret = self.planned_sensitive(inst, res, name);
        self.compare(
            &format!("{}.{name}", self.full_address(inst)),
            &v,
            &p,
            secret,
        );
        v
    }

    /// Whether the document marks attribute `name` of `inst` sensitive (wholly or in part).
    fn planned_sensitive(&self, inst: &InstRef, res: usize, name: &str) -> bool {
        let Some((plan, prefix)) = self.plan_doc() else {
            return false;
        };
        let Some(r) = self.m.resources.get(res) else {
            return false;
        };
        let base = format!("{prefix}{}", r.address());
        plan.instance(&base, &index_of(&inst.key))
            .and_then(|i| i.sensitive.get(name))
            .is_some_and(|s| s.to_string().contains("true"))
    }

    /// A root module variable: the document's value when the files give none (set in CI by
    /// `TF_VAR_` or `-var`); a note when both are known and differ.
    pub(super) fn overlay_var(&self, name: &str, v: Val) -> Val {
        let Some((plan, prefix)) = self.plan_doc() else {
            return v;
        };
        if !prefix.is_empty() {
            return v;
        }
        let Some((j, at)) = plan.variables.get(name) else {
            return v;
        };
        let mut p = crate::terraform::value::from_json(j, v.span);
        p.push_via(*at);
        if v.is_unknown() {
            return p;
        }
        // `sensitive = true` on the declaration: never printed.
        let secret = self.m.variables.get(name).is_some_and(|d| {
            d.block
                .body
                .get_attribute("sensitive")
                .is_some_and(|a| a.value.to_string().trim() == "true")
        });
        self.compare(&format!("var.{name}"), &v, &p, secret);
        v
    }

    fn full_address(&self, inst: &InstRef) -> String {
        let prefix = self.plan_doc().map(|x| x.1).unwrap_or_default();
        format!("{prefix}{}", self.address(inst))
    }

    /// Known in both, and different: say so once per address (both values named).
    fn compare(&self, what: &str, ours: &Val, theirs: &Val, secret: bool) {
        if contains_unknown(ours) || contains_unknown(theirs) || same(ours, theirs) {
            return;
        }
        // A plan writes numbers and strings as the provider's schema types them.
        if let (V::Num(a), V::Str(b)) | (V::Str(b), V::Num(a)) = (&ours.v, &theirs.v) {
            if b.parse::<f64>().ok() == Some(*a) {
                return;
            }
        }
        let Some((plan, _)) = self.plan_doc() else {
            return;
        };
        let key = format!("plan-disagrees/{what}");
        if !self.reported.borrow_mut().insert(key.clone()) {
            return;
        }
        let at = theirs.via.last().copied().unwrap_or(theirs.span);
        self.diags.borrow_mut().push(
            Diagnostic::new(
                Code::EKS901,
                Level::Note,
                ours.span,
                format!(
                    "`{what}` is {} here, but the {} `{}` has {}: the document is stale or eks-lint evaluated this differently; the checks use the value in the files",
                    if secret { "(sensitive)".into() } else { shown(ours) },
                    plan.kind.unwrap_or(crate::plan::DocKind::Plan).label(),
                    plan.display,
                    if secret { "another value".into() } else { shown(theirs) }
                ),
            )
            .with_label("differs from the plan")
            .with_key(key)
            .related(at, format!("the {}'s value", plan.kind.unwrap_or(crate::plan::DocKind::Plan).label())),
        );
    }
}

fn suffix(i: &Index) -> String {
    match i {
        Index::None => String::new(),
        Index::Int(n) => format!("[{n}]"),
        Index::Str(s) => format!("[{}]", serde_json::Value::String(s.clone())),
    }
}

/// Whether an `after_unknown` marks anything unknown.
fn marks_unknown(j: &serde_json::Value) -> bool {
    match j {
        serde_json::Value::Bool(b) => *b,
        serde_json::Value::Array(a) => a.iter().any(marks_unknown),
        serde_json::Value::Object(o) => o.values().any(marks_unknown),
        _ => false,
    }
}

fn contains_unknown(v: &Val) -> bool {
    match &v.v {
        V::Unknown(_) | V::Resource(_) | V::Ref(..) => true,
        V::List(l) => l.iter().any(contains_unknown),
        V::Map(m) => m.values().any(contains_unknown),
        _ => false,
    }
}
