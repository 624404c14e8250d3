# A cluster module run only through Terragrunt units. Alone, its defaults would overflow
# (100 m5.large nodes in two /26 subnets): no finding may point here without a unit.
variable "cluster_name" {
  type    = string
  default = "module-default"
}

variable "vpc_cidr" {
  type    = string
  default = "10.0.0.0/16"
}

variable "subnet_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/26", "10.0.0.64/26"]
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b"]
}

variable "instance_types" {
  type    = list(string)
  default = ["m5.large"]
}

variable "max_size" {
  type    = number
  default = 100
}

variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_vpc" "this" {
  cidr_block = var.vpc_cidr
  tags       = var.tags
}

resource "aws_subnet" "nodes" {
  count             = length(var.subnet_cidrs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = var.subnet_cidrs[count.index]
  availability_zone = var.azs[count.index]
}

resource "aws_eks_cluster" "this" {
  name     = var.cluster_name
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.nodes[*].id
  }
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.nodes[*].id
  instance_types  = var.instance_types

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = var.max_size
  }
}
