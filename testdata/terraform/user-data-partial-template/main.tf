# The user data template has an unknown part (var.cluster_name has no value) but a literal
# --max-pods=50 in it: eks-lint reads the 50. On m5.large the ENIs address
# 3 × (10 − 1) + 2 = 29 pods: EKS202 at the literal.
variable "cluster_name" {
  type = string
}

resource "aws_vpc" "main" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.50.0.0/22"
  availability_zone = "us-east-1a"
}

resource "aws_eks_cluster" "this" {
  name     = "partial"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id]
  }
}

resource "aws_launch_template" "ng" {
  name          = "ng"
  instance_type = "m5.large"
  image_id      = "ami-0123456789abcdef0"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    /etc/eks/bootstrap.sh ${var.cluster_name} --use-max-pods false --kubelet-extra-args '--max-pods=50'
  EOT
  )
}

resource "aws_eks_node_group" "ng" {
  cluster_name    = "partial"
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }
  launch_template {
    id      = aws_launch_template.ng.id
    version = "$Latest"
  }
}
