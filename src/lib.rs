//! eks-lint: static analysis of EKS pod IP capacity in Terraform and eksctl configurations.
//!
//! Pipeline (DESIGN.md §2): discover → parse → extract/evaluate → model → capacity facts →
//! rules → diagnostics → render. [`check`] runs it all and returns a [`Report`]; [`analyze`]
//! runs everything after reading, on text already in a [`source::SourceMap`].
//!
//! # Embedding
//!
//! The library reads no environment, working directory or other process state: everything a
//! run depends on is in [`Settings`] — the file provider every read goes through ([`Vfs`]: the
//! operating system's [`OsFs`] by default, or an in-memory [`MemFs`]), the resource
//! [`Limits`], Terraform variables from the environment ([`Settings::env_vars`]) and the
//! directory displayed paths are relative to ([`Settings::base_dir`]). It creates no thread
//! pool: it works on rayon's current one, so a caller runs it inside its own with
//! `pool.install(|| check(..))`, giving the threads [`limits::STACK_SIZE`] of stack. The
//! renderers are in [`render`] ([`render::render`] for the `--format` outputs,
//! [`render::capacity`] for the capacity tables).
//!
//! ```
//! use eks_lint::{check, MemFs, Settings};
//! use std::sync::Arc;
//!
//! let fs = MemFs::new().with(
//!     "/repo/cluster.yaml",
//!     "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: demo\n  \
//!      region: us-west-2\nvpc:\n  cidr: 10.0.0.0/24\nmanagedNodeGroups:\n  - name: ng\n    \
//!      instanceType: m5.large\n    maxSize: 40\n",
//! );
//! let settings = Settings {
//!     vfs: Arc::new(fs),
//!     base_dir: Some("/repo".into()),
//!     ..Settings::default()
//! };
//! let pool = rayon::ThreadPoolBuilder::new()
//!     .stack_size(eks_lint::limits::STACK_SIZE)
//!     .build()
//!     .unwrap();
//! let report = pool.install(|| check(&["/repo".into()], &settings));
//! assert_eq!(report.clusters.len(), 1);
//! assert!(report.diagnostics.iter().any(|d| d.code == eks_lint::code::Code::EKS101));
//! let json = eks_lint::render::render(eks_lint::render::Format::Json, &report, &Default::default());
//! assert!(json.contains("cluster.yaml"));
//! ```
//!
//! The modules below are the API; those hidden from the documentation are public only for the
//! binary, the benchmarks (`benches/`), the fuzz targets (`fuzz/`) and the tests, and may
//! change at any time.

// The API: settings and providers in, the report and its renderers out.
pub mod capacity;
pub mod code;
pub mod coverage;
pub mod diag;
pub mod limits;
pub mod model;
pub mod render;
pub mod settings;
pub mod source;
pub mod vfs;

// For the binary, benchmarks, fuzz targets and tests only.
#[doc(hidden)]
pub mod access;
#[doc(hidden)]
pub mod aws;
#[doc(hidden)]
pub mod breadcrumb;
#[cfg(feature = "cli")]
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod discover;
#[doc(hidden)]
pub mod eksctl;
#[doc(hidden)]
pub mod instance;
#[doc(hidden)]
pub mod plan;
#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod terraform;
#[doc(hidden)]
pub mod userdata;

mod frontend;
mod identity;
mod karpenter;
mod suppress;

use crate::access::Access;
use crate::capacity::{CapacityOptions, ClusterFacts};
use crate::code::Code;
pub use crate::diag::{Diagnostic, Level};
use crate::discover::FileKind;
pub use crate::discover::Skipped;
use crate::frontend::Loaded;
pub use crate::limits::Limits;
use crate::model::Cluster;
pub use crate::settings::Settings;
pub use crate::source::display_path;
use crate::source::{FileId, SourceFile, SourceMap};
pub use crate::vfs::{MemFs, OsFs, Vfs};
use std::path::{Path, PathBuf};

