//! Windows nodes (issue 14 item 6). Their pod addresses come from the VPC resource controller,
//! not from ipamd (aws/amazon-vpc-resource-controller-k8s at b8d425119bdba371202882b808f202c6073a46cc):
//!
//! - secondary IPv4 addresses on the primary ENI only: `getCapacity` in
//!   `pkg/provider/ip/provider.go` gives a Windows node `IPv4PerInterface − 1` addresses, so
//!   max pods M = L − 1 (the `vpc.amazonaws.com/PrivateIPv4Address` resource), whatever the ENI
//!   count;
//! - its own warm pool: `windows-warm-ip-target` w and `windows-minimum-ip-target` n in the
//!   `amazon-vpc-cni` ConfigMap, both 3 by default (`IPv4DefaultWinWarmIPTarget`,
//!   `IPv4DefaultWinMinIPTarget` in `pkg/config/loader.go`; w = 0 counts as 1,
//!   `docs/windows/secondary_ip_mode_config_options.md`): IPs T = min(max(p + w, n), L − 1);
//! - prefix delegation for Windows (`enable-windows-prefix-delegation`) is off by default.
//!
//! eks-lint does not read that ConfigMap, so Windows groups are modelled with these defaults
//! in secondary-IP mode; the VPC CNI's env settings (WARM_ENI_TARGET, prefix delegation, custom
//! networking) do not apply to them. A node takes T + 1 addresses (its primary address too).

use crate::aws::cni::NodeAddresses;
use crate::aws::instances::InstanceType;
use crate::model::NodeGroup;

pub const DEFAULT_WARM_IP_TARGET: u32 = 3;
pub const DEFAULT_MINIMUM_IP_TARGET: u32 = 3;

/// Terraform `ami_type = WINDOWS_*`, eksctl `amiFamily: WindowsServer*`, the eks module's
/// `platform = "windows"` mapped to an AMI type.
pub fn is_windows(ng: &NodeGroup) -> bool {
    ng.ami_family
        .get()
        .is_some_and(|f| f.to_ascii_lowercase().contains("windows"))
}

/// Pods a Windows node can give an address: L − 1.
pub fn max_pods(it: &InstanceType) -> u32 {
    u32::from(it.ipv4_per_eni).saturating_sub(1)
}

/// Addresses a Windows node holds with `p` pods under the controller's default warm pool.
pub fn node_addresses(it: &InstanceType, p: u32) -> NodeAddresses {
    let cap = max_pods(it);
    let ips = p
        .min(cap)
        .saturating_add(DEFAULT_WARM_IP_TARGET)
        .max(DEFAULT_MINIMUM_IP_TARGET)
        .min(cap);
    NodeAddresses {
        enis: 1,
        secondary_ips: ips,
        prefixes: 0,
        node_subnet: ips + 1,
        pod_subnet: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::instances::lookup;

    /// m5.large: L = 10, so 9 pods; w = n = 3: 0 pods → 3 IPs, 5 pods → 8, 6+ pods → 9 (the
    /// cap), plus the node's primary address. The docs' table (w=1, n=3, 3 pods → 4 IPs) is
    /// the same formula with other targets.
    #[test]
    fn m5_large_windows_addresses() {
        let it = lookup("m5.large").unwrap();
        assert_eq!(max_pods(it), 9);
        let t = |p| node_addresses(it, p).total();
        assert_eq!((t(0), t(1), t(5), t(6), t(9), t(50)), (4, 5, 9, 10, 10, 10));
        assert_eq!(node_addresses(it, 1).secondary_ips, 4);
    }

    #[test]
    fn ami_families() {
        use crate::model::{NodeGroupKind, Value};
        use crate::source::Span;
        let mut ng = NodeGroup::new("w", Span::default(), NodeGroupKind::Managed);
        for (fam, win) in [
            ("WINDOWS_CORE_2022_x86_64", true),
            ("WindowsServer2019FullContainer", true),
            ("AL2023_x86_64_STANDARD", false),
        ] {
            ng.ami_family = Value::known(fam.to_string(), Span::default());
            assert_eq!(is_windows(&ng), win, "{fam}");
        }
        ng.ami_family = Value::Absent;
        assert!(!is_windows(&ng));
    }
}
