variable "cidr" {
  type = string
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
}

resource "aws_subnet" "private" {
  count             = 2
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 1, count.index)
  availability_zone = ["us-west-2a", "us-west-2b"][count.index]
}

output "subnet_ids" {
  value = aws_subnet.private[*].id
}
