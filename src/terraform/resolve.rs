//! What the evaluator asks of the layer above it (issue 13).
//!
//! The evaluator knows one module: its expressions, variables, locals and resources. A
//! `module.x` reference, a resource of another module that arrived through a module output,
//! the root's file-access policy and budgets, and the root's diagnostics belong to whoever
//! instantiates modules ([`super::calls`]). The evaluator defines this trait and asks it, so
//! evaluation does not depend on instantiation (Terraform's `lang` package and its `Scope`
//! data interface are the model).

use super::budget::{Budget, RunBudget};
use super::eval::Evaluator;
use super::value::{InstRef, Val};
use crate::access::Access;
use crate::diag::Diagnostic;
use crate::source::Span;

pub trait Resolver<'a> {
    /// `module.<call>` (and `.<output>` when given), as `ev`'s module sees it: the value and
    /// how many traversal operators it consumed (1 for the module object, 2 with an output).
    fn module_value(
        &self,
        ev: &Evaluator<'_, 'a>,
        call: &str,
        output: Option<&str>,
        span: Span,
    ) -> (Val, usize);

    /// How messages name an external instance (`module.vpc.aws_subnet.private[0]`).
    fn external_name(&self, inst: &InstRef) -> String;

    /// What `file()`, `templatefile()` and `fileexists()` may read.
    fn access(&self) -> &Access;

    /// The budget every module instance of the root shares.
    fn budget(&self) -> &Budget;

    /// The budget every root of the run shares.
    fn run_budget(&self) -> &RunBudget;

    /// A diagnostic about the root as a whole (a spent budget), reported once by the root.
    fn report(&self, d: Diagnostic);
}
