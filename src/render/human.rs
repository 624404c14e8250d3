//! Human output: miette reports with the source snippet, labels (related locations in the same
//! file as secondary labels, other files as related reports), the concrete fix as help, and a
//! one-line summary at the end.

use super::Options;
use crate::diag::{Diagnostic, Level};
use crate::source::{SourceFile, Span};
use crate::Report;
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, Severity,
    SourceCode, SpanContents,
};
use std::fmt;

/// One finding, shaped for miette.
#[derive(Debug)]
struct Finding<'a> {
    message: String,
    code: String,
    severity: Severity,
    help: Option<String>,
    source: Option<Indexed<'a>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Finding<'a>>,
}

impl fmt::Display for Finding<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Finding<'_> {}

impl miette::Diagnostic for Finding<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        (!self.code.is_empty()).then(|| Box::new(&self.code) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.is_none() || self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(
            self.related.iter().map(|r| r as &dyn miette::Diagnostic),
        ))
    }
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Note => Severity::Advice,
    }
}

/// A span miette can show: inside the text (miette fails the whole report on a bad span).
fn usable_span(file: &SourceFile, span: Span) -> Option<miette::SourceSpan> {
    let len = file.text.len();
    if len == 0 || span.start as usize > len {
        return None;
    }
    let end = (span.end as usize).min(len);
    let start = span.start as usize;
    if !file.text.is_char_boundary(start) || !file.text.is_char_boundary(end) {
        return None;
    }
    Some((start, end - start).into())
}

fn source_of(file: &SourceFile) -> Indexed<'_> {
    Indexed(file)
}

/// A file as miette source code. miette's own `str` implementation scans from the start of
/// the file for every snippet; this one starts a line before the first context line (found in
/// the line index) and runs miette's scan over that window only, so its output is the same.
#[derive(Debug, Clone, Copy)]
struct Indexed<'a>(&'a SourceFile);

impl SourceCode for Indexed<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let file = self.0;
        let text = file.text.as_bytes();
        // miette also ends a line at a lone `\r`; the line index does not, so such files
        // take the full scan.
        let lone_cr = file.has_lone_cr();
        let (first_line, window_start) = if lone_cr || span.offset() > text.len() {
            (0, 0)
        } else {
            let line = file.line_col(span.offset() as u32).line as usize - 1;
            // One line more than the context: miette treats a span at offset 0 of its input
            // specially, so the window never starts at the span unless the file does.
            let first = line.saturating_sub(before + 1);
            (first, file.line_start(first as u32 + 1).unwrap_or(0))
        };
        let window = &text[window_start..];
        let shifted = miette::SourceSpan::from((span.offset() - window_start, span.len()));
        let c = window.read_span(&shifted, before, after)?;
        let s = c.span();
        Ok(Box::new(MietteSpanContents::new_named(
            file.display.clone(),
            c.data(),
            (s.offset() + window_start, s.len()).into(),
            c.line() + first_line,
            c.column(),
            c.line_count() + first_line,
        )))
    }
}

/// One label before grouping.
struct Label {
    span: miette::SourceSpan,
    first_line: u32,
    last_line: u32,
    text: Option<String>,
    primary: bool,
}

/// Labels closer than this many lines share one snippet.
const SAME_SNIPPET_LINES: u32 = 3;

/// Split labels of one file into groups of nearby lines. miette (7.6) merges every later label
/// into the first snippet, printing all the lines between them, so distant labels get their
/// own snippet (as a related report) instead.
fn group(mut labels: Vec<Label>) -> Vec<Vec<Label>> {
    labels.sort_by_key(|l| (l.first_line, l.span.offset()));
    let mut groups: Vec<Vec<Label>> = Vec::new();
    for l in labels {
        match groups.last_mut() {
            Some(g)
                if g.iter().map(|x| x.last_line).max().unwrap_or(0) + SAME_SNIPPET_LINES
                    >= l.first_line =>
            {
                g.push(l)
            }
            _ => groups.push(vec![l]),
        }
    }
    groups
}

