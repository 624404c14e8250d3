//! Terraform and OpenTofu plan and state documents (`terraform show -json`, issue 18).
//!
//! The JSON output format (HashiCorp's "JSON Output Format", OpenTofu's page of the same name)
//! holds the values Terraform computed at plan time: `planned_values` and `prior_state`
//! (values representations: `root_module` with `resources` and nested `child_modules`),
//! `resource_changes` (whose `change.after_unknown` marks what is known only after apply) and
//! `variables`. A state (`terraform show -json` of a state) is one values representation under
//! `values`. This module reads either into a [`Plan`]: instances by full resource address,
//! each with its values and what is unknown. The Terraform evaluator asks it for what it
//! cannot know statically ([`crate::terraform::eval::Resolver::planned`]).

mod doc;
pub mod model;
mod val;

pub use doc::{load, looks_like_plan, Loaded};
pub use val::{attr_val, instance_val};

use crate::source::Span;
use std::collections::{BTreeMap, BTreeSet};

/// Which document a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Plan,
    State,
}

impl DocKind {
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Plan => "plan",
            DocKind::State => "state",
        }
    }
}

/// The key of an instance as the document writes it (`index`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Index {
    None,
    Int(usize),
    Str(String),
}

/// One resource instance of the document.
#[derive(Debug, Clone)]
pub struct Instance {
    pub index: Index,
    /// `values` (planned, or current for a state), an object.
    pub values: serde_json::Value,
    /// `after_unknown` of its change: `true` where a value is known only after apply.
    pub unknown: serde_json::Value,
    /// Where the instance is written in the document (its `address` key).
    pub span: Span,
}

/// A plan or state document, by resource address.
#[derive(Debug, Default)]
pub struct Plan {
    pub display: String,
    pub kind: Option<DocKind>,
    /// Resource address without instance key (`module.vpc.aws_subnet.private`,
    /// `data.aws_availability_zones.available`) → its instances.
    pub resources: BTreeMap<String, Vec<Instance>>,
    /// Root module variables (`variables.<name>.value`) and where each is written.
    pub variables: BTreeMap<String, (serde_json::Value, Span)>,
    /// The root module's own names: `module.<call>` and `<type>.<name>` / `data.<type>.<name>`,
    /// used to pair the document with the scanned root module it was planned from.
    pub tops: BTreeSet<String>,
    /// The whole document (for messages that point at the file).
    pub span: Span,
}

impl Plan {
    /// Instance `index` of resource `base`.
    pub fn instance(&self, base: &str, index: &Index) -> Option<&Instance> {
        self.resources.get(base)?.iter().find(|i| i.index == *index)
    }

    /// How many of `names` (a root module's calls and resources) the document also has.
    pub fn matches<'n>(&self, names: impl Iterator<Item = &'n str>) -> usize {
        names.filter(|n| self.tops.contains(*n)).count()
    }

    /// The reason given to a value the plan marks unknown.
    pub fn unknown_reason(&self, addr: &str) -> String {
        format!(
            "`{addr}` is known after apply (the {} `{}` marks it unknown)",
            self.kind.unwrap_or(DocKind::Plan).label(),
            self.display
        )
    }
}

#[cfg(test)]
mod tests;
