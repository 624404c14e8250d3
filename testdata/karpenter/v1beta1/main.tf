# v1beta1 NodePool (kubelet on the NodePool) in nodepool.yaml; prefix delegation is on and
# maxPods is left at Karpenter's default: EKS204.
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.0.0/20"
  availability_zone = "us-east-2a"
  tags              = { "karpenter.sh/discovery" = "old" }
}

resource "aws_eks_cluster" "this" {
  name     = "old"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id]
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({
    env = { ENABLE_PREFIX_DELEGATION = "true" }
  })
}
