# TS_ENV=prod: expected EKS101, 20 nodes where 2 fit (see dev.tfvars for the figures).
env      = "prod"
max_size = 20
