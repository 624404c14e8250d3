//! What every front end returns.

use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::model::{Cluster, Value};

#[derive(Debug, Default)]
pub struct Loaded {
    pub clusters: Vec<Cluster>,
    /// Parse errors (EKS903), unresolved values found while extracting (EKS901), …
    pub diagnostics: Vec<Diagnostic>,
    /// Inputs Terraform itself would refuse (a `--var` of the wrong type, an undeclared
    /// `--var`): exit code 2.
    pub input_errors: Vec<String>,
    /// What Terraform warns about and the run goes on with (a tfvars value for an undeclared
    /// variable).
    pub warnings: Vec<String>,
    /// NodePool and node class documents, tied to clusters by `karpenter::attach`.
    pub node_pools: Vec<crate::karpenter::Found>,
}

impl Loaded {
    pub fn extend(&mut self, other: Loaded) {
        self.clusters.extend(other.clusters);
        self.diagnostics.extend(other.diagnostics);
        self.input_errors.extend(other.input_errors);
        self.warnings.extend(other.warnings);
        self.node_pools.extend(other.node_pools);
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
                        Code::EKS903,
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

/// At most `EKS_LINT_MAX_NODE_GROUPS` node groups of a cluster are checked: every node group
/// costs findings, related locations and lines of every report, so a few bytes each
/// (`count = 100000`, a generated eksctl file) would make reports of gigabytes. EKS allows 30
/// managed node groups per cluster by default (Amazon EKS service quotas), so the limit is far
/// above real clusters. The rest are dropped with one note: the findings about the groups
/// kept are still true (fewer groups need fewer addresses), but the cluster is not fully
/// checked, and the note says so.
pub fn limit_node_groups(clusters: &mut [Cluster], max: u64) -> Vec<Diagnostic> {
    let max = crate::limits::as_usize(max);
    let mut out = Vec::new();
    for c in clusters {
        if c.node_groups.len() <= max {
            continue;
        }
        let total = c.node_groups.len();
        let first_dropped = c.node_groups[max].span;
        c.node_groups.truncate(max);
        c.dropped.push(crate::model::Unknown {
            reason: format!(
                "{} node groups past EKS_LINT_MAX_NODE_GROUPS ({max}) were not checked",
                total - max
            ),
            span: first_dropped,
        });
        out.push(
            Diagnostic::new(
                Code::EKS901,
                Level::Note,
                first_dropped,
                format!(
                    "cluster `{}` has {total} node groups; only the first {max} are checked \
                     (EKS_LINT_MAX_NODE_GROUPS), so its subnets may run out sooner than the \
                     findings say",
                    c.display_name()
                ),
            )
            .with_label("not checked")
            .with_key(format!("limit/node-groups/{}", c.display_name())),
        );
    }
    out
}

/// Identity (issue 16 item 18): a cluster without a known name is named by where it is
/// defined ("module.eks in examples/x/main.tf"), and clusters that would still share a display
/// name in one file get a disambiguator (their file and line, then a number), so no two share
/// a fingerprint (which includes the file).
pub fn name_clusters(clusters: &mut [Cluster], sources: &crate::source::SourceMap) {
    for c in clusters.iter_mut() {
        if c.name.is_known() {
            continue;
        }
        // Names are identities: the file's path from a base that does not move with the
        // working directory (`identity`), not the displayed one.
        let file = &sources.get(c.span.file).ident;
        let line = sources.get(c.span.file).line_col(c.span.start).line;
        c.defined_at = Some(match c.defined_at.take() {
            Some(addr) => format!("{addr} in {file}"),
            None if c.source == crate::model::SourceKind::Eksctl => {
                format!("ClusterConfig in {file}:{line}")
            }
            // A cluster only named by a node group or add-on: by the expression naming it.
            None => {
                let text = sources.get(c.span.file).slice(c.span);
                let expr = text.split_once('=').map_or(text, |(_, e)| e).trim();
                if !expr.is_empty() && expr.len() <= 60 && !expr.contains('\n') {
                    format!("{expr} in {file}")
                } else {
                    format!("{file}:{line}")
                }
            }
        });
    }
    // Fingerprints include the file: only clusters of one file need telling apart.
    let mut by_name: std::collections::HashMap<(String, u32), Vec<usize>> = Default::default();
    for (i, c) in clusters.iter().enumerate() {
        by_name
            .entry((c.display_name(), c.span.file.0))
            .or_default()
            .push(i);
    }
    let mut taken: std::collections::HashSet<String> = clusters.iter().map(Cluster::key).collect();
    let mut dupes: Vec<Vec<usize>> = by_name.into_values().filter(|v| v.len() > 1).collect();
    dupes.sort_unstable();
    for group in dupes {
        for i in group {
            let f = sources.get(clusters[i].span.file);
            // What the front end already tells them apart by (a Terragrunt unit), else where
            // (by the file's stable path, so the keys do not depend on the working directory).
            let base = clusters[i].disambiguator.clone().unwrap_or_else(|| {
                format!("{}:{}", f.ident, f.line_col(clusters[i].span.start).line)
            });
            let mut d = base.clone();
            let mut n = 1;
            loop {
                clusters[i].disambiguator = Some(d.clone());
                if taken.insert(clusters[i].key()) {
                    break;
                }
                n += 1;
                d = format!("{base}#{n}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use crate::source::{SourceFile, SourceMap, Span};

    #[test]
    fn unnamed_clusters_are_named_where_defined_and_twins_get_distinct_keys() {
        let mut sources = SourceMap::new();
        let text = "a\nb\nc\n";
        let f = sources.add(SourceFile::new(
            "x/main.tf".into(),
            "x/main.tf".into(),
            text,
        ));
        let named = |line_start: usize| {
            Cluster::new(
                Value::known("dev".to_string(), Span::default()),
                Span::new(f, line_start, line_start + 1),
                SourceKind::Eksctl,
            )
        };
        let mut unnamed = Cluster::new(
            Value::unknown("no name", Span::default()),
            Span::new(f, 2, 3),
            SourceKind::Terraform,
        );
        unnamed.defined_at = Some("module.eks.aws_eks_cluster.this".into());
        // Two clusters `dev`, and one more on the same line as the second.
        let mut cs = vec![named(0), named(4), named(4), unnamed];
        name_clusters(&mut cs, &sources);
        assert_eq!(
            cs[3].display_name(),
            "module.eks.aws_eks_cluster.this in x/main.tf"
        );
        assert_eq!(
            cs[3].key(),
            "cluster/module.eks.aws_eks_cluster.this in x/main.tf"
        );
        let keys: Vec<String> = cs.iter().map(Cluster::key).collect();
        assert_eq!(
            keys[..3],
            [
                "cluster/dev@x/main.tf:1",
                "cluster/dev@x/main.tf:3",
                "cluster/dev@x/main.tf:3#2"
            ]
        );
    }
}
