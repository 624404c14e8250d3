# 25 node groups with a misspelt instance type: 25 errors, more than GitHub shows per step.
resource "aws_vpc" "this" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.40.0.0/20"
  availability_zone = "eu-central-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.40.16.0/20"
  availability_zone = "eu-central-1b"
}

resource "aws_eks_cluster" "main" {
  name     = "many"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "team" {
  count           = 25
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "team-${count.index}"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.xlarg"]

  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 3
  }
}
