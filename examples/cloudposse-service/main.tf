# The task definition from ecs-drift, the service from cloudposse/ecs-alb-service-task. CI ships
# the image with its deploy tool; Terraform deploys its own changes with the image CI shipped;
# nothing rolls back. See README.md for what each option of the service module does, with its
# source.
#
# Checked by `terraform fmt` only: the registry module cannot be downloaded in the tests
# (examples/own-service runs the same composition under real Terraform).

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # cloudposse/ecs-alb-service-task 0.78.0 requires 5.85 (versions.tf); ecs-drift 5.51.1.
      version = ">= 5.85"
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

variable "cluster_arn" {
  description = "ARN of the ECS cluster the service runs in."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the service."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets of the service's tasks."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups of the service's tasks."
  type        = list(string)
}

variable "target_group_arn" {
  description = "Target group of the load balancer in front of the `app` container."
  type        = string
}

variable "execution_role_arn" {
  description = "Task execution role (pulls the image, writes the logs)."
  type        = string
}

variable "task_role_arn" {
  description = "Task role (the containers' own AWS permissions)."
  type        = string
}

locals {
  # The lookup finds the service by this name, and cloudposse names the service module.this.id,
  # which is `name` alone when no namespace, tenant, environment, stage or attributes are set.
  # With those set, give module.task_definition that id (cloudposse/label/null) instead.
  name = "web"
}

# Everything but the service: the live lookup, the container definitions with the live image, the
# selector, the task definition and the guard: the root module without its service.
module "task_definition" {
  source = "../../terraform-module"

  # The service is the caller's: the module gives the task definition only.
  create_service = false

  name    = local.name
  cluster = var.cluster_arn

  cpu                      = "256"
  memory                   = "512"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = var.task_role_arn

  # The image used on the first apply; the pipeline ships the next ones.
  bootstrap_container_image = "public.ecr.aws/nginx/nginx:stable"

  container_definitions = [
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80 }]
      environment  = { LOG_LEVEL = "info" }
    },
  ]

  # The pipeline is `ecs deploy` with its defaults: its wait reads the cluster's tasks, and it
  # deregisters the revision it replaced (the repository README, "IAM").
  deployer_policy_add = ["deregister", "task_reads"]
}

module "service" {
  source  = "cloudposse/ecs-alb-service-task/aws"
  version = "0.78.0"

  name            = local.name
  ecs_cluster_arn = var.cluster_arn
  vpc_id          = var.vpc_id

  # The task definition is ecs-drift's: the service runs the ARN it selects (the live revision when
  # nothing changed, the new one when something did). A one-element list: the ARN of a new revision
  # is known only during the apply, which the list form allows. This module then registers no task
  # definition, and container_definition_json (required) is not read.
  task_definition           = [module.task_definition.task_definition_arn]
  container_definition_json = "[]"

  # Must be false: the default, true, ignores task_definition, so every new revision would be
  # registered and never deployed (README.md).
  ignore_changes_task_definition = false

  # The service is autoscaled: the count is the autoscaler's after the service is created.
  desired_count                = 2
  ignore_changes_desired_count = true

  # The roles are the task definition's; given here, the module creates none of its own.
  task_exec_role_arn = [var.execution_role_arn]
  task_role_arn      = [var.task_role_arn]

  launch_type            = "FARGATE"
  network_mode           = "awsvpc"
  subnet_ids             = var.subnet_ids
  security_group_enabled = false
  security_group_ids     = var.security_group_ids

  ecs_load_balancers = [
    {
      target_group_arn = var.target_group_arn
      container_name   = "app"
      container_port   = 80
    },
  ]
}

# The autoscaling this module does not make: the count follows CPU between 2 and 10 tasks.
resource "aws_appautoscaling_target" "service" {
  service_namespace  = "ecs"
  scalable_dimension = "ecs:service:DesiredCount"
  resource_id        = "service/${element(split("/", var.cluster_arn), 1)}/${module.service.service_name}"
  min_capacity       = 2
  max_capacity       = 10
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "${local.name}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.service.service_namespace
  scalable_dimension = aws_appautoscaling_target.service.scalable_dimension
  resource_id        = aws_appautoscaling_target.service.resource_id

  target_tracking_scaling_policy_configuration {
    target_value = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# Outputs that change only when Terraform changes something: a plan after a CI deploy exits 0.
output "service_name" {
  description = "The service."
  value       = module.service.service_name
}

output "deployer_policy_json" {
  description = "The IAM policy for the deploy pipeline."
  value       = module.task_definition.deployer_policy_json
}
