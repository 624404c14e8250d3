# `bootstrap_self_managed_addons = false` and no `vpc-cni` add-on: EKS installs no VPC CNI, and
# no other CNI is in the files, so how pods get addresses is unknown: EKS901 notes say so, and
# no capacity finding is guessed (issue 14 item 9).
resource "aws_vpc" "this" {
  cidr_block = "10.43.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.43.0.0/26"
  availability_zone = "eu-west-1a"
}

resource "aws_eks_cluster" "main" {
  name                          = "bring-your-own-cni"
  role_arn                      = "arn:aws:iam::111122223333:role/eks"
  bootstrap_self_managed_addons = false
  vpc_config {
    subnet_ids = [aws_subnet.a.id]
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 10
  }
}

resource "aws_eks_addon" "coredns" {
  cluster_name = aws_eks_cluster.main.name
  addon_name   = "coredns"
}
