# prod: 60 m5.large nodes in two /26 subnets (the module's default CIDRs). Expected EKS101:
# an m5.large node with one pod holds 2 ENIs x 10 addresses = 20 (WARM_ENI_TARGET=1); a /26
# has 64 - 5 = 59 usable addresses, so 2 nodes per subnet, 4 in both, fewer than 60.
# cluster_name = "shop-prod": root.hcl's local `project` and live/prod/env.hcl's `environment`.
include "root" {
  path   = find_in_parent_folders("root.hcl")
  expose = true
}

locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))
}

terraform {
  source = "../../../modules//eks"
}

inputs = {
  cluster_name = "${include.root.locals.project}-${local.env.locals.environment}"
  max_size     = 60
  tags = {
    environment = local.env.locals.environment
  }
}
