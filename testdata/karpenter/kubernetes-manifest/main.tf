# kubernetes_manifest objects. The EC2NodeClass sets kubelet.maxPods 110 with prefix
# delegation on, so EKS204 does not apply; limits.nodes bounds the pool.
#
# Expected: NodePool `web` allows m5.large and m5.xlarge; limits.nodes 40 gives 40 nodes of
# either. With prefix delegation and WARM_PREFIX_TARGET=1 a node with one pod holds 1 prefix
# + 1 warm prefix = 2 x 16 + 1 ENI primary = 33 addresses on both types; the tie goes to
# m5.large. One /22 (1019 usable) holds floor(1019 / 33) = 30 < 40: EKS101. The subnet is
# also the control plane's, in one zone (EKS104, EKS404 for the cluster and the pool).
resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.30.0.0/22"
  availability_zone = "eu-west-1a"
  tags              = { "karpenter.sh/discovery" = "web" }
}

resource "aws_eks_cluster" "this" {
  name     = "web"
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

resource "kubernetes_manifest" "class" {
  manifest = {
    apiVersion = "karpenter.k8s.aws/v1"
    kind       = "EC2NodeClass"
    metadata   = { name = "web" }
    spec = {
      role                = "KarpenterNodeRole-web"
      amiSelectorTerms    = [{ alias = "al2023@latest" }]
      kubelet             = { maxPods = 110 }
      subnetSelectorTerms = [{ tags = { "karpenter.sh/discovery" = "web" } }]
    }
  }
}

resource "kubernetes_manifest" "pool" {
  manifest = {
    apiVersion = "karpenter.sh/v1"
    kind       = "NodePool"
    metadata   = { name = "web" }
    spec = {
      template = {
        spec = {
          nodeClassRef = { group = "karpenter.k8s.aws", kind = "EC2NodeClass", name = "web" }
          requirements = [
            { key = "node.kubernetes.io/instance-type", operator = "In", values = ["m5.large", "m5.xlarge"] },
          ]
        }
      }
      limits = { nodes = 40 }
    }
  }
}
