# The eks registry module (v20 names) with `bootstrap_self_managed_addons = false` and a vpc-cni
# entry in `cluster_addons`: the add-on installs the VPC CNI, so it is modelled (issue 14 item 9);
# and a self-managed group with the older `platform = "windows"` (issue 14 item 6).
#
# Expected by hand: private subnets cidrsubnet(10.60.0.0/16, 8, k) = three /24s of 251.
# - `win` (Windows, c5.xlarge, L = 15): max pods 14; 1 pod: max(1 + 3, 3) = 4 IPs + 1 = 5
#   addresses; 14 pods: 14 + 1 = 15; per /24 floor(251 / 5) = 50 and floor(251 / 15) = 16 nodes,
#   150 / 48 in all; 30 nodes spread 10 per subnet need 50 / 150 of 251.
# - `linux` (managed m5.large, AL2023): 20 addresses at 1 pod (2 ENIs x 10), 30 at 29 pods; 6
#   nodes spread 2 per subnet need 40 / 60; alone 12 and 8 fit per subnet (36 / 24). With `win`
#   in the same subnets: 90 / 210 of 251 (36 % / 84 %). No finding.
locals {
  azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = "mixed"
  cidr            = "10.60.0.0/16"
  azs             = local.azs
  private_subnets = [for k, v in local.azs : cidrsubnet("10.60.0.0/16", 8, k)]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name                  = "mixed"
  cluster_version               = "1.31"
  bootstrap_self_managed_addons = false

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  cluster_addons = {
    vpc-cni = {
      most_recent = true
    }
  }

  eks_managed_node_groups = {
    linux = {
      ami_type       = "AL2023_x86_64_STANDARD"
      instance_types = ["m5.large"]
      min_size       = 2
      max_size       = 6
      desired_size   = 2
    }
  }

  self_managed_node_groups = {
    win = {
      platform      = "windows"
      instance_type = "c5.xlarge"
      min_size      = 1
      max_size      = 30
      desired_size  = 2
    }
  }
}
