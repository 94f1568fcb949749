# An EC2 service in bridge network mode: dynamic host ports (hostPort 0), a host bind-mount volume,
# a task role and a task placement constraint. The task-level fields go to the task definition and
# to the comparison with the live one alike, so a change to any of them is deployed and named.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.51.1"
    }
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3, < 3.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

# The role the app's code runs as (no permissions attached here).
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task" {
  name_prefix        = "ecs-drift-ec2-task-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

module "service" {
  source = "../../terraform-module"

  name    = "ecs-drift-ec2-bridge"
  cluster = "ecs-drift-ec2"

  cpu                      = "256"
  memory                   = "512"
  network_mode             = "bridge"
  requires_compatibilities = ["EC2"]
  task_role_arn            = aws_iam_role.task.arn

  volumes = [
    {
      name = "cache"
      host = {
        sourcePath = "/var/cache/ecs-drift"
      }
    },
  ]

  task_placement_constraints = [
    {
      type       = "memberOf"
      expression = "attribute:ecs.os-type == linux"
    },
  ]

  container_definitions = [
    {
      name              = "app"
      image             = "public.ecr.aws/nginx/nginx:stable"
      essential         = true
      memoryReservation = 128
      portMappings = [
        {
          containerPort = 80
          hostPort      = 0
        },
      ]
      mountPoints = [
        {
          sourceVolume  = "cache"
          containerPath = "/var/cache/nginx"
        },
      ]
      healthCheck = {
        command = ["CMD-SHELL", "curl -fs http://localhost/ || exit 1"]
      }
    },
  ]

  desired_count = 2
  launch_type   = "EC2"

  # Bridge mode: no network_configuration, no circuit breaker change from the default.
  network_configuration = null

  # The pipeline is `ecs deploy` with its defaults: its wait reads the cluster's tasks, and it
  # deregisters the revision it replaced (the repository README, "IAM").
  deployer_policy_add = ["deregister", "task_reads"]
}

# Outputs are compared by every `terraform plan`, so a root output that changes with a CI deploy
# (the live ARN, the images, whether or why the service moves) makes `plan -detailed-exitcode`
# report drift after every deploy. These change only when Terraform changes something; why the
# service moves is in the plan that moves it (module.service.terraform_data.revision).
output "service_arn" {
  description = "The service."
  value       = module.service.service_arn
}

output "registered_task_definition_arn" {
  description = "The revision Terraform registered last."
  value       = module.service.registered_task_definition_arn
}

output "deployer_policy_json" {
  description = "The IAM policy for the deploy pipeline: it may pass only the task role, only to ECS tasks."
  value       = module.service.deployer_policy_json
}
