//! The VPC CNI settings: the `vpc-cni` `aws_eks_addon` (`configuration_values`) and the
//! `aws-vpc-cni` `helm_release` (`set` blocks and `values`).

use super::core::*;
use super::eniconfig::ChartEni;
use crate::model::{Cluster, CniConfig, Unknown};
use crate::source::Span;
use crate::terraform::value::to_str;
use crate::terraform::value::{InstRef, Val, V};
use hcl_edit::structure::Attribute;

/// Parse YAML (or JSON, a subset) into JSON for env extraction.
pub(crate) fn yaml_to_json(s: &str) -> Option<serde_json::Value> {
    use saphyr::{LoadableYamlNode, Scalar, Yaml};
    fn conv(y: &Yaml, d: u32) -> Option<serde_json::Value> {
        if d > 64 {
            return None;
        }
        Some(match y {
            Yaml::Value(Scalar::Null) => serde_json::Value::Null,
            Yaml::Value(Scalar::Boolean(b)) => serde_json::Value::Bool(*b),
            Yaml::Value(Scalar::Integer(i)) => serde_json::Value::from(*i),
            Yaml::Value(Scalar::FloatingPoint(f)) => serde_json::Value::from(f.into_inner()),
            Yaml::Value(Scalar::String(s)) => serde_json::Value::String(s.to_string()),
            Yaml::Representation(s, _, _) => serde_json::Value::String(s.to_string()),
            Yaml::Sequence(seq) => {
                serde_json::Value::Array(seq.iter().filter_map(|x| conv(x, d + 1)).collect())
            }
            Yaml::Mapping(m) => serde_json::Value::Object(
                m.iter()
                    .filter_map(|(k, v)| {
                        let k = match k {
                            Yaml::Value(Scalar::String(s)) => s.to_string(),
                            Yaml::Value(Scalar::Integer(i)) => i.to_string(),
                            Yaml::Value(Scalar::Boolean(b)) => b.to_string(),
                            _ => return None,
                        };
                        Some((k, conv(v, d + 1)?))
                    })
                    .collect(),
            ),
            _ => serde_json::Value::Null,
        })
    }
    let docs = Yaml::load_from_str(s).ok()?;
    conv(docs.first()?, 0)
}

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    pub(super) fn addons(&self, clusters: &mut Vec<(Option<InstRef>, Cluster)>) {
        for i in self.instances("aws_eks_addon") {
            let body = &i.r.block.body;
            let is_cni = self
                .get(&i, body, "addon_name")
                .and_then(|(v, _)| str_of(&v))
                .is_some_and(|n| n == "vpc-cni");
            if !is_cni {
                continue;
            }
            let span = self.block_span(&i);
            let c = self.attach(clusters, &i, self.get(&i, body, "cluster_name"), span);
            let cni = &mut clusters[c].1.cni;
            cni.span = Some(span);
            if let Some(a) = body.get_attribute("configuration_values") {
                self.config_values(&i, a, cni);
            }
        }
    }

    /// `configuration_values`: `jsonencode({...})` is read element by element (spans at each
    /// value); a JSON string is parsed and its keys located in the source text.
    pub(super) fn config_values(&self, i: &Inst, a: &Attribute, cni: &mut CniConfig) {
        let attr = self.attr_span(i, a);
        if let hcl_edit::expr::Expression::FuncCall(f) = &a.value {
            if matches!(f.name.name.as_str(), "jsonencode" | "yamlencode") {
                if let Some(arg) = f.args.iter().next() {
                    let pf = self.ev.m.files[i.r.file];
                    let sc = crate::terraform::eval::Scope::with_inst(pf, Some(&i.ctx));
                    let v = self.ev.eval(arg, &sc);
                    self.env_from_val(&v, attr, cni);
                    return;
                }
            }
        }
        let v = self.ev.instance_attr(&i.id, a);
        match &v.v {
            V::Str(s) => match serde_json::from_str::<serde_json::Value>(s)
                .ok()
                .or_else(|| yaml_to_json(s))
            {
                Some(j) => {
                    let val = crate::terraform::value::from_json(&j, v.span);
                    self.env_from_located(&val, attr, cni);
                }
                None => {
                    cni.unknown = Some(Unknown {
                        reason: "`configuration_values` is neither JSON nor YAML".into(),
                        span: attr,
                    })
                }
            },
            V::Null => {}
            _ => {
                let (reason, s) = v
                    .first_unknown()
                    .map(|(u, s)| (u.reason.clone(), s))
                    .unwrap_or(("`configuration_values` is not a string".into(), attr));
                cni.unknown = Some(Unknown { reason, span: s });
            }
        }
    }

    /// `{env = {NAME = value}}` with per-value spans.
    pub(super) fn env_from_val(&self, v: &Val, attr: Span, cni: &mut CniConfig) {
        if let Some((u, s)) = v.first_unknown() {
            // Only the env part matters; an unknown elsewhere does not hide known settings.
            if !matches!(&v.v, V::Map(m) if m.get("env").is_some_and(|e| e.first_unknown().is_none()))
            {
                cni.unknown = Some(Unknown {
                    reason: u.reason.clone(),
                    span: s,
                });
                return;
            }
        }
        let V::Map(m) = &v.v else { return };
        let Some(Val { v: V::Map(env), .. }) = m.get("env") else {
            return;
        };
        for (k, x) in env {
            if let Ok(s) = to_str(x) {
                let mut o = self.origin(x, x.span);
                o.span = x.span;
                if o.span == Span::default() {
                    o.span = attr;
                }
                cni.set(k.clone(), s, o);
            }
        }
    }

    /// Env values parsed from a string: spans are found by searching the key in the
    /// attribute's source text (best effort), else the attribute.
    pub(crate) fn env_from_located(&self, v: &Val, attr: Span, cni: &mut CniConfig) {
        let V::Map(m) = &v.v else { return };
        let Some(Val { v: V::Map(env), .. }) = m.get("env") else {
            return;
        };
        let text = self.sources.get(attr.file).slice(attr);
        for (k, x) in env {
            if let Ok(s) = to_str(x) {
                let span = match text.find(k.as_str()) {
                    Some(p) => {
                        let line_end = text[p..].find('\n').map_or(text.len(), |e| p + e);
                        Span::new(
                            attr.file,
                            attr.start as usize + p,
                            attr.start as usize + line_end,
                        )
                    }
                    None => attr,
                };
                let mut o = self.origin(x, attr);
                o.span = span;
                if x.span != attr && !o.via.contains(&x.span) && x.span != Span::default() {
                    o.via.push(x.span);
                }
                o.via.retain(|s| *s != span);
                cni.set(k.clone(), s, o);
            }
        }
    }

    pub(super) fn helm(&self, clusters: &mut [(Option<InstRef>, Cluster)]) {
        for i in self.instances("helm_release") {
            let body = &i.r.block.body;
            let chart = self.get(&i, body, "chart").and_then(|(v, _)| str_of(&v));
            if !chart.is_some_and(|c| c.ends_with("aws-vpc-cni")) {
                continue;
            }
            let span = self.block_span(&i);
            let mut cni = CniConfig {
                span: Some(span),
                ..CniConfig::default()
            };
            let mut eni = ChartEni::default();
            // `values = [yamlencode({...}) | file(...) | heredoc]`, applied in order.
            if let Some(a) = body.get_attribute("values") {
                let attr = self.attr_span(&i, a);
                let mut handled = false;
                if let hcl_edit::expr::Expression::Array(arr) = &a.value {
                    let pf = self.ev.m.files[i.r.file];
                    let sc = crate::terraform::eval::Scope::with_inst(pf, Some(&i.ctx));
                    for e in arr.iter() {
                        if let hcl_edit::expr::Expression::FuncCall(f) = e {
                            if matches!(f.name.name.as_str(), "yamlencode" | "jsonencode") {
                                if let Some(arg) = f.args.iter().next() {
                                    let v = self.ev.eval(arg, &sc);
                                    self.env_from_val(&v, attr, &mut cni);
                                    eni.merge(&v);
                                    continue;
                                }
                            }
                        }
                        let v = self.ev.eval(e, &sc);
                        self.helm_values_str(&v, attr, &mut cni, &mut eni);
                    }
                    handled = true;
                }
                if !handled {
                    let v = self.ev.instance_attr(&i.id, a);
                    match &v.v {
                        V::List(items) => {
                            for x in items {
                                self.helm_values_str(x, attr, &mut cni, &mut eni);
                            }
                        }
                        _ => self.helm_values_str(&v, attr, &mut cni, &mut eni),
                    }
                }
            }
            // `set { name = "env.X" value = ... }` blocks override values.
            let sets = match self.ev.blocks(&i.id, &i.root(), "set") {
                Ok(sets) => sets,
                Err(u) => {
                    cni.unknown.get_or_insert_with(|| why(&u));
                    Vec::new()
                }
            };
            for s in sets {
                let get = |n| self.ev.block_attr(&i.id, &s, n);
                let Some(name) = get("name").and_then(|(v, _)| str_of(&v)) else {
                    continue;
                };
                if let Some((v, _)) = get("value").filter(|_| name.starts_with("eniConfig.")) {
                    eni.set(&name, v);
                    continue;
                }
                let Some(env) = name.strip_prefix("env.") else {
                    continue;
                };
                let Some((v, attr)) = get("value") else {
                    continue;
                };
                let block = self.ev.m.span_of(i.r.file, s.written);
                match to_str(&v) {
                    Ok(x) => {
                        let mut o = self.origin(&v, attr);
                        o.via.retain(|s| *s != block);
                        cni.set(env.to_string(), x, o);
                    }
                    Err(u) => {
                        let (reason, sp) = u
                            .first_unknown()
                            .map(|(u, s)| (u.reason.clone(), s))
                            .unwrap_or(("the value is not a string".into(), attr));
                        cni.unknown = Some(Unknown { reason, span: sp });
                    }
                }
            }
            cni.eni_configs = self.chart_eni_configs(&eni, span);
            for (_, c) in clusters.iter_mut() {
                let mut merged = c.cni.clone();
                merged.eni_configs.extend(cni.eni_configs.iter().cloned());
                merged.env.extend(cni.env.clone());
                merged.span = merged.span.or(cni.span);
                if merged.unknown.is_none() {
                    merged.unknown = cni.unknown.clone();
                }
                c.cni = merged;
            }
        }
    }

    pub(super) fn helm_values_str(
        &self,
        v: &Val,
        attr: Span,
        cni: &mut CniConfig,
        eni: &mut ChartEni,
    ) {
        match &v.v {
            V::Str(s) => {
                if let Some(j) = yaml_to_json(s) {
                    let val = crate::terraform::value::from_json(&j, v.span);
                    self.env_from_located(&val, attr, cni);
                    eni.merge(&val);
                }
            }
            _ => {
                if let Some((u, s)) = v.first_unknown() {
                    cni.unknown = Some(Unknown {
                        reason: u.reason.clone(),
                        span: s,
                    });
                }
            }
        }
    }
}