fn to_spans(g: Vec<Label>) -> Vec<LabeledSpan> {
    g.into_iter()
        .map(|l| {
            if l.primary {
                LabeledSpan::new_primary_with_span(l.text, l.span)
            } else {
                LabeledSpan::new_with_span(l.text, l.span)
            }
        })
        .collect()
}

fn related_finding(message: String, file: &SourceFile, labels: Vec<LabeledSpan>) -> Finding<'_> {
    Finding {
        message,
        code: String::new(),
        severity: Severity::Advice,
        help: None,
        source: Some(source_of(file)),
        labels,
        related: Vec::new(),
    }
}

fn label(file: &SourceFile, span: Span, text: Option<String>, primary: bool) -> Option<Label> {
    let s = usable_span(file, span)?;
    Some(Label {
        span: s,
        first_line: file.line_col(span.start).line,
        last_line: file.line_col(span.end).line,
        text,
        primary,
    })
}

fn finding<'a>(report: &'a Report, d: &Diagnostic) -> Finding<'a> {
    let file = report.sources.get(d.span.file);
    let mut same_file = Vec::new();
    let mut related = Vec::new();
    let mut message = d.message.clone();
    match label(file, d.span, d.label.clone(), true) {
        Some(l) => same_file.push(l),
        None => {
            // No snippet for the primary span: say where it is in the message itself.
            let loc = report.sources.location(d.span);
            message = format!(
                "{message} (at {}:{}:{})",
                loc.file, loc.start.line, loc.start.column
            );
        }
    }
    let mut other_files = Vec::new();
    for r in &d.related {
        let rfile = report.sources.get(r.span.file);
        let Some(l) = label(rfile, r.span, Some(r.message.clone()), false) else {
            continue;
        };
        if r.span.file == d.span.file {
            same_file.push(l);
        } else {
            other_files.push((rfile, l));
        }
    }
    let has_primary = same_file.iter().any(|l| l.primary);
    let mut labels = Vec::new();
    for g in group(same_file) {
        if g.iter().any(|l| l.primary) || (!has_primary && labels.is_empty()) {
            labels = to_spans(g);
        } else {
            let mut g = g;
            let msg = if g.len() == 1 {
                // The message says it; no need to repeat it under the snippet.
                g[0].text.take().unwrap_or_default()
            } else {
                "related inputs".to_string()
            };
            related.push(related_finding(msg, file, to_spans(g)));
        }
    }
    for (rfile, l) in other_files {
        let msg = l.text.clone().unwrap_or_default();
        let mut l = l;
        l.text = None;
        related.push(related_finding(msg, rfile, to_spans(vec![l])));
    }
    let name = crate::rules::meta(d.code).map_or("", |m| m.name);
    Finding {
        message,
        code: if name.is_empty() {
            d.code.to_string()
        } else {
            format!("{} {name}", d.code)
        },
        severity: severity(d.level),
        help: d.help.clone(),
        source: (!labels.is_empty()).then(|| source_of(file)),
        labels,
        related,
    }
}

