//! A document no scanned root module was planned from (the plan alone): its VPCs, subnets,
//! clusters, node groups (with their launch templates) and the VPC CNI add-on's settings,
//! modelled from the instances' values. Every finding points into the document, at the
//! instance that produced the value (its `address` line); the address names it.
//!
//! Instances link by the IDs and names the document holds (`subnet_ids`, `cluster_name`,
//! `vpc_id`, `launch_template.id`); an ID the plan does not know yet (a subnet created by the
//! same plan) cannot link, so it is unknown, with the reason "known after apply".

use super::types::{Index, Instance, Plan};
use crate::frontend::Loaded;
use crate::model::{
    Cidr, Cluster, IpFamily, NodeGroup, NodeGroupKind, Origin, SourceKind, Subnet, SubnetId,
    Unknown, Value, Vpc,
};
use serde_json::Value as J;

struct Inst<'p> {
    addr: String,
    i: &'p Instance,
}

impl Inst<'_> {
    fn str(&self, k: &str) -> Option<&str> {
        self.i.values.get(k).and_then(J::as_str)
    }
    fn unknown(&self, k: &str) -> bool {
        matches!(self.i.unknown.get(k), Some(J::Bool(true)))
    }
    /// A string attribute as a model value.
    fn value(&self, plan: &Plan, k: &str) -> Value<String> {
        match self.str(k) {
            Some(s) => Value::known(s.to_string(), self.i.span),
            None if self.unknown(k) => Value::unknown(
                plan.unknown_reason(&format!("{}.{k}", self.addr)),
                self.i.span,
            ),
            None => Value::Absent,
        }
    }
    fn first(&self, k: &str) -> Option<&J> {
        match self.i.values.get(k) {
            Some(J::Array(a)) => a.first(),
            other => other,
        }
    }
}

fn of_type<'p>(plan: &'p Plan, ty: &str) -> Vec<Inst<'p>> {
    let mut out = Vec::new();
    for (base, insts) in &plan.resources {
        let mut segs = base.rsplit('.');
        if segs.nth(1) != Some(ty) || segs.next() == Some("data") {
            continue;
        }
        for i in insts {
            let key = match &i.index {
                Index::None => String::new(),
                Index::Int(n) => format!("[{n}]"),
                Index::Str(s) => format!("[{}]", J::String(s.clone())),
            };
            out.push(Inst {
                addr: format!("{base}{key}"),
                i,
            });
        }
    }
    out
}

/// The clusters of `plan` (a note-free model: what is unknown says why in its value).
pub fn load(plan: &Plan) -> Loaded {
    load_where(plan, &|_| true)
}

