//! Module directories beyond discovery (issue 4): `.terraform/modules/modules.json` and the
//! modules it names, and local module sources outside the scanned paths (with
//! `--allow-outside-root`), all read through the file-access policy.

use super::module::normalize;
use crate::access::Access;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// `.terraform/modules/modules.json`: `{"Modules": [{"Key": "a.b", "Dir": "…"}]}`.
pub fn read_modules_json(root_dir: &Path, access: &Access) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    let path = root_dir.join(".terraform/modules/modules.json");
    // Through the policy: a FIFO, a device link or a huge file is not read (a refused cache
    // is as if `terraform init` had not run).
    let Ok(text) = access.read_text_capped(&path, MAX_MODULES_JSON_BYTES) else {
        return out;
    };
    let Ok(j) = serde_json::from_str::<serde_json::Value>(&text) else {
        return out;
    };
    if let Some(mods) = j.get("Modules").and_then(|m| m.as_array()) {
        for m in mods {
            let (Some(k), Some(d)) = (
                m.get("Key").and_then(|k| k.as_str()),
                m.get("Dir").and_then(|d| d.as_str()),
            ) else {
                continue;
            };
            if k.is_empty() {
                continue;
            }
            out.insert(k.to_string(), normalize(&root_dir.join(d)));
        }
    }
    out
}

/// `.terraform/modules/modules.json` of each scanned module directory that has one
/// (normalised directory → module key → module directory), read once per run.
pub type ModuleCaches = HashMap<PathBuf, HashMap<String, PathBuf>>;

/// Most module directories read beyond the scanned paths (cache and outside-root modules).
const MAX_EXTRA_DIRS: usize = 512;
/// Most entries listed per module directory.
const MAX_DIR_ENTRIES: usize = 4096;
/// Largest `modules.json` read (real ones are a few KB: one line per module call).
const MAX_MODULES_JSON_BYTES: u64 = 1 << 20;

/// Terraform files discovery does not see but module calls need: the directories named in
/// `.terraform/modules/modules.json` of each scanned module directory, and (with
/// `--allow-outside-root`) local module sources outside the scanned paths, followed
/// transitively. `scanned` holds the files already read, with their text (never read twice).
/// Returns the paths to add to the source map, and the `modules.json` entries found.
pub fn extra_module_files(
    scanned: &[(&Path, &str)],
    access: &Access,
) -> (Vec<PathBuf>, ModuleCaches) {
    let mut by_dir: HashMap<PathBuf, Vec<&str>> = HashMap::new();
    for (p, text) in scanned {
        if let Some(d) = p.parent() {
            by_dir.entry(normalize(d)).or_default().push(text);
        }
    }
    let mut known_dirs: HashSet<PathBuf> = by_dir.keys().cloned().collect();
    let mut todo: Vec<(PathBuf, bool)> = Vec::new();
    let mut files_seen: HashSet<PathBuf> = scanned.iter().map(|(p, _)| normalize(p)).collect();
    let mut caches = ModuleCaches::new();
    for d in by_dir.keys() {
        let cache = read_modules_json(d, access);
        for dir in cache.values() {
            // A cache entry may name any directory, and a directory lexically inside may be a
            // link out: the policy judges the resolved path.
            if access.is_dir(dir) {
                todo.push((dir.clone(), true));
            }
        }
        if !cache.is_empty() {
            caches.insert(d.clone(), cache);
        }
        todo.push((d.clone(), false));
    }
    let mut out = Vec::new();
    let mut visited: HashSet<PathBuf> = HashSet::new();
    // Only directories read from disk here count against the limit, not the scanned ones.
    let mut extra_dirs = 0;
    while let Some((dir, cached)) = todo.pop() {
        if !visited.insert(dir.clone()) {
            continue;
        }
        let outside = !known_dirs.contains(&dir);
        let mut read = Vec::new();
        let texts: Vec<&str> = match by_dir.get(&dir) {
            Some(t) => t.clone(),
            None => {
                if extra_dirs >= MAX_EXTRA_DIRS {
                    continue;
                }
                extra_dirs += 1;
                if let Ok(paths) = access.list_dir(&dir, MAX_DIR_ENTRIES) {
                    for p in paths {
                        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
                        if !(name.ends_with(".tf") || name.ends_with(".tf.json")) {
                            continue;
                        }
                        // Only the `source` lines are needed here; the policy's limits apply.
                        let Ok(t) = access.read_text(&p) else {
                            continue;
                        };
                        if outside && files_seen.insert(normalize(&p)) {
                            out.push(p.clone());
                        }
                        read.push(t);
                    }
                }
                read.iter().map(String::as_str).collect()
            }
        };
        if outside {
            known_dirs.insert(dir.clone());
        }
        // Follow local sources: always inside the cache, otherwise only when allowed.
        for t in texts {
            for src in crate::discover::callers::local_sources(t) {
                let target = normalize(&dir.join(src));
                if known_dirs.contains(&target) && !cached {
                    continue;
                }
                if cached || access.allows_outside() || known_dirs.contains(&target) {
                    todo.push((target, cached));
                }
            }
        }
    }
    (out, caches)
}
