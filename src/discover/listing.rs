//! Discovery over a provider that is not the operating system's file system: the directory
//! tree listed through [`crate::vfs::Vfs::read_dir`], with the rules the `ignore` crate's
//! walker applies on disk, so a tree in memory finds what the same tree on disk finds:
//! skipped directory names, `exclude` patterns (as overrides), and the `.ignore`, `.gitignore` and
//! `.git/info/exclude` files of each directory and its ancestors (the nearest directory's
//! match wins; `exclude` before `.ignore` before `.gitignore` before `.git/info/exclude`;
//! gitignore rules stop at the nearest directory holding `.git`). Links to directories are
//! not followed.

use crate::vfs::{Kind, Vfs};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// What a walk applies.
pub(super) struct Options<'a> {
    /// `exclude` patterns (gitignore syntax).
    pub exclude: &'a [String],
    /// `.ignore` files.
    pub ignore: bool,
    /// `.gitignore` and `.git/info/exclude` files.
    pub git: bool,
    /// Directory names never entered.
    pub skip_dirs: &'a [&'a str],
    /// Largest ignore file read.
    pub max_ignore_bytes: u64,
}

/// The ignore rules of one directory, and those of the directories above it.
struct Rules {
    ignore: Gitignore,
    git: Gitignore,
    exclude: Gitignore,
    /// The directory holds `.git`: gitignore rules of directories above it do not apply.
    repo: bool,
    parent: Option<Rc<Rules>>,
}

impl Rules {
    /// The rules of `dir` (canonical) under `parent`, read through the provider (the caller
    /// checked their kind, size and containment before entering `dir`).
    fn read(vfs: &dyn Vfs, dir: &Path, o: &Options, parent: Option<Rc<Rules>>) -> Rules {
        let matcher = |name: &str, on: bool| -> Gitignore {
            if !on {
                return Gitignore::empty();
            }
            let path = dir.join(name);
            let Ok((md, bytes)) = vfs.open_read(&path, o.max_ignore_bytes) else {
                return Gitignore::empty();
            };
            if !md.is_file() {
                return Gitignore::empty();
            }
            let mut b = GitignoreBuilder::new(dir);
            for line in String::from_utf8_lossy(&bytes).lines() {
                // A line the builder rejects (a bad glob) is skipped, as the walker does.
                let _ = b.add_line(Some(path.clone()), line);
            }
            b.build().unwrap_or_else(|_| Gitignore::empty())
        };
        Rules {
            ignore: matcher(".ignore", o.ignore),
            git: matcher(".gitignore", o.git),
            exclude: matcher(".git/info/exclude", o.git),
            repo: vfs.metadata(&dir.join(".git")).is_ok(),
            parent,
        }
    }

    /// Whether the rules here and above ignore `path` (canonical).
    fn ignores(&self, path: &Path, is_dir: bool) -> bool {
        let first = |pick: fn(&Rules) -> &Gitignore, stop_at_repo: bool| {
            let mut at = Some(self);
            while let Some(r) = at {
                match pick(r).matched(path, is_dir) {
                    Match::None => {}
                    m => return Some(m.is_ignore()),
                }
                if stop_at_repo && r.repo {
                    break;
                }
                at = r.parent.as_deref();
            }
            None
        };
        first(|r| &r.ignore, false)
            .or_else(|| first(|r| &r.git, true))
            .or_else(|| first(|r| &r.exclude, true))
            .unwrap_or(false)
    }
}

