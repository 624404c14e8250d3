//! One line per finding: `file:line:col: level[CODE] message`, through [`escape::terminal`]
//! (so each finding is one line whatever its file name and message hold).

use super::escape;
use super::shared::Options;
use crate::diag::Diagnostic;
use crate::Report;

/// The finding as one unescaped line (without line end); each output escapes it its way.
pub fn line(report: &Report, d: &Diagnostic) -> String {
    let loc = report.sources.location(d.span);
    format!(
        "{}:{}:{}: {}[{}] {}",
        loc.file, loc.start.line, loc.start.column, d.level, d.code, d.message
    )
}

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        out.push_str(&escape::terminal(&line(report, d)));
        out.push('\n');
    }
    out
}

/// The lines plus `--statistics` and the summary line.
pub fn render_with(report: &Report, opts: &Options) -> String {
    let mut out = render(report);
    if opts.statistics {
        out.push_str(&crate::statistics(report));
    }
    if !opts.quiet {
        out.push_str(&super::shared::summary_line(report));
        out.push('\n');
    }
    out
}
