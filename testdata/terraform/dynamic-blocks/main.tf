# Node groups and auto scaling groups whose blocks come from `dynamic` blocks: with a known
# `for_each` they are checked like written blocks; with an unknown one, what they hold is
# unknown and noted (EKS901), never taken as absent.

variable "pool_sizes" {
  description = "Sizes of the spot pool, given at apply time."
  type        = list(object({ min = number, max = number }))
}

locals {
  general = { min = 2, max = 40 }
}

resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}

resource "aws_subnet" "nodes" {
  count             = 2
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index)
  availability_zone = ["eu-west-1a", "eu-west-1b"][count.index]
}

resource "aws_eks_cluster" "this" {
  name     = "dynamic"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  dynamic "vpc_config" {
    for_each = [aws_subnet.nodes[*].id]
    content {
      subnet_ids = vpc_config.value
    }
  }
}

resource "aws_launch_template" "general" {
  name          = "general"
  instance_type = "m5.2xlarge"
  user_data     = base64encode("#!/bin/bash\n/etc/eks/bootstrap.sh dynamic --use-max-pods false --kubelet-extra-args '--max-pods=58'\n")
}

resource "aws_eks_node_group" "general" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "general"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.nodes[*].id

  dynamic "scaling_config" {
    for_each = { general = local.general }
    iterator = size
    content {
      min_size     = size.value.min
      desired_size = size.value.min
      max_size     = size.value.max
    }
  }

  dynamic "launch_template" {
    for_each = [aws_launch_template.general.name]
    content {
      name    = launch_template.value
      version = "$Latest"
    }
  }
}

resource "aws_eks_node_group" "spot" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "spot"
  node_role_arn   = "arn:aws:iam::123456789012:role/node"
  subnet_ids      = aws_subnet.nodes[*].id
  instance_types  = ["m5.large"]

  dynamic "scaling_config" {
    for_each = var.pool_sizes
    content {
      min_size     = scaling_config.value.min
      desired_size = scaling_config.value.min
      max_size     = scaling_config.value.max
    }
  }
}

resource "aws_launch_template" "workers" {
  name_prefix = "workers-"
  image_id    = "ami-0abcdef1234567890"
}

resource "aws_autoscaling_group" "workers" {
  name                = "workers"
  min_size            = 1
  max_size            = 30
  desired_capacity    = 2
  vpc_zone_identifier = aws_subnet.nodes[*].id

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.workers.id
        version            = "$Latest"
      }
      dynamic "override" {
        for_each = ["c5.4xlarge", "m5.4xlarge"]
        content {
          instance_type = override.value
        }
      }
    }
  }

  dynamic "tag" {
    for_each = { "kubernetes.io/cluster/dynamic" = "owned" }
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}

data "aws_ec2_instance_types" "batch" {
  filter {
    name   = "instance-type"
    values = ["c6i.*"]
  }
}

resource "aws_autoscaling_group" "batch" {
  name                = "batch"
  min_size            = 0
  max_size            = 20
  vpc_zone_identifier = aws_subnet.nodes[*].id

  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.workers.id
      }
      dynamic "override" {
        for_each = data.aws_ec2_instance_types.batch.instance_types
        content {
          instance_type = override.value
        }
      }
    }
  }

  tag {
    key                 = "kubernetes.io/cluster/dynamic"
    value               = "owned"
    propagate_at_launch = true
  }
}