/// Every path under `root` (a directory) that is not a directory and no rule removes, as the
/// `ignore` walker finds them on disk. `enter` is asked before a directory is entered (and its
/// ignore files read): an error leaves it out and is reported with its path.
pub(super) fn walk(
    vfs: &dyn Vfs,
    root: &Path,
    o: &Options,
    enter: &dyn Fn(&Path) -> Result<(), String>,
    files: &mut Vec<PathBuf>,
    errors: &mut Vec<(PathBuf, String)>,
) {
    let Ok(abs_root) = vfs.canonicalize(root) else {
        return;
    };
    let mut overrides = ignore::overrides::OverrideBuilder::new(&abs_root);
    for pat in o.exclude {
        // `!pattern` in an override excludes the match.
        let _ = overrides.add(&format!("!{pat}"));
    }
    let overrides = overrides
        .build()
        .unwrap_or_else(|_| ignore::overrides::Override::empty());
    // The ancestors' rules apply too (the walker's `parents`), outermost first.
    let mut parent: Option<Rc<Rules>> = None;
    if o.ignore || o.git {
        let mut above: Vec<&Path> = abs_root.ancestors().skip(1).collect();
        above.reverse();
        for dir in above {
            parent = Some(Rc::new(Rules::read(vfs, dir, o, parent)));
        }
    }
    let rules = Rc::new(Rules::read(vfs, &abs_root, o, parent));
    // Depth first, without recursion: a deep tree cannot exhaust the stack.
    let mut todo: Vec<(PathBuf, PathBuf, Rc<Rules>)> =
        vec![(root.to_path_buf(), abs_root.clone(), rules)];
    while let Some((dir, abs_dir, rules)) = todo.pop() {
        let names = match vfs.read_dir(&abs_dir) {
            Ok(n) => n,
            Err(e) => {
                errors.push((dir, e.to_string()));
                continue;
            }
        };
        for name in names {
            let (path, abs) = (dir.join(&name), abs_dir.join(&name));
            let Ok(md) = vfs.symlink_metadata(&abs) else {
                continue;
            };
            // A link is judged by its target, and a link to a directory is not entered.
            let (is_dir, is_link) = match md.kind {
                Kind::Symlink => match vfs.metadata(&abs) {
                    Ok(t) => (t.is_dir(), true),
                    Err(_) => continue,
                },
                k => (k == Kind::Dir, false),
            };
            let ignored = match overrides.matched(&abs, is_dir && !is_link) {
                Match::None => rules.ignores(&abs, is_dir && !is_link),
                m => m.is_ignore(),
            };
            if ignored {
                continue;
            }
            if is_dir && is_link {
                continue;
            }
            if !is_dir {
                files.push(path);
                continue;
            }
            if name.to_str().is_some_and(|n| o.skip_dirs.contains(&n)) {
                continue;
            }
            match enter(&path) {
                Ok(()) => {
                    let here = Rc::new(Rules::read(vfs, &abs, o, Some(rules.clone())));
                    todo.push((path, abs, here));
                }
                Err(message) => errors.push((path, message)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Walk;
    use super::*;
    use crate::access::Access;
    use crate::vfs::MemFs;
    use std::sync::Arc;

    fn found(fs: MemFs, exclude: &[&str]) -> Vec<String> {
        let root = vec![PathBuf::from("/r")];
        let access = Access::new(Arc::new(fs), &root, &[], false);
        let exclude: Vec<String> = exclude.iter().map(|s| s.to_string()).collect();
        let w = Walk {
            exclude: &exclude,
            access: &access,
            base: Some(Path::new("/r")),
        };
        let (files, errors) = super::super::discover(&root, &w);
        assert!(errors.is_empty(), "{errors:?}");
        files
            .into_iter()
            .map(|f| f.path.to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn memory_walk_applies_skip_dirs_exclude_and_ignore_files() {
        let fs = MemFs::new()
            .with("/.gitignore", "above.tf\n")
            .with("/r/main.tf", "")
            .with("/r/above.tf", "")
            .with("/r/notes.txt", "")
            .with("/r/.terraform/modules/m/x.tf", "")
            .with("/r/.gitignore", "gen/\n*.yaml\n!keep.yaml\n")
            .with("/r/gen/g.tf", "")
            .with("/r/keep.yaml", "")
            .with("/r/drop.yaml", "")
            .with("/r/env/.ignore", "*.tfvars\n")
            .with("/r/env/prod.tfvars", "")
            .with("/r/env/prod.tf", "")
            .with("/r/tmp/t.tf", "");
        assert_eq!(
            found(fs, &["tmp/"]),
            ["/r/env/prod.tf", "/r/keep.yaml", "/r/main.tf"]
        );
    }

    #[test]
    fn gitignore_rules_stop_at_the_repository() {
        let fs = MemFs::new()
            .with("/.gitignore", "*.tf\n")
            .with("/r/.git/HEAD", "")
            .with("/r/main.tf", "");
        assert_eq!(found(fs, &[]), ["/r/main.tf"]);
    }
}
