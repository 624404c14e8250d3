# Node subnets picked by CIDR with `zipmap(ids, cidrs)`: the ids are known only after apply,
# but they are references to the vpc module's subnets and the test reads the CIDRs, which are
# known, so the result is known.
#
# Expected: `general` gets private[0] and private[1] (10.70.1.0/24, 10.70.2.0/24), not
# private[2] (10.70.128.0/24); `batch` the same through the `? id : null` form and `compact`.
# m5.large with one pod: 2 ENIs x 10 addresses = 20 per node; a /24 has 251 usable. batch
# (max 2) puts one node in each subnet, 20 addresses, leaving 231 for 11 of general's nodes
# per subnet: 22 < 30, EKS101 for general (with private[2] too, 12 more would fit: 34 >= 30,
# no EKS101), and EKS301 (17 idle addresses per node). general's 15 nodes per subnet need 300
# of 251, so none of batch's fit: EKS101 for batch.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = "zipmap"
  cidr            = "10.70.0.0/16"
  azs             = ["us-east-1a", "us-east-1b", "us-east-1c"]
  private_subnets = ["10.70.1.0/24", "10.70.2.0/24", "10.70.128.0/24"]
}

locals {
  node_subnets = [
    for id, cidr in zipmap(module.vpc.private_subnets, module.vpc.private_subnets_cidr_blocks) :
    id if split(".", cidr)[2] != "128"
  ]
  batch_subnets = compact([
    for id, cidr in zipmap(module.vpc.private_subnets, module.vpc.private_subnets_cidr_blocks) :
    startswith(cidr, "10.70.128.") ? null : id
  ])
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "zipmap"
  vpc_id       = module.vpc.vpc_id
  subnet_ids   = module.vpc.private_subnets

  eks_managed_node_groups = {
    general = {
      instance_types = ["m5.large"]
      subnet_ids     = local.node_subnets
      min_size       = 1
      max_size       = 30
    }
    batch = {
      instance_types = ["m5.large"]
      subnet_ids     = local.batch_subnets
      min_size       = 1
      max_size       = 2
    }
  }
}
