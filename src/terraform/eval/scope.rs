//! The data an evaluation works on: where an expression is evaluated ([`Scope`], with the
//! instance context of `count`/`each`), how a resource's instances expand, and where a
//! variable's value comes from.

use crate::source::Span;
use crate::terraform::parse::ParsedFile;
use crate::terraform::value::{InstKey, Val};
use std::collections::BTreeMap;
use std::rc::Rc;

/// `count.index` / `each.key` / `each.value` of one resource instance.
#[derive(Debug, Clone)]
pub struct InstCtx {
    pub key: InstKey,
    pub count_index: Option<Val>,
    pub each_key: Option<Val>,
    pub each_value: Option<Val>,
}

/// Where an expression is evaluated: its file (for spans), the resource instance, and names
/// bound by `for` expressions, template `for` directives and `templatefile` variables.
///
/// Bound values are shared, not copied: a scope is cloned for every iteration of a `for`, so a
/// copy of each outer loop's value (or of a large `templatefile` variables map) per iteration
/// would make nested loops cost their values' size times the iterations.
#[derive(Clone)]
pub struct Scope<'s> {
    pub pf: &'s ParsedFile,
    pub inst: Option<&'s InstCtx>,
    /// Loop variables, innermost last (as deep as loops nest).
    pub(super) names: Vec<(Rc<str>, Rc<Val>)>,
    /// `templatefile` variables (and other isolated bindings), looked up after `names`.
    pub(super) vars: Option<Rc<BTreeMap<String, Val>>>,
    /// Only `names` and `vars` may be referenced (tfvars, `templatefile`, CLI values).
    pub isolated: bool,
}

impl<'s> Scope<'s> {
    pub fn new(pf: &'s ParsedFile) -> Scope<'s> {
        Scope::with_inst(pf, None)
    }

    pub fn with_inst(pf: &'s ParsedFile, inst: Option<&'s InstCtx>) -> Scope<'s> {
        Scope {
            pf,
            inst,
            names: Vec::new(),
            vars: None,
            isolated: false,
        }
    }

    /// Bind `name` in this scope.
    pub(super) fn push_name(&mut self, name: &str, v: Val) {
        self.names.push((name.into(), Rc::new(v)));
    }

    /// Bind a map of names at once, looked up behind the loop variables (`templatefile`).
    pub fn set_vars(&mut self, vars: BTreeMap<String, Val>) {
        self.vars = Some(Rc::new(vars));
    }

    pub(super) fn bind(&self, name: &str, v: Val) -> Scope<'s> {
        let mut s = self.clone();
        s.push_name(name, v);
        s
    }

    pub(super) fn lookup(&self, name: &str) -> Option<&Val> {
        self.names
            .iter()
            .rev()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| &**v)
            .or_else(|| self.vars.as_ref().and_then(|m| m.get(name)))
    }
}

/// How the instances of a resource expand.
#[derive(Debug, Clone)]
pub enum Expansion {
    Single,
    /// `count = n`; the Val is the count value (span/chain for `count.index`).
    Count(usize, Val),
    /// `for_each`: key → each.value.
    ForEach(Vec<(String, Val)>),
    /// count/for_each is not known, or not a whole number, map or set of strings.
    Unknown(Val),
    /// More instances than the limit; the value says so (its reason names the limit).
    TooMany(Val),
}

impl Expansion {
    /// The instance contexts (`count.index`, `each.key`, `each.value`), or why there are none.
    pub fn contexts(&self) -> Result<Vec<InstCtx>, Val> {
        Ok(match self {
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
            Expansion::Unknown(v) | Expansion::TooMany(v) => return Err(v.clone()),
        })
    }
}

/// The most instances a `count`/`for_each` (or blocks a `dynamic` block) may expand to, and
/// the variable that sets it.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: u64,
    pub var: &'static str,
}

impl Limit {
    /// Resources and `dynamic` blocks: `EKS_LINT_MAX_INSTANCES`.
    pub fn instances(limits: &crate::limits::Limits) -> Limit {
        Limit {
            max: limits.max_instances,
            var: "EKS_LINT_MAX_INSTANCES",
        }
    }

    /// The unknown value of `what` expanding to `n` `unit`s, more than the limit (one message
    /// for resources, module calls and `dynamic` blocks).
    pub fn exceeded(&self, what: &str, n: &str, unit: &str, at: Span) -> Val {
        Val::unknown(
            format!(
                "{what} expands to {n} {unit}, more than the {} eks-lint evaluates ({}): it is left unknown",
                self.max, self.var
            ),
            at,
        )
    }
}

/// Where a variable's value comes from, before evaluation.
pub enum VarInput<'a> {
    /// `name = expr` in a tfvars file.
    Expr(&'a hcl_edit::structure::Attribute, &'a ParsedFile),
    /// A `.tfvars.json` value.
    Json(serde_json::Value, Span),
    /// `--var name=value` or `TF_VAR_name`: a string, parsed as HCL for non-string types.
    Raw(String, &'static str),
    /// A module-call argument, already evaluated in the caller (extension point, issue 4).
    Value(Val),
}
