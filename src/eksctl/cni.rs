//! The vpc-cni addon: its `configurationValues` env (JSON or YAML in a string) with a span on
//! each variable.

use super::core::Extractor;
use super::yaml::{self, Node};
use crate::diag::{Diagnostic, Level};
use crate::model::{CniConfig, Origin};
use crate::source::Span;

impl Extractor<'_> {
    pub(super) fn cni(&mut self, doc: &Node, limits: &crate::limits::Limits) -> CniConfig {
        let mut cfg = super::overlay::config(self.id, doc);
        let Some(addons) = doc.get("addons").and_then(Node::seq) else {
            return cfg;
        };
        let Some(addon) = addons
            .iter()
            .find(|a| a.get("name").and_then(Node::scalar) == Some("vpc-cni"))
        else {
            return cfg;
        };
        cfg.span = Some(self.span(addon));
        let Some(cv) = addon.get("configurationValues") else {
            return cfg;
        };
        let Some(raw) = cv.scalar() else {
            return cfg;
        };
        let inner = match yaml::parse(raw, limits) {
            Ok(d) => d,
            Err(e) => {
                self.diags.push(Diagnostic::new(
                    crate::code::Code::EKS903,
                    Level::Error,
                    self.span(cv),
                    format!(
                        "`configurationValues` of the vpc-cni addon is not valid JSON or YAML: {}",
                        e.message
                    ),
                ));
                cfg.unknown = Some(crate::model::Unknown {
                    reason: "the vpc-cni `configurationValues` could not be parsed".to_string(),
                    span: self.span(cv),
                });
                return cfg;
            }
        };
        let Some(env) = inner.first().and_then(|d| d.get("env")).and_then(Node::map) else {
            return cfg;
        };
        let region = (cv.start, cv.end);
        for (k, v) in env {
            let Some(name) = k.scalar() else { continue };
            let value = v.scalar().unwrap_or("").to_string();
            let span = self
                .locate_in(region, name, &value)
                .unwrap_or_else(|| self.span(cv));
            cfg.set(name, value, Origin::at(span));
        }
        cfg
    }

    /// Point at `NAME ... value` inside the configurationValues scalar's source text (the inner
    /// document's own offsets do not map 1:1 through quoting and block indentation).
    pub(super) fn locate_in(
        &self,
        (start, end): (usize, usize),
        name: &str,
        value: &str,
    ) -> Option<Span> {
        let region = self.text.get(start..end)?;
        let k = find_key(region, name)?;
        let after = &region[k + name.len()..];
        let line_end = after.find('\n').unwrap_or(after.len());
        let v_rel = if value.is_empty() {
            None
        } else {
            after[..line_end].find(value)
        };
        let end_rel = v_rel.map_or(k + name.len(), |v| k + name.len() + v + value.len());
        Some(Span::new(self.id, start + k, start + end_rel))
    }
}

/// Byte offset of `name` used as a key (`"NAME"`, `'NAME'` or `NAME:`) in `region`.
fn find_key(region: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(pos) = region[from..].find(name).filter(|_| !name.is_empty()) {
        let at = from + pos;
        let before = region[..at].chars().next_back();
        let after = region[at + name.len()..].chars().next();
        let quoted = matches!(before, Some('"' | '\'')) && matches!(after, Some('"' | '\''));
        let bare = !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            && matches!(after, Some(':'));
        if quoted || bare {
            return Some(if quoted { at - 1 } else { at });
        }
        from = at + name.len();
    }
    None
}
