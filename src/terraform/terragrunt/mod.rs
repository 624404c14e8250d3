//! Terragrunt units (issue 16): a `terragrunt.hcl` names the Terraform module it runs
//! (`terraform { source = ... }`, or its own directory without one) and sets that module's
//! variables with `inputs`, merged with the files it `include`s. Terragrunt passes inputs as
//! `TF_VAR_` environment variables, so tfvars files of the module and `--var`/`--var-file`
//! override them (<https://terragrunt.gruntwork.io/docs/features/inputs/>). The module is then
//! evaluated as a root module, named by the unit's directory.
//!
//! Sources: local paths, with `//` separating the directory Terragrunt copies from the module
//! inside it (<https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/#terraform>);
//! remote sources (`tfr://`, `git::`, URLs) are not read, which a note says.
//! Merging of included files follows `merge_strategy` (`shallow` by default, `deep`,
//! `deep_map_only`, `no_merge`); one level of includes, as Terragrunt allows.

pub mod config;

use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::source::{normalize, FileId, SourceMap};
use crate::terraform::value::{Val, V};
use config::{canonical, Config, Ctx, Merge, Shared};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name of a unit's configuration.
pub const UNIT_FILE: &str = "terragrunt.hcl";

/// Where a unit's Terraform code is.
#[derive(Debug, Clone)]
pub enum ModuleSrc {
    /// A local directory (canonical).
    Local(PathBuf),
    /// A module eks-lint models (terraform-aws-modules `eks`, `vpc`, node groups), from the
    /// registry (`tfr://`) or its git repository: run through that model.
    Registry {
        source: String,
        version: Option<String>,
        span: crate::source::Span,
    },
    /// Not read; the note says why.
    NotRead,
}

/// One evaluated unit.
pub struct Unit {
    pub file: FileId,
    /// The unit's directory (canonical).
    pub dir: PathBuf,
    pub module: ModuleSrc,
    /// The merged `inputs`.
    pub inputs: BTreeMap<String, Val>,
    /// The files it includes (configuration shared by units, not units themselves).
    pub included: Vec<FileId>,
    pub diagnostics: Vec<Diagnostic>,
    /// Configuration files its functions named that are not among the sources yet.
    pub wanted: Vec<PathBuf>,
}

pub fn is_unit_file(p: &Path) -> bool {
    p.file_name().is_some_and(|n| n == UNIT_FILE)
}

/// The files of `sources` units can include or read.
pub use config::index;

/// Evaluate the unit whose `terragrunt.hcl` is `id` (`index`: [`index`] of `sources`).
pub fn unit(
    id: FileId,
    sources: &SourceMap,
    index: &std::collections::HashMap<PathBuf, FileId>,
    access: &crate::access::Access,
    limits: &crate::limits::Limits,
    run: &crate::terraform::budget::RunBudget,
) -> Unit {
    let sh = Shared::new(sources, access, limits, run, index);
    let path = &sources.get(id).path;
    let dir = canonical(access, path.parent().unwrap_or(Path::new(".")));
    let ctx = Ctx {
        unit_dir: dir.clone(),
        file_dir: dir.clone(),
        include_dir: None,
        depth: 0,
    };
    let mut out = Unit {
        file: id,
        dir: dir.clone(),
        module: ModuleSrc::NotRead,
        inputs: BTreeMap::new(),
        included: Vec::new(),
        diagnostics: Vec::new(),
        wanted: Vec::new(),
    };
    if let Some(cfg) = sh.eval_file(id, &ctx, true) {
        out.included = cfg.parents.iter().map(|(p, _)| p.file).collect();
        // `skip = true` (the unit's, else an included file's): Terragrunt does not run it.
        let skip = cfg
            .skip
            .or_else(|| cfg.parents.iter().find_map(|(p, _)| p.skip));
        if skip == Some(true) {
            out.diagnostics = sh.diags.into_inner();
            out.wanted = sh.wanted.into_inner();
            return out;
        }
        let source = cfg
            .source
            .clone()
            .or_else(|| cfg.parents.iter().rev().find_map(|(p, _)| p.source.clone()));
        out.inputs = merged_inputs(cfg);
        // As for remote module calls: noted when it looks like EKS (the source or the inputs
        // say so); a repository's other units (databases, queues) stay quiet.
        let eks = |s: &str| {
            let s = s.to_ascii_lowercase();
            s.contains("eks") || s.contains("node_group") || s.contains("cluster_name")
        };
        let looks_eks = out.inputs.keys().any(|k| eks(k));
        out.module = match source {
            None => ModuleSrc::Local(dir.clone()),
            Some(v) => {
                let looks_eks = looks_eks || matches!(&v.v, V::Str(s) if eks(s));
                resolve_source(&v, &dir, access, &sh, &unit_name(sources, id), looks_eks)
            }
        };
    }
    out.diagnostics = sh.diags.into_inner();
    out.wanted = sh.wanted.into_inner();
    out
}