/// The result of one run.
#[derive(Debug)]
pub struct Report {
    pub sources: SourceMap,
    pub clusters: Vec<Cluster>,
    pub facts: Vec<ClusterFacts>,
    /// What was modelled of each cluster, in the order of `clusters` ([`coverage`]).
    pub coverage: Vec<coverage::ClusterCoverage>,
    /// Sorted: file, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// Paths that could not be used at all (missing, unreadable): make the exit code 2.
    pub input_errors: Vec<String>,
    /// Problems with the run that are not findings and do not change the exit code (no
    /// configuration file found).
    pub warnings: Vec<String>,
    /// Configuration files that ignore rules kept out of the scan, per kind of rule.
    pub skipped: Vec<discover::Skipped>,
    /// The run's configuration could not be used (also in `input_errors`); kept with its
    /// location so the github and SARIF formats can point at it.
    pub config_errors: Vec<settings::ConfigError>,
    /// What displayed paths are relative to ([`Settings::base_dir`]): SARIF's `%SRCROOT%`.
    pub base_dir: Option<PathBuf>,
}

impl Report {
    /// The report of a run that stopped at its configuration: nothing was analysed, and every
    /// output still says why (exit code 2).
    pub fn config_error(error: settings::ConfigError, base_dir: Option<PathBuf>) -> Report {
        Report {
            sources: SourceMap::new(),
            clusters: Vec::new(),
            facts: Vec::new(),
            coverage: Vec::new(),
            diagnostics: Vec::new(),
            input_errors: vec![error.to_string()],
            warnings: Vec::new(),
            skipped: Vec::new(),
            config_errors: vec![error],
            base_dir,
        }
    }

    pub fn count(&self, level: Level) -> usize {
        self.diagnostics.iter().filter(|d| d.level == level).count()
    }

    /// Whether ignore rules kept every configuration file out of the scan: nothing was
    /// checked although there was something to check, so the run cannot pass.
    pub fn ignored_everything(&self) -> bool {
        self.sources.is_empty() && !self.skipped.is_empty()
    }

    /// 0 no findings at or above `fail_on`, 1 findings, 2 unusable input (or everything
    /// ignored).
    pub fn exit_code(&self, settings: &Settings) -> i32 {
        if !self.input_errors.is_empty() || self.ignored_everything() {
            2
        } else if settings.exit_zero {
            0
        } else if self
            .diagnostics
            .iter()
            .any(|d| d.level.at_least(settings.fail_on))
        {
            1
        } else {
            0
        }
    }
}

