# The task definition of an ECS service, for any service resource: the three programs chained
# (lookup -> container definitions -> selector) and aws_ecs_task_definition. local.task_definition_arn
# is what the service must run: this module's service (service.tf), or the caller's own with
# create_service = false (the output task_definition_arn).

################################################################################
# The AWS provider's view: the region and account the lookup must agree with
################################################################################

# Read here only when the root module does not give them (var.aws): data sources in a module are
# read once per instance and plan, and aws_caller_identity is an sts:GetCallerIdentity call each
# time. `id` is the region's name on 5.x and 6.x alike, without a warning: 6.0 deprecated `name`
# (every plan that reads it warns) and added `region`, which 5.x lacks
# (terraform-provider-aws, internal/service/meta/region_data_source.go).
data "aws_region" "current" {
  count = var.aws == null ? 1 : 0
}

data "aws_caller_identity" "current" {
  count = var.aws == null ? 1 : 0
}

data "aws_partition" "current" {
  count = var.aws == null ? 1 : 0
}

# Each local of a module is a node Terraform evaluates once per instance and plan, whatever its size
# (BENCHMARKS.md, "Why the module is written with few locals and outputs"), so the values derived
# from the same inputs share one object (CONTRIBUTING.md, "Writing the module").
locals {
  # What the inputs alone give.
  given = {
    # "" means: find the programs on PATH. Program paths are written "${local.given.bin_prefix}<program>".
    bin_prefix = var.bin_dir == "" ? "" : "${trimsuffix(var.bin_dir, "/")}/"

    family = coalesce(var.family, var.name)

    # The cluster may be given by name or ARN (arn:...:cluster/NAME); ARNs in policies need the name.
    cluster_name = element(split("/", var.cluster), length(split("/", var.cluster)) - 1)

    uses_code_deploy = var.deployment_controller == "CODE_DEPLOY"

    # The container whose image bootstrap_container_image gives.
    main_container_name = coalesce(var.main_container_name, var.container_definitions[0].name)

    # The roles a revision of this family names: exactly the ones the deploy pipeline may pass.
    task_roles = distinct([for arn in [var.task_role_arn, var.execution_role_arn] : arn if arn != null])
  }

  # The AWS provider's account, partition and region: as the root module gives them, or read here.
  aws = var.aws != null ? var.aws : {
    account_id = one(data.aws_caller_identity.current[*].account_id)
    partition  = one(data.aws_partition.current[*].partition)
    region     = one(data.aws_region.current[*].id)
  }

  # Who the three lookups below ask, and how: the query keys they share. Every query value is a
  # string, and an unset one is "" (read as absent by the program), never null: the external
  # provider 2.3.0 drops "", 2.3.1 turns null into "" and 2.3.2+ drops null.
  lookup_connection = {
    cluster = var.cluster
    service = var.name
    # The provider's region unless told otherwise: Terraform's provider settings do not reach an
    # external program, and an AWS_REGION pointing elsewhere would find no service.
    region                   = coalesce(var.region, local.aws.region)
    profile                  = var.profile
    assume_role_arn          = var.assume_role_arn
    assume_role_external_id  = var.assume_role_external_id
    assume_role_session_name = var.assume_role_session_name
    endpoint_url             = var.endpoint_url
    timeout_seconds          = tostring(var.lookup_timeout_seconds)
    max_attempts             = tostring(var.lookup_max_attempts)
    module_version           = local.module_version
  }
}

################################################################################
# 1. What does the service run now?
################################################################################

# Re-run on every plan and refresh; read-only (DescribeServices, DescribeTaskDefinition).
data "external" "lookup" {
  program = ["${local.given.bin_prefix}live_task_lookup"]

  query = merge(local.lookup_connection, {
    # Only the values of these keys leave the lookup in its `environment` and `docker_labels`.
    live_environment   = jsonencode(var.live_environment)
    live_docker_labels = jsonencode(var.live_docker_labels)
  })
}

