# Encrypted files in the repository: `secrets.tf` is git-crypt ciphertext (it starts with
# "\0GITCRYPT\0"), `terraform.tfvars.json` and `values.enc.yaml` are SOPS-encrypted.
#
# Expected: exit 0, not 2: a note for each encrypted file (3), and, because the encrypted
# tfvars sets `max_nodes`, its value is unknown (not the default 3): a note that EKS101 and
# EKS102 could not be checked for `nodes`. Nothing else: the cluster is otherwise literal.
variable "max_nodes" {
  type    = number
  default = 3
}

resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_eks_cluster" "this" {
  name     = "encrypted"
  role_arn = "arn:aws:iam::123456789012:role/eks"

  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}

resource "aws_eks_node_group" "nodes" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "nodes"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]

  scaling_config {
    min_size     = 1
    max_size     = var.max_nodes
    desired_size = 1
  }
}
