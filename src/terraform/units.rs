//! Terragrunt units as root modules: which scanned module directory each unit runs, and the
//! variable values its `inputs` give (below every other source of values, as Terragrunt
//! passes them as `TF_VAR_` variables).

use super::eval::VarInput;
use super::module::Module;
use super::parse::ParsedFile;
use super::terragrunt::{self, config::canonical, ModuleSrc};
use super::value::Val;
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::frontend::Loaded;
use crate::model::Cluster;
use crate::settings::Settings;
use crate::source::{FileId, SourceMap, Span};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

/// What a Terragrunt unit or a terraspace environment gives the root module it runs.
pub struct Given {
    pub inputs: BTreeMap<String, Val>,
    /// Variables files loaded after the module's `terraform.tfvars` (terraspace layers).
    pub layers: Vec<FileId>,
    /// Tells apart the clusters of runs of one module: "terragrunt unit live/prod".
    pub label: String,
    /// A unit running a modelled registry module: the root is a call of it ([`registry_root`]).
    pub registry: Option<Registry>,
}

/// A Terragrunt unit's registry module (`tfr://…`, or the module's git repository).
pub struct Registry {
    pub file: FileId,
    pub source: String,
    pub version: Option<String>,
    pub span: Span,
}

/// The root module a Terragrunt unit running a registry module stands for: one call of the
/// module with every input, each through a variable (so the inputs keep their spans); its
/// own text maps to the unit's `source` line.
pub fn registry_root(r: &Registry, given: &Given) -> Option<ParsedFile> {
    let ident = |k: &str| {
        k.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && k.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && !META.contains(&k)
    };
    let keys: Vec<&str> = given
        .inputs
        .keys()
        .map(String::as_str)
        .filter(|k| ident(k))
        .collect();
    let mut text = String::new();
    for k in &keys {
        text.push_str(&format!("variable \"{k}\" {{}}\n"));
    }
    let quote = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    text.push_str(&format!(
        "module \"unit\" {{\n  source = {}\n",
        quote(&r.source)
    ));
    if let Some(v) = &r.version {
        text.push_str(&format!("  version = {}\n", quote(v)));
    }
    for k in &keys {
        text.push_str(&format!("  {k} = var.{k}\n"));
    }
    text.push_str("}\n");
    let body = super::parse::parse_hcl_body(&text, u64::MAX).ok()?;
    Some(ParsedFile {
        file: r.file,
        body,
        spans: super::parse::SpanMap::Fixed(r.span),
    })
}

/// Module-block arguments that are not inputs.
const META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

impl Given {
    /// The unit's inputs for the variables the module declares and nothing else sets.
    pub fn add_inputs<'a>(
        &self,
        m: &Module<'a>,
        inputs: &mut HashMap<String, VarInput<'a>>,
        _settings: &Settings,
    ) {
        for (k, v) in &self.inputs {
            if m.variables.contains_key(k.as_str()) && !inputs.contains_key(k) {
                inputs.insert(k.clone(), VarInput::Value(v.clone()));
            }
        }
    }

    pub fn label(&self, clusters: &mut [Cluster]) {
        for c in clusters {
            c.disambiguator = Some(self.label.clone());
        }
    }
}

