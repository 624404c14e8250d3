data "aws_subnets" "private" {
  filter {
    name   = "tag:tier"
    values = ["private"]
  }
}

data "terraform_remote_state" "net" {
  backend = "s3"
  config = {
    bucket = "state"
    key    = "net.tfstate"
  }
}

resource "aws_eks_cluster" "this" {
  name     = "data"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = data.terraform_remote_state.net.outputs.private_subnet_ids
  }
}

resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = data.aws_subnets.private.ids
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = 50
  }
}