/// The unit's inputs over those of the files it includes: the unit's win, then the earlier
/// include's.
fn merged_inputs(cfg: Config) -> BTreeMap<String, Val> {
    let mut acc = cfg.inputs;
    for (p, how) in cfg.parents {
        if how != Merge::NoMerge {
            acc = merge(p.inputs, acc, how);
        }
    }
    acc
}

/// `over` laid over `base` with Terragrunt's merge strategy: shallow replaces top-level keys;
/// deep merges maps recursively and concatenates lists; deep_map_only merges maps only.
fn merge(
    mut base: BTreeMap<String, Val>,
    over: BTreeMap<String, Val>,
    how: Merge,
) -> BTreeMap<String, Val> {
    for (k, v) in over {
        let merged = match (base.remove(&k), how) {
            (Some(b), Merge::Deep | Merge::DeepMapOnly) => deep(b, v, how),
            (_, _) => v,
        };
        base.insert(k, merged);
    }
    base
}

fn deep(base: Val, over: Val, how: Merge) -> Val {
    match (base.v, over.v) {
        (V::Map(b), V::Map(o)) => Val {
            v: V::Map(merge(b, o, how)),
            ..Val::new(V::Null, over.span)
        },
        (V::List(mut b), V::List(o)) if how == Merge::Deep => {
            b.extend(o);
            Val {
                v: V::List(b),
                ..Val::new(V::Null, over.span)
            }
        }
        (_, v) => Val {
            v,
            span: over.span,
            via: over.via,
        },
    }
}

/// A source string as a local module directory, or a note for a source eks-lint does not
/// read.
fn resolve_source(
    v: &Val,
    dir: &Path,
    access: &crate::access::Access,
    sh: &Shared,
    unit: &str,
    looks_eks: bool,
) -> ModuleSrc {
    let note = |msg: String| {
        sh.diags.borrow_mut().push(
            Diagnostic::new(Code::EKS901, Level::Note, v.span, msg)
                .with_label("terragrunt source")
                .with_key(format!("terragrunt/source/{unit}")),
        );
        ModuleSrc::NotRead
    };
    let s = match &v.v {
        V::Str(s) => s,
        V::Unknown(u) => {
            return note(format!(
                "the module source of terragrunt unit `{unit}` is not known ({}): the unit is not checked",
                u.reason
            ))
        }
        _ => return note(format!("the module source of terragrunt unit `{unit}` is not a string: the unit is not checked")),
    };
    if let Some((source, version)) = registry_source(s) {
        return ModuleSrc::Registry {
            source,
            version,
            span: v.span,
        };
    }
    if is_remote(s) {
        if !looks_eks {
            return ModuleSrc::NotRead;
        }
        return note(format!(
            "terragrunt unit `{unit}` runs the remote module `{s}`, which eks-lint does not download: the unit is not checked"
        ));
    }
    let local = s.split('?').next().unwrap_or(s);
    // `../modules//eks`: Terragrunt copies `../modules` and runs in its `eks` directory.
    let local = local.replacen("//", "/", 1);
    let p = Path::new(&local);
    let full = if p.is_absolute() {
        p.to_path_buf()
    } else {
        dir.join(p)
    };
    ModuleSrc::Local(canonical(access, &normalize(&full)))
}

/// A source of a module eks-lint models, as a module block's `source` and `version`:
/// `tfr://HOST/NS/NAME/PROVIDER//SUB?version=V` (the host may be empty) or a git address.
fn registry_source(s: &str) -> Option<(String, Option<String>)> {
    let (source, version) = match s.strip_prefix("tfr://") {
        Some(rest) => {
            let path = match rest.strip_prefix('/') {
                Some(p) => p,
                None => rest.split_once('/')?.1,
            };
            match path.split_once("?version=") {
                Some((p, v)) => (
                    p.to_string(),
                    Some(v.split('&').next().unwrap_or(v).to_string()),
                ),
                None => (path.to_string(), None),
            }
        }
        None => (s.to_string(), None),
    };
    crate::terraform::registry::match_source(&source)?;
    Some((source, version))
}

/// `tfr://`, `git::…`, `github.com/…`, `s3::`, URLs: sources Terragrunt downloads.
fn is_remote(s: &str) -> bool {
    s.contains("::")
        || s.contains("://")
        || s.starts_with("git@")
        || s.starts_with("github.com/")
        || s.starts_with("bitbucket.org/")
}

