# Decoded once here, so a caller never parses the program's JSON text. A value that changes with
# every deploy (the ARN, the images) must not be a root output of a configuration whose
# `terraform plan -detailed-exitcode` is a drift check: see README.md.

output "found" {
  description = "true when the service exists, is not INACTIVE and runs a task definition; false before the first apply (and when the lookup asks the wrong region or account: compare `region` and `account_id` with the AWS provider's)."
  value       = data.external.this.result.found == "true"
}

output "status" {
  description = "The service's status: ACTIVE, DRAINING or INACTIVE; MISSING when the cluster or the service does not exist."
  value       = data.external.this.result.status
}

output "task_definition_arn" {
  description = "Full ARN of the task definition the service runs (for CODE_DEPLOY and EXTERNAL: the PRIMARY task set's); \"\" when not found."
  value       = data.external.this.result.task_definition_arn
}

output "family" {
  description = "Its family; \"\" when not found."
  value       = data.external.this.result.family
}

output "revision" {
  description = "Its revision number; null when not found."
  value       = data.external.this.result.revision == "" ? null : tonumber(data.external.this.result.revision)
}

output "images" {
  description = "Container name to the image it runs (an object of strings, as jsondecode gives it); {} when not found. What the container_definition submodule takes as `live_images`."
  value       = jsondecode(data.external.this.result.images)
}

output "task_definition" {
  description = "The live task definition as DescribeTaskDefinition returns it (an object in the ECS API's camelCase, without its read-only fields); null when not found. What the task_definition_selector submodule takes as `live_task_definition`."
  value       = data.external.this.result.task_definition == "" ? null : jsondecode(data.external.this.result.task_definition)
}

output "desired_count" {
  description = "The service's desired count as ECS reports it (an autoscaler's changes included); null when not found."
  value       = data.external.this.result.desired_count == "" ? null : tonumber(data.external.this.result.desired_count)
}

output "deployment_controller" {
  description = "The service's deployment controller: ECS, CODE_DEPLOY or EXTERNAL; \"\" when the service does not exist."
  value       = data.external.this.result.deployment_controller
}

output "rollout_state" {
  description = "Rollout state of the service's primary deployment (IN_PROGRESS, COMPLETED, FAILED); \"\" when ECS reports none. It changes while a deployment rolls, deploy or not."
  value       = data.external.this.result.rollout_state
}

output "region" {
  description = "The region the lookup asked."
  value       = data.external.this.result.region
}

output "account_id" {
  description = "The account the service belongs to, as its ARN says; \"\" when no ARN tells (no service found, names given)."
  value       = data.external.this.result.account_id
}

output "environment" {
  description = "Container name to { NAME = value } for the names in live_environment the live container sets; {} when nothing was found. The container_definition submodule's `live_environment_values`."
  value       = jsondecode(data.external.this.result.environment)
}

output "docker_labels" {
  description = "Container name to { key = value } for the keys in live_docker_labels the live container sets; {} when nothing was found. The container_definition submodule's `live_docker_label_values`."
  value       = jsondecode(data.external.this.result.docker_labels)
}

output "deployment_settled" {
  description = "Whether the service's deployment has settled: for the ECS controller (ROLLING, BLUE_GREEN, LINEAR, CANARY) the PRIMARY deployment is not IN_PROGRESS and no other deployment is ACTIVE; for CODE_DEPLOY and EXTERNAL the PRIMARY task set is alone and steady. null when not found."
  value       = data.external.this.result.deployment_settled == "" ? null : data.external.this.result.deployment_settled == "true"
}

output "deployment_id" {
  description = "The PRIMARY deployment's ID (ECS controller), or the newest task set's; \"\" when none. It changes with every deployment."
  value       = data.external.this.result.deployment_id
}

output "deployment_state" {
  description = "The deployment's rollout state (IN_PROGRESS, COMPLETED, FAILED), or the task set's status."
  value       = data.external.this.result.deployment_state
}

output "deployment_since" {
  description = "When the deployment entered that state (RFC 3339), as far as ECS tells; \"\" when none."
  value       = data.external.this.result.deployment_since
}

output "deployment_strategy" {
  description = "ROLLING, BLUE_GREEN, LINEAR or CANARY (the ECS controller's strategy), or CODE_DEPLOY or EXTERNAL."
  value       = data.external.this.result.deployment_strategy
}
