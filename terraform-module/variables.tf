################################################################################
# Service and task definition identity
################################################################################

variable "name" {
  description = "Name of the ECS service that runs this task definition (this module creates it; with create_service = false, a service of your own does): the lookup asks ECS what it runs. Also the task definition family unless `family` is set."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,255}$", var.name))
    error_message = "name must be 1 to 255 letters, digits, hyphens or underscores."
  }
}

variable "family" {
  description = "Task definition family. Default: `name`. Give every service its own family: the task definition follows the family's latest ACTIVE revision (track_latest)."
  type        = string
  default     = null
}

variable "cluster" {
  description = "Name or ARN of the ECS cluster the service runs in."
  type        = string
  nullable    = false
}

variable "tags" {
  description = "Tags for the service, and for each task definition revision this module registers (revisions registered by a deploy tool keep the tags it gives them)."
  type        = map(string)
  default     = {}
  nullable    = false
}

variable "deployment_controller" {
  description = "The service's deployment controller: ECS (rolling updates) or CODE_DEPLOY (blue/green by CodeDeploy: the root module's service then ignores task definition and load balancer changes, and registered_task_definition_arn is what the AppSpec deploys). It decides what deployer_policy_json allows."
  type        = string
  default     = "ECS"
  nullable    = false

  validation {
    condition     = contains(["ECS", "CODE_DEPLOY"], var.deployment_controller)
    error_message = "deployment_controller must be one of: ECS, CODE_DEPLOY."
  }
}

################################################################################
# Containers
################################################################################

variable "container_definitions" {
  description = "Container definitions as ECS API objects in camelCase (what aws_ecs_task_definition.container_definitions takes, as HCL objects rather than JSON). Each `image` is that container's bootstrap image, used on the first apply. `environment` and `secrets` may also be maps of name to value or valueFrom."
  type        = any
  nullable    = false

  validation {
    condition     = try(length(var.container_definitions) > 0 && alltrue([for container in var.container_definitions : can(tostring(container.name))]), false)
    error_message = "container_definitions must be a non-empty list of objects, each with a `name`."
  }
}

variable "main_container_name" {
  description = "The container whose image `bootstrap_container_image` sets. Default: the first container."
  type        = string
  default     = null
}

variable "bootstrap_container_image" {
  description = "Image of the main container on the first apply (or with `force_bootstrap_container_image`); overrides that container's `image`. Null: keep the container's own `image`."
  type        = string
  default     = null
}

variable "force_bootstrap_container_image" {
  description = "true deploys the configured images of the containers that follow deployments, even when the service runs another image. When those images already run, nothing changes."
  type        = bool
  default     = false
  nullable    = false
}

variable "live_image_containers" {
  description = "Names of the containers whose image follows deployments made outside Terraform (the running image is kept). Null: every container; []: none. A container left out (a sidecar pinned by Terraform) always gets its configured image."
  type        = list(string)
  default     = null
}

################################################################################
# Task definition
################################################################################

# ECS's rules for these fields (allowed values, sizes, the keys of a volume, what Fargate refuses)
# are checked once, by task_definition_selector, which fails the plan with one line naming the
# field (`desired_task_definition.networkMode must be one of bridge, host, awsvpc, none, got
# "nat"`), before anything reaches ECS. A validation here would be a second copy of that rule.

variable "cpu" {
  description = "Task-level CPU units, as ECS takes them (\"256\", \"1024\", \"1 vCPU\"). Required for Fargate."
  type        = string
  default     = null
}

variable "memory" {
  description = "Task-level memory in MiB, as ECS takes it (\"512\", \"2048\", \"2 GB\"). Required for Fargate."
  type        = string
  default     = null
}

variable "network_mode" {
  description = "Task network mode: awsvpc, bridge, host or none. Fargate requires awsvpc."
  type        = string
  default     = "awsvpc"
  nullable    = false
}

