//! The extractor itself: its state (subnets and VPCs seen, with their ids), the instances of a
//! resource type, and reading an attribute or block of one instance into a model value with its
//! origin. The other files of `extract/` add the methods for one resource family each.

use crate::model::{Cluster, Origin, Subnet, SubnetId, Unknown, Value, Vpc};
use crate::source::{SourceMap, Span};
use crate::terraform::eval::{Block, Evaluator, InstCtx};
use crate::terraform::module::Resource;
use crate::terraform::value::{fmt_num, InstRef, Val, V};
use hcl_edit::structure::{Attribute, Body};
use std::collections::HashMap;

/// Default instance type of `aws_eks_node_group` when neither it nor the launch template
/// names one (AWS provider docs).
pub(super) const DEFAULT_NODE_GROUP_TYPE: &str = "t3.medium";

pub struct Extractor<'e, 'm, 'a> {
    pub(crate) ev: &'e Evaluator<'m, 'a>,
    pub(crate) sources: &'e SourceMap,
    pub(super) subnets: Vec<Subnet>,
    pub(super) subnet_ids: HashMap<InstRef, SubnetId>,
    /// The `vpc_id` reference of each subnet.
    pub(super) subnet_vpc: Vec<Option<InstRef>>,
    /// VPCs of the module and those that came from the modules it calls.
    pub(super) vpcs: Vec<(InstRef, Vpc)>,
    /// [`Imported::aliases`]: own instances → the external instance they also are.
    pub(super) aliases: HashMap<InstRef, InstRef>,
}

/// A module's own subnets and VPCs by instance, so a caller can reference them through module
/// outputs.
#[derive(Default)]
pub struct Exported {
    pub subnets: Vec<(InstRef, Subnet, Option<InstRef>)>,
    pub vpcs: Vec<(InstRef, Vpc)>,
    /// The module's NodePool and node class documents (`karpenter::attach` ties them).
    pub node_pools: Vec<crate::karpenter::Found>,
    /// The module's SSM parameters of subnet ids, for other roots (`links.rs`).
    pub ssm: Vec<crate::terraform::links::SsmParameter>,
}

/// What a module received from the modules it calls: their subnets (with their VPC
/// references) and VPCs, as external instances.
#[derive(Default)]
pub struct Imported {
    pub subnets: Vec<(InstRef, Subnet, Option<InstRef>)>,
    pub vpcs: Vec<(InstRef, Vpc)>,
    /// The module's own subnets and VPCs that it passed to a module it calls, with the
    /// external instance they became there (`aws_subnet.x[*].id` as a module argument): one
    /// subnet under two addresses, read once, as the module's own.
    pub aliases: HashMap<InstRef, InstRef>,
}

/// How a cluster of [`Found`] came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundKind {
    /// An `aws_eks_cluster` or a modelled eks module call.
    Defined,
    /// Named by node groups or add-ons (`cluster_name`) of a module where no cluster has that
    /// name: the caller's cluster of that name takes them.
    Named,
    /// VPC CNI settings or node groups of a module without any cluster and not naming one
    /// (a Helm release of aws-vpc-cni): the cluster of the module that calls it, when that
    /// module has exactly one.
    Anywhere,
}

/// A cluster a module yields, with how it came to be and the instance of each of its
/// subnets (by index), so a caller can merge it into its own clusters.
pub struct Found {
    pub cluster: Cluster,
    pub kind: FoundKind,
    pub refs: Vec<Option<InstRef>>,
}

/// A resource instance with its evaluation context.
pub(super) struct Inst<'r, 'a> {
    pub(super) r: &'r Resource<'a>,
    pub(super) id: InstRef,
    pub(super) ctx: InstCtx,
}

impl<'a> Inst<'_, 'a> {
    /// The resource's own block: the parent of the nested blocks [`Evaluator::blocks`]
    /// returns, with `dynamic` expanded.
    pub(super) fn root(&self) -> Block<'a> {
        Block::resource(self.r.block)
    }
}

/// Why the evaluator could not know a value (or which blocks there are).
pub(super) fn why(v: &Val) -> Unknown {
    match v.first_unknown() {
        Some((u, s)) => Unknown {
            reason: u.reason.clone(),
            span: s,
        },
        None => Unknown {
            reason: "the value is not known".into(),
            span: v.span,
        },
    }
}

/// The model value of something the evaluator could not know.
pub(super) fn unknown_of<T>(v: &Val) -> Value<T> {
    Value::Unknown(why(v))
}

/// The list of a zone [`Extractor::az_value`] named by its place in a list of distinct
/// zones (`data.aws_availability_zones.x.names` of `…names[1]`); None for a zone name.
pub fn symbolic_zone(az: &str) -> Option<&str> {
    let (list, rest) = az.rsplit_once('[')?;
    let digits = rest.strip_suffix(']')?;
    (list.starts_with("data.aws_availability_zones.")
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit()))
    .then_some(list)
}

