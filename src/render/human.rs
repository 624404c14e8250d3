//! Human output: miette reports with the source snippet, labels (related locations in the same
//! file as secondary labels, other files as related reports), the concrete fix as help, and a
//! one-line summary at the end.
//!
//! Everything from the input reaches the terminal escaped ([`escape::terminal`]): messages,
//! labels, file names, and the source lines themselves ([`Shown`]). Lines end at `\n` (a
//! `\r\n` is one line end) as in every other format; a lone `\r` is shown as `\u{d}`.

use super::escape;
use super::shared::Options;
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

/// A span inside the text, on character boundaries (miette fails the whole report on a bad
/// span), as a byte range of the original text.
fn usable_range(file: &SourceFile, span: Span) -> Option<(usize, usize)> {
    let len = file.text.len();
    if len == 0 || span.start as usize > len {
        return None;
    }
    let end = (span.end as usize).min(len);
    let start = span.start as usize;
    if !file.text.is_char_boundary(start) || !file.text.is_char_boundary(end) {
        return None;
    }
    Some((start, end))
}

/// The longest line (in characters, of the shown text) a label may sit on. miette pads up to a
/// label with `{:width$}`, and std's formatter panics ("Formatting argument out of range") on a
/// width above `u16::MAX`; a character is at most 4 columns wide there (a tab), so lines up to
/// `u16::MAX / 4` characters are safe. Labels on longer lines (minified JSON) are left out; a
/// finding without its primary label says where it is in its message instead.
pub const MAX_SNIPPET_LINE_CHARS: usize = u16::MAX as usize / 4;

/// A file as the terminal shows it: every character [`escape::is_unsafe_for_terminal`] marks,
/// except the line ends `\n` and `\r\n`, replaced by its `\u{..}` form. Spans of the original
/// map onto the shown text; line numbers are the same in both.
struct Shown<'a> {
    orig: &'a SourceFile,
    /// None when nothing needed escaping: the original is shown.
    escaped: Option<Escaped>,
}

struct Escaped {
    file: SourceFile,
    /// For each escaped character: the original offset just after it, and the bytes the
    /// escapes added up to there. Sorted (both columns grow).
    shifts: Vec<(usize, usize)>,
}

impl<'a> Shown<'a> {
    fn new(orig: &'a SourceFile) -> Self {
        let text = &*orig.text;
        let bytes = text.as_bytes();
        let escape_at = |i: usize, c: char| {
            escape::is_unsafe_for_terminal(c)
                && c != '\n'
                && !(c == '\r' && bytes.get(i + 1) == Some(&b'\n'))
        };
        if !text.char_indices().any(|(i, c)| escape_at(i, c)) {
            return Shown {
                orig,
                escaped: None,
            };
        }
        let mut out = String::with_capacity(text.len() + 64);
        let mut shifts = Vec::new();
        for (i, c) in text.char_indices() {
            if escape_at(i, c) {
                let v = escape::visible(c);
                out.push_str(&v);
                let added = shifts.last().map_or(0, |&(_, a)| a) + v.len() - c.len_utf8();
                shifts.push((i + c.len_utf8(), added));
            } else {
                out.push(c);
            }
        }
        let display = orig.display.clone();
        Shown {
            orig,
            escaped: Some(Escaped {
                file: SourceFile::new(orig.path.clone(), display, out),
                shifts,
            }),
        }
    }

    /// The text miette reads.
    fn file(&self) -> &SourceFile {
        self.escaped.as_ref().map_or(self.orig, |e| &e.file)
    }

    /// An original offset (on a character boundary) in the shown text.
    fn to_shown(&self, offset: usize) -> usize {
        let Some(e) = &self.escaped else {
            return offset;
        };
        let i = e.shifts.partition_point(|&(after, _)| after <= offset);
        offset + i.checked_sub(1).map_or(0, |i| e.shifts[i].1)
    }

    /// A shown offset back in the original (inside an escape: the escaped character's end).
    fn to_orig(&self, offset: usize) -> usize {
        let Some(e) = &self.escaped else {
            return offset;
        };
        let i = e
            .shifts
            .partition_point(|&(after, added)| after + added <= offset);
        let before = i.checked_sub(1).map_or(0, |i| e.shifts[i].1);
        offset.saturating_sub(before).min(self.orig.text.len())
    }
}

/// A shown file as miette source code. miette's own `str` implementation scans from the start
/// of the file for every snippet; this one starts a line before the first context line (found
/// in the line index) and runs miette's scan over that window only, so its output is the same.
/// The header's column is the original's, in characters, as in every other format (miette
/// would count bytes of the shown text).
#[derive(Clone, Copy)]
struct Indexed<'a>(&'a Shown<'a>);

impl std::fmt::Debug for Indexed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.orig.display)
    }
}

