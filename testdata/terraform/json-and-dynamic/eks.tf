locals {
  cni_env = {
    WARM_IP_TARGET    = 4
    MINIMUM_IP_TARGET = 8
  }
}

resource "aws_eks_cluster" "this" {
  name     = "mixed"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.nodes[*].id
  }
}

resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.nodes[*].id
  instance_types  = ["m5.xlarge", "m5a.xlarge"]

  dynamic "scaling_config" {
    for_each = [{ min = 1, max = 12 }]
    content {
      min_size     = scaling_config.value.min
      desired_size = scaling_config.value.min
      max_size     = scaling_config.value.max
    }
  }
}

resource "helm_release" "vpc_cni" {
  name      = "aws-vpc-cni"
  chart     = "aws-vpc-cni"
  namespace = "kube-system"

  dynamic "set" {
    for_each = local.cni_env
    iterator = e
    content {
      name  = "env.${e.key}"
      value = e.value
    }
  }
}
