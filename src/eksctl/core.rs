//! Loading one YAML file, and the [`Extractor`] of one ClusterConfig: its field readers and
//! the cluster as a whole (the parts are in the sibling files).

use super::yaml::{self, Node};
use crate::diag::{Diagnostic, Level};
use crate::frontend::Loaded;
use crate::model::{Cidr, Cluster, IpFamily, NodeGroupKind, Origin, SourceKind, SubnetId, Value};
use crate::source::{FileId, SourceFile, Span};

/// Whether the text plausibly is an eksctl config: only such files get EKS903 for YAML syntax
/// errors (a broken Helm template elsewhere in the repository is not our business).
fn looks_like_cluster_config(text: &str) -> bool {
    text.contains("eksctl.io/") && text.contains("ClusterConfig")
}

/// Parse one YAML file; non-ClusterConfig documents are skipped silently.
pub fn load(id: FileId, file: &SourceFile, limits: &crate::limits::Limits) -> Loaded {
    let _crumb = crate::breadcrumb::enter(&file.display);
    let mut out = Loaded::default();
    let text: &str = &file.text;
    if !looks_like_cluster_config(text) {
        return out;
    }
    let docs = match yaml::parse(text, limits) {
        Ok(d) => d,
        Err(e) => {
            out.diagnostics.push(Diagnostic::new(
                crate::code::Code::EKS903,
                Level::Error,
                Span::new(id, e.offset, e.offset),
                format!("`{}` is not valid YAML: {}", file.display, e.message),
            ));
            return out;
        }
    };
    for doc in &docs {
        let is_eksctl = doc
            .get("apiVersion")
            .and_then(Node::scalar)
            .is_some_and(|v| v.starts_with("eksctl.io/"));
        let is_cluster = doc.get("kind").and_then(Node::scalar) == Some("ClusterConfig");
        if is_eksctl && is_cluster {
            let mut x = Extractor {
                id,
                text,
                diags: &mut out.diagnostics,
                subnet_ids: Vec::new(),
                local_zone_subnets: Vec::new(),
                chosen_zones: None,
                cluster_name: doc
                    .get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(Node::scalar)
                    .unwrap_or("(unnamed cluster)")
                    .to_string(),
            };
            out.clusters.push(x.cluster(doc, limits));
        }
    }
    out
}

impl Extractor<'_> {
    /// `autoModeConfig` (eksctl docs, "EKS Auto Mode"): `enabled` defaults to false,
    /// `nodePools` to `[general-purpose, system]`.
    fn auto_mode(&self, a: &Node) -> crate::model::AutoMode {
        let span = self.span(a);
        let enabled = match a.get("enabled") {
            Some(v) => match v.as_bool() {
                Some(b) => Value::known(b, self.span(v)),
                None => Value::unknown("`autoModeConfig.enabled` is not a boolean", self.span(v)),
            },
            None => Value::known(false, span),
        };
        let node_pools = match a.get("nodePools") {
            Some(v) => match v.seq() {
                Some(items) => Value::known(
                    items
                        .iter()
                        .filter_map(|x| x.scalar().map(str::to_string))
                        .collect(),
                    self.span(v),
                ),
                None => Value::unknown("`autoModeConfig.nodePools` is not a list", self.span(v)),
            },
            None => Value::known(
                vec!["general-purpose".to_string(), "system".to_string()],
                span,
            ),
        };
        crate::model::AutoMode {
            span,
            enabled,
            node_pools,
        }
    }
}

pub(super) struct Extractor<'a> {
    pub(super) id: FileId,
    pub(super) text: &'a str,
    pub(super) diags: &'a mut Vec<Diagnostic>,
    /// The `id` written for each subnet of the cluster being extracted (parallel to
    /// `Cluster::subnets`); node groups may select subnets by id.
    pub(super) subnet_ids: Vec<Option<String>>,
    /// The subnets eksctl carves in `localZones`: only node groups with `localZones` use them,
    /// never the control plane (`SetSubnets`, `SelectNodeGroupSubnets` in pkg/vpc/vpc.go).
    pub(super) local_zone_subnets: Vec<SubnetId>,
    /// When eksctl chooses the cluster's zones at create time: how many.
    pub(super) chosen_zones: Option<usize>,
    /// For messages.
    pub(super) cluster_name: String,
}

