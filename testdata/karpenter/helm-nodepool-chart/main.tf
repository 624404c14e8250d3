# A NodePool chart installed by helm_release (issue 15 item 1): each such chart builds its
# NodePools from its own values layout, with its own defaults, so eks-lint, which renders no
# Helm chart, cannot read them. Expected: one EKS901 note naming the release and its chart
# (the pools were not checked); the Karpenter controller's own chart (`karpenter`) renders no
# NodePool and is not noted. The managed node group (2 x m5.large in two /24s) fits.
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.0.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_eks_cluster" "main" {
  name     = "helm-pools"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "system" {
  cluster_name   = aws_eks_cluster.main.name
  node_role_arn  = "arn:aws:iam::123456789012:role/node"
  subnet_ids     = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 2
    desired_size = 1
  }
}

resource "helm_release" "karpenter" {
  name       = "karpenter"
  repository = "oci://public.ecr.aws/karpenter"
  chart      = "karpenter"
  values = [yamlencode({
    settings = { clusterName = aws_eks_cluster.main.name }
  })]
}

resource "helm_release" "node_pools" {
  name       = "karpenter-nodepool"
  repository = "oci://ghcr.io/younsl/charts"
  chart      = "karpenter-nodepool"
  values = [yamlencode({
    nodePool = {
      default = {
        requirements = [{ key = "karpenter.k8s.aws/instance-category", operator = "In", values = ["c", "m"] }]
        limits       = { cpu = "1000" }
      }
    }
  })]
}
