//! The network of a module: which subnets belong to a cluster's VPC.

use crate::model::{Cluster, Value};
use crate::terraform::value::InstRef;
use std::collections::HashSet;

/// Subnets of another VPC than the cluster's (two vpc modules in one root, e.g. a remote
/// network for hybrid nodes) are not the cluster's: drop those no node group or the control
/// plane uses, renumbering the subnet ids.
pub fn drop_foreign_subnets(
    c: &mut Cluster,
    subnet_vpc: &[Option<InstRef>],
    vpc: Option<&InstRef>,
) {
    let Some(vpc) = vpc else { return };
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
        return;
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
        drop_foreign_subnets(&mut c, &vpcs, Some(&r(1)));
        let names: Vec<_> = c.subnets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "novpc"]);
        assert_eq!(c.node_groups[0].subnets.get(), Some(&vec![0, 1]));
    }
}
