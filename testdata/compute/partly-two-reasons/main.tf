# A cluster partly checked for two different reasons: `batch` takes its instance types from a
# variable without a default (type unknown), `stream` its max size (no known ceiling). The
# summary names both, in one line; `steady` is fully known.
variable "batch_types" {
  type = list(string)
}

variable "stream_max" {
  type = number
}

resource "aws_vpc" "main" {
  cidr_block = "10.2.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.2.0.0/20"
  availability_zone = "us-east-2a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.2.16.0/20"
  availability_zone = "us-east-2b"
}

resource "aws_eks_cluster" "data" {
  name     = "data"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "batch" {
  cluster_name    = aws_eks_cluster.data.name
  node_group_name = "batch"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = var.batch_types

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 10
  }
}

resource "aws_eks_node_group" "stream" {
  cluster_name    = aws_eks_cluster.data.name
  node_group_name = "stream"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = var.stream_max
  }
}

resource "aws_eks_node_group" "steady" {
  cluster_name    = aws_eks_cluster.data.name
  node_group_name = "steady"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 4
  }
}
