//! One Terragrunt configuration file evaluated: its `locals`, `inputs`, `terraform { source }`,
//! `include` and `dependency` blocks, with Terragrunt's functions
//! (<https://terragrunt.gruntwork.io/docs/reference/built-in-functions/>) answered by the
//! evaluator's [`Resolver`]. Terraform's own functions work as in a module.
//!
//! Functions are evaluated in the context of the unit (the directory of the `terragrunt.hcl`
//! Terragrunt runs), also inside an included file, as Terragrunt does. Whatever Terragrunt
//! learns only when it runs (the environment, AWS credentials, commands, a dependency's
//! outputs) is unknown with that reason.

use crate::access::Access;
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::source::{normalize, FileId, SourceMap, Span};
use crate::terraform::budget::{Budget, RunBudget};
use crate::terraform::eval::{Evaluator, Resolver, Scope};
use crate::terraform::module::Module;
use crate::terraform::parse::{self, ParsedFile};
use crate::terraform::value::{InstRef, Val, V};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// `read_terragrunt_config` nesting, and configuration files read per unit.
const MAX_DEPTH: u32 = 4;
const MAX_READS: u32 = 64;

/// How an included file's values are merged into the unit's (`merge_strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merge {
    Shallow,
    Deep,
    DeepMapOnly,
    NoMerge,
}

/// One file's evaluated configuration.
pub struct Config {
    pub file: FileId,
    pub inputs: BTreeMap<String, Val>,
    pub source: Option<Val>,
    /// `skip`, when set to a known bool: with `true` Terragrunt does not run the unit.
    pub skip: Option<bool>,
    /// Included files (one level, as Terragrunt allows) with their merge strategy.
    pub parents: Vec<(Config, Merge)>,
}

/// What every file of one unit's evaluation shares.
pub struct Shared<'r> {
    pub sources: &'r SourceMap,
    pub access: &'r Access,
    pub limits: &'r crate::limits::Limits,
    pub run: &'r RunBudget,
    /// Canonical path → file, for the configuration files in `sources` ([`index`]).
    by_path: &'r HashMap<PathBuf, FileId>,
    /// Files a function named that are not among `sources` (read by the caller, then asked
    /// again).
    pub wanted: RefCell<Vec<PathBuf>>,
    pub diags: RefCell<Vec<Diagnostic>>,
    budget: Budget,
    reads: Cell<u32>,
}

impl<'r> Shared<'r> {
    pub fn new(
        sources: &'r SourceMap,
        access: &'r Access,
        limits: &'r crate::limits::Limits,
        run: &'r RunBudget,
        by_path: &'r HashMap<PathBuf, FileId>,
    ) -> Self {
        Shared {
            sources,
            access,
            limits,
            run,
            by_path,
            wanted: RefCell::default(),
            diags: RefCell::default(),
            budget: Budget::for_limits(limits),
            reads: Cell::new(0),
        }
    }

    /// The file at `path` (canonical), if read; otherwise it is wanted when the policy lets
    /// it be read.
    pub fn file(&self, path: &Path) -> Option<FileId> {
        if let Some(&id) = self.by_path.get(path) {
            return Some(id);
        }
        if self.access.is_file(path) {
            self.wanted.borrow_mut().push(path.to_path_buf());
        }
        None
    }

    fn note(&self, key: String, span: Span, msg: String) {
        let mut d = self.diags.borrow_mut();
        if !d.iter().any(|x| x.key == key) {
            d.push(
                Diagnostic::new(Code::EKS901, Level::Note, span, msg)
                    .with_label("terragrunt")
                    .with_key(key),
            );
        }
    }

