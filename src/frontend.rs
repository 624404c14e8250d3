//! What every front end returns.

use crate::diag::{Diagnostic, Level};
use crate::model::{Cluster, Value};

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

/// Node group sizes and max pods cannot be negative (AWS and eksctl reject them). Such a value
/// is reported where it was written (EKS903) and becomes unknown, so the rules that need it
/// say what they could not check instead of treating it as 0.
pub fn reject_negative_sizes(clusters: &mut [Cluster]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for c in clusters {
        let cluster = c.display_name();
        for ng in &mut c.node_groups {
            let label = format!("{} `{}`", ng.kind.label(), ng.name);
            for (what, v) in [
                ("min size", &mut ng.min_size),
                ("desired size", &mut ng.desired_size),
                ("max size", &mut ng.max_size),
                ("max pods", &mut ng.max_pods),
            ] {
                let Value::Known(n, o) = v else { continue };
                if *n >= 0 {
                    continue;
                }
                let span = o.span;
                out.push(
                    Diagnostic::new(
                        "EKS903",
                        Level::Error,
                        span,
                        format!("the {what} of {label} is {n}; it cannot be negative"),
                    )
                    .with_key(format!("negative/{cluster}/{}/{what}", ng.name)),
                );
                *v = Value::unknown(format!("the {what} is negative ({n})"), span);
            }
        }
    }
    out
}