/// The clusters of `plan` whose `aws_eks_cluster` address `keep` accepts (those of one
/// module); subnets, templates, node groups and add-ons link across the whole document.
pub fn load_where(plan: &Plan, keep: &dyn Fn(&str) -> bool) -> Loaded {
    let mut out = Loaded::default();
    let subnets: Vec<(Option<String>, Option<String>, Subnet)> = of_type(plan, "aws_subnet")
        .iter()
        .map(|s| {
            let cidr = s.value(plan, "cidr_block").map(|c| Cidr::parse(&c));
            let sub = Subnet {
                name: s.addr.clone(),
                span: s.i.span,
                cidr,
                az: s.value(plan, "availability_zone"),
                public: s
                    .i
                    .values
                    .get("map_public_ip_on_launch")
                    .and_then(J::as_bool),
                tags: tags(s.i.values.get("tags")),
                ..Subnet::default()
            };
            (
                s.str("id").map(String::from),
                s.str("vpc_id").map(String::from),
                sub,
            )
        })
        .collect();
    let vpcs: Vec<(Option<String>, Vpc)> = of_type(plan, "aws_vpc")
        .iter()
        .map(|v| {
            let cidr = v.value(plan, "cidr_block").map(|c| Cidr::parse(&c));
            let vpc = Vpc {
                name: v.addr.clone(),
                span: v.i.span,
                cidrs: vec![cidr],
            };
            (v.str("id").map(String::from), vpc)
        })
        .collect();
    let templates = of_type(plan, "aws_launch_template");
    let groups = of_type(plan, "aws_eks_node_group");
    let addons = of_type(plan, "aws_eks_addon");
    for c in of_type(plan, "aws_eks_cluster")
        .into_iter()
        .filter(|c| keep(&c.addr))
    {
        let name = c.value(plan, "name");
        let mut cluster = Cluster::new(name.clone(), c.i.span, SourceKind::Terraform);
        network_config(plan, &c, &mut cluster);
        let vc = c.first("vpc_config");
        let ids = vc.and_then(|v| v.get("subnet_ids"));
        cluster.control_plane_subnets = link(
            plan,
            &c,
            ids,
            "vpc_config.subnet_ids",
            &subnets,
            &mut cluster.subnets,
        );
        let vpc_id = vc.and_then(|v| v.get("vpc_id")).and_then(J::as_str);
        cluster.vpc = vpc_id
            .and_then(|id| vpcs.iter().find(|(v, _)| v.as_deref() == Some(id)))
            .or(if vpcs.len() == 1 { vpcs.first() } else { None })
            .map(|(_, v)| v.clone());
        for g in groups.iter().filter(|g| same_cluster(g, &name)) {
            let mut ng = NodeGroup::new(
                g.str("node_group_name").unwrap_or(&g.addr).to_string(),
                g.i.span,
                NodeGroupKind::Managed,
            );
            let mut types: Vec<Value<String>> = match g.i.values.get("instance_types") {
                Some(J::Array(a)) => a
                    .iter()
                    .filter_map(J::as_str)
                    .map(|t| Value::known(t.to_string(), g.i.span))
                    .collect(),
                _ => Vec::new(),
            };
            if types.is_empty() {
                types.extend(template_type(g, &templates));
            }
            if types.is_empty() && g.unknown("instance_types") {
                ng.instance_types_unknown = Some(Unknown {
                    reason: plan.unknown_reason(&format!("{}.instance_types", g.addr)),
                    span: g.i.span,
                });
            }
            ng.instance_types = types;
            let sc = g.first("scaling_config");
            let size = |k: &str| match sc.and_then(|s| s.get(k)).and_then(J::as_i64) {
                Some(n) => Value::known(n, g.i.span),
                None => Value::Absent,
            };
            ng.min_size = size("min_size");
            ng.desired_size = size("desired_size");
            ng.max_size = size("max_size");
            ng.subnets = link(
                plan,
                g,
                g.i.values.get("subnet_ids"),
                "subnet_ids",
                &subnets,
                &mut cluster.subnets,
            );
            cluster.node_groups.push(ng);
        }
        for a in addons.iter().filter(|a| same_cluster(a, &name)) {
            if a.str("addon_name") == Some("vpc-cni") {
                cni_env(a, &mut cluster);
            }
        }
        out.clusters.push(cluster);
    }
    out
}

/// Whether instance `x` (`cluster_name`) belongs to the cluster named `name`.
fn same_cluster(x: &Inst, name: &Value<String>) -> bool {
    match (x.str("cluster_name"), name.get()) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    }
}

/// The instance type of a node group's launch template (`launch_template.id` or `.name`).
/// A template created by the same plan has no ID yet: then the one template of the node
/// group's own module instance is its template (the eks module's node group modules make one
/// each), and none when there are several.
fn template_type(g: &Inst, templates: &[Inst]) -> Option<Value<String>> {
    let lt = g.first("launch_template")?;
    let by = |k: &str, t: &Inst| {
        lt.get(k)
            .and_then(J::as_str)
            .is_some_and(|v| t.str(k) == Some(v))
    };
    let own = |t: &&Inst| module_of(&g.addr) == module_of(&t.addr);
    let mine: Vec<&Inst> = templates.iter().filter(own).collect();
    let t = templates
        .iter()
        .find(|t| by("id", t) || by("name", t))
        .or(if mine.len() == 1 {
            mine.first().copied()
        } else {
            None
        })?;
    let ty = t.str("instance_type")?;
    Some(Value::known(ty.to_string(), t.i.span))
}

