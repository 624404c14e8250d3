//! What every module instance evaluated for one root configuration shares (issue 4): the
//! root's modules, settings, file access and budgets, the table of external instances, the
//! clusters found in called modules, and the shape of a module instance's result ([`Model`])
//! that module calls and registry-module models both produce.
//!
//! Resource references cannot cross modules as they are (a local [`InstRef`] indexes the
//! resources of one module), so subnets and VPCs that leave a module through an output are
//! re-registered in the root's table of externals ([`InstRef::external`]); every extractor of
//! the root sees those subnets, so `subnet_ids = module.vpc.private_subnets` links to the
//! CIDRs. Registry models write into the same table. Clusters found in child modules are
//! collected on the [`Root`]; their origins are moved to the caller's line that fed the value
//! ([`remap_cluster`]), with the child's lines kept as the chain.

use super::budget::{Budget, RunBudget};
use super::module::Module;
use super::value::InstRef;
use crate::access::Access;
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::model::{Cluster, Origin, Subnet, Value, Vpc};
use crate::settings::Settings;
use crate::source::{FileId, SourceMap, Span};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

#[derive(Default)]
pub(super) struct Ext {
    pub(super) names: Vec<String>,
    pub(super) subnets: Vec<(InstRef, Subnet, Option<InstRef>)>,
    pub(super) vpcs: Vec<(InstRef, Vpc)>,
}

/// What every module evaluated for one root module shares.
pub struct Root<'r, 'a> {
    pub modules: &'r HashMap<PathBuf, Module<'a>>,
    pub sources: &'r SourceMap,
    pub settings: &'r Settings,
    /// What `file()`, `templatefile()` and module directories may read.
    pub access: &'r Access,
    /// Steps, bytes and module instances of every evaluator of this root.
    pub budget: Budget,
    /// Steps over every root of the run.
    pub run: &'r RunBudget,
    /// `.terraform/modules/modules.json` of the root: module key (`a.b`) → directory.
    pub cache: HashMap<String, PathBuf>,
    pub(super) ext: RefCell<Ext>,
    /// NodePool and node class documents of called modules.
    pub node_pools: RefCell<Vec<crate::karpenter::Found>>,
    /// SSM parameters of subnet ids that called modules write (`links.rs`).
    pub ssm: RefCell<Vec<crate::terraform::links::SsmParameter>>,
    /// What the data sources of the root's modules asked of other roots.
    pub queries: RefCell<std::collections::BTreeSet<crate::terraform::links::Query>>,
    /// In a second evaluation: the answers, with the external instances of their subnets.
    pub links: Option<Linked>,
    pub diags: RefCell<Vec<Diagnostic>>,
    reported: RefCell<HashSet<String>>,
    /// Remote EKS-looking modules that could not be read: noted when the root has no
    /// cluster at all (otherwise they are usually addons and teams around a modelled one).
    pub unread: RefCell<Vec<Unread>>,
    /// The plan or state document planned from this root, if one was given (issue 18).
    pub plan: Option<&'r crate::plan::Plan>,
}

/// A remote module call that is not read.
pub struct Unread {
    pub addr: String,
    pub source: String,
    pub span: Span,
    /// The first input whose name or text names compute ([`compute_input`]).
    pub compute: Option<String>,
}

/// Words in a module input (its name, or a string in its value) that say the module adds
/// compute: Karpenter NodePools (`karpenter_resources_helm_config` of aws-ia/eks-data-addons,
/// whose values are NodePool YAML), node groups, Fargate profiles.
const COMPUTE_WORDS: &[&str] = &[
    "nodepool",
    "node_pool",
    "karpenter",
    "node_group",
    "nodegroup",
    "ec2nodeclass",
    "fargate_profile",
];

