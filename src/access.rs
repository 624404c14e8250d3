//! The one way eks-lint reads files (issue 12).
//!
//! A pull request is hostile input, and eks-lint runs in the CI job that holds its secrets, so
//! every read a file's *content* can cause (configuration files found by discovery, tfvars,
//! `file()`/`templatefile()`/`fileexists()`, `modules.json` and cached modules, `var-files` in
//! `eks-lint.toml`) goes through [`Access`]:
//!
//! 1. the path is canonicalised (every symlink resolved) and must lie inside one of the scanned
//!    roots, unless `--allow-outside-root`;
//! 2. the target must be a regular file, checked before opening it (FIFOs, devices and sockets
//!    would block or never end), and again on the open descriptor, which is opened
//!    non-blocking and without following a link, so a swap between the two checks cannot make
//!    the read block or leave the roots;
//! 3. at most the size cap is read, whatever the metadata claims (procfs files report 0, a
//!    growing file reports less than it holds).
//!
//! The reads themselves go to the run's file provider ([`Vfs`]): on the operating system's
//! ([`crate::vfs::OsFs`]) the open is non-blocking and does not follow a final link, and the
//! opened descriptor's kind is what step 2 checks again; an in-memory tree
//! ([`crate::vfs::MemFs`]) has neither links nor special files, and the same policy applies.
//!
//! A refusal is a [`Denied`] value: callers turn it into an unknown value with an EKS901 note
//! or an input error, never into the file's content.

use crate::vfs::{Kind, Metadata, Vfs};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why a read was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Denied {
    /// The path does not exist (or a link in it dangles).
    Missing,
    /// It resolves to a place outside the scanned paths.
    Outside,
    /// It is not a regular file: "a directory", "a FIFO", "a device", "a socket".
    NotRegular(&'static str),
    /// Larger than the cap (bytes).
    TooLarge(u64),
    /// Contains NUL bytes.
    Binary,
    /// Encrypted in the repository, by the tool named (git-crypt): not an input error, its
    /// contents are just not known.
    Encrypted(&'static str),
    /// Not UTF-8; the offset of the first invalid byte.
    NotUtf8(usize),
    /// Any other I/O error, as the OS describes it.
    Io(String),
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Denied::Missing => f.write_str("no such file or directory"),
            Denied::Outside => f.write_str(
                "it resolves to a path outside the scanned paths (pass --allow-outside-root to \
                 read it)",
            ),
            Denied::NotRegular(kind) => write!(f, "it is {kind}, not a regular file"),
            Denied::TooLarge(max) => write!(
                f,
                "larger than the {max}-byte limit (set EKS_LINT_MAX_FILE_BYTES to raise it)"
            ),
            Denied::Binary => f.write_str("binary file (contains NUL bytes)"),
            Denied::Encrypted(tool) => write!(f, "the file is encrypted ({tool})"),
            Denied::NotUtf8(at) => write!(f, "not valid UTF-8 (invalid byte at offset {at})"),
            Denied::Io(e) => f.write_str(e),
        }
    }
}

/// The file-access policy of one run, over a file provider ([`Vfs`]).
#[derive(Debug, Clone)]
pub struct Access {
    vfs: Arc<dyn Vfs>,
    /// Canonical directories reads must stay in.
    roots: Vec<PathBuf>,
    /// Canonical files named on the command line (`--var-file`, `--config`): readable even
    /// outside `roots`, because the user, not the input, chose them.
    explicit: Vec<PathBuf>,
    allow_outside: bool,
    max_bytes: u64,
}

