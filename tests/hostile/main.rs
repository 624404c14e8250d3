//! Hostile pull requests (issue 12): every attack class a stranger's PR can try against the CI
//! job that runs eks-lint, each asserting the exact outcome (diagnostic, exit code, nothing of
//! outside files in any output, output well formed and escaped) within the time and memory
//! bounds of `tests/common`. Large inputs are generated here, never committed.

mod access;
mod budget;
#[path = "../common/mod.rs"]
mod common;

mod fanout;
mod output;
mod pools;
