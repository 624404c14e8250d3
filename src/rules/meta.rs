//! Each rule's static metadata, generated at build time from the front matter of its page in
//! `rules/*.md` (`build.rs`). A leaf: settings, rendering and the rules all read it. This is
//! also where codes and rule names that users write are turned into [`Code`]s.

use crate::code::Code;
use crate::diag::Level;

/// Static metadata of a rule, taken from the front matter of its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: Code,
    pub name: &'static str,
    pub level: Level,
    /// capacity, instance, cni, network, meta.
    pub category: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
    /// Emitted by a check in `rules/` (front matter `emitted-by: check`, the default), not
    /// by the pipeline (`emitted-by: pipeline`: front ends, suppressions).
    pub check: bool,
    /// File name of the page in `rules/`.
    pub file: &'static str,
    /// The whole page as written (front matter and hidden example context included).
    pub page: &'static str,
    /// The page as readers see it: no front matter, no `<!-- example-... -->` comments.
    pub body: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/rule_table.rs"));

impl Code {
    pub fn meta(self) -> &'static RuleMeta {
        // build.rs writes RULES in the order of the enum; `tests` checks it.
        &RULES[self.index()]
    }

    pub fn name(self) -> &'static str {
        self.meta().name
    }
}

/// The rule a user named by code or rule name, in any case.
pub fn lookup(code_or_name: &str) -> Option<Code> {
    let q = code_or_name.trim();
    Code::from_code(q).or_else(|| {
        RULES
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(q))
            .map(|r| r.code)
    })
}

pub fn meta(code_or_name: &str) -> Option<&'static RuleMeta> {
    lookup(code_or_name).map(Code::meta)
}

/// A code or rule name that names no rule; displays as the message with suggestions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule {
    pub query: String,
    /// Rules whose name is close or whose code starts with the query.
    pub near: Vec<Code>,
}

impl std::fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let q = &self.query;
        if self.near.is_empty() {
            write!(f, "unknown rule `{q}` (see `eks-lint rule --all`)")
        } else {
            let near: Vec<&str> = self.near.iter().map(|c| c.as_str()).collect();
            write!(f, "unknown rule `{q}`; did you mean {}?", near.join(", "))
        }
    }
}

impl std::error::Error for UnknownRule {}

impl std::str::FromStr for Code {
    type Err = UnknownRule;

    /// A code or rule name (any case); otherwise the rules it is close to.
    fn from_str(q: &str) -> Result<Code, UnknownRule> {
        lookup(q).ok_or_else(|| UnknownRule {
            query: q.to_string(),
            near: RULES
                .iter()
                .filter(|r| {
                    strsim::jaro_winkler(r.name, &q.to_ascii_lowercase()) > 0.8
                        || r.code.as_str().starts_with(&q.to_ascii_uppercase())
                })
                .map(|r| r.code)
                .collect(),
        })
    }
}
