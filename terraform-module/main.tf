################################################################################
# 1. The task definition: the lookup, the containers, the selector, the revision
################################################################################

# Everything but the service, as a module of its own that any service module can take instead
# (modules/task_definition/README.md). Its guards (region, account, require_live_service) fail the
# plan before the service is touched.
module "task_definition" {
  source = "./modules/task_definition"

  name                               = var.name
  family                             = var.family
  cluster                            = var.cluster
  tags                               = var.tags
  container_definitions              = var.container_definitions
  main_container_name                = var.main_container_name
  bootstrap_container_image          = var.bootstrap_container_image
  force_bootstrap_container_image    = var.force_bootstrap_container_image
  live_image_containers              = var.live_image_containers
  cpu                                = var.cpu
  memory                             = var.memory
  network_mode                       = var.network_mode
  requires_compatibilities           = var.requires_compatibilities
  task_role_arn                      = var.task_role_arn
  execution_role_arn                 = var.execution_role_arn
  volumes                            = var.volumes
  runtime_platform                   = var.runtime_platform
  ephemeral_storage_size_in_gib      = var.ephemeral_storage_size_in_gib
  task_placement_constraints         = var.task_placement_constraints
  pid_mode                           = var.pid_mode
  ipc_mode                           = var.ipc_mode
  proxy_configuration                = var.proxy_configuration
  deployment_controller              = var.deployment_controller
  bin_dir                            = var.bin_dir
  aws                                = var.aws
  region                             = var.region
  profile                            = var.profile
  assume_role_arn                    = var.assume_role_arn
  assume_role_external_id            = var.assume_role_external_id
  assume_role_session_name           = var.assume_role_session_name
  endpoint_url                       = var.endpoint_url
  lookup_timeout_seconds             = var.lookup_timeout_seconds
  lookup_max_attempts                = var.lookup_max_attempts
  require_live_service               = var.require_live_service
  show_environment_values            = var.show_environment_values
  code_deploy_application_name       = var.code_deploy_application_name
  code_deploy_deployment_group_name  = var.code_deploy_deployment_group_name
  code_deploy_deployment_config_name = var.code_deploy_deployment_config_name
  deployer_policy_leave_out          = var.deployer_policy_leave_out
}

locals {
  uses_code_deploy = var.deployment_controller == "CODE_DEPLOY"

  # The cluster may be given by name or ARN (arn:...:cluster/NAME).
  cluster_name = element(split("/", var.cluster), length(split("/", var.cluster)) - 1)

  cluster_error_message = "the service runs in cluster %s, but var.cluster is ${var.cluster}: ECS cannot move a service to another cluster, so Terraform would have to delete it and create it again. To do that on purpose, replace it"

  # An autoscaled service keeps the count ECS reports (the autoscaler's): read at plan time, it
  # equals what the refresh read, so the plan shows no change, and the provider sends
  # desired_count to UpdateService only when it changes, so an apply never resets it, not even
  # from a saved plan. desired_count is the count the service is created with.
  desired_count = (var.ignore_changes_desired_count && module.task_definition.live_desired_count != null
    ? module.task_definition.live_desired_count
  : var.desired_count)
}

################################################################################
# 2. The service
################################################################################

