# A cluster whose NodePools come from a Helm chart in the repository: the templates are not
# plain YAML until Helm renders them, so the pools are not checked, and the run says so (one
# note per template file) instead of reporting the cluster as fully checked.
resource "aws_vpc" "main" {
  cidr_block = "10.1.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet("10.1.0.0/16", 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
  tags = {
    "karpenter.sh/discovery" = "charted"
  }
}

resource "aws_eks_cluster" "charted" {
  name     = "charted"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}
