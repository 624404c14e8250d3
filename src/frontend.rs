//! What every front end returns.

use crate::diag::Diagnostic;
use crate::model::Cluster;

#[derive(Debug, Default)]
pub struct Loaded {
    pub clusters: Vec<Cluster>,
    /// Parse errors (EKS903), unresolved values found while extracting (EKS901), …
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn extend(&mut self, other: Loaded) {
        self.clusters.extend(other.clusters);
        self.diagnostics.extend(other.diagnostics);
    }
}
