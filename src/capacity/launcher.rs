//! Who launches a node decides its kubelet max pods when the configuration sets none
//! (docs/capacity-model.md, "Max pods per launcher"). Each launcher's rule, with its source:
//!
//! - EKS managed node group with an EKS AMI: EKS runs the max-pods calculator
//!   (amazon-eks-ami `templates/al2/runtime/max-pods-calculator.sh`) with the cluster's custom
//!   networking, prefix delegation and MAX_ENI, capped at 110 (≤ 30 vCPUs) or 250.
//! - AL2023 `nodeadm` (`nodeadm/internal/kubelet/eni_max_pods.go`, `CalcMaxPods`):
//!   ENIs × (IPv4 per ENI − 1) + 2 from its embedded instance table: no prefix delegation, no
//!   custom networking, no cap.
//! - AL2 `bootstrap.sh`: the `eni-max-pods.txt` value, the same formula.
//! - Bottlerocket `pluto` (`sources/api/pluto/src/main.rs`, `get_max_pods`): the
//!   `eni-max-pods` file, the same formula.
//! - Karpenter (`pkg/providers/instancetype/types.go`, `pods` / `ENILimitedPods`):
//!   (ENIs − RESERVED_ENIS) × (IPv4 per ENI − 1) + 2, RESERVED_ENIS defaulting to 0.
//! - A managed node group with a custom AMI gets no EKS max pods: its AMI's bootstrap decides.
//! - nodeadm's `kubelet.maxPodsExpression` (CEL over `default_enis`, `ips_per_eni`,
//!   `max_pods`) replaces its default when no `maxPods` is set ([`expression_default`]); EKS
//!   (managed node groups) and Karpenter write `maxPods` into the NodeConfig, which wins.

use crate::aws::cni::{self, CniSettings, MaxPodsMode};
use crate::aws::instances::InstanceType;
use crate::model::{NodeGroup, NodeGroupKind};

/// The program that writes the kubelet's max pods on a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Launcher {
    /// EKS for a managed node group on an EKS AMI.
    ManagedNodeGroup,
    /// AL2023 nodeadm (self-managed, eksctl `nodeGroups`, managed with a custom AMI).
    Nodeadm,
    /// AL2 `/etc/eks/bootstrap.sh`.
    Al2Bootstrap,
    /// Bottlerocket's `pluto` settings generator.
    Bottlerocket,
    /// Karpenter's instance-type provider.
    Karpenter,
}

/// The AMI family as the front ends record it, reduced to the bootstrap it implies.
fn family_launcher(family: Option<&str>) -> Launcher {
    let f = family.unwrap_or("").to_ascii_lowercase();
    if f.contains("bottlerocket") {
        Launcher::Bottlerocket
    } else if f.contains("al2023") || f.contains("amazonlinux2023") {
        Launcher::Nodeadm
    } else if f.starts_with("al2_") || f == "al2" || f == "amazonlinux2" {
        Launcher::Al2Bootstrap
    } else {
        // Terraform's and eksctl's default AMI family today is AL2023.
        Launcher::Nodeadm
    }
}

impl Launcher {
    pub fn of(ng: &NodeGroup) -> Launcher {
        let family = ng.ami_family.get().map(String::as_str);
        match ng.kind {
            NodeGroupKind::Managed if !ng.custom_ami => Launcher::ManagedNodeGroup,
            // Auto Mode runs Karpenter; its nodes' figures are replaced by the Auto Mode note.
            NodeGroupKind::Karpenter | NodeGroupKind::AutoMode => Launcher::Karpenter,
            _ => family_launcher(family),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Launcher::ManagedNodeGroup => "EKS",
            Launcher::Nodeadm => "AL2023 nodeadm",
            Launcher::Al2Bootstrap => "AL2 bootstrap.sh",
            Launcher::Bottlerocket => "Bottlerocket",
            Launcher::Karpenter => "Karpenter",
        }
    }

