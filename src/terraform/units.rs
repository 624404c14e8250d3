//! Terragrunt units as root modules: which scanned module directory each unit runs, and the
//! variable values its `inputs` give (below every other source of values, as Terragrunt
//! passes them as `TF_VAR_` variables).

use super::eval::VarInput;
use super::module::Module;
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

/// What a unit gives the root module it runs.
pub struct Given {
    pub inputs: BTreeMap<String, Val>,
    /// The unit's directory, as shown: tells apart the clusters of units running one module.
    pub label: String,
}

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
            c.disambiguator = Some(format!("terragrunt unit {}", self.label));
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
    let units: Vec<terragrunt::Unit> = ids
        .par_iter()
        .map(|&id| terragrunt::unit(id, sources, access, &settings.limits, run))
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
        let ModuleSrc::Local(p) = u.module else {
            continue;
        };
        match by_canon.get(&p) {
            Some(d) => jobs.push((
                Given {
                    inputs: u.inputs,
                    label,
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
