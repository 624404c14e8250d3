# Production: 40 nodes. Expected EKS101 in live/cluster: one /24 holds 251 usable addresses,
# an m5.large node with one pod 2 ENIs x 10 = 20, so 12 nodes fit.
nodes = 40
