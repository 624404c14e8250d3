# Zones read from `data.aws_availability_zones`: their names are not known, but AWS lists each
# zone once, so different indices into the list are different zones.
#
# Expected (this root): `spread` uses `names[0]` and `names[1]`: two zones, no EKS404 and no
# EKS901 note about zones. `pinned` uses `aws_subnet.x[0]` and `aws_subnet.y`, both `names[0]`
# (one through `slice`, one by index): one zone, so EKS404 warns. The control plane spans two
# zones: nothing. The root in `mixed/` checks that a literal zone is not assumed to differ.
data "aws_availability_zones" "available" {
  state = "available"
}

locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 2)
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "x" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 4, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_subnet" "y" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.128.0/20"
  availability_zone = data.aws_availability_zones.available.names[0]
}

resource "aws_eks_cluster" "this" {
  name     = "zones"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = aws_subnet.x[*].id
  }
}

resource "aws_eks_node_group" "spread" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "spread"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.x[*].id
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}

resource "aws_eks_node_group" "pinned" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "pinned"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.x[0].id, aws_subnet.y.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}
