locals {
  azs = ["eu-central-1a", "eu-central-1b"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.80.0.0/20"
}

resource "aws_vpc_ipv4_cidr_block_association" "pods" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "100.64.0.0/16"
}

resource "aws_subnet" "nodes" {
  count             = length(local.azs)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 4, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_subnet" "pods" {
  for_each          = toset(local.azs)
  vpc_id            = aws_vpc_ipv4_cidr_block_association.pods.vpc_id
  cidr_block        = cidrsubnet(aws_vpc_ipv4_cidr_block_association.pods.cidr_block, 2, index(local.azs, each.key))
  availability_zone = each.key
}

resource "aws_eks_cluster" "this" {
  name     = "customnet"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.nodes[*].id
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({
    env = {
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true"
      ENI_CONFIG_LABEL_DEF               = "topology.kubernetes.io/zone"
    }
  })
}

resource "kubernetes_manifest" "eniconfig" {
  for_each = aws_subnet.pods
  manifest = {
    apiVersion = "crd.k8s.amazonaws.com/v1alpha1"
    kind       = "ENIConfig"
    metadata = {
      name = each.key
    }
    spec = {
      subnet = each.value.id
    }
  }
}

resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.nodes[*].id
  instance_types  = ["m5.2xlarge"]
  scaling_config {
    min_size     = 2
    desired_size = 2
    max_size     = 40
  }
}
