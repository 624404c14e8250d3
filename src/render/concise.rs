//! One line per finding: `file:line:col: level[CODE] message`.

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
