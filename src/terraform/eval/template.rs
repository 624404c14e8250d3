//! String templates and heredocs (`"${..}"`, `%{ if }`, `%{ for }`) and `for` expressions.

use super::core::*;
use super::ops::*;
use super::scope::*;
use crate::source::Span;
use crate::terraform::funcs;
use crate::terraform::value::{same, to_str, Val, V};
use hcl_edit::expr::Expression;
use hcl_edit::template::{Directive, Element, Template};
use std::collections::BTreeMap;

impl<'m, 'a> Evaluator<'m, 'a> {
    /// Largest string a template renders or `file()` reads: the value-size limit, so whatever
    /// is built can also be passed to a function (checked as the template grows, literal text
    /// included).
    pub(super) fn max_string(&self) -> usize {
        crate::limits::as_usize(self.limits().max_value_size)
    }

    fn template_too_large(&self, span: Span) -> Val {
        Val::error(
            format!(
                "the template's result is larger than {} bytes (EKS_LINT_MAX_VALUE_SIZE)",
                self.max_string()
            ),
            span,
        )
    }

    pub(super) fn template(&self, t: &Template, sc: &Scope, span: Span) -> Val {
        // A template that is a single interpolation yields the value itself, unconverted.
        if let Some(Element::Interpolation(i)) = t.as_single_element() {
            return self.eval(&i.expr, sc);
        }
        let mut out = Val::str(String::new(), span);
        let mut s = String::new();
        if let Some(u) = self.render(t, sc, &mut s, &mut out) {
            return u;
        }
        out.v = V::Str(s);
        out
    }

    /// Append a template's text to `s`; returns Some(unknown) when a part is not known.
    pub(super) fn render(
        &self,
        t: &Template,
        sc: &Scope,
        s: &mut String,
        acc: &mut Val,
    ) -> Option<Val> {
        let mut strip_next = false;
        for el in t.iter() {
            match el {
                Element::Literal(l) => {
                    if strip_next {
                        s.push_str(l.value().trim_start());
                    } else {
                        s.push_str(l.value());
                    }
                    strip_next = false;
                    if s.len() > self.max_string() {
                        return Some(self.template_too_large(acc.span));
                    }
                }
                Element::Interpolation(i) => {
                    if i.strip.strip_start() {
                        let n = s.trim_end().len();
                        s.truncate(n);
                    }
                    strip_next = i.strip.strip_end();
                    let v = self.eval(&i.expr, sc);
                    match to_str(&v) {
                        Ok(x) => s.push_str(&x),
                        Err(u) => return Some(u),
                    }
                    acc.absorb(&v);
                    if s.len() > self.max_string() {
                        return Some(self.template_too_large(acc.span));
                    }
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(ifd) => {
                        let c = self.eval(&ifd.if_expr.cond_expr, sc);
                        match c.v {
                            V::Bool(true) => {
                                if let Some(u) = self.render(&ifd.if_expr.template, sc, s, acc) {
                                    return Some(u);
                                }
                            }
                            V::Bool(false) => {
                                if let Some(e) = &ifd.else_expr {
                                    if let Some(u) = self.render(&e.template, sc, s, acc) {
                                        return Some(u);
                                    }
                                }
                            }
                            V::Unknown(_) => return Some(c),
                            _ => {
                                return Some(Val::error("template condition is not a bool", c.span))
                            }
                        }
                    }
                    Directive::For(fd) => {
                        let fe = &fd.for_expr;
                        let coll = self.eval(&fe.collection_expr, sc);
                        let pairs = match iter_pairs(&coll) {
                            Ok(p) => p,
                            Err(u) => return Some(u),
                        };
                        for (k, v) in pairs {
                            // An iteration of literal text evaluates no expression: count it,
                            // or nested loops would run unbounded.
                            if let Err(e) = self.step() {
                                return Some(self.exhausted(e, acc.span));
                            }
                            let mut inner = sc.bind(fe.value_var.as_str(), v);
                            if let Some(kv) = &fe.key_var {
                                inner = inner.bind(kv.as_str(), k);
                            }
                            if let Some(u) = self.render(&fe.template, &inner, s, acc) {
                                return Some(u);
                            }
                        }
                    }
                },
            }
        }
        None
    }

