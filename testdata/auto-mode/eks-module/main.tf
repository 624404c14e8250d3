# EKS Auto Mode through the eks module v21 (compute_config), the examples/eks-auto-mode
# layout: the general-purpose pool only, subnets from the vpc module.
#
# Expected: one built-in pool, a note: at least 17 addresses per node, its two /23s (507
# usable) hold at most 2 x floor(507 / 17) = 58 nodes; no VPC CNI settings in the capacity
# report.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name            = "auto-mod"
  cidr            = "10.70.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.70.0.0/23", "10.70.2.0/23"]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.0"

  name               = "auto-mod"
  kubernetes_version = "1.33"

  compute_config = {
    enabled    = true
    node_pools = ["general-purpose"]
  }

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets
}
