# Pools with many candidate types on a prefix-delegation cluster; node classes in their own
# file (nodeclasses.yaml). See nodepools.yaml for the expected figures.
resource "aws_vpc" "main" {
  cidr_block = "10.90.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.90.0.0/23"
  availability_zone = "us-west-2a"
  tags              = { Name = "many-private-us-west-2a" }
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.90.2.0/23"
  availability_zone = "us-west-2b"
  tags              = { Name = "many-private-us-west-2b" }
}

resource "aws_eks_cluster" "this" {
  name     = "many"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({
    env = { ENABLE_PREFIX_DELEGATION = "true" }
  })
}
