//! Signs of a CNI other than the VPC CNI (issue 14 item 9): Calico and Cilium `helm_release`s
//! with the values that decide whether pods take VPC addresses, `local-exec` commands that
//! delete or patch the `aws-node` DaemonSet, and `bootstrap_self_managed_addons = false`.
//!
//! Sources: Cilium's IPAM modes (docs.cilium.io "IP Address Management": cluster scope is the
//! default; `ipam.mode`, `eni.enabled`, `cni.chainingMode` are its Helm values), the Tigera
//! operator's default CNI (tigera/operator `pkg/controller/installation/core_controller.go` at
//! 40788b9b6bef9d94e77b2e0d7a5eed7e17e2364c: `AmazonVPC` when the provider is EKS and
//! `installation.cni.type` is empty), and the EKS API's `bootstrapSelfManagedAddons`
//! (CreateCluster: false installs no default networking add-ons).

use super::addon::yaml_to_json;
use super::core::*;
use crate::model::{Cluster, CniPluginEvidence, CniPluginKind};
use crate::source::Span;
use crate::terraform::value::{from_json, InstRef, Val, V};

/// Which overlay a chart installs, by the chart's name (after any repository path).
fn chart_kind(chart: &str) -> Option<&'static str> {
    match chart.rsplit('/').next()? {
        "cilium" => Some("Cilium"),
        "tigera-operator" | "calico" => Some("Calico"),
        _ => None,
    }
}

