//! Fargate profiles as consumers of subnet addresses. Every Fargate pod runs in its own
//! micro-VM with one network interface and takes one address from a subnet of its profile;
//! there is no warm pool and no node to size (AWS EKS User Guide, "AWS Fargate
//! considerations"). How many pods run on Fargate is not in the configuration: the
//! `expected-fargate-pods` setting gives a number per cluster, spread evenly over the distinct
//! subnets of the cluster's profiles (Fargate places each pod in one of its profile's subnets).

use super::subnets::spread;
use crate::model::{Cluster, SubnetId};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FargateFacts {
    /// Fargate pods expected in the cluster (the setting).
    pub pods: u32,
    /// Addresses those pods take, per subnet; empty when they are not counted.
    pub per_subnet: BTreeMap<SubnetId, u64>,
    /// Why the pods are not counted although the cluster has Fargate profiles.
    pub not_counted: Option<String>,
    /// Per profile (by index): the node groups that launch nodes in one of its subnets.
    pub shared_with: Vec<Vec<usize>>,
}

impl FargateFacts {
    /// Addresses the expected Fargate pods take from `id`.
    pub fn addresses(&self, id: SubnetId) -> u64 {
        self.per_subnet.get(&id).copied().unwrap_or(0)
    }
}

pub fn analyze(cluster: &Cluster, ipv6: bool, pods: u32) -> FargateFacts {
    let profiles = &cluster.fargate_profiles;
    let shared_with = profiles
        .iter()
        .map(|p| {
            let Some(mine) = p.subnets.get() else {
                return Vec::new();
            };
            (0..cluster.node_groups.len())
                .filter(|&g| {
                    cluster.node_groups[g]
                        .subnets
                        .get()
                        .is_some_and(|ids| ids.iter().any(|s| mine.contains(s)))
                })
                .collect()
        })
        .collect();
    let mut facts = FargateFacts {
        pods,
        shared_with,
        ..FargateFacts::default()
    };
    if profiles.is_empty() {
        return facts;
    }
    let mut subnets: Vec<SubnetId> = Vec::new();
    for p in profiles {
        match p.subnets.get() {
            Some(ids) => subnets.extend(ids),
            None => {
                facts.not_counted = Some(format!(
                    "the subnets of Fargate profile `{}` are not known",
                    p.name
                ));
                return facts;
            }
        }
    }
    subnets.sort_unstable();
    subnets.dedup();
    facts.not_counted = if ipv6 {
        Some("IPv6 cluster: Fargate pods take IPv6 addresses".to_string())
    } else if pods == 0 {
        Some("no expected number of Fargate pods (set `expected-fargate-pods`)".to_string())
    } else if subnets.is_empty() {
        Some("the Fargate profiles list no subnets".to_string())
    } else {
        None
    };
    if facts.not_counted.is_none() {
        for (id, n) in subnets.iter().zip(spread(u64::from(pods), subnets.len())) {
            if n > 0 {
                facts.per_subnet.insert(*id, n);
            }
        }
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FargateProfile, NodeGroup, NodeGroupKind, SourceKind, Subnet, Value};
    use crate::source::Span;

    fn cluster(profile_subnets: Value<Vec<SubnetId>>, group_subnets: &[SubnetId]) -> Cluster {
        let mut c = Cluster::new(Value::Absent, Span::default(), SourceKind::Terraform);
        c.subnets = (0..3).map(|_| Subnet::default()).collect();
        let mut ng = NodeGroup::new("ng", Span::default(), NodeGroupKind::Managed);
        ng.subnets = Value::known(group_subnets.to_vec(), Span::default());
        c.node_groups.push(ng);
        c.fargate_profiles.push(FargateProfile {
            name: "fp".into(),
            span: Span::default(),
            subnets: profile_subnets,
        });
        c
    }

    #[test]
    fn pods_spread_over_the_profiles_subnets_one_address_each() {
        let c = cluster(Value::known(vec![0, 1], Span::default()), &[1, 2]);
        let f = analyze(&c, false, 101);
        // 101 pods over 2 subnets: 51 + 50, one address per pod.
        assert_eq!(f.addresses(0), 51);
        assert_eq!(f.addresses(1), 50);
        assert_eq!(f.addresses(2), 0);
        assert_eq!(f.shared_with, vec![vec![0]]);
        assert!(f.not_counted.is_none());
    }

    #[test]
    fn nothing_is_counted_without_a_pod_count_known_subnets_or_ipv4() {
        let known = || Value::known(vec![0], Span::default());
        let f = analyze(&cluster(known(), &[2]), false, 0);
        assert!(f.per_subnet.is_empty());
        assert!(f.not_counted.unwrap().contains("expected-fargate-pods"));
        assert_eq!(f.shared_with, vec![Vec::<usize>::new()]);
        let f = analyze(&cluster(known(), &[2]), true, 10);
        assert!(f.per_subnet.is_empty() && f.not_counted.unwrap().contains("IPv6"));
        let f = analyze(
            &cluster(Value::unknown("from a data source", Span::default()), &[2]),
            false,
            10,
        );
        assert!(f.per_subnet.is_empty() && f.not_counted.unwrap().contains("not known"));
    }
}
