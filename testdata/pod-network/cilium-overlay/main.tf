# Cilium replaces the VPC CNI (cluster-pool IPAM, the chart's default `ipam.mode`): pods get
# addresses from Cilium's pool, each node takes one address from its subnet (issue 14 item 9).
#
# Expected by hand: three /24 subnets hold 2^8 - 5 = 251 addresses each. With one address per
# node, 251 nodes fit per subnet, 3 x 251 = 753 in all, at 1 pod and at max pods alike; max pods
# is the kubelet's default 110 (no maxPods set). 600 nodes spread 200 per subnet: need 200 of
# 251 in each (80 %: the report rounds percentages up). Under the VPC CNI the same group would hold 20 addresses per m5.large
# (2 ENIs x 10) and fit 3 x 12 = 36 nodes: an EKS101 error that must not appear here; EKS101
# gives a note naming Cilium and why it was assumed.
resource "aws_vpc" "this" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.40.0.0/24"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.40.1.0/24"
  availability_zone = "eu-west-1b"
}

resource "aws_subnet" "c" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.40.2.0/24"
  availability_zone = "eu-west-1c"
}

resource "aws_eks_cluster" "main" {
  name     = "cilium-overlay"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id, aws_subnet.c.id]
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id, aws_subnet.c.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 3
    desired_size = 30
    max_size     = 600
  }
}

resource "helm_release" "cilium" {
  name       = "cilium"
  repository = "https://helm.cilium.io/"
  chart      = "cilium"
  namespace  = "kube-system"

  values = [yamlencode({
    kubeProxyReplacement = true
    routingMode          = "tunnel"
  })]
}

resource "null_resource" "remove_aws_node" {
  provisioner "local-exec" {
    command = "kubectl -n kube-system delete daemonset aws-node"
  }
}
