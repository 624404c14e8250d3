//! Reading one document: detection, the input errors of a malformed or foreign file, and the
//! instances of `planned_values`, `prior_state` and `values` (with `resource_changes`'
//! `after_unknown`) by address.

use super::types::{DocKind, Index, Instance, Plan};
use crate::source::{FileId, SourceFile, Span};
use crate::terraform::parse::json_pos::{self, Pos};
use serde_json::Value as J;

/// What reading a document gave: the plan, or an input error.
pub enum Loaded {
    Plan(Box<Plan>),
    /// Not a plan or state document (an auto-detected `.json` file of another kind).
    Foreign,
    Error(String),
}

/// Whether a scanned `.json` file is worth parsing as a plan or state: both documents start
/// with `format_version` and name `terraform_version` (a cheap test before parsing).
pub fn looks_like_plan(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(4096)];
    let has = |k: &[u8]| memchr::memmem::find(head, k).is_some();
    has(b"\"format_version\"") && (has(b"\"terraform_version\"") || has(b"\"planned_values\""))
}

/// Read `file` (already bounded by the size limit). `explicit`: named by `--plan`, so a file
/// that is not a plan is an error rather than another kind of JSON.
pub fn load(id: FileId, file: &SourceFile, explicit: bool) -> Loaded {
    let text = &*file.text;
    let doc: J = match serde_json::from_str(text) {
        Ok(j) => j,
        Err(e) if explicit || looks_like_plan(text) => {
            return Loaded::Error(format!(
                "{}:{}:{}: not a Terraform plan or state JSON document: {e}",
                file.display,
                e.line(),
                e.column()
            ))
        }
        Err(_) => return Loaded::Foreign,
    };
    let foreign = |why: &str| {
        if explicit {
            Loaded::Error(format!(
                "{}:1:1: not a Terraform plan or state JSON document (`terraform show -json`): {why}",
                file.display
            ))
        } else {
            Loaded::Foreign
        }
    };
    let Some(obj) = doc.as_object() else {
        return foreign("the document is not an object");
    };
    let Some(version) = obj.get("format_version").and_then(J::as_str) else {
        return foreign("it has no `format_version`");
    };
    let kind = if obj.contains_key("planned_values") || obj.contains_key("resource_changes") {
        DocKind::Plan
    } else if obj.contains_key("values") || obj.contains_key("terraform_version") {
        DocKind::State
    } else {
        return foreign("it has neither `planned_values` nor `values`");
    };
    // The format's rule: reject an unsupported major version.
    if version.split('.').next() != Some("1") {
        return Loaded::Error(format!(
            "{}:1:1: unsupported plan format_version `{version}` (eks-lint reads version 1.x)",
            file.display
        ));
    }
    let pos = json_pos::scan(text);
    let mut plan = Plan {
        display: file.display.clone(),
        kind: Some(kind),
        span: Span::new(id, 0, 0),
        ..Plan::default()
    };
    let cx = Cx {
        id,
        plan: &mut plan,
    };
    cx.read(&doc, &pos);
    Loaded::Plan(Box::new(plan))
}

struct Cx<'p> {
    id: FileId,
    plan: &'p mut Plan,
}

