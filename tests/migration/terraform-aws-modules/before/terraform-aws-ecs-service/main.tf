# The state terraform-aws-modules/ecs's modules/service (v5.12.1) leaves for a Fargate service
# with ignore_task_definition_changes = true and enable_autoscaling = false: the same resource
# addresses, and the values that module sets by default (modules/service/main.tf,
# modules/container-definition/main.tf). Written from that module's documented resources, since
# registry modules cannot be downloaded here; the IAM policy documents are trimmed to the actions
# that matter to ECS.

variable "name" { type = string }
variable "cluster_arn" { type = string }
variable "subnet_ids" { type = list(string) }
variable "vpc_id" { type = string }
variable "ignore_task_definition_changes" { type = bool }
variable "enable_autoscaling" { type = bool }
variable "container_definitions" { type = any }

data "aws_region" "current" {}

module "container_definition" {
  source   = "./modules/container-definition"
  for_each = var.container_definitions

  service       = var.name
  name          = each.key
  image         = each.value.image
  port_mappings = each.value.port_mappings
  environment   = each.value.environment
  region        = data.aws_region.current.name
}

locals {
  ecs_tasks_assume = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "task_exec" {
  count              = 1
  name_prefix        = "${var.name}-"
  assume_role_policy = local.ecs_tasks_assume
}

resource "aws_iam_policy" "task_exec" {
  count       = 1
  name_prefix = "${var.name}-"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:CreateLogStream", "logs:PutLogEvents", "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "task_exec" {
  count      = 1
  role       = aws_iam_role.task_exec[0].name
  policy_arn = aws_iam_policy.task_exec[0].arn
}

resource "aws_iam_role" "tasks" {
  count              = 1
  name_prefix        = "${var.name}-"
  assume_role_policy = local.ecs_tasks_assume
}

resource "aws_security_group" "this" {
  count       = 1
  name_prefix = "${var.name}-"
  vpc_id      = var.vpc_id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_ecs_task_definition" "this" {
  count = 1

  family                   = var.name
  container_definitions    = jsonencode([for name, definition in module.container_definition : definition.container_definition])
  cpu                      = 1024
  memory                   = 2048
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.task_exec[0].arn
  task_role_arn            = aws_iam_role.tasks[0].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  lifecycle {
    create_before_destroy = true
  }
}

# The module runs the later of its own revision and the family's latest, as family:revision.
data "aws_ecs_task_definition" "this" {
  count           = 1
  task_definition = aws_ecs_task_definition.this[0].family
}

locals {
  task_definition = "${aws_ecs_task_definition.this[0].family}:${max(aws_ecs_task_definition.this[0].revision, data.aws_ecs_task_definition.this[0].revision)}"
}

resource "aws_ecs_service" "ignore_task_definition" {
  count = var.ignore_task_definition_changes ? 1 : 0

  name                               = var.name
  cluster                            = var.cluster_arn
  task_definition                    = local.task_definition
  desired_count                      = 1
  launch_type                        = "FARGATE"
  scheduling_strategy                = "REPLICA"
  deployment_maximum_percent         = 200
  deployment_minimum_healthy_percent = 66
  force_new_deployment               = true

  network_configuration {
    subnets          = var.subnet_ids
    security_groups  = [aws_security_group.this[0].id]
    assign_public_ip = false
  }

  lifecycle {
    ignore_changes = [desired_count, task_definition, load_balancer]
  }
}
