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
            Some(FileKind::Terraform | FileKind::TerraformJson | FileKind::Tfvars)
                if p.is_file() =>
            {
                let dir = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                // In the form the walk below gives (`./main.tf` for `main.tf`), so a file
                // named and found is one file.
                push(p.file_name().map_or_else(|| p.clone(), |n| dir.join(n)));
                // Each directory is walked once, however many of its files are named.
                if walked.insert(dir.clone()) {
                    for f in discover(&[dir], exclude).0 {
                        if f.kind != FileKind::Yaml {
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
pub fn discover(paths: &[PathBuf], exclude: &[String]) -> (Vec<Discovered>, Vec<DiscoverError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        let md = std::fs::metadata(root);
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
                    message: "not a Terraform, tfvars or YAML file".to_string(),
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
        let mut overrides = ignore::overrides::OverrideBuilder::new(root);
        for pat in exclude {
            // `!pattern` in an override excludes the match.
            let _ = overrides.add(&format!("!{pat}"));
        }
        let mut walker = ignore::WalkBuilder::new(root);
        walker
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
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
                    // A link to a file is read like the file (a shared `variables.tf`), subject
                    // to the file-access policy; a dangling link is not configuration. A FIFO,
                    // device or socket with a configuration name is kept, so the reader
                    // reports it instead of it vanishing.
                    let is_file = e.file_type().is_some_and(|t| {
                        if t.is_symlink() {
                            std::fs::metadata(e.path()).is_ok_and(|m| !m.is_dir())
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
