# A literal zone next to one from the data source: `names[1]` may be us-east-1a itself.
#
# Expected: EKS404 for `mixed` is not decided; one EKS901 note says the zone of
# `aws_subnet.b` is not known. No warning.
data "aws_availability_zones" "available" {}

resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.1.0.0/20"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.1.16.0/20"
  availability_zone = data.aws_availability_zones.available.names[1]
}

resource "aws_eks_cluster" "this" {
  name     = "mixed"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "mixed" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "mixed"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}
