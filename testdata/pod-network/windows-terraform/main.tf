# A Windows managed node group next to a Linux one (issue 14 item 6). Windows nodes get pod
# addresses from the VPC resource controller: secondary IPs on the primary ENI only, its own
# warm pool (windows-warm-ip-target = windows-minimum-ip-target = 3 by default), never the VPC
# CNI's WARM_ENI_TARGET.
#
# Expected by hand, Windows m5.large (L = 10): max pods L - 1 = 9; with 1 pod the controller
# holds max(1 + 3, 3) = 4 secondary IPs, plus the node's own address = 5; at 9 pods
# min(max(9 + 3, 3), 9) = 9 + 1 = 10. Its two /25 subnets hold 2^7 - 5 = 123 each: 24 nodes per
# subnet at 1 pod (48 in all), 12 at 9 pods (24 in all). Max size 40 spread 20 + 20: at 1 pod
# 100 of 123 (82 %, rounded up), at 9 pods 200 (163 %): EKS102 at full density, no EKS101 (40 <= 48).
# Modelled as Linux it would hold 20 addresses (2 ENIs x 10) and fit 12 nodes: an EKS101 error.
# The Linux group (m5.large, its own /26 of 59): 20 addresses per node, floor(59 / 20) = 2 fit,
# max 2: no finding at 1 pod.
resource "aws_vpc" "this" {
  cidr_block = "10.45.0.0/16"
}

resource "aws_subnet" "win_a" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.45.0.0/25"
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "win_b" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.45.0.128/25"
  availability_zone = "eu-west-1b"
}

resource "aws_subnet" "linux" {
  vpc_id            = aws_vpc.this.id
  cidr_block        = "10.45.1.0/26"
  availability_zone = "eu-west-1a"
}

resource "aws_eks_cluster" "main" {
  name     = "mixed-os"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.win_a.id, aws_subnet.win_b.id, aws_subnet.linux.id]
  }
}

resource "aws_eks_node_group" "windows" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "windows"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.win_a.id, aws_subnet.win_b.id]
  instance_types  = ["m5.large"]
  ami_type        = "WINDOWS_CORE_2022_x86_64"

  scaling_config {
    min_size     = 2
    desired_size = 4
    max_size     = 40
  }
}

resource "aws_eks_node_group" "linux" {
  cluster_name    = aws_eks_cluster.main.name
  node_group_name = "linux"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.linux.id]
  instance_types  = ["m5.large"]
  ami_type        = "AL2023_x86_64_STANDARD"

  scaling_config {
    min_size     = 1
    desired_size = 2
    max_size     = 2
  }
}
