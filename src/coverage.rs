//! What was modelled of each cluster (issue 15 item 4, issue 16 item 16): every compute source
//! (node group, Fargate profile, and whatever kind comes next) with whether its type, ceiling
//! and subnets were known, and the checks the rules skipped. A cluster is *fully checked* when
//! it has compute and nothing was unknown; the summary of every output format is built from
//! this, never re-derived by a renderer.
//!
//! Computed once per cluster from the model, the capacity facts and the rules' EKS901 skips
//! ([`crate::rules::Skip`]), in [`cluster`].
//!
//! A new compute kind plugs in with an implementation of [`ComputeSource`] and one line in
//! [`sources`]; its skips are attributed to it when the rules key them under
//! [`ComputeSource::key`].

use crate::capacity::ClusterFacts;
use crate::model::{Cluster, FargateProfile, NodeGroup, Unknown, Value};
use crate::rules::Skip;
use crate::source::Span;
use serde::Serialize;

/// Which part of a compute source a gap is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aspect {
    /// Instance types (and what follows from them: addresses per node, max pods).
    Type,
    /// How many nodes or pods it can grow to.
    Ceiling,
    /// The subnets it takes addresses from, and their CIDRs.
    Subnets,
    /// Anything else a check needed (VPC CNI settings, zones, the pod network).
    Other,
}

impl Aspect {
    fn phrase(self) -> &'static str {
        match self {
            Aspect::Type => "type unknown",
            Aspect::Ceiling => "no known ceiling",
            Aspect::Subnets => "subnets unknown",
            Aspect::Other => "not all checked",
        }
    }
}

/// Something that was not known, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub aspect: Aspect,
    /// "max size", "the CIDR of subnet `a`".
    pub what: String,
    pub why: String,
}

/// Whether the configuration caps what a compute source can take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bound {
    /// The configuration caps it (an ASG's max size).
    Bounded,
    /// Nothing in the configuration caps it, but a setting gives the count (Fargate pods).
    Assumed,
    /// Nothing caps it (a Fargate profile without `expected-fargate-pods`).
    Unbounded,
    /// The cap is there but not known statically.
    Unknown,
}

/// One source of compute of a cluster, as coverage sees it.
pub trait ComputeSource {
    /// "managed node group", "Fargate profile".
    fn kind(&self) -> &'static str;
    fn name(&self) -> &str;
    fn span(&self) -> Span;
    /// The suffix of the rules' entity key for it after the cluster key (`nodegroup/<name>`,
    /// `Ctx::group_key`): skips under it are its gaps.
    fn key(&self) -> String;
    fn bound(&self, facts: &ClusterFacts) -> Bound;
    /// What of its type, ceiling and subnets was not known, and why.
    fn gaps(&self, cluster: &Cluster, facts: &ClusterFacts) -> Vec<Gap>;
}

/// Every compute source of `cluster`: the one place a new kind is listed.
pub fn sources(cluster: &Cluster) -> Vec<Box<dyn ComputeSource + '_>> {
    let mut out: Vec<Box<dyn ComputeSource + '_>> = Vec::new();
    out.extend(cluster.node_groups.iter().enumerate().map(|(index, ng)| {
        let pool = ng.pool.and_then(|p| cluster.node_pools.get(p));
        Box::new(GroupSource { index, ng, pool }) as Box<dyn ComputeSource>
    }));
    out.extend(
        cluster
            .fargate_profiles
            .iter()
            .map(|p| Box::new(FargateSource(p)) as Box<dyn ComputeSource>),
    );
    out
}

fn gap(aspect: Aspect, what: &str, u: &Unknown) -> Gap {
    Gap {
        aspect,
        what: what.to_string(),
        why: u.reason.clone(),
    }
}

