# Two remote modules that are not downloaded, beside a cluster. module.data_addons'
# inputs name Karpenter (`enable_karpenter_resources`, NodePool YAML in
# `karpenter_resources_helm_config`): compute it may define is unchecked, so one EKS901 note and
# the cluster is partly checked. module.bucket's inputs name no compute: no note.
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.0.0/20"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "10.0.16.0/20"
  availability_zone = "eu-west-1b"
}
resource "aws_eks_cluster" "c" {
  name     = "demo"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
  }
}
resource "aws_eks_node_group" "ng" {
  cluster_name    = aws_eks_cluster.c.name
  node_group_name = "ng"
  node_role_arn   = "arn:aws:iam::111122223333:role/node"
  subnet_ids      = [aws_subnet.a.id, aws_subnet.b.id]
  instance_types  = ["m5.large"]
  scaling_config {
    min_size     = 1
    max_size     = 3
    desired_size = 1
  }
}
module "data_addons" {
  source  = "aws-ia/eks-data-addons/aws"
  version = "1.37.1"
  oidc_provider_arn          = "arn:aws:iam::111122223333:oidc-provider/x"
  enable_karpenter_resources = true
  karpenter_resources_helm_config = {
    big = {
      values = [<<-EOT
        name: big
        clusterName: ${aws_eks_cluster.c.name}
        nodePool:
          requirements:
            - key: karpenter.k8s.aws/instance-cpu
              operator: In
              values: ["4"]
          limits:
            cpu: 4000
      EOT
      ]
    }
  }
}
module "bucket" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.1.0"
  bucket  = "logs"
}
