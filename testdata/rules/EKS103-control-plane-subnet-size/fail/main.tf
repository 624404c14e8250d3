# EKS103 fires on `a` and `b` (/25: 123 usable): the control plane shares them with `general`,
# which at max size puts 8 / 2 = 4 m5.large nodes in each, 30 addresses per node (29 max pods:
# 3 ENIs x 10, WARM_ENI_TARGET=1): 120 taken, 3 free < the 6 EKS needs. The dedicated /28s
# `cp_a` and `cp_b` keep all 11 usable addresses free: quiet. EKS102 and EKS301 come with it.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/25"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.128/25"
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
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id, aws_subnet.cp_a.id, aws_subnet.cp_b.id]
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
    max_size     = 8
  }
}
