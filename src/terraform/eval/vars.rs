//! Input variables (tfvars, `--var`, `TF_VAR_`, module arguments, defaults) with their type
//! constraints, and locals.

use super::core::*;
use super::scope::*;
use crate::source::Span;
use crate::terraform::parse::{ParsedFile, SpanMap};
use crate::terraform::value::{fmt_num, Val, V};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::Body;

pub(super) fn looks_structured(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('[') || t.starts_with('{')
}

/// Terraform's conversion to a declared primitive type.
pub(super) fn convert(v: Val, ty: Option<&str>) -> Val {
    let span = v.span;
    let nv = match (ty, &v.v) {
        (Some("number"), V::Str(s)) => match s.trim().parse::<f64>() {
            Ok(n) => V::Num(n),
            Err(_) => return Val::error(format!("`{s}` is not a number"), span),
        },
        (Some("string"), V::Num(n)) => V::Str(fmt_num(*n)),
        (Some("string"), V::Bool(b)) => V::Str(b.to_string()),
        (Some("bool"), V::Str(s)) if s == "true" || s == "false" => V::Bool(s == "true"),
        _ => return v,
    };
    Val { v: nv, ..v }
}

impl<'m, 'a> Evaluator<'m, 'a> {
    /// A variable's value: inputs (tfvars, CLI, environment, module call) over the default.
    pub fn var(&self, name: &str, span: Span) -> Val {
        if let Some(v) = self.vars.borrow().get(name) {
            return v.clone();
        }
        let v = self.compute_var(name, span);
        let v = self.overlay_var(name, v);
        self.vars.borrow_mut().insert(name.to_string(), v.clone());
        v
    }

    pub(super) fn compute_var(&self, name: &str, span: Span) -> Val {
        let Some(decl) = self.m.variables.get(name) else {
            return Val::error(format!("variable `{name}` is not declared"), span);
        };
        let pf = self.m.files[decl.file];
        // The declaration line (`variable "name"`), not the whole block.
        let decl_span = {
            let b = self.m.span_of(decl.file, decl.block);
            match decl.block.labels.last() {
                Some(l) => {
                    let l = self.m.span_of(decl.file, l);
                    Span {
                        end: l.end.max(b.start),
                        ..b
                    }
                }
                None => b,
            }
        };
        let ty = decl.primitive_type();
        let mut v = match self.inputs.get(name) {
            Some(VarInput::Expr(attr, tpf)) => {
                let mut sc = Scope::new(tpf);
                sc.isolated = true;
                let v = self.eval(&attr.value, &sc);
                let at = self.span(&sc, *attr);
                v.through(at)
            }
            Some(VarInput::Json(j, at)) => crate::terraform::value::from_json(j, *at),
            Some(VarInput::Raw(s, how)) => self.raw_input(name, s, how, decl, decl_span),
            Some(VarInput::Value(v)) => v.clone(),
            None => match decl.default() {
                Some(d) => {
                    let mut sc = Scope::new(pf);
                    sc.isolated = true;
                    let v = self.eval(&d.value, &sc);
                    let v = convert(v.through(self.span(&sc, d)), ty);
                    return self.apply_type(v, decl.block.body.get_attribute("type"), pf, 0);
                }
                None => {
                    return Val::unknown(
                        format!("variable `{name}` has no default and no value was given (use --var or --var-file)"),
                        decl_span,
                    )
                }
            },
        };
        v.push_via(decl_span);
        let v = convert(v, ty);
        self.apply_type(v, decl.block.body.get_attribute("type"), pf, 0)
    }

    /// A `--var` or `TF_VAR_` value as Terraform reads it: the text itself for a primitive or
    /// unconstrained variable, HCL syntax for a complex type (`list(string)`, `map(...)`,
    /// `object(...)`, ...). A value that does not parse, or is not the type's kind of value, is
    /// refused like Terraform refuses it (an input error) and stays unknown.
    fn raw_input(
        &self,
        name: &str,
        s: &str,
        how: &str,
        decl: &crate::terraform::module::Variable<'_>,
        decl_span: Span,
    ) -> Val {
        let raw = Val::str(s.to_string(), decl_span);
        let type_expr = decl.block.body.get_attribute("type").map(|a| &a.value);
        // The outer kind a complex type requires: list-like or map-like.
        let kind = match type_expr {
            Some(Expression::FuncCall(f)) => match f.name.name.as_str() {
                "list" | "set" | "tuple" => Some("list"),
                "map" | "object" => Some("map"),
                _ => None,
            },
            _ => None,
        };
        let any = matches!(type_expr, Some(Expression::Variable(v)) if v.as_str() == "any");
        if kind.is_none() && !(any && looks_structured(s)) {
            return raw;
        }
        let type_text = type_expr.map_or(String::new(), |t| t.to_string().trim().to_string());
        let given = if how == "--var" {
            format!("--var {name}={s}")
        } else {
            format!("TF_VAR_{name}={s}")
        };
        let refuse = |why: &str| {
            self.input_errors.borrow_mut().push(format!(
                "{given}: variable `{name}` has type `{type_text}` and {why}; Terraform \
                 refuses it (write the value in HCL syntax, e.g. {name}='[\"a\", \"b\"]' for a \
                 list)"
            ));
            Val::unknown(
                format!("the {how} value of `{name}` is not a `{type_text}`"),
                decl_span,
            )
        };
        let Ok(e) = hcl_edit::parser::parse_expr(s) else {
            return refuse("the value is not an HCL expression");
        };
        let tmp = ParsedFile {
            file: decl_span.file,
            body: Body::new(),
            spans: SpanMap::Fixed(decl_span),
        };
        let mut sc = Scope::new(&tmp);
        sc.isolated = true;
        let v = self.eval(&e, &sc);
        match (kind, &v.v) {
            // Only literals: names (`eu-west-1a` is one) and calls have nothing to refer to.
            (_, _) if v.is_unknown() => refuse("the value is not a literal"),
            (Some("list"), V::List(_)) | (Some("map"), V::Map(_)) | (None, _) => v,
            (Some(k), _) => refuse(&format!("the value is not a {k}")),
        }
    }

