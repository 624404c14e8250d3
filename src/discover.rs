//! Walk the given paths, skip what never holds configuration, and classify files.
//!
//! On the operating system's file system the `ignore` crate walks; other providers
//! ([`crate::vfs::Vfs`]) are listed by `listing` with the same rules.

pub mod callers;
mod listing;

use crate::access::Access;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// What a walk needs besides its paths: the `exclude` patterns of eks-lint.toml, the
/// file-access policy (and its provider), and the base of the paths messages show.
#[derive(Debug, Clone, Copy)]
pub struct Walk<'a> {
    pub exclude: &'a [String],
    pub access: &'a Access,
    pub base: Option<&'a Path>,
}

/// Directories never entered (besides what .gitignore excludes).
pub const SKIP_DIRS: &[&str] = &[
    ".git",
    ".terraform",
    "node_modules",
    ".terragrunt-cache",
    "target",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// `*.tf`
    Terraform,
    /// `*.tf.json`
    TerraformJson,
    /// `terraform.tfvars`, `*.auto.tfvars`, `*.tfvars` (explicit only), and their `.json` forms.
    Tfvars,
    /// `*.yaml`, `*.yml` — possibly an eksctl ClusterConfig.
    Yaml,
    /// `terragrunt.hcl`: a Terragrunt unit, or configuration its units include.
    Terragrunt,
    /// Any other `*.json` — possibly a Terraform plan or state document (`terraform show
    /// -json`), read only when it is one (`crate::plan::looks_like_plan`).
    Json,
}

pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name == crate::terraform::terragrunt::UNIT_FILE {
        Some(FileKind::Terragrunt)
    } else if name.ends_with(".tf.json") {
        Some(FileKind::TerraformJson)
    } else if name.ends_with(".tf") {
        Some(FileKind::Terraform)
    } else if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        Some(FileKind::Tfvars)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Some(FileKind::Yaml)
    } else if name.ends_with(".json") {
        Some(FileKind::Json)
    } else {
        None
    }
}

