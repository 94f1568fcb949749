################################################################################
# IAM policies: for the deploy pipeline, and for whoever runs `terraform plan`
################################################################################

# Which action takes which resource type and condition key is AWS's Service Authorization Reference:
# - ECS: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
# - CodeDeploy: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
# - IAM (iam:PassRole, iam:PassedToService): https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
# Which calls each deploy tool makes is in the repository README's IAM section, with the source of
# each; tests/iam_policies.rs evaluates both policies against those calls.

locals {
  # The roles a revision of this family names: exactly the ones the deploy pipeline may pass.
  task_roles = distinct([for arn in [var.task_role_arn, var.execution_role_arn] : arn if arn != null])

  ecs_arn_prefix        = "arn:${local.aws.partition}:ecs:${local.aws.region}:${local.aws.account_id}"
  codedeploy_arn_prefix = "arn:${local.aws.partition}:codedeploy:${local.aws.region}:${local.aws.account_id}"

  # The value of the ecs:cluster condition key: the cluster's ARN.
  cluster_arn = "${local.ecs_arn_prefix}:cluster/${local.cluster_name}"

  # Every deployment of this service, past and future.
  service_deployments_arn = "${local.ecs_arn_prefix}:service-deployment/${local.cluster_name}/${var.name}/*"

  # Every revision of this family, past and future (task-definition/FAMILY:REVISION).
  family_revisions_arn = "${local.ecs_arn_prefix}:task-definition/${local.family}:*"

  # Without names given, the ones the ECS console creates and the GitHub deploy action assumes
  # (aws-actions/amazon-ecs-deploy-task-definition, index.js, createCodeDeployDeployment:
  # `AppECS-${clusterName}-${service}` and `DgpECS-${clusterName}-${service}`).
  code_deploy_application      = coalesce(var.code_deploy_application_name, "AppECS-${local.cluster_name}-${var.name}")
  code_deploy_deployment_group = coalesce(var.code_deploy_deployment_group_name, "DgpECS-${local.cluster_name}-${var.name}")

  # ecs-deploy's wait (ListTasks, DescribeTasks) and its deregistration of the revision it replaced:
  # only a service of the ECS controller is deployed that way.
  task_reads = !local.uses_code_deploy && !contains(var.deployer_policy_leave_out, "task_reads")
  deregister = !local.uses_code_deploy && !contains(var.deployer_policy_leave_out, "deregister")

  # The policies as IAM JSON, built here rather than by aws_iam_policy_document data sources: two
  # fewer provider reads per instance and plan, and the same document (IAM reads a one-element list
  # and a string alike, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
  deployer_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        # DescribeTaskDefinition takes no resource type: it cannot be scoped to a family.
        {
          Sid      = "DescribeTaskDefinitions"
          Effect   = "Allow"
          Action   = "ecs:DescribeTaskDefinition"
          Resource = "*"
        },
        # A CODE_DEPLOY service is only described: ECS rejects UpdateService with a new revision on
        # it, and CodeDeploy (with its own role) moves it.
        {
          Sid      = "ThisService"
          Effect   = "Allow"
          Action   = local.uses_code_deploy ? ["ecs:DescribeServices"] : ["ecs:DescribeServices", "ecs:UpdateService"]
          Resource = local.service_arn
        },
        {
          Sid      = "RegisterThisFamily"
          Effect   = "Allow"
          Action   = "ecs:RegisterTaskDefinition"
          Resource = local.family_revisions_arn
        },
        # Registering a revision with tags also authorizes ecs:TagResource on it, with
        # ecs:CreateAction = RegisterTaskDefinition; tagging at any other time stays denied.
        {
          Sid       = "TagThisFamilyAtRegistration"
          Effect    = "Allow"
          Action    = "ecs:TagResource"
          Resource  = local.family_revisions_arn
          Condition = { StringEquals = { "ecs:CreateAction" = "RegisterTaskDefinition" } }
        },
      ],
      # ListTasks takes the container-instance type and DescribeTasks the task type, both with the
      # ecs:cluster condition key: scoped to this cluster, not to the service (a task's ARN does not
      # name its service).
      local.task_reads ? [
        {
          Sid       = "ListTasksInThisCluster"
          Effect    = "Allow"
          Action    = "ecs:ListTasks"
          Resource  = "*"
          Condition = { ArnEquals = { "ecs:cluster" = local.cluster_arn } }
        },
        {
          Sid       = "DescribeTasksInThisCluster"
          Effect    = "Allow"
          Action    = "ecs:DescribeTasks"
          Resource  = "${local.ecs_arn_prefix}:task/${local.cluster_name}/*"
          Condition = { ArnEquals = { "ecs:cluster" = local.cluster_arn } }
        },
      ] : [],
      # The service-deployment calls of deploy tools that follow ECS's own record of a deployment
      # (ecspresso's `--wait-until=deployed`: ListServiceDeployments, DescribeServiceDeployments,
      # ecspresso issue 850) and of pipelines that drive lifecycle hooks (ContinueServiceDeployment,
      # StopServiceDeployment). ListServiceDeployments takes the service resource type; the other
      # three take the service and the service-deployment
      # (service-deployment/CLUSTER/SERVICE/ID), both allowed for this service only. Service
      # deployments are the ECS controller's; a CODE_DEPLOY service gets neither statement.
      local.uses_code_deploy ? [] : [
        {
          Sid      = "ReadThisServiceDeployments"
          Effect   = "Allow"
          Action   = ["ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments"]
          Resource = [local.service_arn, local.service_deployments_arn]
        },
        {
          Sid      = "ContinueOrStopThisServiceDeployments"
          Effect   = "Allow"
          Action   = ["ecs:ContinueServiceDeployment", "ecs:StopServiceDeployment"]
          Resource = [local.service_arn, local.service_deployments_arn]
        },
      ],
      # DeregisterTaskDefinition takes no resource type: allowing it allows it for every family.
      local.deregister ? [
        {
          Sid      = "DeregisterTaskDefinitions"
          Effect   = "Allow"
          Action   = "ecs:DeregisterTaskDefinition"
          Resource = "*"
        },
      ] : [],
      # A new revision names the same roles; registering it and running it passes them to ECS tasks.
      length(local.task_roles) == 0 ? [] : [
        {
          Sid       = "PassTaskRoles"
          Effect    = "Allow"
          Action    = "iam:PassRole"
          Resource  = local.task_roles
          Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
        },
      ],
      # A blue/green deployment: the deployment group is read and a deployment created and waited
      # for in it; CreateDeployment also authorizes the group's deployment configuration and the
      # application revision it registers. (Every Action a list: the statements of a conditional's
      # branch must have one type.)
      local.uses_code_deploy ? [
        {
          Sid      = "CodeDeployThisDeploymentGroup"
          Effect   = "Allow"
          Action   = ["codedeploy:GetDeploymentGroup", "codedeploy:CreateDeployment", "codedeploy:GetDeployment"]
          Resource = "${local.codedeploy_arn_prefix}:deploymentgroup:${local.code_deploy_application}/${local.code_deploy_deployment_group}"
        },
        {
          Sid      = "CodeDeployThisApplication"
          Effect   = "Allow"
          Action   = ["codedeploy:RegisterApplicationRevision"]
          Resource = "${local.codedeploy_arn_prefix}:application:${local.code_deploy_application}"
        },
        {
          Sid      = "CodeDeployThisDeploymentConfig"
          Effect   = "Allow"
          Action   = ["codedeploy:GetDeploymentConfig"]
          Resource = "${local.codedeploy_arn_prefix}:deploymentconfig:${var.code_deploy_deployment_config_name}"
        },
      ] : [],
    )
  }

  lookup_policy = {
    Version = "2012-10-17"
    Statement = concat(
      [
        {
          Sid      = "DescribeThisService"
          Effect   = "Allow"
          Action   = "ecs:DescribeServices"
          Resource = local.service_arn
        },
        # DescribeTaskDefinition takes no resource type.
        {
          Sid      = "DescribeTaskDefinitions"
          Effect   = "Allow"
          Action   = "ecs:DescribeTaskDefinition"
          Resource = "*"
        },
      ],
      var.assume_role_arn == "" ? [] : [
        {
          Sid      = "AssumeLookupRole"
          Effect   = "Allow"
          Action   = "sts:AssumeRole"
          Resource = var.assume_role_arn
        },
      ],
    )
  }
}
