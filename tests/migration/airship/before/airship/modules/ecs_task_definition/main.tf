# Airship's modules/ecs_task_definition: aws_ecs_task_definition.app, counted, family
# "<cluster name>-<name>", create_before_destroy (1.0.0).

variable "family" { type = string }
variable "cpu" { type = number }
variable "memory" { type = number }
variable "task_role_arn" { type = string }
variable "execution_role_arn" { type = string }
variable "container_definitions" { type = string }
variable "tags" { type = map(string) }

resource "aws_ecs_task_definition" "app" {
  count = 1

  family                   = var.family
  container_definitions    = var.container_definitions
  cpu                      = var.cpu
  memory                   = var.memory
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  task_role_arn            = var.task_role_arn
  execution_role_arn       = var.execution_role_arn
  tags                     = var.tags

  lifecycle {
    create_before_destroy = true
  }
}

# Airship's selector passes the service "family:revision", not an ARN.
output "family_and_revision" {
  value = "${aws_ecs_task_definition.app[0].family}:${aws_ecs_task_definition.app[0].revision}"
}
