//! Changed files → the root modules a change can affect (`--affected-roots`, the pre-commit
//! hook; issue 17). A shared module is evaluated through the roots that call it, with their
//! arguments, so a change to it is checked there: the directories under the scope (the
//! working directory) whose local module calls reach a changed module directory, directly or
//! through other local modules, are analysed too.

use super::{classify, discover, FileKind, Walk};
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

/// The paths after the last template of `source = "${...}/x//y"` lines (`x/y`), for sources
/// a text scan cannot resolve; `..` and `.` leading segments dropped.
fn templated_tails(text: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix("source") else {
            continue;
        };
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let Some(rest) = rest.trim().strip_prefix('"') else {
            continue;
        };
        let Some(end) = rest.rfind('"') else { continue };
        let Some(at) = rest[..end].rfind('}') else {
            continue;
        };
        let tail = rest[at + 1..end].split('?').next().unwrap_or("");
        let tail: PathBuf = Path::new(tail)
            .components()
            .skip_while(|c| !matches!(c, std::path::Component::Normal(_)))
            .collect();
        if !tail.as_os_str().is_empty() {
            out.push(tail);
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
    // Templated Terragrunt sources (`"${get_parent_terragrunt_dir()}/../modules//eks"`): the
    // path after the template, matched against the end of a changed directory.
    let mut tails: Vec<(PathBuf, PathBuf)> = Vec::new();
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
        if f.kind == FileKind::Terragrunt {
            tails.extend(
                templated_tails(&text)
                    .into_iter()
                    .map(|t| (t, canon.clone())),
            );
        }
        if !order.iter().any(|(d, _)| *d == dir) {
            order.push((dir, canon));
        }
    }
    let start: Vec<PathBuf> = changed.iter().map(|d| canonical(w, d)).collect();
    for (tail, unit) in &tails {
        for s in start.iter().filter(|s| s.ends_with(tail)) {
            called_by.entry(s.clone()).or_default().push(unit.clone());
        }
    }
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

/// The root modules a changed variables file reaches that no module directory loads by
/// itself: a file `var-files` (or `--var-file`) names is loaded by every root, so it affects
/// the roots under `scope` that declare a variable it sets; a terraspace layer
/// (`config/stacks/NAME/tfvars/*`, `app/stacks/NAME/tfvars/*`, `config/terraform/tfvars/*`)
/// affects its stacks (`app/stacks/NAME`).
pub fn var_file_roots(
    changed: &[PathBuf],
    var_files: &[PathBuf],
    scope: &Path,
    w: &Walk,
) -> Vec<PathBuf> {
    let named: HashSet<PathBuf> = var_files
        .iter()
        .map(|p| normalize(&w.access.canonical_or_same(p)))
        .collect();
    let mut names: HashSet<String> = HashSet::new();
    let mut out: Vec<PathBuf> = Vec::new();
    for p in changed
        .iter()
        .filter(|p| classify(p) == Some(FileKind::Tfvars))
    {
        if named.contains(&normalize(&w.access.canonical_or_same(p))) {
            if let Ok(text) = w.access.read_text(p) {
                names.extend(assigned(&text, p.to_string_lossy().ends_with(".json")));
            }
        }
        out.extend(terraspace_stacks(p, w));
    }
    if !names.is_empty() {
        let mut dirs: Vec<PathBuf> = Vec::new();
        for f in discover(&[scope.to_path_buf()], w).0 {
            if !matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson) {
                continue;
            }
            let dir = f.path.parent().unwrap_or(Path::new("")).to_path_buf();
            if dirs.contains(&dir) {
                continue;
            }
            let Ok(text) = w.access.read_text(&f.path) else {
                continue;
            };
            if declared(&text).any(|v| names.contains(v)) {
                dirs.push(dir);
            }
        }
        out.extend(dirs);
    }
    out.sort();
    out.dedup();
    out
}

/// The variable names a variables file sets (top-level keys; a text scan for HCL).
fn assigned(text: &str, json: bool) -> Vec<String> {
    if json {
        return match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Object(o)) => o.keys().cloned().collect(),
            _ => Vec::new(),
        };
    }
    text.lines()
        .filter(|l| !l.starts_with([' ', '\t']))
        .filter_map(|l| {
            let (k, _) = l.split_once('=')?;
            let k = k.trim().trim_matches('"');
            let ident = !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
            ident.then(|| k.to_string())
        })
        .collect()
}

/// `variable "NAME"` declarations (text scan; `.tf.json` declares in `"variable": {...}`,
/// which this misses, so such a root is not pulled in by name).
fn declared(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|l| {
        let rest = l.trim_start().strip_prefix("variable")?.trim_start();
        let rest = rest.strip_prefix('"')?;
        rest.split_once('"').map(|(n, _)| n)
    })
}

/// The layer directories of the terraspace stacks among `paths` (`app/stacks/NAME` or a path
/// in it), so a stack is analysed with its tfvars layers.
pub fn terraspace_layers(paths: &[PathBuf], w: &Walk) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        let comps: Vec<&std::ffi::OsStr> = p.iter().collect();
        let Some(i) = comps
            .windows(3)
            .position(|c| c[0] == "app" && c[1] == "stacks")
        else {
            continue;
        };
        let project: PathBuf = comps[..i].iter().collect();
        let name = comps[i + 2];
        for d in [
            project.join("config/terraform/tfvars"),
            project.join("app/stacks").join(name).join("tfvars"),
            project.join("config/stacks").join(name).join("tfvars"),
        ] {
            if !out.contains(&d) && w.access.is_dir(&d) {
                out.push(d);
            }
        }
    }
    out
}

/// The terraspace stacks a layer file belongs to.
fn terraspace_stacks(p: &Path, w: &Walk) -> Vec<PathBuf> {
    let Some(dir) = p.parent() else {
        return Vec::new();
    };
    let comps: Vec<&std::ffi::OsStr> = dir.iter().collect();
    let n = comps.len();
    let at = |i: usize, s: &str| n > i && comps[n - 1 - i] == s;
    let project = |k: usize| -> PathBuf { comps[..n - k].iter().collect() };
    let stack = if at(0, "tfvars") && at(2, "stacks") && at(3, "config") {
        Some(project(4).join("app/stacks").join(comps[n - 2]))
    } else if at(0, "tfvars") && at(2, "stacks") && at(3, "app") {
        Some(project(1))
    } else {
        None
    };
    if let Some(s) = stack {
        return if w.access.is_dir(&s) {
            vec![s]
        } else {
            Vec::new()
        };
    }
    if at(0, "tfvars") && at(1, "terraform") && at(2, "config") {
        let stacks = project(3).join("app/stacks");
        return w
            .access
            .list_dir(&stacks, 10_000)
            .unwrap_or_default()
            .into_iter()
            .filter(|d| w.access.is_dir(d))
            .collect();
    }
    Vec::new()
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
