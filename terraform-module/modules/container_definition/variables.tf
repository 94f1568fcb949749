variable "bin_dir" {
  description = "Directory holding the container_definition program. \"\": find it on PATH."
  type        = string
  default     = ""
  nullable    = false
}

variable "container_definitions" {
  description = "Container definitions as ECS API objects in camelCase (what aws_ecs_task_definition.container_definitions takes, as HCL objects rather than JSON). Each `image` is that container's bootstrap image, used on the first apply. `environment` and `secrets` may also be maps of name to value or valueFrom. An unknown key is an error that names the nearest valid one."
  type        = any
  nullable    = false

  validation {
    condition     = try(length(var.container_definitions) > 0 && alltrue([for container in var.container_definitions : can(tostring(container.name))]), false)
    error_message = "container_definitions must be a non-empty list of objects, each with a `name`."
  }
}

variable "live_images" {
  description = "Container name to the image the service runs now: the live_task_lookup submodule's `images`. {} (or null) on the first apply."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "live_image_containers" {
  description = "Names of the containers whose image follows deployments made outside Terraform (the running image is kept). Null: every container; []: none. A container left out (a sidecar pinned by Terraform) always gets its configured image. A name that is not a container is an error."
  type        = list(string)
  default     = null

  validation {
    condition     = var.live_image_containers == null || try(length(distinct(var.live_image_containers)) == length(var.live_image_containers), false)
    error_message = "live_image_containers must be null or a list of container names, each named once."
  }
}

variable "force_bootstrap_image" {
  description = "true gives the containers that follow deployments their configured image, even when the service runs another. When those images already run, nothing changes."
  type        = bool
  default     = false
  nullable    = false
}

variable "network_mode" {
  description = "Task network mode: awsvpc, bridge, host or none. It decides which host ports are valid and what ECS fills in, so it must be the task definition's."
  type        = string
  default     = "awsvpc"
  nullable    = false

  # Checked by container_definition, whose one line names the query key and the four modes.
}

variable "live_environment" {
  description = "Per container, the environment variable names a deploy pipeline sets (`{ app = [\"DD_VERSION\"] }`): each keeps the value the service runs, the configured one being the bootstrap value. Only a container that follows deployments may name variables, and not ones it sets in `secrets`."
  type        = map(list(string))
  default     = {}
  nullable    = false
}

variable "live_docker_labels" {
  description = "Per container, the Docker label keys a deploy pipeline sets (`{ app = [\"com.datadoghq.tags.version\"] }`), kept as live_environment keeps variables."
  type        = map(list(string))
  default     = {}
  nullable    = false
}

variable "live_environment_values" {
  description = "Container name to { NAME = value } the service runs: the live_task_lookup submodule's `environment`. {} on the first apply."
  type        = map(map(string))
  default     = {}
  nullable    = false
}

variable "live_docker_label_values" {
  description = "Container name to { key = value } the service runs: the live_task_lookup submodule's `docker_labels`. {} on the first apply."
  type        = map(map(string))
  default     = {}
  nullable    = false
}
