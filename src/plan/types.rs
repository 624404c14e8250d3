//! The document as eks-lint keeps it: instances by resource address.

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
    /// `sensitive_values` (or `after_sensitive`): `true` where a value is sensitive, which
    /// messages never print.
    pub sensitive: serde_json::Value,
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
