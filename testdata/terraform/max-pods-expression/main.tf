# nodeadm's maxPodsExpression in launch-template user data of a self-managed group (AL2023:
# nodeadm decides max pods). The expression reserves one ENI, as custom networking needs:
# c5.xlarge (4 ENIs x 15 IPv4): ((4 - 1) x (15 - 1)) + 2 = 44 max pods, not the standard
# 4 x 14 + 2 = 58. At 44 pods with WARM_ENI_TARGET=1 a node holds ceil(44 / 14) = 4 ENIs
# (capped by max(ceil(44 / 14), ...) = 4) = 60 addresses; one pod: 2 ENIs = 30. Two /24s
# (251 usable each) hold 2 x floor(251 / 30) = 16 nodes at one pod: 20 nodes is EKS101.
resource "aws_vpc" "main" {
  cidr_block = "10.61.0.0/16"
}

resource "aws_subnet" "nodes" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_eks_cluster" "this" {
  name     = "expression"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.nodes[*].id
  }
}

resource "aws_launch_template" "al2023" {
  name_prefix   = "expression-"
  image_id      = "ami-0abcdef1234567890"
  instance_type = "c5.xlarge"
  user_data = base64encode(<<-EOT
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="BOUNDARY"

    --BOUNDARY
    Content-Type: application/node.eks.aws

    apiVersion: node.eks.aws/v1alpha1
    kind: NodeConfig
    spec:
      cluster:
        name: expression
      kubelet:
        maxPodsExpression: "((default_enis - 1) * (ips_per_eni - 1)) + 2"

    --BOUNDARY--
  EOT
  )
}

resource "aws_autoscaling_group" "workers" {
  name                = "expression-workers"
  min_size            = 1
  max_size            = 20
  vpc_zone_identifier = aws_subnet.nodes[*].id
  launch_template {
    id      = aws_launch_template.al2023.id
    version = "$Latest"
  }
  tag {
    key                 = "kubernetes.io/cluster/expression"
    value               = "owned"
    propagate_at_launch = true
  }
}
