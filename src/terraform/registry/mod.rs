//! Built-in models of terraform-aws-modules registry modules (no download, no network):
//! `vpc/aws`, `eks/aws` (major versions 18–21) and the eks node-group submodules. A model
//! turns the call's evaluated inputs into subnets, clusters and node groups the way the real
//! module would create them, and its outputs into values (subnet ids are references to those
//! subnets, so `subnet_ids = module.vpc.private_subnets` links to the CIDRs).

pub mod eks;
pub mod vpc;

use super::eval::Evaluator;
use super::outputs::{Kind, Model, Site};
use super::root::Root;
use super::value::Val;
use std::collections::BTreeMap;

/// Match a module source (registry address, GitHub or git URL) to a built-in model; the git
/// `ref` comes back for the version.
pub fn match_source(source: &str) -> Option<(Kind, Option<String>)> {
    let s = source.trim();
    let (s, git_ref) = match s.split_once("?ref=") {
        Some((a, r)) => (a, Some(r.split('&').next().unwrap_or(r).to_string())),
        None => (s, None),
    };
    let s = s
        .trim_start_matches("git::")
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_start_matches("ssh://")
        .trim_start_matches("git@")
        .trim_start_matches("registry.terraform.io/")
        .trim_start_matches("github.com/")
        .trim_start_matches("github.com:");
    let (repo, sub) = match s.split_once("//") {
        Some((a, b)) => (a, b.trim_end_matches('/')),
        None => (s, ""),
    };
    let repo = repo.trim_end_matches('/').trim_end_matches(".git");
    let base = match repo {
        "terraform-aws-modules/vpc/aws" | "terraform-aws-modules/terraform-aws-vpc" => Kind::Vpc,
        "terraform-aws-modules/eks/aws" | "terraform-aws-modules/terraform-aws-eks" => Kind::Eks,
        _ => return None,
    };
    let kind = match (base, sub) {
        (k, "") => k,
        (Kind::Eks, "modules/eks-managed-node-group") => Kind::ManagedNodeGroup,
        (Kind::Eks, "modules/self-managed-node-group") => Kind::SelfManagedNodeGroup,
        _ => return None,
    };
    Some((kind, git_ref))
}

/// A local directory that is a copy of a modelled module (the terraform-aws-eks examples call
/// `../..`; monorepos vendor these modules), recognised by files only these modules have.
/// The major version follows from the input names its variables declare.
pub fn vendored(
    dir: &std::path::Path,
    access: &crate::access::Access,
) -> Option<(Kind, Option<u32>)> {
    let has = |p: &str| access.is_file(&dir.join(p));
    let eks_major = |root: &std::path::Path| {
        let vars = access
            .read_text(&root.join("variables.tf"))
            .unwrap_or_default();
        Some(if vars.contains("variable \"cluster_name\"") {
            20
        } else {
            LATEST_EKS
        })
    };
    if has("node_groups.tf") && has("modules/eks-managed-node-group/main.tf") {
        return Some((Kind::Eks, eks_major(dir)));
    }
    if has("vpc-flow-logs.tf") && has("modules/vpc-endpoints/main.tf") {
        return Some((Kind::Vpc, None));
    }
    let name = dir.file_name()?.to_str()?;
    let repo = dir.parent()?.parent()?;
    if access.is_file(&repo.join("node_groups.tf")) {
        let kind = match name {
            "eks-managed-node-group" => Kind::ManagedNodeGroup,
            "self-managed-node-group" => Kind::SelfManagedNodeGroup,
            _ => return None,
        };
        return Some((kind, eks_major(repo)));
    }
    None
}

const LATEST_EKS: u32 = eks::LATEST;

/// The major version a constraint or tag names: `~> 20.0`, `>= 19.5, < 21`, `v20.8.4`.
pub fn major_version(c: &str) -> Option<u32> {
    let start = c.find(|ch: char| ch.is_ascii_digit())?;
    let digits: String = c[start..]
        .chars()
        .take_while(|ch| ch.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// Build the model of one call instance.
pub fn build(
    root: &Root,
    ev: &Evaluator,
    kind: Kind,
    major: Option<u32>,
    site: &Site,
    inputs: BTreeMap<String, Val>,
) -> Model {
    match kind {
        Kind::Vpc => vpc::build(root, ev, site, &inputs),
        _ => {
            // Latest supported when no version is pinned.
            let major = major.unwrap_or(eks::LATEST);
            if !(eks::OLDEST..=eks::LATEST).contains(&major) {
                root.note(
                    format!("version/{}", site.addr),
                    site.source_span,
                    format!(
                        "`{}` is terraform-aws-modules/eks version {major}, which eks-lint does not model (it models {}–{}): the module's clusters and node groups are not checked",
                        site.addr,
                        eks::OLDEST,
                        eks::LATEST
                    ),
                );
                return Model::unknown(format!(
                    "it comes from `{}.{{}}` of terraform-aws-modules/eks version {major}, which eks-lint does not model",
                    site.addr
                ));
            }
            eks::build(ev, kind, major, site, inputs)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_versions() {
        assert_eq!(
            match_source("terraform-aws-modules/eks/aws"),
            Some((Kind::Eks, None))
        );
        assert_eq!(
            match_source("terraform-aws-modules/eks/aws//modules/eks-managed-node-group"),
            Some((Kind::ManagedNodeGroup, None))
        );
        assert_eq!(
            match_source("git::https://github.com/terraform-aws-modules/terraform-aws-eks.git//modules/self-managed-node-group?ref=v19.21.0"),
            Some((Kind::SelfManagedNodeGroup, Some("v19.21.0".into())))
        );
        assert_eq!(
            match_source("github.com/terraform-aws-modules/terraform-aws-vpc"),
            Some((Kind::Vpc, None))
        );
        assert_eq!(match_source("terraform-aws-modules/iam/aws"), None);
        assert_eq!(
            match_source("terraform-aws-modules/eks/aws//modules/karpenter"),
            None
        );
        assert_eq!(major_version("~> 20.0"), Some(20));
        assert_eq!(major_version(">= 19.5, < 21"), Some(19));
        assert_eq!(major_version("v21.3.0"), Some(21));
        assert_eq!(major_version("latest"), None);
    }
}
