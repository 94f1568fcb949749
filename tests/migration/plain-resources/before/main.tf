# Before: a service and its task definition as plain resources, the service ignoring
# task_definition so that a deploy pipeline can ship images.

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

resource "aws_ecs_task_definition" "web" {
  family                   = "web"
  cpu                      = "256"
  memory                   = "512"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions = jsonencode([
    {
      name         = "app"
      image        = "public.ecr.aws/nginx/nginx:stable"
      essential    = true
      portMappings = [{ containerPort = 80 }]
      environment  = [{ name = "LOG_LEVEL", value = "info" }]
    },
  ])
}

resource "aws_ecs_service" "web" {
  name            = "web"
  cluster         = "prod"
  task_definition = aws_ecs_task_definition.web.arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.web.id]
    assign_public_ip = true
  }

  lifecycle {
    ignore_changes = [task_definition]
  }
}
