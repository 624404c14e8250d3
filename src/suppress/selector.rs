//! A suppression comment as parsed, and whether one of its selectors names a rule: what the
//! scanner (`suppress.rs`) produces and the index (`index.rs`) matches findings against.

use crate::code::Code;
use crate::source::{FileId, Span};

/// One `eks-lint: ignore[...]` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suppression {
    pub file: FileId,
    /// The comment's directive, for EKS902.
    pub span: Span,
    pub selectors: Vec<String>,
    pub reason: String,
    /// `until=` as (year, month, day).
    pub until: Option<(i32, u32, u32)>,
    /// A malformed `until=` value.
    pub bad_until: Option<String>,
    pub file_wide: bool,
    /// `ignore-file` that is not in the leading comments of the file.
    pub misplaced: bool,
    /// Inclusive 1-based line range the suppression covers (whole file when `file_wide`).
    pub lines: (u32, u32),
}

/// Whether `selector` (a code, a code prefix of at least `EKSn`, a rule name or `ALL`) names
/// the rule `code`.
pub(super) fn matches(selector: &str, code: Code) -> bool {
    let s = selector.trim();
    if s.eq_ignore_ascii_case("ALL")
        || s.eq_ignore_ascii_case(code.as_str())
        || s.eq_ignore_ascii_case(code.name())
    {
        return true;
    }
    let up = s.to_ascii_uppercase();
    up.len() >= 4 && up.starts_with("EKS") && code.as_str().starts_with(&up)
}
