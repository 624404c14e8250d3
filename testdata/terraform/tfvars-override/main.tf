resource "aws_vpc" "v" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "n" {
  count      = length(var.node_subnets)
  vpc_id     = aws_vpc.v.id
  cidr_block = var.node_subnets[count.index]
}

resource "aws_eks_cluster" "c" {
  name     = var.cluster_name
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.n[*].id
  }
}

resource "aws_eks_node_group" "g" {
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "g"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.n[*].id
  instance_types  = [var.instance_type]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = var.max_nodes
  }
}
