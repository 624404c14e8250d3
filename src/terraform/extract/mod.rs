//! Evaluated module → clusters of the model (DESIGN.md §3, §4.1 "Resources").
//!
//! Every model value keeps the attribute that fed it as `Origin::span` and the evaluation
//! chain (tfvars line, variable default, local) as `Origin::via`.

use super::eval::{Evaluator, InstCtx};
use super::module::Resource;
use super::value::to_str;
use super::value::{fmt_num, InstRef, Val, V};
use crate::model::{
    Cidr, Cluster, CniConfig, IpFamily, NodeGroup, NodeGroupKind, Origin, SourceKind, Subnet,
    SubnetId, Unknown, Value, Vpc,
};
use crate::source::{SourceMap, Span};
use hcl_edit::structure::{Attribute, Block, Body};
use std::collections::{BTreeMap, HashMap};

mod network;

pub use network::drop_foreign_subnets;

/// Default instance type of `aws_eks_node_group` when neither it nor the launch template
/// names one (AWS provider docs).
const DEFAULT_NODE_GROUP_TYPE: &str = "t3.medium";

pub struct Extractor<'e, 'm, 'a> {
    pub(super) ev: &'e Evaluator<'m, 'a>,
    pub(super) sources: &'e SourceMap,
    subnets: Vec<Subnet>,
    subnet_ids: HashMap<InstRef, SubnetId>,
    /// The `vpc_id` reference of each subnet.
    subnet_vpc: Vec<Option<InstRef>>,
    /// VPCs of the module and those that came from the modules it calls.
    vpcs: Vec<(InstRef, Vpc)>,
}

/// A module's own subnets and VPCs by instance, so a caller can reference them through module
/// outputs.
#[derive(Default)]
pub struct Exported {
    pub subnets: Vec<(InstRef, Subnet, Option<InstRef>)>,
    pub vpcs: Vec<(InstRef, Vpc)>,
}

/// What a module received from the modules it calls: their subnets (with their VPC
/// references) and VPCs, as external instances.
#[derive(Default)]
pub struct Imported {
    pub subnets: Vec<(InstRef, Subnet, Option<InstRef>)>,
    pub vpcs: Vec<(InstRef, Vpc)>,
}

