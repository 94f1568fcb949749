# A Fargate service of the user's own (a plain aws_ecs_service) running the task definition of
# ecs-drift's module with create_service = false. The service takes `task_definition_arn`: the live revision
# when nothing but the image drifted, so a CI deploy leaves the plan clean, and the new revision,
# with the live image, when Terraform changes something.

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
  name_prefix = "ecs-drift-own-service-"
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
  name              = "/ecs/ecs-drift-own-service"
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
  name_prefix        = "ecs-drift-own-service-exec-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

module "task_definition" {
  source = "../../terraform-module"

  # The service is the caller's: the module gives the task definition only.
  create_service = false

  # The service's name: the lookup asks ECS what this service runs. Also the family.
  name    = "ecs-drift-own-service"
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
          awslogs-group         = "/ecs/ecs-drift-own-service"
          awslogs-region        = "eu-west-1"
          awslogs-stream-prefix = "app"
        }
      }
    },
  ]

  # false while the service does not exist yet: the first apply registers the bootstrap images.
  # After it, set true, and a plan whose lookup finds no service stops instead.
  require_live_service = false

  # The pipeline is `ecs deploy` with its defaults: its wait reads the cluster's tasks, and it
  # deregisters the revision it replaced (the repository README, "IAM").
  deployer_policy_add = ["deregister", "task_reads"]
}

# The service, as any team writes it. Two things matter:
# - task_definition is the module's output, never ignored: ignore_changes = [task_definition]
#   would keep Terraform's own changes from ever deploying;
# - its name is the one the module's lookup asks for.
resource "aws_ecs_service" "this" {
  name            = "ecs-drift-own-service"
  cluster         = "ecs-drift-example"
  task_definition = module.task_definition.task_definition_arn
  desired_count   = 1
  launch_type     = "FARGATE"

  network_configuration {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = true
  }
}

# Outputs are compared by every `terraform plan`, so a root output that changes with a CI deploy
# (the live ARN, the images, whether or why the service moves) makes `plan -detailed-exitcode`
# report drift after every deploy. These change only when Terraform changes something; why the
# service moves is in the plan that moves it (module.task_definition.terraform_data.revision).
output "service_arn" {
  description = "The service."
  value       = aws_ecs_service.this.id
}

output "registered_task_definition_arn" {
  description = "The revision Terraform registered last (the pipeline's revisions follow it)."
  value       = module.task_definition.registered_task_definition_arn
}

output "deployer_policy_json" {
  description = "The IAM policy for the deploy pipeline."
  value       = module.task_definition.deployer_policy_json
}
