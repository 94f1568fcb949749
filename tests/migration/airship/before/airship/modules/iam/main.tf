# Airship's modules/iam for a Fargate service: the task role, the execution role, and the role of
# the live-task-lookup Lambda.

variable "name" { type = string }

locals {
  ecs_tasks_assume = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "ecs_tasks_role" {
  count              = 1
  name               = "${var.name}-task-role"
  assume_role_policy = local.ecs_tasks_assume
}

resource "aws_iam_role" "ecs_task_execution_role" {
  count              = 1
  name               = "${var.name}-ecs-task-execution_role"
  assume_role_policy = local.ecs_tasks_assume
}

resource "aws_iam_role_policy_attachment" "ecs_tasks_execution_role" {
  count      = 1
  role       = aws_iam_role.ecs_task_execution_role[0].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role" "lambda_lookup" {
  count = 1
  name  = "ecs-lambda-lookup-${var.name}"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

output "ecs_tasks_role_arn" {
  value = aws_iam_role.ecs_tasks_role[0].arn
}

output "ecs_task_execution_role_arn" {
  value = aws_iam_role.ecs_task_execution_role[0].arn
}