# The deployment guard. A plan that moves the service (a new revision, or a change of a setting
# that starts a deployment) while its deployment has not settled would build on a revision that
# may still be rolled back, and start a deployment that supersedes the pipeline's. The lookup above
# reports the deployment (deployment_settled). When it has not settled, and the plan gives the
# service a new revision or this module runs the service (whose settings the guard compares with
# the live ones), this second lookup fails the plan with one line ("fail") if the plan moves the
# service, or waits for the deployment to settle ("wait") and fails unless the service then still
# runs what the plan was computed from. Otherwise no call; a plan that moves nothing passes
# whatever the state. README.md, "Deployments in progress".
locals {
  guard = {
    unsettled = data.external.lookup.result.deployment_settled == "false"

    # The settings of this module's service whose change starts a deployment (UpdateService: "This
    # parameter triggers a new service deployment",
    # https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_UpdateService.html). A
    # CODE_DEPLOY service's are changed by a CodeDeploy deployment, not here (service.tf).
    service_settings = var.create_service && !local.given.uses_code_deploy
  }
}

data "external" "deployment_guard" {
  program = ["${local.given.bin_prefix}live_task_lookup"]

  query = merge(local.lookup_connection, {
    enabled               = tostring((local.changed || local.guard.service_settings) && local.guard.unsettled)
    moves_task_definition = tostring(local.changed)
    # Only while unsettled: a value known only at apply (new subnets) would otherwise defer
    # this read to the apply of every plan.
    service_settings = local.guard.service_settings && local.guard.unsettled ? jsonencode({
      platform_version           = var.platform_version
      network_configuration      = var.network_configuration
      load_balancers             = var.load_balancers
      capacity_provider_strategy = var.capacity_provider_strategy
      enable_execute_command     = var.enable_execute_command
      propagate_tags             = var.propagate_tags
    }) : ""
    deployment_in_progress     = var.deployment_in_progress
    wait_timeout_seconds       = tostring(var.deployment_wait_timeout_seconds)
    expect_task_definition_arn = data.external.lookup.result.task_definition_arn
  })
}

################################################################################
# 2. What should the containers be? (the live image kept where it follows deployments)
################################################################################

data "external" "container_definitions" {
  program = ["${local.given.bin_prefix}container_definition"]

  query = {
    # The containers as written, with `bootstrap_container_image` as the main container's image. The
    # override is an object `for` (empty unless it applies), so a container written without `image`
    # and one with it go through the same expression without a conditional's type unification.
    container_definitions = jsonencode([
      for container in var.container_definitions : merge(container, {
        for key, value in { image = var.bootstrap_container_image } : key => value
        if value != null && container.name == local.given.main_container_name
      })
    ])
    live_images = data.external.lookup.result.images
    # "" lets every container follow deployments; "[]" lets none.
    live_image_containers = var.live_image_containers == null ? "" : jsonencode(var.live_image_containers)
    force_bootstrap_image = tostring(var.force_bootstrap_container_image)
    network_mode          = var.network_mode
    module_version        = local.module_version
    # What else the pipeline owns: kept at the live value, as the image is.
    live_environment         = jsonencode(var.live_environment)
    live_docker_labels       = jsonencode(var.live_docker_labels)
    live_environment_values  = data.external.lookup.result.environment
    live_docker_label_values = data.external.lookup.result.docker_labels
  }
}

################################################################################
# 3. Does the service have to move? (the whole task definition compared with the live one)
################################################################################