    /// A stable name for machine-readable output.
    pub fn key(self) -> &'static str {
        match self {
            Launcher::ManagedNodeGroup => "managed-node-group",
            Launcher::Nodeadm => "nodeadm",
            Launcher::Al2Bootstrap => "al2-bootstrap",
            Launcher::Bottlerocket => "bottlerocket",
            Launcher::Karpenter => "karpenter",
        }
    }

    /// Whether this launcher's default follows the CNI mode (custom networking, prefixes).
    pub fn cni_aware(self) -> bool {
        self == Launcher::ManagedNodeGroup
    }

    /// The max pods this launcher gives `it` when nothing sets it.
    pub fn default_max_pods(self, it: &InstanceType, cni_s: &CniSettings) -> u32 {
        match self {
            Launcher::ManagedNodeGroup => {
                cni::default_max_pods(it, MaxPodsMode::from_settings(cni_s, true))
            }
            // RESERVED_ENIS is a Karpenter controller setting the configuration does not show;
            // its default, 0, gives the ENI table's value.
            Launcher::Nodeadm
            | Launcher::Al2Bootstrap
            | Launcher::Bottlerocket
            | Launcher::Karpenter => cni::default_max_pods(it, MaxPodsMode::default()),
        }
    }
}

/// An explicit max pods above the managed-node-group cap of one of the group's types, on a
/// managed group with an EKS AMI other than Bottlerocket: the EKS user guide says managed node
/// groups "enforce a maximum number on the value of `maxPods`" (110 up to 30 vCPUs, else 250;
/// `latest/ug/nodes/create-managed-node-group.adoc`) without saying whether that includes a
/// value set in launch-template user data; only Bottlerocket's user data is documented to
/// override EKS's settings (`latest/ug/nodes/launch-templates.adoc`), both at
/// awsdocs/amazon-eks-user-guide f60041409f8255b59682a2ca39382a2278e0e38b. The explicit value
/// is used, and this note says so.
pub fn explicit_over_managed_cap(
    ng: &NodeGroup,
    types: &[&InstanceType],
    explicit: u32,
    span: crate::source::Span,
) -> Option<(String, crate::model::Unknown)> {
    if Launcher::of(ng) != Launcher::ManagedNodeGroup
        || family_launcher(ng.ami_family.get().map(String::as_str)) == Launcher::Bottlerocket
    {
        return None;
    }
    let (it, cap) = types
        .iter()
        .find_map(|it| it.pod_ceiling().filter(|&c| explicit > c).map(|c| (it, c)))?;
    Some((
        "whether EKS caps the explicit max pods".to_string(),
        crate::model::Unknown {
            reason: format!(
                "the max pods {explicit} is above the {cap} managed node groups allow for `{}`, and the EKS user guide does not say whether that cap applies to a value set in user data; eks-lint uses {explicit}",
                it.name
            ),
            span,
        },
    ))
}