/// Map file arguments to the projects that contain them, so a pre-commit run on one changed
/// file analyses the whole project: a Terraform file (`.tf`, `.tf.json`, tfvars) stands for the
/// Terraform files of its module directory (and the local modules below it); an eksctl YAML
/// file is a project by itself. Directories and other paths are kept as given (unknown files
/// are reported by [`discover`]). Order is kept, duplicates are dropped.
pub fn project_roots(paths: &[PathBuf], w: &Walk) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::with_capacity(paths.len());
    // pre-commit passes every changed file: a set keeps this linear in their number.
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut walked: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut push = |p: PathBuf| {
        if seen.insert(p.clone()) {
            out.push(p);
        }
    };
    for p in paths {
        match classify(p) {
            Some(
                FileKind::Terraform
                | FileKind::TerraformJson
                | FileKind::Tfvars
                | FileKind::Terragrunt,
            ) if w.access.vfs().metadata(p).is_ok_and(|m| m.is_file()) => {
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                // In the form the walk below gives (`./main.tf` for `main.tf`), so a file
                // named and found is one file.
                push(p.file_name().map_or_else(|| p.clone(), |n| dir.join(n)));
                // Each directory is walked once, however many of its files are named.
                if walked.insert(dir.clone()) {
                    for f in discover(&[dir], w).0 {
                        if !matches!(f.kind, FileKind::Yaml | FileKind::Json) {
                            push(f.path);
                        }
                    }
                }
            }
            _ => push(p.clone()),
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Discovered {
    pub path: PathBuf,
    pub kind: FileKind,
}

#[derive(Debug)]
pub struct DiscoverError {
    pub path: PathBuf,
    pub message: String,
}

/// Files under `paths` (a file path is taken as is when its kind is known), sorted, with
/// errors for paths that do not exist or cannot be walked.
pub fn discover(paths: &[PathBuf], w: &Walk) -> (Vec<Discovered>, Vec<DiscoverError>) {
    walk(paths, w, Filters::ALL)
}

/// Which ignore rules a walk applies (all of them for discovery; one at a time to find out
/// which rules removed what).
#[derive(Debug, Clone, Copy)]
struct Filters {
    /// `exclude` patterns of eks-lint.toml.
    exclude: bool,
    /// `.ignore` files.
    ignore: bool,
    /// `.gitignore` files and `.git/info/exclude`.
    git: bool,
}

impl Filters {
    const ALL: Filters = Filters {
        exclude: true,
        ignore: true,
        git: true,
    };
    const NONE: Filters = Filters {
        exclude: false,
        ignore: false,
        git: false,
    };
}

fn walk(paths: &[PathBuf], w: &Walk, filters: Filters) -> (Vec<Discovered>, Vec<DiscoverError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    // Directories whose ignore files the policy refused (found while walking).
    let refused: Arc<Mutex<Vec<DiscoverError>>> = Arc::default();
    for root in paths {
        let md = w.access.vfs().metadata(root);
        // Anything but a directory is taken as a file: the reader refuses what is not a
        // regular file (a FIFO, a device link), with a diagnostic, instead of blocking on it.
        if md.as_ref().is_ok_and(|m| !m.is_dir()) {
            match classify(root) {
                Some(kind) => files.push(Discovered {
                    path: root.clone(),
                    kind,
                }),
                None => errors.push(DiscoverError {
                    path: root.clone(),
                    message: "not a Terraform, tfvars, Terragrunt or YAML file".to_string(),
                }),
            }
            continue;
        }
        if md.is_err() {
            errors.push(DiscoverError {
                path: root.clone(),
                message: "no such file or directory".to_string(),
            });
            continue;
        }
        // The walker reads the ignore files of the root's ancestors before it starts.
        if let Some(e) = root_ignore_files(root, w) {
            errors.push(e);
            continue;
        }
        if !w.access.vfs().is_native() {
            walk_listed(root, w, filters, &mut files, &mut errors);
            continue;
        }
        walk_native(root, w, filters, &refused, &mut files, &mut errors);
    }
    errors.append(&mut refused.lock().unwrap_or_else(|p| p.into_inner()));
    files.sort();
    files.dedup();
    (files, errors)
}

/// One root of another provider, listed through it (`listing`).
fn walk_listed(
    root: &Path,
    w: &Walk,
    filters: Filters,
    files: &mut Vec<Discovered>,
    errors: &mut Vec<DiscoverError>,
) {
    let o = listing::Options {
        exclude: if filters.exclude { w.exclude } else { &[] },
        ignore: filters.ignore,
        git: filters.git,
        skip_dirs: SKIP_DIRS,
        max_ignore_bytes: MAX_IGNORE_FILE_BYTES,
    };
    let (mut found, mut refused) = (Vec::new(), Vec::new());
    let enter = |dir: &Path| ignore_files(dir, w.access, true, w.base);
    listing::walk(w.access.vfs(), root, &o, &enter, &mut found, &mut refused);
    files.extend(found.into_iter().filter_map(|path| {
        let kind = classify(&path)?;
        Some(Discovered { path, kind })
    }));
    errors.extend(
        refused
            .into_iter()
            .map(|(path, message)| DiscoverError { path, message }),
    );
}

/// One root on the operating system's file system, with the `ignore` crate's walker.
fn walk_native(
    root: &Path,
    w: &Walk,
    filters: Filters,
    refused: &Arc<Mutex<Vec<DiscoverError>>>,
    files: &mut Vec<Discovered>,
    errors: &mut Vec<DiscoverError>,
) {
    let mut overrides = ignore::overrides::OverrideBuilder::new(root);
    for pat in w.exclude.iter().filter(|_| filters.exclude) {
        // `!pattern` in an override excludes the match.
        let _ = overrides.add(&format!("!{pat}"));
    }
    let mut walker = ignore::WalkBuilder::new(root);
    walker
        .hidden(false)
        .ignore(filters.ignore)
        .parents(filters.ignore || filters.git)
        .git_ignore(filters.git)
        .git_global(false)
        .git_exclude(filters.git)
        .require_git(false)
        .follow_links(false)
        .filter_entry({
            let access = w.access.clone();
            let base = w.base.map(Path::to_path_buf);
            let refused = refused.clone();
            move |e| {
                if !e.file_type().is_some_and(|t| t.is_dir()) {
                    return true;
                }
                if e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIP_DIRS.contains(&n))
                {
                    return false;
                }
                // Called before the walker reads the directory's ignore files.
                match ignore_files(e.path(), &access, true, base.as_deref()) {
                    Ok(()) => true,
                    Err(message) => {
                        refused
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .push(DiscoverError {
                                path: e.path().to_path_buf(),
                                message,
                            });
                        false
                    }
                }
            }
        });
    if let Ok(o) = overrides.build() {
        walker.overrides(o);
    }
    for entry in walker.build() {
        match entry {
            Ok(e) => {
                // A link to a file is read like the file (a shared `variables.tf`), subject
                // to the file-access policy; a dangling link is not configuration. A FIFO,
                // device or socket with a configuration name is kept, so the reader
                // reports it instead of it vanishing.
                let is_file = e.file_type().is_some_and(|t| {
                    if t.is_symlink() {
                        w.access.vfs().metadata(e.path()).is_ok_and(|m| !m.is_dir())
                    } else {
                        !t.is_dir()
                    }
                });
                if is_file {
                    if let Some(kind) = classify(e.path()) {
                        files.push(Discovered {
                            path: e.into_path(),
                            kind,
                        });
                    }
                }
            }
            Err(err) => errors.push(DiscoverError {
                path: root.to_path_buf(),
                message: err.to_string(),
            }),
        }
    }
}

/// The ignore files the walker reads in a directory (the global gitignore is off).
const IGNORE_FILES: &[&str] = &[".gitignore", ".ignore", ".git/info/exclude"];

/// Largest ignore file read (the walker reads them whole, line by line).
const MAX_IGNORE_FILE_BYTES: u64 = 1 << 20;

/// Whether the walker may read `dir`'s ignore files: the `ignore` crate opens them itself, so
/// they are checked against the file-access policy first (a committed `.gitignore ->
/// /dev/zero` would otherwise be read forever, one linking outside would be read at all).
///
/// Above the scanned paths (`contained` false) only the kind and size are checked: those
/// directories are the user's (a home directory's `.gitignore` is often a link into a dotfiles
/// repository), and an ignore file's text never reaches an output.
fn ignore_files(
    dir: &Path,
    access: &Access,
    contained: bool,
    base: Option<&Path>,
) -> Result<(), String> {
    let vfs = access.vfs();
    for name in IGNORE_FILES {
        let p = dir.join(name);
        let Ok(md) = vfs.symlink_metadata(&p) else {
            continue;
        };
        let checked = if md.kind != crate::vfs::Kind::Symlink {
            Ok(md)
        } else if !contained {
            vfs.metadata(&p).map_err(|e| e.to_string())
        } else {
            access
                .resolve_file(&p)
                .map_err(|d| d.to_string())
                .and_then(|c| vfs.metadata(&c).map_err(|e| e.to_string()))
        };
        let why = match checked {
            Ok(m) if !m.is_file() => "it is not a regular file".to_string(),
            Ok(m) if m.len > MAX_IGNORE_FILE_BYTES => {
                format!("it is larger than {MAX_IGNORE_FILE_BYTES} bytes")
            }
            Ok(_) => continue,
            Err(e) => e,
        };
        return Err(format!(
            "`{}` is not read ({why}), so this directory is not scanned",
            crate::source::display_path(base, &p)
        ));
    }
    Ok(())
}

/// [`ignore_files`] for a walk's root and its ancestors (the walker applies parents' ignore
/// files too).
fn root_ignore_files(root: &Path, w: &Walk) -> Option<DiscoverError> {
    let abs = w.access.vfs().canonicalize(root).ok()?;
    for (i, dir) in abs.ancestors().enumerate() {
        if let Err(message) = ignore_files(dir, w.access, i == 0, w.base) {
            return Some(DiscoverError {
                path: root.to_path_buf(),
                message,
            });
        }
    }
    None
}

/// Configuration files that ignore rules of one kind kept out of the scan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// `.gitignore`, `.ignore` or `exclude` (the eks-lint.toml setting).
    pub source: &'static str,
    pub files: usize,
}