/// The aspect of a value a capacity unknown or a skip names.
fn aspect_of(what: &str) -> Aspect {
    let w = what.to_ascii_lowercase();
    if w.contains("instance") || w.contains("max pods") {
        Aspect::Type
    } else if w.starts_with("the az of") || w.contains("zone") {
        // "the AZ of subnet `a`": its CIDR may be known, so the subnets are not unknown; the
        // zone is named instead.
        Aspect::Other
    } else if w.contains("subnet") {
        Aspect::Subnets
    } else if w.contains("max size") || w.contains("ceiling") {
        Aspect::Ceiling
    } else {
        Aspect::Other
    }
}

struct GroupSource<'c> {
    index: usize,
    ng: &'c NodeGroup,
    /// The Karpenter / Auto Mode pool the group stands for.
    pool: Option<&'c crate::model::NodePool>,
}

/// The first limit of a pool (or its `replicas`) that is not known statically.
fn pool_limit_unknown(p: &crate::model::NodePool) -> Option<&Unknown> {
    let l = &p.limits;
    [
        &l.cpu_millis,
        &l.memory_bytes,
        &l.nodes,
        &l.pods,
        &p.replicas,
    ]
    .into_iter()
    .find_map(|v| v.unknown_reason())
}

impl ComputeSource for GroupSource<'_> {
    fn kind(&self) -> &'static str {
        self.ng.kind.label()
    }
    fn name(&self) -> &str {
        &self.ng.name
    }
    fn span(&self) -> Span {
        self.ng.span
    }
    fn key(&self) -> String {
        format!("nodegroup/{}", self.ng.name)
    }
    fn bound(&self, _: &ClusterFacts) -> Bound {
        if let Some(p) = self.pool {
            return if p.is_bounded() {
                Bound::Bounded
            } else if pool_limit_unknown(p).is_some() {
                Bound::Unknown
            } else {
                Bound::Unbounded
            };
        }
        match self.ng.max_size {
            Value::Known(..) => Bound::Bounded,
            Value::Unknown(_) => Bound::Unknown,
            Value::Absent => Bound::Unbounded,
        }
    }
    fn gaps(&self, _: &Cluster, facts: &ClusterFacts) -> Vec<Gap> {
        let mut out = Vec::new();
        // A Karpenter / Auto Mode pool: its limits are its ceiling (the other unknowns of the
        // pool are among the capacity facts' unknowns below).
        if let Some(p) = self.pool {
            if !p.is_bounded() {
                out.push(match pool_limit_unknown(p) {
                    Some(u) => gap(Aspect::Ceiling, "limits", u),
                    None => Gap {
                        aspect: Aspect::Ceiling,
                        what: "limits".into(),
                        why: "the NodePool has no limits".into(),
                    },
                });
            }
        }
        match &self.ng.max_size {
            _ if self.pool.is_some() => {}
            Value::Unknown(u) => out.push(gap(Aspect::Ceiling, "max size", u)),
            Value::Absent => out.push(Gap {
                aspect: Aspect::Ceiling,
                what: "max size".into(),
                why: "no max size is given".into(),
            }),
            Value::Known(..) => {}
        }
        if let Some(g) = facts.node_groups.iter().find(|g| g.index == self.index) {
            for (name, _) in &g.unknown_types {
                out.push(Gap {
                    aspect: Aspect::Type,
                    what: format!("instance type `{name}`"),
                    why: "it is not in eks-lint's instance table".into(),
                });
            }
            out.extend(g.unknowns.iter().map(|(w, u)| gap(aspect_of(w), w, u)));
        }
        if self.ng.subnets.is_absent() {
            out.push(Gap {
                aspect: Aspect::Subnets,
                what: "subnets".into(),
                why: "no subnets are given".into(),
            });
        }
        out
    }
}

struct FargateSource<'c>(&'c FargateProfile);

