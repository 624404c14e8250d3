variable "name" {
  type = string
}

variable "vpc_cidr" {
  type = string
}

variable "instance_type" {
  type    = string
  default = "m5.xlarge"
}

variable "node_max" {
  type    = number
  default = 10
}
