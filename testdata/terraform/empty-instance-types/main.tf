# `instance_types = []` (what `terraform import` and generated code write) with a launch
# template that names the type: the nodes are c5.large, the launch template's type, not the
# t3.medium default of an empty list.
#
# Expected: EKS101 for `imported`. A c5.large node with one pod holds 2 ENIs x 10 addresses
# = 20 (WARM_ENI_TARGET=1); the /24 has 256 - 5 = 251 usable addresses, so 12 nodes fit,
# fewer than the max size of 15. (As t3.medium, 2 ENIs x 6 = 12 addresses, 20 nodes would
# fit and EKS101 would not fire.) EKS404 too: the group's one subnet is in one AZ.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_eks_cluster" "this" {
  name     = "imported"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_launch_template" "nodes" {
  name          = "nodes"
  instance_type = "c5.large"
}

resource "aws_eks_node_group" "imported" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "imported"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = []

  launch_template {
    id      = aws_launch_template.nodes.id
    version = "$Latest"
  }

  scaling_config {
    min_size     = 1
    max_size     = 15
    desired_size = 1
  }
}
