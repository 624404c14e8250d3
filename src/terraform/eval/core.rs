//! The evaluator itself: the [`Resolver`] it asks for what lies outside its module, its
//! state (memo tables, depth, diagnostics), the budgets every step is counted against, and the
//! expression dispatch. The other files of `eval/` add methods for one kind of expression each.

use super::ops::*;
use super::scope::*;
use crate::access::Access;
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::source::Span;
use crate::terraform::budget::{Budget, RunBudget};
use crate::terraform::module::Module;
use crate::terraform::value::{same, InstKey, InstRef, Val, V};
use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

pub use crate::limits::EVAL_MAX_DEPTH as MAX_DEPTH;

/// What the evaluator asks of the layer above it (issue 13).
///
/// The evaluator knows one module: its expressions, variables, locals and resources. A
/// `module.x` reference, a resource of another module that arrived through a module output,
/// the root's file-access policy and budgets, and the root's diagnostics belong to whoever
/// instantiates modules ([`crate::terraform::calls`]). The evaluator defines this trait and asks it, so
/// evaluation does not depend on instantiation (Terraform's `lang` package and its `Scope`
/// data interface are the model).
pub trait Resolver<'a> {
    /// `module.<call>` (and `.<output>` when given), as `ev`'s module sees it: the value and
    /// how many traversal operators it consumed (1 for the module object, 2 with an output).
    fn module_value(
        &self,
        ev: &Evaluator<'_, 'a>,
        call: &str,
        output: Option<&str>,
        span: Span,
    ) -> (Val, usize);

    /// How messages name an external instance (`module.vpc.aws_subnet.private[0]`).
    fn external_name(&self, inst: &InstRef) -> String;

    /// What `file()`, `templatefile()` and `fileexists()` may read.
    fn access(&self) -> &Access;

    /// The budget every module instance of the root shares.
    fn budget(&self) -> &Budget;

    /// The run's limits.
    fn limits(&self) -> &crate::limits::Limits;

    /// The budget every root of the run shares.
    fn run_budget(&self) -> &RunBudget;

    /// A diagnostic about the root as a whole (a spent budget), reported once by the root.
    fn report(&self, d: Diagnostic);

    /// `path.root` (the root module's directory, as scanned) and `path.cwd` (where Terraform
    /// runs: that directory, absolute).
    fn root_paths(&self) -> (String, String);

    /// `terraform.workspace`.
    fn workspace(&self) -> String;

    /// A data source another root of the scan may produce (`terraform::links`): recorded,
    /// and, when the root is evaluated again with the answers, its value (`addr` names the
    /// data source in a reason). None: read from AWS at plan time.
    fn linked(&self, _q: crate::terraform::links::Query, _addr: &str, _span: Span) -> Option<Val> {
        None
    }

    /// The subnet a token of a linked SSM parameter's value stands for (`links::token`).
    fn linked_subnet(&self, _token: &str) -> Option<InstRef> {
        None
    }

    /// A name beyond Terraform's own (`dependency`, `include` of a Terragrunt file); None in
    /// a Terraform module.
    fn global(&self, _name: &str, _span: Span) -> Option<Val> {
        None
    }

    /// A function beyond Terraform's built-ins (Terragrunt's); None when `name` is not one.
    fn function(&self, _name: &str, _args: &[Val], _span: Span) -> Option<Val> {
        None
    }

    /// The plan or state document paired with the root (issue 18), and the address prefix of
    /// this module instance in it (`""` at the root, `module.a["x"].` below).
    fn plan(&self) -> Option<(&crate::plan::Plan, String)> {
        None
    }
}

pub struct Evaluator<'m, 'a> {
    pub m: &'m Module<'a>,
    pub(super) inputs: HashMap<String, VarInput<'a>>,
    pub(super) vars: RefCell<HashMap<String, Val>>,
    pub(super) locals: RefCell<HashMap<String, Option<Val>>>,
    pub(super) expansions: RefCell<HashMap<usize, Rc<Expansion>>>,
    pub(super) attrs_in_progress: RefCell<HashSet<(usize, InstKey, String)>>,
    pub(super) attr_memo: RefCell<HashMap<(usize, InstKey, String), Val>>,
    pub(super) depth: Cell<u32>,
    /// The budget when no [`crate::terraform::calls::Root`] shares one (an evaluator on its own).
    pub(super) own_budget: crate::terraform::budget::Budget,
    pub(super) diags: RefCell<Vec<Diagnostic>>,
    /// Inputs Terraform would refuse (a `--var` value that is not of its variable's type).
    pub(super) input_errors: RefCell<Vec<String>>,
    pub(super) reported: RefCell<HashSet<String>>,
    /// Module calls, external instances, budgets and file access ([`Resolver`]); None:
    /// module outputs are unknown and no file is read.
    pub(super) resolver: Option<&'m dyn Resolver<'a>>,
}

