# AZs read from a data source: the subnet CIDRs are still known (only the AZ names are not).
data "aws_availability_zones" "available" {}

locals {
  vpc_cidr = "10.30.0.0/16"
  azs      = slice(data.aws_availability_zones.available.names, 0, 3)
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  cidr            = local.vpc_cidr
  azs             = local.azs
  private_subnets = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 6, k)]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "dynamic-azs"
  subnet_ids   = module.vpc.private_subnets

  eks_managed_node_groups = {
    default = {
      instance_types = ["c5.large"]
      max_size       = 200
    }
  }
}
