//! `data "kubectl_path_documents"` (gavinbunney/terraform-provider-kubectl): the files its
//! `pattern` names, rendered as Terraform templates with its `vars` ("All the terraform hcl
//! template features are supported", provider release v1.2.0 notes) and split into YAML
//! documents. `documents` is the list of them; `manifests` a map of them (keyed here by
//! position: only its values, the YAML, matter to eks-lint). A glob pattern is not listed
//! (its files are unknown), nor is a template whose path or vars are unknown.

use super::core::*;
use super::scope::*;
use crate::source::Span;
use crate::terraform::module::Mode;
use crate::terraform::value::{Val, V};
use std::collections::BTreeMap;

impl<'m, 'a> Evaluator<'m, 'a> {
    /// `data.kubectl_path_documents.<n>.<attr>`, or None for other attributes.
    pub(super) fn path_documents(&self, n: &str, attr: &str, span: Span) -> Option<Val> {
        if !matches!(attr, "documents" | "manifests") {
            return None;
        }
        let idx = *self
            .m
            .index
            .get(&(Mode::Data, "kubectl_path_documents", n))?;
        let r = self.m.resources.get(idx)?;
        let pf = *self.m.files.get(r.file)?;
        let sc = Scope::new(pf);
        let get = |k: &str| {
            r.block
                .body
                .get_attribute(k)
                .map(|a| self.eval(&a.value, &sc))
        };
        let pattern = get("pattern")?;
        let vars = get("vars").unwrap_or_else(|| Val::new(V::Map(BTreeMap::new()), span));
        if let V::Str(p) = &pattern.v {
            if p.contains(['*', '?', '[']) {
                return Some(Val::unknown(
                    format!("`data.kubectl_path_documents.{n}` matches files by the glob `{p}`, which is not expanded"),
                    span,
                ));
            }
        }
        let text = match self.templatefile(&[pattern, vars], span) {
            Val { v: V::Str(t), .. } => t,
            other => return Some(other),
        };
        let docs: Vec<Val> = split_documents(&text)
            .into_iter()
            .map(|d| Val::str(d, span))
            .collect();
        Some(Val::new(
            if attr == "documents" {
                V::List(docs)
            } else {
                V::Map(
                    docs.into_iter()
                        .enumerate()
                        .map(|(i, d)| (i.to_string(), d))
                        .collect(),
                )
            },
            span,
        ))
    }
}

/// The non-empty YAML documents of a text, split at `---` lines.
fn split_documents(text: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    for line in text.lines() {
        if line.trim_end() == "---" || line.starts_with("--- ") {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push_str(line);
            last.push('\n');
        }
    }
    out.retain(|d| {
        d.lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    });
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn documents_are_split_at_separator_lines() {
        let d = super::split_documents("# c\n---\na: 1\n---\nb: 2\n--- \n\n");
        assert_eq!(d, vec!["a: 1\n".to_string(), "b: 2\n".to_string()]);
    }
}
