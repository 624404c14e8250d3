//! Module calls (issue 4): `module "x" { source = … }` blocks resolved to local modules,
//! modules downloaded into `.terraform/modules`, or built-in models of the
//! terraform-aws-modules registry modules ([`super::registry`]).
//!
//! Module evaluation stays a function of (module, inputs): a call evaluates its arguments in the
//! caller (so every value keeps the caller's span), evaluates the child with them bound as
//! [`VarInput::Value`], extracts the child's clusters, and returns the child's outputs as one
//! object. [`Calls`] is the evaluator's [`super::eval::Resolver`]; what all module instances of
//! a root share is in [`super::root`].

use super::eval::{Evaluator, Expansion, InstCtx, Limit, Scope, VarInput};
use super::extract::{Exported, Extractor, Found, FoundKind, Imported};
use super::module::{normalize, RELEVANT};
use super::outputs::{Kind, Model, ModelKind, Site};
use super::registry;
use super::root::{remap_cluster, Root};
use super::value::{InstKey, InstRef, Val, V};
use crate::access::Access;
use crate::diag::Diagnostic;
use crate::model::Cluster;
use crate::source::{FileId, Span};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Which module a call resolves to.
enum Source {
    Local(PathBuf),
    Registry(Kind, Option<u32>),
    Remote(String),
}

enum Expanded {
    Single,
    Count,
    ForEach,
}

struct Called {
    exp: Expanded,
    instances: Vec<(InstKey, Model)>,
}

/// Module-call resolution for one evaluator (one module instance).
pub struct Calls<'m, 'a> {
    pub root: &'m Root<'m, 'a>,
    depth: u32,
    /// Directories of the modules on the call path (cycle detection).
    stack: Vec<PathBuf>,
    /// `modules.json` key of this module (`""` at the root, `a.b` below).
    key: String,
    /// Address prefix for messages (`module.a["x"].`).
    prefix: String,
    memo: RefCell<HashMap<String, Option<Rc<Called>>>>,
    /// This module's subnets and VPCs passed to the modules it calls, and the external
    /// instance each became (registered once, on first need).
    aliases: RefCell<Option<HashMap<InstRef, InstRef>>>,
    /// Clusters the modules it calls yielded, for [`Extractor::adopt`].
    pending: RefCell<Vec<Found>>,
}

impl<'m, 'a> Calls<'m, 'a> {
    pub fn new(root: &'m Root<'m, 'a>, dir: &Path) -> Self {
        Calls {
            root,
            depth: 0,
            stack: vec![normalize(dir)],
            key: String::new(),
            prefix: String::new(),
            memo: RefCell::default(),
            aliases: RefCell::default(),
            pending: RefCell::default(),
        }
    }

    fn get(&self, ev: &Evaluator<'_, 'a>, call: &str, span: Span) -> Result<Rc<Called>, Val> {
        if let Some(state) = self.memo.borrow().get(call) {
            return match state {
                Some(c) => Ok(c.clone()),
                // Terraform orders module inputs and outputs one by one, so an input may use
                // another output of the same module (often through a second module); eks-lint
                // evaluates all inputs first, so such a value is unknown (no note unless a
                // rule needs it).
                None => Err(Val::unknown(
                    format!("it comes from an output of `module.{call}` that is read while that module's own inputs are evaluated"),
                    span,
                )),
            };
        }
        let Some(&(_, block, fi)) = ev.m.calls.iter().find(|(n, _, _)| *n == call) else {
            return Err(Val::error(format!("module `{call}` is not declared"), span));
        };
        self.memo.borrow_mut().insert(call.to_string(), None);
        let c = Rc::new(self.evaluate(ev, call, block, fi));
        self.memo
            .borrow_mut()
            .insert(call.to_string(), Some(c.clone()));
        Ok(c)
    }

