# The cluster module is a git source that was never downloaded (no .terraform/modules):
# statically nothing defines a cluster. The plan has the instances the module creates, so its
# cluster and node group are modelled from plan.json, and findings point into the plan.
data "aws_availability_zones" "available" {
  state = "available"
}

resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

variable "vpc_cidr" {
  type = string
}

locals {
  name = "shop-${random_string.suffix.result}"
  azs  = slice(data.aws_availability_zones.available.names, 0, 2)
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = local.name
  cidr            = var.vpc_cidr
  azs             = local.azs
  private_subnets = [for k, v in local.azs : cidrsubnet(var.vpc_cidr, 4, k)]
}

module "eks" {
  source = "git::https://git.example.com/platform/terraform-eks.git?ref=v3.1.0"

  cluster_name = local.name
  vpc_id       = module.vpc.vpc_id
  subnet_ids   = module.vpc.private_subnets

  eks_managed_node_groups = {
    default = {
      instance_types = ["m5.large"]
      min_size       = 2
      max_size       = 40
      desired_size   = 2
    }
  }
}