    /// Apply a type constraint's `optional(type, default)` attributes (Terraform fills them
    /// in before the module sees the value) and primitive conversions, through `map`, `list`,
    /// `set` and `object` types.
    pub(super) fn apply_type(
        &self,
        v: Val,
        ty: Option<&hcl_edit::structure::Attribute>,
        pf: &ParsedFile,
        depth: u32,
    ) -> Val {
        match ty {
            Some(t) => self.apply_type_expr(v, &t.value, pf, depth),
            None => v,
        }
    }

    pub(super) fn apply_type_expr(
        &self,
        mut v: Val,
        t: &Expression,
        pf: &ParsedFile,
        depth: u32,
    ) -> Val {
        if depth > 16 || v.is_unknown() {
            return v;
        }
        match t {
            Expression::Variable(p) => convert(v, Some(p.as_str())),
            Expression::FuncCall(f) => {
                let arg = f.args.iter().next();
                match (f.name.name.as_str(), arg) {
                    ("optional", Some(inner)) => self.apply_type_expr(v, inner, pf, depth + 1),
                    ("map", Some(inner)) => {
                        if let V::Map(m) = &mut v.v {
                            let keys: Vec<String> = m.keys().cloned().collect();
                            for k in keys {
                                if let Some(x) = m.remove(&k) {
                                    m.insert(k, self.apply_type_expr(x, inner, pf, depth + 1));
                                }
                            }
                        }
                        v
                    }
                    ("list" | "set", Some(inner)) => {
                        if let V::List(items) = &mut v.v {
                            let old = std::mem::take(items);
                            *items = old
                                .into_iter()
                                .map(|x| self.apply_type_expr(x, inner, pf, depth + 1))
                                .collect();
                        }
                        v
                    }
                    ("object", Some(Expression::Object(fields))) => {
                        let span = v.span;
                        if let V::Map(m) = &mut v.v {
                            for (k, ft) in fields.iter() {
                                let key = match k {
                                    ObjectKey::Ident(i) => i.as_str().to_string(),
                                    ObjectKey::Expression(Expression::Variable(i)) => {
                                        i.as_str().to_string()
                                    }
                                    ObjectKey::Expression(Expression::String(s)) => {
                                        s.value().clone()
                                    }
                                    _ => continue,
                                };
                                let ft = ft.expr();
                                match m.remove(&key) {
                                    Some(x) if !matches!(x.v, V::Null) => {
                                        m.insert(key, self.apply_type_expr(x, ft, pf, depth + 1));
                                    }
                                    _ => {
                                        // Missing or null: an optional attribute's default.
                                        let default = match ft {
                                            Expression::FuncCall(of)
                                                if of.name.name.as_str() == "optional" =>
                                            {
                                                of.args.iter().nth(1).map(|d| {
                                                    let mut sc = Scope::new(pf);
                                                    sc.isolated = true;
                                                    self.eval(d, &sc)
                                                })
                                            }
                                            _ => None,
                                        };
                                        m.insert(key, default.unwrap_or(Val::new(V::Null, span)));
                                    }
                                }
                            }
                        }
                        v
                    }
                    _ => v,
                }
            }
            _ => v,
        }
    }

    /// A local value, evaluated once; cycles become unknown with a diagnostic.
    pub fn local(&self, name: &str, span: Span) -> Val {
        if let Some(state) = self.locals.borrow().get(name) {
            return match state {
                Some(v) => v.clone(),
                None => {
                    self.report(
                        format!("local-cycle/{name}"),
                        span,
                        format!("`local.{name}` refers to itself (a cycle): it is left unknown"),
                    );
                    Val::error(format!("`local.{name}` is part of a cycle"), span)
                }
            };
        }
        let Some(n) = self.m.locals.get(name) else {
            return Val::error(format!("local value `{name}` is not declared"), span);
        };
        self.locals.borrow_mut().insert(name.to_string(), None);
        let pf = self.m.files[n.file];
        let sc = Scope::new(pf);
        let mut v = self.eval(&n.attr.value, &sc);
        v.push_via(self.span(&sc, n.attr));
        self.locals
            .borrow_mut()
            .insert(name.to_string(), Some(v.clone()));
        v
    }
}
