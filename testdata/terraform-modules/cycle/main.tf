# A module that calls itself: reported, not followed.
variable "depth" {
  type    = number
  default = 0
}

module "again" {
  source = "./"
  depth  = var.depth + 1
}

module "other" {
  source = "./other"
}