/// Read the configuration files the units among `ids` name (`include`,
/// `read_terragrunt_config`) into `sources`, through the file-access policy, until no unit
/// names a new one (a few rounds: each file read can name further files).
pub fn prefetch(
    sources: &mut SourceMap,
    ids: &[FileId],
    settings: &crate::settings::Settings,
    access: &crate::access::Access,
) {
    const ROUNDS: usize = 4;
    let run = crate::terraform::budget::RunBudget::new(settings.limits.max_run_eval_steps);
    let mut tried: std::collections::HashSet<PathBuf> = Default::default();
    for _ in 0..ROUNDS {
        let idx = index(sources, access);
        let mut wanted: Vec<PathBuf> = ids
            .iter()
            .flat_map(|&id| unit(id, sources, &idx, access, &settings.limits, &run).wanted)
            .filter(|p| tried.insert(p.clone()))
            .collect();
        if wanted.is_empty() {
            return;
        }
        wanted.sort();
        wanted.dedup();
        for p in wanted {
            if (sources.len() as u64) >= settings.limits.max_files {
                return;
            }
            if let Ok(text) = access.read_text(&p) {
                let display = settings.display(&p);
                sources.add(crate::source::SourceFile::new(p, display, text));
            }
        }
    }
}

/// For messages: where a unit is.
pub fn unit_name(sources: &SourceMap, file: FileId) -> String {
    let d = &sources.get(file).display;
    match d.strip_suffix(UNIT_FILE) {
        Some("") => ".".into(),
        Some(dir) => dir.trim_end_matches('/').to_string(),
        None => d.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Span};

    fn val(v: V) -> Val {
        Val::new(v, Span::default())
    }

    #[test]
    fn merge_strategies() {
        let m = |pairs: &[(&str, Val)]| -> BTreeMap<String, Val> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect()
        };
        let list = |xs: &[&str]| {
            val(V::List(
                xs.iter().map(|x| val(V::Str(x.to_string()))).collect(),
            ))
        };
        let base = m(&[
            ("tags", val(V::Map(m(&[("a", val(V::Num(1.0)))])))),
            ("azs", list(&["a"])),
        ]);
        let over = m(&[
            ("tags", val(V::Map(m(&[("b", val(V::Num(2.0)))])))),
            ("azs", list(&["b"])),
        ]);
        let shallow = merge(base.clone(), over.clone(), Merge::Shallow);
        let V::Map(t) = &shallow["tags"].v else {
            panic!()
        };
        assert_eq!(t.len(), 1);
        let deep = merge(base.clone(), over.clone(), Merge::Deep);
        let V::Map(t) = &deep["tags"].v else { panic!() };
        assert_eq!(t.len(), 2);
        let V::List(l) = &deep["azs"].v else { panic!() };
        assert_eq!(l.len(), 2);
        let maps_only = merge(base, over, Merge::DeepMapOnly);
        let V::List(l) = &maps_only["azs"].v else {
            panic!()
        };
        assert_eq!(l.len(), 1);
    }

    #[test]
    fn sources_local_with_subdir_and_remote() {
        assert!(is_remote(
            "tfr:///terraform-aws-modules/eks/aws?version=20.0.0"
        ));
        assert!(is_remote("git::https://github.com/x/y.git//m?ref=v1"));
        assert!(!is_remote("../../modules//eks"));
        assert_eq!(
            registry_source("tfr:///terraform-aws-modules/eks/aws?version=20.8.0"),
            Some((
                "terraform-aws-modules/eks/aws".into(),
                Some("20.8.0".into())
            ))
        );
        assert_eq!(
            registry_source(
                "tfr://registry.terraform.io/terraform-aws-modules/vpc/aws?version=5.1.0"
            )
            .map(|x| x.0),
            Some("terraform-aws-modules/vpc/aws".into())
        );
        assert!(registry_source("tfr:///cloudposse/eks-cluster/aws?version=1.0.0").is_none());
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new(
            "/r/live/terragrunt.hcl".into(),
            "live/terragrunt.hcl".into(),
            "",
        ));
        let access = crate::access::Access::new(
            std::sync::Arc::new(crate::vfs::MemFs::new()),
            &[],
            &[],
            false,
        );
        let limits = crate::limits::Limits::DEFAULT;
        let run = crate::terraform::budget::RunBudget::new(1000);
        let idx = index(&sources, &access);
        let sh = Shared::new(&sources, &access, &limits, &run, &idx);
        let v = Val::str("../modules//eks?ref=x", Span::new(id, 0, 0));
        match resolve_source(&v, Path::new("/r/live"), &access, &sh, "live", true) {
            ModuleSrc::Local(p) => assert_eq!(p, PathBuf::from("/r/modules/eks")),
            _ => panic!("local"),
        }
    }
}