variable "requires_compatibilities" {
  description = "Launch types the task definition is validated against: EC2, FARGATE, EXTERNAL, MANAGED_INSTANCES."
  type        = list(string)
  default     = ["FARGATE"]
  nullable    = false
}

variable "task_role_arn" {
  description = "ARN of the IAM role the containers use (the task role)."
  type        = string
  default     = null
}

variable "execution_role_arn" {
  description = "ARN of the IAM role ECS uses to pull images, write logs and read secrets (the task execution role)."
  type        = string
  default     = null
}

variable "volumes" {
  description = "Task volumes as ECS API objects in camelCase: `name`, and at most one of `host` ({sourcePath}), `dockerVolumeConfiguration` ({scope, autoprovision, driver, driverOpts, labels}), `efsVolumeConfiguration` ({fileSystemId, rootDirectory, transitEncryption, transitEncryptionPort, authorizationConfig = {accessPointId, iam}}); optional `configuredAtLaunch`."
  type        = any
  default     = []
  nullable    = false
}

variable "runtime_platform" {
  description = "Runtime platform: operating_system_family (LINUX, WINDOWS_SERVER_2019_FULL, ...) and cpu_architecture (X86_64 or ARM64)."
  type = object({
    operating_system_family = optional(string)
    cpu_architecture        = optional(string)
  })
  default = null
}

variable "ephemeral_storage_size_in_gib" {
  description = "Fargate ephemeral storage in GiB, 21 to 200. Null: the Fargate default (20 GiB)."
  type        = number
  default     = null
}

variable "task_placement_constraints" {
  description = "Task definition placement constraints (EC2 only): type memberOf with a cluster query expression."
  type = list(object({
    type       = string
    expression = optional(string)
  }))
  default  = []
  nullable = false
}

variable "pid_mode" {
  description = "Process namespace of the containers: host or task. Null: each container its own."
  type        = string
  default     = null
}

variable "ipc_mode" {
  description = "IPC namespace of the containers: host, task or none. Null: Docker's default."
  type        = string
  default     = null
}

variable "proxy_configuration" {
  description = "App Mesh proxy configuration: the proxy's container_name, its properties (name to value) and type (APPMESH)."
  type = object({
    container_name = string
    properties     = optional(map(string), {})
    type           = optional(string, "APPMESH")
  })
  default = null
}

################################################################################
# Service: the aws_ecs_service this module creates, unless create_service = false
################################################################################

variable "create_service" {
  description = "false: the module registers the task definition and gives task_definition_arn to a service of the caller's (its name is `name`, its cluster `cluster`); the variables below are ignored and the outputs that read the service are null."
  type        = bool
  default     = true
  nullable    = false
}

variable "desired_count" {
  description = "Number of tasks the service keeps running. With ignore_changes_desired_count, only the number it starts with. Ignored when create_service = false."
  type        = number
  default     = 1
  nullable    = false
}

variable "ignore_changes_desired_count" {
  description = "true for a service whose count an autoscaler (Application Auto Scaling) sets: desired_count is used when the service is created, and afterwards the service keeps the count ECS reports, so no plan resets it. Ignored when create_service = false."
  type        = bool
  default     = false
  nullable    = false
}

variable "launch_type" {
  description = "Launch type: EC2, FARGATE or EXTERNAL. Set it to null when `capacity_provider_strategy` is used. Ignored when create_service = false."
  type        = string
  default     = "FARGATE"

  validation {
    condition     = var.launch_type == null || contains(["EC2", "FARGATE", "EXTERNAL"], coalesce(var.launch_type, "-"))
    error_message = "launch_type must be null or one of: EC2, FARGATE, EXTERNAL."
  }
}

variable "capacity_provider_strategy" {
  description = "Capacity provider strategy; conflicts with `launch_type` (set it to null). Ignored when create_service = false."
  type = list(object({
    capacity_provider = string
    weight            = optional(number)
    base              = optional(number)
  }))
  default  = []
  nullable = false
}