impl ComputeSource for FargateSource<'_> {
    fn kind(&self) -> &'static str {
        "Fargate profile"
    }
    fn name(&self) -> &str {
        &self.0.name
    }
    fn span(&self) -> Span {
        self.0.span
    }
    fn key(&self) -> String {
        format!("fargate/{}", self.0.name)
    }
    fn bound(&self, facts: &ClusterFacts) -> Bound {
        if facts.fargate.pods > 0 {
            Bound::Assumed
        } else {
            Bound::Unbounded
        }
    }
    fn gaps(&self, _: &Cluster, facts: &ClusterFacts) -> Vec<Gap> {
        let mut out = Vec::new();
        if let Some(u) = self.0.subnets.unknown_reason() {
            out.push(gap(Aspect::Subnets, "subnets", u));
        } else if let Some(why) = &facts.fargate.not_counted {
            // An IPv6 cluster's Fargate pods take no IPv4 address: nothing is missing.
            if !facts.ipv6 {
                let aspect = if facts.fargate.pods == 0 {
                    Aspect::Ceiling
                } else {
                    Aspect::Subnets
                };
                out.push(Gap {
                    aspect,
                    what: "pods".into(),
                    why: why.clone(),
                });
            }
        }
        out
    }
}

/// One compute source's coverage.
#[derive(Debug, Clone, Serialize)]
pub struct ComputeCoverage {
    pub kind: &'static str,
    pub name: String,
    #[serde(skip)]
    pub span: Span,
    pub bound: Bound,
    /// Empty when its type, ceiling and subnets were known and no check of it was skipped.
    pub unknown: Vec<Gap>,
}

/// One cluster's coverage.
#[derive(Debug, Clone, Serialize)]
pub struct ClusterCoverage {
    pub cluster: String,
    /// The cluster's entity key (`cluster/<name>`), as findings carry it.
    pub key: String,
    #[serde(skip)]
    pub span: Span,
    pub fully_checked: bool,
    pub compute: Vec<ComputeCoverage>,
    /// Checks skipped for the cluster as a whole (its VPC CNI settings, a subnet's zone).
    pub unchecked: Vec<Gap>,
}

impl ClusterCoverage {
    /// Why the cluster is not fully checked, in one line: "managed node group `a`: no known
    /// ceiling; Fargate profile `f`: no known ceiling".
    pub fn why(&self) -> String {
        use crate::rules::list;
        let mut parts: Vec<String> = Vec::new();
        if self.compute.is_empty() {
            parts.push("no compute found (no node group or Fargate profile)".into());
        }
        for c in self.compute.iter().filter(|c| !c.unknown.is_empty()) {
            let mut aspects: Vec<Aspect> = c.unknown.iter().map(|g| g.aspect).collect();
            aspects.sort_unstable();
            aspects.dedup();
            let mut phrases: Vec<String> = aspects
                .iter()
                .filter(|a| **a != Aspect::Other)
                .map(|a| a.phrase().to_string())
                .collect();
            // Anything else is named: "the pod network unknown".
            let others: Vec<&str> = c
                .unknown
                .iter()
                .filter(|g| g.aspect == Aspect::Other)
                .map(|g| g.what.as_str())
                .collect();
            if !others.is_empty() {
                phrases.push(format!("{} unknown", list::prose(others.into_iter())));
            }
            parts.push(format!(
                "{} `{}`: {}",
                c.kind,
                c.name,
                list::prose(phrases.iter())
            ));
        }
        // A cluster-wide gap a compute source already names is not repeated.
        let named = |w: &str| {
            self.compute.iter().any(|c| {
                c.unknown
                    .iter()
                    .any(|g| g.aspect == Aspect::Other && g.what == w)
            })
        };
        let whats: Vec<&str> = self
            .unchecked
            .iter()
            .map(|g| g.what.as_str())
            .filter(|w| !named(w))
            .collect();
        if !whats.is_empty() {
            parts.push(format!("{} unknown", list::prose(whats.into_iter())));
        }
        // One line however many sources: the JSON and SARIF list them all.
        const SHOWN: usize = 3;
        let total = parts.len();
        if total > SHOWN + 1 {
            parts.truncate(SHOWN);
            parts.push(format!("and {} more", total - SHOWN));
        }
        parts.join("; ")
    }
}

