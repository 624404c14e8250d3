//! The EKS101 note for clusters whose pods take no VPC CNI addresses (IPv6, an overlay CNI):
//! subnet exhaustion by pod addresses does not apply, and the note says which CNI was assumed
//! and why (`capacity::pod_network`).

use super::ctx::Ctx;
use crate::capacity::pod_network::PodNetwork;
use crate::code::Code;
use crate::diag::{Diagnostic, Level};

pub fn note(ctx: &Ctx) -> Option<Diagnostic> {
    let name = ctx.cluster.display_name();
    let (span, message, help) = match &ctx.facts.pod_network {
        PodNetwork::Ipv6 { span } => (
            *span,
            format!(
                "cluster `{name}` uses IPv6: pods get IPv6 addresses and each node takes one IPv4 address from its subnet, so IPv4 pod-address exhaustion does not apply; subnet capacity was not checked"
            ),
            "nothing to do; make sure node subnets have IPv6 CIDRs assigned".to_string(),
        ),
        PodNetwork::Overlay { plugin, why, span } => (
            *span,
            format!(
                "cluster `{name}` runs {plugin} as its pod network ({why}): pods get addresses from the overlay, not from the subnets, and each node takes one address from its subnet, so VPC CNI pod-address exhaustion does not apply; `eks-lint capacity` shows the per-node figures"
            ),
            format!(
                "nothing to do if {plugin} is the pod network; if the VPC CNI still assigns pod addresses, remove or correct what made eks-lint assume {plugin}"
            ),
        ),
        _ => return None,
    };
    let mut d = ctx
        .diag(Code::EKS101, span, message)
        .with_key(ctx.cluster_key())
        .with_help(help);
    d.level = Level::Note;
    Some(d)
}
