# A cluster in a local module whose name is a variable the caller does not set: it is named
# by where it is defined, `module.eks.aws_eks_cluster.this in modules/cluster/main.tf`, not
# "(unnamed cluster)". Its node group overflows its /26 subnet (59 usable addresses; an
# m5.large node at one pod holds 20, so 2 fit and max size 5 does not).
module "eks" {
  source = "./modules/cluster"
}
