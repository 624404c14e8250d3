# Node groups for a cluster and subnets made elsewhere (another unit's outputs).
variable "cluster_name" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

resource "aws_eks_node_group" "extra" {
  cluster_name    = var.cluster_name
  node_group_name = "extra"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = var.subnet_ids
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 10
  }
}
