# The NodePool is applied by a local child module that receives the cluster name; the pool is
# tied to the cluster its EC2NodeClass names in its discovery tag.
#
# Expected: pool `general` allows t3.medium (2 vCPUs, 3 ENIs x 6 IPv4): with one pod a node
# holds 2 x 6 = 12 addresses; limits.cpu 100 gives floor(100 / 2) = 50 nodes, but the two
# /25s (123 usable) hold 2 x floor(123 / 12) = 20: EKS101.
resource "aws_vpc" "main" {
  cidr_block = "10.95.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.95.0.0/24", 1, count.index)
  availability_zone = ["ap-south-1a", "ap-south-1b"][count.index]
  tags              = { "karpenter.sh/discovery" = "child" }
}

resource "aws_eks_cluster" "this" {
  name     = "child"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}

module "karpenter" {
  source       = "./modules/karpenter"
  cluster_name = aws_eks_cluster.this.name
}
