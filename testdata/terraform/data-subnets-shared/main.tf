# One data source feeds the cluster and two node groups: one root cause, so one EKS901 note
# (naming EKS101, EKS102, EKS103 and all three subjects), pointing at the data block.
data "aws_subnets" "private" {
  tags = { Tier = "private" }
}
resource "aws_eks_cluster" "c" {
  name     = "demo"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = data.aws_subnets.private.ids
  }
}
resource "aws_eks_node_group" "a" {
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "a"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = data.aws_subnets.private.ids
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}
resource "aws_eks_node_group" "b" {
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "b"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = data.aws_subnets.private.ids
  instance_types  = ["c5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}
