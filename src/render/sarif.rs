//! `--format sarif`: a SARIF 2.1.0 log for GitHub code scanning and other consumers.
//!
//! One run; `tool.driver.rules` lists every rule so `ruleIndex` is stable; paths are relative
//! to `%SRCROOT%` (the working directory, given in `originalUriBaseIds`); columns are UTF-16
//! code units (declared in `columnKind`); `partialFingerprints` uses our own key, stable
//! across line moves (GitHub computes `primaryLocationLineHash` itself).

use super::escape::json_pretty;
use super::shared::{fingerprint, rule_doc, rule_index, INFORMATION_URI, TOOL_NAME, TOOL_VERSION};
use crate::diag::{Diagnostic, Level};
use crate::source::{SourceMap, Span};
use crate::Report;
use serde_sarif::sarif::{
    ArtifactLocation, Invocation, Location, Message, MultiformatMessageString, Notification,
    PhysicalLocation, PropertyBag, Region, ReportingConfiguration, ReportingDescriptor,
    Result as SarifResult, ResultLevel, Run, RunAutomationDetails, Sarif, Tool, ToolComponent,
};
use std::collections::BTreeMap;

pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
pub const SRCROOT: &str = "%SRCROOT%";
/// The `partialFingerprints` key; bump the suffix if the fingerprint recipe changes.
pub const FINGERPRINT_KEY: &str = "eksLint/v1";
pub const AUTOMATION_ID: &str = "eks-lint/";

fn level_str(l: Level) -> &'static str {
    match l {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "note",
    }
}

fn result_level(l: Level) -> ResultLevel {
    match l {
        Level::Error => ResultLevel::Error,
        Level::Warning => ResultLevel::Warning,
        Level::Note => ResultLevel::Note,
    }
}

/// Percent-encode a path for a URI (RFC 3986: keep unreserved characters and `/`).
pub fn uri_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A file URI for an absolute path (directories end with `/`).
fn file_uri(abs: &str, dir: bool) -> String {
    let p = abs.replace('\\', "/");
    let p = if p.starts_with('/') {
        p
    } else {
        format!("/{p}")
    };
    let mut u = format!("file://{}", uri_encode_path(&p));
    if dir && !u.ends_with('/') {
        u.push('/');
    }
    u
}

/// Relative paths hang off `%SRCROOT%`; a file outside the working directory gets a file URI.
fn artifact(display: &str) -> ArtifactLocation {
    if display.starts_with('/') || display.contains(":/") {
        ArtifactLocation::builder()
            .uri(file_uri(display, false))
            .build()
    } else {
        ArtifactLocation::builder()
            .uri(uri_encode_path(display))
            .uri_base_id(SRCROOT)
            .build()
    }
}

fn region(sources: &SourceMap, span: Span) -> Region {
    let l = sources.location(span);
    Region::builder()
        .start_line(i64::from(l.start.line))
        .start_column(i64::from(l.start.column_utf16))
        .end_line(i64::from(l.end.line))
        .end_column(i64::from(l.end.column_utf16))
        .build()
}

fn location(sources: &SourceMap, span: Span, id: Option<i64>, msg: Option<&str>) -> Location {
    let file = sources.get(span.file);
    let physical = PhysicalLocation::builder()
        .artifact_location(artifact(&file.display))
        .region(region(sources, span))
        .build();
    // A line of a plan or state document names its resource instance (issue 18).
    let logical = crate::plan::address_at(&file.text, span).map(|a| {
        vec![serde_sarif::sarif::LogicalLocation {
            fully_qualified_name: Some(a),
            kind: Some("resource".into()),
            ..Default::default()
        }]
    });
    Location {
        id,
        message: msg.map(|m| Message::builder().text(escape_text(m)).build()),
        physical_location: Some(physical),
        logical_locations: logical,
        ..Default::default()
    }
}

/// SARIF plain-text messages use `[text](id)` for links, so literal brackets are escaped.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if ch == '[' || ch == ']' {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn sentence(s: &str) -> String {
    let t = s.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

fn message(d: &Diagnostic) -> String {
    let mut text = sentence(&escape_text(&d.message));
    if let Some(h) = &d.help {
        text.push_str(" Fix: ");
        text.push_str(&sentence(&escape_text(h)));
    }
    if !d.related.is_empty() {
        let links: Vec<String> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, r)| format!("[{}]({})", escape_text(&r.message), i + 1))
            .collect();
        text.push_str(" Related: ");
        text.push_str(&links.join(", "));
        text.push('.');
    }
    text
}

