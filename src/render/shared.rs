//! What every renderer shares: the tool's identity, render options, finding counts and the
//! summary line, rule documentation links, and finding fingerprints. Renderers depend on this
//! file (and on `escape`), never on `render/mod.rs`, which only dispatches to them.

use crate::diag::{Diagnostic, Level};
use crate::rules::meta::RuleMeta;
use crate::Report;

pub const TOOL_NAME: &str = "eks-lint";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// How a run wants its output.
#[derive(Debug, Clone)]
pub struct Options {
    /// ANSI colour in human output.
    pub color: bool,
    /// Terminal width for wrapping human output.
    pub width: usize,
    /// No summary line.
    pub quiet: bool,
    /// Counts per rule after the findings.
    pub statistics: bool,
    /// Findings at or above this level fail the run (JUnit failures follow it too).
    pub fail_on: Level,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            color: false,
            width: 100,
            quiet: false,
            statistics: false,
            fail_on: Level::Error,
        }
    }
}

/// Findings per level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Counts {
    pub fn of(diags: &[Diagnostic]) -> Counts {
        let mut c = Counts::default();
        for d in diags {
            match d.level {
                Level::Error => c.errors += 1,
                Level::Warning => c.warnings += 1,
                Level::Note => c.notes += 1,
            }
        }
        c
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.notes
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "1 error, 2 warnings and 1 note" (only the non-zero parts; "no findings" when empty).
pub fn counts_phrase(c: Counts) -> String {
    let mut parts = Vec::new();
    if c.errors > 0 {
        parts.push(plural(c.errors, "error", "errors"));
    }
    if c.warnings > 0 {
        parts.push(plural(c.warnings, "warning", "warnings"));
    }
    if c.notes > 0 {
        parts.push(plural(c.notes, "note", "notes"));
    }
    match parts.len() {
        0 => "no findings".to_string(),
        1 => parts.remove(0),
        _ => {
            let last = parts.pop().unwrap_or_default();
            format!("{} and {last}", parts.join(", "))
        }
    }
}

/// The summary printed after human and concise output: one line, and one more naming the
/// ignore rules that skipped configuration files, if any did.
pub fn summary_line(report: &Report) -> String {
    let c = Counts::of(&report.diagnostics);
    let totals = crate::coverage::totals(&report.coverage);
    let scope = format!(
        "{}, {}",
        plural(report.sources.len(), "file", "files"),
        plural(report.clusters.len(), "cluster", "clusters")
    );
    let unusable = report.input_errors.len();
    let unusable_phrase = plural(unusable, "input path", "input paths");
    let mut line = if report.sources.is_empty() {
        // Never "All checks passed!" for a scan that read nothing.
        let skipped: usize = report.skipped.iter().map(|s| s.files).sum();
        let why = if skipped > 0 {
            "ignore rules skipped every configuration file"
        } else {
            "no configuration files found"
        };
        if unusable > 0 {
            format!("Nothing was checked: {why}; {unusable_phrase} could not be used.")
        } else {
            format!("Nothing was checked: {why}.")
        }
    } else if unusable > 0 {
        format!(
            "Found {} in {scope}; {unusable_phrase} could not be used.",
            counts_phrase(c),
        )
    } else if c.total() == 0 && totals.partly_checked == 0 {
        format!("All checks passed! ({scope} checked)")
    } else if c.total() == 0 {
        format!("No findings in {scope}.")
    } else {
        format!("Found {} in {scope}.", counts_phrase(c))
    };
    for l in coverage_lines(report) {
        line.push('\n');
        line.push_str(&l);
    }
    if let Some(s) = skipped_line(report) {
        line.push('\n');
        line.push_str(&s);
    }
    line
}

/// "2 clusters: 1 fully checked, 1 partly:" and one line per partly checked cluster saying
/// why (nothing without clusters).
pub fn coverage_lines(report: &Report) -> Vec<String> {
    let t = crate::coverage::totals(&report.coverage);
    if t.clusters == 0 {
        return Vec::new();
    }
    let mut out = vec![if t.partly_checked == 0 {
        format!(
            "{}: {} fully checked.",
            plural(t.clusters, "cluster", "clusters"),
            t.fully_checked
        )
    } else {
        format!(
            "{}: {} fully checked, {} partly:",
            plural(t.clusters, "cluster", "clusters"),
            t.fully_checked,
            t.partly_checked
        )
    }];
    for c in report.coverage.iter().filter(|c| !c.fully_checked) {
        let loc = report.sources.location(c.span);
        // Names and paths come from the input: inert on a terminal.
        let text = format!(
            "  cluster `{}` ({}:{}): {}",
            c.cluster,
            loc.file,
            loc.start.line,
            c.why()
        );
        out.push(super::escape::terminal(&text).into_owned());
    }
    out
}

/// The coverage as JSON and SARIF carry it: the totals, and per cluster its location, verdict
/// and compute sources.
#[derive(serde::Serialize)]
pub struct CoverageView<'a> {
    #[serde(flatten)]
    pub totals: crate::coverage::Totals,
    pub per_cluster: Vec<ClusterCoverageView<'a>>,
}

