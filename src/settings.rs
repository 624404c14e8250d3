//! Resolved settings for one run (CLI flags merged over `eks-lint.toml`).

use crate::diag::Level;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct Settings {
    /// Level at or above which findings make the exit code 1.
    pub fail_on: Level,
    /// `--var-file` (repeatable), in order.
    pub var_files: Vec<PathBuf>,
    /// `--var k=v` (repeatable), in order.
    pub vars: Vec<(String, String)>,
    /// Whether `TF_VAR_*` from the environment are read.
    pub read_env_vars: bool,
    pub exclude: Vec<String>,
    /// Expected pods per node for EKS102 (None = max pods).
    pub expected_pods_per_node: Option<u32>,
    /// EKS102 warns when fewer than this percent of addresses stay free at max size.
    pub headroom_percent: u32,
    /// EKS201 threshold.
    pub low_pod_density: u32,
    /// EKS301 fires when idle warm addresses at max size reach this percent of the subnets.
    pub waste_percent: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fail_on: Level::Error,
            var_files: Vec::new(),
            vars: Vec::new(),
            read_env_vars: true,
            exclude: Vec::new(),
            expected_pods_per_node: None,
            headroom_percent: 10,
            low_pod_density: 10,
            waste_percent: 25,
        }
    }
}
