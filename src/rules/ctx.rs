//! What a rule sees for one cluster ([`Ctx`]): the model, the capacity facts, the sources and
//! the settings, with the helpers every rule shares (entities, skips, subnet demand).

use super::entity;
use super::list;
use crate::capacity::demand::{Demand, SharedFit, Sharing};
use crate::capacity::ClusterFacts;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::{Cluster, NodeGroup, Unknown};
use crate::settings::Settings;
use crate::source::{SourceMap, Span};
use std::cell::{OnceCell, RefCell};

/// A check a rule could not make because a value it needs is unknown (merged into EKS901).
#[derive(Debug, Clone)]
pub struct Skip {
    pub code: Code,
    /// Stable id of what was not checked, e.g. `cluster/prod/nodegroup/general`.
    pub key: String,
    /// "node group `general`".
    pub subject: String,
    pub subject_span: Span,
    /// "the CIDR of subnet `private[0]`".
    pub what: String,
    pub unknown: Unknown,
}

/// What a rule sees for one cluster.
pub struct Ctx<'a> {
    pub cluster: &'a Cluster,
    pub facts: &'a ClusterFacts,
    pub sources: &'a SourceMap,
    pub settings: &'a Settings,
    pub(super) skips: RefCell<Vec<Skip>>,
    /// Keys handed out and the block of their entity, to fill `Diagnostic::entity`.
    entities: RefCell<entity::Entities>,
    /// Subnet demand at one pod per node and at the full pod count, built on first use.
    demand: [OnceCell<Demand>; 2],
}

impl<'a> Ctx<'a> {
    pub fn new(
        cluster: &'a Cluster,
        facts: &'a ClusterFacts,
        sources: &'a SourceMap,
        settings: &'a Settings,
    ) -> Self {
        Ctx {
            cluster,
            facts,
            sources,
            settings,
            skips: RefCell::new(Vec::new()),
            entities: RefCell::new(entity::Entities::default()),
            demand: [OnceCell::new(), OnceCell::new()],
        }
    }

    /// What every node group takes from each subnet at max size ([`Demand`]), at the full pod
    /// count when `full`, else one pod per node.
    pub fn demand(&self, full: bool) -> &Demand {
        self.demand[usize::from(full)].get_or_init(|| Demand::new(self.cluster, self.facts, full))
    }

    /// The node groups other than `g` that take addresses from `fit`'s subnets.
    pub fn sharing(&self, fit: &SharedFit, g: usize, full: bool) -> Sharing {
        self.demand(full)
            .sharing(&fit.subnet_ids(), g, list::MAX_LISTED)
    }

    /// "`a`, `b` and 3 more" for [`Self::sharing`].
    pub fn sharing_names(&self, s: &Sharing) -> String {
        let total = if s.exact {
            list::Total::Exact(s.count)
        } else {
            list::Total::AtLeast(s.count)
        };
        self.group_names_of(&s.first, total)
    }

    /// A diagnostic at the rule's default level (configuration overrides apply later).
    pub fn diag(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(code, code.meta().level, span, message)
    }

    fn register(&self, key: String, span: Span) -> String {
        self.entities.borrow_mut().register(&key, span);
        key
    }

    pub fn cluster_key(&self) -> String {
        self.register(self.cluster.key(), self.cluster.span)
    }

    pub fn group_key(&self, ng: &NodeGroup) -> String {
        self.register(
            format!("{}/nodegroup/{}", self.cluster_key(), ng.name),
            ng.span,
        )
    }

    pub fn subnet_key(&self, id: usize) -> String {
        let (name, span) = self
            .cluster
            .subnets
            .get(id)
            .map_or(("?", self.cluster.span), |s| (s.name.as_str(), s.span));
        self.register(format!("{}/subnet/{name}", self.cluster_key()), span)
    }

    /// The entity block of a key: the longest registered key it extends.
    pub(super) fn entity_of(&self, key: &str) -> Option<Span> {
        self.entities.borrow().of(key)
    }

    /// "`a`, `b`": node groups by index, for messages ([`list::capped`]).
    pub fn group_names(&self, groups: &[usize]) -> String {
        self.group_names_of(groups, list::Total::Exact(groups.len()))
    }

    /// [`Self::group_names`] of the first groups of a longer list of `total`.
    pub fn group_names_of(&self, groups: &[usize], total: list::Total) -> String {
        let names = groups.iter().map(|&i| {
            self.cluster
                .node_groups
                .get(i)
                .map_or("?", |g| g.name.as_str())
        });
        list::capped_of(names.map(|n| format!("`{n}`")), total)
    }

