//! Candidate instance types of a NodePool: every type of the table whose labels satisfy all
//! its requirements.
//!
//! Operators follow Kubernetes node affinity (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`,
//! `Lt`; `NotIn` and `DoesNotExist` hold when the label is absent, `Gt`/`Lt` compare an
//! integer label), as Karpenter's `scheduling.Requirement` applies them to the labels
//! `computeRequirements` gives each type (aws/karpenter-provider-aws
//! `pkg/providers/instancetype/types.go` at 1d927085dd81a9df9301e613f371dac5b4d16bfe). Karpenter
//! v1 adds no requirement a NodePool leaves out: no architecture, category or generation
//! default (the `default` NodePool of its docs writes them), so an unconstrained key allows
//! every type; `karpenter.sh/capacity-type` and zones decide offerings, not types. EKS Auto
//! Mode uses the same labels under `eks.amazonaws.com/`.

use crate::aws::instances::{self, Hypervisor, InstanceType};
use crate::aws::karpenter_labels::{self, Labels};
use crate::model::{Operator, Requirement};
use crate::source::Span;

/// What a label key is to the solver.
enum Key {
    /// A label eks-lint knows for every type.
    Label(fn(&InstanceType, &Labels) -> Option<String>),
    /// A key that does not select types (capacity type, zone, region, the pool's own labels).
    Ignored,
    /// A type label eks-lint has no data for.
    NoData,
}

fn key(k: &str) -> Key {
    let aws = k
        .strip_prefix("karpenter.k8s.aws/")
        .or_else(|| k.strip_prefix("eks.amazonaws.com/"));
    match k {
        "node.kubernetes.io/instance-type" | "beta.kubernetes.io/instance-type" => {
            return Key::Label(|it, _| Some(it.name.to_string()))
        }
        "kubernetes.io/arch" | "beta.kubernetes.io/arch" => return Key::Label(|_, l| s(l.arch)),
        "kubernetes.io/os" | "beta.kubernetes.io/os" => return Key::Label(|_, l| s(l.os)),
        _ => {}
    }
    let Some(aws) = aws else {
        // karpenter.sh/capacity-type, topology.kubernetes.io/*, karpenter.sh/nodepool and
        // labels of the user's own: Karpenter puts them on the node; they do not select types.
        return Key::Ignored;
    };
    Key::Label(match aws {
        "instance-category" => |_, l| s(l.category),
        "instance-family" => |_, l| s(l.family),
        "instance-generation" => |_, l| s(l.generation),
        "instance-size" => |_, l| s(l.size),
        "instance-cpu" => |it, _| it.vcpus.map(|v| v.to_string()),
        "instance-memory" => |_, l| l.memory_mib.map(|v| v.to_string()),
        "instance-gpu-count" => |_, l| l.gpu_count.map(|v| v.to_string()),
        "instance-hypervisor" => |it, _| match it.hypervisor {
            Hypervisor::Nitro => Some("nitro".to_string()),
            Hypervisor::Xen => Some("xen".to_string()),
            Hypervisor::Unknown => None,
        },
        "compute-type" | "capacity-reservation-id" => return Key::Ignored,
        _ => return Key::NoData,
    })
}

/// A label value; Karpenter sets no label for an empty one.
fn s(v: &str) -> Option<String> {
    Some(v.to_string()).filter(|v| !v.is_empty())
}

/// Whether a label value (None: the type has no such label) satisfies one requirement.
pub fn satisfies(op: Operator, values: &[String], label: Option<&str>) -> bool {
    let int = |s: &str| s.trim().parse::<i64>().ok();
    match op {
        Operator::In => label.is_some_and(|l| values.iter().any(|v| v == l)),
        Operator::NotIn => label.is_none_or(|l| values.iter().all(|v| v != l)),
        Operator::Exists => label.is_some(),
        Operator::DoesNotExist => label.is_none(),
        Operator::Gt | Operator::Lt => {
            let (Some(l), Some(v)) = (label.and_then(int), values.first().and_then(|v| int(v)))
            else {
                return false;
            };
            if op == Operator::Gt {
                l > v
            } else {
                l < v
            }
        }
    }
}

/// The result of solving a pool's requirements.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Solved {
    pub candidates: Vec<&'static str>,
    /// Keys with no instance data (their requirements were not applied), first span each.
    pub unknown_keys: Vec<(String, Span)>,
}

