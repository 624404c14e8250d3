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
//! `*_override.tf` merging; `dynamic` blocks other than `set`, `tag`, `launch_template`,
//! `launch_template_specification`, `override` and `scaling_config`; regular-expression
//! functions; provider-defined functions; ENIConfigs written as `kubectl_manifest` YAML.

pub mod calls;
pub mod eval;
pub mod extract;
pub mod funcs;
pub mod module;
pub mod parse;
pub mod registry;
pub mod value;

use crate::diag::{Diagnostic, Level};
use crate::frontend::Loaded;
use crate::settings::Settings;
use crate::source::{FileId, SourceMap, Span};
use eval::{Evaluator, VarInput};
use module::Module;
use parse::ParsedFile;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Resource types the extractor reads; modules with none of them are not evaluated.
const RELEVANT: &[&str] = &[
    "aws_subnet",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_autoscaling_group",
    "aws_eks_addon",
    "helm_release",
];

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
pub fn load(files: &[FileId], sources: &SourceMap, settings: &Settings) -> Loaded {
    let mut out = Loaded::default();
    // Parse everything once, in parallel.
    let parsed: Vec<(FileId, Result<ParsedFile, Box<Diagnostic>>)> = files
        .par_iter()
        .map(|&id| {
            let src = sources.get(id);
            let _crumb = crate::breadcrumb::enter(&src.display);
            let name = file_name(&src.path);
            let r = if name.ends_with(".tfvars.json") {
                // tfvars JSON is read as plain JSON later; only check syntax here.
                match serde_json::from_str::<serde_json::Value>(&src.text) {
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
                                "EKS903",
                                Level::Error,
                                Span::new(id, off, off),
                                format!("could not parse `{}`: {e}", src.display),
                            )
                            .with_key(format!("parse/{}", src.display)),
                        ))
                    }
                }
            } else if name.ends_with(".tfvars") {
                match hcl_edit::parser::parse_body(&src.text) {
                    Ok(body) => Ok(ParsedFile {
                        file: id,
                        body,
                        spans: parse::SpanMap::Direct,
                    }),
                    Err(e) => {
                        let off = e.location().offset().min(src.text.len());
                        Err(Box::new(
                            Diagnostic::new(
                                "EKS903",
                                Level::Error,
                                Span::new(id, off, off),
                                format!("could not parse `{}`: {}", src.display, e.message()),
                            )
                            .with_key(format!("parse/{}", src.display)),
                        ))
                    }
                }
            } else {
                parse::parse_file(id, src)
            };
            (id, r)
        })
        .collect();

    // Explicit var files (--var-file), matched by canonical path.
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let var_files: Vec<PathBuf> = settings.var_files.iter().map(|p| canon(p)).collect();

    let mut dirs: BTreeMap<PathBuf, Vec<&ParsedFile>> = BTreeMap::new();
    let mut tfvars: BTreeMap<PathBuf, Vec<&ParsedFile>> = BTreeMap::new();
    let mut explicit: Vec<Option<&ParsedFile>> = vec![None; var_files.len()];
    for (id, r) in &parsed {
        let src = sources.get(*id);
        let name = file_name(&src.path);
        let dir = src.path.parent().unwrap_or(Path::new("")).to_path_buf();
        match r {
            Err(d) => out.diagnostics.push((**d).clone()),
            Ok(pf) if is_tfvars(name) => {
                if !var_files.is_empty() {
                    let c = canon(&src.path);
                    for (i, vf) in var_files.iter().enumerate() {
                        if *vf == c {
                            explicit[i] = Some(pf);
                        }
                    }
                }
                if is_auto_tfvars(name) {
                    tfvars.entry(dir).or_default().push(pf);
                }
            }
            Ok(pf) => dirs.entry(dir).or_default().push(pf),
        }
    }
    // Directories whose files all failed to parse still exist as (empty) modules.
    let explicit: Vec<&ParsedFile> = explicit.into_iter().flatten().collect();

    // A module that another scanned module calls by local path is not a root module: it is
    // evaluated through the call (issue 4), not alone with its defaults.
    let called = called_dirs(&dirs);
    // Every module is indexed once; calls reuse the index (issue 4).
    let mut roots: Vec<PathBuf> = dirs
        .keys()
        .filter(|d| !called.contains(&normalize(d)) && !in_module_cache(d))
        .cloned()
        .collect();
    // Modules reachable only through a cycle of local calls still get analysed once.
    let edges = local_calls(&dirs);
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let visit = |start: &Path, seen: &mut std::collections::HashSet<PathBuf>| {
        let mut todo = vec![normalize(start)];
        while let Some(d) = todo.pop() {
            if seen.insert(d.clone()) {
                todo.extend(edges.get(&d).into_iter().flatten().cloned());
            }
        }
    };
    for r in &roots {
        visit(r, &mut seen);
    }
    for d in dirs.keys() {
        if !in_module_cache(d) && !seen.contains(&normalize(d)) {
            roots.push(d.clone());
            visit(d, &mut seen);
        }
    }
    let modules: HashMap<PathBuf, Module> = dirs
        .into_par_iter()
        .map(|(dir, files)| (normalize(&dir), Module::build(dir, files)))
        .collect();
    let evaluate = || -> Vec<Loaded> {
        roots
            .par_iter()
            .map(|dir| {
                let Some(m) = modules.get(&normalize(dir)) else {
                    return Loaded::default();
                };
                // Evaluation spans files: name the module directory.
                let _crumb = crate::breadcrumb::enter(dir);
                if m.calls.is_empty()
                    && !m
                        .resources
                        .iter()
                        .any(|r| r.mode == module::Mode::Managed && RELEVANT.contains(&r.ty))
                {
                    return Loaded::default();
                }
                let mut auto: Vec<&ParsedFile> = tfvars.get(dir).cloned().unwrap_or_default();
                auto.sort_by_key(|pf| auto_order(file_name(&sources.get(pf.file).path)));
                let inputs = root_inputs(m, &auto, &explicit, sources, settings);
                let root = calls::Root::new(&modules, sources, settings, dir);
                let ev = Evaluator::new(m, inputs).with_calls(calls::Calls::new(&root, &m.dir));
                let clusters = extract::Extractor::new(&ev, sources).run();
                let mut out = Loaded {
                    clusters,
                    diagnostics: ev.take_diagnostics(),
                };
                out.clusters.extend(root.clusters.take());
                out.diagnostics.extend(root.diags.take());
                out.diagnostics
                    .extend(root.unread_notes(out.clusters.len()));
                out
            })
            .collect()
    };
    // Evaluation recursion is bounded by `eval::MAX_DEPTH`; larger stacks keep that bound far
    // from the limit even in debug builds.
    let results = match rayon::ThreadPoolBuilder::new().stack_size(16 << 20).build() {
        Ok(pool) => pool.install(evaluate),
        Err(_) => evaluate(),
    };
    for r in results {
        out.extend(r);
    }
    out
}