impl Access {
    /// The policy for a scan of `paths` in `vfs`: a directory is a root, a file stands for its
    /// directory. `explicit` are files the user named on the command line. Files are capped at
    /// the default size limit until [`Access::with_max_bytes`].
    pub fn new(
        vfs: Arc<dyn Vfs>,
        paths: &[PathBuf],
        explicit: &[PathBuf],
        allow_outside: bool,
    ) -> Access {
        let mut roots: Vec<PathBuf> = Vec::new();
        for p in paths {
            let dir = if vfs.metadata(p).is_ok_and(|m| m.is_dir()) {
                p.as_path()
            } else {
                match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d,
                    _ => Path::new("."),
                }
            };
            if let Ok(c) = vfs.canonicalize(dir) {
                if !roots.contains(&c) {
                    roots.push(c);
                }
            }
        }
        let explicit = explicit
            .iter()
            .filter_map(|p| vfs.canonicalize(p).ok())
            .collect();
        Access {
            vfs,
            roots,
            explicit,
            allow_outside,
            max_bytes: crate::limits::DEFAULT_MAX_FILE_BYTES,
        }
    }

    /// The largest file read (bytes).
    pub fn with_max_bytes(mut self, max: u64) -> Access {
        self.max_bytes = max;
        self
    }

    /// The provider, for what is not a read of content: whether a path exists, its kind, the
    /// canonical form of a path to compare it with another.
    pub fn vfs(&self) -> &dyn Vfs {
        &*self.vfs
    }

    /// The canonical form of `path`, or `path` when it does not resolve (to compare paths).
    pub fn canonical_or_same(&self, path: &Path) -> PathBuf {
        self.vfs
            .canonicalize(path)
            .unwrap_or_else(|_| path.to_path_buf())
    }

    /// The canonical directories reads must stay in.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    pub fn allows_outside(&self) -> bool {
        self.allow_outside
    }

    /// Whether a canonical path lies inside the roots (or is allowed anyway).
    fn contained(&self, canon: &Path) -> bool {
        self.allow_outside
            || self.roots.iter().any(|r| canon.starts_with(r))
            || self.explicit.iter().any(|e| e == canon)
    }

    /// The canonical form of `path`, if it exists and the policy allows it.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Denied> {
        let canon = self.vfs.canonicalize(path).map_err(io_denied)?;
        if self.contained(&canon) {
            Ok(canon)
        } else {
            Err(Denied::Outside)
        }
    }

    /// [`Access::resolve`], for a regular file.
    pub fn resolve_file(&self, path: &Path) -> Result<PathBuf, Denied> {
        let canon = self.resolve(path)?;
        let md = self
            .vfs
            .metadata(&canon)
            .map_err(|e| Denied::Io(e.to_string()))?;
        regular(&md)?;
        Ok(canon)
    }

    /// Whether `path` is a regular file the policy lets eks-lint read (`fileexists`).
    pub fn is_file(&self, path: &Path) -> bool {
        self.resolve_file(path).is_ok()
    }

    /// Whether `path` is a directory inside the roots.
    pub fn is_dir(&self, path: &Path) -> bool {
        self.resolve(path)
            .is_ok_and(|c| self.vfs.metadata(&c).is_ok_and(|m| m.is_dir()))
    }

    /// The entries of a directory inside the roots, sorted, at most `max` of them.
    pub fn list_dir(&self, path: &Path, max: usize) -> Result<Vec<PathBuf>, Denied> {
        let canon = self.resolve(path)?;
        let names = self
            .vfs
            .read_dir(&canon)
            .map_err(|e| Denied::Io(e.to_string()))?;
        let mut out: Vec<PathBuf> = names.into_iter().take(max).map(|n| path.join(n)).collect();
        out.sort();
        Ok(out)
    }

    /// The bytes of a regular file inside the roots, at most the run's file-size cap.
    pub fn read_bytes(&self, path: &Path) -> Result<Vec<u8>, Denied> {
        self.read_bytes_capped(path, self.max_bytes)
    }

    /// [`Access::read_bytes`] with a smaller cap.
    pub fn read_bytes_capped(&self, path: &Path, max: u64) -> Result<Vec<u8>, Denied> {
        let canon = self.resolve_file(path)?;
        self.read_bounded(&canon, max.min(self.max_bytes))
    }

    /// A configuration file's text: [`Access::read_bytes`], a UTF-8 BOM dropped, no NUL bytes,
    /// valid UTF-8.
    pub fn read_text(&self, path: &Path) -> Result<String, Denied> {
        text(self.read_bytes(path)?)
    }

    /// A file eks-lint found by its name (`eks-lint.toml` in the scanned paths or above them):
    /// an ancestor directory is the user's, so a regular file there is read, but a link is
    /// judged by its target (a pull request can commit `eks-lint.toml -> /proc/self/environ`).
    pub fn read_found(&self, path: &Path) -> Result<String, Denied> {
        let link = self
            .vfs
            .symlink_metadata(path)
            .is_ok_and(|m| m.kind == Kind::Symlink);
        if link {
            return self.read_text(path);
        }
        let md = self.vfs.metadata(path).map_err(io_denied)?;
        regular(&md)?;
        text(self.read_bounded(path, self.max_bytes)?)
    }

    /// [`Access::read_text`] with a smaller cap.
    pub fn read_text_capped(&self, path: &Path, max: u64) -> Result<String, Denied> {
        text(self.read_bytes_capped(path, max)?)
    }

    /// Read at most `max` bytes of a regular file; more is [`Denied::TooLarge`]. What was
    /// opened is checked again (the provider opens without following a link or blocking).
    fn read_bounded(&self, path: &Path, max: u64) -> Result<Vec<u8>, Denied> {
        let (md, bytes) = self.vfs.open_read(path, max).map_err(io_denied)?;
        regular(&md)?;
        if md.len > max || bytes.len() as u64 > max {
            return Err(Denied::TooLarge(max));
        }
        Ok(bytes)
    }
}

