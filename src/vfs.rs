//! Where files come from (issue 13): the [`Vfs`] trait that the file-access policy
//! ([`crate::access`]) reads through, the operating system's file system ([`OsFs`], the CLI's)
//! and an in-memory tree ([`MemFs`], for tests, benchmarks, fuzzers and embedders without a
//! file system).
//!
//! A provider only does I/O; what may be read (containment in the scanned roots, regular files
//! only, size caps) is decided by [`crate::access::Access`] on top of it.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What a file-system entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Dir,
    Symlink,
    Fifo,
    Device,
    Socket,
    Other,
}

impl Kind {
    /// How a refusal names it: "a FIFO", "a device", …
    pub fn article_name(self) -> &'static str {
        match self {
            Kind::File => "a regular file",
            Kind::Dir => "a directory",
            Kind::Symlink => "a symbolic link",
            Kind::Fifo => "a FIFO",
            Kind::Device => "a device",
            Kind::Socket => "a socket",
            Kind::Other => "not a regular file",
        }
    }
}

/// The part of a file's metadata eks-lint looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    pub kind: Kind,
    /// Bytes, as the provider claims (procfs files claim 0: readers never trust it).
    pub len: u64,
}

impl Metadata {
    pub fn is_file(&self) -> bool {
        self.kind == Kind::File
    }

    pub fn is_dir(&self) -> bool {
        self.kind == Kind::Dir
    }
}

/// A file provider: every read of a run goes through one (via [`crate::access::Access`]).
pub trait Vfs: Send + Sync + fmt::Debug {
    /// The metadata of what `path` names, following links.
    fn metadata(&self, path: &Path) -> io::Result<Metadata>;
    /// The metadata of `path` itself (a final link is not followed).
    fn symlink_metadata(&self, path: &Path) -> io::Result<Metadata>;
    /// The absolute form of `path` with every link, `.` and `..` resolved; an error
    /// ([`io::ErrorKind::NotFound`]) when it does not exist.
    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf>;
    /// The names of a directory's entries, in any order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<OsString>>;
    /// Open `path` without following a final link and without blocking, and return the
    /// metadata of what was opened and, when that is a regular file claiming at most `max`
    /// bytes, at most `max + 1` of its bytes (nothing otherwise). The policy judges both.
    fn open_read(&self, path: &Path, max: u64) -> io::Result<(Metadata, Vec<u8>)>;
    /// Whether this is the operating system's file system, which discovery walks with the
    /// `ignore` crate (it reads directories itself); other providers are listed through
    /// [`Vfs::read_dir`].
    fn is_native(&self) -> bool {
        false
    }
}

/// The operating system's file system.
#[derive(Debug, Clone, Copy, Default)]
pub struct OsFs;

fn os_metadata(md: &std::fs::Metadata) -> Metadata {
    let t = md.file_type();
    let kind = if t.is_file() {
        Kind::File
    } else if t.is_dir() {
        Kind::Dir
    } else if t.is_symlink() {
        Kind::Symlink
    } else {
        special_kind(&t)
    };
    Metadata {
        kind,
        len: md.len(),
    }
}

#[cfg(unix)]
fn special_kind(t: &std::fs::FileType) -> Kind {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        Kind::Fifo
    } else if t.is_char_device() || t.is_block_device() {
        Kind::Device
    } else if t.is_socket() {
        Kind::Socket
    } else {
        Kind::Other
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> Kind {
    Kind::Other
}

/// Open without blocking (a FIFO swapped in would block `open`) and without following a final
/// link (the path is canonical, so a link there was swapped in after the policy's check).
fn os_open(path: &Path) -> io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY);
    }
    o.open(path)
}

impl Vfs for OsFs {
    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        std::fs::metadata(path).map(|m| os_metadata(&m))
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Metadata> {
        std::fs::symlink_metadata(path).map(|m| os_metadata(&m))
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<OsString>> {
        Ok(std::fs::read_dir(path)?
            .flatten()
            .map(|e| e.file_name())
            .collect())
    }

    fn open_read(&self, path: &Path, max: u64) -> io::Result<(Metadata, Vec<u8>)> {
        use std::io::Read;
        let file = os_open(path)?;
        // Judged on the descriptor: what was opened, not what the path named before.
        let md = os_metadata(&file.metadata()?);
        if !md.is_file() || md.len > max {
            return Ok((md, Vec::new()));
        }
        // Sized from the metadata (one allocation for ordinary files), but the length read is
        // bounded by `take`, not by what the metadata claims.
        let mut bytes = Vec::with_capacity(usize::try_from(md.len).unwrap_or(0).saturating_add(1));
        file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
        Ok((md, bytes))
    }

    fn is_native(&self) -> bool {
        true
    }
}

/// An in-memory tree: files by absolute path, directories implied by the files below them.
/// Relative paths are taken from `/`. No links, so a path's canonical form is its lexical
/// normal form.
///
/// ```
/// use eks_lint::MemFs;
/// let fs = MemFs::new()
///     .with("/repo/main.tf", "locals {}\n")
///     .with("/repo/modules/vpc/main.tf", "");
/// # use eks_lint::Vfs;
/// assert!(fs.metadata("/repo/modules".as_ref()).unwrap().is_dir());
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemFs {
    files: BTreeMap<PathBuf, Vec<u8>>,
}

impl MemFs {
    pub fn new() -> MemFs {
        MemFs::default()
    }

