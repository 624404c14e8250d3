//! ENIConfig manifests for custom networking (`kubernetes_manifest`, `kubectl_manifest`).

use super::core::*;
use crate::model::{Cluster, Value};
use crate::terraform::value::{InstRef, V};

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    /// ENIConfig objects written as `kubernetes_manifest` (custom networking): one per AZ,
    /// named after the zone, with the pod subnet in `spec.subnet`. They apply to every
    /// cluster of the module (the manifest does not name its cluster).
    pub(super) fn eni_configs(&self, clusters: &mut [(Option<InstRef>, Cluster)]) {
        let mut found = Vec::new();
        for i in self.instances("kubernetes_manifest") {
            let Some((v, attr)) = self.get(&i, &i.r.block.body, "manifest") else {
                continue;
            };
            let V::Map(m) = &v.v else { continue };
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
                    Some(sv) => match &sv.v {
                        V::Ref(inst, _) => match self.subnet_ids.get(inst) {
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
                    },
                    None => Value::unknown("the ENIConfig has no spec.subnet", attr),
                },
                _ => Value::unknown("the ENIConfig has no spec", attr),
            };
            found.push(crate::model::EniConfig {
                az,
                subnet,
                span: self.block_span(&i),
            });
        }
        if found.is_empty() {
            return;
        }
        for (_, c) in clusters.iter_mut() {
            c.cni.eni_configs.extend(found.iter().cloned());
        }
    }
}
