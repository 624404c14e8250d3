module "cluster" {
  source   = "../../modules/cluster"
  max_size = 80
}
