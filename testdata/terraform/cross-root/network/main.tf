# The network root: it creates the subnets and hands their ids to the cluster roots.
#
# aws_subnet.private: two /24s (251 usable each), tagged Tier = private.
# aws_subnet.small:   two /26s (64 - 5 reserved = 59 usable each), tagged Tier = small.

resource "aws_vpc" "main" {
  cidr_block = "10.30.0.0/16"
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["us-west-2a", "us-west-2b"][count.index]
  tags = {
    Tier = "private"
  }
}

resource "aws_subnet" "small" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 10, 40 + count.index)
  availability_zone = ["us-west-2a", "us-west-2b"][count.index]
  tags = {
    Tier = "small"
  }
}

resource "aws_ssm_parameter" "private_subnets" {
  name  = "/network/private-subnet-ids"
  type  = "StringList"
  value = jsonencode(aws_subnet.private[*].id)
}

resource "aws_ssm_parameter" "small_subnets" {
  name  = "/network/small-subnet-ids"
  type  = "StringList"
  value = join(",", aws_subnet.small[*].id)
}