    /// Evaluate the configuration file `id` in the unit's context; the top file (`top`) also
    /// reads the files it includes.
    pub fn eval_file(&self, id: FileId, ctx: &Ctx, top: bool) -> Option<Config> {
        let src = self.sources.get(id);
        let pf = match self.parsed(id) {
            Ok(pf) => pf,
            Err(d) => {
                self.diags.borrow_mut().push(*d);
                return None;
            }
        };
        let m = Module::build(ctx.file_dir.clone(), vec![&pf]);
        let res = TgResolver::new(self, ctx);
        let ev = Evaluator::new(&m, HashMap::new()).with_resolver(&res);
        let sc = Scope::new(&pf);
        let mut deps = dependencies(&ev, &pf, &sc, &src.display);
        let mut parents = Vec::new();
        if top {
            let mut exposed = BTreeMap::new();
            for b in pf.body.get_blocks("include") {
                let Some(p) = b.body.get_attribute("path") else {
                    continue;
                };
                let pv = ev.eval(&p.value, &sc);
                let V::Str(path) = &pv.v else {
                    self.note(
                        format!("terragrunt/include/{}/{}", id.0, pv.span.start),
                        pv.span,
                        format!(
                            "the path of this include is not known ({}): what it sets is not read",
                            reason(&pv)
                        ),
                    );
                    continue;
                };
                let full = canonical(self.access, &ctx.unit_dir.join(path));
                let Some(pid) = self.file(&full) else {
                    if !self.wanted.borrow().contains(&full) {
                        self.note(
                            format!("terragrunt/include/{}", full.display()),
                            pv.span,
                            format!("the included file `{path}` is not read (missing, or outside the scanned paths): what it sets is unknown"),
                        );
                    }
                    continue;
                };
                if pid == id {
                    self.note(
                        format!("terragrunt/include-self/{}", id.0),
                        pv.span,
                        "this file includes itself: the include is ignored".into(),
                    );
                    continue;
                }
                let merge = merge_strategy(&ev, b, &sc);
                let dir = full.parent().map(Path::to_path_buf).unwrap_or_default();
                let label = b.labels.first().map_or("", |l| l.as_str()).to_string();
                res.parent_dirs.borrow_mut().push((label, dir.clone()));
                let pctx = Ctx {
                    file_dir: dir.clone(),
                    include_dir: Some(dir),
                    ..ctx.clone()
                };
                if let Some((cfg, locals, pdeps)) = self.eval_parent(pid, &pctx) {
                    let label = b.labels.first().map(|l| l.as_str().to_string());
                    let obj = object([("locals", locals), ("inputs", map_val(&cfg.inputs))]);
                    match label {
                        Some(l) => {
                            exposed.insert(l, obj);
                        }
                        // `include { ... }` without a label: `include.locals`.
                        None => {
                            if let V::Map(o) = obj.v {
                                exposed.extend(o);
                            }
                        }
                    }
                    if merge != Merge::NoMerge {
                        for (k, v) in pdeps {
                            deps.entry(k).or_insert(v);
                        }
                    }
                    parents.push((cfg, merge));
                }
            }
            *res.include.borrow_mut() = Some(Val::new(V::Map(exposed), Span::new(id, 0, 0)));
        }
        *res.deps.borrow_mut() = deps;
        let inputs = match pf.body.get_attribute("inputs") {
            None => BTreeMap::new(),
            Some(a) => match ev.eval(&a.value, &sc) {
                Val { v: V::Map(o), .. } => o,
                v => {
                    self.note(
                        format!("terragrunt/inputs/{}", id.0),
                        v.span,
                        format!(
                            "the inputs of `{}` are not known ({}): the variables they set are unknown",
                            src.display,
                            reason(&v)
                        ),
                    );
                    BTreeMap::new()
                }
            },
        };
        let source = pf
            .body
            .get_blocks("terraform")
            .filter_map(|b| b.body.get_attribute("source"))
            .last()
            .map(|a| ev.eval(&a.value, &sc));
        let skip = pf
            .body
            .get_attribute("skip")
            .and_then(|a| match ev.eval(&a.value, &sc).v {
                V::Bool(b) => Some(b),
                _ => None,
            });
        self.diags.borrow_mut().extend(ev.take_diagnostics());
        Some(Config {
            file: id,
            inputs,
            source,
            skip,
            parents,
        })
    }

    /// An included file: its configuration, its locals (for `include.<label>.locals`) and its
    /// dependencies (merged into the unit's).
    fn eval_parent(&self, id: FileId, ctx: &Ctx) -> Option<(Config, Val, BTreeMap<String, Val>)> {
        let (locals, deps) = self.locals_and_deps(id, ctx)?;
        let cfg = self.eval_file(id, ctx, false)?;
        Some((cfg, locals, deps))
    }

