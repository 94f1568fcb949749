# The service: the same object, moved from Airship's submodule into this module's. Nothing is
# replaced.
moved {
  from = module.web.module.ecs_service.aws_ecs_service.this[0]
  to   = module.web.aws_ecs_service.this[0]
}

# Airship's task definition resource is forgotten, not destroyed: its revisions stay registered.
# (`removed` takes the resource, not an instance: no [0].)
removed {
  from = module.web.module.ecs_task_definition.aws_ecs_task_definition.app

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

# What Airship created beside the service, kept as resources of the root module.
moved {
  from = module.web.module.iam.aws_iam_role.ecs_tasks_role[0]
  to   = aws_iam_role.task
}

moved {
  from = module.web.module.iam.aws_iam_role.ecs_task_execution_role[0]
  to   = aws_iam_role.execution
}

moved {
  from = module.web.module.iam.aws_iam_role_policy_attachment.ecs_tasks_execution_role[0]
  to   = aws_iam_role_policy_attachment.execution
}

moved {
  from = module.web.aws_cloudwatch_log_group.app[0]
  to   = aws_cloudwatch_log_group.web
}

# Airship's Lambda lookup is not needed any more: its role (and, outside the emulator, its
# function) is left out of the configuration, so the plan destroys it.
