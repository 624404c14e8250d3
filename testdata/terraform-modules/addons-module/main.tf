# The VPC CNI is configured away from the cluster: the eks-blueprints-addons pattern, an
# `aws_eks_addon` in a local module with `for_each = var.eks_addons` and
# `cluster_name = var.cluster_name`, fed `module.eks.cluster_name`. (`helm/` is a second root:
# an aws-vpc-cni Helm release in a module that names no cluster.)
#
# Expected: one cluster, `addons` (no second cluster for the add-on), checked with the
# add-on's settings, WARM_IP_TARGET=2 and MINIMUM_IP_TARGET=20: an m5.large node (3 ENIs of
# 10 addresses, 9 for pods each, max pods 29) with one pod holds max(min(20, 27, 36),
# min(3, 27, 29)) = 20 IPs on 3 ENIs = 23 addresses, so a /24 (251 usable) holds 10 nodes,
# 20 in the two subnets < 24: EKS101. With the default WARM_ENI_TARGET=1 a node would hold
# 20 and 24 would fit (no EKS101).
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = "addons"
  cidr            = "10.60.0.0/16"
  azs             = ["us-east-1a", "us-east-1b"]
  private_subnets = ["10.60.1.0/24", "10.60.2.0/24"]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "addons"
  vpc_id       = module.vpc.vpc_id
  subnet_ids   = module.vpc.private_subnets

  eks_managed_node_groups = {
    general = {
      instance_types = ["m5.large"]
      min_size       = 1
      max_size       = 24
    }
  }
}

module "eks_blueprints_addons" {
  source = "./addons"

  cluster_name = module.eks.cluster_name
  eks_addons = {
    coredns = {}
    vpc-cni = {
      configuration_values = jsonencode({
        env = {
          WARM_IP_TARGET    = "2"
          MINIMUM_IP_TARGET = "20"
        }
      })
    }
  }
}
