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
