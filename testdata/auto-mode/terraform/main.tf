# EKS Auto Mode on aws_eks_cluster (compute_config) with both built-in pools, and a custom
# Auto Mode NodePool in nodepool.yaml. No vpc-cni add-on and no self-managed add-ons, as
# Auto Mode clusters are set up.
#
# Expected: every node is an Auto Mode node, so the capacity report shows no VPC CNI
# settings and no VPC CNI rule applies. AWS documents that each node reserves a /28 (16
# addresses), so a node holds at least 17. The built-in pools (no limits) are notes: the
# three /24s (251 usable) hold at most 3 x floor(251 / 17) = 42 such nodes. The custom pool
# `batch` (c6i.large, 2 vCPUs) may grow to floor(100 / 2) = 50 nodes, but its one tagged /24
# holds at most floor(251 / 17) = 14: EKS101 even at the lower bound; and it is in one
# zone: EKS404.
resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.60.0.0/16", 8, count.index)
  availability_zone = ["us-west-2a", "us-west-2b", "us-west-2c"][count.index]
  tags = {
    "pool" = count.index == 0 ? "batch" : "general"
  }
}

resource "aws_eks_cluster" "auto" {
  name                          = "auto"
  role_arn                      = "arn:aws:iam::123456789012:role/eks"
  bootstrap_self_managed_addons = false

  compute_config {
    enabled       = true
    node_pools    = ["general-purpose", "system"]
    node_role_arn = "arn:aws:iam::123456789012:role/eks-auto-node"
  }

  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}
