//! The network of a module: its subnets and VPCs, which VPC a cluster is in, and which subnets
//! belong to a cluster's VPC.

use super::core::*;
use crate::model::{Cidr, Cluster, Subnet, SubnetId, Value, Vpc};
use crate::source::Span;
use crate::terraform::value::to_str;
use crate::terraform::value::{InstRef, Val, V};
use std::collections::BTreeMap;
use std::collections::HashSet;

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    pub(super) fn collect_subnets(&mut self) {
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
            let az = match self
                .get(&i, body, "availability_zone")
                .or_else(|| self.get(&i, body, "availability_zone_id"))
            {
                Some((v, attr)) if !matches!(v.v, V::Null) => self.az_value(&v, attr),
                _ => Value::Absent,
            };
            let public = self
                .get(&i, body, "map_public_ip_on_launch")
                .and_then(|(v, _)| match v.v {
                    V::Bool(b) => Some(b),
                    _ => None,
                });
            let mut tags = BTreeMap::new();
            let mut unknown_tags = BTreeMap::new();
            if let Some((V::Map(m), _)) = self.get(&i, body, "tags").map(|(v, s)| (v.v, s)) {
                for (k, v) in m {
                    match to_str(&v) {
                        Ok(s) => {
                            tags.insert(k, s);
                        }
                        Err(u) => {
                            unknown_tags.insert(k, why(&u).reason);
                        }
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
                unknown_tags,
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
    pub(super) fn collect_vpcs(&self, ext: Vec<(InstRef, Vpc)>) -> Vec<(InstRef, Vpc)> {
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
    pub(super) fn cluster_vpc(&self, c: &Cluster, vpcs: &[(InstRef, Vpc)]) -> Option<Vpc> {
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

    /// The subnet of a linked SSM parameter's token, as this module knows it.
    fn linked_id(&self, token: &str) -> Option<SubnetId> {
        self.subnet_ids.get(&self.ev.linked_subnet(token)?).copied()
    }

    /// A list of subnet references → subnet ids of this module.
    pub(crate) fn subnet_list(&self, got: Option<(Val, Span)>) -> Value<Vec<SubnetId>> {
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
                // A subnet another root hands over through an SSM parameter (`links.rs`).
                V::Str(s) if self.linked_id(s).is_some() => ids.extend(self.linked_id(s)),
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
}

/// Zones named by their place in a list of distinct zones ([`symbolic_zone`]) are only
/// comparable with each other, within one list: when a cluster's subnets also name zones
/// literally, or come from two lists (`names` and `zone_ids`), those zones are unknown.
pub fn settle_zones(c: &mut Cluster) {
    let mut lists: HashSet<&str> = HashSet::new();
    let mut literal = false;
    for s in &c.subnets {
        if let Value::Known(az, _) = &s.az {
            match symbolic_zone(az) {
                Some(l) => {
                    lists.insert(l);
                }
                None => literal = true,
            }
        }
    }
    if lists.is_empty() || (lists.len() == 1 && !literal) {
        return;
    }
    for s in &mut c.subnets {
        if let Value::Known(az, o) = &s.az {
            if let Some(l) = symbolic_zone(az) {
                let why = format!("it is `{az}`, read from AWS at plan time, and the cluster's other subnets name zones otherwise, not from `{l}`: it may be one of theirs");
                s.az = Value::unknown(why, o.span);
            }
        }
    }
}

/// Subnets of another VPC than the cluster's (two vpc modules in one root, e.g. a remote
/// network for hybrid nodes) are not the cluster's: drop those no node group or the control
/// plane uses, renumbering the subnet ids.
/// Returns which of the subnets were kept.
pub fn drop_foreign_subnets(
    c: &mut Cluster,
    subnet_vpc: &[Option<InstRef>],
    vpc: Option<&InstRef>,
) -> Vec<bool> {
    let all = vec![true; c.subnets.len()];
    let Some(vpc) = vpc else { return all };
    let mut used: HashSet<usize> = c
        .control_plane_subnets
        .get()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .collect();
    for ng in &c.node_groups {
        used.extend(ng.subnets.get().cloned().unwrap_or_default());
    }
    for e in &c.cni.eni_configs {
        used.extend(e.subnet.get().copied());
    }
    let keep: Vec<bool> = (0..c.subnets.len())
        .map(|i| {
            used.contains(&i)
                || match subnet_vpc.get(i) {
                    Some(Some(v)) => v == vpc,
                    _ => true,
                }
        })
        .collect();
    if keep.iter().all(|k| *k) {
        return keep;
    }
    let mut map = vec![usize::MAX; keep.len()];
    let mut next = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            map[i] = next;
            next += 1;
        }
    }
    let old = std::mem::take(&mut c.subnets);
    c.subnets = old
        .into_iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(s, _)| s)
        .collect();
    let remap = |v: &mut Value<Vec<usize>>| {
        if let Value::Known(ids, _) = v {
            for id in ids.iter_mut() {
                *id = map.get(*id).copied().unwrap_or(*id);
            }
        }
    };
    remap(&mut c.control_plane_subnets);
    for ng in &mut c.node_groups {
        remap(&mut ng.subnets);
    }
    for e in &mut c.cni.eni_configs {
        if let Value::Known(id, _) = &mut e.subnet {
            *id = map.get(*id).copied().unwrap_or(*id);
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NodeGroup, NodeGroupKind, SourceKind, Subnet};
    use crate::source::Span;
    use crate::terraform::value::InstKey;
    use std::collections::BTreeMap;

    fn subnet(name: &str) -> Subnet {
        Subnet {
            name: name.into(),
            span: Span::default(),
            cidr: Value::Absent,
            az: Value::Absent,
            public: None,
            tags: BTreeMap::new(),
            unknown_tags: BTreeMap::new(),
            prefix_reservations: Vec::new(),
            explicit_reservations: Vec::new(),
        }
    }

    #[test]
    fn foreign_vpc_subnets_are_dropped_and_ids_renumbered() {
        let r = |res| InstRef::local(res, InstKey::None);
        let mut c = Cluster::new(Value::Absent, Span::default(), SourceKind::Terraform);
        c.subnets = vec![subnet("remote"), subnet("a"), subnet("b"), subnet("novpc")];
        let mut ng = NodeGroup::new("ng", Span::default(), NodeGroupKind::Managed);
        ng.subnets = Value::known(vec![1, 2], Span::default());
        c.node_groups.push(ng);
        let vpcs = [Some(r(9)), Some(r(1)), Some(r(1)), None];
        let keep = drop_foreign_subnets(&mut c, &vpcs, Some(&r(1)));
        assert_eq!(keep, [false, true, true, true]);
        let names: Vec<_> = c.subnets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "novpc"]);
        assert_eq!(c.node_groups[0].subnets.get(), Some(&vec![0, 1]));
    }
}
