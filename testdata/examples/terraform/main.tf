# A small EKS cluster in Terraform: two node groups share three /23 private subnets.
variable "vpc_cidr" {
  type    = string
  default = "10.50.0.0/16"
}

variable "azs" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 7, count.index)
  availability_zone = var.azs[count.index]
}

resource "aws_eks_cluster" "main" {
  name     = "shop"
  role_arn = "arn:aws:iam::111122223333:role/eks-cluster"
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.main.name
  addon_name   = "vpc-cni"
}

resource "aws_eks_node_group" "web" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "web"
  node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = ["c5.4xlarge"]

  scaling_config {
    min_size     = 3
    desired_size = 6
    max_size     = 60
  }
}

resource "aws_eks_node_group" "batch" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "batch"
  node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = ["t3.micro"]

  scaling_config {
    min_size     = 0
    desired_size = 0
    max_size     = 10
  }
}
