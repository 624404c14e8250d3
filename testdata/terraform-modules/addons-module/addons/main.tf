variable "cluster_name" {
  type = string
}

variable "eks_addons" {
  type    = any
  default = {}
}

resource "aws_eks_addon" "this" {
  for_each = var.eks_addons

  cluster_name         = var.cluster_name
  addon_name           = try(each.value.name, each.key)
  configuration_values = try(each.value.configuration_values, null)
}