locals {
  # The task-level fields, in the ECS API's camelCase, null when unset. The task definition resource
  # below reads ONLY these, and the selector gets exactly these (nulls left out, which the selector
  # reads as ECS's defaults), so what is compared and what is registered cannot disagree.
  task_fields = {
    family                  = local.given.family
    cpu                     = var.cpu
    memory                  = var.memory
    networkMode             = var.network_mode
    taskRoleArn             = var.task_role_arn
    executionRoleArn        = var.execution_role_arn
    requiresCompatibilities = length(var.requires_compatibilities) > 0 ? var.requires_compatibilities : null
    volumes                 = length(var.volumes) > 0 ? var.volumes : null
    runtimePlatform = var.runtime_platform == null ? null : {
      for key, value in {
        operatingSystemFamily = var.runtime_platform.operating_system_family
        cpuArchitecture       = var.runtime_platform.cpu_architecture
      } : key => value if value != null
    }
    ephemeralStorage = var.ephemeral_storage_size_in_gib == null ? null : {
      sizeInGiB = var.ephemeral_storage_size_in_gib
    }
    placementConstraints = length(var.task_placement_constraints) > 0 ? [
      for constraint in var.task_placement_constraints : {
        for key, value in { type = constraint.type, expression = constraint.expression } : key => value if value != null
      }
    ] : null
    pidMode = var.pid_mode
    ipcMode = var.ipc_mode
    proxyConfiguration = var.proxy_configuration == null ? null : {
      type          = var.proxy_configuration.type
      containerName = var.proxy_configuration.container_name
      # The API's list of name/value pairs; keys() sorts, so the order is stable.
      properties = [
        for name in keys(var.proxy_configuration.properties) : { name = name, value = var.proxy_configuration.properties[name] }
      ]
    }
  }

  # The container definitions to register: the canonical JSON container_definition writes, in the form
  # ECS returns, so the provider's containerDefinitionsAreEquivalent finds no difference on refresh.
  container_definitions_json = data.external.container_definitions.result.container_definitions
}

data "external" "selector" {
  program = ["${local.given.bin_prefix}task_definition_selector"]

  query = {
    # The task fields set (an object `for` keeps each value's own type; null fields are left out).
    desired_task_definition = jsonencode(merge({ for key, value in local.task_fields : key => value if value != null }, {
      containerDefinitions = jsondecode(data.external.container_definitions.result.container_definitions)
    }))
    live_task_definition     = data.external.lookup.result.task_definition
    live_task_definition_arn = data.external.lookup.result.task_definition_arn
    show_environment_values  = tostring(var.show_environment_values)
    module_version           = local.module_version
    # The keys that kept the live value, named in the differences when the service moves.
    environment_sources  = data.external.container_definitions.result.environment_sources
    docker_label_sources = data.external.container_definitions.result.docker_label_sources
  }
}

locals {
  changed = data.external.selector.result.changed == "true"

  # Always a full ARN: the provider keeps an ARN as the ARN DescribeServices returns, while a
  # family:revision form or a bare family diffs (terraform-provider-aws #5205).
  # - unchanged: the live ARN, known at plan time, which is what the service already runs;
  # - changed: the revision this apply registers (or the family's latest, when that already is
  #   exactly the desired one and the task definition resource therefore does not change).
  task_definition_arn = local.changed ? aws_ecs_task_definition.this.arn : data.external.selector.result.task_definition_arn

}

################################################################################
# 4. The task definition
################################################################################

# A saved plan (Atlantis, HCP Terraform, `terraform apply PLANFILE`) is applied as planned, maybe
# days later, and Terraform does not read the lookup again: if a pipeline shipped an image in
# between, the revision the plan computed carries the image that ran at plan time, and moving the
# service to it would roll the deploy back. Terraform's own stale-plan check does not see it, since
# the deploy changed no Terraform state. So when the plan registers a revision, this second lookup
# is read during the apply (timestamp() is unknown until then), before the task definition is
# registered, and fails the apply unless the service still runs the revision the plan saw.
#
# No count: whether the plan registers a revision may be known only during the apply (the
# selector is read then when its inputs are), and a count must be known at plan time. When the plan
# registers nothing, the lookup is disabled instead: read at plan time, it makes no call.
data "external" "apply_time_lookup" {
  program = ["${local.given.bin_prefix}live_task_lookup"]

  query = merge(local.lookup_connection, {
    enabled                    = tostring(local.changed && data.external.lookup.result.found == "true")
    expect_task_definition_arn = data.external.lookup.result.task_definition_arn
    deployment_in_progress     = "fail"
    expect_deployment_id       = data.external.lookup.result.deployment_id
    read_during_apply          = local.changed ? timestamp() : ""
  })
}

