//! eksctl's defaults for what a ClusterConfig leaves out (eksctl-io/eksctl
//! `pkg/apis/eksctl.io/v1alpha5/defaults.go`, `pkg/vpc/vpc.go`).

pub const DEFAULT_VPC_CIDR: &str = "192.168.0.0/16";
pub const DEFAULT_INSTANCE_TYPE: &str = "m5.large";
pub const DEFAULT_NODE_COUNT: i64 = 2;
/// `DefaultMaxSize`: a managed node group's derived maxSize of 0 becomes this.
pub const DEFAULT_MANAGED_MAX_SIZE: i64 = 1;
/// eksctl picks this many zones of the region when none are named
/// (`RecommendedAvailabilityZones`, pkg/apis/eksctl.io/v1alpha5/vpc.go)...
pub const DEFAULT_ZONE_COUNT: usize = 3;
/// ...but only this many in us-east-1 (`MinRequiredAvailabilityZones`, `randomSelectionOfZones`
/// in pkg/az/az.go), and all a region has when it has fewer than three: us-west-1, where
/// eksctl avoids `usw1-az2` (`zoneIDsToAvoid`), leaves two.
pub const MIN_ZONE_COUNT: usize = 2;

/// How many zones eksctl chooses in `region` when the ClusterConfig names none (eksctl-io/eksctl
/// pkg/az/az.go at 99984adb: `GetAvailabilityZones`, `randomSelectionOfZones`, `zoneIDsToAvoid`).
pub fn chosen_zone_count(region: &str) -> usize {
    match region {
        "us-east-1" | "us-west-1" => MIN_ZONE_COUNT,
        _ => DEFAULT_ZONE_COUNT,
    }
}