/// The module directories of the Terraform files among `paths`.
fn changed_dirs(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = paths
        .iter()
        .filter(|p| {
            matches!(
                discover::classify(p),
                Some(
                    FileKind::Terraform
                        | FileKind::TerraformJson
                        | FileKind::Tfvars
                        | FileKind::Terragrunt
                )
            )
        })
        .map(|p| {
            p.parent()
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// Run the whole pipeline over `paths`.
pub fn check(paths: &[PathBuf], settings: &Settings) -> Report {
    // `--affected-roots`: the callers of a changed module live anywhere under the working
    // directory, so that is scanned space too.
    // (Relative, as pre-commit's file names are: module sources are matched lexically.)
    let scope = settings.affected_roots.then(|| PathBuf::from("."));
    let access_paths: Vec<PathBuf> = paths.iter().cloned().chain(scope.clone()).collect();
    let access = settings.access(&access_paths);
    let walk = discover::Walk {
        exclude: &settings.exclude,
        access: &access,
        base: settings.base_dir.as_deref(),
    };
    let mut paths = discover::project_roots(paths, &walk);
    if let Some(scope) = &scope {
        affected_roots(&mut paths, settings, scope, &walk);
    }
    let discover::Discovery {
        files: found,
        errors: walk_errors,
        skipped,
    } = discover::discover_all(&paths, &walk);
    // Scanned `.json` files are read only if they are plan or state documents (issue 18).
    let (json, found): (Vec<_>, Vec<_>) = found.into_iter().partition(|f| f.kind == FileKind::Json);
    let nothing_found = found.is_empty() && walk_errors.is_empty();
    let mut input_errors: Vec<String> = walk_errors
        .iter()
        .map(|e| format!("{}: {}", settings.display(&e.path), e.message))
        .collect();
    input_errors.extend(install_user_types(settings, &access));
    let mut sources = SourceMap::new();
    let mut diagnostics = Vec::new();
    let mut tf_files: Vec<FileId> = Vec::new();
    let mut yaml_files: Vec<FileId> = Vec::new();
    let mut found = found;
    let max_files = settings.limits.max_files;
    if found.len() as u64 > max_files {
        input_errors.push(format!(
            "{} configuration files found; only the first {max_files} are read (set \
             EKS_LINT_MAX_FILES to raise the limit)",
            found.len()
        ));
        found.truncate(usize::try_from(max_files).unwrap_or(usize::MAX));
    }
    use rayon::prelude::*;
    // The total-bytes budget is checked on the sizes before reading anything.
    let max_total = settings.limits.max_total_bytes;
    let sizes: Vec<u64> = found
        .par_iter()
        .map(|f| access.vfs().metadata(&f.path).map_or(0, |m| m.len))
        .collect();
    let mut total: u64 = 0;
    let over_total: Vec<bool> = sizes
        .iter()
        .map(|&n| {
            total = total.saturating_add(n);
            total > max_total
        })
        .collect();
    // Read and index (line starts) in parallel; only numbering the files is sequential.
    let read: Vec<(SourceFile, Read)> = found
        .par_iter()
        .zip(&over_total)
        .map(|(f, &over)| read_one(&f.path, over, max_total, settings, &access))
        .collect();
    for (f, (file, err)) in found.iter().zip(read) {
        let display = file.display.clone();
        let id = sources.add(file);
        match err {
            Read::Ok => match f.kind {
                FileKind::Yaml => yaml_files.push(id),
                _ => tf_files.push(id),
            },
            Read::Encrypted(tool) => diagnostics.push(
                Diagnostic::new(
                    Code::EKS901,
                    Level::Note,
                    source::Span::new(id, 0, 0),
                    format!("`{display}` is encrypted ({tool}): its contents are not read, so the values it sets are unknown and whatever it defines is not checked"),
                )
                .with_label("encrypted")
                .with_key(format!("encrypted/{display}")),
            ),
            Read::Failed(msg) => {
                diagnostics.push(Diagnostic::new(
                    Code::EKS903,
                    Level::Error,
                    source::Span::new(id, 0, 0),
                    format!("could not read `{display}`: {msg}"),
                ));
                input_errors.push(format!("{display}: {msg}"));
            }
        }
    }

    let module_caches = add_module_files(settings, &access, &mut sources, &mut tf_files);

    let plan_files = read_plans(&json, settings, &access, &mut sources, &mut input_errors);
    // JSON files that are no plan are not configuration: nothing found is still a warning.
    let nothing_found = nothing_found && plan_files.is_empty();
    // `--var-file` files outside the scanned paths still need to be in the source map.
    add_var_files(
        settings,
        &access,
        &mut sources,
        &mut tf_files,
        &mut input_errors,
    );
    // Configuration files Terragrunt units include or read (`root.hcl`, `env.hcl`, ...).
    let units: Vec<FileId> = tf_files
        .iter()
        .copied()
        .filter(|&id| terraform::terragrunt::is_unit_file(&sources.get(id).path))
        .collect();
    terraform::terragrunt::prefetch(&mut sources, &units, settings, &access);
    identity::assign(&mut sources, &access);
    let mut report = analyze(
        sources,
        &tf_files,
        &yaml_files,
        Input {
            diagnostics,
            input_errors,
            module_caches,
            access,
            plan_files,
        },
        settings,
    );
    // Nothing scanned is not a pass (issue 12).
    if nothing_found {
        report.warnings.push(discover::nothing_found(&skipped));
    }
    report.skipped = skipped;
    report
}

/// `--affected-roots`: the changed paths, plus the roots that load a changed variables file
/// (`var-files`), the callers of changed modules and the terraspace layers of stacks.
fn affected_roots(
    paths: &mut Vec<PathBuf>,
    settings: &Settings,
    scope: &Path,
    walk: &discover::Walk,
) {
    // Variables files no module directory loads by itself: the roots that load them.
    let roots = discover::callers::var_file_roots(paths, &settings.var_files, scope, walk);
    let mut changed = changed_dirs(paths);
    changed.extend(roots.iter().cloned());
    paths.extend(roots);
    paths.extend(discover::callers::callers(&changed, scope, walk));
    let layers = discover::callers::terraspace_layers(paths, walk);
    paths.extend(layers);
}

/// Module sources discovery skips (`.terraform/modules`, --allow-outside-root) (issue 4):
/// read them into `sources`, and return the module caches.
fn add_module_files(
    settings: &Settings,
    access: &access::Access,
    sources: &mut SourceMap,
    tf_files: &mut Vec<FileId>,
) -> terraform::cache::ModuleCaches {
    let scanned: Vec<(&Path, &str)> = tf_files
        .iter()
        .map(|&id| {
            let f = sources.get(id);
            (f.path.as_path(), &*f.text)
        })
        .collect();
    let (extra, module_caches) = terraform::cache::extra_module_files(&scanned, access);
    for p in extra {
        if let Ok(text) = access.read_text(&p) {
            let display = settings.display(&p);
            tf_files.push(sources.add(SourceFile::new(p, display, text)));
        }
    }
    module_caches
}

/// The plan and state documents: `--plan` files (any content: a foreign one is an input
/// error), then scanned `.json` files that look like one (up to the file-count and total-bytes
/// limits; others are not read further). Each is read through `access`, bounded by the plan-size limit.
fn read_plans(
    scanned: &[discover::Discovered],
    settings: &Settings,
    access: &Access,
    sources: &mut SourceMap,
    input_errors: &mut Vec<String>,
) -> Vec<(FileId, bool)> {
    let mut out = Vec::new();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let max = usize::try_from(settings.limits.max_files).unwrap_or(usize::MAX);
    let named = settings.plan_files.iter().map(|p| (p, true));
    let found = scanned.iter().take(max).map(|f| (&f.path, false));
    // Scanned candidates share the scan's total-bytes budget (read one at a time, and dropped
    // at once when they are not plans).
    let mut total: u64 = 0;
    for (path, explicit) in named.chain(found) {
        let canon = access.canonical_or_same(path);
        if !seen.insert(canon) {
            continue;
        }
        if !explicit {
            total = total.saturating_add(access.vfs().metadata(path).map_or(0, |m| m.len));
            if total > settings.limits.max_total_bytes {
                break;
            }
        }
        // A scanned file is bounded like every scanned file; a named one by the plan limit.
        let cap = if explicit {
            settings.limits.max_plan_bytes
        } else {
            settings
                .limits
                .max_plan_bytes
                .min(settings.limits.max_file_bytes)
        };
        match access.read_text_capped(path, cap) {
            Ok(text) if explicit || plan::looks_like_plan(&text) => {
                let file = SourceFile::new(path.clone(), settings.display(path), text);
                out.push((sources.add(file), explicit));
            }
            Ok(_) => {}
            Err(access::Denied::TooLarge(max)) if explicit => input_errors.push(format!(
                "{}: larger than the {max}-byte limit for plan and state documents (set \
                 EKS_LINT_MAX_PLAN_BYTES to raise it)",
                settings.display(path)
            )),
            Err(e) if explicit => input_errors.push(format!("{}: {e}", settings.display(path))),
            Err(_) => {}
        }
    }
    out
}

/// Register the user's instance types (`instance-types-json` files read through `access`, then
/// `[instance-types]`) for this run; problems are input errors (exit code 2).
fn install_user_types(settings: &Settings, access: &Access) -> Vec<String> {
    use aws::user_types::{from_config, from_describe_json};
    let mut errors = Vec::new();
    let mut types = Vec::new();
    for p in &settings.instance_types_json {
        let shown = settings.display(p);
        match access.read_text(p).map_err(|e| e.to_string()) {
            Ok(text) => match from_describe_json(&text) {
                Ok(v) => types.extend(v),
                Err(e) => errors.push(format!("{shown}: {e}")),
            },
            Err(e) => errors.push(format!("{shown}: {e}")),
        }
    }
    // A table entry refines a JSON entry of the same name (fields left out keep its values).
    for (name, c) in &settings.instance_types {
        let key = name.trim().to_ascii_lowercase();
        let base = types
            .iter()
            .rev()
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(&key))
            .map(|(_, t)| *t);
        match from_config(name, c, base.as_ref()) {
            Ok(t) => types.push((name.clone(), t)),
            Err(e) => errors.push(format!("[instance-types] {e}")),
        }
    }
    aws::instances::set_user_types(types);
    errors
}

/// Read one found file (`over`: past the scan's total-bytes limit).
fn read_one(
    path: &Path,
    over: bool,
    max_total: u64,
    settings: &Settings,
    access: &Access,
) -> (SourceFile, Read) {
    let display = settings.display(path);
    let text = if over {
        Err(Read::Failed(format!(
            "the scan exceeds the {max_total}-byte total limit (set \
             EKS_LINT_MAX_TOTAL_BYTES to raise it)"
        )))
    } else {
        access.read_text(path).map_err(|e| match e {
            access::Denied::Encrypted(tool) => Read::Encrypted(tool),
            e => Read::Failed(e.to_string()),
        })
    };
    match text {
        // A SOPS-encrypted `.tfvars.json` is still read: its keys (in clear) name the
        // variables it sets, which become unknown.
        Ok(text)
            if access::sops_encrypted(&text)
                && !path.to_string_lossy().ends_with(".tfvars.json") =>
        {
            (
                SourceFile::new(path.to_path_buf(), display, ""),
                Read::Encrypted("SOPS"),
            )
        }
        Ok(text) => (SourceFile::new(path.to_path_buf(), display, text), Read::Ok),
        Err(r) => (SourceFile::new(path.to_path_buf(), display, ""), r),
    }
}

/// How reading one found file went.
enum Read {
    Ok,
    /// Encrypted in the repository (git-crypt, SOPS): a note, not an input error.
    Encrypted(&'static str),
    Failed(String),
}

/// A policy that reads nothing: analysis of text already in memory.
fn no_files() -> Access {
    Access::new(std::sync::Arc::new(vfs::MemFs::new()), &[], &[], false)
}

/// What reading the inputs already found: unreadable files (EKS903) and unusable paths.
#[derive(Debug)]
pub struct Input {
    pub diagnostics: Vec<Diagnostic>,
    pub input_errors: Vec<String>,
    /// `.terraform/modules/modules.json` of the scanned module directories.
    pub module_caches: terraform::cache::ModuleCaches,
    /// What evaluation may read (`file()`, `templatefile()`, module sources).
    pub access: Access,
    /// Plan or state documents already in the sources, and whether each was named by
    /// `--plan` (a foreign document is then an error, not another kind of JSON).
    pub plan_files: Vec<(FileId, bool)>,
}

impl Input {
    /// Nothing found yet, and evaluation (`file()`, module sources, nested configuration files)
    /// may read what the file-access policy for a scan of `paths` allows, from
    /// [`Settings::vfs`]. [`Input::default`] reads nothing.
    pub fn reading(settings: &Settings, paths: &[PathBuf]) -> Input {
        Input {
            access: settings.access(paths),
            ..Input::default()
        }
    }
}

impl Default for Input {
    fn default() -> Self {
        Input {
            diagnostics: Vec::new(),
            input_errors: Vec::new(),
            module_caches: Default::default(),
            // In-memory analysis (benchmarks, fuzzing) reads no file.
            access: no_files(),
            plan_files: Vec::new(),
        }
    }
}

/// Everything after reading: parse, evaluate, model, capacity, rules, suppressions. Works on
/// text already in `sources` and `input` (no file system access but nested configuration
/// files), so benchmarks and fuzz targets can run it on generated text.
pub fn analyze(
    sources: SourceMap,
    tf_files: &[FileId],
    yaml_files: &[FileId],
    input: Input,
    settings: &Settings,
) -> Report {
    let Input {
        mut diagnostics,
        mut input_errors,
        module_caches,
        access,
        plan_files,
    } = input;
    let plans = load_plans(&plan_files, &sources, &mut input_errors);
    let mut loaded = Loaded::default();
    {
        use rayon::prelude::*;
        let per_file: Vec<Loaded> = yaml_files
            .par_iter()
            .map(|&id| {
                let file = sources.get(id);
                let mut l = eksctl::load(id, file, &settings.limits);
                l.node_pools.extend(
                    karpenter::yaml::load(id, file, &settings.limits)
                        .into_iter()
                        .map(|doc| karpenter::Found { doc, cluster: None }),
                );
                l
            })
            .collect();
        for l in per_file {
            loaded.extend(l);
        }
    }
    let (tf, used) = terraform::load(
        tf_files,
        &sources,
        settings,
        &module_caches,
        &access,
        &plans,
    );
    loaded.extend(tf);
    for (p, _) in plans.iter().zip(&used).filter(|(_, u)| !**u) {
        loaded.extend(plan::model::load(p));
    }
    diagnostics.append(&mut loaded.diagnostics);
    input_errors.append(&mut loaded.input_errors);
    diagnostics.extend(karpenter::attach(
        &mut loaded.clusters,
        std::mem::take(&mut loaded.node_pools),
        &sources,
        settings.limits.max_node_groups,
    ));
    diagnostics.extend(frontend::reject_negative_sizes(&mut loaded.clusters));
    diagnostics.extend(frontend::limit_node_groups(
        &mut loaded.clusters,
        settings.limits.max_node_groups,
    ));
    frontend::name_clusters(&mut loaded.clusters, &sources);

    let opts = CapacityOptions {
        pods_per_node: settings.expected_pods_per_node,
        fargate_pods: settings.expected_fargate_pods,
    };
    use rayon::prelude::*;
    let facts: Vec<ClusterFacts> = loaded
        .clusters
        .par_iter()
        .map(|c| capacity::pod_facts::analyze(c, opts))
        .collect();
    // The rule selection per file (nested configuration files may differ from the run's).
    let (selections, mut config_errors) = settings::selections(&sources, settings, &access);
    input_errors.append(&mut config_errors);
    let file_enabled = |f: FileId, c: Code| {
        selections
            .get(f.0 as usize)
            .unwrap_or(&settings.rules)
            .enabled(c)
    };
    // Run a rule when any file's selection enables it (decided once per rule, not per cluster:
    // there is a selection per file); findings are then selected per file.
    let any_enabled: std::collections::HashSet<Code> = rules::implemented_codes()
        .into_iter()
        .filter(|&c| settings.rules.enabled(c) || selections.iter().any(|s| s.enabled(c)))
        .collect();
    let per_cluster: Vec<(Vec<Diagnostic>, coverage::ClusterCoverage)> = loaded
        .clusters
        .par_iter()
        .zip(&facts)
        .map(|(cluster, facts)| {
            let ctx = rules::Ctx::new(cluster, facts, &sources, settings);
            let (found, skips) =
                rules::run_checks(&ctx, &|c| any_enabled.contains(&c), &file_enabled);
            (found, coverage::cluster(cluster, facts, &skips))
        })
        .collect();
    let mut covered = Vec::with_capacity(per_cluster.len());
    for (found, cov) in per_cluster {
        diagnostics.extend(found);
        covered.push(cov);
    }
    let mut diagnostics = select_and_suppress(diagnostics, &sources, settings, &selections);
    sort_diagnostics(&mut diagnostics, &sources);
    Report {
        sources,
        clusters: loaded.clusters,
        facts,
        coverage: covered,
        diagnostics,
        input_errors,
        warnings: loaded.warnings,
        skipped: Vec::new(),
        config_errors: Vec::new(),
        base_dir: settings.base_dir.clone(),
    }
}

/// Parse the plan and state documents (input errors for malformed and foreign ones).
fn load_plans(
    files: &[(FileId, bool)],
    sources: &SourceMap,
    input_errors: &mut Vec<String>,
) -> Vec<plan::Plan> {
    let mut out = Vec::new();
    for &(id, explicit) in files {
        match plan::load(id, sources.get(id), explicit) {
            plan::Loaded::Plan(p) => out.push(*p),
            plan::Loaded::Foreign => {}
            plan::Loaded::Error(e) => input_errors.push(e),
        }
    }
    out
}

/// Read `--var-file` files not already found by discovery (compared by canonical path).
fn add_var_files(
    settings: &Settings,
    access: &Access,
    sources: &mut SourceMap,
    tf_files: &mut Vec<FileId>,
    input_errors: &mut Vec<String>,
) {
    if settings.var_files.is_empty() {
        return;
    }
    let canon = |p: &Path| access.canonical_or_same(p);
    let known: Vec<PathBuf> = tf_files
        .iter()
        .map(|id| canon(&sources.get(*id).path))
        .collect();
    for vf in &settings.var_files {
        if known.contains(&canon(vf)) {
            continue;
        }
        match access.read_text(vf) {
            Ok(text) => {
                let id = sources.add(SourceFile::new(vf.clone(), settings.display(vf), text));
                tf_files.push(id);
            }
            Err(msg) => input_errors.push(format!("{}: {msg}", settings.display(vf))),
        }
    }
}

/// Drop findings of rules the settings disable, apply suppression comments (EKS902 for those
/// that did nothing) and the configured levels. `selections` is the rule selection per file
/// ([`settings::selections`]); files beyond it follow the run's selection.
pub fn select_and_suppress(
    diagnostics: Vec<Diagnostic>,
    sources: &SourceMap,
    settings: &Settings,
    selections: &[settings::RuleSelection],
) -> Vec<Diagnostic> {
    let sel = |f: FileId| selections.get(f.0 as usize).unwrap_or(&settings.rules);
    let enabled = |f: FileId, c: Code| sel(f).enabled(c);
    let diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| enabled(d.span.file, d.code))
        .collect();
    let mut out = suppress::apply(diagnostics, sources, suppress::today_utc(), &enabled);
    out.retain(|d| enabled(d.span.file, d.code));
    for d in &mut out {
        d.level = sel(d.span.file).level_for(d.code, d.level);
    }
    out
}

/// `--statistics`: findings per rule, most frequent first.
pub fn statistics(report: &Report) -> String {
    let mut counts: std::collections::BTreeMap<Code, (usize, Level)> = Default::default();
    for d in &report.diagnostics {
        let e = counts.entry(d.code).or_insert((0, d.level));
        e.0 += 1;
        e.1 = e.1.min(d.level);
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    for (code, (n, level)) in rows {
        let name = code.name();
        out.push_str(&format!("{n:>5}  {code}  {name:<30} {level}\n"));
    }
    out
}

/// Deterministic order: file, position, code, message.
pub fn sort_diagnostics(diags: &mut [Diagnostic], sources: &SourceMap) {
    diags.sort_by(|a, b| {
        let fa = &sources.get(a.span.file).display;
        let fb = &sources.get(b.span.file).display;
        fa.cmp(fb)
            .then(a.span.start.cmp(&b.span.start))
            .then(a.code.cmp(&b.code))
            .then(a.message.cmp(&b.message))
    });
}
