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
//! functions; ENIConfigs written as `kubectl_manifest` YAML.

pub mod budget;
pub mod cache;
pub mod calls;
pub mod eval;
pub mod extract;
pub mod funcs;
pub mod module;
pub mod outputs;
pub mod parse;
pub mod registry;
pub mod root;
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

fn is_tfvars(name: &str) -> bool {
    name.ends_with(".tfvars") || name.ends_with(".tfvars.json")
}

/// Loaded automatically by Terraform from the module directory.
fn is_auto_tfvars(name: &str) -> bool {
    name == "terraform.tfvars"
        || name == "terraform.tfvars.json"
        || name.ends_with(".auto.tfvars")
        || name.ends_with(".auto.tfvars.json")
}

fn file_name(p: &Path) -> &str {
    p.file_name().and_then(|n| n.to_str()).unwrap_or("")
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

    let mut dirs: BTreeMap<PathBuf, Vec<FileId>> = BTreeMap::new();
    let mut tfvar_ids: Vec<FileId> = Vec::new();
    for &id in files {
        let src = sources.get(id);
        if is_tfvars(file_name(&src.path)) {
            tfvar_ids.push(id);
        } else {
            let dir = src.path.parent().unwrap_or(Path::new("")).to_path_buf();
            dirs.entry(dir).or_default().push(id);
        }
    }
    // Variable files are small: parse them all up front (every one gets its syntax checked).
    let tfvars: Vec<(FileId, Result<ParsedFile, Box<Diagnostic>>)> = tfvar_ids
        .par_iter()
        .map(|&id| (id, parse_tfvars(id, sources, &settings.limits)))
        .collect();
    let mut auto: BTreeMap<PathBuf, Vec<&ParsedFile>> = BTreeMap::new();
    let mut explicit: Vec<Option<&ParsedFile>> = vec![None; var_files.len()];
    for (id, r) in &tfvars {
        let src = sources.get(*id);
        let name = file_name(&src.path);
        if name.ends_with(".json") && crate::access::sops_encrypted(&src.text) {
            out.diagnostics.push(
                Diagnostic::new(
                    Code::EKS901,
                    Level::Note,
                    Span::new(*id, 0, 0),
                    format!(
                        "`{}` is encrypted (SOPS): the variables it sets are unknown",
                        src.display
                    ),
                )
                .with_label("encrypted")
                .with_key(format!("encrypted/{}", src.display)),
            );
        }
        match r {
            Err(d) => out.diagnostics.push((**d).clone()),
            Ok(pf) => {
                if !var_files.is_empty() {
                    let c = canon(&src.path);
                    for (i, vf) in var_files.iter().enumerate() {
                        if *vf == c {
                            explicit[i] = Some(pf);
                        }
                    }
                }
                if is_auto_tfvars(name) {
                    let dir = src.path.parent().unwrap_or(Path::new("")).to_path_buf();
                    auto.entry(dir).or_default().push(pf);
                }
            }
        }
    }
    let explicit: Vec<&ParsedFile> = explicit.into_iter().flatten().collect();

    // A module that another scanned module calls by local path is not a root module: it is
    // evaluated through the call (issue 4), not alone with its defaults. Which directories
    // are called is first predicted from the `source` lines (without parsing), then checked
    // against the parsed module blocks below.
    let predicted: std::collections::HashSet<PathBuf> = dirs
        .par_iter()
        .flat_map_iter(|(dir, ids)| {
            let own = normalize(dir);
            ids.iter()
                .flat_map(|&id| crate::discover::callers::local_sources(&sources.get(id).text))
                .map(|s| normalize(&dir.join(s)))
                // A module calling itself stays a root (the cycle is reported there).
                .filter(|t| *t != own)
                .collect::<Vec<_>>()
        })
        .collect();
    let slots = Slots::new(&dirs, &predicted, sources, settings);
    let is_root = |d: &Path| !predicted.contains(&normalize(d)) && !in_module_cache(d);
    let roots: Vec<&PathBuf> = dirs.keys().filter(|d| is_root(d)).collect();

    let run = |dir: &Path| -> RootRun {
        let mut auto_files: Vec<&ParsedFile> = auto.get(dir).cloned().unwrap_or_default();
        auto_files.sort_by_key(|pf| auto_order(file_name(&sources.get(pf.file).path)));
        let cache = caches.get(&normalize(dir)).cloned().unwrap_or_default();
        evaluate_root(dir, &slots, cache, &auto_files, &explicit, &shared)
    };
    // On the caller's thread pool (the CLI's gives its threads large stacks: evaluation
    // recursion is bounded by `eval::MAX_DEPTH`, see `crate::STACK_SIZE`).
    let mut runs: Vec<RootRun> = roots.par_iter().map(|d| run(d)).collect();
    // Modules reachable only through a cycle of local calls (or called by a module no root
    // reaches) still get analysed once, as roots, in directory order.
    let mut seen: std::collections::HashSet<PathBuf> = runs
        .iter()
        .flat_map(|r| r.reached.iter().map(|(d, _)| d.clone()))
        .collect();
    for d in dirs.keys() {
        if !in_module_cache(d) && !seen.contains(&normalize(d)) {
            let r = run(d);
            seen.extend(r.reached.iter().map(|(d, _)| d.clone()));
            runs.push(RootRun { wave2: true, ..r });
        }
    }
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
    /// The document of `Shared::plans` this root evaluated with.
    plan: Option<usize>,
}