impl<'m, 'a> Evaluator<'m, 'a> {
    pub fn new(m: &'m Module<'a>, inputs: HashMap<String, VarInput<'a>>) -> Self {
        Evaluator {
            m,
            inputs,
            vars: RefCell::default(),
            locals: RefCell::default(),
            expansions: RefCell::default(),
            attrs_in_progress: RefCell::default(),
            attr_memo: RefCell::default(),
            depth: Cell::new(0),
            own_budget: Default::default(),
            diags: RefCell::default(),
            input_errors: RefCell::default(),
            reported: RefCell::default(),
            resolver: None,
        }
    }

    /// Resolve `module.<name>`, external instances, budgets and file access through `r`.
    /// The subnet a linked SSM parameter's token stands for ([`Resolver::linked_subnet`]).
    pub fn linked_subnet(&self, token: &str) -> Option<InstRef> {
        self.resolver?.linked_subnet(token)
    }

    pub fn with_resolver(mut self, r: &'m dyn Resolver<'a>) -> Self {
        self.resolver = Some(r);
        self
    }

    pub fn take_diagnostics(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags.borrow_mut())
    }

    pub fn take_input_errors(&self) -> Vec<String> {
        std::mem::take(&mut self.input_errors.borrow_mut())
    }

    /// The run's limits (the defaults for an evaluator on its own).
    pub(crate) fn limits(&self) -> &crate::limits::Limits {
        self.resolver
            .map_or(&crate::limits::Limits::DEFAULT, |r| r.limits())
    }

    pub(super) fn budget(&self) -> &crate::terraform::budget::Budget {
        self.resolver.map_or(&self.own_budget, |r| r.budget())
    }

    /// Count one evaluation step against the root's and the run's budgets.
    pub(crate) fn step(&self) -> Result<(), crate::terraform::budget::Exhausted> {
        self.budget().step(self.resolver.map(|r| r.run_budget()))
    }

    /// Count the bytes of a value built (a function result, a copy of a variable, a template).
    pub(crate) fn charge(&self, v: &Val) -> Result<(), crate::terraform::budget::Exhausted> {
        self.budget().bytes(crate::terraform::budget::size(v))
    }

    /// The unknown value for a spent budget; the first time in a root, its note.
    pub(crate) fn exhausted(&self, e: crate::terraform::budget::Exhausted, span: Span) -> Val {
        if e.first {
            let d = Diagnostic::new(Code::EKS901, Level::Note, span, e.message())
                .with_label("not evaluated")
                .with_key(format!("eval/budget/{:?}", e.kind));
            match self.resolver {
                Some(r) => r.report(d),
                None => self.diags.borrow_mut().push(d),
            }
        }
        Val::error("evaluation budget exceeded", span)
    }

    /// Record an evaluation limit or cycle once per key (EKS901: the value stays unknown).
    pub(super) fn report(&self, key: String, span: Span, msg: String) {
        if self.reported.borrow_mut().insert(key.clone()) {
            self.diags.borrow_mut().push(
                Diagnostic::new(Code::EKS901, Level::Note, span, msg)
                    .with_label("not evaluated")
                    .with_key(format!("eval/{key}")),
            );
        }
    }

    pub fn span(&self, sc: &Scope, node: &impl hcl_edit::Span) -> Span {
        let fallback = Span::new(sc.pf.file, 0, 0);
        sc.pf.spans.map(sc.pf.file, node.span(), fallback)
    }

    /// Evaluate an expression.
    pub fn eval(&self, e: &Expression, sc: &Scope) -> Val {
        let span = self.span(sc, e);
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            self.report(
                "depth".into(),
                span,
                format!(
                    "expression nesting deeper than {MAX_DEPTH} levels: the value is left unknown"
                ),
            );
            return Val::error("expression nesting too deep", span);
        }
        if let Err(e) = self.step() {
            return self.exhausted(e, span);
        }
        self.depth.set(d + 1);
        let v = self.eval_inner(e, sc, span);
        self.depth.set(d);
        // The expressions that build or copy values are charged for what they built; the
        // others pass values through (literals, conditionals) or build small ones.
        let builds = matches!(
            e,
            Expression::FuncCall(_)
                | Expression::Traversal(_)
                | Expression::Variable(_)
                | Expression::StringTemplate(_)
                | Expression::HeredocTemplate(_)
                | Expression::ForExpr(_)
                | Expression::Array(_)
                | Expression::Object(_)
        );
        if builds && !v.is_unknown() {
            if let Err(x) = self.charge(&v) {
                return self.exhausted(x, span);
            }
        }
        v
    }

    pub(super) fn eval_inner(&self, e: &Expression, sc: &Scope, span: Span) -> Val {
        match e {
            Expression::Null(_) => Val::new(V::Null, span),
            Expression::Bool(b) => Val::new(V::Bool(*b.value()), span),
            Expression::Number(n) => Val::num(n.value().as_f64().unwrap_or(0.0), span),
            Expression::String(s) => Val::str(s.value().clone(), span),
            Expression::Array(a) => {
                let items = a.iter().map(|x| self.eval(x, sc)).collect();
                Val::new(V::List(items), span)
            }
            Expression::Object(o) => {
                let mut map = BTreeMap::new();
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(i) => i.as_str().to_string(),
                        ObjectKey::Expression(Expression::Variable(i)) => i.as_str().to_string(),
                        ObjectKey::Expression(ke) => {
                            let kv = self.eval(ke, sc);
                            match key_string(&kv) {
                                Ok(s) => s,
                                Err(u) => return u,
                            }
                        }
                    };
                    map.insert(key, self.eval(v.expr(), sc));
                }
                Val::new(V::Map(map), span)
            }
            Expression::StringTemplate(t) => self.template(t, sc, span),
            Expression::HeredocTemplate(h) => self.template(&h.template, sc, span),
            Expression::Parenthesis(p) => self.eval(p.inner(), sc),
            Expression::Variable(v) => match sc.lookup(v.as_str()) {
                Some(x) => x.clone(),
                None => Val::error(format!("unknown name `{}`", v.as_str()), span),
            },
            Expression::Conditional(c) => {
                let mut cond = self.eval(&c.cond_expr, sc);
                // Terraform converts "true"/"false" strings to bool.
                if let V::Str(s) = &cond.v {
                    if s == "true" || s == "false" {
                        cond.v = V::Bool(s == "true");
                    }
                }
                match cond.v {
                    V::Bool(true) => self.eval(&c.true_expr, sc),
                    V::Bool(false) => self.eval(&c.false_expr, sc),
                    V::Unknown(ref u) => {
                        let t = self.eval(&c.true_expr, sc);
                        let f = self.eval(&c.false_expr, sc);
                        if same(&t, &f) {
                            t
                        } else {
                            Val::new(V::Unknown(u.clone()), cond.span)
                        }
                    }
                    _ => Val::error(
                        format!("condition is a {}, not a bool", cond.type_name()),
                        cond.span,
                    ),
                }
            }
            Expression::FuncCall(f) => self.call(f, sc, span),
            Expression::Traversal(t) => self.traversal(&t.expr, &t.operators, sc, span),
            Expression::UnaryOp(u) => {
                let x = self.eval(&u.expr, sc);
                let r = match (u.operator.value(), &x.v) {
                    (_, V::Unknown(_)) => return x,
                    (UnaryOperator::Neg, V::Num(n)) => V::Num(-n),
                    (UnaryOperator::Not, V::Bool(b)) => V::Bool(!b),
                    _ => return Val::error("invalid operand for unary operator", span),
                };
                let mut out = Val::new(r, span);
                out.absorb(&x);
                out
            }
            Expression::BinaryOp(b) => {
                let l = self.eval(&b.lhs_expr, sc);
                let r = self.eval(&b.rhs_expr, sc);
                binary(*b.operator.value(), l, r, span)
            }
            Expression::ForExpr(f) => self.for_expr(f, sc, span),
        }
    }
}
