# The registry module terraform-aws-modules/eks, run through eks-lint's model of it: its
# node group's t3.micro nodes take at most 4 pods each (2 ENIs x (2 - 1) + 2), below the
# EKS201 threshold of 10; the subnets come from another unit, so they are unknown (a note).
dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = {
    private_subnets = ["subnet-11111111", "subnet-22222222"]
  }
}

terraform {
  source = "tfr:///terraform-aws-modules/eks/aws?version=20.8.0"
}

inputs = {
  cluster_name = "shop-stage"
  subnet_ids   = dependency.vpc.outputs.private_subnets
  eks_managed_node_groups = {
    small = {
      instance_types = ["t3.micro"]
      min_size       = 1
      max_size       = 5
      desired_size   = 1
    }
  }
}
