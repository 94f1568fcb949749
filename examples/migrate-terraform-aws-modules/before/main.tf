# Before: a Fargate service run by terraform-aws-modules/ecs `modules/service`, with its
# defaults. The module creates the task definition, the task execution role (with its policy),
# the task role, a log group per container, a security group and the autoscaling, and runs its
# own revision as family:revision. MIGRATING.md moves it to ../after without replacing the
# service or losing a role or a log.

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # terraform-aws-modules/ecs 5.12.1 requires 4.66.1 (modules/service/versions.tf), the
      # configuration after the move 5.37 (ecs-drift).
      version = ">= 5.37"
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
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "5.12.1"

  name        = "ecs-drift-web"
  cluster_arn = data.aws_ecs_cluster.this.arn
  subnet_ids  = data.aws_subnets.default.ids

  container_definitions = {
    app = {
      image         = "public.ecr.aws/nginx/nginx:stable"
      essential     = true
      port_mappings = [{ name = "app", containerPort = 80, protocol = "tcp" }]
      environment   = [{ name = "LOG_LEVEL", value = "info" }]
    }
  }
}