    /// `for id, cidr in zipmap(ids, cidrs)` where the ids are resource references (subnet
    /// ids known only after apply): the pairs, in list order, so the keys stay references and
    /// the values can be tested (`substr(cidr, 0, 4) == "10.0"`). Terraform orders by the ids,
    /// which are not known; the pairs themselves are.
    fn symbolic_zip(&self, e: &Expression, sc: &Scope) -> Option<(Vec<(Val, Val)>, Val)> {
        let Expression::FuncCall(call) = e else {
            return None;
        };
        if call.name.name.as_str() != "zipmap" || !call.name.namespace.is_empty() {
            return None;
        }
        let mut args = call.args.iter();
        let (Some(k), Some(v), None) = (args.next(), args.next(), args.next()) else {
            return None;
        };
        let keys = self.eval(k, sc);
        let V::List(ks) = &keys.v else { return None };
        if !ks
            .iter()
            .any(|x| matches!(x.v, V::Ref(..) | V::Resource(_)))
        {
            return None;
        }
        let vals = self.eval(v, sc);
        let V::List(vs) = &vals.v else { return None };
        if ks.len() != vs.len() {
            return None;
        }
        let mut pairs: Vec<(Val, Val)> = Vec::with_capacity(ks.len());
        for (k, v) in ks.iter().zip(vs) {
            // A repeated key keeps its last value, as in a map.
            match pairs.iter_mut().find(|(p, _)| same(p, k)) {
                Some(p) => p.1 = v.clone(),
                None => pairs.push((k.clone(), v.clone())),
            }
        }
        let mut coll = keys.clone();
        coll.absorb(&vals);
        Some((pairs, coll))
    }

    pub(super) fn for_expr(&self, f: &hcl_edit::expr::ForExpr, sc: &Scope, span: Span) -> Val {
        let (pairs, coll) = match self.symbolic_zip(&f.intro.collection_expr, sc) {
            Some(x) => x,
            None => {
                let coll = self.eval(&f.intro.collection_expr, sc);
                match iter_pairs(&coll) {
                    Ok(p) => (p, coll),
                    Err(u) => return u,
                }
            }
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Val> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Val>> = BTreeMap::new();
        let mut budget = self.max_string();
        for (k, v) in pairs {
            let mut inner = sc.bind(f.intro.value_var.as_str(), v);
            if let Some(kv) = &f.intro.key_var {
                inner = inner.bind(kv.as_str(), k);
            }
            if let Some(c) = &f.cond {
                let cv = self.eval(&c.expr, &inner);
                match cv.v {
                    V::Bool(true) => {}
                    V::Bool(false) => continue,
                    V::Unknown(_) => return cv,
                    _ => return Val::error("`for` condition is not a bool", cv.span),
                }
            }
            let val = self.eval(&f.value_expr, &inner);
            if !funcs::within(&val, &mut budget) {
                return Val::error("the `for` expression result is too large to evaluate", span);
            }
            match &f.key_expr {
                None => list.push(val),
                Some(ke) => {
                    let kv = self.eval(ke, &inner);
                    let key = match key_string(&kv) {
                        Ok(k) => k,
                        Err(u) => return u,
                    };
                    if f.grouping {
                        groups.entry(key).or_default().push(val);
                    } else if map.insert(key.clone(), val).is_some() {
                        return Val::error(
                            format!(
                                "duplicate key `{key}` in `for` expression (use `...` to group)"
                            ),
                            span,
                        );
                    }
                }
            }
        }
        let mut out = if f.key_expr.is_none() {
            Val::new(V::List(list), span)
        } else if f.grouping {
            let m = groups
                .into_iter()
                .map(|(k, v)| (k, Val::new(V::List(v), span)))
                .collect();
            Val::new(V::Map(m), span)
        } else {
            Val::new(V::Map(map), span)
        };
        out.absorb(&coll);
        out
    }
}
