# The root creates the VPC, the subnets and the cluster; local modules create the node
# groups, given `aws_subnet.x[*].id` or `[aws_subnet.a.id]`, and `modules/pool` passes its
# subnets on to `modules/ng` one level further down.
#
# Expected: one cluster, `shared` (the node groups attach to the root's cluster through
# `cluster_name = var.cluster_name`; no second cluster), and every node group's subnets are
# the root's (no note that they are unknown):
# - `spread` (module.spread) on aws_subnet.x[0] and x[1] (10.0.0.0/24, 10.0.1.0/24), max 30
#   m5.large: a node with one pod holds 2 ENIs x 10 addresses = 20; a /24 has 251 usable.
#   x[0] holds 12 nodes; x[1] also carries `nested` (2 x 20 = 40), leaving 211 for 10: 22 in
#   all < 30: EKS101; and EKS301 (17 of its 20 addresses idle).
# - `nested` (module.pool.module.ng, through two modules) on x[1] alone, max 2: spread's 15
#   nodes there need 300 > 251, so none of its nodes fit: EKS101; one AZ: EKS404.
# - `single` (module.single) on aws_subnet.a alone, max 3: fits; one AZ: EKS404.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "x" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.0.0.0/16", 8, count.index)
  availability_zone = ["us-east-1a", "us-east-1b"][count.index]
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.10.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_eks_cluster" "this" {
  name     = "shared"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = aws_subnet.x[*].id
  }
}

module "spread" {
  source       = "./modules/ng"
  cluster_name = aws_eks_cluster.this.name
  name         = "spread"
  subnet_ids   = aws_subnet.x[*].id
  max_size     = 30
}

module "single" {
  source       = "./modules/ng"
  cluster_name = aws_eks_cluster.this.name
  name         = "single"
  subnet_ids   = [aws_subnet.a.id]
  max_size     = 3
}

module "pool" {
  source       = "./modules/pool"
  cluster_name = aws_eks_cluster.this.name
  subnet_ids   = [aws_subnet.x[1].id]
}
