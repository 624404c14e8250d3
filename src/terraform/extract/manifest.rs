//! Kubernetes manifests written in Terraform: `kubectl_manifest` (`yaml_body`: a literal,
//! `file()`, `templatefile()`, `yamlencode()`; one or more YAML documents) and
//! `kubernetes_manifest` (`manifest`, an object), read once into documents ([`Manifest`]) that
//! the Karpenter reader (NodePools, node classes) and the ENIConfig reader share. Values the
//! evaluator could not know stay unknown, with the evaluator's reason. `helm_release` values
//! that render NodePools are not read (no common chart layout was found in public repos); a
//! release of a NodePool chart is an EKS901 note (docs/karpenter.md).

use super::core::*;
use crate::karpenter::manifest::{self, Doc, Located, UNKNOWN_MARK};
use crate::karpenter::Found;
use crate::model::Cluster;
use crate::source::Span;
use crate::terraform::value::{InstRef, Val, V};
use hcl_edit::expr::Expression;
use serde_json::Value as J;

/// One document of a manifest resource.
pub(super) enum Manifest {
    /// The document as a value: `yamlencode({...})` and `manifest` keep references
    /// (`aws_subnet.pods.id`), parsed YAML text holds strings. `span` is the attribute,
    /// `block` the resource block.
    Doc { doc: Val, span: Span, block: Span },
    /// The body is not known (a template of unknown values, a data source): which resource
    /// (and its name), why, and the expression's text in lower case, to tell what it would
    /// hold.
    Unread {
        what: String,
        name: String,
        reason: String,
        span: Span,
        text: String,
    },
}

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

/// JSON (from YAML text) as a value: marked strings become unknown values again.
fn from_json_marked(j: &J, span: Span) -> Val {
    match j {
        J::String(s) => match s.strip_prefix(UNKNOWN_MARK) {
            Some(why) => Val::unknown(why, span),
            None => Val::str(s.clone(), span),
        },
        J::Array(a) => Val::new(
            V::List(a.iter().map(|x| from_json_marked(x, span)).collect()),
            span,
        ),
        J::Object(o) => Val::new(
            V::Map(
                o.iter()
                    .map(|(k, x)| (k.clone(), from_json_marked(x, span)))
                    .collect(),
            ),
            span,
        ),
        other => crate::terraform::value::from_json(other, span),
    }
}

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    /// What tells an unread manifest's kind: its expression in lower case
    /// (`templatefile("eniconfig.yaml", …)`).
    fn unread_text(&self, span: Span) -> String {
        self.sources.get(span.file).slice(span).to_ascii_lowercase()
    }

    /// Every document of the module's `kubectl_manifest` and `kubernetes_manifest` instances.
    pub(super) fn manifests(&self) -> Vec<Manifest> {
        let mut out = Vec::new();
        for i in self.instances("kubectl_manifest") {
            let Some(a) = i.r.block.body.get_attribute("yaml_body") else {
                continue;
            };
            let span = self.attr_span(&i, a);
            let block = self.block_span(&i);
            // `yamlencode({...})` is read as the object itself, so references and unknown
            // parts stay where they are instead of making the whole text unknown.
            if let Expression::FuncCall(f) = &a.value {
                if matches!(f.name.name.as_str(), "yamlencode" | "jsonencode") && f.args.len() == 1
                {
                    if let Some(arg) = f.args.iter().next() {
                        let pf = self.ev.m.files[i.r.file];
                        let sc = crate::terraform::eval::Scope::with_inst(pf, Some(&i.ctx));
                        let doc = self.ev.eval(arg, &sc);
                        out.push(match &doc.v {
                            V::Unknown(u) => Manifest::Unread {
                                what: format!("kubectl_manifest `{}`", i.r.name),
                                name: i.r.name.to_string(),
                                reason: u.reason.clone(),
                                span,
                                text: self.unread_text(span),
                            },
                            _ => Manifest::Doc { doc, span, block },
                        });
                        continue;
                    }
                }
            }
            let v = self.ev.instance_attr(&i.id, a);
            let Some(text) = str_of(&v) else {
                out.push(Manifest::Unread {
                    what: format!("kubectl_manifest `{}`", i.r.name),
                    name: i.r.name.to_string(),
                    reason: why(&v).reason,
                    span,
                    text: self.unread_text(span),
                });
                continue;
            };
            // A bounded parse: the same loader and alias budget as YAML files.
            let parsed = match crate::eksctl::yaml::parse(&text, self.ev.limits()) {
                Ok(p) => p,
                // Other manifests that do not parse are not ours to judge; a NodePool or
                // ENIConfig that does not is unchecked, which the readers must say.
                Err(e) => {
                    let kind = if crate::karpenter::yaml::looks_like_karpenter(&text) {
                        "karpenter"
                    } else if text.contains("ENIConfig") {
                        "eniconfig"
                    } else {
                        continue;
                    };
                    out.push(Manifest::Unread {
                        what: format!("kubectl_manifest `{}`", i.r.name),
                        name: i.r.name.to_string(),
                        reason: format!("its `yaml_body` is not valid YAML: {}", e.message),
                        span,
                        text: kind.to_string(),
                    });
                    continue;
                }
            };
            for d in &parsed {
                let j = crate::karpenter::yaml::to_json(d);
                out.push(Manifest::Doc {
                    doc: from_json_marked(&j, span),
                    span,
                    block,
                });
            }
        }
        for i in self.instances("kubernetes_manifest") {
            if let Some((doc, span)) = self.get(&i, &i.r.block.body, "manifest") {
                let block = self.block_span(&i);
                out.push(Manifest::Doc { doc, span, block });
            }
        }
        out
    }

    /// The NodePool and node class documents of the module; those of a module with one
    /// cluster are tied to it.
    pub(super) fn node_pools(
        &self,
        clusters: &[(Option<InstRef>, Cluster)],
        manifests: &[Manifest],
    ) -> Vec<Found> {
        let cluster = match clusters {
            [(_, c)] => c.name.get().cloned(),
            _ => None,
        };
        let found = |doc| Found {
            doc,
            cluster: cluster.clone(),
        };
        let mut out: Vec<Found> = Vec::new();
        for m in manifests {
            match m {
                Manifest::Unread {
                    what,
                    reason,
                    span,
                    text,
                    ..
                } => {
                    // If the expression reads like a NodePool or node class, the pool is
                    // there but unread, which the coverage must say.
                    if ["nodepool", "nodeclass", "karpenter"]
                        .iter()
                        .any(|w| text.contains(w))
                    {
                        out.push(found(Doc::Unreadable {
                            what: what.clone(),
                            reason: reason.clone(),
                            span: *span,
                        }));
                    }
                }
                Manifest::Doc { doc, span, .. } => {
                    let j = to_json_marked(doc);
                    let span = *span;
                    let at = move |_: &[&str]| span;
                    if let Some(d) = manifest::read(&Located { doc: &j, span: &at }) {
                        out.push(found(d));
                    }
                }
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
            if ["nodepool", "node-pool", "karpenter-resources"]
                .iter()
                .any(|w| c.contains(w))
            {
                out.push(found(Doc::Unreadable {
                    what: format!("helm_release `{}` (chart `{chart}`)", i.r.name),
                    reason: "eks-lint does not render Helm charts, so the NodePools the chart builds from its values are unknown".into(),
                    span,
                }));
            }
        }
        out
    }
}
