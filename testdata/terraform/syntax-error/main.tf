resource "aws_vpc" "main" {
  cidr_block = "10.9.0.0/16"
}

resource "aws_subnet" "ok" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.9.0.0/24"
}

resource "aws_eks_node_group" "ng" {
  cluster_name    = "orphan"
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.ok.id]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }
}
