//! What every node group takes from each subnet at max size, indexed once per cluster: a
//! group's share of its subnets then costs its own subnets, not every other group's
//! (`count = 10000` node groups can share three subnets).

use super::{floor_div, sat_sum, subnet_demand, subnet_usable, ClusterFacts, GroupDemand};
use crate::model::{Cluster, SubnetId};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

/// Counting the node groups a group shares its subnets with may visit, over the whole
/// cluster, this many entries per entry of the index (plus [`UNION_WORK_BASE`]). Groups
/// usually share the same subnet list, whose count is computed once; only inputs built to make
/// every list different run out, and their counts then read "at least N".
const UNION_WORK_PER_ENTRY: u64 = 16;
const UNION_WORK_BASE: u64 = 1 << 20;

pub struct Demand {
    /// At the "full" pod count, else one pod per node.
    full: bool,
    /// Per subnet, in node-group order (a group may appear more than once in a row).
    by_subnet: BTreeMap<SubnetId, Vec<GroupDemand>>,
    /// Per subnet: addresses taken (by node groups and the expected Fargate pods) and distinct
    /// node groups taking them.
    totals: BTreeMap<SubnetId, (u64, usize)>,
    unions: RefCell<Unions>,
    /// Addresses of the expected Fargate pods, per subnet (also in `totals`).
    fargate: BTreeMap<SubnetId, u64>,
    /// Per node group: whether it stands for a Karpenter / Auto Mode pool.
    pools: Vec<bool>,
    /// The same index without the pools, for the fit of a node group with a max size: a pool
    /// launches nodes into what the subnets have left, so its ceiling does not take addresses
    /// from the fixed groups (the pool is the one that runs out, and EKS101 names it). None
    /// when the cluster has no pool or nothing else.
    fixed: Option<Box<Demand>>,
}

/// Memoised union sizes of sets of subnets, and what counting more may still cost.
struct Unions {
    size: HashMap<Vec<SubnetId>, usize>,
    budget: u64,
    /// Per node group, the last count that saw it (distinct counting without clearing).
    seen: Vec<u32>,
    epoch: u32,
}

/// Other node groups that take addresses from a set of subnets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sharing {
    /// The first ones by index, at most the number asked for.
    pub first: Vec<usize>,
    /// How many in all (a lower bound when `exact` is false).
    pub count: usize,
    pub exact: bool,
}

/// One subnet of a group's fit when other groups share its subnets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedSubnetFit {
    pub subnet: SubnetId,
    pub pod_subnet: SubnetId,
    pub usable: u64,
    /// Addresses other node groups and the expected Fargate pods take from this subnet (and
    /// its pod subnet) at max size.
    pub others: u64,
    /// The part of `others` the Fargate pods take.
    pub fargate: u64,
    /// Nodes of this group that still fit.
    pub nodes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedFit {
    pub subnets: Vec<SharedSubnetFit>,
    pub nodes: u64,
}

