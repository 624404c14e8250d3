# A key repeated in an object constructor is not an error in Terraform: the last value wins
# (hashicorp/hcl 2efc2662 hclsyntax/expression.go, ObjectConsExpr.Value: vals[keyStr] = val,
# no duplicate check). Expected: the file parses (no EKS903), one cluster named `demo` (the
# second "name"; `first` would mean the first value won), and its node group of at most
# 3 m5.large fits: each /20 has 4096 - 5 = 4091 usable addresses, 3 nodes need far fewer.
locals {
  names = {
    "name" = "first"
    "name" = "demo"
  }
  doc = jsonencode({
    "kind" : "a",
    "kind" : "b"
  })
}

resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.0.0/20"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.16.0/20"
  availability_zone = "eu-west-1b"
}

resource "aws_eks_cluster" "c" {
  name     = local.names["name"]
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}