/// nodeadm's default max pods for `it` under a `maxPodsExpression` (`super::cel`); Err(why)
/// when the expression is beyond the subset eks-lint evaluates.
pub fn expression_default(expr: &str, it: &InstanceType) -> Result<u32, String> {
    let vars = super::cel::Vars {
        default_enis: i64::from(it.max_enis),
        ips_per_eni: i64::from(it.ipv4_per_eni),
        max_pods: i64::from(cni::default_max_pods(it, MaxPodsMode::default())),
    };
    match super::cel::eval(expr, vars) {
        super::cel::Eval::MaxPods(n) => Ok(n),
        super::cel::Eval::Unsupported(why) => Err(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::instances::lookup;
    use crate::source::Span;

    fn settings(pd: bool, cn: bool) -> CniSettings {
        CniSettings {
            prefix_delegation: pd,
            custom_networking: cn,
            ..CniSettings::default()
        }
    }

    fn ng(kind: NodeGroupKind, family: Option<&str>, custom_ami: bool) -> NodeGroup {
        let mut g = NodeGroup::new("g", Span::default(), kind);
        if let Some(f) = family {
            g.ami_family = crate::model::Value::known(f.to_string(), Span::default());
        }
        g.custom_ami = custom_ami;
        g
    }

    #[test]
    fn launchers_from_kind_family_and_ami() {
        use Launcher::*;
        let cases = [
            (ng(NodeGroupKind::Managed, None, false), ManagedNodeGroup),
            (
                ng(NodeGroupKind::Managed, Some("AL2_x86_64"), true),
                Al2Bootstrap,
            ),
            (
                ng(NodeGroupKind::Managed, Some("AL2023_x86_64_STANDARD"), true),
                Nodeadm,
            ),
            (ng(NodeGroupKind::SelfManaged, None, false), Nodeadm),
            (
                ng(NodeGroupKind::EksctlUnmanaged, Some("AmazonLinux2"), false),
                Al2Bootstrap,
            ),
            (
                ng(
                    NodeGroupKind::EksctlUnmanaged,
                    Some("AmazonLinux2023"),
                    false,
                ),
                Nodeadm,
            ),
            (
                ng(NodeGroupKind::EksctlUnmanaged, Some("Bottlerocket"), false),
                Bottlerocket,
            ),
            (
                ng(
                    NodeGroupKind::SelfManaged,
                    Some("BOTTLEROCKET_ARM_64"),
                    false,
                ),
                Bottlerocket,
            ),
            (ng(NodeGroupKind::Karpenter, None, false), Karpenter),
        ];
        for (g, want) in cases {
            assert_eq!(Launcher::of(&g), want, "{:?}", g.ami_family);
        }
    }

    /// m5.large has 2 vCPUs, so managed node groups allow 110: an explicit 200 is noted
    /// (whether EKS caps it is not documented), 100 is not, nor Bottlerocket (whose user data
    /// is documented to override EKS) or a self-managed group.
    #[test]
    fn explicit_max_pods_over_the_managed_cap_is_noted() {
        let m5 = [lookup("m5.large").unwrap()];
        let sp = Span::default();
        let managed = ng(NodeGroupKind::Managed, None, false);
        let n = explicit_over_managed_cap(&managed, &m5, 200, sp).unwrap();
        assert!(n.1.reason.contains("above the 110"), "{}", n.1.reason);
        assert!(explicit_over_managed_cap(&managed, &m5, 100, sp).is_none());
        let br = ng(NodeGroupKind::Managed, Some("BOTTLEROCKET_x86_64"), false);
        assert!(explicit_over_managed_cap(&br, &m5, 200, sp).is_none());
        let sm = ng(NodeGroupKind::SelfManaged, None, false);
        assert!(explicit_over_managed_cap(&sm, &m5, 200, sp).is_none());
    }

    /// m5.large: 3 ENIs × 10 IPv4. ENI formula 3 × 9 + 2 = 29 whatever the CNI mode; the
    /// calculator gives 2 × 9 + 2 = 20 with custom networking and 3 × 9 × 16 + 2 = 434 with
    /// prefixes, capped at 110 (2 vCPUs). m5.24xlarge: 15 × 50: 15 × 49 + 2 = 737; with
    /// prefixes the managed cap is 250 (96 vCPUs).
    #[test]
    fn default_max_pods_per_launcher() {
        let m5l = lookup("m5.large").unwrap();
        let m5x = lookup("m5.24xlarge").unwrap();
        for l in [
            Launcher::Nodeadm,
            Launcher::Al2Bootstrap,
            Launcher::Bottlerocket,
            Launcher::Karpenter,
        ] {
            for (pd, cn) in [(false, false), (true, false), (false, true), (true, true)] {
                assert_eq!(l.default_max_pods(m5l, &settings(pd, cn)), 29);
                assert_eq!(l.default_max_pods(m5x, &settings(pd, cn)), 737);
            }
        }
        let mng = Launcher::ManagedNodeGroup;
        assert_eq!(mng.default_max_pods(m5l, &settings(false, false)), 29);
        assert_eq!(mng.default_max_pods(m5l, &settings(false, true)), 20);
        assert_eq!(mng.default_max_pods(m5l, &settings(true, false)), 110);
        assert_eq!(mng.default_max_pods(m5x, &settings(false, false)), 250);
        assert_eq!(mng.default_max_pods(m5x, &settings(true, false)), 250);
    }
}
