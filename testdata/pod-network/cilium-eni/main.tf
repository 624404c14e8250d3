# Cilium in ENI mode: pods take VPC addresses, but Cilium's operator allocates them with its
# own pre-allocation, which eks-lint does not model: capacity unknown (EKS901), no guess.
resource "aws_vpc" "this" {
  cidr_block = "10.44.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.44.0.0/26"
  availability_zone = "eu-west-1a"
}

resource "aws_eks_cluster" "main" {
  name     = "cilium-eni"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id]
  }
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 10
  }
}

resource "helm_release" "cilium" {
  name       = "cilium"
  repository = "https://helm.cilium.io/"
  chart      = "cilium"
  namespace  = "kube-system"

  values = [<<-YAML
    eni:
      enabled: true
    ipam:
      mode: eni
    egressMasqueradeInterfaces: eth0
    routingMode: native
  YAML
  ]
}