    pub fn subnet_name(&self, id: usize) -> &str {
        self.cluster
            .subnets
            .get(id)
            .map_or("?", |s| s.name.as_str())
    }

    /// The CIDR text of a subnet, or `?`.
    pub fn subnet_cidr(&self, id: usize) -> String {
        self.cluster
            .subnets
            .get(id)
            .and_then(|s| s.cidr.get())
            .map_or_else(|| "?".to_string(), |c| c.text.clone())
    }

    /// The best span for a subnet: its CIDR, else its definition.
    pub fn subnet_span(&self, id: usize) -> Option<Span> {
        let s = self.cluster.subnets.get(id)?;
        Some(s.cidr.span().unwrap_or(s.span))
    }

    /// Record that `code` could not check `subject` because `what` is unknown.
    pub fn skip_group(&self, code: Code, ng: &NodeGroup, what: &str, u: &Unknown) {
        self.skip(
            code,
            self.group_key(ng),
            format!("{} `{}`", ng.kind.label(), ng.name),
            ng.span,
            what,
            u,
        );
    }

    pub fn skip(
        &self,
        code: Code,
        key: String,
        subject: String,
        subject_span: Span,
        what: &str,
        u: &Unknown,
    ) {
        self.skips.borrow_mut().push(Skip {
            code,
            key,
            subject,
            subject_span,
            what: what.to_string(),
            unknown: u.clone(),
        });
    }

    /// The node-group unknowns the capacity engine met, recorded for `code`.
    pub fn skip_group_unknowns(&self, code: Code, g: &crate::capacity::NodeGroupFacts) {
        let Some(ng) = self.cluster.node_groups.get(g.index) else {
            return;
        };
        for (what, u) in &g.unknowns {
            self.skip_group(code, ng, what, u);
        }
    }

    /// What `g`'s figures assumed for want of a value (`NodeGroupFacts::assumed`).
    pub fn skip_assumed(&self, code: Code, g: &crate::capacity::NodeGroupFacts) {
        let Some(ng) = self.cluster.node_groups.get(g.index) else {
            return;
        };
        for (what, u) in &g.assumed {
            self.skip_group(code, ng, what, u);
        }
    }

    /// Custom networking is on but no ENIConfig (pod subnet) is in the scanned files: the
    /// pod-side capacity cannot be computed. One shared reason so EKS901 merges the notes.
    pub fn eniconfig_unknown(&self) -> Option<Unknown> {
        if !self.facts.cni.custom_networking || !self.cluster.cni.eni_configs.is_empty() {
            return None;
        }
        let span = self
            .cluster
            .cni
            .env
            .get("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG")
            .map(|e| e.origin.span)
            .unwrap_or(self.cluster.span);
        Some(Unknown {
            reason: "custom networking is on and no ENIConfig was found in the scanned files"
                .to_string(),
            span,
        })
    }

    /// The CNI configuration exists but could not be read.
    pub fn skip_cni(&self, code: Code) -> bool {
        if let Some(u) = &self.facts.cni_unknown {
            self.skip(
                code,
                format!("{}/cni", self.cluster_key()),
                format!(
                    "the VPC CNI settings of cluster `{}`",
                    self.cluster.display_name()
                ),
                self.cluster.span,
                "the VPC CNI configuration",
                u,
            );
            true
        } else {
            false
        }
    }

    /// The fix that caps a group at `n` nodes: its max size, or a pool's limits.
    pub fn lower_ceiling(
        &self,
        ng: &NodeGroup,
        it: &crate::aws::instances::InstanceType,
        n: u64,
    ) -> String {
        if n == 0 {
            // No node fits: lowering a ceiling to 0 is no fix.
            return format!(
                "use a smaller instance type (not one `{}` node fits in the free addresses of its subnets)",
                it.name
            );
        }
        if ng.pool.is_none() {
            return format!("lower the max size to {n}");
        }
        match it.vcpus {
            Some(v) => format!(
                "lower the NodePool's limits so that at most {n} `{}` nodes fit (limits.cpu: {}, or limits.nodes: {n})",
                it.name,
                n.saturating_mul(u64::from(v))
            ),
            None => format!("set the NodePool's limits.nodes to {n}"),
        }
    }

    /// "its max size", or for a pool "the ceiling its limits set".
    pub fn ceiling_phrase(&self, ng: &NodeGroup) -> &'static str {
        if ng.pool.is_some() {
            "the ceiling its limits set"
        } else {
            "its max size"
        }
    }
}