#[derive(serde::Serialize)]
pub struct ClusterCoverageView<'a> {
    pub cluster: &'a str,
    pub key: &'a str,
    pub file: String,
    pub line: u32,
    pub fully_checked: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
    pub compute: Vec<ComputeView<'a>>,
    pub unchecked: &'a [crate::coverage::Gap],
}

#[derive(serde::Serialize)]
pub struct ComputeView<'a> {
    #[serde(flatten)]
    pub compute: &'a crate::coverage::ComputeCoverage,
    pub file: String,
    pub line: u32,
}

pub fn coverage_view(report: &Report) -> CoverageView<'_> {
    let at = |span| {
        let l = report.sources.location(span);
        (l.file, l.start.line)
    };
    let per_cluster = report
        .coverage
        .iter()
        .map(|c| {
            let (file, line) = at(c.span);
            ClusterCoverageView {
                cluster: &c.cluster,
                key: &c.key,
                file,
                line,
                fully_checked: c.fully_checked,
                why: (!c.fully_checked).then(|| c.why()),
                compute: c
                    .compute
                    .iter()
                    .map(|x| {
                        let (file, line) = at(x.span);
                        ComputeView {
                            compute: x,
                            file,
                            line,
                        }
                    })
                    .collect(),
                unchecked: &c.unchecked,
            }
        })
        .collect();
    CoverageView {
        totals: crate::coverage::totals(&report.coverage),
        per_cluster,
    }
}

/// `Skipped by ignore rules: .gitignore: 3 files.`, when ignore rules skipped any file.
pub fn skipped_line(report: &Report) -> Option<String> {
    (!report.skipped.is_empty()).then(|| {
        format!(
            "Skipped by ignore rules: {}.",
            crate::discover::skipped_phrase(&report.skipped)
        )
    })
}

/// The rule catalogue entry for a diagnostic code, with its position in the catalogue.
pub fn rule_index(code: crate::code::Code) -> (usize, &'static RuleMeta) {
    (code.index(), code.meta())
}

/// Documentation of one rule, as outputs show it.
#[derive(Debug, Clone)]
pub struct RuleDoc {
    pub short: String,
    pub full: String,
    pub help_text: String,
    pub help_markdown: String,
    pub help_uri: String,
    pub tags: Vec<String>,
}

pub fn rule_doc(meta: &RuleMeta) -> RuleDoc {
    use crate::rules::pages;
    let short = meta.summary.to_string();
    let full = pages::section(meta, "What it checks")
        .filter(|s| !s.is_empty())
        .map_or_else(|| short.clone(), str::to_string);
    let body = pages::body(meta).trim().to_string();
    RuleDoc {
        short,
        full,
        help_text: body.clone(),
        help_markdown: body,
        help_uri: pages::help_uri(meta),
        tags: vec![
            "eks".to_string(),
            "ip-capacity".to_string(),
            meta.category.to_string(),
        ],
    }
}

/// A fingerprint that survives line moves: rule, file, the finding's key and its message with
/// every number removed (a changed max size must not look like a new finding). FNV-1a, so the
/// value is the same on every platform and Rust version.
pub fn fingerprint(d: &Diagnostic, file: &str) -> String {
    let mut normalized = String::with_capacity(d.message.len());
    let mut in_digits = false;
    for ch in d.message.chars() {
        if ch.is_ascii_digit() {
            if !in_digits {
                normalized.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            normalized.push(ch);
        }
    }
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [d.code.as_str(), file, &d.key, &normalized] {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// The instance types of a group for a table cell: a NodePool may allow hundreds, so beyond
/// a few the cell names the first and the count (JSON lists them all).
pub(crate) fn types_cell(types: &[String]) -> String {
    const SHOWN: usize = 3;
    if types.len() <= SHOWN + 1 {
        types.join(", ")
    } else {
        format!(
            "{} and {} more",
            types[..SHOWN].join(", "),
            types.len() - SHOWN
        )
    }
}
