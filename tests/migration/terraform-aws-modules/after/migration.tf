# The service: the same object, moved from the old module into this one. Nothing is replaced.
moved {
  from = module.ecs_service.aws_ecs_service.ignore_task_definition[0]
  to   = module.web.aws_ecs_service.this[0]
}

# The old module's task definition resource is forgotten, not destroyed: its revisions stay
# registered. (`removed` takes the resource, not an instance: no [0].)
removed {
  from = module.ecs_service.aws_ecs_task_definition.this

  lifecycle {
    destroy = false
  }
}

# The revision the service runs (the pipeline's, found by the module's own lookup) becomes the
# module's task definition, so nothing is registered and the deployed image stays.
import {
  to = module.web.aws_ecs_task_definition.this
  id = module.web.live_task_definition_arn
}

# What the old module created beside the service, kept as resources of the root module.
moved {
  from = module.ecs_service.aws_iam_role.task_exec[0]
  to   = aws_iam_role.task_exec
}

moved {
  from = module.ecs_service.aws_iam_policy.task_exec[0]
  to   = aws_iam_policy.task_exec
}

moved {
  from = module.ecs_service.aws_iam_role_policy_attachment.task_exec[0]
  to   = aws_iam_role_policy_attachment.task_exec
}

moved {
  from = module.ecs_service.aws_iam_role.tasks[0]
  to   = aws_iam_role.tasks
}

moved {
  from = module.ecs_service.aws_security_group.this[0]
  to   = aws_security_group.web
}

moved {
  from = module.ecs_service.module.container_definition["app"].aws_cloudwatch_log_group.this[0]
  to   = aws_cloudwatch_log_group.app
}
