variable "vpc_cidr" {
  type    = string
  default = "10.68.0.0/16"
}

variable "subnet_newbits" {
  type    = number
  default = 6
}

# Index of the first node subnet at that size.
variable "subnet_base" {
  type    = number
  default = 48
}

variable "max_nodes" {
  type    = number
  default = 80
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

resource "aws_subnet" "nodes" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, var.subnet_newbits, count.index + var.subnet_base)
  availability_zone = var.azs[count.index]
}

resource "aws_eks_cluster" "this" {
  name     = "acceptance"
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
  instance_types  = ["m5.8xlarge"]

  scaling_config {
    min_size     = 3
    desired_size = 3
    max_size     = var.max_nodes
  }
}
