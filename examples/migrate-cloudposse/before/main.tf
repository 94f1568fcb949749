# Before: a Fargate service run by cloudposse/ecs-alb-service-task, with its defaults. The
# module registers the task definition from container_definition_json, creates the task role, the
# task execution role (with its inline policy) and a security group, and runs its own revision as
# family:revision, ignoring task_definition afterwards. MIGRATING.md moves it to ../after without
# replacing the service.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # cloudposse/ecs-alb-service-task 0.78.0 requires 5.85 (versions.tf).
      version = ">= 5.85"
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

module "service" {
  source  = "cloudposse/ecs-alb-service-task/aws"
  version = "0.78.0"

  name            = "ecs-drift-web"
  ecs_cluster_arn = data.aws_ecs_cluster.this.arn
  vpc_id          = data.aws_vpc.default.id
  subnet_ids      = data.aws_subnets.default.ids

  container_definition_json = jsonencode([
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80, protocol = "tcp" }]
      environment  = [{ name = "LOG_LEVEL", value = "info" }]
    },
  ])
}
