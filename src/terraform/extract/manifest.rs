//! Karpenter NodePools and node classes written in Terraform (issue 15): `kubectl_manifest`
//! (`yaml_body`: a literal, `file()`, `templatefile()`, `yamlencode()`; one or more YAML
//! documents) and `kubernetes_manifest` (`manifest`, an object). Values the evaluator could
//! not know stay unknown in the model, with the evaluator's reason. `helm_release` values
//! that render NodePools are not read (no common chart layout was found in public repos); a
//! release of a NodePool chart is an EKS901 note (docs/karpenter.md).

use super::core::*;
use crate::karpenter::manifest::{self, Doc, Located, UNKNOWN_MARK};
use crate::karpenter::Found;
use crate::model::Cluster;
use crate::source::Span;
use crate::terraform::value::{InstRef, Val, V};
use serde_json::Value as J;

/// A value as JSON, unknown parts as marked strings (`manifest::UNKNOWN_MARK` + why).
fn to_json_marked(v: &Val) -> J {
    match &v.v {
        V::Null => J::Null,
        V::Bool(b) => J::Bool(*b),
        V::Num(n) if n.fract() == 0.0 && n.abs() < 9e15 => J::from(*n as i64),
        V::Num(n) => serde_json::Number::from_f64(*n).map_or(J::Null, J::Number),
        V::Str(s) => J::String(s.clone()),
        V::List(items) => J::Array(items.iter().map(to_json_marked).collect()),
        V::Map(m) => J::Object(
            m.iter()
                .map(|(k, x)| (k.clone(), to_json_marked(x)))
                .collect(),
        ),
        V::Unknown(u) => J::String(format!("{UNKNOWN_MARK}{}", u.reason)),
        V::Resource(_) | V::Ref(..) => {
            J::String(format!("{UNKNOWN_MARK}it is known only after apply"))
        }
    }
}

fn mentions(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// A NodePool source that is there but cannot be read (the coverage must say so).
fn unread(what: String, reason: String, span: Span, cluster: &Option<String>) -> Found {
    Found {
        doc: Doc::Unreadable { what, reason, span },
        cluster: cluster.clone(),
    }
}

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    /// The NodePool and node class documents of the module; those of a module with one
    /// cluster are tied to it.
    pub(super) fn node_pools(&self, clusters: &[(Option<InstRef>, Cluster)]) -> Vec<Found> {
        let cluster = match clusters {
            [(_, c)] => c.name.get().cloned(),
            _ => None,
        };
        let mut out: Vec<Found> = Vec::new();
        let mut docs: Vec<J> = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        for i in self.instances("kubectl_manifest") {
            let Some((v, span)) = self.get(&i, &i.r.block.body, "yaml_body") else {
                continue;
            };
            let Some(text) = str_of(&v) else {
                // Not known: if the expression reads like a NodePool or node class, the pool
                // is there but unread, which the coverage must say.
                let src = self.sources.get(span.file).slice(span).to_ascii_lowercase();
                if mentions(&src, &["nodepool", "nodeclass", "karpenter"]) {
                    out.push(unread(
                        format!("kubectl_manifest `{}`", i.r.name),
                        why(&v).reason,
                        span,
                        &cluster,
                    ));
                }
                continue;
            };
            // A bounded parse: the same loader and alias budget as YAML files.
            let max = self.ev.limits().max_yaml_aliases;
            let Ok(parsed) = crate::eksctl::yaml::parse(&text, max) else {
                continue;
            };
            for d in &parsed {
                docs.push(crate::karpenter::yaml::to_json(d));
                spans.push(span);
            }
        }
        // NodePool charts (younsl/charts `karpenter-nodepool`, aws-ia `karpenter-resources`, …)
        // each build pools from their own values layout with their own defaults: without the
        // chart's templates the pools are unknown, which the coverage must say.
        for i in self.instances("helm_release") {
            let Some((v, span)) = self.get(&i, &i.r.block.body, "chart") else {
                continue;
            };
            let Some(chart) = str_of(&v) else { continue };
            let c = chart.to_ascii_lowercase();
            if mentions(&c, &["nodepool", "node-pool", "karpenter-resources"]) {
                out.push(unread(
                    format!("helm_release `{}` (chart `{chart}`)", i.r.name),
                    "eks-lint does not render Helm charts, so the NodePools the chart builds from its values are unknown".into(),
                    span,
                    &cluster,
                ));
            }
        }
        for i in self.instances("kubernetes_manifest") {
            let Some((v, span)) = self.get(&i, &i.r.block.body, "manifest") else {
                continue;
            };
            docs.push(to_json_marked(&v));
            spans.push(span);
        }
        out.extend(
            docs.iter()
                .zip(spans)
                .filter_map(|(doc, span)| {
                    let at = move |_: &[&str]| span;
                    manifest::read(&Located { doc, span: &at })
                })
                .map(|doc| Found {
                    doc,
                    cluster: cluster.clone(),
                }),
        );
        out
    }
}
