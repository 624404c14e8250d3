# ENIConfigs written as kubectl_manifest (issue 16 item 8), three ways: yamlencode() of an
# object that references the pod subnet, a literal YAML heredoc, and a template whose values
# are only known after apply.
#
# Expected:
# - eu-west-1a: ENIConfig from yamlencode(), pod subnet aws_subnet.pods["eu-west-1a"]
#   (100.64.0.0/18). eu-west-1b: the literal YAML names its pod subnet by id
#   (subnet-0b1c2d3e4f5a6b7c8), whose CIDR is not in the configuration: an EKS901 note for
#   the pods of the node subnet in eu-west-1b, never a false error.
# - eu-west-1c has no ENIConfig: EKS307 for node group `ng` ("ENIConfigs exist for
#   eu-west-1a, eu-west-1b"). The templated manifest below names no ENIConfig in its
#   text (it is a ConfigMap), so it adds no unknown ENIConfig that would hide that zone.

locals {
  azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
}

resource "aws_vpc" "main" {
  cidr_block = "10.10.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "pods" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "100.64.0.0/16"
}

resource "aws_subnet" "nodes" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = local.azs[count.index]
}

resource "aws_subnet" "pods" {
  for_each          = toset(["eu-west-1a"])
  vpc_id            = aws_vpc_ipv4_cidr_block_association.pods.vpc_id
  cidr_block        = cidrsubnet(aws_vpc_ipv4_cidr_block_association.pods.cidr_block, 2, 0)
  availability_zone = each.key
}

resource "aws_eks_cluster" "this" {
  name     = "kubectl-eni"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.nodes[*].id
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name = aws_eks_cluster.this.name
  addon_name   = "vpc-cni"
  configuration_values = jsonencode({
    env = {
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG = "true"
      ENI_CONFIG_LABEL_DEF               = "topology.kubernetes.io/zone"
    }
  })
}

resource "kubectl_manifest" "eniconfig" {
  for_each = aws_subnet.pods
  yaml_body = yamlencode({
    apiVersion = "crd.k8s.amazonaws.com/v1alpha1"
    kind       = "ENIConfig"
    metadata   = { name = each.key }
    spec = {
      subnet         = each.value.id
      securityGroups = [aws_eks_cluster.this.vpc_config[0].cluster_security_group_id]
    }
  })
}

resource "kubectl_manifest" "eniconfig_b" {
  yaml_body = <<-YAML
    apiVersion: crd.k8s.amazonaws.com/v1alpha1
    kind: ENIConfig
    metadata:
      name: eu-west-1b
    spec:
      subnet: subnet-0b1c2d3e4f5a6b7c8
  YAML
}

resource "kubectl_manifest" "settings" {
  yaml_body = templatefile("${path.module}/settings.yaml", { cluster = aws_eks_cluster.this.arn })
}

resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.nodes[*].id
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 3
    max_size     = 6
  }
}
