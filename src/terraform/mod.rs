//! Terraform (HCL and JSON) → model (DESIGN.md §4.1).
//!
//! # Design
//!
//! Files are parsed with `hcl-edit`, which keeps a byte span on every block, attribute and
//! expression, and the evaluator in [`eval`] walks that spanned tree directly. The alternative,
//! `hcl-rs`'s evaluator, works on a span-less tree and fails the whole expression on the first
//! unknown; eks-lint needs the opposite: every value must say where it was written and the
//! chain it came through (tfvars line → variable → local → attribute), unknown inputs (data
//! sources, remote state, missing variables, unsupported functions) must flow through as
//! *values* with a reason, and resource references must stay symbolic so `subnet_ids` links to
//! the subnets' CIDRs. Owning the evaluator gives all three and lets it guard recursion depth,
//! cycles and instance counts explicitly. `*.tf.json` is translated to the same tree (see
//! [`parse`]), with spans anchored at the JSON keys and strings.
//!
//! Pipeline per scan: parse every file in parallel (rayon); group `.tf`/`.tf.json` by
//! directory — each directory is one module; per module (in parallel) index its blocks
//! ([`module::Module`]), bind variable values in Terraform's precedence order, evaluate and
//! extract clusters ([`extract`]). Parse errors are EKS903 for that file only; the other files
//! of the module still count. Evaluation limits and cycles are EKS901 notes.
//!
//! # Extension points (module calls, issue 4)
//!
//! Module evaluation is a function of (module, input values) → evaluator: [`evaluate_module`]
//! takes the indexed module and a map of [`eval::VarInput`]s; a module call binds its
//! arguments as [`eval::VarInput::Value`] (already evaluated in the caller, so their spans
//! point at the caller's lines). Outputs are read with [`eval::Evaluator::output`]. The place
//! to resolve `module.<name>.<output>` is `Evaluator::module_output` (today: unknown with a
//! reason), and [`module::Module::calls`] lists the `module` blocks. Built-in models of
//! registry modules (terraform-aws-modules vpc/eks) can produce [`value::Val`] maps whose
//! elements are `V::Ref`s to synthetic subnets the extractor registers.
//!
//! Resource references ([`value::InstRef`]) are indexes into one module's resources; to let a
//! child module's subnets flow out through outputs, give `InstRef` a module path and let
//! [`extract::Extractor`] collect subnets from every evaluated module. Called modules are not
//! evaluated alone (see `called_dirs`), so their defaults never produce findings.
//!
//! # Not modelled (values become unknown, never errors)
//!
//! `*_override.tf` merging; `dynamic` blocks in `.tf.json` files (those in `.tf` files are
//! expanded by [`eval::Evaluator::blocks`]); regular-expression functions; provider-defined
//! functions.

pub mod budget;
pub mod cache;
pub mod calls;
pub mod eval;
pub mod extract;
pub mod funcs;
pub mod links;
pub mod module;
pub mod outputs;
pub mod parse;
pub mod registry;
pub mod root;
pub mod terragrunt;
mod tfvars;
mod units;
pub mod value;

use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::frontend::Loaded;
use crate::settings::Settings;
use crate::source::{FileId, SourceMap, Span};
use eval::{Evaluator, VarInput};
use module::{normalize, Module, RELEVANT};
use parse::ParsedFile;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tfvars::{auto_order, file_name, is_tfvars, root_inputs};

/// The files by role: Terraform files by module directory, variables files, Terragrunt units.
#[allow(clippy::type_complexity)]
fn sort_files(
    files: &[FileId],
    sources: &SourceMap,
    var_files: &[PathBuf],
    canon: &dyn Fn(&Path) -> PathBuf,
) -> (BTreeMap<PathBuf, Vec<FileId>>, Vec<FileId>, Vec<FileId>) {
    let mut dirs: BTreeMap<PathBuf, Vec<FileId>> = BTreeMap::new();
    let mut tfvar_ids: Vec<FileId> = Vec::new();
    let mut unit_ids: Vec<FileId> = Vec::new();
    for &id in files {
        let src = sources.get(id);
        // A `--var-file` may have any name, as Terraform's `-var-file` (JSON if `.json`).
        let named = || !var_files.is_empty() && var_files.contains(&canon(&src.path));
        if terragrunt::is_unit_file(&src.path) {
            unit_ids.push(id);
        } else if is_tfvars(file_name(&src.path)) || named() {
            tfvar_ids.push(id);
        } else {
            let dir = src.path.parent().unwrap_or(Path::new("")).to_path_buf();
            dirs.entry(dir).or_default().push(id);
        }
    }
    (dirs, tfvar_ids, unit_ids)
}

