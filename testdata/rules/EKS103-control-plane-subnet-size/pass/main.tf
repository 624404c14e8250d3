# AWS's recommended layout: dedicated /28 control-plane subnets (16 - 5 = 11 usable, all free,
# at least the 6 EKS needs) and /20 node subnets: no EKS103.
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

resource "aws_subnet" "cp_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.32.0/28"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "cp_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.32.16/28"
  availability_zone = "us-east-1b"
}

resource "aws_eks_cluster" "this" {
  name     = "demo"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.cp_a.id, aws_subnet.cp_b.id]
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }
}
