# kubectl_manifest with yamlencode(), in the root of the cluster (the terraform-aws-eks
# examples/karpenter layout), subnets from the vpc module tagged by private_subnet_tags.
#
# Expected: NodePool `default` allows categories c, m, r of generation > 5 with 2 vCPUs on
# amd64: 48 types of the table. limits.cpu 64 allows floor(64 / 2) = 32 nodes of any of them.
# 25 of them have 3 ENIs x 20 IPv4 (the others x 10): with one pod a node holds 2 ENIs x 20 =
# 40 addresses, and the first of those by name, c8a.large, sizes the pool. Three /24s from
# private_subnet_tags hold 3 x floor(251 / 40) = 18 < 32: EKS101 (and EKS301: 37 of the 40
# idle).
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name            = "kp-tf"
  cidr            = "10.10.0.0/16"
  azs             = ["us-west-2a", "us-west-2b", "us-west-2c"]
  private_subnets = ["10.10.0.0/24", "10.10.1.0/24", "10.10.2.0/24"]
  private_subnet_tags = {
    "karpenter.sh/discovery" = "kp-tf"
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.0"

  cluster_name = "kp-tf"
  vpc_id       = module.vpc.vpc_id
  subnet_ids   = module.vpc.private_subnets
}

resource "kubectl_manifest" "node_class" {
  yaml_body = yamlencode({
    apiVersion = "karpenter.k8s.aws/v1"
    kind       = "EC2NodeClass"
    metadata   = { name = "default" }
    spec = {
      role             = "KarpenterNodeRole-kp-tf"
      amiSelectorTerms = [{ alias = "al2023@latest" }]
      subnetSelectorTerms = [{
        tags = { "karpenter.sh/discovery" = module.eks.cluster_name }
      }]
    }
  })
}

resource "kubectl_manifest" "node_pool" {
  yaml_body = yamlencode({
    apiVersion = "karpenter.sh/v1"
    kind       = "NodePool"
    metadata   = { name = "default" }
    spec = {
      template = {
        spec = {
          nodeClassRef = { group = "karpenter.k8s.aws", kind = "EC2NodeClass", name = "default" }
          requirements = [
            { key = "karpenter.k8s.aws/instance-category", operator = "In", values = ["c", "m", "r"] },
            { key = "karpenter.k8s.aws/instance-cpu", operator = "In", values = ["2"] },
            { key = "karpenter.k8s.aws/instance-generation", operator = "Gt", values = ["5"] },
            { key = "kubernetes.io/arch", operator = "In", values = ["amd64"] },
          ]
        }
      }
      limits = { cpu = 64 }
    }
  })
}
