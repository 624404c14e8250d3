//! Each rule's static metadata, generated at build time from the front matter of its page in
//! `rules/*.md` (`build.rs`). A leaf: settings, rendering and the rules all read it.

use crate::diag::Level;

/// Static metadata of a rule, taken from the front matter of its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    /// capacity, instance, cni, network, meta.
    pub category: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
    /// File name of the page in `rules/`.
    pub file: &'static str,
    /// The whole page (front matter included); see [`pages::body`].
    pub page: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/rule_table.rs"));

pub fn meta(code_or_name: &str) -> Option<&'static RuleMeta> {
    let q = code_or_name.trim();
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(q) || r.name.eq_ignore_ascii_case(q))
}
