//! The phases of extracting one module (network, clusters, finish) and attaching node groups,
//! add-ons and settings to the cluster they name.

use super::core::*;
use super::network::{drop_foreign_subnets, settle_zones};
use crate::model::{Cidr, Cluster, CniConfig, IpFamily, SourceKind, SubnetId, Value};
use crate::source::Span;
use crate::terraform::value::{InstRef, Val};
use std::collections::HashMap;

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    /// Every phase, for a module that calls no other module.
    pub fn run(mut self) -> Vec<Cluster> {
        self.network(Imported::default());
        let clusters = self.clusters();
        let kinds = vec![FoundKind::Defined; clusters.len()];
        settle_root(self.finish(clusters, kinds).0)
    }

    /// Phase 1: the network, this module's subnets and VPCs after those `imported` from the
    /// modules it calls (an alias of one of its own is read as its own).
    pub fn network(&mut self, imported: Imported) {
        let back: HashMap<InstRef, InstRef> = imported
            .aliases
            .iter()
            .map(|(own, ext)| (ext.clone(), own.clone()))
            .collect();
        let own = |v: InstRef| back.get(&v).cloned().unwrap_or(v);
        for (id, subnet, vpc) in imported.subnets {
            if back.contains_key(&id) {
                continue;
            }
            self.subnet_ids.insert(id, self.subnets.len());
            self.subnet_vpc.push(vpc.map(own));
            self.subnets.push(subnet);
        }
        self.collect_subnets();
        for (o, ext) in &imported.aliases {
            if let Some(&sid) = self.subnet_ids.get(o) {
                self.subnet_ids.insert(ext.clone(), sid);
            }
        }
        let vpcs = imported
            .vpcs
            .into_iter()
            .filter(|(id, _)| !back.contains_key(id))
            .collect();
        self.vpcs = self.collect_vpcs(vpcs);
        self.aliases = imported.aliases;
    }

    /// Phase 2: the module's `aws_eks_cluster` resources (with their instance); the caller may
    /// add clusters of modelled registry modules and those its called modules yield
    /// ([`Self::adopt`]) before [`Self::finish`].
    pub fn clusters(&self) -> Vec<(Option<InstRef>, Cluster)> {
        let mut clusters: Vec<(Option<InstRef>, Cluster)> = Vec::new();
        for i in self.instances("aws_eks_cluster") {
            let span = self.block_span(&i);
            let name = self.value(self.get(&i, &i.r.block.body, "name"), str_of);
            let mut c = Cluster::new(name, span, SourceKind::Terraform);
            c.defined_at = Some(self.ev.address(&i.id));
            let root = i.root();
            match self.ev.blocks(&i.id, &root, "vpc_config") {
                Ok(b) => {
                    if let Some(vc) = b.first() {
                        let subnets = self.ev.block_attr(&i.id, vc, "subnet_ids");
                        c.control_plane_subnets = self.subnet_list(subnets);
                    }
                }
                Err(u) => c.control_plane_subnets = unknown_of(&u),
            }
            match self.ev.blocks(&i.id, &root, "kubernetes_network_config") {
                Ok(b) => {
                    if let Some(kn) = b.first() {
                        let get = |n| self.ev.block_attr(&i.id, kn, n);
                        c.ip_family = self.value(get("ip_family"), |v| {
                            match str_of(v)?.to_ascii_lowercase().as_str() {
                                "ipv6" => Some(IpFamily::Ipv6),
                                "ipv4" => Some(IpFamily::Ipv4),
                                _ => None,
                            }
                        });
                        c.service_cidr = self.value(get("service_ipv4_cidr"), |v| {
                            str_of(v).map(|s| Cidr::parse(&s))
                        });
                    }
                }
                Err(u) => {
                    c.ip_family = unknown_of(&u);
                    c.service_cidr = unknown_of(&u);
                }
            }
            c.auto_mode = self.compute_config(&i);
            clusters.push((Some(i.id.clone()), c));
        }
        clusters
    }

    /// Take the clusters a called module yielded (its subnets re-numbered into this
    /// module's): a defined cluster as it is; node groups and add-ons that name a cluster
    /// into this module's cluster of that name (through the expression that names it:
    /// `cluster_name = var.cluster_name` fed `aws_eks_cluster.this.name` or
    /// `module.eks.cluster_name`); settings that name none into this module's only cluster.
    /// What finds no cluster here goes on to this module's caller. `kinds` is parallel to
    /// `clusters`.
    pub fn adopt(
        &self,
        clusters: &mut Vec<(Option<InstRef>, Cluster)>,
        kinds: &mut Vec<FoundKind>,
        mut found: Vec<Found>,
    ) {
        // Defined clusters first, so what names them finds them whatever the call order.
        found.sort_by_key(|f| f.kind as u8);
        for f in found {
            let mut c = f.cluster;
            self.renumber(&mut c, &f.refs);
            let target = match f.kind {
                FoundKind::Defined => None,
                FoundKind::Named => clusters
                    .iter()
                    .position(|(_, t)| same_name(&t.name, &c.name)),
                FoundKind::Anywhere => {
                    let mut real = kinds
                        .iter()
                        .enumerate()
                        .filter(|(_, k)| **k != FoundKind::Anywhere);
                    match (real.next(), real.next()) {
                        (Some((i, _)), None) => Some(i),
                        _ => None,
                    }
                }
            };
            match target {
                Some(i) => absorb(&mut clusters[i].1, c),
                None => {
                    clusters.push((None, c));
                    kinds.push(f.kind);
                }
            }
        }
    }

    /// Subnet ids of a called module's cluster (indexes into its subnets, whose instances are
    /// `refs`) → this module's.
    fn renumber(&self, c: &mut Cluster, refs: &[Option<InstRef>]) {
        let map = |ids: &mut Value<Vec<SubnetId>>| {
            let Value::Known(list, o) = ids else { return };
            let new: Option<Vec<SubnetId>> = list
                .iter()
                .map(|&i| {
                    let r = refs.get(i)?.as_ref()?;
                    self.subnet_ids.get(r).copied()
                })
                .collect();
            *ids = match new {
                Some(n) => Value::Known(n, o.clone()),
                None => Value::unknown(
                    "a subnet of the module that defines it is not visible here",
                    o.span,
                ),
            };
        };
        map(&mut c.control_plane_subnets);
        for ng in &mut c.node_groups {
            map(&mut ng.subnets);
        }
        for e in &mut c.cni.eni_configs {
            if let Value::Known(id, o) = &e.subnet {
                let new = refs
                    .get(*id)
                    .and_then(|r| r.as_ref())
                    .and_then(|r| self.subnet_ids.get(r).copied());
                e.subnet = match new {
                    Some(n) => Value::Known(n, o.clone()),
                    None => Value::unknown(
                        "a subnet of the module that defines it is not visible here",
                        o.span,
                    ),
                };
            }
        }
    }

    /// `compute_config` (EKS Auto Mode): `enabled` and the built-in `node_pools`.
    fn compute_config(&self, i: &Inst) -> Option<crate::model::AutoMode> {
        let blocks = match self.ev.blocks(&i.id, &i.root(), "compute_config") {
            Ok(b) => b,
            Err(u) => {
                return Some(crate::model::AutoMode {
                    span: self.block_span(i),
                    enabled: unknown_of(&u),
                    node_pools: unknown_of(&u),
                })
            }
        };
        let b = blocks.first()?;
        let get = |n| self.ev.block_attr(&i.id, b, n);
        let enabled = match self.value(get("enabled"), |v| match v.v {
            crate::terraform::value::V::Bool(x) => Some(x),
            _ => None,
        }) {
            Value::Absent => Value::known(false, self.block_span(i)),
            v => v,
        };
        let node_pools = self.value(get("node_pools"), |v| match &v.v {
            crate::terraform::value::V::List(l) => l.iter().map(str_of).collect(),
            _ => None,
        });
        Some(crate::model::AutoMode {
            span: enabled.span().unwrap_or(self.block_span(i)),
            enabled,
            node_pools,
        })
    }

    /// Phase 3: node groups, add-ons and CNI settings attached to `clusters` (a module
    /// without any gets a placeholder, so settings that name no cluster reach its caller),
    /// every cluster given the module's subnets and its VPC; and what the module exports to
    /// its caller. `kinds` says how each of `clusters` came to be (clusters node groups
    /// create by naming one are [`FoundKind::Named`]).
    pub fn finish(
        mut self,
        mut clusters: Vec<(Option<InstRef>, Cluster)>,
        mut kinds: Vec<FoundKind>,
    ) -> (Vec<Found>, Exported) {
        if clusters.is_empty() {
            clusters.push((None, placeholder()));
            kinds.push(FoundKind::Anywhere);
        }
        self.node_groups(&mut clusters);
        self.fargate_profiles(&mut clusters);
        self.self_managed(&mut clusters);
        self.addons(&mut clusters);
        self.helm(&mut clusters);
        self.overlays(&mut clusters);
        let manifests = self.manifests();
        let eni = self.manifest_eni_configs(&manifests);
        // A manifest does not name its cluster: it applies to every cluster of the module.
        for (_, c) in clusters.iter_mut() {
            c.cni.eni_configs.extend(eni.iter().cloned());
        }
        let node_pools = self.node_pools(&clusters, &manifests);
        let ssm = self.ssm_parameters();
        // Every cluster sees every subnet of the module (overlap and VPC rules need them all).
        let subnets = std::mem::take(&mut self.subnets);
        let vpcs = std::mem::take(&mut self.vpcs);
        // The instance of each subnet: the module's own address before an alias.
        let mut refs: Vec<Option<InstRef>> = vec![None; subnets.len()];
        let mut exported = Exported {
            node_pools,
            ssm,
            ..Exported::default()
        };
        for (id, &sid) in &self.subnet_ids {
            if let Some(r) = refs.get_mut(sid) {
                if r.as_ref().is_none_or(InstRef::is_external) {
                    *r = Some(id.clone());
                }
            }
            if !id.is_external() && !self.aliases.contains_key(id) {
                let vpc = self.subnet_vpc.get(sid).cloned().flatten();
                exported
                    .subnets
                    .push((id.clone(), subnets[sid].clone(), vpc));
            }
        }
        exported.vpcs = vpcs
            .iter()
            .filter(|(id, _)| !id.is_external() && !self.aliases.contains_key(id))
            .cloned()
            .collect();
        let found = clusters
            .into_iter()
            .enumerate()
            .filter_map(|(i, (_, mut c))| {
                let kind = kinds.get(i).copied().unwrap_or(FoundKind::Named);
                if kind == FoundKind::Anywhere && is_empty(&c) {
                    return None;
                }
                c.subnets = subnets.clone();
                c.vpc = self.cluster_vpc(&c, &vpcs);
                let mut keep = vec![true; subnets.len()];
                if let Some(v) = &c.vpc {
                    let vref = vpcs.iter().find(|(_, x)| x.name == v.name).map(|x| &x.0);
                    keep = drop_foreign_subnets(&mut c, &self.subnet_vpc, vref);
                }
                settle_zones(&mut c);
                let refs = refs
                    .iter()
                    .zip(&keep)
                    .filter(|(_, k)| **k)
                    .map(|(r, _)| r.clone())
                    .collect();
                Some(Found {
                    cluster: c,
                    kind,
                    refs,
                })
            })
            .collect();
        (found, exported)
    }

    /// The cluster a node group, addon or ASG belongs to: by reference to an
    /// `aws_eks_cluster`, else by name; a synthetic cluster is created when none matches.
    pub(super) fn attach(
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
                        .and_then(|r| self.ev.m.resources.get(r))
                        .is_some_and(|r| r.name == rname)
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
}

