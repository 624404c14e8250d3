//! The expression evaluator: hcl-edit expressions → [`Val`] in the scope of one module.
//!
//! Every lookup that can recurse (locals, resource attributes, count/for_each) is memoised or
//! guarded by an in-progress set, the nesting depth is bounded explicitly, and a step budget
//! stops pathological inputs: the evaluator never hangs or overflows the stack, it returns an
//! unknown value and records a diagnostic.
//!
//! Layout: [`core`] holds the [`Evaluator`] and the [`Resolver`] it asks; [`scope`] the data an
//! evaluation works on; [`ops`] value operations that need no evaluator; the other files add
//! the methods for one kind of expression each (templates, calls, references, variables,
//! expansion) or, in [`blocks`], a resource's nested blocks with `dynamic` expanded; [`data`]
//! the queries of data sources that other roots may answer. Files depend on `core`, `scope`
//! and `ops`, never on this one, and on each other only in `data`, which reads `filter`
//! blocks through `blocks`.

mod blocks;
mod call;
mod core;
mod data;
mod expand;
mod ops;
mod path_documents;
mod planned;
mod refs;
mod scope;
mod template;
mod vars;

pub use self::blocks::Block;
pub use self::core::{Evaluator, Resolver, MAX_DEPTH};
pub use self::ops::{index, reason};
pub use self::scope::{Expansion, InstCtx, Limit, Scope, VarInput};

#[cfg(test)]
mod tests;
