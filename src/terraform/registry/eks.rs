//! terraform-aws-modules/eks/aws, major versions 18–21, and its `eks-managed-node-group` /
//! `self-managed-node-group` submodules.
//!
//! Input names changed in v21 (`cluster_name` → `name`, `cluster_addons` → `addons`,
//! `cluster_ip_family` → `ip_family`, `cluster_service_ipv4_cidr` → `service_ipv4_cidr`, no
//! `*_node_group_defaults`); both spellings are read whatever the version, since a call only
//! uses the names its version declares. Per node group, a key set in the group wins over the
//! `*_defaults` object, which wins over the module's fallbacks (v18–v20 `node_groups.tf`
//! `try(each.value.x, var.defaults.x, fallback)`; v21 submodule variable defaults).

use crate::model::{
    Cidr, Cluster, CniConfig, FargateProfile, IpFamily, NodeGroup, NodeGroupKind, Origin,
    SourceKind, Unknown, Value,
};
use crate::terraform::eval::Evaluator;
use crate::terraform::extract::Extractor;
use crate::terraform::outputs::{EksCall, Kind, Model, ModelKind, NodeGroupCall, Site};
use crate::terraform::value::to_str;
use crate::terraform::value::{fmt_num, InstRef, Val, V};
use std::collections::BTreeMap;

pub const OLDEST: u32 = 18;
pub const LATEST: u32 = 21;

/// Default instance type of an EKS managed node group without one (the EKS API default).
const MANAGED_DEFAULT_TYPE: &str = "t3.medium";
/// The eks module's fallback for self-managed groups (all versions; v21 via the submodule).
const SELF_MANAGED_DEFAULT_TYPE: &str = "m6i.large";

fn non_null(v: Option<&Val>) -> Option<&Val> {
    v.filter(|x| !matches!(x.v, V::Null))
}

fn str_of(v: &Val) -> Option<String> {
    match &v.v {
        V::Str(s) => Some(s.clone()),
        V::Num(n) => Some(fmt_num(*n)),
        _ => None,
    }
}

