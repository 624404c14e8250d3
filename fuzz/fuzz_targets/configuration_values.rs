//! Arbitrary `configurationValues` text (JSON or YAML inside a string) of the vpc-cni addon,
//! in both an eksctl ClusterConfig and a Terraform `aws_eks_addon`.
#![no_main]
#[path = "common.rs"]
mod common;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let yaml = format!(
        "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {{name: fuzz, region: us-east-1}}\n\
         vpc: {{cidr: 10.0.0.0/20}}\nmanagedNodeGroups:\n  - {{name: ng, instanceType: m5.8xlarge, maxSize: 40}}\n\
         addons:\n  - name: vpc-cni\n    configurationValues: {}\n",
        common::yaml_string(text)
    );
    let tf = format!(
        "resource \"aws_vpc\" \"v\" {{ cidr_block = \"10.0.0.0/20\" }}\n\
         resource \"aws_subnet\" \"s\" {{\n  vpc_id = aws_vpc.v.id\n  cidr_block = \"10.0.0.0/22\"\n  availability_zone = \"us-east-1a\"\n}}\n\
         resource \"aws_eks_cluster\" \"c\" {{\n  name = \"fuzz\"\n  vpc_config {{ subnet_ids = [aws_subnet.s.id] }}\n}}\n\
         resource \"aws_eks_node_group\" \"ng\" {{\n  cluster_name = aws_eks_cluster.c.name\n  subnet_ids = [aws_subnet.s.id]\n  instance_types = [\"m5.8xlarge\"]\n  scaling_config {{\n    min_size = 1\n    desired_size = 1\n    max_size = 40\n  }}\n}}\n\
         resource \"aws_eks_addon\" \"cni\" {{\n  cluster_name = aws_eks_cluster.c.name\n  addon_name = \"vpc-cni\"\n  configuration_values = {}\n}}\n",
        common::hcl_string(text)
    );
    common::run(&[("cluster.yaml", yaml), ("main.tf", tf)]);
});