    fn evaluate(
        &self,
        ev: &Evaluator<'_, 'a>,
        call: &str,
        block: &'a hcl_edit::structure::Block,
        fi: usize,
    ) -> Called {
        let pf = ev.m.files[fi];
        let sc = Scope::new(pf);
        let block_span = ev.m.span_of(fi, block);
        let head = header_span(ev, fi, block);
        let attr_str = |name: &str| -> Option<(String, Span)> {
            let a = block.body.get_attribute(name)?;
            let v = ev.eval(&a.value, &sc);
            match v.v {
                V::Str(s) => Some((s, ev.m.span_of(fi, a))),
                _ => None,
            }
        };
        let Some((source, source_span)) = attr_str("source") else {
            return single(Model::unknown(format!(
                "`module.{call}.{{}}` is unknown: the module's `source` is not a literal string"
            )));
        };
        let version = attr_str("version").map(|x| x.0);
        // Expansion of the call.
        let src = classify(&source, version.as_deref(), &ev.m.dir, self.root.access);
        let call_addr = format!("{}module.{call}", self.prefix);
        let (exp, ctxs) = match module_instances(ev, block, &sc, &call_addr) {
            Ok(x) => x,
            Err(v) => {
                let why = super::eval::reason(&v).map_or("unknown".into(), |u| u.reason.clone());
                let at = if v.span == Span::default() {
                    head
                } else {
                    v.span
                };
                // Say so when the module could define a cluster, rather than skip it silently.
                let relevant = match &src {
                    Source::Registry(..) => true,
                    Source::Local(d) => self.root.modules.get(d).is_some_and(|m| {
                        !m.calls.is_empty() || m.resources.iter().any(|r| RELEVANT.contains(&r.ty))
                    }),
                    Source::Remote(_) => false,
                };
                let addr = format!("{}module.{call}", self.prefix);
                if relevant {
                    self.root.note(
                        format!("instances/{addr}"),
                        at,
                        format!("module `{addr}` is not evaluated: its instances are not known ({why}); any cluster, subnet or node group it defines is not checked"),
                    );
                }
                return single(Model::unknown(format!(
                    "the instances of `module.{call}` are not known ({why})"
                )));
            }
        };
        let mut instances = Vec::new();
        for ctx in ctxs {
            // Counted over the whole root: nesting multiplies instances level by level.
            if let Err(e) = self.root.budget.instance() {
                let _ = ev.exhausted(e, head);
                instances.push((
                    ctx.key.clone(),
                    Model::unknown(format!(
                        "it comes from module output `{}module.{call}{}.{{}}`, an instance past the module-instance budget",
                        self.prefix,
                        ctx.key.suffix()
                    )),
                ));
                continue;
            }
            let isc = Scope::with_inst(pf, Some(&ctx));
            let mut inputs: BTreeMap<String, Val> = BTreeMap::new();
            for a in block.body.attributes() {
                let k = a.key.as_str();
                if META.contains(&k) {
                    continue;
                }
                // The caller's own resources become external instances for the child: a
                // local address indexes the resources of the module it was made in.
                let v = ev.eval(&a.value, &isc);
                let own = self.own_network(ev, &v);
                inputs.insert(k.to_string(), self.export(ev, v, &own, &self.prefix));
            }
            let addr = format!("{}module.{call}{}", self.prefix, ctx.key.suffix());
            let key = if self.key.is_empty() {
                call.to_string()
            } else {
                format!("{}.{call}", self.key)
            };
            let site = Site {
                call,
                addr: &addr,
                key: &key,
                block_span,
                head,
                source_span,
                source: &source,
            };
            let model = match &src {
                Source::Registry(kind, major) => {
                    registry::build(self.root, ev, *kind, *major, &site, inputs)
                }
                Source::Local(dir) => self.local(ev, dir, &site, inputs, false),
                Source::Remote(s) => match self.root.cache.get(&key) {
                    Some(dir) => self.local(ev, dir, &site, inputs, true),
                    None => {
                        let compute = crate::terraform::root::compute_input(&inputs);
                        if s.contains("eks") || compute.is_some() {
                            self.root.unread.borrow_mut().push(super::root::Unread {
                                addr: addr.clone(),
                                source: s.clone(),
                                span: source_span,
                                compute,
                            });
                        }
                        Model::unknown(format!(
                            "it comes from module output `{addr}.{{}}`, and the remote module `{s}` is not downloaded (no `.terraform/modules`)"
                        ))
                    }
                },
            };
            instances.push((ctx.key.clone(), model));
        }
        Called { exp, instances }
    }

