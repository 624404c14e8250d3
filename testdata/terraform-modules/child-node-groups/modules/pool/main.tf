variable "cluster_name" {
  type = string
}

variable "subnet_ids" {
  type = list(string)
}

module "ng" {
  source       = "../ng"
  cluster_name = var.cluster_name
  name         = "nested"
  subnet_ids   = var.subnet_ids
  max_size     = 2
}
