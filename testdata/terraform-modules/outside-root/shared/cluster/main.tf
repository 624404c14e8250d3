variable "name" {
  type = string
}

variable "max_size" {
  type = number
}

resource "aws_subnet" "a" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.60.0.0/24"
  availability_zone = "eu-north-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = "vpc-1"
  cidr_block        = "10.60.1.0/24"
  availability_zone = "eu-north-1b"
}

resource "aws_eks_node_group" "this" {
  cluster_name    = var.name
  node_group_name = "shared"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["c5.large"]
  scaling_config {
    min_size     = 1
    max_size     = var.max_size
    desired_size = 1
  }
}
