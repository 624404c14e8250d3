# ENIConfigs rendered by the aws-vpc-cni Helm chart (issue 16 item 8). The chart
# (aws/amazon-vpc-cni-k8s charts/aws-vpc-cni, commit b52188387f2e2f10bf289ace929d6a63b176a4fa)
# renders one ENIConfig per key of `eniConfig.subnets`, named after the key, with
# `spec.subnet: <value>.id`, when `eniConfig.create` is true (its default is false). Here
# `create` comes from a literal YAML values document, zone us-east-2a's subnet from a
# yamlencode() values document and zone us-east-2b's from a `set` block.
#
# Expected: no EKS307 (both node zones have an ENIConfig), and the pod subnets are the ones
# the capacity model uses. With custom networking an m5.large node (3 ENIs x 10 addresses)
# takes pod addresses from secondary ENIs only; with the default WARM_ENI_TARGET=1 it holds
# its pod ENI plus a warm one: 2 x 10 = 20 pod-subnet addresses (docs/capacity-model.md).
# us-east-2a's pod subnet is a /26: 64 - 5 reserved = 59 usable, floor(59 / 20) = 2 nodes;
# us-east-2b's is a /28: 11 usable, 0 nodes. 2 nodes fit, max_size is 4: EKS101.

resource "aws_vpc" "main" {
  cidr_block = "10.20.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "pods" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "100.64.0.0/16"
}

resource "aws_subnet" "nodes_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.0.0/24"
  availability_zone = "us-east-2a"
}

resource "aws_subnet" "nodes_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.20.1.0/24"
  availability_zone = "us-east-2b"
}

resource "aws_subnet" "pods_a" {
  vpc_id            = aws_vpc_ipv4_cidr_block_association.pods.vpc_id
  cidr_block        = "100.64.0.0/26"
  availability_zone = "us-east-2a"
}

resource "aws_subnet" "pods_b" {
  vpc_id            = aws_vpc_ipv4_cidr_block_association.pods.vpc_id
  cidr_block        = "100.64.16.0/28"
  availability_zone = "us-east-2b"
}

resource "aws_eks_cluster" "this" {
  name     = "helm-eni"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.nodes_a.id, aws_subnet.nodes_b.id]
  }
}

resource "helm_release" "vpc_cni" {
  name       = "aws-vpc-cni"
  namespace  = "kube-system"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-vpc-cni"

  values = [
    <<-YAML
    env:
      AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG: "true"
      ENI_CONFIG_LABEL_DEF: topology.kubernetes.io/zone
    eniConfig:
      create: true
      region: us-east-2
    YAML
    ,
    yamlencode({
      eniConfig = {
        subnets = {
          for s in [aws_subnet.pods_a] : s.availability_zone => { id = s.id }
        }
      }
    }),
  ]

  set {
    name  = "eniConfig.subnets.us-east-2b.id"
    value = aws_subnet.pods_b.id
  }
}

resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.nodes_a.id, aws_subnet.nodes_b.id]
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 4
  }
}
