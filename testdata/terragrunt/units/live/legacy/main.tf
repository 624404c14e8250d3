variable "max_nodes" {
  type    = number
  default = 2
}

resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.1.0.0/27"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.1.0.32/27"
  availability_zone = "eu-west-1b"
}

resource "aws_eks_cluster" "legacy" {
  name     = "legacy"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = aws_eks_cluster.legacy.name
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["t3.medium"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = var.max_nodes
  }
}