/// The first input (by name) whose name or string contents name compute.
pub fn compute_input(
    inputs: &std::collections::BTreeMap<String, crate::terraform::value::Val>,
) -> Option<String> {
    fn mentions(v: &crate::terraform::value::Val, budget: &mut usize) -> bool {
        use crate::terraform::value::V;
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let hit = |s: &str| {
            let l = s.to_ascii_lowercase();
            COMPUTE_WORDS.iter().any(|w| l.contains(w))
        };
        match &v.v {
            V::Str(s) => hit(s),
            V::List(items) => items.iter().any(|x| mentions(x, budget)),
            V::Map(m) => m.iter().any(|(k, x)| hit(k) || mentions(x, budget)),
            _ => false,
        }
    }
    // A bound on the values walked: inputs are hostile and can be large.
    let mut budget = 10_000;
    inputs
        .iter()
        .find(|(k, v)| {
            // `enable_karpenter = false` adds nothing.
            let off = matches!(
                v.v,
                crate::terraform::value::V::Bool(false) | crate::terraform::value::V::Null
            );
            !off && (COMPUTE_WORDS
                .iter()
                .any(|w| k.to_ascii_lowercase().contains(w))
                || mentions(v, &mut budget))
        })
        .map(|(k, _)| k.clone())
}

impl<'r, 'a> Root<'r, 'a> {
    /// Notes for unread remote modules: all of them when nothing else defined a cluster (any
    /// may define one), else those whose inputs say they add compute (Karpenter node pools,
    /// node groups), which also leave the root's clusters partly checked.
    pub fn unread_notes(&self, clusters: &mut [crate::model::Cluster]) -> Vec<Diagnostic> {
        let mut seen = HashSet::new();
        let none = clusters.is_empty();
        let mut out = Vec::new();
        for u in self.unread.borrow().iter() {
            if !seen.insert(u.addr.clone()) {
                continue;
            }
            let (addr, s) = (&u.addr, &u.source);
            let head = format!("module `{addr}` (`{s}`) is not read: it is neither a local module nor a built-in model, and `.terraform/modules` is not there (run `terraform init` to download it)");
            let msg = match (&u.compute, none) {
                (_, true) => format!(
                    "{head}; no cluster was found, and any cluster it defines is not checked"
                ),
                (Some(input), false) => {
                    let why = format!("module `{addr}` (`{s}`) is not read, and its input `{input}` names compute (Karpenter node pools or node groups) it may define");
                    for c in clusters.iter_mut() {
                        c.unread_compute.push(crate::model::Unknown {
                            reason: why.clone(),
                            span: u.span,
                        });
                    }
                    format!("{head}; its input `{input}` names compute (Karpenter node pools or node groups) it may define, which is not checked")
                }
                (None, false) => continue,
            };
            out.push(
                Diagnostic::new(Code::EKS901, Level::Note, u.span, msg)
                    .with_label("not evaluated")
                    .with_key(format!("module/remote/{addr}")),
            );
        }
        out
    }

    /// `cache`: the root's `.terraform/modules/modules.json` ([`read_modules_json`]).
    pub fn new(
        modules: &'r HashMap<PathBuf, Module<'a>>,
        sources: &'r SourceMap,
        settings: &'r Settings,
        cache: HashMap<String, PathBuf>,
        access: &'r Access,
        run: &'r RunBudget,
    ) -> Self {
        Root {
            modules,
            sources,
            settings,
            access,
            budget: Budget::for_limits(&settings.limits),
            run,
            cache,
            ext: RefCell::default(),
            node_pools: RefCell::default(),
            ssm: RefCell::default(),
            queries: RefCell::default(),
            links: None,
            diags: RefCell::default(),
            reported: RefCell::default(),
            unread: RefCell::default(),
            plan: None,
        }
    }

    /// An EKS901 note, once per key.
    pub fn note(&self, key: String, span: Span, msg: String) {
        if self.reported.borrow_mut().insert(key.clone()) {
            self.diags.borrow_mut().push(
                Diagnostic::new(Code::EKS901, Level::Note, span, msg)
                    .with_label("not evaluated")
                    .with_key(format!("module/{key}")),
            );
        }
    }

