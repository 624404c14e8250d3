# Subnets from another unit: unknown until it is applied; the mock IDs are not used.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

dependency "eks" {
  config_path = "../eks"
  mock_outputs = {
    subnet_ids = ["subnet-00000000"]
  }
}

terraform {
  source = "../../../modules/nodes"
}

inputs = {
  cluster_name = "shop-prod"
  subnet_ids   = dependency.eks.outputs.subnet_ids
}
