# EKS Auto Mode on with no built-in pool (node_pools left out, as the terraform-aws-eks
# examples/eks-auto-mode custom-pool cluster does) and no NodePool in the files: the compute
# runs in pools eks-lint did not see, so a note says it was not checked.
resource "aws_vpc" "main" {
  cidr_block = "10.61.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.61.0.0/24"
  availability_zone = "us-west-2a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.61.1.0/24"
  availability_zone = "us-west-2b"
}

resource "aws_eks_cluster" "auto" {
  name     = "auto-custom"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  compute_config {
    enabled = true
  }

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}
