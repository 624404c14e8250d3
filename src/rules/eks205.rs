//! EKS205 unknown-instance-type: a name that is not an EC2 instance type (an error, with
//! did-you-mean), or a well-formed type of a known family that is newer than the instance
//! table (a warning saying the table's date and how to add the type; its capacity is unknown,
//! so the capacity checks record an EKS901 note instead of guessing).

use super::ctx::Ctx;
use crate::aws::instances::{self, Missing, DATA_DATE};
use crate::code::Code;
use crate::diag::{Diagnostic, Level};
use crate::model::Unknown;
use std::collections::HashMap;

/// The capacity checks a type with unknown limits leaves out.
const CAPACITY_CHECKS: [Code; 2] = [Code::EKS101, Code::EKS102];

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // One classification per distinct name: `count = 10000` groups repeat the same typo.
    let mut seen: HashMap<&str, (Missing, String)> = HashMap::new();
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        for (name, span) in &g.unknown_types {
            let (kind, help) = seen
                .entry(name)
                .or_insert_with(|| {
                    let kind = instances::classify_missing(name);
                    let help = help(name, &kind);
                    (kind, help)
                })
                .clone();
            let subject = format!("{} `{}`", ng.kind.label(), ng.name);
            // The message of a name that is no type is unchanged since 0.1.0 (its
            // fingerprint with it); why it is no type is the label.
            let mut d = match &kind {
                Missing::NotAType { reason } => ctx
                    .diag(
                        Code::EKS205,
                        *span,
                        format!(
                            "`{name}` in {subject} is not a known EC2 instance type; its pod and address capacity cannot be computed"
                        ),
                    )
                    .with_label(reason.clone()),
                Missing::Newer { family } => {
                    let mut d = ctx
                        .diag(
                            Code::EKS205,
                            *span,
                            format!(
                                "`{name}` in {subject} is not in eks-lint's instance table (VPC CNI limits of {DATA_DATE}); it is well-formed for the {family} family, so it is most likely newer than the table, and its pod and address capacity is unknown"
                            ),
                        )
                        .with_label("not in the instance table");
                    d.level = Level::Warning;
                    let u = Unknown {
                        reason: format!("`{name}` is not in the instance table of {DATA_DATE}"),
                        span: *span,
                    };
                    for code in CAPACITY_CHECKS {
                        ctx.skip_group(code, ng, &format!("the instance data of `{name}`"), &u);
                    }
                    d
                }
            };
            d = d
                .with_key(format!("{}/{name}", ctx.group_key(ng)))
                .with_help(help)
                .related(ng.span, format!("node group `{}`", ng.name));
            out.push(d);
        }
    }
}

/// "did you mean `m5.8xlarge`?", or how to add a newer type.
fn help(name: &str, kind: &Missing) -> String {
    match kind {
        Missing::Newer { .. } => format!(
            "add it to eks-lint.toml as `[instance-types.\"{name}\"]` with `enis`, `ipv4-per-eni` and `vcpus`, or pass the output of `aws ec2 describe-instance-types --instance-types {name}` with --instance-types-json (or `instance-types-json` in eks-lint.toml); scripts/gen-instance-data.py regenerates the table from newer upstream files (data/SOURCE.md)"
        ),
        Missing::NotAType { .. } => {
            let near = instances::suggest(name, 3);
            if near.is_empty() {
                "check the spelling against `aws ec2 describe-instance-types`".to_string()
            } else {
                let names: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
                format!("did you mean {}?", names.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::diag::Level;
    use crate::model::NodeGroupKind;
    use crate::rules::testutil::*;

    #[test]
    fn typo_gets_a_suggestion() {
        let c = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("ng", NodeGroupKind::Managed, &["m5.8xlarg"], 3, &[0])
            .build();
        let ds = only(&run(&c), Code::EKS205);
        assert_eq!(ds.len(), 1);
        assert_eq!(ds[0].level, Level::Error);
        assert!(ds[0].help.as_deref().unwrap().contains("`m5.8xlarge`"));
        assert_eq!(
            ds[0].label.as_deref(),
            Some("`8xlarg` is not an EC2 instance size")
        );
    }

    #[test]
    fn a_size_the_family_lacks_and_an_unknown_family_are_errors() {
        let c = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("a", NodeGroupKind::Managed, &["t3.48xlarge"], 3, &[0])
            .group("b", NodeGroupKind::Managed, &["q9z.large"], 3, &[0])
            .build();
        let ds = only(&run(&c), Code::EKS205);
        assert_eq!(ds.len(), 2);
        assert!(ds.iter().all(|d| d.level == Level::Error));
        let label = |i: usize| ds[i].label.clone().unwrap_or_default();
        assert!(label(0).starts_with("the t3 family has no size `48xlarge`"));
        assert_eq!(label(1), "there is no `q9z` instance family");
    }

    /// i3.metal (a real type) and r7i-flex.large (a variant of a known family) are not in the
    /// VPC CNI table of the data date: a warning, and EKS901 says what was not checked.
    #[test]
    fn newer_types_of_known_families_are_warnings_with_an_eks901_note() {
        let c = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("flex", NodeGroupKind::Managed, &["r7i-flex.large"], 3, &[0])
            .group("metal", NodeGroupKind::SelfManaged, &["i3.metal"], 3, &[0])
            .build();
        let all = run(&c);
        let ds = only(&all, Code::EKS205);
        assert_eq!(ds.len(), 2);
        assert!(ds.iter().all(|d| d.level == Level::Warning));
        assert!(ds[0].message.contains(&format!(
            "instance table (VPC CNI limits of {})",
            super::DATA_DATE
        )));
        assert!(ds[0]
            .help
            .as_deref()
            .unwrap()
            .contains("[instance-types.\"r7i-flex.large\"]"));
        let notes = only(&all, Code::EKS901);
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes[0]
            .message
            .contains("EKS101 subnet-exhaustion and EKS102 subnet-headroom"));
        assert!(notes[0]
            .message
            .contains("the instance data of `r7i-flex.large`"));
    }

    #[test]
    fn known_type_is_quiet() {
        let c = B::new()
            .subnets(&["10.0.0.0/20"])
            .group("ng", NodeGroupKind::Managed, &["m5.8xlarge"], 3, &[0])
            .build();
        assert!(only(&run(&c), Code::EKS205).is_empty());
    }
}
