# After: the same terraform-aws-modules/ecs `modules/service` still runs the service (its security
# group and autoscaling stay in it), with `create_task_definition = false`; ecs-drift gives the
# task definition. The roles, the execution role's policy and attachment and the container's log
# group, which the service module creates only with its task definition, are resources of this
# configuration now: migration.tf moves them here, so nothing is destroyed (MIGRATING.md).

terraform {
  required_version = ">= 1.7" # removed blocks (migration.tf); ecs-drift needs 1.5

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.37"
    }
    external = {
      source  = "hashicorp/external"
      version = ">= 2.3"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

data "aws_ecs_cluster" "this" {
  cluster_name = "ecs-drift-example"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
}

data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  # The service's name: the service module names the service by it, and ecs-drift's lookup asks
  # ECS what this service runs. Also the family, as the service module made it.
  name = "ecs-drift-web"
}

# The task definition: the live lookup, the container definitions with the live image, the
# selector and the guard. The service is the service module's.
module "task_definition" {
  source = "../../../terraform-module"

  create_service = false

  name    = local.name
  cluster = data.aws_ecs_cluster.this.arn

  # The service module's defaults (modules/service/variables.tf).
  cpu                      = "1024"
  memory                   = "2048"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  runtime_platform         = { operating_system_family = "LINUX", cpu_architecture = "X86_64" }
  execution_role_arn       = aws_iam_role.task_exec.arn
  task_role_arn            = aws_iam_role.tasks.arn

  # container_definitions' entry, with what the container-definition submodule adds to it by
  # default (MIGRATING.md lists each with its source line): the live revision has them, so
  # leaving one out would register a revision.
  container_definitions = [
    {
      name                   = "app"
      image                  = "public.ecr.aws/nginx/nginx:stable"
      essential              = true
      portMappings           = [{ name = "app", containerPort = 80, protocol = "tcp" }]
      environment            = [{ name = "LOG_LEVEL", value = "info" }]
      interactive            = false
      linuxParameters        = { initProcessEnabled = false }
      mountPoints            = []
      privileged             = false
      pseudoTerminal         = false
      readonlyRootFilesystem = true
      startTimeout           = 30
      stopTimeout            = 120
      systemControls         = []
      user                   = "0"
      volumesFrom            = []
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-region        = data.aws_region.current.name
          awslogs-group         = aws_cloudwatch_log_group.app.name
          awslogs-stream-prefix = "ecs"
        }
      }
    },
  ]
}

module "service" {
  source  = "terraform-aws-modules/ecs/aws//modules/service"
  version = "5.12.1"

  name        = local.name
  cluster_arn = data.aws_ecs_cluster.this.arn
  subnet_ids  = data.aws_subnets.default.ids

  # The task definition is ecs-drift's: the service runs the ARN it selects (the live revision
  # when nothing changed, the new one, with the live image, when something did). Without its
  # task definition the module creates no task role, no task execution role and no log group.
  # ignore_task_definition_changes stays false (its default): true would keep every new
  # revision from being deployed.
  create_task_definition = false
  task_definition_arn    = module.task_definition.task_definition_arn
}

# What the service module created with its task definition, kept here (migration.tf moves them).
# Each is written as the module wrote it (modules/service/main.tf lines 766-958,
# modules/container-definition/main.tf lines 74-84), so the move changes nothing.

data "aws_iam_policy_document" "task_exec_assume" {
  statement {
    sid     = "ECSTaskExecutionAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "task_exec" {
  name_prefix           = "${local.name}-"
  description           = "Task execution role for ${local.name}"
  assume_role_policy    = data.aws_iam_policy_document.task_exec_assume.json
  force_detach_policies = true
}

data "aws_iam_policy_document" "task_exec" {
  statement {
    sid       = "Logs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["*"]
  }

  statement {
    sid = "ECR"
    actions = [
      "ecr:GetAuthorizationToken",
      "ecr:BatchCheckLayerAvailability",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchGetImage",
    ]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "task_exec" {
  name_prefix = "${local.name}-"
  description = "Task execution role IAM policy"
  policy      = data.aws_iam_policy_document.task_exec.json
}

resource "aws_iam_role_policy_attachment" "task_exec" {
  role       = aws_iam_role.task_exec.name
  policy_arn = aws_iam_policy.task_exec.arn
}

data "aws_iam_policy_document" "tasks_assume" {
  statement {
    sid     = "ECSTasksAssumeRole"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${data.aws_partition.current.partition}:ecs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "tasks" {
  name_prefix           = "${local.name}-"
  assume_role_policy    = data.aws_iam_policy_document.tasks_assume.json
  force_detach_policies = true
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/aws/ecs/${local.name}/app"
  retention_in_days = 14
}
