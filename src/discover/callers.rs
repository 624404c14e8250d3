//! Changed files → the root modules a change can affect (`--affected-roots`, the pre-commit
//! hook; issue 17). A shared module is evaluated through the roots that call it, with their
//! arguments, so a change to it is checked there: the directories under the scope (the
//! working directory) whose local module calls reach a changed module directory, directly or
//! through other local modules, are analysed too.

use super::{discover, FileKind, Walk};
use crate::source::normalize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// `source = "./x"` / `"../x"` values in a Terraform file (text scan; the parser reads them
/// properly later).
pub(crate) fn local_sources(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    // Most files have no module calls: skip them with one fast substring search.
    if memchr::memmem::find(text.as_bytes(), b"source").is_none() {
        return out;
    }
    for line in text.lines() {
        let l = line.trim_start();
        let Some(rest) = l.strip_prefix("source") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(rest) = rest.strip_prefix('"') else {
            continue;
        };
        let Some(end) = rest.find('"') else { continue };
        let s = &rest[..end];
        if s.starts_with("./") || s.starts_with("../") {
            out.push(s);
        }
    }
    out
}

/// The module directories under `scope` that call one of `changed` (module directories),
/// transitively, and the local modules those call (so each is evaluated whole), in walk order;
/// `changed` themselves are not included.
pub fn callers(changed: &[PathBuf], scope: &Path, w: &Walk) -> Vec<PathBuf> {
    // callee directory → the directories whose module blocks call it.
    let mut called_by: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    // (directory as walked, its canonical form), in walk order.
    let mut order: Vec<(PathBuf, PathBuf)> = Vec::new();
    for f in discover(&[scope.to_path_buf()], w).0 {
        // A Terragrunt unit calls its `terraform { source }` like a module block.
        if !matches!(
            f.kind,
            FileKind::Terraform | FileKind::TerraformJson | FileKind::Terragrunt
        ) {
            continue;
        }
        // Read through the policy like every other file; an unreadable one calls nothing.
        let Ok(text) = w.access.read_text(&f.path) else {
            continue;
        };
        let dir = f.path.parent().unwrap_or(Path::new("")).to_path_buf();
        // Compared in one form: canonical directories, sources resolved lexically from them.
        let canon = canonical(w, &dir);
        for s in local_sources(&text) {
            let callee = normalize(&canon.join(s));
            called_by.entry(callee).or_default().push(canon.clone());
        }
        if !order.iter().any(|(d, _)| *d == dir) {
            order.push((dir, canon));
        }
    }
    let start: Vec<PathBuf> = changed.iter().map(|d| canonical(w, d)).collect();
    // Up: every module that calls a changed one, transitively.
    let mut found: HashSet<PathBuf> = start.iter().cloned().collect();
    let mut todo = start.clone();
    while let Some(d) = todo.pop() {
        for c in called_by.get(&d).into_iter().flatten() {
            if found.insert(c.clone()) {
                todo.push(c.clone());
            }
        }
    }
    // Down: every module those call, so each affected root is evaluated whole.
    let mut calls: HashMap<&PathBuf, Vec<&PathBuf>> = HashMap::new();
    for (callee, callers) in &called_by {
        for c in callers {
            calls.entry(c).or_default().push(callee);
        }
    }
    let mut todo: Vec<PathBuf> = found.iter().cloned().collect();
    while let Some(d) = todo.pop() {
        for c in calls.get(&d).into_iter().flatten() {
            if found.insert((*c).clone()) {
                todo.push((*c).clone());
            }
        }
    }
    for s in &start {
        found.remove(s);
    }
    order
        .into_iter()
        .filter(|(_, canon)| found.contains(canon))
        .map(|(d, _)| d)
        .collect()
}

fn canonical(w: &Walk, dir: &Path) -> PathBuf {
    let d = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    normalize(&w.access.canonical_or_same(d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::MemFs;
    use std::sync::Arc;

    #[test]
    fn callers_are_found_transitively_and_only_once() {
        let mut fs = MemFs::new();
        fs.insert(
            "/r/live/prod/main.tf",
            "module \"c\" {\n  source = \"../../modules/cluster\"\n}\n",
        );
        fs.insert(
            "/r/live/dev/main.tf",
            "module \"c\" {\n  source = \"../../modules/cluster\"\n}\n",
        );
        fs.insert(
            "/r/modules/cluster/main.tf",
            "module \"ng\" {\n  source = \"../ng\"\n}\n",
        );
        fs.insert(
            "/r/modules/ng/main.tf",
            "resource \"aws_eks_node_group\" \"x\" {}\n",
        );
        fs.insert("/r/other/main.tf", "resource \"aws_vpc\" \"v\" {}\n");
        let access = crate::access::Access::new(Arc::new(fs), &[PathBuf::from("/r")], &[], false);
        let exclude = Vec::new();
        let w = Walk {
            exclude: &exclude,
            access: &access,
            base: None,
        };
        let got = callers(&[PathBuf::from("/r/modules/ng")], Path::new("/r"), &w);
        let mut got: Vec<String> = got.iter().map(|p| p.display().to_string()).collect();
        got.sort();
        assert_eq!(got, ["/r/live/dev", "/r/live/prod", "/r/modules/cluster"]);
        // A changed root pulls in what it calls.
        let got = callers(&[PathBuf::from("/r/live/prod")], Path::new("/r"), &w);
        let mut got: Vec<String> = got.iter().map(|p| p.display().to_string()).collect();
        got.sort();
        assert_eq!(got, ["/r/modules/cluster", "/r/modules/ng"]);
        assert!(callers(&[PathBuf::from("/r/other")], Path::new("/r"), &w).is_empty());
    }
}
