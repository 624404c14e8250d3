# The NodePool file is a template applied through templatefile() with a known variable; the
# raw file is scanned too. Expected: the rendered copy is checked. Its node class selects
# Name = "tf-private*", which matches both /24s. m5.large (2 vCPUs, 3 ENIs x 10) holds
# 2 x 10 = 20 addresses with one pod; limits.cpu 200 launches floor(200 / 2) = 100 nodes, the
# /24s (251 usable each) hold floor(251 / 20) = 12 each, 24 in all: EKS101. Read raw, the
# selector would hold a placeholder and the pool's subnets would be unknown (a note instead).
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-west-2a"
  tags              = { Name = "tf-private-a" }
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-west-2b"
  tags              = { Name = "tf-private-b" }
}

resource "aws_eks_cluster" "tf" {
  name     = "tf"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "kubectl_manifest" "karpenter" {
  for_each  = toset(split("---", templatefile("${path.module}/manifests/karpenter.yaml", { CLUSTER_NAME = aws_eks_cluster.tf.name })))
  yaml_body = each.value
}
