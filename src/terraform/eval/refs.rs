//! References: `var.`, `local.`, `module.`, resources and their attributes, traversal
//! operators (attributes, indexes, splats), outputs, and instance addresses for messages.

use super::core::*;
use super::ops::*;
use super::scope::*;
use crate::source::Span;
use crate::terraform::module::Mode;
use crate::terraform::value::{InstKey, InstRef, Val, V};
use hcl_edit::expr::{Expression, TraversalOperator};
use std::rc::Rc;

impl<'m, 'a> Evaluator<'m, 'a> {
    pub(super) fn traversal(
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
                    ("path", Some(p)) => (self.path_value(p, span), 1),
                    ("terraform", Some("workspace")) => (self.workspace(span), 1),
                    ("terraform", Some(w)) => {
                        return Val::unknown(format!("`terraform.{w}` depends on the run"), span)
                    }
                    ("data", Some(ty)) => return self.data_ref(ty, ops, sc, span),
                    ("module", Some(call)) => return self.module_ref(call, ops, sc, span),
                    ("self", _) => return Val::unknown("`self` is known only after apply", span),
                    (ty, Some(n)) => match self.m.index.get(&(Mode::Managed, ty, n)) {
                        Some(&idx) => (self.resource_value(idx, span), 1),
                        None => return self.unresolved(name, ops, sc, span),
                    },
                    (_, None) => return self.unresolved(name, ops, sc, span),
                };
                return self.apply_ops(base, &ops[used..], sc, span);
            }
        }
        let base = self.eval(root, sc);
        self.apply_ops(base, ops, sc, span)
    }

    /// A name that is neither Terraform's nor a resource of the module: the resolver's
    /// (Terragrunt's `dependency`, `include`), or an error (kept out of `traversal` so its
    /// stack frame stays small).
    #[inline(never)]
    fn unresolved(
        &self,
        name: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        sc: &Scope,
        span: Span,
    ) -> Val {
        if let Some(base) = self.resolver.and_then(|r| r.global(name, span)) {
            return self.apply_ops(base, ops, sc, span);
        }
        match ops.first().map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(n)) => Val::error(
                format!("reference to undeclared resource `{name}.{}`", n.as_str()),
                span,
            ),
            _ => Val::error(format!("invalid reference `{name}`"), span),
        }
    }

    /// `data.<type>.<name>…`: known only at plan time (kept out of `traversal` so its stack
    /// frame stays small). The zones (names or ids) AWS lists are distinct: elements at
    /// different indices are different zones.
    #[inline(never)]
    fn data_ref(
        &self,
        ty: &str,
        ops: &[hcl_edit::Decorated<TraversalOperator>],
        sc: &Scope,
        span: Span,
    ) -> Val {
        let attr = |i: usize| match ops.get(i).map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => Some(a.as_str()),
            _ => None,
        };
        let n = attr(1).unwrap_or("?");
        if let Some(v) = self.linked_data(ty, n, attr(2), span) {
            return self.apply_ops(v, ops.get(3..).unwrap_or_default(), sc, span);
        }
        if let Some(v) = self.planned_data(ty, n, span) {
            return self.apply_ops(v, ops.get(2..).unwrap_or(&[]), sc, span);
        }
        // The root cause is the data block, not this reference: every use of one data source
        // is one unknown (one EKS901 note), wherever it is read.
        let span = self.data_block_span(ty, n).unwrap_or(span);
        if let ("aws_availability_zones", Some(a @ ("names" | "zone_ids"))) = (ty, attr(2)) {
            let zones = Val::distinct_list(
                format!("it comes from data source `data.{ty}.{n}`, read from AWS at plan time"),
                format!("data.{ty}.{n}.{a}"),
                span,
            );
            return self.apply_ops(zones, &ops[3..], sc, span);
        }
        if let (true, Some(a)) = (ty == "kubectl_path_documents", attr(2)) {
            if let Some(docs) = self.path_documents(n, a, span) {
                return self.apply_ops(docs, &ops[3..], sc, span);
            }
        }
        if ty == "terraform_remote_state" {
            Val::unknown(
                format!("it comes from remote state `data.terraform_remote_state.{n}`, read only at plan time"),
                span,
            )
        } else {
            Val::unknown(
                format!("it comes from data source `data.{ty}.{n}`, read from AWS at plan time"),
                span,
            )
        }
    }

    /// The name label of `data "<ty>" "<n>"` in this module.
    fn data_block_span(&self, ty: &str, n: &str) -> Option<Span> {
        let idx = *self
            .m
            .index
            .get(&(crate::terraform::module::Mode::Data, ty, n))?;
        let r = self.m.resources.get(idx)?;
        Some(self.m.span_of(r.file, r.block.labels.last()?))
    }

    #[inline(never)]
    fn workspace(&self, span: Span) -> Val {
        let w = self
            .resolver
            .map_or_else(|| "default".into(), |r| r.workspace());
        Val::str(w, span)
    }

    /// `path.module`, `path.root`, `path.cwd` (Terraform runs in the root module's directory).
    #[inline(never)]
    fn path_value(&self, which: &str, span: Span) -> Val {
        let module = || self.m.dir.to_string_lossy().into_owned();
        let (root, cwd) = self
            .resolver
            .map_or_else(|| (module(), module()), |r| r.root_paths());
        match which {
            "module" => Val::str(module(), span),
            "root" => Val::str(root, span),
            "cwd" => Val::str(cwd, span),
            other => Val::error(
                format!("`path.{other}` is not a path Terraform defines"),
                span,
            ),
        }
    }

    /// Outputs of module calls. Extension point for issue 4: evaluate the called module with
    /// [`super::evaluate_module`] and return its output here.
    /// `module.<call>…` (kept out of `traversal` so its stack frame stays small).
    #[inline(never)]
    pub(super) fn module_ref(
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
    pub(super) fn module_output(
        &self,
        call: &str,
        output: Option<&str>,
        span: Span,
    ) -> (Val, usize) {
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

    pub(super) fn apply_ops(
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

    pub(super) fn splat(&self, v: Val, span: Span, f: impl Fn(Val) -> Val) -> Val {
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

    pub(super) fn get_attr(&self, v: Val, name: &str, span: Span) -> Val {
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

    /// `aws_x.name` as a value: one instance, a list (count) or a map (for_each).
    pub(super) fn resource_value(&self, res: usize, span: Span) -> Val {
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
            Expansion::Unknown(v) | Expansion::TooMany(v) => {
                let why = match &v.v {
                    V::Unknown(u) => u.reason.clone(),
                    _ => "unknown".into(),
                };
                Val::unknown(
                    format!(
                        "the instances of `{}` are not known ({why})",
                        self.m
                            .resources
                            .get(res)
                            .map_or_else(String::new, |r| r.address())
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
        // A local address always indexes this module's resources (values leaving a module
        // are made external, `calls::export`); checked anyway: input never panics.
        let Some(r) = self.m.resources.get(res) else {
            return Val::new(V::Ref(inst.clone(), name.to_string()), span);
        };
        let computed = Val::new(V::Ref(inst.clone(), name.to_string()), span);
        if name == "id" || name == "arn" {
            return computed;
        }
        let Some(attr) = r.block.body.get_attribute(name) else {
            // Computed (`random_string.x.result`): the plan's value when it knows it; the
            // reference otherwise, which still names the instance.
            return match self.planned_attr(inst, res, name, span) {
                Some(p) if !p.is_unknown() => p,
                _ => computed,
            };
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
    /// A plan paired with the root fills it in when unknown ([`Self::overlay_attr`]).
    pub fn instance_attr(&self, inst: &InstRef, attr: &hcl_edit::structure::Attribute) -> Val {
        let v = self.instance_attr_with(inst, attr, &[]);
        match inst.local_res() {
            Some(res) => self.overlay_attr(inst, res, attr.key.as_str(), v),
            None => v,
        }
    }

    /// Like [`Self::instance_attr`], with the iterators of the `dynamic` blocks it is inside of
    /// in scope (outermost first).
    pub(super) fn instance_attr_with(
        &self,
        inst: &InstRef,
        attr: &hcl_edit::structure::Attribute,
        names: &[(Rc<str>, Rc<Val>)],
    ) -> Val {
        let Some(res) = inst.local_res() else {
            return Val::unknown("an attribute of another module's resource", Span::default());
        };
        let Some(r) = self.m.resources.get(res) else {
            return Val::unknown("an attribute of another module's resource", Span::default());
        };
        let pf = self.m.files[r.file];
        let ctx = self.inst_ctx(inst);
        let mut sc = Scope::with_inst(pf, ctx.as_ref());
        sc.names.extend(names.iter().cloned());
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
        match self.m.resources.get(res) {
            Some(r) => format!("{}{}", r.address(), inst.key.suffix()),
            None => "a resource of a module".into(),
        }
    }
}
