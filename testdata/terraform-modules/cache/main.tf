# A private-registry network module, read from the `terraform init` cache.
module "net" {
  source  = "app.terraform.io/acme/network/aws"
  version = "2.1.0"

  cidr = "10.40.0.0/22"
}

module "unknown" {
  source = "app.terraform.io/acme/eks-extras/aws"
}

resource "aws_eks_cluster" "this" {
  name     = "cached"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = module.net.subnet_ids
  }
}

resource "aws_eks_node_group" "workers" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "workers"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = module.net.subnet_ids
  instance_types  = ["m5.xlarge"]
  scaling_config {
    min_size     = 1
    max_size     = 60
    desired_size = 2
  }
}
