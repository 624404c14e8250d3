//! `--format github`: GitHub Actions workflow commands that annotate the pull request.
//!
//! GitHub shows at most 10 annotations of each kind per step and drops the rest, so the most
//! severe are emitted (diagnostics are sorted by file; errors go first) and one notice says how
//! many were left out. Data and properties are escaped as @actions/core does
//! ([`escape::workflow_data`], [`escape::workflow_property`]), after
//! [`escape::terminal`]: the log viewer shows the same text and acts on no control character.

use super::escape;
use crate::diag::Level;
use crate::Report;
use std::io::Write as _;
use std::path::Path;

/// GitHub's per-step limit for each annotation kind.
pub const MAX_PER_LEVEL: usize = 10;
/// GitHub rejects step summaries over 1 MiB; stay a little below it.
pub const STEP_SUMMARY_LIMIT: usize = 1024 * 1024 - 1024;

/// Input text as command data: one line, controls shown, `%`, CR and LF percent-encoded.
pub fn data(s: &str) -> String {
    escape::workflow_data(&escape::terminal(s))
}

fn property(s: &str) -> String {
    escape::workflow_property(&escape::terminal(s))
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Note => "notice",
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    // The run's own warnings (nothing scanned) and what ignore rules skipped come first, as
    // annotations without a file; they take slots of their kind. (Input errors are on stderr;
    // an unreadable file is an EKS903 finding too.)
    let skipped = super::shared::skipped_line(report);
    // A configuration that could not be used is annotated where it is wrong.
    for e in &report.config_errors {
        let mut props = Vec::new();
        if e.line > 0 {
            props.push(format!("file={}", property(&e.file)));
            props.push(format!("line={}", e.line));
            props.push(format!("col={}", e.column));
        }
        props.push("title=eks-lint configuration".to_string());
        out.push_str(&format!(
            "::error {}::{}\n",
            props.join(","),
            data(&e.message)
        ));
    }
    for w in &report.warnings {
        out.push_str(&format!("::warning title=eks-lint::{}\n", data(w)));
    }
    if let Some(s) = &skipped {
        out.push_str(&format!("::notice title=eks-lint::{}\n", data(s)));
    }
    // The coverage, when a cluster was only partly checked (a clean run must not look
    // complete when it was not).
    let partly = report.coverage.iter().any(|c| !c.fully_checked);
    if partly {
        let lines: Vec<String> = super::shared::coverage_lines(report)
            .iter()
            .map(|l| data(l))
            .collect();
        // The line breaks are ours: encoded, not shown as escapes.
        out.push_str(&format!(
            "::notice title=eks-lint coverage::{}\n",
            lines.join("%0A")
        ));
    }
    let taken = [
        report.config_errors.len(),
        report.warnings.len(),
        usize::from(skipped.is_some()) + usize::from(partly),
    ];
    let mut hidden = 0usize;
    let mut shown = [0usize; 3];
    let levels = [Level::Error, Level::Warning, Level::Note];
    let free = |li: usize| MAX_PER_LEVEL.saturating_sub(taken[li]);
    // The "N more" notice is a notice too, so it takes one of the notice slots.
    let overflow = levels
        .iter()
        .enumerate()
        .any(|(li, l)| report.count(*l) > free(li));
    for (li, level) in levels.iter().enumerate() {
        let cap = if *level == Level::Note && overflow {
            free(li).saturating_sub(1)
        } else {
            free(li)
        };
        for d in report.diagnostics.iter().filter(|d| d.level == *level) {
            if shown[li] >= cap {
                hidden += 1;
                continue;
            }
            shown[li] += 1;
            let loc = report.sources.location(d.span);
            let mut props = vec![
                format!("file={}", property(&loc.file)),
                format!("line={}", loc.start.line),
            ];
            if loc.end.line > loc.start.line {
                props.push(format!("endLine={}", loc.end.line));
            } else {
                // col/endColumn only make sense on one line (GitHub ignores them otherwise).
                props.push(format!("endLine={}", loc.end.line));
                props.push(format!("col={}", loc.start.column));
                props.push(format!(
                    "endColumn={}",
                    loc.end.column.max(loc.start.column)
                ));
            }
            let name = d.code.name();
            props.push(format!(
                "title={}",
                property(format!("{} {name}", d.code).trim_end())
            ));
            // The line break before the fix is ours: encoded, not shown as an escape.
            let mut msg = data(&d.message);
            if let Some(h) = &d.help {
                msg.push_str("%0AFix: ");
                msg.push_str(&data(h));
            }
            out.push_str(&format!(
                "::{} {}::{msg}\n",
                command(*level),
                props.join(","),
            ));
        }
    }
    if hidden > 0 {
        out.push_str(&format!(
            "::notice title=eks-lint::{}\n",
            data(&format!(
                "{hidden} more finding(s) not shown as annotations (GitHub shows at most {MAX_PER_LEVEL} per kind); see the job summary, the SARIF upload or the log."
            ))
        ));
    }
    out
}

