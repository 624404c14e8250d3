//! The rule engine: every rule reads the model and the capacity facts, never HCL or YAML.

use crate::capacity::ClusterFacts;
use crate::diag::{Diagnostic, Level};
use crate::model::Cluster;
use crate::settings::Settings;
use crate::source::SourceMap;

mod eks101;

/// Static metadata of a rule (the page in `rules/` holds the documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    pub code: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub summary: &'static str,
}

/// The catalogue of DESIGN.md §6. Codes are stable and never reused.
pub const RULES: &[RuleMeta] = &[
    RuleMeta { code: "EKS101", name: "subnet-exhaustion", level: Level::Error, summary: "Node groups at max size need more addresses than their subnets hold, even at one pod per node." },
    RuleMeta { code: "EKS102", name: "subnet-headroom", level: Level::Warning, summary: "Node groups at max size and the expected pods per node need more addresses than their subnets hold, or leave less than the headroom threshold." },
    RuleMeta { code: "EKS103", name: "control-plane-subnet-size", level: Level::Warning, summary: "Cluster subnets smaller than /28, or shared with nodes so that fewer than 16 addresses stay free." },
    RuleMeta { code: "EKS104", name: "prefix-fragmentation", level: Level::Warning, summary: "Prefix delegation in subnets without a prefix reservation that other consumers share, or without enough whole /28 blocks." },
    RuleMeta { code: "EKS201", name: "low-pod-density", level: Level::Warning, summary: "An instance type caps pods per node below the threshold." },
    RuleMeta { code: "EKS202", name: "max-pods-over-eni-limit", level: Level::Error, summary: "An explicit max pods exceeds what the instance's ENIs can address." },
    RuleMeta { code: "EKS203", name: "mixed-max-pods", level: Level::Warning, summary: "A node group mixes instance types with different max pods; the smallest applies to all." },
    RuleMeta { code: "EKS204", name: "prefix-max-pods-not-raised", level: Level::Warning, summary: "Prefix delegation is on but max pods is left at the secondary-IP value." },
    RuleMeta { code: "EKS205", name: "unknown-instance-type", level: Level::Error, summary: "The instance type is not a known EC2 instance type." },
    RuleMeta { code: "EKS301", name: "warm-eni-waste", level: Level::Warning, summary: "WARM_ENI_TARGET makes each node hold a whole spare ENI of addresses in tight subnets." },
    RuleMeta { code: "EKS302", name: "minimum-ip-freeze", level: Level::Error, summary: "MINIMUM_IP_TARGET without WARM_IP_TARGET freezes the address pool below max pods." },
    RuleMeta { code: "EKS303", name: "warm-ip-without-minimum", level: Level::Note, summary: "WARM_IP_TARGET without MINIMUM_IP_TARGET causes EC2 API calls on every pod churn." },
    RuleMeta { code: "EKS304", name: "prefix-delegation-unsupported", level: Level::Warning, summary: "Prefix delegation on an instance type that does not support it (silent fallback)." },
    RuleMeta { code: "EKS305", name: "warm-target-zero-churn", level: Level::Warning, summary: "WARM_ENI_TARGET=0 or WARM_PREFIX_TARGET=0 without IP targets." },
    RuleMeta { code: "EKS306", name: "invalid-cni-setting", level: Level::Error, summary: "A VPC CNI setting that ipamd cannot parse or rejects." },
    RuleMeta { code: "EKS307", name: "custom-networking-incomplete", level: Level::Warning, summary: "Custom networking without a pod subnet for every node availability zone." },
    RuleMeta { code: "EKS401", name: "invalid-cidr", level: Level::Error, summary: "A CIDR that does not parse, has host bits set, or is outside /16–/28." },
    RuleMeta { code: "EKS402", name: "subnet-outside-vpc", level: Level::Error, summary: "A subnet not inside any of its VPC's CIDR blocks." },
    RuleMeta { code: "EKS403", name: "subnet-overlap", level: Level::Error, summary: "Two subnets overlap." },
    RuleMeta { code: "EKS404", name: "single-az", level: Level::Warning, summary: "Node or cluster subnets in a single availability zone." },
    RuleMeta { code: "EKS405", name: "service-cidr-overlap", level: Level::Error, summary: "The Kubernetes service CIDR overlaps the VPC." },
    RuleMeta { code: "EKS901", name: "unresolved-value", level: Level::Note, summary: "A check was skipped because a value is not known statically." },
    RuleMeta { code: "EKS902", name: "unused-suppression", level: Level::Warning, summary: "A suppression comment that suppressed nothing or names an unknown rule." },
    RuleMeta { code: "EKS903", name: "parse-error", level: Level::Error, summary: "A file could not be parsed." },
];

pub fn meta(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

/// What a rule sees for one cluster.
pub struct Ctx<'a> {
    pub cluster: &'a Cluster,
    pub facts: &'a ClusterFacts,
    pub sources: &'a SourceMap,
    pub settings: &'a Settings,
}

impl Ctx<'_> {
    /// A diagnostic at the rule's default level.
    pub fn diag(
        &self,
        code: &'static str,
        span: crate::source::Span,
        message: impl Into<String>,
    ) -> Diagnostic {
        let level = meta(code).map_or(Level::Warning, |m| m.level);
        Diagnostic::new(code, level, span, message)
    }
}

type CheckFn = fn(&Ctx, &mut Vec<Diagnostic>);

/// Cluster-level checks, in code order.
const CHECKS: &[CheckFn] = &[eks101::check];

pub fn run(ctx: &Ctx) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for check in CHECKS {
        check(ctx, &mut out);
    }
    out
}
