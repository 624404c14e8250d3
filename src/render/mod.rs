//! Renderers: they format diagnostics, never compute. One file per output format; every
//! format reads only the [`Report`] (and the rule catalogue for descriptions).

pub mod capacity;
pub mod concise;
pub mod escape;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod stderr;

use crate::cli::Format;
use crate::diag::{Diagnostic, Level};
use crate::rules::RuleMeta;
use crate::Report;
use std::io::Write as _;
use std::path::Path;

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

/// Render `report` in `format`. Formats without a renderer of their own fall back to concise.
pub fn render(format: Format, report: &Report, opts: &Options) -> String {
    match format {
        Format::Human => human::render(report, opts),
        Format::Concise => concise::render_with(report, opts),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
        Format::Markdown => markdown::render(report),
        Format::Junit => junit::render(report, opts),
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
    } else if c.total() == 0 {
        format!("All checks passed! ({scope} checked)")
    } else {
        format!("Found {} in {scope}.", counts_phrase(c))
    };
    if let Some(s) = skipped_line(report) {
        line.push('\n');
        line.push_str(&s);
    }
    line
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

/// The rule catalogue entry for a diagnostic code, if it is one.
pub fn rule_index(code: &str) -> Option<(usize, &'static RuleMeta)> {
    crate::rules::RULES
        .iter()
        .enumerate()
        .find(|(_, r)| r.code == code)
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
    for part in [d.code, file, &d.key, &normalized] {
        for b in part.bytes().chain(std::iter::once(0u8)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// Write `contents` to `path` atomically: a temporary file in the same directory, then rename,
/// so a reader (or a crash, or a write error) never sees half a report. The file gets the
/// usual permissions (0666 less the umask). A path that exists and is not a regular file (a
/// device such as `/dev/stdout`, a FIFO, a directory; symlinks are followed to find out) is
/// refused: the rename would replace it. A symlink to a regular file is replaced, its target
/// left alone.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
        return Err(std::io::Error::other(
            "not a regular file (a device, FIFO or directory); reports are written to a new \
             file renamed over the path, so use a file path, or leave out --output to write to \
             stdout",
        ));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".eks-lint-").suffix(".tmp");
    // tempfile's default is 0600; a report is an ordinary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(contents)?;
    tmp.as_file().sync_all()?;
    // On any error above or here the temporary file is removed when `tmp` drops.
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
pub(crate) mod testutil {
    //! A small hand-built report for renderer tests (independent of the front ends).
    use crate::diag::{Diagnostic, Level};
    use crate::source::{SourceFile, SourceMap, Span};
    use crate::Report;

    pub const TEXT: &str = "vpc:\n  subnets:\n    private:\n      a: { cidr: 10.0.0.0/22 }\nmanagedNodeGroups:\n  - name: general\n    instanceType: m5.8xlarge\n    maxSize: 80\n";

    pub fn span_of(text: &str, needle: &str) -> (usize, usize) {
        let s = text.find(needle).expect("needle in text");
        (s, s + needle.len())
    }

    pub fn report(diags: Vec<(&'static str, Level, &str, &str)>) -> Report {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new(
            "cluster.yaml".into(),
            "cluster.yaml".into(),
            TEXT,
        ));
        let diagnostics = diags
            .into_iter()
            .map(|(code, level, needle, msg)| {
                let (s, e) = span_of(TEXT, needle);
                let (rs, re) = span_of(TEXT, "10.0.0.0/22");
                Diagnostic::new(code, level, Span::new(id, s, e), msg)
                    .with_label("here")
                    .with_help("do the fix")
                    .with_key(format!("c/{needle}"))
                    .related(Span::new(id, rs, re), "subnet `a`")
            })
            .collect();
        Report {
            sources,
            clusters: Vec::new(),
            facts: Vec::new(),
            diagnostics,
            input_errors: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_ignores_numbers_but_not_keys() {
        let r = testutil::report(vec![
            (
                "EKS101",
                Level::Error,
                "maxSize: 80",
                "can grow to 80 nodes",
            ),
            (
                "EKS101",
                Level::Error,
                "maxSize: 80",
                "can grow to 120 nodes",
            ),
        ]);
        let a = fingerprint(&r.diagnostics[0], "cluster.yaml");
        let b = fingerprint(&r.diagnostics[1], "cluster.yaml");
        assert_eq!(a, b);
        let mut other = r.diagnostics[0].clone();
        other.key = "c/other".into();
        assert_ne!(a, fingerprint(&other, "cluster.yaml"));
        assert_ne!(a, fingerprint(&r.diagnostics[0], "other.yaml"));
    }

    #[test]
    fn counts_phrase_lists_non_zero_levels() {
        let c = Counts {
            errors: 1,
            warnings: 2,
            notes: 1,
        };
        assert_eq!(counts_phrase(c), "1 error, 2 warnings and 1 note");
        assert_eq!(counts_phrase(Counts::default()), "no findings");
    }

    #[test]
    fn atomic_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.sarif");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // Not tempfile's 0600: 0666 less the process umask (Linux shows it in /proc).
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let umask = status
                .lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|u| u32::from_str_radix(u.trim(), 8).ok());
            if let Some(umask) = umask {
                assert_eq!(mode, 0o666 & !umask, "{mode:o}");
            }
        }
    }

    #[test]
    fn atomic_write_refuses_what_a_rename_would_replace() {
        let dir = tempfile::tempdir().unwrap();
        let e = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        // A symlink to a regular file is replaced; the file it pointed to is left alone.
        #[cfg(unix)]
        {
            let target = dir.path().join("target.txt");
            std::fs::write(&target, "keep").unwrap();
            let link = dir.path().join("link.sarif");
            std::os::unix::fs::symlink(&target, &link).unwrap();
            write_atomic(&link, b"new").unwrap();
            assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
            assert_eq!(std::fs::read_to_string(&link).unwrap(), "new");
            assert!(!std::fs::symlink_metadata(&link).unwrap().is_symlink());
        }
    }
}

/// Where one requested format goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub format: Format,
    /// None = stdout.
    pub output: Option<std::path::PathBuf>,
}

