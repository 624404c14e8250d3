# A cluster whose compute is Karpenter: the NodePools are in nodepools.yaml next to it.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

locals {
  subnets = {
    small-a = { cidr = "10.0.0.0/24", az = "us-west-2a", pool = "small" }
    small-b = { cidr = "10.0.1.0/24", az = "us-west-2b", pool = "small" }
    fits-a  = { cidr = "10.0.2.0/24", az = "us-west-2a", pool = "fits" }
    fits-b  = { cidr = "10.0.3.0/24", az = "us-west-2b", pool = "fits" }
    free-a  = { cidr = "10.0.4.0/24", az = "us-west-2a", pool = "free" }
  }
}

resource "aws_subnet" "private" {
  for_each          = local.subnets
  vpc_id            = aws_vpc.main.id
  cidr_block        = each.value.cidr
  availability_zone = each.value.az
  tags = {
    "karpenter.sh/discovery" = "kp"
    "pool"                   = each.value.pool
  }
}

resource "aws_eks_cluster" "kp" {
  name     = "kp"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [for s in aws_subnet.private : s.id]
  }
}
