//! Arbitrary `terraform.tfvars` (or `.tfvars.json`, by the first byte) over a fixed module
//! whose subnets, sizes, instance types and CNI settings all come from variables.
#![no_main]
#[path = "common.rs"]
mod common;

const MAIN: &str = r#"
variable "vpc_cidr" { default = "10.0.0.0/16" }
variable "newbits" { default = 6 }
variable "azs" { default = ["us-east-1a", "us-east-1b", "us-east-1c"] }
variable "instance_types" { default = ["m5.large"] }
variable "max_size" { default = 10 }
variable "cni_env" { default = { WARM_ENI_TARGET = "1" } }
variable "groups" { default = { a = { max = 3 } } }
resource "aws_vpc" "this" { cidr_block = var.vpc_cidr }
resource "aws_subnet" "private" {
  count             = length(var.azs)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.vpc_cidr, var.newbits, count.index)
  availability_zone = var.azs[count.index]
}
resource "aws_eks_cluster" "this" {
  name = "fuzz"
  vpc_config { subnet_ids = aws_subnet.private[*].id }
}
resource "aws_eks_node_group" "ng" {
  for_each       = var.groups
  cluster_name   = aws_eks_cluster.this.name
  subnet_ids     = aws_subnet.private[*].id
  instance_types = var.instance_types
  scaling_config {
    min_size     = 1
    desired_size = 1
    max_size     = try(each.value.max, var.max_size)
  }
}
resource "aws_eks_addon" "cni" {
  cluster_name         = aws_eks_cluster.this.name
  addon_name           = "vpc-cni"
  configuration_values = jsonencode({ env = var.cni_env })
}
"#;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((name, text)) = common::select(data, ["terraform.tfvars", "terraform.tfvars.json"])
    {
        common::run(&[("main.tf", MAIN.to_string()), (name, text.to_string())]);
    }
});