    /// Evaluate a module from a directory with the call's inputs.
    fn local(
        &self,
        _ev: &Evaluator<'_, 'a>,
        dir: &Path,
        site: &Site,
        inputs: BTreeMap<String, Val>,
        cached: bool,
    ) -> Model {
        let addr = site.addr;
        let Some(child) = self.root.modules.get(dir) else {
            // The policy says whether the directory is outside the scanned paths; nothing
            // outside is listed or read.
            let why = if !cached
                && matches!(
                    self.root.access.resolve(dir),
                    Err(crate::access::Denied::Outside)
                ) {
                "is outside the scanned paths (pass --allow-outside-root to read it)"
            } else {
                "has no readable Terraform files"
            };
            self.root.note(
                format!("missing/{addr}"),
                site.source_span,
                format!(
                    "module `{addr}`: `{}` {why}; its outputs are unknown",
                    site.source
                ),
            );
            return Model::unknown(format!(
                "it comes from module output `{addr}.{{}}`, and the module `{}` {why}",
                site.source
            ));
        };
        if self.stack.iter().any(|d| d == dir) {
            self.root.note(
                format!("self/{addr}"),
                site.source_span,
                format!("module `{addr}` calls a module that is already being evaluated (`{}`, a cycle): it is not followed", site.source),
            );
            return Model::unknown(format!(
                "it comes from module output `{addr}.{{}}`, and the module calls itself (a cycle)"
            ));
        }
        let max_depth = self.root.settings.limits.max_module_depth;
        if u64::from(self.depth) + 1 >= max_depth {
            self.root.note(
                format!("depth/{addr}"),
                site.source_span,
                format!("module `{addr}` is nested more than {max_depth} module calls deep (EKS_LINT_MAX_MODULE_DEPTH): it is not followed"),
            );
            return Model::unknown(format!(
                "it comes from module output `{addr}.{{}}`, nested too deep to evaluate"
            ));
        }
        let mut vin: HashMap<String, VarInput<'a>> = HashMap::new();
        for (k, v) in inputs {
            if child.variables.contains_key(k.as_str()) {
                vin.insert(k, VarInput::Value(v));
            }
        }
        let mut stack = self.stack.clone();
        stack.push(dir.to_path_buf());
        let calls = Calls {
            root: self.root,
            depth: self.depth + 1,
            stack,
            key: site.key.to_string(),
            prefix: format!("{addr}."),
            memo: RefCell::default(),
            aliases: RefCell::default(),
            pending: RefCell::default(),
        };
        let cev = Evaluator::new(child, vin).with_resolver(&calls);
        let (clusters, exported) = calls.extract(&cev);
        // Subnets and VPCs leave the child as external references (those it passed on to
        // its own calls already are).
        let mut map: HashMap<InstRef, InstRef> = calls.aliases.take().unwrap_or_default();
        for (id, vpc) in exported.vpcs {
            let mut vpc = vpc;
            vpc.name = format!("{addr}.{}", vpc.name);
            map.insert(id, self.root.add_vpc(vpc));
        }
        for (id, mut subnet, vpc) in exported.subnets {
            subnet.name = format!("{addr}.{}", subnet.name);
            let vpc = vpc.and_then(|v| {
                map.get(&v)
                    .cloned()
                    .or(Some(v).filter(InstRef::is_external))
            });
            map.insert(id, self.root.add_subnet(subnet, vpc));
        }
        let mut outputs = BTreeMap::new();
        for name in child.outputs.keys() {
            if let Some(v) = cev.output(name) {
                let prefix = format!("{addr}.");
                outputs.insert(name.to_string(), self.export(&cev, v, &map, &prefix));
            }
        }
        let child_files: HashSet<FileId> = child.files.iter().map(|f| f.file).collect();
        {
            // The caller adopts them, with their subnets named as it knows them.
            let mut pending = self.pending.borrow_mut();
            for mut f in clusters {
                remap_cluster(&mut f.cluster, &child_files);
                // Addresses inside the child become addresses in this module.
                if let Some(a) = f
                    .cluster
                    .defined_at
                    .as_mut()
                    .filter(|a| !a.starts_with("module."))
                {
                    *a = format!("{addr}.{a}");
                }
                for r in f.refs.iter_mut().flatten() {
                    if let Some(x) = map.get(r) {
                        *r = x.clone();
                    }
                }
                pending.push(f);
            }
        }
        self.root
            .node_pools
            .borrow_mut()
            .extend(exported.node_pools);
        self.root.ssm.borrow_mut().extend(exported.ssm);
        self.root.diags.borrow_mut().extend(cev.take_diagnostics());
        Model {
            outputs,
            missing: format!("module `{addr}` has no output `{{}}`"),
            kind: ModelKind::Plain,
        }
    }