/// Pair each `--output` with the `--format` written before it on the command line (arguments
/// are given with their positions). `--format human --format sarif --output x.sarif` sends
/// SARIF to the file and human output to stdout. No format means human on stdout.
pub fn pair_outputs(
    formats: &[(usize, Format)],
    outputs: &[(usize, std::path::PathBuf)],
) -> Result<Vec<Target>, String> {
    let mut targets: Vec<Target> = formats
        .iter()
        .map(|&(_, format)| Target {
            format,
            output: None,
        })
        .collect();
    if targets.is_empty() && outputs.len() <= 1 {
        targets.push(Target {
            format: Format::Human,
            output: outputs.first().map(|(_, p)| p.clone()),
        });
        return Ok(targets);
    }
    for (pos, path) in outputs {
        let Some(i) = formats.iter().rposition(|(fpos, _)| fpos < pos) else {
            return Err(format!(
                "--output {} must follow the --format it is for",
                path.display()
            ));
        };
        if targets[i].output.is_some() {
            return Err(format!(
                "two --output files for one --format: {}",
                path.display()
            ));
        }
        targets[i].output = Some(path.clone());
    }
    Ok(targets)
}

#[cfg(test)]
mod pairing_tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn outputs_follow_their_format() {
        let t = pair_outputs(
            &[(1, Format::Human), (3, Format::Sarif)],
            &[(5, PathBuf::from("x.sarif"))],
        )
        .unwrap();
        assert_eq!(t[0].output, None);
        assert_eq!(t[1].output, Some(PathBuf::from("x.sarif")));
        let t = pair_outputs(&[], &[]).unwrap();
        assert_eq!(t[0].format, Format::Human);
        assert!(pair_outputs(&[(3, Format::Json)], &[(1, PathBuf::from("a"))]).is_err());
        assert!(pair_outputs(
            &[(1, Format::Json)],
            &[(3, PathBuf::from("a")), (5, PathBuf::from("b"))]
        )
        .is_err());
    }
}
