//! Named resource limits, in one place (issue 8). Input that exceeds a limit is reported
//! with a clear diagnostic and skipped or made unknown; it never crashes, hangs or exhausts
//! memory. The input limits below can be raised per run with environment variables (see the
//! README's "Limits" section); the parser and evaluator limits are fixed.

/// Largest configuration file read (bytes). `EKS_LINT_MAX_FILE_BYTES`.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 8 << 20;
/// Most bytes read over the whole scan. `EKS_LINT_MAX_TOTAL_BYTES`.
pub const DEFAULT_MAX_TOTAL_BYTES: u64 = 128 << 20;
/// Most configuration files read in one scan. `EKS_LINT_MAX_FILES`.
pub const DEFAULT_MAX_FILES: u64 = 20_000;

pub use crate::eksctl::yaml::{ALIAS_BUDGET as YAML_ALIAS_BUDGET, MAX_DEPTH as YAML_MAX_DEPTH};
pub use crate::terraform::calls::MAX_MODULE_DEPTH;
pub use crate::terraform::eval::{
    MAX_DEPTH as EVAL_MAX_DEPTH, MAX_INSTANCES, MAX_STEPS as EVAL_MAX_STEPS,
};
pub use crate::terraform::funcs::MAX_WEIGHT as EVAL_MAX_VALUE_WEIGHT;

/// `default`, or the environment variable's value when it is a whole number.
fn from_env(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

pub fn max_file_bytes() -> u64 {
    from_env("EKS_LINT_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)
}

pub fn max_total_bytes() -> u64 {
    from_env("EKS_LINT_MAX_TOTAL_BYTES", DEFAULT_MAX_TOTAL_BYTES)
}

pub fn max_files() -> u64 {
    from_env("EKS_LINT_MAX_FILES", DEFAULT_MAX_FILES)
}
