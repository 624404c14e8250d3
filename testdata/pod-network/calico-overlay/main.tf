# Calico's own CNI and IPAM (`installation.cni.type = Calico` through the Tigera operator):
# pods get addresses from Calico's IP pools (issue 14 item 9).
#
# Expected by hand: two /26 subnets hold 2^6 - 5 = 59 addresses each; one address per node, so
# 59 + 59 = 118 nodes fit; the self-managed group's 100 nodes spread 50 per subnet (85 %). Max
# pods is the explicit --max-pods=200 from the launch template's user data, not the kubelet's
# 110. Under the VPC CNI a c5.xlarge (4 ENIs x 15) holds 30 addresses with one pod: 2 + 2 = 4
# nodes would fit, an EKS101 error that must not appear.
resource "aws_vpc" "this" {
  cidr_block = "10.41.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.41.0.0/26"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.41.0.64/26"
  availability_zone = "eu-west-1b"
}

resource "aws_eks_cluster" "main" {
  name     = "calico-overlay"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_launch_template" "nodes" {
  name_prefix   = "calico-"
  instance_type = "c5.xlarge"
  user_data     = base64encode("#!/bin/bash\n/etc/eks/bootstrap.sh calico-overlay --kubelet-extra-args '--max-pods=200'\n")
}

resource "aws_autoscaling_group" "nodes" {
  name                = "calico-nodes"
  min_size            = 2
  max_size            = 100
  vpc_zone_identifier = [aws_subnet.a.id, aws_subnet.b.id]

  launch_template {
    id      = aws_launch_template.nodes.id
    version = "$Latest"
  }

  tag {
    key                 = "kubernetes.io/cluster/calico-overlay"
    value               = "owned"
    propagate_at_launch = true
  }
}

resource "helm_release" "calico" {
  name       = "calico"
  repository = "https://docs.tigera.io/calico/charts"
  chart      = "tigera-operator"
  namespace  = "tigera-operator"

  set {
    name  = "installation.cni.type"
    value = "Calico"
  }
}
