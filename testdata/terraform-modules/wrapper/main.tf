# A local wrapper module around the vpc and eks registry modules.
module "platform" {
  source = "./modules/platform"

  name          = "orders"
  vpc_cidr      = "10.20.0.0/16"
  instance_type = "m5.large"
  node_max      = 40
}

output "cluster" {
  value = module.platform.cluster_name
}