# Two resources, one of which exists (count): lifecycle.ignore_changes cannot depend on a variable.
# - `this` (ECS controller): task_definition is managed; it changes only when the selector says so.
# - `codedeploy` (CODE_DEPLOY controller): ECS rejects UpdateService with a new task definition,
#   load balancers, network configuration or platform version on such a service (they are changed by
#   a CodeDeploy deployment; provider #12703), so those are ignored and the module outputs
#   registered_task_definition_arn for the AppSpec instead.
resource "aws_ecs_service" "this" {
  count = local.uses_code_deploy ? 0 : 1

  name                               = var.name
  cluster                            = var.cluster
  task_definition                    = module.task_definition.task_definition_arn
  desired_count                      = local.desired_count
  launch_type                        = length(var.capacity_provider_strategy) > 0 ? null : var.launch_type
  platform_version                   = var.platform_version
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = var.deployment_maximum_percent
  enable_execute_command             = var.enable_execute_command
  wait_for_steady_state              = var.wait_for_steady_state
  propagate_tags                     = var.propagate_tags
  tags                               = var.tags

  deployment_controller {
    type = "ECS"
  }

  dynamic "deployment_circuit_breaker" {
    for_each = var.deployment_circuit_breaker == null ? [] : [var.deployment_circuit_breaker]

    content {
      enable   = deployment_circuit_breaker.value.enable
      rollback = deployment_circuit_breaker.value.rollback
    }
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy

    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  dynamic "network_configuration" {
    for_each = var.network_configuration == null ? [] : [var.network_configuration]

    content {
      subnets          = network_configuration.value.subnets
      security_groups  = network_configuration.value.security_groups
      assign_public_ip = network_configuration.value.assign_public_ip
    }
  }

  dynamic "load_balancer" {
    for_each = var.load_balancers

    content {
      target_group_arn = load_balancer.value.target_group_arn
      elb_name         = load_balancer.value.elb_name
      container_name   = load_balancer.value.container_name
      container_port   = load_balancer.value.container_port
    }
  }

  lifecycle {
    # The cluster is sent as given when the service is created. The provider keeps it in state in
    # the form it was first given, and an import always as an ARN, and replaces the service when
    # the name and the ARN of the same cluster meet (terraform-provider-aws #14428, #41994). So it
    # is ignored afterwards, and the postcondition stops a real change of cluster, which ECS
    # cannot make in place.
    ignore_changes = [cluster]

    precondition {
      condition     = var.network_mode != "awsvpc" || var.network_configuration != null
      error_message = "network_configuration is required with network_mode awsvpc (allowed network modes without it: bridge, host, none)."
    }
    postcondition {
      condition     = local.cluster_name == element(split("/", self.cluster), length(split("/", self.cluster)) - 1)
      error_message = "${format(local.cluster_error_message, self.cluster)} (terraform apply -replace='module.NAME.aws_ecs_service.this[0]')."
    }
  }
}

resource "aws_ecs_service" "codedeploy" {
  count = local.uses_code_deploy ? 1 : 0

  name                               = var.name
  cluster                            = var.cluster
  task_definition                    = module.task_definition.task_definition_arn
  desired_count                      = local.desired_count
  launch_type                        = length(var.capacity_provider_strategy) > 0 ? null : var.launch_type
  platform_version                   = var.platform_version
  health_check_grace_period_seconds  = var.health_check_grace_period_seconds
  deployment_minimum_healthy_percent = var.deployment_minimum_healthy_percent
  deployment_maximum_percent         = var.deployment_maximum_percent
  enable_execute_command             = var.enable_execute_command
  propagate_tags                     = var.propagate_tags
  tags                               = var.tags

  deployment_controller {
    type = "CODE_DEPLOY"
  }

  dynamic "capacity_provider_strategy" {
    for_each = var.capacity_provider_strategy

    content {
      capacity_provider = capacity_provider_strategy.value.capacity_provider
      weight            = capacity_provider_strategy.value.weight
      base              = capacity_provider_strategy.value.base
    }
  }

  dynamic "network_configuration" {
    for_each = var.network_configuration == null ? [] : [var.network_configuration]

    content {
      subnets          = network_configuration.value.subnets
      security_groups  = network_configuration.value.security_groups
      assign_public_ip = network_configuration.value.assign_public_ip
    }
  }

  dynamic "load_balancer" {
    for_each = var.load_balancers

    content {
      target_group_arn = load_balancer.value.target_group_arn
      elb_name         = load_balancer.value.elb_name
      container_name   = load_balancer.value.container_name
      container_port   = load_balancer.value.container_port
    }
  }

  lifecycle {
    # CodeDeploy moves the first four; Terraform sets them only when it creates the service. The
    # cluster: as on aws_ecs_service.this.
    ignore_changes = [task_definition, load_balancer, network_configuration, platform_version, cluster]

    precondition {
      condition     = var.network_mode != "awsvpc" || var.network_configuration != null
      error_message = "network_configuration is required with network_mode awsvpc (allowed network modes without it: bridge, host, none)."
    }
    precondition {
      condition     = length(var.load_balancers) > 0
      error_message = "the CODE_DEPLOY controller needs a load balancer (load_balancers): CodeDeploy shifts its traffic between two target groups."
    }
    postcondition {
      condition     = local.cluster_name == element(split("/", self.cluster), length(split("/", self.cluster)) - 1)
      error_message = "${format(local.cluster_error_message, self.cluster)} (terraform apply -replace='module.NAME.aws_ecs_service.codedeploy[0]')."
    }
  }
}

################################################################################
# Addresses of earlier versions
################################################################################

# Before modules/task_definition, the root module held the task definition and the record of the
# last move itself: an upgrade moves them, so it registers nothing and replaces nothing.
moved {
  from = aws_ecs_task_definition.this
  to   = module.task_definition.aws_ecs_task_definition.this
}

moved {
  from = terraform_data.revision
  to   = module.task_definition.terraform_data.revision
}
