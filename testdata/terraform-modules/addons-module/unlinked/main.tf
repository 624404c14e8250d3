# The same aws-vpc-cni release, from a root that defines no cluster (an add-ons root next to
# the cluster's): nothing takes its settings.
#
# Expected: no cluster from this root, and one EKS901 note at the release that its settings
# are not linked to a cluster, instead of dropping them silently.
module "cni" {
  source = "../helm/cni"
}
