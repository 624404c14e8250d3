//! Renderers: they format diagnostics, never compute. One file per output format; every
//! format reads only the [`Report`] (and the rule catalogue for descriptions).

pub mod capacity;
pub mod concise;
pub mod escape;
pub mod format;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod shared;
pub mod stderr;

pub use shared::{
    counts_phrase, fingerprint, rule_doc, rule_index, skipped_line, summary_line, Counts, Options,
    RuleDoc, INFORMATION_URI, TOOL_NAME, TOOL_VERSION,
};

pub use format::Format;

use crate::Report;
#[cfg(feature = "cli")]
use std::io::Write as _;
#[cfg(feature = "cli")]
use std::path::Path;

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

/// Write `contents` to `path` atomically: a temporary file in the same directory, then rename,
/// so a reader (or a crash, or a write error) never sees half a report. The file gets the
/// usual permissions (0666 less the umask). A path that exists and is not a regular file (a
/// device such as `/dev/stdout`, a FIFO, a directory; symlinks are followed to find out) is
/// refused: the rename would replace it. A symlink to a regular file is replaced, its target
/// left alone.
#[cfg(feature = "cli")]
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
    use crate::code::Code;
    use crate::diag::{Diagnostic, Level};
    use crate::source::{SourceFile, SourceMap, Span};

    use crate::Report;

    pub const TEXT: &str = "vpc:\n  subnets:\n    private:\n      a: { cidr: 10.0.0.0/22 }\nmanagedNodeGroups:\n  - name: general\n    instanceType: m5.8xlarge\n    maxSize: 80\n";

    pub fn span_of(text: &str, needle: &str) -> (usize, usize) {
        let s = text.find(needle).expect("needle in text");
        (s, s + needle.len())
    }

    pub fn report(diags: Vec<(Code, Level, &str, &str)>) -> Report {
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
            coverage: Vec::new(),
            diagnostics,
            input_errors: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
            config_errors: Vec::new(),
            base_dir: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::Code;
    use crate::diag::Level;

    #[test]
    fn fingerprint_ignores_numbers_but_not_keys() {
        let r = testutil::report(vec![
            (
                Code::EKS101,
                Level::Error,
                "maxSize: 80",
                "can grow to 80 nodes",
            ),
            (
                Code::EKS101,
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

    #[cfg(feature = "cli")]
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

    #[cfg(feature = "cli")]
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
