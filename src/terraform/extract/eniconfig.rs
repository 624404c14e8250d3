//! ENIConfigs for custom networking, wherever a module writes them: manifests
//! (`kubernetes_manifest`, `kubectl_manifest`, read once by `manifest.rs`) and the aws-vpc-cni
//! Helm chart's `eniConfig` values (read by `addon.rs` with the chart's other values).
//!
//! The chart (aws/amazon-vpc-cni-k8s `charts/aws-vpc-cni`, commit
//! b52188387f2e2f10bf289ace929d6a63b176a4fa): `values.yaml` has `eniConfig.create: false` and
//! `eniConfig.subnets` keyed by zone; `templates/eniconfig.yaml` renders, when `create` is true,
//! one ENIConfig per key, named after the key, with `spec.subnet: {{ $value.id }}`.

use super::core::*;
use super::manifest::Manifest;
use crate::model::{EniConfig, SubnetId, Value};
use crate::source::Span;
use crate::terraform::value::{Val, V};
use std::collections::BTreeMap;

/// The chart's `eniConfig` values as merged so far (later values files and `set` blocks
/// override earlier ones, as Helm merges them).
#[derive(Default)]
pub(super) struct ChartEni {
    pub(super) create: Option<Val>,
    /// Zone (ENIConfig name) → the `id` value.
    pub(super) subnets: BTreeMap<String, Val>,
    /// `eniConfig.subnets` as a whole is unknown.
    pub(super) unknown: Option<Val>,
}

impl ChartEni {
    /// `eniConfig` of one values document.
    pub(super) fn merge(&mut self, values: &Val) {
        let V::Map(m) = &values.v else { return };
        let Some(e) = m.get("eniConfig") else { return };
        let V::Map(e) = &e.v else {
            self.unknown = Some(e.clone());
            return;
        };
        if let Some(c) = e.get("create") {
            self.create = Some(c.clone());
        }
        match e.get("subnets").map(|s| (s, &s.v)) {
            Some((_, V::Map(zones))) => {
                for (az, z) in zones {
                    match &z.v {
                        V::Map(z) => {
                            if let Some(id) = z.get("id") {
                                self.subnets.insert(az.clone(), id.clone());
                            }
                        }
                        _ => {
                            self.subnets.insert(az.clone(), z.clone());
                        }
                    }
                }
            }
            Some((s, V::Unknown(_))) => self.unknown = Some(s.clone()),
            _ => {}
        }
    }

    /// A `set` block: `eniConfig.create` or `eniConfig.subnets.<zone>.id` (Helm's `--set`
    /// path, with `\.` for a dot inside a key).
    pub(super) fn set(&mut self, name: &str, value: Val) -> bool {
        let Some(rest) = name.strip_prefix("eniConfig.") else {
            return false;
        };
        if rest == "create" {
            self.create = Some(value);
            return true;
        }
        if let Some(zone) = rest
            .strip_prefix("subnets.")
            .and_then(|z| z.strip_suffix(".id"))
        {
            self.subnets.insert(zone.replace("\\.", "."), value);
        }
        true
    }
}

/// Whether the chart creates its ENIConfigs: `create` as a bool or as the string Helm's
/// `--set` parses to one. Absent is the chart's default, false.
fn creates(v: Option<&Val>) -> Result<bool, &Val> {
    match v.map(|v| (v, &v.v)) {
        None | Some((_, V::Null)) => Ok(false),
        Some((_, V::Bool(b))) => Ok(*b),
        Some((_, V::Str(s))) if s == "true" || s == "false" => Ok(s == "true"),
        Some((v, _)) => Err(v),
    }
}

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    /// The pod subnet an ENIConfig names: a subnet of this module by reference, else unknown
    /// with why.
    fn pod_subnet(&self, sv: &Val, attr: Span) -> Value<SubnetId> {
        match &sv.v {
            V::Ref(inst, _) | V::Resource(inst) => match self.subnet_ids.get(inst) {
                Some(id) => Value::Known(*id, self.origin(sv, attr)),
                None => Value::unknown(
                    format!(
                        "`{}` is not an `aws_subnet` of this module",
                        self.ev.address(inst)
                    ),
                    sv.span,
                ),
            },
            V::Unknown(u) => Value::unknown(u.reason.clone(), sv.span),
            _ => Value::unknown(
                "the pod subnet is given by id; its CIDR is not in the configuration",
                sv.span,
            ),
        }
    }

    /// ENIConfig documents among the module's manifests (custom networking): one per AZ,
    /// named after the zone, with the pod subnet in `spec.subnet`. A manifest whose body is
    /// unknown but reads like an ENIConfig is one of unknown zone and subnet, so no zone is
    /// reported as missing one.
    pub(super) fn manifest_eni_configs(&self, manifests: &[Manifest]) -> Vec<EniConfig> {
        let mut found = Vec::new();
        for m in manifests {
            let (doc, attr, block) = match m {
                Manifest::Doc { doc, span, block } => (doc, *span, *block),
                Manifest::Unread {
                    reason,
                    span,
                    text,
                    name,
                    ..
                } => {
                    // Named in the expression (a template file) or by the resource.
                    if text.contains("eniconfig") || name.to_ascii_lowercase().contains("eniconfig")
                    {
                        found.push(EniConfig {
                            az: Value::unknown(reason.clone(), *span),
                            subnet: Value::unknown(reason.clone(), *span),
                            span: *span,
                        });
                    }
                    continue;
                }
            };
            let V::Map(m) = &doc.v else { continue };
            if m.get("kind").and_then(str_of).as_deref() != Some("ENIConfig") {
                continue;
            }
            let az = match m.get("metadata").map(|x| &x.v) {
                Some(V::Map(md)) => match md.get("name") {
                    Some(n) => self.to_value(n, attr, str_of),
                    None => Value::unknown("the ENIConfig has no name", attr),
                },
                _ => Value::unknown("the ENIConfig has no metadata", attr),
            };
            let subnet = match m.get("spec").map(|x| &x.v) {
                Some(V::Map(spec)) => match spec.get("subnet") {
                    Some(sv) => self.pod_subnet(sv, attr),
                    None => Value::unknown("the ENIConfig has no spec.subnet", attr),
                },
                _ => Value::unknown("the ENIConfig has no spec", attr),
            };
            found.push(EniConfig {
                az,
                subnet,
                span: block,
            });
        }
        found
    }

    /// The ENIConfigs the aws-vpc-cni chart renders from its merged `eniConfig` values.
    pub(super) fn chart_eni_configs(&self, e: &ChartEni, span: Span) -> Vec<EniConfig> {
        let unknown = |why: &Val| {
            let u = why_unknown(why);
            vec![EniConfig {
                az: Value::unknown(u.reason.clone(), u.span),
                subnet: Value::unknown(u.reason, u.span),
                span,
            }]
        };
        match creates(e.create.as_ref()) {
            Ok(false) => return Vec::new(),
            Ok(true) => {}
            Err(v) => return unknown(v),
        }
        if let Some(v) = &e.unknown {
            return unknown(v);
        }
        e.subnets
            .iter()
            .map(|(az, id)| EniConfig {
                az: Value::known(az.clone(), id.span),
                subnet: self.pod_subnet(id, id.span),
                span,
            })
            .collect()
    }
}

/// Why a value is not what the chart reader needs.
fn why_unknown(v: &Val) -> crate::model::Unknown {
    match v.first_unknown() {
        Some(_) => why(v),
        None => crate::model::Unknown {
            reason: format!("`eniConfig.create` is a {}, not a boolean", v.type_name()),
            span: v.span,
        },
    }
}
