# A service with two containers: `app`, whose image a deploy pipeline ships (it follows deployments),
# and an OpenTelemetry collector sidecar whose image Terraform pins. After a deploy Terraform keeps
# the app's live image; changing the sidecar's image in this file deploys it, carrying the app's
# live image along.

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

# The default VPC's subnets, and a security group letting HTTP in.
data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

resource "aws_security_group" "this" {
  name_prefix = "ecs-drift-sidecar-"
  vpc_id      = data.aws_vpc.default.id

  ingress {
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/ecs/ecs-drift-sidecar"
  retention_in_days = 7
}

# The execution role lets ECS pull the image and write the logs.
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name_prefix        = "ecs-drift-sidecar-exec-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

module "service" {
  source = "../../terraform-module"

  name    = "ecs-drift-sidecar"
  cluster = "ecs-drift-example"

  cpu                      = "512"
  memory                   = "1024"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.execution.arn

  # Only `app` follows deployments; `otel` always runs the image written here.
  live_image_containers = ["app"]
  main_container_name   = "app"

  container_definitions = [
    {
      name      = "app"
      image     = "public.ecr.aws/nginx/nginx:stable"
      essential = true
      portMappings = [
        {
          containerPort = 80
        },
      ]
      environment = {
        OTEL_EXPORTER_OTLP_ENDPOINT = "http://localhost:4317"
      }
      dependsOn = [
        {
          containerName = "otel"
          condition     = "START"
        },
      ]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/ecs-drift-sidecar"
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "app"
        }
      }
    },
    {
      name      = "otel"
      image     = "public.ecr.aws/aws-observability/aws-otel-collector:v0.41.1"
      essential = false
      command   = ["--config=/etc/ecs/ecs-default-config.yaml"]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/ecs-drift-sidecar"
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "otel"
        }
      }
    },
  ]

  desired_count = 1
  launch_type   = "FARGATE"

  network_configuration = {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = true
  }

  # The pipeline is `ecs deploy` with its defaults: its wait reads the cluster's tasks, and it
  # deregisters the revision it replaced (the repository README, "IAM").
  deployer_policy_add = ["deregister", "task_reads"]
}

# Outputs are compared by every `terraform plan`, so a root output that changes with a CI deploy
# (the live ARN, the images, whether or why the service moves) makes `plan -detailed-exitcode`
# report drift after every deploy. These change only when Terraform changes something; why the
# service moves is in the plan that moves it (module.service.terraform_data.revision).
output "service_arn" {
  description = "The service."
  value       = module.service.service_arn
}

output "registered_task_definition_arn" {
  description = "The revision Terraform registered last: it carries the otel image Terraform pins."
  value       = module.service.registered_task_definition_arn
}

output "deployer_policy_json" {
  description = "The IAM policy for the deploy pipeline."
  value       = module.service.deployer_policy_json
}
