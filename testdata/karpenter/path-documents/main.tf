# NodePools rendered by data "kubectl_path_documents" (its vars substituted like templatefile)
# and applied by kubectl_manifest over its documents. pools/pool.yaml reads `values:
# [${region}a]`, which is not YAML until rendered, and selects `${cluster}-private*`.
# Expected: the rendered pool is read; its class selects both /24s (251 usable each).
# m5.large (2 vCPUs, 3 ENIs x 10) holds 2 x 10 = 20 addresses with one pod; limits.cpu 200
# launches floor(200 / 2) = 100 nodes, the /24s hold 2 x floor(251 / 20) = 24: EKS101.
# (The zone requirement does not narrow the subnets in today's model.) The raw file, which does
# not parse, stays one EKS901 note.
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.0.0/24"
  availability_zone = "us-west-2a"
  tags              = { Name = "pd-private-a" }
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-west-2b"
  tags              = { Name = "pd-private-b" }
}

resource "aws_eks_cluster" "pd" {
  name     = "pd"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}


data "kubectl_path_documents" "pools" {
  pattern = "${path.module}/pools/pool.yaml"
  vars    = { region = "us-west-2", cluster = aws_eks_cluster.pd.name }
}

resource "kubectl_manifest" "pools" {
  for_each  = data.kubectl_path_documents.pools.manifests
  yaml_body = each.value
}
