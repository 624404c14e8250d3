//! eksctl ClusterConfig YAML → model (DESIGN.md §4.2).
//!
//! Defaults follow eksctl's own code (eksctl-io/eksctl `pkg/apis/eksctl.io/v1alpha5` and
//! `pkg/vpc/vpc.go`): VPC 192.168.0.0/16; when no subnets are written, eksctl carves the VPC
//! CIDR into blocks of 1/8 (1/16 above four zones): zone i gets public block i and private block
//! i+Z, `localZones` after the AZs; when none are named eksctl chooses 2 zones in us-east-1 and
//! us-west-1, 3 elsewhere (`pkg/az/az.go`); node groups default to m5.large (not with a
//! managed group's launch template) and 2 nodes, and use the public subnets unless
//! `privateNetworking: true`. docs/capacity-model.md ("eksctl's subnets") says it for users.
//!
//! Layout: [`core`] holds loading a file and the [`core::Extractor`] of one ClusterConfig; the
//! other files add the methods for one part of it each (VPC and subnets, the vpc-cni addon,
//! node groups), with eksctl's defaults in [`defaults`]. They depend on `core` and `defaults`,
//! never on each other or on this file.

mod bootstrap;
mod cni;
mod core;
mod defaults;
mod fargate;
mod node_group;
mod overlay;
mod vpc;
pub mod yaml;

pub use self::core::load;
pub use self::defaults::{
    DEFAULT_INSTANCE_TYPE, DEFAULT_MANAGED_MAX_SIZE, DEFAULT_NODE_COUNT, DEFAULT_VPC_CIDR,
    DEFAULT_ZONE_COUNT,
};
pub use self::vpc::carve_blocks;

#[cfg(test)]
mod tests;