/// The directories that scanned modules call by local path, predicted from the `source`
/// lines without parsing (checked against the parsed module blocks later).
fn predict_called(
    dirs: &BTreeMap<PathBuf, Vec<FileId>>,
    sources: &SourceMap,
) -> std::collections::HashSet<PathBuf> {
    dirs.par_iter()
        .flat_map_iter(|(dir, ids)| {
            let own = normalize(dir);
            ids.iter()
                .flat_map(|&id| crate::discover::callers::local_sources(&sources.get(id).text))
                .map(|s| normalize(&dir.join(s)))
                // A module calling itself stays a root (the cycle is reported there).
                .filter(|t| *t != own)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Analyse every Terraform module among `files` (all `.tf`, `.tf.json` and tfvars files of
/// the scan, already in `sources`).
///
/// Root modules are parsed, evaluated and dropped one at a time per worker thread, so peak
/// memory follows the largest roots in flight, not the whole scan (a syntax tree takes about
/// 25 times its text). Modules that other modules call are parsed once and shared.
///
/// With plan or state documents (issue 18), each root evaluates with the document planned
/// from it ([`crate::plan::pair::pair`]); the flags say which documents a root used.
pub fn load(
    files: &[FileId],
    sources: &SourceMap,
    settings: &Settings,
    caches: &cache::ModuleCaches,
    access: &crate::access::Access,
    plans: &[crate::plan::Plan],
) -> (Loaded, Vec<bool>) {
    let mut out = Loaded::default();
    let run_budget = budget::RunBudget::new(settings.limits.max_run_eval_steps);
    let shared = Shared {
        sources,
        settings,
        access,
        run: &run_budget,
        plans,
    };
    let mut used = vec![false; plans.len()];
    // Explicit var files (--var-file), matched by canonical path.
    let canon = |p: &Path| access.canonical_or_same(p);
    let var_files: Vec<PathBuf> = settings.var_files.iter().map(|p| canon(p)).collect();

    let (dirs, tfvar_ids, unit_ids) = sort_files(files, sources, &var_files, &canon);
    // Variable files are small: parse them all up front (every one gets its syntax checked).
    let tfvars: Vec<(FileId, Result<ParsedFile, Box<Diagnostic>>)> = tfvar_ids
        .par_iter()
        .map(|&id| (id, tfvars::parse(id, sources, &settings.limits)))
        .collect();
    let (auto, explicit) = tfvars::sort_out(&tfvars, &var_files, sources, access, &mut out);

    // A module that another scanned module calls by local path is not a root module: it is
    // evaluated through the call (issue 4), not alone with its defaults. Which directories
    // are called is first predicted from the `source` lines (without parsing), then checked
    // against the parsed module blocks below.
    let predicted = predict_called(&dirs, sources);
    let mut predicted = predicted;
    // Terragrunt units: their modules are evaluated through them, like called modules.
    let unit_jobs = units::collect(
        &unit_ids,
        &dirs,
        sources,
        settings,
        access,
        &run_budget,
        &mut out,
    );
    predicted.extend(unit_jobs.iter().map(|(_, d)| normalize(d)));
    let slots = Slots::new(&dirs, &predicted, sources, settings);
    let is_root = |d: &Path| !predicted.contains(&normalize(d)) && !in_module_cache(d);
    let roots: Vec<&PathBuf> = dirs.keys().filter(|d| is_root(d)).collect();
    // terraspace stacks run once per environment of their layered tfvars.
    let stacks = units::terraspace(&roots, &tfvar_ids, sources);
    let roots: Vec<&PathBuf> = roots
        .into_iter()
        .filter(|d| !stacks.iter().any(|(_, s)| s == *d))
        .collect();
    let unit_jobs: Vec<(units::Given, PathBuf)> = unit_jobs.into_iter().chain(stacks).collect();
    let parsed_vars: HashMap<FileId, &ParsedFile> = tfvars
        .iter()
        .filter_map(|(id, r)| Some((*id, r.as_ref().ok()?)))
        .collect();

    // `unit`: the Terragrunt unit or terraspace stack run (an index into `unit_jobs`), if any.
    let run_with = |dir: &Path, unit: Option<usize>, answers: Option<&links::Answers>| -> RootRun {
        let given = unit.and_then(|u| unit_jobs.get(u)).map(|(g, _)| g);
        let mut auto_files: Vec<&ParsedFile> = auto.get(dir).cloned().unwrap_or_default();
        auto_files.sort_by_key(|pf| auto_order(file_name(&sources.get(pf.file).path)));
        // terraspace writes its layers as `1-base.auto.tfvars`, ...: after terraform.tfvars,
        // before the module's own `*.auto.tfvars`.
        if let Some(g) = given {
            let at = auto_files
                .iter()
                .take_while(|pf| auto_order(file_name(&sources.get(pf.file).path)).0 < 2)
                .count();
            let layers = g
                .layers
                .iter()
                .filter_map(|id| parsed_vars.get(id).copied());
            auto_files.splice(at..at, layers);
        }
        let cache = caches.get(&normalize(dir)).cloned().unwrap_or_default();
        let mut r = evaluate_root(
            dir,
            &slots,
            cache,
            &auto_files,
            &explicit,
            &shared,
            (given, answers),
        );
        r.unit = unit;
        r
    };
    let run = |dir: &Path, answers: Option<&links::Answers>| run_with(dir, None, answers);
    // On the caller's thread pool (the CLI's gives its threads large stacks: evaluation
    // recursion is bounded by `eval::MAX_DEPTH`, see `crate::STACK_SIZE`).
    let mut runs: Vec<RootRun> = roots.par_iter().map(|d| run(d, None)).collect();
    // Each unit is a root of its own (kept whoever else calls its module).
    runs.extend(
        (0..unit_jobs.len())
            .into_par_iter()
            .map(|u| RootRun {
                wave2: true,
                ..run_with(&unit_jobs[u].1, Some(u), None)
            })
            .collect::<Vec<_>>(),
    );
    // Modules reachable only through a cycle of local calls (or called by a module no root
    // reaches) still get analysed once, as roots, in directory order.
    let mut seen: std::collections::HashSet<PathBuf> = runs
        .iter()
        .flat_map(|r| r.reached.iter().map(|(d, _)| d.clone()))
        .collect();
    for d in dirs.keys() {
        if !in_module_cache(d) && !seen.contains(&normalize(d)) {
            let r = run(d, None);
            seen.extend(r.reached.iter().map(|(d, _)| d.clone()));
            runs.push(RootRun { wave2: true, ..r });
        }
    }
    second_phase(&mut runs, dirs.keys(), &run_with);
    // The parsed module blocks decide: a first-wave root that another analysed module calls
    // (a call the `source` line scan did not see) is reported through that call only.
    let mut callers: HashMap<&Path, usize> = HashMap::new();
    for r in &runs {
        for (d, edges) in &r.reached {
            for e in edges.iter().filter(|e| *e != d) {
                *callers.entry(e.as_path()).or_default() += 1;
            }
        }
    }
    let called = |r: &RootRun| callers.contains_key(r.dir.as_path());
    let keep: Vec<bool> = runs.iter().map(|r| r.wave2 || !called(r)).collect();
    // Every file's syntax is checked, including modules nothing calls.
    slots.parse_unreached();
    out.diagnostics.extend(slots.take_errors());
    let undeclared = undeclared_vars(settings, &runs);
    for (r, keep) in runs.into_iter().zip(keep) {
        if keep {
            if let Some(u) = r.plan.and_then(|i| used.get_mut(i)) {
                *u = true;
            }
            out.extend(r.loaded);
        }
    }
    out.input_errors.extend(undeclared);
    (out, used)
}

/// Evaluate a root: its directory, the unit it runs as (an index into the units), the answers
/// of other roots to its data sources.
type RunFn<'x> = dyn Fn(&Path, Option<usize>, Option<&links::Answers>) -> RootRun + Sync + 'x;

/// The second phase (`links`): a root whose data sources other roots answer is evaluated
/// again with the answers, and that evaluation's result replaces the first.
fn second_phase<'d>(runs: &mut [RootRun], dirs: impl Iterator<Item = &'d PathBuf>, run: &RunFn) {
    let produced: Vec<(PathBuf, links::Produced)> = (runs.iter_mut())
        .map(|r| (r.dir.clone(), std::mem::take(&mut r.produced)))
        .collect();
    let raw: HashMap<PathBuf, &PathBuf> = dirs.map(|d| (normalize(d), d)).collect();
    let again: Vec<(usize, &PathBuf, Option<usize>, links::Answers)> = (runs.iter().enumerate())
        .filter_map(|(i, r)| {
            let answers = links::answers(&r.dir, &r.queries, &produced)?;
            Some((i, *raw.get(&r.dir)?, r.unit, answers))
        })
        .collect();
    let redone: Vec<(usize, Loaded)> = (again.par_iter())
        .map(|(i, d, u, a)| (*i, run(d, *u, Some(a)).loaded))
        .collect();
    for (i, loaded) in redone {
        runs[i].loaded = loaded;
    }
}

/// Terraform refuses a `--var` its root does not declare; over many roots, one that no
/// scanned root declares is refused.
fn undeclared_vars(settings: &Settings, runs: &[RootRun]) -> Vec<String> {
    let declared: std::collections::HashSet<&str> = runs
        .iter()
        .flat_map(|r| r.declared_vars.iter().map(String::as_str))
        .collect();
    let mut undeclared: Vec<&str> = settings
        .vars
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !declared.contains(k))
        .collect();
    undeclared.sort_unstable();
    undeclared.dedup();
    undeclared
        .into_iter()
        .map(|k| {
            format!(
                "--var {k}: no scanned root module declares a variable `{k}` (Terraform refuses \
                 a value for an undeclared variable)"
            )
        })
        .collect()
}

/// What every root's evaluation of one run shares.
#[derive(Clone, Copy)]
struct Shared<'r> {
    sources: &'r SourceMap,
    settings: &'r Settings,
    access: &'r crate::access::Access,
    run: &'r budget::RunBudget,
    plans: &'r [crate::plan::Plan],
}

/// One root module's evaluation and the module directories it reached (with their local
/// calls), for deciding which directories are roots.
struct RootRun {
    dir: PathBuf,
    loaded: Loaded,
    reached: Vec<(PathBuf, Vec<PathBuf>)>,
    wave2: bool,
    /// The `--var` names this root declares.
    declared_vars: Vec<String>,
    /// What it produces for other roots and what its data sources ask of them (`links`).
    produced: links::Produced,
    queries: Vec<links::Query>,
    /// The unit (Terragrunt, terraspace) this run is, as an index into the units run.
    unit: Option<usize>,
    /// The document of `Shared::plans` this root evaluated with.
    plan: Option<usize>,
}

/// An unread module's node groups that the plan modelled (`plan::fill`) are checked: its
/// compute note stays only for compute the plan model does not read (Karpenter's manifests).
fn plan_modelled_compute(plan: &crate::plan::Plan, unread: &mut [root::Unread]) {
    const GROUPS: &[&str] = &[
        "aws_eks_node_group",
        "aws_autoscaling_group",
        "aws_eks_fargate_profile",
    ];
    for u in unread.iter_mut() {
        let Some(input) = &u.compute else { continue };
        let karpenter = ["karpenter", "nodepool", "node_pool", "ec2nodeclass"]
            .iter()
            .any(|w| input.to_ascii_lowercase().contains(w));
        let under = |k: &String| {
            k.strip_prefix(u.addr.as_str())
                .is_some_and(|r| r.starts_with('.') || r.starts_with('['))
                && GROUPS.iter().any(|g| k.rsplit('.').nth(1) == Some(*g))
        };
        if !karpenter && plan.resources.keys().any(under) {
            u.compute = None;
        }
    }
}

/// What a root produces for other roots (`links`): its SSM parameters and tagged subnets.
fn produced(
    first: &ParsedDir,
    sources: &SourceMap,
    ssm: Vec<links::SsmParameter>,
    root: &root::Root,
    subnets: &[(value::InstRef, crate::model::Subnet, Option<value::InstRef>)],
    ev: &Evaluator,
) -> links::Produced {
    let shown = |f: &ParsedFile| {
        sources
            .get(f.file)
            .display
            .rsplit_once('/')
            .map(|d| d.0.to_string())
    };
    let mut p = links::Produced {
        root: (first.files.first().and_then(shown)).unwrap_or_else(|| ".".into()),
        ssm: ssm.into_iter().chain(root.ssm.take()).collect(),
        subnets: (subnets.iter())
            .chain(root.ext.borrow().subnets.iter())
            .filter(|(_, s, _)| !s.tags.is_empty())
            .map(|(_, s, vpc)| links::ProducedSubnet {
                subnet: s.clone(),
                vpc: vpc.as_ref().map(|v| ev.address(v)),
            })
            .collect(),
    };
    // In a stable order (the extractor's tables are hash maps).
    p.subnets.sort_by_key(|p| {
        (
            p.subnet.span.file.0,
            p.subnet.span.start,
            p.subnet.name.clone(),
        )
    });
    p
}

/// Which `--var` names the root declares, relevant to EKS or not.
fn declared_vars(settings: &Settings, root: &ParsedDir) -> Vec<String> {
    settings
        .vars
        .iter()
        .map(|(k, _)| k.clone())
        .filter(|k| {
            root.files.iter().any(|f| {
                f.body.blocks().any(|b| {
                    b.has_ident("variable") && b.labels.first().is_some_and(|l| l.as_str() == k)
                })
            })
        })
        .collect()
}

/// VPC CNI settings that reached no cluster: say so rather than drop them silently.
fn note_unlinked_cni(root: &root::Root, found: &[extract::Found]) {
    for f in found {
        let c = &f.cluster;
        if f.kind == extract::FoundKind::Anywhere && c.node_groups.is_empty() {
            if let Some(span) = c.cni.span.or(c.cni.plugins.first().map(|p| p.span)) {
                root.note(
                    format!("unlinked-cni/{}/{}", span.file.0, span.start),
                    span,
                    "these pod network settings are in a module that names no cluster, and no single cluster of the configuration takes them: they are not checked".into(),
                );
            }
        }
    }
}

fn evaluate_root(
    dir: &Path,
    slots: &Slots,
    cache: HashMap<String, PathBuf>,
    auto: &[&ParsedFile],
    explicit: &[&ParsedFile],
    shared: &Shared,
    (given, answers): (Option<&units::Given>, Option<&links::Answers>),
) -> RootRun {
    let Shared {
        sources,
        settings,
        access,
        run: run_budget,
        plans,
    } = *shared;
    let norm = normalize(dir);
    let mut run = RootRun {
        dir: norm.clone(),
        loaded: Loaded::default(),
        reached: Vec::new(),
        wave2: false,
        declared_vars: Vec::new(),
        produced: links::Produced::default(),
        queries: Vec::new(),
        unit: None,
        plan: None,
    };
    // A Terragrunt unit running a registry module: a root that calls it.
    let synthetic = given
        .and_then(|g| Some((g, g.registry.as_ref()?)))
        .map(|(g, r)| {
            std::sync::Arc::new(ParsedDir {
                dir: dir.to_path_buf(),
                files: units::registry_root(r, g).into_iter().collect(),
                edges: Vec::new(),
            })
        });
    let Some(root) = synthetic.or_else(|| slots.get(&norm)) else {
        return run;
    };
    run.declared_vars = declared_vars(settings, &root);
    // Parsing names each file; evaluation spans files: name the module directory.
    let _crumb = crate::breadcrumb::enter(dir);
    // The root and, transitively, every scanned module it calls: by local path, or through
    // `.terraform/modules/modules.json`.
    let mut held: Vec<std::sync::Arc<ParsedDir>> = vec![root.clone()];
    let mut todo: Vec<PathBuf> = root.edges.clone();
    todo.extend(cache.values().map(|d| normalize(d)));
    let mut visited: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    visited.insert(norm.clone());
    let m = Module::build(root.dir.clone(), root.files.iter().collect());
    let relevant = !m.calls.is_empty()
        || m.resources
            .iter()
            .any(|r| r.mode == module::Mode::Managed && RELEVANT.contains(&r.ty));
    if relevant {
        while let Some(d) = todo.pop() {
            if !visited.insert(d.clone()) {
                continue;
            }
            if let Some(pd) = slots.get(&d) {
                todo.extend(pd.edges.iter().cloned());
                held.push(pd);
            }
        }
    }
    run.reached = held
        .iter()
        .map(|pd| (normalize(&pd.dir), pd.edges.clone()))
        .collect();
    if !relevant {
        return run;
    }
    let mut modules: HashMap<PathBuf, Module> = held[1..]
        .iter()
        .map(|pd| {
            (
                normalize(&pd.dir),
                Module::build(pd.dir.clone(), pd.files.iter().collect()),
            )
        })
        .collect();
    modules.insert(norm.clone(), m);
    let m = &modules[&norm];
    let mut warnings = Vec::new();
    let mut inputs = root_inputs(m, auto, explicit, sources, settings, &mut warnings);
    if let Some(g) = given {
        g.add_inputs(m, &mut inputs, settings);
    }
    let mut root = root::Root::new(&modules, sources, settings, cache, access, run_budget);
    if let Some(a) = answers {
        root = root.with_links(a);
    }
    run.plan = crate::plan::pair::pair(m, plans);
    root.plan = run.plan.and_then(|i| plans.get(i));
    let calls = calls::Calls::new(&root, &m.dir);
    let ev = Evaluator::new(m, inputs).with_resolver(&calls);
    // Terraform checks every value given on the command line or in the environment, used or
    // not: evaluate them first so a wrong type is refused even when nothing reads it.
    for name in run.declared_vars.iter().map(String::as_str).chain(
        m.variables
            .keys()
            .copied()
            .filter(|n| settings.env_vars.contains_key(*n)),
    ) {
        let _ = ev.var(name, crate::source::Span::default());
    }
    let (found, exported) = calls.extract(&ev);
    note_unlinked_cni(&root, &found);
    let mut clusters = extract::settle_root(found);
    if let Some(g) = given {
        g.label(&mut clusters);
    }
    let mut out = Loaded {
        clusters,
        diagnostics: ev.take_diagnostics(),
        input_errors: ev.take_input_errors(),
        warnings,
        node_pools: exported.node_pools,
    };
    out.node_pools.extend(root.node_pools.take());
    run.produced = produced(
        &held[0],
        sources,
        exported.ssm,
        &root,
        &exported.subnets,
        &ev,
    );
    run.queries = root.queries.take().into_iter().collect();
    out.diagnostics.extend(root.diags.take());
    crate::plan::fill::apply(&mut out, root.plan, &root.unread.borrow());
    if let Some(p) = root.plan {
        plan_modelled_compute(p, &mut root.unread.borrow_mut());
    }
    let unread = root.unread_notes(&mut out.clusters);
    out.diagnostics.extend(unread);
    run.loaded = out;
    run
}

/// The parsed files of one module directory and the directories its module blocks call by
/// local path.
struct ParsedDir {
    dir: PathBuf,
    files: Vec<ParsedFile>,
    edges: Vec<PathBuf>,
}

/// Parsed module directories on demand. Directories predicted to be called stay parsed for
/// every root that calls them; a root's own directory is dropped after its evaluation.
/// Syntax errors are reported once per directory, whoever parses it first.
struct Slots<'s> {
    sources: &'s SourceMap,
    settings: &'s Settings,
    dirs: HashMap<PathBuf, Slot<'s>>,
    errors: std::sync::Mutex<Vec<Diagnostic>>,
}