impl SharedFit {
    /// Node and pod subnets, sorted and distinct.
    pub fn subnet_ids(&self) -> Vec<SubnetId> {
        let mut v: Vec<SubnetId> = self
            .subnets
            .iter()
            .flat_map(|s| [s.subnet, s.pod_subnet])
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

impl Demand {
    /// At one pod per node, or at the "full" pod count when `full` (see [`subnet_demand`]).
    pub fn new(cluster: &Cluster, facts: &ClusterFacts, full: bool) -> Self {
        let pools: Vec<bool> = cluster
            .node_groups
            .iter()
            .map(|g| g.pool.is_some())
            .collect();
        let by_subnet = subnet_demand(cluster, facts, full);
        let fixed = (pools.iter().any(|&p| p) && pools.iter().any(|&p| !p)).then(|| {
            let only_fixed = by_subnet
                .iter()
                .map(|(&id, v)| {
                    let v: Vec<GroupDemand> =
                        v.iter().filter(|d| !pools[d.group]).cloned().collect();
                    (id, v)
                })
                .filter(|(_, v)| !v.is_empty())
                .collect();
            Box::new(Self::index(facts, full, only_fixed, pools.clone(), None))
        });
        Self::index(facts, full, by_subnet, pools, fixed)
    }

    fn index(
        facts: &ClusterFacts,
        full: bool,
        by_subnet: BTreeMap<SubnetId, Vec<GroupDemand>>,
        pools: Vec<bool>,
        fixed: Option<Box<Demand>>,
    ) -> Self {
        let mut totals: BTreeMap<SubnetId, (u64, usize)> = by_subnet
            .iter()
            .map(|(&id, v)| {
                let distinct = 1 + v.windows(2).filter(|w| w[0].group != w[1].group).count();
                (id, (sat_sum(v.iter().map(|d| d.addresses)), distinct))
            })
            .collect();
        // Fargate pods take addresses too (one each), but are no node group to list.
        for (&id, &n) in &facts.fargate.per_subnet {
            let t = totals.entry(id).or_insert((0, 0));
            t.0 = t.0.saturating_add(n);
        }
        let entries: u64 = by_subnet.values().map(|v| v.len() as u64).sum();
        Demand {
            full,
            by_subnet,
            totals,
            unions: RefCell::new(Unions {
                size: HashMap::new(),
                budget: UNION_WORK_BASE
                    .saturating_add(entries.saturating_mul(UNION_WORK_PER_ENTRY)),
                seen: vec![0; facts.node_groups.len()],
                epoch: 0,
            }),
            fargate: facts.fargate.per_subnet.clone(),
            pools,
            fixed,
        }
    }

    /// The index group `g`'s fit is counted in: without the pools for a node group.
    fn for_group(&self, g: usize) -> &Demand {
        match &self.fixed {
            Some(f) if !self.pools.get(g).copied().unwrap_or(false) => f,
            _ => self,
        }
    }

    /// What each group takes from subnet `id`, in node-group order.
    pub fn users(&self, id: SubnetId) -> &[GroupDemand] {
        self.by_subnet.get(&id).map_or(&[], Vec::as_slice)
    }

    /// The entries of group `g` in subnet `id`.
    fn own(&self, id: SubnetId, g: usize) -> &[GroupDemand] {
        let v = self.users(id);
        let lo = v.partition_point(|d| d.group < g);
        let hi = v.partition_point(|d| d.group <= g);
        &v[lo..hi]
    }

    /// Addresses taken from subnet `id` by groups other than `g`.
    fn others(&self, id: SubnetId, g: usize) -> u64 {
        let total = self.totals.get(&id).map_or(0, |t| t.0);
        total.saturating_sub(sat_sum(self.own(id, g).iter().map(|d| d.addresses)))
    }

    /// Nodes of group `g` that fit in its subnets after every other group at max size took
    /// its addresses. None when the fit is unknown.
    pub fn shared_fit(
        &self,
        cluster: &Cluster,
        facts: &ClusterFacts,
        g: usize,
    ) -> Option<SharedFit> {
        let d = self.for_group(g);
        if !std::ptr::eq(d, self) {
            return d.shared_fit(cluster, facts, g);
        }
        let gf = facts.node_groups.get(g)?;
        let t = gf.sizing_type(self.full)?;
        let fit = gf.fit.as_ref()?;
        let a = if self.full { &t.full } else { &t.one_pod };
        let mut subnets = Vec::with_capacity(fit.len());
        for s in fit {
            let o_node = self.others(s.subnet, gf.index);
            let (nodes, o) = if s.pod_subnet == s.subnet {
                (
                    floor_div(s.usable.saturating_sub(o_node), a.total()),
                    o_node,
                )
            } else {
                let o_pod = self.others(s.pod_subnet, gf.index);
                let pod_usable = subnet_usable(cluster, s.pod_subnet).unwrap_or(0);
                (
                    floor_div(s.usable.saturating_sub(o_node), a.node_subnet)
                        .min(floor_div(pod_usable.saturating_sub(o_pod), a.pod_subnet)),
                    o_node.saturating_add(o_pod),
                )
            };
            let fargate_in = |id| self.fargate.get(&id).copied().unwrap_or(0);
            let fargate = if s.pod_subnet == s.subnet {
                fargate_in(s.subnet)
            } else {
                fargate_in(s.subnet).saturating_add(fargate_in(s.pod_subnet))
            };
            subnets.push(SharedSubnetFit {
                subnet: s.subnet,
                pod_subnet: s.pod_subnet,
                usable: s.usable,
                others: o,
                fargate,
                nodes,
            });
        }
        let nodes = sat_sum(subnets.iter().map(|s| s.nodes));
        Some(SharedFit { subnets, nodes })
    }

    /// Addresses used at max size in a set of subnets against what they hold: (used, usable).
    /// Pod subnets of custom networking count when they are in `subnets`.
    /// Counted as group `g`'s fit is: without the pools for a node group.
    pub fn fleet_usage(
        &self,
        cluster: &Cluster,
        subnets: &[SubnetId],
        g: usize,
    ) -> Option<(u64, u64)> {
        let d = self.for_group(g);
        if !std::ptr::eq(d, self) {
            return d.fleet_usage(cluster, subnets, g);
        }
        let mut ids = subnets.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let mut used = 0u64;
        let mut usable = 0u64;
        for id in ids {
            usable = usable.saturating_add(subnet_usable(cluster, id)?);
            used = used.saturating_add(self.totals.get(&id).map_or(0, |t| t.0));
        }
        Some((used, usable))
    }

    /// The node groups other than `g` that take addresses from any of `subnets` (sorted and
    /// distinct): the first `first` of them by index, and how many in all.
    pub fn sharing(&self, subnets: &[SubnetId], g: usize, first: usize) -> Sharing {
        let d = self.for_group(g);
        if !std::ptr::eq(d, self) {
            return d.sharing(subnets, g, first);
        }
        // The smallest `first + 1` others of each subnet hold the smallest of the union.
        let mut firsts: Vec<usize> = Vec::new();
        for &id in subnets {
            let mut last = None;
            let mut taken = 0;
            for d in self.users(id) {
                if d.group == g || last == Some(d.group) {
                    continue;
                }
                last = Some(d.group);
                firsts.push(d.group);
                taken += 1;
                if taken > first {
                    break;
                }
            }
        }
        firsts.sort_unstable();
        firsts.dedup();
        if firsts.len() <= first {
            // No subnet had more: this is the whole union.
            let count = firsts.len();
            return Sharing {
                first: firsts,
                count,
                exact: true,
            };
        }
        firsts.truncate(first);
        let in_own = subnets.iter().any(|&id| !self.own(id, g).is_empty());
        let (count, exact) = match self.union_size(subnets) {
            Some(n) => (n - usize::from(in_own), true),
            None => {
                // Each subnet's own count is exact and a lower bound of the union's.
                let most = subnets
                    .iter()
                    .map(|&id| {
                        let distinct = self.totals.get(&id).map_or(0, |t| t.1);
                        distinct - usize::from(!self.own(id, g).is_empty())
                    })
                    .max()
                    .unwrap_or(0);
                (most.max(first + 1), false)
            }
        };
        Sharing {
            first: firsts,
            count,
            exact,
        }
    }

    /// Distinct node groups taking addresses from `subnets` (sorted, distinct), memoised;
    /// None once the work budget is spent.
    fn union_size(&self, subnets: &[SubnetId]) -> Option<usize> {
        let mut u = self.unions.borrow_mut();
        if let Some(&n) = u.size.get(subnets) {
            return Some(n);
        }
        let work: u64 = subnets.iter().map(|&id| self.users(id).len() as u64).sum();
        if work > u.budget {
            return None;
        }
        u.budget -= work;
        u.epoch = u.epoch.wrapping_add(1);
        if u.epoch == 0 {
            // Wrapped around: old marks could collide with the new epoch.
            u.seen.iter_mut().for_each(|x| *x = 0);
            u.epoch = 1;
        }
        let epoch = u.epoch;
        let mut n = 0;
        for &id in subnets {
            for d in self.users(id) {
                if let Some(mark) = u.seen.get_mut(d.group) {
                    if *mark != epoch {
                        *mark = epoch;
                        n += 1;
                    }
                }
            }
        }
        u.size.insert(subnets.to_vec(), n);
        Some(n)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{analyze, tests::cluster_with, CapacityOptions};
    use super::*;
    use crate::model::{NodeGroupKind, Value};
    use crate::source::Span;

    /// 40 groups on pseudo-random subsets of 6 subnets (30 nodes: some in every subnet).
    fn mixed() -> (Cluster, ClusterFacts) {
        let cidrs: Vec<String> = (0..6).map(|i| format!("10.0.{}.0/20", i * 16)).collect();
        let refs: Vec<&str> = cidrs.iter().map(String::as_str).collect();
        let mut c = cluster_with(&refs, &["m5.large"], 30, NodeGroupKind::Managed);
        let proto = c.node_groups[0].clone();
        c.node_groups.clear();
        let mut x: u32 = 7;
        for i in 0..40 {
            let mut ng = proto.clone();
            ng.name = format!("g{i}");
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let ids: Vec<usize> = (0..6).filter(|b| (x >> (8 + b)) & 1 == 1).collect();
            ng.subnets = Value::known(
                if ids.is_empty() { vec![i % 6] } else { ids },
                Span::default(),
            );
            c.node_groups.push(ng);
        }
        let f = analyze(&c, CapacityOptions::default());
        (c, f)
    }

    /// The groups sharing a subnet with `g`, the slow way.
    fn brute(c: &Cluster, g: usize) -> Vec<usize> {
        let mine = c.node_groups[g].subnets.get().unwrap();
        (0..c.node_groups.len())
            .filter(|&h| {
                h != g
                    && c.node_groups[h]
                        .subnets
                        .get()
                        .unwrap()
                        .iter()
                        .any(|s| mine.contains(s))
            })
            .collect()
    }

    #[test]
    fn sharing_matches_the_slow_union() {
        let (c, f) = mixed();
        let d = Demand::new(&c, &f, false);
        for g in 0..c.node_groups.len() {
            let fit = d.shared_fit(&c, &f, g).unwrap();
            let want = brute(&c, g);
            for first in [0, 3, 100] {
                let s = d.sharing(&fit.subnet_ids(), g, first);
                assert!(s.exact);
                assert_eq!(s.count, want.len(), "group {g}");
                assert_eq!(s.first, want[..first.min(want.len())].to_vec(), "group {g}");
            }
        }
        // Most groups have one of a few subnet lists: each list was counted once.
        assert!(d.unions.borrow().size.len() < c.node_groups.len());
    }

    #[test]
    fn past_the_budget_counts_are_lower_bounds() {
        let (c, f) = mixed();
        let d = Demand::new(&c, &f, false);
        d.unions.borrow_mut().budget = 0;
        let mut inexact = 0;
        for g in 0..c.node_groups.len() {
            let fit = d.shared_fit(&c, &f, g).unwrap();
            let want = brute(&c, g);
            let s = d.sharing(&fit.subnet_ids(), g, 3);
            assert_eq!(s.first, want[..3.min(want.len())].to_vec());
            if s.exact {
                assert!(want.len() <= 3 && s.count == want.len());
            } else {
                inexact += 1;
                assert!(
                    s.count > 3 && s.count <= want.len(),
                    "group {g}: {s:?} vs {}",
                    want.len()
                );
            }
        }
        assert!(inexact > 0);
    }

    #[test]
    fn other_groups_addresses_are_subtracted_per_subnet() {
        let (c, f) = mixed();
        let d = Demand::new(&c, &f, false);
        for g in 0..c.node_groups.len() {
            for s in d.shared_fit(&c, &f, g).unwrap().subnets {
                let slow: u64 = d
                    .users(s.subnet)
                    .iter()
                    .filter(|u| u.group != g)
                    .map(|u| u.addresses)
                    .sum();
                assert_eq!(s.others, slow);
            }
        }
    }
}
