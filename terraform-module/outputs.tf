################################################################################
# Task definition
################################################################################

output "task_definition_arn" {
  description = "Full ARN of the task definition the service is to run: the live one when nothing changed, else the revision this apply registers. It changes with every deploy: give it to a service, never to an AppSpec or a root output."
  value       = local.task_definition_arn
}

output "registered_task_definition_arn" {
  description = "Full ARN of the revision this module registered last. It changes only when Terraform registers a revision (a plan that moves the service), never with a CI deploy, so a root module can re-export it. With CODE_DEPLOY, the one output for the AppSpec: deploy it right after the apply that registered it (examples/codedeploy/apply.sh)."
  value       = terraform_data.revision.output.task_definition_arn
}

output "changed" {
  description = "true when the task definition differs from the live one (or there is none yet) and the service moves to a new revision."
  value       = local.changed
}

output "differences" {
  description = "One readable line per difference between the live task definition and the desired one (a list of strings, as in modules/task_definition_selector), such as `task: cpu 256 -> 512`; [] when unchanged. The plan that moves the service shows them on terraform_data.revision."
  value       = compact(split("\n", data.external.selector.result.differences))
}

output "container_definitions_json" {
  description = "The container definitions registered, as JSON in the form ECS returns them."
  value       = local.container_definitions_json
}

output "images" {
  description = "Container name to the image it gets."
  value       = jsondecode(data.external.container_definitions.result.images)
}

output "image_sources" {
  description = "Container name to where its image comes from: live (kept from the running service), bootstrap (first apply or new container), forced (force_bootstrap_container_image) or pinned (not in live_image_containers)."
  value       = jsondecode(data.external.container_definitions.result.image_sources)
}

################################################################################
# Live lookup
################################################################################

output "live_task_definition_arn" {
  description = "Full ARN of the task definition the service ran when planned; \"\" before the first apply."
  value       = data.external.lookup.result.task_definition_arn
}

output "live_found" {
  description = "true when the lookup found the service running a task definition."
  value       = data.external.lookup.result.found == "true"
}

output "live_rollout_state" {
  description = "Rollout state of the service's primary deployment when planned (IN_PROGRESS, COMPLETED, FAILED); \"\" when ECS reports none."
  value       = data.external.lookup.result.rollout_state
}

output "live_desired_count" {
  description = "The service's desired count when planned (an autoscaler's changes included); null before the first apply. A service of the caller's (create_service = false) that leaves its count to an autoscaler after creation sets desired_count from it."
  value       = data.external.lookup.result.desired_count == "" ? null : tonumber(data.external.lookup.result.desired_count)
}

################################################################################
# The service
################################################################################

output "service_arn" {
  description = "ARN of the ECS service this task definition is for (known at plan time)."
  value       = local.arns.service
}

output "service_name" {
  description = "Name of the ECS service this module created; null when create_service = false."
  value       = one(concat(aws_ecs_service.this[*].name, aws_ecs_service.codedeploy[*].name))
}

################################################################################
# IAM
################################################################################

output "deployer_policy_json" {
  description = "IAM policy for the deploy pipeline (ecs deploy, the AWS CLI, the GitHub ECS actions, CodeDeploy), scoped to this service: DescribeServices and (ECS controller) UpdateService on it; RegisterTaskDefinition on this family, and TagResource on it at registration (ecs:CreateAction = RegisterTaskDefinition); DescribeTaskDefinition (no resource type); only as deployer_policy_add names them (ECS controller): ListTasks and DescribeTasks in this cluster and DeregisterTaskDefinition (no resource type), for ecs deploy with its defaults, and the service-deployment calls on this service and its deployments; iam:PassRole on exactly the task and execution roles towards ecs-tasks.amazonaws.com; with CODE_DEPLOY, the CodeDeploy calls on this application, deployment group and deployment configuration."
  value       = jsonencode(local.policies.deployer)
}

output "lookup_policy_json" {
  description = "IAM policy for the live lookup and for the role that runs `terraform plan` (Atlantis' or HCP Terraform's plan role, a drift job), read-only: DescribeServices on this service, DescribeTaskDefinition (no resource type), and sts:AssumeRole on assume_role_arn when set. These are also everything the AWS provider reads of this module's resources."
  value       = jsonencode(local.policies.lookup)
}

output "apply_policy_json" {
  description = "IAM policy for the role that runs `terraform apply` of this module: lookup_policy_json's reads, CreateService and UpdateService on this service, RegisterTaskDefinition on this family, TagResource and UntagResource on this service and family, and iam:PassRole on exactly the task and execution roles towards ecs-tasks.amazonaws.com. No DeleteService and no DeregisterTaskDefinition (skip_destroy)."
  value       = jsonencode(local.policies.apply)
}

################################################################################
# What else a deploy pipeline owns
################################################################################

output "environment_sources" {
  description = "Container name to { NAME = source } for each name in live_environment: live (the value the service runs), bootstrap (the configured value: first apply, new container, or a name the live container lacks), forced (force_bootstrap_container_image) or absent (unset on both sides)."
  value       = jsondecode(data.external.container_definitions.result.environment_sources)
}

output "docker_label_sources" {
  description = "Container name to { key = source } for each key in live_docker_labels, as environment_sources."
  value       = jsondecode(data.external.container_definitions.result.docker_label_sources)
}
