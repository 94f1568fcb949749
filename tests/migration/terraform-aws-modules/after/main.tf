# After: the same service through the module. The roles, the policy, the security group and the
# log group the old module created are kept as resources of the root module.

locals {
  ecs_tasks_assume = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "task_exec" {
  name_prefix        = "web-"
  assume_role_policy = local.ecs_tasks_assume
}

resource "aws_iam_policy" "task_exec" {
  name_prefix = "web-"
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
  role       = aws_iam_role.task_exec.name
  policy_arn = aws_iam_policy.task_exec.arn
}

resource "aws_iam_role" "tasks" {
  name_prefix        = "web-"
  assume_role_policy = local.ecs_tasks_assume
}

resource "aws_security_group" "web" {
  name_prefix = "web-"
  vpc_id      = data.aws_vpc.default.id

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/aws/ecs/web/app"
  retention_in_days = 14
}

module "web" {
  source = "../terraform-module"

  name    = "web"
  cluster = "prod" # cluster_arn: a name or the ARN, the service is not replaced either way

  # The old module's task size and platform defaults.
  cpu                      = "1024"
  memory                   = "2048"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  runtime_platform         = { operating_system_family = "LINUX", cpu_architecture = "X86_64" }
  execution_role_arn       = aws_iam_role.task_exec.arn
  task_role_arn            = aws_iam_role.tasks.arn

  # container_definitions' entries, with the defaults its container-definition submodule adds.
  container_definitions = [
    {
      name                   = "app"
      image                  = "public.ecr.aws/nginx/nginx:stable"
      essential              = true
      portMappings           = [{ name = "app", containerPort = 80, protocol = "tcp" }]
      environment            = { LOG_LEVEL = "info" }
      readonlyRootFilesystem = true
      startTimeout           = 30
      stopTimeout            = 120
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-region        = "eu-west-1"
          awslogs-group         = aws_cloudwatch_log_group.app.name
          awslogs-stream-prefix = "ecs"
        }
      }
    },
  ]

  desired_count                      = 1
  launch_type                        = "FARGATE"
  deployment_maximum_percent         = 200
  deployment_minimum_healthy_percent = 66
  deployment_circuit_breaker         = null # the old module set none

  network_configuration = {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.web.id]
    assign_public_ip = false
  }
}