impl Extractor<'_> {
    pub(super) fn span(&self, n: &Node) -> Span {
        Span::new(self.id, n.start, n.end)
    }

    /// The span of `key: value` (from key start to value end) — what a finding should underline.
    pub(super) fn entry_span(&self, map: &Node, key: &str) -> Option<Span> {
        map.entry(key)
            .map(|(k, v)| Span::new(self.id, k.start, v.end.max(k.end)))
    }

    pub(super) fn string(&self, map: &Node, key: &str) -> Value<String> {
        match map.get(key) {
            Some(v) => match v.scalar() {
                Some(s) => Value::known(s.to_string(), self.span(v)),
                None => Value::Absent,
            },
            None => Value::Absent,
        }
    }

    /// An integer field; a non-integer is reported (EKS903) and becomes unknown.
    pub(super) fn int(&mut self, map: &Node, key: &str) -> Value<i64> {
        let Some(v) = map.get(key) else {
            return Value::Absent;
        };
        let Some(s) = v.scalar() else {
            return Value::Absent;
        };
        let span = self.entry_span(map, key).unwrap_or_else(|| self.span(v));
        match s.trim().parse::<i64>() {
            Ok(n) => Value::Known(n, Origin::at(span)),
            Err(_) => {
                self.diags.push(Diagnostic::new(
                    crate::code::Code::EKS903,
                    Level::Error,
                    self.span(v),
                    format!("`{key}` must be an integer, not `{s}`"),
                ));
                Value::unknown(format!("`{key}` is not an integer"), self.span(v))
            }
        }
    }

    pub(super) fn cluster(&mut self, doc: &Node, limits: &crate::limits::Limits) -> Cluster {
        let doc_span = self.span(doc);
        let meta = doc.get("metadata");
        let name = meta.map_or(Value::Absent, |m| self.string(m, "name"));
        let mut c = Cluster::new(name, doc_span, SourceKind::Eksctl);

        if let Some(knc) = doc.get("kubernetesNetworkConfig") {
            if let Some(v) = knc.get("ipFamily") {
                if let Some(s) = v.scalar() {
                    let fam = if s.eq_ignore_ascii_case("ipv6") {
                        IpFamily::Ipv6
                    } else {
                        IpFamily::Ipv4
                    };
                    c.ip_family = Value::known(fam, self.span(v));
                }
            }
            if let Some(v) = knc.get("serviceIPv4CIDR") {
                if let Some(s) = v.scalar() {
                    c.service_cidr = Value::known(Cidr::parse(s), self.span(v));
                }
            }
        }

        c.auto_mode = doc.get("autoModeConfig").map(|a| self.auto_mode(a));
        let vpc_node = doc.get("vpc");
        let zones = self.zones(doc);
        self.vpc_and_subnets(&mut c, vpc_node, &zones, doc_span);
        c.control_plane_subnets = self.control_plane_subnets(&c, vpc_node, doc_span);

        c.cni = self.cni(doc, limits);

        for (key, kind) in [
            ("nodeGroups", NodeGroupKind::EksctlUnmanaged),
            ("managedNodeGroups", NodeGroupKind::Managed),
        ] {
            if let Some(list) = doc.get(key).and_then(Node::seq) {
                for ng in list {
                    let group = self.node_group(&c, ng, kind);
                    c.node_groups.push(group);
                }
            }
        }
        if let Some(list) = doc.get("fargateProfiles").and_then(Node::seq) {
            for p in list {
                let fp = self.fargate_profile(&c, p);
                c.fargate_profiles.push(fp);
            }
        }
        c
    }
}
