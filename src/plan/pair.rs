//! Which scanned root module a document was planned from.

use super::types::Plan;
use crate::terraform::module::Module;

/// The document planned from root module `m`: the one that has the most of the root's module
/// calls and resources by address (none when it has none of them). A document names no
/// directory, so its contents decide.
pub fn pair(m: &Module, plans: &[Plan]) -> Option<usize> {
    let names: Vec<String> = m
        .calls
        .iter()
        .map(|(n, _, _)| format!("module.{n}"))
        .chain(m.resources.iter().map(|r| r.address()))
        .collect();
    plans
        .iter()
        .enumerate()
        .map(|(i, p)| (p.matches(names.iter().map(String::as_str)), i))
        .filter(|(n, _)| *n > 0)
        // The best match; the first document among equals.
        .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)))
        .map(|(_, i)| i)
}
