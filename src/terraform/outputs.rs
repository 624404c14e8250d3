//! What one module instance yields, for the caller: its outputs, and for a modelled registry
//! module, the inputs of what it models (the cluster, node groups) for extraction to build.
//! Module calls and registry models both produce it; it depends on neither.

use super::value::{Val, V};
use crate::source::Span;
use std::collections::BTreeMap;

/// The terraform-aws-modules modules eks-lint models.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Vpc,
    Eks,
    ManagedNodeGroup,
    SelfManagedNodeGroup,
}

/// One call of the eks module or a node-group submodule, with its evaluated inputs.
#[derive(Clone)]
pub struct EksCall {
    pub kind: Kind,
    pub major: u32,
    pub addr: String,
    pub head: Span,
    pub inputs: BTreeMap<String, Val>,
}

pub type NodeGroupCall = EksCall;

/// The result of one module instance.
pub struct Model {
    pub outputs: BTreeMap<String, Val>,
    /// Why an output that is not in `outputs` is unknown.
    pub missing: String,
    pub kind: ModelKind,
}

pub enum ModelKind {
    Plain,
    Eks(EksCall),
    NodeGroup(NodeGroupCall),
}

impl Model {
    pub fn unknown(reason: String) -> Model {
        Model {
            outputs: BTreeMap::new(),
            missing: reason,
            kind: ModelKind::Plain,
        }
    }

    pub fn output(&self, name: &str, span: Span) -> Val {
        match self.outputs.get(name) {
            Some(v) => v.clone(),
            None => Val::unknown(self.missing.replace("{}", name), span),
        }
    }

    pub fn object(&self, span: Span) -> Val {
        Val::new(V::Map(self.outputs.clone()), span)
    }
}

/// Where a module call is written, for models and messages.
pub struct Site<'s> {
    pub call: &'s str,
    /// `module.x["k"]` (with the parent modules' prefix).
    pub addr: &'s str,
    pub key: &'s str,
    pub block_span: Span,
    /// `module "x"`: the header line.
    pub head: Span,
    pub source_span: Span,
    pub source: &'s str,
}
