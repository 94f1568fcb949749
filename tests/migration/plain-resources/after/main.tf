# After: the same service through the module; the security group and the role stay as they were.

resource "aws_security_group" "web" {
  name_prefix = "web-"
  vpc_id      = data.aws_vpc.default.id
}

resource "aws_iam_role" "execution" {
  name = "web-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

module "web" {
  source = "../terraform-module"

  name    = "web"
  cluster = "prod"

  cpu                      = "256"
  memory                   = "512"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.execution.arn

  container_definitions = [
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80 }]
      environment  = { LOG_LEVEL = "info" }
    },
  ]

  desired_count = 1
  launch_type   = "FARGATE"
  network_configuration = {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.web.id]
    assign_public_ip = true
  }

  # The service had no circuit breaker; the module's default would turn it on (in place).
  deployment_circuit_breaker = null
}
