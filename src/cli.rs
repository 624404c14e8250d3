//! Command-line interface (clap). `eks-lint [PATHS]` is `eks-lint check [PATHS]`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "eks-lint",
    version = crate::aws::instances::LONG_VERSION,
    about = "Finds EKS pod IP exhaustion in Terraform and eksctl configurations before you deploy",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub check: CheckArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint the given paths (the default command).
    Check(CheckArgs),
    /// Show the pod-IP capacity table of every cluster.
    Capacity(CapacityArgs),
    /// Print a rule's documentation (`--all` lists every rule).
    Rule(RuleArgs),
    /// Print max pods and per-node addresses of an instance type in every CNI mode.
    Instance(InstanceArgs),
}

pub use crate::render::format::Format;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args, Default)]
pub struct InputArgs {
    /// Terraform variable file (repeatable; later files win).
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// Terraform or OpenTofu plan or state as JSON (`terraform show -json plan.out`;
    /// repeatable): fills in what only plan time knows.
    #[arg(long = "plan", value_name = "FILE")]
    pub plan_files: Vec<PathBuf>,
    /// Terraform variable `NAME=VALUE` (repeatable; wins over var files).
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Terraform workspace for `terraform.workspace` (default: `TF_WORKSPACE`, else
    /// `default`).
    #[arg(long, value_name = "NAME")]
    pub workspace: Option<String>,
    /// Configuration file (default: the nearest eks-lint.toml or .eks-lint.toml).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file.
    #[arg(long)]
    pub isolated: bool,
    /// Read module sources outside the scanned paths.
    #[arg(long)]
    pub allow_outside_root: bool,
    /// Take the files named as changes and also analyse every root module under the current
    /// directory whose local module calls reach a changed module (the pre-commit hook).
    #[arg(long)]
    pub affected_roots: bool,
    /// Instance types to add or override, as `aws ec2 describe-instance-types` prints them
    /// (repeatable; `[instance-types]` in eks-lint.toml wins).
    #[arg(long = "instance-types-json", value_name = "FILE")]
    pub instance_types_json: Vec<PathBuf>,
    /// Worker threads (default: one per CPU).
    #[arg(long, value_name = "N", env = "EKS_LINT_THREADS")]
    pub threads: Option<usize>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct CheckArgs {
    /// Files or directories to lint.
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// Output format (repeatable, each may be paired with an --output).
    #[arg(long, short = 'f', value_enum)]
    pub format: Vec<Format>,
    /// Write the matching --format to FILE instead of stdout (repeatable, in order).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Only these rules (code, code prefix like EKS1, or name; comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub select: Vec<String>,
    /// Add rules to the selection.
    #[arg(long, value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Skip these rules.
    #[arg(long, value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Lowest level that makes the exit code 1.
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (2 still reports unusable input).
    #[arg(long)]
    pub exit_zero: bool,
    /// Print counts per rule after the findings.
    #[arg(long)]
    pub statistics: bool,
    /// Print only findings (no summary line).
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Print the resolved settings and exit.
    #[arg(long)]
    pub show_settings: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Expected pods per node for EKS102 (default: max pods).
    #[arg(long, value_name = "N")]
    pub pods_per_node: Option<u32>,
    /// Fargate pods expected per cluster, one address each from its Fargate profiles'
    /// subnets (default: 0, not counted).
    #[arg(long, value_name = "N")]
    pub fargate_pods: Option<u32>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct CapacityArgs {
    #[arg(value_name = "PATHS")]
    pub paths: Vec<PathBuf>,
    /// human (default), json or markdown.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
    /// What-if: pods per node for the "full" figures.
    #[arg(long, value_name = "N")]
    pub pods_per_node: Option<u32>,
    /// What-if: Fargate pods per cluster (default: `expected-fargate-pods`).
    #[arg(long, value_name = "N")]
    pub fargate_pods: Option<u32>,
    /// What-if: override a VPC CNI env setting (repeatable), e.g. WARM_IP_TARGET=2.
    #[arg(long = "env", value_name = "NAME=VALUE")]
    pub env: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Args)]
pub struct RuleArgs {
    /// Rule code (EKS101) or name (subnet-exhaustion).
    #[arg(value_name = "CODE|NAME", required_unless_present = "all")]
    pub rule: Option<String>,
    /// List every rule.
    #[arg(long)]
    pub all: bool,
    /// human (default) or json.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
}

#[derive(Debug, Clone, Args)]
pub struct InstanceArgs {
    /// EC2 instance type, e.g. m5.large.
    #[arg(value_name = "TYPE")]
    pub instance_type: String,
    /// VPC CNI env setting to apply (repeatable), e.g. ENABLE_PREFIX_DELEGATION=true.
    #[arg(long = "env", value_name = "NAME=VALUE")]
    pub env: Vec<String>,
    /// human (default) or json.
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<Format>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn bare_paths_mean_check() {
        let cli = Cli::try_parse_from(["eks-lint", "a", "b", "--format", "sarif"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.check.paths.len(), 2);
        let cli = Cli::try_parse_from(["eks-lint", "rule", "EKS101"]).unwrap();
        assert!(matches!(cli.command, Some(Command::Rule(_))));
    }
}
