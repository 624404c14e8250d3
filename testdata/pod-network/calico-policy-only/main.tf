# Calico for network policy only: the Tigera operator keeps the VPC CNI on EKS when
# `installation.cni.type` is not Calico, so the VPC CNI model applies (issue 14 item 9).
#
# Expected by hand: one /26 (59 usable) and a managed group of 10 m5.large: each node holds 20
# addresses with one pod (2 ENIs x 10, WARM_ENI_TARGET=1), so floor(59 / 20) = 2 nodes fit:
# EKS101 fires as for any VPC CNI cluster, and the capacity report says Calico gives policy only.
resource "aws_vpc" "this" {
  cidr_block = "10.42.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.42.0.0/26"
  availability_zone = "eu-west-1a"
}

resource "aws_eks_cluster" "main" {
  name     = "calico-policy"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id]
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 10
  }
}

resource "helm_release" "calico" {
  name       = "calico"
  repository = "https://docs.tigera.io/calico/charts"
  chart      = "tigera-operator"
  namespace  = "tigera-operator"
}
