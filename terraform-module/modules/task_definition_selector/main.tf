# Does the service have to move? One call of the task_definition_selector program: the whole
# desired task definition compared with the live one.

locals {
  # "" means: find the program on PATH.
  bin_prefix = var.bin_dir == "" ? "" : "${trimsuffix(var.bin_dir, "/")}/"
}

# Pure: no AWS call. Every query value is a string, and an unset one is "" (read as absent by the
# program), never null: the external provider 2.3.0 drops "", 2.3.1 turns null into "" and 2.3.2+
# drops null. The task definitions travel as JSON text; key order and number formatting do not
# matter to the program, so the objects the other submodules decode are encoded back as they are.
data "external" "this" {
  program = ["${local.bin_prefix}task_definition_selector"]

  query = {
    desired_task_definition  = jsonencode(var.desired_task_definition)
    live_task_definition     = var.live_task_definition == null ? "" : jsonencode(var.live_task_definition)
    live_task_definition_arn = var.live_task_definition_arn
    show_environment_values  = tostring(var.show_environment_values)
    module_version           = local.module_version
    environment_sources      = jsonencode(var.environment_sources)
    docker_label_sources     = jsonencode(var.docker_label_sources)
  }
}
