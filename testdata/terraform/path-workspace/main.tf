# The cluster is named after its directory and workspace, the terraform-aws-modules way
# (`basename(path.cwd)`), and sized per workspace. `args` selects `--workspace prod`.
#
# Expected: one cluster named `path-workspace-prod` (`path.cwd` is this directory, made
# absolute; `basename` is its last element), and EKS101 for `nodes`: max size 40 in prod; an
# m5.large node with one pod holds 2 ENIs x 10 addresses = 20, each /24 has 251 usable, so
# 12 nodes fit in each, 24 in all. In the `default` workspace (no flag, no TF_WORKSPACE) the max size is 3 and
# nothing fires (tests/terraform.rs).
locals {
  name      = "${basename(path.cwd)}-${terraform.workspace}"
  max_nodes = { default = 3, prod = 40 }
  # dirname of a file under the module is the module itself.
  module_dir = dirname("${path.module}/main.tf")
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_eks_cluster" "this" {
  name     = local.name
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "nodes" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = basename(local.module_dir) == basename(path.root) ? "nodes" : "wrong"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = local.max_nodes[terraform.workspace]
    desired_size = 1
  }
}
