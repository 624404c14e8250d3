# Three /22 node subnets and a managed node group of m5.8xlarge that can grow to 80 nodes:
# each node holds 60 addresses with one pod (2 ENIs x 30), so 16 fit per subnet, 48 in all.
resource "aws_vpc" "this" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_subnet" "private_a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.30.0.0/22"
  availability_zone = "us-east-2a"
}

resource "aws_subnet" "private_b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.30.4.0/22"
  availability_zone = "us-east-2b"
}

resource "aws_subnet" "private_c" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.30.8.0/22"
  availability_zone = "us-east-2c"
}

resource "aws_subnet" "control_plane" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.30.255.0/27"
  availability_zone = "us-east-2a"
}

resource "aws_eks_cluster" "main" {
  name     = "capacity-demo"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.private_a.id, aws_subnet.private_b.id, aws_subnet.private_c.id]
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.private_a.id, aws_subnet.private_b.id, aws_subnet.private_c.id]
  instance_types  = ["m5.8xlarge"]

  scaling_config {
    min_size     = 3
    desired_size = 6
    max_size     = 80
  }
}
