locals {
  # Declared after use on purpose: locals resolve in any order.
  private_subnets = { for az, idx in local.az_index : az => cidrsubnet(local.vpc_cidr, 4, idx) }
  az_index        = { "us-west-2a" = 0, "us-west-2b" = 1, "us-west-2c" = 2 }
  vpc_cidr        = "10.20.0.0/16"
  cluster_name    = "foreach-${terraform.workspace == "default" ? "dev" : "x"}"
}

resource "aws_vpc" "this" {
  cidr_block = local.vpc_cidr
}

resource "aws_subnet" "private" {
  for_each          = local.private_subnets
  vpc_id            = aws_vpc.this.id
  cidr_block        = each.value
  availability_zone = each.key
  tags = {
    "kubernetes.io/role/internal-elb" = "1"
  }
}

resource "aws_eks_cluster" "main" {
  name     = "foreach"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [for s in aws_subnet.private : s.id]
  }
}

resource "aws_eks_node_group" "ng" {
  for_each        = toset(["small", "large"])
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "ng-${each.key}"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = values(aws_subnet.private)[*].id
  instance_types  = [each.key == "small" ? "t3.large" : "c5.4xlarge"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = each.key == "small" ? 5 : 20
  }
}
