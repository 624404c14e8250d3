# A registry module: not downloaded, so the unit is not checked (a note says so).
terraform {
  source = "tfr:///terraform-aws-modules/eks/aws?version=20.8.0"
}

inputs = {
  cluster_name = "shop-stage"
}
