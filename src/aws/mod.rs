//! AWS facts: the EC2 instance table, subnet arithmetic and the VPC CNI address model.

pub mod cni;
pub mod instances;
pub mod karpenter_labels;
pub mod subnet;
pub mod user_types;
