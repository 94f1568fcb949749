variable "bin_dir" {
  description = "Directory holding the task_definition_selector program. \"\": find it on PATH."
  type        = string
  default     = ""
  nullable    = false
}

variable "desired_task_definition" {
  description = "The task definition to run, as an object in the ECS API's camelCase: the task-level fields (family, cpu, memory, networkMode, taskRoleArn, executionRoleArn, requiresCompatibilities, volumes, ...; a field left out is read as ECS's default) plus `containerDefinitions`, usually the container_definition submodule's `container_definitions`. Give it exactly the fields the task definition resource registers: a field compared but not registered moves the service on every plan."
  type        = any
  nullable    = false

  validation {
    condition     = try(length(keys(var.desired_task_definition)) > 0 && length(var.desired_task_definition.containerDefinitions) > 0, false)
    error_message = "desired_task_definition must be an object of task-level fields in the ECS API's camelCase with a non-empty `containerDefinitions` list."
  }
}

variable "live_task_definition" {
  description = "The task definition the service runs: the live_task_lookup submodule's `task_definition` (an object), null when there is none (the first apply)."
  type        = any
  default     = null

  validation {
    condition     = var.live_task_definition == null || can(keys(var.live_task_definition))
    error_message = "live_task_definition must be null or an object (the live_task_lookup submodule's task_definition), not JSON text."
  }
}

variable "live_task_definition_arn" {
  description = "Full ARN of the live task definition: the live_task_lookup submodule's `task_definition_arn`. Required with `live_task_definition`; \"\" (or null) without."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.live_task_definition_arn == "" || can(regex("^arn:[^:]+:ecs:[^:]+:[0-9]{12}:task-definition/[A-Za-z0-9_-]{1,255}:[0-9]+$", var.live_task_definition_arn))
    error_message = "live_task_definition_arn must be \"\" or a full task definition ARN (arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION)."
  }
}

variable "show_environment_values" {
  description = "true shows environment variable values in `differences`; by default only their names are shown."
  type        = bool
  default     = false
  nullable    = false
}

variable "environment_sources" {
  description = "The container_definition submodule's `environment_sources`: when the service moves, each variable kept at the live value gets a line in `differences` (its name, never its value)."
  type        = map(map(string))
  default     = {}
  nullable    = false
}

variable "docker_label_sources" {
  description = "The container_definition submodule's `docker_label_sources`, explained as environment_sources."
  type        = map(map(string))
  default     = {}
  nullable    = false
}
