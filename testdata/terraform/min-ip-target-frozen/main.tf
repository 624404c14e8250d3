# MINIMUM_IP_TARGET=30 without WARM_IP_TARGET: ipamd's short-fall is
# max(0 − available, 30 − total) = 0 once the pool holds 30 IPs, so the pool stays at 30
# IPs + 1 ENI primary = 31 addresses per m5.24xlarge node whatever the pods (EKS302). The
# capacity report and EKS102 use the same 31, not the 250 + 6 = 256 a growing pool would
# hold at the managed group's 250 max pods (15 × 49 + 2 = 737 capped at 250 for 96 vCPUs).
# 20 nodes over two /24s (251 usable): 10 × 31 = 310 > 251 per subnet: EKS101 at one pod,
# 8 nodes fit per subnet.
resource "aws_vpc" "main" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.0.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_eks_cluster" "this" {
  name     = "frozen"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "big" {
  cluster_name    = "frozen"
  node_group_name = "big"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.24xlarge"]
  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 20
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({
    env = {
      MINIMUM_IP_TARGET = "30"
    }
  })
}
