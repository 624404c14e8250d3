# TS_ENV=dev: 2 nodes fit at one pod per node. An m5.xlarge node with one pod holds 2 ENIs x
# 15 = 30 addresses; a /26 has 59 usable, so 1 node per subnet, 2 in both (no EKS101). At the
# 58 pods EKS allows an m5.xlarge a node holds 4 ENIs x 15 = 60 addresses, more than a /26
# has: expected EKS102.
env      = "dev"
max_size = 2