/// The cluster of a module without one, until settings that name no cluster reach it.
fn placeholder() -> Cluster {
    Cluster::new(
        Value::unknown("no cluster name is given", Span::default()),
        Span::default(),
        SourceKind::Terraform,
    )
}

/// A placeholder that nothing reached.
fn is_empty(c: &Cluster) -> bool {
    c.node_groups.is_empty() && c.cni == CniConfig::default()
}

/// Two cluster names that are the same cluster: equal when known, the same reason when not
/// (two node groups on one unknown `module.eks.cluster_name`).
pub(super) fn same_name(a: &Value<String>, b: &Value<String>) -> bool {
    match (a, b) {
        (Value::Known(a, _), Value::Known(b, _)) => a == b,
        (Value::Unknown(a), Value::Unknown(b)) => a.reason == b.reason,
        _ => false,
    }
}

/// `from`'s node groups and VPC CNI settings join `target` (the add-on's settings over what
/// the cluster had).
fn absorb(target: &mut Cluster, from: Cluster) {
    target.node_groups.extend(from.node_groups);
    let cni = from.cni;
    target.cni.env.extend(cni.env);
    target.cni.span = target.cni.span.or(cni.span);
    if target.cni.unknown.is_none() {
        target.cni.unknown = cni.unknown;
    }
    target.cni.eni_configs.extend(cni.eni_configs);
    target.cni.plugins.extend(cni.plugins);
}

/// The clusters of a root module: settings that reached no cluster are dropped; node groups
/// that named none stay, as a cluster without a name.
pub fn settle_root(found: Vec<Found>) -> Vec<Cluster> {
    found
        .into_iter()
        .filter(|f| !(f.kind == FoundKind::Anywhere && f.cluster.node_groups.is_empty()))
        .map(|f| {
            let mut c = f.cluster;
            if f.kind == FoundKind::Anywhere && c.span == Span::default() {
                if let Some(ng) = c.node_groups.first() {
                    c.span = ng.span;
                    c.name = Value::unknown("no cluster name is given", ng.span);
                }
            }
            c
        })
        .collect()
}
