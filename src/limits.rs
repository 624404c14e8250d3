//! Named resource limits, in one place (issue 8). Input that exceeds a limit is reported
//! with a clear diagnostic and skipped or made unknown; it never crashes, hangs or exhausts
//! memory. Every limit but the nesting depths is a field of [`Limits`], carried by the run's
//! settings; the CLI sets them from environment variables (see the README's "Limits"
//! section). The depths bound recursion, so they stay fixed to keep the stack safe.

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
/// Nodes one YAML file (or one YAML value) may have, alias copies aside: the tree, and the
/// JSON view the manifest readers take of it, cost about 100 bytes a node. Real ClusterConfigs
/// and NodePool files have a few thousand. `EKS_LINT_MAX_YAML_NODES`.
pub const DEFAULT_MAX_YAML_NODES: u64 = 250_000;
/// Pairs of keys in the object constructors of one HCL file (n(n−1)/2 per object: the parser
/// compares each key with those before it); one object of 2 000 keys.
/// `EKS_LINT_MAX_OBJECT_KEY_PAIRS`.
pub const DEFAULT_MAX_OBJECT_KEY_PAIRS: u64 = 2_000 * 1_999 / 2;

/// Largest plan or state document read (`terraform show -json` of a large configuration is
/// far bigger than its files). `EKS_LINT_MAX_PLAN_BYTES`.
pub const DEFAULT_MAX_PLAN_BYTES: u64 = 64 << 20;

// Recursion bounds: fixed, because raising them could overflow the stack.
/// YAML nesting deeper than this is rejected (no real ClusterConfig comes close).
pub const YAML_MAX_DEPTH: usize = 256;
/// Deepest nesting of Terraform evaluation (expressions inside references inside expressions).
pub const EVAL_MAX_DEPTH: u32 = 256;

/// Stack size for the threads a run works on: evaluation recursion is bounded by
/// [`EVAL_MAX_DEPTH`] and YAML nesting by [`YAML_MAX_DEPTH`], and 16 MiB keeps those bounds far
/// from the end of the stack even in debug builds. The CLI's thread pool uses it; an embedder
/// running [`crate::check`] on its own pool should too.
pub const STACK_SIZE: usize = 16 << 20;

/// A limit as a `usize` (saturating on 32-bit targets).
pub fn as_usize(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

/// Every limit of a run that can be changed ([`crate::Settings::limits`]). The library reads no
/// environment: the CLI fills this from the `EKS_LINT_*` variables ([`Limits::from_env`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest configuration file read (bytes).
    pub max_file_bytes: u64,
    /// Most bytes read over the whole scan.
    pub max_total_bytes: u64,
    /// Most configuration files read in one scan.
    pub max_files: u64,
    /// Instances one resource `count`/`for_each` may expand to.
    pub max_instances: u64,
    /// Evaluation steps per root configuration.
    pub max_eval_steps: u64,
    /// Evaluation steps over every root of a run.
    pub max_run_eval_steps: u64,
    /// Bytes of values built per root configuration.
    pub max_eval_bytes: u64,
    /// Module instances per root configuration.
    pub max_total_module_instances: u64,
    /// Elements plus string bytes one function call may receive.
    pub max_value_size: u64,
    /// Nested module calls followed.
    pub max_module_depth: u64,
    /// Instances one module call's `count`/`for_each` may expand to.
    pub max_module_instances: u64,
    /// Terraform text of one module directory.
    pub max_module_bytes: u64,
    /// Node groups checked per cluster.
    pub max_node_groups: u64,
    /// Nodes YAML alias expansion may copy per file.
    pub max_yaml_aliases: u64,
    /// Pairs of object keys the HCL parser may compare per file.
    pub max_object_key_pairs: u64,
    /// Nodes of one YAML file, alias copies aside.
    pub max_yaml_nodes: u64,
    /// Largest plan or state document read (bytes).
    pub max_plan_bytes: u64,
}