fn evaluate_root(
    dir: &Path,
    slots: &Slots,
    cache: HashMap<String, PathBuf>,
    auto: &[&ParsedFile],
    explicit: &[&ParsedFile],
    shared: &Shared,
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
        plan: None,
    };
    let Some(root) = slots.get(&norm) else {
        return run;
    };
    // Which `--var` names this root declares, relevant to EKS or not.
    run.declared_vars = settings
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
        .collect();
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
    let inputs = root_inputs(m, auto, explicit, sources, settings, &mut warnings);
    let mut root = root::Root::new(&modules, sources, settings, cache, access, run_budget);
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
    for f in &found {
        // VPC CNI settings that reached no cluster: say so rather than drop them silently.
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
    let mut out = Loaded {
        clusters: extract::settle_root(found),
        diagnostics: ev.take_diagnostics(),
        input_errors: ev.take_input_errors(),
        warnings,
        node_pools: exported.node_pools,
    };
    out.node_pools.extend(root.node_pools.take());
    out.diagnostics.extend(root.diags.take());
    crate::plan::fill::apply(&mut out, root.plan, &root.unread.borrow());
    out.diagnostics
        .extend(root.unread_notes(out.clusters.len()));
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

/// Parse a `.tfvars` (HCL attributes) or `.tfvars.json` file; JSON is read as plain JSON
/// later, so only its syntax is checked here.
fn parse_tfvars(
    id: FileId,
    sources: &SourceMap,
    limits: &crate::limits::Limits,
) -> Result<ParsedFile, Box<Diagnostic>> {
    let src = sources.get(id);
    let _crumb = crate::breadcrumb::enter(&src.display);
    if file_name(&src.path).ends_with(".tfvars.json") {
        return match serde_json::from_str::<serde_json::Value>(&src.text) {
            Ok(_) => Ok(ParsedFile {
                file: id,
                body: hcl_edit::structure::Body::new(),
                spans: parse::SpanMap::Direct,
            }),
            Err(e) => {
                let off = src
                    .line_start(e.line() as u32)
                    .map_or(0, |s| s + e.column().saturating_sub(1));
                Err(Box::new(
                    Diagnostic::new(
                        Code::EKS903,
                        Level::Error,
                        Span::new(id, off, off),
                        format!("could not parse `{}`: {e}", src.display),
                    )
                    .with_key(format!("parse/{}", src.display)),
                ))
            }
        };
    }
    match parse::parse_hcl_body(&src.text, limits.max_object_key_pairs) {
        Ok(body) => Ok(ParsedFile {
            file: id,
            body,
            spans: parse::SpanMap::Direct,
        }),
        Err(e) => {
            let off = e.offset().min(src.text.len());
            Err(Box::new(
                Diagnostic::new(
                    Code::EKS903,
                    Level::Error,
                    Span::new(id, off, off),
                    format!("could not parse `{}`: {}", src.display, e.message()),
                )
                .with_key(format!("parse/{}", src.display)),
            ))
        }
    }
}

/// Modules downloaded by `terraform init` are read only through the calls that name them.
fn in_module_cache(dir: &Path) -> bool {
    dir.components().any(|c| c.as_os_str() == ".terraform")
}

/// Terraform loads terraform.tfvars, then terraform.tfvars.json, then *.auto.tfvars(.json)
/// in lexical order.
fn auto_order(name: &str) -> (u8, String) {
    match name {
        "terraform.tfvars" => (0, String::new()),
        "terraform.tfvars.json" => (1, String::new()),
        n => (2, n.to_string()),
    }
}

/// Variable inputs of a root module in Terraform's precedence order (later wins): environment
/// `TF_VAR_*`, auto-loaded tfvars, `--var-file` in order, `--var` in order.
fn root_inputs<'a>(
    m: &Module<'a>,
    auto: &[&'a ParsedFile],
    explicit: &[&'a ParsedFile],
    sources: &SourceMap,
    settings: &Settings,
    warnings: &mut Vec<String>,
) -> HashMap<String, VarInput<'a>> {
    // Terraform warns about a value for an undeclared variable in a variables file.
    let mut undeclared = |file: &str, k: &str| {
        warnings.push(format!(
            "{file}: a value for `{k}`, which the root module does not declare (Terraform \
             warns and ignores it)"
        ))
    };
    let mut inputs: HashMap<String, VarInput<'a>> = HashMap::new();
    for name in m.variables.keys() {
        if let Some(v) = settings.env_vars.get(*name) {
            inputs.insert(name.to_string(), VarInput::Raw(v.clone(), "environment"));
        }
    }
    for pf in auto.iter().chain(explicit) {
        let src = sources.get(pf.file);
        if src.display.ends_with(".json") {
            let Ok(serde_json::Value::Object(o)) = serde_json::from_str(&src.text) else {
                continue;
            };
            let encrypted = o.contains_key("sops") && crate::access::sops_encrypted(&src.text);
            for (k, v) in o {
                if !m.variables.contains_key(k.as_str()) {
                    undeclared(&src.display, &k);
                    continue;
                }
                let needle = format!("\"{k}\"");
                let span = match src.text.find(&needle) {
                    Some(p) => {
                        let end = src.text[p..].find('\n').map_or(src.text.len(), |e| p + e);
                        Span::new(pf.file, p, end)
                    }
                    None => Span::new(pf.file, 0, 0),
                };
                if encrypted {
                    let why = format!("it comes from `{}`, encrypted with SOPS", src.display);
                    inputs.insert(k, VarInput::Value(value::Val::unknown(why, span)));
                } else {
                    inputs.insert(k, VarInput::Json(v, span));
                }
            }
        } else {
            for attr in pf.body.attributes() {
                let k = attr.key.as_str();
                if m.variables.contains_key(k) {
                    inputs.insert(k.to_string(), VarInput::Expr(attr, pf));
                } else {
                    undeclared(&src.display, k);
                }
            }
        }
    }
    for (k, v) in &settings.vars {
        if m.variables.contains_key(k.as_str()) {
            inputs.insert(k.clone(), VarInput::Raw(v.clone(), "--var"));
        }
    }
    inputs
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    /// Precedence (later wins): default < TF_VAR_* < terraform.tfvars < *.auto.tfvars <
    /// --var-file < --var.
    #[test]
    fn variable_precedence_follows_terraform() {
        let mut sources = SourceMap::new();
        let mut add = |name: &str, text: &str| {
            sources.add(SourceFile::new(
                PathBuf::from(format!("m/{name}")),
                format!("m/{name}"),
                text,
            ))
        };
        let decl = "variable \"a\" { default = \"default\" }\nvariable \"b\" { default = \"default\" }\nvariable \"c\" { default = \"default\" }\nvariable \"d\" { default = \"default\" }\nvariable \"ekslint_env_only\" { default = \"default\" }\nvariable \"n\" {\n type = number\n}\n";
        let main = add("main.tf", decl);
        let tfvars = add(
            "terraform.tfvars",
            "a = \"tfvars\"\nb = \"tfvars\"\nc = \"tfvars\"\nd = \"tfvars\"\n",
        );
        let auto = add(
            "x.auto.tfvars",
            "b = \"auto\"\nc = \"auto\"\nd = \"auto\"\n",
        );
        let explicit = add("prod.tfvars", "c = \"file\"\nd = \"file\"\n");
        let parsed: Vec<ParsedFile> = [main, tfvars, auto, explicit]
            .iter()
            .map(|&id| ParsedFile {
                file: id,
                body: hcl_edit::parser::parse_body(&sources.get(id).text).unwrap(),
                spans: parse::SpanMap::Direct,
            })
            .collect();
        let m = Module::build("m".into(), vec![&parsed[0]]);
        let settings = Settings {
            env_vars: [("ekslint_env_only", "env"), ("a", "env")]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .into(),
            vars: vec![("d".into(), "cli".into()), ("n".into(), "42".into())],
            ..Settings::default()
        };
        let inputs = root_inputs(
            &m,
            &[&parsed[1], &parsed[2]],
            &[&parsed[3]],
            &sources,
            &settings,
            &mut Vec::new(),
        );
        let ev = Evaluator::new(&m, inputs);
        let get = |n: &str| ev.var(n, Span::default()).v;
        use value::V;
        assert_eq!(get("a"), V::Str("tfvars".into()));
        assert_eq!(get("b"), V::Str("auto".into()));
        assert_eq!(get("c"), V::Str("file".into()));
        assert_eq!(get("d"), V::Str("cli".into()));
        assert_eq!(get("ekslint_env_only"), V::Str("env".into()));
        assert_eq!(
            get("n"),
            V::Num(42.0),
            "--var values convert to the declared type"
        );
        // The tfvars line is in the chain of a value that came from there.
        let b = ev.var("b", Span::default());
        assert_eq!(sources.get(b.span.file).display, "m/x.auto.tfvars");
    }
}
