//! Named resource limits, in one place (issue 8). Input that exceeds a limit is reported
//! with a clear diagnostic and skipped or made unknown; it never crashes, hangs or exhausts
//! memory. Every limit but the nesting depths can be changed per run with an environment
//! variable (see the README's "Limits" section); the depths bound recursion, so they stay
//! fixed to keep the stack safe.

/// Largest configuration file read (bytes). `EKS_LINT_MAX_FILE_BYTES`.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 8 << 20;
/// Most bytes read over the whole scan. `EKS_LINT_MAX_TOTAL_BYTES`.
pub const DEFAULT_MAX_TOTAL_BYTES: u64 = 128 << 20;
/// Most configuration files read in one scan. `EKS_LINT_MAX_FILES`.
pub const DEFAULT_MAX_FILES: u64 = 20_000;

/// Instances per resource `count`/`for_each`. `EKS_LINT_MAX_INSTANCES`.
pub const DEFAULT_MAX_INSTANCES: u64 = 10_000;
/// Evaluation steps per root configuration, over all its module instances.
/// `EKS_LINT_MAX_EVAL_STEPS`.
pub const DEFAULT_MAX_EVAL_STEPS: u64 = 1_000_000;
/// Evaluation steps over every root of a run. `EKS_LINT_MAX_RUN_EVAL_STEPS`.
pub const DEFAULT_MAX_RUN_EVAL_STEPS: u64 = 20_000_000;
/// Bytes of values built per root configuration (strings, elements, keys; copies count).
/// `EKS_LINT_MAX_EVAL_BYTES`.
pub const DEFAULT_MAX_EVAL_BYTES: u64 = 32 << 20;
/// Module instances per root configuration, at every depth. `EKS_LINT_MAX_TOTAL_MODULE_INSTANCES`.
pub const DEFAULT_MAX_TOTAL_MODULE_INSTANCES: u64 = 1024;
/// Elements plus string bytes one function call may receive. `EKS_LINT_MAX_VALUE_SIZE`.
pub const DEFAULT_MAX_VALUE_SIZE: u64 = 1 << 20;
/// Nested module calls followed. `EKS_LINT_MAX_MODULE_DEPTH`.
pub const DEFAULT_MAX_MODULE_DEPTH: u64 = 16;
/// Instances per module call `count`/`for_each`. `EKS_LINT_MAX_MODULE_INSTANCES`.
pub const DEFAULT_MAX_MODULE_INSTANCES: u64 = 256;
/// Terraform text of one module directory (its files are parsed together; a syntax tree takes
/// about 40 times its text). `EKS_LINT_MAX_MODULE_BYTES`.
pub const DEFAULT_MAX_MODULE_BYTES: u64 = 2 << 20;
/// Node groups checked per cluster. `EKS_LINT_MAX_NODE_GROUPS`.
pub const DEFAULT_MAX_NODE_GROUPS: u64 = 1_000;
/// Nodes YAML alias expansion may copy ("billion laughs" guard). `EKS_LINT_MAX_YAML_ALIASES`.
pub const DEFAULT_MAX_YAML_ALIASES: u64 = 100_000;
/// Pairs of keys in the object constructors of one HCL file (n(n−1)/2 per object: the parser
/// compares each key with those before it); one object of 2 000 keys.
/// `EKS_LINT_MAX_OBJECT_KEY_PAIRS`.
pub const DEFAULT_MAX_OBJECT_KEY_PAIRS: u64 = 2_000 * 1_999 / 2;

// Recursion bounds: fixed, because raising them could overflow the stack.
/// YAML nesting deeper than this is rejected (no real ClusterConfig comes close).
pub const YAML_MAX_DEPTH: usize = 256;
/// Deepest nesting of Terraform evaluation (expressions inside references inside expressions).
pub const EVAL_MAX_DEPTH: u32 = 256;

/// A limit as a `usize` (saturating on 32-bit targets).
pub fn as_usize(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

/// `default`, or the environment variable's value when it is a whole number.
fn from_env(var: &str, default: u64) -> u64 {
    std::env::var(var)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// `from_env`, read once per process: these are checked on hot paths.
macro_rules! cached {
    ($(#[$doc:meta])* $name:ident, $var:literal, $default:expr) => {
        $(#[$doc])*
        pub fn $name() -> u64 {
            static V: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
            *V.get_or_init(|| from_env($var, $default as u64))
        }
    };
}

cached!(
    /// Instances one resource `count`/`for_each` may expand to.
    max_instances,
    "EKS_LINT_MAX_INSTANCES",
    DEFAULT_MAX_INSTANCES
);
cached!(
    /// Evaluation steps per root configuration.
    max_eval_steps,
    "EKS_LINT_MAX_EVAL_STEPS",
    DEFAULT_MAX_EVAL_STEPS
);
cached!(
    /// Evaluation steps over every root of a run.
    max_run_eval_steps,
    "EKS_LINT_MAX_RUN_EVAL_STEPS",
    DEFAULT_MAX_RUN_EVAL_STEPS
);
cached!(
    /// Bytes of values built per root configuration.
    max_eval_bytes,
    "EKS_LINT_MAX_EVAL_BYTES",
    DEFAULT_MAX_EVAL_BYTES
);
cached!(
    /// Module instances per root configuration.
    max_total_module_instances,
    "EKS_LINT_MAX_TOTAL_MODULE_INSTANCES",
    DEFAULT_MAX_TOTAL_MODULE_INSTANCES
);
cached!(
    /// Elements plus string bytes one function call may receive.
    max_value_size,
    "EKS_LINT_MAX_VALUE_SIZE",
    DEFAULT_MAX_VALUE_SIZE
);
cached!(
    /// Nested module calls followed.
    max_module_depth,
    "EKS_LINT_MAX_MODULE_DEPTH",
    DEFAULT_MAX_MODULE_DEPTH
);
cached!(
    /// Instances one module call's `count`/`for_each` may expand to.
    max_module_instances,
    "EKS_LINT_MAX_MODULE_INSTANCES",
    DEFAULT_MAX_MODULE_INSTANCES
);
cached!(
    /// Terraform text of one module directory.
    max_module_bytes,
    "EKS_LINT_MAX_MODULE_BYTES",
    DEFAULT_MAX_MODULE_BYTES
);
cached!(
    /// Node groups checked per cluster.
    max_node_groups,
    "EKS_LINT_MAX_NODE_GROUPS",
    DEFAULT_MAX_NODE_GROUPS
);
cached!(
    /// Nodes YAML alias expansion may copy per file.
    max_yaml_aliases,
    "EKS_LINT_MAX_YAML_ALIASES",
    DEFAULT_MAX_YAML_ALIASES
);
cached!(
    /// Pairs of object keys the HCL parser may compare per file.
    max_object_key_pairs,
    "EKS_LINT_MAX_OBJECT_KEY_PAIRS",
    DEFAULT_MAX_OBJECT_KEY_PAIRS
);

pub fn max_file_bytes() -> u64 {
    from_env("EKS_LINT_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)
}

pub fn max_total_bytes() -> u64 {
    from_env("EKS_LINT_MAX_TOTAL_BYTES", DEFAULT_MAX_TOTAL_BYTES)
}

pub fn max_files() -> u64 {
    from_env("EKS_LINT_MAX_FILES", DEFAULT_MAX_FILES)
}
