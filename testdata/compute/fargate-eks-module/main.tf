# The eks module's fargate_profiles (v20), without an expected number of Fargate pods: the
# profiles are listed as consumers but their pods are not counted, so the cluster is only
# partly checked (each profile has no known ceiling).
#
# `kube_system` takes the module's `subnet_ids` (the first two private subnets, shared with
# the node group `general`); `apps` names the third (its name comes from `name`); `off` has
# `create = false` and is not a profile.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = "orders"
  cidr            = "10.1.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  private_subnets = ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/20"]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "orders"
  vpc_id       = module.vpc.vpc_id
  subnet_ids   = slice(module.vpc.private_subnets, 0, 2)

  eks_managed_node_groups = {
    general = {
      instance_types = ["m5.large"]
      max_size       = 10
    }
  }

  fargate_profiles = {
    kube_system = {
      selectors = [{ namespace = "kube-system" }]
    }
    apps = {
      name       = "apps-profile"
      subnet_ids = [module.vpc.private_subnets[2]]
      selectors  = [{ namespace = "apps" }]
    }
    off = {
      create    = false
      selectors = [{ namespace = "off" }]
    }
  }
}
