# The state the Airship ECS service module (blinkist/terraform-aws-airship-ecs-service, release
# 1.0.0) leaves for a Fargate service without a load balancer: the same resource addresses, and
# the attribute values its submodules set (root main.tf; modules/iam, ecs_task_definition,
# ecs_service, ecs_container_definition). Written from that module's documented resources, since
# the module itself needs its Lambda, which the emulator cannot run: live_task_lookup's
# aws_lambda_function and aws_lambda_invocation are left out, their IAM role is kept.

variable "name" { type = string }
variable "ecs_cluster_id" { type = string }
variable "region" { type = string }
variable "fargate_enabled" { type = bool }
variable "awsvpc_enabled" { type = bool }
variable "awsvpc_subnets" { type = list(string) }
variable "awsvpc_security_group_ids" { type = list(string) }
variable "assign_public_ip" { type = bool }
variable "bootstrap_container_image" { type = string }
variable "container_cpu" { type = number }
variable "container_memory" { type = number }
variable "container_port" { type = number }
variable "container_envvars" { type = map(string) }
variable "capacity_properties_desired_capacity" { type = number }

locals {
  cluster_name = basename(var.ecs_cluster_id)
  tags         = { Name = "${local.cluster_name}-${var.name}" }
}

resource "aws_cloudwatch_log_group" "app" {
  count             = 1
  name              = "${local.cluster_name}/${var.name}"
  retention_in_days = 14
}

module "iam" {
  source = "./modules/iam"
  name   = "${local.cluster_name}-${var.name}"
}

module "ecs_task_definition" {
  source = "./modules/ecs_task_definition"

  family             = "${local.cluster_name}-${var.name}"
  cpu                = var.container_cpu
  memory             = var.container_memory
  task_role_arn      = module.iam.ecs_tasks_role_arn
  execution_role_arn = module.iam.ecs_task_execution_role_arn
  tags               = local.tags
  container_definitions = jsonencode([
    {
      name      = "app"
      image     = var.bootstrap_container_image
      cpu       = var.container_cpu
      memory    = var.container_memory
      essential = true
      portMappings = [
        { containerPort = var.container_port, hostPort = var.container_port, protocol = "tcp" },
      ]
      environment = [for key in sort(keys(var.container_envvars)) : { name = key, value = var.container_envvars[key] }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-region        = var.region
          awslogs-group         = aws_cloudwatch_log_group.app[0].name
          awslogs-stream-prefix = var.name
        }
      }
    },
  ])
}

module "ecs_service" {
  source = "./modules/ecs_service"

  name                     = var.name
  cluster_id               = var.ecs_cluster_id
  selected_task_definition = module.ecs_task_definition.family_and_revision
  desired_capacity         = var.capacity_properties_desired_capacity
  subnets                  = var.awsvpc_subnets
  security_groups          = var.awsvpc_security_group_ids
  assign_public_ip         = var.assign_public_ip
  tags                     = local.tags
}
