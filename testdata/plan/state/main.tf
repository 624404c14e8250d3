# Subnets carved out of a shared VPC looked up by tag, in zones read from AWS: both data
# sources are known only at plan time. state.json (`terraform show -json` of the state,
# found by the scan: no --plan needed) holds what they read.
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}

data "aws_availability_zones" "available" {}

resource "aws_subnet" "nodes" {
  count             = 2
  vpc_id            = data.aws_vpc.shared.id
  availability_zone = data.aws_availability_zones.available.names[count.index]
  cidr_block        = cidrsubnet(data.aws_vpc.shared.cidr_block, 6, count.index + 8)
}

resource "aws_eks_cluster" "main" {
  name     = "shared-vpc"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.nodes[*].id
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name   = aws_eks_cluster.main.name
  node_role_arn  = "arn:aws:iam::111122223333:role/node"
  subnet_ids     = aws_subnet.nodes[*].id
  instance_types = ["c5.xlarge"]
  scaling_config {
    min_size     = 1
    max_size     = 20
    desired_size = 3
  }
}
