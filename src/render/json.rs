//! `--format json`: a documented, versioned document (schema in README.md, "JSON output").
//! Bump [`VERSION`] on any incompatible change; adding fields is compatible.

use super::shared::{fingerprint, Counts, TOOL_NAME, TOOL_VERSION};
use crate::source::SourceMap;
use crate::Report;
use serde::Serialize;

pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<Finding<'a>>,
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    /// 1-based, in Unicode scalar values (what editors show).
    column: u32,
}

#[derive(Serialize)]
struct Location {
    file: String,
    start: Position,
    end: Position,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    location: Location,
}

#[derive(Serialize)]
struct Finding<'a> {
    code: &'a str,
    name: &'a str,
    level: &'a str,
    message: &'a str,
    location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    related: Vec<Related<'a>>,
    key: &'a str,
    fingerprint: String,
}

#[derive(Serialize)]
struct Summary<'a> {
    files: usize,
    clusters: usize,
    #[serde(flatten)]
    counts: Counts,
    input_errors: &'a [String],
    /// Problems with the run that are not findings (no configuration file found); `warnings`
    /// is the count of warning findings.
    run_warnings: &'a [String],
    /// Configuration files ignore rules kept out of the scan, per kind of rule.
    skipped: &'a [crate::discover::Skipped],
    /// What was modelled of each cluster.
    coverage: super::shared::CoverageView<'a>,
}

fn location(sources: &SourceMap, span: crate::source::Span) -> Location {
    let l = sources.location(span);
    Location {
        file: l.file,
        start: Position {
            line: l.start.line,
            column: l.start.column,
        },
        end: Position {
            line: l.end.line,
            column: l.end.column,
        },
    }
}

pub fn render(report: &Report) -> String {
    let findings = report
        .diagnostics
        .iter()
        .map(|d| {
            let loc = location(&report.sources, d.span);
            // By the file's identity, as SARIF's: stable across working directories.
            let fp = fingerprint(d, &report.sources.get(d.span.file).ident);
            Finding {
                code: d.code.as_str(),
                name: d.code.name(),
                level: d.level.as_str(),
                message: &d.message,
                location: loc,
                label: d.label.as_deref(),
                help: d.help.as_deref(),
                related: d
                    .related
                    .iter()
                    .map(|r| Related {
                        message: &r.message,
                        location: location(&report.sources, r.span),
                    })
                    .collect(),
                key: &d.key,
                fingerprint: fp,
            }
        })
        .collect();
    let doc = Doc {
        version: VERSION,
        tool: Tool {
            name: TOOL_NAME,
            version: TOOL_VERSION,
        },
        findings,
        summary: Summary {
            files: report.sources.len(),
            clusters: report.clusters.len(),
            counts: Counts::of(&report.diagnostics),
            input_errors: &report.input_errors,
            run_warnings: &report.warnings,
            skipped: &report.skipped,
            coverage: super::shared::coverage_view(report),
        },
    };
    let mut s = super::escape::json_pretty(&doc).unwrap_or_else(|_| "{}".to_string());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::diag::Level;
    use crate::render::testutil;

    #[test]
    fn document_has_version_findings_and_summary() {
        let r = testutil::report(vec![(
            Code::EKS101,
            Level::Error,
            "maxSize: 80",
            "too many",
        )]);
        let v: serde_json::Value = serde_json::from_str(&render(&r)).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["tool"]["name"], "eks-lint");
        let f = &v["findings"][0];
        assert_eq!(f["code"], "EKS101");
        assert_eq!(f["name"], "subnet-exhaustion");
        assert_eq!(f["location"]["start"]["line"], 8);
        assert_eq!(f["location"]["start"]["column"], 5);
        assert_eq!(f["location"]["end"]["column"], 16);
        assert_eq!(f["related"][0]["location"]["start"]["line"], 4);
        assert_eq!(v["summary"]["errors"], 1);
        assert_eq!(v["summary"]["warnings"], 0);
        assert_eq!(v["summary"]["files"], 1);
    }
}
