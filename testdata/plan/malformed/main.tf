# --plan names a truncated document and a JSON file of another kind: each is an input error
# (exit code 2) with its file, line and column, and the configuration is still checked.
resource "aws_subnet" "a" {
  vpc_id            = "vpc-1"
  availability_zone = "eu-west-1a"
  cidr_block        = "10.70.0.0/26"
}

resource "aws_eks_node_group" "default" {
  cluster_name   = "malformed"
  node_role_arn  = "arn:aws:iam::111122223333:role/node"
  subnet_ids     = [aws_subnet.a.id]
  instance_types = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 10
    desired_size = 1
  }
}
