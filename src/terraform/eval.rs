//! The expression evaluator: hcl-edit expressions → [`Val`] in the scope of one module.
//!
//! Every lookup that can recurse (locals, resource attributes, count/for_each) is memoised or
//! guarded by an in-progress set, the nesting depth is bounded explicitly, and a step budget
//! stops pathological inputs: the evaluator never hangs or overflows the stack, it returns an
//! unknown value and records a diagnostic.

use super::budget::{Budget, RunBudget};
use super::funcs;
use super::module::{Mode, Module};
use super::parse::{ParsedFile, SpanMap};
use super::value::{fmt_num, same, to_str, InstKey, InstRef, Unk, Val, V};
use crate::access::Access;
use crate::diag::{Diagnostic, Level};
use crate::source::Span;
use hcl_edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl_edit::structure::Body;
use hcl_edit::template::{Directive, Element, Template};
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

pub use crate::limits::EVAL_MAX_DEPTH as MAX_DEPTH;
/// Largest string a template renders or `file()` reads: the value-size limit, so whatever is
/// built can also be passed to a function (checked as the template grows, literal text
/// included).
fn max_string() -> usize {
    crate::limits::as_usize(crate::limits::max_value_size())
}

fn template_too_large(span: Span) -> Val {
    Val::error(
        format!(
            "the template's result is larger than {} bytes (EKS_LINT_MAX_VALUE_SIZE)",
            max_string()
        ),
        span,
    )
}

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
    names: Vec<(Rc<str>, Rc<Val>)>,
    /// `templatefile` variables (and other isolated bindings), looked up after `names`.
    vars: Option<Rc<BTreeMap<String, Val>>>,
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

    /// Bind `name` in this scope (a `dynamic` block's iterator).
    pub fn push_name(&mut self, name: &str, v: Val) {
        self.names.push((name.into(), Rc::new(v)));
    }

    /// Bind a map of names at once, looked up behind the loop variables (`templatefile`).
    pub fn set_vars(&mut self, vars: BTreeMap<String, Val>) {
        self.vars = Some(Rc::new(vars));
    }

    fn bind(&self, name: &str, v: Val) -> Scope<'s> {
        let mut s = self.clone();
        s.push_name(name, v);
        s
    }

    fn lookup(&self, name: &str) -> Option<&Val> {
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
    /// count/for_each is not known or out of bounds.
    Unknown(Val),
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

/// What the evaluator asks of the layer above it (issue 13).
///
/// The evaluator knows one module: its expressions, variables, locals and resources. A
/// `module.x` reference, a resource of another module that arrived through a module output,
/// the root's file-access policy and budgets, and the root's diagnostics belong to whoever
/// instantiates modules ([`super::calls`]). The evaluator defines this trait and asks it, so
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

    /// The budget every root of the run shares.
    fn run_budget(&self) -> &RunBudget;

    /// A diagnostic about the root as a whole (a spent budget), reported once by the root.
    fn report(&self, d: Diagnostic);
}