    /// A value leaving the module `cev` evaluates (a child's output to its caller, or a
    /// caller's argument to its child): its local resource references become external ones,
    /// named `{addr}{address}`.
    fn export(
        &self,
        cev: &Evaluator<'_, 'a>,
        v: Val,
        map: &HashMap<InstRef, InstRef>,
        addr: &str,
    ) -> Val {
        let Val {
            v: inner,
            span,
            via,
        } = v;
        let inner = match inner {
            V::List(items) => V::List(
                items
                    .into_iter()
                    .map(|x| self.export(cev, x, map, addr))
                    .collect(),
            ),
            V::Map(m) => V::Map(
                m.into_iter()
                    .map(|(k, x)| (k, self.export(cev, x, map, addr)))
                    .collect(),
            ),
            V::Ref(inst, a) if !inst.is_external() => {
                V::Ref(self.ext_for(cev, &inst, map, addr), a)
            }
            V::Resource(inst) if !inst.is_external() => {
                V::Resource(self.ext_for(cev, &inst, map, addr))
            }
            other => other,
        };
        Val {
            v: inner,
            span,
            via,
        }
    }

    /// The external instances this module's subnets and VPCs become when `v`, a module
    /// argument, references them: registered in the root's table on first need (evaluated
    /// here, with this module's spans), so the called module links `subnet_ids` to their
    /// CIDRs and zones.
    fn own_network(&self, ev: &Evaluator<'_, 'a>, v: &Val) -> HashMap<InstRef, InstRef> {
        if let Some(m) = self.aliases.borrow().as_ref() {
            return m.clone();
        }
        if !references_network(ev, v) {
            return HashMap::new();
        }
        let net = Extractor::new(ev, self.root.sources).own_network();
        let mut map = HashMap::new();
        for (id, mut vpc) in net.vpcs {
            vpc.name = format!("{}{}", self.prefix, vpc.name);
            map.insert(id, self.root.add_vpc(vpc));
        }
        for (id, mut subnet, vpc) in net.subnets {
            subnet.name = format!("{}{}", self.prefix, subnet.name);
            let vpc = vpc.map(|v| map.get(&v).cloned().unwrap_or(v));
            map.insert(id, self.root.add_subnet(subnet, vpc));
        }
        *self.aliases.borrow_mut() = Some(map.clone());
        map
    }

    fn ext_for(
        &self,
        cev: &Evaluator<'_, 'a>,
        inst: &InstRef,
        map: &HashMap<InstRef, InstRef>,
        addr: &str,
    ) -> InstRef {
        match map.get(inst) {
            Some(x) => x.clone(),
            None => self.root.ext_ref(format!("{addr}{}", cev.address(inst))),
        }
    }
}

/// Whether `v` references one of `ev`'s own subnets or VPCs.
fn references_network(ev: &Evaluator, v: &Val) -> bool {
    match &v.v {
        V::List(items) => items.iter().any(|x| references_network(ev, x)),
        V::Map(m) => m.values().any(|x| references_network(ev, x)),
        V::Ref(inst, _) | V::Resource(inst) => inst
            .local_res()
            .and_then(|r| ev.m.resources.get(r))
            .is_some_and(|r| matches!(r.ty, "aws_subnet" | "aws_vpc")),
        _ => false,
    }
}

/// Module-block arguments that are not inputs of the module.
const META: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

fn single(m: Model) -> Called {
    Called {
        exp: Expanded::Single,
        instances: vec![(InstKey::None, m)],
    }
}

