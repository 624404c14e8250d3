# Stack layer for every environment: two /26 subnets.
subnet_cidrs = ["10.0.0.0/26", "10.0.0.64/26"]
