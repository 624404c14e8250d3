//! Function calls: arguments, `...` expansion, the built-ins of [`super::super::funcs`], and the
//! functions that read files (`file`, `templatefile`, `fileexists`) through the run's
//! file-access policy.

use super::core::*;
use super::ops::*;
use super::scope::*;
use crate::source::Span;
use crate::terraform::funcs;
use crate::terraform::parse::{ParsedFile, SpanMap};
use crate::terraform::value::{Val, V};
use hcl_edit::structure::Body;

impl<'m, 'a> Evaluator<'m, 'a> {
    pub(super) fn call(&self, f: &hcl_edit::expr::FuncCall, sc: &Scope, span: Span) -> Val {
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
        let mut out = self.builtin(name, &args, span);
        if out.span != span {
            out = out.through(span);
        }
        for a in &args {
            out.absorb(a);
        }
        out
    }

    /// The resolver's functions first (Terragrunt's), then Terraform's (kept out of `call` so
    /// its stack frame stays small).
    #[inline(never)]
    fn builtin(&self, name: &str, args: &[Val], span: Span) -> Val {
        if let Some(v) = self.resolver.and_then(|r| r.function(name, args, span)) {
            return v;
        }
        match name {
            "templatefile" => self.templatefile(args, span),
            "file" => self.file(args, span),
            "fileexists" => self.fileexists(args, span),
            _ => funcs::call(name, args, span, self.limits().max_value_size),
        }
    }

    /// The path a file function names, resolved like Terraform: relative to the module
    /// directory unless absolute or already under it (`"${path.module}/x"`).
    pub(super) fn file_arg(
        &self,
        args: &[Val],
        span: Span,
    ) -> Result<(String, std::path::PathBuf), Val> {
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
    pub(super) fn read_module_file(
        &self,
        args: &[Val],
        span: Span,
    ) -> Result<(String, String), Val> {
        use crate::access::Denied;
        let (path, full) = self.file_arg(args, span)?;
        let Some(access) = self.resolver.map(|r| r.access()) else {
            return Err(Val::unknown(
                format!("file `{path}` is not read here"),
                span,
            ));
        };
        match access.read_text_capped(&full, self.limits().max_value_size) {
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
    pub(super) fn fileexists(&self, args: &[Val], span: Span) -> Val {
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

    pub(super) fn file(&self, args: &[Val], span: Span) -> Val {
        match self.read_module_file(args, span) {
            Ok((_, text)) => Val::str(text, span),
            Err(u) => u,
        }
    }

    /// `templatefile(path, vars)`: the template is parsed and evaluated with only `vars` in
    /// scope; its spans all map to the call.
    pub(super) fn templatefile(&self, args: &[Val], span: Span) -> Val {
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
}