/// Evaluate the units among `ids` (not the files other units include) and pair each with the
/// scanned module directory it runs; the others get a note saying why they are not checked.
pub fn collect(
    ids: &[FileId],
    dirs: &BTreeMap<PathBuf, Vec<FileId>>,
    sources: &SourceMap,
    settings: &Settings,
    access: &crate::access::Access,
    run: &super::budget::RunBudget,
    out: &mut Loaded,
) -> Vec<(Given, PathBuf)> {
    if ids.is_empty() {
        return Vec::new();
    }
    let index = terragrunt::index(sources, access);
    let units: Vec<terragrunt::Unit> = ids
        .par_iter()
        .map(|&id| terragrunt::unit(id, sources, &index, access, &settings.limits, run))
        .collect();
    let included: HashSet<FileId> = units.iter().flat_map(|u| u.included.clone()).collect();
    let by_canon: HashMap<PathBuf, &PathBuf> =
        dirs.keys().map(|d| (canonical(access, d), d)).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut jobs = Vec::new();
    for u in units.into_iter().filter(|u| !included.contains(&u.file)) {
        let label = terragrunt::unit_name(sources, u.file);
        for d in u.diagnostics {
            if seen.insert(d.key.clone()) {
                out.diagnostics.push(d);
            }
        }
        let p = match u.module {
            ModuleSrc::Local(p) => p,
            ModuleSrc::Registry {
                source,
                version,
                span,
            } => {
                jobs.push((
                    Given {
                        inputs: u.inputs,
                        layers: Vec::new(),
                        label: format!("terragrunt unit {label}"),
                        registry: Some(Registry {
                            file: u.file,
                            source,
                            version,
                            span,
                        }),
                    },
                    u.dir.clone(),
                ));
                continue;
            }
            ModuleSrc::NotRead => continue,
        };
        match by_canon.get(&p) {
            Some(d) => jobs.push((
                Given {
                    inputs: u.inputs,
                    layers: Vec::new(),
                    label: format!("terragrunt unit {label}"),
                    registry: None,
                },
                (*d).clone(),
            )),
            // A directory with only `terragrunt.hcl` and no source: configuration shared by
            // units (a root `terragrunt.hcl`), nothing to run.
            None if p == u.dir => {}
            None => out.diagnostics.push(
                Diagnostic::new(
                    Code::EKS901,
                    Level::Note,
                    Span::new(u.file, 0, 0),
                    format!(
                        "terragrunt unit `{label}` runs the module in `{}`, which holds no scanned Terraform files: the unit is not checked",
                        settings.display(&p)
                    ),
                )
                .with_label("terragrunt source")
                .with_key(format!("terragrunt/module/{label}")),
            ),
        }
    }
    jobs
}

/// terraspace stacks (`app/stacks/NAME`) with layered variables files
/// (<https://terraspace.cloud/docs/tfvars/layering/>, `.../full-layering/`): `base.tfvars`,
/// then `ENV.tfvars` for each environment (`TS_ENV`) a layer directory has, from
/// `config/terraform/tfvars` (project-wide), `app/stacks/NAME/tfvars` and
/// `config/stacks/NAME/tfvars`, in that order. One run per environment (one with the base
/// layers alone when no environment has a file).
pub fn terraspace(
    roots: &[&PathBuf],
    tfvars: &[FileId],
    sources: &SourceMap,
) -> Vec<(Given, PathBuf)> {
    let mut out = Vec::new();
    for &root in roots {
        let norm = crate::source::normalize(root);
        let comps: Vec<&std::ffi::OsStr> = norm.iter().collect();
        let n = comps.len();
        if n < 3 || comps[n - 3] != "app" || comps[n - 2] != "stacks" {
            continue;
        }
        let name = comps[n - 1];
        let project: PathBuf = comps[..n - 3].iter().collect();
        let layer_dirs = [
            project.join("config/terraform/tfvars"),
            norm.join("tfvars"),
            project.join("config/stacks").join(name).join("tfvars"),
        ];
        // (layer index, stem, file)
        let mut found: Vec<(usize, String, FileId)> = Vec::new();
        for &id in tfvars {
            let p = crate::source::normalize(&sources.get(id).path);
            let Some(i) = layer_dirs
                .iter()
                .position(|d| p.parent() == Some(d.as_path()))
            else {
                continue;
            };
            let file = p.file_name().and_then(|f| f.to_str()).unwrap_or("");
            let stem = file
                .strip_suffix(".tfvars.json")
                .or_else(|| file.strip_suffix(".tfvars"))
                .unwrap_or(file);
            found.push((i, stem.to_string(), id));
        }
        if found.is_empty() {
            continue;
        }
        found.sort();
        let mut envs: Vec<&str> = found
            .iter()
            .map(|(_, s, _)| s.as_str())
            .filter(|s| *s != "base")
            .collect();
        envs.sort_unstable();
        envs.dedup();
        let stack = name.to_string_lossy();
        let layers = |env: Option<&str>| -> Vec<FileId> {
            let mut v: Vec<FileId> = Vec::new();
            for i in 0..layer_dirs.len() {
                for want in ["base"].into_iter().chain(env) {
                    v.extend(
                        found
                            .iter()
                            .filter(|(li, s, _)| *li == i && s == want)
                            .map(|(_, _, id)| *id),
                    );
                }
            }
            v
        };
        let runs: Vec<Option<&str>> = if envs.is_empty() {
            vec![None]
        } else {
            envs.into_iter().map(Some).collect()
        };
        for env in runs {
            out.push((
                Given {
                    inputs: BTreeMap::new(),
                    registry: None,
                    layers: layers(env),
                    label: match env {
                        Some(e) => format!("terraspace stack {stack}, TS_ENV={e}"),
                        None => format!("terraspace stack {stack}"),
                    },
                },
                root.clone(),
            ));
        }
    }
    out
}