    /// `read_terragrunt_config(path)`: the file's `locals`, `inputs` and `dependency` outputs.
    fn read_config(&self, path: &Path, ctx: &Ctx, span: Span) -> Val {
        if ctx.depth >= MAX_DEPTH || self.reads.get() >= MAX_READS {
            return Val::unknown(
                format!("`read_terragrunt_config` nested deeper than {MAX_DEPTH} or more than {MAX_READS} files read for one unit"),
                span,
            );
        }
        self.reads.set(self.reads.get() + 1);
        let Some(id) = self.file(path) else {
            return Val::unknown(
                format!(
                    "`{}` is not read (missing, or outside the scanned paths)",
                    path.display()
                ),
                span,
            );
        };
        let sub = Ctx {
            file_dir: path.parent().map(Path::to_path_buf).unwrap_or_default(),
            depth: ctx.depth + 1,
            ..ctx.clone()
        };
        let Some((locals, deps)) = self.locals_and_deps(id, &sub) else {
            return Val::unknown(format!("`{}` does not parse", path.display()), span);
        };
        let inputs = self
            .eval_file(id, &sub, false)
            .map_or_else(BTreeMap::new, |c| c.inputs);
        let mut v = object([
            ("locals", locals),
            ("inputs", map_val(&inputs)),
            ("dependency", Val::new(V::Map(deps), span)),
        ]);
        v.span = span;
        v
    }

    /// File `id` parsed, or its syntax error (EKS903 at its location).
    fn parsed(&self, id: FileId) -> Result<ParsedFile, Box<Diagnostic>> {
        let src = self.sources.get(id);
        match parse::parse_hcl_body(&src.text, self.limits.max_object_key_pairs) {
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

    /// Every local of a file, evaluated, and its dependency blocks.
    fn locals_and_deps(&self, id: FileId, ctx: &Ctx) -> Option<(Val, BTreeMap<String, Val>)> {
        let src = self.sources.get(id);
        let pf = self.parsed(id).ok()?;
        let m = Module::build(ctx.file_dir.clone(), vec![&pf]);
        let res = TgResolver::new(self, ctx);
        let ev = Evaluator::new(&m, HashMap::new()).with_resolver(&res);
        let sc = Scope::new(&pf);
        let deps = dependencies(&ev, &pf, &sc, &src.display);
        *res.deps.borrow_mut() = deps.clone();
        let mut names: Vec<&str> = m.locals.keys().copied().collect();
        names.sort_unstable();
        let locals: BTreeMap<String, Val> = names
            .into_iter()
            .map(|n| (n.to_string(), ev.local(n, Span::new(id, 0, 0))))
            .collect();
        Some((Val::new(V::Map(locals), Span::new(id, 0, 0)), deps))
    }
}

/// Canonical path → file, for the Terragrunt configuration files (`*.hcl`) in `sources`:
/// built once for all the units of a run.
pub fn index(sources: &SourceMap, access: &Access) -> HashMap<PathBuf, FileId> {
    sources
        .files()
        .filter(|(_, f)| f.path.extension().is_some_and(|e| e == "hcl"))
        .map(|(id, f)| (canonical(access, &f.path), id))
        .collect()
}

/// The unit a file is evaluated for.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// The directory of the unit's `terragrunt.hcl` (canonical).
    pub unit_dir: PathBuf,
    /// The directory of the file being evaluated.
    pub file_dir: PathBuf,
    /// The directory of the included file being evaluated, if it is one.
    pub include_dir: Option<PathBuf>,
    pub depth: u32,
}

/// `dependency "name" { config_path = ... }` blocks: their outputs exist only once the other
/// unit is applied, so they are unknown; `mock_outputs` are placeholders for `plan`, not
/// values (<https://terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/#dependency>).
fn dependencies(ev: &Evaluator, pf: &ParsedFile, sc: &Scope, file: &str) -> BTreeMap<String, Val> {
    let mut out = BTreeMap::new();
    for b in pf.body.get_blocks("dependency") {
        let Some(name) = b.labels.first().map(|l| l.as_str().to_string()) else {
            continue;
        };
        let span = ev.span(sc, b);
        let span = Span {
            end: span.start + b.ident.as_str().len() as u32,
            ..span
        };
        let path = b
            .body
            .get_attribute("config_path")
            .map(|a| ev.eval(&a.value, sc))
            .and_then(|v| match v.v {
                V::Str(s) => Some(s),
                _ => None,
            })
            .unwrap_or_else(|| "?".into());
        let mock = if b.body.get_attribute("mock_outputs").is_some() {
            " (its mock_outputs are placeholders for plan, not values)"
        } else {
            ""
        };
        let why = format!(
            "it is an output of terragrunt dependency `{name}` (`{path}`, in {file}), known only once that unit is applied{mock}"
        );
        let outputs = Val::unknown(why, span);
        out.insert(
            name,
            object([("outputs", outputs.clone()), ("inputs", outputs)]),
        );
    }
    out
}

fn merge_strategy(ev: &Evaluator, b: &hcl_edit::structure::Block, sc: &Scope) -> Merge {
    let Some(a) = b.body.get_attribute("merge_strategy") else {
        return Merge::Shallow;
    };
    match ev.eval(&a.value, sc).v {
        V::Str(s) if s == "deep" => Merge::Deep,
        V::Str(s) if s == "deep_map_only" => Merge::DeepMapOnly,
        V::Str(s) if s == "no_merge" => Merge::NoMerge,
        _ => Merge::Shallow,
    }
}

fn object<const N: usize>(fields: [(&str, Val); N]) -> Val {
    let span = fields.first().map(|(_, v)| v.span).unwrap_or_default();
    let map = fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    Val::new(V::Map(map), span)
}

fn map_val(m: &BTreeMap<String, Val>) -> Val {
    let span = m.values().next().map(|v| v.span).unwrap_or_default();
    Val::new(V::Map(m.clone()), span)
}

fn reason(v: &Val) -> String {
    match &v.v {
        V::Unknown(u) => u.reason.clone(),
        _ => format!("a {}", v.type_name()),
    }
}

pub fn canonical(access: &Access, p: &Path) -> PathBuf {
    normalize(&access.canonical_or_same(&normalize(p)))
}

/// `to` relative to `from` (both canonical): `path_relative_to_include`.
fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..f.len() {
        out.push("..");
    }
    for c in &t[common..] {
        out.push(c);
    }
    match out.to_string_lossy().into_owned() {
        s if s.is_empty() => ".".into(),
        s => s,
    }
}