impl Cx<'_> {
    fn read(mut self, doc: &J, pos: &Pos) {
        let sub = |k: &str| (doc.get(k), pos.get(k).map_or(Pos::other(), |p| p.1));
        // Current values first (data sources read at plan time live in `prior_state`), then
        // the planned ones over them.
        if let (Some(prior), p) = sub("prior_state") {
            let p = p.get("values").map_or(Pos::other(), |x| x.1);
            if let Some(v) = prior.get("values") {
                self.values(v, p);
            }
        }
        for key in ["values", "planned_values"] {
            if let (Some(v), p) = sub(key) {
                self.values(v, p);
            }
        }
        if let (Some(J::Array(changes)), p) = sub("resource_changes") {
            for (i, c) in changes.iter().enumerate() {
                self.change(c, p.item(i));
            }
        }
        if let (Some(J::Object(vars)), p) = sub("variables") {
            for (k, v) in vars {
                let at = p.get(k).map_or(0, |x| x.0);
                if let Some(value) = v.get("value") {
                    let span = Span::new(self.id, at, at + k.len() + 2);
                    self.plan.variables.insert(k.clone(), (value.clone(), span));
                }
            }
        }
    }

    /// A values representation: `root_module` and its `child_modules`, recursively (the
    /// nesting is bounded by serde_json's recursion limit).
    fn values(&mut self, v: &J, pos: &Pos) {
        let (Some(root), p) = (v.get("root_module"), pos.get("root_module")) else {
            return;
        };
        self.module(root, p.map_or(Pos::other(), |x| x.1), true);
    }

    fn module(&mut self, m: &J, pos: &Pos, root: bool) {
        if let Some(J::Array(rs)) = m.get("resources") {
            let rp = pos.get("resources").map_or(Pos::other(), |x| x.1);
            for (i, r) in rs.iter().enumerate() {
                self.resource(r, rp.item(i), root);
            }
        }
        if let Some(J::Array(cs)) = m.get("child_modules") {
            let cp = pos.get("child_modules").map_or(Pos::other(), |x| x.1);
            for (i, c) in cs.iter().enumerate() {
                if root {
                    if let Some(a) = c.get("address").and_then(J::as_str) {
                        self.plan.tops.insert(call_of(a).to_string());
                    }
                }
                self.module(c, cp.item(i), false);
            }
        }
    }

    fn resource(&mut self, r: &J, pos: &Pos, root: bool) {
        let Some(addr) = r.get("address").and_then(J::as_str) else {
            return;
        };
        let at = pos.get("address").map_or(0, |x| x.0);
        let span = Span::new(self.id, at, at + "\"address\"".len());
        let index = index_of(r.get("index"));
        let base = base_of(addr, &index).to_string();
        if root {
            self.plan.tops.insert(base.clone());
        }
        let values = r.get("values").cloned().unwrap_or(J::Null);
        let sensitive = r.get("sensitive_values").cloned().unwrap_or(J::Null);
        let list = self.plan.resources.entry(base).or_default();
        match list.iter_mut().find(|i| i.index == index) {
            Some(i) => {
                i.values = values;
                i.sensitive = sensitive;
                i.span = span;
            }
            None => list.push(Instance {
                index,
                values,
                unknown: J::Null,
                sensitive,
                span,
            }),
        }
    }

    /// `resource_changes[i]`: what is unknown after the change (`after_unknown`), and the
    /// planned values of an instance `planned_values` left out (a change only).
    fn change(&mut self, c: &J, pos: &Pos) {
        let Some(addr) = c.get("address").and_then(J::as_str) else {
            return;
        };
        let index = index_of(c.get("index"));
        let base = base_of(addr, &index).to_string();
        let change = c.get("change");
        let unknown = change.and_then(|x| x.get("after_unknown")).cloned();
        let after = change.and_then(|x| x.get("after")).cloned();
        let sensitive = change.and_then(|x| x.get("after_sensitive")).cloned();
        let at = pos.get("address").map_or(0, |x| x.0);
        let span = Span::new(self.id, at, at + "\"address\"".len());
        let list = self.plan.resources.entry(base).or_default();
        match list.iter_mut().find(|i| i.index == index) {
            Some(i) => {
                i.unknown = unknown.unwrap_or(J::Null);
                if let Some(s) = sensitive {
                    i.sensitive = s;
                }
            }
            None => list.push(Instance {
                index,
                values: after.unwrap_or(J::Null),
                unknown: unknown.unwrap_or(J::Null),
                sensitive: sensitive.unwrap_or(J::Null),
                span,
            }),
        }
    }
}

fn index_of(j: Option<&J>) -> Index {
    match j {
        Some(J::Number(n)) => n
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .map_or(Index::None, Index::Int),
        Some(J::String(s)) => Index::Str(s.clone()),
        _ => Index::None,
    }
}

/// The address without its instance key: `aws_subnet.a[0]` → `aws_subnet.a`.
fn base_of<'s>(addr: &'s str, index: &Index) -> &'s str {
    let suffix = match index {
        Index::None => return addr,
        Index::Int(i) => format!("[{i}]"),
        Index::Str(s) => format!("[{}]", J::String(s.clone())),
    };
    addr.strip_suffix(suffix.as_str())
        .or_else(|| addr.rfind('[').map(|i| &addr[..i]))
        .unwrap_or(addr)
}

/// `module.a["x"].module.b` → `module.a` (the root module's call).
fn call_of(addr: &str) -> &str {
    let rest = addr.strip_prefix("module.").unwrap_or(addr);
    let end = rest
        .find(['.', '['])
        .map_or(addr.len(), |i| i + addr.len() - rest.len());
    &addr[..end]
}
