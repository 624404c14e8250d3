//! How a resource's `count`/`for_each` expands into instances.

use super::core::*;
use super::scope::*;
use crate::source::Span;
use crate::terraform::value::{fmt_num, InstKey, InstRef, Val, V};
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
        let r = &self.m.resources[res];
        let pf = self.m.files[r.file];
        let sc = Scope::new(pf);
        let body = &r.block.body;
        if let Some(c) = body.get_attribute("count") {
            let mut v = self.eval(&c.value, &sc);
            let at = self.span(&sc, c);
            if let V::Str(s) = &v.v {
                if let Ok(n) = s.trim().parse::<f64>() {
                    v.v = V::Num(n);
                }
            }
            return match v.v {
                V::Num(n) if n >= 0.0 && n.fract() == 0.0 => {
                    let max = crate::limits::as_usize(crate::limits::max_instances());
                    if n as usize > max {
                        self.report(
                            format!("instances/{}", r.address()),
                            at,
                            format!("`{}` expands to {} instances, more than the {max} eks-lint evaluates (EKS_LINT_MAX_INSTANCES): it is left unknown", r.address(), fmt_num(n)),
                        );
                        Expansion::Unknown(Val::unknown("too many instances", at))
                    } else {
                        Expansion::Count(n as usize, v.through(at))
                    }
                }
                V::Unknown(_) => Expansion::Unknown(v),
                _ => Expansion::Unknown(Val::error("`count` is not a whole number", at)),
            };
        }
        if let Some(fe) = body.get_attribute("for_each") {
            let v = self.eval(&fe.value, &sc);
            let at = self.span(&sc, fe);
            let pairs: Vec<(String, Val)> = match &v.v {
                V::Map(m) => m.iter().map(|(k, x)| (k.clone(), x.clone())).collect(),
                V::List(items) => {
                    let mut out: Vec<(String, Val)> = Vec::new();
                    for x in items {
                        match &x.v {
                            V::Str(s) => {
                                if !out.iter().any(|(k, _)| k == s) {
                                    out.push((s.clone(), x.clone()));
                                }
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
                    out.sort_by(|a, b| a.0.cmp(&b.0));
                    out
                }
                V::Unknown(_) => return Expansion::Unknown(v),
                _ => {
                    return Expansion::Unknown(Val::error(
                        "`for_each` must be a map or a set of strings",
                        at,
                    ))
                }
            };
            let max = crate::limits::as_usize(crate::limits::max_instances());
            if pairs.len() > max {
                self.report(
                    format!("instances/{}", r.address()),
                    at,
                    format!("`{}` expands to {} instances, more than the {max} eks-lint evaluates (EKS_LINT_MAX_INSTANCES): it is left unknown", r.address(), pairs.len()),
                );
                return Expansion::Unknown(Val::unknown("too many instances", at));
            }
            return Expansion::ForEach(pairs);
        }
        Expansion::Single
    }

    /// The instances of a resource with their `count`/`each` context; Err when unknown.
    pub fn instances(&self, res: usize) -> Result<Vec<InstCtx>, Val> {
        Ok(match &*self.expansion(res) {
            Expansion::Single => vec![InstCtx {
                key: InstKey::None,
                count_index: None,
                each_key: None,
                each_value: None,
            }],
            Expansion::Count(n, cv) => (0..*n)
                .map(|i| InstCtx {
                    key: InstKey::Int(i),
                    count_index: Some(Val::num(i as f64, cv.span)),
                    each_key: None,
                    each_value: None,
                })
                .collect(),
            Expansion::ForEach(pairs) => pairs
                .iter()
                .map(|(k, v)| InstCtx {
                    key: InstKey::Str(k.clone()),
                    count_index: None,
                    each_key: Some(Val::str(k.clone(), v.span)),
                    each_value: Some(v.clone()),
                })
                .collect(),
            Expansion::Unknown(v) => return Err(v.clone()),
        })
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
