//! Walk the given paths, skip what never holds configuration, and classify files.

use std::path::{Path, PathBuf};

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
}

pub fn classify(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?;
    if name.ends_with(".tf.json") {
        Some(FileKind::TerraformJson)
    } else if name.ends_with(".tf") {
        Some(FileKind::Terraform)
    } else if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        Some(FileKind::Tfvars)
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Some(FileKind::Yaml)
    } else {
        None
    }
}

/// Map file arguments to the projects that contain them, so a pre-commit run on one changed
/// file analyses the whole project: a Terraform file (`.tf`, `.tf.json`, tfvars) stands for the
/// Terraform files of its module directory (and the local modules below it); an eksctl YAML
/// file is a project by itself. Directories and other paths are kept as given (unknown files
/// are reported by [`discover`]). Order is kept, duplicates are dropped.
pub fn project_roots(paths: &[PathBuf], exclude: &[String]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::with_capacity(paths.len());
    let mut push = |p: PathBuf| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    for p in paths {
        match classify(p) {
            Some(FileKind::Terraform | FileKind::TerraformJson | FileKind::Tfvars)
                if p.is_file() =>
            {
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                push(p.clone());
                for f in discover(&[dir], exclude).0 {
                    if f.kind != FileKind::Yaml {
                        push(f.path);
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
pub fn discover(paths: &[PathBuf], exclude: &[String]) -> (Vec<Discovered>, Vec<DiscoverError>) {
    walk(paths, exclude, Filters::ALL)
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

fn walk(
    paths: &[PathBuf],
    exclude: &[String],
    filters: Filters,
) -> (Vec<Discovered>, Vec<DiscoverError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if root.is_file() {
            match classify(root) {
                Some(kind) => files.push(Discovered {
                    path: root.clone(),
                    kind,
                }),
                None => errors.push(DiscoverError {
                    path: root.clone(),
                    message: "not a Terraform, tfvars or YAML file".to_string(),
                }),
            }
            continue;
        }
        if !root.exists() {
            errors.push(DiscoverError {
                path: root.clone(),
                message: "no such file or directory".to_string(),
            });
            continue;
        }
        let mut overrides = ignore::overrides::OverrideBuilder::new(root);
        for pat in exclude.iter().filter(|_| filters.exclude) {
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
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.file_name()
                        .to_str()
                        .is_some_and(|n| SKIP_DIRS.contains(&n)))
            });
        if let Ok(o) = overrides.build() {
            walker.overrides(o);
        }
        for entry in walker.build() {
            match entry {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        if let Some(kind) = classify(e.path()) {
                            files.push(Discovered {
                                path: e.into_path(),
                                kind,
                            });
                        }
                    }
                }
                Err(err) => errors.push(DiscoverError {
                    path: root.clone(),
                    message: err.to_string(),
                }),
            }
        }
    }
    files.sort();
    files.dedup();
    (files, errors)
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
pub fn discover_all(paths: &[PathBuf], exclude: &[String]) -> Discovery {
    let (files, errors) = discover(paths, exclude);
    let (all, _) = walk(paths, exclude, Filters::NONE);
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
            let (kept, _) = walk(paths, exclude, filters);
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
        let roots = project_roots(
            &[
                m.join("x.tf.json"),
                m.join("cluster.yaml"),
                m.join("missing.tf"),
            ],
            &[],
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