impl SourceCode for Indexed<'_> {
    fn read_span<'b>(
        &'b self,
        span: &miette::SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let shown = self.0;
        let file = shown.file();
        let text = file.text.as_bytes();
        let (first_line, window_start) = if span.offset() > text.len() {
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
        let column = if before == 0 {
            let orig = shown.to_orig(s.offset() + window_start) as u32;
            shown.orig.line_col(orig).column as usize - 1
        } else {
            c.column()
        };
        Ok(Box::new(MietteSpanContents::new_named(
            escape::terminal(&file.display).into_owned(),
            c.data(),
            (s.offset() + window_start, s.len()).into(),
            c.line() + first_line,
            column,
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

fn related_finding<'a>(
    message: &str,
    shown: &'a Shown<'a>,
    labels: Vec<LabeledSpan>,
) -> Finding<'a> {
    Finding {
        message: escape::terminal(message).into_owned(),
        code: String::new(),
        severity: Severity::Advice,
        help: None,
        source: Some(Indexed(shown)),
        labels,
        related: Vec::new(),
    }
}

fn label(shown: &Shown, span: Span, text: Option<&str>, primary: bool) -> Option<Label> {
    let (start, end) = usable_range(shown.orig, span)?;
    let (start, mut end) = (shown.to_shown(start), shown.to_shown(end));
    let file = shown.file();
    // A related location shows its first line only: the message names it, and a whole
    // node-group block would bury the finding (issue 16 item 19).
    if !primary {
        if let Some(nl) = file.text.get(start..end).and_then(|t| t.find('\n')) {
            let line = &file.text[start..start + nl];
            end = start + line.trim_end().len().max(1);
        }
    }
    let first_line = file.line_col(start as u32).line;
    let last_line = file.line_col(end as u32).line;
    let too_long = |l: u32| file.line_text(l).chars().count() > MAX_SNIPPET_LINE_CHARS;
    if too_long(first_line) || too_long(last_line) {
        return None;
    }
    Some(Label {
        span: (start, end - start).into(),
        first_line,
        last_line,
        text: text.map(|t| escape::terminal(t).into_owned()),
        primary,
    })
}

/// The shown form of every file, made on first use (findings render in parallel).
struct ShownFiles<'a> {
    report: &'a Report,
    files: Vec<std::sync::OnceLock<Shown<'a>>>,
}

impl<'a> ShownFiles<'a> {
    fn new(report: &'a Report) -> Self {
        ShownFiles {
            report,
            files: (0..report.sources.len())
                .map(|_| Default::default())
                .collect(),
        }
    }

    fn get(&self, id: crate::source::FileId) -> &Shown<'a> {
        self.files[id.0 as usize].get_or_init(|| Shown::new(self.report.sources.get(id)))
    }
}

