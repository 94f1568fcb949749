# What does the service run now? One call of the live_task_lookup program.

locals {
  # "" means: find the program on PATH.
  bin_prefix = var.bin_dir == "" ? "" : "${trimsuffix(var.bin_dir, "/")}/"
}

# Re-run on every plan and refresh; read-only (DescribeServices, DescribeTaskDefinition). Every
# query value is a string, and an unset one is "" (read as absent by the program), never null: the
# external provider 2.3.0 drops "", 2.3.1 turns null into "" and 2.3.2+ drops null.
data "external" "this" {
  program = ["${local.bin_prefix}live_task_lookup"]

  query = {
    cluster                    = var.cluster
    service                    = var.service
    region                     = var.region
    profile                    = var.profile
    assume_role_arn            = var.assume_role_arn
    assume_role_external_id    = var.assume_role_external_id
    assume_role_session_name   = var.assume_role_session_name
    endpoint_url               = var.endpoint_url
    timeout_seconds            = tostring(var.timeout_seconds)
    max_attempts               = tostring(var.max_attempts)
    enabled                    = tostring(var.enabled)
    expect_task_definition_arn = var.expect_task_definition_arn
    deployment_in_progress     = var.deployment_in_progress
    wait_timeout_seconds       = tostring(var.wait_timeout_seconds)
    moves_task_definition      = tostring(var.moves_task_definition)
    service_settings           = var.service_settings == null ? "" : jsonencode(var.service_settings)
    expect_deployment_id       = var.expect_deployment_id
    read_during_apply          = var.read_during_apply
    module_version             = local.module_version
    live_environment           = jsonencode(var.live_environment)
    live_docker_labels         = jsonencode(var.live_docker_labels)
  }
}
