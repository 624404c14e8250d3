# Alone, with its defaults, this stack fits (3 nodes); its environments decide.
variable "env" {
  type    = string
  default = "none"
}

variable "subnet_cidrs" {
  type    = list(string)
  default = ["10.0.0.0/24", "10.0.1.0/24"]
}

variable "instance_types" {
  type    = list(string)
  default = ["m5.large"]
}

variable "max_size" {
  type    = number
  default = 3
}

resource "aws_vpc" "this" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "nodes" {
  count             = length(var.subnet_cidrs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = var.subnet_cidrs[count.index]
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_eks_cluster" "this" {
  name     = "demo-${var.env}"
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
