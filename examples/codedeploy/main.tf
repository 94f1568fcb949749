# A blue/green service deployed by CodeDeploy (the CODE_DEPLOY deployment controller). The module
# creates the service ignoring task definition and load balancer changes, which only a CodeDeploy
# deployment may make; a Terraform change registers a revision (with the live image) and the module
# outputs its ARN, rendered here into the AppSpec that starts the deployment.

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
  name_prefix = "ecs-drift-codedeploy-"
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

################################################################################
# Load balancer: one listener, two target groups CodeDeploy switches between
################################################################################

resource "aws_lb" "this" {
  name               = "ecs-drift-codedeploy"
  load_balancer_type = "application"
  subnets            = data.aws_subnets.default.ids
  security_groups    = [aws_security_group.this.id]
}

resource "aws_lb_target_group" "blue" {
  name        = "ecs-drift-codedeploy-blue"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.default.id
}

resource "aws_lb_target_group" "green" {
  name        = "ecs-drift-codedeploy-green"
  port        = 80
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.default.id
}

resource "aws_lb_listener" "this" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.blue.arn
  }

  # CodeDeploy moves the listener between blue and green.
  lifecycle {
    ignore_changes = [default_action]
  }
}

################################################################################
# Roles
################################################################################

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
  name_prefix        = "ecs-drift-cd-exec-"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "codedeploy_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["codedeploy.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "codedeploy" {
  name_prefix        = "ecs-drift-cd-"
  assume_role_policy = data.aws_iam_policy_document.codedeploy_assume.json
}

resource "aws_iam_role_policy_attachment" "codedeploy" {
  role       = aws_iam_role.codedeploy.name
  policy_arn = "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS"
}

################################################################################
# The service
################################################################################

module "service" {
  source = "../../terraform-module"

  name    = "ecs-drift-codedeploy"
  cluster = "ecs-drift-example"

  cpu                      = "256"
  memory                   = "512"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  execution_role_arn       = aws_iam_role.execution.arn

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
    },
  ]

  desired_count         = 2
  launch_type           = "FARGATE"
  deployment_controller = "CODE_DEPLOY"

  # Only the first apply sets these; CodeDeploy moves them afterwards. The listener is referenced so
  # the service is created after it (ECS rejects a target group with no load balancer); a depends_on
  # on the module would instead defer its data sources to every apply.
  load_balancers = [
    {
      target_group_arn = aws_lb_listener.this.arn != "" ? aws_lb_target_group.blue.arn : null
      container_name   = "app"
      container_port   = 80
    },
  ]
  health_check_grace_period_seconds = 30

  # What deployer_policy_json scopes its CodeDeploy statements to (the resources below).
  code_deploy_application_name       = "ecs-drift-codedeploy"
  code_deploy_deployment_group_name  = "ecs-drift-codedeploy"
  code_deploy_deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"

  network_configuration = {
    subnets          = data.aws_subnets.default.ids
    security_groups  = [aws_security_group.this.id]
    assign_public_ip = true
  }
}

################################################################################
# CodeDeploy
################################################################################

resource "aws_codedeploy_app" "this" {
  name             = "ecs-drift-codedeploy"
  compute_platform = "ECS"
}

resource "aws_codedeploy_deployment_group" "this" {
  app_name               = aws_codedeploy_app.this.name
  deployment_group_name  = "ecs-drift-codedeploy"
  service_role_arn       = aws_iam_role.codedeploy.arn
  deployment_config_name = "CodeDeployDefault.ECSAllAtOnce"

  deployment_style {
    deployment_option = "WITH_TRAFFIC_CONTROL"
    deployment_type   = "BLUE_GREEN"
  }

  blue_green_deployment_config {
    deployment_ready_option {
      action_on_timeout = "CONTINUE_DEPLOYMENT"
    }

    terminate_blue_instances_on_deployment_success {
      action                           = "TERMINATE"
      termination_wait_time_in_minutes = 5
    }
  }

  auto_rollback_configuration {
    enabled = true
    events  = ["DEPLOYMENT_FAILURE"]
  }

  ecs_service {
    cluster_name = "ecs-drift-example"
    service_name = module.service.service_name
  }

  load_balancer_info {
    target_group_pair_info {
      prod_traffic_route {
        listener_arns = [aws_lb_listener.this.arn]
      }

      target_group {
        name = aws_lb_target_group.blue.name
      }

      target_group {
        name = aws_lb_target_group.green.name
      }
    }
  }
}

################################################################################
# Outputs
################################################################################

# Outputs are compared by every `terraform plan`, so a root output that changes with a deploy (the
# live ARN, whether or why the service moves) makes `plan -detailed-exitcode` report drift after
# every CodeDeploy deployment. These change only when Terraform registers a revision; why it does
# is in the plan that registers it (module.service.terraform_data.revision).
output "registered_task_definition_arn" {
  description = "The revision Terraform registered last: deploy it with CodeDeploy when the service runs another."
  value       = module.service.registered_task_definition_arn
}

output "appspec" {
  description = "The AppSpec (JSON) of a CodeDeploy deployment to registered_task_definition_arn."
  value = jsonencode({
    version = "0.0"
    Resources = [
      {
        TargetService = {
          Type = "AWS::ECS::Service"
          Properties = {
            TaskDefinition = module.service.registered_task_definition_arn
            LoadBalancerInfo = {
              ContainerName = "app"
              ContainerPort = 80
            }
          }
        }
      },
    ]
  })
}

output "deployer_policy_json" {
  description = "The deploy pipeline's policy: register this family's revisions, pass its role to ECS tasks, and deploy them with this CodeDeploy deployment group."
  value       = module.service.deployer_policy_json
}
