variable "cluster_name" {
  type = string
}

variable "name" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

variable "max_size" {
  type = number
}

resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster_name
  node_group_name = var.name
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = var.subnet_ids
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = var.max_size
    desired_size = 1
  }
}
