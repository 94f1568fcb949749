# Airship's modules/ecs_service (1.0.0): one aws_ecs_service.this, counted; the cluster as given
# (here an ARN), the task definition as "family:revision", desired_count ignored.

variable "name" { type = string }
variable "cluster_id" { type = string }
variable "selected_task_definition" { type = string }
variable "desired_capacity" { type = number }
variable "subnets" { type = list(string) }
variable "security_groups" { type = list(string) }
variable "assign_public_ip" { type = bool }
variable "tags" { type = map(string) }

resource "aws_ecs_service" "this" {
  count = 1

  name                               = var.name
  cluster                            = var.cluster_id
  task_definition                    = var.selected_task_definition
  desired_count                      = var.desired_capacity
  launch_type                        = "FARGATE"
  scheduling_strategy                = "REPLICA"
  deployment_maximum_percent         = 200
  deployment_minimum_healthy_percent = 100
  propagate_tags                     = "SERVICE"
  tags                               = var.tags

  deployment_controller {
    type = "ECS"
  }

  network_configuration {
    subnets          = var.subnets
    security_groups  = var.security_groups
    assign_public_ip = var.assign_public_ip
  }

  lifecycle {
    ignore_changes = [desired_count]
  }
}
