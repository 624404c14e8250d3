# kubectl_manifest reading its YAML with file(), subnets tagged on aws_subnet.
#
# Expected: NodePool `batch` (karpenter/nodepool.yaml) allows c5.large only (2 vCPUs, 3 ENIs
# x 10 IPv4: 20 addresses with one pod, 29 max pods = 30 addresses), limits.cpu 20 gives
# floor(20 / 2) = 10 nodes; the two /25s (123 usable each) hold 2 x floor(123 / 20) = 12 at
# one pod (no EKS101) and 2 x floor(123 / 30) = 8 < 10 at max pods: EKS102. The YAML file is
# also in the scan: the pool is checked once. `spot` renders its YAML from a data source, so
# it is not known: a note says the pools it defines were not checked.
resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.0.0/25"
  availability_zone = "us-east-1a"
  tags              = { "karpenter.sh/discovery" = "batch" }
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.0.128/25"
  availability_zone = "us-east-1b"
  tags              = { "karpenter.sh/discovery" = "batch" }
}

resource "aws_eks_cluster" "this" {
  name     = "batch"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "kubectl_manifest" "pool" {
  yaml_body = file("${path.module}/karpenter/nodepool.yaml")
}

resource "kubectl_manifest" "class" {
  yaml_body = templatefile("${path.module}/karpenter/nodeclass.yaml.tftpl", {
    cluster = aws_eks_cluster.this.name
  })
}

data "aws_ssm_parameter" "spot_pool" {
  name = "/karpenter/spot-pool"
}

resource "kubectl_manifest" "spot" {
  yaml_body = templatefile("${path.module}/karpenter/spot-nodepool.yaml.tftpl", {
    cpu = data.aws_ssm_parameter.spot_pool.value
  })
}
