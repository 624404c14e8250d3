# A shared module: its node group's size comes from the caller. Alone (with the default of 3
# nodes) it fits; through live/prod (80 m5.8xlarge nodes on three /22s: 3 × ⌊1019 / 60⌋ = 48
# nodes fit) it does not, so a change here must be checked through live/prod.
variable "max_size" {
  type    = number
  default = 3
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 6, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b", "eu-west-1c"][count.index]
}

resource "aws_eks_cluster" "main" {
  name     = "shared"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.private[*].id
  instance_types  = ["m5.8xlarge"]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = var.max_size
  }
}
