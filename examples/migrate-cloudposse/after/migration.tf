# The move from ../before (MIGRATING.md): the service goes to the module's resource that deploys
# task_definition, and the revision it runs becomes ecs-drift's task definition. Nothing is
# destroyed, deregistered or registered.

# ignore_changes_task_definition = false: the same service, at the address of the module's
# resource that deploys task_definition. Nothing is replaced.
moved {
  from = module.service.aws_ecs_service.ignore_changes_task_definition[0]
  to   = module.service.aws_ecs_service.default[0]
}

# The service module's task definition resource is forgotten, not destroyed: its revisions stay
# registered. Terraform refuses `removed` for a resource whose block is still in the
# configuration (the module keeps it, counted 0), so it is moved out first.
moved {
  from = module.service.aws_ecs_task_definition.default[0]
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
