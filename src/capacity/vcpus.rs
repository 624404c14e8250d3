//! Types whose vCPU count eks-lint's table lacks (data/SOURCE.md), where a figure needs it:
//! the managed-node-group cap (110 up to 30 vCPUs, else 250), a pool's `limits.cpu` and
//! `podsPerCore`. Each is an EKS901 note naming the type, never a silent skip or a guess.

use super::launcher::Launcher;
use crate::aws::cni::{self, CniSettings, MaxPodsMode};
use crate::aws::instances::InstanceType;
use crate::model::{NodePool, Unknown};
use crate::source::Span;

/// The smaller of the two managed-node-group caps: a default at or below it is the same
/// whichever cap applies, so the missing count changes nothing.
const SMALLER_CAP: u32 = 110;

/// What the figures of `it` lose for want of its vCPUs, as sentence fragments.
fn effects(
    it: &InstanceType,
    launcher: Launcher,
    explicit: bool,
    pool: Option<&NodePool>,
    cni_s: &CniSettings,
) -> Vec<&'static str> {
    let mut out = Vec::new();
    let uncapped = cni::default_max_pods(it, MaxPodsMode::from_settings(cni_s, false));
    if launcher == Launcher::ManagedNodeGroup && !explicit && uncapped > SMALLER_CAP {
        out.push("the managed node group's max-pods cap (110 up to 30 vCPUs, else 250) is not known, and its default max pods is taken as the larger, 250");
    }
    if let Some(p) = pool {
        if p.replicas.get().is_none() && p.limits.cpu_millis.get().is_some() {
            out.push("`limits.cpu` does not bound its node count");
        }
        if p.pods_per_core.get().is_some_and(|&n| n > 0) {
            out.push("`podsPerCore` is not applied to its max pods");
        }
    }
    out
}

/// One unknown per type whose missing vCPU count changes a figure of the group.
pub fn missing(
    types: &[(&'static InstanceType, Span)],
    launcher: Launcher,
    explicit: bool,
    pool: Option<&NodePool>,
    cni_s: &CniSettings,
) -> Vec<(String, Unknown)> {
    types
        .iter()
        .filter(|(it, _)| it.vcpus.is_none())
        .filter_map(|&(it, span)| {
            let e = effects(it, launcher, explicit, pool, cni_s);
            (!e.is_empty()).then(|| {
                (
                    format!("the vCPUs of `{}`", it.name),
                    Unknown {
                        reason: format!(
                            "`{n}` has no vCPU count in eks-lint's instance table (data/SOURCE.md), so {}; set `vcpus` under `[instance-types.\"{n}\"]` in eks-lint.toml",
                            e.join(", and "),
                            n = it.name
                        ),
                        span,
                    },
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::instances::lookup;

    /// c7i.32xlarge (15 ENIs × 50 IPv4, no vCPU count): its default 15 × 49 + 2 = 737 is
    /// above 110, so the cap changes it (to 110 or 250; 250 is taken, the upper bound);
    /// m5.large (2 vCPUs) is never noted.
    #[test]
    fn notes_only_where_the_count_changes_a_figure() {
        let c7i = lookup("c7i.32xlarge").unwrap();
        assert!(c7i.vcpus.is_none());
        let m5 = lookup("m5.large").unwrap();
        let s = CniSettings::default();
        let t = [(c7i, Span::default()), (m5, Span::default())];
        let mng = missing(&t, Launcher::ManagedNodeGroup, false, None, &s);
        assert_eq!(mng.len(), 1);
        assert_eq!(mng[0].0, "the vCPUs of `c7i.32xlarge`");
        assert!(mng[0]
            .1
            .reason
            .contains("cap (110 up to 30 vCPUs, else 250)"));
        // An explicit max pods or a launcher without the cap needs no vCPUs.
        assert!(missing(&t, Launcher::ManagedNodeGroup, true, None, &s).is_empty());
        assert!(missing(&t, Launcher::Nodeadm, false, None, &s).is_empty());
    }
}
