//! EKS306 invalid-cni-setting: env values ipamd cannot parse or rejects
//! (`CniSettings::from_config` decides; ipamd keeps its default for them).

use super::ctx::Ctx;
use crate::code::Code;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    for i in &ctx.facts.cni_issues {
        let mut d = ctx
            .diag(
                Code::EKS306,
                i.origin.span,
                if i.problem.starts_with('=') || i.problem.starts_with("with ") || i.problem.starts_with("together") {
                    format!("VPC CNI setting {}={} {}", i.name, i.value, i.problem.trim_start_matches('='))
                } else {
                    format!("VPC CNI setting {}=\"{}\" {}", i.name, i.value, i.problem)
                },
            )
            .with_label("invalid value")
            .with_key(format!("{}/cni/{}", ctx.cluster_key(), i.name))
            .with_help(match i.name.as_str() {
                "ENABLE_IPv6" | "ENABLE_IPv4" => {
                    "choose one family: ENABLE_IPv6=true with ENABLE_IPv4=false (and an IPv6 cluster), or leave ENABLE_IPv6 unset".to_string()
                }
                n if n.starts_with("ENABLE_") || n.starts_with("AWS_VPC_") => {
                    format!("write {} as \"true\" or \"false\"", i.name)
                }
                _ => format!("write {} as a non-negative integer", i.name),
            });
        for s in &i.origin.via {
            d.push_related(*s, "value comes from here");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::rules::testutil::*;

    #[test]
    fn fires_for_unparsable_values() {
        let c = B::new()
            .env("WARM_IP_TARGET", "ten")
            .env("ENABLE_PREFIX_DELEGATION", "yes")
            .build();
        assert_eq!(only(&run(&c), Code::EKS306).len(), 2);
    }

    #[test]
    fn quiet_for_valid_values() {
        let c = B::new()
            .env("WARM_IP_TARGET", "2")
            .env("ENABLE_PREFIX_DELEGATION", "true")
            .build();
        assert!(only(&run(&c), Code::EKS306).is_empty());
    }
}
