################################################################################
# The service: counted on create_service. With create_service = false, a service of the caller's
# runs task_definition_arn (examples/own-service) and none of these blocks exists.
################################################################################

locals {
  service = {
    cluster_error_message = "the service runs in cluster %s, but var.cluster is ${var.cluster}: ECS cannot move a service to another cluster, so Terraform would have to delete it and create it again. To do that on purpose, replace it"

    # An autoscaled service keeps the count ECS reports (the autoscaler's): read at plan time, it
    # equals what the refresh read, so the plan shows no change, and the provider sends
    # desired_count to UpdateService only when it changes, so an apply never resets it, not even
    # from a saved plan. desired_count is the count the service is created with.
    desired_count = (var.ignore_changes_desired_count && data.external.lookup.result.desired_count != ""
      ? tonumber(data.external.lookup.result.desired_count)
    : var.desired_count)
  }
}

# Two resources, one of which exists (count): lifecycle.ignore_changes cannot depend on a variable.
# - `this` (ECS controller): task_definition is managed; it changes only when the selector says so.
# - `codedeploy` (CODE_DEPLOY controller): ECS rejects UpdateService with a new task definition,
#   load balancers, network configuration or platform version on such a service (they are changed by
#   a CodeDeploy deployment; provider #12703), so those are ignored and the module outputs
#   registered_task_definition_arn for the AppSpec instead.
resource "aws_ecs_service" "this" {
  count = var.create_service && !local.given.uses_code_deploy ? 1 : 0

  name                               = var.name
  cluster                            = var.cluster
  task_definition                    = local.task_definition_arn
  desired_count                      = local.service.desired_count
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
      condition     = local.given.cluster_name == element(split("/", self.cluster), length(split("/", self.cluster)) - 1)
      error_message = "${format(local.service.cluster_error_message, self.cluster)} (terraform apply -replace='module.NAME.aws_ecs_service.this[0]')."
    }
  }
}

resource "aws_ecs_service" "codedeploy" {
  count = var.create_service && local.given.uses_code_deploy ? 1 : 0

  name                               = var.name
  cluster                            = var.cluster
  task_definition                    = local.task_definition_arn
  desired_count                      = local.service.desired_count
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
      condition     = local.given.cluster_name == element(split("/", self.cluster), length(split("/", self.cluster)) - 1)
      error_message = "${format(local.service.cluster_error_message, self.cluster)} (terraform apply -replace='module.NAME.aws_ecs_service.codedeploy[0]')."
    }
  }
}
