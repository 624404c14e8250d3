//! How a resource's `count`/`for_each` expands into instances.

use super::core::*;
use super::ops::reason;
use super::scope::*;
use crate::source::Span;
use crate::terraform::module::{Mode, COMPUTE_OR_NETWORK};
use crate::terraform::value::{fmt_num, InstKey, InstRef, Val, V};
use hcl_edit::structure::Body;
use std::collections::BTreeMap;
use std::rc::Rc;

impl<'m, 'a> Evaluator<'m, 'a> {
    /// How a resource expands (memoised).
    pub fn expansion(&self, res: usize) -> Rc<Expansion> {
        if let Some(e) = self.expansions.borrow().get(&res) {
            return e.clone();
        }
        // Mark as single while computing so a self-reference in count cannot recurse forever.
        self.expansions.borrow_mut().insert(
            res,
            Rc::new(Expansion::Unknown(Val::error(
                "cycle in count/for_each",
                Span::default(),
            ))),
        );
        let e = Rc::new(self.compute_expansion(res));
        self.expansions.borrow_mut().insert(res, e.clone());
        e
    }

    pub(super) fn compute_expansion(&self, res: usize) -> Expansion {
        let Some(r) = self.m.resources.get(res) else {
            return Expansion::Unknown(Val::error(
                "not a resource of this module",
                Span::default(),
            ));
        };
        let sc = Scope::new(self.m.files[r.file]);
        let e = self.expand(
            &r.block.body,
            &sc,
            &r.address(),
            Limit::instances(self.limits()),
        );
        match &e {
            Expansion::TooMany(v) => {
                // The resource disappears from the model: say so once.
                if let Some(u) = reason(v) {
                    self.report(
                        format!("instances/{}", r.address()),
                        v.span,
                        u.reason.clone(),
                    );
                }
            }
            Expansion::Unknown(v) if self.could_define_capacity(r) => {
                let why = reason(v).map_or("unknown", |u| u.reason.as_str());
                let (meta, attr) = match r.block.body.get_attribute("count") {
                    Some(a) => ("count", Some(a)),
                    None => ("for_each", r.block.body.get_attribute("for_each")),
                };
                // At the resource's own line: the reason names where the value comes from.
                let at = match attr {
                    Some(a) => self.m.span_of(r.file, a),
                    None => self.m.span_of(r.file, r.block),
                };
                self.report(
                    format!("instances/{}", r.address()),
                    at,
                    format!(
                        "`{}` is not checked: its `{meta}` is not known ({why}), so neither is how many instances it has or what they define",
                        r.address()
                    ),
                );
            }
            _ => {}
        }
        e
    }

    /// Whether a resource could define compute, the network or VPC CNI settings (its
    /// instances vanishing unnoticed would hide findings): the types of
    /// [`COMPUTE_OR_NETWORK`], and add-ons and Helm releases that are, or may be, the VPC CNI.
    fn could_define_capacity(&self, r: &crate::terraform::module::Resource) -> bool {
        if r.mode != Mode::Managed {
            return false;
        }
        if COMPUTE_OR_NETWORK.contains(&r.ty) {
            return true;
        }
        let attr = match r.ty {
            "aws_eks_addon" => "addon_name",
            "helm_release" => "chart",
            _ => return false,
        };
        // A literal name says which; an expression (`each.key`) may name the VPC CNI.
        match r.block.body.get_attribute(attr).map(|a| &a.value) {
            Some(hcl_edit::expr::Expression::String(s)) => s.value().contains("vpc-cni"),
            Some(_) => true,
            None => false,
        }
    }

    /// How a block with `count` or `for_each` expands, for resources and module calls alike
    /// (Terraform's rules: `count` a whole number, also as a string; `for_each` a map or a
    /// set of strings, in key order), with at most `limit.max` instances.
    pub fn expand(&self, body: &Body, sc: &Scope, addr: &str, limit: Limit) -> Expansion {
        let too_many = |n: String, at: Span| {
            Expansion::TooMany(limit.exceeded(&format!("`{addr}`"), &n, "instances", at))
        };
        if let Some(c) = body.get_attribute("count") {
            let mut v = self.eval(&c.value, sc);
            let at = self.span(sc, c);
            if let V::Str(s) = &v.v {
                if let Ok(n) = s.trim().parse::<f64>() {
                    v.v = V::Num(n);
                }
            }
            return match v.v {
                V::Num(n) if n >= 0.0 && n.fract() == 0.0 => {
                    if n > limit.max as f64 {
                        too_many(fmt_num(n), at)
                    } else {
                        Expansion::Count(n as usize, v.through(at))
                    }
                }
                V::Unknown(_) => Expansion::Unknown(v),
                _ => Expansion::Unknown(Val::error("`count` is not a whole number", at)),
            };
        }
        if let Some(fe) = body.get_attribute("for_each") {
            let v = self.eval(&fe.value, sc);
            let at = self.span(sc, fe);
            let pairs: Vec<(String, Val)> = match &v.v {
                V::Map(m) => m.iter().map(|(k, x)| (k.clone(), x.clone())).collect(),
                V::List(items) => {
                    // A set: each string once, in key order (a BTreeMap keeps both linear).
                    let mut out: BTreeMap<String, Val> = BTreeMap::new();
                    for x in items {
                        match &x.v {
                            V::Str(s) => {
                                out.entry(s.clone()).or_insert_with(|| x.clone());
                            }
                            V::Unknown(_) => return Expansion::Unknown(x.clone()),
                            _ => {
                                return Expansion::Unknown(Val::error(
                                    "`for_each` set elements must be strings",
                                    at,
                                ))
                            }
                        }
                    }
                    out.into_iter().collect()
                }
                V::Unknown(_) => return Expansion::Unknown(v),
                _ => {
                    return Expansion::Unknown(Val::error(
                        "`for_each` must be a map or a set of strings",
                        at,
                    ))
                }
            };
            if pairs.len() as u64 > limit.max {
                return too_many(pairs.len().to_string(), at);
            }
            return Expansion::ForEach(pairs);
        }
        Expansion::Single
    }

    /// The instances of a resource with their `count`/`each` context; Err when unknown.
    pub fn instances(&self, res: usize) -> Result<Vec<InstCtx>, Val> {
        self.expansion(res).contexts()
    }

    /// The context of one instance, found without materialising all of them (resources
    /// with thousands of instances evaluate each attribute through here).
    pub(super) fn inst_ctx(&self, inst: &InstRef) -> Option<InstCtx> {
        let exp = self.expansion(inst.local_res()?);
        match (&*exp, &inst.key) {
            (Expansion::Single, InstKey::None) => Some(InstCtx {
                key: InstKey::None,
                count_index: None,
                each_key: None,
                each_value: None,
            }),
            (Expansion::Count(n, cv), InstKey::Int(i)) if i < n => Some(InstCtx {
                key: inst.key.clone(),
                count_index: Some(Val::num(*i as f64, cv.span)),
                each_key: None,
                each_value: None,
            }),
            (Expansion::ForEach(pairs), InstKey::Str(k)) => {
                let i = pairs.binary_search_by(|(pk, _)| pk.as_str().cmp(k)).ok()?;
                let v = &pairs[i].1;
                Some(InstCtx {
                    key: inst.key.clone(),
                    count_index: None,
                    each_key: Some(Val::str(k.clone(), v.span)),
                    each_value: Some(v.clone()),
                })
            }
            _ => None,
        }
    }
}