variable "platform_version" {
  description = "Fargate platform version, such as LATEST or 1.4.0. Null: LATEST. Ignored when create_service = false."
  type        = string
  default     = null
}

variable "network_configuration" {
  description = "Network configuration, required with the awsvpc network mode: subnets, security_groups, assign_public_ip (Fargate only). Ignored when create_service = false."
  type = object({
    subnets          = list(string)
    security_groups  = optional(list(string), [])
    assign_public_ip = optional(bool, false)
  })
  default = null
}

variable "load_balancers" {
  description = "Load balancer attachments: target_group_arn (or elb_name for a Classic Load Balancer), container_name and container_port. Ignored when create_service = false."
  type = list(object({
    target_group_arn = optional(string)
    elb_name         = optional(string)
    container_name   = string
    container_port   = number
  }))
  default  = []
  nullable = false
}

variable "health_check_grace_period_seconds" {
  description = "Seconds during which failing load balancer health checks of new tasks are ignored. Only with load balancers. Ignored when create_service = false."
  type        = number
  default     = null
}

variable "deployment_circuit_breaker" {
  description = "Deployment circuit breaker of the ECS controller: enable, and rollback to the last completed deployment on failure. Null: off. Ignored with CODE_DEPLOY. Ignored when create_service = false."
  type = object({
    enable   = bool
    rollback = bool
  })
  default = {
    enable   = true
    rollback = true
  }
}

variable "deployment_minimum_healthy_percent" {
  description = "Lower limit, in percent of desired_count, of healthy tasks during a deployment. Null: the ECS default. Ignored when create_service = false."
  type        = number
  default     = null
}

variable "deployment_maximum_percent" {
  description = "Upper limit, in percent of desired_count, of tasks during a deployment. Null: the ECS default. Ignored when create_service = false."
  type        = number
  default     = null
}

variable "enable_execute_command" {
  description = "Enables ECS Exec for the service's tasks. Ignored when create_service = false."
  type        = bool
  default     = false
  nullable    = false
}

variable "propagate_tags" {
  description = "Whether the service's tags (SERVICE) or the task definition's (TASK_DEFINITION) are copied to its tasks. Null: none (the ECS default, NONE). Ignored when create_service = false."
  type        = string
  default     = null

  validation {
    condition     = var.propagate_tags == null || contains(["SERVICE", "TASK_DEFINITION", "NONE"], coalesce(var.propagate_tags, "-"))
    error_message = "propagate_tags must be null or one of: SERVICE, TASK_DEFINITION, NONE."
  }
}

variable "wait_for_steady_state" {
  description = "Makes apply wait until the service reaches a steady state (ECS controller only). Ignored when create_service = false."
  type        = bool
  default     = false
  nullable    = false
}

################################################################################
# Live lookup and the programs
################################################################################

variable "bin_dir" {
  description = "Directory holding live_task_lookup, container_definition and task_definition_selector. \"\": find them on PATH."
  type        = string
  default     = ""
  nullable    = false
}

variable "aws" {
  description = "The AWS provider's account, partition and region, read once in the root module from the provider configuration this module uses: `{ account_id = data.aws_caller_identity.current.account_id, partition = data.aws_partition.current.partition, region = data.aws_region.current.id }`. The guard compares the lookup's region and account with them. Null: every instance reads them itself, which costs one sts:GetCallerIdentity call per instance and plan."
  type = object({
    account_id = string
    partition  = string
    region     = string
  })
  default = null

  validation {
    condition     = var.aws == null || try(can(regex("^[0-9]{12}$", var.aws.account_id)) && var.aws.partition != "" && var.aws.region != "", false)
    error_message = "aws must be null or { account_id = the 12-digit account ID, partition, region } of the AWS provider, none of them empty."
  }
}

