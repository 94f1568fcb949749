# After: the same cloudposse/ecs-alb-service-task still runs the service and keeps its roles and
# security group; ecs-drift gives the task definition (`task_definition`). migration.tf moves the
# service to the module's resource that deploys task_definition, and forgets the module's own
# task definition (MIGRATING.md).

terraform {
  required_version = ">= 1.7" # removed blocks (migration.tf); ecs-drift needs 1.5

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # cloudposse/ecs-alb-service-task 0.78.0 requires 5.85 (versions.tf); ecs-drift 5.37.
      version = ">= 5.85"
    }
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_ecs_cluster" "this" {
  cluster_name = "ecs-drift-example"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

locals {
  # The lookup finds the service by this name, and cloudposse names the service module.this.id,
  # which is `name` alone when no namespace, tenant, environment, stage or attributes are set.
  # With those set, give module.task_definition that id (cloudposse/label/null) instead. The id
  # is also the family the module registered.
  name = "ecs-drift-web"
}

# The task definition: the live lookup, the container definitions with the live image, the
# selector and the guard. The service, its roles and its security group are the service
# module's.
module "task_definition" {
  source = "../../../terraform-module"

  create_service = false

  name    = local.name
  cluster = data.aws_ecs_cluster.this.arn

  # The service module's defaults (variables.tf: task_cpu, task_memory, network_mode,
  # launch_type) and its roles.
  cpu                      = "256"
  memory                   = "512"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = module.service.task_exec_role_arn
  task_role_arn            = module.service.task_role_arn

  # What container_definition_json held, as HCL objects.
  container_definitions = [
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80, protocol = "tcp" }]
      environment  = [{ name = "LOG_LEVEL", value = "info" }]
    },
  ]
}

module "service" {
  source  = "cloudposse/ecs-alb-service-task/aws"
  version = "0.78.0"

  name            = local.name
  ecs_cluster_arn = data.aws_ecs_cluster.this.arn
  vpc_id          = data.aws_vpc.default.id
  subnet_ids      = data.aws_subnets.default.ids

  # The task definition is ecs-drift's: the service runs the ARN it selects (the live revision
  # when nothing changed, the new one, with the live image, when something did). A one-element
  # list: the ARN of a new revision is known only during the apply, which the list form allows.
  # The module then registers no task definition, and container_definition_json (required) is
  # not read. Its roles do not depend on it: the module keeps them.
  task_definition           = [module.task_definition.task_definition_arn]
  container_definition_json = "[]"

  # Must be false: the default, true, ignores task_definition, so every new revision would be
  # registered and never deployed. The service moves to the module's resource that deploys it
  # (migration.tf).
  ignore_changes_task_definition = false
}
