# A first plan: the subnets are created by this plan, so their zones are known (written in
# the files), but the VPC's CIDR comes from a data source the plan reads only at apply time
# (it depends on a resource not created yet): it stays unknown, "known after apply".
resource "aws_vpc_ipam_pool" "main" {
  address_family = "ipv4"
}

data "aws_vpc_ipam_pool_cidrs" "main" {
  ipam_pool_id = aws_vpc_ipam_pool.main.id
}

resource "aws_vpc" "main" {
  cidr_block = data.aws_vpc_ipam_pool_cidrs.main.ipam_pool_cidrs[0].cidr
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 4, count.index)
}

resource "aws_eks_cluster" "main" {
  name     = "ipam"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.private[*].id
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name  = aws_eks_cluster.main.name
  node_role_arn = "arn:aws:iam::111122223333:role/node"
  subnet_ids    = aws_subnet.private[*].id
  instance_types = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 30
    desired_size = 1
  }
}