/// Cut `markdown` so that `already` + the result stays under the step-summary limit, at a
/// line boundary, with a note saying it was cut.
pub fn cap_summary(markdown: &str, already: usize) -> String {
    let budget = STEP_SUMMARY_LIMIT.saturating_sub(already);
    if markdown.len() <= budget {
        return markdown.to_string();
    }
    let note = "\n\n_The eks-lint summary was cut to stay under GitHub's 1 MiB limit; the full report is in the log and the SARIF file._\n";
    let keep = budget.saturating_sub(note.len());
    let mut cut = keep.min(markdown.len());
    while cut > 0 && !markdown.is_char_boundary(cut) {
        cut -= 1;
    }
    let cut = markdown[..cut].rfind('\n').map_or(0, |i| i + 1);
    format!("{}{note}", &markdown[..cut])
}

/// Append the markdown report to `$GITHUB_STEP_SUMMARY`: the CLI writing its output, not a
/// read of input, so not through [`crate::vfs`].
pub fn append_step_summary(path: &Path, markdown: &str) -> std::io::Result<()> {
    let already = std::fs::metadata(path).map_or(0, |m| m.len() as usize);
    let text = cap_summary(markdown, already);
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::render::testutil;

    #[test]
    fn input_text_is_one_escaped_line() {
        assert_eq!(data("a%b\r\nc:d,e"), "a%25b\\u{d}\\u{a}c:d,e");
        assert_eq!(property("a%b,c:d\u{1b}"), "a%25b%2Cc%3Ad\\u{1b}");
    }

    #[test]
    fn caps_each_level_and_reports_the_rest() {
        let mut diags = Vec::new();
        for _ in 0..25 {
            diags.push((Code::EKS101, Level::Error, "maxSize: 80", "too many"));
        }
        for _ in 0..3 {
            diags.push((Code::EKS102, Level::Warning, "maxSize: 80", "tight"));
        }
        let out = render(&testutil::report(diags));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::error ")).count(),
            10
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::warning ")).count(),
            3
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::notice ")).count(),
            1
        );
        assert!(lines.last().unwrap().contains("15 more finding(s)"));
        assert!(lines[0].starts_with(
            "::error file=cluster.yaml,line=8,endLine=8,col=5,endColumn=16,title=EKS101 subnet-exhaustion::too many%0AFix: do the fix"
        ), "{}", lines[0]);
    }

    #[test]
    fn summary_is_capped_at_a_line_boundary() {
        let md = "line\n".repeat(300_000);
        let capped = cap_summary(&md, 0);
        assert!(capped.len() <= STEP_SUMMARY_LIMIT);
        assert!(capped.contains("was cut"));
        assert_eq!(cap_summary("short\n", 0), "short\n");
        assert!(cap_summary("short\n", STEP_SUMMARY_LIMIT).len() < 200);
    }
}
