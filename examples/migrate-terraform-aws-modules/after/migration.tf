# The move from ../before (MIGRATING.md): what the service module created with its task
# definition becomes this configuration's, and the revision the service runs becomes ecs-drift's
# task definition. Nothing is destroyed, deregistered or registered.

# The roles, the policy and its attachment: the same objects, at addresses of this configuration.
moved {
  from = module.service.aws_iam_role.task_exec[0]
  to   = aws_iam_role.task_exec
}

moved {
  from = module.service.aws_iam_policy.task_exec[0]
  to   = aws_iam_policy.task_exec
}

moved {
  from = module.service.aws_iam_role_policy_attachment.task_exec[0]
  to   = aws_iam_role_policy_attachment.task_exec
}

moved {
  from = module.service.aws_iam_role.tasks[0]
  to   = aws_iam_role.tasks
}

# The container's log group, with its logs.
moved {
  from = module.service.module.container_definition["app"].aws_cloudwatch_log_group.this[0]
  to   = aws_cloudwatch_log_group.app
}

# The service module's task definition resource is forgotten, not destroyed: its revisions stay
# registered. Terraform refuses `removed` for a resource whose block is still in the
# configuration (the module keeps it, counted 0), so it is moved out first.
moved {
  from = module.service.aws_ecs_task_definition.this[0]
  to   = aws_ecs_task_definition.previous
}

removed {
  from = aws_ecs_task_definition.previous

  lifecycle {
    destroy = false
  }
}

# The revision the service runs (the pipeline's, found by ecs-drift's own lookup) becomes
# ecs-drift's task definition, so nothing is registered and the deployed image stays.
import {
  to = module.task_definition.aws_ecs_task_definition.this
  id = module.task_definition.live_task_definition_arn
}