/// A dotted Helm key (`ipam.mode`) in evaluated values.
fn lookup<'v>(v: &'v Val, key: &str) -> Option<&'v Val> {
    let mut cur = v;
    for part in key.split('.') {
        let V::Map(m) = &cur.v else { return None };
        cur = m.get(part)?;
    }
    Some(cur)
}

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    pub(super) fn overlays(&self, clusters: &mut [(Option<InstRef>, Cluster)]) {
        let mut found: Vec<CniPluginEvidence> = Vec::new();
        for i in self.instances("helm_release") {
            let body = &i.r.block.body;
            let Some(chart) = self.get(&i, body, "chart").and_then(|(v, _)| str_of(&v)) else {
                continue;
            };
            let Some(plugin) = chart_kind(&chart) else {
                continue;
            };
            let values = self.release_values(&i);
            let get = |key: &str| -> Option<String> {
                values
                    .iter()
                    .rev()
                    .find_map(|(k, v)| (k == key).then(|| v.clone()))
            };
            let name = format!("helm_release `{}`", i.r.name);
            let (kind, why) = if plugin == "Cilium" {
                let chaining = get("cni.chainingMode");
                let eni = get("eni.enabled").is_some_and(|v| v == "true")
                    || get("ipam.mode").is_some_and(|v| v == "eni");
                if chaining.as_deref().is_some_and(|c| c == "aws-cni") {
                    (
                        CniPluginKind::Chained,
                        "cni.chainingMode=aws-cni".to_string(),
                    )
                } else if eni {
                    (CniPluginKind::CiliumEni, "ENI IPAM mode".to_string())
                } else {
                    let mode = get("ipam.mode").unwrap_or_else(|| "cluster-pool".to_string());
                    (CniPluginKind::CiliumOverlay, format!("ipam.mode={mode}"))
                }
            } else {
                match get("installation.cni.type").as_deref() {
                    Some("Calico") => (
                        CniPluginKind::CalicoOverlay,
                        "installation.cni.type=Calico".to_string(),
                    ),
                    Some(t) => (CniPluginKind::Chained, format!("installation.cni.type={t}")),
                    None => (
                        CniPluginKind::Chained,
                        "no installation.cni.type: the operator uses the VPC CNI on EKS"
                            .to_string(),
                    ),
                }
            };
            found.push(CniPluginEvidence {
                kind,
                what: format!("{name} (chart {chart}, {why})"),
                span: self.block_span(&i),
            });
        }
        for ty in ["null_resource", "terraform_data"] {
            for i in self.instances(ty) {
                // Unknown provisioner blocks show no command: no evidence either way.
                let provisioners = self.ev.blocks(&i.id, &i.root(), "provisioner");
                for p in provisioners.unwrap_or_default() {
                    let cmd = self.ev.block_attr(&i.id, &p, "command");
                    let Some(cmd) = cmd.and_then(|(v, _)| str_of(&v)) else {
                        continue;
                    };
                    let c = cmd.to_ascii_lowercase();
                    let removes = c.contains("aws-node")
                        && (c.contains("delete")
                            || (c.contains("patch") && c.contains("nodeselector")));
                    if removes {
                        found.push(CniPluginEvidence {
                            kind: CniPluginKind::AwsNodeRemoved,
                            what: format!(
                                "{ty} `{}` deletes or patches the aws-node DaemonSet",
                                i.r.name
                            ),
                            span: self.block_span(&i),
                        });
                    }
                }
            }
        }
        for i in self.instances("aws_eks_cluster") {
            let off = self
                .get(&i, &i.r.block.body, "bootstrap_self_managed_addons")
                .filter(|(v, _)| {
                    matches!(v.v, V::Bool(false)) || str_of(v).as_deref() == Some("false")
                });
            if let Some((_, span)) = off {
                if let Some((_, c)) = clusters
                    .iter_mut()
                    .find(|(id, _)| id.as_ref() == Some(&i.id))
                {
                    c.cni.plugins.push(no_default_addons(
                        format!(
                            "aws_eks_cluster `{}` sets bootstrap_self_managed_addons = false",
                            i.r.name
                        ),
                        span,
                    ));
                }
            }
        }
        // Like the aws-vpc-cni release, these install into whichever cluster the provider
        // points at: every cluster of the module.
        for (_, c) in clusters.iter_mut() {
            c.cni.plugins.extend(found.iter().cloned());
        }
    }

    /// A release's values as dotted keys with string values, in the order Helm applies them:
    /// `values` documents first, then `set` blocks.
    fn release_values(&self, i: &Inst) -> Vec<(String, String)> {
        const KEYS: [&str; 4] = [
            "cni.chainingMode",
            "ipam.mode",
            "eni.enabled",
            "installation.cni.type",
        ];
        let mut out = Vec::new();
        let body = &i.r.block.body;
        if let Some(a) = body.get_attribute("values") {
            let v = self.ev.instance_attr(&i.id, a);
            let docs: Vec<Val> = match v.v {
                V::List(items) => items,
                _ => vec![v],
            };
            for d in docs {
                let tree = match &d.v {
                    V::Str(s) => yaml_to_json(s).map(|j| from_json(&j, d.span)),
                    V::Map(_) => Some(d.clone()),
                    _ => None,
                };
                let Some(tree) = tree else { continue };
                for k in KEYS {
                    if let Some(x) = lookup(&tree, k).and_then(str_of) {
                        out.push((k.to_string(), x));
                    }
                }
            }
        }
        // Unknown `set` blocks add no settings; the `values` documents still decide.
        for s in self.ev.blocks(&i.id, &i.root(), "set").unwrap_or_default() {
            let name = self
                .ev
                .block_attr(&i.id, &s, "name")
                .and_then(|(v, _)| str_of(&v));
            let value = self
                .ev
                .block_attr(&i.id, &s, "value")
                .and_then(|(v, _)| str_of(&v));
            if let (Some(n), Some(v)) = (name, value) {
                if KEYS.contains(&n.as_str()) {
                    out.push((n, v));
                }
            }
        }
        out
    }
}

pub(crate) fn no_default_addons(what: String, span: Span) -> CniPluginEvidence {
    CniPluginEvidence {
        kind: CniPluginKind::NoDefaultAddons,
        what,
        span,
    }
}
