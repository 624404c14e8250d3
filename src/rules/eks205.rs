//! EKS205 unknown-instance-type: a type not in the instance table, with did-you-mean.

use super::ctx::Ctx;
use crate::aws::instances;
use crate::code::Code;
use crate::diag::Diagnostic;
use std::collections::HashMap;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    // One suggestion per distinct name: `count = 10000` groups repeat the same typo.
    let mut helps: HashMap<&str, String> = HashMap::new();
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        for (name, span) in &g.unknown_types {
            let help = helps.entry(name).or_insert_with(|| help(name)).clone();
            out.push(
                ctx.diag(
                    Code::EKS205,
                    *span,
                    format!(
                        "`{name}` in {} `{}` is not a known EC2 instance type; its pod and address capacity cannot be computed",
                        ng.kind.label(),
                        ng.name
                    ),
                )
                .with_label("unknown instance type")
                .with_key(format!("{}/{name}", ctx.group_key(ng)))
                .with_help(help)
                .related(ng.span, format!("node group `{}`", ng.name)),
            );
        }
    }
}

/// "did you mean `m5.8xlarge`?", or where to look.
fn help(name: &str) -> String {
    let near = instances::suggest(name, 3);
    if near.is_empty() {
        "check the spelling against `aws ec2 describe-instance-types`; if the type is new, update eks-lint's instance table (data/SOURCE.md)".to_string()
    } else {
        let names: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
        format!("did you mean {}?", names.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
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
        assert!(ds[0].help.as_deref().unwrap().contains("`m5.8xlarge`"));
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
