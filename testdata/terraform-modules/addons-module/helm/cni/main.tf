resource "helm_release" "vpc_cni" {
  name       = "aws-vpc-cni"
  repository = "https://aws.github.io/eks-charts"
  chart      = "aws-vpc-cni"
  namespace  = "kube-system"

  values = [yamlencode({
    env = {
      WARM_IP_TARGET    = "2"
      MINIMUM_IP_TARGET = "20"
    }
  })]
}
