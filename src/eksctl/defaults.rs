//! eksctl's defaults for what a ClusterConfig leaves out (eksctl-io/eksctl
//! `pkg/apis/eksctl.io/v1alpha5/defaults.go`, `pkg/vpc/vpc.go`).

pub const DEFAULT_VPC_CIDR: &str = "192.168.0.0/16";
pub const DEFAULT_INSTANCE_TYPE: &str = "m5.large";
pub const DEFAULT_NODE_COUNT: i64 = 2;
/// `DefaultMaxSize`: a managed node group's derived maxSize of 0 becomes this.
pub const DEFAULT_MANAGED_MAX_SIZE: i64 = 1;
/// eksctl picks this many zones of the region when none are named.
pub const DEFAULT_ZONE_COUNT: usize = 3;
