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

resource "aws_eks_cluster" "this" {
  name     = "demo"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.8xlarge"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }
}
