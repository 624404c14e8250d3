//! One module directory indexed for evaluation: variables, locals, resources, data sources,
//! outputs and module calls, each pointing into the parsed trees (nothing is cloned).

use super::parse::ParsedFile;
use crate::source::Span;
use hcl_edit::expr::Expression;
use hcl_edit::structure::{Attribute, Block, Body};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// `resource` or `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Managed,
    Data,
}

#[derive(Debug)]
pub struct Resource<'a> {
    pub mode: Mode,
    pub ty: &'a str,
    pub name: &'a str,
    pub block: &'a Block,
    /// Index into [`Module::files`].
    pub file: usize,
}

impl Resource<'_> {
    pub fn address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.ty, self.name),
            Mode::Data => format!("data.{}.{}", self.ty, self.name),
        }
    }
}

#[derive(Debug)]
pub struct Variable<'a> {
    pub block: &'a Block,
    pub file: usize,
}

impl Variable<'_> {
    pub fn default(&self) -> Option<&Attribute> {
        self.block.body.get_attribute("default")
    }

    /// The declared primitive type (`string`, `number`, `bool`), if any.
    pub fn primitive_type(&self) -> Option<&str> {
        match &self.block.body.get_attribute("type")?.value {
            Expression::Variable(v) => Some(v.as_str()),
            _ => None,
        }
    }
}

/// A named expression in a module file (local value, output, module-call argument).
#[derive(Debug, Clone, Copy)]
pub struct Named<'a> {
    pub attr: &'a Attribute,
    pub file: usize,
}

#[derive(Debug, Default)]
pub struct Module<'a> {
    pub dir: PathBuf,
    pub files: Vec<&'a ParsedFile>,
    pub variables: BTreeMap<&'a str, Variable<'a>>,
    pub locals: HashMap<&'a str, Named<'a>>,
    pub resources: Vec<Resource<'a>>,
    pub index: HashMap<(Mode, &'a str, &'a str), usize>,
    pub outputs: BTreeMap<&'a str, Named<'a>>,
    /// `module "name" { source = … }` blocks (evaluated by the module-call extension).
    pub calls: Vec<(&'a str, &'a Block, usize)>,
}

impl<'a> Module<'a> {
    pub fn build(dir: PathBuf, files: Vec<&'a ParsedFile>) -> Module<'a> {
        let mut m = Module {
            dir,
            ..Module::default()
        };
        for (fi, f) in files.iter().enumerate() {
            m.index_body(&f.body, fi);
        }
        m.files = files;
        m
    }

    fn index_body(&mut self, body: &'a Body, fi: usize) {
        for block in body.blocks() {
            let labels: Vec<&str> = block.labels.iter().map(|l| l.as_str()).collect();
            match (block.ident.as_str(), labels.as_slice()) {
                ("variable", [name]) => {
                    self.variables.insert(name, Variable { block, file: fi });
                }
                ("locals", []) => {
                    for attr in block.body.attributes() {
                        self.locals
                            .insert(attr.key.as_str(), Named { attr, file: fi });
                    }
                }
                ("output", [name]) => {
                    if let Some(attr) = block.body.get_attribute("value") {
                        self.outputs.insert(name, Named { attr, file: fi });
                    }
                }
                ("module", [name]) => self.calls.push((name, block, fi)),
                (kind @ ("resource" | "data"), [ty, name]) => {
                    let mode = if kind == "resource" {
                        Mode::Managed
                    } else {
                        Mode::Data
                    };
                    let idx = self.resources.len();
                    // Duplicates are a Terraform error; the first one wins here.
                    self.index.entry((mode, ty, name)).or_insert(idx);
                    self.resources.push(Resource {
                        mode,
                        ty,
                        name,
                        block,
                        file: fi,
                    });
                }
                _ => {}
            }
        }
    }

    /// The span of any spanned node of file `fi` (falls back to the file start).
    pub fn span_of(&self, fi: usize, node: &impl hcl_edit::Span) -> Span {
        let f = self.files[fi];
        let fallback = Span::new(f.file, 0, 0);
        f.spans.map(f.file, node.span(), fallback)
    }

    pub fn managed(&self, ty: &str) -> impl Iterator<Item = (usize, &Resource<'a>)> {
        let ty = ty.to_string();
        self.resources
            .iter()
            .enumerate()
            .filter(move |(_, r)| r.mode == Mode::Managed && r.ty == ty)
    }
}

/// Resource types the extractor reads; modules with none of them are not evaluated.
pub const RELEVANT: &[&str] = &[
    "aws_subnet",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_autoscaling_group",
    "aws_eks_addon",
    "helm_release",
    "kubectl_manifest",
    "kubernetes_manifest",
];

pub use crate::source::normalize;

/// Resource types that define compute, the network or the VPC CNI's settings: when their
/// instances are not known, what they would define is not checked, and a note says so.
pub const COMPUTE_OR_NETWORK: &[&str] = &[
    "aws_vpc",
    "aws_subnet",
    "aws_vpc_ipv4_cidr_block_association",
    "aws_eks_cluster",
    "aws_eks_node_group",
    "aws_autoscaling_group",
];