fn io_denied(e: std::io::Error) -> Denied {
    match e.kind() {
        std::io::ErrorKind::NotFound => Denied::Missing,
        _ => Denied::Io(e.to_string()),
    }
}

fn regular(md: &Metadata) -> Result<(), Denied> {
    if md.is_file() {
        return Ok(());
    }
    Err(Denied::NotRegular(md.kind.article_name()))
}

fn text(mut bytes: Vec<u8>) -> Result<String, Denied> {
    // A UTF-8 BOM is legal in both YAML and HCL files written on Windows.
    if bytes.starts_with(b"\xef\xbb\xbf") {
        bytes.drain(..3);
    }
    // git-crypt writes this header before the ciphertext of every file it encrypts.
    if bytes.starts_with(b"\0GITCRYPT\0") {
        return Err(Denied::Encrypted("git-crypt"));
    }
    if memchr::memchr(0, &bytes).is_some() {
        return Err(Denied::Binary);
    }
    String::from_utf8(bytes).map_err(|e| Denied::NotUtf8(e.utf8_error().valid_up_to()))
}

/// A file SOPS encrypted (JSON, YAML, or a binary file wrapped in JSON): its values are
/// `ENC[AES256_GCM,…]` (SOPS's only cipher) next to a `sops` metadata key.
pub fn sops_encrypted(text: &str) -> bool {
    text.contains("ENC[AES256_GCM,")
        && (text.contains("\"sops\"") || text.starts_with("sops:") || text.contains("\nsops:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os() -> Arc<dyn Vfs> {
        Arc::new(crate::vfs::OsFs)
    }

    fn setup() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().join("root");
        let outside = d.path().join("outside");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("a.tf"), "a = 1\n").unwrap();
        std::fs::write(outside.join("secret"), "TOKEN=x\n").unwrap();
        (d, root, outside)
    }

    #[test]
    fn reads_inside_and_refuses_outside() {
        let (_d, root, outside) = setup();
        let a = Access::new(os(), std::slice::from_ref(&root), &[], false);
        assert_eq!(a.read_text(&root.join("a.tf")).unwrap(), "a = 1\n");
        assert_eq!(a.read_text(&outside.join("secret")), Err(Denied::Outside));
        // `..` is resolved before the check
        let dotdot = root.join("../outside/secret");
        assert_eq!(a.read_text(&dotdot), Err(Denied::Outside));
        assert_eq!(
            a.read_text(Path::new("/proc/self/environ")),
            Err(Denied::Outside)
        );
        assert_eq!(a.read_text(&root.join("nope")), Err(Denied::Missing));
        // with the flag, outside files are read (still bounded and regular)
        let open = Access::new(os(), std::slice::from_ref(&root), &[], true);
        assert_eq!(
            open.read_text(&outside.join("secret")).unwrap(),
            "TOKEN=x\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_judged_by_their_target() {
        let (_d, root, outside) = setup();
        std::os::unix::fs::symlink(outside.join("secret"), root.join("link.tf")).unwrap();
        std::os::unix::fs::symlink(root.join("a.tf"), root.join("inner.tf")).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("dir")).unwrap();
        let a = Access::new(os(), std::slice::from_ref(&root), &[], false);
        assert_eq!(a.read_text(&root.join("link.tf")), Err(Denied::Outside));
        assert_eq!(a.read_text(&root.join("inner.tf")).unwrap(), "a = 1\n");
        assert_eq!(a.read_text(&root.join("dir/secret")), Err(Denied::Outside));
        assert!(!a.is_dir(&root.join("dir")));
        assert!(a.is_dir(&root));
    }

    #[cfg(unix)]
    #[test]
    fn non_regular_files_are_refused_without_opening() {
        let (_d, root, _) = setup();
        let fifo = root.join("pipe.tf");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.tf")).unwrap();
        let a = Access::new(os(), std::slice::from_ref(&root), &[], true);
        // would block forever if opened for reading
        assert_eq!(a.read_text(&fifo), Err(Denied::NotRegular("a FIFO")));
        assert_eq!(
            a.read_text(&root.join("zero.tf")),
            Err(Denied::NotRegular("a device"))
        );
        assert_eq!(a.read_text(&root), Err(Denied::NotRegular("a directory")));
        assert!(!a.is_file(&fifo));
    }

    #[test]
    fn size_cap_and_text_checks() {
        let (_d, root, _) = setup();
        std::fs::write(root.join("big"), vec![b'a'; 100]).unwrap();
        std::fs::write(root.join("nul"), b"a\0b").unwrap();
        std::fs::write(root.join("bad"), b"ab\xff").unwrap();
        std::fs::write(root.join("bom"), b"\xef\xbb\xbfx").unwrap();
        let a = Access::new(os(), std::slice::from_ref(&root), &[], false);
        assert_eq!(
            a.read_text_capped(&root.join("big"), 99),
            Err(Denied::TooLarge(99))
        );
        assert_eq!(
            a.read_text_capped(&root.join("big"), 100).unwrap().len(),
            100
        );
        assert_eq!(a.read_text(&root.join("nul")), Err(Denied::Binary));
        std::fs::write(root.join("crypt"), b"\0GITCRYPT\0\x8a\x00\x10").unwrap();
        assert_eq!(
            a.read_text(&root.join("crypt")),
            Err(Denied::Encrypted("git-crypt"))
        );
        assert_eq!(a.read_text(&root.join("bad")), Err(Denied::NotUtf8(2)));
        assert_eq!(a.read_text(&root.join("bom")).unwrap(), "x");
    }

    #[test]
    fn explicit_files_are_readable_outside_the_roots() {
        let (_d, root, outside) = setup();
        let secret = outside.join("secret");
        let a = Access::new(
            os(),
            std::slice::from_ref(&root),
            std::slice::from_ref(&secret),
            false,
        );
        assert!(a.read_text(&secret).is_ok());
        assert_eq!(a.read_text(&outside), Err(Denied::Outside));
    }

    #[cfg(unix)]
    #[test]
    fn found_files_are_read_unless_a_link_leaves_the_roots() {
        let (_d, root, outside) = setup();
        let a = Access::new(os(), std::slice::from_ref(&root), &[], false);
        // a regular file above the roots (the user's own configuration) is read
        assert!(a.read_found(&outside.join("secret")).is_ok());
        std::os::unix::fs::symlink(outside.join("secret"), root.join("eks-lint.toml")).unwrap();
        assert_eq!(
            a.read_found(&root.join("eks-lint.toml")),
            Err(Denied::Outside)
        );
    }

    #[test]
    fn the_policy_holds_over_a_memory_tree() {
        let fs = crate::vfs::MemFs::new()
            .with("/r/a.tf", "a = 1\n")
            .with("/r/big", vec![b'a'; 100])
            .with("/outside/secret", "TOKEN=x\n");
        let a = Access::new(Arc::new(fs), &[PathBuf::from("/r")], &[], false).with_max_bytes(99);
        assert_eq!(a.read_text(Path::new("/r/a.tf")).unwrap(), "a = 1\n");
        assert_eq!(
            a.read_text(Path::new("/r/../outside/secret")),
            Err(Denied::Outside)
        );
        assert_eq!(a.read_text(Path::new("/r/nope")), Err(Denied::Missing));
        assert_eq!(a.read_text(Path::new("/r/big")), Err(Denied::TooLarge(99)));
        assert_eq!(
            a.read_text(Path::new("/r")),
            Err(Denied::NotRegular("a directory"))
        );
        assert_eq!(a.list_dir(Path::new("/r"), 10).unwrap().len(), 2);
        assert!(a.is_dir(Path::new("/r")) && !a.is_dir(Path::new("/outside")));
    }

    #[test]
    fn a_file_path_stands_for_its_directory() {
        let (_d, root, outside) = setup();
        let a = Access::new(os(), &[root.join("a.tf")], &[], false);
        assert!(a.is_file(&root.join("a.tf")));
        assert!(!a.is_file(&outside.join("secret")));
    }
}