struct Slot<'s> {
    dir: &'s Path,
    files: &'s [FileId],
    /// Kept after first use: a module other modules call (by the `source` line scan).
    shared: bool,
    parsed: std::sync::Mutex<Option<std::sync::Arc<ParsedDir>>>,
    reported: std::sync::atomic::AtomicBool,
}

impl<'s> Slots<'s> {
    fn new(
        dirs: &'s BTreeMap<PathBuf, Vec<FileId>>,
        called: &std::collections::HashSet<PathBuf>,
        sources: &'s SourceMap,
        settings: &'s Settings,
    ) -> Self {
        Slots {
            sources,
            settings,
            dirs: dirs
                .iter()
                .map(|(d, ids)| {
                    let n = normalize(d);
                    let shared = called.contains(&n) || in_module_cache(d);
                    (
                        n,
                        Slot {
                            dir: d,
                            files: ids,
                            shared,
                            parsed: std::sync::Mutex::new(None),
                            reported: std::sync::atomic::AtomicBool::new(false),
                        },
                    )
                })
                .collect(),
            errors: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The parsed directory (normalised path), parsing it on first use.
    fn get(&self, dir: &Path) -> Option<std::sync::Arc<ParsedDir>> {
        let slot = self.dirs.get(dir)?;
        // Held while parsing, so two roots calling one module parse it once.
        let mut cell = slot.parsed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(pd) = cell.as_ref() {
            return Some(pd.clone());
        }
        let pd = std::sync::Arc::new(self.parse(slot));
        if slot.shared {
            *cell = Some(pd.clone());
        }
        Some(pd)
    }

    fn parse(&self, slot: &Slot) -> ParsedDir {
        let mut files = Vec::with_capacity(slot.files.len());
        let mut errors = Vec::new();
        // A module's files are parsed and evaluated together, and a syntax tree takes about
        // 40 times its text: past the limit the directory is reported, not parsed.
        let bytes: u64 = slot
            .files
            .iter()
            .map(|&id| self.sources.get(id).text.len() as u64)
            .sum();
        let max = self.settings.limits.max_module_bytes;
        let over = bytes > max;
        if over {
            if let Some(&first) = slot.files.first() {
                errors.push(
                    Diagnostic::new(
                        Code::EKS903,
                        Level::Error,
                        Span::new(first, 0, 0),
                        format!(
                            "module directory `{}` holds {bytes} bytes of Terraform, more than \
                             the {max}-byte limit (EKS_LINT_MAX_MODULE_BYTES): it is not analysed",
                            match self.settings.display(slot.dir) {
                                d if d.is_empty() => ".".to_string(),
                                d => d,
                            }
                        ),
                    )
                    .with_key(format!("module-bytes/{}", slot.dir.display())),
                );
            }
        }
        for &id in slot.files.iter().filter(|_| !over) {
            let src = self.sources.get(id);
            let _crumb = crate::breadcrumb::enter(&src.display);
            match parse::parse_file(id, src, self.settings.limits.max_object_key_pairs) {
                Ok(pf) => files.push(pf),
                Err(d) => errors.push(*d),
            }
        }
        if !slot
            .reported
            .swap(true, std::sync::atomic::Ordering::SeqCst)
        {
            self.errors
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .extend(errors);
        }
        let mut edges: Vec<PathBuf> = files
            .iter()
            .flat_map(|pf| pf.body.get_blocks("module"))
            .filter_map(|b| b.body.get_attribute("source")?.value.as_str())
            .filter(|s| s.starts_with("./") || s.starts_with("../"))
            .map(|s| normalize(&slot.dir.join(s)))
            .collect();
        edges.sort();
        edges.dedup();
        ParsedDir {
            dir: slot.dir.to_path_buf(),
            files,
            edges,
        }
    }

    /// Parse the directories no root reached, only for their syntax errors.
    fn parse_unreached(&self) {
        let todo: Vec<&Slot> = self
            .dirs
            .values()
            .filter(|s| !s.reported.load(std::sync::atomic::Ordering::SeqCst))
            .collect();
        todo.par_iter().for_each(|s| {
            self.parse(s);
        });
    }

    fn take_errors(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// Modules downloaded by `terraform init` are read only through the calls that name them.
fn in_module_cache(dir: &Path) -> bool {
    dir.components().any(|c| c.as_os_str() == ".terraform")
}

/// Evaluate one module with its inputs and extract its clusters.
pub fn evaluate_module<'a>(
    m: &Module<'a>,
    inputs: HashMap<String, VarInput<'a>>,
    sources: &SourceMap,
) -> Loaded {
    let ev = Evaluator::new(m, inputs);
    let clusters = extract::Extractor::new(&ev, sources).run();
    Loaded {
        clusters,
        diagnostics: ev.take_diagnostics(),
        input_errors: ev.take_input_errors(),
        warnings: Vec::new(),
        node_pools: Vec::new(),
    }
}