resource "aws_ecs_task_definition" "this" {
  family                   = local.task_fields.family
  container_definitions    = local.container_definitions_json
  cpu                      = local.task_fields.cpu
  memory                   = local.task_fields.memory
  network_mode             = local.task_fields.networkMode
  task_role_arn            = local.task_fields.taskRoleArn
  execution_role_arn       = local.task_fields.executionRoleArn
  requires_compatibilities = local.task_fields.requiresCompatibilities
  pid_mode                 = local.task_fields.pidMode
  ipc_mode                 = local.task_fields.ipcMode

  # The same variable as task_fields.volumes, read directly: volumes of different kinds are objects
  # of different types, which a conditional with [] could not unify.
  dynamic "volume" {
    for_each = var.volumes

    content {
      name                = volume.value.name
      host_path           = try(volume.value.host.sourcePath, null)
      configure_at_launch = try(volume.value.configuredAtLaunch, null)

      dynamic "docker_volume_configuration" {
        for_each = try([volume.value.dockerVolumeConfiguration], [])

        content {
          scope         = try(docker_volume_configuration.value.scope, null)
          autoprovision = try(docker_volume_configuration.value.autoprovision, null)
          driver        = try(docker_volume_configuration.value.driver, null)
          driver_opts   = try(docker_volume_configuration.value.driverOpts, null)
          labels        = try(docker_volume_configuration.value.labels, null)
        }
      }

      dynamic "efs_volume_configuration" {
        for_each = try([volume.value.efsVolumeConfiguration], [])

        content {
          file_system_id          = efs_volume_configuration.value.fileSystemId
          root_directory          = try(efs_volume_configuration.value.rootDirectory, null)
          transit_encryption      = try(efs_volume_configuration.value.transitEncryption, null)
          transit_encryption_port = try(efs_volume_configuration.value.transitEncryptionPort, null)

          dynamic "authorization_config" {
            for_each = try([efs_volume_configuration.value.authorizationConfig], [])

            content {
              access_point_id = try(authorization_config.value.accessPointId, null)
              iam             = try(authorization_config.value.iam, null)
            }
          }
        }
      }
    }
  }

  dynamic "runtime_platform" {
    for_each = local.task_fields.runtimePlatform == null ? [] : [local.task_fields.runtimePlatform]

    content {
      operating_system_family = try(runtime_platform.value.operatingSystemFamily, null)
      cpu_architecture        = try(runtime_platform.value.cpuArchitecture, null)
    }
  }

  dynamic "ephemeral_storage" {
    for_each = local.task_fields.ephemeralStorage == null ? [] : [local.task_fields.ephemeralStorage]

    content {
      size_in_gib = ephemeral_storage.value.sizeInGiB
    }
  }

  # The same variable as task_fields.placementConstraints, read directly for the same reason.
  dynamic "placement_constraints" {
    for_each = var.task_placement_constraints

    content {
      type       = placement_constraints.value.type
      expression = try(placement_constraints.value.expression, null)
    }
  }

  dynamic "proxy_configuration" {
    for_each = local.task_fields.proxyConfiguration == null ? [] : [local.task_fields.proxyConfiguration]

    content {
      type           = proxy_configuration.value.type
      container_name = proxy_configuration.value.containerName
      properties     = { for property in proxy_configuration.value.properties : property.name => property.value }
    }
  }

  # track_latest (provider 5.37.0): on refresh the state follows the family's latest ACTIVE revision
  # instead of the revision Terraform registered. After a CI deploy that is the deploy tool's
  # revision, whose containers (live image included) equal the JSON above, so nothing is replaced;
  # and a deploy tool that deregisters Terraform's revision no longer makes the provider drop it from
  # state and register it again.
  track_latest = true

  # skip_destroy (provider 3.72.0): replacing the resource registers a new revision without
  # deregistering the old one, which the service may still run (a rolling deployment, a CODE_DEPLOY
  # service until CodeDeploy switches, a rollback by the circuit breaker).
  skip_destroy = true

  tags = var.tags

  # Registered only once the apply-time lookup found the service still on the planned revision.
  depends_on = [data.external.apply_time_lookup]

  lifecycle {
    # The new revision is registered before the old one leaves the state (skip_destroy: it stays
    # registered), so an apply that stops before the registration, as the apply-time lookup makes
    # a stale saved plan do, leaves the state as it was.
    create_before_destroy = true

    # Tags belong to each revision. With track_latest the provider reads them from the family's
    # latest revision (DescribeTaskDefinition include TAGS on the ARN in state), which after a CI
    # deploy is the deploy tool's: untagged when the tool copies `taskDefinition` alone (the AWS
    # CLI recipe, the GitHub render action fed by describe-task-definition). Tags are updatable in
    # place, so the plan would show a tag update after every such deploy: of `tags`, and of
    # `tags_all` when the provider has default_tags. Both are ignored on update; they are still
    # sent, the provider's default_tags included, whenever a revision is registered (ignore_changes
    # does not apply to a create or a replacement), so a change of tags reaches the next revision
    # Terraform registers.
    ignore_changes = [tags, tags_all]

    # The guard: a lookup that asked another region or account finds no service, and the module would
    # then register the bootstrap images and roll the service back to them.
    precondition {
      condition     = data.external.lookup.result.region == local.aws.region
      error_message = "the live lookup asked region ${data.external.lookup.result.region}, but the AWS provider manages ${local.aws.region}: a lookup in the wrong region finds no service, so continuing would register the bootstrap image and roll the service back to it. Set var.region to ${local.aws.region} (or null)."
    }
    precondition {
      condition     = data.external.lookup.result.account_id == "" || data.external.lookup.result.account_id == local.aws.account_id
      error_message = "the live lookup saw account ${data.external.lookup.result.account_id}, but the AWS provider runs as account ${local.aws.account_id}: a lookup in the wrong account finds no service (or another one), so continuing would roll the service back to the bootstrap image. Give the lookup the provider's credentials (var.profile, var.assume_role_arn)."
    }
    precondition {
      condition     = data.external.lookup.result.found == "true" || !var.require_live_service
      error_message = "the live lookup found no service ${var.name} in cluster ${var.cluster} (status ${data.external.lookup.result.status}) in region ${data.external.lookup.result.region}, and require_live_service is true: continuing would register the bootstrap image and roll the service back to it. Check the lookup's credentials (var.profile, var.assume_role_arn), region and endpoint."
    }
  }
}

# Why the service moves, in the plan that moves it. This record is replaced exactly when the task
# definition is (a new revision: `arn` unknown until the apply), so the plan shows the selector's
# differences next to that replacement:
#
#   # module.NAME.terraform_data.revision will be replaced due to changes in replace_triggered_by
#   ~ input = { ~ differences = ["container app: environment LOG_LEVEL changed"] ... }
#
# Between two revisions its input changes with every plan (after an apply the differences are
# none; after a CI deploy the live ARN is the deploy's), and those changes are ignored: a clean
# plan stays clean under `terraform plan -detailed-exitcode`. Its output keeps the ARN of the
# revision the module registered last, a value that changes only when Terraform registers one.
resource "terraform_data" "revision" {
  input = {
    differences         = compact(split("\n", data.external.selector.result.differences))
    task_definition_arn = aws_ecs_task_definition.this.arn
  }

  lifecycle {
    create_before_destroy = true
    ignore_changes        = [input]
    replace_triggered_by  = [aws_ecs_task_definition.this.arn]
  }
}
