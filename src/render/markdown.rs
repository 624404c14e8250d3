//! `--format markdown`: a summary table per cluster and the findings, for pull-request
//! comments and `$GITHUB_STEP_SUMMARY`. Figures come from the capacity facts in the report.
//! Input text goes through [`escape::markdown`] (text), [`escape::markdown_code`] (names in
//! code spans) or [`escape::markdown_message`] (messages).

use super::escape::{markdown as text, markdown_code as code, markdown_message as message};
use super::shared::{counts_phrase, Counts};
use crate::Report;
use std::fmt::Write as _;

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or("?".to_string(), |v| v.to_string())
}

/// The run's own lines (input errors, warnings, skipped files, coverage), as a list.
fn run_notes(report: &Report, out: &mut String) {
    for e in &report.input_errors {
        let _ = writeln!(out, "- :x: could not read {}", text(e));
    }
    for w in &report.warnings {
        let _ = writeln!(out, "- :warning: {}", text(w));
    }
    if let Some(s) = super::shared::skipped_line(report) {
        let _ = writeln!(out, "- {}", text(&s));
    }
    let coverage = super::shared::coverage_lines(report);
    for (i, l) in coverage.iter().enumerate() {
        let indent = if i == 0 { "" } else { "  " };
        let _ = writeln!(out, "{indent}- {}", text(l.trim_start()));
    }
    if !report.input_errors.is_empty()
        || !report.warnings.is_empty()
        || !report.skipped.is_empty()
        || !coverage.is_empty()
    {
        out.push('\n');
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let c = Counts::of(&report.diagnostics);
    let _ = writeln!(out, "## eks-lint\n");
    let _ = writeln!(
        out,
        "**{}** in {} file(s), {} cluster(s).\n",
        counts_phrase(c),
        report.sources.len(),
        report.clusters.len()
    );
    run_notes(report, &mut out);
    for (cluster, facts) in report.clusters.iter().zip(&report.facts) {
        let loc = report.sources.location(cluster.span);
        let _ = writeln!(
            out,
            "### Cluster {} ({}:{})\n",
            code(&cluster.display_name()),
            text(&loc.file),
            loc.start.line
        );
        if facts.ipv6 {
            let _ = writeln!(
                out,
                "IPv6 cluster: each node takes one IPv4 address; pod addresses come from IPv6.\n"
            );
        }
        if !facts.vpc_cni_pods() && !facts.ipv6 {
            let _ = writeln!(
                out,
                "Pod network: {}\n",
                text(&facts.pod_network.describe())
            );
        }
        if facts.node_groups.is_empty() {
            let _ = writeln!(out, "No node groups.\n");
            continue;
        }
        let view = super::capacity::cluster_view(report, cluster, facts);
        let used: Vec<_> = view
            .subnets
            .iter()
            .filter(|s| !s.node_groups.is_empty())
            .collect();
        if !used.is_empty() {
            let _ = writeln!(
                out,
                "| subnet | CIDR | AZ | usable | node groups | needed at max size (1 pod / full) |"
            );
            let _ = writeln!(out, "|---|---|---|---:|---|---:|");
            for s in used {
                let usable = s.usable.unwrap_or(0);
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} | {} ({}) / {} ({}) |",
                    code(&s.name),
                    text(s.cidr.as_deref().unwrap_or("?")),
                    text(s.az.as_deref().unwrap_or("?")),
                    opt(s.usable),
                    text(&s.node_groups.join(", ")),
                    s.needed_one_pod,
                    super::capacity::percent(s.needed_one_pod, usable),
                    s.needed_full,
                    super::capacity::percent(s.needed_full, usable),
                );
            }
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "| node group | instance type | max size | max pods | addresses per node (1 pod / full) | nodes that fit (1 pod / full) |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|");
        // The same fits as the rules: after the other groups sharing the subnets.
        let fits = super::capacity::group_fits(cluster, facts);
        for (g, fit) in facts.node_groups.iter().zip(&fits) {
            let Some(ng) = cluster.node_groups.get(g.index) else {
                continue;
            };
            let t = g.sizing_type(true);
            let t1 = g.sizing_type(false);
            let types: Vec<String> = if g.types.is_empty() {
                g.unknown_types.iter().map(|(n, _)| n.clone()).collect()
            } else {
                g.types
                    .iter()
                    .map(|t| t.instance.name.to_string())
                    .collect()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} / {} | {} / {} |",
                code(&ng.name),
                text(&super::shared::types_cell(&types)),
                opt(crate::capacity::shown_ceiling(cluster, g)),
                opt(t.map(|t| t.max_pods)),
                opt(t1.map(|t| t.one_pod.total())),
                opt(t.map(|t| t.full.total())),
                opt(fit.one_pod),
                opt(fit.full),
            );
        }
        out.push('\n');
    }
    if report.diagnostics.is_empty() {
        let _ = writeln!(out, "No findings.");
        return out;
    }
    let _ = writeln!(out, "### Findings\n");
    let _ = writeln!(out, "| level | rule | location | message |");
    let _ = writeln!(out, "|---|---|---|---|");
    for d in &report.diagnostics {
        let loc = report.sources.location(d.span);
        let name = d.code.name();
        let mut msg = message(&d.message);
        if let Some(h) = &d.help {
            msg.push_str("<br>Fix: ");
            msg.push_str(&message(h));
        }
        let at = format!("{}:{}:{}", loc.file, loc.start.line, loc.start.column);
        let _ = writeln!(
            out,
            "| {} | {} {} | {} | {msg} |",
            d.level,
            d.code,
            name,
            code(&at),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::diag::Level;
    use crate::render::testutil;

    #[test]
    fn findings_table_escapes_cells() {
        let r = testutil::report(vec![(
            Code::EKS101,
            Level::Error,
            "maxSize: 80",
            "a | b\nc",
        )]);
        let out = render(&r);
        assert!(out.contains("**1 error** in 1 file(s)"), "{out}");
        assert!(
            out.contains("| error | EKS101 subnet-exhaustion | `cluster.yaml:8:5` | a \\| b\\u{a}c<br>Fix: do the fix |"),
            "{out}"
        );
    }
}
