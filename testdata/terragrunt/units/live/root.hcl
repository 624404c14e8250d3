# Shared by every unit (included with find_in_parent_folders("root.hcl")).
locals {
  project = "shop"
  env     = read_terragrunt_config(find_in_parent_folders("env.hcl", "${get_parent_terragrunt_dir()}/env.hcl"))
}

inputs = {
  instance_types = ["m5.large"]
  azs            = ["eu-west-1a", "eu-west-1b"]
  tags = {
    project = local.project
  }
}
