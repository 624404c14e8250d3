# Production: /20 node subnets (10.68.192.0/20, 10.68.208.0/20, 10.68.224.0/20).
subnet_newbits = 4
subnet_base    = 12
