//! The phases of extracting one module (network, clusters, finish) and attaching node groups,
//! add-ons and settings to the cluster they name.

use super::core::*;
use super::network::drop_foreign_subnets;
use crate::model::{Cidr, Cluster, IpFamily, SourceKind, Value};
use crate::source::Span;
use crate::terraform::value::{InstRef, Val};

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
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

    /// Phase 3: node groups, add-ons and CNI settings attached to `clusters`, every cluster
    /// given the module's subnets and its VPC; and what the module exports to its caller.
    pub fn finish(
        mut self,
        mut clusters: Vec<(Option<InstRef>, Cluster)>,
    ) -> (Vec<Cluster>, Exported) {
        self.node_groups(&mut clusters);
        self.fargate_profiles(&mut clusters);
        self.self_managed(&mut clusters);
        self.addons(&mut clusters);
        self.helm(&mut clusters);
        self.overlays(&mut clusters);
        self.eni_configs(&mut clusters);
        let node_pools = self.node_pools(&clusters);
        // Every cluster sees every subnet of the module (overlap and VPC rules need them all).
        let subnets = std::mem::take(&mut self.subnets);
        let vpcs = std::mem::take(&mut self.vpcs);
        let mut exported = Exported {
            node_pools,
            ..Exported::default()
        };
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
}