    pub(super) fn ext_ref(&self, name: String) -> InstRef {
        let mut e = self.ext.borrow_mut();
        e.names.push(name);
        InstRef::external(e.names.len() - 1)
    }

    /// Register a subnet (and its VPC reference) visible to the whole root.
    pub fn add_subnet(&self, subnet: Subnet, vpc: Option<InstRef>) -> InstRef {
        let id = self.ext_ref(subnet.name.clone());
        self.ext
            .borrow_mut()
            .subnets
            .push((id.clone(), subnet, vpc));
        id
    }

    pub fn add_vpc(&self, vpc: Vpc) -> InstRef {
        let id = self.ext_ref(vpc.name.clone());
        self.ext.borrow_mut().vpcs.push((id.clone(), vpc));
        id
    }
}

/// Move origins that lie in a child module to the caller's line that fed them.
pub fn remap_cluster(c: &mut Cluster, child: &HashSet<FileId>) {
    fn o(o: &mut Origin, child: &HashSet<FileId>) {
        if !child.contains(&o.span.file) {
            return;
        }
        if let Some(pos) = o.via.iter().position(|s| !child.contains(&s.file)) {
            let outer = o.via.remove(pos);
            let old = std::mem::replace(&mut o.span, outer);
            o.via.insert(0, old);
        }
    }
    fn v<T>(x: &mut Value<T>, child: &HashSet<FileId>) {
        if let Value::Known(_, origin) = x {
            o(origin, child);
        }
    }
    v(&mut c.name, child);
    v(&mut c.ip_family, child);
    v(&mut c.service_cidr, child);
    v(&mut c.control_plane_subnets, child);
    if let Some(vpc) = &mut c.vpc {
        vpc.cidrs.iter_mut().for_each(|x| v(x, child));
    }
    for s in &mut c.subnets {
        v(&mut s.cidr, child);
        v(&mut s.az, child);
    }
    for ng in &mut c.node_groups {
        ng.instance_types.iter_mut().for_each(|x| v(x, child));
        v(&mut ng.min_size, child);
        v(&mut ng.max_size, child);
        v(&mut ng.desired_size, child);
        v(&mut ng.max_pods, child);
        v(&mut ng.subnets, child);
        v(&mut ng.ami_family, child);
    }
    for e in c.cni.env.values_mut() {
        o(&mut e.origin, child);
    }
}

/// The answers of a second evaluation (`links.rs`), their subnets registered as externals of
/// the root before anything is evaluated, so every extractor of the root sees them.
pub struct Linked {
    pub answers: crate::terraform::links::Answers,
    /// The external instances of each answer's subnets, in order.
    pub insts: std::collections::BTreeMap<crate::terraform::links::Query, Vec<InstRef>>,
    /// SSM value token → the subnet it stands for.
    pub tokens: HashMap<String, InstRef>,
}

impl<'r, 'a> Root<'r, 'a> {
    /// Evaluate with `answers`: register their subnets (once each).
    pub fn with_links(mut self, answers: &crate::terraform::links::Answers) -> Self {
        use crate::terraform::links::Answer;
        let mut insts = std::collections::BTreeMap::new();
        let mut tokens = HashMap::new();
        let mut by_name: HashMap<String, InstRef> = HashMap::new();
        let mut add = |s: &Subnet| {
            by_name
                .entry(s.name.clone())
                .or_insert_with(|| self.add_subnet(s.clone(), None))
                .clone()
        };
        for (q, a) in answers {
            let refs: Vec<InstRef> = match a {
                Answer::Text(_, subnets, _) => subnets
                    .iter()
                    .map(|(t, s)| {
                        let i = add(s);
                        tokens.insert(t.clone(), i.clone());
                        i
                    })
                    .collect(),
                Answer::Subnets(subnets) => subnets.iter().map(&mut add).collect(),
                Answer::Missing(_) => Vec::new(),
            };
            insts.insert(q.clone(), refs);
        }
        self.links = Some(Linked {
            answers: answers.clone(),
            insts,
            tokens,
        });
        self
    }
}
