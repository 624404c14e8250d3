# t3.micro caps pods at 4 per node: a warning, which fails the run with --fail-on warning.
resource "aws_vpc" "this" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.70.0.0/20"
  availability_zone = "us-west-2a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.70.16.0/20"
  availability_zone = "us-west-2b"
}

resource "aws_eks_cluster" "main" {
  name     = "tiny"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "small" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "small"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["t3.micro"]

  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 4
  }
}
