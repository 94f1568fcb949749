# A production-shaped Fargate service: Application Auto Scaling sets its task count, the provider
# tags everything through default_tags, and the pipeline's deploy tools register revisions without
# those tags. Terraform creates the service with desired_count, then keeps the count ECS reports
# (ignore_changes_desired_count), and after a scaling event or a deploy plans "No changes".

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

  # Every resource the provider creates gets these, task definition revisions included; revisions a
  # deploy tool registers may not.
  default_tags {
    tags = {
      team       = "platform"
      managed-by = "terraform"
    }
  }
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
  name_prefix = "ecs-drift-autoscaled-"
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
  name              = "/ecs/ecs-drift-autoscaled"
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
  name_prefix        = "ecs-drift-autoscaled-exec-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

module "service" {
  source = "../../terraform-module"

  name    = "ecs-drift-autoscaled"
  cluster = "ecs-drift-example"

  cpu                      = "256"
  memory                   = "512"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.execution.arn

  # The image used on the first apply; the pipeline ships the next ones.
  bootstrap_container_image = "public.ecr.aws/nginx/nginx:stable"

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
        LOG_LEVEL = "info"
      }
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = "/ecs/ecs-drift-autoscaled"
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "app"
        }
      }
    },
  ]

  # The count the service starts with; afterwards it is the autoscaler's.
  desired_count                = 2
  ignore_changes_desired_count = true
  launch_type                  = "FARGATE"

  tags = {
    service = "ecs-drift-autoscaled"
  }

  network_configuration = {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = true
  }

  # false while the service does not exist yet: the first apply registers the bootstrap images.
  # After it, set true, and a plan whose lookup finds no service stops instead.
  require_live_service = false

  # The pipeline is `ecs deploy` with its defaults: its wait reads the cluster's tasks, and it
  # deregisters the revision it replaced (the repository README, "IAM").
  deployer_policy_add = ["deregister", "task_reads"]
}

# Application Auto Scaling keeps the service between 1 and 4 tasks, tracking 60 % CPU. It changes
# the service's desired count with UpdateService; the module reads that count on every plan.
resource "aws_appautoscaling_target" "this" {
  service_namespace  = "ecs"
  resource_id        = "service/ecs-drift-example/${module.service.service_name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 1
  max_capacity       = 4
}

resource "aws_appautoscaling_policy" "cpu" {
  name               = "ecs-drift-autoscaled-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this.service_namespace
  resource_id        = aws_appautoscaling_target.this.resource_id
  scalable_dimension = aws_appautoscaling_target.this.scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value = 60

    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
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
  description = "The revision Terraform registered last (the pipeline's revisions follow it)."
  value       = module.service.registered_task_definition_arn
}

output "deployer_policy_json" {
  description = "The IAM policy for the deploy pipeline."
  value       = module.service.deployer_policy_json
}
