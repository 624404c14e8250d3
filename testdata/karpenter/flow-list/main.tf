# A NodePool whose requirement values are a flow sequence spread over lines, the closing `]`
# under its key (valid for kubectl: go-yaml does not check columns inside `[ ]`).
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-west-2a"
  tags              = { "karpenter.sh/discovery" = "fl" }
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-west-2b"
  tags              = { "karpenter.sh/discovery" = "fl" }
}

resource "aws_eks_cluster" "fl" {
  name     = "fl"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}