/// What [`discover_all`] found.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<Discovered>,
    pub errors: Vec<DiscoverError>,
    /// Per kind of ignore rule, the configuration files it removed (each file counted once,
    /// for the first kind that removes it in the walker's order: `exclude`, `.ignore`,
    /// `.gitignore`). Empty when nothing was removed.
    pub skipped: Vec<Skipped>,
}

/// [`discover`], and which ignore rules removed how many configuration files: a pull request
/// that adds `.gitignore` with `*` must not pass for a clean scan. Found out by walking again
/// without ignore rules, and, when that finds more, once per kind of rule.
pub fn discover_all(paths: &[PathBuf], w: &Walk) -> Discovery {
    let (files, errors) = discover(paths, w);
    let (all, _) = walk(paths, w, Filters::NONE);
    let removed: Vec<&Discovered> = all
        .iter()
        .filter(|f| files.binary_search(f).is_err())
        .collect();
    let mut skipped = Vec::new();
    if !removed.is_empty() {
        let kinds = [
            (
                "exclude",
                Filters {
                    exclude: true,
                    ..Filters::NONE
                },
            ),
            (
                ".ignore",
                Filters {
                    ignore: true,
                    ..Filters::NONE
                },
            ),
            (
                ".gitignore",
                Filters {
                    git: true,
                    ..Filters::NONE
                },
            ),
        ];
        let mut left = removed;
        for (source, filters) in kinds {
            let (kept, _) = walk(paths, w, filters);
            let before = left.len();
            left.retain(|f| kept.binary_search(f).is_ok());
            if left.len() < before {
                skipped.push(Skipped {
                    source,
                    files: before - left.len(),
                });
            }
        }
        // Removed only by rules together (a negation in one file undone by another).
        if !left.is_empty() {
            skipped.push(Skipped {
                source: "ignore rules",
                files: left.len(),
            });
        }
    }
    Discovery {
        files,
        errors,
        skipped,
    }
}