/// Every type with Karpenter labels that satisfies `reqs`. `os` overrides the types' OS label
/// (Windows AMI families give `windows`).
pub fn solve(reqs: &[Requirement], os: Option<&'static str>) -> Solved {
    let mut unknown_keys: Vec<(String, Span)> = Vec::new();
    let mut active = Vec::new();
    for r in reqs {
        match key(&r.key) {
            Key::Label(f) => active.push((r, f)),
            Key::Ignored => {}
            Key::NoData => {
                if !unknown_keys.iter().any(|(k, _)| *k == r.key) {
                    unknown_keys.push((r.key.clone(), r.span));
                }
            }
        }
    }
    let candidates = instances::known()
        .into_iter()
        .filter_map(|it| {
            let labels = karpenter_labels::lookup(it.name)?;
            let l = match os {
                Some(os) => Labels {
                    os,
                    ..labels.clone()
                },
                None => labels.clone(),
            };
            active
                .iter()
                .all(|(r, f)| satisfies(r.op, &r.values, f(it, &l).as_deref()))
                .then_some(it.name)
        })
        .collect();
    Solved {
        candidates,
        unknown_keys,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(key: &str, op: Operator, values: &[&str]) -> Requirement {
        Requirement {
            key: key.to_string(),
            op,
            values: values.iter().map(|v| v.to_string()).collect(),
            span: Span::default(),
        }
    }

    #[test]
    fn operators_follow_node_affinity() {
        let v = vec!["a".to_string(), "b".to_string()];
        assert!(satisfies(Operator::In, &v, Some("a")));
        assert!(!satisfies(Operator::In, &v, Some("c")));
        assert!(!satisfies(Operator::In, &v, None));
        assert!(satisfies(Operator::NotIn, &v, Some("c")));
        assert!(satisfies(Operator::NotIn, &v, None));
        assert!(!satisfies(Operator::NotIn, &v, Some("b")));
        assert!(satisfies(Operator::Exists, &[], Some("x")));
        assert!(!satisfies(Operator::Exists, &[], None));
        assert!(satisfies(Operator::DoesNotExist, &[], None));
        let two = vec!["2".to_string()];
        assert!(satisfies(Operator::Gt, &two, Some("3")));
        assert!(!satisfies(Operator::Gt, &two, Some("2")));
        assert!(!satisfies(Operator::Gt, &two, None));
        assert!(satisfies(Operator::Lt, &two, Some("1")));
        assert!(!satisfies(Operator::Lt, &["x".to_string()], Some("1")));
    }

    #[test]
    fn instance_type_list_selects_exactly_those() {
        let s = solve(
            &[req(
                "node.kubernetes.io/instance-type",
                Operator::In,
                &["m5.large", "c5.xlarge", "no.such"],
            )],
            None,
        );
        assert_eq!(s.candidates, vec!["c5.xlarge", "m5.large"]);
        assert!(s.unknown_keys.is_empty());
    }

    #[test]
    fn category_generation_cpu_and_arch_combine() {
        let s = solve(
            &[
                req(
                    "karpenter.k8s.aws/instance-category",
                    Operator::In,
                    &["c", "m"],
                ),
                req(
                    "karpenter.k8s.aws/instance-generation",
                    Operator::Gt,
                    &["6"],
                ),
                req("karpenter.k8s.aws/instance-cpu", Operator::Lt, &["3"]),
                req("kubernetes.io/arch", Operator::In, &["amd64"]),
                req("karpenter.sh/capacity-type", Operator::In, &["spot"]),
            ],
            None,
        );
        assert!(s.candidates.contains(&"m7i.large"));
        assert!(s.candidates.contains(&"c7a.medium"));
        assert!(!s.candidates.contains(&"m7g.large"), "arm64");
        assert!(!s.candidates.contains(&"m6i.large"), "generation 6");
        assert!(!s.candidates.contains(&"m7i.xlarge"), "4 vCPUs");
        assert!(s.candidates.iter().all(|c| {
            let l = karpenter_labels::lookup(c).unwrap();
            l.arch == "amd64" && (l.category == "c" || l.category == "m")
        }));
    }

    #[test]
    fn gpu_count_absent_means_no_gpu() {
        let s = solve(
            &[
                req(
                    "karpenter.k8s.aws/instance-family",
                    Operator::In,
                    &["g5", "m5"],
                ),
                req("karpenter.k8s.aws/instance-size", Operator::In, &["xlarge"]),
                req(
                    "karpenter.k8s.aws/instance-gpu-count",
                    Operator::DoesNotExist,
                    &[],
                ),
            ],
            None,
        );
        assert_eq!(s.candidates, vec!["m5.xlarge"]);
    }

    #[test]
    fn keys_without_data_are_reported_not_applied() {
        let r = req(
            "karpenter.k8s.aws/instance-local-nvme",
            Operator::Gt,
            &["100"],
        );
        let s = solve(
            &[
                r.clone(),
                r,
                req(
                    "node.kubernetes.io/instance-type",
                    Operator::In,
                    &["m5.large"],
                ),
            ],
            None,
        );
        assert_eq!(s.candidates, vec!["m5.large"]);
        assert_eq!(s.unknown_keys.len(), 1);
        assert_eq!(s.unknown_keys[0].0, "karpenter.k8s.aws/instance-local-nvme");
    }

    #[test]
    fn auto_mode_prefix_and_windows_os() {
        let s = solve(
            &[
                req("eks.amazonaws.com/instance-family", Operator::In, &["m5"]),
                req("eks.amazonaws.com/instance-size", Operator::In, &["large"]),
                req("kubernetes.io/os", Operator::In, &["windows"]),
            ],
            Some("windows"),
        );
        assert_eq!(s.candidates, vec!["m5.large"]);
        let none = solve(&[req("kubernetes.io/os", Operator::In, &["windows"])], None);
        assert!(none.candidates.is_empty());
    }
}
