//! One line per finding: `file:line:col: level[CODE] message`.

use super::Options;
use crate::Report;
use std::fmt::Write as _;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for d in &report.diagnostics {
        let loc = report.sources.location(d.span);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            loc.file, loc.start.line, loc.start.column, d.level, d.code, d.message
        );
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
        out.push_str(&super::summary_line(report));
        out.push('\n');
    }
    out
}
