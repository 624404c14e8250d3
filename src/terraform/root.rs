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
    pub diags: RefCell<Vec<Diagnostic>>,
    reported: RefCell<HashSet<String>>,
    /// Remote EKS-looking modules that could not be read: noted when the root has no
    /// cluster at all (otherwise they are usually addons and teams around a modelled one).
    pub unread: RefCell<Vec<(String, String, Span)>>,
    /// The plan or state document planned from this root, if one was given (issue 18).
    pub plan: Option<&'r crate::plan::Plan>,
}

impl<'r, 'a> Root<'r, 'a> {
    /// Notes for unread remote modules, when nothing else defined a cluster.
    pub fn unread_notes(&self, clusters_found: usize) -> Vec<Diagnostic> {
        if clusters_found > 0 {
            return Vec::new();
        }
        let mut seen = HashSet::new();
        self.unread
            .borrow()
            .iter()
            .filter(|(a, _, _)| seen.insert(a.clone()))
            .map(|(addr, s, span)| {
                Diagnostic::new(
                    Code::EKS901,
                    Level::Note,
                    *span,
                    format!("module `{addr}` (`{s}`) is not read: it is neither a local module nor a built-in model, and `.terraform/modules` is not there (run `terraform init` to download it); no cluster was found, and any cluster it defines is not checked"),
                )
                .with_label("not evaluated")
                .with_key(format!("module/remote/{addr}"))
            })
            .collect()
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