/// Lexically normalised path (`a/b/../c` → `a/c`), for matching module sources.
fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Local module calls: directory → the directories it calls.
fn local_calls(dirs: &BTreeMap<PathBuf, Vec<&ParsedFile>>) -> HashMap<PathBuf, Vec<PathBuf>> {
    let mut out: HashMap<PathBuf, Vec<PathBuf>> = HashMap::new();
    for (dir, files) in dirs {
        for pf in files {
            for b in pf.body.get_blocks("module") {
                let Some(s) = b
                    .body
                    .get_attribute("source")
                    .and_then(|a| a.value.as_str())
                else {
                    continue;
                };
                if s.starts_with("./") || s.starts_with("../") {
                    out.entry(normalize(dir))
                        .or_default()
                        .push(normalize(&dir.join(s)));
                }
            }
        }
    }
    out
}

/// Directories called as local modules (`source = "./x"` or `"../x"`) by scanned modules.
fn called_dirs(dirs: &BTreeMap<PathBuf, Vec<&ParsedFile>>) -> std::collections::HashSet<PathBuf> {
    let mut out = std::collections::HashSet::new();
    for (dir, files) in dirs {
        for pf in files {
            for b in pf.body.get_blocks("module") {
                let Some(src) = b.body.get_attribute("source") else {
                    continue;
                };
                let Some(s) = src.value.as_str() else {
                    continue;
                };
                let target = normalize(&dir.join(s));
                // A module calling itself stays a root (the cycle is reported there).
                if (s.starts_with("./") || s.starts_with("../")) && target != normalize(dir) {
                    out.insert(target);
                }
            }
        }
    }
    out
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
) -> HashMap<String, VarInput<'a>> {
    let mut inputs: HashMap<String, VarInput<'a>> = HashMap::new();
    if settings.read_env_vars {
        for name in m.variables.keys() {
            if let Ok(v) = std::env::var(format!("TF_VAR_{name}")) {
                inputs.insert(name.to_string(), VarInput::Raw(v, "environment"));
            }
        }
    }
    for pf in auto.iter().chain(explicit) {
        let src = sources.get(pf.file);
        if src.display.ends_with(".json") {
            let Ok(serde_json::Value::Object(o)) = serde_json::from_str(&src.text) else {
                continue;
            };
            for (k, v) in o {
                if !m.variables.contains_key(k.as_str()) {
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
                inputs.insert(k, VarInput::Json(v, span));
            }
        } else {
            for attr in pf.body.attributes() {
                let k = attr.key.as_str();
                if m.variables.contains_key(k) {
                    inputs.insert(k.to_string(), VarInput::Expr(attr, pf));
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
        std::env::set_var("TF_VAR_ekslint_env_only", "env");
        std::env::set_var("TF_VAR_a", "env");
        let settings = Settings {
            vars: vec![("d".into(), "cli".into()), ("n".into(), "42".into())],
            ..Settings::default()
        };
        let inputs = root_inputs(
            &m,
            &[&parsed[1], &parsed[2]],
            &[&parsed[3]],
            &sources,
            &settings,
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