/// SARIF's convention for rule names: `subnet-exhaustion` → `SubnetExhaustion`.
fn pascal_case(kebab: &str) -> String {
    kebab
        .split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn rules() -> Vec<ReportingDescriptor> {
    crate::rules::meta::RULES
        .iter()
        .map(|m| {
            let doc = rule_doc(m);
            let level: serde_json::Value = level_str(m.level).into();
            ReportingDescriptor::builder()
                .id(m.code.as_str())
                .name(pascal_case(m.name))
                .short_description(MultiformatMessageString::builder().text(doc.short).build())
                .full_description(MultiformatMessageString::builder().text(doc.full).build())
                .help(
                    MultiformatMessageString::builder()
                        .text(doc.help_text)
                        .markdown(doc.help_markdown)
                        .build(),
                )
                .help_uri(doc.help_uri)
                .default_configuration(ReportingConfiguration::builder().level(level).build())
                .properties(PropertyBag::builder().tags(doc.tags).build())
                .build()
        })
        .collect()
}

fn result(report: &Report, d: &Diagnostic) -> SarifResult {
    let related: Vec<Location> = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| {
            location(
                &report.sources,
                r.span,
                Some(i as i64 + 1),
                Some(&r.message),
            )
        })
        .collect();
    let mut fp = BTreeMap::new();
    // The file's identity, not its displayed path: a baseline survives another working
    // directory.
    let ident = &report.sources.get(d.span.file).ident;
    fp.insert(FINGERPRINT_KEY.to_string(), fingerprint(d, ident));
    let mut r = SarifResult::builder()
        .rule_id(d.code.as_str())
        .level(result_level(d.level))
        .message(Message::builder().text(message(d)).build())
        .locations(vec![location(
            &report.sources,
            d.span,
            None,
            d.label.as_deref(),
        )])
        .partial_fingerprints(fp)
        .build();
    r.rule_index = Some(rule_index(d.code).0 as i64);
    if !related.is_empty() {
        r.related_locations = Some(related);
    }
    r
}

/// The directory relative paths are resolved against ([`Report::base_dir`]).
fn srcroot(report: &Report) -> ArtifactLocation {
    let mut loc = ArtifactLocation::builder()
        .description(
            Message::builder()
                .text("The directory eks-lint ran in; result paths are relative to it.")
                .build(),
        )
        .build();
    if let Some(base) = &report.base_dir {
        loc.uri = Some(file_uri(&base.to_string_lossy(), true));
    }
    loc
}

/// The log with every result (tests and library users); [`render`] streams the results.
pub fn build(report: &Report) -> Sarif {
    build_with(
        report,
        report
            .diagnostics
            .iter()
            .map(|d| result(report, d))
            .collect(),
    )
}

