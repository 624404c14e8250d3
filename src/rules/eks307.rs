//! EKS307 custom-networking-incomplete: custom networking needs an ENIConfig (pod subnet) for
//! every AZ that nodes run in; a node in an AZ without one gets no pod addresses.

use super::ctx::Ctx;
use super::list;
use crate::code::Code;
use crate::diag::Diagnostic;
use crate::model::Value;
use std::collections::{BTreeSet, HashSet};

pub fn check(ctx: &Ctx, out: &mut Vec<Diagnostic>) {
    if !ctx.facts.cni.custom_networking || !ctx.facts.vpc_cni_pods() {
        return;
    }
    let cni = &ctx.cluster.cni;
    let cn_span = cni
        .env
        .get("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG")
        .map(|e| e.origin.span)
        .unwrap_or(ctx.cluster.span);
    if let Some(u) = ctx.eniconfig_unknown() {
        // ENIConfigs are Kubernetes objects, often applied outside the scanned files.
        ctx.skip(
            Code::EKS307,
            format!("{}/eniconfig", ctx.cluster_key()),
            format!("cluster `{}`", ctx.cluster.display_name()),
            ctx.cluster.span,
            "the ENIConfig pod subnets",
            &u,
        );
        return;
    }
    let covered: BTreeSet<&str> = cni
        .eni_configs
        .iter()
        .filter_map(|e| e.az.get().map(String::as_str))
        .collect();
    let unknown_az = cni.eni_configs.iter().find_map(|e| e.az.unknown_reason());
    let any_unknown_az = unknown_az.is_some();
    if let Some(u) = unknown_az {
        // An ENIConfig of unknown name may be any zone's: no zone is reported missing.
        ctx.skip(
            Code::EKS307,
            format!("{}/eniconfig-zone", ctx.cluster_key()),
            format!("cluster `{}`", ctx.cluster.display_name()),
            ctx.cluster.span,
            "the zone of an ENIConfig",
            u,
        );
    }
    let have = if covered.is_empty() {
        "no zone".to_string()
    } else {
        list::capped(covered.iter())
    };
    for g in &ctx.facts.node_groups {
        let ng = &ctx.cluster.node_groups[g.index];
        // Windows nodes get addresses from the VPC resource controller, not these settings.
        if crate::capacity::windows::is_windows(ng) {
            continue;
        }
        let Value::Known(ids, _) = &ng.subnets else {
            continue;
        };
        let mut missing: Vec<&str> = Vec::new();
        let mut listed = HashSet::new();
        for &id in ids {
            let Some(sub) = ctx.cluster.subnets.get(id) else {
                continue;
            };
            match &sub.az {
                Value::Known(az, _)
                    if !covered.contains(az.as_str())
                        && !any_unknown_az
                        && listed.insert(az.as_str()) =>
                {
                    missing.push(az);
                }
                Value::Unknown(u) => ctx.skip_group(
                    Code::EKS307,
                    ng,
                    &format!("the AZ of subnet `{}`", sub.name),
                    u,
                ),
                _ => {}
            }
        }
        if missing.is_empty() {
            continue;
        }
        let mut d = ctx
            .diag(
                Code::EKS307,
                ng.subnets.span().unwrap_or(ng.span),
                format!(
                    "custom networking is on, but no ENIConfig gives a pod subnet for {} used by {} `{}` (ENIConfigs exist for {}): nodes there get no secondary ENIs and their pods stay in ContainerCreating",
                    list::capped(missing.iter()),
                    ng.kind.label(),
                    ng.name,
                    have
                ),
            )
            .with_label("AZ without ENIConfig")
            .with_key(ctx.group_key(ng))
            .with_help(format!(
                "add an ENIConfig named after each zone ({}) with a pod subnet in that zone, or keep the node group out of those zones",
                list::capped(missing.iter())
            ))
            .related(cn_span, "custom networking enabled here");
        for e in list::first(&cni.eni_configs) {
            d.push_related(e.span, "ENIConfig");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::code::Code;
    use crate::model::{EniConfig, NodeGroupKind, Value};
    use crate::rules::testutil::*;

    fn cn(eni_azs: &[usize]) -> crate::model::Cluster {
        let mut b = B::new()
            .subnets(&["10.0.0.0/24", "10.0.1.0/24"])
            .subnets(&["100.64.0.0/20", "100.64.16.0/20"])
            .group("ng", NodeGroupKind::Managed, &["m5.large"], 3, &[0, 1])
            .env("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true");
        for &i in eni_azs {
            let az = b.c.subnets[i].az.clone();
            b.c.cni.eni_configs.push(EniConfig {
                az,
                subnet: Value::known(i + 2, sp(40 + i)),
                span: sp(50 + i),
            });
        }
        b.build()
    }

    #[test]
    fn fires_for_a_zone_without_eniconfig() {
        let ds = only(&run(&cn(&[0])), Code::EKS307);
        assert_eq!(ds.len(), 1);
        assert!(ds[0].message.contains("us-east-1b"), "{}", ds[0].message);
    }

    #[test]
    fn quiet_when_every_zone_is_covered_and_noted_when_none_found() {
        assert!(only(&run(&cn(&[0, 1])), Code::EKS307).is_empty());
        let ds = run(&cn(&[]));
        assert!(only(&ds, Code::EKS307).is_empty());
        assert!(only(&ds, Code::EKS901)
            .iter()
            .any(|d| d.message.contains("ENIConfig")));
    }

    #[test]
    fn many_missing_zones_are_capped_and_counted() {
        use crate::rules::list::MAX_LISTED;
        let n = MAX_LISTED + 4;
        let cidrs: Vec<String> = (0..n).map(|i| format!("10.0.{i}.0/24")).collect();
        let refs: Vec<&str> = cidrs.iter().map(String::as_str).collect();
        let mut b = B::new()
            .subnets(&refs)
            .group(
                "ng",
                NodeGroupKind::Managed,
                &["m5.large"],
                3,
                &(0..n).collect::<Vec<_>>(),
            )
            .env("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG", "true");
        let az = b.c.subnets[0].az.clone();
        b.c.cni.eni_configs.push(EniConfig {
            az,
            subnet: Value::known(0, sp(40)),
            span: sp(50),
        });
        let ds = only(&run(&b.build()), Code::EKS307);
        assert_eq!(ds.len(), 1);
        let zones: Vec<String> = (1..=MAX_LISTED)
            .map(|i| format!("us-east-1{}", (b'a' + i as u8) as char))
            .collect();
        let want = format!(
            "pod subnet for {} and {} more used by",
            zones.join(", "),
            n - 1 - MAX_LISTED
        );
        assert!(ds[0].message.contains(&want), "{}", ds[0].message);
    }
}
