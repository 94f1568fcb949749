# Optional strings default to "" and are not nullable: a caller may pass null (the root module's
# `region` is null unless set) and gets "", which the program reads as absent. The query never
# carries a null (see versions.tf).

variable "bin_dir" {
  description = "Directory holding the live_task_lookup program. \"\": find it on PATH."
  type        = string
  default     = ""
  nullable    = false
}

variable "cluster" {
  description = "Name or ARN of the ECS cluster the service runs in."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^([A-Za-z0-9_-]{1,255}|arn:[^:]+:ecs:[^:]+:[0-9]{12}:cluster/[A-Za-z0-9_-]{1,255})$", var.cluster))
    error_message = "cluster must be the cluster's name (1 to 255 letters, digits, hyphens or underscores) or its ARN."
  }
}

variable "service" {
  description = "Name or ARN of the ECS service."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^([A-Za-z0-9_-]{1,255}|arn:[^:]+:ecs:[^:]+:[0-9]{12}:service/([A-Za-z0-9_-]{1,255}/)?[A-Za-z0-9_-]{1,255})$", var.service))
    error_message = "service must be the service's name (1 to 255 letters, digits, hyphens or underscores) or its ARN."
  }
}

variable "region" {
  description = "Region the lookup asks. \"\" or null: the region of a cluster or service ARN, else AWS_REGION, AWS_DEFAULT_REGION or the profile's region. Terraform's provider settings do not reach the program: give the AWS provider's region here (a lookup in another region finds no service)."
  type        = string
  default     = ""
  nullable    = false
}

variable "profile" {
  description = "Shared config profile the lookup uses. \"\": AWS_PROFILE, else the default chain. The provider's own profile does not reach the lookup: set the same one here."
  type        = string
  default     = ""
  nullable    = false
}

variable "assume_role_arn" {
  description = "Role the lookup assumes before calling ECS. The provider's assume_role does not reach the lookup: set the same role here. \"\": none."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.assume_role_arn == "" || can(regex("^arn:[^:]+:iam::[0-9]{12}:role/.+$", var.assume_role_arn))
    error_message = "assume_role_arn must be \"\" or a role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME)."
  }
}

variable "assume_role_external_id" {
  description = "External ID the lookup's role requires, if any. \"\": none."
  type        = string
  default     = ""
  nullable    = false
}

variable "assume_role_session_name" {
  description = "Session name of the lookup's assumed role, as CloudTrail shows it. \"\": the lookup's default (ecs-drift-live-task-lookup)."
  type        = string
  default     = ""
  nullable    = false

  # RoleSessionName: 2 to 64 characters of [\w+=,.@-]
  # (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
  validation {
    condition     = var.assume_role_session_name == "" || can(regex("^[A-Za-z0-9_+=,.@-]{2,64}$", var.assume_role_session_name))
    error_message = "assume_role_session_name must be \"\" or 2 to 64 letters, digits or characters among _+=,.@-."
  }
}

variable "endpoint_url" {
  description = "ECS endpoint the lookup calls, such as a VPC endpoint or a local emulator. \"\": AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL, else the region's public endpoint."
  type        = string
  default     = ""
  nullable    = false
}

variable "timeout_seconds" {
  description = "The most the whole lookup may take, retries included, in seconds."
  type        = number
  default     = 20
  nullable    = false
}

variable "max_attempts" {
  description = "How many times the lookup tries each call when ECS throttles, fails or cannot be reached; 1 turns retries off, 10 at most."
  type        = number
  default     = 8
  nullable    = false
}

variable "enabled" {
  description = "false: the program makes no call and the outputs say nothing was found. A way to leave the lookup out that, unlike count, may depend on values known only during the apply."
  type        = bool
  default     = true
  nullable    = false
}

variable "expect_task_definition_arn" {
  description = "Full ARN of the task definition the service ran when the plan was made: the lookup then fails unless the service still runs it (a deploy since the plan). \"\": no check."
  type        = string
  default     = ""
  nullable    = false
}

variable "read_during_apply" {
  description = "Any value; the program does not use it. A value known only during the apply (timestamp()) makes Terraform read the lookup then, as the check of a saved plan must be."
  type        = string
  default     = ""
  nullable    = false
}

variable "live_environment" {
  description = "Per container, the environment variable names whose live values `environment` passes on (`{ app = [\"DD_VERSION\"] }`). No other environment value is passed on there."
  type        = map(list(string))
  default     = {}
  nullable    = false
}

variable "live_docker_labels" {
  description = "Per container, the Docker label keys whose live values `docker_labels` passes on (`{ app = [\"com.datadoghq.tags.version\"] }`)."
  type        = map(list(string))
  default     = {}
  nullable    = false
}

variable "deployment_in_progress" {
  description = "What the lookup does when the service's deployment has not settled: \"report\" (the outputs say so), \"fail\" (one line naming the deployment, its state and since when) or \"wait\" (until it settles, at most wait_timeout_seconds)."
  type        = string
  default     = "report"
  nullable    = false

  # Checked by the lookup, whose one line names the query key and the three values it takes.
}

variable "wait_timeout_seconds" {
  description = "With deployment_in_progress = \"wait\": the longest wait for the deployment to settle, in seconds, on top of timeout_seconds (at most 86400)."
  type        = number
  default     = 900
  nullable    = false

  validation {
    condition     = var.wait_timeout_seconds >= 1 && var.wait_timeout_seconds <= 86400 && floor(var.wait_timeout_seconds) == var.wait_timeout_seconds
    error_message = "wait_timeout_seconds must be a whole number of seconds from 1 to 86400."
  }
}

variable "moves_task_definition" {
  description = "Whether the plan gives the service another task definition. With deployment_in_progress \"fail\" or \"wait\", a deployment that has not settled stops the lookup only when the plan moves the service: this, or a change of service_settings."
  type        = bool
  default     = true
  nullable    = false
}

variable "service_settings" {
  description = "The service's settings whose change starts a deployment, as the plan gives them: an object of platform_version, network_configuration ({subnets, security_groups, assign_public_ip}), load_balancers ([{target_group_arn, elb_name, container_name, container_port}]), capacity_provider_strategy ([{capacity_provider, weight, base}]), enable_execute_command and propagate_tags; one left out or null is not compared. With deployment_in_progress \"fail\" or \"wait\", one that differs from the live service's moves it. Null: none compared."
  type        = any
  default     = null
}

variable "expect_deployment_id" {
  description = "The deployment_id a plan saw: the lookup then fails unless it is still the service's deployment (one started since the plan). \"\": no check."
  type        = string
  default     = ""
  nullable    = false
}