/// A resource instance with its evaluation context.
struct Inst<'r, 'a> {
    r: &'r Resource<'a>,
    id: InstRef,
    ctx: InstCtx,
}

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    pub fn new(ev: &'e Evaluator<'m, 'a>, sources: &'e SourceMap) -> Self {
        Extractor {
            ev,
            sources,
            subnets: Vec::new(),
            subnet_ids: HashMap::new(),
            subnet_vpc: Vec::new(),
            vpcs: Vec::new(),
        }
    }

    fn instances(&self, ty: &str) -> Vec<Inst<'m, 'a>> {
        let mut out = Vec::new();
        for (idx, r) in self.ev.m.managed(ty) {
            if let Ok(ctxs) = self.ev.instances(idx) {
                for ctx in ctxs {
                    out.push(Inst {
                        r,
                        id: InstRef::local(idx, ctx.key.clone()),
                        ctx,
                    });
                }
            }
        }
        out
    }

    fn block_span(&self, i: &Inst) -> Span {
        self.ev.m.span_of(i.r.file, i.r.block)
    }

    fn attr_span(&self, i: &Inst, a: &Attribute) -> Span {
        self.ev.m.span_of(i.r.file, a)
    }

    /// Evaluate `name` in `body` (the resource body or a nested block) for instance `i`.
    fn get(&self, i: &Inst, body: &Body, name: &str) -> Option<(Val, Span)> {
        let a = body.get_attribute(name)?;
        let _ = &i.ctx;
        Some((self.ev.instance_attr(&i.id, a), self.attr_span(i, a)))
    }

    /// Origin at the attribute, with the chain reduced to the outermost spans outside it (a
    /// literal inside its tfvars line adds nothing).
    /// Blocks `name` of `body`: written ones, then `dynamic "name"` blocks expanded over
    /// their `for_each` with the iterator bound (unknown `for_each` expands to nothing).
    fn blocks<'b>(&self, i: &Inst, body: &'b Body, name: &'b str) -> Vec<BlockView<'b>> {
        let mut out: Vec<BlockView<'b>> = body
            .get_blocks(name)
            .map(|b| BlockView {
                body: &b.body,
                block: b,
                names: Vec::new(),
            })
            .collect();
        for d in body.get_blocks("dynamic") {
            if d.labels.first().map(|l| l.as_str()) != Some(name) {
                continue;
            }
            let Some(content) = d.body.get_blocks("content").next() else {
                continue;
            };
            let Some(fe) = d.body.get_attribute("for_each") else {
                continue;
            };
            let iter_name = match d.body.get_attribute("iterator").map(|a| &a.value) {
                Some(hcl_edit::expr::Expression::Variable(v)) => v.as_str().to_string(),
                _ => name.to_string(),
            };
            let coll = self.ev.instance_attr(&i.id, fe);
            let pairs: Vec<(Val, Val)> = match &coll.v {
                V::List(l) => l
                    .iter()
                    .enumerate()
                    .map(|(k, v)| (Val::num(k as f64, v.span), v.clone()))
                    .collect(),
                V::Map(m) => m
                    .iter()
                    .map(|(k, v)| (Val::str(k.clone(), v.span), v.clone()))
                    .collect(),
                _ => Vec::new(),
            };
            for (k, v) in pairs {
                let mut it = BTreeMap::new();
                it.insert("key".to_string(), k);
                it.insert("value".to_string(), v);
                out.push(BlockView {
                    body: &content.body,
                    block: d,
                    names: vec![(iter_name.clone(), Val::new(V::Map(it), coll.span))],
                });
            }
        }
        out
    }

    /// Evaluate `name` in a block view (names of a dynamic iterator in scope).
    fn get_in(&self, i: &Inst, b: &BlockView, name: &str) -> Option<(Val, Span)> {
        let a = b.body.get_attribute(name)?;
        Some((
            self.ev.instance_attr_with(&i.id, a, &b.names),
            self.attr_span(i, a),
        ))
    }

    pub(super) fn origin(&self, v: &Val, attr: Span) -> Origin {
        let mut o = Origin::at(attr);
        let within = |s: &Span, t: &Span| s.file == t.file && s.start >= t.start && s.end <= t.end;
        let all: Vec<Span> = std::iter::once(v.span)
            .chain(v.via.iter().copied())
            .filter(|s| *s != Span::default() && !within(s, &attr))
            .collect();
        for (i, s) in all.iter().enumerate() {
            let nested = all
                .iter()
                .enumerate()
                .any(|(j, t)| j != i && t != s && within(s, t));
            if !nested && !o.via.contains(s) {
                o.via.push(*s);
            }
        }
        o
    }

    fn value<T>(&self, got: Option<(Val, Span)>, conv: impl Fn(&Val) -> Option<T>) -> Value<T> {
        let Some((v, attr)) = got else {
            return Value::Absent;
        };
        self.to_value(&v, attr, conv)
    }

    pub(super) fn to_value<T>(
        &self,
        v: &Val,
        attr: Span,
        conv: impl Fn(&Val) -> Option<T>,
    ) -> Value<T> {
        if let V::Null = v.v {
            return Value::Absent;
        }
        if let Some((u, s)) = v.first_unknown() {
            return Value::unknown(u.reason.clone(), s);
        }
        match conv(v) {
            Some(t) => Value::Known(t, self.origin(v, attr)),
            None => Value::unknown(
                match &v.v {
                    V::Ref(inst, a) => {
                        format!("`{}.{a}` is known only after apply", self.ev.address(inst))
                    }
                    _ => format!("the value is a {}, not the expected type", v.type_name()),
                },
                attr,
            ),
        }
    }

    /// Every phase, for a module that calls no other module.
    pub fn run(mut self) -> Vec<Cluster> {
        self.network(Imported::default());
        let clusters = self.clusters();
        self.finish(clusters).0
    }

    /// Phase 1: the network, this module's subnets and VPCs after those `imported` from the
    /// modules it calls.
    pub fn network(&mut self, imported: Imported) {
        for (id, subnet, vpc) in imported.subnets {
            self.subnet_ids.insert(id, self.subnets.len());
            self.subnet_vpc.push(vpc);
            self.subnets.push(subnet);
        }
        self.collect_subnets();
        self.vpcs = self.collect_vpcs(imported.vpcs);
    }

    /// Phase 2: the module's `aws_eks_cluster` resources (with their instance); the caller may
    /// add clusters of modelled registry modules before [`Self::finish`].
    pub fn clusters(&self) -> Vec<(Option<InstRef>, Cluster)> {
        let mut clusters: Vec<(Option<InstRef>, Cluster)> = Vec::new();
        for i in self.instances("aws_eks_cluster") {
            let span = self.block_span(&i);
            let name = self.value(self.get(&i, &i.r.block.body, "name"), str_of);
            let mut c = Cluster::new(name, span, SourceKind::Terraform);
            if let Some(vc) = i.r.block.body.get_blocks("vpc_config").next() {
                c.control_plane_subnets = self.subnet_list(self.get(&i, &vc.body, "subnet_ids"));
            }
            if let Some(kn) =
                i.r.block
                    .body
                    .get_blocks("kubernetes_network_config")
                    .next()
            {
                c.ip_family = self.value(self.get(&i, &kn.body, "ip_family"), |v| {
                    match str_of(v)?.to_ascii_lowercase().as_str() {
                        "ipv6" => Some(IpFamily::Ipv6),
                        "ipv4" => Some(IpFamily::Ipv4),
                        _ => None,
                    }
                });
                c.service_cidr = self.value(self.get(&i, &kn.body, "service_ipv4_cidr"), |v| {
                    str_of(v).map(|s| Cidr::parse(&s))
                });
            }
            clusters.push((Some(i.id.clone()), c));
        }
        clusters
    }

    /// Phase 3: node groups, add-ons and CNI settings attached to `clusters`, every cluster
    /// given the module's subnets and its VPC; and what the module exports to its caller.
    pub fn finish(
        mut self,
        mut clusters: Vec<(Option<InstRef>, Cluster)>,
    ) -> (Vec<Cluster>, Exported) {
        self.node_groups(&mut clusters);
        self.self_managed(&mut clusters);
        self.addons(&mut clusters);
        self.helm(&mut clusters);
        self.eni_configs(&mut clusters);
        // Every cluster sees every subnet of the module (overlap and VPC rules need them all).
        let subnets = std::mem::take(&mut self.subnets);
        let vpcs = std::mem::take(&mut self.vpcs);
        let mut exported = Exported::default();
        for (id, &sid) in &self.subnet_ids {
            if !id.is_external() {
                let vpc = self.subnet_vpc.get(sid).cloned().flatten();
                exported
                    .subnets
                    .push((id.clone(), subnets[sid].clone(), vpc));
            }
        }
        exported.vpcs = vpcs
            .iter()
            .filter(|(id, _)| !id.is_external())
            .cloned()
            .collect();
        let clusters = clusters
            .into_iter()
            .map(|(_, mut c)| {
                c.subnets = subnets.clone();
                c.vpc = self.cluster_vpc(&c, &vpcs);
                if let Some(v) = &c.vpc {
                    let vref = vpcs.iter().find(|(_, x)| x.name == v.name).map(|x| &x.0);
                    drop_foreign_subnets(&mut c, &self.subnet_vpc, vref);
                }
                c
            })
            .collect();
        (clusters, exported)
    }

    fn collect_subnets(&mut self) {
        for i in self.instances("aws_subnet") {
            let body = &i.r.block.body;
            let span = self.block_span(&i);
            let mut cidr = self.value(self.get(&i, body, "cidr_block"), |v| {
                str_of(v).map(|s| Cidr::parse(&s))
            });
            if cidr.is_absent() {
                if let Some(a) = body.get_attribute("ipv4_ipam_pool_id") {
                    cidr = Value::unknown(
                        "the CIDR is allocated from an IPAM pool when the subnet is created",
                        self.attr_span(&i, a),
                    );
                }
            }
            let az = match self.get(&i, body, "availability_zone") {
                Some(x) => self.value(Some(x), str_of),
                None => self.value(self.get(&i, body, "availability_zone_id"), str_of),
            };
            let public = self
                .get(&i, body, "map_public_ip_on_launch")
                .and_then(|(v, _)| match v.v {
                    V::Bool(b) => Some(b),
                    _ => None,
                });
            let mut tags = BTreeMap::new();
            if let Some((V::Map(m), _)) = self.get(&i, body, "tags").map(|(v, s)| (v.v, s)) {
                for (k, v) in m {
                    if let Ok(s) = to_str(&v) {
                        tags.insert(k, s);
                    }
                }
            }
            let vpc = match self.get(&i, body, "vpc_id").map(|x| x.0.v) {
                Some(V::Ref(inst, _)) => Some(inst),
                _ => None,
            };
            self.subnet_ids.insert(i.id.clone(), self.subnets.len());
            self.subnet_vpc.push(vpc);
            self.subnets.push(Subnet {
                name: self.ev.address(&i.id),
                span,
                cidr,
                az,
                public,
                tags,
                prefix_reservations: Vec::new(),
                explicit_reservations: Vec::new(),
            });
        }
        for i in self.instances("aws_ec2_subnet_cidr_reservation") {
            let body = &i.r.block.body;
            let Some(sid) = (match self.get(&i, body, "subnet_id").map(|x| x.0.v) {
                Some(V::Ref(inst, _)) => self.subnet_ids.get(&inst).copied(),
                _ => None,
            }) else {
                continue;
            };
            let cidr = self.value(self.get(&i, body, "cidr_block"), |v| {
                str_of(v).map(|s| Cidr::parse(&s))
            });
            let kind = self
                .get(&i, body, "reservation_type")
                .and_then(|(v, _)| str_of(&v));
            match kind.as_deref() {
                Some("prefix") => self.subnets[sid].prefix_reservations.push(cidr),
                _ => self.subnets[sid].explicit_reservations.push(cidr),
            }
        }
    }

    /// Every `aws_vpc` with its secondary CIDR associations.
    fn collect_vpcs(&self, ext: Vec<(InstRef, Vpc)>) -> Vec<(InstRef, Vpc)> {
        let mut vpcs: Vec<(InstRef, Vpc)> = self
            .instances("aws_vpc")
            .into_iter()
            .map(|i| {
                let cidr = self.value(self.get(&i, &i.r.block.body, "cidr_block"), |v| {
                    str_of(v).map(|s| Cidr::parse(&s))
                });
                let vpc = Vpc {
                    name: self.ev.address(&i.id),
                    span: self.block_span(&i),
                    cidrs: if cidr.is_absent() {
                        Vec::new()
                    } else {
                        vec![cidr]
                    },
                };
                (i.id, vpc)
            })
            .collect();
        vpcs.extend(ext);
        for i in self.instances("aws_vpc_ipv4_cidr_block_association") {
            let body = &i.r.block.body;
            let Some(V::Ref(target, _)) = self.get(&i, body, "vpc_id").map(|x| x.0.v) else {
                continue;
            };
            let cidr = self.value(self.get(&i, body, "cidr_block"), |v| {
                str_of(v).map(|s| Cidr::parse(&s))
            });
            if let Some((_, vpc)) = vpcs.iter_mut().find(|(id, _)| *id == target) {
                vpc.cidrs.push(cidr);
            }
        }
        vpcs
    }

    /// The VPC the cluster's subnets reference (control plane first, then node groups); the
    /// only VPC of the module otherwise.
    fn cluster_vpc(&self, c: &Cluster, vpcs: &[(InstRef, Vpc)]) -> Option<Vpc> {
        let mut ids: Vec<SubnetId> = c.control_plane_subnets.get().cloned().unwrap_or_default();
        for ng in &c.node_groups {
            ids.extend(ng.subnets.get().cloned().unwrap_or_default());
        }
        ids.extend(0..self.subnet_vpc.len());
        for id in ids {
            if let Some(Some(v)) = self.subnet_vpc.get(id) {
                if let Some((_, vpc)) = vpcs.iter().find(|(i, _)| i == v) {
                    return Some(vpc.clone());
                }
            }
        }
        (vpcs.len() == 1).then(|| vpcs[0].1.clone())
    }

    /// A list of subnet references → subnet ids of this module.
    pub(super) fn subnet_list(&self, got: Option<(Val, Span)>) -> Value<Vec<SubnetId>> {
        let Some((v, attr)) = got else {
            return Value::Absent;
        };
        if let V::Unknown(u) = &v.v {
            return Value::unknown(u.reason.clone(), v.span);
        }
        let items = match &v.v {
            V::List(l) => l.clone(),
            V::Map(m) => m.values().cloned().collect(),
            _ => vec![v.clone()],
        };
        let mut ids = Vec::new();
        for x in &items {
            match &x.v {
                V::Ref(inst, _) | V::Resource(inst) => match self.subnet_ids.get(inst) {
                    Some(id) => ids.push(*id),
                    None => {
                        return Value::unknown(
                            format!(
                                "`{}` is not an `aws_subnet` of this module",
                                self.ev.address(inst)
                            ),
                            x.span,
                        )
                    }
                },
                V::Unknown(u) => return Value::unknown(u.reason.clone(), x.span),
                V::Str(s) => {
                    return Value::unknown(
                        format!(
                            "subnet `{s}` is given by id; its CIDR is not in the configuration"
                        ),
                        x.span,
                    )
                }
                _ => return Value::unknown(format!("a subnet id is a {}", x.type_name()), x.span),
            }
        }
        Value::Known(ids, self.origin(&v, attr))
    }

    /// The cluster a node group, addon or ASG belongs to: by reference to an
    /// `aws_eks_cluster`, else by name; a synthetic cluster is created when none matches.
    fn attach(
        &self,
        clusters: &mut Vec<(Option<InstRef>, Cluster)>,
        i: &Inst,
        name_attr: Option<(Val, Span)>,
        fallback_span: Span,
    ) -> usize {
        if let Some((v, attr)) = &name_attr {
            // A reference `aws_eks_cluster.x.name` evaluates to the name; match by name.
            if let Some(n) = str_of(v) {
                if let Some(idx) = clusters
                    .iter()
                    .position(|(_, c)| c.name.get().is_some_and(|cn| *cn == n))
                {
                    return idx;
                }
            }
            // Unknown name: find the cluster reference syntactically.
            let text = self.sources.get(attr.file).slice(*attr);
            if let Some(pos) = text.find("aws_eks_cluster.") {
                let rest = &text[pos + "aws_eks_cluster.".len()..];
                let rname: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                if let Some(idx) = clusters.iter().position(|(id, _)| {
                    id.as_ref()
                        .and_then(InstRef::local_res)
                        .is_some_and(|r| self.ev.m.resources[r].name == rname)
                }) {
                    return idx;
                }
            }
            let name = self.to_value(v, *attr, str_of);
            // Synthetic clusters: same known name, or the same unknown source (two node
            // groups on `module.eks.cluster_name` share one cluster and its subnets).
            if let Some(idx) = clusters.iter().position(|(id, c)| {
                id.is_none()
                    && match (&c.name, &name) {
                        (Value::Known(a, _), Value::Known(b, _)) => a == b,
                        (Value::Unknown(a), Value::Unknown(b)) => a.reason == b.reason,
                        _ => false,
                    }
            }) {
                return idx;
            }
            let _ = i;
            clusters.push((None, Cluster::new(name, *attr, SourceKind::Terraform)));
            return clusters.len() - 1;
        }
        if clusters.len() == 1 {
            return 0;
        }
        clusters.push((
            None,
            Cluster::new(
                Value::unknown("no cluster name is given", fallback_span),
                fallback_span,
                SourceKind::Terraform,
            ),
        ));
        clusters.len() - 1
    }

    fn node_groups(&self, clusters: &mut Vec<(Option<InstRef>, Cluster)>) {
        for i in self.instances("aws_eks_node_group") {
            let body = &i.r.block.body;
            let span = self.block_span(&i);
            let name = self
                .get(&i, body, "node_group_name")
                .and_then(|(v, _)| str_of(&v))
                .unwrap_or_else(|| self.ev.address(&i.id));
            let mut ng = NodeGroup::new(name, span, NodeGroupKind::Managed);
            let lt_blocks = self.blocks(&i, body, "launch_template");
            let lt = lt_blocks.first().and_then(|b| self.launch_template(&i, b));
            match self.get(&i, body, "instance_types") {
                Some(got) => self.set_types(&mut ng, got),
                None => match lt.as_ref().map(|l| l.instance_type.clone()) {
                    Some(t) if !t.is_absent() => ng.instance_types = vec![t],
                    // A launch template we cannot read may name the instance type: do not
                    // assume the t3.medium default.
                    None if !lt_blocks.is_empty() => {
                        ng.instance_types_unknown = Some(Unknown {
                            reason: "the launch template of this node group is not defined in the module, so its instance type is not known".into(),
                            span: self.ev.m.span_of(i.r.file, lt_blocks[0].block),
                        })
                    }
                    _ => {
                        ng.instance_types = vec![Value::Known(
                            DEFAULT_NODE_GROUP_TYPE.to_string(),
                            Origin::defaulted(span),
                        )]
                    }
                },
            }
            if let Some(sc) = self.blocks(&i, body, "scaling_config").first() {
                ng.min_size = self.value(self.get_in(&i, sc, "min_size"), int_of);
                ng.max_size = self.value(self.get_in(&i, sc, "max_size"), int_of);
                ng.desired_size = self.value(self.get_in(&i, sc, "desired_size"), int_of);
            }
            ng.subnets = self.subnet_list(self.get(&i, body, "subnet_ids"));
            ng.ami_family = self.value(self.get(&i, body, "ami_type"), str_of);
            if let Some(l) = lt {
                ng.max_pods = l.max_pods;
                ng.custom_ami = l.custom_ami;
            }
            let c = self.attach(clusters, &i, self.get(&i, body, "cluster_name"), span);
            clusters[c].1.node_groups.push(ng);
        }
    }

    fn set_types(&self, ng: &mut NodeGroup, (v, attr): (Val, Span)) {
        match &v.v {
            V::List(items) => {
                ng.instance_types = items
                    .iter()
                    .map(|x| self.to_value(x, attr, str_of))
                    .collect();
            }
            V::Unknown(u) => {
                ng.instance_types_unknown = Some(Unknown {
                    reason: u.reason.clone(),
                    span: v.span,
                })
            }
            _ => ng.instance_types = vec![self.to_value(&v, attr, str_of)],
        }
    }

    /// Resolve a `launch_template { id | name }` block to the `aws_launch_template` it names.
    fn launch_template(&self, i: &Inst, b: &BlockView) -> Option<LaunchTemplate> {
        let by = |keys: &[&str]| keys.iter().find_map(|k| self.get_in(i, b, k)).map(|x| x.0);
        let target = match by(&["id", "launch_template_id"]).map(|v| v.v) {
            Some(V::Ref(inst, _)) | Some(V::Resource(inst)) => Some(inst),
            _ => None,
        };
        let target = target.or_else(|| {
            let name = str_of(&by(&["name", "launch_template_name"])?)?;
            self.instances("aws_launch_template")
                .into_iter()
                .find_map(|lt| {
                    let n = self.get(&lt, &lt.r.block.body, "name")?.0;
                    (str_of(&n)? == name).then_some(lt.id)
                })
        })?;
        let lt = self
            .instances("aws_launch_template")
            .into_iter()
            .find(|l| l.id == target)?;
        let body = &lt.r.block.body;
        let instance_type = self.value(self.get(&lt, body, "instance_type"), str_of);
        let custom_ami = body.get_attribute("image_id").is_some();
        let max_pods = match self.get(&lt, body, "user_data") {
            Some((v, attr)) => self.max_pods(&v, attr),
            None => Value::Absent,
        };
        Some(LaunchTemplate {
            instance_type,
            max_pods,
            custom_ami,
        })
    }

    /// Max pods from user data: bootstrap.sh `--max-pods`, `--use-max-pods false`, kubelet
    /// `--max-pods`, nodeadm `maxPods`.
    pub(super) fn max_pods(&self, v: &Val, attr: Span) -> Value<i64> {
        let text = match &v.v {
            V::Str(s) => decode_user_data(s),
            _ => {
                // Unknown user data only matters when it visibly sets max pods.
                let src = self.sources.get(attr.file).slice(attr);
                if src.contains("max-pods") || src.contains("maxPods") {
                    if let Some((u, s)) = v.first_unknown() {
                        return Value::unknown(u.reason.clone(), s);
                    }
                    return Value::unknown("the user data is not a known string", attr);
                }
                return Value::Absent;
            }
        };
        match parse_max_pods(&text) {
            Some(Ok(n)) => Value::Known(n, self.origin(v, attr)),
            Some(Err(())) => Value::unknown(
                "the user data sets max pods to a value eks-lint cannot read",
                attr,
            ),
            None => Value::Absent,
        }
    }

    fn self_managed(&self, clusters: &mut Vec<(Option<InstRef>, Cluster)>) {
        for i in self.instances("aws_autoscaling_group") {
            let body = &i.r.block.body;
            let span = self.block_span(&i);
            let mut lt_block = self.blocks(&i, body, "launch_template").into_iter().next();
            let mut overrides: Vec<(Val, Span)> = Vec::new();
            if let Some(mip) = body.get_blocks("mixed_instances_policy").next() {
                if let Some(l) = mip.body.get_blocks("launch_template").next() {
                    if let Some(spec) = self
                        .blocks(&i, &l.body, "launch_template_specification")
                        .into_iter()
                        .next()
                    {
                        lt_block = Some(spec);
                    }
                    for o in self.blocks(&i, &l.body, "override") {
                        if let Some(x) = self.get_in(&i, &o, "instance_type") {
                            overrides.push(x);
                        }
                    }
                }
            }
            let lt = lt_block.and_then(|b| self.launch_template(&i, &b));
            let cluster_tag = self.cluster_tag(&i);
            let eks_like = cluster_tag.is_some()
                || lt.as_ref().is_some_and(|l| !l.max_pods.is_absent())
                || self.mentions_eks(&i);
            if !eks_like {
                continue;
            }
            let name = self
                .get(&i, body, "name")
                .and_then(|(v, _)| str_of(&v))
                .unwrap_or_else(|| self.ev.address(&i.id));
            let mut ng = NodeGroup::new(name, span, NodeGroupKind::SelfManaged);
            if !overrides.is_empty() {
                ng.instance_types = overrides
                    .iter()
                    .map(|(v, a)| self.to_value(v, *a, str_of))
                    .collect();
            } else if let Some(l) = lt.as_ref().filter(|l| !l.instance_type.is_absent()) {
                ng.instance_types = vec![l.instance_type.clone()];
            } else if lt.is_some() {
                ng.instance_types_unknown = Some(Unknown {
                    reason: "neither the launch template nor the auto scaling group names an instance type (attribute-based selection?)".into(),
                    span,
                });
            } else {
                ng.instance_types_unknown = Some(Unknown {
                    reason: "the launch template of this auto scaling group is not in the module"
                        .into(),
                    span,
                });
            }
            ng.min_size = self.value(self.get(&i, body, "min_size"), int_of);
            ng.max_size = self.value(self.get(&i, body, "max_size"), int_of);
            ng.desired_size = self.value(self.get(&i, body, "desired_capacity"), int_of);
            ng.subnets = self.subnet_list(self.get(&i, body, "vpc_zone_identifier"));
            if let Some(l) = lt {
                ng.max_pods = l.max_pods;
                ng.custom_ami = l.custom_ami;
            }
            let c = match cluster_tag {
                Some((v, s)) => self.attach(clusters, &i, Some((v, s)), span),
                None => self.attach(clusters, &i, None, span),
            };
            clusters[c].1.node_groups.push(ng);
        }
    }

    /// `kubernetes.io/cluster/<name>` in `tag` blocks or `tags`: the cluster name.
    fn cluster_tag(&self, i: &Inst) -> Option<(Val, Span)> {
        const PREFIX: &str = "kubernetes.io/cluster/";
        for t in self.blocks(i, &i.r.block.body, "tag") {
            if let Some((k, s)) = self.get_in(i, &t, "key") {
                if let Some(n) = str_of(&k).and_then(|k| k.strip_prefix(PREFIX).map(String::from)) {
                    return Some((Val::str(n, s), s));
                }
            }
        }
        let (tags, s) = self.get(i, &i.r.block.body, "tags")?;
        let items: Vec<Val> = match tags.v {
            V::List(l) => l,
            V::Map(m) => m.into_keys().map(|k| Val::str(k, s)).collect(),
            _ => Vec::new(),
        };
        for t in items {
            let key = match &t.v {
                V::Map(m) => m.get("key").and_then(str_of),
                _ => str_of(&t),
            };
            if let Some(n) = key.and_then(|k| k.strip_prefix(PREFIX).map(String::from)) {
                return Some((Val::str(n, s), s));
            }
        }
        None
    }

    fn mentions_eks(&self, i: &Inst) -> bool {
        let span = self.block_span(i);
        let text = self.sources.get(span.file).slice(span);
        text.contains("eks") || text.contains("kubernetes")
    }

    fn addons(&self, clusters: &mut Vec<(Option<InstRef>, Cluster)>) {
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
    fn config_values(&self, i: &Inst, a: &Attribute, cni: &mut CniConfig) {
        let attr = self.attr_span(i, a);
        if let hcl_edit::expr::Expression::FuncCall(f) = &a.value {
            if matches!(f.name.name.as_str(), "jsonencode" | "yamlencode") {
                if let Some(arg) = f.args.iter().next() {
                    let pf = self.ev.m.files[i.r.file];
                    let sc = super::eval::Scope::with_inst(pf, Some(&i.ctx));
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
                    let val = super::value::from_json(&j, v.span);
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
    fn env_from_val(&self, v: &Val, attr: Span, cni: &mut CniConfig) {
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
    pub(super) fn env_from_located(&self, v: &Val, attr: Span, cni: &mut CniConfig) {
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

    fn helm(&self, clusters: &mut [(Option<InstRef>, Cluster)]) {
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
            // `values = [yamlencode({...}) | file(...) | heredoc]`, applied in order.
            if let Some(a) = body.get_attribute("values") {
                let attr = self.attr_span(&i, a);
                let mut handled = false;
                if let hcl_edit::expr::Expression::Array(arr) = &a.value {
                    let pf = self.ev.m.files[i.r.file];
                    let sc = super::eval::Scope::with_inst(pf, Some(&i.ctx));
                    for e in arr.iter() {
                        if let hcl_edit::expr::Expression::FuncCall(f) = e {
                            if matches!(f.name.name.as_str(), "yamlencode" | "jsonencode") {
                                if let Some(arg) = f.args.iter().next() {
                                    let v = self.ev.eval(arg, &sc);
                                    self.env_from_val(&v, attr, &mut cni);
                                    continue;
                                }
                            }
                        }
                        let v = self.ev.eval(e, &sc);
                        self.helm_values_str(&v, attr, &mut cni);
                    }
                    handled = true;
                }
                if !handled {
                    let v = self.ev.instance_attr(&i.id, a);
                    match &v.v {
                        V::List(items) => {
                            for x in items {
                                self.helm_values_str(x, attr, &mut cni);
                            }
                        }
                        _ => self.helm_values_str(&v, attr, &mut cni),
                    }
                }
            }
            // `set { name = "env.X" value = ... }` blocks override values.
            for s in self.blocks(&i, body, "set") {
                let Some(name) = self.get_in(&i, &s, "name").and_then(|(v, _)| str_of(&v)) else {
                    continue;
                };
                let Some(env) = name.strip_prefix("env.") else {
                    continue;
                };
                let Some((v, attr)) = self.get_in(&i, &s, "value") else {
                    continue;
                };
                let block = self.ev.m.span_of(i.r.file, s.block);
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
            for (_, c) in clusters.iter_mut() {
                let mut merged = c.cni.clone();
                merged.env.extend(cni.env.clone());
                merged.span = merged.span.or(cni.span);
                if merged.unknown.is_none() {
                    merged.unknown = cni.unknown.clone();
                }
                c.cni = merged;
            }
        }
    }

    /// ENIConfig objects written as `kubernetes_manifest` (custom networking): one per AZ,
    /// named after the zone, with the pod subnet in `spec.subnet`. They apply to every
    /// cluster of the module (the manifest does not name its cluster).
    fn eni_configs(&self, clusters: &mut [(Option<InstRef>, Cluster)]) {
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

    fn helm_values_str(&self, v: &Val, attr: Span, cni: &mut CniConfig) {
        match &v.v {
            V::Str(s) => {
                if let Some(j) = yaml_to_json(s) {
                    let val = super::value::from_json(&j, v.span);
                    self.env_from_located(&val, attr, cni);
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

/// A block's body with the names its expressions may use (`dynamic` iterators).
struct BlockView<'b> {
    body: &'b Body,
    block: &'b Block,
    names: Vec<(String, Val)>,
}

struct LaunchTemplate {
    instance_type: Value<String>,
    max_pods: Value<i64>,
    custom_ami: bool,
}

fn str_of(v: &Val) -> Option<String> {
    match &v.v {
        V::Str(s) => Some(s.clone()),
        V::Num(n) => Some(fmt_num(*n)),
        V::Bool(b) => Some(b.to_string()),
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

/// User data is often base64 (`base64encode(...)`); MIME multipart stays as text.
fn decode_user_data(s: &str) -> String {
    let t = s.trim();
    if !t.is_empty()
        && !t.contains(char::is_whitespace)
        && t.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
    {
        if let Some(text) = super::funcs::base64_decode(t).and_then(|b| String::from_utf8(b).ok()) {
            return text;
        }
    }
    s.to_string()
}

/// Some(Ok(n)) when the user data sets max pods; Some(Err) when it does but not as a number.
pub fn parse_max_pods(text: &str) -> Option<Result<i64, ()>> {
    let mut found: Option<Result<i64, ()>> = None;
    let num_after = |rest: &str| -> Result<i64, ()> {
        let rest = rest.trim_start_matches(['=', ' ', ':', '"', '\'']);
        let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        digits.parse().map_err(|_| ())
    };
    for (pos, _) in text.match_indices("--max-pods") {
        found = Some(num_after(&text[pos + "--max-pods".len()..]));
    }
    for key in ["maxPods", "\"maxPods\""] {
        for (pos, _) in text.match_indices(key) {
            let rest = &text[pos + key.len()..];
            if rest.trim_start().starts_with(':') || rest.trim_start().starts_with('"') {
                found = Some(num_after(rest.trim_start_matches('"')));
            }
        }
    }
    if found.is_none() {
        for pat in [
            "--use-max-pods false",
            "--use-max-pods=false",
            "--use-max-pods \"false\"",
        ] {
            if text.contains(pat) {
                // Without --max-pods the kubelet keeps its own default of 110.
                return Some(Ok(110));
            }
        }
    }
    found
}

/// Parse YAML (or JSON, a subset) into JSON for env extraction.
pub(super) fn yaml_to_json(s: &str) -> Option<serde_json::Value> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_pods_from_bootstrap_and_nodeadm() {
        assert_eq!(
            parse_max_pods("/etc/eks/bootstrap.sh c --kubelet-extra-args '--max-pods=20'"),
            Some(Ok(20))
        );
        assert_eq!(
            parse_max_pods(
                "bootstrap.sh c --use-max-pods false --kubelet-extra-args '--max-pods 35'"
            ),
            Some(Ok(35))
        );
        assert_eq!(
            parse_max_pods("bootstrap.sh c --use-max-pods false"),
            Some(Ok(110))
        );
        assert_eq!(
            parse_max_pods("apiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  kubelet:\n    config:\n      maxPods: 58\n"),
            Some(Ok(58))
        );
        assert_eq!(parse_max_pods("{\"maxPods\": 17}"), Some(Ok(17)));
        assert_eq!(parse_max_pods("--max-pods=${max_pods}"), Some(Err(())));
        assert_eq!(parse_max_pods("#!/bin/bash\necho hi"), None);
    }

    #[test]
    fn base64_user_data_is_decoded() {
        let enc = super::super::funcs::base64_encode(b"x --max-pods 11");
        assert_eq!(parse_max_pods(&decode_user_data(&enc)), Some(Ok(11)));
    }

    #[test]
    fn yaml_values_become_json() {
        let j = yaml_to_json("env:\n  WARM_IP_TARGET: 2\n  ENABLE_PREFIX_DELEGATION: \"true\"\n")
            .unwrap();
        assert_eq!(j["env"]["WARM_IP_TARGET"], 2);
        assert_eq!(j["env"]["ENABLE_PREFIX_DELEGATION"], "true");
    }
}
