# A cluster root that finds its subnets by tag, in the VPC the network root creates.
#
# Expected: `data.aws_subnets.small` (tag Tier = small, and a vpc-id filter: every match is
# in the network root's one VPC) is the network root's two /26s. Node group `workers`
# (m5.large, max 12): floor(59 / 20) = 2 nodes per subnet, 4 in all, fewer than 12: EKS101
# (and EKS301, the idle warm ENI).
# `data.aws_subnet.first` (tags Tier = private and Name = first) matches no scanned subnet
# (none has a Name tag): the control plane's subnet is unknown, an EKS901 note.

data "aws_vpc" "main" {
  tags = {
    Name = "main"
  }
}

data "aws_subnets" "small" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.main.id]
  }
  filter {
    name   = "tag:Tier"
    values = ["small"]
  }
}

data "aws_subnet" "first" {
  tags = {
    Tier = "private"
    Name = "first"
  }
}

resource "aws_eks_cluster" "this" {
  name     = "linked-tags"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = concat(data.aws_subnets.small.ids, [data.aws_subnet.first.id])
  }
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = data.aws_subnets.small.ids
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 12
  }
}
