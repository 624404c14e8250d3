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

resource "aws_launch_template" "general" {
  name          = "general"
  instance_type = "m5.large"
  image_id      = "ami-0123456789abcdef0"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    /etc/eks/bootstrap.sh demo --use-max-pods false --kubelet-extra-args '--max-pods=29'
  EOT
  )
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  launch_template {
    id      = aws_launch_template.general.id
    version = "$Latest"
  }

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({
    env = {
      ENABLE_PREFIX_DELEGATION = "true"
    }
  })
}
