resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.40.0.0/22"
}

resource "aws_eks_cluster" "this" {
  name     = "helm"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id]
  }
}

resource "aws_launch_template" "nodes" {
  name          = "helm-nodes"
  instance_type = "m5.2xlarge"
  image_id      = "ami-0123456789abcdef0"
  user_data = base64encode(<<-EOT
    #!/bin/bash
    /etc/eks/bootstrap.sh helm --use-max-pods false --kubelet-extra-args '--max-pods=110'
  EOT
  )
}

resource "aws_eks_node_group" "lt" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "lt"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  launch_template {
    id      = aws_launch_template.nodes.id
    version = "$Latest"
  }
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 4
  }
}

resource "helm_release" "cni" {
  name       = "aws-vpc-cni"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-vpc-cni"
  namespace  = "kube-system"

  values = [<<-YAML
    env:
      WARM_PREFIX_TARGET: "1"
  YAML
  ]

  set {
    name  = "env.ENABLE_PREFIX_DELEGATION"
    value = "true"
  }
}