pub struct Evaluator<'m, 'a> {
    pub m: &'m Module<'a>,
    inputs: HashMap<String, VarInput<'a>>,
    vars: RefCell<HashMap<String, Val>>,
    locals: RefCell<HashMap<String, Option<Val>>>,
    expansions: RefCell<HashMap<usize, Rc<Expansion>>>,
    attrs_in_progress: RefCell<HashSet<(usize, InstKey, String)>>,
    attr_memo: RefCell<HashMap<(usize, InstKey, String), Val>>,
    depth: Cell<u32>,
    /// The budget when no [`super::calls::Root`] shares one (an evaluator on its own).
    own_budget: super::budget::Budget,
    diags: RefCell<Vec<Diagnostic>>,
    reported: RefCell<HashSet<String>>,
    /// Module calls, external instances, budgets and file access ([`Resolver`]); None:
    /// module outputs are unknown and no file is read.
    resolver: Option<&'m dyn Resolver<'a>>,
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
            reported: RefCell::default(),
            resolver: None,
        }
    }

    /// Resolve `module.<name>`, external instances, budgets and file access through `r`.
    pub fn with_resolver(mut self, r: &'m dyn Resolver<'a>) -> Self {
        self.resolver = Some(r);
        self
    }

    pub fn take_diagnostics(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.diags.borrow_mut())
    }

    /// The root's budget (shared by every module instance), or this evaluator's own.
    fn budget(&self) -> &super::budget::Budget {
        self.resolver.map_or(&self.own_budget, |r| r.budget())
    }

    /// Count one evaluation step against the root's and the run's budgets.
    pub(crate) fn step(&self) -> Result<(), super::budget::Exhausted> {
        self.budget().step(self.resolver.map(|r| r.run_budget()))
    }

    /// Count the bytes of a value built (a function result, a copy of a variable, a template).
    pub(crate) fn charge(&self, v: &Val) -> Result<(), super::budget::Exhausted> {
        self.budget().bytes(super::budget::size(v))
    }

    /// The unknown value for a spent budget; the first time in a root, its note.
    pub(crate) fn exhausted(&self, e: super::budget::Exhausted, span: Span) -> Val {
        if e.first {
            let d = Diagnostic::new("EKS901", Level::Note, span, e.message())
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
    fn report(&self, key: String, span: Span, msg: String) {
        if self.reported.borrow_mut().insert(key.clone()) {
            self.diags.borrow_mut().push(
                Diagnostic::new("EKS901", Level::Note, span, msg)
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

    fn eval_inner(&self, e: &Expression, sc: &Scope, span: Span) -> Val {
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

    fn template(&self, t: &Template, sc: &Scope, span: Span) -> Val {
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
    fn render(&self, t: &Template, sc: &Scope, s: &mut String, acc: &mut Val) -> Option<Val> {
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
                    if s.len() > max_string() {
                        return Some(template_too_large(acc.span));
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
                    if s.len() > max_string() {
                        return Some(template_too_large(acc.span));
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

    fn for_expr(&self, f: &hcl_edit::expr::ForExpr, sc: &Scope, span: Span) -> Val {
        let coll = self.eval(&f.intro.collection_expr, sc);
        let pairs = match iter_pairs(&coll) {
            Ok(p) => p,
            Err(u) => return u,
        };
        let mut list = Vec::new();
        let mut map: BTreeMap<String, Val> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Val>> = BTreeMap::new();
        let mut budget = crate::limits::as_usize(crate::limits::max_value_size());
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

    fn call(&self, f: &hcl_edit::expr::FuncCall, sc: &Scope, span: Span) -> Val {
        let name = f.name.name.as_str();
        if f.name.is_namespaced() {
            return Val::unknown(
                format!("provider function `{name}` is not evaluated by eks-lint"),
                span,
            );
        }
        match name {
            "try" => {
                let mut last = Val::error("no argument of `try` could be evaluated", span);
                for a in f.args.iter() {
                    let v = self.eval(a, sc);
                    if !v.is_error() && !contains_error(&v) {
                        return v;
                    }
                    last = v;
                }
                return last;
            }
            "can" => {
                let Some(a) = f.args.iter().next() else {
                    return Val::error("`can` needs one argument", span);
                };
                let v = self.eval(a, sc);
                return if v.is_error() || contains_error(&v) {
                    Val::new(V::Bool(false), span)
                } else if v.is_unknown() {
                    v
                } else {
                    Val::new(V::Bool(true), span)
                };
            }
            _ => {}
        }
        let mut args: Vec<Val> = f.args.iter().map(|a| self.eval(a, sc)).collect();
        if f.args.expand_final() {
            if let Some(last) = args.pop() {
                match last.v {
                    V::List(items) => args.extend(items),
                    V::Unknown(_) => return last,
                    _ => return Val::error("`...` needs a list", last.span),
                }
            }
        }
        let mut out = match name {
            "templatefile" => self.templatefile(&args, span),
            "file" => self.file(&args, span),
            "fileexists" => self.fileexists(&args, span),
            _ => funcs::call(name, &args, span),
        };
        if out.span != span {
            out = out.through(span);
        }
        for a in &args {
            out.absorb(a);
        }
        out
    }

    /// The path a file function names, resolved like Terraform: relative to the module
    /// directory unless absolute or already under it (`"${path.module}/x"`).
    fn file_arg(&self, args: &[Val], span: Span) -> Result<(String, std::path::PathBuf), Val> {
        let path = match args.first().map(|a| &a.v) {
            Some(V::Str(p)) => p.clone(),
            Some(V::Unknown(_)) => return Err(args[0].clone()),
            _ => return Err(Val::error("expected a file path", span)),
        };
        let p = std::path::Path::new(&path);
        let full = if p.is_absolute() || p.starts_with(&self.m.dir) {
            p.to_path_buf()
        } else {
            self.m.dir.join(p)
        };
        Ok((path, full))
    }

    /// Read a file for `file()`/`templatefile()` through the run's file-access policy
    /// ([`crate::access`]): a refused read is an unknown value, and a refusal by the policy
    /// (outside the scanned paths, not a regular file, too large) is noted once per path.
    fn read_module_file(&self, args: &[Val], span: Span) -> Result<(String, String), Val> {
        use crate::access::Denied;
        let (path, full) = self.file_arg(args, span)?;
        let Some(access) = self.resolver.map(|r| r.access()) else {
            return Err(Val::unknown(
                format!("file `{path}` is not read here"),
                span,
            ));
        };
        match access.read_text_capped(&full, crate::limits::max_value_size()) {
            Ok(text) => Ok((path, text)),
            Err(d) => {
                if matches!(
                    d,
                    Denied::Outside | Denied::NotRegular(_) | Denied::TooLarge(_)
                ) {
                    self.report(
                        format!("file/{path}"),
                        span,
                        format!("file `{path}` is not read: {d}; the value is unknown"),
                    );
                }
                Err(Val::unknown(
                    format!("file `{path}` is not read: {d}"),
                    span,
                ))
            }
        }
    }

    /// `fileexists(path)`: asked of the policy, so it cannot probe outside the scanned paths
    /// (a path there is unknown, not false).
    fn fileexists(&self, args: &[Val], span: Span) -> Val {
        use crate::access::Denied;
        let (path, full) = match self.file_arg(args, span) {
            Ok(x) => x,
            Err(u) => return u,
        };
        let Some(access) = self.resolver.map(|r| r.access()) else {
            return Val::unknown(format!("whether `{path}` exists is not checked here"), span);
        };
        match access.resolve_file(&full) {
            Ok(_) => Val::new(V::Bool(true), span),
            Err(Denied::Missing | Denied::NotRegular("a directory")) => {
                Val::new(V::Bool(false), span)
            }
            Err(d) => Val::unknown(format!("whether `{path}` exists is not checked: {d}"), span),
        }
    }

    fn file(&self, args: &[Val], span: Span) -> Val {
        match self.read_module_file(args, span) {
            Ok((_, text)) => Val::str(text, span),
            Err(u) => u,
        }
    }

    /// `templatefile(path, vars)`: the template is parsed and evaluated with only `vars` in
    /// scope; its spans all map to the call.
    fn templatefile(&self, args: &[Val], span: Span) -> Val {
        let (path, text) = match self.read_module_file(args, span) {
            Ok(x) => x,
            Err(u) => return u,
        };
        let tpl = match hcl_edit::parser::parse_template(&text) {
            Ok(t) => t,
            Err(e) => {
                return Val::error(
                    format!("template `{path}` does not parse: {}", e.message()),
                    span,
                )
            }
        };
        let pf = ParsedFile {
            file: span.file,
            body: Body::new(),
            spans: SpanMap::Fixed(span),
        };
        let mut sc = Scope::new(&pf);
        sc.isolated = true;
        match args.get(1).map(|a| &a.v) {
            Some(V::Map(m)) => sc.set_vars(m.clone()),
            Some(V::Unknown(_)) => return args[1].clone(),
            None => {}
            _ => return Val::error("templatefile variables must be an object", span),
        }
        self.template(&tpl, &sc, span)
    }

    fn traversal(
        &self,
        root: &Expression,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        sc: &Scope,
        span: Span,
    ) -> Val {
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        if let Expression::Variable(v) = root {
            let name = v.as_str();
            if sc.lookup(name).is_none() {
                if sc.isolated {
                    return Val::error(format!("`{name}` cannot be referenced here"), span);
                }
                let (base, used) = match (name, attr(0)) {
                    ("var", Some(n)) => (self.var(n, span), 1),
                    ("local", Some(n)) => (self.local(n, span), 1),
                    ("count", Some("index")) => match sc.inst.and_then(|i| i.count_index.clone()) {
                        Some(v) => (v, 1),
                        None => {
                            return Val::error(
                                "`count.index` outside a resource with `count`",
                                span,
                            )
                        }
                    },
                    ("each", Some(k @ ("key" | "value"))) => {
                        let v = sc.inst.and_then(|i| {
                            if k == "key" {
                                i.each_key.clone()
                            } else {
                                i.each_value.clone()
                            }
                        });
                        match v {
                            Some(v) => (v, 1),
                            None => {
                                return Val::error(
                                    "`each` outside a resource with `for_each`",
                                    span,
                                )
                            }
                        }
                    }
                    ("path", Some(_)) => (Val::str(self.m.dir.to_string_lossy(), span), 1),
                    ("terraform", Some(w)) => {
                        return Val::unknown(format!("`terraform.{w}` depends on the run"), span)
                    }
                    ("data", Some(ty)) => {
                        let n = attr(1).unwrap_or("?");
                        return if ty == "terraform_remote_state" {
                            Val::unknown(
                                format!("it comes from remote state `data.terraform_remote_state.{n}`, read only at plan time"),
                                span,
                            )
                        } else {
                            Val::unknown(
                                format!("it comes from data source `data.{ty}.{n}`, read from AWS at plan time"),
                                span,
                            )
                        };
                    }
                    ("module", Some(call)) => return self.module_ref(call, ops, sc, span),
                    ("self", _) => return Val::unknown("`self` is known only after apply", span),
                    (ty, Some(n)) => match self.m.index.get(&(Mode::Managed, ty, n)) {
                        Some(&idx) => (self.resource_value(idx, span), 1),
                        None => {
                            return Val::error(
                                format!("reference to undeclared resource `{ty}.{n}`"),
                                span,
                            )
                        }
                    },
                    (other, None) => {
                        return Val::error(format!("invalid reference `{other}`"), span)
                    }
                };
                return self.apply_ops(base, &ops[used..], sc, span);
            }
        }
        let base = self.eval(root, sc);
        self.apply_ops(base, ops, sc, span)
    }

    /// Outputs of module calls. Extension point for issue 4: evaluate the called module with
    /// [`super::evaluate_module`] and return its output here.
    /// `module.<call>…` (kept out of `traversal` so its stack frame stays small).
    #[inline(never)]
    fn module_ref(
        &self,
        call: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        sc: &Scope,
        span: Span,
    ) -> Val {
        let out = match ops.get(1).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let (base, used) = self.module_output(call, out, span);
        self.apply_ops(base, &ops[used.min(ops.len())..], sc, span)
    }

    /// Returns the value and how many traversal operators it consumed.
    fn module_output(&self, call: &str, output: Option<&str>, span: Span) -> (Val, usize) {
        if let Some(r) = self.resolver {
            return r.module_value(self, call, output, span);
        }
        let v = Val::unknown(
            format!(
                "it comes from module output `module.{call}.{}`, and module calls are not evaluated yet",
                output.unwrap_or("?")
            ),
            span,
        );
        (v, 2)
    }

    fn apply_ops(
        &self,
        mut v: Val,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        sc: &Scope,
        span: Span,
    ) -> Val {
        let mut i = 0;
        while i < ops.len() {
            match ops[i].value() {
                TraversalOperator::GetAttr(a) => v = self.get_attr(v, a.as_str(), span),
                TraversalOperator::Index(e) => {
                    let idx = self.eval(e, sc);
                    v = index(v, &idx, span);
                }
                TraversalOperator::LegacyIndex(n) => {
                    let idx = Val::num(*n.value() as f64, span);
                    v = index(v, &idx, span);
                }
                TraversalOperator::FullSplat(_) => {
                    let rest = &ops[i + 1..];
                    return self.splat(v, span, |x| self.apply_ops(x, rest, sc, span));
                }
                TraversalOperator::AttrSplat(_) => {
                    let mut j = i + 1;
                    while j < ops.len() && matches!(ops[j].value(), TraversalOperator::GetAttr(_)) {
                        j += 1;
                    }
                    let attrs = &ops[i + 1..j];
                    v = self.splat(v, span, |x| self.apply_ops(x, attrs, sc, span));
                    i = j;
                    continue;
                }
            }
            if v.is_unknown() {
                return v;
            }
            i += 1;
        }
        v
    }

    fn splat(&self, v: Val, span: Span, f: impl Fn(Val) -> Val) -> Val {
        match v.v {
            V::List(items) => {
                let out = items.into_iter().map(f).collect();
                Val::new(V::List(out), v.span)
            }
            V::Null => Val::new(V::List(Vec::new()), span),
            V::Unknown(_) => v,
            _ => {
                let s = v.span;
                Val::new(V::List(vec![f(v)]), s)
            }
        }
    }

    fn get_attr(&self, v: Val, name: &str, span: Span) -> Val {
        match v.v {
            V::Map(mut m) => match m.remove(name) {
                Some(x) => x,
                None => Val::error(format!("object has no attribute `{name}`"), span),
            },
            V::Resource(inst) => self.resource_attr(&inst, name, span),
            V::Ref(inst, a) => Val::new(V::Ref(inst, format!("{a}.{name}")), span),
            V::Unknown(_) => v,
            _ => Val::error(
                format!("cannot read attribute `{name}` of a {}", v.type_name()),
                span,
            ),
        }
    }

    /// A variable's value: inputs (tfvars, CLI, environment, module call) over the default.
    pub fn var(&self, name: &str, span: Span) -> Val {
        if let Some(v) = self.vars.borrow().get(name) {
            return v.clone();
        }
        let v = self.compute_var(name, span);
        self.vars.borrow_mut().insert(name.to_string(), v.clone());
        v
    }

    fn compute_var(&self, name: &str, span: Span) -> Val {
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
            Some(VarInput::Json(j, at)) => super::value::from_json(j, *at),
            Some(VarInput::Raw(s, how)) => {
                let raw = Val::str(s.clone(), decl_span);
                let parsed = if ty == Some("string") || ty.is_none() && !looks_structured(s) {
                    raw
                } else {
                    match hcl_edit::parser::parse_expr(s) {
                        Ok(e) => {
                            let tmp = ParsedFile {
                                file: decl_span.file,
                                body: Body::new(),
                                spans: SpanMap::Fixed(decl_span),
                            };
                            let mut sc = Scope::new(&tmp);
                            sc.isolated = true;
                            self.eval(&e, &sc)
                        }
                        Err(_) => raw,
                    }
                };
                let _ = how;
                parsed
            }
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

    /// Apply a type constraint's `optional(type, default)` attributes (Terraform fills them
    /// in before the module sees the value) and primitive conversions, through `map`, `list`,
    /// `set` and `object` types.
    fn apply_type(
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

    fn apply_type_expr(&self, mut v: Val, t: &Expression, pf: &ParsedFile, depth: u32) -> Val {
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

    fn compute_expansion(&self, res: usize) -> Expansion {
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
    fn inst_ctx(&self, inst: &InstRef) -> Option<InstCtx> {
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

    /// `aws_x.name` as a value: one instance, a list (count) or a map (for_each).
    fn resource_value(&self, res: usize, span: Span) -> Val {
        let one = |key| Val::new(V::Resource(InstRef::local(res, key)), span);
        match &*self.expansion(res) {
            Expansion::Single => one(InstKey::None),
            Expansion::Count(n, _) => Val::new(
                V::List((0..*n).map(|i| one(InstKey::Int(i))).collect()),
                span,
            ),
            Expansion::ForEach(pairs) => Val::new(
                V::Map(
                    pairs
                        .iter()
                        .map(|(k, _)| (k.clone(), one(InstKey::Str(k.clone()))))
                        .collect(),
                ),
                span,
            ),
            Expansion::Unknown(v) => {
                let why = match &v.v {
                    V::Unknown(u) => u.reason.clone(),
                    _ => "unknown".into(),
                };
                Val::unknown(
                    format!(
                        "the instances of `{}` are not known ({why})",
                        self.m.resources[res].address()
                    ),
                    v.span,
                )
            }
        }
    }

    /// An attribute of a resource instance: its argument when written (evaluated for that
    /// instance), otherwise a symbolic reference (`id`, `arn`, computed attributes).
    pub fn resource_attr(&self, inst: &InstRef, name: &str, span: Span) -> Val {
        let Some(res) = inst.local_res() else {
            return Val::new(V::Ref(inst.clone(), name.to_string()), span);
        };
        let r = &self.m.resources[res];
        let computed = Val::new(V::Ref(inst.clone(), name.to_string()), span);
        if name == "id" || name == "arn" {
            return computed;
        }
        let Some(attr) = r.block.body.get_attribute(name) else {
            return computed;
        };
        let key = (res, inst.key.clone(), name.to_string());
        if let Some(v) = self.attr_memo.borrow().get(&key) {
            return v.clone();
        }
        if !self.attrs_in_progress.borrow_mut().insert(key.clone()) {
            return Val::error(format!("`{}.{name}` refers to itself", r.address()), span);
        }
        let v = self.instance_attr(inst, attr);
        self.attrs_in_progress.borrow_mut().remove(&key);
        self.attr_memo.borrow_mut().insert(key, v.clone());
        v
    }

    /// Evaluate one attribute expression of a resource instance.
    pub fn instance_attr(&self, inst: &InstRef, attr: &hcl_edit::structure::Attribute) -> Val {
        self.instance_attr_with(inst, attr, &[])
    }

    /// Like [`Self::instance_attr`], with extra names in scope (a `dynamic` block iterator).
    pub fn instance_attr_with(
        &self,
        inst: &InstRef,
        attr: &hcl_edit::structure::Attribute,
        names: &[(String, Val)],
    ) -> Val {
        let Some(res) = inst.local_res() else {
            return Val::unknown("an attribute of another module's resource", Span::default());
        };
        let r = &self.m.resources[res];
        let pf = self.m.files[r.file];
        let ctx = self.inst_ctx(inst);
        let mut sc = Scope::with_inst(pf, ctx.as_ref());
        for (n, v) in names {
            sc.push_name(n, v.clone());
        }
        let mut v = self.eval(&attr.value, &sc);
        v.push_via(self.span(&sc, attr));
        v
    }

    /// The value of output `name` (for module calls, issue 4).
    pub fn output(&self, name: &str) -> Option<Val> {
        let n = self.m.outputs.get(name)?;
        let pf = self.m.files[n.file];
        let sc = Scope::new(pf);
        let mut v = self.eval(&n.attr.value, &sc);
        v.push_via(self.span(&sc, n.attr));
        Some(v)
    }

    /// Address of an instance for messages: `aws_subnet.private[0]`.
    pub fn address(&self, inst: &InstRef) -> String {
        let Some(res) = inst.local_res() else {
            return self.resolver.map_or_else(
                || "a resource of a module".into(),
                |r| r.external_name(inst),
            );
        };
        format!("{}{}", self.m.resources[res].address(), inst.key.suffix())
    }
}

fn looks_structured(s: &str) -> bool {
    let t = s.trim_start();
    t.starts_with('[') || t.starts_with('{')
}

/// Terraform's conversion to a declared primitive type.
fn convert(v: Val, ty: Option<&str>) -> Val {
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

/// Pairs (key, value) for `for` iteration: list index or map key.
fn iter_pairs(coll: &Val) -> Result<Vec<(Val, Val)>, Val> {
    match &coll.v {
        V::List(items) => Ok(items
            .iter()
            .enumerate()
            .map(|(i, x)| (Val::num(i as f64, x.span), x.clone()))
            .collect()),
        V::Map(m) => Ok(m
            .iter()
            .map(|(k, x)| (Val::str(k.clone(), x.span), x.clone()))
            .collect()),
        V::Unknown(_) => Err(coll.clone()),
        V::Null => Err(Val::error("cannot iterate over null", coll.span)),
        _ => Err(Val::error(
            format!("cannot iterate over a {}", coll.type_name()),
            coll.span,
        )),
    }
}

fn contains_error(v: &Val) -> bool {
    v.first_unknown().is_some_and(|(u, _)| u.error)
}

fn key_string(v: &Val) -> Result<String, Val> {
    match &v.v {
        V::Str(s) => Ok(s.clone()),
        V::Num(n) => Ok(fmt_num(*n)),
        V::Bool(b) => Ok(b.to_string()),
        V::Unknown(_) => Err(v.clone()),
        _ => Err(Val::error("object key must be a string", v.span)),
    }
}

fn binary(op: BinaryOperator, l: Val, r: Val, span: Span) -> Val {
    use BinaryOperator as B;
    // `true || unknown` and `false && unknown` are known, as in Terraform.
    match (op, &l.v, &r.v) {
        (B::Or, V::Bool(true), _) | (B::Or, _, V::Bool(true)) => {
            return Val::new(V::Bool(true), span)
        }
        (B::And, V::Bool(false), _) | (B::And, _, V::Bool(false)) => {
            return Val::new(V::Bool(false), span)
        }
        _ => {}
    }
    if let V::Unknown(u) = &l.v {
        return Val::new(V::Unknown(u.clone()), l.span);
    }
    if let V::Unknown(u) = &r.v {
        return Val::new(V::Unknown(u.clone()), r.span);
    }
    let num = |v: &Val| -> Option<f64> {
        match &v.v {
            V::Num(n) => Some(*n),
            V::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    let res = match op {
        B::Eq => V::Bool(same(&l, &r) || num_eq(&l, &r)),
        B::NotEq => V::Bool(!(same(&l, &r) || num_eq(&l, &r))),
        B::And | B::Or => match (&l.v, &r.v) {
            (V::Bool(a), V::Bool(b)) => V::Bool(if op == B::And { *a && *b } else { *a || *b }),
            _ => return Val::error("logical operators need bools", span),
        },
        _ => {
            let (Some(a), Some(b)) = (num(&l), num(&r)) else {
                return Val::error("arithmetic needs numbers", span);
            };
            match op {
                B::Plus => V::Num(a + b),
                B::Minus => V::Num(a - b),
                B::Mul => V::Num(a * b),
                B::Div if b == 0.0 => return Val::error("division by zero", span),
                B::Div => V::Num(a / b),
                B::Mod if b == 0.0 => return Val::error("modulo by zero", span),
                B::Mod => V::Num(a % b),
                B::Less => V::Bool(a < b),
                B::LessEq => V::Bool(a <= b),
                B::Greater => V::Bool(a > b),
                B::GreaterEq => V::Bool(a >= b),
                _ => return Val::error("unsupported operator", span),
            }
        }
    };
    let mut out = Val::new(res, span);
    out.absorb(&l);
    out.absorb(&r);
    out
}

fn num_eq(a: &Val, b: &Val) -> bool {
    matches!((&a.v, &b.v), (V::Num(x), V::Num(y)) if x == y)
}

/// Index a list or map.
pub fn index(v: Val, idx: &Val, span: Span) -> Val {
    match (&v.v, &idx.v) {
        (V::Unknown(_), _) => v,
        (_, V::Unknown(_)) => idx.clone(),
        (V::List(items), V::Num(n)) => {
            if *n < 0.0 || n.fract() != 0.0 || *n as usize >= items.len() {
                Val::error(
                    format!(
                        "index {} out of range for a list of {}",
                        fmt_num(*n),
                        items.len()
                    ),
                    span,
                )
            } else {
                items[*n as usize].clone()
            }
        }
        (V::List(items), V::Str(s)) => match s.parse::<usize>() {
            Ok(i) if i < items.len() => items[i].clone(),
            _ => Val::error(format!("invalid list index `{s}`"), span),
        },
        (V::Map(m), _) => match key_string(idx) {
            Ok(k) => m
                .get(&k)
                .cloned()
                .unwrap_or_else(|| Val::error(format!("no element `{k}`"), span)),
            Err(u) => u,
        },
        _ => Val::error(format!("cannot index a {}", v.type_name()), span),
    }
}

/// Unknown-with-reason helper for callers that need the reason text.
pub fn reason(v: &Val) -> Option<&Unk> {
    match &v.v {
        V::Unknown(u) => Some(u),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    fn parsed(text: &str) -> ParsedFile {
        ParsedFile {
            file: FileId(0),
            body: hcl_edit::parser::parse_body(text).expect("test HCL parses"),
            spans: SpanMap::Direct,
        }
    }

    /// Evaluate `local.out` of a one-file module.
    fn eval_out(text: &str) -> (Val, Vec<Diagnostic>) {
        let pf = parsed(text);
        let m = Module::build("mod".into(), vec![&pf]);
        let ev = Evaluator::new(&m, HashMap::new());
        let v = ev.local("out", Span::default());
        (v, ev.take_diagnostics())
    }

    fn json(text: &str) -> serde_json::Value {
        let (v, _) = eval_out(text);
        super::super::value::to_json(&v).unwrap_or_else(|| panic!("not known: {v:?}"))
    }

    #[test]
    fn locals_in_any_order_and_cycles() {
        assert_eq!(
            json("locals {\n out = local.b + 1\n b = local.c * 2\n c = 20\n}"),
            41
        );
        let (v, d) = eval_out("locals {\n out = local.a\n a = local.b\n b = local.a\n}");
        assert!(v.is_unknown());
        assert!(d.iter().any(|d| d.message.contains("cycle")), "{d:?}");
    }

    #[test]
    fn for_expressions_conditionals_and_splats() {
        let j = json(
            r#"locals {
  azs = ["a", "b", "c"]
  out = {
    list  = [for i, az in local.azs : "${az}-${i}" if az != "b"]
    map   = { for az in local.azs : az => upper(az) }
    group = { for s in ["x1", "x2", "y1"] : substr(s, 0, 1) => s... }
    cond  = length(local.azs) > 2 ? "many" : "few"
    splat = [{ n = 1 }, { n = 2 }][*].n
    attr  = { a = { b = [10, 20] } }.a.b[1]
  }
}"#,
        );
        assert_eq!(j["list"], serde_json::json!(["a-0", "c-2"]));
        assert_eq!(j["map"]["b"], "B");
        assert_eq!(j["group"]["x"], serde_json::json!(["x1", "x2"]));
        assert_eq!(j["cond"], "many");
        assert_eq!(j["splat"], serde_json::json!([1, 2]));
        assert_eq!(j["attr"], 20);
    }

    #[test]
    fn strings_convert_where_terraform_converts() {
        let j = json("resource \"x\" \"r\" {\n count = \"2\"\n}\nlocals {\n out = [\"true\" ? length(x.r) : 0, \"3\" + 1]\n}");
        assert_eq!(j, serde_json::json!([2, 4]));
    }

    #[test]
    fn optional_object_attributes_get_their_defaults() {
        let pf = parsed(
            r#"variable "groups" {
  type = map(object({
    type = string
    max  = optional(number, 10)
    tags = optional(map(string))
  }))
  default = {
    a = { type = "m5.large" }
    b = { type = "c5.large", max = "3" }
  }
}"#,
        );
        let m = Module::build("mod".into(), vec![&pf]);
        let ev = Evaluator::new(&m, HashMap::new());
        let v = ev.var("groups", Span::default());
        let j = super::super::value::to_json(&v).unwrap();
        assert_eq!(j["a"]["max"], 10);
        assert_eq!(j["b"]["max"], 3, "string converted to the declared number");
        assert!(j["a"]["tags"].is_null());
    }

    #[test]
    fn templates_and_heredocs() {
        let j = json(
            "locals {\n  n = 3\n  out = {\n    t = \"a%{ if local.n > 2 }big%{ else }small%{ endif }-%{ for x in [1, 2] }${x}%{ endfor }\"\n    h = <<-EOT\n      max ${local.n}\n      done\n    EOT\n  }\n}",
        );
        assert_eq!(j["t"], "abig-12");
        assert_eq!(j["h"], "max 3\ndone\n");
    }

    #[test]
    fn unknowns_keep_their_reason() {
        let (v, _) = eval_out("locals {\n out = cidrsubnet(data.aws_vpc.x.cidr_block, 4, 1)\n}");
        let u = reason(&v).expect("unknown");
        assert!(u.reason.contains("data.aws_vpc.x"), "{}", u.reason);
        assert!(!u.error);
        let (v, _) = eval_out("locals {\n out = regex(\"a\", \"b\")\n}");
        assert!(reason(&v).unwrap().reason.contains("`regex`"));
        // Unknown elements stay in place through structural functions.
        let (v, _) = eval_out("locals {\n out = concat([1], [data.x.y.z])\n}");
        assert!(matches!(&v.v, V::List(l) if l.len() == 2 && l[1].is_unknown()));
        // try falls back on errors, not on unknowns.
        assert_eq!(
            json("locals {\n out = try(local.missing, {}.nope, 5)\n}"),
            5
        );
    }

    #[test]
    fn resources_are_symbolic_and_expand() {
        let text = r#"
resource "aws_subnet" "s" {
  count      = 2
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_subnet" "m" {
  for_each   = { a = 1, b = 2 }
  cidr_block = "10.1.${each.value}.0/24"
}
locals {
  out = {
    ids   = aws_subnet.s[*].id
    cidrs = aws_subnet.s[*].cidr_block
    m     = [for k, s in aws_subnet.m : s.cidr_block]
  }
}"#;
        let (v, _) = eval_out(text);
        let V::Map(m) = &v.v else { panic!("{v:?}") };
        assert!(
            matches!(&m["ids"].v, V::List(l) if matches!(&l[1].v, V::Ref(r, a) if r.key == InstKey::Int(1) && a == "id"))
        );
        let j = |k: &str| super::super::value::to_json(&m[k]).unwrap();
        assert_eq!(
            j("cidrs"),
            serde_json::json!(["10.0.0.0/24", "10.0.1.0/24"])
        );
        assert_eq!(j("m"), serde_json::json!(["10.1.1.0/24", "10.1.2.0/24"]));
    }

    #[test]
    fn bounds_give_diagnostics_not_hangs() {
        // Too many instances.
        let (v, d) = eval_out(
            "resource \"aws_subnet\" \"s\" {\n count = 100000\n}\nlocals {\n out = aws_subnet.s\n}",
        );
        assert!(v.is_unknown());
        assert!(
            d.iter().any(|d| d.message.contains("100000 instances")),
            "{d:?}"
        );
        // A long chain of locals hits the depth guard, not the stack.
        let mut text = String::from("locals {\n out = local.l0\n");
        for i in 0..2000 {
            text.push_str(&format!(" l{i} = local.l{}\n", i + 1));
        }
        text.push_str(" l2000 = 1\n}\n");
        let (v, d) = eval_out(&text);
        assert!(v.is_unknown());
        assert!(
            d.iter().any(|d| d.message.contains("nesting deeper")),
            "{d:?}"
        );
        // Fan-out through resource attributes is memoised: 2^40 paths, 41 evaluations.
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&format!(
                "resource \"x\" \"r{i}\" {{\n v = [x.r{n}.v, x.r{n}.v][0]\n}}\n",
                n = i + 1
            ));
        }
        text.push_str("resource \"x\" \"r40\" {\n v = 1\n}\nlocals {\n out = x.r0.v\n}\n");
        let (v, _) = eval_out(&text);
        assert_eq!(v.v, V::Num(1.0));
        // Doubling through locals stops at the function input budget, not at memory.
        let mut text = String::from("locals {\n out = length(local.l40)\n l0 = [for i in range(10000) : \"xxxxxxxxxxxxxxxx\"]\n");
        for i in 1..=40 {
            text.push_str(&format!(
                " l{i} = concat(local.l{p}, local.l{p})\n",
                p = i - 1
            ));
        }
        text.push_str("}\n");
        let (v, _) = eval_out(&text);
        assert!(v.is_error(), "{v:?}");
        let (v, _) = eval_out("locals {\n big = [for i in range(10000) : i]\n out = [for x in local.big : local.big]\n}");
        assert!(v.is_error(), "for results are bounded");
        // Nested loops over large ranges hit the step budget, or the bytes budget for the
        // inner ranges they build.
        let (v, d) =
            eval_out("locals {\n out = [for a in range(10000) : [for b in range(10000) : b]]\n}");
        assert!(v.first_unknown().is_some());
        assert!(
            d.iter()
                .any(|d| d.message.contains("steps") || d.message.contains("bytes")),
            "{d:?}"
        );
        // Self-reference through count.
        let (v, _) =
            eval_out("resource \"x\" \"a\" {\n count = length(x.a)\n}\nlocals {\n out = x.a\n}");
        assert!(v.is_unknown());
    }
}