/// What a scan that found no configuration file says. When ignore rules removed every file
/// there was, the run cannot pass ([`crate::Report::ignored_everything`]: exit code 2).
pub fn nothing_found(skipped: &[Skipped]) -> String {
    if skipped.is_empty() {
        return "no configuration files found (Terraform, tfvars or eksctl YAML); nothing was \
                checked"
            .to_string();
    }
    format!(
        "ignore rules skipped every configuration file ({}); nothing was checked (pass the \
         files by name, or change the ignore rules)",
        skipped_phrase(skipped)
    )
}

/// `.gitignore: 3 files, exclude: 1 file`.
pub fn skipped_phrase(skipped: &[Skipped]) -> String {
    skipped
        .iter()
        .map(|s| {
            let noun = if s.files == 1 { "file" } else { "files" };
            format!("{}: {} {noun}", s.source, s.files)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod project_tests {
    use super::*;

    #[test]
    fn terraform_files_stand_for_their_module_directory() {
        let dir = tempfile::tempdir().unwrap();
        let m = dir.path().join("envs/prod");
        std::fs::create_dir_all(m.join("modules/vpc")).unwrap();
        for f in [
            "main.tf",
            "vars.tfvars",
            "x.tf.json",
            "cluster.yaml",
            "modules/vpc/v.tf",
        ] {
            std::fs::write(m.join(f), "").unwrap();
        }
        std::fs::write(dir.path().join("root.tf"), "").unwrap();
        let access = Access::new(
            Arc::new(crate::vfs::OsFs),
            &[dir.path().to_path_buf()],
            &[],
            false,
        );
        let w = Walk {
            exclude: &[],
            access: &access,
            base: None,
        };
        let roots = project_roots(
            &[
                m.join("x.tf.json"),
                m.join("cluster.yaml"),
                m.join("missing.tf"),
            ],
            &w,
        );
        assert_eq!(
            roots,
            vec![
                m.join("x.tf.json"),
                m.join("main.tf"),
                m.join("modules/vpc/v.tf"),
                m.join("vars.tfvars"),
                m.join("cluster.yaml"),
                m.join("missing.tf"),
            ]
        );
    }
}

#[cfg(test)]
mod skipped_tests {
    use super::*;

    /// [`discover_all`] on disk.
    fn discover_all(paths: &[PathBuf], exclude: &[String]) -> Discovery {
        let access = Access::new(Arc::new(crate::vfs::OsFs), paths, &[], false);
        let w = Walk {
            exclude,
            access: &access,
            base: None,
        };
        super::discover_all(paths, &w)
    }

    fn setup(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn each_removed_file_is_counted_once_for_the_rule_that_removed_it() {
        let dir = setup(&[
            ("main.tf", ""),
            ("net/vpc.tf", ""),
            ("net/x.tf", ""),
            ("eks/cluster.yaml", ""),
            (".gitignore", "net/\n"),
            ("eks/.ignore", "*.yaml\n"),
        ]);
        let root = vec![dir.path().to_path_buf()];
        let d = discover_all(&root, &["main.tf".to_string()]);
        assert!(d.files.is_empty(), "{:?}", d.files);
        assert_eq!(
            d.skipped,
            vec![
                Skipped {
                    source: "exclude",
                    files: 1
                },
                Skipped {
                    source: ".ignore",
                    files: 1
                },
                Skipped {
                    source: ".gitignore",
                    files: 2
                },
            ]
        );
        assert_eq!(
            skipped_phrase(&d.skipped),
            "exclude: 1 file, .ignore: 1 file, .gitignore: 2 files"
        );
        assert!(nothing_found(&d.skipped).starts_with("ignore rules skipped every"));
        // The same tree without ignore rules: nothing skipped, nothing to report.
        let clean = setup(&[("main.tf", "")]);
        let d = discover_all(&[clean.path().to_path_buf()], &[]);
        assert_eq!(d.files.len(), 1);
        assert!(d.skipped.is_empty());
        assert!(nothing_found(&[]).starts_with("no configuration files found"));
    }

    #[test]
    fn a_gitignore_that_ignores_everything_is_reported() {
        let dir = setup(&[("main.tf", ""), (".gitignore", "*\n")]);
        let d = discover_all(&[dir.path().to_path_buf()], &[]);
        assert!(d.files.is_empty());
        assert_eq!(
            d.skipped,
            vec![Skipped {
                source: ".gitignore",
                files: 1
            }]
        );
    }
}
