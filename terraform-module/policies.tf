################################################################################
# IAM policies: for the deploy pipeline, the live lookup and the roles that run Terraform
################################################################################

# Which action takes which resource type and condition key is AWS's Service Authorization Reference:
# - ECS: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
# - CodeDeploy: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodedeploy.html
# - IAM (iam:PassRole, iam:PassedToService): https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
# Which calls each deploy tool makes is in the repository README's IAM section, with the source of
# each; tests/it/iam_policies.rs evaluates both policies against those calls.

# Each local below is a node Terraform evaluates once per module instance and plan, whatever its
# size (BENCHMARKS.md, "Why the module is written with few locals and outputs"), so the values each
# stage builds share one object: the names, then the ARNs, then the statements, then the documents.
locals {
  policy_names = {
    ecs_arn_prefix        = "arn:${local.aws.partition}:ecs:${local.aws.region}:${local.aws.account_id}"
    codedeploy_arn_prefix = "arn:${local.aws.partition}:codedeploy:${local.aws.region}:${local.aws.account_id}"

    # Without names given, the ones the ECS console creates and the GitHub deploy action assumes
    # (aws-actions/amazon-ecs-deploy-task-definition, index.js, createCodeDeployDeployment:
    # `AppECS-${clusterName}-${service}` and `DgpECS-${clusterName}-${service}`).
    code_deploy_application      = coalesce(var.code_deploy_application_name, "AppECS-${local.given.cluster_name}-${var.name}")
    code_deploy_deployment_group = coalesce(var.code_deploy_deployment_group_name, "DgpECS-${local.given.cluster_name}-${var.name}")
  }

  arns = {
    # Known at plan time, unlike the service resource's own ARN on the first apply.
    service = "${local.policy_names.ecs_arn_prefix}:service/${local.given.cluster_name}/${var.name}"

    # The value of the ecs:cluster condition key: the cluster's ARN.
    cluster = "${local.policy_names.ecs_arn_prefix}:cluster/${local.given.cluster_name}"

    # Every task of the cluster (task/CLUSTER/ID).
    cluster_tasks = "${local.policy_names.ecs_arn_prefix}:task/${local.given.cluster_name}/*"

    # Every deployment of this service, past and future.
    service_deployments = "${local.policy_names.ecs_arn_prefix}:service-deployment/${local.given.cluster_name}/${var.name}/*"

    # Every revision of this family, past and future (task-definition/FAMILY:REVISION).
    family_revisions = "${local.policy_names.ecs_arn_prefix}:task-definition/${local.given.family}:*"

    code_deploy_deployment_group  = "${local.policy_names.codedeploy_arn_prefix}:deploymentgroup:${local.policy_names.code_deploy_application}/${local.policy_names.code_deploy_deployment_group}"
    code_deploy_application       = "${local.policy_names.codedeploy_arn_prefix}:application:${local.policy_names.code_deploy_application}"
    code_deploy_deployment_config = "${local.policy_names.codedeploy_arn_prefix}:deploymentconfig:${var.code_deploy_deployment_config_name}"
  }

  policy_statements = {
    # Passing the roles a revision of this family names (given.task_roles) to ECS tasks, which
    # registering a revision that names them authorizes: the deployer's and the apply role's one
    # statement (none when the family names no role).
    pass_task_roles = length(local.given.task_roles) == 0 ? [] : [
      {
        Sid       = "PassTaskRoles"
        Effect    = "Allow"
        Action    = "iam:PassRole"
        Resource  = local.given.task_roles
        Condition = { StringEquals = { "iam:PassedToService" = "ecs-tasks.amazonaws.com" } }
      },
    ]

    # Registering a revision of this family: the deployer's and the apply role's.
    register_this_family = [
      {
        Sid      = "RegisterThisFamily"
        Effect   = "Allow"
        Action   = "ecs:RegisterTaskDefinition"
        Resource = local.arns.family_revisions
      },
    ]

    # The lookup's reads: the lookup policy, and the first statements of the apply role's.
    lookup = concat(
      [
        {
          Sid      = "DescribeThisService"
          Effect   = "Allow"
          Action   = "ecs:DescribeServices"
          Resource = local.arns.service
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

  # The policies as IAM JSON, built here rather than by aws_iam_policy_document data sources: two
  # fewer provider reads per instance and plan, and the same document (IAM reads a one-element list
  # and a string alike, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
  policies = {
    deployer = {
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
            Action   = local.given.uses_code_deploy ? ["ecs:DescribeServices"] : ["ecs:DescribeServices", "ecs:UpdateService"]
            Resource = local.arns.service
          },
        ],
        local.policy_statements.register_this_family,
        [
          # Registering a revision with tags also authorizes ecs:TagResource on it, with
          # ecs:CreateAction = RegisterTaskDefinition: such a request needs both permissions, and
          # TagResource with that condition is only ever evaluated as part of a registration ("Grant
          # permission to tag resources on creation": a policy allowing it with ecs:CreateAction
          # lets no one call ecs:TagResource directly,
          # https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html),
          # so tagging at any other time stays denied. Scoped to the family as RegisterThisFamily
          # is, the statement is the one earlier releases wrote: an upgrade leaves the policy as it
          # was.
          {
            Sid       = "TagThisFamilyAtRegistration"
            Effect    = "Allow"
            Action    = "ecs:TagResource"
            Resource  = local.arns.family_revisions
            Condition = { StringEquals = { "ecs:CreateAction" = "RegisterTaskDefinition" } }
          },
        ],
        # ecs-deploy's wait. ListTasks takes the container-instance type and DescribeTasks the task
        # type, both with the ecs:cluster condition key: scoped to this cluster, not to the service
        # (a task's ARN does not name its service). Added by name only (the GitHub Actions pair and
        # the AWS CLI recipe do not need it), and only for a service of the ECS controller, the only
        # one deployed that way.
        !local.given.uses_code_deploy && contains(var.deployer_policy_add, "task_reads") ? [
          {
            Sid       = "ListTasksInThisCluster"
            Effect    = "Allow"
            Action    = "ecs:ListTasks"
            Resource  = "*"
            Condition = { ArnEquals = { "ecs:cluster" = local.arns.cluster } }
          },
          {
            Sid       = "DescribeTasksInThisCluster"
            Effect    = "Allow"
            Action    = "ecs:DescribeTasks"
            Resource  = local.arns.cluster_tasks
            Condition = { ArnEquals = { "ecs:cluster" = local.arns.cluster } }
          },
        ] : [],
        # The service-deployment calls of deploy tools that follow ECS's own record of a deployment
        # (ecspresso's `--wait-until=deployed`: ListServiceDeployments, DescribeServiceDeployments,
        # ecspresso issue 850) and of pipelines that drive lifecycle hooks (ContinueServiceDeployment,
        # StopServiceDeployment). ListServiceDeployments takes the service resource type; the other
        # three take the service and the service-deployment
        # (service-deployment/CLUSTER/SERVICE/ID), both allowed for this service only. Added by name
        # (deployer_policy_add), and only for a service of the ECS controller, whose deployments
        # they are: StopServiceDeployment rolls a deployment back, which none of the documented
        # deploy paths does.
        !local.given.uses_code_deploy && contains(var.deployer_policy_add, "service_deployments") ? [
          # One statement for the four: the same resources, written once per service when many
          # services' policies are merged (modules/deployer_policy).
          {
            Sid      = "ThisServiceDeployments"
            Effect   = "Allow"
            Action   = ["ecs:ListServiceDeployments", "ecs:DescribeServiceDeployments", "ecs:ContinueServiceDeployment", "ecs:StopServiceDeployment"]
            Resource = [local.arns.service, local.arns.service_deployments]
          },
        ] : [],
        # ecs-deploy deregisters the revision it replaced. DeregisterTaskDefinition takes no resource
        # type: allowing it allows it for every family. Added by name only, as task_reads.
        !local.given.uses_code_deploy && contains(var.deployer_policy_add, "deregister") ? [
          {
            Sid      = "DeregisterTaskDefinitions"
            Effect   = "Allow"
            Action   = "ecs:DeregisterTaskDefinition"
            Resource = "*"
          },
        ] : [],
        # A new revision names the same roles; registering it and running it passes them to ECS tasks.
        local.policy_statements.pass_task_roles,
        # A blue/green deployment: the deployment group is read and a deployment created and waited
        # for in it; CreateDeployment also authorizes the group's deployment configuration and the
        # application revision it registers. (Every Action a list: the statements of a conditional's
        # branch must have one type.)
        local.given.uses_code_deploy ? [
          {
            Sid      = "CodeDeployThisDeploymentGroup"
            Effect   = "Allow"
            Action   = ["codedeploy:GetDeploymentGroup", "codedeploy:CreateDeployment", "codedeploy:GetDeployment"]
            Resource = local.arns.code_deploy_deployment_group
          },
          {
            Sid      = "CodeDeployThisApplication"
            Effect   = "Allow"
            Action   = ["codedeploy:RegisterApplicationRevision"]
            Resource = local.arns.code_deploy_application
          },
          {
            Sid      = "CodeDeployThisDeploymentConfig"
            Effect   = "Allow"
            Action   = ["codedeploy:GetDeploymentConfig"]
            Resource = local.arns.code_deploy_deployment_config
          },
        ] : [],
      )
    }

    lookup = {
      Version   = "2012-10-17"
      Statement = local.policy_statements.lookup
    }

    # The roles that run Terraform. What Terraform calls for this module's resources, recorded by
    # tests/it/iam_policies.rs through bench/aws_proxy.py during real plans and applies
    # (examples/fargate): a plan refreshes the service (DescribeServices, with include TAGS) and the
    # task definition (DescribeTaskDefinition, with include TAGS), its data sources call only
    # sts:GetCallerIdentity, which IAM does not authorize ("No permissions are required to perform
    # this operation", https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html),
    # and the lookup makes the same two ECS reads: the plan role's policy is the lookup policy. An
    # apply adds RegisterTaskDefinition (and the iam:PassRole and tagging it authorizes),
    # CreateService on the first apply and UpdateService; skip_destroy: no apply of this module
    # deregisters a revision. So the apply role gets what the plan reads (an apply without a saved
    # plan plans first) and the module's writes, on this service, this family and these roles only.
    apply = {
      Version = "2012-10-17"
      Statement = concat(
        local.policy_statements.lookup,
        [
          # CreateService on the first apply, UpdateService for every later change (also for a
          # CODE_DEPLOY service: its count, network and other settings). No DeleteService: a
          # destroy is a deliberate act, its permission given by name when wanted.
          {
            Sid      = "CreateAndUpdateThisService"
            Effect   = "Allow"
            Action   = ["ecs:CreateService", "ecs:UpdateService"]
            Resource = local.arns.service
          },
        ],
        local.policy_statements.register_this_family,
        [
          # Tags at creation (authorized as TagResource with ecs:CreateAction) and a change of
          # the module's `tags` (TagResource, UntagResource in place): on this service and family.
          {
            Sid      = "TagThisServiceAndFamily"
            Effect   = "Allow"
            Action   = ["ecs:TagResource", "ecs:UntagResource"]
            Resource = [local.arns.service, local.arns.family_revisions]
          },
        ],
        local.policy_statements.pass_task_roles,
      )
    }
  }
}