fn build_with(report: &Report, results: Vec<SarifResult>) -> Sarif {
    let driver = ToolComponent::builder()
        .name(TOOL_NAME)
        .version(TOOL_VERSION)
        .semantic_version(TOOL_VERSION)
        .information_uri(INFORMATION_URI)
        .rules(rules())
        .build();
    let notification = |level: &str, text: &str| {
        Notification::builder()
            .level(serde_json::Value::from(level))
            .message(
                Message::builder()
                    .text(sentence(&escape_text(text)))
                    .build(),
            )
            .build()
    };
    // Configuration errors are configuration notifications, at their location; the other
    // input errors are execution notifications.
    let configuration: Vec<Notification> = report
        .config_errors
        .iter()
        .map(|e| {
            let mut n = notification("error", &e.message);
            if e.line > 0 {
                let region = Region::builder()
                    .start_line(e.line as i64)
                    .start_column(e.column as i64)
                    .build();
                let physical = PhysicalLocation::builder()
                    .artifact_location(artifact(&e.file))
                    .region(region)
                    .build();
                n.locations = Some(vec![Location {
                    physical_location: Some(physical),
                    ..Default::default()
                }]);
            }
            n
        })
        .collect();
    let config_texts: Vec<String> = report.config_errors.iter().map(|e| e.to_string()).collect();
    let mut notifications: Vec<Notification> = report
        .input_errors
        .iter()
        .filter(|e| !config_texts.contains(e))
        .map(|e| notification("error", e))
        .collect();
    notifications.extend(report.warnings.iter().map(|w| notification("warning", w)));
    if let Some(s) = super::shared::skipped_line(report) {
        notifications.push(notification("note", &s));
    }
    let mut invocation = Invocation::builder()
        .execution_successful(report.input_errors.is_empty() && !report.ignored_everything())
        .build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }
    if !configuration.is_empty() {
        invocation.tool_configuration_notifications = Some(configuration);
    }
    let mut bases = BTreeMap::new();
    bases.insert(SRCROOT.to_string(), srcroot(report));
    // The coverage, machine-readable, in the run's property bag.
    let mut props = BTreeMap::new();
    props.insert(
        "eksLint/coverage".to_string(),
        serde_json::to_value(super::shared::coverage_view(report)).unwrap_or_default(),
    );
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .properties(PropertyBag::builder().additional_properties(props).build())
        .automation_details(RunAutomationDetails::builder().id(AUTOMATION_ID).build())
        .original_uri_base_ids(bases)
        .column_kind(serde_json::Value::from("utf16CodeUnits"))
        .invocations(vec![invocation])
        .results(results)
        .build();
    Sarif::builder()
        .schema(SCHEMA_URI)
        .version(serde_json::Value::from("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The pretty-printed log. Results are built and serialised one at a time (in parallel) and
/// spliced into the log serialised without them: holding every result as typed values at once
/// took about six times the output's size (168 MB peak for a 17 MB log).
pub fn render(report: &Report) -> String {
    use rayon::prelude::*;
    // The results array sits at this depth of serde_json's two-space pretty printer:
    // {"runs": [{"results": [ … ]}]}.
    const INDENT: &str = "        ";
    const EMPTY: &str = "\"results\": []";
    let skeleton = json_pretty(&build_with(report, Vec::new())).unwrap_or_default();
    let parts: Vec<String> = report
        .diagnostics
        .par_iter()
        .map(|d| {
            let one = json_pretty(&result(report, d)).unwrap_or_default();
            let lines = one.bytes().filter(|&b| b == b'\n').count() + 1;
            let mut out = String::with_capacity(one.len() + lines * INDENT.len());
            for (i, line) in one.lines().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                out.push_str(INDENT);
                out.push_str(line);
            }
            out
        })
        .collect();
    let mut s = String::with_capacity(
        skeleton.len() + parts.iter().map(|p| p.len() + 2).sum::<usize>() + 16,
    );
    match skeleton.find(EMPTY) {
        Some(at) if !parts.is_empty() => {
            s.push_str(&skeleton[..at]);
            s.push_str("\"results\": [\n");
            // Each part is freed once copied: no third copy of the results.
            for (i, p) in parts.into_iter().enumerate() {
                if i > 0 {
                    s.push_str(",\n");
                }
                s.push_str(&p);
            }
            s.push_str("\n      ]");
            s.push_str(&skeleton[at + EMPTY.len()..]);
        }
        Some(_) => s.push_str(&skeleton),
        // Not expected (serde-sarif writes empty results); never drop results over it.
        None => s = json_pretty(&build(report)).unwrap_or_default(),
    }
    if s.is_empty() {
        s.push_str("{}");
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::render::testutil;

    /// The spliced log is byte for byte what serialising the whole log gives.
    #[test]
    fn streamed_render_equals_whole_serialisation() {
        let mut with_errors = testutil::report(vec![]);
        with_errors
            .input_errors
            .push("missing: no such file".into());
        for r in [
            testutil::report(vec![
                (
                    Code::EKS101,
                    Level::Error,
                    "maxSize: 80",
                    "too \"many\"\nnodes",
                ),
                (Code::EKS301, Level::Warning, "m5.8xlarge", "idle addresses"),
                (Code::EKS901, Level::Note, "10.0.0.0/22", "not known"),
            ]),
            testutil::report(vec![]),
            with_errors,
        ] {
            let whole = json_pretty(&build(&r)).unwrap() + "\n";
            assert_eq!(render(&r), whole);
        }
    }

    fn doc(r: &Report) -> serde_json::Value {
        serde_json::from_str(&render(r)).unwrap()
    }

    #[test]
    fn results_reference_rules_and_relative_locations() {
        let r = testutil::report(vec![(
            Code::EKS101,
            Level::Error,
            "maxSize: 80",
            "subnets `a[0]` hold 48",
        )]);
        // Without a base directory there is no %SRCROOT% location to give.
        let bare = doc(&r);
        assert!(bare["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]
            .get("uri")
            .is_none());
        let mut r = r;
        r.base_dir = Some(std::path::PathBuf::from("/work/repo"));
        let v = doc(&r);
        // CI validates this log with Microsoft's SARIF multitool too (see .ci/run).
        if let Some(dir) = std::env::var_os("EKS_LINT_SARIF_DIR") {
            std::fs::write(
                std::path::Path::new(&dir).join("unit__sample.sarif"),
                render(&r),
            )
            .unwrap();
        }
        assert_eq!(v["version"], "2.1.0");
        let run = &v["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), crate::rules::meta::RULES.len());
        let res = &run["results"][0];
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], "EKS101");
        assert_eq!(res["ruleId"], "EKS101");
        assert_eq!(res["level"], "error");
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "cluster.yaml");
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], 8);
        assert_eq!(loc["region"]["startColumn"], 5);
        assert_eq!(loc["region"]["endColumn"], 16);
        assert_eq!(res["relatedLocations"][0]["id"], 1);
        let text = res["message"]["text"].as_str().unwrap();
        assert!(text.contains("`a\\[0\\]`"), "{text}");
        assert!(text.contains("[subnet `a`](1)"), "{text}");
        assert!(res["partialFingerprints"][FINGERPRINT_KEY].is_string());
        assert!(res["partialFingerprints"]
            .get("primaryLocationLineHash")
            .is_none());
        assert_eq!(run["columnKind"], "utf16CodeUnits");
        let root = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap();
        assert_eq!(root, "file:///work/repo/");
    }

    #[test]
    fn input_errors_become_notifications() {
        let mut r = testutil::report(vec![]);
        r.input_errors
            .push("missing.yaml: no such file or directory".into());
        let v = doc(&r);
        let inv = &v["runs"][0]["invocations"][0];
        assert_eq!(inv["executionSuccessful"], false);
        assert_eq!(inv["toolExecutionNotifications"][0]["level"], "error");
        assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(uri_encode_path("a b/ç.tf"), "a%20b/%C3%A7.tf");
        assert_eq!(file_uri("/tmp/x y", true), "file:///tmp/x%20y/");
    }
}