fn int_of(v: &Val) -> Option<i64> {
    match &v.v {
        V::Num(n) if n.fract() == 0.0 => Some(*n as i64),
        V::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn is_false(v: Option<&Val>) -> bool {
    matches!(v.map(|x| &x.v), Some(V::Bool(false)))
}

fn is_true(v: Option<&Val>) -> bool {
    matches!(v.map(|x| &x.v), Some(V::Bool(true)))
}

pub fn build(
    _ev: &Evaluator,
    kind: Kind,
    major: u32,
    site: &Site,
    inputs: BTreeMap<String, Val>,
) -> Model {
    let addr = site.addr.to_string();
    let mut outputs = BTreeMap::new();
    if kind == Kind::Eks {
        let name = non_null(inputs.get("name")).or(non_null(inputs.get("cluster_name")));
        if let Some(n) = name {
            outputs.insert("cluster_name".into(), n.clone());
            if major == 18 {
                outputs.insert("cluster_id".into(), n.clone());
            }
        }
        for (out, ins) in [
            ("cluster_version", ["kubernetes_version", "cluster_version"]),
            ("cluster_ip_family", ["ip_family", "cluster_ip_family"]),
            (
                "cluster_service_cidr",
                ["service_ipv4_cidr", "cluster_service_ipv4_cidr"],
            ),
        ] {
            if let Some(v) = ins.iter().find_map(|k| non_null(inputs.get(*k))) {
                outputs.insert(out.into(), v.clone());
            }
        }
    }
    let call = EksCall {
        kind,
        major,
        addr: addr.clone(),
        head: site.head,
        inputs,
    };
    Model {
        outputs,
        missing: format!("`{addr}.{{}}` is known only after apply"),
        kind: if kind == Kind::Eks {
            ModelKind::Eks(call)
        } else {
            ModelKind::NodeGroup(call)
        },
    }
}

/// The cluster an eks module call creates (None with `create = false`).
/// The module's `compute_config` (v21; `cluster_compute_config` before): EKS Auto Mode.
fn auto_mode(ex: &Extractor, v: Option<&Val>) -> Option<crate::model::AutoMode> {
    let v = v?;
    let field = |k: &str| match &v.v {
        V::Map(m) => m.get(k).filter(|x| !matches!(x.v, V::Null)),
        _ => None,
    };
    if let V::Unknown(u) = &v.v {
        return Some(crate::model::AutoMode {
            span: v.span,
            enabled: Value::unknown(u.reason.clone(), v.span),
            node_pools: Value::unknown(u.reason.clone(), v.span),
        });
    }
    let enabled = match field("enabled") {
        Some(x) => ex.to_value(x, x.span, |x| match x.v {
            V::Bool(b) => Some(b),
            _ => None,
        }),
        // The module's default: `optional(bool, false)`.
        None => Value::known(false, v.span),
    };
    let node_pools = match field("node_pools") {
        Some(x) => ex.to_value(x, x.span, |x| match &x.v {
            V::List(l) => l.iter().map(str_of).collect(),
            _ => None,
        }),
        None => Value::Absent,
    };
    Some(crate::model::AutoMode {
        span: v.span,
        enabled,
        node_pools,
    })
}

pub fn cluster(ex: &Extractor, e: &EksCall) -> Option<Cluster> {
    let get = |k: &str| non_null(e.inputs.get(k));
    if is_false(get("create")) {
        return None;
    }
    let name = match get("name").or(get("cluster_name")) {
        Some(v) => ex.to_value(v, v.span, str_of),
        None => Value::unknown(format!("`{}` sets no cluster name", e.addr), e.head),
    };
    let mut c = Cluster::new(name, e.head, SourceKind::Terraform);
    c.defined_at = Some(e.addr.clone());
    let subnet_ids = get("subnet_ids");
    let cp = get("control_plane_subnet_ids")
        .filter(|v| !matches!(&v.v, V::List(l) if l.is_empty()))
        .or(subnet_ids);
    if let Some(v) = cp {
        c.control_plane_subnets = ex.subnet_list(Some((v.clone(), v.span)));
    }
    if let Some(v) = get("ip_family").or(get("cluster_ip_family")) {
        c.ip_family = ex.to_value(v, v.span, |x| {
            match str_of(x)?.to_ascii_lowercase().as_str() {
                "ipv6" => Some(IpFamily::Ipv6),
                "ipv4" => Some(IpFamily::Ipv4),
                _ => None,
            }
        });
    }
    if let Some(v) = get("service_ipv4_cidr").or(get("cluster_service_ipv4_cidr")) {
        c.service_cidr = ex.to_value(v, v.span, |x| str_of(x).map(|s| Cidr::parse(&s)));
    }
    c.auto_mode = auto_mode(ex, get("compute_config").or(get("cluster_compute_config")));
    for (groups, defaults, kind) in [
        (
            "eks_managed_node_groups",
            "eks_managed_node_group_defaults",
            NodeGroupKind::Managed,
        ),
        (
            "self_managed_node_groups",
            "self_managed_node_group_defaults",
            NodeGroupKind::SelfManaged,
        ),
    ] {
        let Some(gv) = get(groups) else { continue };
        match &gv.v {
            V::Map(m) => {
                for (key, g) in m {
                    if let Some(ng) =
                        node_group(ex, e, kind, key, g, get(defaults), subnet_ids, true)
                    {
                        c.node_groups.push(ng);
                    }
                }
            }
            V::Unknown(u) => {
                // The groups are there but not readable: one placeholder keeps the reason.
                let mut ng = NodeGroup::new(format!("{}.{groups}", e.addr), gv.span, kind);
                ng.instance_types_unknown = Some(Unknown {
                    reason: u.reason.clone(),
                    span: gv.span,
                });
                ng.max_size = Value::unknown(u.reason.clone(), gv.span);
                c.node_groups.push(ng);
            }
            _ => {}
        }
    }
    if let Some(fp) = get("fargate_profiles") {
        c.fargate_profiles = fargate_profiles(ex, fp, get("fargate_profile_defaults"), subnet_ids);
    }
    if let Some(addons) = get("addons").or(get("cluster_addons")) {
        cni_addon(ex, addons, &mut c.cni);
    }
    if let Some(v) = get("bootstrap_self_managed_addons").filter(|v| is_false(Some(v))) {
        let what = format!("`{}` sets bootstrap_self_managed_addons = false", e.addr);
        let ev = crate::terraform::extract::no_default_addons(what, v.span);
        c.cni.plugins.push(ev);
    }
    Some(c)
}

/// `fargate_profiles`, as the module reads each entry (v18–v21 `main.tf`, module
/// `fargate_profile`): `name = try(each.value.name, each.key)` (v18: `fargate_profile_name`),
/// `subnet_ids = try(each.value.subnet_ids, var.fargate_profile_defaults.subnet_ids,
/// var.subnet_ids)`, and `create = false` skips the entry.
fn fargate_profiles(
    ex: &Extractor,
    profiles: &Val,
    defaults: Option<&Val>,
    module_subnets: Option<&Val>,
) -> Vec<FargateProfile> {
    let field = |v: &Val, k: &str| -> Option<Val> {
        match &v.v {
            V::Map(m) => non_null(m.get(k)).cloned(),
            _ => None,
        }
    };
    let m = match &profiles.v {
        V::Map(m) => m,
        V::Unknown(u) => {
            // The profiles are there but not readable: one placeholder keeps the reason.
            return vec![FargateProfile {
                name: "fargate_profiles".into(),
                span: profiles.span,
                subnets: Value::unknown(u.reason.clone(), profiles.span),
            }];
        }
        _ => return Vec::new(),
    };
    let mut out = Vec::new();
    for (key, p) in m {
        if is_false(field(p, "create").as_ref()) {
            continue;
        }
        let name = field(p, "name")
            .or_else(|| field(p, "fargate_profile_name"))
            .and_then(|v| str_of(&v))
            .unwrap_or_else(|| key.clone());
        let subnets = field(p, "subnet_ids")
            .or_else(|| defaults.and_then(|d| field(d, "subnet_ids")))
            .or_else(|| module_subnets.cloned());
        out.push(FargateProfile {
            name,
            span: p.span,
            subnets: match subnets {
                Some(v) => ex.subnet_list(Some((v.clone(), v.span))),
                None => Value::unknown(
                    "neither the profile nor the module sets `subnet_ids`",
                    p.span,
                ),
            },
        });
    }
    out
}

/// The `vpc-cni` entry of `addons`: its `configuration_values` (usually `jsonencode({env =
/// {...}})`, evaluated to JSON text in the caller).
fn cni_addon(ex: &Extractor, addons: &Val, cni: &mut CniConfig) {
    let V::Map(m) = &addons.v else {
        if let Some((u, s)) = addons.first_unknown() {
            cni.unknown = Some(Unknown {
                reason: u.reason.clone(),
                span: s,
            });
        }
        return;
    };
    for (key, a) in m {
        let name = match &a.v {
            V::Map(am) => am.get("name").and_then(str_of),
            _ => None,
        }
        .unwrap_or_else(|| key.clone());
        if name != "vpc-cni" {
            continue;
        }
        cni.span = Some(a.span);
        let V::Map(am) = &a.v else { continue };
        let Some(cv) = non_null(am.get("configuration_values")) else {
            continue;
        };
        match &cv.v {
            V::Str(s) => {
                let j = serde_json::from_str::<serde_json::Value>(s)
                    .ok()
                    .or_else(|| crate::terraform::extract::yaml_to_json(s));
                match j {
                    Some(j) => {
                        let val = crate::terraform::value::from_json(&j, cv.span);
                        ex.env_from_located(&val, cv.span, cni);
                    }
                    None => {
                        cni.unknown = Some(Unknown {
                            reason: "`configuration_values` is neither JSON nor YAML".into(),
                            span: cv.span,
                        })
                    }
                }
            }
            _ => {
                let (reason, span) = cv
                    .first_unknown()
                    .map(|(u, s)| (u.reason.clone(), s))
                    .unwrap_or(("`configuration_values` is not a string".into(), cv.span));
                cni.unknown = Some(Unknown { reason, span });
            }
        }
    }
}

/// One node group: `g` is the group object (or the submodule's inputs), `defaults` the
/// `*_node_group_defaults` object, `embedded` whether it is created by the eks module itself.
#[allow(clippy::too_many_arguments)]
fn node_group(
    ex: &Extractor,
    e: &EksCall,
    kind: NodeGroupKind,
    key: &str,
    g: &Val,
    defaults: Option<&Val>,
    module_subnets: Option<&Val>,
    embedded: bool,
) -> Option<NodeGroup> {
    fn from<'v>(v: Option<&'v Val>, k: &str) -> Option<&'v Val> {
        match v.map(|x| &x.v) {
            Some(V::Map(m)) => non_null(m.get(k)),
            _ => None,
        }
    }
    let field = |k: &str| -> Option<&Val> { from(Some(g), k).or_else(|| from(defaults, k)) };
    if is_false(field("create")) {
        return None;
    }
    let span = g.span;
    let name = field("name")
        .and_then(str_of)
        .unwrap_or_else(|| key.to_string());
    let mut ng = NodeGroup::new(name, span, kind);
    let v21 = e.major >= 21;
    match kind {
        NodeGroupKind::Managed => match field("instance_types") {
            Some(v) => set_types(ex, &mut ng, v),
            None => {
                ng.instance_types = vec![Value::Known(
                    MANAGED_DEFAULT_TYPE.into(),
                    Origin::defaulted(span),
                )]
            }
        },
        _ => {
            let overrides = field("mixed_instances_policy").and_then(|p| {
                let V::Map(pm) = &p.v else { return None };
                let o =
                    non_null(pm.get("override")).or_else(|| match pm.get("launch_template") {
                        Some(Val { v: V::Map(lt), .. }) => non_null(lt.get("override")),
                        _ => None,
                    })?;
                let V::List(items) = &o.v else { return None };
                let types: Vec<Val> = items
                    .iter()
                    .filter_map(|i| match &i.v {
                        V::Map(im) => non_null(im.get("instance_type")).cloned(),
                        _ => None,
                    })
                    .collect();
                (!types.is_empty()).then(|| Val::new(V::List(types), o.span))
            });
            match overrides.as_ref().or(field("instance_type")) {
                Some(v) if !matches!(&v.v, V::Str(s) if s.is_empty()) => set_types(ex, &mut ng, v),
                _ if embedded || v21 => {
                    ng.instance_types = vec![Value::Known(
                        SELF_MANAGED_DEFAULT_TYPE.into(),
                        Origin::defaulted(span),
                    )]
                }
                _ => {
                    ng.instance_types_unknown = Some(Unknown {
                        reason: format!("`{}` sets no `instance_type`", e.addr),
                        span,
                    })
                }
            }
        }
    }
    // Fallbacks: the eks module's `try(..., 1/3/1)` (managed) and `0/3/1` (self-managed) for
    // v18–v20; the submodules' variable defaults otherwise.
    let min_default = match (kind, embedded, v21) {
        (_, _, true) => 1,
        (NodeGroupKind::Managed, true, false) => 1,
        _ => 0,
    };
    for (k, default, slot) in [
        ("min_size", min_default, &mut ng.min_size),
        ("max_size", 3, &mut ng.max_size),
        ("desired_size", 1, &mut ng.desired_size),
    ] {
        *slot = match field(k) {
            Some(v) => ex.to_value(v, v.span, int_of),
            None => Value::Known(default, Origin::defaulted(span)),
        };
    }
    if let Some(v) = field("subnet_ids").or(module_subnets) {
        ng.subnets = ex.subnet_list(Some((v.clone(), v.span)));
    }
    // Before `ami_type`, self-managed groups said `platform = "windows"`.
    let windows = field("platform").filter(|p| str_of(p).is_some_and(|s| s == "windows"));
    ng.ami_family = match field("ami_type").or(windows) {
        Some(v) => ex.to_value(v, v.span, str_of),
        None if v21 => Value::Known("AL2023_x86_64_STANDARD".into(), Origin::defaulted(span)),
        None => Value::Absent,
    };
    ng.custom_ami = field("ami_id")
        .and_then(str_of)
        .is_some_and(|s| !s.is_empty());
    let ami = ng.ami_family.get().cloned().unwrap_or_default();
    let bottlerocket = ami.to_ascii_uppercase().contains("BOTTLEROCKET");
    // EKS merges only the module's pre-bootstrap part into its own user data for EKS AMIs,
    // so `bootstrap_extra_args` counts for self-managed nodes, custom AMIs, explicit
    // bootstrap user data, and Bottlerocket (TOML settings).
    let bootstrap_applies = kind != NodeGroupKind::Managed
        || ng.custom_ami
        || is_true(field("enable_bootstrap_user_data"))
        || bottlerocket;
    let mut texts: Vec<&Val> = Vec::new();
    if bootstrap_applies {
        texts.extend(field("bootstrap_extra_args"));
    }
    texts.extend(field("kubelet_extra_args"));
    let nodeadm: Vec<Val> = match field("cloudinit_pre_nodeadm").map(|v| &v.v) {
        Some(V::List(parts)) => parts
            .iter()
            .filter_map(|p| match &p.v {
                V::Map(pm) => non_null(pm.get("content")).cloned(),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    texts.extend(nodeadm.iter());
    for t in texts {
        let mp = if bottlerocket {
            bottlerocket_max_pods(ex, t)
        } else {
            ex.max_pods(t, t.span)
        };
        if !mp.is_absent() {
            ng.max_pods = mp;
        }
        if !bottlerocket {
            let e = ex.max_pods_expression(t, t.span);
            if !e.is_absent() {
                ng.max_pods_expression = e;
            }
        }
    }
    Some(ng)
}

/// Bottlerocket `bootstrap_extra_args` are TOML: `max-pods = 110` under
/// `[settings.kubernetes]`.
fn bottlerocket_max_pods(ex: &Extractor, v: &Val) -> Value<i64> {
    let Ok(text) = to_str(v) else {
        return Value::Absent;
    };
    for line in text.lines() {
        let l = line.trim();
        if let Some(rest) = l.strip_prefix("max-pods") {
            let digits: String = rest
                .trim_start_matches([' ', '=', '"'])
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            return match digits.parse::<i64>() {
                Ok(n) => ex.to_value(&Val::num(n as f64, v.span), v.span, int_of),
                Err(_) => Value::unknown("`max-pods` is not a number eks-lint can read", v.span),
            };
        }
    }
    ex.max_pods(v, v.span)
}

fn set_types(ex: &Extractor, ng: &mut NodeGroup, v: &Val) {
    match &v.v {
        V::List(items) => {
            ng.instance_types = items
                .iter()
                .map(|x| ex.to_value(x, x.span, str_of))
                .collect()
        }
        V::Unknown(u) => {
            ng.instance_types_unknown = Some(Unknown {
                reason: u.reason.clone(),
                span: v.span,
            })
        }
        _ => ng.instance_types = vec![ex.to_value(v, v.span, str_of)],
    }
}

/// A standalone node-group submodule: attached to the cluster its `cluster_name` names (a
/// synthetic cluster when that cluster is not in the configuration).
pub fn attach_node_group(
    ex: &Extractor,
    n: &NodeGroupCall,
    clusters: &mut Vec<(Option<InstRef>, Cluster)>,
) {
    let kind = match n.kind {
        Kind::SelfManagedNodeGroup => NodeGroupKind::SelfManaged,
        _ => NodeGroupKind::Managed,
    };
    let g = Val::new(V::Map(n.inputs.clone()), n.head);
    let key = n.addr.clone();
    let Some(ng) = node_group(ex, n, kind, &key, &g, None, None, false) else {
        return;
    };
    let name = match non_null(n.inputs.get("cluster_name")) {
        Some(v) => ex.to_value(v, v.span, str_of),
        None => Value::unknown(format!("`{}` sets no `cluster_name`", n.addr), n.head),
    };
    let pos = clusters.iter().position(|(_, c)| match (&c.name, &name) {
        (Value::Known(a, _), Value::Known(b, _)) => a == b,
        (Value::Unknown(a), Value::Unknown(b)) => a.reason == b.reason,
        _ => false,
    });
    let idx = match pos {
        Some(i) => i,
        None => {
            clusters.push((None, Cluster::new(name, n.head, SourceKind::Terraform)));
            clusters.len() - 1
        }
    };
    clusters[idx].1.node_groups.push(ng);
}
