# VPC and EKS from the terraform-aws-modules registry modules (v20 input names).
locals {
  name     = "payments"
  vpc_cidr = "10.0.0.0/16"
  azs      = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name = local.name
  cidr = local.vpc_cidr
  azs  = local.azs

  private_subnets = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 4, k)]
  public_subnets  = [for k, v in local.azs : cidrsubnet(local.vpc_cidr, 8, k + 48)]

  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = 1
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name    = local.name
  cluster_version = "1.30"

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  cluster_addons = {
    coredns = {}
    vpc-cni = {
      most_recent = true
      configuration_values = jsonencode({
        env = {
          WARM_IP_TARGET    = "2"
          MINIMUM_IP_TARGET = "12"
        }
      })
    }
  }

  eks_managed_node_group_defaults = {
    ami_type = "AL2_x86_64"
    min_size = 2
  }

  eks_managed_node_groups = {
    big = {
      instance_types = ["m5.8xlarge"]
      max_size       = 1000
      desired_size   = 3
    }
  }
}