pub(super) fn str_of(v: &Val) -> Option<String> {
    match &v.v {
        V::Str(s) => Some(s.clone()),
        V::Num(n) => Some(fmt_num(*n)),
        V::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn int_of(v: &Val) -> Option<i64> {
    match &v.v {
        V::Num(n) if n.fract() == 0.0 => Some(*n as i64),
        V::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    pub fn new(ev: &'e Evaluator<'m, 'a>, sources: &'e SourceMap) -> Self {
        Extractor {
            ev,
            sources,
            subnets: Vec::new(),
            subnet_ids: HashMap::new(),
            subnet_vpc: Vec::new(),
            vpcs: Vec::new(),
            aliases: HashMap::new(),
        }
    }

    /// The module's own subnets (with their VPC references) and VPCs, for a module call
    /// that passes them to another module.
    pub fn own_network(mut self) -> Exported {
        self.collect_subnets();
        let mut out = Exported {
            vpcs: self.collect_vpcs(Vec::new()),
            ..Exported::default()
        };
        let mut by_sid: Vec<(usize, InstRef)> = self
            .subnet_ids
            .iter()
            .map(|(i, &s)| (s, i.clone()))
            .collect();
        by_sid.sort_by_key(|x| x.0);
        let subnets = std::mem::take(&mut self.subnets);
        for ((sid, id), subnet) in by_sid.into_iter().zip(subnets) {
            out.subnets
                .push((id, subnet, self.subnet_vpc.get(sid).cloned().flatten()));
        }
        out
    }

    pub(super) fn instances(&self, ty: &str) -> Vec<Inst<'m, 'a>> {
        let mut out = Vec::new();
        for (idx, r) in self.ev.m.managed(ty) {
            if let Ok(ctxs) = self.ev.instances(idx) {
                for ctx in ctxs {
                    out.push(Inst {
                        r,
                        id: InstRef::local(idx, ctx.key.clone()),
                        ctx,
                    });
                }
            }
        }
        out
    }

    pub(super) fn block_span(&self, i: &Inst) -> Span {
        self.ev.m.span_of(i.r.file, i.r.block)
    }

    pub(super) fn attr_span(&self, i: &Inst, a: &Attribute) -> Span {
        self.ev.m.span_of(i.r.file, a)
    }

    /// Evaluate `name` in `body`, the resource's own body, for instance `i` (attributes of
    /// nested blocks: [`Evaluator::block_attr`], which sees `dynamic` iterators).
    pub(super) fn get(&self, i: &Inst, body: &Body, name: &str) -> Option<(Val, Span)> {
        let a = body.get_attribute(name)?;
        Some((self.ev.instance_attr(&i.id, a), self.attr_span(i, a)))
    }

    /// Origin at the attribute, with the chain reduced to the outermost spans outside it (a
    /// literal inside its tfvars line adds nothing).
    pub(crate) fn origin(&self, v: &Val, attr: Span) -> Origin {
        let mut o = Origin::at(attr);
        let within = |s: &Span, t: &Span| s.file == t.file && s.start >= t.start && s.end <= t.end;
        let all: Vec<Span> = std::iter::once(v.span)
            .chain(v.via.iter().copied())
            .filter(|s| *s != Span::default() && !within(s, &attr))
            .collect();
        for (i, s) in all.iter().enumerate() {
            let nested = all
                .iter()
                .enumerate()
                .any(|(j, t)| j != i && t != s && within(s, t));
            if !nested && !o.via.contains(s) {
                o.via.push(*s);
            }
        }
        o
    }

    /// An availability zone: a known name, or an element of a list of distinct zones
    /// (`data.aws_availability_zones.x.names[1]`), named by its place in that list so
    /// subnets at different indices are in different zones ([`symbolic_zone`]).
    pub(crate) fn az_value(&self, v: &Val, attr: Span) -> Value<String> {
        if let V::Unknown(u) = &v.v {
            if let Some(name) = u.distinct.as_deref().and_then(|d| d.name()) {
                return Value::Known(name, self.origin(v, attr));
            }
        }
        self.to_value(v, attr, str_of)
    }

    pub(super) fn value<T>(
        &self,
        got: Option<(Val, Span)>,
        conv: impl Fn(&Val) -> Option<T>,
    ) -> Value<T> {
        let Some((v, attr)) = got else {
            return Value::Absent;
        };
        self.to_value(&v, attr, conv)
    }

    pub(crate) fn to_value<T>(
        &self,
        v: &Val,
        attr: Span,
        conv: impl Fn(&Val) -> Option<T>,
    ) -> Value<T> {
        if let V::Null = v.v {
            return Value::Absent;
        }
        if let Some((u, s)) = v.first_unknown() {
            return Value::unknown(u.reason.clone(), s);
        }
        match conv(v) {
            Some(t) => Value::Known(t, self.origin(v, attr)),
            None => Value::unknown(
                match &v.v {
                    V::Ref(inst, a) => {
                        format!("`{}.{a}` is known only after apply", self.ev.address(inst))
                    }
                    _ => format!("the value is a {}, not the expected type", v.type_name()),
                },
                attr,
            ),
        }
    }
}
