//! The nested blocks of a resource instance, with `dynamic` blocks expanded: the extractor
//! reads only plain blocks.
//!
//! Terraform's semantics are those of hashicorp/hcl `ext/dynblock` (`expand_body.go`,
//! `expand_spec.go`, `iteration.go` at 2efc2662361a9f5fd39f5d0cd46970ce4c3f7be2):
//! - written blocks of a type and the blocks `dynamic "<type>"` generates come in the order
//!   they are written (`expandBlocks` walks the body once);
//! - `dynamic` generates one block per element of `for_each` (any collection: a list's keys
//!   are its indexes, a map's or object's its keys), whose body is the one `content` block;
//! - the iterator is named after the block type unless `iterator = <name>` (a single name),
//!   and is an object `{ key, value }`; a block inside a generated one, written or dynamic,
//!   sees the iterators of every `dynamic` it is inside of, the innermost winning a name
//!   (`MakeChild`), and the `for_each` of a nested `dynamic` is evaluated with them;
//! - `labels` are evaluated with the element's iterator and must be known strings;
//! - a null or non-collection `for_each`, a missing or second `content`, an `iterator` that
//!   is not a name, or an unknown label are errors;
//! - an unknown `for_each` makes Terraform generate one block whose body is wholly unknown
//!   (`unknownBody`): eks-lint makes the whole set of blocks of that type unknown, with the
//!   reason, so a rule that needs them notes it (EKS901) rather than seeing no block.
//!
//! eks-lint keeps sets as lists, so `key` of a set element is its index (Terraform gives the
//! element). The number of blocks one `dynamic` generates is bounded like a resource's
//! instances ([`Limit::instances`]), and each costs an evaluation step.

use super::core::*;
use super::scope::*;
use crate::source::Span;
use crate::terraform::value::{InstRef, Unk, Val, V};
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use std::collections::BTreeMap;
use std::rc::Rc;

/// A block of a resource instance as Terraform sees it after `dynamic` expansion.
#[derive(Clone)]
pub struct Block<'b> {
    /// Where its attributes and nested blocks are: the written block's body, or the
    /// `content` of the `dynamic` block that generated it.
    pub body: &'b Body,
    /// The written block, or the `dynamic` block that generated this one (for spans).
    pub written: &'b hcl_edit::structure::Block,
    pub labels: Vec<String>,
    /// The iterators in scope, outermost first.
    names: Vec<(Rc<str>, Rc<Val>)>,
}