fn header_span(ev: &Evaluator, fi: usize, block: &hcl_edit::structure::Block) -> Span {
    let b = ev.m.span_of(fi, block);
    match block.labels.last() {
        Some(l) => {
            let l = ev.m.span_of(fi, l);
            Span {
                end: l.end.max(b.start),
                ..b
            }
        }
        None => b,
    }
}

/// The instances of a module call (`count`, `for_each`, or one): the evaluator's expansion,
/// the same as for resources, with the module-instance limit.
fn module_instances(
    ev: &Evaluator,
    block: &hcl_edit::structure::Block,
    sc: &Scope,
    addr: &str,
) -> Result<(Expanded, Vec<InstCtx>), Val> {
    let limit = Limit {
        max: ev.limits().max_module_instances,
        var: "EKS_LINT_MAX_MODULE_INSTANCES",
    };
    let e = ev.expand(&block.body, sc, addr, limit);
    let kind = match &e {
        Expansion::Count(..) => Expanded::Count,
        Expansion::ForEach(_) => Expanded::ForEach,
        _ => Expanded::Single,
    };
    Ok((kind, e.contexts()?))
}

/// Classify a module source string.
fn classify(source: &str, version: Option<&str>, dir: &Path, access: &Access) -> Source {
    if source.starts_with("./") || source.starts_with("../") || source == "." || source == ".." {
        let target = normalize(&dir.join(source));
        if let Some((kind, major)) = registry::vendored(&target, access) {
            return Source::Registry(kind, major);
        }
        return Source::Local(target);
    }
    match registry::match_source(source) {
        Some((kind, git_ref)) => {
            let major = git_ref
                .as_deref()
                .or(version)
                .and_then(registry::major_version);
            Source::Registry(kind, major)
        }
        None => Source::Remote(source.to_string()),
    }
}

impl<'m, 'a> Calls<'m, 'a> {
    /// Extract `ev`'s module (whose resolver is `self`): its module calls first, so their
    /// subnets and VPCs join the module's own, then its resources, with the clusters and node
    /// groups of the registry modules it calls added before compute is attached.
    pub fn extract(&self, ev: &Evaluator<'_, 'a>) -> (Vec<Found>, Exported) {
        for (name, block, fi) in &ev.m.calls {
            let span = ev.m.span_of(*fi, *block);
            let _ = self.get(ev, name, span);
        }
        let imported = {
            let ext = self.root.ext.borrow();
            Imported {
                subnets: ext.subnets.clone(),
                vpcs: ext.vpcs.clone(),
                aliases: self.aliases.borrow().clone().unwrap_or_default(),
            }
        };
        let mut ex = Extractor::new(ev, self.root.sources);
        ex.network(imported);
        let mut clusters = ex.clusters();
        let defined = self.registry_clusters(&ex, &mut clusters);
        let mut kinds: Vec<FoundKind> = (0..clusters.len())
            .map(|i| {
                if i < defined {
                    FoundKind::Defined
                } else {
                    FoundKind::Named
                }
            })
            .collect();
        ex.adopt(&mut clusters, &mut kinds, self.pending.take());
        ex.finish(clusters, kinds)
    }

    /// Clusters and node groups of registry models called by the extractor's module; how
    /// many of `clusters` are defined (the rest are named by standalone node groups).
    fn registry_clusters(
        &self,
        ex: &Extractor,
        clusters: &mut Vec<(Option<InstRef>, Cluster)>,
    ) -> usize {
        let ev = ex.ev;
        let mut standalone = Vec::new();
        for (name, _, _) in &ev.m.calls {
            let Some(Some(called)) = self.memo.borrow().get(*name).cloned() else {
                continue;
            };
            for (_, m) in &called.instances {
                match &m.kind {
                    ModelKind::Eks(e) => {
                        if let Some(cl) = registry::eks::cluster(ex, e) {
                            clusters.push((None, cl));
                        }
                    }
                    ModelKind::NodeGroup(n) => standalone.push(n.clone()),
                    ModelKind::Plain => {}
                }
            }
        }
        let defined = clusters.len();
        for n in standalone {
            registry::eks::attach_node_group(ex, &n, clusters);
        }
        defined
    }
}

