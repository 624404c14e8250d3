# dev: 3 nodes in /24 subnets, deep-merged tags; it fits (a /24 holds 251 / 20 = 12
# m5.large nodes). The module path is relative to root.hcl's directory.
include "root" {
  path           = find_in_parent_folders("root.hcl")
  expose         = true
  merge_strategy = "deep"
}

terraform {
  source = "${get_parent_terragrunt_dir()}/../modules//eks"
}

inputs = {
  cluster_name = "${include.root.locals.project}-${basename(dirname(get_terragrunt_dir()))}"
  subnet_cidrs = ["10.0.1.0/24", "10.0.2.0/24"]
  max_size     = 3
  tags = {
    environment = "dev"
  }
}
