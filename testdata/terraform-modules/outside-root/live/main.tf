# Scanning only `live/`: the shared module is outside the scanned paths.
module "cluster" {
  source = "../shared/cluster"

  name     = "outside"
  max_size = 30
}