/// Each limit's environment variable and field, in the README's order.
macro_rules! limits_table {
    ($($field:ident $var:literal $default:ident,)*) => {
        impl Limits {
            /// The defaults above.
            pub const DEFAULT: Limits = Limits { $($field: $default,)* };

            /// The environment variable of each limit, with its default.
            pub const VARIABLES: &'static [(&'static str, u64)] = &[$(($var, $default),)*];

            /// The defaults, with every `EKS_LINT_*` variable that `get` returns a whole number
            /// for (`_` separators allowed) laid over them; other values are ignored.
            pub fn from_env(get: impl Fn(&str) -> Option<String>) -> Limits {
                let num = |var: &str, default: u64| -> u64 {
                    get(var)
                        .and_then(|v| v.trim().replace('_', "").parse().ok())
                        .unwrap_or(default)
                };
                Limits { $($field: num($var, $default),)* }
            }
        }
    };
}

limits_table! {
    max_file_bytes "EKS_LINT_MAX_FILE_BYTES" DEFAULT_MAX_FILE_BYTES,
    max_total_bytes "EKS_LINT_MAX_TOTAL_BYTES" DEFAULT_MAX_TOTAL_BYTES,
    max_files "EKS_LINT_MAX_FILES" DEFAULT_MAX_FILES,
    max_instances "EKS_LINT_MAX_INSTANCES" DEFAULT_MAX_INSTANCES,
    max_eval_steps "EKS_LINT_MAX_EVAL_STEPS" DEFAULT_MAX_EVAL_STEPS,
    max_run_eval_steps "EKS_LINT_MAX_RUN_EVAL_STEPS" DEFAULT_MAX_RUN_EVAL_STEPS,
    max_eval_bytes "EKS_LINT_MAX_EVAL_BYTES" DEFAULT_MAX_EVAL_BYTES,
    max_total_module_instances "EKS_LINT_MAX_TOTAL_MODULE_INSTANCES" DEFAULT_MAX_TOTAL_MODULE_INSTANCES,
    max_value_size "EKS_LINT_MAX_VALUE_SIZE" DEFAULT_MAX_VALUE_SIZE,
    max_module_depth "EKS_LINT_MAX_MODULE_DEPTH" DEFAULT_MAX_MODULE_DEPTH,
    max_module_instances "EKS_LINT_MAX_MODULE_INSTANCES" DEFAULT_MAX_MODULE_INSTANCES,
    max_module_bytes "EKS_LINT_MAX_MODULE_BYTES" DEFAULT_MAX_MODULE_BYTES,
    max_node_groups "EKS_LINT_MAX_NODE_GROUPS" DEFAULT_MAX_NODE_GROUPS,
    max_yaml_aliases "EKS_LINT_MAX_YAML_ALIASES" DEFAULT_MAX_YAML_ALIASES,
    max_object_key_pairs "EKS_LINT_MAX_OBJECT_KEY_PAIRS" DEFAULT_MAX_OBJECT_KEY_PAIRS,
    max_yaml_nodes "EKS_LINT_MAX_YAML_NODES" DEFAULT_MAX_YAML_NODES,
    max_plan_bytes "EKS_LINT_MAX_PLAN_BYTES" DEFAULT_MAX_PLAN_BYTES,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_values_override_defaults_and_bad_ones_are_ignored() {
        let env = |v: &str| match v {
            "EKS_LINT_MAX_FILES" => Some(" 1_000 ".to_string()),
            "EKS_LINT_MAX_INSTANCES" => Some("lots".to_string()),
            _ => None,
        };
        let l = Limits::from_env(env);
        assert_eq!(l.max_files, 1000);
        assert_eq!(l.max_instances, DEFAULT_MAX_INSTANCES);
        assert_eq!(Limits::from_env(|_| None), Limits::default());
        assert_eq!(Limits::VARIABLES.len(), 17);
    }

    #[test]
    fn the_readme_lists_every_variable() {
        let readme = include_str!("../README.md");
        for (var, _) in Limits::VARIABLES {
            assert!(
                readme.contains(&format!("| `{var}` |")),
                "{var} is not in README's Limits"
            );
        }
    }
}
