//! Evaluated module → clusters of the model (DESIGN.md §3, §4.1 "Resources").
//!
//! Every model value keeps the attribute that fed it as `Origin::span` and the evaluation
//! chain (tfvars line, variable default, local) as `Origin::via`.
//!
//! Layout: [`core`] holds the [`Extractor`] and reading one instance's attributes; the other
//! files add the methods for one resource family each (network, cluster, node group, Fargate
//! profile, self-managed ASG, add-on/helm, ENIConfig). They depend on `core`, never on this
//! file, and on each other only where one reads what another collects: `eniconfig` reads the
//! documents `manifest` collects (as the Karpenter reader there does), and `addon` hands it the
//! aws-vpc-cni chart's values.

mod addon;
mod asg;
mod cluster;
mod core;
mod eniconfig;
mod fargate;
mod manifest;
mod network;
mod node_group;
mod overlay;
mod ssm;

pub(crate) use self::addon::yaml_to_json;
pub use self::cluster::settle_root;
pub use self::core::{Exported, Extractor, Found, FoundKind, Imported};
pub use self::network::drop_foreign_subnets;
pub use self::node_group::parse_max_pods;
pub(crate) use self::overlay::no_default_addons;

#[cfg(test)]
mod tests;