/// The coverage of `cluster`, from its model, facts and the skips of its rules.
pub fn cluster(cluster: &Cluster, facts: &ClusterFacts, skips: &[Skip]) -> ClusterCoverage {
    let key = cluster.key();
    let mut unchecked: Vec<Gap> = Vec::new();
    let mut compute: Vec<ComputeCoverage> = sources(cluster)
        .iter()
        .map(|s| ComputeCoverage {
            kind: s.kind(),
            name: s.name().to_string(),
            span: s.span(),
            bound: s.bound(facts),
            unknown: s.gaps(cluster, facts),
        })
        .collect();
    // Each source's key with the separator its sub-keys add, built once.
    let keys: Vec<String> = sources(cluster)
        .iter()
        .map(|s| format!("{key}/{}/", s.key()))
        .collect();
    for u in &cluster.dropped {
        unchecked.push(gap(Aspect::Other, "compute past the node-group limit", u));
    }
    // NodePools that exist but could not be read: compute of unknown size.
    for (what, u) in &cluster.unread_pools {
        unchecked.push(gap(Aspect::Ceiling, &format!("the NodePools of {what}"), u));
    }
    for u in &cluster.unread_compute {
        unchecked.push(gap(
            Aspect::Other,
            "compute of a module that is not read",
            u,
        ));
    }
    for s in skips {
        let g = gap(aspect_of(&s.what), &s.what, &s.unknown);
        let owner = keys
            .iter()
            .position(|k| s.key.starts_with(k.as_str()) || s.key.as_str() == &k[..k.len() - 1]);
        let list = match owner {
            Some(i) => &mut compute[i].unknown,
            None => &mut unchecked,
        };
        if !list.iter().any(|x| x.what == g.what && x.why == g.why) {
            list.push(g);
        }
    }
    let fully_checked =
        !compute.is_empty() && compute.iter().all(|c| c.unknown.is_empty()) && unchecked.is_empty();
    ClusterCoverage {
        cluster: cluster.display_name(),
        key,
        span: cluster.span,
        fully_checked,
        compute,
        unchecked,
    }
}

/// The whole run: how many clusters were fully checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub clusters: usize,
    pub fully_checked: usize,
    pub partly_checked: usize,
}

