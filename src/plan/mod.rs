//! Terraform and OpenTofu plan and state documents (`terraform show -json`, issue 18).
//!
//! The JSON output format (HashiCorp's "JSON Output Format", OpenTofu's page of the same name)
//! holds the values Terraform computed at plan time: `planned_values` and `prior_state`
//! (values representations: `root_module` with `resources` and nested `child_modules`),
//! `resource_changes` (whose `change.after_unknown` marks what is known only after apply) and
//! `variables`. A state (`terraform show -json` of a state) is one values representation under
//! `values`. This module reads either into a [`Plan`]: instances by full resource address,
//! each with its values and what is unknown. The Terraform evaluator asks it for what it
//! cannot know statically ([`crate::terraform::eval::Resolver::plan`]).

mod doc;
pub mod fill;
pub mod model;
pub mod pair;
mod types;
mod val;

pub use doc::{load, looks_like_plan, Loaded};
pub use types::{DocKind, Index, Instance, Plan};
pub use val::{attr_val, instance_val};

/// The resource address written at `span` of a document: spans of instances point at their
/// `"address"` key, and the string after it is the address.
pub fn address_at(text: &str, span: crate::source::Span) -> Option<String> {
    if text.get(span.range())? != "\"address\"" {
        return None;
    }
    let rest = text
        .get(span.range().end..)?
        .trim_start()
        .strip_prefix(':')?;
    let mut values = serde_json::Deserializer::from_str(rest).into_iter::<String>();
    values.next()?.ok()
}

#[cfg(test)]
mod tests;
