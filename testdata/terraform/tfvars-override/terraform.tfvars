cluster_name = "from-tfvars"
max_nodes    = 30
node_subnets = ["10.1.0.0/26", "10.1.0.64/26"]
