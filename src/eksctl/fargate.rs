//! `fargateProfiles`: the subnets each profile's pods take addresses from.
//!
//! eksctl (`pkg/apis/eksctl.io/v1alpha5/types.go`, `FargateProfile.Subnets`): "If none
//! provided, all subnets for the cluster will be used"; EKS accepts only private subnets for
//! Fargate, so the default is the cluster's private subnets, looked up like a private node
//! group's (`subnets` entries by mapping key or id).

use super::core::Extractor;
use super::yaml::Node;
use crate::model::{Cluster, FargateProfile, NodeGroupKind};

impl Extractor<'_> {
    pub(super) fn fargate_profile(&mut self, c: &Cluster, p: &Node) -> FargateProfile {
        let span = self.span(p);
        let name = self
            .string(p, "name")
            .get()
            .cloned()
            .unwrap_or_else(|| "(unnamed Fargate profile)".to_string());
        let subnets = self.node_group_subnets(c, p, NodeGroupKind::Managed, span, true);
        FargateProfile {
            name,
            span,
            subnets,
        }
    }
}
