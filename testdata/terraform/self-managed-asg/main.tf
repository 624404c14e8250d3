variable "max_pods" {
  type    = number
  default = 29
}

resource "aws_vpc" "main" {
  cidr_block = "10.60.0.0/16"
}

resource "aws_vpc_ipv4_cidr_block_association" "pods" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "100.64.0.0/16"
}

resource "aws_subnet" "nodes" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["ap-south-1a", "ap-south-1b"][count.index]
}

resource "aws_ec2_subnet_cidr_reservation" "prefixes" {
  subnet_id        = aws_subnet.nodes[0].id
  cidr_block       = "10.60.0.128/25"
  reservation_type = "prefix"
}

resource "aws_eks_cluster" "this" {
  name     = "selfmanaged"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = aws_subnet.nodes[*].id
  }
}

resource "aws_launch_template" "al2023" {
  name_prefix = "selfmanaged-"
  image_id    = "ami-0abcdef1234567890"
  user_data = base64encode(templatefile("${path.module}/templates/nodeadm.yaml.tpl", {
    cluster_name = aws_eks_cluster.this.name
    max_pods     = var.max_pods
  }))
}

resource "aws_autoscaling_group" "workers" {
  name                = "selfmanaged-workers"
  min_size            = 1
  max_size            = 12
  desired_capacity    = 2
  vpc_zone_identifier = aws_subnet.nodes[*].id

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.al2023.id
        version            = "$Latest"
      }
      override {
        instance_type = "m6i.large"
      }
      override {
        instance_type = "m5.large"
      }
    }
  }

  tag {
    key                 = "kubernetes.io/cluster/selfmanaged"
    value               = "owned"
    propagate_at_launch = true
  }
}

resource "aws_eks_addon" "vpc_cni" {
  cluster_name         = aws_eks_cluster.this.name
  addon_name           = "vpc-cni"
  configuration_values = <<-JSON
    {
      "env": {
        "ENABLE_PREFIX_DELEGATION": "true",
        "WARM_PREFIX_TARGET": "1"
      }
    }
  JSON
}
