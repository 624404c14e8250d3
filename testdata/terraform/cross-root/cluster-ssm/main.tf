# A cluster root that reads its subnets from the network root's SSM parameters.
#
# Expected:
# - node group `general` (m5.large, max 10) on the two private /24s: the subnets are the
#   network root's, linked through `/network/private-subnet-ids` (jsondecode of
#   nonsensitive); 251 usable
#   addresses each hold floor(251 / 20) = 12 m5.large nodes at one pod (3 ENIs x 10
#   addresses; the primary ENI and, with WARM_ENI_TARGET=1, one warm ENI: 20 addresses),
#   24 >= 10: no finding.
# - node group `batch` (m5.large, max 20) on the two small /26s, linked through
#   `/network/small-subnet-ids` (split on ","): floor(59 / 20) = 2 nodes per subnet, 4 in
#   all, fewer than 20: EKS101, naming the subnets of root `network`; and EKS301 (20
#   addresses held per node with one pod, the warm ENI idle), as for any default m5.large.
# - node group `legacy` reads `/legacy/subnet-ids`, which no scanned root writes: an EKS901
#   note that says so.

data "aws_ssm_parameter" "private" {
  name = "/network/private-subnet-ids"
}

data "aws_ssm_parameter" "small" {
  name = "/network/small-subnet-ids"
}

data "aws_ssm_parameter" "legacy" {
  name = "/legacy/subnet-ids"
}

locals {
  private_subnets = jsondecode(nonsensitive(data.aws_ssm_parameter.private.value))
}

resource "aws_eks_cluster" "this" {
  name     = "linked-ssm"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = local.private_subnets
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = local.private_subnets
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 10
  }
}

resource "aws_eks_node_group" "batch" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "batch"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = split(",", data.aws_ssm_parameter.small.value)
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 20
  }
}

resource "aws_eks_node_group" "legacy" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "legacy"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = split(",", data.aws_ssm_parameter.legacy.value)
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }
}
