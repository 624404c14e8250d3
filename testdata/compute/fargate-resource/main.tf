# A Fargate profile (aws_eks_fargate_profile) on the node group's subnets, with 200 Fargate
# pods expected (eks-lint.toml: expected-fargate-pods = 200).
#
# Each /24 holds 256 - 5 = 251 usable addresses. An m5.large node with one pod holds 20
# (its primary ENI and one warm ENI, 10 addresses each, WARM_ENI_TARGET=1); `web` at max size
# spreads 20 nodes as 10 per subnet: 200 addresses of each subnet. The 200 Fargate pods take
# one address each with no warm pool, spread over the profile's 2 subnets: 100 per subnet.
# Together 300 > 251, so `web` no longer fits: (251 - 100) / 20 = 7 nodes per subnet, 14 in all.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_eks_cluster" "shop" {
  name     = "shop"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "web" {
  cluster_name    = aws_eks_cluster.shop.name
  node_group_name = "web"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 20
  }
}

resource "aws_eks_fargate_profile" "apps" {
  cluster_name           = aws_eks_cluster.shop.name
  fargate_profile_name   = "apps"
  pod_execution_role_arn = "arn:aws:iam::123456789012:role/fargate"
  subnet_ids             = [aws_subnet.a.id, aws_subnet.b.id]

  selector {
    namespace = "apps"
  }
}