impl<'m, 'a> super::eval::Resolver<'a> for Calls<'m, 'a> {
    fn module_value(
        &self,
        ev: &Evaluator<'_, 'a>,
        call: &str,
        output: Option<&str>,
        span: Span,
    ) -> (Val, usize) {
        if !ev.m.calls.iter().any(|(n, _, _)| *n == call) {
            return (
                Val::unknown(
                    format!(
                        "it comes from module output `module.{call}.{}`, but this module has no `module \"{call}\"` block",
                        output.unwrap_or("?")
                    ),
                    span,
                ),
                2,
            );
        }
        let c = match self.get(ev, call, span) {
            Ok(c) => c,
            Err(v) => return (v, 2),
        };
        match (&c.exp, output) {
            (Expanded::Single, Some(o)) => match c.instances.first() {
                Some((_, m)) => (m.output(o, span), 2),
                None => (Val::unknown("the module is not evaluated", span), 2),
            },
            (Expanded::Single, None) => match c.instances.first() {
                Some((_, m)) => (m.object(span), 1),
                None => (Val::unknown("the module is not evaluated", span), 1),
            },
            (Expanded::Count, _) => (
                Val::new(
                    V::List(c.instances.iter().map(|(_, m)| m.object(span)).collect()),
                    span,
                ),
                1,
            ),
            (Expanded::ForEach, _) => (
                Val::new(
                    V::Map(
                        c.instances
                            .iter()
                            .map(|(k, m)| {
                                let key = match k {
                                    InstKey::Str(s) => s.clone(),
                                    InstKey::Int(i) => i.to_string(),
                                    InstKey::None => String::new(),
                                };
                                (key, m.object(span))
                            })
                            .collect(),
                    ),
                    span,
                ),
                1,
            ),
        }
    }

    fn external_name(&self, inst: &InstRef) -> String {
        let e = self.root.ext.borrow();
        e.names
            .get(inst.external_id().unwrap_or(usize::MAX))
            .cloned()
            .unwrap_or_else(|| "a resource of a module".into())
    }

    fn access(&self) -> &Access {
        self.root.access
    }

    fn budget(&self) -> &super::budget::Budget {
        &self.root.budget
    }

    fn limits(&self) -> &crate::limits::Limits {
        &self.root.settings.limits
    }

    fn run_budget(&self) -> &super::budget::RunBudget {
        self.root.run
    }

    fn report(&self, d: Diagnostic) {
        self.root.diags.borrow_mut().push(d);
    }

    fn root_paths(&self) -> (String, String) {
        // Normalised, the current directory is the empty path.
        let dir = match self.stack.first() {
            Some(d) if !d.as_os_str().is_empty() => d.clone(),
            _ => PathBuf::from("."),
        };
        let cwd = self.root.access.canonical_or_same(&dir);
        (
            dir.to_string_lossy().into_owned(),
            cwd.to_string_lossy().into_owned(),
        )
    }

    fn plan(&self) -> Option<(&crate::plan::Plan, String)> {
        self.root.plan.map(|p| (p, self.prefix.clone()))
    }

    fn workspace(&self) -> String {
        self.root
            .settings
            .workspace
            .clone()
            .unwrap_or_else(|| "default".into())
    }

    fn linked(&self, q: super::links::Query, addr: &str, span: Span) -> Option<Val> {
        use super::links::Answer;
        let links = self.root.links.as_ref();
        let answer = links.and_then(|l| Some((l.answers.get(&q)?, l.insts.get(&q)?)));
        self.root.queries.borrow_mut().insert(q);
        let (answer, insts) = answer?;
        Some(match answer {
            Answer::Text(text, _, at) => {
                let mut v = Val::str(text.clone(), span);
                v.push_via(*at);
                v
            }
            Answer::Subnets(_) => Val::new(
                V::List(
                    insts
                        .iter()
                        .map(|i| Val::new(V::Ref(i.clone(), "id".into()), span))
                        .collect(),
                ),
                span,
            ),
            Answer::Missing(why) => {
                Val::unknown(format!("it comes from data source `{addr}`: {why}"), span)
            }
        })
    }

    fn linked_subnet(&self, token: &str) -> Option<InstRef> {
        self.root.links.as_ref()?.tokens.get(token).cloned()
    }
}
