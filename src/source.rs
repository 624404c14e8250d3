//! Source files, byte spans and line/column lookup.
//!
//! Every value eks-lint extracts keeps a [`Span`] back to the text that produced it, so findings
//! can point at the exact line. Spans are byte offsets into one [`SourceFile`]; line and column
//! are computed on demand (1-based; columns in Unicode scalar values and UTF-16 code units).

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Path shown in outputs: relative to `base` (the CLI's working directory) when inside it,
/// `/`-separated.
pub fn display_path(base: Option<&Path>, path: &Path) -> String {
    let rel = base.and_then(|c| path.strip_prefix(c).ok()).unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    rel.to_string_lossy().replace('\\', "/")
}

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range `start..end` in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start.min(u32::MAX as usize) as u32,
            end: end.max(start).min(u32::MAX as usize) as u32,
        }
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// 1-based line and column of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    /// Column counted in Unicode scalar values (what editors show).
    pub column: u32,
    /// Column counted in UTF-16 code units (what SARIF and GitHub expect by default).
    pub column_utf16: u32,
}

/// A file read from disk (or given in memory by tests).
#[derive(Debug)]
pub struct SourceFile {
    /// Path as given or discovered (used to read the file).
    pub path: PathBuf,
    /// Path relative to the scan root, with `/` separators (used in every output).
    pub display: String,
    /// Path relative to a base that does not move with the working directory (see
    /// `identity`): used in cluster names and fingerprints. The displayed path until set.
    pub ident: String,
    pub text: Arc<str>,
    line_starts: Vec<u32>,
    lone_cr: bool,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let bytes = text.as_bytes();
        let mut line_starts = Vec::with_capacity(bytes.len() / 32 + 1);
        line_starts.push(0u32);
        line_starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| (i + 1) as u32));
        let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
        SourceFile {
            path,
            ident: display.clone(),
            display,
            text,
            line_starts,
            lone_cr,
        }
    }

    /// Line and column of a byte offset (clamped to the file, snapped to a char boundary).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let mut offset = (offset as usize).min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line_idx = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line_idx] as usize;
        let prefix = &self.text[start..offset];
        LineCol {
            line: line_idx as u32 + 1,
            column: prefix.chars().count() as u32 + 1,
            column_utf16: prefix.encode_utf16().count() as u32 + 1,
        }
    }

    /// The 1-based line of a byte offset, without the column (which costs the line's length).
    pub fn line_of(&self, offset: u32) -> u32 {
        self.line_starts.partition_point(|&s| s <= offset).max(1) as u32
    }

    /// Whether a `\r` ends a line on its own (old Mac line ends): the line index counts only
    /// `\n`, while some consumers (miette) also break at such a `\r`.
    pub fn has_lone_cr(&self) -> bool {
        self.lone_cr
    }

    /// Byte offset of the start of a 1-based line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.line_starts
            .get(line.checked_sub(1)? as usize)
            .map(|s| *s as usize)
    }

    /// The text of a 1-based line without its line terminator.
    pub fn line_text(&self, line: u32) -> &str {
        let Some(start) = self.line_start(line) else {
            return "";
        };
        let end = self
            .line_start(line + 1)
            .unwrap_or(self.text.len())
            .min(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }

    pub fn slice(&self, span: Span) -> &str {
        let r = span.range();
        self.text.get(r).unwrap_or("")
    }
}

/// All files of one run. Files are only added, never removed, so [`FileId`]s stay valid.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<Arc<SourceFile>>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(Arc::new(file));
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn get_arc(&self, id: FileId) -> Arc<SourceFile> {
        self.files[id.0 as usize].clone()
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f.as_ref()))
    }

    /// Replace each file's identity with `f(file)` where that gives one (before any file is
    /// shared: a shared file keeps its identity).
    pub fn set_idents(&mut self, f: impl Fn(&SourceFile) -> Option<String>) {
        for file in &mut self.files {
            let ident = f(file);
            if let (Some(ident), Some(file)) = (ident, Arc::get_mut(file)) {
                file.ident = ident;
            }
        }
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .map(|i| FileId(i as u32))
    }

    /// Resolve a span to a printable location.
    pub fn location(&self, span: Span) -> Location {
        let f = self.get(span.file);
        Location {
            file: f.display.clone(),
            start: f.line_col(span.start),
            end: f.line_col(span.end),
        }
    }
}

/// A span resolved to file, line and column (for outputs).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    pub file: String,
    pub start: LineCol,
    pub end: LineCol,
}

/// Lexically normalised path (`a/b/../c` → `a/c`), for matching module sources. A relative
/// path keeps the `..` that climb above its start; a rooted one stops at the root (`/..` is
/// `/`, as POSIX resolves it).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                let climbed = matches!(
                    out.components().next_back(),
                    None | Some(std::path::Component::ParentDir)
                );
                if climbed {
                    out.push("..");
                } else {
                    out.pop();
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_resolves_dots_lexically() {
        let n = |p: &str| normalize(Path::new(p)).to_string_lossy().into_owned();
        assert_eq!(n("a/./b/../c"), "a/c");
        assert_eq!(n("../../x"), "../../x");
        assert_eq!(n("a/../../x"), "../x");
        assert_eq!(n("/a/../../x"), "/x");
        assert_eq!(n("/.."), "/");
    }

    #[test]
    fn line_col_counts_from_one_and_handles_multibyte() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\nçé𝄞x\n");
        assert_eq!(f.line_col(0).line, 1);
        assert_eq!(f.line_col(1).column, 2);
        let x = f.text.find('x').unwrap() as u32;
        let lc = f.line_col(x);
        assert_eq!((lc.line, lc.column, lc.column_utf16), (2, 4, 5));
        assert_eq!(f.line_text(2), "çé𝄞x");
        // offsets past the end and inside a char are clamped, not panicking
        assert_eq!(f.line_col(10_000).line, 3);
        assert_eq!(f.line_col(4).column, 1);
    }

    #[test]
    fn line_of_agrees_with_line_col() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\nçé𝄞x\n\n\r\nz");
        for off in 0..f.text.len() as u32 + 3 {
            assert_eq!(f.line_of(off), f.line_col(off).line, "offset {off}");
        }
    }

    #[test]
    fn crlf_lines_do_not_include_carriage_return() {
        let f = SourceFile::new("a".into(), "a".into(), "a = 1\r\nb = 2\r\n");
        assert_eq!(f.line_text(1), "a = 1");
        assert_eq!(f.line_col(7).line, 2);
    }
}