pub fn render(report: &Report, opts: &Options) -> String {
    let theme = if opts.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(opts.width.max(40))
        .with_urls(false)
        .with_links(false);
    // Findings render independently (miette's wrapping dominates): in parallel, in order.
    use rayon::prelude::*;
    let parts: Vec<String> = report
        .diagnostics
        .par_iter()
        .map(|d| {
            let mut f = finding(report, d);
            // Related snippets are rendered as reports of their own: miette's nested mode
            // re-wraps their lines (labels included) to the terminal width, which breaks them.
            let related = std::mem::take(&mut f.related);
            let mut one = String::new();
            let mut ok = handler.render_report(&mut one, &f).is_ok();
            for r in &related {
                let mut part = String::new();
                if handler.render_report(&mut part, r).is_ok() {
                    one.push('\n');
                    one.push_str(&part);
                } else {
                    ok = false;
                }
            }
            if !ok {
                // Never lose a finding to a rendering problem: fall back to one plain line.
                let loc = report.sources.location(d.span);
                one = format!(
                    "{}:{}:{}: {}[{}] {}\n",
                    loc.file, loc.start.line, loc.start.column, d.level, d.code, d.message
                );
            }
            one.push('\n');
            one
        })
        .collect();
    let mut out = String::with_capacity(parts.iter().map(String::len).sum::<usize>() + 256);
    for p in &parts {
        out.push_str(p);
    }
    if opts.statistics && !report.diagnostics.is_empty() {
        out.push_str(&crate::statistics(report));
        out.push('\n');
    }
    if !opts.quiet {
        out.push_str(&super::summary_line(report));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;

    #[test]
    fn shows_snippet_labels_help_and_summary() {
        let r = testutil::report(vec![(
            "EKS101",
            Level::Error,
            "maxSize: 80",
            "node group `general` can grow to 80 nodes but 48 fit",
        )]);
        let out = render(&r, &Options::default());
        assert!(out.contains("EKS101 subnet-exhaustion"), "{out}");
        assert!(out.contains("cluster.yaml:8:5"), "{out}");
        assert!(out.contains("maxSize: 80"), "{out}");
        assert!(out.contains("subnet `a`"), "{out}");
        assert!(out.contains("help: do the fix"), "{out}");
        assert!(
            out.contains("Found 1 error in 1 file, 0 clusters."),
            "{out}"
        );
        assert!(!out.contains('\u{1b}'), "no colour unless asked: {out}");
        let coloured = render(
            &r,
            &Options {
                color: true,
                ..Options::default()
            },
        );
        assert!(coloured.contains('\u{1b}'));
    }

    #[test]
    fn empty_file_and_out_of_range_spans_do_not_fail() {
        let mut r = testutil::report(vec![("EKS903", Level::Error, "vpc:", "could not read")]);
        r.diagnostics[0].span.start = 10_000;
        r.diagnostics[0].span.end = 10_005;
        let out = render(&r, &Options::default());
        assert!(out.contains("could not read"), "{out}");
        assert!(out.contains("(at cluster.yaml:9:1)"), "{out}");
    }

    /// The windowed read gives exactly what miette's own scan of the whole text gives.
    #[test]
    fn indexed_source_matches_miettes_scan() {
        let texts = [
            "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\n",
            "one\r\ntwo\r\nthree\r\nfour\r\nfive",
            "mac\rline\rends\rhere\r",
            "x",
            "\n\n\nlast line without newline",
            "ünïcödé = \"ß\"\nnext = 2\n",
        ];
        for text in texts {
            let file = SourceFile::new("f".into(), "f".into(), text);
            let ours = Indexed(&file);
            for start in 0..=text.len() {
                for end in start..=text.len() {
                    if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                        continue;
                    }
                    let span: miette::SourceSpan = (start, end - start).into();
                    for ctx in [0, 1, 2, 5] {
                        let a = ours.read_span(&span, ctx, ctx);
                        let b = text.read_span(&span, ctx, ctx);
                        match (a, b) {
                            (Ok(a), Ok(b)) => {
                                let what = format!("{text:?} {start}..{end} ctx {ctx}");
                                assert_eq!(a.data(), b.data(), "{what}");
                                assert_eq!(a.span(), b.span(), "{what}");
                                assert_eq!(a.line(), b.line(), "{what}");
                                assert_eq!(a.column(), b.column(), "{what}");
                                assert_eq!(a.line_count(), b.line_count(), "{what}");
                                assert_eq!(a.name(), Some("f"), "{what}");
                            }
                            (Err(_), Err(_)) => {}
                            (a, b) => panic!(
                                "{text:?} {start}..{end}: {:?} vs {:?}",
                                a.is_ok(),
                                b.is_ok()
                            ),
                        }
                    }
                }
            }
        }
    }
}
