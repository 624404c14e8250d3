//! `aws_eks_fargate_profile`: the subnets its pods take addresses from.

use super::core::*;
use crate::model::{Cluster, FargateProfile, Value};
use crate::terraform::value::InstRef;

impl<'e, 'm, 'a> Extractor<'e, 'm, 'a> {
    pub(super) fn fargate_profiles(&self, clusters: &mut Vec<(Option<InstRef>, Cluster)>) {
        for i in self.instances("aws_eks_fargate_profile") {
            let body = &i.r.block.body;
            let span = self.block_span(&i);
            let name = self
                .get(&i, body, "fargate_profile_name")
                .and_then(|(v, _)| str_of(&v))
                .unwrap_or_else(|| self.ev.address(&i.id));
            let mut subnets = self.subnet_list(self.get(&i, body, "subnet_ids"));
            if subnets.is_absent() {
                // The provider leaves them to the EKS API, which takes them from the request.
                subnets = Value::unknown("the profile sets no `subnet_ids`", span);
            }
            let c = self.attach(clusters, &i, self.get(&i, body, "cluster_name"), span);
            clusters[c].1.fargate_profiles.push(FargateProfile {
                name,
                span,
                subnets,
            });
        }
    }
}