/// Subnet IDs to the cluster's subnets (added on first use).
fn link(
    plan: &Plan,
    owner: &Inst,
    ids: Option<&J>,
    what: &str,
    subnets: &[(Option<String>, Option<String>, Subnet)],
    into: &mut Vec<Subnet>,
) -> Value<Vec<SubnetId>> {
    let Some(J::Array(ids)) = ids else {
        return if owner.unknown(what.split('.').next_back().unwrap_or(what))
            || owner.i.unknown.pointer("/vpc_config/0/subnet_ids") == Some(&J::Bool(true))
        {
            Value::unknown(
                plan.unknown_reason(&format!("{}.{what}", owner.addr)),
                owner.i.span,
            )
        } else {
            Value::Absent
        };
    };
    let mut out = Vec::new();
    for id in ids {
        let Some(id) = id.as_str() else {
            return Value::unknown(
                plan.unknown_reason(&format!("{}.{what}", owner.addr)),
                owner.i.span,
            );
        };
        let Some((_, _, s)) = subnets.iter().find(|(i, _, _)| i.as_deref() == Some(id)) else {
            return Value::unknown(
                format!(
                    "subnet `{id}` of `{}` is not in the {} `{}`",
                    owner.addr,
                    plan.kind.unwrap_or(super::types::DocKind::Plan).label(),
                    plan.display
                ),
                owner.i.span,
            );
        };
        let at = match into.iter().position(|x| x.name == s.name) {
            Some(i) => i,
            None => {
                into.push(s.clone());
                into.len() - 1
            }
        };
        out.push(at);
    }
    Value::known(out, owner.i.span)
}

/// The module instance part of an address: `module.a["x"].aws_eks_node_group.this[0]` →
/// `module.a["x"]` (empty at the root): all but the last two dot-separated parts.
fn module_of(addr: &str) -> &str {
    let mut depth = 0usize;
    let mut in_str = false;
    let mut dots = Vec::new();
    for (i, ch) in addr.char_indices() {
        match ch {
            '"' => in_str = !in_str,
            '[' if !in_str => depth += 1,
            ']' if !in_str => depth = depth.saturating_sub(1),
            '.' if !in_str && depth == 0 => dots.push(i),
            _ => {}
        }
    }
    match dots.len() {
        0 | 1 => "",
        n => &addr[..dots[n - 2]],
    }
}

/// `kubernetes_network_config`: the service CIDR and the IP family.
fn network_config(plan: &Plan, c: &Inst, cluster: &mut Cluster) {
    let Some(k) = c.first("kubernetes_network_config") else {
        return;
    };
    let cidr_unknown =
        c.i.unknown
            .pointer("/kubernetes_network_config/0/service_ipv4_cidr")
            == Some(&J::Bool(true));
    if let Some(cidr) = k.get("service_ipv4_cidr").and_then(J::as_str) {
        cluster.service_cidr = Value::known(Cidr::parse(cidr), c.i.span);
    } else if cidr_unknown {
        let what = format!("{}.kubernetes_network_config.service_ipv4_cidr", c.addr);
        cluster.service_cidr = Value::unknown(plan.unknown_reason(&what), c.i.span);
    }
    cluster.ip_family = match k.get("ip_family").and_then(J::as_str) {
        Some("ipv6") => Value::known(IpFamily::Ipv6, c.i.span),
        Some("ipv4") => Value::known(IpFamily::Ipv4, c.i.span),
        _ => Value::Absent,
    };
}

fn tags(j: Option<&J>) -> std::collections::BTreeMap<String, String> {
    j.and_then(J::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

/// `configuration_values` of the vpc-cni add-on (JSON; `env` as ipamd reads it).
fn cni_env(a: &Inst, cluster: &mut Cluster) {
    let Some(text) = a.str("configuration_values") else {
        return;
    };
    let Ok(j) = serde_json::from_str::<J>(text) else {
        return;
    };
    cluster.cni.span = Some(a.i.span);
    if let Some(env) = j.get("env").and_then(J::as_object) {
        for (k, v) in env {
            let value = match v {
                J::String(s) => s.clone(),
                other => other.to_string(),
            };
            cluster.cni.set(k.clone(), value, Origin::at(a.i.span));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn module_of_an_address() {
        use super::module_of;
        assert_eq!(module_of("aws_subnet.a[0]"), "");
        assert_eq!(
            module_of("module.eks.module.ng[\"a.b\"].aws_eks_node_group.this[0]"),
            "module.eks.module.ng[\"a.b\"]"
        );
    }
}