/// The evaluator's view of a Terragrunt file: its globals and functions.
struct TgResolver<'s, 'r> {
    sh: &'s Shared<'r>,
    ctx: Ctx,
    include: RefCell<Option<Val>>,
    deps: RefCell<BTreeMap<String, Val>>,
    /// The directories of the files the unit includes, by label (`get_parent_terragrunt_dir`).
    parent_dirs: RefCell<Vec<(String, PathBuf)>>,
}

impl<'s, 'r> TgResolver<'s, 'r> {
    fn new(sh: &'s Shared<'r>, ctx: &Ctx) -> Self {
        TgResolver {
            sh,
            ctx: ctx.clone(),
            include: RefCell::new(None),
            deps: RefCell::new(BTreeMap::new()),
            parent_dirs: RefCell::default(),
        }
    }

    fn str_arg(args: &[Val], i: usize) -> Option<&str> {
        match args.get(i).map(|a| &a.v) {
            Some(V::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// `find_in_parent_folders(name = "terragrunt.hcl", fallback)`: the nearest file or
    /// directory of that name above the unit's directory.
    fn find_in_parent_folders(&self, args: &[Val], span: Span) -> Val {
        if let Some(u) = args.iter().find(|a| a.is_unknown()) {
            return u.clone();
        }
        let name = Self::str_arg(args, 0).unwrap_or("terragrunt.hcl");
        let mut dir = self.ctx.unit_dir.parent();
        let mut levels = 0;
        while let Some(d) = dir {
            let cand = d.join(name);
            if self.sh.by_path.contains_key(&cand)
                || self.sh.access.is_file(&cand)
                || self.sh.access.is_dir(&cand)
            {
                return Val::str(cand.to_string_lossy().into_owned(), span);
            }
            levels += 1;
            if levels > 64 {
                break;
            }
            dir = d.parent();
        }
        match args.get(1) {
            Some(f) => f.clone(),
            None => Val::error(
                format!("no `{name}` in a parent folder of the unit (or not readable)"),
                span,
            ),
        }
    }
}

impl<'a> Resolver<'a> for TgResolver<'_, '_> {
    fn module_value(
        &self,
        _ev: &Evaluator<'_, 'a>,
        call: &str,
        _output: Option<&str>,
        span: Span,
    ) -> (Val, usize) {
        (
            Val::error(format!("`module.{call}` in a Terragrunt file"), span),
            1,
        )
    }

    fn external_name(&self, _inst: &InstRef) -> String {
        "?".into()
    }

    fn access(&self) -> &Access {
        self.sh.access
    }

    fn budget(&self) -> &Budget {
        &self.sh.budget
    }

    fn limits(&self) -> &crate::limits::Limits {
        self.sh.limits
    }

    fn run_budget(&self) -> &RunBudget {
        self.sh.run
    }

    fn report(&self, d: Diagnostic) {
        self.sh.diags.borrow_mut().push(d);
    }

    fn root_paths(&self) -> (String, String) {
        let d = self.ctx.unit_dir.to_string_lossy().into_owned();
        (d.clone(), d)
    }

    fn workspace(&self) -> String {
        "default".into()
    }

    fn global(&self, name: &str, span: Span) -> Option<Val> {
        match name {
            "dependency" => Some(Val::new(V::Map(self.deps.borrow().clone()), span)),
            "include" => Some(self.include.borrow().clone().unwrap_or_else(|| {
                Val::error("`include` of a file that is itself included", span)
            })),
            _ => None,
        }
    }

    fn function(&self, name: &str, args: &[Val], span: Span) -> Option<Val> {
        let dir = |p: &Path| Val::str(p.to_string_lossy().into_owned(), span);
        // In an included file, its own directory; in the unit, that of the include named by
        // the argument (or the first).
        let parents = self.parent_dirs.borrow();
        let label = Self::str_arg(args, 0);
        let include_dir = self.ctx.include_dir.as_deref().or_else(|| {
            parents
                .iter()
                .find(|(l, _)| label.is_none_or(|n| n == l))
                .map(|(_, d)| d.as_path())
        });
        Some(match name {
            "find_in_parent_folders" => self.find_in_parent_folders(args, span),
            "get_terragrunt_dir" | "get_original_terragrunt_dir" => dir(&self.ctx.unit_dir),
            "get_parent_terragrunt_dir" => dir(include_dir.unwrap_or(&self.ctx.unit_dir)),
            "path_relative_to_include" => Val::str(
                include_dir.map_or(".".into(), |i| relative(i, &self.ctx.unit_dir)),
                span,
            ),
            "path_relative_from_include" => Val::str(
                include_dir.map_or(".".into(), |i| relative(&self.ctx.unit_dir, i)),
                span,
            ),
            "read_terragrunt_config" => match args.first().map(|a| &a.v) {
                Some(V::Str(p)) => {
                    let full = canonical(self.sh.access, &self.ctx.unit_dir.join(p));
                    let v = self.sh.read_config(&full, &self.ctx, span);
                    match (v.is_unknown(), args.get(1)) {
                        (true, Some(d)) => d.clone(),
                        _ => v,
                    }
                }
                Some(V::Unknown(_)) => args[0].clone(),
                _ => Val::error("`read_terragrunt_config` needs a path", span),
            },
            "get_env" => match (Self::str_arg(args, 0), args.get(1)) {
                (_, Some(d)) => d.clone(),
                (Some(n), None) => Val::unknown(
                    format!("environment variable `{n}` is read by terragrunt when it runs"),
                    span,
                ),
                _ => Val::error("`get_env` needs a name", span),
            },
            "get_aws_account_id"
            | "get_aws_account_alias"
            | "get_aws_caller_identity_arn"
            | "get_aws_caller_identity_user_id" => Val::unknown(
                format!("`{name}()` comes from the AWS credentials terragrunt runs with"),
                span,
            ),
            "run_cmd"
            | "sops_decrypt_file"
            | "get_terraform_command"
            | "get_terraform_cli_args"
            | "get_platform"
            | "get_working_dir"
            | "get_repo_root"
            | "get_path_to_repo_root"
            | "get_path_from_repo_root"
            | "get_default_retryable_errors"
            | "mark_as_read"
            | "constraint_check"
            | "get_terraform_commands_that_need_vars"
            | "get_terraform_commands_that_need_input"
            | "get_terraform_commands_that_need_locking"
            | "get_terraform_commands_that_need_parallelism" => Val::unknown(
                format!("`{name}()` is evaluated by terragrunt when it runs"),
                span,
            ),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths_between_directories() {
        assert_eq!(
            relative(Path::new("/r"), Path::new("/r/live/prod")),
            "live/prod"
        );
        assert_eq!(
            relative(Path::new("/r/live/prod"), Path::new("/r")),
            "../.."
        );
        assert_eq!(relative(Path::new("/r/a"), Path::new("/r/a")), ".");
    }
}
