variable "cluster_name" {
  type = string
}

variable "node_subnets" {
  type    = list(string)
  default = ["10.1.0.0/24", "10.1.1.0/24"]
}

variable "max_nodes" {
  type    = number
  default = 4
}

variable "instance_type" {
  type    = string
  default = "m5.large"
}
