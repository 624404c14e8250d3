# terraform-aws-modules/eks v18 input names, self-managed groups with defaults, git source.
module "vpc" {
  source = "github.com/terraform-aws-modules/terraform-aws-vpc?ref=v3.19.0"

  name            = "legacy"
  cidr            = "10.1.0.0/16"
  azs             = ["eu-central-1a", "eu-central-1b"]
  private_subnets = ["10.1.0.0/22", "10.1.4.0/22"]
  public_subnets  = ["10.1.100.0/24", "10.1.101.0/24"]
}

module "eks" {
  source = "git::https://github.com/terraform-aws-modules/terraform-aws-eks.git?ref=v18.31.2"

  cluster_name              = "legacy"
  cluster_version           = "1.24"
  cluster_service_ipv4_cidr = "172.20.0.0/16"
  vpc_id                    = module.vpc.vpc_id
  subnet_ids                = module.vpc.private_subnets

  self_managed_node_group_defaults = {
    instance_type        = "c5.xlarge"
    bootstrap_extra_args = "--kubelet-extra-args '--max-pods=50'"
  }

  self_managed_node_groups = {
    workers = {
      max_size = 20
    }
    batch = {
      instance_type = "c5.4xlarge"
      max_size      = 5
      subnet_ids    = [module.vpc.private_subnets[0]]
    }
  }

  eks_managed_node_groups = {
    system = {}
  }
}
