# terraform-aws-modules/eks v21 input names, AL2023 nodeadm max pods, IPv4 prefix delegation,
# and a standalone managed node group submodule.
locals {
  azs = ["ap-southeast-2a", "ap-southeast-2b"]
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name            = "edge"
  cidr            = "10.50.0.0/16"
  azs             = local.azs
  private_subnets = ["10.50.0.0/19", "10.50.32.0/19"]
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 21.3"

  name              = "edge"
  service_ipv4_cidr = "172.16.0.0/16"
  subnet_ids        = module.vpc.private_subnets

  addons = {
    vpc-cni = {
      before_compute = true
      configuration_values = jsonencode({
        env = {
          ENABLE_PREFIX_DELEGATION = "true"
          WARM_PREFIX_TARGET       = "1"
        }
      })
    }
  }

  eks_managed_node_groups = {
    apps = {
      instance_types = ["m6i.2xlarge", "m6a.2xlarge"]
      max_size       = 50
      cloudinit_pre_nodeadm = [{
        content_type = "application/node.eks.aws"
        content      = <<-EOT
          ---
          apiVersion: node.eks.aws/v1alpha1
          kind: NodeConfig
          spec:
            kubelet:
              config:
                maxPods: 110
        EOT
      }]
    }
  }
}

module "gpu_nodes" {
  source  = "terraform-aws-modules/eks/aws//modules/eks-managed-node-group"
  version = "~> 21.3"

  name           = "gpu"
  cluster_name   = module.eks.cluster_name
  subnet_ids     = [module.vpc.private_subnets[1]]
  instance_types = ["g5.2xlarge"]
  ami_type       = "AL2023_x86_64_NVIDIA"
  max_size       = 4
}

module "old" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 17.0"

  cluster_name = "old"
}