fn finding<'a>(report: &Report, shown: &'a ShownFiles<'a>, d: &Diagnostic) -> Finding<'a> {
    let file = shown.get(d.span.file);
    let mut same_file = Vec::new();
    let mut related = Vec::new();
    let mut message = d.message.clone();
    match label(file, d.span, d.label.as_deref(), true) {
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
        let rfile = shown.get(r.span.file);
        let Some(l) = label(rfile, r.span, Some(&r.message), false) else {
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
            related.push(related_finding(&msg, file, to_spans(g)));
        }
    }
    for (rfile, l) in other_files {
        let msg = l.text.clone().unwrap_or_default();
        let mut l = l;
        l.text = None;
        related.push(related_finding(&msg, rfile, to_spans(vec![l])));
    }
    let name = d.code.name();
    Finding {
        message: escape::terminal(&message).into_owned(),
        code: if name.is_empty() {
            d.code.to_string()
        } else {
            format!("{} {name}", d.code)
        },
        severity: severity(d.level),
        help: d.help.as_deref().map(|h| escape::terminal(h).into_owned()),
        source: (!labels.is_empty()).then_some(Indexed(file)),
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
    let shown = ShownFiles::new(report);
    let parts: Vec<String> = report
        .diagnostics
        .par_iter()
        .map(|d| {
            let mut f = finding(report, &shown, d);
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
                one = escape::terminal(&super::concise::line(report, d)).into_owned();
                one.push('\n');
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
        out.push_str(&super::shared::summary_line(report));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::render::testutil;

    #[test]
    fn shows_snippet_labels_help_and_summary() {
        let r = testutil::report(vec![(
            Code::EKS101,
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
        let mut r = testutil::report(vec![(Code::EKS903, Level::Error, "vpc:", "could not read")]);
        r.diagnostics[0].span.start = 10_000;
        r.diagnostics[0].span.end = 10_005;
        let out = render(&r, &Options::default());
        assert!(out.contains("could not read"), "{out}");
        assert!(out.contains("(at cluster.yaml:9:1)"), "{out}");
    }

    /// The windowed read gives exactly what miette's own scan of the whole shown text gives
    /// (but the header column, which is the original's in characters).
    #[test]
    fn indexed_source_matches_miettes_scan() {
        let texts = [
            "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\n",
            "one\r\ntwo\r\nthree\r\nfour\r\nfive",
            "mac\rline\rends\rhere\r",
            "x",
            "\n\n\nlast line without newline",
            "ünïcödé = \"ß\"\nnext = 2\n",
            "esc\u{1b}[31m = 1\n\u{9b}\u{202e}x\ty\n",
        ];
        for text in texts {
            let file = SourceFile::new("f".into(), "f".into(), text);
            let shown = Shown::new(&file);
            let ours = Indexed(&shown);
            let miettes: &str = &shown.file().text;
            for start in 0..=miettes.len() {
                for end in start..=miettes.len() {
                    if !miettes.is_char_boundary(start) || !miettes.is_char_boundary(end) {
                        continue;
                    }
                    let span: miette::SourceSpan = (start, end - start).into();
                    for ctx in [0, 1, 2, 5] {
                        let a = ours.read_span(&span, ctx, ctx);
                        let b = miettes.read_span(&span, ctx, ctx);
                        match (a, b) {
                            (Ok(a), Ok(b)) => {
                                let what = format!("{text:?} {start}..{end} ctx {ctx}");
                                assert_eq!(a.data(), b.data(), "{what}");
                                assert_eq!(a.span(), b.span(), "{what}");
                                assert_eq!(a.line(), b.line(), "{what}");
                                if ctx > 0 {
                                    assert_eq!(a.column(), b.column(), "{what}");
                                }
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

    #[test]
    fn shown_text_escapes_controls_and_maps_offsets() {
        let text = "a\u{1b}b\r\nc\rd\u{9b}é\n";
        let file = SourceFile::new("f".into(), "f".into(), text);
        let shown = Shown::new(&file);
        assert_eq!(&*shown.file().text, "a\\u{1b}b\r\nc\\u{d}d\\u{9b}é\n");
        for (orig, want) in [
            (0, 0),
            (1, 1),
            (2, 7),
            (5, 10),
            (6, 11),
            (7, 16),
            (8, 17),
            (10, 23),
            (12, 25),
        ] {
            assert_eq!(shown.to_shown(orig), want, "{orig}");
            assert_eq!(shown.to_orig(want), orig, "{want}");
        }
        // Same line numbers: the lone CR is not a line end anywhere.
        assert_eq!(shown.file().line_count(), file.line_count());
        let plain = SourceFile::new("f".into(), "f".into(), "x = 1\r\n\ty\n");
        assert!(Shown::new(&plain).escaped.is_none());
    }

    /// A label past miette's widest column is left out instead of panicking, and the finding
    /// says where it is.
    #[test]
    fn labels_on_overlong_lines_fall_back_to_the_location() {
        let text = format!("{}maxSize: 80\n", "x".repeat(70_000));
        let mut sources = crate::source::SourceMap::new();
        let id = sources.add(SourceFile::new(
            "m.tf.json".into(),
            "m.tf.json".into(),
            text.as_str(),
        ));
        let at = text.find("maxSize").unwrap();
        let d = Diagnostic::new(
            Code::EKS101,
            Level::Error,
            Span::new(id, at, at + 11),
            "too many",
        );
        let r = Report {
            sources,
            clusters: Vec::new(),
            facts: Vec::new(),
            coverage: Vec::new(),
            diagnostics: vec![d],
            input_errors: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
            config_errors: Vec::new(),
            base_dir: None,
        };
        let out = render(&r, &Options::default());
        assert!(out.contains("too many (at m.tf.json:1:70001)"), "{out}");
        assert!(!out.contains("xxxx"), "no snippet: {out}");
    }

    #[test]
    fn hostile_text_is_escaped_in_every_part() {
        let mut r = testutil::report(vec![(
            Code::EKS101,
            Level::Error,
            "maxSize: 80",
            "group `a\u{1b}]8;;http://x\u{7}` \n::error::x",
        )]);
        r.diagnostics[0].help = Some("fix \u{9b}2J".into());
        r.diagnostics[0].label = Some("l\u{202e}".into());
        for color in [false, true] {
            let out = render(
                &r,
                &Options {
                    color,
                    ..Options::default()
                },
            );
            // Only the theme's own SGR sequences (ESC [ ... m) may remain.
            let stripped = strip_sgr(&out);
            assert!(
                !stripped
                    .chars()
                    .any(|c| escape::is_unsafe_for_terminal(c) && c != '\n'),
                "{out:?}"
            );
            assert!(out.contains("\\u{1b}]8;;http://x\\u{7}"), "{out}");
            assert!(out.contains("\\u{a}::error::x"), "{out}");
            assert!(out.contains("\\u{9b}2J"), "{out}");
            assert!(out.contains("l\\u{202e}"), "{out}");
        }
    }

    fn strip_sgr(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '\u{1b}' && chars.peek() == Some(&'[') {
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}
