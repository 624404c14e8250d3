//! Where a file is for identities (cluster names, fingerprints): relative to a base that does
//! not move with the working directory, so a SARIF baseline survives CI running from another
//! directory. The base is the repository root (the nearest directory above a scan root with a
//! `.git`, looked for only where the access policy lets eks-lint look) or, without one, the
//! scan root; several roots share their bases' common ancestor, so files of different roots
//! keep different identities. Displayed paths stay relative to the working directory.

use crate::access::Access;
use crate::source::SourceMap;
use std::path::{Component, Path, PathBuf};

/// The base identities are relative to, if any root is known.
pub fn base(access: &Access) -> Option<PathBuf> {
    let mut bases = access.roots().iter().map(|r| {
        r.ancestors()
            .find(|a| access.resolve(&a.join(".git")).is_ok())
            .unwrap_or(r)
            .to_path_buf()
    });
    let first = bases.next()?;
    Some(bases.fold(first, |acc, b| common_ancestor(&acc, &b)))
}

fn common_ancestor(a: &Path, b: &Path) -> PathBuf {
    a.components()
        .zip(b.components())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect()
}

/// `path` relative to `base` (both canonical), climbing with `..` where it is not under it;
/// `/` separators.
pub fn relative(base: &Path, path: &Path) -> String {
    let shared = common_ancestor(base, path);
    let up = base.components().count() - shared.components().count();
    let mut out: Vec<String> = vec!["..".to_string(); up];
    out.extend(
        path.components()
            .skip(shared.components().count())
            .filter_map(|c| match c {
                Component::Normal(n) => Some(n.to_string_lossy().into_owned()),
                _ => None,
            }),
    );
    out.join("/")
}

/// Give every file of `sources` its identity; a file whose canonical path is not known keeps
/// its displayed path.
pub fn assign(sources: &mut SourceMap, access: &Access) {
    let Some(base) = base(access) else { return };
    sources.set_idents(|f| {
        access
            .vfs()
            .canonicalize(&f.path)
            .ok()
            .map(|c| relative(&base, &c))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_where_needed() {
        let r = |b: &str, p: &str| relative(Path::new(b), Path::new(p));
        assert_eq!(r("/r/a", "/r/a/b/main.tf"), "b/main.tf");
        assert_eq!(
            r("/r/envs/prod", "/r/modules/eks/main.tf"),
            "../../modules/eks/main.tf"
        );
        assert_eq!(r("/r", "/r/main.tf"), "main.tf");
        assert_eq!(
            common_ancestor(Path::new("/r/a/x"), Path::new("/r/b")),
            Path::new("/r")
        );
    }
}