pub fn totals(all: &[ClusterCoverage]) -> Totals {
    let fully = all.iter().filter(|c| c.fully_checked).count();
    Totals {
        clusters: all.len(),
        fully_checked: fully,
        partly_checked: all.len() - fully,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::{pod_facts, CapacityOptions};
    use crate::model::{NodeGroupKind, SourceKind, Subnet};

    #[test]
    fn an_unknown_zone_is_not_an_unknown_subnet() {
        // EKS404's skip names "the AZ of subnet `x`": the subnets (CIDRs) may be known.
        assert_eq!(aspect_of("the AZ of subnet `private[0]`"), Aspect::Other);
        assert_eq!(
            aspect_of("the CIDR of subnet `private[0]`"),
            Aspect::Subnets
        );
        assert_eq!(aspect_of("subnets"), Aspect::Subnets);
    }

    fn base() -> Cluster {
        let mut c = Cluster::new(
            Value::known("prod".to_string(), Span::default()),
            Span::default(),
            SourceKind::Terraform,
        );
        c.subnets.push(Subnet {
            cidr: Value::known(crate::model::Cidr::parse("10.0.0.0/22"), Span::default()),
            ..Subnet::default()
        });
        let mut ng = NodeGroup::new("ng", Span::default(), NodeGroupKind::Managed);
        ng.instance_types = vec![Value::known("m5.large".into(), Span::default())];
        ng.max_size = Value::known(10, Span::default());
        ng.subnets = Value::known(vec![0], Span::default());
        c.node_groups.push(ng);
        c
    }

    fn cover(c: &Cluster, fargate_pods: u32, skips: &[Skip]) -> ClusterCoverage {
        let opts = CapacityOptions {
            fargate_pods,
            ..CapacityOptions::default()
        };
        cluster(c, &pod_facts::analyze(c, opts), skips)
    }

    #[test]
    fn a_known_group_is_fully_checked_and_no_compute_is_not() {
        let c = base();
        let cov = cover(&c, 0, &[]);
        assert!(cov.fully_checked, "{cov:?}");
        assert_eq!(cov.compute[0].bound, Bound::Bounded);
        let mut empty = base();
        empty.node_groups.clear();
        let cov = cover(&empty, 0, &[]);
        assert!(!cov.fully_checked);
        assert!(cov.why().starts_with("no compute found"), "{}", cov.why());
    }

    /// A Karpenter pool's ceiling is its limits: with `limits.cpu` it is bounded and fully
    /// checked, without limits it has no known ceiling.
    #[test]
    fn a_pool_is_bounded_by_its_limits() {
        let mut c = base();
        let mut p = crate::model::NodePool::new(
            "pool",
            Span::default(),
            crate::model::NodeClassKind::Ec2NodeClass,
        );
        p.limits.cpu_millis = Value::known(20_000, Span::default());
        p.subnets = Value::known(vec![0], Span::default());
        c.node_groups[0].kind = NodeGroupKind::Karpenter;
        c.node_groups[0].max_size = Value::Absent;
        c.node_groups[0].pool = Some(0);
        c.node_pools.push(p);
        let cov = cover(&c, 0, &[]);
        assert_eq!(cov.compute[0].bound, Bound::Bounded);
        assert!(cov.fully_checked, "{cov:?}");
        c.node_pools[0].limits.cpu_millis = Value::Absent;
        let cov = cover(&c, 0, &[]);
        assert_eq!(cov.compute[0].bound, Bound::Unbounded);
        assert_eq!(cov.why(), "Karpenter node pool `ng`: no known ceiling");
        c.node_pools[0].limits.nodes = Value::unknown("a data source", Span::default());
        assert_eq!(cover(&c, 0, &[]).compute[0].bound, Bound::Unknown);
    }

    #[test]
    fn fargate_is_unbounded_until_its_pods_are_counted() {
        let mut c = base();
        c.fargate_profiles.push(FargateProfile {
            name: "fp".into(),
            span: Span::default(),
            subnets: Value::known(vec![0], Span::default()),
        });
        let cov = cover(&c, 0, &[]);
        assert!(!cov.fully_checked);
        assert_eq!(cov.compute[1].bound, Bound::Unbounded);
        assert_eq!(cov.why(), "Fargate profile `fp`: no known ceiling");
        let cov = cover(&c, 20, &[]);
        assert!(cov.fully_checked, "{cov:?}");
        assert_eq!(cov.compute[1].bound, Bound::Assumed);
    }

    #[test]
    fn skips_go_to_their_compute_source_or_the_cluster() {
        let c = base();
        let u = Unknown {
            reason: "it comes from `data.x`".into(),
            span: Span::default(),
        };
        let skip = |key: &str, what: &str| Skip {
            code: crate::code::Code::EKS101,
            key: key.into(),
            subject: String::new(),
            subject_span: Span::default(),
            what: what.into(),
            unknown: u.clone(),
        };
        let skips = [
            skip("cluster/prod/nodegroup/ng", "the max size"),
            skip("cluster/prod/nodegroup/ng", "the max size"),
            skip("cluster/prod/cni", "the VPC CNI configuration"),
        ];
        let cov = cover(&c, 0, &skips);
        assert!(!cov.fully_checked);
        assert_eq!(cov.compute[0].unknown.len(), 1, "merged: {cov:?}");
        assert_eq!(cov.compute[0].unknown[0].aspect, Aspect::Ceiling);
        assert_eq!(
            cov.why(),
            "managed node group `ng`: no known ceiling; the VPC CNI configuration unknown"
        );
    }
}
