# Production: /21 node subnets (10.68.192.0/21, 10.68.200.0/21, 10.68.208.0/21) and more nodes.
subnet_newbits = 5
subnet_base    = 24
max_nodes      = 120