impl<'b> Block<'b> {
    /// A resource's own block, the parent of its nested blocks.
    pub fn resource(block: &'b hcl_edit::structure::Block) -> Block<'b> {
        Block {
            body: &block.body,
            written: block,
            labels: block
                .labels
                .iter()
                .map(|l| l.as_str().to_string())
                .collect(),
            names: Vec::new(),
        }
    }
}

impl<'m, 'a> Evaluator<'m, 'a> {
    /// The blocks of type `ty` in `parent` (the resource's block or one of its blocks) for
    /// instance `inst`; Err with the reason when which blocks there are is not known.
    pub fn blocks<'b>(
        &self,
        inst: &InstRef,
        parent: &Block<'b>,
        ty: &str,
    ) -> Result<Vec<Block<'b>>, Val> {
        let mut out = Vec::new();
        for b in parent.body.blocks() {
            if b.has_ident(ty) {
                out.push(Block {
                    body: &b.body,
                    written: b,
                    labels: b.labels.iter().map(|l| l.as_str().to_string()).collect(),
                    names: parent.names.clone(),
                });
            } else if b.has_ident("dynamic") && b.has_exact_labels(&[ty]) {
                self.dynamic(inst, parent, b, ty, &mut out)?;
            }
        }
        Ok(out)
    }

    /// Attribute `name` of block `b` evaluated for instance `inst`, with the attribute's span.
    pub fn block_attr(&self, inst: &InstRef, b: &Block, name: &str) -> Option<(Val, Span)> {
        let a = b.body.get_attribute(name)?;
        let file = self.m.resources.get(inst.local_res()?)?.file;
        Some((
            self.instance_attr_with(inst, a, &b.names),
            self.m.span_of(file, a),
        ))
    }

    /// The blocks `dynamic "<ty>"` block `d` generates, appended to `out`.
    fn dynamic<'b>(
        &self,
        inst: &InstRef,
        parent: &Block<'b>,
        d: &'b hcl_edit::structure::Block,
        ty: &str,
        out: &mut Vec<Block<'b>>,
    ) -> Result<(), Val> {
        let file = inst
            .local_res()
            .and_then(|r| self.m.resources.get(r))
            .map_or(0, |r| r.file);
        let what = format!("`dynamic \"{ty}\"` in `{}`", self.address(inst));
        let bad = |msg: String| Val::error(format!("{what} {msg}"), self.m.span_of(file, d));
        let mut contents = d.body.get_blocks("content");
        let (Some(content), None) = (contents.next(), contents.next()) else {
            return Err(bad("needs exactly one `content` block".into()));
        };
        let Some(fe) = d.body.get_attribute("for_each") else {
            return Err(bad("has no `for_each`".into()));
        };
        let iterator: Rc<str> = match d.body.get_attribute("iterator").map(|a| &a.value) {
            None => ty.into(),
            Some(Expression::Variable(v)) => v.as_str().into(),
            Some(_) => return Err(bad("has an `iterator` that is not a single name".into())),
        };
        let coll = self.instance_attr_with(inst, fe, &parent.names);
        let at = self.m.span_of(file, fe);
        let pairs: Vec<(Val, Val)> = match &coll.v {
            V::List(l) => l
                .iter()
                .enumerate()
                .map(|(k, v)| (Val::num(k as f64, v.span), v.clone()))
                .collect(),
            V::Map(m) => m
                .iter()
                .map(|(k, v)| (Val::str(k.clone(), v.span), v.clone()))
                .collect(),
            V::Unknown(u) => {
                let unk = Unk {
                    reason: format!(
                        "{what} repeats over a `for_each` that is not known ({})",
                        u.reason
                    ),
                    error: u.error,
                    distinct: None,
                };
                return Err(Val::new(V::Unknown(unk), coll.span));
            }
            V::Resource(_) | V::Ref(..) => {
                return Err(Val::unknown(
                    format!("{what} repeats over a `for_each` known only after apply"),
                    at,
                ))
            }
            V::Null => return Err(bad("has a null `for_each`".into())),
            _ => {
                return Err(bad(format!(
                    "has a {} `for_each`, not a collection",
                    coll.type_name()
                )))
            }
        };
        let limit = Limit::instances(self.limits());
        if pairs.len() as u64 > limit.max {
            let v = limit.exceeded(&what, &pairs.len().to_string(), "blocks", at);
            if let Some(u) = super::ops::reason(&v) {
                self.report(
                    format!("dynamic/{}/{ty}", self.address(inst)),
                    at,
                    u.reason.clone(),
                );
            }
            return Err(v);
        }
        for (key, value) in pairs {
            if let Err(e) = self.step() {
                return Err(self.exhausted(e, at));
            }
            let it = BTreeMap::from([("key".to_string(), key), ("value".to_string(), value)]);
            let mut names = parent.names.clone();
            names.push((iterator.clone(), Rc::new(Val::new(V::Map(it), coll.span))));
            let labels = match d.body.get_attribute("labels") {
                None => Vec::new(),
                Some(a) => self.labels(inst, a, &names).map_err(bad)?,
            };
            out.push(Block {
                body: &content.body,
                written: d,
                labels,
                names,
            });
        }
        Ok(())
    }

    /// A generated block's `labels`: known strings (Terraform: "Dynamic block labels must be
    /// immediately-known values").
    fn labels(
        &self,
        inst: &InstRef,
        a: &hcl_edit::structure::Attribute,
        names: &[(Rc<str>, Rc<Val>)],
    ) -> Result<Vec<String>, String> {
        let v = self.instance_attr_with(inst, a, names);
        let V::List(items) = &v.v else {
            return Err(format!(
                "has `labels` that are a {}, not a list",
                v.type_name()
            ));
        };
        items
            .iter()
            .map(|x| match &x.v {
                V::Str(s) => Ok(s.clone()),
                V::Num(n) => Ok(crate::terraform::value::fmt_num(*n)),
                V::Bool(b) => Ok(b.to_string()),
                _ => Err(format!("has a label that is not a known string ({})", {
                    super::ops::reason(x).map_or(x.type_name(), |u| u.reason.as_str())
                })),
            })
            .collect()
    }
}
