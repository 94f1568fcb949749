# What does a service run? Only the lookup, for a team that runs its services some other way and
# wants to read the task definition and images a service runs now (a report, a dashboard, another
# stack's input). It creates nothing and changes nothing.

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

# The provider's region, for the lookup: Terraform's provider settings do not reach an external
# program, and a lookup in another region finds no service. (`id` rather than `name`: see
# terraform-module/task_definition.tf.)
data "aws_region" "current" {}

module "service" {
  source = "../../terraform-module/modules/live_task_lookup"

  cluster = "ecs-drift-example"
  service = "ecs-drift-lookup"
  region  = data.aws_region.current.id
}

# These change when a deploy does, and only then: two plans with no deploy between them both exit 0
# under `terraform plan -detailed-exitcode`, and the first plan after a deploy exits 2 and shows
# the new values. (rollout_state is left out: it changes while a deployment rolls.)
output "found" {
  description = "Whether the service runs a task definition."
  value       = module.service.found
}

output "task_definition_arn" {
  description = "Full ARN of the task definition the service runs."
  value       = module.service.task_definition_arn
}

output "revision" {
  description = "Its revision."
  value       = module.service.revision
}

output "images" {
  description = "Container name to the image it runs."
  value       = module.service.images
}

output "cpu" {
  description = "The task's CPU units, read from the live task definition."
  value       = try(module.service.task_definition.cpu, null)
}
