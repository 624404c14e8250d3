//! EKS304 prefix-delegation-unsupported: prefix delegation on an instance type that ipamd does
//! not run in prefix mode (non-Nitro); it silently falls back to secondary IPs.

use super::ctx::Ctx;
use crate::code::Code;
use crate::diag::Diagnostic;

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    let s = &ctx.facts.cni;
    if !s.prefix_delegation || !ctx.facts.vpc_cni_pods() {
        return;
    }
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        // Windows nodes get addresses from the VPC resource controller, not these settings.
        if crate::capacity::windows::is_windows(ng) {
            continue;
        }
        for t in &g.types {
            let it = t.instance;
            if it.ipamd_supports_prefix_delegation() {
                continue;
            }
            let mut d = ctx
                .diag(
                    Code::EKS304,
                    t.span,
                    format!(
                        "prefix delegation is on, but {} ({:?} hypervisor) does not support prefixes: ipamd falls back to secondary IPs, so {} `{}` gets {} pods per node and {} addresses per node with one pod, not the prefix-mode figures",
                        it.name,
                        it.hypervisor,
                        ng.kind.label(),
                        ng.name,
                        t.eni_pod_limit,
                        t.one_pod.total()
                    ),
                )
                .with_label("not a Nitro instance type")
                .with_key(format!("{}/{}", ctx.group_key(ng), it.name))
                .with_help("use a Nitro-based instance type (e.g. m5, m6i, m7g, c5, r5 and later generations)")
                .related(ng.span, format!("node group `{}`", ng.name));
            if let Some(e) = ctx.cluster.cni.env.get("ENABLE_PREFIX_DELEGATION") {
                d.push_related(e.origin.span, "ENABLE_PREFIX_DELEGATION");
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::NodeGroupKind;
    use crate::rules::testutil::*;

    fn with(t: &str) -> crate::model::Cluster {
        B::new()
            .subnets(&["10.0.0.0/20"])
            .group("ng", NodeGroupKind::Managed, &[t], 3, &[0])
            .env("ENABLE_PREFIX_DELEGATION", "true")
            .build()
    }

    #[test]
    fn fires_for_xen() {
        assert_eq!(only(&run(&with("m4.large")), Code::EKS304).len(), 1);
    }

    #[test]
    fn quiet_for_nitro() {
        assert!(only(&run(&with("m5.large")), Code::EKS304).is_empty());
    }
}
