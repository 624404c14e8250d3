# The aws-vpc-cni Helm release is in a module that names no cluster (the Helm provider
# points at one): its settings are the settings of this root's only cluster.
#
# Expected: one cluster, `helm-cni`, checked with WARM_IP_TARGET=2 and MINIMUM_IP_TARGET=20
# from the module's release: as in the root above, 23 addresses per m5.large node, 10 nodes
# per /24, 10 < 12: EKS101 for `workers` (20 addresses and 12 nodes with the defaults); and
# EKS404, its one subnet is in one AZ.
resource "aws_vpc" "main" {
  cidr_block = "10.61.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.61.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.61.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_eks_cluster" "this" {
  name     = "helm-cni"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = 12
    desired_size = 1
  }
}

module "cni" {
  source = "./cni"
}
