# Large node subnets in two AZs and a modest node group: nothing to report.
resource "aws_vpc" "this" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.60.0.0/19"
  availability_zone = "ap-southeast-2a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.60.32.0/19"
  availability_zone = "ap-southeast-2b"
}

resource "aws_eks_cluster" "main" {
  name     = "roomy"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.main.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({
    env = {
      WARM_IP_TARGET    = "2"
      MINIMUM_IP_TARGET = "10"
    }
  })
}

resource "aws_eks_node_group" "apps" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "apps"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.xlarge"]

  scaling_config {
    min_size     = 2
    desired_size = 2
    max_size     = 20
  }
}