    /// Add (or replace) a file; its directories are implied.
    pub fn insert(&mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) {
        self.files.insert(normalize(path.as_ref()), contents.into());
    }

    /// [`MemFs::insert`], by value.
    pub fn with(mut self, path: impl AsRef<Path>, contents: impl Into<Vec<u8>>) -> MemFs {
        self.insert(path, contents);
        self
    }

    fn kind(&self, path: &Path) -> Option<Metadata> {
        let p = normalize(path);
        if let Some(bytes) = self.files.get(&p) {
            return Some(Metadata {
                kind: Kind::File,
                len: bytes.len() as u64,
            });
        }
        let is_dir = p.parent().is_none()
            || self
                .files
                .range(p.clone()..)
                .next()
                .is_some_and(|(f, _)| f.starts_with(&p));
        is_dir.then_some(Metadata {
            kind: Kind::Dir,
            len: 0,
        })
    }
}

/// `path` made absolute (from `/`) with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    crate::source::normalize(&Path::new("/").join(path))
}

fn not_found() -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, "no such file or directory")
}

impl Vfs for MemFs {
    fn metadata(&self, path: &Path) -> io::Result<Metadata> {
        self.kind(path).ok_or_else(not_found)
    }

    fn symlink_metadata(&self, path: &Path) -> io::Result<Metadata> {
        self.metadata(path)
    }

    fn canonicalize(&self, path: &Path) -> io::Result<PathBuf> {
        self.metadata(path).map(|_| normalize(path))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<OsString>> {
        let dir = normalize(path);
        if !self.metadata(&dir)?.is_dir() {
            return Err(io::Error::other("not a directory"));
        }
        let mut names: Vec<OsString> = Vec::new();
        for f in self.files.range(dir.clone()..) {
            let Ok(rest) = f.0.strip_prefix(&dir) else {
                break;
            };
            if let Some(Component::Normal(n)) = rest.components().next() {
                if names.last().map(OsString::as_os_str) != Some(n) {
                    names.push(n.to_os_string());
                }
            }
        }
        Ok(names)
    }

    fn open_read(&self, path: &Path, max: u64) -> io::Result<(Metadata, Vec<u8>)> {
        let md = self.metadata(path)?;
        let bytes = match self.files.get(&normalize(path)) {
            Some(b) if md.len <= max => b.clone(),
            _ => Vec::new(),
        };
        Ok((md, bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_tree_implies_directories_and_normalises_paths() {
        let fs = MemFs::new()
            .with("/r/a.tf", "a")
            .with("/r/m/b.tf", "bb")
            .with("/r/m/c/d.tf", "")
            .with("/rx/e.tf", "");
        assert!(fs.metadata(Path::new("/r/m")).unwrap().is_dir());
        assert!(fs.metadata(Path::new("/")).unwrap().is_dir());
        assert_eq!(fs.metadata(Path::new("/r/m/b.tf")).unwrap().len, 2);
        assert!(fs.metadata(Path::new("/r/n")).is_err());
        assert_eq!(
            fs.canonicalize(Path::new("/r/m/../a.tf")).unwrap(),
            PathBuf::from("/r/a.tf")
        );
        assert_eq!(
            fs.canonicalize(Path::new("r/./m")).unwrap(),
            PathBuf::from("/r/m")
        );
        let mut names = fs.read_dir(Path::new("/r")).unwrap();
        names.sort();
        assert_eq!(names, ["a.tf", "m"]);
        assert!(fs.read_dir(Path::new("/r/a.tf")).is_err());
        let (md, bytes) = fs.open_read(Path::new("/r/m/b.tf"), 1).unwrap();
        assert_eq!((md.len, bytes.len()), (2, 0), "over the cap: nothing read");
        let (md, _) = fs.open_read(Path::new("/r/m"), 10).unwrap();
        assert!(md.is_dir());
    }
}
