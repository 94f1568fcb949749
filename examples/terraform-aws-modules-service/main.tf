# The task definition from ecs-drift, the service from terraform-aws-modules/ecs `modules/service`.
# CI ships the image with its deploy tool; Terraform deploys its own changes with the image CI
# shipped; nothing rolls back. See README.md for what each option of the service module does, with
# its source.
#
# Checked by `terraform fmt` only: the registry module cannot be downloaded in the tests
# (examples/own-service runs the same composition under real Terraform).

terraform {
  # terraform-aws-modules/ecs 7.5.0 requires Terraform 1.5.7 and the AWS provider 6.34
  # (modules/service/versions.tf); ecs-drift's task definition needs 1.4 and 5.51.1.
  required_version = ">= 1.5.7"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.34"
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

locals {
  # The lookup finds the service by this name: both modules must be given the same one.
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
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "7.5.0"

  name        = local.name
  cluster_arn = var.cluster_arn

  # The task definition is ecs-drift's: the service runs the ARN it selects (the live revision when
  # nothing changed, the new one when something did), and this module creates no task definition,
  # no task role and no task execution role.
  create_task_definition = false
  task_definition_arn    = module.task_definition.task_definition_arn

  # Must stay false: true ignores task_definition, so a Terraform-side change would register a
  # revision and never deploy it (README.md).
  ignore_task_definition_changes = false

  launch_type           = "FARGATE"
  network_mode          = "awsvpc"
  subnet_ids            = var.subnet_ids
  create_security_group = false
  security_group_ids    = var.security_group_ids

  load_balancer = {
    app = {
      target_group_arn = var.target_group_arn
      container_name   = "app"
      container_port   = 80
    }
  }

  # desired_count is set when the service is created and ignored afterwards; the autoscaler owns
  # the count (README.md).
  desired_count            = 2
  enable_autoscaling       = true
  autoscaling_min_capacity = 2
  autoscaling_max_capacity = 10
}

# Outputs that change only when Terraform changes something: a plan after a CI deploy exits 0.
output "service_name" {
  description = "The service."
  value       = module.service.name
}

output "deployer_policy_json" {
  description = "The IAM policy for the deploy pipeline."
  value       = module.task_definition.deployer_policy_json
}
