# Resources whose `count`/`for_each` is not known (a variable without a default) would
# vanish: each one that could define compute, the network or VPC CNI settings gets one
# EKS901 note instead, and the rest is checked as usual.
#
# Expected: 4 notes: `aws_subnet.extra` (count), `aws_eks_node_group.optional` (count),
# `aws_autoscaling_group.workers` (for_each) and `aws_eks_addon.this` (for_each, its
# `addon_name` is `each.key`, which may be vpc-cni). `aws_iam_role.optional` (count, not
# compute or network) and `aws_eks_addon.dns` (a literal coredns) get none. The cluster
# itself (two literal subnets in two AZs, one small node group) is clean.
variable "enabled" {
  type = bool
}

variable "extra_subnets" {
  type = number
}

variable "worker_pools" {
  type = map(string)
}

variable "addons" {
  type = map(any)
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/20"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.16.0/20"
  availability_zone = "us-east-1b"
}

resource "aws_subnet" "extra" {
  count             = var.extra_subnets
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.128.0/17", 4, count.index)
  availability_zone = "us-east-1c"
}

resource "aws_eks_cluster" "this" {
  name     = "unknown-count"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "base" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "base"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}

resource "aws_eks_node_group" "optional" {
  count           = var.enabled ? 1 : 0
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "optional"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = 300
    desired_size = 1
  }
}

resource "aws_autoscaling_group" "workers" {
  for_each            = var.worker_pools
  name                = each.key
  min_size            = 1
  max_size            = 10
  vpc_zone_identifier = [aws_subnet.a.id]
}

resource "aws_iam_role" "optional" {
  count = var.enabled ? 1 : 0
  name  = "optional"
}

resource "aws_eks_addon" "this" {
  for_each     = var.addons
  cluster_name = aws_eks_cluster.this.name
  addon_name   = each.key
}

resource "aws_eks_addon" "dns" {
  count        = var.enabled ? 1 : 0
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "coredns"
}