variable "region" {
  description = "Region the lookup asks. Null: the AWS provider's region. It must be the provider's region: the plan stops otherwise."
  type        = string
  default     = null
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
}

variable "endpoint_url" {
  description = "ECS endpoint the lookup calls, such as a VPC endpoint or a local emulator. \"\": AWS_ENDPOINT_URL_ECS, AWS_ENDPOINT_URL, else the region's public endpoint."
  type        = string
  default     = ""
  nullable    = false
}

variable "lookup_timeout_seconds" {
  description = "The most the whole lookup may take, retries included, in seconds."
  type        = number
  default     = 20
  nullable    = false
}

variable "lookup_max_attempts" {
  description = "How many times the lookup tries each call when ECS throttles, fails or cannot be reached; 1 turns retries off, 10 at most."
  type        = number
  default     = 8
  nullable    = false
}

variable "require_live_service" {
  description = "true stops the plan when the lookup finds no running service, instead of registering the bootstrap images. Set it after the first apply to catch a lookup that looks in the wrong place (another account's credentials, a renamed cluster)."
  type        = bool
  default     = false
  nullable    = false
}

variable "show_environment_values" {
  description = "true shows environment variable values in `differences`; by default only their names are shown."
  type        = bool
  default     = false
  nullable    = false
}

################################################################################
# IAM
################################################################################

variable "code_deploy_application_name" {
  description = "CODE_DEPLOY only: the CodeDeploy application that deploys the service, to which `deployer_policy_json` scopes its CodeDeploy statements. Null: `AppECS-<cluster>-<name>`, the name the ECS console gives it and the GitHub deploy action assumes."
  type        = string
  default     = null

  validation {
    condition     = var.code_deploy_application_name == null || try(length(var.code_deploy_application_name) >= 1 && length(var.code_deploy_application_name) <= 100, false)
    error_message = "code_deploy_application_name must be null or a CodeDeploy application name of 1 to 100 characters."
  }
}

variable "code_deploy_deployment_group_name" {
  description = "CODE_DEPLOY only: the application's deployment group that deploys the service. Null: `DgpECS-<cluster>-<name>`, the name the ECS console gives it and the GitHub deploy action assumes."
  type        = string
  default     = null

  validation {
    condition     = var.code_deploy_deployment_group_name == null || try(length(var.code_deploy_deployment_group_name) >= 1 && length(var.code_deploy_deployment_group_name) <= 100, false)
    error_message = "code_deploy_deployment_group_name must be null or a CodeDeploy deployment group name of 1 to 100 characters."
  }
}

variable "code_deploy_deployment_config_name" {
  description = "CODE_DEPLOY only: the deployment configuration of the deployment group (CreateDeployment authorizes codedeploy:GetDeploymentConfig on it)."
  type        = string
  default     = "CodeDeployDefault.ECSAllAtOnce"
  nullable    = false

  validation {
    condition     = length(var.code_deploy_deployment_config_name) >= 1 && length(var.code_deploy_deployment_config_name) <= 100
    error_message = "code_deploy_deployment_config_name must be a CodeDeploy deployment configuration name of 1 to 100 characters, such as CodeDeployDefault.ECSAllAtOnce."
  }
}

variable "deployer_policy_add" {
  description = "What `deployer_policy_json` adds, by name, to what every documented deploy path needs (the GitHub Actions pair, the AWS CLI recipe, `ecs deploy --no-deregister --timeout -1`), for `ecs deploy` with its defaults: `task_reads` (ecs:ListTasks and ecs:DescribeTasks for its wait, scoped to the cluster, not the service) and `deregister` (ecs:DeregisterTaskDefinition for its `--deregister`, which takes no resource type, so it is allowed for every family); for tools that follow ECS's record of a deployment or drive its lifecycle hooks (ecspresso's `--wait-until=deployed`, a pipeline that continues or stops a paused deployment): `service_deployments` (ecs:ListServiceDeployments, DescribeServiceDeployments, ContinueServiceDeployment and StopServiceDeployment on this service and its deployments). Ignored for a CODE_DEPLOY service."
  type        = set(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for item in var.deployer_policy_add : contains(["deregister", "task_reads", "service_deployments"], item)])
    error_message = "deployer_policy_add may contain only: deregister, task_reads, service_deployments."
  }
}

