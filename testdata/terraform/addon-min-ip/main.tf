resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.30.0.0/20"
}

resource "aws_eks_cluster" "this" {
  name     = "addon"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id]
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name    = "addon"
  node_group_name = "default"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.xlarge"]
  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 6
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({
    env = {
      MINIMUM_IP_TARGET = "10"
      WARM_ENI_TARGET   = "0"
    }
  })
}
