# No source: Terragrunt runs the Terraform files of this directory with these inputs.
# Expected EKS101: t3.medium with one pod holds 2 ENIs x 6 = 12 addresses; a /27 has 27
# usable, so 2 nodes per subnet, 4 in both, fewer than 40 (the default of 2 would fit).
inputs = {
  max_nodes = 40
}