variable "deployer_policy_leave_out" {
  description = "Deprecated: `deployer_policy_json` leaves out `deregister` and `task_reads` by default now, and `deployer_policy_add` names what to add. Accepted only as null or both values (the default now); anything else fails with what to write instead."
  type        = set(string)
  default     = null

  validation {
    condition     = var.deployer_policy_leave_out == null || try(length(setsubtract(["deregister", "task_reads"], var.deployer_policy_leave_out)) == 0, false)
    error_message = "deployer_policy_leave_out is gone: deployer_policy_json leaves out deregister and task_reads by default now. Remove it, and list in deployer_policy_add what the deploy path needs (ecs deploy with its defaults: deregister and task_reads)."
  }
}

################################################################################
# What else a deploy pipeline owns (appended: see live_image_containers)
################################################################################

variable "live_environment" {
  description = "Per container, the environment variable names a deploy pipeline sets (a release version: `{ app = [\"DD_VERSION\", \"GIT_SHA\"] }`). For each, the value the service runs is kept, as the live image is; the value in `container_definitions` is the bootstrap value (first apply, a variable the live container lacks, `force_bootstrap_container_image`). Every other variable is Terraform's. Only a container that follows deployments (`live_image_containers`) may name variables, and not ones it sets in `secrets`."
  type        = map(list(string))
  default     = {}
  nullable    = false

  # Checked by container_definition, which names the container and the name it refuses: a valid
  # environment variable name (POSIX), each once, in a container that follows deployments.
}

variable "live_docker_labels" {
  description = "Per container, the Docker label keys a deploy pipeline sets (`{ app = [\"com.datadoghq.tags.version\"] }`), kept at the value the service runs as `live_environment` keeps variables. Every other label is Terraform's."
  type        = map(list(string))
  default     = {}
  nullable    = false

  # Checked by container_definition, as live_environment: a valid Docker label key, each once.
}

################################################################################
# Deployments in progress
################################################################################

variable "deployment_in_progress" {
  description = "What a plan that moves the service (a new revision, or, when the module runs the service, a change of a setting that starts a deployment: platform_version, network_configuration, load_balancers, capacity_provider_strategy, enable_execute_command, propagate_tags) does while the service's deployment has not settled (a rolling deployment IN_PROGRESS, a blue/green, linear or canary one in its bake time or held by a lifecycle hook, a CodeDeploy deployment with an ACTIVE task set): \"fail\" fails the plan with one line naming the deployment, its state and since when; \"wait\" waits for it to settle, at most deployment_wait_timeout_seconds, then plans on. A plan that moves nothing is not affected. README.md, \"Deployments in progress\"."
  type        = string
  default     = "fail"
  nullable    = false

  validation {
    condition     = contains(["fail", "wait"], var.deployment_in_progress)
    error_message = "deployment_in_progress must be \"fail\" or \"wait\"."
  }
}

variable "deployment_wait_timeout_seconds" {
  description = "With deployment_in_progress = \"wait\": the longest a plan waits for the deployment to settle, in seconds (at most 86400); past it, the plan fails with a line naming the deployment it waited for."
  type        = number
  default     = 900
  nullable    = false

  validation {
    condition     = var.deployment_wait_timeout_seconds >= 1 && var.deployment_wait_timeout_seconds <= 86400 && floor(var.deployment_wait_timeout_seconds) == var.deployment_wait_timeout_seconds
    error_message = "deployment_wait_timeout_seconds must be a whole number of seconds from 1 to 86400."
  }
}
