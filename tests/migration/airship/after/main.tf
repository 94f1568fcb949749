# After: the same service through the module. The roles and the log group Airship created are
# kept as resources of the root module; Airship's Lambda lookup (its role here) is destroyed.

resource "aws_security_group" "web" {
  name_prefix = "web-"
  vpc_id      = data.aws_vpc.default.id
}

locals {
  ecs_tasks_assume = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "ecs-tasks.amazonaws.com" } }]
  })
}

resource "aws_iam_role" "task" {
  name               = "prod-web-task-role"
  assume_role_policy = local.ecs_tasks_assume
}

resource "aws_iam_role" "execution" {
  name               = "prod-web-ecs-task-execution_role"
  assume_role_policy = local.ecs_tasks_assume
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_cloudwatch_log_group" "web" {
  name              = "prod/web"
  retention_in_days = 14
}

module "web" {
  source = "../terraform-module"

  name    = "web"
  family  = "prod-web" # Airship's family: "<cluster name>-<name>"
  cluster = "prod"     # ecs_cluster_id, as a name or as the ARN Airship was given

  cpu                      = "256" # container_cpu, the task's size on Fargate
  memory                   = "512" # container_memory
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  task_role_arn            = aws_iam_role.task.arn
  execution_role_arn       = aws_iam_role.execution.arn

  bootstrap_container_image = "public.ecr.aws/nginx/nginx:stable"
  container_definitions = [
    {
      name      = "app" # container_name
      image     = "public.ecr.aws/nginx/nginx:stable"
      cpu       = 256 # Airship sets container_cpu and container_memory on the container too
      memory    = 512
      essential = true
      portMappings = [
        { containerPort = 80, hostPort = 80, protocol = "tcp" }, # container_port (host_port = it on awsvpc)
      ]
      environment = { LOG_LEVEL = "info" } # container_envvars
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-region        = "eu-west-1"
          awslogs-group         = aws_cloudwatch_log_group.web.name
          awslogs-stream-prefix = "web"
        }
      }
    },
  ]

  desired_count                      = 1 # capacity_properties_desired_capacity
  launch_type                        = "FARGATE"
  deployment_maximum_percent         = 200
  deployment_minimum_healthy_percent = 100
  deployment_circuit_breaker         = null # Airship set none
  propagate_tags                     = "SERVICE"
  tags                               = { Name = "prod-web" }

  network_configuration = {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.web.id]
    assign_public_ip = true
  }
}
