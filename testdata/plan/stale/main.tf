# The files were changed after plan.json was made: the subnet CIDRs are now /24s and the
# default node group size grew. The plan still has the /22s and the old size: notes name
# both values (a value the plan marks sensitive is not printed), and the checks use what the
# files say.
variable "max_nodes" {
  type    = number
  default = 60
}

resource "aws_vpc" "main" {
  cidr_block = "10.50.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  availability_zone = ["eu-central-1a", "eu-central-1b"][count.index]
  cidr_block        = cidrsubnet("10.50.0.0/16", 8, count.index)
}

resource "aws_eks_cluster" "main" {
  name     = "stale"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name   = aws_eks_cluster.main.name
  node_role_arn  = "arn:aws:iam::111122223333:role/node"
  subnet_ids     = aws_subnet.private[*].id
  instance_types = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = var.max_nodes
    desired_size = 1
  }
}
